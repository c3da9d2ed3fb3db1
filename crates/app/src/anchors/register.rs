//! Loading the organisation register that suppliers are resolved to.

use useit_core::anchors::register::{RegisterFormat, parse_register_as};
use useit_core::auth::Capability;
use useit_core::csv_import::{Report, decode};

use crate::{Caller, Error, Imported, Result, Store};

/// A register file as it arrived.
pub struct RegisterUpload<'a> {
    pub format: RegisterFormat,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// What a register load did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegisterLoaded {
    pub entries: u64,
    /// Entries not held before (the same file twice adds nothing).
    pub new: u64,
}

/// Reads and loads a register file, all or nothing.
pub async fn load_register(
    store: &dyn Store,
    caller: &Caller,
    upload: RegisterUpload<'_>,
) -> Result<Imported<RegisterLoaded>> {
    caller.require(Capability::ManageSpend)?;
    let (text, _) = decode(upload.bytes);
    let mut report = Report::new(upload.file_name);
    let orgs = parse_register_as(upload.format, &text, upload.file_name, &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let new = store
        .load_organisations(caller.programme, &orgs, &caller.actor)
        .await?;
    Ok(Imported {
        outcome: RegisterLoaded {
            entries: orgs.len() as u64,
            new,
        },
        report,
    })
}

/// Loads register entries already read (the demo's invented organisations,
/// a register read by another tool), all in one transaction.
pub async fn load_organisations(
    store: &dyn Store,
    caller: &Caller,
    orgs: &[useit_core::anchors::register::OrganisationInput],
) -> Result<u64> {
    caller.require(Capability::ManageSpend)?;
    Ok(store
        .load_organisations(caller.programme, orgs, &caller.actor)
        .await?)
}
