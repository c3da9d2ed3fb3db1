-- Organisations entered twice (issue 18 item 1): a merge moves everything
-- that pointed at one organisation to the other and removes it; this table
-- remembers it (the same merge asked again is answered "already merged",
-- and a later merge of the kept one carries the record along). A pair
-- someone said is not a duplicate is no longer proposed; the pair is kept
-- with the smaller id first and goes with either organisation.
CREATE TABLE organisation_merges (
    programme_id  uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    merged_id     uuid NOT NULL,
    merged_org_id text NOT NULL,
    merged_name   text NOT NULL,
    kept_id       uuid NOT NULL,
    merged_at     timestamptz NOT NULL,
    merged_by     text NOT NULL,
    PRIMARY KEY (programme_id, merged_id)
);
CREATE INDEX organisation_merges_kept ON organisation_merges(programme_id, kept_id);

CREATE TABLE organisation_not_duplicates (
    programme_id uuid NOT NULL,
    first_id     uuid NOT NULL,
    second_id    uuid NOT NULL,
    decided_at   timestamptz NOT NULL,
    decided_by   text NOT NULL,
    PRIMARY KEY (programme_id, first_id, second_id),
    CHECK (first_id < second_id),
    FOREIGN KEY (programme_id, first_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, second_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
);

-- Issue 15 item 4 for the enterprise directory: its filters can be saved too.
ALTER TABLE saved_filters DROP CONSTRAINT saved_filters_list_check;
ALTER TABLE saved_filters ADD CONSTRAINT saved_filters_list_check
    CHECK (list IN ('people', 'spend_lines', 'suppliers', 'enterprises'));
