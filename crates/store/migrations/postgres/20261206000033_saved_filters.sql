-- Issue 15 item 4: a list's filters, search and sort saved under a name by
-- a member of the programme, private to them unless shared. A filter is the
-- list's query string; it goes with its owner's membership.
CREATE TABLE saved_filters (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    owner_id     uuid NOT NULL,
    list         text NOT NULL CHECK (list IN ('people', 'spend_lines', 'suppliers')),
    name         text NOT NULL,
    query        text NOT NULL,
    shared       boolean NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (programme_id, owner_id, list, name),
    FOREIGN KEY (programme_id, owner_id) REFERENCES memberships(programme_id, user_id) ON DELETE CASCADE
);
CREATE INDEX saved_filters_list ON saved_filters(programme_id, list);
