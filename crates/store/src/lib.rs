//! Storage for useit: one [`Store`] trait, a native SQLite implementation
//! (the default, nothing to install) and a native PostgreSQL one (when
//! `DATABASE_URL` names one), each with its own plain-SQL migrations.
//!
//! Queries that both databases understand are written once per bounded
//! context (`<context>/sql.rs`) and compiled into each backend as a module
//! (`#[path]`), where `Db` names the backend's sqlx driver, so the two cannot
//! drift apart; what differs (connection set-up, backups, bulk
//! loading) lives in `sqlite.rs` and `postgres.rs`. One contract test suite
//! (`tests/contract.rs`) runs the same stories on both.

// Each `<context>/sql.rs` is compiled once per backend on purpose (see
// above): the same SQL text, two drivers.
#![allow(clippy::duplicate_mod)]

/// A query text assembled with `format!` from constants and whitelisted
/// column names only, never from input (input is always bound).
macro_rules! sqlf {
    ($($t:tt)*) => { sqlx::AssertSqlSafe(format!($($t)*)) };
}

pub mod anchors;
pub mod audit;
pub mod auth;
pub mod community;
pub mod enterprise;
mod error;
pub mod place;
pub mod programme;
pub mod research;
pub mod revision;
pub mod talent;
pub mod workshops;

mod postgres;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;

pub use error::{StoreError, redact_url};
pub use postgres::{APP_ROLE, PgStore};
pub use sqlite::SqliteStore;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database engine a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from a database URL's scheme.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Looking after the database itself.
#[async_trait]
pub trait Maintenance {
    fn backend(&self) -> Backend;
    /// Succeeds when the database answers a query.
    async fn ping(&self) -> Result<()>;
    /// Writes a consistent copy of the whole database to `path` while the
    /// application keeps running.
    async fn backup_to(&self, path: &Path) -> Result<()>;
    /// Closes the connections (used before a restore or at shutdown).
    async fn close(&self);
}

/// Everything useit stores. Each bounded context contributes its own trait;
/// the web and CLI crates hold an `Arc<dyn Store>` and never see SQL.
pub trait Store:
    auth::UserStore
    + auth::SessionRecords
    + auth::TokenStore
    + auth::InvitationStore
    + auth::ThrottleStore
    + audit::AuditStore
    + programme::ProgrammeStore
    + programme::PartnerStore
    + place::PlaceStore
    + anchors::AnchorStore
    + anchors::register::RegisterStore
    + anchors::suppliers::SupplierStore
    + anchors::spend::SpendStore
    + anchors::settings::SpendSettingsStore
    + anchors::workforce::WorkforceStore
    + talent::TalentStore
    + talent::records::RecordStore
    + talent::duplicates::DuplicateStore
    + talent::vacancies::VacancyStore
    + talent::placements::PlacementStore
    + talent::results::ResultStore
    + enterprise::EnterpriseStore
    + enterprise::grants::GrantStore
    + enterprise::directory::DirectoryStore
    + enterprise::merge::MergeStore
    + research::ResearchStore
    + research::assignments::AssignmentStore
    + research::survey::SurveyStore
    + research::findings::FindingStore
    + workshops::WorkshopStore
    + community::CommunityStore
    + community::assets::AssetStore
    + programme::indicators::IndicatorStore
    + programme::disclosure::DisclosureStore
    + anchors::interactions::InteractionStore
    + programme::stories::StoryStore
    + programme::saved_filters::SavedFilterStore
    + revision::RevisionStore
    + programme::model::ModelStore
    + Maintenance
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: auth::UserStore
        + auth::SessionRecords
        + auth::TokenStore
        + auth::InvitationStore
        + auth::ThrottleStore
        + audit::AuditStore
        + programme::ProgrammeStore
        + programme::PartnerStore
        + place::PlaceStore
        + anchors::AnchorStore
        + anchors::register::RegisterStore
        + anchors::suppliers::SupplierStore
        + anchors::spend::SpendStore
        + anchors::settings::SpendSettingsStore
        + anchors::workforce::WorkforceStore
        + talent::TalentStore
        + talent::records::RecordStore
        + talent::duplicates::DuplicateStore
        + talent::vacancies::VacancyStore
        + talent::placements::PlacementStore
        + talent::results::ResultStore
        + enterprise::EnterpriseStore
        + enterprise::grants::GrantStore
        + enterprise::directory::DirectoryStore
        + enterprise::merge::MergeStore
        + research::ResearchStore
        + research::assignments::AssignmentStore
        + research::survey::SurveyStore
        + research::findings::FindingStore
        + workshops::WorkshopStore
        + community::CommunityStore
        + community::assets::AssetStore
        + programme::indicators::IndicatorStore
        + programme::disclosure::DisclosureStore
        + anchors::interactions::InteractionStore
        + programme::stories::StoryStore
        + programme::saved_filters::SavedFilterStore
        + revision::RevisionStore
        + programme::model::ModelStore
        + Maintenance
        + Send
        + Sync
        + 'static
{
}

/// Opens (creating if needed) and migrates the database a URL names:
/// `sqlite://path/to/file.db` or `postgres://user:pass@host/db`.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>> {
    match Backend::of_url(url) {
        Some(Backend::Sqlite) => Ok(Arc::new(SqliteStore::connect(url).await?)),
        Some(Backend::Postgres) => Ok(Arc::new(PgStore::connect(url).await?)),
        None => Err(StoreError::Open {
            url: redact_url(url),
            reason: "the URL must start with sqlite:// or postgres://".into(),
        }),
    }
}

/// Restores a backup made by [`Maintenance::backup_to`] into the database a
/// URL names. Refuses to overwrite a database that already holds data unless
/// `force` is set.
pub async fn restore(url: &str, backup: &Path, force: bool) -> Result<()> {
    match Backend::of_url(url) {
        Some(Backend::Sqlite) => sqlite::restore(url, backup, force).await,
        Some(Backend::Postgres) => postgres::restore(url, backup, force).await,
        None => Err(StoreError::Open {
            url: redact_url(url),
            reason: "the URL must start with sqlite:// or postgres://".into(),
        }),
    }
}

/// How many connections a pool for requests opens: `USEIT_DB_CONNECTIONS`
/// when it is set to a number from 1 to 1,000, else `per_core` for each core
/// of the machine, at least `least` (requests that find every connection
/// busy wait for one; more connections than the database can run at once
/// only make them wait inside the database instead).
pub(crate) fn pool_size(per_core: u32, least: u32) -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    std::env::var("USEIT_DB_CONNECTIONS")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| (1..=1000).contains(n))
        .unwrap_or_else(|| (cores * per_core).max(least))
}

/// Creates an empty file only its owner may read or write, for a database
/// or a backup to be written into: they hold personal data, and a file
/// made with the usual mode (0644) could be read by anyone on the machine.
pub(crate) fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(|_| ())
}
