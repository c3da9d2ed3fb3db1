-- Training completions carry the day each module was completed (issue 19
-- item 1). The modules a researcher had are kept, one row each in the
-- order they were typed, with the day not known (NULL); the old list
-- column goes.

CREATE TABLE research_training (
    programme_id  BLOB NOT NULL,
    researcher_id BLOB NOT NULL,
    position      INTEGER NOT NULL,
    module        TEXT NOT NULL,
    completed_on  TEXT,
    PRIMARY KEY (programme_id, researcher_id, position),
    FOREIGN KEY (programme_id, researcher_id) REFERENCES research_researchers(programme_id, id) ON DELETE CASCADE
) STRICT;

INSERT INTO research_training (programme_id, researcher_id, position, module, completed_on)
WITH RECURSIVE split(programme_id, researcher_id, position, module, rest) AS (
    SELECT programme_id, id, 0, '', training || char(10)
    FROM research_researchers WHERE training <> ''
    UNION ALL
    SELECT programme_id, researcher_id, position + 1,
           trim(substr(rest, 1, instr(rest, char(10)) - 1)),
           substr(rest, instr(rest, char(10)) + 1)
    FROM split WHERE rest <> ''
)
SELECT programme_id, researcher_id, position, module, NULL FROM split
WHERE position > 0 AND module <> '';

ALTER TABLE research_researchers DROP COLUMN training;
