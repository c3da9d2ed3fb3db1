-- The home page's savings against agency staff are counted from the posts
-- filled through the programme (a placement's start and leaving days, its
-- vacancy's band): every write to placements and vacancies moves the
-- programme's record counter (`20261206000023_record_revisions.sql`), so
-- the indicators' kept facts never outlive a placement marked as left.
CREATE TRIGGER talent_placements_records AFTER INSERT OR UPDATE OR DELETE ON talent_placements
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();

CREATE TRIGGER talent_vacancies_records AFTER INSERT OR UPDATE OR DELETE ON talent_vacancies
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();
