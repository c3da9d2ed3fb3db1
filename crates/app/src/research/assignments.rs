//! Researchers assigned to projects (issue 19 item 3): the coordinator
//! assigns a researcher to a project from a day and ends the assignment on
//! a day; a researcher sees the projects they are assigned to on their own
//! page. Hours are accepted only on a day an assignment covers
//! (`work::submit_time`). Assignments name researchers: every read that
//! finds one is audited.

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::research::assignment::{
    AssignedProject, Assignment, AssignmentInput, EndInput, assigned_projects, check_no_overlap,
};
use useit_core::research::researcher::Reach;
use useit_core::research::work::{TimeQuery, TimeStatus};
use useit_core::validation::Invalid;
use useit_store::research::ReadPurpose;
use useit_store::research::assignments::AssignmentQuery;

use super::reach;
use crate::{Caller, Error, Result, Store};

/// A project's assignments (names: the coordinator's).
pub async fn project_assignments(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
) -> Result<Vec<Assignment>> {
    caller.require(Capability::ManageResearch)?;
    if store.project(caller.programme, project).await?.is_none() {
        return Err(Error::NotFound);
    }
    Ok(store
        .assignments(
            caller.programme,
            AssignmentQuery {
                project: Some(project),
                ..Default::default()
            },
            &caller.actor,
            "project assignments",
        )
        .await?)
}

/// The projects a researcher is assigned to: a coordinator's, or the
/// researcher's own (anyone else's is not found).
pub async fn researcher_assignments(
    store: &dyn Store,
    caller: &Caller,
    researcher: Uuid,
) -> Result<Vec<Assignment>> {
    caller.require(Capability::RecordResearchTime)?;
    store
        .researcher(
            caller.programme,
            reach(caller),
            researcher,
            ReadPurpose::View,
            &caller.actor,
        )
        .await?;
    Ok(store
        .assignments(
            caller.programme,
            AssignmentQuery {
                researcher: Some(researcher),
                ..Default::default()
            },
            &caller.actor,
            "researcher's assignments",
        )
        .await?)
}

/// What a form for a researcher's hours offers: the researcher and the
/// projects they are assigned to (any assignment of theirs, those covering
/// today first).
#[derive(Clone, Debug)]
pub struct TimeProjects {
    pub researcher: Uuid,
    pub name: String,
    pub projects: Vec<AssignedProject>,
}

/// The projects a person may enter a researcher's hours on. A coordinator
/// names the researcher; `None` is the caller's own record. `Ok(None)`
/// when there is no one to enter hours for (an account with no researcher
/// record, a coordinator who has not chosen, an erased researcher).
/// Hours are still checked day by day on submission (`work::submit_time`).
pub async fn time_projects(
    store: &dyn Store,
    caller: &Caller,
    researcher: Option<Uuid>,
) -> Result<Option<TimeProjects>> {
    caller.require(Capability::RecordResearchTime)?;
    let r = match (researcher, reach(caller)) {
        (Some(id), r) => {
            store
                .researcher(caller.programme, r, id, ReadPurpose::View, &caller.actor)
                .await?
        }
        (None, Reach::Own(u)) => match store
            .researcher_of_user(caller.programme, u, &caller.actor)
            .await?
        {
            Some(r) => r,
            None => return Ok(None),
        },
        (None, Reach::All) => return Ok(None),
    };
    if r.erased_at.is_some() {
        return Ok(None);
    }
    let list = store
        .assignments(
            caller.programme,
            AssignmentQuery {
                researcher: Some(r.id),
                ..Default::default()
            },
            &caller.actor,
            "timesheet projects",
        )
        .await?;
    Ok(Some(TimeProjects {
        researcher: r.id,
        name: r.draft.full_name.clone(),
        projects: assigned_projects(&list, clock::today()),
    }))
}

/// Assigns a researcher to a project; a period sharing a day with another
/// of theirs on the project is refused naming `starts_on`.
pub async fn assign(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    input: &AssignmentInput,
) -> Result<Assignment> {
    caller.require(Capability::ManageResearch)?;
    let draft = input.validate()?;
    if store.project(caller.programme, project).await?.is_none() {
        return Err(Error::NotFound);
    }
    let existing = store
        .assignments(
            caller.programme,
            AssignmentQuery {
                project: Some(project),
                researcher: Some(draft.researcher),
                ..Default::default()
            },
            &caller.actor,
            "assignment check",
        )
        .await?;
    check_no_overlap(&existing, &draft)?;
    Ok(store
        .add_assignment(caller.programme, project, &draft, &caller.actor)
        .await?)
}

/// Ends an assignment on a day (unassigns the researcher from the day
/// after). Refused, naming `ends_on`, when hours entered after that day
/// would be left without an assignment.
pub async fn end_assignment(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &EndInput,
) -> Result<Assignment> {
    caller.require(Capability::ManageResearch)?;
    let a = store
        .assignments(
            caller.programme,
            AssignmentQuery {
                id: Some(id),
                ..Default::default()
            },
            &caller.actor,
            "assignment",
        )
        .await?
        .into_iter()
        .next()
        .ok_or(Error::NotFound)?;
    let ends_on = input.validate(a.starts_on)?;
    let others: Vec<Assignment> = store
        .assignments(
            caller.programme,
            AssignmentQuery {
                project: Some(a.project_id),
                researcher: Some(a.researcher_id),
                ..Default::default()
            },
            &caller.actor,
            "assignment check",
        )
        .await?
        .into_iter()
        .filter(|o| o.id != a.id)
        .collect();
    let hours = store
        .time_entries(
            caller.programme,
            useit_core::research::researcher::Reach::All,
            &TimeQuery {
                researcher: Some(a.researcher_id),
                project: Some(a.project_id),
                from: ends_on.next_day(),
                ..Default::default()
            },
            &caller.actor,
            "assignment check",
        )
        .await?;
    if let Some(left) = hours.iter().find(|e| {
        e.status != TimeStatus::Rejected
            && a.covers(e.worked_on)
            && !others.iter().any(|o| o.covers(e.worked_on))
    }) {
        return Err(Invalid::one(
            "ends_on",
            Message::new("research.assignment.hours_after").arg("date", left.worked_on),
        )
        .into());
    }
    Ok(store
        .end_assignment(caller.programme, id, ends_on, &caller.actor)
        .await?)
}

/// One assignment (the coordinator's; `NotFound` outside the programme).
pub async fn assignment(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Assignment> {
    caller.require(Capability::ManageResearch)?;
    store
        .assignments(
            caller.programme,
            AssignmentQuery {
                id: Some(id),
                ..Default::default()
            },
            &caller.actor,
            "assignment",
        )
        .await?
        .into_iter()
        .next()
        .ok_or(Error::NotFound)
}
