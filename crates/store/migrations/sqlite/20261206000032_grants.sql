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
