-- Anchors: institutions, their sites, spend files and lines, suppliers and
-- the organisation register they resolve to, and each programme's spend
-- settings (influenceable rules, city region, LM3 inputs). All programme-owned.

CREATE TABLE anchors (
    id                   uuid PRIMARY KEY,
    programme_id         uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    slug                 text NOT NULL,
    name                 text NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('nhs_trust', 'council', 'university',
                             'housing_association', 'other')),
    official_code        text,
    local_authority_code text,
    column_mapping       text NOT NULL DEFAULT '[]',
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    UNIQUE (programme_id, slug),
    UNIQUE (programme_id, id)
);

CREATE TABLE anchor_sites (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    anchor_id    uuid NOT NULL,
    name         text NOT NULL,
    postcode     text NOT NULL,
    UNIQUE (programme_id, anchor_id, name),
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE organisations (
    id               uuid PRIMARY KEY,
    programme_id     uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    org_id           text NOT NULL,
    name             text NOT NULL,
    name_key         text NOT NULL,
    kind             text NOT NULL,
    company_number   text,
    postcode         text,
    trading_postcode text,
    source           text NOT NULL,
    UNIQUE (programme_id, org_id),
    UNIQUE (programme_id, id)
);
CREATE INDEX organisations_key ON organisations(programme_id, name_key);

-- One row per distinct supplier name key: the remembered decision.
CREATE TABLE suppliers (
    programme_id    uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    key             text NOT NULL,
    name            text NOT NULL,
    company_number  text,
    organisation_id uuid,
    status          text NOT NULL CHECK (status IN ('unresolved', 'review', 'matched', 'accepted', 'no_match')),
    score           bigint,
    reason          text,
    decided_by      text,
    decided_at      timestamptz,
    PRIMARY KEY (programme_id, key),
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id)
);

CREATE TABLE supplier_candidates (
    programme_id    uuid NOT NULL,
    supplier_key    text NOT NULL,
    organisation_id uuid NOT NULL,
    score           bigint NOT NULL,
    reason          text NOT NULL,
    PRIMARY KEY (programme_id, supplier_key, organisation_id),
    FOREIGN KEY (programme_id, supplier_key) REFERENCES suppliers(programme_id, key) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE spend_files (
    id            uuid PRIMARY KEY,
    programme_id  uuid NOT NULL,
    anchor_id     uuid NOT NULL,
    file_name     text NOT NULL,
    sha256        text NOT NULL,
    encoding      text NOT NULL,
    lines_read    bigint NOT NULL,
    lines_new     bigint NOT NULL,
    total_pence   bigint NOT NULL,
    first_paid_on date,
    last_paid_on  date,
    skipped       text NOT NULL,
    imported_at   timestamptz NOT NULL,
    imported_by   text NOT NULL,
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE spend_lines (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id   uuid NOT NULL,
    anchor_id      uuid NOT NULL,
    file_id        uuid NOT NULL,
    line_no        bigint NOT NULL,
    paid_on        date NOT NULL,
    supplier_key   text NOT NULL,
    supplier_name  text NOT NULL,
    company_number text,
    supplier_ref   text,
    amount_pence   bigint NOT NULL,
    expense_type   text NOT NULL,
    expense_area   text NOT NULL,
    reference      text NOT NULL,
    redacted       boolean NOT NULL,
    fingerprint    text NOT NULL,
    UNIQUE (programme_id, anchor_id, fingerprint),
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, file_id) REFERENCES spend_files(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX spend_lines_anchor_date ON spend_lines(programme_id, anchor_id, paid_on);
CREATE INDEX spend_lines_supplier ON spend_lines(programme_id, supplier_key);

CREATE TABLE spend_settings (
    programme_id    uuid PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    rules           text NOT NULL,
    city_region     text NOT NULL,
    site_radius_m   bigint NOT NULL CHECK (site_radius_m > 0),
    lm3             text NOT NULL,
    updated_at      timestamptz NOT NULL
);
