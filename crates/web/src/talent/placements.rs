//! Moving a placement on from the matching page, and the placements
//! download (for reporting: placements are made by confirming proposals,
//! never imported).

use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use useit_app::talent::matching::{move_placement, placements};
use useit_core::i18n::{t, tf};
use useit_core::talent::person::Placement;
use useit_core::talent::placement::{MoveInput, PlacementParams};
use uuid::Uuid;

use super::matching::matching_outcome;
use super::view::placements_csv;
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::state::AppState;

pub async fn placements_csv_download(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PlacementParams>,
) -> Result<Response, PageError> {
    let rows = placements(app.store.as_ref(), &ctx.caller()?, &params, "CSV download").await?;
    Ok(placements_csv(&ctx, &rows)?)
}

pub async fn placement_move(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<MoveInput>,
) -> Result<Response, PageError> {
    let result = move_placement(app.store.as_ref(), &ctx.caller()?, id, &f).await;
    let message = |pl: &Placement| {
        tf(
            "talent.placement.moved",
            &[("status", t(&pl.status.label_key()))],
        )
    };
    // Each placement has its own status and date controls (`status-{id}`,
    // `on-{id}`); a bare `status` is the list's filter.
    let control = |field: &str| format!("{field}-{id}");
    matching_outcome(&app, &ctx, result, message, "#placements", control).await
}
