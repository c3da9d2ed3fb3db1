-- Issue 16 items 8 and 9.
--
-- The client's network address, as the server trusted it (behind a
-- configured proxy, the address the proxy saw), on each audit entry written
-- from the web or the API. Entries written before have none, and the hash
-- chain seals an entry without an address exactly as it did before.
ALTER TABLE audit_events ADD COLUMN client_address TEXT;
