-- Consortia actually formed (issue 18 item 5): members from the register,
-- a lead among them, the lot they bid for, and their bids, each a dated
-- outcome (submitted, won, lost, withdrawn). Proposals from the builder are
-- never stored; money after a win is computed from the spend lines.
CREATE TABLE enterprise_consortia (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    lead_id      uuid NOT NULL,
    lot_id       uuid REFERENCES enterprise_lots(id) ON DELETE SET NULL,
    formed_on    date NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, lead_id) REFERENCES organisations(programme_id, id)
);

CREATE TABLE enterprise_consortium_members (
    programme_id    uuid NOT NULL,
    consortium_id   uuid NOT NULL,
    organisation_id uuid NOT NULL,
    PRIMARY KEY (consortium_id, organisation_id),
    FOREIGN KEY (programme_id, consortium_id) REFERENCES enterprise_consortia(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id)
);

CREATE TABLE enterprise_bids (
    id            uuid PRIMARY KEY,
    programme_id  uuid NOT NULL,
    consortium_id uuid NOT NULL,
    bid_on        date NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('submitted', 'won', 'lost', 'withdrawn')),
    note          TEXT NOT NULL,
    created_at    timestamptz NOT NULL,
    FOREIGN KEY (programme_id, consortium_id) REFERENCES enterprise_consortia(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX enterprise_bids_consortium ON enterprise_bids(programme_id, consortium_id, bid_on);
