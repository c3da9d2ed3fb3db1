-- Issue 17: the programme's disclosure threshold, the anchors' interactions
-- with organisations (the seed's "0 → 30") and their practice changes.

-- Small-number disclosure: counts from 1 to k − 1 are hidden from roles
-- without personal-data rights. No row means the default (5).
CREATE TABLE programme_disclosure (
    programme_id BLOB PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    k            INTEGER NOT NULL CHECK (k BETWEEN 3 AND 20),
    updated_at   TEXT NOT NULL
) STRICT;

-- Which organisation of the register (the one spend resolves suppliers to)
-- an anchor works with, and how. One row per anchor, organisation, kind and
-- start date: a file imported twice changes nothing.
CREATE TABLE anchor_interactions (
    id              BLOB PRIMARY KEY,
    programme_id    BLOB NOT NULL,
    anchor_id       BLOB NOT NULL,
    organisation_id BLOB NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('referral', 'volunteering', 'supply',
                        'co_delivery', 'community_use', 'research', 'employment_pathway')),
    started_on      TEXT NOT NULL,
    ended_on        TEXT,
    evidence        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (programme_id, anchor_id, organisation_id, kind, started_on),
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX anchor_interactions_anchor ON anchor_interactions(programme_id, anchor_id, started_on);

-- What an anchor changed and when, and the interaction that prompted it.
CREATE TABLE anchor_practice_changes (
    id             BLOB PRIMARY KEY,
    programme_id   BLOB NOT NULL,
    anchor_id      BLOB NOT NULL,
    changed_on     TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('employer_rule', 'procurement', 'space_opened', 'other')),
    summary        TEXT NOT NULL,
    interaction_id BLOB,
    barrier        TEXT,
    created_at     TEXT NOT NULL,
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, interaction_id) REFERENCES anchor_interactions(programme_id, id)
) STRICT;
CREATE INDEX anchor_practice_changes_anchor ON anchor_practice_changes(programme_id, anchor_id, changed_on);
