//! The PostgreSQL backend, chosen when the database URL says `postgres://`.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::{Backend, Maintenance, Result, StoreError, redact_url};

pub(crate) type Db = sqlx::Postgres;
pub(crate) type ThisStore = PgStore;
pub(crate) const BEGIN_WRITE: &str = "BEGIN";
/// Serialises writers that decide on a count per key (the sign-in
/// throttle): a transaction-scoped advisory lock on the key's hash, since
/// under READ COMMITTED two transactions would both count the same rows.
pub(crate) const LOCK_KEY: Option<&str> = Some("SELECT pg_advisory_xact_lock(hashtext($1))");
/// How long each transaction of a file's import takes, about: PostgreSQL's
/// writers do not block each other, so the batches can be long.
pub(crate) const STAGE_TAKES: std::time::Duration = std::time::Duration::from_secs(5);
/// The most spend lines a transaction while a file imports.
pub(crate) const STAGE_MOST: usize = 200_000;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Debug)]
pub struct PgStore {
    pub(crate) pool: PgPool,
    /// Writes go here: the same pool (PostgreSQL's writers do not queue on
    /// one lock as SQLite's do).
    pub(crate) writer: PgPool,
    url: String,
    /// The role the pool works as, when it could be set up.
    app_role: Option<&'static str>,
}

/// The role the application works as on PostgreSQL (issue 16.8). It owns
/// nothing: it may read and write the application's tables but only
/// INSERT into and SELECT from the audit log and its seals, so the
/// application cannot UPDATE or DELETE an entry, TRUNCATE the log, or
/// (not being the owner) disable or drop its triggers. The role
/// `DATABASE_URL` names stays the owner: it runs the migrations, backups
/// and restores.
///
/// The role is the cluster's, shared by every database in it whose owner
/// set it up; deployments that share a cluster but must not reach each
/// other's data should also keep `CONNECT` on each database to its own
/// owner.
pub const APP_ROLE: &str = "useit_app";

impl PgStore {
    /// Connects, runs the migrations as the role the URL names, then sets
    /// up [`APP_ROLE`] and works as it on every pooled connection. Where
    /// the role cannot be created or joined (the URL's role may not create
    /// roles), it warns and works as the URL's role, as before.
    pub async fn connect(url: &str) -> Result<Self> {
        let open = |e: sqlx::Error| StoreError::Open {
            url: redact_url(url),
            reason: e.to_string(),
        };
        let mut owner = <sqlx::PgConnection as sqlx::Connection>::connect(url)
            .await
            .map_err(open)?;
        MIGRATOR
            .run(&mut owner)
            .await
            .map_err(|e| StoreError::Migrate {
                url: redact_url(url),
                reason: e.to_string(),
            })?;
        let app_role = match prepare_app_role(&mut owner).await {
            Ok(()) => Some(APP_ROLE),
            Err(why) => {
                tracing::warn!(
                    reason = %why,
                    "the application works as the database's owner: it could disable the audit \
                     log's triggers. Let the role in DATABASE_URL create roles (CREATEROLE), or \
                     create the role {APP_ROLE} and grant it to that role"
                );
                None
            }
        };
        sqlx::Connection::close(owner).await.ok();
        let pool = PgPoolOptions::new()
            .max_connections(crate::pool_size(4, 10))
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if app_role.is_some() {
                        sqlx::query(sqlx::AssertSqlSafe(format!("SET ROLE {APP_ROLE}")))
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(open)?;
        Ok(Self {
            writer: pool.clone(),
            pool,
            url: url.to_string(),
            app_role,
        })
    }

    /// The role the pool works as: [`APP_ROLE`], or `None` when it works
    /// as the owner because the role could not be set up.
    pub fn app_role(&self) -> Option<&'static str> {
        self.app_role
    }
}

