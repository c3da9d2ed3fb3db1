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
    programme_id uuid PRIMARY KEY,
    n BIGINT NOT NULL
);

CREATE FUNCTION bump_record_revision() RETURNS trigger AS $$
BEGIN
    INSERT INTO record_revisions (programme_id, n)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.programme_id ELSE NEW.programme_id END, 1)
    ON CONFLICT (programme_id) DO UPDATE SET n = record_revisions.n + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER talent_people_records AFTER INSERT OR UPDATE OR DELETE ON talent_people
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();

CREATE TRIGGER research_researchers_records AFTER INSERT OR UPDATE OR DELETE ON research_researchers
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();

CREATE TRIGGER research_time_records AFTER INSERT OR UPDATE OR DELETE ON research_time
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();

CREATE TRIGGER enterprise_profiles_records AFTER INSERT OR UPDATE OR DELETE ON enterprise_profiles
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();

CREATE TRIGGER enterprise_support_records AFTER INSERT OR UPDATE OR DELETE ON enterprise_support
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();

CREATE TRIGGER enterprise_income_records AFTER INSERT OR UPDATE OR DELETE ON enterprise_income
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();

CREATE TRIGGER workforce_files_records AFTER INSERT OR UPDATE OR DELETE ON workforce_files
    FOR EACH ROW EXECUTE FUNCTION bump_record_revision();
