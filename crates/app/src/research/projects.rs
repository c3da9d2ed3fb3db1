//! Research projects: everyone in the programme sees them (no personal
//! data); the coordinator adds and changes them.

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::research::project::{Project, ProjectInput};

use crate::{Caller, Error, Result, Store};

pub async fn projects(store: &dyn Store, caller: &Caller) -> Result<Vec<Project>> {
    caller.require(Capability::ViewResearch)?;
    Ok(store.projects(caller.programme).await?)
}

pub async fn project(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Project> {
    caller.require(Capability::ViewResearch)?;
    store
        .project(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)
}

/// Adds a project (`id` none) or changes one.
pub async fn save_project(
    store: &dyn Store,
    caller: &Caller,
    id: Option<Uuid>,
    input: &ProjectInput,
) -> Result<Project> {
    caller.require(Capability::ManageResearch)?;
    let draft = input.validate()?;
    Ok(store
        .save_project(caller.programme, id, &draft, &caller.actor)
        .await?)
}
