-- The asset map (issue 19 item 5): a community's micro assets (groups,
-- spaces, services, businesses, skills counted in aggregate) and macro
-- assets (anchor sites, estate, developments). An asset belongs to one
-- community or (community_id null) to the whole programme; it may name an
-- organisation of the programme's one register and, for a space, the
-- anchor interaction that unlocked it. A skill holds a count of people,
-- never names. CED plan actions link the assets they build on.

CREATE TABLE community_assets (
    id              uuid PRIMARY KEY,
    programme_id    uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    community_id    uuid,
    kind            text NOT NULL CHECK (kind IN ('group', 'space', 'service', 'business',
                        'skill', 'anchor_site', 'estate', 'development')),
    name            text NOT NULL,
    description     text NOT NULL DEFAULT '',
    postcode        text,
    lat             double precision,
    lon             double precision,
    organisation_id uuid,
    who_can_use     text NOT NULL DEFAULT '',
    contact_email   text NOT NULL DEFAULT '',
    contact_phone   text NOT NULL DEFAULT '',
    url             text NOT NULL DEFAULT '',
    eligibility     text NOT NULL DEFAULT '',
    schedule        text NOT NULL DEFAULT '',
    people          bigint CHECK (people IS NULL OR people >= 0),
    interaction_id  uuid,
    started_on      date,
    ended_on        date,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK ((kind = 'skill') = (people IS NOT NULL)),
    CHECK (interaction_id IS NULL OR kind = 'space'),
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, community_id) REFERENCES communities(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id),
    FOREIGN KEY (programme_id, interaction_id) REFERENCES anchor_interactions(programme_id, id)
);
CREATE INDEX community_assets_community ON community_assets(programme_id, community_id);

CREATE TABLE ced_action_assets (
    programme_id uuid NOT NULL,
    action_id    uuid NOT NULL,
    asset_id     uuid NOT NULL,
    PRIMARY KEY (action_id, asset_id),
    FOREIGN KEY (programme_id, action_id) REFERENCES ced_actions(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, asset_id) REFERENCES community_assets(programme_id, id) ON DELETE CASCADE
);
