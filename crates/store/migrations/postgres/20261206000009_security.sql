-- Security (issue 16).

-- Each sign-in attempt is counted before its password is checked (so
-- concurrent guesses cannot all slip under the limit), and taken back by
-- its id when it succeeds.
ALTER TABLE sign_in_failures ADD COLUMN attempt uuid;
CREATE INDEX sign_in_failures_attempt ON sign_in_failures(attempt);

-- The audit log needs nothing more here: PostgreSQL has no REPLACE, and
-- `INSERT … ON CONFLICT DO UPDATE` fires the update trigger that refuses
-- any change (SQLite's REPLACE is closed in its own migration).
