-- Who may do what, kept in memory by the server (issue 16 item 11): a
-- counter per account, moved by every write to the account, its
-- memberships and its sessions (a password change, a disable, a role
-- change, a membership added or removed, a session saved or ended), and
-- one for everyone (the nil id) moved by every write to the programmes.
-- The server keeps a signed-in session, its account and its role in each
-- programme while both counters stand, so an authenticated request reads
-- two counters instead of its session and account, and a change made by
-- any process shows on the very next request.
CREATE TABLE access_revisions (
    subject UUID PRIMARY KEY,
    n       BIGINT NOT NULL
);

INSERT INTO access_revisions (subject, n) VALUES ('00000000-0000-0000-0000-000000000000', 0);
-- Every account has its counter from here on (the triggers below add one
-- for each new account), so the delete triggers always find it.
INSERT INTO access_revisions (subject, n) SELECT id, 0 FROM users;

CREATE FUNCTION bump_access(who UUID) RETURNS void AS $$
BEGIN
    IF who IS NOT NULL THEN
        INSERT INTO access_revisions (subject, n) VALUES (who, 1)
        ON CONFLICT (subject) DO UPDATE SET n = access_revisions.n + 1;
    END IF;
END;
$$ LANGUAGE plpgsql;

-- Memberships and sessions: the account in `user_id` (before and after).
CREATE FUNCTION bump_access_of_user_id() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_access(NEW.user_id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM bump_access(OLD.user_id);
    ELSE
        PERFORM bump_access(NEW.user_id);
        IF OLD.user_id IS DISTINCT FROM NEW.user_id THEN
            PERFORM bump_access(OLD.user_id);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Accounts: the account itself.
CREATE FUNCTION bump_access_of_id() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM bump_access(OLD.id);
    ELSE
        PERFORM bump_access(NEW.id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Programmes: everyone's (a name, a language, a programme made or removed).
CREATE FUNCTION bump_access_of_everyone() RETURNS trigger AS $$
BEGIN
    PERFORM bump_access('00000000-0000-0000-0000-000000000000');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_access AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION bump_access_of_id();

CREATE TRIGGER memberships_access AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION bump_access_of_user_id();

CREATE TRIGGER sessions_access AFTER INSERT OR UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION bump_access_of_user_id();

CREATE TRIGGER programmes_access AFTER INSERT OR UPDATE OR DELETE ON programmes
    FOR EACH ROW EXECUTE FUNCTION bump_access_of_everyone();
