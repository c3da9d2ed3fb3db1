//! The SQLite backend: a file, nothing to install. WAL mode lets readers and
//! the one writer work at once; foreign keys are on; a writer waits up to ten
//! seconds for the lock instead of failing.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::{Backend, Maintenance, Result, StoreError, redact_url};

pub(crate) type Db = sqlx::Sqlite;
pub(crate) type ThisStore = SqliteStore;
/// Take the write lock at the start, so two writers queue on the busy
/// timeout instead of one failing when it upgrades a read lock.
pub(crate) const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";
/// Serialises writers that decide on a count per key (the sign-in
/// throttle): nothing to do, `BEGIN IMMEDIATE` already lets one writer in.
pub(crate) const LOCK_KEY: Option<&str> = None;
/// How long each transaction of a file's import holds the write lock, about:
/// other users' writes (every audited read is one) slip in between, so none
/// waits much longer than this (issue 16). Longer batches write faster
/// (each rewrites the index pages its lines touch), shorter ones wait less.
pub(crate) const STAGE_TAKES: std::time::Duration = std::time::Duration::from_millis(250);
/// The most spend lines a transaction while a file imports.
pub(crate) const STAGE_MOST: usize = 50_000;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone, Debug)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    /// The one connection that writes. SQLite lets one writer in at a
    /// time; waiting here, in a first-come first-served queue, instead of
    /// in SQLite's busy handler (which polls, up to 100 ms apart) means a
    /// long import's batches cannot keep taking the lock back before a
    /// waiting request sees it free.
    pub(crate) writer: SqlitePool,
    path: PathBuf,
}

fn options(url: &str) -> Result<SqliteConnectOptions> {
    let opts = SqliteConnectOptions::from_str(url).map_err(|e| StoreError::Open {
        url: redact_url(url),
        reason: e.to_string(),
    })?;
    Ok(opts
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("temp_store", "memory")
        // 64 MiB of page cache a connection (the default is 2 MiB): a spend
        // file's lines and their indexes then stay in memory until commit
        // instead of spilling to the log and being read back.
        .pragma("cache_size", "-65536"))
}

impl SqliteStore {
    /// Opens (creating if needed) the file and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        let opts = options(url)?;
        let path = opts.get_filename().to_path_buf();
        // A new database file is made private before SQLite opens it (its
        // -wal and -shm files take the same mode).
        if path != std::path::Path::new(":memory:") && !path.exists() {
            let _ = crate::create_private(&path);
        }
        let open_err = |e: sqlx::Error| StoreError::Open {
            url: redact_url(url),
            reason: e.to_string(),
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(crate::pool_size(4, 8))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.clone())
            .await
            .map_err(open_err)?;
        // An in-memory database is one per connection: it writes where it reads.
        let writer = if path == Path::new(":memory:") {
            pool.clone()
        } else {
            // As long as SQLite's own wait for the lock: then "busy" (a 503).
            SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(10))
                .connect_lazy_with(opts)
        };
        // A file that is not a database only says so on the first query.
        sqlx::query("SELECT count(*) FROM sqlite_schema")
            .execute(&pool)
            .await
            .map_err(open_err)?;
        MIGRATOR.run(&pool).await.map_err(|e| StoreError::Migrate {
            url: redact_url(url),
            reason: e.to_string(),
        })?;
        Ok(Self { pool, writer, path })
    }

    /// The pool, for backend-specific tests that must reach past the trait
    /// (for example to prove the audit log refuses an UPDATE).
    #[doc(hidden)]
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[async_trait]
impl Maintenance for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// `VACUUM INTO` writes a transactionally consistent copy while other
    /// connections keep reading and writing.
    async fn backup_to(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(StoreError::Backup(format!(
                "{} already exists; choose a new file name",
                path.display()
            )));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Backup("the backup path is not valid UTF-8".into()))?;
        crate::create_private(path).map_err(|e| StoreError::Backup(e.to_string()))?;
        if let Err(e) = sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await
        {
            let _ = std::fs::remove_file(path);
            return Err(e.into());
        }
        Ok(())
    }

    async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// Whether a database has any programme or account in it.
async fn holds_data(pool: &SqlitePool) -> Result<bool> {
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('programmes', 'users')",
    )
    .fetch_one(pool)
    .await?;
    if tables < 2 {
        return Ok(false);
    }
    let rows: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM programmes) + (SELECT count(*) FROM users)",
    )
    .fetch_one(pool)
    .await?;
    Ok(rows > 0)
}

