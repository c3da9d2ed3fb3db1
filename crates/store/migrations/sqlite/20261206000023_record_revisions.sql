-- A counter per programme for the records the home page's indicators are
-- counted from (people on the talent pathway, researchers and their paid
-- time, enterprises' profiles, support and income, workforce files). The
-- application keeps the indicators' facts while the counter stands, so the
-- home page does not re-read every strand on each request.
--
-- Triggers bump it, not the store's write paths: every write to these
-- tables, by any path written now or later (imports, erasure, merges),
-- moves it in the same transaction, and nothing can forget to. Spend has
-- its own counter (`revisions`), so a talent edit does not make the
-- placed spend ledger be read again. No foreign key: a programme's
-- deletion cascades through these tables and must not be refused here.
CREATE TABLE record_revisions (
    programme_id BLOB PRIMARY KEY,
    n BIGINT NOT NULL
);

CREATE TRIGGER talent_people_records_insert AFTER INSERT ON talent_people BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER talent_people_records_update AFTER UPDATE ON talent_people BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER talent_people_records_delete AFTER DELETE ON talent_people BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;

CREATE TRIGGER research_researchers_records_insert AFTER INSERT ON research_researchers BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER research_researchers_records_update AFTER UPDATE ON research_researchers BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER research_researchers_records_delete AFTER DELETE ON research_researchers BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;

CREATE TRIGGER research_time_records_insert AFTER INSERT ON research_time BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER research_time_records_update AFTER UPDATE ON research_time BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER research_time_records_delete AFTER DELETE ON research_time BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;

CREATE TRIGGER enterprise_profiles_records_insert AFTER INSERT ON enterprise_profiles BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER enterprise_profiles_records_update AFTER UPDATE ON enterprise_profiles BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER enterprise_profiles_records_delete AFTER DELETE ON enterprise_profiles BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;

CREATE TRIGGER enterprise_support_records_insert AFTER INSERT ON enterprise_support BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER enterprise_support_records_update AFTER UPDATE ON enterprise_support BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER enterprise_support_records_delete AFTER DELETE ON enterprise_support BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;

CREATE TRIGGER enterprise_income_records_insert AFTER INSERT ON enterprise_income BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER enterprise_income_records_update AFTER UPDATE ON enterprise_income BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER enterprise_income_records_delete AFTER DELETE ON enterprise_income BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;

CREATE TRIGGER workforce_files_records_insert AFTER INSERT ON workforce_files BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER workforce_files_records_update AFTER UPDATE ON workforce_files BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER workforce_files_records_delete AFTER DELETE ON workforce_files BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;
