//! A resident on the way into NHS work as their caseworker sees them, the
//! records kept about them, their placements, and whose caseload a caller
//! reaches. Personal data: the store audits every read and change.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::casework::{Barrier, FunnelStage, PersonDraft, PlacementStatus, Support, WorkOutcome};
use super::pathway::{LanguageResult, Progress, StepRecord, progress};
use super::profession::Professions;
use crate::i18n::Message;
use crate::listing::SortDir;
use crate::validation::{Errors, Invalid};
use crate::{ProgrammeId, UserId};

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
    #[serde(with = "crate::iso_date::option")]
    pub consent_withdrawn_on: Option<Date>,
    pub stage: FunnelStage,
    pub work: WorkOutcome,
    #[serde(with = "crate::iso_date::option")]
    pub work_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub erased_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
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

    /// Their progress along their profession's pathway today (`None` for a
    /// profession useit does not know).
    pub fn progress(&self, recs: &PersonRecords, today: Date) -> Option<Progress> {
        let prof = Professions::shipped().get(&self.draft.profession)?;
        Some(progress(
            prof,
            &recs.step_records(),
            &recs.language_results(),
            today,
        ))
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
    #[serde(with = "crate::iso_date")]
    pub raised_on: Date,
    #[serde(with = "crate::iso_date::option")]
    pub resolved_on: Option<Date>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SupportEntry {
    pub id: Uuid,
    pub kind: Support,
    #[serde(with = "crate::iso_date")]
    pub given_on: Date,
    pub cost_pence: i64,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteEntry {
    pub id: Uuid,
    pub author: String,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
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
    #[serde(with = "crate::iso_date::option")]
    pub started_on: Option<Date>,
    #[serde(with = "crate::iso_date::option")]
    pub left_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
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
}

/// The people one of the programme's talent indicators counts, so that a
/// figure on the home page links to exactly the rows it counts: the same
/// definitions as `programme::indicators::talent`, over the same days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    /// Engaged: dated by the day of consent, or of the record.
    Engaged,
    /// Engaged in the period and on a pathway (a stage past engaged, or in
    /// work).
    OnPathway,
    /// Into NHS work, into the care sector, into any work: dated by the day
    /// work started where recorded, else the day engaged.
    IntoNhs,
    IntoCare,
    IntoWork,
}

impl Counted {
    pub const ALL: [Counted; 5] = [
        Counted::Engaged,
        Counted::OnPathway,
        Counted::IntoNhs,
        Counted::IntoCare,
        Counted::IntoWork,
    ];

    /// The indicator's own short name (`talent_on_pathway`).
    pub fn slug(self) -> &'static str {
        match self {
            Counted::Engaged => "talent_engaged",
            Counted::OnPathway => "talent_on_pathway",
            Counted::IntoNhs => "talent_into_nhs",
            Counted::IntoCare => "talent_into_care",
            Counted::IntoWork => "talent_into_work",
        }
    }

    pub fn parse(s: &str) -> Option<Counted> {
        Self::ALL.into_iter().find(|c| c.slug() == s.trim())
    }

    /// The indicator's name, as the home page shows it.
    pub fn label_key(self) -> String {
        format!("indicators.{}", self.slug())
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
    /// Only the people an indicator counts, between `from` and `to` (both
    /// days included, open where `None`). Erased people are among them, as
    /// the indicator counts them.
    pub counted: Option<Counted>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub sort: PeopleSort,
    pub dir: SortDir,
}

/// The people list's filters, sort and page, as the page and the API take
/// them.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct PeopleParams {
    /// Free text over name, e-mail, phone, postcode and country.
    pub q: String,
    pub profession: String,
    /// engaged, on_pathway or registered.
    pub stage: String,
    /// none, nhs, care_sector or other.
    pub work: String,
    /// A caseworker's user id.
    pub caseworker: String,
    /// Only the people a programme indicator counts: talent_engaged,
    /// talent_on_pathway, talent_into_nhs, talent_into_care or
    /// talent_into_work (erased people included, as the figure counts them).
    pub counted: String,
    /// With `counted`: the first and last day (YYYY-MM-DD) of the period
    /// counted, by the day the indicator dates each person.
    pub from: String,
    pub to: String,
    /// name, profession, stage or updated.
    pub sort: String,
    pub dir: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl PeopleParams {
    /// The query the store runs (values it does not know are ignored).
    pub fn query(&self) -> PeopleQuery {
        let counted = Counted::parse(&self.counted);
        PeopleQuery {
            search: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            profession: Some(self.profession.clone()).filter(|p| !p.is_empty()),
            stage: FunnelStage::parse(&self.stage),
            work: WorkOutcome::parse(&self.work),
            caseworker: self.caseworker.parse::<Uuid>().ok().map(UserId),
            include_erased: counted.is_some(),
            counted,
            from: counted.and(crate::validation::parse_date(&self.from)),
            to: counted.and(crate::validation::parse_date(&self.to)),
            sort: PeopleSort::parse(&self.sort).unwrap_or_default(),
            dir: SortDir::parse(Some(self.dir.as_str())),
        }
    }
}

/// Two records to merge, as chosen on the duplicates page or sent to the API.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MergeInput {
    /// The record that stays (one of the programme's: another is a 404).
    #[cfg_attr(feature = "openapi", schema(required = true, format = Uuid))]
    pub keep: String,
    /// The record merged into it and removed.
    #[cfg_attr(feature = "openapi", schema(required = true, format = Uuid))]
    pub other: String,
}

