-- What a kept list was read from (issue 16 item 11): a counter per
-- programme and list, moved by triggers on every write to the list's
-- table, whichever process makes it, in the transaction of the write. The
-- server keeps a list it has served (the partners' JSON, serialised) while
-- the counter stands, so an unchanged list is one counter read and a copy,
-- and any write to it shows on the very next request.
--
-- The list `partners`: every insert, update and delete of `partners` (an
-- edit, a contact change, an import, a merge, a programme removed). No
-- foreign key: a programme's deletion cascades through `partners` and must
-- not be refused here.
CREATE TABLE list_revisions (
    programme_id UUID NOT NULL,
    list         TEXT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (programme_id, list)
);

CREATE FUNCTION bump_list_revision() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO list_revisions (programme_id, list, n) VALUES (OLD.programme_id, TG_ARGV[0], 1)
        ON CONFLICT (programme_id, list) DO UPDATE SET n = list_revisions.n + 1;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.programme_id IS DISTINCT FROM OLD.programme_id) THEN
        INSERT INTO list_revisions (programme_id, list, n) VALUES (NEW.programme_id, TG_ARGV[0], 1)
        ON CONFLICT (programme_id, list) DO UPDATE SET n = list_revisions.n + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER partners_list AFTER INSERT OR UPDATE OR DELETE ON partners
    FOR EACH ROW EXECUTE FUNCTION bump_list_revision('partners');
