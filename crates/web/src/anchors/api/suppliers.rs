//! The suppliers seen in the spend and their review through the API.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use useit_app::anchors::suppliers::{self as use_case, supplier, suppliers};
use useit_core::anchors::resolution::{SupplierQuery, SupplierRecord};
use useit_core::i18n::Message;
use useit_core::listing::{Page, PageRequest};
use useit_core::validation::FieldError;
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct OrganisationJson {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub kind: String,
    pub postcode: Option<String>,
    pub trading_postcode: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateJson {
    pub organisation: OrganisationJson,
    pub score: u8,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct SupplierJson {
    pub key: String,
    pub name: String,
    pub status: String,
    pub organisation: Option<OrganisationJson>,
    pub score: Option<u8>,
    pub reason: Option<String>,
    pub lines: i64,
    pub total_pence: i64,
    pub candidates: Vec<CandidateJson>,
}

pub(super) fn org_json(o: &useit_core::anchors::register::Organisation) -> OrganisationJson {
    OrganisationJson {
        id: o.id.to_string(),
        org_id: o.org_id.clone(),
        name: o.name.clone(),
        kind: o.kind.slug().into(),
        postcode: o.postcode.clone(),
        trading_postcode: o.trading_postcode.clone(),
    }
}

fn supplier_json(s: &SupplierRecord, candidates: Vec<CandidateJson>) -> SupplierJson {
    SupplierJson {
        key: s.key.clone(),
        name: s.name.clone(),
        status: s.status.slug().into(),
        organisation: s.organisation.as_ref().map(org_json),
        score: s.score,
        reason: s
            .reason
            .as_deref()
            .map(|k| useit_core::i18n::t(k).to_string()),
        lines: s.lines,
        total_pence: s.total,
        candidates,
    }
}

#[derive(Serialize, ToSchema)]
pub struct SupplierPageJson {
    pub items: Vec<SupplierJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Suppliers seen in the spend, with their resolution, paged: `q` (name,
/// organisation or org-id), `status` (`review` is the queue), `sort`
/// (total, name, status, lines), `dir`, `page`, `per_page`.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/suppliers", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), SupplierQuery),
    responses((status = 200, body = SupplierPageJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn list_suppliers(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SupplierQuery>,
) -> Result<Json<SupplierPageJson>, ApiError> {
    let all = suppliers(app.store.as_ref(), &ctx.caller()?, &p).await?;
    let page = Page::of(all, PageRequest::new(p.page, p.per_page));
    Ok(Json(SupplierPageJson {
        items: page
            .items
            .iter()
            .map(|s| supplier_json(s, vec![]))
            .collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// The suppliers the filters select, as CSV (the same parameters as the list).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/suppliers.csv", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), SupplierQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = crate::http::error::Problem)))]
pub async fn suppliers_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SupplierQuery>,
) -> Result<Response, ApiError> {
    Ok(super::super::csv::suppliers_csv(&app, &ctx, &p).await?)
}

/// One supplier with its candidate organisations and why each was proposed.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/suppliers/{supplier}", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("supplier" = String, Path, description = "Supplier key")),
    responses((status = 200, body = SupplierJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_supplier(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Json<SupplierJson>, ApiError> {
    let (s, candidates) = supplier(app.store.as_ref(), &ctx.caller()?, &path.1).await?;
    let c = candidates
        .iter()
        .map(|c| CandidateJson {
            organisation: org_json(&c.organisation),
            score: c.score,
            reason: useit_core::i18n::t(&c.reason).to_string(),
        })
        .collect();
    Ok(Json(supplier_json(&s, c)))
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionJson {
    /// The organisation's id, or null for "none of these".
    pub organisation_id: Option<String>,
}

/// Decides who a supplier is; remembered for every future import.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/anchors/suppliers/{supplier}/decision", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("supplier" = String, Path, description = "Supplier key")),
    request_body = DecisionJson,
    responses((status = 200, body = SupplierJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn decide(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(j): Json<DecisionJson>,
) -> Result<Json<SupplierJson>, ApiError> {
    let key = path.1;
    let org = match j.organisation_id.as_deref() {
        None => None,
        Some(s) => Some(uuid::Uuid::parse_str(s).map_err(|_| {
            AppError::Invalid(vec![FieldError {
                field: "organisation_id".into(),
                message: Message::new("anchors.supplier.organisation_unknown"),
            }])
        })?),
    };
    let s = use_case::decide(app.store.as_ref(), &ctx.caller()?, &key, org)
        .await
        .map_err(|e| match e {
            useit_app::Error::Invalid(mut errs) => {
                for f in &mut errs {
                    f.field = "organisation_id".into();
                }
                AppError::Invalid(errs)
            }
            e => e.into(),
        })?;
    Ok(Json(supplier_json(&s, vec![])))
}

#[derive(Serialize, ToSchema)]
pub struct BulkDecidedJson {
    /// `accept_best` or `no_match`, as asked.
    pub decision: String,
    /// How many suppliers were decided.
    pub decided: u64,
    /// Each supplier as it now stands.
    pub suppliers: Vec<SupplierJson>,
}

/// One decision for many suppliers of the review queue (`accept_best`:
/// each supplier's best candidate; `no_match`: none of them), in one
/// transaction with an audit entry each. Every supplier named is decided,
/// or none is and the problem names `suppliers` (unknown, or without a
/// candidate to accept) or `decision`.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/anchors/supplier-decisions", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = useit_core::anchors::bulk::BulkDecisionInput,
    responses((status = 200, body = BulkDecidedJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn decide_many(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<useit_core::anchors::bulk::BulkDecisionInput>,
) -> Result<Json<BulkDecidedJson>, ApiError> {
    let done = use_case::decide_many(app.store.as_ref(), &ctx.caller()?, &input).await?;
    Ok(Json(BulkDecidedJson {
        decision: done.decision.slug().into(),
        decided: done.suppliers.len() as u64,
        suppliers: done
            .suppliers
            .iter()
            .map(|s| supplier_json(s, vec![]))
            .collect(),
    }))
}
