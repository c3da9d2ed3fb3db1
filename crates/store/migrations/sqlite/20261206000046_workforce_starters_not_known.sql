-- A counts file without a `starters` column does not say who started in the
-- year: its cells keep NULL ("not known"), never 0 (issue 17). SQLite cannot
-- drop a NOT NULL in place, so the table is rebuilt; no trigger, view or
-- foreign key points at it. Cells already stored keep their 0: which of them
-- came from a file without the column cannot be told afterwards.

CREATE TABLE workforce_cells_new (
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
    starters       INTEGER CHECK (starters >= 0),
    FOREIGN KEY (programme_id, file_id) REFERENCES workforce_files(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, anchor_id) REFERENCES anchors(programme_id, id) ON DELETE CASCADE
) STRICT;
INSERT INTO workforce_cells_new SELECT programme_id, file_id, anchor_id, year, area_code, staff_group,
    band, contract, headcount, fte_hundredths, pay_pence, starters FROM workforce_cells;
DROP TABLE workforce_cells;
ALTER TABLE workforce_cells_new RENAME TO workforce_cells;
CREATE INDEX workforce_cells_anchor_year ON workforce_cells(programme_id, anchor_id, year);
