//! A change to a person's records: a step passed, an English result, a
//! barrier or its resolution, support, a note, consent withdrawn, work.

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::talent::record::RecordInput;

use crate::{Caller, Result, Store};

/// Checks the change against the person's profession and writes it; the
/// store sets their funnel stage from the records after it, in the same
/// transaction.
pub async fn change_records(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &RecordInput,
) -> Result<()> {
    caller.require(Capability::EditPeople)?;
    let load = caller.caseload();
    let (person, _) = store
        .person(caller.programme, load, id, &caller.actor)
        .await?;
    let change = input.validate(&person.draft.profession, clock::today())?;
    Ok(store
        .change_records(caller.programme, load, id, &change, &caller.actor)
        .await?)
}
