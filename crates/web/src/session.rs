//! tower-sessions backed by our own store, so sessions live in the same
//! database (SQLite or PostgreSQL) and can be ended when a password changes.
//! Only the SHA-256 of a session id is stored.
//!
//! A signed-in session is kept in memory ([`Kept`]) with its account's access
//! counters ([`AccessRevision`]) as they stood when it was read, and with
//! what the guard read for it after (the account, each programme asked for
//! and the role there, the count of memberships): while the counters stand
//! (one statement reads them) none of it is read again. Every write to the
//! account, its memberships, its sessions or the programmes moves a counter
//! in the same transaction (database triggers), whichever process made it,
//! so a role change, a disable, a sign-out or a password change shows on the
//! very next request.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use useit_app::kept::Revision;
use useit_core::auth::{Role, User};
use useit_core::programme::Programme;
use useit_core::{ProgrammeId, UserId, auth::token, clock};
use useit_store::Store;
use useit_store::auth::SessionRecord;
use useit_store::revision::AccessRevision;

/// Session keys.
pub const USER: &str = "uid";
pub const CSRF: &str = "csrf";
pub const SIGNED_IN_AT: &str = "signed_in_at";
pub const SEEN_AT: &str = "seen_at";
pub const FLASH: &str = "flash";

#[derive(Clone)]
pub struct DbSessions {
    store: Arc<dyn Store>,
    kept: Arc<Kept>,
}

impl DbSessions {
    pub fn new(store: Arc<dyn Store>, kept: Arc<Kept>) -> Self {
        Self { store, kept }
    }
}

/// What the guard read about an account: the account (`None`: gone), and
/// on a programme's route the programme (`None`: no such programme) and
/// the account's role there.
pub type Account = (Option<User>, Option<Option<(Programme, Option<Role>)>>);

/// A signed-in session as read at `revision`, and what was read for it
/// since (never before the revision was, so never older than it says).
pub struct KeptSession {
    hash: String,
    pub user: UserId,
    revision: AccessRevision,
    record: Record,
    /// By the programme slug asked for (`None`: a route outside programmes).
    accounts: Mutex<HashMap<Option<String>, Account>>,
    /// How many programmes the account is a member of (the layout's link).
    memberships: Mutex<Option<usize>>,
}

impl KeptSession {
    /// What was read for the account on a route in `slug`, if anything.
    pub fn account(&self, slug: Option<&str>) -> Option<Account> {
        self.accounts
            .lock()
            .expect("kept session lock")
            .get(&slug.map(str::to_string))
            .cloned()
    }

    /// The programme with short name `slug`, if the account was read there
    /// and is a member.
    fn programme_id(&self, slug: &str) -> Option<ProgrammeId> {
        match self
            .accounts
            .lock()
            .expect("kept session lock")
            .get(&Some(slug.to_string()))
        {
            Some((Some(_), Some(Some((p, Some(_)))))) => Some(p.id),
            _ => None,
        }
    }

    pub fn keep_account(&self, slug: Option<&str>, account: &Account) {
        self.accounts
            .lock()
            .expect("kept session lock")
            .insert(slug.map(str::to_string), account.clone());
    }

    pub fn memberships(&self) -> Option<usize> {
        *self.memberships.lock().expect("kept session lock")
    }

    pub fn keep_memberships(&self, n: usize) {
        *self.memberships.lock().expect("kept session lock") = Some(n);
    }
}

/// The signed-in sessions kept in memory, by the hash of their id.
pub struct Kept {
    limit: usize,
    held: Mutex<HashMap<String, Arc<KeptSession>>>,
}

