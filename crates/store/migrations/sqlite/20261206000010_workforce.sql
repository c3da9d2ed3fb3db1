-- Anchors' workforce by home area (issue 17): one row per anchor, year and
-- cell (small area × staff group × band × contract). Files of one row per
-- employee are reduced to these cells on import: no employee id and no
-- postcode is ever stored. `workforce_files` remembers the file each year
-- came from, so the same file twice changes nothing.

CREATE TABLE workforce_files (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    anchor_id    BLOB NOT NULL,
    year         INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    shape        TEXT NOT NULL CHECK (shape IN ('counts', 'employees')),
    rows_read    INTEGER NOT NULL,
    imported_at  TEXT NOT NULL,
    imported_by  TEXT NOT NULL,
    UNIQUE (programme_id, anchor_id, year),
    UNIQUE (programme_id, id),
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE workforce_cells (
    programme_id   BLOB NOT NULL,
    file_id        BLOB NOT NULL,
    anchor_id      BLOB NOT NULL,
    year           INTEGER NOT NULL,
    area_code      TEXT,
    staff_group    TEXT NOT NULL,
    band           TEXT NOT NULL,
    contract       TEXT NOT NULL,
    headcount      INTEGER NOT NULL CHECK (headcount >= 0),
    fte_hundredths INTEGER NOT NULL,
    pay_pence      INTEGER NOT NULL,
    starters       INTEGER NOT NULL CHECK (starters >= 0),
    FOREIGN KEY (programme_id, file_id) REFERENCES workforce_files(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX workforce_cells_anchor_year ON workforce_cells(programme_id, anchor_id, year);
