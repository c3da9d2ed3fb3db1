-- A counts file without a `starters` column does not say who started in the
-- year: its cells keep NULL ("not known"), never 0 (issue 17). Cells already
-- stored keep their 0: which of them came from a file without the column
-- cannot be told afterwards.

ALTER TABLE workforce_cells ALTER COLUMN starters DROP NOT NULL;
