//! Reading the audit log: a programme's (for those allowed to see it) and
//! the whole deployment's (for its administrators). The log names people,
//! so reading it, and downloading it, is itself recorded.

use useit_core::audit::{AuditAction, AuditEntry, AuditFilter, chain};
use useit_core::auth::Capability;
use useit_core::listing::{Page, PageRequest};

use crate::auth::Operator;
use crate::{Caller, Result, Store};

/// Why the log is read: to look at a page of it, or to take a copy away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    Look,
    Export,
}

impl Reading {
    fn action(self) -> AuditAction {
        match self {
            Reading::Look => AuditAction::Read,
            Reading::Export => AuditAction::Export,
        }
    }
}

/// The caller's programme's entries the filter selects (whatever
/// programme it names).
pub async fn programme_log(
    store: &dyn Store,
    caller: &Caller,
    filter: AuditFilter,
    page: PageRequest,
    reading: Reading,
) -> Result<Page<AuditEntry>> {
    caller.require(Capability::ViewAudit)?;
    let filter = AuditFilter {
        programme_id: Some(caller.programme),
        ..filter
    };
    read(store, &caller.actor, &filter, page, reading).await
}

/// Entries of every programme, and of none (sign-ins, accounts), as the
/// filter selects them.
pub async fn deployment_log(
    store: &dyn Store,
    operator: &Operator,
    filter: AuditFilter,
    page: PageRequest,
    reading: Reading,
) -> Result<Page<AuditEntry>> {
    operator.require_admin()?;
    read(store, &operator.actor, &filter, page, reading).await
}

async fn read(
    store: &dyn Store,
    actor: &useit_core::audit::Actor,
    filter: &AuditFilter,
    page: PageRequest,
    reading: Reading,
) -> Result<Page<AuditEntry>> {
    let entries = store.audit_list(filter, page).await?;
    store
        .audit_append(
            &AuditEntry::new(
                actor,
                filter.programme_id,
                reading.action(),
                "audit_log",
                None,
                format!("{} entries", entries.items.len()),
            )
            .said(
                useit_core::audit::AuditMessage::new("audit.msg.log_read")
                    .number("count", entries.items.len() as u64),
            ),
        )
        .await?;
    Ok(entries)
}

/// The people entries name, by account id, as the reader may see them.
pub type Names = std::collections::HashMap<uuid::Uuid, String>;

/// Names the people the programme's entries are about (the account of a
/// membership, whoever a message names) where the programme's log may:
/// its members. Someone no longer a member is not named.
pub async fn programme_names(
    store: &dyn Store,
    caller: &Caller,
    entries: &[AuditEntry],
) -> Result<Names> {
    caller.require(Capability::ViewAudit)?;
    names(store, Some(caller.programme), entries).await
}

/// Names every account the entries are about, for the deployment's
/// administrators (who see every account).
pub async fn deployment_names(
    store: &dyn Store,
    operator: &Operator,
    entries: &[AuditEntry],
) -> Result<Names> {
    operator.require_admin()?;
    names(store, None, entries).await
}

async fn names(
    store: &dyn Store,
    programme: Option<useit_core::ProgrammeId>,
    entries: &[AuditEntry],
) -> Result<Names> {
    let ids: std::collections::BTreeSet<uuid::Uuid> =
        entries.iter().flat_map(|e| e.people()).collect();
    let mut out = Names::new();
    for id in ids {
        let user = useit_core::UserId(id);
        if let Some(p) = programme
            && store.role_in(user, p).await?.is_none()
        {
            continue;
        }
        if let Some(u) = store.user(user).await? {
            let name = if u.display_name.trim().is_empty() {
                u.email
            } else {
                u.display_name
            };
            out.insert(id, name);
        }
    }
    Ok(out)
}

/// Seals every entry not yet in the hash chain, in batches, and says how
/// many were sealed. Run by the server every minute, before each backup and
/// before a verification; two sealers at once cannot fork the chain (the
/// second one's batch is refused and it stops).
pub async fn seal(store: &dyn Store) -> Result<u64> {
    const BATCH: u32 = 5_000;
    let mut sealed = 0;
    loop {
        let (seq, hash) = store
            .audit_chain_head()
            .await?
            .unwrap_or((0, chain::GENESIS.to_string()));
        let entries = store.audit_unsealed(BATCH).await?;
        if entries.is_empty() {
            return Ok(sealed);
        }
        let seals = chain::seal((seq, &hash), &entries);
        if !store.audit_seal(seq, &seals).await? {
            return Ok(sealed);
        }
        sealed += seals.len() as u64;
    }
}

/// What a verification found.
#[derive(Clone, Debug)]
pub struct ChainReport {
    /// Seals checked and found whole, from the first.
    pub checked: u64,
    /// Where the chain breaks, if it does.
    pub broken: Option<chain::Break>,
    /// The last good seal (sequence number, hash): keep it elsewhere to
    /// catch a rewrite of the whole chain later.
    pub head: (i64, String),
    /// Entries written since the last seal (none right after sealing).
    pub unsealed: u64,
}

/// Seals what is unsealed, then checks the whole chain from the first
/// seal; `progress` is told how many seals are checked so far. The
/// deployment's administrators only.
pub async fn verify(
    store: &dyn Store,
    operator: &Operator,
    mut progress: impl FnMut(u64, u64),
) -> Result<ChainReport> {
    operator.require_admin()?;
    seal(store).await?;
    let total = store.audit_chain_head().await?.map_or(0, |(seq, _)| seq) as u64;
    let mut v = chain::Verifier::default();
    loop {
        let page = store.audit_sealed(v.head().0, 2_000).await?;
        if page.is_empty() {
            break;
        }
        v.check(&page);
        progress(v.checked, total);
        if v.broken.is_some() {
            break;
        }
    }
    Ok(ChainReport {
        checked: v.checked,
        head: (v.head().0, v.head().1.to_string()),
        broken: v.broken,
        unsealed: store.audit_unsealed_count().await?,
    })
}
