//! People on the way into NHS work: the list, one person with their records
//! (every read audited), adding and changing them, erasure, the subject
//! access export and the people file.

use std::collections::HashMap;

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::listing::{Page, PageRequest};
use useit_core::talent::casework::PersonInput;
use useit_core::talent::pathway::Progress;
use useit_core::talent::person::{PeopleQuery, Person, PersonRecords};
use useit_core::talent::person_csv::{self, PersonOut};
use useit_store::talent::PersonChange;

use super::caseworkers::{chosen, of_programme};
use super::matching::{Fit, fits};
use super::professions;
use crate::place::{home_place, lookup_basis};
use crate::{Caller, Error, Result, Store};

/// A page of the people the caller reaches (names are personal data: the
/// listing is audited).
pub async fn people(
    store: &dyn Store,
    caller: &Caller,
    query: &PeopleQuery,
    page: PageRequest,
) -> Result<Page<Person>> {
    caller.require(Capability::ViewPeople)?;
    Ok(store
        .list_people(
            caller.programme,
            caller.caseload(),
            query,
            page,
            &caller.actor,
        )
        .await?)
}

/// One person with their records; the read is audited. Someone outside the
/// caller's caseload is not found.
pub async fn person(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
) -> Result<(Person, PersonRecords)> {
    caller.require(Capability::ViewPeople)?;
    Ok(store
        .person(caller.programme, caller.caseload(), id, &caller.actor)
        .await?)
}

/// A person as their page and the API show them: the records, the progress
/// along their pathway today, and how each open vacancy fits them (none
/// once they cannot be put forward).
pub struct Profile {
    pub person: Person,
    pub records: PersonRecords,
    /// `None` for a profession useit does not know.
    pub progress: Option<Progress>,
    pub fits: Vec<Fit>,
    /// The name of the small area their postcode lies in (`None` when it
    /// is not placed, or the area is no longer loaded).
    pub area_name: Option<String>,
}

pub async fn profile(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Profile> {
    let (person, records) = person(store, caller, id).await?;
    let progress = person.progress(&records, clock::today());
    let fits = match (&progress, person.matchable()) {
        (Some(pr), true) => fits(store, caller.programme, &person, pr).await?,
        _ => Vec::new(),
    };
    let area_name = area_name(store, caller, person.area_code.as_deref()).await?;
    Ok(Profile {
        person,
        records,
        progress,
        fits,
        area_name,
    })
}

/// The name of a small area of the programme's look-up scheme, as the
/// place pages show it beside its code.
async fn area_name(
    store: &dyn Store,
    caller: &Caller,
    code: Option<&str>,
) -> Result<Option<String>> {
    let Some(code) = code else {
        return Ok(None);
    };
    let Some(basis) = lookup_basis(store, Some(caller.programme)).await? else {
        return Ok(None);
    };
    Ok(store.area(&basis.scheme, code).await?.map(|a| a.name))
}

/// A person whose profile can still be changed: someone erased is not found.
pub async fn editable_person(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Person> {
    caller.require(Capability::EditPeople)?;
    let (p, _) = person(store, caller, id).await?;
    if p.erased_at.is_some() {
        return Err(Error::NotFound);
    }
    Ok(p)
}

/// Adds a person: the form's rules, the caseworker it names (blank: the
/// caller, who is kept as the caseworker unless they reach every caseload),
/// and their postcode placed.
pub async fn create_person(
    store: &dyn Store,
    caller: &Caller,
    input: &PersonInput,
) -> Result<Person> {
    caller.require(Capability::EditPeople)?;
    let draft = input.validate(professions(), clock::today())?;
    let caseworker = chosen(store, caller, &input.caseworker, caller.user).await?;
    let home = home_place(store, caller.programme, draft.postcode.as_deref()).await?;
    let change = PersonChange {
        draft,
        caseworker,
        home,
    };
    Ok(store
        .create_person(caller.programme, &change, &caller.actor)
        .await?)
}

/// Replaces a person's profile (a blank caseworker keeps the current one).
pub async fn update_person(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &PersonInput,
) -> Result<Person> {
    caller.require(Capability::EditPeople)?;
    let (before, _) = person(store, caller, id).await?;
    let draft = input.validate(professions(), clock::today())?;
    let caseworker = chosen(store, caller, &input.caseworker, before.caseworker_id).await?;
    let home = home_place(store, caller.programme, draft.postcode.as_deref()).await?;
    let change = PersonChange {
        draft,
        caseworker,
        home,
    };
    Ok(store
        .update_person(
            caller.programme,
            caller.caseload(),
            id,
            &change,
            &caller.actor,
        )
        .await?)
}

/// Erases everything personal about a person; what is left has no name and
/// still counts in the results.
pub async fn erase_person(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<()> {
    caller.require(Capability::ErasePeople)?;
    Ok(store
        .erase_person(caller.programme, caller.caseload(), id, &caller.actor)
        .await?)
}

/// Everything held about a person, for a subject access request; audited
/// as an export.
pub async fn subject_access(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
) -> Result<(Person, PersonRecords)> {
    caller.require(Capability::ViewPeople)?;
    Ok(store
        .export_person(caller.programme, caller.caseload(), id, &caller.actor)
        .await?)
}

/// The people the query selects as the CSV file the import reads back (each
/// caseworker by e-mail); audited as an export.
pub async fn people_file(
    store: &dyn Store,
    caller: &Caller,
    query: &PeopleQuery,
) -> Result<String> {
    caller.require(Capability::ViewPeople)?;
    let rows = store
        .people_with_records(
            caller.programme,
            caller.caseload(),
            query,
            false,
            &caller.actor,
            "CSV download",
        )
        .await?;
    let emails: HashMap<_, _> = of_programme(store, caller.programme)
        .await?
        .into_iter()
        .map(|c| (c.id, c.email))
        .collect();
    let out: Vec<PersonOut> = rows
        .iter()
        .map(|(p, _)| PersonOut {
            id: p.id,
            draft: &p.draft,
            caseworker_email: p
                .caseworker_id
                .and_then(|c| emails.get(&c))
                .map(String::as_str),
            stage: p.stage,
            work: p.work,
        })
        .collect();
    Ok(person_csv::write_csv(&out))
}
