//! Spend through the JSON API: anchors, spend-file imports, the measures
//! and the lines behind them, suppliers and their review, the register and
//! the programme's spend settings.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_core::anchors::amount::format_pence;
use useit_core::anchors::measures::{Band, Geography};
use useit_core::auth::Capability;
use useit_core::csv_import::{Report, decode};
use useit_core::i18n::Message;
use useit_core::listing::{Page, PageRequest};
use useit_core::validation::{FieldError, Invalid};
use utoipa::{IntoParams, ToSchema};

use super::service::{self, LineView, SpendParams};
use super::{AnchorForm, SettingsForm, SupplierParams, import_bytes, lines_csv_response};
use crate::context::{Access, Ctx};
use crate::error::{ApiError, AppError, ProblemLine, problem_lines};
use crate::routes::{Route, api};
use crate::state::AppState;
use useit_store::anchors::{
    Anchor, SpendImportOptions, SpendImportResult, SpendSettings, SupplierRecord,
};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewSpend);
    let manage = Access::Programme(Capability::ManageSpend);
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors",
            view,
            list_anchors,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/anchors/{anchor}",
            manage,
            put_anchor,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/anchors/{anchor}/spend-files",
            manage,
            import_file,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/spend/files",
            view,
            list_files,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/spend/measures",
            view,
            measures,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/spend/lines",
            view,
            lines,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/spend/lines.csv",
            view,
            lines_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/spend/settings",
            view,
            get_settings,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/spend/settings",
            manage,
            put_settings,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/suppliers",
            view,
            list_suppliers,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/suppliers.csv",
            view,
            suppliers_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/suppliers/{supplier}",
            view,
            get_supplier,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/suppliers/{supplier}/decision",
            manage,
            decide,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/organisations",
            manage,
            load_register,
        ),
    ]
}

#[derive(Serialize, ToSchema)]
pub struct SiteJson {
    pub name: String,
    pub postcode: String,
}

#[derive(Serialize, ToSchema)]
pub struct AnchorJson {
    pub slug: String,
    pub name: String,
    /// nhs_trust, council, university, housing_association, other.
    pub kind: String,
    pub official_code: Option<String>,
    pub local_authority_code: Option<String>,
    /// `field=Header` pairs for files whose headers are not recognised.
    pub column_mapping: Vec<String>,
    pub sites: Vec<SiteJson>,
}

fn anchor_json(a: &Anchor) -> AnchorJson {
    AnchorJson {
        slug: a.slug.clone(),
        name: a.name.clone(),
        kind: a.kind.slug().into(),
        official_code: a.official_code.clone(),
        local_authority_code: a.local_authority_code.clone(),
        column_mapping: a.column_mapping.pairs(),
        sites: a
            .sites
            .iter()
            .map(|s| SiteJson {
                name: s.name.clone(),
                postcode: s.postcode.clone(),
            })
            .collect(),
    }
}

