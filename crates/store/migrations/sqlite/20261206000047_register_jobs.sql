-- Register files loaded from the web run as background jobs beside spend
-- imports, recorded in the same table so their page outlives a restart.
-- `kind` says which: 'spend' (anchor_name is the anchor, total the lines)
-- or 'register' (anchor_name is the format in words, total the bytes).
-- A column added in place: the table is not rebuilt.
ALTER TABLE import_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'spend';
