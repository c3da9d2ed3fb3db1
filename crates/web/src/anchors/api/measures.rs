//! The spend measures and the lines behind them through the API.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Serialize;
use useit_app::anchors::ledger;
use useit_core::anchors::coverage::{self, Gap, Judged};
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::measures::{Band, Geography, Measures};
use useit_core::anchors::placed::LineView;
use useit_core::anchors::placing::PlacingSetup;
use useit_core::anchors::wages::{WageSource, Wages};
use useit_core::i18n::t;
use useit_core::money::format_pence;
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

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

/// A local or deciles figure and how much of the money it could judge. When
/// none could be judged (`known` false) the shares are null, never 0: a new
/// programme's suppliers without addresses are not "0% local".
#[derive(Serialize, ToSchema)]
pub struct JudgedJson {
    /// Whether any of the money could be judged.
    pub known: bool,
    pub low_pence: i64,
    pub high_pence: i64,
    /// Basis points of the whole; null when not known.
    pub low_share_bp: Option<i64>,
    pub high_share_bp: Option<i64>,
    /// The share as pages show it (`8.2%`, `8.2–38.8%`); null when not known.
    pub share: Option<String>,
    pub coverage: CoverageJson,
    /// What keeps the figure from judging all of the money, if anything.
    pub gap: Option<Gap>,
    /// The step that fixes the gap, in words.
    pub gap_message: Option<String>,
}

/// How much of the money a figure could judge: spend whose suppliers have a
/// place the loaded postcodes know, in a geography the programme has set up.
#[derive(Serialize, ToSchema)]
pub struct CoverageJson {
    pub judged_pence: i64,
    pub of_pence: i64,
    /// Basis points of `of_pence`; null when there is no money.
    pub share_bp: Option<i64>,
    /// `12.0%`, rounded as pages show it; null when there is no money.
    pub share: Option<String>,
}

fn judged(j: Judged) -> JudgedJson {
    let known = j.known();
    let (lo, hi) = j.band.share_bp(j.of);
    JudgedJson {
        known,
        low_pence: j.band.low,
        high_pence: j.band.high,
        low_share_bp: known.then_some(lo),
        high_share_bp: known.then_some(hi),
        share: j.share(),
        coverage: CoverageJson {
            judged_pence: j.judged,
            of_pence: j.of,
            share_bp: j.coverage_bp(),
            share: j.coverage(),
        },
        gap: j.gap,
        gap_message: j.gap.map(|g| t(g.message_key()).to_string()),
    }
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
    /// The key of the supplier (of those matched to one organisation, the
    /// one paid most).
    pub supplier: String,
    /// The organisation's name when the supplier was matched to one.
    pub name: String,
    pub kind: String,
    pub total_pence: i64,
    pub lines: u64,
    /// The organisation of the register the row adds up, if matched.
    pub organisation_id: Option<String>,
    /// How many spellings on the spend lines the row adds up.
    pub spellings: u64,
}

#[derive(Serialize, ToSchema)]
pub struct MonthJson {
    pub month: String,
    pub total_pence: i64,
    pub influenceable_pence: i64,
    pub local_area_of_benefit: JudgedJson,
}

#[derive(Serialize, ToSchema)]
pub struct CategoryJson {
    pub expense_type: String,
    pub influenceable_pence: i64,
    pub local_local_authority: JudgedJson,
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
    /// LM3 × 100: 126 means 1.26; null when local spend by local
    /// authority is not known (LM3 stands on it).
    pub low_hundredths: Option<i64>,
    pub high_hundredths: Option<i64>,
    pub known: bool,
    pub wages: WagesJson,
    /// The re-spend shares R3 stood on, per cent, low and high.
    pub supplier_respend_pct: (f64, f64),
    pub staff_respend_pct: (f64, f64),
    /// The re-spend survey they came from (null: typed, or the assumptions).
    pub respend_source: Option<super::settings::RespendSourceJson>,
}

