-- Invitations to join a programme (issue 16 item 9): adding a member by
-- e-mail no longer tells the administrator whether an account exists.
-- Only the SHA-256 of the link's secret is kept.
CREATE TABLE programme_invitations (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    hint         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT,
    accepted_by  BLOB REFERENCES users(id) ON DELETE SET NULL,
    revoked_at   TEXT,
    UNIQUE (programme_id, id)
) STRICT;

CREATE INDEX programme_invitations_programme ON programme_invitations (programme_id, created_at);
