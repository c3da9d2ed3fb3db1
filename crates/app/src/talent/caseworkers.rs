//! Who can hold a caseload, and whose caseload a person joins.

use useit_core::ProgrammeId;
use useit_core::UserId;
use useit_core::auth::{Capability, MemberQuery};
use useit_core::listing::PageRequest;
use useit_core::talent::caseworker::{Assigner, Caseworker};

use crate::{Caller, Result, Store};

/// The members who can hold a caseload, for the people list's filter, the
/// person form's choice and the people file's e-mail column.
pub async fn caseworkers(store: &dyn Store, caller: &Caller) -> Result<Vec<Caseworker>> {
    caller.require(Capability::ViewPeople)?;
    of_programme(store, caller.programme).await
}

pub(crate) async fn of_programme(
    store: &dyn Store,
    programme: ProgrammeId,
) -> Result<Vec<Caseworker>> {
    let members = store
        .members(
            programme,
            &MemberQuery::default(),
            PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE)),
        )
        .await?;
    Ok(Caseworker::among(members.items))
}

/// The caller as the caseworker rule sees them: the console and the demo
/// have no user and reach every caseload.
pub fn assigner(caller: &Caller) -> Assigner {
    Assigner {
        user: caller.user,
        every_caseload: caller.can(Capability::ViewAllCaseloads),
    }
}

/// The caseworker a person form or API body chooses (`raw`: an id or an
/// e-mail; blank means `blank`). The members are read only when a name
/// must be looked up.
pub(crate) async fn chosen(
    store: &dyn Store,
    caller: &Caller,
    raw: &str,
    blank: Option<UserId>,
) -> Result<Option<UserId>> {
    let a = assigner(caller);
    let asked = (a.user.is_none() || a.every_caseload) && !raw.trim().is_empty();
    let all = if asked {
        of_programme(store, caller.programme).await?
    } else {
        Vec::new()
    };
    Ok(a.for_form(raw, blank, &all)?)
}
