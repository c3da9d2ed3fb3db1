-- Tamper evidence for the audit log (issue 16.8). Entries are sealed in
-- order into a hash chain: each seal's hash covers its entry and the hash
-- before it, so changing, removing or reordering a sealed entry (even by
-- someone who can drop the triggers) breaks every hash after it, which
-- `useit audit verify` reports. Sealing happens after the entry's own
-- transaction, so no audited write waits on the chain.
CREATE TABLE audit_seals (
    seq       INTEGER PRIMARY KEY,
    event_id  BLOB NOT NULL UNIQUE,
    hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_seals_no_replace BEFORE INSERT ON audit_seals
WHEN EXISTS (SELECT 1 FROM audit_seals WHERE seq = NEW.seq OR event_id = NEW.event_id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
