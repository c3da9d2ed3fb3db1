-- What the programme's busiest pages read besides their kept figures
-- (issue 16 item 11): two more lists on the counters of
-- `20261206000051_list_revisions.sql`, moved by triggers on every write,
-- whichever process makes it, in the transaction of the write.
--
-- `settings`: the few rows the home page read on every request — the
-- targets, the disclosure threshold, the talent costing, the communities
-- and their plans, and the members (counted on the page). With the counter
-- the page keeps its figures while it stands and reads one row per request.
--
-- `spend_files`: the spend files the dashboard lists, so the list is kept
-- with the dashboard's figures rather than read on each request.
--
-- The triggers use `bump_list_revision` of `20261206000051_list_revisions.sql`.
-- No foreign key: a programme's deletion cascades through these tables and
-- must not be refused here.

CREATE TRIGGER programme_targets_settings AFTER INSERT OR UPDATE OR DELETE ON programme_targets
    FOR EACH ROW EXECUTE FUNCTION bump_list_revision('settings');

CREATE TRIGGER programme_disclosure_settings AFTER INSERT OR UPDATE OR DELETE ON programme_disclosure
    FOR EACH ROW EXECUTE FUNCTION bump_list_revision('settings');

CREATE TRIGGER talent_settings_settings AFTER INSERT OR UPDATE OR DELETE ON talent_settings
    FOR EACH ROW EXECUTE FUNCTION bump_list_revision('settings');

CREATE TRIGGER communities_settings AFTER INSERT OR UPDATE OR DELETE ON communities
    FOR EACH ROW EXECUTE FUNCTION bump_list_revision('settings');

CREATE TRIGGER ced_plans_settings AFTER INSERT OR UPDATE OR DELETE ON ced_plans
    FOR EACH ROW EXECUTE FUNCTION bump_list_revision('settings');

CREATE TRIGGER memberships_settings AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION bump_list_revision('settings');

CREATE TRIGGER spend_files_spend_files AFTER INSERT OR UPDATE OR DELETE ON spend_files
    FOR EACH ROW EXECUTE FUNCTION bump_list_revision('spend_files');
