//! One person's page: their profile, their pathway computed from the
//! records, how each open vacancy fits them, the record forms; and the
//! subject access download.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use useit_app::talent::matching::Fit;
use useit_app::talent::people::{Profile, profile};
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::clock::display_date;
use useit_core::i18n::{t, tf};
use useit_core::money::format_pence;
use useit_core::talent::casework::{Barrier, Support, WorkOutcome};
use useit_core::talent::pathway::{EnglishTest, StepProgress, StepState};
use useit_core::talent::person::{Person, PersonRecords};
use useit_core::talent::record::RecordInput;
use uuid::Uuid;

use super::view::{base, choices, gate_text, money, part_text, professions, subject_access_json};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct StepLine {
    pub name: String,
    pub state: String,
    pub tag: &'static str,
    pub detail: String,
    pub cost: String,
    pub weeks: String,
}

pub struct FitLine {
    pub title: String,
    pub reference: String,
    pub score: String,
    pub why: Vec<String>,
    pub eligible: bool,
}

#[derive(Template)]
#[template(path = "talent/person.html")]
struct PersonPage {
    layout: Layout,
    base: String,
    person: Person,
    recs: PersonRecords,
    profession: String,
    rules_from: String,
    steps: Vec<StepLine>,
    next: Vec<String>,
    warnings: Vec<String>,
    remaining_cost: String,
    remaining_weeks: u32,
    registered: bool,
    fits: Vec<FitLine>,
    errors: FormErrors,
    form: RecordInput,
    step_choices: Vec<Choice>,
    tests: Vec<Choice>,
    barrier_choices: Vec<Choice>,
    support_choices: Vec<Choice>,
    work_choices: Vec<Choice>,
    can_edit: bool,
    can_erase: bool,
    today: String,
    area_name: Option<String>,
}

fn step_line(s: &StepProgress) -> StepLine {
    let (state, tag, detail) = match &s.state {
        StepState::Passed {
            passed_on,
            expires_on,
        } => (
            "talent.step.passed",
            "govuk-tag--green",
            match expires_on {
                Some(e) => tf(
                    "talent.step.passed_until",
                    &[
                        ("on", &display_date(*passed_on)),
                        ("until", &display_date(*e)),
                    ],
                ),
                None => tf(
                    "talent.step.passed_on",
                    &[("on", &display_date(*passed_on))],
                ),
            },
        ),
        StepState::Expired {
            passed_on,
            expired_on,
        } => (
            "talent.step.expired",
            "govuk-tag--red",
            tf(
                "talent.step.expired_on",
                &[
                    ("on", &display_date(*passed_on)),
                    ("expired", &display_date(*expired_on)),
                ],
            ),
        ),
        StepState::Next => ("talent.step.next", "govuk-tag--blue", String::new()),
        StepState::Waiting { missing } => (
            "talent.step.waiting",
            "govuk-tag--grey",
            tf(
                "talent.step.waiting_for",
                &[("steps", &useit_core::words::steps(missing))],
            ),
        ),
    };
    StepLine {
        name: s.name.clone(),
        state: t(state).into(),
        tag,
        detail,
        cost: money(&s.cost_pence),
        weeks: s.typical_weeks.map(|w| w.to_string()).unwrap_or_default(),
    }
}

fn fit_line(f: &Fit) -> FitLine {
    let v = &f.vacancy.input;
    match &f.result {
        Ok(s) => FitLine {
            title: v.title.clone(),
            reference: v.reference.clone(),
            score: s.total.to_string(),
            why: s.parts.iter().map(part_text).collect(),
            eligible: true,
        },
        Err(gates) => FitLine {
            title: v.title.clone(),
            reference: v.reference.clone(),
            score: String::new(),
            why: gates.iter().map(gate_text).collect(),
            eligible: false,
        },
    }
}

/// The person's page, with `form` and `errors` from a record form that
/// was refused (or empty ones).
pub async fn render_person(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    form: RecordInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let Profile {
        person,
        records: recs,
        progress,
        fits,
        area_name,
    } = profile(app.store.as_ref(), &ctx.caller()?, id).await?;
    let today = clock::today();
    let prof = professions().get(&person.draft.profession);
    let fits = fits.iter().map(fit_line).collect();
    let mut step_choices = vec![Choice::new("", t("talent.record.choose_step"))];
    if let Some(p) = prof {
        step_choices.extend(
            p.rules_at(today)
                .steps
                .iter()
                .map(|s| Choice::new(s.code.clone(), s.name.clone())),
        );
    }
    let status = errors.status();
    let name = person.draft.full_name.clone();
    let title = if person.erased_at.is_some() {
        t("talent.person.erased_title").to_string()
    } else {
        name
    };
    let page = PersonPage {
        layout: Layout::new(app, ctx, title, "talent")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        profession: prof
            .map(|p| p.name.clone())
            .unwrap_or_else(|| person.draft.profession.clone()),
        rules_from: progress
            .as_ref()
            .map(|p| useit_core::clock::display_date(p.rules_from))
            .unwrap_or_default(),
        steps: progress
            .as_ref()
            .map(|p| p.steps.iter().map(step_line).collect())
            .unwrap_or_default(),
        next: progress
            .as_ref()
            .map(|p| {
                p.next
                    .iter()
                    .map(|c| {
                        p.steps
                            .iter()
                            .find(|s| &s.code == c)
                            .map(|s| s.name.clone())
                            .unwrap_or_else(|| c.clone())
                    })
                    .collect()
            })
            .unwrap_or_default(),
        warnings: progress
            .as_ref()
            .map(|p| {
                p.warnings
                    .iter()
                    .map(|w| {
                        tf(
                            "talent.warning.expires",
                            &[
                                ("step", &w.step),
                                ("on", &display_date(w.expires_on)),
                                ("days", &w.days_left.to_string()),
                            ],
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        remaining_cost: progress
            .as_ref()
            .map(|p| format_pence(p.remaining_cost_pence))
            .unwrap_or_default(),
        remaining_weeks: progress.as_ref().map(|p| p.remaining_weeks).unwrap_or(0),
        registered: progress.as_ref().is_some_and(|p| p.registered),
        fits,
        errors,
        form,
        step_choices,
        tests: choices(
            &EnglishTest::ALL,
            |x| (x.slug().into(), format!("talent.language.{}", x.slug())),
            Some("talent.language.choose_test"),
        ),
        barrier_choices: choices(
            Barrier::ALL,
            |b| (b.slug().into(), b.label_key()),
            Some("talent.barrier.choose"),
        ),
        support_choices: choices(
            Support::ALL,
            |s| (s.slug().into(), s.label_key()),
            Some("talent.support.choose"),
        ),
        work_choices: choices(WorkOutcome::ALL, |w| (w.slug().into(), w.label_key()), None),
        can_edit: ctx.can(Capability::EditPeople) && person.erased_at.is_none(),
        can_erase: ctx.can(Capability::ErasePeople) && person.erased_at.is_none(),
        today: today.to_string(),
        area_name,
        person,
        recs,
    };
    render_status(status, &page)
}

pub async fn person_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(render_person(
        &app,
        &ctx,
        id,
        RecordInput::default(),
        FormErrors::default(),
    )
    .await?)
}

pub async fn person_export(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let body = subject_access_json(&app, &ctx, id).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"person-{id}.json\""),
            ),
        ],
        serde_json::to_string_pretty(&body).map_err(AppError::internal)?,
    )
        .into_response())
}
