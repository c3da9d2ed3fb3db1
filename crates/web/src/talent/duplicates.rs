//! People who may have been added twice, and merging them.

use askama::Template;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::talent::duplicates::{duplicates, merge_people};
use useit_core::i18n::{t, tf};
use useit_core::talent::person::MergeInput;

use super::view::{DuplicateView, base};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "talent/duplicates.html")]
struct DuplicatesPage {
    layout: Layout,
    base: String,
    pairs: Vec<DuplicateView>,
    errors: FormErrors,
}

async fn duplicates_view(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let found = duplicates(app.store.as_ref(), &ctx.caller()?).await?;
    let status = errors.status();
    render_status(
        status,
        &DuplicatesPage {
            layout: Layout::new(app, ctx, t("talent.duplicates.title"), "talent")
                .await?
                .with_errors(&errors),
            base: base(ctx)?,
            pairs: DuplicateView::all(&found),
            errors,
        },
    )
}

pub async fn duplicates_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(duplicates_view(&app, &ctx, FormErrors::default()).await?)
}

pub async fn merge(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<MergeInput>,
) -> Result<Response, PageError> {
    match merge_people(app.store.as_ref(), &ctx.caller()?, &f)
        .await
        .map_err(AppError::from)
    {
        Ok(p) => {
            ctx.flash(tf("talent.merge.done", &[("name", &p.draft.full_name)]))
                .await;
            Ok(Redirect::to(&format!("{}/people/{}", base(&ctx)?, p.id)).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::from_error(e, &[])?;
            Ok(duplicates_view(&app, &ctx, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}
