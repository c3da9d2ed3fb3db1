-- Co-learning workshops (world café): the workshop with its tables (host
-- and question each, as JSON of the core type), the notes harvested per
-- table and round, the organiser's actions, guest links (only the SHA-256
-- of the secret is kept) and the lineage of replications. All
-- programme-owned; foreign keys carry the programme so no row can point
-- into another programme.

CREATE TABLE workshops (
    id             uuid PRIMARY KEY,
    programme_id   uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    title          text NOT NULL,
    held_on        date NOT NULL,
    place          text NOT NULL,
    part_of        text,
    case_study     text NOT NULL,
    case_study_url text,
    rounds         bigint NOT NULL CHECK (rounds BETWEEN 1 AND 6),
    tables_json    text NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    UNIQUE (programme_id, title, held_on)
);

CREATE TABLE workshop_guest_links (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    workshop_id  uuid NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    hint         text NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, workshop_id) REFERENCES workshops(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE workshop_notes (
    id            uuid PRIMARY KEY,
    programme_id  uuid NOT NULL,
    workshop_id   uuid NOT NULL,
    table_no      bigint,
    round_no      bigint,
    question      text NOT NULL,
    body          text NOT NULL,
    answer        text CHECK (answer IN ('yes', 'no', 'maybe')),
    city          text,
    grouping      text CHECK (grouping IN ('success_factor', 'obstacle', 'transferability')),
    guest_link_id uuid,
    created_at    timestamptz NOT NULL,
    FOREIGN KEY (programme_id, workshop_id) REFERENCES workshops(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, guest_link_id) REFERENCES workshop_guest_links(programme_id, id)
);
CREATE INDEX workshop_notes_workshop ON workshop_notes(programme_id, workshop_id, created_at);

CREATE TABLE workshop_actions (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    workshop_id  uuid NOT NULL,
    action       text NOT NULL,
    owner        text NOT NULL,
    city         text NOT NULL,
    created_at   timestamptz NOT NULL,
    FOREIGN KEY (programme_id, workshop_id) REFERENCES workshops(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE replications (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name         text NOT NULL,
    city         text NOT NULL,
    modelled_on  uuid,
    started      bigint,
    note         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    UNIQUE (programme_id, name),
    FOREIGN KEY (programme_id, modelled_on) REFERENCES replications(programme_id, id)
);
