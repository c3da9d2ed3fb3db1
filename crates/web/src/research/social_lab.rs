//! The Social Lab's page: the organisation marked as the programme's Social
//! Lab, its income by year against the pay of the researchers it pays (the
//! strand's sustainability measure), its projects and payments; for the
//! coordinator, a search of the register to mark one. And a project's
//! payments received (the form on the project page).

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::research::social_lab::{
    LabOrganisation, add_income, candidates, set_social_lab, social_lab,
};
use useit_core::auth::Capability;
use useit_core::clock::display_date;
use useit_core::i18n::{Message, t, tf};
use useit_core::money::format_pence;
use useit_core::research::social_lab::IncomeInput;
use uuid::Uuid;

use super::view::{base, hours};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct YearRow {
    pub year: String,
    pub income: String,
    pub researchers: String,
    pub hours: String,
    pub pay: String,
}

pub struct ProjectRow {
    pub href: String,
    pub title: String,
    pub status: String,
    pub hours: String,
}

pub struct IncomeRow {
    pub day: String,
    pub project: String,
    pub amount: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "research/social_lab.html")]
struct SocialLabPage {
    layout: Layout,
    base: String,
    organisation: Option<LabOrganisation>,
    years: Vec<YearRow>,
    totals: String,
    pay_total: String,
    projects: Vec<ProjectRow>,
    income: Vec<IncomeRow>,
    exact: bool,
    manage: bool,
    search: String,
    found: Vec<LabOrganisation>,
    searched: bool,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct LabQuery {
    #[serde(default)]
    pub q: String,
}

fn pay_text(p: Option<i64>) -> String {
    p.map(format_pence)
        .unwrap_or_else(|| t("research.fig.pay_not_known").into())
}

async fn lab_view(
    app: &AppState,
    ctx: &Ctx,
    search: String,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let lab = social_lab(s, &caller).await?;
    let manage = ctx.can(Capability::ManageResearch);
    let found = if manage && !search.trim().is_empty() {
        candidates(s, &caller, &search).await?
    } else {
        Vec::new()
    };
    let base = base(ctx)?;
    render_status(
        errors.status(),
        &SocialLabPage {
            layout: Layout::new(app, ctx, t("research.social_lab.title"), "research")
                .await?
                .with_errors(&errors),
            organisation: lab.organisation,
            years: lab
                .years
                .iter()
                .map(|y| YearRow {
                    year: y.year.to_string(),
                    income: format_pence(y.income),
                    researchers: y.researchers.text(),
                    hours: hours(y.minutes),
                    pay: pay_text(y.pay),
                })
                .collect(),
            totals: tf(
                "research.social_lab.totals",
                &[
                    ("income", &format_pence(lab.income_total)),
                    ("researchers", &lab.researchers_paid.text()),
                ],
            ),
            pay_total: pay_text(lab.pay_total),
            projects: lab
                .projects
                .iter()
                .map(|p| ProjectRow {
                    href: format!("{base}/projects/{}", p.id),
                    title: p.draft.title.clone(),
                    status: t(&p.draft.status.label_key()).into(),
                    hours: hours(p.approved_minutes),
                })
                .collect(),
            income: lab
                .income
                .iter()
                .map(|i| IncomeRow {
                    day: display_date(i.received_on),
                    project: i.project_title.clone(),
                    amount: format_pence(i.amount),
                    note: i.note.clone(),
                })
                .collect(),
            exact: lab.exact,
            manage,
            searched: !search.trim().is_empty(),
            search,
            found,
            errors,
            base,
        },
    )
}

pub async fn social_lab_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LabQuery>,
) -> Result<Response, PageError> {
    Ok(lab_view(&app, &ctx, q.q, FormErrors::default()).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct LabForm {
    /// The organisation's id; blank to mark none.
    #[serde(default)]
    pub organisation: String,
}

pub async fn social_lab_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<LabForm>,
) -> Result<Response, PageError> {
    let org = match f.organisation.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                let errors = FormErrors::one(
                    "organisation",
                    Message::new("research.social_lab.no_such_organisation"),
                );
                return Ok(lab_view(&app, &ctx, String::new(), errors).await?);
            }
        },
    };
    match set_social_lab(app.store.as_ref(), &ctx.caller()?, org).await {
        Ok(()) => {
            ctx.flash(t("research.social_lab.saved")).await;
            Ok(Redirect::to(&format!("{}/social-lab", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(lab_view(&app, &ctx, String::new(), errors).await?)
        }
    }
}

/// Records a payment a project received; back to the project, or the
/// project page again with the form's errors.
pub async fn income_add(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<IncomeInput>,
) -> Result<Response, PageError> {
    match add_income(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(i) => {
            ctx.flash(tf(
                "research.income.saved",
                &[("amount", &format_pence(i.amount))],
            ))
            .await;
            Ok(Redirect::to(&format!("{}/projects/{id}#income", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(super::home::project_view(
                &app,
                &ctx,
                id,
                None,
                errors,
                super::home::ProjectForms {
                    income: f,
                    ..Default::default()
                },
                None,
            )
            .await?)
        }
    }
}
