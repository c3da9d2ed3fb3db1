//! An enterprise's milestones, computed from what is recorded: its income
//! years and the spend lines resolved to it. Never typed.

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::enterprise::milestones::{Milestones, milestones as compute};

use crate::{Caller, Error, Result, Store};

pub async fn milestones(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Milestones> {
    caller.require(Capability::ViewEnterprises)?;
    store
        .enterprise(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    let income: Vec<_> = store
        .income(caller.programme, Some(id))
        .await?
        .into_iter()
        .map(|(_, y)| y)
        .collect();
    let lines = store.paid_lines(caller.programme, id).await?;
    Ok(compute(&income, &lines))
}
