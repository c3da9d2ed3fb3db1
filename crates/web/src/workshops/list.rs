//! The programme's workshops, and a form to plan one.

use askama::Template;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::workshops::{save_workshop, workshops};
use useit_core::auth::Capability;
use useit_core::i18n::{t, tf};
use useit_core::workshops::workshop::WorkshopInput;

use super::view::{PlanRow, WorkshopLine, base, plan_rows, questions, workshop_line};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "workshops/list.html")]
struct ListPage {
    layout: Layout,
    base: String,
    workshops: Vec<WorkshopLine>,
    organise: bool,
    errors: FormErrors,
    form: WorkshopInput,
    rows: Vec<PlanRow>,
    questions: Vec<Choice>,
}

async fn list_view(
    app: &AppState,
    ctx: &Ctx,
    form: WorkshopInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let base = base(ctx)?;
    let all = workshops(app.store.as_ref(), &caller)
        .await?
        .iter()
        .map(|w| workshop_line(&base, w))
        .collect();
    render_status(
        errors.status(),
        &ListPage {
            layout: Layout::new(app, ctx, t("workshops.title"), "workshops")
                .await?
                .with_errors(&errors),
            base,
            workshops: all,
            organise: ctx.can(Capability::OrganiseWorkshops),
            rows: plan_rows(&form),
            errors,
            form,
            questions: questions(None),
        },
    )
}

pub async fn list_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let blank = WorkshopInput {
        tables: "3".into(),
        rounds: "3".into(),
        ..Default::default()
    };
    Ok(list_view(&app, &ctx, blank, FormErrors::default()).await?)
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = WorkshopInput::from_form(&pairs);
    match save_workshop(app.store.as_ref(), &ctx.caller()?, None, &f).await {
        Ok(w) => {
            ctx.flash(tf("workshops.saved", &[("title", &w.draft.title)]))
                .await;
            Ok(Redirect::to(&format!("{}/{}", base(&ctx)?, w.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(list_view(&app, &ctx, f, errors).await?)
        }
    }
}
