//! Members as CSV: the list downloaded (an audited export of personal
//! data), and a file of e-mails and roles that sets each listed account's
//! role, all or nothing. An import never creates accounts: they need a
//! password, which a file must not carry.

use useit_core::audit::{AuditAction, AuditEntry};
use useit_core::auth::member_csv::{self, Account, MemberImportOutcome};
use useit_core::auth::{Capability, MemberQuery};
use useit_core::csv_import::{Problem, Report, decode};
use useit_core::listing::PageRequest;

use super::CsvUpload;
use crate::{Caller, Error, Imported, Result, Store};

/// Every member the query selects, as CSV; the export is audited.
pub async fn export_members(
    store: &dyn Store,
    caller: &Caller,
    query: &MemberQuery,
) -> Result<String> {
    caller.require(Capability::ViewMembers)?;
    let members = store
        .members(caller.programme, query, PageRequest::all())
        .await?;
    store
        .audit_append(
            &AuditEntry::new(
                &caller.actor,
                Some(caller.programme),
                AuditAction::Export,
                "member_list",
                None,
                format!(
                    "members listed: {} (email, display_name, role)",
                    members.items.len()
                ),
            )
            .said(
                useit_core::audit::AuditMessage::new("audit.msg.members_listed")
                    .number("count", members.items.len() as u64),
            ),
        )
        .await?;
    Ok(member_csv::export(&members.items))
}

/// Sets the roles a members CSV lists in one transaction, unless it is a
/// dry run. An e-mail that is not a member's, or a change that would leave the
/// programme without an administrator, rejects the whole file.
pub async fn import_members(
    store: &dyn Store,
    caller: &Caller,
    upload: CsvUpload<'_>,
) -> Result<Imported<MemberImportOutcome>> {
    caller.require(Capability::ManageMembers)?;
    let (text, _) = decode(upload.bytes);
    let mut report = Report::new(upload.file_name);
    let rows = member_csv::parse(&text, &mut report);
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        // Only this programme's members count: an account elsewhere is
        // treated exactly like no account, so the file cannot be used to
        // find out who has one (issue 16 item 9).
        let account = match store.credentials_by_email(&row.email).await? {
            None => None,
            Some(c) => store
                .role_in(c.user.id, caller.programme)
                .await?
                .map(|role| Account {
                    user: c.user.id,
                    role: Some(role),
                }),
        };
        found.push((row, account));
    }
    let (changes, mut outcome) = member_csv::plan(found, &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    if upload.dry_run || changes.is_empty() {
        outcome.applied = !upload.dry_run;
        return Ok(Imported { outcome, report });
    }
    match store
        .set_roles(caller.programme, &changes, &caller.actor)
        .await
    {
        Ok(_) => outcome.applied = true,
        Err(useit_store::StoreError::Conflict { message, .. }) => {
            report.push(Problem::error(0, None, message));
            return Err(Error::Rejected(report));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Imported { outcome, report })
}