/// Creates [`APP_ROLE`] if it is missing, makes the connecting role a
/// member (so it may `SET ROLE`), and grants it what the application needs
/// in this database's schema: everything on every table (so tables added by
/// later migrations are covered), then takes back all but INSERT and SELECT
/// on the audit log and its seals, and everything on the migrations' own
/// table. Run at every start after the migrations, and after a restore.
async fn prepare_app_role(conn: &mut sqlx::PgConnection) -> std::result::Result<(), String> {
    use sqlx::Connection as _;
    async fn exists(conn: &mut sqlx::PgConnection) -> std::result::Result<bool, sqlx::Error> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(APP_ROLE)
            .fetch_one(conn)
            .await
    }
    async fn member(conn: &mut sqlx::PgConnection) -> std::result::Result<bool, sqlx::Error> {
        sqlx::query_scalar("SELECT pg_has_role(current_user, $1, 'MEMBER')")
            .bind(APP_ROLE)
            .fetch_one(conn)
            .await
    }
    let explain = |what: &str, e: sqlx::Error| format!("{what}: {e}");
    if !exists(&mut *conn).await.map_err(|e| explain("roles", e))? {
        let created = sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE ROLE {APP_ROLE} NOLOGIN"
        )))
        .execute(&mut *conn)
        .await;
        // Another database of the cluster may have created it meanwhile.
        if let Err(e) = created
            && !exists(&mut *conn).await.unwrap_or(false)
        {
            return Err(explain("creating the role", e));
        }
    }
    if !member(&mut *conn).await.map_err(|e| explain("roles", e))? {
        let granted = sqlx::query(sqlx::AssertSqlSafe(format!(
            "GRANT {APP_ROLE} TO CURRENT_USER"
        )))
        .execute(&mut *conn)
        .await;
        if let Err(e) = granted
            && !member(&mut *conn).await.unwrap_or(false)
        {
            return Err(explain("joining the role", e));
        }
    }
    let mut tx = conn.begin().await.map_err(|e| explain("grants", e))?;
    // Two starts at once would otherwise race on the same catalogue rows.
    let statements: Vec<String> = vec![
        "SELECT pg_advisory_xact_lock(hashtext('useit_app grants'))".into(),
        format!("GRANT USAGE ON SCHEMA {{s}} TO {APP_ROLE}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {{s}} TO {APP_ROLE}"),
        format!("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {{s}} TO {APP_ROLE}"),
        format!("REVOKE ALL ON audit_events, audit_seals, _sqlx_migrations FROM {APP_ROLE}"),
        format!("GRANT SELECT, INSERT ON audit_events, audit_seals TO {APP_ROLE}"),
    ];
    let schema: String = sqlx::query_scalar("SELECT quote_ident(current_schema())")
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| explain("grants", e))?;
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql.replace("{s}", &schema)))
            .execute(&mut *tx)
            .await
            .map_err(|e| explain("granting", e))?;
    }
    tx.commit().await.map_err(|e| explain("grants", e))?;
    Ok(())
}

impl PgStore {
    /// The pool, for backend-specific tests that must reach past the trait.
    #[doc(hidden)]
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Splits the password out of a URL so it travels to pg_dump in the
/// environment, not on a command line other users of the machine can read.
fn url_and_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return (url.to_string(), None);
    };
    match userinfo.split_once(':') {
        Some((user, pass)) => (format!("{scheme}://{user}@{host}"), Some(pass.to_string())),
        None => (url.to_string(), None),
    }
}

