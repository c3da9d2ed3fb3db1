//! The lineage of replications: which programme was modelled on which.

use useit_core::auth::Capability;
use useit_core::workshops::lineage::{Replication, ReplicationInput};

use crate::{Caller, Result, Store};

pub async fn replications(store: &dyn Store, caller: &Caller) -> Result<Vec<Replication>> {
    caller.require(Capability::ViewWorkshops)?;
    Ok(store.replications(caller.programme).await?)
}

pub async fn add_replication(
    store: &dyn Store,
    caller: &Caller,
    input: &ReplicationInput,
) -> Result<Replication> {
    caller.require(Capability::OrganiseWorkshops)?;
    let known = store.replications(caller.programme).await?;
    let draft = input.validate(&known)?;
    Ok(store
        .add_replication(caller.programme, &draft, &caller.actor)
        .await?)
}
