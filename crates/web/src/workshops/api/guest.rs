//! The guest's two calls: read the link's workshop (title, tables, rounds,
//! questions) and add a note. No account: the link's secret in the path is
//! the right, and it reaches that one workshop only while it is open
//! (an expired or revoked link answers 409, an unknown one 404).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use useit_app::workshops::guest;
use useit_core::clock;
use useit_core::workshops::note::NoteInput;

use super::json;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/guest/workshops/{guest_token}", tag = "workshops",
    params(("guest_token" = String, Path, description = "The guest link's secret")),
    security(()),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem),
        (status = 409, body = crate::http::error::Problem)))]
pub async fn get_workshop(
    State(app): State<AppState>,
    _ctx: Ctx,
    Path(secret): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let v = guest::open(app.store.as_ref(), &secret).await?;
    let d = &v.workshop.draft;
    Ok(Json(serde_json::json!({
        "title": d.title,
        "held_on": clock::iso_date(d.held_on),
        "place": d.place,
        "case_study": d.case_study,
        "rounds": d.rounds,
        "tables": d.tables,
        "closes_at": clock::rfc3339(v.link.expires_at),
    })))
}

/// Adds a note: `table` blank for individual reflection; for
/// `would_transfer`, `answer` is yes, no or maybe and `text` the reason.
#[utoipa::path(post, path = "/api/v1/guest/workshops/{guest_token}/notes", tag = "workshops",
    params(("guest_token" = String, Path, description = "The guest link's secret")),
    security(()),
    request_body = NoteInput,
    responses((status = 201, body = Object), (status = 404, body = crate::http::error::Problem),
        (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn add_note(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
    Json(f): Json<NoteInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let n = guest::add_note_from(app.store.as_ref(), &secret, &f, ctx.actor().address).await?;
    Ok((StatusCode::CREATED, Json(json(&n)?)))
}
