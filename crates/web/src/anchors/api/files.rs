//! The spend files imported through the API: listed a page at a time, and
//! an import undone.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use useit_app::anchors::files::{spend_file_page, undo_import};
use useit_core::anchors::ledger::SpendFileRecord;
use useit_core::listing::PageRequest;
use utoipa::{IntoParams, ToSchema};

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct SpendFileJson {
    pub id: String,
    pub anchor: String,
    pub file_name: String,
    pub encoding: String,
    pub lines_read: i64,
    pub lines_new: i64,
    pub total_pence: i64,
    pub first_paid_on: Option<String>,
    pub last_paid_on: Option<String>,
    pub imported_at: String,
    /// Who imported it (an e-mail): only for roles that see the members.
    pub imported_by: Option<String>,
}

fn file_json(f: SpendFileRecord, sees_members: bool) -> SpendFileJson {
    SpendFileJson {
        id: f.id.to_string(),
        anchor: f.anchor_slug,
        file_name: f.file_name,
        encoding: f.encoding,
        lines_read: f.lines_read,
        lines_new: f.lines_new,
        total_pence: f.total,
        first_paid_on: f.first_paid_on.map(|d| d.to_string()),
        last_paid_on: f.last_paid_on.map(|d| d.to_string()),
        imported_at: useit_core::clock::rfc3339(f.imported_at),
        imported_by: sees_members.then_some(f.imported_by),
    }
}

/// Which page of files.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilesQuery {
    /// From 1.
    pub page: Option<u32>,
    /// 25 unless given; at most 500.
    pub per_page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct SpendFilePageJson {
    pub items: Vec<SpendFileJson>,
    /// Files imported in all.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The spend files imported, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/spend/files", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), FilesQuery),
    responses((status = 200, body = SpendFilePageJson)))]
pub async fn list_files(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilesQuery>,
) -> Result<Json<SpendFilePageJson>, ApiError> {
    let sees_members = ctx.can(useit_core::auth::Capability::ViewMembers);
    let page = spend_file_page(
        app.store.as_ref(),
        &ctx.caller()?,
        PageRequest::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(SpendFilePageJson {
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        items: page
            .items
            .into_iter()
            .map(|f| file_json(f, sees_members))
            .collect(),
    }))
}

/// Undoes an import: the file's lines are removed, every figure is worked
/// out again without them, and the file can be imported again. Answers with
/// the file as it was.
#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/anchors/spend/files/{file}", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("file" = String, Path, description = "The file's id, from the files list")),
    responses((status = 200, body = SpendFileJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn undo_file(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Json<SpendFileJson>, ApiError> {
    let file = path.1;
    let id = uuid::Uuid::parse_str(&file).map_err(|_| AppError::NotFound)?;
    let sees_members = ctx.can(useit_core::auth::Capability::ViewMembers);
    let f = undo_import(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(Json(file_json(f, sees_members)))
}
