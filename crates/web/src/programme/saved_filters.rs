//! Saving and removing a list's filters (issue 15): the forms beside each
//! list post here. Saved, the list is shown with the filter applied; a
//! filter that cannot be saved is shown again on its own page with what is
//! wrong.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::programme::saved_filters::{delete_filter, save_filter};
use useit_core::auth::Capability;
use useit_core::i18n::{t, tf};
use useit_core::programme::saved_filter::{SavedFilterInput, SavedList};
use uuid::Uuid;

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::route::{Route, page};
use crate::http::views::{FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let members = Access::Programme(Capability::ViewProgramme);
    vec![
        page(Method::POST, "/p/{programme}/filters", members, save),
        page(
            Method::POST,
            "/p/{programme}/filters/{filter_id}/delete",
            members,
            remove,
        ),
    ]
}

/// The form as posted: a checkbox sends `shared=true` only when ticked.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SaveForm {
    list: String,
    name: String,
    query: String,
    shared: Option<String>,
}

#[derive(Template)]
#[template(path = "programme/filter_save.html")]
struct SavePage {
    layout: Layout,
    errors: FormErrors,
    form: SavedFilterInput,
    back: String,
}

fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}", ctx.programme()?.slug))
}

async fn save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SaveForm>,
) -> Result<Response, PageError> {
    let input = SavedFilterInput {
        list: f.list,
        name: f.name,
        query: f.query,
        shared: f.shared.is_some_and(|s| s == "true" || s == "yes"),
    };
    let base = base(&ctx)?;
    match save_filter(app.store.as_ref(), &ctx.caller()?, &input).await {
        Ok(saved) => {
            ctx.flash(tf("filters.saved", &[("name", &saved.name)]))
                .await;
            Ok(Redirect::to(&saved.href(&base)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let back = SavedList::parse(&input.list)
                .map(|l| format!("{base}{}", l.path()))
                .unwrap_or(base);
            let page = SavePage {
                layout: Layout::new(&app, &ctx, t("filters.save"), "")
                    .await?
                    .with_errors(&errors),
                errors,
                form: input,
                back,
            };
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RemoveForm {
    back: String,
}

async fn remove(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<RemoveForm>,
) -> Result<Response, PageError> {
    delete_filter(app.store.as_ref(), &ctx.caller()?, id).await?;
    ctx.flash(t("filters.removed").to_string()).await;
    // Back to the list it was beside, if that is a page of this programme.
    let base = base(&ctx)?;
    let back = if f.back.starts_with(&format!("{base}/"))
        && !f.back.contains("//")
        && f.back.chars().all(|c| c.is_ascii_graphic() && c != '\\')
    {
        f.back
    } else {
        base
    };
    Ok(Redirect::to(&back).into_response())
}
