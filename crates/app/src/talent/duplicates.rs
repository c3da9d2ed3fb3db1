//! One person registered twice (through two partners, or with two e-mail
//! addresses): finding the pairs and merging them.

use useit_core::auth::Capability;
use useit_core::talent::casework::{PersonMatch, find_duplicates};
use useit_core::talent::person::{MergeInput, PeopleQuery, Person, PersonRecords};

use crate::{Caller, Result, Store};

/// The people of the caller's caseload with their records, and the pairs
/// (indexes into `people`) that may be one person, with the strongest reason.
pub struct Duplicates {
    pub people: Vec<(Person, PersonRecords)>,
    pub pairs: Vec<(usize, usize, PersonMatch)>,
}

pub async fn duplicates(store: &dyn Store, caller: &Caller) -> Result<Duplicates> {
    caller.require(Capability::EditPeople)?;
    let people = store
        .people_with_records(
            caller.programme,
            caller.caseload(),
            &PeopleQuery::default(),
            true,
            &caller.actor,
            "duplicate check",
        )
        .await?;
    let drafts: Vec<_> = people.iter().map(|(p, _)| &p.draft).collect();
    let pairs = find_duplicates(&drafts);
    Ok(Duplicates { people, pairs })
}

/// Merges `other` into `keep`: the records move, blank fields are filled
/// and `other` is removed. Both must be in the caller's caseload.
pub async fn merge_people(
    store: &dyn Store,
    caller: &Caller,
    input: &MergeInput,
) -> Result<Person> {
    caller.require(Capability::EditPeople)?;
    let (keep, other) = input.validate()?;
    Ok(store
        .merge_people(
            caller.programme,
            caller.caseload(),
            keep,
            other,
            &caller.actor,
        )
        .await?)
}
