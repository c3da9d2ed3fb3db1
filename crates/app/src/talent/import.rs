//! Importing a people file: the one path for the page, the API and the
//! console, so a file means the same wherever it is imported.
//!
//! Each row's caseworker follows one rule
//! ([`useit_core::talent::caseworker::Assigner::for_row`]): the member its
//! `caseworker_email` names, who must be able to hold a caseload (any other
//! e-mail rejects the file at that line, and nothing is written); a blank on
//! a row exported earlier (it has an id) means nobody, so the export imports
//! back unchanged; a blank on a new row means whoever imports the file. At
//! the console ([`Caller::console`], no user) there is nobody importing, so
//! a blank new row joins no caseload and waits, unassigned, in the list a
//! manager sees. A caller who reaches only their own caseload keeps
//! everyone they import.
//!
//! An id updates that person within the caller's caseload; a new row
//! identical to someone already there is left alone, so the same file
//! twice changes nothing.

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::csv_import::{Report, decode};
use useit_core::talent::person::{ImportCounts, PeopleQuery};
use useit_core::talent::person_csv;
use useit_core::talent::person_import::{ImportPlan, assign, has_new, set_aside_held};
use useit_store::talent::{PersonChange, PersonImportRow};

use super::caseworkers::{assigner, of_programme};
use super::professions;
use crate::place::home_place;
use crate::{Caller, Error, Imported, Result, Store};

/// A people file as it arrived.
pub struct PeopleUpload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Reads, checks and writes a people file, all or nothing. `progress` is
/// told the rows placed so far (each postcode is looked up).
pub async fn import_people(
    store: &dyn Store,
    caller: &Caller,
    upload: PeopleUpload<'_>,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Imported<ImportCounts>> {
    caller.require(Capability::EditPeople)?;
    let (text, _) = decode(upload.bytes);
    let mut report = Report::new(upload.file_name);
    let rows = person_csv::parse_csv(&text, professions(), clock::today(), &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let caseworkers = of_programme(store, caller.programme).await?;
    let rows = assign(rows, &assigner(caller), &caseworkers, &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let plan = if has_new(&rows) {
        let held = store
            .people_with_records(
                caller.programme,
                caller.caseload(),
                &PeopleQuery::default(),
                false,
                &caller.actor,
                "people import",
            )
            .await?;
        let drafts: Vec<_> = held.iter().map(|(p, _)| &p.draft).collect();
        set_aside_held(rows, &drafts)
    } else {
        ImportPlan {
            rows,
            already_held: 0,
        }
    };
    let mut out = Vec::with_capacity(plan.rows.len());
    for (n, r) in plan.rows.into_iter().enumerate() {
        let home = home_place(store, caller.programme, r.draft.postcode.as_deref()).await?;
        out.push(PersonImportRow {
            id: r.id,
            person: PersonChange {
                draft: r.draft,
                caseworker: r.caseworker,
                home,
            },
        });
        progress(n as u64 + 1);
    }
    let mut outcome = store
        .import_people(caller.programme, caller.caseload(), &out, &caller.actor)
        .await?;
    outcome.unchanged += plan.already_held;
    Ok(Imported { outcome, report })
}
