-- Foundation: programmes (tenants), accounts, sessions, API tokens,
-- sign-in throttling, the audit log and partners.
--
-- Identifiers are UUID v7 stored as 16-byte BLOBs; timestamps are RFC 3339
-- UTC text to the second (so text order is time order); dates are
-- YYYY-MM-DD text; booleans are 0/1.
--
-- Every programme-owned table carries programme_id, and references between
-- programme-owned rows include it, so the database itself refuses a row of
-- one programme pointing at a row of another.

CREATE TABLE programmes (
    id          BLOB PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id                  BLOB PRIMARY KEY,
    email               TEXT NOT NULL,
    email_key           TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    is_admin            INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    last_sign_in_at     TEXT
) STRICT;

CREATE TABLE memberships (
    programme_id BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    user_id      BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('administrator', 'programme_manager',
                     'anchor_analyst', 'employment_caseworker', 'enterprise_adviser',
                     'research_coordinator', 'community_researcher', 'community_member',
                     'funder_viewer')),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (programme_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships(user_id);

-- Server-side sessions. The cookie carries the session id; only its SHA-256
-- is stored, so a copy of the database cannot be used to hijack sessions.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    BLOB REFERENCES users(id) ON DELETE CASCADE,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE api_tokens (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    user_id      BLOB NOT NULL,
    role         TEXT NOT NULL,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    hint         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT,
    FOREIGN KEY (programme_id, user_id) REFERENCES memberships(programme_id, user_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sign_in_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_key_at ON sign_in_failures(key, at);

-- Append-only: no foreign keys, so entries outlive the users and records
-- they name, and triggers refuse any change or deletion.
CREATE TABLE audit_events (
    id            BLOB PRIMARY KEY,
    at            TEXT NOT NULL,
    programme_id  BLOB,
    actor_user_id BLOB,
    actor_label   TEXT NOT NULL,
    channel       TEXT NOT NULL,
    action        TEXT NOT NULL,
    subject_type  TEXT NOT NULL,
    subject_id    TEXT,
    summary       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_events_programme_at ON audit_events(programme_id, at);
CREATE INDEX audit_events_subject ON audit_events(subject_type, subject_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE partners (
    id            BLOB PRIMARY KEY,
    programme_id  BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('anchor_institution', 'local_authority',
                      'university', 'vcse', 'social_enterprise', 'funder',
                      'private_sector', 'other')),
    org_id        TEXT,
    website       TEXT,
    postcode      TEXT,
    description   TEXT NOT NULL DEFAULT '',
    joined_on     TEXT NOT NULL,
    left_on       TEXT,
    contact_name  TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    merged_into   BLOB,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, merged_into) REFERENCES partners(programme_id, id),
    CHECK (left_on IS NULL OR left_on >= joined_on)
) STRICT;
CREATE INDEX partners_programme_name ON partners(programme_id, name_key);
CREATE UNIQUE INDEX partners_programme_org_id ON partners(programme_id, org_id)
    WHERE org_id IS NOT NULL AND merged_into IS NULL;
