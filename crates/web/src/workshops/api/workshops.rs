//! Workshops, their harvest and synthesis, guest links and the lineage.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use useit_app::workshops::lineage::{add_replication, replications};
use useit_app::workshops::{
    add_action as app_add_action, add_note as app_add_note, group_notes, guest_links,
    open_guest_link, remove_action as app_remove_action, revoke_guest_link, save_workshop, summary,
    workshops,
};
use useit_core::clock;
use useit_core::workshops::guest::GuestLinkInput;
use useit_core::workshops::lineage::{ReplicationInput, layout};
use useit_core::workshops::note::{ActionInput, GroupInput, NoteInput};
use useit_core::workshops::workshop::WorkshopInput;
use utoipa::ToSchema;
use uuid::Uuid;

use super::json;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

type JsonResult = Result<Json<serde_json::Value>, ApiError>;
type Created = Result<(StatusCode, Json<serde_json::Value>), ApiError>;

/// The programme's workshops, latest first, each with its count of notes.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/workshops", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = [Object])))]
pub async fn list(State(app): State<AppState>, ctx: Ctx) -> JsonResult {
    let all = workshops(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(json(&all)?))
}

/// Plans a workshop: tables and rounds default to 3 × 3, each table's
/// question to the seed's (what worked, what didn't, transferable).
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/workshops", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = WorkshopInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<WorkshopInput>,
) -> Created {
    let w = save_workshop(app.store.as_ref(), &ctx.caller()?, None, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&w)?)))
}

/// The workshop with its notes (by table and round, or reflection), the
/// organiser's groups, actions and the tally of "would you transfer".
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/workshops/{workshop_id}", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name"),
        ("workshop_id" = Uuid, Path, description = "Workshop id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_summary(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> JsonResult {
    let id = path.1;
    let s = summary(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(Json(json(&s)?))
}

/// Changes the plan (fewer tables or rounds than notes were taken at is refused).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/workshops/{workshop_id}", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name"),
        ("workshop_id" = Uuid, Path, description = "Workshop id")),
    request_body = WorkshopInput,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<WorkshopInput>,
) -> JsonResult {
    let id = path.1;
    let w = save_workshop(app.store.as_ref(), &ctx.caller()?, Some(id), &f).await?;
    Ok(Json(json(&w)?))
}

/// A note the organiser types in.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/workshops/{workshop_id}/notes", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name"),
        ("workshop_id" = Uuid, Path, description = "Workshop id")),
    request_body = NoteInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn add_note(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<NoteInput>,
) -> Created {
    let id = path.1;
    let n = app_add_note(app.store.as_ref(), &ctx.caller()?, id, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&n)?)))
}

#[derive(Deserialize, ToSchema)]
pub struct GroupsBody {
    pub groups: Vec<GroupInput>,
}

/// Puts notes into success factors, obstacles or transferability factors
/// (a blank group takes a note out of all three).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/workshops/{workshop_id}/groups", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name"),
        ("workshop_id" = Uuid, Path, description = "Workshop id")),
    request_body = GroupsBody,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_groups(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(b): Json<GroupsBody>,
) -> JsonResult {
    let id = path.1;
    let caller = ctx.caller()?;
    group_notes(app.store.as_ref(), &caller, id, &b.groups).await?;
    let s = summary(app.store.as_ref(), &caller, id).await?;
    Ok(Json(json(&s)?))
}

/// An action a city could take, with its owner and city.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/workshops/{workshop_id}/actions", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name"),
        ("workshop_id" = Uuid, Path, description = "Workshop id")),
    request_body = ActionInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn add_action(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<ActionInput>,
) -> Created {
    let id = path.1;
    let a = app_add_action(app.store.as_ref(), &ctx.caller()?, id, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&a)?)))
}

#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/workshops/{workshop_id}/actions/{action_id}", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name"),
        ("workshop_id" = Uuid, Path, description = "Workshop id"),
        ("action_id" = Uuid, Path, description = "Action id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem)))]
pub async fn remove_action(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    let (id, sub) = (path.1, path.2);
    app_remove_action(app.store.as_ref(), &ctx.caller()?, id, sub).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The workshop's guest links (never their secrets).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/workshops/{workshop_id}/links", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name"),
        ("workshop_id" = Uuid, Path, description = "Workshop id")),
    responses((status = 200, body = Object)))]
pub async fn list_links(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> JsonResult {
    let id = path.1;
    let links = guest_links(app.store.as_ref(), &ctx.caller()?, id).await?;
    let now = clock::now();
    let v: Vec<serde_json::Value> = links
        .iter()
        .map(|l| {
            serde_json::json!({
                "id": l.id, "hint": l.hint, "expires_at": clock::rfc3339(l.expires_at),
                "revoked_at": l.revoked_at.map(clock::rfc3339), "open": l.is_open_at(now),
            })
        })
        .collect();
    Ok(Json(serde_json::Value::Array(v)))
}

/// Opens a guest link for `hours` (1 to 336). The answer holds the link's
/// secret and address: shown this once, only its hash is kept.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/workshops/{workshop_id}/links", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name"),
        ("workshop_id" = Uuid, Path, description = "Workshop id")),
    request_body = GuestLinkInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn open_link(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<GuestLinkInput>,
) -> Created {
    let id = path.1;
    let o = open_guest_link(app.store.as_ref(), &ctx.caller()?, id, &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({
            "id": o.link.id,
            "expires_at": clock::rfc3339(o.link.expires_at),
            "secret": o.secret,
            "url": crate::workshops::workshop::guest_url(&app, &headers, &o.secret),
        })),
    ))
}

#[utoipa::path(post, path = "/api/v1/programmes/{programme}/workshops/{workshop_id}/links/{link_id}/revoke", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name"),
        ("workshop_id" = Uuid, Path, description = "Workshop id"),
        ("link_id" = Uuid, Path, description = "Guest link id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn revoke_link(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid, Uuid)>,
) -> JsonResult {
    let (id, sub) = (path.1, path.2);
    let l = revoke_guest_link(app.store.as_ref(), &ctx.caller()?, id, sub).await?;
    Ok(Json(serde_json::json!({
        "id": l.id, "revoked_at": l.revoked_at.map(clock::rfc3339), "open": false,
    })))
}

/// The lineage of replications, in tree order, each with its depth.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/workshops/lineage", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = [Object])))]
pub async fn get_lineage(State(app): State<AppState>, ctx: Ctx) -> JsonResult {
    let all = replications(app.store.as_ref(), &ctx.caller()?).await?;
    let v: Vec<serde_json::Value> = layout(&all)
        .iter()
        .filter_map(|p| {
            let r = all.iter().find(|r| r.id == p.id)?;
            Some(serde_json::json!({
                "id": r.id, "name": r.draft.name, "city": r.draft.city,
                "modelled_on": r.draft.modelled_on, "started": r.draft.started,
                "note": r.draft.note, "depth": p.depth,
            }))
        })
        .collect();
    Ok(Json(serde_json::Value::Array(v)))
}

/// Adds a programme to the lineage; `modelled_on` is the id or name of
/// one already there (blank for an original).
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/workshops/lineage", tag = "workshops",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = ReplicationInput,
    responses((status = 201, body = Object), (status = 409, body = crate::http::error::Problem, description = "The programme is already in the lineage"),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn add_lineage(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<ReplicationInput>,
) -> Created {
    let r = add_replication(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&r)?)))
}
