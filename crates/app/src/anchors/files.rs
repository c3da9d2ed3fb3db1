//! The spend files imported: listed a page at a time, and an import undone
//! (its lines removed, the measures worked out again, the audit told) by
//! those who may import.

use useit_core::anchors::ledger::SpendFileRecord;
use useit_core::auth::Capability;
use useit_core::listing::{Page, PageRequest};
use uuid::Uuid;

use crate::{Caller, Error, Result, Store};

/// A page of the files imported, newest first.
pub async fn spend_file_page(
    store: &dyn Store,
    caller: &Caller,
    page: PageRequest,
) -> Result<Page<SpendFileRecord>> {
    caller.require(Capability::ViewSpend)?;
    Ok(Page::of(store.spend_files(caller.programme).await?, page))
}

/// One imported file, for the page that asks whether to undo it.
pub async fn spend_file(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<SpendFileRecord> {
    caller.require(Capability::ManageSpend)?;
    store
        .spend_files(caller.programme)
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or(Error::NotFound)
}

/// Undoes an import: the file's lines are removed and the file forgotten
/// (so it can be imported again), in one transaction with its audit entry;
/// the revision moves, so every figure is worked out without them. Lines
/// another, overlapping file also held were stored once, under the file
/// that brought them first, and go with it.
pub async fn undo_import(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<SpendFileRecord> {
    caller.require(Capability::ManageSpend)?;
    store
        .undo_spend_file(caller.programme, id, &caller.actor)
        .await?
        .ok_or(Error::NotFound)
}
