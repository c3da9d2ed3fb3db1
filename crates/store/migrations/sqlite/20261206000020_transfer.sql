-- The transfer kit (issue 20 item 4): the model a programme was started
-- from, kept as the file read (rules, settings and shapes only, never
-- personal data or the first city's codes), so the new programme can say
-- what it was modelled on and its anchors can take the column mappings
-- the first city's files needed.
CREATE TABLE programme_models (
    programme_id BLOB PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    modelled_on  TEXT NOT NULL,
    model        TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
