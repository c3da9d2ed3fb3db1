//! Researchers assigned to a project, on the project's page: the
//! coordinator's list (names), the form to assign one and, per
//! assignment, a link to a small page that ends it on a day (a form per
//! table row does not fit a phone). A researcher sees the projects they
//! are assigned to on their own page (`researchers.rs`).

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::Caller;
use useit_app::research::assignments::{assign, assignment, end_assignment, project_assignments};
use useit_app::research::researchers::researchers;
use useit_core::clock::display_date;
use useit_core::i18n::{t, tf};
use useit_core::research::assignment::{AssignmentInput, EndInput};
use useit_core::research::researcher::ResearcherParams;
use uuid::Uuid;

use super::home::{ProjectForms, project_view};
use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// One assignment as the project page lists it.
pub struct AssignmentLine {
    pub name: String,
    pub href: String,
    pub from: String,
    pub to: String,
    /// The page that ends it.
    pub end_href: String,
    /// It has a last day already (the link then changes it).
    pub ended: bool,
}

/// The project's assignments and the researchers the assign form offers.
pub async fn project_lines(
    app: &AppState,
    caller: &Caller,
    base: &str,
    project: Uuid,
) -> Result<(Vec<AssignmentLine>, Vec<Choice>), AppError> {
    let list = project_assignments(app.store.as_ref(), caller, project).await?;
    let lines = list
        .iter()
        .map(|a| AssignmentLine {
            name: a
                .researcher_name
                .clone()
                .unwrap_or_else(|| t("research.researcher.erased_title").into()),
            href: format!("{base}/researchers/{}", a.researcher_id),
            from: display_date(a.starts_on),
            to: a
                .ends_on
                .map(display_date)
                .unwrap_or_else(|| t("research.assignment.open").into()),
            end_href: format!("{base}/assignments/{}/end", a.id),
            ended: a.ends_on.is_some(),
        })
        .collect();
    let everyone = researchers(
        app.store.as_ref(),
        caller,
        &ResearcherParams {
            per_page: Some(useit_core::listing::PageRequest::MAX_PER_PAGE),
            ..Default::default()
        },
    )
    .await?;
    let mut choices = vec![Choice::new("", t("research.choose"))];
    choices.extend(
        everyone
            .items
            .iter()
            .map(|r| Choice::new(r.id.to_string(), r.draft.full_name.clone())),
    );
    Ok((lines, choices))
}

pub async fn assign_submit(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<AssignmentInput>,
) -> Result<Response, PageError> {
    match assign(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(a) => {
            ctx.flash(tf(
                "research.assignment.saved",
                &[
                    ("name", a.researcher_name.as_deref().unwrap_or_default()),
                    ("project", a.project_title.as_str()),
                ],
            ))
            .await;
            Ok(Redirect::to(&format!("{}/projects/{id}#researchers", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(project_view(
                &app,
                &ctx,
                id,
                None,
                errors,
                ProjectForms {
                    assign: f,
                    ..Default::default()
                },
                None,
            )
            .await?)
        }
    }
}

#[derive(Template)]
#[template(path = "research/assignment_end.html")]
struct EndPage {
    layout: Layout,
    errors: FormErrors,
    name: String,
    project: String,
    from: String,
    to: String,
    ended: bool,
    ends_on: String,
    action: String,
    cancel: String,
}

async fn end_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    ends_on: Option<String>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let a = assignment(app.store.as_ref(), &ctx.caller()?, id).await?;
    // First shown: its last day, if it has one, to change; after a refusal,
    // the day as typed.
    let ends_on = ends_on.unwrap_or_else(|| {
        a.ends_on
            .map(|d| format!("{}/{}/{}", d.day(), u8::from(d.month()), d.year()))
            .unwrap_or_default()
    });
    let base = base(ctx)?;
    let name = a
        .researcher_name
        .clone()
        .unwrap_or_else(|| t("research.researcher.erased_title").into());
    render_status(
        errors.status(),
        &EndPage {
            layout: Layout::new(
                app,
                ctx,
                tf("research.assignment.end_title", &[("name", name.as_str())]),
                "research",
            )
            .await?
            .with_errors(&errors),
            errors,
            project: a.project_title.clone(),
            from: display_date(a.starts_on),
            to: a
                .ends_on
                .map(display_date)
                .unwrap_or_else(|| t("research.assignment.open").into()),
            ended: a.ends_on.is_some(),
            ends_on,
            action: format!("{base}/assignments/{id}/end"),
            cancel: format!("{base}/projects/{}#researchers", a.project_id),
            name,
        },
    )
}

/// "End Amina Khan's assignment": the assignment and its last day, one
/// field.
pub async fn end_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(end_view(&app, &ctx, id, None, FormErrors::default()).await?)
}

pub async fn end_submit(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<EndInput>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    match end_assignment(app.store.as_ref(), &caller, id, &f).await {
        Ok(a) => {
            ctx.flash(tf(
                "research.assignment.ended",
                &[
                    ("name", a.researcher_name.as_deref().unwrap_or_default()),
                    (
                        "date",
                        display_date(a.ends_on.unwrap_or(a.starts_on)).as_str(),
                    ),
                ],
            ))
            .await;
            Ok(Redirect::to(&format!(
                "{}/projects/{}#researchers",
                base(&ctx)?,
                a.project_id
            ))
            .into_response())
        }
        // Shown again on the end page, the field named and kept as typed.
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(end_view(&app, &ctx, id, Some(f.ends_on), errors).await?)
        }
    }
}
