-- Training completions carry the day each module was completed (issue 19
-- item 1). The modules a researcher had are kept, one row each in the
-- order they were typed, with the day not known (NULL); the old list
-- column goes.

CREATE TABLE research_training (
    programme_id  uuid NOT NULL,
    researcher_id uuid NOT NULL,
    position      bigint NOT NULL,
    module        text NOT NULL,
    completed_on  date,
    PRIMARY KEY (programme_id, researcher_id, position),
    FOREIGN KEY (programme_id, researcher_id) REFERENCES research_researchers(programme_id, id) ON DELETE CASCADE
);

INSERT INTO research_training (programme_id, researcher_id, position, module, completed_on)
SELECT r.programme_id, r.id, t.position, trim(t.module), NULL
FROM research_researchers r,
     unnest(string_to_array(r.training, E'\n')) WITH ORDINALITY AS t(module, position)
WHERE trim(t.module) <> '';

ALTER TABLE research_researchers DROP COLUMN training;
