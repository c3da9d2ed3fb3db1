-- Research: community researchers (personal data: every read and change is
-- audited; erasure blanks the personal columns and keeps channel, decile,
-- accreditation and hours), research projects, timesheet entries the
-- coordinator approves, and the programme's pay rule. All programme-owned.

CREATE TABLE research_researchers (
    id               BLOB PRIMARY KEY,
    programme_id     BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    user_id          BLOB REFERENCES users(id) ON DELETE SET NULL,
    full_name        TEXT,
    email            TEXT,
    postcode         TEXT,
    area_code        TEXT,
    decile           INTEGER,
    channel          TEXT NOT NULL,
    recruited_on     TEXT NOT NULL,
    languages        TEXT,
    lawful_basis     TEXT NOT NULL,
    consent_given_on TEXT,
    training         TEXT NOT NULL DEFAULT '',
    qualification    TEXT,
    level            TEXT,
    awarding_body    TEXT,
    accredited_on    TEXT,
    account_email    TEXT,
    erased_at        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (programme_id, id)
) STRICT;
CREATE INDEX research_researchers_user ON research_researchers(programme_id, user_id);

CREATE TABLE research_projects (
    id                BLOB PRIMARY KEY,
    programme_id      BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    commissioner_kind TEXT NOT NULL,
    commissioner      TEXT NOT NULL DEFAULT '',
    question          TEXT NOT NULL,
    method            TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    budget            INTEGER,
    findings          TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (programme_id, id),
    UNIQUE (programme_id, title)
) STRICT;

CREATE TABLE research_time (
    id            BLOB PRIMARY KEY,
    programme_id  BLOB NOT NULL,
    researcher_id BLOB NOT NULL,
    project_id    BLOB NOT NULL,
    worked_on     TEXT NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    note          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected')),
    decided_at    TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (researcher_id, project_id, worked_on),
    FOREIGN KEY (programme_id, researcher_id) REFERENCES research_researchers(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX research_time_programme ON research_time(programme_id, worked_on);

CREATE TABLE research_settings (
    programme_id BLOB PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    scheme       TEXT NOT NULL,
    pay_from     TEXT NOT NULL,
    from_day     TEXT NOT NULL DEFAULT ''
) STRICT;
