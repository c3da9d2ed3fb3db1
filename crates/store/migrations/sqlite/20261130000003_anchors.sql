-- Anchors: institutions, their sites, spend files and lines, suppliers and
-- the organisation register they resolve to, and each programme's spend
-- settings (influenceable rules, city region, LM3 inputs). All programme-owned.

CREATE TABLE anchors (
    id                   BLOB PRIMARY KEY,
    programme_id         BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    slug                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('nhs_trust', 'council', 'university',
                             'housing_association', 'other')),
    official_code        TEXT,
    local_authority_code TEXT,
    column_mapping       TEXT NOT NULL DEFAULT '[]',
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (programme_id, slug),
    UNIQUE (programme_id, id)
) STRICT;

CREATE TABLE anchor_sites (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    anchor_id    BLOB NOT NULL,
    name         TEXT NOT NULL,
    postcode     TEXT NOT NULL,
    UNIQUE (programme_id, anchor_id, name),
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE organisations (
    id               BLOB PRIMARY KEY,
    programme_id     BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    org_id           TEXT NOT NULL,
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    kind             TEXT NOT NULL,
    company_number   TEXT,
    postcode         TEXT,
    trading_postcode TEXT,
    source           TEXT NOT NULL,
    UNIQUE (programme_id, org_id),
    UNIQUE (programme_id, id)
) STRICT;
CREATE INDEX organisations_key ON organisations(programme_id, name_key);

-- One row per distinct supplier name key: the remembered decision.
CREATE TABLE suppliers (
    programme_id    BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    name            TEXT NOT NULL,
    company_number  TEXT,
    organisation_id BLOB,
    status          TEXT NOT NULL CHECK (status IN ('unresolved', 'review', 'matched', 'accepted', 'no_match')),
    score           INTEGER,
    reason          TEXT,
    decided_by      TEXT,
    decided_at      TEXT,
    PRIMARY KEY (programme_id, key),
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE supplier_candidates (
    programme_id    BLOB NOT NULL,
    supplier_key    TEXT NOT NULL,
    organisation_id BLOB NOT NULL,
    score           INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    PRIMARY KEY (programme_id, supplier_key, organisation_id),
    FOREIGN KEY (programme_id, supplier_key) REFERENCES suppliers(programme_id, key) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE spend_files (
    id            BLOB PRIMARY KEY,
    programme_id  BLOB NOT NULL,
    anchor_id     BLOB NOT NULL,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    encoding      TEXT NOT NULL,
    lines_read    INTEGER NOT NULL,
    lines_new     INTEGER NOT NULL,
    total_pence   INTEGER NOT NULL,
    first_paid_on TEXT,
    last_paid_on  TEXT,
    skipped       TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE spend_lines (
    id             INTEGER PRIMARY KEY,
    programme_id   BLOB NOT NULL,
    anchor_id      BLOB NOT NULL,
    file_id        BLOB NOT NULL,
    line_no        INTEGER NOT NULL,
    paid_on        TEXT NOT NULL,
    supplier_key   TEXT NOT NULL,
    supplier_name  TEXT NOT NULL,
    company_number TEXT,
    supplier_ref   TEXT,
    amount_pence   INTEGER NOT NULL,
    expense_type   TEXT NOT NULL,
    expense_area   TEXT NOT NULL,
    reference      TEXT NOT NULL,
    redacted       INTEGER NOT NULL CHECK (redacted IN (0, 1)),
    fingerprint    TEXT NOT NULL,
    UNIQUE (programme_id, anchor_id, fingerprint),
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, file_id) REFERENCES spend_files(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX spend_lines_anchor_date ON spend_lines(programme_id, anchor_id, paid_on);
CREATE INDEX spend_lines_supplier ON spend_lines(programme_id, supplier_key);

CREATE TABLE spend_settings (
    programme_id    BLOB PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    rules           TEXT NOT NULL,
    city_region     TEXT NOT NULL,
    site_radius_m   INTEGER NOT NULL CHECK (site_radius_m > 0),
    lm3             TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
