//! A re-spend survey's results as LM3's re-spend inputs through the API:
//! what the responses give (422 naming the question or the group when they
//! cannot), and setting the programme's LM3 re-spend shares from them.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use useit_app::research::respend::{respend_preview, use_respend};
use useit_core::anchors::measures::Lm3Inputs;
use useit_core::research::respend::ShareRange;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::state::AppState;

/// One group's share re-spent locally, per cent.
#[derive(Serialize, ToSchema)]
pub struct ShareJson {
    /// The answers it rests on.
    pub responses: u64,
    pub mean_pct: f64,
    /// The 95% range of the mean share, low and high.
    pub low_pct: f64,
    pub high_pct: f64,
}

fn share(r: &ShareRange) -> ShareJson {
    ShareJson {
        responses: r.responses,
        mean_pct: r.mean_bp as f64 / 100.0,
        low_pct: r.low_bp as f64 / 100.0,
        high_pct: r.high_bp as f64 / 100.0,
    }
}

/// LM3's re-spend shares in the spend settings, per cent, low and high.
#[derive(Serialize, ToSchema)]
pub struct InputsJson {
    pub supplier_respend_pct: (f64, f64),
    pub staff_respend_pct: (f64, f64),
    /// The survey they came from, in words (null: typed, or the assumptions).
    pub source: Option<String>,
}

fn inputs(l: &Lm3Inputs) -> InputsJson {
    let pct = |bp: (i64, i64)| (bp.0 as f64 / 100.0, bp.1 as f64 / 100.0);
    InputsJson {
        supplier_respend_pct: pct(l.supplier_respend_bp),
        staff_respend_pct: pct(l.staff_respend_bp),
        source: l.source.as_ref().map(|s| s.citation()),
    }
}

#[derive(Serialize, ToSchema)]
pub struct RespendJson {
    pub project_title: String,
    /// The questionnaire's title.
    pub survey: String,
    pub staff: ShareJson,
    pub suppliers: ShareJson,
    /// Responses left out: no group of the two, or no share from 0 to 100%.
    pub left_out: u64,
    /// The settings now (before a POST; after it, what they were).
    pub settings: InputsJson,
}

/// The staff's and suppliers' re-spend shares the project's survey gives,
/// beside the LM3 inputs now. 422 naming the question (`respondent`,
/// `share_local`) or the group (`staff`, `suppliers`) when it cannot.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/respend", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = RespendJson), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn get_respend(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<RespendJson>, ApiError> {
    let p = respend_preview(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    let r = p.computed.map_err(AppError::Invalid)?;
    Ok(Json(RespendJson {
        project_title: p.project.draft.title,
        survey: p.survey.unwrap_or_default(),
        staff: share(&r.staff),
        suppliers: share(&r.suppliers),
        left_out: r.left_out,
        settings: inputs(&p.current),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RespendUsedJson {
    pub staff: ShareJson,
    pub suppliers: ShareJson,
    pub left_out: u64,
    /// The LM3 inputs before.
    pub previous: InputsJson,
    /// The LM3 inputs now, citing the survey.
    pub now: InputsJson,
}

/// Sets the programme's LM3 re-spend shares (every anchor's LM3) from the
/// project's survey, dated today and audited with the shares it replaced.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/respend", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = RespendUsedJson), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn post_respend(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<RespendUsedJson>, ApiError> {
    let done = use_respend(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(Json(RespendUsedJson {
        staff: share(&done.respend.staff),
        suppliers: share(&done.respend.suppliers),
        left_out: done.respend.left_out,
        previous: inputs(&done.previous),
        now: inputs(&done.now),
    }))
}
