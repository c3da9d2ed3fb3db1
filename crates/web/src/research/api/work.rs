//! Projects, the strand's figures, timesheets, approval, the payment run
//! and the pay rule through the API.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use useit_app::research::projects::{project, projects, save_project};
use useit_app::research::summary::summary;
use useit_app::research::work::{
    decide_time, pay_rule, pay_rule_form, pay_run, save_pay_rule, submit_time, time_entries,
};
use useit_core::research::pay::{PayRuleInput, Scheme};
use useit_core::research::project::ProjectInput;
use useit_core::research::work::{TimeInput, TimeParams};
use utoipa::ToSchema;
use uuid::Uuid;

use super::json;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::http::views::csv_download;
use crate::state::AppState;

/// The strand's figures. Counts below the programme's threshold read
/// "fewer than k" for roles without personal-data rights; pay is null
/// when some approved hours cannot be priced.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/summary", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Object)))]
pub async fn get_summary(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<serde_json::Value>, ApiError> {
    let s = summary(app.store.as_ref(), &ctx.caller()?).await?;
    let channels: serde_json::Map<String, serde_json::Value> = s
        .by_channel
        .iter()
        .map(|(c, n)| (c.slug().to_string(), n.text().into()))
        .collect();
    let projects: serde_json::Map<String, serde_json::Value> = s
        .projects
        .iter()
        .map(|(st, n)| (st.slug().to_string(), (*n).into()))
        .collect();
    Ok(Json(serde_json::json!({
        "exact": s.exact,
        "researchers": s.researchers.text(),
        "accredited": s.accredited.text(),
        "in_deciles_1_2": s.deciles_1_2.text(),
        "decile_known": s.decile_known.text(),
        "by_channel": channels,
        "projects_by_status": projects,
        "approved_minutes": s.approved_minutes,
        "approved_pay_pence": s.approved_pence,
    })))
}

#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/projects", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = [Object])))]
pub async fn list_projects(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<serde_json::Value>, ApiError> {
    let all = projects(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(json(&all)?))
}

#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/projects", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = ProjectInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_project(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<ProjectInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let p = save_project(app.store.as_ref(), &ctx.caller()?, None, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&p)?)))
}

#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/projects/{project_id}", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_project(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    let p = project(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(Json(json(&p)?))
}

#[utoipa::path(put, path = "/api/v1/programmes/{programme}/research/projects/{project_id}", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    request_body = ProjectInput,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn update_project(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<ProjectInput>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    let p = save_project(app.store.as_ref(), &ctx.caller()?, Some(id), &f).await?;
    Ok(Json(json(&p)?))
}

/// Timesheet entries the caller reaches (a researcher: their own).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/time", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"), TimeParams),
    responses((status = 200, body = [Object])))]
pub async fn list_time(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<TimeParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let all = time_entries(app.store.as_ref(), &ctx.caller()?, &p).await?;
    Ok(Json(json(&all)?))
}

/// Enters hours (blank `researcher`: the caller's own record); refused
/// before the researcher's accreditation.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/time", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = TimeInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn submit(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<TimeInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let e = submit_time(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&e)?)))
}

#[derive(Deserialize, ToSchema)]
pub struct Decision {
    /// `approve` or `reject`.
    #[schema(schema_with = decisions)]
    pub decision: String,
}

fn decisions() -> utoipa::openapi::schema::Object {
    useit_core::openapi::choice(["approve", "reject"], false)
}

/// Approves or rejects a submitted entry.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/time/{entry_id}/decision", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("entry_id" = Uuid, Path, description = "Timesheet entry id")),
    request_body = Decision,
    responses((status = 200, body = Object), (status = 409, body = crate::http::error::Problem)))]
pub async fn decide(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(d): Json<Decision>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    let e = decide_time(app.store.as_ref(), &ctx.caller()?, id, &d.decision).await?;
    Ok(Json(json(&e)?))
}

/// The approved hours of a period priced at the rate in force on each day.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/pay-run", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"), TimeParams),
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn get_pay_run(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<TimeParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let run = pay_run(app.store.as_ref(), &ctx.caller()?, &p).await?;
    Ok(Json(json(&run)?))
}

/// The payment run as CSV for payroll.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/pay-run.csv", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"), TimeParams),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn get_pay_run_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<TimeParams>,
) -> Result<Response, ApiError> {
    let run = pay_run(app.store.as_ref(), &ctx.caller()?, &p).await?;
    Ok(csv_download(&ctx, "payment-run", run.to_csv())?)
}

/// The pay rule (`chosen` false: the default until the coordinator picks).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/settings", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Object)))]
pub async fn get_settings(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (rule, chosen) = pay_rule(app.store.as_ref(), &ctx.caller()?).await?;
    let f = pay_rule_form(rule);
    Ok(Json(serde_json::json!({
        "scheme": f.scheme, "pay_from": f.pay_from, "from_day": f.from_day, "chosen": chosen,
    })))
}

#[derive(Deserialize, ToSchema)]
pub struct PayRuleBody {
    /// `uk` or `london`.
    #[schema(schema_with = schemes)]
    pub scheme: String,
    /// `announcement`, `day_of_year` (with `from_day`) or `foundation_deadline`.
    #[schema(schema_with = pay_froms)]
    pub pay_from: String,
    /// With `day_of_year`: the day and month, like `01/04`.
    #[serde(default)]
    pub from_day: String,
}

fn schemes() -> utoipa::openapi::schema::Object {
    useit_core::openapi::choice(Scheme::ALL.iter().map(|s| s.slug()), false)
}

fn pay_froms() -> utoipa::openapi::schema::Object {
    useit_core::openapi::choice(
        ["announcement", "day_of_year", "foundation_deadline"],
        false,
    )
}

/// Chooses the Real Living Wage paid (`uk`, `london`) and from when a new
/// rate is paid (`announcement`, `day_of_year` with `from_day` like
/// `01/04`, `foundation_deadline`).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/research/settings", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = PayRuleBody,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_settings(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(b): Json<PayRuleBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let input = PayRuleInput {
        scheme: b.scheme,
        pay_from: b.pay_from,
        from_day: b.from_day,
    };
    let rule = save_pay_rule(app.store.as_ref(), &ctx.caller()?, &input).await?;
    let f = pay_rule_form(rule);
    Ok(Json(serde_json::json!({
        "scheme": f.scheme, "pay_from": f.pay_from, "from_day": f.from_day, "chosen": true,
    })))
}
