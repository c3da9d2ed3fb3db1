//! Changing a person's records from their page, and erasing them.

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::talent::people::erase_person;
use useit_app::talent::records::change_records;
use useit_core::i18n::{Message, t};
use useit_core::talent::record::RecordInput;
use uuid::Uuid;

use super::person::render_person;
use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::FormErrors;
use crate::state::AppState;

pub async fn person_records(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<RecordInput>,
) -> Result<Response, PageError> {
    match change_records(app.store.as_ref(), &ctx.caller()?, id, &f)
        .await
        .map_err(AppError::from)
    {
        Ok(()) => {
            ctx.flash(t(&format!("talent.record.saved.{}", f.action)).to_string())
                .await;
            let section = match f.action.as_str() {
                "step" => "pathway",
                "language" => "language",
                "barrier" | "resolve_barrier" => "barriers",
                "support" => "support",
                "note" => "notes",
                _ => "main-content",
            };
            Ok(Redirect::to(&format!("{}/people/{id}#{section}", base(&ctx)?)).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::from_error(e, &[])?;
            Ok(render_person(&app, &ctx, id, f, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

pub async fn person_erase(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<EraseForm>,
) -> Result<Response, PageError> {
    if f.confirm != "yes" {
        let errors = FormErrors::one("confirm", Message::new("talent.erase.confirm_needed"));
        return Ok(render_person(&app, &ctx, id, RecordInput::default(), errors).await?);
    }
    erase_person(app.store.as_ref(), &ctx.caller()?, id).await?;
    ctx.flash(t("talent.erase.done").to_string()).await;
    Ok(Redirect::to(&format!("{}/people", base(&ctx)?)).into_response())
}