/// Where LM3's wages came from.
#[derive(Serialize, ToSchema)]
pub struct WagesJson {
    /// `workforce` (computed from the anchors' workforce files), `typed`
    /// (the figure in the spend settings) or `not_known`.
    pub source: String,
    /// The workforce years used ("2024/25"), with their anchors.
    pub years: Vec<WageYearJson>,
    /// Anchors, or anchors' years, without a workforce file for the period.
    pub missing: Vec<String>,
    /// All pay over the period (R1's wages); null when not known.
    pub all_pence: Option<i64>,
    /// Pay to staff living in the anchors' local authorities (R2's wages); null when not known.
    pub local_pence: Option<i64>,
    /// "wages: from the workforce file for 2024/25", in words.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct WageYearJson {
    pub anchor: String,
    pub year: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeasuresJson {
    pub lines: u64,
    pub total_pence: i64,
    pub influenceable_pence: i64,
    /// Local influenceable spend by geography: area_of_benefit, local_authority, city_region, near_site.
    pub local: std::collections::BTreeMap<String, JudgedJson>,
    /// Local spend on all spend (the Transparency Code basis).
    pub local_all: std::collections::BTreeMap<String, JudgedJson>,
    pub deciles_1_2: JudgedJson,
    pub social_economy_pence: i64,
    /// Influenceable spend whose supplier's kind is known: the social
    /// economy's share speaks for this much (none known: not known).
    pub kind_known_pence: i64,
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
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/spend/measures", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), LineFilter),
    responses((status = 200, body = MeasuresJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn measures(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<LineFilter>,
) -> Result<Json<MeasuresJson>, ApiError> {
    let spend = ledger::measures(app.store.as_ref(), &ctx.caller()?, &app.ledgers, &p).await?;
    let (ledger, m, l) = (&spend.ledger, &spend.measures, &spend.lm3);
    let setup = &ledger.setup;
    let by_geo = |f: fn(&Measures, &PlacingSetup, Geography) -> Judged| {
        Geography::ALL
            .iter()
            .map(|g| (g.slug().to_string(), judged(f(m, setup, *g))))
            .collect()
    };
    let lm3_known = coverage::lm3_known(m, setup);
    let sup = |i: usize| &ledger.suppliers[i];
    Ok(Json(MeasuresJson {
        lines: m.lines,
        total_pence: m.total,
        influenceable_pence: m.influenceable,
        local: by_geo(coverage::local),
        local_all: by_geo(coverage::local_all),
        deciles_1_2: judged(coverage::deciles(m, setup)),
        social_economy_pence: m.social_economy,
        kind_known_pence: m.kind_known,
        top_suppliers: m
            .top_suppliers
            .iter()
            .map(|t| SupplierTotalJson {
                supplier: sup(t.supplier).key.clone(),
                name: t.name(&ledger.suppliers).to_string(),
                kind: sup(t.supplier).kind.slug().into(),
                total_pence: t.total,
                lines: t.lines,
                organisation_id: sup(t.supplier)
                    .organisation
                    .as_ref()
                    .map(|o| o.id.to_string()),
                spellings: t.spellings,
            })
            .collect(),
        categories: m
            .categories
            .iter()
            .map(|c| CategoryJson {
                expense_type: c.expense_type.clone(),
                influenceable_pence: c.influenceable,
                local_local_authority: judged(coverage::judged_in(
                    setup,
                    Geography::LocalAuthority,
                    c.local,
                    c.influenceable,
                    c.judged,
                )),
            })
            .collect(),
        months: m
            .months
            .iter()
            .map(|mo| MonthJson {
                month: mo.month.clone(),
                total_pence: mo.total,
                influenceable_pence: mo.influenceable,
                local_area_of_benefit: judged(coverage::judged_in(
                    setup,
                    Geography::AreaOfBenefit,
                    mo.local,
                    mo.influenceable,
                    mo.judged,
                )),
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
            low_hundredths: lm3_known.then_some(l.low_hundredths),
            high_hundredths: lm3_known.then_some(l.high_hundredths),
            known: lm3_known,
            wages: wages_json(&l.wages),
            supplier_respend_pct: (
                ledger.settings.lm3.supplier_respend_bp.0 as f64 / 100.0,
                ledger.settings.lm3.supplier_respend_bp.1 as f64 / 100.0,
            ),
            staff_respend_pct: (
                ledger.settings.lm3.staff_respend_bp.0 as f64 / 100.0,
                ledger.settings.lm3.staff_respend_bp.1 as f64 / 100.0,
            ),
            respend_source: ledger
                .settings
                .lm3
                .source
                .as_ref()
                .map(super::settings::respend_source_json),
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
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/spend/lines", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), LineFilter),
    responses((status = 200, body = LinePageJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn lines(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<LineFilter>,
) -> Result<Json<LinePageJson>, ApiError> {
    let (ledger, pred) =
        ledger::lines(app.store.as_ref(), &ctx.caller()?, &app.ledgers, &p).await?;
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
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/spend/lines.csv", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), LineFilter),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn lines_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<LineFilter>,
) -> Result<Response, ApiError> {
    Ok(super::super::csv::lines_csv(&app, &ctx, &p).await?)
}

fn wages_json(w: &Wages) -> WagesJson {
    let (source, years, missing) = match &w.source {
        WageSource::Workforce { years, missing, .. } => (
            "workforce",
            years
                .iter()
                .map(|y| WageYearJson {
                    anchor: y.anchor.clone(),
                    year: y.year.clone(),
                })
                .collect(),
            missing.clone(),
        ),
        WageSource::Typed => ("typed", Vec::new(), Vec::new()),
        WageSource::NotKnown => ("not_known", Vec::new(), Vec::new()),
    };
    WagesJson {
        source: source.to_string(),
        years,
        missing,
        all_pence: w.known().then_some(w.all),
        local_pence: w.known().then_some(w.local),
        text: w.text(),
    }
}
