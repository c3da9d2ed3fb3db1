//! The area of benefit's map on its own, as an SVG image.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::view::VersionQuery;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::state::AppState;

pub async fn map_svg(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(v): Query<VersionQuery>,
) -> Result<Response, PageError> {
    let p = useit_app::place::profile(app.store.as_ref(), &ctx.caller()?, v.version)
        .await?
        .ok_or(AppError::NotFound)?;
    let svg = crate::http::map::aob_map(&app, &ctx, &p).await?.0.replacen(
        "<svg ",
        r#"<svg xmlns="http://www.w3.org/2000/svg" "#,
        1,
    );
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}
