-- Anchors' workforce by home area (issue 17): one row per anchor, year and
-- cell (small area × staff group × band × contract). Files of one row per
-- employee are reduced to these cells on import: no employee id and no
-- postcode is ever stored. `workforce_files` remembers the file each year
-- came from, so the same file twice changes nothing.

CREATE TABLE workforce_files (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    anchor_id    uuid NOT NULL,
    year         integer NOT NULL,
    file_name    text NOT NULL,
    sha256       text NOT NULL,
    shape        text NOT NULL CHECK (shape IN ('counts', 'employees')),
    rows_read    bigint NOT NULL,
    imported_at  timestamptz NOT NULL,
    imported_by  text NOT NULL,
    UNIQUE (programme_id, anchor_id, year),
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE workforce_cells (
    programme_id   uuid NOT NULL,
    file_id        uuid NOT NULL,
    anchor_id      uuid NOT NULL,
    year           integer NOT NULL,
    area_code      text,
    staff_group    text NOT NULL,
    band           text NOT NULL,
    contract       text NOT NULL,
    headcount      bigint NOT NULL CHECK (headcount >= 0),
    fte_hundredths bigint NOT NULL,
    pay_pence      bigint NOT NULL,
    starters       bigint NOT NULL CHECK (starters >= 0),
    FOREIGN KEY (programme_id, file_id) REFERENCES workforce_files(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX workforce_cells_anchor_year ON workforce_cells(programme_id, anchor_id, year);
