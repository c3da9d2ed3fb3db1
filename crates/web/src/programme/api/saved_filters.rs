//! Saved filters through the API: the caller's own and those shared with
//! the programme, per list; saving one under a name; removing one's own.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use useit_app::programme::saved_filters::{delete_filter, save_filter, saved_filters};
use useit_core::i18n::Message;
use useit_core::programme::saved_filter::{SavedFilter, SavedFilterInput, SavedList};

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::state::AppState;

/// A saved filter, with the page it applies to.
#[derive(Serialize, ToSchema)]
pub struct FilterJson {
    pub id: Uuid,
    /// `people`, `spend_lines`, `suppliers` or `enterprises`.
    pub list: String,
    pub name: String,
    /// The list's query string, without `?`: the same one the list's API
    /// call takes.
    pub query: String,
    pub shared: bool,
    pub owner_id: Uuid,
    pub owner_name: String,
    /// The list's page with the filter applied.
    pub href: String,
    pub updated_at: String,
}

fn filter_json(f: SavedFilter, base: &str) -> FilterJson {
    FilterJson {
        href: f.href(base),
        id: f.id,
        list: f.list.slug().into(),
        name: f.name,
        query: f.query,
        shared: f.shared,
        owner_id: f.owner_id.0,
        owner_name: f.owner_name,
        updated_at: useit_core::clock::rfc3339(f.updated_at),
    }
}

fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}", ctx.programme()?.slug))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct FilterQuery {
    /// `people`, `spend_lines`, `suppliers` or `enterprises`.
    #[param(required = true, value_type = useit_core::programme::saved_filter::SavedList)]
    pub list: String,
}

/// The caller's saved filters of a list and those shared with the
/// programme, by name (only for those who may see the list).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/filters", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"), FilterQuery),
    responses((status = 200, body = Vec<FilterJson>), (status = 422, body = crate::http::error::Problem)))]
pub async fn list_filters(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilterQuery>,
) -> Result<Json<Vec<FilterJson>>, ApiError> {
    let Some(list) = SavedList::parse(&q.list) else {
        let e = useit_app::Error::invalid("list", Message::new("filters.unknown_list"));
        return Err(e.into());
    };
    let base = base(&ctx)?;
    let found = saved_filters(app.store.as_ref(), &ctx.caller()?, list).await?;
    Ok(Json(
        found.into_iter().map(|f| filter_json(f, &base)).collect(),
    ))
}

/// Saves the list's query under a name for the caller (theirs of the same
/// list and name is replaced), shared with the programme if asked; audited.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/filters", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = SavedFilterInput,
    responses((status = 201, body = FilterJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_filter(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<SavedFilterInput>,
) -> Result<Response, ApiError> {
    let base = base(&ctx)?;
    let saved = save_filter(app.store.as_ref(), &ctx.caller()?, &input).await?;
    Ok((StatusCode::CREATED, Json(filter_json(saved, &base))).into_response())
}

/// Removes one of the caller's own saved filters (anyone else's is not found).
#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/filters/{filter_id}", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"),
        ("filter_id" = Uuid, Path, description = "Saved filter id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem)))]
pub async fn remove_filter(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<StatusCode, ApiError> {
    delete_filter(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(StatusCode::NO_CONTENT)
}
