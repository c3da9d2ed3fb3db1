//! The anchors' tender lots: entered by form, imported from the lots CSV
//! (the list's download, so it imports back).

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::csv_import::{Report, decode};
use useit_core::enterprise::lot::{self, Lot, LotInput};
use useit_store::enterprise::LotsSaved;

use crate::{Caller, Error, Imported, Result, Store};

pub async fn lots(store: &dyn Store, caller: &Caller) -> Result<Vec<Lot>> {
    caller.require(Capability::ViewEnterprises)?;
    Ok(store.lots(caller.programme).await?)
}

pub async fn lot(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Lot> {
    caller.require(Capability::ViewEnterprises)?;
    store
        .lot(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)
}

/// Adds a lot, or changes the one with its reference.
pub async fn save_lot(store: &dyn Store, caller: &Caller, input: &LotInput) -> Result<Lot> {
    caller.require(Capability::ManageOpportunities)?;
    let draft = input.validate()?;
    store
        .save_lots(
            caller.programme,
            std::slice::from_ref(&draft),
            "form",
            &caller.actor,
        )
        .await?;
    store
        .lots(caller.programme)
        .await?
        .into_iter()
        .find(|l| l.draft.reference == draft.reference)
        .ok_or(Error::NotFound)
}

/// Imports a lots file: nothing is written when any row has an error
/// (each at its line and column); the same file twice changes nothing.
pub async fn import_lots(
    store: &dyn Store,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
) -> Result<Imported<LotsSaved>> {
    caller.require(Capability::ManageOpportunities)?;
    let (text, _) = decode(bytes);
    let mut report = Report::new(file_name);
    let drafts = lot::parse(&text, &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let outcome = store
        .save_lots(caller.programme, &drafts, file_name, &caller.actor)
        .await?;
    Ok(Imported { outcome, report })
}
