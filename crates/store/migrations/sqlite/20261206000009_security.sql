-- Security (issue 16).

-- Each sign-in attempt is counted before its password is checked (so
-- concurrent guesses cannot all slip under the limit), and taken back by
-- its id when it succeeds.
ALTER TABLE sign_in_failures ADD COLUMN attempt BLOB;
CREATE INDEX sign_in_failures_attempt ON sign_in_failures(attempt);

-- `INSERT OR REPLACE` (and `REPLACE`) deletes the row it replaces without
-- firing the delete trigger, which would let an entry be rewritten: an
-- insert over an existing id is refused before any conflict is resolved.
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
