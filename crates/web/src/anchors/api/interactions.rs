//! Anchors' interactions and practice changes through the API (issue 17.4,
//! 17.5): the list (filter, search, sort, page), its CSV and the import of
//! that CSV, one interaction added, read, changed or ended, the figures
//! (count over time per anchor, by kind, organisations by decile, the
//! network) and the practice changes log. Writes need
//! `ManageInteractions`; reads are every member's (`ViewSpend`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::anchors::interactions::{
    add_interaction, add_practice_change, edit_interaction, end_interaction, import_interactions,
    interaction, interactions, practice_changes,
};
use useit_core::anchors::interactions::{Interaction, InteractionInput, InteractionQuery, export};
use useit_core::anchors::practice::{PracticeChange, PracticeInput};
use useit_core::auth::Capability;
use useit_core::clock::{iso_date, today};
use useit_core::listing::{Page, PageRequest};
use utoipa::{IntoParams, OpenApi, ToSchema};
use uuid::Uuid;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, ProblemLine, problem_lines};
use crate::http::route::{Access, Route, api};
use crate::http::views::csv_download;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewSpend);
    let manage = Access::Programme(Capability::ManageInteractions);
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/interactions",
            view,
            list,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/anchors/interactions",
            manage,
            create,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/interactions.csv",
            view,
            list_csv,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/anchors/interactions.csv",
            manage,
            import_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/interactions/figures",
            view,
            super::interaction_figures::figures,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/interactions/{interaction_id}",
            view,
            get_one,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/anchors/interactions/{interaction_id}",
            manage,
            put_one,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/anchors/interactions/{interaction_id}/end",
            manage,
            end_one,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/practice-changes",
            view,
            list_practice,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/anchors/practice-changes",
            manage,
            create_practice,
        ),
    ]
}

/// The interactions and practice changes in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    list,
    create,
    list_csv,
    import_csv,
    super::interaction_figures::figures,
    get_one,
    put_one,
    end_one,
    list_practice,
    create_practice,
))]
pub struct Doc;

#[derive(Serialize, ToSchema)]
pub struct InteractionJson {
    pub id: String,
    /// The anchor's short name.
    pub anchor: String,
    pub anchor_name: String,
    /// The organisation's identifier in the register.
    pub organisation: String,
    pub organisation_name: String,
    /// referral, volunteering, supply, co_delivery, community_use, research
    /// or employment_pathway.
    pub kind: String,
    pub started_on: String,
    /// Null while it goes on.
    pub ended_on: Option<String>,
    pub evidence: String,
    /// In force today.
    pub current: bool,
}

fn json_of(i: &Interaction) -> InteractionJson {
    InteractionJson {
        id: i.id.to_string(),
        anchor: i.anchor.clone(),
        anchor_name: i.anchor_name.clone(),
        organisation: i.organisation.clone(),
        organisation_name: i.organisation_name.clone(),
        kind: i.kind.slug().into(),
        started_on: iso_date(i.started_on),
        ended_on: i.ended_on.map(iso_date),
        evidence: i.evidence.clone(),
        current: i.in_force_on(today()),
    }
}

