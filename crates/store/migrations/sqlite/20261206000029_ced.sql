-- Communities and their Community Economic Development (CED) plans (issue
-- 19 item 6). A community's area is versioned exactly as the programme's
-- area of benefit is (the same selection JSON, written by the same store
-- function); its members are accounts of the programme; its plan has
-- aspirations and priorities (one a line), a status and actions, each
-- naming organisations of the programme's register. All programme-owned;
-- foreign keys carry the programme so no row can point into another.

CREATE TABLE communities (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (programme_id, id),
    UNIQUE (programme_id, name_key)
) STRICT;

CREATE TABLE community_areas (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    community_id BLOB NOT NULL,
    version      INTEGER NOT NULL,
    scheme       TEXT NOT NULL,
    index_code   TEXT NOT NULL,
    definition   TEXT NOT NULL,
    area_count   INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    UNIQUE (community_id, version),
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, community_id) REFERENCES communities(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE community_area_codes (
    programme_id BLOB NOT NULL,
    area_id      BLOB NOT NULL,
    area_code    TEXT NOT NULL,
    PRIMARY KEY (area_id, area_code),
    FOREIGN KEY (programme_id, area_id) REFERENCES community_areas(programme_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE community_members (
    programme_id BLOB NOT NULL,
    community_id BLOB NOT NULL,
    user_id      BLOB NOT NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (community_id, user_id),
    FOREIGN KEY (programme_id, community_id) REFERENCES communities(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, user_id) REFERENCES memberships(programme_id, user_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX community_members_user ON community_members(programme_id, user_id);

CREATE TABLE ced_plans (
    programme_id BLOB NOT NULL,
    community_id BLOB PRIMARY KEY,
    aspirations  TEXT NOT NULL,
    priorities   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('drafting', 'adopted', 'in_delivery')),
    adopted_on   TEXT,
    updated_at   TEXT NOT NULL,
    CHECK ((status = 'drafting') = (adopted_on IS NULL)),
    FOREIGN KEY (programme_id, community_id) REFERENCES communities(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE ced_actions (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    community_id BLOB NOT NULL,
    title        TEXT NOT NULL,
    owner        TEXT NOT NULL,
    partner_id   BLOB,
    due_on       TEXT,
    status       TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'dropped')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, community_id) REFERENCES communities(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, partner_id) REFERENCES organisations(programme_id, id)
) STRICT;
CREATE INDEX ced_actions_community ON ced_actions(programme_id, community_id, created_at);

CREATE TABLE ced_action_enterprises (
    programme_id    BLOB NOT NULL,
    action_id       BLOB NOT NULL,
    organisation_id BLOB NOT NULL,
    PRIMARY KEY (action_id, organisation_id),
    FOREIGN KEY (programme_id, action_id) REFERENCES ced_actions(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id)
) STRICT, WITHOUT ROWID;
