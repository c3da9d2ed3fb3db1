-- Communities and their Community Economic Development (CED) plans (issue
-- 19 item 6). A community's area is versioned exactly as the programme's
-- area of benefit is (the same selection JSON, written by the same store
-- function); its members are accounts of the programme; its plan has
-- aspirations and priorities (one a line), a status and actions, each
-- naming organisations of the programme's register. All programme-owned;
-- foreign keys carry the programme so no row can point into another.

CREATE TABLE communities (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name         text NOT NULL,
    name_key     text NOT NULL,
    description  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    UNIQUE (programme_id, name_key)
);

CREATE TABLE community_areas (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    community_id uuid NOT NULL,
    version      bigint NOT NULL,
    scheme       text NOT NULL,
    index_code   text NOT NULL,
    definition   text NOT NULL,
    area_count   bigint NOT NULL,
    note         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    created_by   text NOT NULL,
    UNIQUE (community_id, version),
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, community_id) REFERENCES communities(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE community_area_codes (
    programme_id uuid NOT NULL,
    area_id      uuid NOT NULL,
    area_code    text NOT NULL,
    PRIMARY KEY (area_id, area_code),
    FOREIGN KEY (programme_id, area_id) REFERENCES community_areas(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE community_members (
    programme_id uuid NOT NULL,
    community_id uuid NOT NULL,
    user_id      uuid NOT NULL,
    added_at     timestamptz NOT NULL,
    PRIMARY KEY (community_id, user_id),
    FOREIGN KEY (programme_id, community_id) REFERENCES communities(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, user_id) REFERENCES memberships(programme_id, user_id) ON DELETE CASCADE
);
CREATE INDEX community_members_user ON community_members(programme_id, user_id);

CREATE TABLE ced_plans (
    programme_id uuid NOT NULL,
    community_id uuid PRIMARY KEY,
    aspirations  text NOT NULL,
    priorities   text NOT NULL,
    status       text NOT NULL CHECK (status IN ('drafting', 'adopted', 'in_delivery')),
    adopted_on   date,
    updated_at   timestamptz NOT NULL,
    CHECK ((status = 'drafting') = (adopted_on IS NULL)),
    FOREIGN KEY (programme_id, community_id) REFERENCES communities(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE ced_actions (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    community_id uuid NOT NULL,
    title        text NOT NULL,
    owner        text NOT NULL,
    partner_id   uuid,
    due_on       date,
    status       text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'dropped')),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, community_id) REFERENCES communities(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, partner_id) REFERENCES organisations(programme_id, id)
);
CREATE INDEX ced_actions_community ON ced_actions(programme_id, community_id, created_at);

CREATE TABLE ced_action_enterprises (
    programme_id    uuid NOT NULL,
    action_id       uuid NOT NULL,
    organisation_id uuid NOT NULL,
    PRIMARY KEY (action_id, organisation_id),
    FOREIGN KEY (programme_id, action_id) REFERENCES ced_actions(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id)
);
