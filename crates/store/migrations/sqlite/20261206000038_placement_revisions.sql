-- The home page's savings against agency staff are counted from the posts
-- filled through the programme (a placement's start and leaving days, its
-- vacancy's band): every write to placements and vacancies moves the
-- programme's record counter (`20261206000023_record_revisions.sql`), so
-- the indicators' kept facts never outlive a placement marked as left. Both
-- tables are written with plain INSERT and UPDATE, never an upsert (see
-- `20261206000032_grants.sql`).
CREATE TRIGGER talent_placements_records_insert AFTER INSERT ON talent_placements BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER talent_placements_records_update AFTER UPDATE ON talent_placements BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER talent_placements_records_delete AFTER DELETE ON talent_placements BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;

CREATE TRIGGER talent_vacancies_records_insert AFTER INSERT ON talent_vacancies BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER talent_vacancies_records_update AFTER UPDATE ON talent_vacancies BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (NEW.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = NEW.programme_id;
END;

CREATE TRIGGER talent_vacancies_records_delete AFTER DELETE ON talent_vacancies BEGIN
    INSERT OR IGNORE INTO record_revisions (programme_id, n) VALUES (OLD.programme_id, 0);
    UPDATE record_revisions SET n = n + 1 WHERE programme_id = OLD.programme_id;
END;
