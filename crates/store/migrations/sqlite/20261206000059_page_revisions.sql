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
-- The triggers insert a missing counter with a plain INSERT … WHERE NOT
-- EXISTS rather than INSERT OR IGNORE (see
-- `20261206000045_access_revisions.sql`). No foreign key: a programme's
-- deletion cascades through these tables and must not be refused here.

CREATE TRIGGER programme_targets_settings_insert AFTER INSERT ON programme_targets BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = NEW.programme_id AND list = 'settings';
END;

CREATE TRIGGER programme_targets_settings_update AFTER UPDATE ON programme_targets BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE (programme_id = NEW.programme_id OR programme_id = OLD.programme_id)
          AND list = 'settings';
END;

CREATE TRIGGER programme_targets_settings_delete AFTER DELETE ON programme_targets BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT OLD.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = OLD.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = OLD.programme_id AND list = 'settings';
END;

CREATE TRIGGER programme_disclosure_settings_insert AFTER INSERT ON programme_disclosure BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = NEW.programme_id AND list = 'settings';
END;

CREATE TRIGGER programme_disclosure_settings_update AFTER UPDATE ON programme_disclosure BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE (programme_id = NEW.programme_id OR programme_id = OLD.programme_id)
          AND list = 'settings';
END;

CREATE TRIGGER programme_disclosure_settings_delete AFTER DELETE ON programme_disclosure BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT OLD.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = OLD.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = OLD.programme_id AND list = 'settings';
END;

CREATE TRIGGER talent_settings_settings_insert AFTER INSERT ON talent_settings BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = NEW.programme_id AND list = 'settings';
END;

CREATE TRIGGER talent_settings_settings_update AFTER UPDATE ON talent_settings BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE (programme_id = NEW.programme_id OR programme_id = OLD.programme_id)
          AND list = 'settings';
END;

CREATE TRIGGER talent_settings_settings_delete AFTER DELETE ON talent_settings BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT OLD.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = OLD.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = OLD.programme_id AND list = 'settings';
END;

CREATE TRIGGER communities_settings_insert AFTER INSERT ON communities BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = NEW.programme_id AND list = 'settings';
END;

CREATE TRIGGER communities_settings_update AFTER UPDATE ON communities BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE (programme_id = NEW.programme_id OR programme_id = OLD.programme_id)
          AND list = 'settings';
END;

CREATE TRIGGER communities_settings_delete AFTER DELETE ON communities BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT OLD.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = OLD.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = OLD.programme_id AND list = 'settings';
END;

CREATE TRIGGER ced_plans_settings_insert AFTER INSERT ON ced_plans BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = NEW.programme_id AND list = 'settings';
END;

CREATE TRIGGER ced_plans_settings_update AFTER UPDATE ON ced_plans BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE (programme_id = NEW.programme_id OR programme_id = OLD.programme_id)
          AND list = 'settings';
END;

CREATE TRIGGER ced_plans_settings_delete AFTER DELETE ON ced_plans BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT OLD.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = OLD.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = OLD.programme_id AND list = 'settings';
END;

CREATE TRIGGER memberships_settings_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = NEW.programme_id AND list = 'settings';
END;

CREATE TRIGGER memberships_settings_update AFTER UPDATE ON memberships BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE (programme_id = NEW.programme_id OR programme_id = OLD.programme_id)
          AND list = 'settings';
END;

CREATE TRIGGER memberships_settings_delete AFTER DELETE ON memberships BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT OLD.programme_id, 'settings', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = OLD.programme_id AND list = 'settings');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = OLD.programme_id AND list = 'settings';
END;

CREATE TRIGGER spend_files_spend_files_insert AFTER INSERT ON spend_files BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'spend_files', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'spend_files');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = NEW.programme_id AND list = 'spend_files';
END;

CREATE TRIGGER spend_files_spend_files_update AFTER UPDATE ON spend_files BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT NEW.programme_id, 'spend_files', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = NEW.programme_id AND list = 'spend_files');
    UPDATE list_revisions SET n = n + 1
        WHERE (programme_id = NEW.programme_id OR programme_id = OLD.programme_id)
          AND list = 'spend_files';
END;

CREATE TRIGGER spend_files_spend_files_delete AFTER DELETE ON spend_files BEGIN
    INSERT INTO list_revisions (programme_id, list, n) SELECT OLD.programme_id, 'spend_files', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_revisions
                          WHERE programme_id = OLD.programme_id AND list = 'spend_files');
    UPDATE list_revisions SET n = n + 1
        WHERE programme_id = OLD.programme_id AND list = 'spend_files';
END;
