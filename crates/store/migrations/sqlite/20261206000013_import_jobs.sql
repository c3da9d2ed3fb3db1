-- Background spend imports, so a job's page outlives a restart: a row is
-- written when the job starts and completed when it ends. A row still
-- 'running' that no process holds was cut off by a restart, and its
-- import (one transaction) was rolled back.
CREATE TABLE import_jobs (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    anchor_name  TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    total        INTEGER NOT NULL,
    state        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    problems     TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    ended_at     TEXT
);
CREATE INDEX import_jobs_programme ON import_jobs (programme_id);
