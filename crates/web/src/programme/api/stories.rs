//! Stories through the API: the same list, form, consent withdrawal and CSV
//! as the pages. A story whose consent is withdrawn is in no answer.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use useit_app::programme::stories::{
    import_stories, save_story, stories, stories_file, story, withdraw_consent,
};
use useit_core::clock::iso_date;
use useit_core::listing::PageRequest;
use useit_core::programme::stories::{Story, StoryInput, StoryQuery};

use super::ImportQuery;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::http::views::csv_download;
use crate::state::AppState;

/// A story whose consent stands, with who it is about and the consent.
#[derive(Serialize, ToSchema)]
pub struct StoryJson {
    pub id: Uuid,
    pub title: String,
    pub shown_as: String,
    pub body: String,
    pub told_on: String,
    /// `person`, `researcher` or `organisation`.
    pub subject_kind: String,
    pub subject_id: Uuid,
    /// Their name as their strand holds it (personal data).
    pub subject_name: String,
    pub consent_given_on: String,
    pub consent_method: String,
    pub consent_note: String,
    /// The account that recorded the consent.
    pub consent_recorded_by: String,
}

impl From<Story> for StoryJson {
    fn from(s: Story) -> StoryJson {
        let d = s.draft;
        StoryJson {
            id: s.id,
            title: d.title,
            shown_as: d.shown_as,
            body: d.body,
            told_on: iso_date(d.told_on),
            subject_kind: d.subject.kind().to_string(),
            subject_id: d.subject.id(),
            subject_name: s.subject_name,
            consent_given_on: iso_date(d.consent.given_on),
            consent_method: d.consent.method.slug().to_string(),
            consent_note: d.consent.note,
            consent_recorded_by: s.consent_recorded_by,
        }
    }
}

/// A page of stories.
#[derive(Serialize, ToSchema)]
pub struct StoriesJson {
    pub items: Vec<StoryJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The stories whose consent stands (reading them is audited).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/stories", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"), StoryQuery),
    responses((status = 200, body = StoriesJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn list_stories(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<StoryQuery>,
) -> Result<Json<StoriesJson>, ApiError> {
    let page = stories(
        app.store.as_ref(),
        &ctx.caller()?,
        &q,
        PageRequest::new(q.page, None),
    )
    .await?;
    Ok(Json(StoriesJson {
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        items: page.items.into_iter().map(StoryJson::from).collect(),
    }))
}

/// Adds a story with its consent; the caller is recorded as the one who
/// recorded the consent. Every bad field is named.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/stories", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = StoryInput,
    responses((status = 201, body = StoryJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_story(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<StoryInput>,
) -> Result<Response, ApiError> {
    let s = save_story(app.store.as_ref(), &ctx.caller()?, None, &input).await?;
    Ok((StatusCode::CREATED, Json(StoryJson::from(s))).into_response())
}

/// One story whose consent stands (404 once it is withdrawn).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/stories/{story_id}", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"),
        ("story_id" = Uuid, Path, description = "Story id")),
    responses((status = 200, body = StoryJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_story(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<StoryJson>, ApiError> {
    Ok(Json(
        story(app.store.as_ref(), &ctx.caller()?, path.1)
            .await?
            .into(),
    ))
}

/// Changes a story; a changed consent records the caller as its recorder.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/stories/{story_id}", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"),
        ("story_id" = Uuid, Path, description = "Story id")),
    request_body = StoryInput,
    responses((status = 200, body = StoryJson), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn update_story(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(input): Json<StoryInput>,
) -> Result<Json<StoryJson>, ApiError> {
    let s = save_story(app.store.as_ref(), &ctx.caller()?, Some(path.1), &input).await?;
    Ok(Json(s.into()))
}

/// Withdraws the consent a story stands on: its text is deleted and it is
/// never returned again.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/stories/{story_id}/withdraw", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"),
        ("story_id" = Uuid, Path, description = "Story id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem)))]
pub async fn withdraw_story(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<StatusCode, ApiError> {
    withdraw_consent(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The stories as CSV, in the format the import takes back (audited as an export).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/stories.csv", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"), StoryQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_stories(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<StoryQuery>,
) -> Result<Response, ApiError> {
    let body = stories_file(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(csv_download(&ctx, "stories", body)?)
}

/// What an import did (or, on a dry run, would do).
#[derive(Serialize, ToSchema)]
pub struct StoriesImportJson {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub applied: bool,
}

/// Imports stories from CSV (the export's format): nothing is saved unless
/// every row is right, and the same file twice changes nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/stories/import", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"), ImportQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = StoriesImportJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<StoriesImportJson>, ApiError> {
    let name = q.file_name();
    let o = import_stories(app.store.as_ref(), &ctx.caller()?, q.upload(&name, &body)).await?;
    Ok(Json(StoriesImportJson {
        added: o.added,
        changed: o.changed,
        unchanged: o.unchanged,
        applied: !q.dry_run,
    }))
}
