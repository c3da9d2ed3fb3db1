-- What an audit entry says, as a catalogue key and its arguments (JSON),
-- said in the reader's words when the log is read (issue 15). Entries
-- written before keep NULL and are read from their summary; the column is
-- sealed into the hash chain only where it is set, so chains sealed
-- before still verify.
ALTER TABLE audit_events ADD COLUMN message TEXT;
