-- A counter per programme (scope = the programme's id) bumped by every
-- change the spend figures depend on, and one for the reference geography
-- (scope = 'reference'): caches of computed figures hold while it stands.
CREATE TABLE revisions (
    scope TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);