impl Kept {
    /// Keeps at most `limit` sessions (0: keeps none, reads every time).
    pub fn new(limit: usize) -> Self {
        Kept {
            limit,
            held: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, hash: &str) -> Option<Arc<KeptSession>> {
        self.held.lock().expect("kept lock").get(hash).cloned()
    }

    fn put(&self, k: Arc<KeptSession>) {
        if self.limit == 0 {
            return;
        }
        let mut held = self.held.lock().expect("kept lock");
        if held.len() >= self.limit {
            // Rarely reached (sessions end after 30 idle minutes and are
            // dropped when saved or ended); start again rather than track age.
            held.clear();
        }
        held.insert(k.hash.clone(), k);
    }

    fn forget(&self, hash: &str) {
        self.held.lock().expect("kept lock").remove(hash);
    }
}

/// What the guard's first read of the session asks of `load` and gets
/// back from it, in this request.
#[derive(Default)]
struct Loading {
    /// The programme the route names, by its short name: a kept session
    /// that has been there reads the programme's counters with its own.
    wanted: Option<String>,
    /// The kept session `load` found standing (or made).
    kept: Option<Arc<KeptSession>>,
    /// The wanted programme's counters, read in the same statement.
    revision: Option<(ProgrammeId, Revision)>,
}

tokio::task_local! {
    /// Between the guard and the store's `load` (see [`loaded`]).
    static LOADED: RefCell<Loading>;
}

/// What [`loaded`] hands back besides `f`'s output: the kept session that
/// load used or made, and the counters of the programme asked for.
pub struct Loaded {
    pub kept: Option<Arc<KeptSession>>,
    pub revision: Option<(ProgrammeId, Revision)>,
}

/// Runs `f` (the guard's first read of the session, which loads it) and
/// returns what it returned with the kept session that load used or made,
/// if any: checked against the counters in this request, so everything in
/// it may be used for this request. On a route in programme `wanted` (its
/// short name), a kept session that has been there reads the programme's
/// counters in the same statement as its own, and they come back too.
pub async fn loaded<T>(wanted: Option<String>, f: impl Future<Output = T>) -> (T, Loaded) {
    let start = Loading {
        wanted,
        ..Loading::default()
    };
    LOADED
        .scope(RefCell::new(start), async move {
            let out = f.await;
            let got = LOADED.with(|l| {
                let mut l = l.borrow_mut();
                Loaded {
                    kept: l.kept.take(),
                    revision: l.revision.take(),
                }
            });
            (out, got)
        })
        .await
}

fn publish(k: &Arc<KeptSession>, revision: Option<(ProgrammeId, Revision)>) {
    let _ = LOADED.try_with(|cell| {
        let mut l = cell.borrow_mut();
        l.kept = Some(k.clone());
        l.revision = revision;
    });
}

/// The programme the guard's route names, as this request asked for it.
fn wanted() -> Option<String> {
    LOADED
        .try_with(|l| l.borrow().wanted.clone())
        .ok()
        .flatten()
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
        // The write moves the account's counter: read afresh next time.
        self.kept.forget(&id_hash(&record.id));
        self.store
            .session_save(&id_hash(&record.id), &to_record(record)?)
            .await
            .map_err(|e| Error::Backend(e.to_string()))
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let hash = id_hash(id);
        let now = clock::now();
        if let Some(k) = self.kept.get(&hash) {
            if k.record.expiry_date > now {
                // On a programme's route the session has been to before,
                // the programme's counters come in the same statement.
                let programme = wanted().and_then(|slug| k.programme_id(&slug));
                let (standing, revision) = match programme {
                    Some(p) => {
                        let (access, revision) = self
                            .store
                            .access_and_revision(k.user, p)
                            .await
                            .map_err(|e| Error::Backend(e.to_string()))?;
                        (access, Some((p, revision)))
                    }
                    None => (
                        self.store
                            .access_revision(k.user)
                            .await
                            .map_err(|e| Error::Backend(e.to_string()))?,
                        None,
                    ),
                };
                if standing == k.revision {
                    publish(&k, revision);
                    return Ok(Some(k.record.clone()));
                }
            }
            self.kept.forget(&hash);
        }
        let Some((row, revision)) = self
            .store
            .session_load_at(&hash, now)
            .await
            .map_err(|e| Error::Backend(e.to_string()))?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        let record = Record {
            id: *id,
            data,
            expiry_date: row.expires_at,
        };
        if let Some(user) = row.user_id {
            let k = Arc::new(KeptSession {
                hash,
                user,
                revision,
                record: record.clone(),
                accounts: Mutex::new(HashMap::new()),
                memberships: Mutex::new(None),
            });
            self.kept.put(k.clone());
            publish(&k, None);
        }
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.kept.forget(&id_hash(id));
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
