//! Saved filters (issue 15): a member keeps a list's filters, search and
//! sort under a name and applies them with one link; private to them within
//! the programme unless they share it. A filter is only the list's query
//! string, so applying one reads the list with the caller's own rights (a
//! caseworker's shared filter shows a manager everyone it selects, and a
//! manager's shows a caseworker only their own caseload).

use uuid::Uuid;

use useit_core::UserId;
use useit_core::programme::saved_filter::{SavedFilter, SavedFilterInput, SavedList};

use crate::{Caller, Error, Result, Store};

/// The account a saved filter belongs to: the command line and the demo
/// have none, and keep no filters.
fn owner(caller: &Caller) -> Result<UserId> {
    caller.user.ok_or(Error::Refused)
}

/// The filters of `list` the caller sees beside it: their own and those
/// shared with the programme, by name. Only for those who may see the list.
pub async fn saved_filters(
    store: &dyn Store,
    caller: &Caller,
    list: SavedList,
) -> Result<Vec<SavedFilter>> {
    caller.require(list.capability())?;
    let Some(user) = caller.user else {
        return Ok(Vec::new());
    };
    Ok(store.saved_filters(caller.programme, user, list).await?)
}

/// Saves the caller's filter under its name (theirs of the same name is
/// replaced); audited.
pub async fn save_filter(
    store: &dyn Store,
    caller: &Caller,
    input: &SavedFilterInput,
) -> Result<SavedFilter> {
    let draft = input.validate()?;
    caller.require(draft.list.capability())?;
    let user = owner(caller)?;
    Ok(store
        .save_filter(caller.programme, user, &draft, &caller.actor)
        .await?)
}

/// Removes one of the caller's own filters; anyone else's is not found.
pub async fn delete_filter(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<()> {
    let user = owner(caller)?;
    Ok(store
        .delete_filter(caller.programme, user, id, &caller.actor)
        .await?)
}
