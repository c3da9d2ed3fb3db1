-- A research project's own themes (issue 19 item 3): researchers research
-- subjects of their own community and propose their own topics, so a
-- project may hold themes of its own. Its findings take a theme from the
-- project's list (offered first) or the programme's (`research_themes`).

CREATE TABLE research_project_themes (
    programme_id uuid NOT NULL,
    project_id   uuid NOT NULL,
    position     integer NOT NULL,
    name         text NOT NULL,
    PRIMARY KEY (programme_id, project_id, position),
    UNIQUE (programme_id, project_id, name),
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
);
