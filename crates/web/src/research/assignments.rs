//! Researchers assigned to a project, on the project's page: the
//! coordinator's list (names), the form to assign one and, per
//! assignment, a form to end it on a day. A researcher sees the projects
//! they are assigned to on their own page (`researchers.rs`).

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::Caller;
use useit_app::research::assignments::{assign, end_assignment, project_assignments};
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
use crate::http::views::{Choice, FormErrors};
use crate::state::AppState;

/// One assignment as the project page lists it.
pub struct AssignmentLine {
    pub name: String,
    pub href: String,
    pub from: String,
    pub to: String,
    /// Where its end form posts.
    pub end_action: String,
    /// The field's id, unique on the page.
    pub end_id: String,
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
            end_action: format!("{base}/assignments/{}/end", a.id),
            end_id: format!("ends_on-{}", a.id),
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
        Err(e) => {
            // Shown again on the project's page, the field named.
            let project = useit_app::research::assignments::assignment_project(
                app.store.as_ref(),
                &caller,
                id,
            )
            .await?;
            // The row's own field, so the assign form's `ends_on` stays clear.
            let mut errors = FormErrors::from_error(e.into(), &[])?;
            for item in &mut errors.items {
                item.field = format!("{}-{id}", item.field);
                item.anchor = item.field.clone();
            }
            Ok(project_view(
                &app,
                &ctx,
                project,
                None,
                errors,
                ProjectForms::default(),
                None,
            )
            .await?)
        }
    }
}
