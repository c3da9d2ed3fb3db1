//! tower-sessions backed by our own store, so sessions live in the same
//! database (SQLite or PostgreSQL) and can be ended when a password changes.
//! Only the SHA-256 of a session id is stored.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use useit_core::{UserId, auth::token, clock};
use useit_store::Store;
use useit_store::auth::SessionRecord;

/// Session keys.
pub const USER: &str = "uid";
pub const CSRF: &str = "csrf";
pub const SIGNED_IN_AT: &str = "signed_in_at";
pub const SEEN_AT: &str = "seen_at";
pub const FLASH: &str = "flash";

#[derive(Clone)]
pub struct DbSessions {
    store: Arc<dyn Store>,
}

impl DbSessions {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }
}

impl std::fmt::Debug for DbSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessions")
    }
}

/// The stored key for a session id.
pub fn id_hash(id: &Id) -> String {
    token::hash(&id.to_string())
}

fn to_record(r: &Record) -> Result<SessionRecord> {
    let user_id = r
        .data
        .get(USER)
        .and_then(|v| serde_json::from_value::<UserId>(v.clone()).ok());
    Ok(SessionRecord {
        user_id,
        data: serde_json::to_string(&r.data).map_err(|e| Error::Encode(e.to_string()))?,
        created_at: clock::now(),
        expires_at: r.expiry_date,
    })
}

#[async_trait]
impl tower_sessions::SessionStore for DbSessions {
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let rec = to_record(record)?;
            let inserted = self
                .store
                .session_create(&id_hash(&record.id), &rec)
                .await
                .map_err(|e| Error::Backend(e.to_string()))?;
            if inserted {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.store
            .session_save(&id_hash(&record.id), &to_record(record)?)
            .await
            .map_err(|e| Error::Backend(e.to_string()))
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let Some(row) = self
            .store
            .session_load(&id_hash(id), clock::now())
            .await
            .map_err(|e| Error::Backend(e.to_string()))?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date: row.expires_at,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.store
            .session_delete(&id_hash(id))
            .await
            .map_err(|e| Error::Backend(e.to_string()))
    }
}

/// Removes expired sessions and old sign-in failures every ten minutes.
pub fn spawn_cleanup(store: Arc<dyn Store>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = clock::now();
            if let Err(e) = store.sessions_purge_expired(now).await {
                tracing::warn!(error = %e, "could not purge expired sessions");
            }
            if let Err(e) = store
                .purge_failures_before(now - time::Duration::days(1))
                .await
            {
                tracing::warn!(error = %e, "could not purge old sign-in failures");
            }
        }
    })
}
