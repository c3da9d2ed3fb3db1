//! The enterprise context through the JSON API: the directory, profiles,
//! support, income, lots and each lot's eligibility and consortia. The
//! inputs are the forms' own structs (plain strings, checked by the same
//! `validate`), the answers the core types as JSON.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::enterprise::consortium::{LotAnswer, consortium};
use useit_app::enterprise::gaps::{SupplyChainGaps, supply_chain_gaps};
use useit_app::enterprise::lots::{import_lots, import_ocds, lots, save_lot};
use useit_app::enterprise::profiles::{
    DirectoryRow, EnterpriseDetail, add_enterprise, directory, enterprise, save_profile,
};
use useit_app::enterprise::records::{add_support, save_income, sustainability};
use useit_core::auth::Capability;
use useit_core::enterprise::income::{IncomeInput, IncomeYear, YearCount};
use useit_core::enterprise::lot::{Lot, LotInput};
use useit_core::enterprise::profile::{
    Enterprise, EnterpriseQuery, NewEnterpriseInput, ProfileInput,
};
use useit_core::enterprise::services::taxonomy;
use useit_core::enterprise::support::{Support, SupportInput};
use utoipa::{IntoParams, OpenApi, ToSchema};
use uuid::Uuid;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, ProblemLine, problem_lines};
use crate::http::route::{Access, Route, api};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewEnterprises);
    let edit = Access::Programme(Capability::EditEnterprises);
    let manage = Access::Programme(Capability::ManageOpportunities);
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/enterprises",
            view,
            list_enterprises,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/enterprises",
            edit,
            post_enterprise,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}",
            view,
            get_enterprise,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}/profile",
            edit,
            put_profile,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}/support",
            edit,
            post_support,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}/income",
            edit,
            put_income,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/sustainability",
            view,
            get_sustainability,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/gaps",
            view,
            get_gaps,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/lots",
            view,
            list_lots,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/lots",
            manage,
            post_lot,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/lots.csv",
            manage,
            import_lots_csv,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/lots/ocds",
            manage,
            import_ocds_package,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/lots/{lot_id}/consortia",
            view,
            get_consortia,
        ),
    ]
}

/// The programme's social enterprises: organisations of the register of
/// kind social enterprise or with a profile. `supported`: at least one
/// support record in the last twelve months; `earned_share_bp`: trading and
/// contract income as a share of all income in the latest year recorded
/// (null: not known).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/enterprises", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), EnterpriseQuery),
    responses((status = 200, body = [Object])))]
pub async fn list_enterprises(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<EnterpriseQuery>,
) -> Result<Json<Vec<DirectoryRow>>, ApiError> {
    Ok(Json(
        directory(app.store.as_ref(), &ctx.caller()?, &q).await?,
    ))
}

/// Adds an enterprise no national register knows (it gets a local org-id).
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/enterprises", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = NewEnterpriseInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn post_enterprise(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(j): Json<NewEnterpriseInput>,
) -> Result<Response, ApiError> {
    let e: Enterprise = add_enterprise(app.store.as_ref(), &ctx.caller()?, &j).await?;
    Ok((StatusCode::CREATED, Json(e)).into_response())
}

/// One enterprise with its place, support log and income history (a year
/// without a record has `income: null`: not known).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), ("organisation_id" = Uuid, Path, description = "Organisation id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_enterprise(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<EnterpriseDetail>, ApiError> {
    let id = path.1;
    Ok(Json(
        enterprise(app.store.as_ref(), &ctx.caller()?, id).await?,
    ))
}

/// Saves the organisation's enterprise profile. Meeting all three criteria
/// recognises it as a social enterprise (its kind changes; audited).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}/profile", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), ("organisation_id" = Uuid, Path, description = "Organisation id")),
    request_body = ProfileInput,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_profile(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(j): Json<ProfileInput>,
) -> Result<Json<Enterprise>, ApiError> {
    let id = path.1;
    Ok(Json(
        save_profile(app.store.as_ref(), &ctx.caller()?, id, &j).await?,
    ))
}

