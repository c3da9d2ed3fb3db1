-- Social enterprises (issue 18). An enterprise is an organisation of the
-- register with a profile (never a second table of organisations); the
-- profile, a lot's requirements are kept as the JSON of their core types
-- (`useit_core::enterprise::profile::Profile`, `lot::LotDraft`), read whole
-- by the eligibility check and the consortium builder.
CREATE TABLE enterprise_profiles (
    programme_id    BLOB NOT NULL,
    organisation_id BLOB NOT NULL,
    profile         TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (programme_id, organisation_id),
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE enterprise_support (
    id               BLOB PRIMARY KEY,
    programme_id     BLOB NOT NULL,
    organisation_id  BLOB NOT NULL,
    given_on         TEXT NOT NULL,
    kind             TEXT NOT NULL,
    tenths_of_hours  INTEGER NOT NULL,
    outcome          TEXT NOT NULL,
    plan_stage       TEXT NOT NULL,
    adviser          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX enterprise_support_org ON enterprise_support(programme_id, organisation_id, given_on);

-- Income by the year a financial year starts in, in pence.
CREATE TABLE enterprise_income (
    programme_id    BLOB NOT NULL,
    organisation_id BLOB NOT NULL,
    year            INTEGER NOT NULL,
    grants          INTEGER NOT NULL,
    donations       INTEGER NOT NULL,
    trading         INTEGER NOT NULL,
    contracts       INTEGER NOT NULL,
    PRIMARY KEY (programme_id, organisation_id, year),
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE enterprise_lots (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    reference    TEXT NOT NULL,
    lot          TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (programme_id, reference)
) STRICT;
