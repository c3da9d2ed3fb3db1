-- A large spend file is written in short batches, each its own transaction,
-- so other users never wait long for SQLite's one write lock (issue 16).
-- While its lines go in the file is staging: `staging_at` says when the
-- import last wrote a batch, and no query reads a staging file or its
-- lines. One short transaction publishes it (`staging_at` back to NULL).
-- Undoing a file hides it the same way, then removes its lines in batches.
-- A staging file nobody has written to for minutes was cut off (a crash, a
-- restart): its lines are removed at start-up and before the next import.
ALTER TABLE spend_files ADD COLUMN staging_at timestamptz;

-- A file's lines found by their file, not by reading every line: removing
-- them in batches, and the cascade when a file's record goes.
CREATE INDEX spend_lines_file ON spend_lines(programme_id, file_id);
