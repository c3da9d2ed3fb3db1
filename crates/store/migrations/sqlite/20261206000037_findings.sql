-- Research findings as records (issue 19 item 3): the programme's theme
-- list and each project's findings (theme, summary, anonymised quotes as
-- JSON, ward codes as JSON, question paths as JSON, respondents). A
-- project's old free-text findings become one finding each, with no theme
-- until someone gives it one; the text column stays as it was.

CREATE TABLE research_themes (
    programme_id BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (programme_id, position),
    UNIQUE (programme_id, name)
) STRICT;

CREATE TABLE research_findings (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    project_id   BLOB NOT NULL,
    theme        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    quotes       TEXT NOT NULL,
    areas        TEXT NOT NULL,
    questions    TEXT NOT NULL,
    respondents  INTEGER CHECK (respondents >= 0),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX research_findings_project ON research_findings(programme_id, project_id);

INSERT INTO research_findings (id, programme_id, project_id, theme, summary, quotes, areas, questions,
    respondents, created_at, updated_at)
SELECT randomblob(16), programme_id, id, '', findings, '[]', '[]', '[]', NULL, updated_at, updated_at
FROM research_projects WHERE trim(findings) <> '';
