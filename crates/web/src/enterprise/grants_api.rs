//! Grants from 360Giving files and an enterprise's computed milestones
//! through the JSON API.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use serde::{Deserialize, Serialize};
use useit_app::enterprise::grants::{GrantsImported, grants_held, import_grants};
use useit_app::enterprise::milestones::milestones;
use useit_core::auth::Capability;
use useit_core::enterprise::grants::GrantRecord;
use useit_core::enterprise::milestones::Milestones;
use utoipa::{IntoParams, OpenApi, ToSchema};
use uuid::Uuid;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, ProblemLine, problem_lines};
use crate::http::route::{Access, Route, api};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewEnterprises);
    let edit = Access::Programme(Capability::EditEnterprises);
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/grants",
            view,
            list_grants,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/grants",
            edit,
            post_grants,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}/milestones",
            view,
            get_milestones,
        ),
    ]
}

#[derive(Deserialize, IntoParams)]
pub struct GrantsQuery {
    /// Only this organisation's grants.
    pub organisation_id: Option<Uuid>,
}

/// The grants imported from 360Giving files, by award date: each with the
/// organisation it was placed on, its financial year (`year` of the
/// grant: April to March) and where it came from (file and line).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/grants", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), GrantsQuery),
    responses((status = 200, body = [Object])))]
pub async fn list_grants(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<GrantsQuery>,
) -> Result<Json<Vec<GrantJson>>, ApiError> {
    let held = grants_held(app.store.as_ref(), &ctx.caller()?, q.organisation_id).await?;
    Ok(Json(held.into_iter().map(GrantJson::from).collect()))
}

#[derive(Serialize)]
pub struct GrantJson {
    #[serde(flatten)]
    pub record: GrantRecord,
    /// The financial year it is income in, by the year it starts in.
    pub year: i32,
}

impl From<GrantRecord> for GrantJson {
    fn from(record: GrantRecord) -> Self {
        GrantJson {
            year: record.grant.year(),
            record,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct GrantsImportQuery {
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GrantsImportedJson {
    #[schema(value_type = Object)]
    pub outcome: GrantsImported,
    pub problems: Vec<ProblemLine>,
}

/// Imports a 360Giving file (JSON, the flat CSV form or an Excel
/// workbook). Each grant goes to the organisation of the register with its
/// `Recipient Org:Identifier`, else its company number, else the same
/// name; the others come back in `unmatched`, not imported. Any bad value
/// rejects the whole file (422, each problem with line and column); the
/// same file twice changes nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/grants", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), GrantsImportQuery),
    request_body(content = Object, content_type = "application/json", description = "A 360Giving file: JSON as published (the flat CSV form and workbooks are read too)"),
    responses((status = 200, body = GrantsImportedJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn post_grants(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<GrantsImportQuery>,
    body: Bytes,
) -> Result<Json<GrantsImportedJson>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "grants.json".into());
    let i = import_grants(app.store.as_ref(), &ctx.caller()?, &name, &body, &|_, _| {}).await?;
    Ok(Json(GrantsImportedJson {
        outcome: i.outcome,
        problems: problem_lines(&i.report),
    }))
}

/// An enterprise's milestones, computed and never typed: the first
/// financial year with trading income recorded, and the first spend line
/// resolved to it from a public body and from any of the programme's
/// anchors (null: not reached).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}/milestones", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), ("organisation_id" = Uuid, Path, description = "Organisation id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_milestones(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<Milestones>, ApiError> {
    Ok(Json(
        milestones(app.store.as_ref(), &ctx.caller()?, path.1).await?,
    ))
}

#[derive(OpenApi)]
#[openapi(paths(list_grants, post_grants, get_milestones))]
pub struct Doc;
