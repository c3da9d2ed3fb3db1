-- Background spend imports, so a job's page outlives a restart: a row is
-- written when the job starts and completed when it ends. A row still
-- 'running' that no process holds was cut off by a restart, and its
-- import (one transaction) was rolled back.
CREATE TABLE import_jobs (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    anchor_name  text NOT NULL,
    file_name    text NOT NULL,
    total        bigint NOT NULL,
    state        text NOT NULL,
    summary      text NOT NULL,
    problems     text NOT NULL,
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz
);
CREATE INDEX import_jobs_programme ON import_jobs (programme_id);
