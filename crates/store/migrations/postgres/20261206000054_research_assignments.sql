-- Researchers assigned to research projects (issue 19 item 3): the
-- coordinator assigns a researcher to a project from a day, and ends the
-- assignment on a day; hours on a project are accepted only on a day one of
-- the researcher's assignments to it covers. Hours already entered keep
-- fitting: each researcher with hours on a project is assigned to it from
-- the first day entered, open-ended.

CREATE TABLE research_assignments (
    id            uuid PRIMARY KEY,
    programme_id  uuid NOT NULL,
    project_id    uuid NOT NULL,
    researcher_id uuid NOT NULL,
    starts_on     date NOT NULL,
    ends_on       date CHECK (ends_on IS NULL OR ends_on >= starts_on),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, researcher_id) REFERENCES research_researchers(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX research_assignments_project ON research_assignments(programme_id, project_id, researcher_id);
CREATE INDEX research_assignments_researcher ON research_assignments(programme_id, researcher_id);

INSERT INTO research_assignments (id, programme_id, project_id, researcher_id, starts_on, ends_on, created_at, updated_at)
SELECT gen_random_uuid(), programme_id, project_id, researcher_id, MIN(worked_on), NULL, now(), now()
FROM research_time
GROUP BY programme_id, project_id, researcher_id;
