//! The suppliers seen in the spend and the review of who each is.

use uuid::Uuid;

use useit_core::anchors::resolution::{SupplierCandidate, SupplierQuery, SupplierRecord};
use useit_core::auth::Capability;

use crate::{Caller, Error, Result, Store};

/// The programme's suppliers as the query selects and orders them.
pub async fn suppliers(
    store: &dyn Store,
    caller: &Caller,
    query: &SupplierQuery,
) -> Result<Vec<SupplierRecord>> {
    caller.require(Capability::ViewSpend)?;
    let status = query.status()?;
    Ok(query.select(store.suppliers(caller.programme, status).await?))
}

/// One supplier with its candidate organisations and why each was proposed.
pub async fn supplier(
    store: &dyn Store,
    caller: &Caller,
    key: &str,
) -> Result<(SupplierRecord, Vec<SupplierCandidate>)> {
    caller.require(Capability::ViewSpend)?;
    let s = store
        .supplier(caller.programme, key)
        .await?
        .ok_or(Error::NotFound)?;
    let c = store.supplier_candidates(caller.programme, key).await?;
    Ok((s, c))
}

/// A person's decision on who a supplier is (an organisation, or none of
/// the candidates): remembered for every future import.
pub async fn decide(
    store: &dyn Store,
    caller: &Caller,
    key: &str,
    organisation: Option<Uuid>,
) -> Result<SupplierRecord> {
    caller.require(Capability::ManageSpend)?;
    Ok(store
        .decide_supplier(caller.programme, key, organisation, &caller.actor)
        .await?)
}
