//! Reading the audit log: a programme's (for those allowed to see it) and
//! the whole deployment's (for its administrators). The log names people,
//! so reading it, and downloading it, is itself recorded.

use useit_core::audit::{AuditAction, AuditEntry, AuditFilter};
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
        .audit_append(&AuditEntry::new(
            actor,
            filter.programme_id,
            reading.action(),
            "audit_log",
            None,
            format!("{} entries", entries.items.len()),
        ))
        .await?;
    Ok(entries)
}
