-- Research findings as records (issue 19 item 3): the programme's theme
-- list and each project's findings (theme, summary, anonymised quotes as
-- JSON, ward codes as JSON, question paths as JSON, respondents). A
-- project's old free-text findings become one finding each, with no theme
-- until someone gives it one; the text column stays as it was.

CREATE TABLE research_themes (
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    position     integer NOT NULL,
    name         text NOT NULL,
    PRIMARY KEY (programme_id, position),
    UNIQUE (programme_id, name)
);

CREATE TABLE research_findings (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    project_id   uuid NOT NULL,
    theme        text NOT NULL,
    summary      text NOT NULL,
    quotes       text NOT NULL,
    areas        text NOT NULL,
    questions    text NOT NULL,
    respondents  bigint CHECK (respondents >= 0),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX research_findings_project ON research_findings(programme_id, project_id);

INSERT INTO research_findings (id, programme_id, project_id, theme, summary, quotes, areas, questions,
    respondents, created_at, updated_at)
SELECT gen_random_uuid(), programme_id, id, '', findings, '[]', '[]', '[]', NULL, updated_at, updated_at
FROM research_projects WHERE btrim(findings) <> '';
