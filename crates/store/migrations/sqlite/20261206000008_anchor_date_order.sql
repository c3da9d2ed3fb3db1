-- The order of day and month an anchor's files showed (issue 14): a file
-- whose dates are all ambiguous (every day 12 or under) follows it.
ALTER TABLE anchors ADD COLUMN date_order TEXT;
