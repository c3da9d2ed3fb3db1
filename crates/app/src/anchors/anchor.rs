//! The programme's anchor institutions and their sites.

use useit_core::anchors::anchor::{Anchor, AnchorInput};
use useit_core::auth::Capability;

use crate::{Caller, Error, Result, Store};

pub async fn anchors(store: &dyn Store, caller: &Caller) -> Result<Vec<Anchor>> {
    caller.require(Capability::ViewSpend)?;
    Ok(store.list_anchors(caller.programme).await?)
}

pub async fn anchor(store: &dyn Store, caller: &Caller, slug: &str) -> Result<Anchor> {
    caller.require(Capability::ViewSpend)?;
    store
        .anchor(caller.programme, slug)
        .await?
        .ok_or(Error::NotFound)
}

/// Creates the anchor, or changes the one with this short name (its sites
/// are replaced); every field's problem at once.
pub async fn save_anchor(
    store: &dyn Store,
    caller: &Caller,
    input: &AnchorInput,
) -> Result<Anchor> {
    caller.require(Capability::ManageSpend)?;
    let draft = input.validate()?;
    Ok(store
        .save_anchor(caller.programme, &draft, &caller.actor)
        .await?)
}

/// The spend files imported, newest first.
pub async fn spend_files(
    store: &dyn Store,
    caller: &Caller,
) -> Result<Vec<useit_core::anchors::ledger::SpendFileRecord>> {
    caller.require(Capability::ViewSpend)?;
    Ok(store.spend_files(caller.programme).await?)
}