impl MergeInput {
    /// The ids of the record kept and the record merged into it.
    pub fn validate(&self) -> Result<(Uuid, Uuid), Invalid> {
        let mut e = Errors::new();
        let mut id = |field: &str, raw: &str| {
            let id = Uuid::parse_str(raw.trim()).ok();
            if id.is_none() {
                e.add(field, Message::new("talent.merge.choose"));
            }
            id
        };
        let (keep, other) = (id("keep", &self.keep), id("other", &self.other));
        e.finish(|| (keep.expect("checked"), other.expect("checked")))
    }
}

/// What an import of vacancies or people did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_params_become_the_store_query_ignoring_what_is_unknown() {
        let p = PeopleParams {
            q: "  ".into(),
            profession: "nurse".into(),
            stage: "registered".into(),
            work: "nowhere".into(),
            caseworker: "not-an-id".into(),
            sort: "stage".into(),
            dir: "desc".into(),
            ..Default::default()
        };
        let q = p.query();
        assert_eq!(q.search, None);
        assert_eq!(q.profession.as_deref(), Some("nurse"));
        assert_eq!(q.stage, Some(FunnelStage::Registered));
        assert_eq!((q.work, q.caseworker), (None, None));
        assert_eq!((q.sort, q.dir), (PeopleSort::Stage, SortDir::Desc));
        assert!(!q.include_erased);
        assert_eq!((q.counted, q.from, q.to), (None, None, None));
        // An indicator's rows, with its period, erased people included.
        let p = PeopleParams {
            counted: "talent_on_pathway".into(),
            from: "2025-04-01".into(),
            to: "not a day".into(),
            ..Default::default()
        };
        let q = p.query();
        assert_eq!(q.counted, Some(Counted::OnPathway));
        assert_eq!(
            (q.from, q.to),
            (Some(time::macros::date!(2025 - 04 - 01)), None)
        );
        assert!(q.include_erased);
        assert!(
            Counted::ALL
                .iter()
                .all(|c| Counted::parse(c.slug()) == Some(*c))
        );
    }

    #[test]
    fn a_merge_names_both_records() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let ok = MergeInput {
            keep: a.to_string(),
            other: format!(" {b} "),
        };
        assert_eq!(ok.validate(), Ok((a, b)));
        let Invalid(errs) = MergeInput {
            keep: "x".into(),
            other: String::new(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["keep", "other"]);
    }
}