/// Replaces the database file with a backup, after checking the backup is a
/// useit database this version can migrate. Run it with the server stopped.
pub(crate) async fn restore(url: &str, backup: &Path, force: bool) -> Result<()> {
    let target = options(url)?.get_filename().to_path_buf();
    if !backup.exists() {
        return Err(StoreError::Backup(format!(
            "{} does not exist",
            backup.display()
        )));
    }
    {
        let check = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(SqliteConnectOptions::new().filename(backup).read_only(true))
            .await
            .map_err(|e| {
                StoreError::Backup(format!("{} cannot be opened: {e}", backup.display()))
            })?;
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&check)
            .await
            .map_err(|e| {
                StoreError::Backup(format!(
                    "{} is not a SQLite database: {e}",
                    backup.display()
                ))
            })?;
        if ok != "ok" {
            return Err(StoreError::Backup(format!(
                "{} is damaged: {ok}",
                backup.display()
            )));
        }
        let useit: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('_sqlx_migrations', 'programmes')",
        )
        .fetch_one(&check)
        .await?;
        check.close().await;
        if useit < 2 {
            return Err(StoreError::Backup(format!(
                "{} is not a useit backup",
                backup.display()
            )));
        }
    }
    if target.exists() && !force {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(SqliteConnectOptions::new().filename(&target))
            .await
            .map_err(|e| StoreError::Backup(e.to_string()))?;
        let has = holds_data(&pool).await;
        pool.close().await;
        if has? {
            return Err(StoreError::Backup(format!(
                "{} already holds data; add --force to replace it",
                target.display()
            )));
        }
    }
    let staging = target.with_extension("restore-tmp");
    std::fs::copy(backup, &staging)
        .map_err(|e| StoreError::Backup(format!("copying to {}: {e}", staging.display())))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side)
                .map_err(|e| StoreError::Backup(format!("removing {}: {e}", side.display())))?;
        }
    }
    std::fs::rename(&staging, &target)
        .map_err(|e| StoreError::Backup(format!("replacing {}: {e}", target.display())))?;
    // Bring the restored copy up to this version's schema.
    let store = SqliteStore::connect(url).await?;
    store.close().await;
    Ok(())
}

#[path = "anchors/sql.rs"]
mod anchors_sql;

/// A checkpoint (copying the log's pages into the database file) is
/// running off the writer.
static CHECKPOINTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// While a file's batches go in, the writer does not checkpoint after each
/// commit (SQLite's default once the log passes 1,000 pages): that work,
/// seconds for a large file, would keep the one writer from the requests
/// waiting between batches. A reader connection checkpoints instead, now
/// and then, beside the writer (a passive checkpoint blocks nobody).
pub(crate) async fn import_batches_start(store: &SqliteStore) -> Result<()> {
    sqlx::query("PRAGMA wal_autocheckpoint = 0")
        .execute(&store.writer)
        .await?;
    Ok(())
}

/// After each batch: every tenth, a passive checkpoint in the background
/// (unless one is running), so the log does not grow with the whole file.
pub(crate) fn import_batch_done(store: &SqliteStore, batch: usize) {
    if batch % 10 == 9 {
        checkpoint_in_background(store);
    }
}

/// The writer checkpoints as usual again, and the log written meanwhile is
/// copied into the database file in the background.
pub(crate) async fn import_batches_end(store: &SqliteStore) -> Result<()> {
    sqlx::query("PRAGMA wal_autocheckpoint = 1000")
        .execute(&store.writer)
        .await?;
    checkpoint_in_background(store);
    Ok(())
}

fn checkpoint_in_background(store: &SqliteStore) {
    use std::sync::atomic::Ordering;
    if CHECKPOINTING.swap(true, Ordering::AcqRel) {
        return;
    }
    let pool = store.pool.clone();
    tokio::spawn(async move {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!(error = %e, "could not checkpoint the database log");
        }
        CHECKPOINTING.store(false, Ordering::Release);
    });
}

/// SQLite takes spend lines by multi-row INSERT (there is no COPY).
pub(crate) use anchors_spend_sql::insert_lines_by_insert as insert_spend_lines;
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