/// The anchors of the programme and their sites.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<AnchorJson>)))]
pub async fn list_anchors(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<AnchorJson>>, ApiError> {
    Ok(Json(
        app.store
            .list_anchors(ctx.programme_id()?)
            .await?
            .iter()
            .map(anchor_json)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct AnchorInputJson {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub official_code: Option<String>,
    #[serde(default)]
    pub local_authority_code: Option<String>,
    #[serde(default)]
    pub column_mapping: Vec<String>,
    #[serde(default)]
    pub sites: Vec<SiteInputJson>,
}

#[derive(Deserialize, ToSchema)]
pub struct SiteInputJson {
    pub name: String,
    pub postcode: String,
}

/// Creates the anchor with this short name, or changes it (sites are replaced).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/anchors/{anchor}", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("anchor" = String, Path, description = "Anchor short name")),
    request_body = AnchorInputJson,
    responses((status = 200, body = AnchorJson), (status = 422, body = crate::error::Problem)))]
pub async fn put_anchor(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(j): Json<AnchorInputJson>,
) -> Result<Json<AnchorJson>, ApiError> {
    let slug = path.1;
    let form = AnchorForm {
        slug,
        name: j.name,
        kind: j.kind,
        official_code: j.official_code.unwrap_or_default(),
        local_authority_code: j.local_authority_code.unwrap_or_default(),
        sites: j
            .sites
            .iter()
            .map(|s| format!("{}, {}", s.name, s.postcode))
            .collect::<Vec<_>>()
            .join("\n"),
        column_mapping: j.column_mapping.join("\n"),
    };
    let input = form.validate().map_err(|Invalid(e)| AppError::Invalid(e))?;
    let a = app
        .store
        .save_anchor(ctx.programme_id()?, &input, &ctx.actor())
        .await?;
    Ok(Json(anchor_json(&a)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpendImportQuery {
    /// The file's name, for the report.
    pub file_name: Option<String>,
    /// Import the good lines of a file with bad ones, listing what was skipped.
    #[serde(default)]
    pub skip_bad_lines: bool,
    /// YYYY-MM-DD: the date for lines without one (the start of the file's period).
    pub undated_lines_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SpendImportJson {
    pub file: String,
    pub file_id: Option<String>,
    pub lines_read: u64,
    pub lines_new: u64,
    pub total_new_pence: i64,
    pub new_suppliers: u64,
    pub matched: u64,
    pub to_review: u64,
    pub already_imported: bool,
    /// Warnings and, with skip_bad_lines, the skipped lines.
    pub problems: Vec<ProblemLine>,
}

/// Imports a spend file as published (CSV body): all or nothing unless
/// `skip_bad_lines`; the same file twice changes nothing; lines already held
/// from an overlapping file are not counted again.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/anchors/{anchor}/spend-files", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("anchor" = String, Path, description = "Anchor short name"), SpendImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = SpendImportJson), (status = 200, body = SpendImportJson, description = "Already imported"), (status = 422, body = crate::error::Problem)))]
pub async fn import_file(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Query(q): Query<SpendImportQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let slug = path.1;
    let anchor = app
        .store
        .anchor(ctx.programme_id()?, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let undated_lines_on = match q
        .undated_lines_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(
            time::Date::parse(s, &time::format_description::well_known::Iso8601::DATE).map_err(
                |_| {
                    AppError::Invalid(vec![FieldError {
                        field: "undated_lines_on".into(),
                        message: Message::new("validation.date").arg("value", s),
                    }])
                },
            )?,
        ),
    };
    let name = q.file_name.unwrap_or_else(|| "upload.csv".into());
    let options = SpendImportOptions {
        skip_bad_lines: q.skip_bad_lines,
        undated_lines_on,
    };
    match import_bytes(&app, &ctx, &anchor, &name, &body, &options).await? {
        SpendImportResult::Rejected(report) => Err(AppError::ImportRejected(report).into()),
        SpendImportResult::Imported(o, report) => {
            let status = if o.already_imported {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            Ok((
                status,
                Json(SpendImportJson {
                    file: report.file.clone(),
                    file_id: o.file_id.map(|i| i.to_string()),
                    lines_read: o.lines_read,
                    lines_new: o.lines_new,
                    total_new_pence: o.total_new,
                    new_suppliers: o.new_suppliers,
                    matched: o.matched,
                    to_review: o.to_review,
                    already_imported: o.already_imported,
                    problems: problem_lines(&report),
                }),
            )
                .into_response())
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SpendFileJson {
    pub id: String,
    pub anchor: String,
    pub file_name: String,
    pub encoding: String,
    pub lines_read: i64,
    pub lines_new: i64,
    pub total_pence: i64,
    pub first_paid_on: Option<String>,
    pub last_paid_on: Option<String>,
    pub imported_at: String,
    pub imported_by: String,
}

/// The spend files imported, newest first.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/spend/files", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<SpendFileJson>)))]
pub async fn list_files(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<SpendFileJson>>, ApiError> {
    Ok(Json(
        app.store
            .spend_files(ctx.programme_id()?)
            .await?
            .into_iter()
            .map(|f| SpendFileJson {
                id: f.id.to_string(),
                anchor: f.anchor_slug,
                file_name: f.file_name,
                encoding: f.encoding,
                lines_read: f.lines_read,
                lines_new: f.lines_new,
                total_pence: f.total,
                first_paid_on: f.first_paid_on.map(|d| d.to_string()),
                last_paid_on: f.last_paid_on.map(|d| d.to_string()),
                imported_at: useit_core::clock::rfc3339(f.imported_at),
                imported_by: f.imported_by,
            })
            .collect(),
    ))
}

/// An amount known within bounds: the low end counts a supplier as in the
/// place only when every known address is, the high end when any is.
#[derive(Serialize, ToSchema)]
pub struct BandJson {
    pub low_pence: i64,
    pub high_pence: i64,
    /// Basis points (1/100 of a per cent) of influenceable spend.
    pub low_share_bp: i64,
    pub high_share_bp: i64,
}

fn band(b: Band, of: i64) -> BandJson {
    let (lo, hi) = b.share_bp(of);
    BandJson {
        low_pence: b.low,
        high_pence: b.high,
        low_share_bp: lo,
        high_share_bp: hi,
    }
}

#[derive(Serialize, ToSchema)]
pub struct SupplierTotalJson {
    pub supplier: String,
    pub name: String,
    pub kind: String,
    pub total_pence: i64,
    pub lines: u64,
}

#[derive(Serialize, ToSchema)]
pub struct MonthJson {
    pub month: String,
    pub total_pence: i64,
    pub influenceable_pence: i64,
    pub local_area_of_benefit: BandJson,
}

#[derive(Serialize, ToSchema)]
pub struct CategoryJson {
    pub expense_type: String,
    pub influenceable_pence: i64,
    pub local_local_authority: BandJson,
}

#[derive(Serialize, ToSchema)]
pub struct LeakJson {
    pub expense_type: String,
    pub leaving_pence: i64,
    pub local_suppliers: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Lm3Json {
    pub r1_pence: i64,
    pub r2: BandJson,
    pub r3: BandJson,
    /// LM3 × 100: 126 means 1.26.
    pub low_hundredths: i64,
    pub high_hundredths: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MeasuresJson {
    pub lines: u64,
    pub total_pence: i64,
    pub influenceable_pence: i64,
    /// Local influenceable spend by geography: area_of_benefit, local_authority, city_region, near_site.
    pub local: std::collections::BTreeMap<String, BandJson>,
    /// Local spend on all spend (the Transparency Code basis).
    pub local_all: std::collections::BTreeMap<String, BandJson>,
    pub deciles_1_2: BandJson,
    pub social_economy_pence: i64,
    pub top_suppliers: Vec<SupplierTotalJson>,
    pub categories: Vec<CategoryJson>,
    pub months: Vec<MonthJson>,
    /// Against the local authority.
    pub leakage: Vec<LeakJson>,
    pub lm3: Lm3Json,
    /// The rules that take lines out of influenceable spend.
    pub rules: Vec<String>,
}

/// The measures for an anchor (or all) over a period; `/spend/lines` with the
/// same filters lists the lines behind each.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/spend/measures", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), SpendParams),
    responses((status = 200, body = MeasuresJson), (status = 422, body = crate::error::Problem)))]
pub async fn measures(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SpendParams>,
) -> Result<Json<MeasuresJson>, ApiError> {
    let ledger = service::load(&app, &ctx).await?;
    let scope = p
        .scope()
        .predicate(&ledger.anchors)
        .map_err(|Invalid(e)| AppError::Invalid(e))?;
    let m = ledger.measures(&scope);
    let l = ledger.lm3(&m);
    let by_geo = |map: &std::collections::BTreeMap<Geography, Band>, of: i64| {
        map.iter()
            .map(|(g, b)| (g.slug().to_string(), band(*b, of)))
            .collect()
    };
    let sup = |i: usize| &ledger.inputs.suppliers[i];
    Ok(Json(MeasuresJson {
        lines: m.lines,
        total_pence: m.total,
        influenceable_pence: m.influenceable,
        local: by_geo(&m.local, m.influenceable),
        local_all: by_geo(&m.local_all, m.total),
        deciles_1_2: band(m.deprived_1_2, m.influenceable),
        social_economy_pence: m.social_economy,
        top_suppliers: m
            .top_suppliers
            .iter()
            .map(|t| SupplierTotalJson {
                supplier: sup(t.supplier).key.clone(),
                name: sup(t.supplier).name.clone(),
                kind: sup(t.supplier).kind.slug().into(),
                total_pence: t.total,
                lines: t.lines,
            })
            .collect(),
        categories: m
            .categories
            .iter()
            .map(|c| CategoryJson {
                expense_type: c.expense_type.clone(),
                influenceable_pence: c.influenceable,
                local_local_authority: band(c.local, c.influenceable),
            })
            .collect(),
        months: m
            .months
            .iter()
            .map(|mo| MonthJson {
                month: mo.month.clone(),
                total_pence: mo.total,
                influenceable_pence: mo.influenceable,
                local_area_of_benefit: band(mo.local, mo.influenceable),
            })
            .collect(),
        leakage: m
            .leakage
            .iter()
            .map(|lk| LeakJson {
                expense_type: lk.expense_type.clone(),
                leaving_pence: lk.leaving,
                local_suppliers: lk
                    .local_suppliers
                    .iter()
                    .map(|i| sup(*i).key.clone())
                    .collect(),
            })
            .collect(),
        lm3: Lm3Json {
            r1_pence: l.r1,
            r2: band(l.r2, l.r1),
            r3: band(l.r3, l.r1),
            low_hundredths: l.low_hundredths,
            high_hundredths: l.high_hundredths,
        },
        rules: ledger.rules(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct LinePageJson {
    pub items: Vec<LineView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// The sum of every matching line, in pence: the figure these lines make.
    pub amount_pence: i64,
    pub amount: String,
}

/// The lines behind a figure: the same filters as the measures, paged.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/spend/lines", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), SpendParams),
    responses((status = 200, body = LinePageJson), (status = 422, body = crate::error::Problem)))]
pub async fn lines(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SpendParams>,
) -> Result<Json<LinePageJson>, ApiError> {
    let ledger = service::load(&app, &ctx).await?;
    let pred = p
        .predicate(&ledger.anchors)
        .map_err(|Invalid(e)| AppError::Invalid(e))?;
    let (page, sum) = ledger.page(&p, &pred);
    Ok(Json(LinePageJson {
        items: page.items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        amount_pence: sum,
        amount: format_pence(sum),
    }))
}

/// The lines as CSV, in columns the spend import reads back.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/spend/lines.csv", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), SpendParams),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn lines_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SpendParams>,
) -> Result<Response, ApiError> {
    Ok(lines_csv_response(&app, &ctx, &p).await?)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SettingsJson {
    /// e.g. `supplier_kind is public_body`, `expense_type contains pension`.
    pub rules: Vec<String>,
    /// Local authority codes of the city region.
    pub city_region: Vec<String>,
    pub site_radius_km: f64,
    /// Per cent, low and high.
    pub supplier_respend_pct: (f64, f64),
    pub staff_respend_pct: (f64, f64),
    pub local_wages_pence: i64,
    pub all_wages_pence: i64,
}

fn settings_json(s: &SpendSettings) -> SettingsJson {
    let pct = |bp: i64| bp as f64 / 100.0;
    SettingsJson {
        rules: s.rules.iter().map(|r| r.describe()).collect(),
        city_region: s.city_region.clone(),
        site_radius_km: s.site_radius_m as f64 / 1000.0,
        supplier_respend_pct: (
            pct(s.lm3.supplier_respend_bp.0),
            pct(s.lm3.supplier_respend_bp.1),
        ),
        staff_respend_pct: (pct(s.lm3.staff_respend_bp.0), pct(s.lm3.staff_respend_bp.1)),
        local_wages_pence: s.lm3.local_wages,
        all_wages_pence: s.lm3.all_wages,
    }
}

/// The influenceable-spend rules, the city region, the site radius and the LM3 inputs.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/spend/settings", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = SettingsJson)))]
pub async fn get_settings(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<SettingsJson>, ApiError> {
    Ok(Json(settings_json(
        &app.store.spend_settings(ctx.programme_id()?).await?,
    )))
}

/// Replaces the spend settings.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/spend/settings", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = SettingsJson,
    responses((status = 200, body = SettingsJson), (status = 422, body = crate::error::Problem)))]
pub async fn put_settings(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(j): Json<SettingsJson>,
) -> Result<Json<SettingsJson>, ApiError> {
    let form = SettingsForm {
        rules: j.rules.join("\n"),
        city_region: j.city_region.join(","),
        site_radius_km: j.site_radius_km.to_string(),
        supplier_respend_low: j.supplier_respend_pct.0.to_string(),
        supplier_respend_high: j.supplier_respend_pct.1.to_string(),
        staff_respend_low: j.staff_respend_pct.0.to_string(),
        staff_respend_high: j.staff_respend_pct.1.to_string(),
        local_wages: super::optional_pence(j.local_wages_pence),
        all_wages: super::optional_pence(j.all_wages_pence),
    };
    let s = form.validate().map_err(|Invalid(mut errs)| {
        // The form's field names, as this body names them.
        for e in &mut errs {
            e.field = match e.field.as_str() {
                "supplier_respend_low" => "supplier_respend_pct/0",
                "supplier_respend_high" => "supplier_respend_pct/1",
                "staff_respend_low" => "staff_respend_pct/0",
                "staff_respend_high" => "staff_respend_pct/1",
                "local_wages" => "local_wages_pence",
                "all_wages" => "all_wages_pence",
                other => other,
            }
            .to_string();
        }
        AppError::Invalid(errs)
    })?;
    app.store
        .save_spend_settings(ctx.programme_id()?, &s, &ctx.actor())
        .await?;
    Ok(Json(settings_json(&s)))
}

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

fn org_json(o: &useit_store::anchors::Organisation) -> OrganisationJson {
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
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/suppliers", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), SupplierParams),
    responses((status = 200, body = SupplierPageJson), (status = 422, body = crate::error::Problem)))]
pub async fn list_suppliers(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SupplierParams>,
) -> Result<Json<SupplierPageJson>, ApiError> {
    let all = super::suppliers_selected(&app, &ctx, &p).await?;
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
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/suppliers.csv", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), SupplierParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = crate::error::Problem)))]
pub async fn suppliers_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SupplierParams>,
) -> Result<Response, ApiError> {
    Ok(super::suppliers_csv_response(&app, &ctx, &p).await?)
}

/// One supplier with its candidate organisations and why each was proposed.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/suppliers/{supplier}", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("supplier" = String, Path, description = "Supplier key")),
    responses((status = 200, body = SupplierJson), (status = 404, body = crate::error::Problem)))]
pub async fn get_supplier(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Json<SupplierJson>, ApiError> {
    let key = path.1;
    let pid = ctx.programme_id()?;
    let s = app
        .store
        .supplier(pid, &key)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = app
        .store
        .supplier_candidates(pid, &key)
        .await?
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
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/suppliers/{supplier}/decision", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("supplier" = String, Path, description = "Supplier key")),
    request_body = DecisionJson,
    responses((status = 200, body = SupplierJson), (status = 422, body = crate::error::Problem)))]
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
                message: Message::new("supplier.organisation_unknown"),
            }])
        })?),
    };
    let s = app
        .store
        .decide_supplier(ctx.programme_id()?, &key, org, &ctx.actor())
        .await
        .map_err(|e| match e {
            useit_store::StoreError::Invalid(Invalid(mut errs)) => {
                for f in &mut errs {
                    f.field = "organisation_id".into();
                }
                AppError::Invalid(errs)
            }
            e => e.into(),
        })?;
    Ok(Json(supplier_json(&s, vec![])))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterJson {
    pub entries: u64,
    pub new: u64,
}

/// Loads organisation-register entries (CSV: org_id, name, kind, company_number,
/// postcode, trading_postcode), all or nothing; loading the same file twice adds nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/organisations", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), RegisterQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = RegisterJson), (status = 422, body = crate::error::Problem)))]
pub async fn load_register(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RegisterQuery>,
    body: Bytes,
) -> Result<Json<RegisterJson>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "register.csv".into());
    let (text, _) = decode(&body);
    let mut report = Report::new(&name);
    let orgs = useit_store::anchors::parse_register(&text, "upload", &mut report);
    if report.has_errors() {
        return Err(AppError::ImportRejected(report).into());
    }
    let new = app
        .store
        .load_organisations(ctx.programme_id()?, &orgs, &ctx.actor())
        .await?;
    Ok(Json(RegisterJson {
        entries: orgs.len() as u64,
        new,
    }))
}
