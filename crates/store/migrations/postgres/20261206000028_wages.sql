-- The home page counts the organisations each anchor works with and the
-- local partners among them from the anchors' interactions (issue 20 item
-- 1), kept while the programme's record counter stands: every write to the
-- interactions moves it too, in the same transaction.
CREATE TRIGGER anchor_interactions_records AFTER INSERT OR UPDATE OR DELETE ON anchor_interactions
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();
