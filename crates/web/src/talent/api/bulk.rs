//! Many people or placements changed at once through the API: the same
//! use cases as the lists' tick boxes, all or nothing, an audit entry per
//! person.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use useit_app::talent::bulk::{change_people, move_many};
use useit_core::talent::bulk::{BulkMoveInput, BulkPeopleInput};
use utoipa::ToSchema;
use uuid::Uuid;

use super::json;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

/// A person a bulk change changed.
#[derive(Serialize, ToSchema)]
pub struct ChangedPerson {
    pub id: Uuid,
    pub full_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct BulkPeopleJson {
    /// The action, as asked.
    pub action: String,
    /// How many people it changed.
    pub changed: u64,
    /// Each of them.
    pub people: Vec<ChangedPerson>,
}

/// One change for many people of the caller's caseload, in one transaction
/// with an audit entry per person: `step` (each passed one step of their
/// pathway, on `record.passed_on`), `barrier`, `support`, `note` or `work`
/// (the fields the person's records take, under `record`), or `caseworker`
/// (for those who reach every caseload). Everyone named is changed, or
/// nobody is and the problem names `people` (an id not in the caller's
/// programme or caseload, or erased), `action`, or the record's field.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/people/bulk", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = BulkPeopleInput,
    responses((status = 200, body = BulkPeopleJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn change_many_people(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<BulkPeopleInput>,
) -> Result<Json<BulkPeopleJson>, ApiError> {
    let done = change_people(app.store.as_ref(), &ctx.caller()?, &input, &|_| {}).await?;
    Ok(Json(BulkPeopleJson {
        action: done.action.slug().into(),
        changed: done.people.len() as u64,
        people: done
            .people
            .iter()
            .map(|p| ChangedPerson {
                id: p.id,
                full_name: p.draft.full_name.clone(),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct BulkMovedJson {
    /// How many placements moved.
    pub moved: u64,
    /// Each placement as it now stands.
    #[schema(value_type = Vec<Object>)]
    pub placements: serde_json::Value,
}

/// Moves many placements to one status on one day (`on`, today when
/// blank), in one transaction with an audit entry each. Every placement
/// named moves, or none does and the problem names `placements` (not in
/// the caller's caseload) or `status` (one may not move there, named).
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/placements/bulk", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = BulkMoveInput,
    responses((status = 200, body = BulkMovedJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn move_many_placements(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<BulkMoveInput>,
) -> Result<Json<BulkMovedJson>, ApiError> {
    let moved = move_many(app.store.as_ref(), &ctx.caller()?, &input).await?;
    Ok(Json(BulkMovedJson {
        moved: moved.len() as u64,
        placements: json(&moved)?,
    }))
}
