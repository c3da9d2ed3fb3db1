//! The professions' pathways as shipped: each step with its prerequisites,
//! fee, typical duration and how long a pass counts, and the interim roles.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use time::Date;
use useit_app::talent::results::pathways;
use useit_core::clock;
use useit_core::i18n::t;
use useit_core::talent::profession::Profession;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "talent/pathways.html")]
struct PathwaysPage {
    layout: Layout,
    base: String,
    today: Date,
    professions: Vec<&'static Profession>,
}

pub async fn pathways_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let professions = pathways(&ctx.caller()?)?;
    let layout = Layout::new(&app, &ctx, t("talent.pathways.title"), "talent").await?;
    Ok(render(&PathwaysPage {
        layout,
        base: base(&ctx)?,
        today: clock::today(),
        professions,
    })?)
}
