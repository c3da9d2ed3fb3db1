-- Invitations to join a programme (issue 16 item 9): adding a member by
-- e-mail no longer tells the administrator whether an account exists.
-- Only the SHA-256 of the link's secret is kept.
CREATE TABLE programme_invitations (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    email        text NOT NULL,
    role         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    hint         text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    accepted_by  uuid REFERENCES users(id) ON DELETE SET NULL,
    revoked_at   timestamptz,
    UNIQUE (programme_id, id)
);

CREATE INDEX programme_invitations_programme ON programme_invitations (programme_id, created_at);
