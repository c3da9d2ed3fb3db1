//! Looking up one postcode on a page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use useit_app::place::lookup::postcode;
use useit_core::i18n::t;
use useit_core::place::lookup::LookupResult;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::map::decile_label;
use crate::http::views::{FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PostcodeParam {
    postcode: Option<String>,
}

#[derive(Template)]
#[template(path = "place/postcode.html")]
struct PostcodePage {
    layout: Layout,
    base: String,
    input: String,
    result: Option<LookupResult>,
    errors: FormErrors,
    decile_text: String,
}

pub async fn postcode_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PostcodeParam>,
) -> Result<Response, PageError> {
    let input = p.postcode.unwrap_or_default();
    let mut errors = FormErrors::default();
    let result = if input.trim().is_empty() {
        None
    } else {
        match postcode(app.store.as_ref(), &ctx.caller()?, &input).await {
            Ok(r) => Some(r),
            Err(e) => {
                errors = FormErrors::from_error(AppError::from(e), &[])?;
                None
            }
        }
    };
    let layout = Layout::new(&app, &ctx, t("place.postcode.title"), "place")
        .await?
        .with_errors(&errors);
    Ok(render_status(
        errors.status(),
        &PostcodePage {
            layout,
            base: base(&ctx)?,
            decile_text: decile_label(result.as_ref().and_then(|r| r.decile)),
            input,
            result,
            errors,
        },
    )?)
}
