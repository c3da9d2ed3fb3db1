//! Timesheets: a researcher's own hours (a coordinator sees everyone's),
//! the form to enter hours, approval, the payment run as CSV and the pay
//! rule.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::research::assignments::{TimeProjects, time_projects};
use useit_app::research::projects::projects;
use useit_app::research::researchers::researchers;
use useit_app::research::work::{
    decide_time, pay_rule, pay_rule_form, pay_run, save_pay_rule, submit_time, time_entries,
};
use useit_core::auth::Capability;
use useit_core::i18n::{t, tf};
use useit_core::listing::PageRequest;
use useit_core::research::pay::{PayRuleInput, Scheme};
use useit_core::research::researcher::ResearcherParams;
use useit_core::research::work::{TimeInput, TimeParams, TimeStatus};
use uuid::Uuid;

use super::view::{base, hours};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, csv_download, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct EntryLine {
    pub id: Uuid,
    pub researcher: String,
    pub project: String,
    pub worked_on: String,
    pub hours: String,
    pub status: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "research/time.html")]
struct TimePage {
    layout: Layout,
    base: String,
    entries: Vec<EntryLine>,
    total: String,
    params: TimeParams,
    manage: bool,
    errors: FormErrors,
    form: TimeInput,
    researchers: Vec<Choice>,
    /// Whose hours the form enters (a coordinator chooses first).
    entry_for: Option<TimeProjects>,
    /// The projects the form offers: those `entry_for` is assigned to.
    projects: Vec<Choice>,
    project_hint: String,
    /// Where a coordinator assigns a researcher who has no project: each
    /// project's page.
    assign_links: Vec<(String, String)>,
    project_filter: Vec<Choice>,
    status_filter: Vec<Choice>,
    rule: PayRuleInput,
    rule_chosen: bool,
    schemes: Vec<Choice>,
    pay_froms: Vec<Choice>,
}

