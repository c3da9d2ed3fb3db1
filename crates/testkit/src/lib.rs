//! A fresh database per test: a SQLite file in the temp directory, or a new
//! PostgreSQL database on the server `USEIT_TEST_PG_URL` names. Under CI
//! (`CI` set) a missing PostgreSQL server fails the test instead of skipping.

pub mod place;

use std::sync::Arc;

use sqlx::Connection;
use useit_store::{PgStore, SqliteStore, Store};

#[derive(Clone)]
pub enum Raw {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

#[derive(Clone)]
pub struct TestDb {
    pub url: String,
    pub store: Arc<dyn Store>,
    raw: Raw,
    admin_url: Option<String>,
    name: String,
}

fn unique() -> String {
    format!("useit_test_{}", uuid::Uuid::now_v7().simple())
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let name = unique();
        let path = std::env::temp_dir().join(format!("{name}.db"));
        let url = format!("sqlite://{}", path.display());
        let s = SqliteStore::connect(&url).await.expect("open SQLite");
        TestDb {
            url,
            store: Arc::new(s.clone()),
            raw: Raw::Sqlite(s),
            admin_url: None,
            name,
        }
    }

    /// `None` (the test passes vacuously) only outside CI without a server.
    pub async fn postgres() -> Option<TestDb> {
        let admin = match std::env::var("USEIT_TEST_PG_URL") {
            Ok(u) => u,
            Err(_) if std::env::var_os("CI").is_some() => {
                panic!("USEIT_TEST_PG_URL is not set: CI must test PostgreSQL")
            }
            Err(_) => {
                eprintln!("USEIT_TEST_PG_URL not set: PostgreSQL story not run");
                return None;
            }
        };
        Some(Self::postgres_at(&admin).await)
    }

    async fn postgres_at(admin: &str) -> TestDb {
        let name = unique();
        let mut conn = sqlx::PgConnection::connect(admin)
            .await
            .expect("connect to the test server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        conn.close().await.ok();
        let url = with_database(admin, &name);
        let s = PgStore::connect(&url).await.expect("open PostgreSQL");
        TestDb {
            url,
            store: Arc::new(s.clone()),
            raw: Raw::Postgres(s),
            admin_url: Some(admin.to_string()),
            name,
        }
    }

    /// An empty database of the same kind (not yet migrated, for restores).
    pub async fn sibling(&self) -> TestDb {
        match &self.admin_url {
            None => {
                let name = unique();
                let path = std::env::temp_dir().join(format!("{name}.db"));
                let url = format!("sqlite://{}", path.display());
                let s = SqliteStore::connect(&url).await.unwrap();
                s.pool().close().await;
                std::fs::remove_file(&path).ok();
                std::fs::write(&path, b"").unwrap();
                TestDb {
                    url,
                    store: Arc::new(s.clone()),
                    raw: Raw::Sqlite(s),
                    admin_url: None,
                    name,
                }
            }
            Some(admin) => {
                let name = unique();
                let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                conn.close().await.ok();
                let url = with_database(admin, &name);
                let s = PgStore::connect(&url).await.unwrap();
                s.pool().close().await;
                TestDb {
                    url,
                    store: Arc::new(s.clone()),
                    raw: Raw::Postgres(s),
                    admin_url: Some(admin.clone()),
                    name,
                }
            }
        }
    }

    /// Runs raw SQL past the trait as the database's owner (on PostgreSQL
    /// the role the URL names, not the application's), to prove what the
    /// database itself refuses, or what someone with its keys could do.
    pub async fn execute(&self, sql: &'static str) -> Result<u64, sqlx::Error> {
        match &self.raw {
            Raw::Sqlite(s) => sqlx::query(sql)
                .execute(s.pool())
                .await
                .map(|r| r.rows_affected()),
            Raw::Postgres(_) => {
                let mut owner = sqlx::PgConnection::connect(&self.url).await?;
                let done = sqlx::query(sql).execute(&mut owner).await;
                owner.close().await.ok();
                done.map(|r| r.rows_affected())
            }
        }
    }

    /// Runs raw SQL on one of the application's own pooled connections: on
    /// PostgreSQL, as the application role.
    pub async fn execute_as_app(&self, sql: &'static str) -> Result<u64, sqlx::Error> {
        match &self.raw {
            Raw::Sqlite(s) => sqlx::query(sql)
                .execute(s.pool())
                .await
                .map(|r| r.rows_affected()),
            Raw::Postgres(s) => sqlx::query(sql)
                .execute(s.pool())
                .await
                .map(|r| r.rows_affected()),
        }
    }

    /// Every (table, column) with a foreign key into `table`'s `id`, as the
    /// database's own catalogue says (SQLite: `pragma_foreign_key_list` over
    /// every table; PostgreSQL: `pg_constraint`), sorted.
    pub async fn references_to(&self, table: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = match &self.raw {
            Raw::Sqlite(s) => sqlx::query_as::<_, (String, String)>(
                "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
                 WHERE m.type = 'table' AND f.\"table\" = ?1 AND f.\"to\" = 'id'",
            )
            .bind(table)
            .fetch_all(s.pool())
            .await
            .expect("read SQLite's foreign keys"),
            Raw::Postgres(s) => sqlx::query_as::<_, (String, String)>(
                "SELECT t.relname::text, a.attname::text FROM pg_constraint c \
                 JOIN pg_class t ON t.oid = c.conrelid \
                 JOIN pg_class r ON r.oid = c.confrelid \
                 JOIN pg_namespace n ON n.oid = r.relnamespace AND n.nspname = current_schema() \
                 CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(con, ref) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.con \
                 JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.ref \
                 WHERE c.contype = 'f' AND r.relname = $1 AND ra.attname = 'id'",
            )
            .bind(table)
            .fetch_all(s.pool())
            .await
            .expect("read PostgreSQL's foreign keys"),
        };
        out.sort();
        out.dedup();
        out
    }

    pub async fn finish(self) {
        self.store.close().await;
        match &self.admin_url {
            None => {
                let path = std::env::temp_dir().join(format!("{}.db", self.name));
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Some(admin) => {
                if let Ok(mut conn) = sqlx::PgConnection::connect(admin).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        self.name
                    )))
                    .execute(&mut conn)
                    .await;
                }
            }
        }
    }
}

/// The admin URL with its database name replaced.
fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = match admin.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (admin, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A storage story run on both databases: `sqlite` always, `postgres` when
/// a server is given (and always under CI). The body gets the store.
#[macro_export]
macro_rules! story {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let db = $crate::TestDb::sqlite().await;
                ($body)(db.store.clone()).await;
                db.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = $crate::TestDb::postgres().await else {
                    return;
                };
                ($body)(db.store.clone()).await;
                db.finish().await;
            }
        }
    };
}
