-- Research questionnaires and responses (issue 19 item 3), projects'
-- income and the programme's Social Lab (item 4). A questionnaire's
-- questions are kept as JSON (core's `Question`), a response's answers as
-- JSON by question path; `uuid` is the export's `_uuid` (or a new one for
-- the phone form), unique per project so an export imported twice adds
-- nothing. Every row is programme-owned and its foreign keys carry
-- `programme_id`.

CREATE TABLE research_questionnaires (
    programme_id uuid NOT NULL,
    project_id   uuid NOT NULL,
    title        text NOT NULL,
    questions    text NOT NULL,
    source       text NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (programme_id, project_id),
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE research_responses (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    project_id   uuid NOT NULL,
    uuid         text NOT NULL,
    submitted_at timestamptz,
    source       text NOT NULL CHECK (source IN ('form', 'import')),
    answers      text NOT NULL,
    created_at   timestamptz NOT NULL,
    UNIQUE (programme_id, project_id, uuid),
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE research_income (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    project_id   uuid NOT NULL,
    received_on  date NOT NULL,
    amount       bigint NOT NULL CHECK (amount > 0),
    note         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX research_income_programme ON research_income(programme_id, received_on);

CREATE TABLE research_social_lab (
    programme_id    uuid PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL,
    chosen_at       timestamptz NOT NULL,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
);
