-- Place: reference geography (shared by every programme in a deployment:
-- it is public data, not a tenant's) and each programme's area of benefit
-- (programme-owned, versioned).

CREATE TABLE area_schemes (
    code      text PRIMARY KEY,
    name      text NOT NULL,
    country   text NOT NULL,
    level     text NOT NULL,
    loaded_at timestamptz NOT NULL
);

CREATE TABLE areas (
    scheme               text NOT NULL REFERENCES area_schemes(code) ON DELETE CASCADE,
    code                 text NOT NULL,
    name                 text NOT NULL DEFAULT '',
    local_authority_code text,
    local_authority_name text,
    ward_code            text,
    ward_name            text,
    lat                  double precision,
    lon                  double precision,
    population           bigint,
    boundary             text,
    PRIMARY KEY (scheme, code)
);
CREATE INDEX areas_local_authority ON areas(scheme, local_authority_code);
CREATE INDEX areas_ward ON areas(scheme, ward_code);

CREATE TABLE deprivation_indices (
    code         text PRIMARY KEY,
    name         text NOT NULL,
    scheme       text NOT NULL REFERENCES area_schemes(code) ON DELETE CASCADE,
    areas_ranked bigint NOT NULL CHECK (areas_ranked > 0),
    source       text NOT NULL,
    loaded_at    timestamptz NOT NULL
);

CREATE TABLE area_deprivation (
    index_code text NOT NULL REFERENCES deprivation_indices(code) ON DELETE CASCADE,
    area_code  text NOT NULL,
    rank       bigint NOT NULL CHECK (rank >= 1),
    decile     bigint NOT NULL CHECK (decile BETWEEN 1 AND 10),
    score      double precision,
    domains    text NOT NULL DEFAULT '[]',
    PRIMARY KEY (index_code, area_code)
);

-- Postcodes are keyed by their compact upper-case form (B187QH).
CREATE TABLE postcodes (
    postcode             text PRIMARY KEY,
    display              text NOT NULL,
    lat                  double precision,
    lon                  double precision,
    local_authority_code text,
    ward_code            text,
    introduced           text,
    terminated           text
);

CREATE TABLE postcode_areas (
    postcode  text NOT NULL,
    scheme    text NOT NULL,
    area_code text NOT NULL,
    PRIMARY KEY (postcode, scheme)
);
CREATE INDEX postcode_areas_area ON postcode_areas(scheme, area_code);

CREATE TABLE named_areas (
    code        text PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('local_authority', 'ward', 'combined_authority', 'region')),
    name        text NOT NULL,
    parent_code text
);

CREATE TABLE areas_of_benefit (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    version      bigint NOT NULL,
    scheme       text NOT NULL,
    index_code   text NOT NULL,
    definition   text NOT NULL,
    area_count   bigint NOT NULL,
    note         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    created_by   text NOT NULL,
    UNIQUE (programme_id, version),
    UNIQUE (programme_id, id)
);

CREATE TABLE area_of_benefit_areas (
    programme_id uuid NOT NULL,
    aob_id       uuid NOT NULL,
    area_code    text NOT NULL,
    PRIMARY KEY (aob_id, area_code),
    FOREIGN KEY (programme_id, aob_id) REFERENCES areas_of_benefit(programme_id, id) ON DELETE CASCADE
);
