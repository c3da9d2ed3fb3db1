-- Issue 15 item 4: a list's filters, search and sort saved under a name by
-- a member of the programme, private to them unless shared. A filter is the
-- list's query string; it goes with its owner's membership.
CREATE TABLE saved_filters (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    owner_id     BLOB NOT NULL,
    list         TEXT NOT NULL CHECK (list IN ('people', 'spend_lines', 'suppliers')),
    name         TEXT NOT NULL,
    query        TEXT NOT NULL,
    shared       INTEGER NOT NULL CHECK (shared IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (programme_id, owner_id, list, name),
    FOREIGN KEY (programme_id, owner_id) REFERENCES memberships(programme_id, user_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX saved_filters_list ON saved_filters(programme_id, list);
