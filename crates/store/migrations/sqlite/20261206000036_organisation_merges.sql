-- Organisations entered twice (issue 18 item 1): a merge moves everything
-- that pointed at one organisation to the other and removes it; this table
-- remembers it (the same merge asked again is answered "already merged",
-- and a later merge of the kept one carries the record along). A pair
-- someone said is not a duplicate is no longer proposed; the pair is kept
-- with the smaller id first and goes with either organisation.
CREATE TABLE organisation_merges (
    programme_id  BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    merged_id     BLOB NOT NULL,
    merged_org_id TEXT NOT NULL,
    merged_name   TEXT NOT NULL,
    kept_id       BLOB NOT NULL,
    merged_at     TEXT NOT NULL,
    merged_by     TEXT NOT NULL,
    PRIMARY KEY (programme_id, merged_id)
) STRICT;
CREATE INDEX organisation_merges_kept ON organisation_merges(programme_id, kept_id);

CREATE TABLE organisation_not_duplicates (
    programme_id BLOB NOT NULL,
    first_id     BLOB NOT NULL,
    second_id    BLOB NOT NULL,
    decided_at   TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    PRIMARY KEY (programme_id, first_id, second_id),
    CHECK (first_id < second_id),
    FOREIGN KEY (programme_id, first_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, second_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
) STRICT;

-- Issue 15 item 4 for the enterprise directory: its filters can be saved
-- too. SQLite cannot change a CHECK, so the table is rebuilt as it was
-- with 'enterprises' among the lists.
CREATE TABLE saved_filters_new (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    owner_id     BLOB NOT NULL,
    list         TEXT NOT NULL CHECK (list IN ('people', 'spend_lines', 'suppliers', 'enterprises')),
    name         TEXT NOT NULL,
    query        TEXT NOT NULL,
    shared       INTEGER NOT NULL CHECK (shared IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (programme_id, owner_id, list, name),
    FOREIGN KEY (programme_id, owner_id) REFERENCES memberships(programme_id, user_id) ON DELETE CASCADE
) STRICT;
INSERT INTO saved_filters_new SELECT id, programme_id, owner_id, list, name, query, shared, created_at, updated_at FROM saved_filters;
DROP TABLE saved_filters;
ALTER TABLE saved_filters_new RENAME TO saved_filters;
CREATE INDEX saved_filters_list ON saved_filters(programme_id, list);
