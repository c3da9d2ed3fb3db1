-- Grants from 360Giving files as income (issue 18 item 3): each grant to an
-- organisation of the register, once per programme by its 360Giving
-- identifier (the same file twice changes nothing), in the financial year
-- (April to March, by the year it starts in) of its award date.
CREATE TABLE enterprise_grants (
    programme_id    BLOB NOT NULL,
    identifier      TEXT NOT NULL,
    organisation_id BLOB NOT NULL,
    title           TEXT NOT NULL,
    funder          TEXT NOT NULL,
    amount_pence    INTEGER NOT NULL,
    awarded_on      TEXT NOT NULL,
    year            INTEGER NOT NULL,
    recipient_id    TEXT,
    recipient_name  TEXT NOT NULL,
    source          TEXT NOT NULL,
    line_no         INTEGER NOT NULL,
    imported_at     TEXT NOT NULL,
    PRIMARY KEY (programme_id, identifier),
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX enterprise_grants_org ON enterprise_grants(programme_id, organisation_id, year);

-- Imported grants are part of the income the home page's indicators count
-- (enterprises earning most of their income): every write moves the
-- programme's record counter, as the other enterprise records do
-- (`20261206000023_record_revisions.sql`). The store writes grants with a
-- plain INSERT or UPDATE, never an upsert: inside a trigger fired by an
-- upsert's DO UPDATE, SQLite applies the outer statement's conflict rule to
-- the trigger's INSERT OR IGNORE, which then fails.
CREATE TRIGGER enterprise_grants_records_insert AFTER INSERT ON enterprise_grants BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER enterprise_grants_records_update AFTER UPDATE ON enterprise_grants BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER enterprise_grants_records_delete AFTER DELETE ON enterprise_grants BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;
