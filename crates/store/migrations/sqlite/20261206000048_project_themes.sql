-- A research project's own themes (issue 19 item 3): researchers research
-- subjects of their own community and propose their own topics, so a
-- project may hold themes of its own. Its findings take a theme from the
-- project's list (offered first) or the programme's (`research_themes`).
-- A new table, so nothing existing is rebuilt.

CREATE TABLE research_project_themes (
    programme_id BLOB NOT NULL,
    project_id   BLOB NOT NULL,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (programme_id, project_id, position),
    UNIQUE (programme_id, project_id, name),
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
) STRICT;