/// Records support given to the enterprise by the caller.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}/support", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), ("organisation_id" = Uuid, Path, description = "Organisation id")),
    request_body = SupportInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn post_support(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(j): Json<SupportInput>,
) -> Result<Response, ApiError> {
    let id = path.1;
    let s: Support = add_support(app.store.as_ref(), &ctx.caller()?, id, &j).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

/// Records (or corrects) a year's income, by source.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/enterprise/enterprises/{organisation_id}/income", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), ("organisation_id" = Uuid, Path, description = "Organisation id")),
    request_body = IncomeInput,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_income(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(j): Json<IncomeInput>,
) -> Result<Json<IncomeYear>, ApiError> {
    let id = path.1;
    Ok(Json(
        save_income(app.store.as_ref(), &ctx.caller()?, id, &j).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct YearsQuery {
    /// The first financial year (the year it starts in).
    #[param(minimum = 1900, maximum = 2200)]
    pub first: i32,
    #[param(minimum = 1900, maximum = 2200)]
    pub last: i32,
}

/// Per year: how many enterprises earned most of their income (trading and
/// contracts over half), how many did not, how many are not known.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/sustainability", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), YearsQuery),
    responses((status = 200, body = [Object])))]
pub async fn get_sustainability(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearsQuery>,
) -> Result<Json<Vec<YearCount>>, ApiError> {
    for (field, year) in [("first", q.first), ("last", q.last)] {
        if !(1900..=2200).contains(&year) {
            return Err(AppError::from(useit_core::validation::Invalid::one(
                field,
                useit_core::i18n::Message::new("enterprise.years_range"),
            ))
            .into());
        }
    }
    let last = q.last.min(q.first + 50);
    Ok(Json(
        sustainability(app.store.as_ref(), &ctx.caller()?, q.first, last).await?,
    ))
}

/// Supply-chain gaps per anchor, over all the spend imported, in pence:
/// `gaps` are categories whose influenceable money is known to leave the
/// area of benefit (its supplier placed outside) and no enterprise placed
/// in the area offers the service; `not_placed` the money whose supplier
/// could not be placed (whether it leaves is not known);
/// `covered` those where local enterprises do (`local_enterprises`, with
/// their names in `names`); `not_known` the categories not tied to a
/// service (`service: null`), with their money.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/gaps", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Object)))]
pub async fn get_gaps(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<SupplyChainGaps>, ApiError> {
    Ok(Json(
        supply_chain_gaps(app.store.as_ref(), &ctx.caller()?, &app.ledgers).await?,
    ))
}

/// The anchors' lots, by deadline.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/lots", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = [Object])))]
pub async fn list_lots(State(app): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Lot>>, ApiError> {
    Ok(Json(lots(app.store.as_ref(), &ctx.caller()?).await?))
}

/// Adds a lot, or changes the one with its reference.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/lots", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = LotInput,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn post_lot(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(j): Json<LotInput>,
) -> Result<Json<Lot>, ApiError> {
    Ok(Json(
        save_lot(app.store.as_ref(), &ctx.caller()?, &j).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct LotsImportQuery {
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LotsImported {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub problems: Vec<ProblemLine>,
}

/// Imports a lots CSV (the columns of the lots download). Any error
/// rejects the whole file (422, each problem with line and column); the
/// same file twice changes nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/lots.csv", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), LotsImportQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = LotsImported), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_lots_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LotsImportQuery>,
    body: Bytes,
) -> Result<Json<LotsImported>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "lots.csv".into());
    let i = import_lots(app.store.as_ref(), &ctx.caller()?, &name, &body).await?;
    Ok(Json(LotsImported {
        new: i.outcome.new,
        changed: i.outcome.changed,
        unchanged: i.outcome.unchanged,
        problems: problem_lines(&i.report),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct OcdsImportedJson {
    /// Releases in the package.
    pub releases: u64,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    /// Warnings (a lot left out because no service covers its CPV codes),
    /// each naming the release and the JSON path in `column_name`.
    pub problems: Vec<ProblemLine>,
}

/// Imports an OCDS release package (the JSON Contracts Finder and Find a
/// Tender publish): each tender's lots with title, value, CPV, contract
/// period and deadline, linked to the anchor that buys them (by name or
/// official code). Any error rejects the whole package (422, each problem
/// naming the release and the JSON path); the same package twice changes
/// nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/lots/ocds", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), LotsImportQuery),
    request_body(content = Object, content_type = "application/json"),
    responses((status = 200, body = OcdsImportedJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_ocds_package(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LotsImportQuery>,
    body: Bytes,
) -> Result<Json<OcdsImportedJson>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "package.json".into());
    let i = import_ocds(app.store.as_ref(), &ctx.caller()?, &name, &body).await?;
    Ok(Json(OcdsImportedJson {
        releases: i.outcome.releases,
        new: i.outcome.saved.new,
        changed: i.outcome.saved.changed,
        unchanged: i.outcome.saved.unchanged,
        problems: problem_lines(&i.report),
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct ConsortiaQuery {
    /// How many consortia to propose (1–20, default 5).
    pub alternatives: Option<usize>,
}

#[derive(Serialize)]
pub struct Reasoned {
    pub id: Uuid,
    pub name: String,
    /// Why it cannot bid alone, in words.
    pub reasons: Vec<String>,
}

#[derive(Serialize)]
pub struct ConsortiaJson {
    pub answer: LotAnswer,
    /// Who can bid alone, by name.
    pub qualify: Vec<Reasoned>,
    /// Everyone else, with every reason.
    pub not_alone: Vec<Reasoned>,
    /// Each proposal's explanation, per requirement, in words.
    pub explanations: Vec<Vec<String>>,
    pub blockers: Vec<String>,
    pub lead_rule: String,
}

/// For one lot: who qualifies alone, exactly why each other enterprise
/// does not, and the best consortia of two or more (fewest members, then
/// most local) with the suggested lead and how each requirement is met.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/lots/{lot_id}/consortia", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), ("lot_id" = Uuid, Path, description = "Lot id"), ConsortiaQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_consortia(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Query(q): Query<ConsortiaQuery>,
) -> Result<Json<ConsortiaJson>, ApiError> {
    let id = path.1;
    let a = consortium(
        app.store.as_ref(),
        &ctx.caller()?,
        id,
        q.alternatives.unwrap_or(5),
    )
    .await?;
    Ok(Json(explain(a)))
}

/// The answer with its words, as the page shows them.
pub fn explain(a: LotAnswer) -> ConsortiaJson {
    let tx = taxonomy();
    ConsortiaJson {
        qualify: a
            .eligibility
            .qualify
            .iter()
            .map(|id| Reasoned {
                id: *id,
                name: a.name(*id).to_string(),
                reasons: Vec::new(),
            })
            .collect(),
        not_alone: a
            .eligibility
            .not_alone
            .iter()
            .map(|n| Reasoned {
                id: n.id,
                name: a.name(n.id).to_string(),
                reasons: n.unmet.iter().map(|u| u.message(&tx).text()).collect(),
            })
            .collect(),
        explanations: a
            .consortia
            .proposals
            .iter()
            .map(|p| {
                p.explanation
                    .iter()
                    .map(|e| e.message(p, &tx).text())
                    .collect()
            })
            .collect(),
        blockers: a
            .consortia
            .blockers
            .iter()
            .map(|b| b.message(&tx).text())
            .collect(),
        lead_rule: useit_core::i18n::t(useit_core::enterprise::consortium::LEAD_RULE).to_string(),
        answer: a,
    }
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        list_enterprises,
        post_enterprise,
        get_enterprise,
        put_profile,
        post_support,
        put_income,
        get_sustainability,
        get_gaps,
        list_lots,
        post_lot,
        import_lots_csv,
        import_ocds_package,
        get_consortia,
    ),
    tags((name = "enterprise", description = "Social enterprises into anchors' supply chains: profiles, support, income, lots, eligibility and consortia"))
)]
pub struct Doc;
