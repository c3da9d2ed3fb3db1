-- Tamper evidence for the audit log (issue 16.8). Entries are sealed in
-- order into a hash chain: each seal's hash covers its entry and the hash
-- before it, so changing, removing or reordering a sealed entry (even by
-- someone who can disable the triggers) breaks every hash after it, which
-- `useit audit verify` reports. Sealing happens after the entry's own
-- transaction, so no audited write waits on the chain.
CREATE TABLE audit_seals (
    seq       BIGINT PRIMARY KEY,
    event_id  UUID NOT NULL UNIQUE,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_seals_no_change BEFORE UPDATE OR DELETE ON audit_seals
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
