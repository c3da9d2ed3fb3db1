-- Grants from 360Giving files as income (issue 18 item 3): each grant to an
-- organisation of the register, once per programme by its 360Giving
-- identifier (the same file twice changes nothing), in the financial year
-- (April to March, by the year it starts in) of its award date.
CREATE TABLE enterprise_grants (
    programme_id    uuid NOT NULL,
    identifier      text NOT NULL,
    organisation_id uuid NOT NULL,
    title           text NOT NULL,
    funder          text NOT NULL,
    amount_pence    bigint NOT NULL,
    awarded_on      date NOT NULL,
    year            integer NOT NULL,
    recipient_id    text,
    recipient_name  text NOT NULL,
    source          text NOT NULL,
    line_no         bigint NOT NULL,
    imported_at     timestamptz NOT NULL,
    PRIMARY KEY (programme_id, identifier),
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX enterprise_grants_org ON enterprise_grants(programme_id, organisation_id, year);

-- Imported grants are part of the income the home page's indicators count:
-- every write moves the programme's record counter, as the other
-- enterprise records do (`20261206000023_record_revisions.sql`).
CREATE TRIGGER enterprise_grants_records AFTER INSERT OR UPDATE OR DELETE ON enterprise_grants
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();
