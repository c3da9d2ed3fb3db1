//! Talent: people on the way into NHS jobs (personal data: every read and
//! change is audited, and a caseworker reaches only their own caseload),
//! their pathway records, the anchors' vacancies and the placements.
//!
//! [`TalentStore`] (here, SQL in `sql.rs`) keeps the people themselves.
//! Each other resource has its own trait in a module of its own, its SQL
//! beside it in `<resource>_sql.rs`: a person's [`records`], merging
//! [`duplicates`], [`vacancies`], [`placements`], and the [`results`] with
//! their savings inputs.

pub mod duplicates;
pub mod placements;
pub mod records;
pub mod results;
pub mod vacancies;

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::audit::{Actor, AuditAction, AuditEntry};
use useit_core::listing::{Page, PageRequest};
use useit_core::talent::casework::{LawfulBasis, PersonDraft, RightToWork};
use useit_core::talent::pathway::EnglishTest;
use useit_core::{ProgrammeId, UserId};

pub(crate) use useit_core::talent::person::{
    BarrierEntry, Caseload, HomePlace, ImportCounts, LanguageEntry, NoteEntry, PeopleQuery,
    PeopleSort, Person, PersonRecords, Placement, RecordChange, StepEntry, SupportEntry,
};
pub(crate) use useit_core::talent::settings::TalentSettings;
pub(crate) use useit_core::talent::vacancy::{Vacancy, VacancyInput};

pub use placements::Proposal;

use crate::Result;

/// The column a people list is sorted by.
pub(crate) fn people_sort_column(sort: PeopleSort) -> &'static str {
    match sort {
        PeopleSort::Name => "full_name",
        PeopleSort::Profession => "profession",
        PeopleSort::Stage => "stage",
        PeopleSort::Updated => "updated_at",
    }
}

/// A person as added or changed: the profile, the caseworker (or none) and
/// where their postcode lies.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonChange {
    pub draft: PersonDraft,
    pub caseworker: Option<UserId>,
    pub home: HomePlace,
}

/// One row of a people import: an id from an earlier export updates that person.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonImportRow {
    pub id: Option<Uuid>,
    pub person: PersonChange,
}

#[async_trait]
pub trait TalentStore {
    /// Adds a person; the caseworker is the one given (or none).
    async fn create_person(
        &self,
        programme: ProgrammeId,
        person: &PersonChange,
        actor: &Actor,
    ) -> Result<Person>;
    /// Replaces a person's profile and caseworker (`NotFound` outside the
    /// caseload; a conflict on `id` once they are erased); the audit entry
    /// names the fields changed, never their values.
    async fn update_person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        person: &PersonChange,
        actor: &Actor,
    ) -> Result<Person>;
    /// One person with their records; the read is audited. `NotFound` for a
    /// person outside the caseload.
    async fn person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        actor: &Actor,
    ) -> Result<(Person, PersonRecords)>;
    /// Everything held about a person, for a subject access request: the
    /// read is in the audit log as an export.
    async fn export_person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        actor: &Actor,
    ) -> Result<(Person, PersonRecords)>;
    /// A page of people (names are personal data: the listing is audited).
    async fn list_people(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        query: &PeopleQuery,
        page: PageRequest,
        actor: &Actor,
    ) -> Result<Page<Person>>;
    /// Every person the query selects (with their records when asked: a
    /// CSV of profiles needs none), for matching and exports; audited as one
    /// export.
    async fn people_with_records(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        query: &PeopleQuery,
        with_records: bool,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<(Person, PersonRecords)>>;
    /// Gives every person named one caseworker (or none) in one
    /// transaction, with an audit entry for each person it changes.
    async fn assign_caseworker(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        ids: &[Uuid],
        caseworker: Option<UserId>,
        actor: &Actor,
    ) -> Result<()>;
    /// The people named that the caseload reaches, in the order named
    /// (the rest left out); the read is one audit entry with `purpose`.
    async fn people_by_ids(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        ids: &[Uuid],
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<Person>>;
    /// Creates or updates (by id, within the caseload) every row in one
    /// transaction: a row whose id is not in the caseload is a new person,
    /// and a row that changes nothing is counted unchanged.
    async fn import_people(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        rows: &[PersonImportRow],
        actor: &Actor,
    ) -> Result<ImportCounts>;
    /// Erases everything personal about a person: the profile's personal
    /// fields, notes, language results, evidence and barrier notes. What
    /// is left (profession, stage, work outcome, barriers, support,
    /// placements) has no name and still counts in the results.
    async fn erase_person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()>;
}

/// The caseworker a caseload is limited to (`None`: everyone's).
pub(crate) fn caseload_user(c: Caseload) -> Option<Uuid> {
    match c {
        Caseload::All => None,
        Caseload::Of(u) => Some(u.0),
    }
}

/// An audit entry about one of the programme's records: every talent and
/// research SQL file writes them.
pub(crate) fn entry(
    actor: &Actor,
    programme: ProgrammeId,
    action: AuditAction,
    subject: &str,
    id: Option<Uuid>,
    summary: String,
) -> AuditEntry {
    AuditEntry::new(
        actor,
        Some(programme),
        action,
        subject,
        id.map(|i| i.to_string()),
        summary,
    )
}

pub(crate) fn decode_err(what: &str, v: &str) -> crate::StoreError {
    crate::StoreError::Database(sqlx::Error::Decode(format!("{what} {v}").into()))
}

pub(crate) fn parse_or<T>(what: &str, v: &str, f: impl Fn(&str) -> Option<T>) -> Result<T> {
    f(v).ok_or_else(|| decode_err(what, v))
}

pub(crate) fn english_test(v: &str) -> Result<EnglishTest> {
    parse_or("english test", v, EnglishTest::parse)
}

pub(crate) fn basis(v: &str) -> Result<LawfulBasis> {
    parse_or("lawful basis", v, LawfulBasis::parse)
}

pub(crate) fn rtw(v: Option<String>) -> Result<Option<RightToWork>> {
    v.map(|v| parse_or("right to work", &v, RightToWork::parse))
        .transpose()
}
