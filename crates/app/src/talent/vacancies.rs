//! The anchors' vacancies (and interim roles): the list, one entered by
//! hand, and a file of them.

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::csv_import::{Report, decode};
use useit_core::talent::person::ImportCounts;
use useit_core::talent::vacancy::{self, Vacancy, VacancyFields, VacancyParams};

use super::professions;
use crate::{Caller, Error, Imported, Result, Store};

/// The vacancies the filters select today, in the order asked for.
pub async fn vacancies(
    store: &dyn Store,
    caller: &Caller,
    params: &VacancyParams,
) -> Result<Vec<Vacancy>> {
    caller.require(Capability::ManageVacancies)?;
    let all = store.vacancies(caller.programme).await?;
    Ok(params.select(all, clock::today()))
}

/// Adds a vacancy, or updates the one with the same reference.
pub async fn save_vacancy(
    store: &dyn Store,
    caller: &Caller,
    fields: &VacancyFields,
) -> Result<Vacancy> {
    caller.require(Capability::ManageVacancies)?;
    let input = fields.validate(professions())?;
    Ok(store
        .save_vacancy(caller.programme, &input, &caller.actor)
        .await?)
}

/// A vacancies file as it arrived.
pub struct VacancyUpload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Reads a vacancies file and imports it all or nothing, matched by
/// reference: the same file twice changes nothing.
pub async fn import_vacancies(
    store: &dyn Store,
    caller: &Caller,
    upload: VacancyUpload<'_>,
) -> Result<Imported<ImportCounts>> {
    caller.require(Capability::ManageVacancies)?;
    let (text, _) = decode(upload.bytes);
    let mut report = Report::new(upload.file_name);
    let rows = vacancy::parse_csv(&text, professions(), &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let outcome = store
        .import_vacancies(caller.programme, &rows, &caller.actor)
        .await?;
    Ok(Imported { outcome, report })
}
