//! Talent: people on the way into NHS jobs (personal data: every read and
//! change is audited, and a caseworker reaches only their own caseload),
//! their pathway records, the anchors' vacancies and the placements.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::audit::Actor;
use useit_core::listing::{Page, PageRequest};
use useit_core::talent::casework::{LawfulBasis, PersonDraft, PlacementStatus, RightToWork};
use useit_core::talent::pathway::EnglishTest;
use useit_core::talent::results::{BarrierFact, FilledPost, FunnelFact};
use useit_core::{ProgrammeId, UserId};

pub(crate) use useit_core::talent::person::{
    BarrierEntry, Caseload, HomePlace, ImportCounts, LanguageEntry, NoteEntry, PeopleQuery,
    PeopleSort, Person, PersonRecords, Placement, RecordChange, StepEntry, SupportEntry,
};
pub(crate) use useit_core::talent::settings::TalentSettings;
pub(crate) use useit_core::talent::vacancy::{Vacancy, VacancyInput};

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

/// A pair the matcher proposed, confirmed: the person is put forward for the
/// vacancy with the score and its reasons (JSON) as the matcher explained them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub person: Uuid,
    pub vacancy: Uuid,
    pub score: i64,
    pub reasons: String,
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
    /// Records a change, audits it and sets the person's funnel stage from
    /// the records after it, in one transaction.
    async fn change_records(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        change: &RecordChange,
        actor: &Actor,
    ) -> Result<()>;
    /// Records many changes (one person each) in one transaction, each with
    /// its audit entry and the person's funnel stage set after it: one
    /// person outside the caseload (`NotFound`), erased or refused and
    /// nothing is written.
    async fn change_records_many(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        changes: &[(Uuid, RecordChange)],
        actor: &Actor,
    ) -> Result<()>;
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
    /// Merges `other` into `keep` (one person registered twice): `other`'s
    /// records move to `keep` (a step or placement both hold is kept once),
    /// `keep`'s blank fields take `other`'s values, and `other` is removed.
    /// Both must be in the caseload.
    async fn merge_people(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        keep: Uuid,
        other: Uuid,
        actor: &Actor,
    ) -> Result<Person>;
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

    /// Puts a person forward for a vacancy. Refuses (conflict on `vacancy`)
    /// when every post is held, so posts are never over-filled, and (conflict
    /// on `person`) someone erased, without consent or already in work.
    async fn confirm_placement(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        proposal: &Proposal,
        actor: &Actor,
    ) -> Result<Placement>;
    /// Moves a placement on (only to a status `PlacementStatus::next`
    /// allows); `started` puts the person into NHS work.
    async fn set_placement_status(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        placement: Uuid,
        status: PlacementStatus,
        on: Date,
        actor: &Actor,
    ) -> Result<Placement>;
    /// Moves every placement named to one status in one transaction, with
    /// an audit entry each; one that may not move there or is outside the
    /// caseload and none moves.
    async fn set_placement_statuses(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        placements: &[Uuid],
        status: PlacementStatus,
        on: Date,
        actor: &Actor,
    ) -> Result<Vec<Placement>>;
    /// The caseload's placements, newest change first. They name people,
    /// so the read is in the audit log with its `purpose`.
    async fn placements(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<Placement>>;

    /// Anonymous facts for the results pages (no personal data, no audit).
    async fn funnel_facts(&self, programme: ProgrammeId) -> Result<Vec<FunnelFact>>;
    async fn barrier_facts(&self, programme: ProgrammeId) -> Result<Vec<BarrierFact>>;
    async fn filled_posts(&self, programme: ProgrammeId) -> Result<Vec<FilledPost>>;
    async fn talent_settings(&self, programme: ProgrammeId) -> Result<TalentSettings>;
    async fn save_talent_settings(
        &self,
        programme: ProgrammeId,
        settings: &TalentSettings,
        actor: &Actor,
    ) -> Result<()>;
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
