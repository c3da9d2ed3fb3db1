//! Deleting a research finding (issue 19): a confirmation page (a plain
//! form, no script) and the delete itself, for those who may edit findings.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::research::findings::{delete_finding, finding};
use useit_core::i18n::t;
use uuid::Uuid;

use super::findings::{Card, card};
use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "research/finding_delete.html")]
struct DeletePage {
    layout: Layout,
    card: Card,
    action: String,
    cancel: String,
}

/// "Delete this finding?" with the finding as a card, a warning button
/// and a way back.
pub async fn delete_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let v = finding(app.store.as_ref(), &ctx.caller()?, id).await?;
    let base = base(&ctx)?;
    let href = format!("{base}/findings/{id}");
    Ok(render(&DeletePage {
        layout: Layout::new(&app, &ctx, t("research.finding.delete_title"), "research").await?,
        card: Card {
            href: String::new(),
            ..card(&base, &v)
        },
        action: format!("{href}/delete"),
        cancel: href,
    })?)
}

/// Deletes the finding and returns to the list with a confirmation.
pub async fn delete(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    delete_finding(app.store.as_ref(), &ctx.caller()?, id).await?;
    ctx.flash(t("research.finding.deleted")).await;
    Ok(Redirect::to(&format!("{}/findings", base(&ctx)?)).into_response())
}
