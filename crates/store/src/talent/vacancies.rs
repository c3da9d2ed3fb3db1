//! The anchors' vacancies that people are matched to: saved one by one or
//! imported from a file, each read with the posts its placements hold
//! (SQL in `vacancies_sql.rs`). Vacancies name no one, so reads are not
//! audited.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;

use super::{ImportCounts, Vacancy, VacancyInput};
use crate::Result;

#[async_trait]
pub trait VacancyStore {
    async fn save_vacancy(
        &self,
        programme: ProgrammeId,
        input: &VacancyInput,
        actor: &Actor,
    ) -> Result<Vacancy>;
    /// All rows in one transaction, matched by reference: the same file twice
    /// changes nothing.
    async fn import_vacancies(
        &self,
        programme: ProgrammeId,
        rows: &[VacancyInput],
        actor: &Actor,
    ) -> Result<ImportCounts>;
    async fn vacancies(&self, programme: ProgrammeId) -> Result<Vec<Vacancy>>;
    async fn vacancy(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Vacancy>>;
}
