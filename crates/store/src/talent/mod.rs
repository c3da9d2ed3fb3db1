//! Talent: people on the way into NHS jobs (personal data: every read and
//! change is audited, and a caseworker reaches only their own caseload),
//! their pathway records, the anchors' vacancies and the placements.

use async_trait::async_trait;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::audit::Actor;
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::talent::casework::{
    Barrier, FunnelStage, LawfulBasis, PersonDraft, PlacementStatus, RightToWork, Support,
    WorkOutcome,
};
use useit_core::talent::pathway::{EnglishTest, LanguageResult, StepRecord};
use useit_core::talent::results::{BarrierFact, FilledPost, FunnelFact, SavingsSettings};
use useit_core::{ProgrammeId, UserId};

use crate::Result;

/// Whose people a caller may reach: everyone's (managers) or one
/// caseworker's own. Every read of people takes one, so it cannot be
/// forgotten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caseload {
    All,
    Of(UserId),
}

/// Where a person lives, as the place module resolved their postcode.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HomePlace {
    pub area_code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A person as their caseworker sees them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Person {
    pub id: Uuid,
    pub programme_id: ProgrammeId,
    pub caseworker_id: Option<UserId>,
    pub caseworker_name: Option<String>,
    /// Empty after erasure, as is every other personal field.
    pub draft: PersonDraft,
    pub area_code: Option<String>,
    #[serde(skip)]
    pub home: Option<(f64, f64)>,
    pub consent_withdrawn_on: Option<Date>,
    pub stage: FunnelStage,
    pub work: WorkOutcome,
    pub work_on: Option<Date>,
    pub erased_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Person {
    /// May be proposed for vacancies: not erased, consent not withdrawn,
    /// not already in work.
    pub fn matchable(&self) -> bool {
        self.erased_at.is_none()
            && self.consent_withdrawn_on.is_none()
            && self.work == WorkOutcome::NoneYet
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepEntry {
    pub id: Uuid,
    pub record: StepRecord,
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LanguageEntry {
    pub id: Uuid,
    pub result: LanguageResult,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BarrierEntry {
    pub id: Uuid,
    pub barrier: Barrier,
    pub rule: Option<String>,
    pub raised_on: Date,
    pub resolved_on: Option<Date>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SupportEntry {
    pub id: Uuid,
    pub kind: Support,
    pub given_on: Date,
    pub cost_pence: i64,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteEntry {
    pub id: Uuid,
    pub author: String,
    pub body: String,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: Option<String>,
    pub vacancy_id: Uuid,
    pub vacancy_title: String,
    pub status: PlacementStatus,
    pub score: i64,
    /// The score's parts as the matcher explained them (JSON).
    pub reasons: String,
    pub started_on: Option<Date>,
    pub left_on: Option<Date>,
    pub updated_at: OffsetDateTime,
}

/// Everything held about a person besides the profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PersonRecords {
    pub steps: Vec<StepEntry>,
    pub language: Vec<LanguageEntry>,
    pub barriers: Vec<BarrierEntry>,
    pub support: Vec<SupportEntry>,
    pub notes: Vec<NoteEntry>,
    pub placements: Vec<Placement>,
}

impl PersonRecords {
    pub fn step_records(&self) -> Vec<StepRecord> {
        self.steps.iter().map(|s| s.record.clone()).collect()
    }
    pub fn language_results(&self) -> Vec<LanguageResult> {
        self.language.iter().map(|l| l.result.clone()).collect()
    }
}

/// A change to a person's records, audited as one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordChange {
    Step {
        step: String,
        passed_on: Date,
        evidence: String,
    },
    Language(LanguageResult),
    Barrier {
        barrier: Barrier,
        rule: Option<String>,
        raised_on: Date,
        note: String,
    },
    ResolveBarrier {
        id: Uuid,
        resolved_on: Date,
    },
    Support {
        kind: Support,
        given_on: Date,
        cost_pence: i64,
        note: String,
    },
    Note {
        body: String,
    },
    WithdrawConsent {
        on: Date,
    },
    Work {
        work: WorkOutcome,
        on: Option<Date>,
    },
}

impl RecordChange {
    /// What the audit log says was changed (never the values themselves).
    pub fn audit_subject(&self) -> &'static str {
        match self {
            RecordChange::Step { .. } => "talent_step",
            RecordChange::Language(_) => "talent_language_result",
            RecordChange::Barrier { .. } | RecordChange::ResolveBarrier { .. } => "talent_barrier",
            RecordChange::Support { .. } => "talent_support",
            RecordChange::Note { .. } => "talent_note",
            RecordChange::WithdrawConsent { .. } => "talent_consent",
            RecordChange::Work { .. } => "talent_work",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PeopleSort {
    #[default]
    Name,
    Profession,
    Stage,
    Updated,
}

impl PeopleSort {
    pub const ALL: [PeopleSort; 4] = [
        PeopleSort::Name,
        PeopleSort::Profession,
        PeopleSort::Stage,
        PeopleSort::Updated,
    ];
    pub fn slug(&self) -> &'static str {
        match self {
            PeopleSort::Name => "name",
            PeopleSort::Profession => "profession",
            PeopleSort::Stage => "stage",
            PeopleSort::Updated => "updated",
        }
    }
    pub fn parse(s: &str) -> Option<PeopleSort> {
        Self::ALL.into_iter().find(|v| v.slug() == s)
    }
    pub(crate) fn column(&self) -> &'static str {
        match self {
            PeopleSort::Name => "full_name",
            PeopleSort::Profession => "profession",
            PeopleSort::Stage => "stage",
            PeopleSort::Updated => "updated_at",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeopleQuery {
    pub search: Option<String>,
    pub profession: Option<String>,
    pub stage: Option<FunnelStage>,
    pub work: Option<WorkOutcome>,
    pub caseworker: Option<UserId>,
    /// Erased people are listed only when asked for (they have no name).
    pub include_erased: bool,
    pub sort: PeopleSort,
    pub dir: SortDir,
}

pub use useit_core::talent::vacancy::VacancyInput;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Vacancy {
    pub id: Uuid,
    pub input: VacancyInput,
    /// Posts held by placements put forward, applied, interviewed, offered or started.
    pub posts_held: u32,
    pub posts_started: u32,
}

impl Vacancy {
    pub fn posts_free(&self) -> u32 {
        self.input.posts.saturating_sub(self.posts_held)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TalentSettings {
    pub target_engaged: i64,
    pub target_into_work: i64,
    pub savings: SavingsSettings,
}

impl Default for TalentSettings {
    /// The USE-IT! target: 60 people engaged (it engaged almost 200).
    fn default() -> Self {
        TalentSettings {
            target_engaged: 60,
            target_into_work: 20,
            savings: SavingsSettings::default(),
        }
    }
}

/// One row of a people import: an id from an earlier export updates that person.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonImportRow {
    pub id: Option<Uuid>,
    pub draft: PersonDraft,
    pub caseworker: Option<UserId>,
    pub home: HomePlace,
}

/// What an import of vacancies or people did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[async_trait]
pub trait TalentStore {
    /// Adds a person; the caseworker is the one given (or none).
    async fn create_person(
        &self,
        programme: ProgrammeId,
        draft: &PersonDraft,
        caseworker: Option<UserId>,
        home: &HomePlace,
        actor: &Actor,
    ) -> Result<Person>;
    async fn update_person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        draft: &PersonDraft,
        caseworker: Option<UserId>,
        home: &HomePlace,
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
    /// Creates or updates (by id, within the caseload) every row in one
    /// transaction: the same file twice changes nothing.
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
    /// when every post is held, so posts are never over-filled.
    async fn confirm_placement(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        person: Uuid,
        vacancy: Uuid,
        score: i64,
        reasons: &str,
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

/// Places a person's postcode: the small area of the programme's lookup
/// scheme and the centroid (for travel to a vacancy's site). An unknown
/// postcode is kept, unplaced.
pub async fn home_place(
    store: &dyn crate::Store,
    programme: ProgrammeId,
    postcode: Option<&str>,
) -> Result<HomePlace> {
    let Some(pc) = postcode.and_then(|p| useit_core::place::postcode::Postcode::parse(p).ok())
    else {
        return Ok(HomePlace::default());
    };
    let Some(rec) = store.postcode(pc.compact()).await? else {
        return Ok(HomePlace::default());
    };
    let scheme = crate::place::lookup_basis(store, Some(programme))
        .await?
        .map(|b| b.scheme);
    Ok(HomePlace {
        area_code: scheme.and_then(|s| rec.area_in(&s).map(String::from)),
        lat: rec.lat,
        lon: rec.lon,
    })
}
