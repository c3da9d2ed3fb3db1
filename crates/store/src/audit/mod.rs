//! The append-only audit log.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::audit::chain::Sealed;
use useit_core::audit::{AuditAction, AuditEntry, AuditFilter, Channel};
use useit_core::listing::{Page, PageRequest};
use useit_core::{ProgrammeId, UserId};

use crate::Result;

#[async_trait]
pub trait AuditStore {
    /// Appends one entry. Entries cannot be changed or deleted afterwards:
    /// the database refuses it.
    async fn audit_append(&self, entry: &AuditEntry) -> Result<()>;
    async fn audit_list(&self, filter: &AuditFilter, page: PageRequest)
    -> Result<Page<AuditEntry>>;

    /// Entries not yet sealed into the hash chain, oldest first.
    async fn audit_unsealed(&self, limit: u32) -> Result<Vec<AuditEntry>>;
    /// How many entries are not yet sealed.
    async fn audit_unsealed_count(&self) -> Result<u64>;
    /// The last seal: its sequence number and hash.
    async fn audit_chain_head(&self) -> Result<Option<(i64, String)>>;
    /// Appends seals `(seq, entry id, hash)` computed after the head
    /// `after`, in one transaction; `false` (nothing written) if another
    /// sealer moved the head meanwhile.
    async fn audit_seal(&self, after: i64, seals: &[(i64, Uuid, String)]) -> Result<bool>;
    /// Seals after `after_seq` in order, each with its entry as it now
    /// stands.
    async fn audit_sealed(&self, after_seq: i64, limit: u32) -> Result<Vec<Sealed>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub programme_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub actor_label: String,
    pub channel: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub summary: String,
    pub client_address: Option<String>,
    pub message: Option<String>,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = crate::StoreError;
    fn try_from(r: AuditRow) -> Result<Self> {
        let bad = |what: String| crate::StoreError::Database(sqlx::Error::Decode(what.into()));
        Ok(AuditEntry {
            id: r.id,
            at: r.at,
            programme_id: r.programme_id.map(ProgrammeId),
            actor_user_id: r.actor_user_id.map(UserId),
            actor_label: r.actor_label,
            channel: Channel::parse(&r.channel)
                .ok_or_else(|| bad(format!("channel {}", r.channel)))?,
            action: r.action.parse::<AuditAction>().map_err(bad)?,
            subject_type: r.subject_type,
            subject_id: r.subject_id,
            summary: r.summary,
            address: r.client_address,
            message: r.message,
        })
    }
}