#[derive(Serialize, ToSchema)]
pub struct InteractionPageJson {
    pub items: Vec<InteractionJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The interactions a query selects: by anchor, kind, current or ended,
/// in force on a day, words; sorted and paged. A filter it does not know
/// is a 422 naming the field.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/interactions", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name"), InteractionQuery),
    responses((status = 200, body = InteractionPageJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<InteractionQuery>,
) -> Result<Json<InteractionPageJson>, ApiError> {
    let all = interactions(app.store.as_ref(), &ctx.caller()?, &q).await?;
    let page = Page::of(all, PageRequest::new(q.page, q.per_page));
    Ok(Json(InteractionPageJson {
        items: page.items.iter().map(json_of).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// The interactions a query selects as CSV: the file the import reads back.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/interactions.csv", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name"), InteractionQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn list_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<InteractionQuery>,
) -> Result<Response, ApiError> {
    let all = interactions(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(csv_download(&ctx, "interactions", export(&all))?)
}

#[derive(Serialize, ToSchema)]
pub struct SavedJson {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// Records one interaction with an organisation of the register (or
/// changes the end and evidence of the one with the same anchor,
/// organisation, kind and start). 201 when new.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/anchors/interactions", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = InteractionInput,
    responses((status = 201, body = SavedJson), (status = 200, body = SavedJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<InteractionInput>,
) -> Result<Response, ApiError> {
    let o = add_interaction(app.store.as_ref(), &ctx.caller()?, &input).await?;
    let status = if o.created > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(SavedJson {
            created: o.created,
            updated: o.updated,
            unchanged: o.unchanged,
        }),
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportedJson {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub problems: Vec<ProblemLine>,
}

/// Imports an interactions CSV (the download's columns). Any error rejects
/// the whole file (422, each problem with line and column); the same file
/// twice changes nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/anchors/interactions.csv", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name"), ImportQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = ImportedJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportedJson>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "interactions.csv".into());
    let i = import_interactions(app.store.as_ref(), &ctx.caller()?, &name, &body).await?;
    Ok(Json(ImportedJson {
        created: i.outcome.created,
        updated: i.outcome.updated,
        unchanged: i.outcome.unchanged,
        problems: problem_lines(&i.report),
    }))
}

fn id_of(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// One interaction.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/interactions/{interaction_id}", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name"), ("interaction_id" = Uuid, Path, description = "Interaction id")),
    responses((status = 200, body = InteractionJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_one(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Json<InteractionJson>, ApiError> {
    let i = interaction(app.store.as_ref(), &ctx.caller()?, id_of(&path.1)?).await?;
    Ok(Json(json_of(&i)))
}

/// Changes an interaction: every field as a new one would have it (a
/// corrected start, another kind, its end). Another with the same anchor,
/// organisation, kind and start is a 409 naming `started_on`.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/anchors/interactions/{interaction_id}", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name"), ("interaction_id" = Uuid, Path, description = "Interaction id")),
    request_body = InteractionInput,
    responses((status = 200, body = InteractionJson), (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_one(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(input): Json<InteractionInput>,
) -> Result<Json<InteractionJson>, ApiError> {
    let i = edit_interaction(app.store.as_ref(), &ctx.caller()?, id_of(&path.1)?, &input).await?;
    Ok(Json(json_of(&i)))
}

#[derive(Deserialize, ToSchema)]
pub struct EndJson {
    /// The day it ended (2025-03-31 or 31/03/2025), not in the future nor
    /// before it began.
    #[serde(default)]
    #[schema(required = true, schema_with = useit_core::openapi::past_day)]
    pub ended_on: String,
}

/// Ends an interaction on a day, keeping everything else.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/anchors/interactions/{interaction_id}/end", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name"), ("interaction_id" = Uuid, Path, description = "Interaction id")),
    request_body = EndJson,
    responses((status = 200, body = InteractionJson), (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn end_one(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(body): Json<EndJson>,
) -> Result<Json<InteractionJson>, ApiError> {
    let i = end_interaction(
        app.store.as_ref(),
        &ctx.caller()?,
        id_of(&path.1)?,
        &body.ended_on,
    )
    .await?;
    Ok(Json(json_of(&i)))
}

#[derive(Serialize, ToSchema)]
pub struct PracticeJson {
    pub id: String,
    pub anchor: String,
    pub anchor_name: String,
    pub changed_on: String,
    /// employer_rule, procurement, space_opened or other.
    pub kind: String,
    pub summary: String,
    /// The interaction that prompted it, and its organisation's name.
    pub interaction: Option<String>,
    pub interaction_organisation: Option<String>,
    /// The talent barrier it answers.
    pub barrier: Option<String>,
}

fn practice_json(c: &PracticeChange) -> PracticeJson {
    PracticeJson {
        id: c.id.to_string(),
        anchor: c.anchor.clone(),
        anchor_name: c.anchor_name.clone(),
        changed_on: iso_date(c.changed_on),
        kind: c.kind.slug().into(),
        summary: c.summary.clone(),
        interaction: c.interaction.map(|i| i.to_string()),
        interaction_organisation: c.interaction_organisation.clone(),
        barrier: c.barrier.map(|b| b.slug().to_string()),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PracticeQuery {
    /// An anchor's short name: only its changes.
    pub anchor: Option<String>,
}

/// The practice changes, newest first.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/practice-changes", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name"), PracticeQuery),
    responses((status = 200, body = Vec<PracticeJson>)))]
pub async fn list_practice(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PracticeQuery>,
) -> Result<Json<Vec<PracticeJson>>, ApiError> {
    let anchor = q.anchor.as_deref().filter(|a| !a.is_empty());
    let all = practice_changes(app.store.as_ref(), &ctx.caller()?, anchor).await?;
    Ok(Json(all.iter().map(practice_json).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct CreatedJson {
    pub id: String,
}

/// Records a practice change, linked to the anchor's own interaction or a
/// talent barrier that prompted it. 201 with its id.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/anchors/practice-changes", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = PracticeInput,
    responses((status = 201, body = CreatedJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_practice(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<PracticeInput>,
) -> Result<Response, ApiError> {
    let id = add_practice_change(app.store.as_ref(), &ctx.caller()?, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedJson { id: id.to_string() }),
    )
        .into_response())
}
