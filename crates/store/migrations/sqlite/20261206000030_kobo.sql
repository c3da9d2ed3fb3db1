-- Research questionnaires and responses (issue 19 item 3), projects'
-- income and the programme's Social Lab (item 4). A questionnaire's
-- questions are kept as JSON (core's `Question`), a response's answers as
-- JSON by question path; `uuid` is the export's `_uuid` (or a new one for
-- the phone form), unique per project so an export imported twice adds
-- nothing. Every row is programme-owned and its foreign keys carry
-- `programme_id`.

CREATE TABLE research_questionnaires (
    programme_id BLOB NOT NULL,
    project_id   BLOB NOT NULL,
    title        TEXT NOT NULL,
    questions    TEXT NOT NULL,
    source       TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (programme_id, project_id),
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE research_responses (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    project_id   BLOB NOT NULL,
    uuid         TEXT NOT NULL,
    submitted_at TEXT,
    source       TEXT NOT NULL CHECK (source IN ('form', 'import')),
    answers      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (programme_id, project_id, uuid),
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE research_income (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    project_id   BLOB NOT NULL,
    received_on  TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX research_income_programme ON research_income(programme_id, received_on);

CREATE TABLE research_social_lab (
    programme_id    BLOB PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    organisation_id BLOB NOT NULL,
    chosen_at       TEXT NOT NULL,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
) STRICT;
