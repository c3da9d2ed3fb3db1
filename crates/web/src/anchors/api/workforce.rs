//! Anchors' workforce through the API: import a year's file, list the
//! files, and the measures with every count of people under disclosure
//! control (`{"value": null, "suppressed": "fewer_than", ...}`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::Imported;
use useit_app::anchors::anchor::anchor;
use useit_app::anchors::workforce::{
    WorkforceQuery, WorkforceUpload, import_workforce, workforce_files, workforce_measures,
};
use useit_core::anchors::workforce::Year;
use useit_core::anchors::workforce_publish::PublishedWorkforce;
use useit_core::validation::FieldError;
use utoipa::{IntoParams, ToSchema};

use super::super::workforce_csv::workforce_csv;
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, ProblemLine, problem_lines};
use crate::state::AppState;

fn year_of(raw: &str) -> Result<Year, AppError> {
    Year::parse(raw).map_err(|m| {
        AppError::Invalid(vec![FieldError {
            field: "year".into(),
            message: m,
        }])
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkforceImportQuery {
    /// The financial year the file is for: `2024` or `2024/25` (1 April 2024 to 31 March 2025).
    pub year: String,
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkforceImportJson {
    pub file: String,
    pub file_id: String,
    /// Cells written (small area × staff group × band × contract).
    pub cells: u64,
    pub already_imported: bool,
    /// A different file for this year was replaced.
    pub replaced: bool,
    /// Warnings: homes that could not be placed, people outside the year.
    pub problems: Vec<ProblemLine>,
}

/// Imports one year of an anchor's workforce (CSV or XLSX body): counts by
/// home area, or one row per employee (summed on import, never stored).
/// All or nothing; the same file twice changes nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/anchors/{anchor}/workforce-files", tag = "workforce",
    params(("programme" = String, Path, description = "Programme short name"), ("anchor" = String, Path, description = "Anchor short name"), WorkforceImportQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 201, body = WorkforceImportJson), (status = 200, body = WorkforceImportJson, description = "Already imported"), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_file(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Query(q): Query<WorkforceImportQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let slug = path.1;
    let caller = ctx.caller()?;
    anchor(app.store.as_ref(), &caller, &slug).await?;
    let year = year_of(&q.year)?;
    let name = q.file_name.unwrap_or_else(|| "workforce.csv".into());
    let Imported { outcome: o, report } = import_workforce(
        app.store.as_ref(),
        &caller,
        WorkforceUpload {
            anchor: &slug,
            year,
            file_name: &name,
            bytes: &body,
        },
    )
    .await?;
    let status = if o.already_imported {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(WorkforceImportJson {
            file: report.file.clone(),
            file_id: o.file_id.to_string(),
            cells: o.cells,
            already_imported: o.already_imported,
            replaced: o.replaced,
            problems: problem_lines(&report),
        }),
    )
        .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct WorkforceFileJson {
    pub id: String,
    pub anchor: String,
    pub year: i32,
    pub file_name: String,
    /// `counts` or `employees`.
    pub shape: String,
    pub rows_read: u64,
    /// RFC 3339.
    pub imported_at: String,
    /// Who imported it (an e-mail): only for roles that see the members.
    pub imported_by: Option<String>,
}

/// The file each anchor's year of workforce came from.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/workforce/files", tag = "workforce",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<WorkforceFileJson>)))]
pub async fn list_files(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<WorkforceFileJson>>, ApiError> {
    let files = workforce_files(app.store.as_ref(), &ctx.caller()?).await?;
    let sees_members = ctx.can(useit_core::auth::Capability::ViewMembers);
    Ok(Json(
        files
            .into_iter()
            .map(|f| WorkforceFileJson {
                id: f.id.to_string(),
                anchor: f.anchor_slug,
                year: f.year.0,
                file_name: f.file_name,
                shape: f.shape.slug().to_string(),
                rows_read: f.rows_read,
                imported_at: useit_core::clock::rfc3339(f.imported_at),
                imported_by: sees_members.then_some(f.imported_by),
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct WorkforceMeasuresQuery {
    /// One anchor's short name (all anchors when empty).
    pub anchor: Option<String>,
    /// One financial year, `2024` or `2024/25` (all years when empty).
    pub year: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkforceYearJson {
    pub anchor: String,
    pub anchor_name: String,
    pub year: i32,
    pub year_label: String,
    /// Per cent of staff living in the area of benefit, where the figures are shown
    /// (null when hidden or when no area of benefit is saved).
    pub area_of_benefit_share_pct: Option<f64>,
    pub area_of_benefit_pay_share_pct: Option<f64>,
    pub local_authority_share_pct: Option<f64>,
    pub deciles_1_2_share_pct: Option<f64>,
    pub local_authority_known: bool,
    /// Each figure as `{"value", "text"}`, with `suppressed` and `below`
    /// when hidden, or `exact: true` for roles with personal-data rights.
    /// Splits are `[inside, outside]` with their total; tables are rows ×
    /// [living in the area of benefit, elsewhere] with their margins. A
    /// split that cannot be judged (no area of benefit saved, no local
    /// authority for the anchor, no deciles loaded) is left out, never 0.
    #[schema(value_type = Object)]
    pub figures: serde_json::Value,
}

/// Residents placed through the programme who started with an anchor in a
/// workforce year, beside that year's new starters.
#[derive(Serialize, ToSchema)]
pub struct PlacedYearJson {
    pub anchor: String,
    pub year: i32,
    pub year_label: String,
    /// `{"value", "text"}`, hidden under the threshold like every count.
    #[schema(value_type = Object)]
    pub placed: serde_json::Value,
    /// New starters from the year's workforce file; null when there is no
    /// file for the year or the file does not say who started (not known).
    #[schema(value_type = Option<Object>)]
    pub starters: serde_json::Value,
    /// Placed as a per cent of new starters, where both are shown.
    pub share_pct: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkforceJson {
    /// Figures are exact (the caller's role has personal-data rights).
    pub exact: bool,
    /// Counts from 1 to threshold − 1 are hidden for other roles.
    pub threshold: u32,
    pub area_of_benefit_known: bool,
    pub deciles_known: bool,
    pub years: Vec<WorkforceYearJson>,
    /// Every year with a workforce file or a placement started, by anchor.
    pub placed: Vec<PlacedYearJson>,
}

async fn view(
    app: &AppState,
    ctx: &Ctx,
    q: &WorkforceMeasuresQuery,
) -> Result<useit_app::anchors::workforce::WorkforceView, ApiError> {
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => Some(year_of(raw)?),
        None => None,
    };
    Ok(workforce_measures(
        app.store.as_ref(),
        &ctx.caller()?,
        &WorkforceQuery {
            anchor: q.anchor.clone().filter(|s| !s.is_empty()),
            year,
        },
    )
    .await?)
}

/// The published figures without the splits that cannot be judged.
fn figures(p: &PublishedWorkforce, aob: bool, la: bool, deciles: bool) -> serde_json::Value {
    let mut v = serde_json::to_value(p).expect("figures serialise");
    if let Some(m) = v.as_object_mut() {
        let mut drop = Vec::new();
        if !aob {
            drop.extend(["area_of_benefit", "starters", "by_band", "by_staff_group"]);
        } else if p.starters.is_none() {
            // The file did not say who started: left out, never 0.
            drop.push("starters");
        }
        if !la {
            drop.push("local_authority");
        }
        if !deciles {
            drop.push("deciles_1_2");
        }
        for t in ["by_band", "by_staff_group"] {
            if let Some(t) = m.get_mut(t).and_then(|t| t.as_object_mut()) {
                for k in &drop {
                    t.remove(*k);
                }
            }
        }
        for k in drop {
            m.remove(k);
        }
    }
    v
}

/// Where each anchor's staff live: staff and pay in the area of benefit, the
/// anchor's local authority and deciles 1–2, starters, by band and staff group.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/workforce", tag = "workforce",
    params(("programme" = String, Path, description = "Programme short name"), WorkforceMeasuresQuery),
    responses((status = 200, body = WorkforceJson)))]
pub async fn measures(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WorkforceMeasuresQuery>,
) -> Result<Json<WorkforceJson>, ApiError> {
    let v = view(&app, &ctx, &q).await?;
    let aob = v.area_of_benefit_known;
    let deciles = v.deciles_known;
    let placed = v
        .placed
        .iter()
        .map(|p| PlacedYearJson {
            anchor: p.anchor_slug.clone(),
            year: p.year.0,
            year_label: p.year.label(),
            placed: serde_json::to_value(p.published.placed).expect("a cell serialises"),
            starters: serde_json::to_value(p.published.starters).expect("a cell serialises"),
            share_pct: p.published.share(),
        })
        .collect();
    Ok(Json(WorkforceJson {
        placed,
        exact: v.viewer.exact(),
        threshold: v.viewer.k(),
        area_of_benefit_known: aob,
        deciles_known: deciles,
        years: v
            .years
            .into_iter()
            .map(|y| {
                let p = &y.published;
                WorkforceYearJson {
                    area_of_benefit_share_pct: p.area_of_benefit.people_share().filter(|_| aob),
                    area_of_benefit_pay_share_pct: p.area_of_benefit.pay_share().filter(|_| aob),
                    local_authority_share_pct: p
                        .local_authority
                        .people_share()
                        .filter(|_| y.local_authority_known),
                    deciles_1_2_share_pct: p.deciles_1_2.people_share().filter(|_| deciles),
                    local_authority_known: y.local_authority_known,
                    anchor: y.anchor_slug,
                    anchor_name: y.anchor_name,
                    year: y.year.0,
                    year_label: y.year.label(),
                    figures: figures(&y.published, aob, y.local_authority_known, deciles),
                }
            })
            .collect(),
    }))
}

/// The same figures as CSV: the number (empty when hidden) and a note column.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/workforce.csv", tag = "workforce",
    params(("programme" = String, Path, description = "Programme short name"), WorkforceMeasuresQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn measures_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WorkforceMeasuresQuery>,
) -> Result<Response, ApiError> {
    let v = view(&app, &ctx, &q).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        workforce_csv(&v),
    )
        .into_response())
}
