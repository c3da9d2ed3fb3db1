//! The programme's indicators and targets through the API: the same figures
//! as the home page (small counts of people suppressed for roles without
//! the right to personal data; "not known" with the step that fixes it,
//! never 0), and the targets, read by everyone and set by the programme
//! manager.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use useit_app::programme::indicators::{indicators, save_targets, targets};
use useit_core::i18n::t;
use useit_core::programme::targets::{TargetInput, TargetsInput};
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::programme::view::{figure_text, indicator_href, published_coverage_text, step_href};
use crate::state::AppState;

/// One indicator: its figure (a `count` cell as in every suppressed figure,
/// a `share` in basis points low–high, a `multiplier` in hundredths, or
/// `not_known` with the `fix` step), the same in words, the trend, the
/// target and the page that lists what it counts.
#[derive(Serialize, ToSchema)]
pub struct IndicatorJson {
    pub indicator: String,
    pub label: String,
    pub definition: String,
    #[schema(value_type = Object)]
    pub figure: serde_json::Value,
    pub text: String,
    pub coverage: String,
    /// The page listing what it counts; null where this role may not open it.
    pub href: Option<String>,
    /// Oldest first: `{year, figure}`; a count's are the number reached by each year's end.
    #[schema(value_type = Vec<Object>)]
    pub trend: serde_json::Value,
    pub cumulative: bool,
    /// `{indicator, value, period: {from, to}}` or null.
    #[schema(value_type = Option<Object>)]
    pub target: serde_json::Value,
    pub of_target_bp: Option<i64>,
    /// For the organisations the anchors work with: `{anchor, count}` per anchor.
    #[schema(value_type = Vec<Object>)]
    pub by_anchor: serde_json::Value,
}

/// A step still to take to set the programme up.
#[derive(Serialize, ToSchema)]
pub struct StepJson {
    pub step: String,
    pub label: String,
    /// Where it is done, or null where this role cannot do it.
    pub href: Option<String>,
}

/// Everything the home page shows of what the programme achieved.
#[derive(Serialize, ToSchema)]
pub struct IndicatorsJson {
    pub as_of: String,
    /// Counts of people are exact (personal data) for this caller.
    pub exact_talent: bool,
    pub exact_research: bool,
    /// Counts of people from 1 to k − 1 are suppressed for other roles.
    pub k: u32,
    pub get_started: Vec<StepJson>,
    pub indicators: Vec<IndicatorJson>,
}

fn json<T: Serialize>(v: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(v).map_err(AppError::internal)
}

/// The programme's indicators, computed from the records now.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/indicators", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = IndicatorsJson)))]
pub async fn get_indicators(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<IndicatorsJson>, ApiError> {
    let slug = ctx.programme()?.slug.clone();
    let ind = indicators(app.store.as_ref(), &ctx.caller()?, &app.ledgers).await?;
    let link = |h: String| (!h.is_empty()).then_some(h);
    Ok(Json(IndicatorsJson {
        as_of: useit_core::clock::iso_date(ind.as_of),
        exact_talent: ind.exact_talent,
        exact_research: ind.exact_research,
        k: ind.k,
        get_started: ind
            .get_started
            .iter()
            .map(|s| StepJson {
                step: s.slug().to_string(),
                label: t(&s.label_key()).to_string(),
                href: ctx.can(s.capability()).then(|| step_href(&slug, *s)),
            })
            .collect(),
        indicators: ind
            .figures
            .iter()
            .map(|p| {
                Ok(IndicatorJson {
                    indicator: p.indicator.slug().to_string(),
                    label: t(&p.indicator.label_key()).to_string(),
                    definition: t(&p.indicator.definition_key()).to_string(),
                    figure: json(&p.figure)?,
                    text: figure_text(&p.figure),
                    coverage: published_coverage_text(p),
                    href: link(indicator_href(
                        &slug,
                        p.indicator,
                        p.target.map(|t| t.period).unwrap_or_default(),
                        |c| ctx.can(c),
                    )),
                    trend: json(&p.trend)?,
                    cumulative: p.cumulative,
                    target: json(&p.target)?,
                    of_target_bp: p.of_target_bp,
                    by_anchor: json(&p.by_anchor)?,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?,
    }))
}

/// The programme's targets (empty until someone sets them).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/targets", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = TargetsInput)))]
pub async fn get_targets(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<TargetsInput>, ApiError> {
    let saved = targets(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(TargetsInput {
        targets: saved.iter().map(TargetInput::of).collect(),
    }))
}

/// Replaces every target: an indicator left out, or with a blank value, has
/// none. Every bad field is named (`researchers_paid_value`).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/targets", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = TargetsInput,
    responses((status = 200, body = TargetsInput), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_targets(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<TargetsInput>,
) -> Result<Json<TargetsInput>, ApiError> {
    let saved = save_targets(app.store.as_ref(), &ctx.caller()?, &input).await?;
    Ok(Json(TargetsInput {
        targets: saved.iter().map(TargetInput::of).collect(),
    }))
}