async fn time_view(
    app: &AppState,
    ctx: &Ctx,
    params: TimeParams,
    form: TimeInput,
    rule_form: Option<PayRuleInput>,
    mut errors: FormErrors,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let manage = ctx.can(Capability::ManageResearch);
    // A filter day that cannot be read is shown beside its field, with the
    // form kept as typed, not as an error page.
    let entries = match time_entries(s, &caller, &params).await {
        Ok(entries) => entries,
        Err(useit_app::Error::Invalid(errs)) => {
            errors
                .items
                .extend(FormErrors::from_fields(&errs, &[]).items);
            Vec::new()
        }
        Err(e) => return Err(e.into()),
    };
    let minutes: u64 = entries.iter().map(|e| u64::from(e.minutes)).sum();
    let lines = entries
        .iter()
        .map(|e| EntryLine {
            id: e.id,
            researcher: e
                .researcher_name
                .clone()
                .unwrap_or_else(|| t("research.researcher.erased_title").into()),
            project: e.project_title.clone(),
            worked_on: e.worked_on.to_string(),
            hours: hours(u64::from(e.minutes)),
            status: t(&e.status.label_key()).into(),
            open: e.status == TimeStatus::Submitted,
        })
        .collect();
    let mut researcher_choices = Vec::new();
    if manage {
        let all = researchers(
            s,
            &caller,
            &ResearcherParams {
                accredited: Some("yes".into()),
                per_page: Some(PageRequest::MAX_PER_PAGE),
                ..Default::default()
            },
        )
        .await?;
        researcher_choices = vec![Choice::new("", t("research.choose"))];
        researcher_choices.extend(
            all.items
                .iter()
                .map(|r| Choice::new(r.id.to_string(), r.draft.full_name.clone())),
        );
    }
    // Whose hours the form enters: a researcher their own; a coordinator
    // the one in the form as sent, or the one whose hours the list shows.
    let chosen = if manage {
        let raw = if form.researcher.trim().is_empty() {
            params.researcher.clone().unwrap_or_default()
        } else {
            form.researcher.clone()
        };
        Uuid::parse_str(raw.trim()).ok()
    } else {
        None
    };
    let entry_for = if manage && chosen.is_none() {
        None
    } else {
        match time_projects(s, &caller, chosen).await {
            Ok(found) => found,
            Err(useit_app::Error::NotFound) => None,
            Err(e) => return Err(e.into()),
        }
    };
    let mut project_choices = vec![Choice::new("", t("research.choose"))];
    if let Some(f) = &entry_for {
        project_choices.extend(
            f.projects
                .iter()
                .map(|p| Choice::new(p.id.to_string(), p.title.clone())),
        );
    }
    let all_projects = projects(s, &caller).await?;
    let home = base(ctx)?;
    let assign_links = if manage {
        all_projects
            .iter()
            .map(|p| {
                (
                    format!("{home}/projects/{}#researchers", p.id),
                    p.draft.title.clone(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut project_filter = vec![Choice::new("", t("research.any"))];
    project_filter.extend(
        all_projects
            .iter()
            .map(|p| Choice::new(p.id.to_string(), p.draft.title.clone())),
    );
    let mut status_filter = vec![Choice::new("", t("research.any"))];
    status_filter.extend(
        TimeStatus::ALL
            .into_iter()
            .map(|x| Choice::new(x.slug(), t(&x.label_key()))),
    );
    let project_hint = match (&entry_for, manage) {
        (Some(f), true) => tf("research.time.project_hint", &[("name", f.name.as_str())]),
        _ => t("research.time.project_hint_own").into(),
    };
    let (rule, rule_chosen) = pay_rule(s, &caller).await?;
    render_status(
        errors.status(),
        &TimePage {
            layout: Layout::new(app, ctx, t("research.time.title"), "research")
                .await?
                .with_errors(&errors),
            base: home,
            entries: lines,
            total: hours(minutes),
            params,
            manage,
            errors,
            form,
            researchers: researcher_choices,
            entry_for,
            project_hint,
            projects: project_choices,
            assign_links,
            project_filter,
            status_filter,
            rule: rule_form.unwrap_or_else(|| pay_rule_form(rule)),
            rule_chosen,
            schemes: Scheme::ALL
                .into_iter()
                .map(|x| Choice::new(x.slug(), t(x.label_key())))
                .collect(),
            pay_froms: ["announcement", "day_of_year", "foundation_deadline"]
                .into_iter()
                .map(|x| Choice::new(x, t(&format!("research.pay.from.{x}"))))
                .collect(),
        },
    )
}

pub async fn time_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<TimeParams>,
) -> Result<Response, PageError> {
    Ok(time_view(
        &app,
        &ctx,
        params,
        TimeInput::default(),
        None,
        FormErrors::default(),
    )
    .await?)
}

pub async fn time_submit(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<TimeInput>,
) -> Result<Response, PageError> {
    match submit_time(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(e) => {
            ctx.flash(t("research.time.submitted").to_string()).await;
            // A coordinator goes back to the hours of the researcher they
            // entered for, the form ready for the next day.
            let to = if f.researcher.trim().is_empty() {
                format!("{}/time", base(&ctx)?)
            } else {
                format!("{}/time?researcher={}", base(&ctx)?, e.researcher_id)
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(time_view(&app, &ctx, TimeParams::default(), f, None, errors).await?)
        }
    }
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub decision: String,
}

pub async fn time_decide(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let e = decide_time(app.store.as_ref(), &ctx.caller()?, id, &f.decision).await?;
    ctx.flash(t(&e.status.label_key()).to_string()).await;
    Ok(Redirect::to(&format!("{}/time", base(&ctx)?)).into_response())
}

pub async fn pay_run_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<TimeParams>,
) -> Result<Response, PageError> {
    let run = pay_run(app.store.as_ref(), &ctx.caller()?, &params).await?;
    Ok(csv_download(&ctx, "payment-run", run.to_csv())?)
}

pub async fn settings_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PayRuleInput>,
) -> Result<Response, PageError> {
    match save_pay_rule(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(_) => {
            ctx.flash(t("research.pay.saved").to_string()).await;
            Ok(Redirect::to(&format!("{}/time", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(time_view(
                &app,
                &ctx,
                TimeParams::default(),
                TimeInput::default(),
                Some(f),
                errors,
            )
            .await?)
        }
    }
}