async fn run_pg_tool(tool: &str, args: &[&str], url: &str) -> Result<()> {
    let (url, password) = url_and_password(url);
    let mut cmd = tokio::process::Command::new(tool);
    cmd.args(args).arg(format!("--dbname={url}"));
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.stdin(Stdio::null()).output().await.map_err(|e| {
        StoreError::Backup(format!(
            "{tool} could not be run ({e}); install the PostgreSQL client tools"
        ))
    })?;
    if !out.status.success() {
        return Err(StoreError::Backup(format!(
            "{tool} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

#[async_trait]
impl Maintenance for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// `pg_dump` takes a consistent snapshot while the server keeps running.
    async fn backup_to(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(StoreError::Backup(format!(
                "{} already exists; choose a new file name",
                path.display()
            )));
        }
        crate::create_private(path).map_err(|e| StoreError::Backup(e.to_string()))?;
        let file = format!("--file={}", path.display());
        let done = run_pg_tool(
            "pg_dump",
            &["--format=custom", "--no-owner", &file],
            &self.url,
        )
        .await;
        if done.is_err() {
            let _ = std::fs::remove_file(path);
        }
        done
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

/// Restores a `pg_dump` backup with `pg_restore --clean`, refusing to replace
/// existing data unless forced.
pub(crate) async fn restore(url: &str, backup: &Path, force: bool) -> Result<()> {
    if !backup.exists() {
        return Err(StoreError::Backup(format!(
            "{} does not exist",
            backup.display()
        )));
    }
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .map_err(|e| StoreError::Open {
            url: redact_url(url),
            reason: e.to_string(),
        })?;
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() \
         AND table_name IN ('programmes', 'users')",
    )
    .fetch_one(&pool)
    .await?;
    let has_data = if tables == 2 {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM programmes) + (SELECT count(*) FROM users)",
        )
        .fetch_one(&pool)
        .await?;
        n > 0
    } else {
        false
    };
    pool.close().await;
    if has_data && !force {
        return Err(StoreError::Backup(format!(
            "{} already holds data; add --force to replace it",
            redact_url(url)
        )));
    }
    let file = backup.display().to_string();
    run_pg_tool(
        "pg_restore",
        &[
            "--clean",
            "--if-exists",
            "--no-owner",
            // Grants are the target's own: `PgStore::connect` below makes
            // them again for its application role.
            "--no-acl",
            "--single-transaction",
            &file,
        ],
        url,
    )
    .await?;
    let store = PgStore::connect(url).await?;
    store.close().await;
    Ok(())
}

#[path = "anchors/sql.rs"]
mod anchors_sql;

/// SQLite's log needs care while a file's batches go in; PostgreSQL's not.
pub(crate) async fn import_batches_start(_: &PgStore) -> Result<()> {
    Ok(())
}

pub(crate) fn import_batch_done(_: &PgStore, _: usize) {}

pub(crate) async fn import_batches_end(_: &PgStore) -> Result<()> {
    Ok(())
}

/// PostgreSQL takes spend lines through COPY into a temporary table, then
/// one INSERT … SELECT that skips the lines already held (same fingerprint).
pub(crate) async fn insert_spend_lines(
    conn: &mut sqlx::PgConnection,
    programme: uuid::Uuid,
    anchor: uuid::Uuid,
    file_id: uuid::Uuid,
    lines: &[useit_core::anchors::spend_file::SpendLine],
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Vec<i64>> {
    use useit_core::anchors::supplier::NameKeys;
    sqlx::query(
        "CREATE TEMP TABLE spend_lines_in (line_no bigint, paid_on date, supplier_key text, supplier_name text, \
         company_number text, supplier_ref text, amount_pence bigint, expense_type text, expense_area text, \
         reference text, redacted boolean, fingerprint text) ON COMMIT DROP",
    )
    .execute(&mut *conn)
    .await?;
    // CSV: text quoted (so "" is an empty string), NULL as nothing.
    fn text(out: &mut String, s: &str) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    }
    let mut copy = conn
        .copy_in_raw("COPY spend_lines_in FROM STDIN (FORMAT csv)")
        .await?;
    let mut done = 0u64;
    let mut keys = NameKeys::default();
    for chunk in lines.chunks(20_000) {
        let mut buf = String::with_capacity(chunk.len() * 160);
        for l in chunk {
            buf.push_str(&format!("{},{},", l.line, l.paid_on));
            text(&mut buf, keys.get(&l.supplier));
            buf.push(',');
            text(&mut buf, &l.supplier);
            buf.push(',');
            if let Some(c) = &l.company_number {
                text(&mut buf, c);
            }
            buf.push(',');
            if let Some(c) = &l.supplier_id {
                text(&mut buf, c);
            }
            buf.push_str(&format!(",{},", l.amount));
            text(&mut buf, &l.expense_type);
            buf.push(',');
            text(&mut buf, &l.expense_area);
            buf.push(',');
            text(&mut buf, &l.reference);
            buf.push_str(if l.redacted { ",t," } else { ",f," });
            text(&mut buf, &l.fingerprint);
            buf.push('\n');
        }
        copy.send(buf.into_bytes()).await?;
        done += chunk.len() as u64;
        progress(done);
    }
    copy.finish().await?;
    let amounts: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO spend_lines (programme_id, anchor_id, file_id, line_no, paid_on, supplier_key, supplier_name, \
         company_number, supplier_ref, amount_pence, expense_type, expense_area, reference, redacted, fingerprint) \
         SELECT $1, $2, $3, line_no, paid_on, supplier_key, supplier_name, company_number, supplier_ref, amount_pence, \
         expense_type, expense_area, reference, redacted, fingerprint FROM spend_lines_in ORDER BY line_no \
         ON CONFLICT (programme_id, anchor_id, fingerprint) DO NOTHING RETURNING amount_pence",
    )
    .bind(programme)
    .bind(anchor)
    .bind(file_id)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("DROP TABLE spend_lines_in")
        .execute(&mut *conn)
        .await?;
    Ok(amounts)
}
#[path = "anchors/interactions_sql.rs"]
mod anchors_interactions_sql;
#[path = "anchors/register_sql.rs"]
mod anchors_register_sql;
#[path = "anchors/settings_sql.rs"]
mod anchors_settings_sql;
#[path = "anchors/spend_sql.rs"]
mod anchors_spend_sql;
#[path = "anchors/suppliers_sql.rs"]
mod anchors_suppliers_sql;
#[path = "anchors/workforce_sql.rs"]
mod anchors_workforce_sql;
#[path = "audit/sql.rs"]
mod audit_sql;
#[path = "auth/invitations_sql.rs"]
mod auth_invitations_sql;
#[path = "auth/sql.rs"]
mod auth_sql;
#[path = "community/assets_sql.rs"]
mod community_assets_sql;
#[path = "community/sql.rs"]
mod community_sql;
#[path = "enterprise/directory_sql.rs"]
mod enterprise_directory_sql;
#[path = "enterprise/grants_sql.rs"]
mod enterprise_grants_sql;
#[path = "enterprise/merge_sql.rs"]
mod enterprise_merge_sql;
#[path = "enterprise/sql.rs"]
mod enterprise_sql;
#[path = "place/sql.rs"]
pub(crate) mod place_sql;
#[path = "programme/disclosure_sql.rs"]
mod programme_disclosure_sql;
#[path = "programme/indicators_sql.rs"]
mod programme_indicators_sql;
#[path = "programme/model_sql.rs"]
mod programme_model_sql;
#[path = "programme/saved_filters_sql.rs"]
mod programme_saved_filters_sql;
#[path = "programme/sql.rs"]
mod programme_sql;
#[path = "programme/stories_sql.rs"]
mod programme_stories_sql;
#[path = "research/assignments_sql.rs"]
mod research_assignments_sql;
#[path = "research/findings_sql.rs"]
mod research_findings_sql;
#[path = "research/sql.rs"]
mod research_sql;
#[path = "research/survey_sql.rs"]
mod research_survey_sql;
#[path = "revision/sql.rs"]
pub(crate) mod revision_sql;
#[path = "talent/duplicates_sql.rs"]
mod talent_duplicates_sql;
#[path = "talent/placements_sql.rs"]
mod talent_placements_sql;
#[path = "talent/records_sql.rs"]
mod talent_records_sql;
#[path = "talent/results_sql.rs"]
mod talent_results_sql;
#[path = "talent/sql.rs"]
mod talent_sql;
#[path = "talent/vacancies_sql.rs"]
mod talent_vacancies_sql;
#[path = "workshops/sql.rs"]
mod workshops_sql;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_leaves_the_url() {
        assert_eq!(
            url_and_password("postgres://u:p%40ss@h:5432/db"),
            (
                "postgres://u@h:5432/db".to_string(),
                Some("p%40ss".to_string())
            )
        );
        assert_eq!(
            url_and_password("postgres://h/db"),
            ("postgres://h/db".to_string(), None)
        );
    }
}
