-- Who may do what, kept in memory by the server (issue 16 item 11): a
-- counter per account, moved by every write to the account, its
-- memberships and its sessions (a password change, a disable, a role
-- change, a membership added or removed, a session saved or ended), and
-- one for everyone (the nil id) moved by every write to the programmes.
-- The server keeps a signed-in session, its account and its role in each
-- programme while both counters stand, so an authenticated request reads
-- two counters instead of its session and account, and a change made by
-- any process shows on the very next request. The triggers insert a
-- missing counter with a plain INSERT … WHERE NOT EXISTS (no conflict
-- clause: memberships are written with an upsert, and inside a trigger
-- fired by an upsert's DO UPDATE SQLite would apply the outer conflict rule
-- to an INSERT OR IGNORE, see `20261206000032_grants.sql`).
CREATE TABLE access_revisions (
    subject BLOB PRIMARY KEY,
    n       INTEGER NOT NULL
) STRICT;

INSERT INTO access_revisions (subject, n) VALUES (X'00000000000000000000000000000000', 0);
-- Every account has its counter from here on (the triggers below add one
-- for each new account), so the delete triggers always find it.
INSERT INTO access_revisions (subject, n) SELECT id, 0 FROM users;

CREATE TRIGGER users_access_insert AFTER INSERT ON users BEGIN
    INSERT INTO access_revisions (subject, n) SELECT NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM access_revisions WHERE subject = NEW.id);
    UPDATE access_revisions SET n = n + 1 WHERE subject = NEW.id;
END;

CREATE TRIGGER users_access_update AFTER UPDATE ON users BEGIN
    INSERT INTO access_revisions (subject, n) SELECT NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM access_revisions WHERE subject = NEW.id);
    UPDATE access_revisions SET n = n + 1 WHERE subject = NEW.id OR subject = OLD.id;
END;

CREATE TRIGGER users_access_delete AFTER DELETE ON users BEGIN
    UPDATE access_revisions SET n = n + 1 WHERE subject = OLD.id;
END;

CREATE TRIGGER memberships_access_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO access_revisions (subject, n) SELECT NEW.user_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM access_revisions WHERE subject = NEW.user_id);
    UPDATE access_revisions SET n = n + 1 WHERE subject = NEW.user_id;
END;

CREATE TRIGGER memberships_access_update AFTER UPDATE ON memberships BEGIN
    INSERT INTO access_revisions (subject, n) SELECT NEW.user_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM access_revisions WHERE subject = NEW.user_id);
    UPDATE access_revisions SET n = n + 1 WHERE subject = NEW.user_id OR subject = OLD.user_id;
END;

CREATE TRIGGER memberships_access_delete AFTER DELETE ON memberships BEGIN
    UPDATE access_revisions SET n = n + 1 WHERE subject = OLD.user_id;
END;

CREATE TRIGGER sessions_access_insert AFTER INSERT ON sessions WHEN NEW.user_id IS NOT NULL BEGIN
    INSERT INTO access_revisions (subject, n) SELECT NEW.user_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM access_revisions WHERE subject = NEW.user_id);
    UPDATE access_revisions SET n = n + 1 WHERE subject = NEW.user_id;
END;

CREATE TRIGGER sessions_access_update AFTER UPDATE ON sessions BEGIN
    INSERT INTO access_revisions (subject, n) SELECT NEW.user_id, 0
        WHERE NEW.user_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM access_revisions WHERE subject = NEW.user_id);
    UPDATE access_revisions SET n = n + 1 WHERE subject = NEW.user_id OR subject = OLD.user_id;
END;

CREATE TRIGGER sessions_access_delete AFTER DELETE ON sessions WHEN OLD.user_id IS NOT NULL BEGIN
    UPDATE access_revisions SET n = n + 1 WHERE subject = OLD.user_id;
END;

CREATE TRIGGER programmes_access_insert AFTER INSERT ON programmes BEGIN
    UPDATE access_revisions SET n = n + 1 WHERE subject = X'00000000000000000000000000000000';
END;

CREATE TRIGGER programmes_access_update AFTER UPDATE ON programmes BEGIN
    UPDATE access_revisions SET n = n + 1 WHERE subject = X'00000000000000000000000000000000';
END;

CREATE TRIGGER programmes_access_delete AFTER DELETE ON programmes BEGIN
    UPDATE access_revisions SET n = n + 1 WHERE subject = X'00000000000000000000000000000000';
END;
