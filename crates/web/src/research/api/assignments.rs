//! Researchers assigned to projects, and each researcher's income by year
//! (from the programme and from the Social Lab), through the API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use useit_app::research::assignments::{
    assign, end_assignment, project_assignments, researcher_assignments,
};
use useit_app::research::income::{
    IncomeView, PayerTotal, ResearcherIncome, income, researcher_income,
};
use useit_core::research::assignment::{AssignmentInput, EndInput};
use uuid::Uuid;

use super::json;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

/// A project's assignments (names: the coordinator's).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/assignments", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = [Object]), (status = 404, body = crate::http::error::Problem)))]
pub async fn list_project_assignments(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let all = project_assignments(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(Json(json(&all)?))
}

/// Assigns a researcher to the project from `starts_on` (to `ends_on`,
/// blank: open). A period sharing a day with another of the researcher's
/// on the project is refused naming `starts_on`.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/assignments", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    request_body = AssignmentInput,
    responses((status = 201, body = Object), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn post_assignment(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<AssignmentInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let a = assign(app.store.as_ref(), &ctx.caller()?, path.1, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&a)?)))
}

/// Ends an assignment on `ends_on`; refused, naming `ends_on`, while hours
/// after that day would be left without an assignment.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/assignments/{assignment_id}/end", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("assignment_id" = Uuid, Path, description = "Assignment id")),
    request_body = EndInput,
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn post_end(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<EndInput>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let a = end_assignment(app.store.as_ref(), &ctx.caller()?, path.1, &f).await?;
    Ok(Json(json(&a)?))
}

/// The projects a researcher is assigned to (a researcher: their own).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/researchers/{researcher_id}/assignments", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("researcher_id" = Uuid, Path, description = "Researcher id")),
    responses((status = 200, body = [Object]), (status = 404, body = crate::http::error::Problem)))]
pub async fn list_researcher_assignments(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let all = researcher_assignments(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(Json(json(&all)?))
}

fn researcher_json(r: &ResearcherIncome) -> serde_json::Value {
    serde_json::json!({
        "researcher": r.researcher,
        "name": r.name,
        "years": r.years,
    })
}

/// A researcher's income by year (a researcher: their own): for each payer
/// (`programme`, `social_lab`) the approved minutes and their pay in
/// pence at the Real Living Wage of each day; a payer with nothing
/// recorded that year is `null` ("not known", never 0), and `pence` is
/// `null` when some of its hours cannot be priced (`unpriced_minutes`).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/researchers/{researcher_id}/income", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("researcher_id" = Uuid, Path, description = "Researcher id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_researcher_income(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let r = researcher_income(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(Json(researcher_json(&r)))
}

fn total_json(t: &PayerTotal) -> serde_json::Value {
    serde_json::json!({
        "recorded": t.recorded,
        "researchers": {"value": t.researchers.value(), "text": t.researchers.text()},
        "minutes": t.minutes,
        "pence": t.pence,
        "unpriced": t.unpriced,
    })
}

fn view_json(v: &IncomeView) -> serde_json::Value {
    serde_json::json!({
        "exact": v.exact,
        "years": v.years.iter().map(|y| serde_json::json!({
            "year": y.year,
            "programme": total_json(&y.programme),
            "social_lab": total_json(&y.social_lab),
        })).collect::<Vec<_>>(),
        "researchers": v.researchers.iter().map(researcher_json).collect::<Vec<_>>(),
    })
}

/// Researchers' income by year and payer. Every role sees the years'
/// totals (counts of researchers below the programme's threshold, and
/// their pay, withheld for roles without personal-data rights); only a
/// coordinator gets `researchers`, each one's years.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/income", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Object)))]
pub async fn get_income(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<serde_json::Value>, ApiError> {
    let v = income(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(view_json(&v)))
}
