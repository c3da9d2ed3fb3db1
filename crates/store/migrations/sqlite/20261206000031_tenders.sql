-- Consortia actually formed (issue 18 item 5): members from the register,
-- a lead among them, the lot they bid for, and their bids, each a dated
-- outcome (submitted, won, lost, withdrawn). Proposals from the builder are
-- never stored; money after a win is computed from the spend lines.
CREATE TABLE enterprise_consortia (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    lead_id      BLOB NOT NULL,
    lot_id       BLOB REFERENCES enterprise_lots(id) ON DELETE SET NULL,
    formed_on    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, lead_id) REFERENCES organisations(programme_id, id)
) STRICT;

CREATE TABLE enterprise_consortium_members (
    programme_id    BLOB NOT NULL,
    consortium_id   BLOB NOT NULL,
    organisation_id BLOB NOT NULL,
    PRIMARY KEY (consortium_id, organisation_id),
    FOREIGN KEY (programme_id, consortium_id) REFERENCES enterprise_consortia(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id)
) STRICT;

CREATE TABLE enterprise_bids (
    id            BLOB PRIMARY KEY,
    programme_id  BLOB NOT NULL,
    consortium_id BLOB NOT NULL,
    bid_on        TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('submitted', 'won', 'lost', 'withdrawn')),
    note          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    FOREIGN KEY (programme_id, consortium_id) REFERENCES enterprise_consortia(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX enterprise_bids_consortium ON enterprise_bids(programme_id, consortium_id, bid_on);
