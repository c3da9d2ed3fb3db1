-- A programme's targets: a number to reach for a counted indicator, over a
-- period (either end may be open). The indicators themselves are computed
-- from the other contexts' records and never stored. A programme starts with
-- no targets; the talent strand's targets move here, keeping what was saved.

CREATE TABLE programme_targets (
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    indicator    text NOT NULL,
    target       bigint NOT NULL CHECK (target > 0),
    period_from  date,
    period_to    date,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (programme_id, indicator)
);

INSERT INTO programme_targets (programme_id, indicator, target, updated_at)
    SELECT programme_id, 'talent_engaged', target_engaged, now()
    FROM talent_settings WHERE target_engaged > 0;
INSERT INTO programme_targets (programme_id, indicator, target, updated_at)
    SELECT programme_id, 'talent_into_work', target_into_work, now()
    FROM talent_settings WHERE target_into_work > 0;

ALTER TABLE talent_settings DROP COLUMN target_engaged;
ALTER TABLE talent_settings DROP COLUMN target_into_work;
