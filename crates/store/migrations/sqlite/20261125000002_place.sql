-- Place: reference geography (shared by every programme in a deployment:
-- it is public data, not a tenant's) and each programme's area of benefit
-- (programme-owned, versioned).

CREATE TABLE area_schemes (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    country   TEXT NOT NULL,
    level     TEXT NOT NULL,
    loaded_at TEXT NOT NULL
) STRICT;

CREATE TABLE areas (
    scheme               TEXT NOT NULL REFERENCES area_schemes(code) ON DELETE CASCADE,
    code                 TEXT NOT NULL,
    name                 TEXT NOT NULL DEFAULT '',
    local_authority_code TEXT,
    local_authority_name TEXT,
    ward_code            TEXT,
    ward_name            TEXT,
    lat                  REAL,
    lon                  REAL,
    population           INTEGER,
    boundary             TEXT,
    PRIMARY KEY (scheme, code)
) STRICT, WITHOUT ROWID;
CREATE INDEX areas_local_authority ON areas(scheme, local_authority_code);
CREATE INDEX areas_ward ON areas(scheme, ward_code);

CREATE TABLE deprivation_indices (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    scheme       TEXT NOT NULL REFERENCES area_schemes(code) ON DELETE CASCADE,
    areas_ranked INTEGER NOT NULL CHECK (areas_ranked > 0),
    source       TEXT NOT NULL,
    loaded_at    TEXT NOT NULL
) STRICT;

CREATE TABLE area_deprivation (
    index_code TEXT NOT NULL REFERENCES deprivation_indices(code) ON DELETE CASCADE,
    area_code  TEXT NOT NULL,
    rank       INTEGER NOT NULL CHECK (rank >= 1),
    decile     INTEGER NOT NULL CHECK (decile BETWEEN 1 AND 10),
    score      REAL,
    domains    TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (index_code, area_code)
) STRICT, WITHOUT ROWID;

-- Postcodes are keyed by their compact upper-case form (B187QH).
CREATE TABLE postcodes (
    postcode             TEXT PRIMARY KEY,
    display              TEXT NOT NULL,
    lat                  REAL,
    lon                  REAL,
    local_authority_code TEXT,
    ward_code            TEXT,
    introduced           TEXT,
    terminated           TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE postcode_areas (
    postcode  TEXT NOT NULL,
    scheme    TEXT NOT NULL,
    area_code TEXT NOT NULL,
    PRIMARY KEY (postcode, scheme)
) STRICT, WITHOUT ROWID;
CREATE INDEX postcode_areas_area ON postcode_areas(scheme, area_code);

CREATE TABLE named_areas (
    code        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('local_authority', 'ward', 'combined_authority', 'region')),
    name        TEXT NOT NULL,
    parent_code TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE areas_of_benefit (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    scheme       TEXT NOT NULL,
    index_code   TEXT NOT NULL,
    definition   TEXT NOT NULL,
    area_count   INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    UNIQUE (programme_id, version),
    UNIQUE (programme_id, id)
) STRICT;

CREATE TABLE area_of_benefit_areas (
    programme_id BLOB NOT NULL,
    aob_id       BLOB NOT NULL,
    area_code    TEXT NOT NULL,
    PRIMARY KEY (aob_id, area_code),
    FOREIGN KEY (programme_id, aob_id) REFERENCES areas_of_benefit(programme_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
