-- Foundation: programmes (tenants), accounts, sessions, API tokens,
-- sign-in throttling, the audit log and partners.
--
-- Every programme-owned table carries programme_id, and references between
-- programme-owned rows include it, so the database itself refuses a row of
-- one programme pointing at a row of another. (This is also the shape a
-- Citus deployment distributed by programme_id needs.)

CREATE TABLE programmes (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL UNIQUE,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL
);

CREATE TABLE users (
    id                  uuid PRIMARY KEY,
    email               text NOT NULL,
    email_key           text NOT NULL UNIQUE,
    display_name        text NOT NULL,
    password_hash       text NOT NULL,
    is_admin            boolean NOT NULL DEFAULT false,
    disabled            boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL,
    password_changed_at timestamptz NOT NULL,
    last_sign_in_at     timestamptz
);

CREATE TABLE memberships (
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role         text NOT NULL CHECK (role IN ('administrator', 'programme_manager',
                     'anchor_analyst', 'employment_caseworker', 'enterprise_adviser',
                     'research_coordinator', 'community_researcher', 'community_member',
                     'funder_viewer')),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (programme_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

-- Server-side sessions. The cookie carries the session id; only its SHA-256
-- is stored, so a copy of the database cannot be used to hijack sessions.
CREATE TABLE sessions (
    id_hash    text PRIMARY KEY,
    user_id    uuid REFERENCES users(id) ON DELETE CASCADE,
    data       text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    user_id      uuid NOT NULL,
    role         text NOT NULL,
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    hint         text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    FOREIGN KEY (programme_id, user_id) REFERENCES memberships(programme_id, user_id) ON DELETE CASCADE
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sign_in_failures (
    key text NOT NULL,
    at  timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_key_at ON sign_in_failures(key, at);

-- Append-only: no foreign keys, so entries outlive the users and records
-- they name, and a trigger refuses any change or deletion.
CREATE TABLE audit_events (
    id            uuid PRIMARY KEY,
    at            timestamptz NOT NULL,
    programme_id  uuid,
    actor_user_id uuid,
    actor_label   text NOT NULL,
    channel       text NOT NULL,
    action        text NOT NULL,
    subject_type  text NOT NULL,
    subject_id    text,
    summary       text NOT NULL
);
CREATE INDEX audit_events_programme_at ON audit_events(programme_id, at);
CREATE INDEX audit_events_subject ON audit_events(subject_type, subject_id);
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE partners (
    id            uuid PRIMARY KEY,
    programme_id  uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name          text NOT NULL,
    name_key      text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('anchor_institution', 'local_authority',
                      'university', 'vcse', 'social_enterprise', 'funder',
                      'private_sector', 'other')),
    org_id        text,
    website       text,
    postcode      text,
    description   text NOT NULL DEFAULT '',
    joined_on     date NOT NULL,
    left_on       date,
    contact_name  text,
    contact_email text,
    contact_phone text,
    merged_into   uuid,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, merged_into) REFERENCES partners(programme_id, id),
    CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX partners_programme_name ON partners(programme_id, name_key);
CREATE UNIQUE INDEX partners_programme_org_id ON partners(programme_id, org_id)
    WHERE org_id IS NOT NULL AND merged_into IS NULL;
