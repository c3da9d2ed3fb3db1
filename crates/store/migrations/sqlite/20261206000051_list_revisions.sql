-- What a kept list was read from (issue 16 item 11): a counter per
-- programme and list, moved by triggers on every write to the list's
-- table, whichever process makes it, in the transaction of the write. The
-- server keeps a list it has served (the partners' JSON, serialised) while
-- the counter stands, so an unchanged list is one counter read and a copy,
-- and any write to it shows on the very next request.
--
-- The list `partners`: every insert, update and delete of `partners` (an
-- edit, a contact change, an import, a merge, a programme removed). The
-- triggers insert a missing counter with a plain INSERT … WHERE NOT EXISTS
-- rather than INSERT OR IGNORE (see `20261206000045_access_revisions.sql`).
-- No foreign key: a programme's deletion cascades through `partners` and
-- must not be refused here.
CREATE TABLE list_revisions (
    programme_id BLOB NOT NULL,
    list         TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (programme_id, list)
) STRICT;

CREATE TRIGGER partners_list_insert AFTER INSERT ON partners BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'partners', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'partners');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = NEW.programme_id AND list = 'partners';
END;

CREATE TRIGGER partners_list_update AFTER UPDATE ON partners BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'partners', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'partners');
    UPDATE list_revisions SET n = n + 1
        WHERE (programme_id = NEW.programme_id OR programme_id = OLD.programme_id)
          AND list = 'partners';
END;

CREATE TRIGGER partners_list_delete AFTER DELETE ON partners BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT OLD.programme_id, 'partners', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = OLD.programme_id AND list = 'partners');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = OLD.programme_id AND list = 'partners';
END;
