//! How the talent records read on a page and in the API: labels, choices,
//! the matcher's reasons in words, proposals and duplicate pairs, the
//! placements download.

use axum::response::Response;
use serde::Serialize;
use useit_app::programme::stories::person_export;
use useit_app::talent::duplicates::Duplicates;
use useit_app::talent::matching::Proposed;
use useit_core::clock;
use useit_core::i18n::{t, tf, tn};
use useit_core::money::format_pence;
use useit_core::talent::casework::FunnelStage;
use useit_core::talent::matching::{Gate, ScorePart};
use useit_core::talent::pathway::{EnglishTest, LanguageResult};
use useit_core::talent::person::{Person, PersonRecords, Placement};
use useit_core::talent::placement;
use useit_core::talent::profession::Professions;
use uuid::Uuid;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::http::views::{Choice, csv_download};
use crate::state::AppState;

/// Where the context's pages live.
pub fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/talent", ctx.programme()?.slug))
}

pub fn professions() -> &'static Professions {
    Professions::shipped()
}

/// The choices of a select over a catalogue, after a first choice worded by `first`.
pub fn choices<T: Copy>(
    all: &[T],
    key: impl Fn(&T) -> (String, String),
    first: Option<&str>,
) -> Vec<Choice> {
    let mut v: Vec<Choice> = first
        .map(|f| vec![Choice::new("", t(f))])
        .unwrap_or_default();
    v.extend(all.iter().map(|x| {
        let (value, label_key) = key(x);
        Choice::new(value, t(&label_key))
    }));
    v
}

pub fn profession_choices(first: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", t(first))];
    v.extend(
        professions()
            .all()
            .map(|p| Choice::new(p.code.clone(), p.name.clone())),
    );
    v
}

pub fn profession_name(code: &str) -> String {
    professions()
        .get(code)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| code.to_string())
}

pub fn stage_label(s: impl std::borrow::Borrow<FunnelStage>) -> String {
    t(&format!("talent.stage.{}", s.borrow().slug())).to_string()
}

pub fn money(p: &Option<i64>) -> String {
    p.map(format_pence).unwrap_or_default()
}

/// A language result's scores as people read them: IELTS bands, OET scores.
pub fn scores(r: &LanguageResult) -> String {
    let f = |v: u16| match r.test {
        EnglishTest::Ielts => format!("{}.{}", v / 10, v % 10),
        EnglishTest::Oet => v.to_string(),
    };
    let mut parts = Vec::new();
    if let Some(o) = r.overall {
        parts.push(tf("talent.language.overall_is", &[("score", &f(o))]));
    }
    for (k, v) in [
        ("talent.field.listening", r.listening),
        ("talent.field.reading", r.reading),
        ("talent.field.writing", r.writing),
        ("talent.field.speaking", r.speaking),
    ] {
        parts.push(format!("{} {}", t(k), f(v)));
    }
    parts.join(", ")
}

/// A score part in words: "Role: interim role on their pathway (30 of 40)".
pub fn part_text(p: &ScorePart) -> String {
    let detail = match p.part {
        "role" => t(&format!("talent.fit.{}", p.detail)).to_string(),
        "experience" => tf("talent.score.years", &[("years", &p.detail)]),
        "travel" if p.detail.is_empty() => t("talent.score.travel_unknown").to_string(),
        "travel" => tf("talent.score.km", &[("km", &p.detail)]),
        "availability" if p.detail == "0" => t("talent.score.available").to_string(),
        "availability" => tf("talent.score.days_late", &[("days", &p.detail)]),
        _ => p.detail.clone(),
    };
    tf(
        "talent.score.part",
        &[
            ("part", t(&format!("talent.score.{}", p.part))),
            ("detail", &detail),
            ("points", &p.points.to_string()),
            ("max", &p.max.to_string()),
        ],
    )
}

pub fn gate_text(g: &Gate) -> String {
    match g {
        Gate::NotTheirRole => t("talent.gate.not_their_role").to_string(),
        Gate::RightToWork => t("talent.gate.right_to_work").to_string(),
        Gate::NotRegistered => t("talent.gate.not_registered").to_string(),
        Gate::Steps { missing } => tf(
            "talent.gate.steps",
            &[("steps", &useit_core::words::steps(missing))],
        ),
    }
}

/// A proposed pair, with the score's parts in words.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ProposalView {
    pub person_id: Uuid,
    pub person_name: String,
    pub profession: String,
    pub vacancy_id: Uuid,
    pub vacancy_title: String,
    pub vacancy_reference: String,
    pub score: i64,
    pub why: Vec<String>,
}

impl ProposalView {
    pub fn of(p: &Proposed) -> ProposalView {
        ProposalView {
            person_id: p.person.id,
            person_name: p.person.draft.full_name.clone(),
            profession: professions()
                .get(&p.person.draft.profession)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            vacancy_id: p.vacancy.id,
            vacancy_title: p.vacancy.input.title.clone(),
            vacancy_reference: p.vacancy.input.reference.clone(),
            score: p.score.total,
            why: p.score.parts.iter().map(part_text).collect(),
        }
    }
}

/// Two records that may be one person, and why.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DuplicateView {
    pub a_id: Uuid,
    pub a_name: String,
    pub a_detail: String,
    pub b_id: Uuid,
    pub b_name: String,
    pub b_detail: String,
    /// same_email, same_phone or same_name.
    pub reason: String,
    pub reason_text: String,
}

impl DuplicateView {
    /// Each pair, the two records described so a person can tell them apart.
    pub fn all(d: &Duplicates) -> Vec<DuplicateView> {
        let detail = |p: &Person, recs: &PersonRecords| {
            let mut bits = vec![profession_name(&p.draft.profession)];
            bits.extend(p.draft.email.clone());
            bits.extend(p.draft.phone.clone());
            bits.push(tn(
                "talent.duplicates.records",
                (recs.steps.len() + recs.notes.len() + recs.barriers.len()) as u64,
            ));
            bits.join(", ")
        };
        d.pairs
            .iter()
            .map(|(a, b, reason)| {
                let ((pa, ra), (pb, rb)) = (&d.people[*a], &d.people[*b]);
                DuplicateView {
                    a_id: pa.id,
                    a_name: pa.draft.full_name.clone(),
                    a_detail: detail(pa, ra),
                    b_id: pb.id,
                    b_name: pb.draft.full_name.clone(),
                    b_detail: detail(pb, rb),
                    reason: reason.slug().to_string(),
                    reason_text: t(&reason.label_key()).to_string(),
                }
            })
            .collect()
    }
}

/// The placements as a CSV download: a record of outcomes for reporting,
/// served by the page and the API alike.
pub fn placements_csv(ctx: &Ctx, rows: &[Placement]) -> Result<Response, AppError> {
    csv_download(ctx, "placements", placement::write_csv(rows))
}

/// Everything held about a person, for a subject access request, with the
/// stories about them (the read is audited as an export).
pub async fn subject_access_json(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
) -> Result<serde_json::Value, AppError> {
    let (p, recs, stories) = person_export(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(serde_json::json!({
        "exported_at": clock::now().to_string(),
        "programme": ctx.programme()?.name,
        "person": p,
        "records": recs,
        "stories": stories,
    }))
}
