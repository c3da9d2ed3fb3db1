-- Co-learning workshops (world café): the workshop with its tables (host
-- and question each, as JSON of the core type), the notes harvested per
-- table and round, the organiser's actions, guest links (only the SHA-256
-- of the secret is kept) and the lineage of replications. All
-- programme-owned; foreign keys carry the programme so no row can point
-- into another programme.

CREATE TABLE workshops (
    id             BLOB PRIMARY KEY,
    programme_id   BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    held_on        TEXT NOT NULL,
    place          TEXT NOT NULL,
    part_of        TEXT,
    case_study     TEXT NOT NULL,
    case_study_url TEXT,
    rounds         INTEGER NOT NULL CHECK (rounds BETWEEN 1 AND 6),
    tables_json    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (programme_id, id),
    UNIQUE (programme_id, title, held_on)
) STRICT;

CREATE TABLE workshop_guest_links (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    workshop_id  BLOB NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    hint         TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, workshop_id) REFERENCES workshops(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE workshop_notes (
    id            BLOB PRIMARY KEY,
    programme_id  BLOB NOT NULL,
    workshop_id   BLOB NOT NULL,
    table_no      INTEGER,
    round_no      INTEGER,
    question      TEXT NOT NULL,
    body          TEXT NOT NULL,
    answer        TEXT CHECK (answer IN ('yes', 'no', 'maybe')),
    city          TEXT,
    grouping      TEXT CHECK (grouping IN ('success_factor', 'obstacle', 'transferability')),
    guest_link_id BLOB,
    created_at    TEXT NOT NULL,
    FOREIGN KEY (programme_id, workshop_id) REFERENCES workshops(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, guest_link_id) REFERENCES workshop_guest_links(programme_id, id)
) STRICT;
CREATE INDEX workshop_notes_workshop ON workshop_notes(programme_id, workshop_id, created_at);

CREATE TABLE workshop_actions (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    workshop_id  BLOB NOT NULL,
    action       TEXT NOT NULL,
    owner        TEXT NOT NULL,
    city         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    FOREIGN KEY (programme_id, workshop_id) REFERENCES workshops(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE replications (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    city         TEXT NOT NULL,
    modelled_on  BLOB,
    started      INTEGER,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    UNIQUE (programme_id, id),
    UNIQUE (programme_id, name),
    FOREIGN KEY (programme_id, modelled_on) REFERENCES replications(programme_id, id)
) STRICT;
