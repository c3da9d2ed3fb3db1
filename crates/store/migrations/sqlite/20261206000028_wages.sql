-- The home page counts the organisations each anchor works with and the
-- local partners among them from the anchors' interactions (issue 20 item
-- 1), kept while the programme's record counter stands: every write to the
-- interactions moves it too, in the same transaction.
CREATE TRIGGER anchor_interactions_records_insert AFTER INSERT ON anchor_interactions BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER anchor_interactions_records_update AFTER UPDATE ON anchor_interactions BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER anchor_interactions_records_delete AFTER DELETE ON anchor_interactions BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;
