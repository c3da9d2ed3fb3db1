//! Changing many people or placements at once (issue 15): the people
//! list's ticked rows, the placements' ticked rows, the API and
//! `useit talent bulk-people|bulk-placements`. Every change is the one the
//! single record takes (the same rules, audit entry and funnel stage),
//! written for everyone in one transaction: one person or placement the
//! caller cannot reach or change and nothing is.

use uuid::Uuid;

use time::Date;
use useit_core::UserId;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::talent::bulk::{BulkAction, BulkMoveInput, BulkPeople, BulkPeopleInput};
use useit_core::talent::casework::PlacementStatus;
use useit_core::talent::person::{Person, Placement, RecordChange};
use useit_core::validation::Invalid;

use super::caseworkers;
use crate::{Caller, Error, Result, Store};

/// What a bulk change to people will do: the people it names (as the
/// confirmation page lists them) and, per person, the change.
#[derive(Debug)]
pub struct PeoplePlan {
    pub action: BulkAction,
    pub people: Vec<Person>,
    /// For a caseworker change: whom they all get (`None`: nobody).
    pub caseworker: Option<UserId>,
    /// For the other actions: each person's change.
    pub changes: Vec<(Uuid, RecordChange)>,
}

/// Names the people of a list, for a message: "Ana Silva, Ben Okafor".
fn names(people: &[&Person]) -> String {
    people
        .iter()
        .map(|p| p.draft.full_name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The people a bulk change names and its action, checked: the caller may
/// change people (and, to give them a caseworker, reach every caseload);
/// everyone named is in the caller's programme and caseload and not
/// erased. Their names are what the confirmation page lists; the read is
/// audited. The record's own fields are not checked yet.
pub async fn chosen(
    store: &dyn Store,
    caller: &Caller,
    input: &BulkPeopleInput,
) -> Result<(BulkPeople, Vec<Person>)> {
    caller.require(Capability::EditPeople)?;
    let chosen_input = input.validate()?;
    if chosen_input.action.needs_every_caseload() && !caller.can(Capability::ViewAllCaseloads) {
        return Err(Error::Refused);
    }
    let people = store
        .people_by_ids(
            caller.programme,
            caller.caseload(),
            &chosen_input.people,
            &caller.actor,
            "bulk change",
        )
        .await?;
    let missing = chosen_input.people.len() - people.len();
    if missing > 0 {
        return Err(Error::unknown(
            "people",
            Message::new("talent.bulk.unknown").arg("count", missing),
        ));
    }
    let erased: Vec<&Person> = people.iter().filter(|p| p.erased_at.is_some()).collect();
    if !erased.is_empty() {
        return Err(Error::invalid(
            "people",
            Message::new("talent.bulk.erased").arg("count", erased.len()),
        ));
    }
    Ok((chosen_input, people))
}

/// Checks a bulk change without writing it: everyone named must be in the
/// caller's programme and caseload and not erased, and the change must be
/// one each of them may take (a step of their own pathway). Reading the
/// names is audited. `progress` is told each person checked.
pub async fn plan_people(
    store: &dyn Store,
    caller: &Caller,
    input: &BulkPeopleInput,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<PeoplePlan> {
    let (chosen_input, people) = chosen(store, caller, input).await?;
    let mut plan = PeoplePlan {
        action: chosen_input.action,
        people: Vec::new(),
        caseworker: None,
        changes: Vec::new(),
    };
    if chosen_input.action == BulkAction::Caseworker {
        plan.caseworker =
            caseworkers::chosen(store, caller, &chosen_input.caseworker, None).await?;
        progress(people.len() as u64);
    } else {
        let today = clock::today();
        let mut refused: Vec<&Person> = Vec::new();
        let mut first: Option<Invalid> = None;
        for (n, p) in people.iter().enumerate() {
            match chosen_input.record.validate(&p.draft.profession, today) {
                Ok(change) => plan.changes.push((p.id, change)),
                Err(e) => {
                    refused.push(p);
                    first.get_or_insert(e);
                }
            }
            progress(n as u64 + 1);
        }
        if let Some(e) = first {
            // The same fields for everyone (a date, a barrier): as for one.
            // A step only some of them have on their pathway: name them.
            let only_some = refused.len() < people.len();
            if only_some && e.0.iter().all(|f| f.field == "step") {
                return Err(Error::invalid(
                    "step",
                    Message::new("talent.bulk.not_their_step")
                        .arg("count", refused.len())
                        .arg("names", names(&refused)),
                ));
            }
            return Err(e.into());
        }
    }
    plan.people = people;
    Ok(plan)
}

/// Checks and writes a bulk change to people, all or nothing, with an audit
/// entry per person changed.
pub async fn change_people(
    store: &dyn Store,
    caller: &Caller,
    input: &BulkPeopleInput,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<PeoplePlan> {
    let plan = plan_people(store, caller, input, progress).await?;
    let (programme, load) = (caller.programme, caller.caseload());
    if plan.action == BulkAction::Caseworker {
        let ids: Vec<Uuid> = plan.people.iter().map(|p| p.id).collect();
        store
            .assign_caseworker(programme, load, &ids, plan.caseworker, &caller.actor)
            .await?;
    } else {
        store
            .change_records_many(programme, load, &plan.changes, &caller.actor)
            .await?;
    }
    Ok(plan)
}

/// What a bulk move of placements will do.
#[derive(Debug)]
pub struct MovePlan {
    pub status: PlacementStatus,
    pub on: Date,
    /// The placements as they stand before the move, in the order named.
    pub placements: Vec<Placement>,
}

/// Checks a bulk move without writing it: every placement named must be in
/// the caller's caseload and able to move to the status asked for.
pub async fn plan_moves(
    store: &dyn Store,
    caller: &Caller,
    input: &BulkMoveInput,
) -> Result<MovePlan> {
    caller.require(Capability::EditPeople)?;
    let asked = input.validate(clock::today())?;
    let all = store
        .placements(
            caller.programme,
            caller.caseload(),
            &caller.actor,
            "bulk move",
        )
        .await?;
    let mut placements = Vec::with_capacity(asked.placements.len());
    let mut missing = 0usize;
    for id in &asked.placements {
        match all.iter().find(|p| p.id == *id) {
            Some(p) => placements.push(p.clone()),
            None => missing += 1,
        }
    }
    if missing > 0 {
        return Err(Error::unknown(
            "placements",
            Message::new("talent.bulk.unknown").arg("count", missing),
        ));
    }
    let stuck: Vec<&Placement> = placements
        .iter()
        .filter(|p| !p.status.next().contains(&asked.status))
        .collect();
    if !stuck.is_empty() {
        let who: Vec<String> = stuck
            .iter()
            .map(|p| {
                format!(
                    "{} ({})",
                    p.person_name.clone().unwrap_or_default(),
                    Message::new(p.status.label_key()).text()
                )
            })
            .collect();
        return Err(Error::invalid(
            "status",
            Message::new("talent.bulk.cannot_move")
                .arg("count", stuck.len())
                .arg("status", Message::new(asked.status.label_key()).text())
                .arg("names", who.join(", ")),
        ));
    }
    Ok(MovePlan {
        status: asked.status,
        on: asked.on,
        placements,
    })
}

/// Checks and writes a bulk move, all or nothing; the placements as they
/// stand after it.
pub async fn move_many(
    store: &dyn Store,
    caller: &Caller,
    input: &BulkMoveInput,
) -> Result<Vec<Placement>> {
    let plan = plan_moves(store, caller, input).await?;
    let ids: Vec<Uuid> = plan.placements.iter().map(|p| p.id).collect();
    Ok(store
        .set_placement_statuses(
            caller.programme,
            caller.caseload(),
            &ids,
            plan.status,
            plan.on,
            &caller.actor,
        )
        .await?)
}
