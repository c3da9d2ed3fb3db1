//! PostgreSQL: the application works as a role that owns nothing and may
//! only add to and read the audit log (issue 16.8). These stories need a
//! server (`USEIT_TEST_PG_URL`); SQLite has no roles.

use sqlx::Connection;
use useit_core::audit::{Actor, AuditAction, AuditEntry};
use useit_store::audit::AuditStore;
use useit_store::{APP_ROLE, PgStore};
use useit_testkit::TestDb;

#[tokio::test]
async fn the_application_cannot_disable_the_audit_triggers_nor_rewrite_entries() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let store = PgStore::connect(&db.url).await.unwrap();
    assert_eq!(store.app_role(), Some(APP_ROLE));
    let whoami: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(
        whoami, APP_ROLE,
        "every pooled connection works as the role"
    );
    // It still writes and reads the log, as the application must.
    let e = AuditEntry::new(
        &Actor::system("test"),
        None,
        AuditAction::Erase,
        "talent_person",
        Some("p1".into()),
        "erased",
    );
    store.audit_append(&e).await.unwrap();
    store.audit_seal(0, &[(1, e.id, "h".into())]).await.unwrap();

    for sql in [
        "ALTER TABLE audit_events DISABLE TRIGGER USER",
        "ALTER TABLE audit_events DISABLE TRIGGER ALL",
        "ALTER TABLE audit_seals DISABLE TRIGGER USER",
        "DROP TRIGGER audit_events_no_change ON audit_events",
        "ALTER TABLE audit_events OWNER TO useit_app",
        "UPDATE audit_events SET action = 'read'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "UPDATE audit_seals SET hash = 'x'",
        "DELETE FROM audit_seals",
        "DELETE FROM _sqlx_migrations",
        "SET session_replication_role = replica",
    ] {
        let refused = db.execute_as_app(sql).await.unwrap_err().to_string();
        // Refused for want of privilege, before any trigger is reached.
        assert!(
            refused.contains("permission denied") || refused.contains("must be owner"),
            "{sql}: {refused}"
        );
    }
    // The owner (the role the URL names) is unchanged: it still could,
    // which the hash chain is for.
    assert!(
        db.execute("ALTER TABLE audit_events DISABLE TRIGGER USER")
            .await
            .is_ok()
    );
    store.pool().close().await;
    db.finish().await;
}

/// A role that may not create roles (nor join one) still runs the
/// application, as the owner, after a warning.
#[tokio::test]
async fn without_the_right_to_create_roles_it_works_as_before() {
    let Some(admin_db) = TestDb::postgres().await else {
        return;
    };
    let admin_url = std::env::var("USEIT_TEST_PG_URL").unwrap();
    let suffix = uuid::Uuid::now_v7().simple().to_string();
    let (login, database) = (format!("plain_{suffix}"), format!("plain_db_{suffix}"));
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    for sql in [
        format!("CREATE ROLE {login} LOGIN NOCREATEROLE"),
        format!("CREATE DATABASE {database} OWNER {login}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .unwrap();
    }
    // The same server, the new login and its database.
    let (scheme, rest) = admin_url.split_once("://").unwrap();
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    let host = host.split('/').next().unwrap();
    let url = format!("{scheme}://{login}@{host}/{database}");

    let store = PgStore::connect(&url).await.unwrap();
    assert_eq!(store.app_role(), None);
    let e = AuditEntry::new(
        &Actor::system("test"),
        None,
        AuditAction::Read,
        "user",
        None,
        "",
    );
    store.audit_append(&e).await.unwrap();
    store.pool().close().await;

    for sql in [
        format!("DROP DATABASE {database}"),
        format!("DROP ROLE {login}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .unwrap();
    }
    admin.close().await.ok();
    admin_db.finish().await;
}
