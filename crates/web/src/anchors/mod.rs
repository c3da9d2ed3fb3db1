//! The spend pages: where each anchor's money lands (dashboard), the lines
//! behind every figure, importing spend files, the supplier review queue,
//! anchors and the programme's spend settings.

pub mod api;
pub mod jobs;
pub mod service;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_core::anchors::amount::{format_pence, plain_pence};
use useit_core::anchors::measures::{Geography, InfluenceRule, Lm3Inputs, SupplierKind};
use useit_core::anchors::spend_file::ColumnMapping;
use useit_core::auth::Capability;
use useit_core::csv_import::{Report, safe_field};
use useit_core::i18n::{Message, t, tf};
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::validation::{Errors, Invalid};
use useit_store::anchors::{
    Anchor, AnchorInput, AnchorKind, ImportOutcome, Site, SpendFileRecord, SpendImportOptions,
    SpendImportResult, SpendSettings, SupplierCandidate, SupplierRecord, SupplierStatus,
    import_spend_file,
};

use crate::charts::{Bar, bar_chart};
use crate::context::{Access, Ctx};
use crate::error::{AppError, PageError};
use crate::forms::Upload;
use crate::i18n::filters;
use crate::routes::{Route, page};
use crate::state::AppState;
use crate::views::{Choice, FormErrors, Layout, ListLinks, Pager, render, render_status};
use service::{LineView, SpendParams, band_money, band_share, lm3_text, share};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewSpend);
    let manage = Access::Programme(Capability::ManageSpend);
    let mut r = vec![
        page(Method::GET, "/p/{programme}/spend", view, dashboard),
        page(Method::GET, "/p/{programme}/spend/lines", view, lines_page),
        page(
            Method::GET,
            "/p/{programme}/spend/lines.csv",
            view,
            lines_csv,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/suppliers",
            view,
            suppliers_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/suppliers.csv",
            view,
            suppliers_csv_download,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/suppliers/{supplier}",
            view,
            supplier_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/spend/suppliers/{supplier}",
            manage,
            decide,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/import",
            manage,
            import_form,
        ),
        page(Method::POST, "/p/{programme}/spend/import", manage, import),
        page(
            Method::GET,
            "/p/{programme}/spend/import/{job}",
            manage,
            import_job,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/anchors/new",
            manage,
            anchor_new,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/anchors/{anchor}/edit",
            manage,
            anchor_edit,
        ),
        page(
            Method::POST,
            "/p/{programme}/spend/anchors",
            manage,
            anchor_save,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/settings",
            manage,
            settings_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/spend/settings",
            manage,
            settings_save,
        ),
    ];
    r.extend(api::routes());
    r
}

/// The anchors as choices of a select, after a first choice worded by `first`.
fn anchor_choices(anchors: &[Anchor], first: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", t(first))];
    v.extend(
        anchors
            .iter()
            .map(|a| Choice::new(a.slug.clone(), a.name.clone())),
    );
    v
}

fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/spend", ctx.programme()?.slug))
}

pub fn geography_label(g: Geography) -> String {
    t(&format!("spend.geography.{}", g.slug())).to_string()
}

pub fn kind_label(k: SupplierKind) -> String {
    t(&format!("supplier.kind.{}", k.slug())).to_string()
}

/// One headline figure and the lines behind it.
pub struct Figure {
    pub label: String,
    pub value: String,
    pub detail: String,
    pub href: String,
    /// The band's high end, when it differs.
    pub high_href: Option<String>,
}

pub struct Row3 {
    pub label: String,
    pub href: String,
    pub a: String,
    pub b: String,
    pub c: String,
}

pub struct LeakView {
    pub expense_type: String,
    pub href: String,
    pub leaving: String,
    pub suppliers: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "anchors/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    anchors: Vec<Choice>,
    anchor: String,
    from: String,
    to: String,
    has_lines: bool,
    figures: Vec<Figure>,
    lm3: String,
    lm3_detail: String,
    trend_svg: String,
    trend: Vec<Row3>,
    categories: Vec<Row3>,
    top: Vec<Row3>,
    leaks: Vec<LeakView>,
    comparison: Vec<Row3>,
    rules: Vec<String>,
    can_manage: bool,
    to_review: usize,
    files: Vec<SpendFileRecord>,
    anchor_list: Vec<Anchor>,
    supplier_map: Option<String>,
    map_rows: Vec<MapSupplier>,
}

/// A supplier on the map, for the table beside it.
pub struct MapSupplier {
    pub name: String,
    pub href: String,
    pub postcode: String,
    pub decile: String,
    pub in_aob: bool,
    pub total: String,
}

fn link(base: &str, scope: &SpendParams, extra: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = scope.scope().pairs();
    for (k, v) in extra {
        pairs.retain(|(x, _)| x != k);
        pairs.push((k.to_string(), v.to_string()));
    }
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    format!("{base}/lines{}", crate::forms::query(&refs))
}

async fn dashboard(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SpendParams>,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let ledger = service::load(&app, &ctx).await?;
    let (errors, scope) = match p.scope().predicate(&ledger.anchors) {
        Ok(s) => (FormErrors::default(), s),
        Err(Invalid(errs)) => (FormErrors::from_fields(&errs, &[]), Default::default()),
    };
    let m = ledger.measures(&scope);
    let l3 = ledger.lm3(&m);
    let mut figures = vec![
        Figure {
            label: t("spend.figure.total").into(),
            value: format_pence(m.total),
            detail: tf("spend.figure.lines", &[("count", &m.lines.to_string())]),
            href: link(&base, &p, &[]),
            high_href: None,
        },
        Figure {
            label: t("spend.figure.influenceable").into(),
            value: format_pence(m.influenceable),
            detail: tf(
                "spend.figure.share_of_total",
                &[("share", &share(m.influenceable, m.total))],
            ),
            href: link(&base, &p, &[("influenceable", "yes")]),
            high_href: None,
        },
    ];
    for g in Geography::ALL {
        let b = m.local.get(&g).copied().unwrap_or_default();
        figures.push(Figure {
            label: tf("spend.figure.local", &[("geography", &geography_label(g))]),
            value: band_share(b, m.influenceable),
            detail: band_money(b),
            href: link(&base, &p, &[("influenceable", "yes"), ("local", g.slug())]),
            high_href: (b.low != b.high).then(|| {
                link(
                    &base,
                    &p,
                    &[
                        ("influenceable", "yes"),
                        ("local", g.slug()),
                        ("end", "high"),
                    ],
                )
            }),
        });
    }
    figures.push(Figure {
        label: t("spend.figure.deprived").into(),
        value: band_share(m.deprived_1_2, m.influenceable),
        detail: band_money(m.deprived_1_2),
        href: link(&base, &p, &[("influenceable", "yes"), ("deprived", "2")]),
        high_href: (m.deprived_1_2.low != m.deprived_1_2.high).then(|| {
            link(
                &base,
                &p,
                &[("influenceable", "yes"), ("deprived", "2"), ("end", "high")],
            )
        }),
    });
    figures.push(Figure {
        label: t("spend.figure.social").into(),
        value: share(m.social_economy, m.influenceable),
        detail: format_pence(m.social_economy),
        href: link(&base, &p, &[("influenceable", "yes"), ("social", "yes")]),
        high_href: None,
    });
    let bars: Vec<Bar> = m
        .months
        .iter()
        .map(|mo| Bar {
            label: mo.month.clone(),
            value: mo.total.max(0) as f64,
            display: format_pence(mo.total),
        })
        .collect();
    let trend_svg = bar_chart(
        "spend-trend",
        &t("spend.trend.title"),
        &t("spend.trend.desc"),
        &bars,
    );
    let trend = m
        .months
        .iter()
        .map(|mo| Row3 {
            label: mo.month.clone(),
            href: link(&base, &p, &[("month", &mo.month)]),
            a: format_pence(mo.total),
            b: format_pence(mo.influenceable),
            c: band_share(mo.local, mo.influenceable),
        })
        .collect();
    let categories = m
        .categories
        .iter()
        .take(15)
        .map(|c| Row3 {
            label: if c.expense_type.is_empty() {
                t("spend.no_category").into()
            } else {
                c.expense_type.clone()
            },
            href: link(
                &base,
                &p,
                &[("influenceable", "yes"), ("expense_type", &c.expense_type)],
            ),
            a: format_pence(c.influenceable),
            b: band_share(c.local, c.influenceable),
            c: String::new(),
        })
        .collect();
    let top = m
        .top_suppliers
        .iter()
        .map(|s| {
            let sup = &ledger.inputs.suppliers[s.supplier];
            Row3 {
                label: sup.name.clone(),
                href: format!("{base}/suppliers/{}", crate::forms::url_encode(&sup.key)),
                a: kind_label(sup.kind),
                b: format_pence(s.total),
                c: s.lines.to_string(),
            }
        })
        .collect();
    let leaks = m
        .leakage
        .iter()
        .take(10)
        .map(|l| LeakView {
            expense_type: l.expense_type.clone(),
            href: link(
                &base,
                &p,
                &[
                    ("influenceable", "yes"),
                    ("expense_type", &l.expense_type),
                    ("local", "local_authority"),
                    ("local_is", "no"),
                    ("end", "high"),
                ],
            ),
            leaving: format_pence(l.leaving),
            suppliers: l
                .local_suppliers
                .iter()
                .take(5)
                .map(|i| {
                    let s = &ledger.inputs.suppliers[*i];
                    (
                        s.name.clone(),
                        format!("{base}/suppliers/{}", crate::forms::url_encode(&s.key)),
                    )
                })
                .collect(),
        })
        .collect();
    let comparison = if ledger.anchors.len() > 1 {
        ledger
            .anchors
            .iter()
            .map(|a| {
                let s = useit_core::anchors::measures::LinePredicate {
                    anchor: Some(a.slug.clone()),
                    ..scope.clone()
                };
                let am = ledger.measures(&s);
                Row3 {
                    label: a.name.clone(),
                    href: link(
                        &base,
                        &SpendParams {
                            anchor: Some(a.slug.clone()),
                            ..p.scope()
                        },
                        &[],
                    ),
                    a: format_pence(am.influenceable),
                    b: band_share(
                        am.local
                            .get(&Geography::AreaOfBenefit)
                            .copied()
                            .unwrap_or_default(),
                        am.influenceable,
                    ),
                    c: band_share(am.deprived_1_2, am.influenceable),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    // Suppliers with a known place, over the area of benefit's decile map.
    let mut by_supplier: std::collections::HashMap<usize, i64> = std::collections::HashMap::new();
    for i in ledger.lines(
        &useit_core::anchors::measures::LinePredicate {
            influenceable: Some(true),
            ..scope.clone()
        },
        None,
    ) {
        let l = &ledger.inputs.lines[i];
        *by_supplier.entry(l.supplier).or_default() += l.amount;
    }
    let mut map_rows: Vec<MapSupplier> = Vec::new();
    let mut dots = Vec::new();
    let mut placed: Vec<(usize, i64)> = by_supplier.into_iter().filter(|(_, t)| *t > 0).collect();
    placed.sort_by_key(|(_, t)| std::cmp::Reverse(*t));
    for (si, total) in placed {
        let sup = &ledger.inputs.suppliers[si];
        let Some(pl) = sup.registered.as_ref().or(sup.trading.as_ref()) else {
            continue;
        };
        let (Some(lat), Some(lon)) = (pl.lat, pl.lon) else {
            continue;
        };
        let href = format!("{base}/suppliers/{}", crate::forms::url_encode(&sup.key));
        let label = format!(
            "{}: {} ({})",
            sup.name,
            format_pence(total),
            kind_label(sup.kind)
        );
        dots.push(crate::place::map::MapDot {
            lat,
            lon,
            label,
            href: href.clone(),
            class: if sup.kind.is_social_economy() {
                "app-map__dot--social"
            } else {
                "app-map__dot--business"
            },
        });
        map_rows.push(MapSupplier {
            name: sup.name.clone(),
            href,
            postcode: pl.postcode.clone(),
            decile: pl.decile.map(|d| d.to_string()).unwrap_or_default(),
            in_aob: pl.area_of_benefit,
            total: format_pence(total),
        });
    }
    let supplier_map = if dots.is_empty() {
        None
    } else {
        crate::place::current_aob_map_with(
            &app,
            &ctx,
            &dots,
            "supplier-map",
            t("spend.map.title").into(),
        )
        .await?
    };
    let pid = ctx.programme_id()?;
    let to_review = app
        .store
        .suppliers(pid, Some(SupplierStatus::Review))
        .await?
        .len();
    let anchors = anchor_choices(&ledger.anchors, "spend.all_anchors");
    let layout = Layout::new(&app, &ctx, t("spend.title"), "spend")
        .await?
        .with_errors(&errors);
    let s = &ledger.inputs.settings.lm3;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &DashboardPage {
            layout,
            errors,
            anchors,
            anchor: p.anchor.clone().unwrap_or_default(),
            from: p.from.clone().unwrap_or_default(),
            to: p.to.clone().unwrap_or_default(),
            has_lines: m.lines > 0,
            figures,
            lm3: lm3_text(&l3),
            lm3_detail: tf(
                "spend.lm3.detail",
                &[
                    (
                        "supplier_low",
                        &service::percent_bp(s.supplier_respend_bp.0),
                    ),
                    (
                        "supplier_high",
                        &service::percent_bp(s.supplier_respend_bp.1),
                    ),
                    ("staff_low", &service::percent_bp(s.staff_respend_bp.0)),
                    ("staff_high", &service::percent_bp(s.staff_respend_bp.1)),
                ],
            ),
            trend_svg,
            trend,
            categories,
            top,
            leaks,
            comparison,
            rules: ledger.rules(),
            can_manage: ctx.can(Capability::ManageSpend),
            to_review,
            files: app
                .store
                .spend_files(pid)
                .await?
                .into_iter()
                .take(12)
                .collect(),
            anchor_list: ledger.anchors.clone(),
            supplier_map,
            map_rows,
            base,
        },
    )?)
}

#[derive(Template)]
#[template(path = "anchors/lines.html")]
struct LinesPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    lines: Page<LineView>,
    total: String,
    pager: Pager,
    links: ListLinks,
    csv_href: String,
    q: String,
    anchors: Vec<Choice>,
    anchor: String,
    filters: Vec<(String, String)>,
    hidden: Vec<(String, String)>,
}

async fn lines_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SpendParams>,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let ledger = service::load(&app, &ctx).await?;
    let (errors, pred) = match p.predicate(&ledger.anchors) {
        Ok(s) => (FormErrors::default(), Some(s)),
        Err(Invalid(errs)) => (FormErrors::from_fields(&errs, &[]), None),
    };
    let (lines, total) = match &pred {
        Some(pred) => {
            let (lines, sum) = ledger.page(&p, pred);
            (lines, format_pence(sum))
        }
        None => (
            Page {
                items: vec![],
                total: 0,
                page: 1,
                per_page: 25,
            },
            String::new(),
        ),
    };
    let links = ListLinks {
        path: format!("{base}/lines"),
        params: p.pairs(),
        sort: p.sort.clone().unwrap_or_else(|| "paid_on".into()),
        dir: SortDir::parse(p.dir.as_deref()),
    };
    let filters: Vec<(String, String)> = p
        .pairs()
        .into_iter()
        .filter(|(k, v)| !v.is_empty() && k != "q" && k != "anchor")
        .map(|(k, v)| (t(&format!("spend.filter.{k}")).to_string(), v))
        .collect();
    let hidden: Vec<(String, String)> = p
        .pairs()
        .into_iter()
        .filter(|(k, v)| !v.is_empty() && k != "q" && k != "anchor")
        .collect();
    let anchors = anchor_choices(&ledger.anchors, "spend.all_anchors");
    let layout = Layout::new(&app, &ctx, t("spend.lines.title"), "spend")
        .await?
        .with_errors(&errors);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &LinesPage {
            layout,
            csv_href: links.csv_href(&format!("{base}/lines.csv")),
            pager: Pager::new(&lines, &links),
            links,
            errors,
            lines,
            total,
            q: p.q.clone().unwrap_or_default(),
            anchor: p.anchor.clone().unwrap_or_default(),
            anchors,
            filters,
            hidden,
            base,
        },
    )?)
}

/// The lines as CSV, in the columns the spend importer reads back.
pub async fn lines_csv_response(
    app: &AppState,
    ctx: &Ctx,
    p: &SpendParams,
) -> Result<Response, AppError> {
    let ledger = service::load(app, ctx).await?;
    let pred = p
        .predicate(&ledger.anchors)
        .map_err(|Invalid(e)| AppError::Invalid(e))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "Anchor",
        "Date Paid",
        "Supplier Name",
        "Amount",
        "Expense Type",
        "Expense Area",
        "Transaction Reference",
        "supplier_kind",
        "supplier_postcode",
        "supplier_area",
        "supplier_decile",
        "in_area_of_benefit",
        "influenceable",
        "excluded_by",
        "source_file",
        "source_line",
    ]);
    for i in ledger.lines(&pred, p.q.as_deref()) {
        let v = ledger.view(i);
        let amount = plain_pence(v.amount_pence);
        let _ = w.write_record([
            v.anchor,
            v.paid_on,
            safe_field(&v.supplier),
            amount,
            safe_field(&v.expense_type),
            safe_field(&v.expense_area),
            safe_field(&v.reference),
            v.supplier_kind,
            v.supplier_postcode.unwrap_or_default(),
            v.supplier_area.unwrap_or_default(),
            v.supplier_decile.map(|d| d.to_string()).unwrap_or_default(),
            if v.in_area_of_benefit {
                "yes".into()
            } else {
                "no".into()
            },
            if v.influenceable {
                "yes".into()
            } else {
                "no".into()
            },
            v.excluded_by.unwrap_or_default(),
            safe_field(&v.file),
            v.line.to_string(),
        ]);
    }
    crate::views::csv_download(
        ctx,
        "spend-lines",
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default(),
    )
}

async fn lines_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SpendParams>,
) -> Result<Response, PageError> {
    Ok(lines_csv_response(&app, &ctx, &p).await?)
}

/// The suppliers list's filters, sort and page.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SupplierParams {
    /// Part of the supplier's name, its organisation's name or org-id.
    pub q: String,
    /// unresolved, review (the queue), matched, accepted, no_match; blank for all.
    pub status: String,
    /// total (the default, largest first), name, status or lines.
    pub sort: String,
    pub dir: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl SupplierParams {
    /// The status asked for; an unknown one is an error naming the field.
    pub fn status(&self) -> Result<Option<SupplierStatus>, AppError> {
        match self.status.trim() {
            "" => Ok(None),
            s => SupplierStatus::parse(s).map(Some).ok_or_else(|| {
                AppError::Invalid(Invalid::one("status", Message::new("supplier.status_bad")).0)
            }),
        }
    }
    fn sort(&self) -> &str {
        match self.sort.as_str() {
            s @ ("name" | "status" | "lines") => s,
            _ => "total",
        }
    }
    fn dir(&self) -> SortDir {
        SortDir::asked(&self.sort, &self.dir)
    }
}

/// The programme's suppliers as the filters select them, in the order asked for.
pub async fn suppliers_selected(
    app: &AppState,
    ctx: &Ctx,
    p: &SupplierParams,
) -> Result<Vec<SupplierRecord>, AppError> {
    let q = p.q.trim().to_lowercase();
    let mut v: Vec<SupplierRecord> = app
        .store
        .suppliers(ctx.programme_id()?, p.status()?)
        .await?
        .into_iter()
        .filter(|s| {
            q.is_empty()
                || s.name.to_lowercase().contains(&q)
                || s.organisation.as_ref().is_some_and(|o| {
                    o.name.to_lowercase().contains(&q) || o.org_id.to_lowercase().contains(&q)
                })
        })
        .collect();
    v.sort_by(|a, b| {
        let o = match p.sort() {
            "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            // In the order of the review: unresolved and queued first.
            "status" => a.status.cmp(&b.status),
            "lines" => a.lines.cmp(&b.lines),
            _ => a.total.cmp(&b.total),
        }
        .then(a.key.cmp(&b.key));
        p.dir().order(o)
    });
    Ok(v)
}

/// The columns of the suppliers download.
const SUPPLIER_COLUMNS: [&str; 10] = [
    "supplier_key",
    "supplier",
    "company_number",
    "status",
    "org_id",
    "organisation",
    "score",
    "reason",
    "lines",
    "total",
];

/// The suppliers the filters select as CSV, with who each is in the
/// register: for checking the review offline. Decisions are made on the
/// supplier's page (or through the API), where the candidates and their
/// reasons are shown.
pub async fn suppliers_csv_response(
    app: &AppState,
    ctx: &Ctx,
    p: &SupplierParams,
) -> Result<Response, AppError> {
    let rows = suppliers_selected(app, ctx, p).await?;
    let body = useit_core::csv_import::write_table(
        &SUPPLIER_COLUMNS,
        rows.iter().map(|s| {
            vec![
                s.key.clone(),
                s.name.clone(),
                s.company_number.clone().unwrap_or_default(),
                s.status.slug().to_string(),
                s.organisation
                    .as_ref()
                    .map(|o| o.org_id.clone())
                    .unwrap_or_default(),
                s.organisation
                    .as_ref()
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                s.score.map(|n| n.to_string()).unwrap_or_default(),
                s.reason
                    .as_deref()
                    .map(|k| t(k).to_string())
                    .unwrap_or_default(),
                s.lines.to_string(),
                plain_pence(s.total),
            ]
        }),
    );
    crate::views::csv_download(ctx, "suppliers", body)
}

#[derive(Template)]
#[template(path = "anchors/suppliers.html")]
struct SuppliersPage {
    layout: Layout,
    base: String,
    suppliers: Page<SupplierRecord>,
    links: ListLinks,
    pager: Pager,
    csv_href: String,
    statuses: Vec<Choice>,
    params: SupplierParams,
}

async fn suppliers_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(mut p): Query<SupplierParams>,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    // A status the page does not know (an old bookmark) shows them all.
    if p.status().is_err() {
        p.status.clear();
    }
    let selected = suppliers_selected(&app, &ctx, &p).await?;
    let suppliers = Page::of(selected, PageRequest::new(p.page, p.per_page));
    let links = ListLinks {
        path: format!("{base}/suppliers"),
        params: vec![
            ("q".into(), p.q.clone()),
            ("status".into(), p.status.clone()),
        ],
        sort: p.sort().into(),
        dir: p.dir(),
    };
    let pager = Pager::new(&suppliers, &links);
    let mut statuses = vec![Choice::new("", t("supplier.any_status"))];
    statuses.extend(
        SupplierStatus::ALL
            .iter()
            .map(|s| Choice::new(s.slug(), t(&format!("supplier.status.{}", s.slug())))),
    );
    let layout = Layout::new(&app, &ctx, t("supplier.list.title"), "spend").await?;
    Ok(render(&SuppliersPage {
        layout,
        csv_href: links.csv_href(&format!("{base}/suppliers.csv")),
        base,
        suppliers,
        pager,
        links,
        statuses,
        params: p,
    })?)
}

async fn suppliers_csv_download(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SupplierParams>,
) -> Result<Response, PageError> {
    Ok(suppliers_csv_response(&app, &ctx, &p).await?)
}

#[derive(Template)]
#[template(path = "anchors/supplier.html")]
struct SupplierPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    supplier: SupplierRecord,
    candidates: Vec<SupplierCandidate>,
    can_manage: bool,
    lines_href: String,
}

async fn supplier_view(
    app: &AppState,
    ctx: &Ctx,
    key: &str,
    errors: FormErrors,
) -> Result<SupplierPage, AppError> {
    let pid = ctx.programme_id()?;
    let supplier = app
        .store
        .supplier(pid, key)
        .await?
        .ok_or(AppError::NotFound)?;
    let candidates = app.store.supplier_candidates(pid, key).await?;
    let base = base(ctx)?;
    let layout = Layout::new(app, ctx, supplier.name.clone(), "spend")
        .await?
        .with_errors(&errors);
    Ok(SupplierPage {
        layout,
        lines_href: format!("{base}/lines{}", crate::forms::query(&[("supplier", key)])),
        base,
        errors,
        supplier,
        candidates,
        can_manage: ctx.can(Capability::ManageSpend),
    })
}

async fn supplier_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    Ok(render(
        &supplier_view(&app, &ctx, &key, FormErrors::default()).await?,
    )?)
}

#[derive(Deserialize)]
struct DecideForm {
    organisation: Option<String>,
}

async fn decide(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, key)): Path<(String, String)>,
    Form(f): Form<DecideForm>,
) -> Result<Response, PageError> {
    let choice = f.organisation.unwrap_or_default();
    let org = match choice.as_str() {
        "" => {
            let errors = FormErrors::one("organisation", Message::new("supplier.choose"));
            let page = supplier_view(&app, &ctx, &key, errors).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
        }
        "none" => None,
        id => Some(uuid::Uuid::parse_str(id).map_err(|_| {
            AppError::Invalid(vec![useit_core::validation::FieldError {
                field: "organisation".into(),
                message: Message::new("supplier.organisation_unknown"),
            }])
        })?),
    };
    match app
        .store
        .decide_supplier(ctx.programme_id()?, &key, org, &ctx.actor())
        .await
    {
        Ok(s) => {
            ctx.flash(tf("supplier.decided", &[("name", &s.name)]))
                .await;
            Ok(Redirect::to(&format!("{}/suppliers?status=review", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = supplier_view(&app, &ctx, &key, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

#[derive(Template)]
#[template(path = "anchors/import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    anchors: Vec<Choice>,
    anchor: String,
    report: Option<Report>,
    state: &'static str,
    summary: String,
    skip_bad_lines: bool,
    undated: String,
}

async fn import_page(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    anchor: String,
    result: Option<(Report, Option<ImportOutcome>)>,
    skip_bad_lines: bool,
    undated: String,
) -> Result<ImportPage, AppError> {
    let anchors_list = app.store.list_anchors(ctx.programme_id()?).await?;
    let anchors = anchor_choices(&anchors_list, "spend.import.choose_anchor");
    let (report, state, summary) = match result {
        None => (None, "", String::new()),
        Some((r, Some(o))) => (Some(r), "applied", o.message().text()),
        Some((r, None)) => (Some(r), "rejected", String::new()),
    };
    let layout = Layout::new(app, ctx, t("spend.import.title"), "spend")
        .await?
        .with_errors(&errors);
    Ok(ImportPage {
        layout,
        base: base(ctx)?,
        errors,
        anchors,
        anchor,
        report,
        state,
        summary,
        skip_bad_lines,
        undated,
    })
}

async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &import_page(
            &app,
            &ctx,
            FormErrors::default(),
            String::new(),
            None,
            false,
            String::new(),
        )
        .await?,
    )?)
}

/// Imports one uploaded or posted file for an anchor: the same steps for
/// the page, the API and the CLI.
pub async fn import_bytes(
    app: &AppState,
    ctx: &Ctx,
    anchor: &Anchor,
    file_name: &str,
    bytes: &[u8],
    options: &SpendImportOptions,
) -> Result<SpendImportResult, AppError> {
    Ok(import_spend_file(
        app.store.as_ref(),
        ctx.programme_id()?,
        anchor,
        file_name,
        bytes,
        options,
        &|_| {},
        &ctx.actor(),
    )
    .await?)
}

async fn import(State(app): State<AppState>, ctx: Ctx, up: Upload) -> Result<Response, PageError> {
    let anchor_slug = up.field("anchor").unwrap_or("").to_string();
    let skip = up.field("skip_bad_lines").is_some();
    let undated = up
        .field("undated_lines_on")
        .unwrap_or("")
        .trim()
        .to_string();
    let mut errors = FormErrors::default();
    let anchor = app.store.anchor(ctx.programme_id()?, &anchor_slug).await?;
    if anchor.is_none() {
        errors.push("anchor", Message::new("spend.import.choose_anchor_error"));
    }
    if up.file_name.is_empty() || up.bytes.is_empty() {
        errors.push("file", Message::new("upload.choose_file"));
    }
    let undated_on = if undated.is_empty() {
        None
    } else {
        match time::Date::parse(
            &undated,
            &time::format_description::well_known::Iso8601::DATE,
        ) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(
                    "undated_lines_on",
                    Message::new("validation.date").arg("value", &undated),
                );
                None
            }
        }
    };
    let (Some(anchor), true) = (anchor, errors.is_empty()) else {
        let page = import_page(&app, &ctx, errors, anchor_slug, None, skip, undated).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    };
    let options = SpendImportOptions {
        skip_bad_lines: skip,
        undated_lines_on: undated_on,
    };
    let lines = up.bytes.iter().filter(|b| **b == b'\n').count() as u64;
    if lines > BACKGROUND_LINES {
        // A large file: import it in the background and show its progress.
        let pid = ctx.programme_id()?;
        let (id, job) = app.imports.add(jobs::Job {
            programme: pid,
            file_name: up.file_name.clone(),
            anchor: anchor.name.clone(),
            total: lines,
            done: Default::default(),
            result: std::sync::Mutex::new(None),
        });
        let (store, actor, name, bytes) = (app.store.clone(), ctx.actor(), up.file_name, up.bytes);
        tokio::spawn(async move {
            let progress = |n: u64| job.progress(n);
            let r = import_spend_file(
                store.as_ref(),
                pid,
                &anchor,
                &name,
                &bytes,
                &options,
                &progress,
                &actor,
            )
            .await;
            let outcome = match r {
                Ok(SpendImportResult::Rejected(report)) => Ok((report, None)),
                Ok(SpendImportResult::Imported(o, report)) => Ok((report, Some(o))),
                Err(e) => Err(e.message().text()),
            };
            if let Ok(mut slot) = job.result.lock() {
                *slot = Some(outcome);
            }
        });
        return Ok(Redirect::to(&format!("{}/import/{id}", base(&ctx)?)).into_response());
    }
    let result = import_bytes(&app, &ctx, &anchor, &up.file_name, &up.bytes, &options).await?;
    let (status, result) = match result {
        SpendImportResult::Rejected(report) => {
            errors.push(
                "file",
                Message::new("upload.has_errors").arg("count", report.error_count()),
            );
            (StatusCode::UNPROCESSABLE_ENTITY, (report, None))
        }
        SpendImportResult::Imported(o, report) => (StatusCode::OK, (report, Some(o))),
    };
    let page = import_page(&app, &ctx, errors, anchor_slug, Some(result), skip, undated).await?;
    Ok(render_status(status, &page)?)
}

/// Files with more lines than this import in the background, with a progress page.
pub const BACKGROUND_LINES: u64 = 20_000;

#[derive(Template)]
#[template(path = "anchors/import_progress.html")]
struct ProgressPage {
    layout: Layout,
    base: String,
    anchor: String,
    done: u64,
    total: u64,
    href: String,
}

async fn import_job(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, job)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = uuid::Uuid::parse_str(&job).map_err(|_| AppError::NotFound)?;
    let job = app
        .imports
        .get(ctx.programme_id()?, id)
        .ok_or(AppError::NotFound)?;
    let finished = job.result.lock().map_err(AppError::internal)?.clone();
    let base = base(&ctx)?;
    match finished {
        None => {
            let layout = Layout::new(
                &app,
                &ctx,
                tf("spend.import.progress_title", &[("file", &job.file_name)]),
                "spend",
            )
            .await?;
            let page = ProgressPage {
                layout,
                href: format!("{base}/import/{id}"),
                base,
                anchor: job.anchor.clone(),
                done: job.done().min(job.total),
                total: job.total,
            };
            let mut res = render(&page)?;
            res.headers_mut()
                .insert("refresh", axum::http::HeaderValue::from_static("2"));
            Ok(res)
        }
        Some(Err(reason)) => Err(AppError::Internal(reason).into()),
        Some(Ok((report, outcome))) => {
            let mut errors = FormErrors::default();
            let status = if outcome.is_none() {
                errors.push(
                    "file",
                    Message::new("upload.has_errors").arg("count", report.error_count()),
                );
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            let page = import_page(
                &app,
                &ctx,
                errors,
                String::new(),
                Some((report, outcome)),
                false,
                String::new(),
            )
            .await?;
            Ok(render_status(status, &page)?)
        }
    }
}

#[derive(Template)]
#[template(path = "anchors/anchor_form.html")]
struct AnchorPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: AnchorForm,
    kinds: Vec<Choice>,
    editing: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnchorForm {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub official_code: String,
    pub local_authority_code: String,
    /// One site per line: `name, postcode`.
    pub sites: String,
    /// One `field=Header` per line.
    pub column_mapping: String,
}

impl AnchorForm {
    fn from_anchor(a: &Anchor) -> AnchorForm {
        AnchorForm {
            slug: a.slug.clone(),
            name: a.name.clone(),
            kind: a.kind.slug().into(),
            official_code: a.official_code.clone().unwrap_or_default(),
            local_authority_code: a.local_authority_code.clone().unwrap_or_default(),
            sites: a
                .sites
                .iter()
                .map(|s| format!("{}, {}", s.name, s.postcode))
                .collect::<Vec<_>>()
                .join("\n"),
            column_mapping: a.column_mapping.pairs().join("\n"),
        }
    }

    /// Checks every field at once.
    pub fn validate(&self) -> Result<AnchorInput, Invalid> {
        let mut e = Errors::new();
        let slug = e.required("slug", &self.slug, 60);
        if !slug.is_empty()
            && !slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            e.add("slug", Message::new("validation.slug"));
        }
        let name = e.required("name", &self.name, 200);
        let kind = AnchorKind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", Message::new("anchor.kind_required"));
        }
        let official_code = e.optional("official_code", &self.official_code, 20);
        let local_authority_code =
            e.optional("local_authority_code", &self.local_authority_code, 20);
        let mut sites = Vec::new();
        for (i, line) in self
            .sites
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            match line.rsplit_once(',') {
                Some((n, pc)) if !n.trim().is_empty() => {
                    match useit_core::place::postcode::Postcode::parse(pc) {
                        Ok(p) => sites.push(Site {
                            name: n.trim().to_string(),
                            postcode: p.to_string(),
                        }),
                        Err(err) => e.add(
                            "sites",
                            Message::new("anchor.site_postcode")
                                .arg("line", i + 1)
                                .arg("reason", err.message()),
                        ),
                    }
                }
                _ => e.add("sites", Message::new("anchor.site_line").arg("line", i + 1)),
            }
        }
        let pairs: Vec<String> = self
            .column_mapping
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        let column_mapping = match ColumnMapping::parse(&pairs) {
            Ok(m) => m,
            Err(m) => {
                e.add("column_mapping", m);
                ColumnMapping::default()
            }
        };
        e.finish(|| AnchorInput {
            slug,
            name,
            kind: kind.unwrap_or(AnchorKind::Other),
            official_code,
            local_authority_code,
            column_mapping,
            sites,
        })
    }
}

fn kinds() -> Vec<Choice> {
    let mut v = vec![Choice::new("", t("anchor.choose_kind"))];
    v.extend(
        AnchorKind::ALL
            .iter()
            .map(|k| Choice::new(k.slug(), t(&format!("anchor.kind.{}", k.slug())))),
    );
    v
}

async fn anchor_page(
    app: &AppState,
    ctx: &Ctx,
    form: AnchorForm,
    errors: FormErrors,
    editing: bool,
) -> Result<AnchorPage, AppError> {
    let title = if editing {
        tf("anchor.edit.title", &[("name", &form.name)])
    } else {
        t("anchor.new.title").into()
    };
    Ok(AnchorPage {
        layout: Layout::new(app, ctx, title, "spend")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        errors,
        form,
        kinds: kinds(),
        editing,
    })
}

async fn anchor_new(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &anchor_page(
            &app,
            &ctx,
            AnchorForm::default(),
            FormErrors::default(),
            false,
        )
        .await?,
    )?)
}

async fn anchor_edit(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, slug)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let a = app
        .store
        .anchor(ctx.programme_id()?, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(render(
        &anchor_page(
            &app,
            &ctx,
            AnchorForm::from_anchor(&a),
            FormErrors::default(),
            true,
        )
        .await?,
    )?)
}

async fn anchor_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AnchorForm>,
) -> Result<Response, PageError> {
    let editing = app
        .store
        .anchor(ctx.programme_id()?, f.slug.trim())
        .await?
        .is_some();
    let input = match f.validate() {
        Ok(i) => i,
        Err(Invalid(errs)) => {
            let page =
                anchor_page(&app, &ctx, f, FormErrors::from_fields(&errs, &[]), editing).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
        }
    };
    match app
        .store
        .save_anchor(ctx.programme_id()?, &input, &ctx.actor())
        .await
    {
        Ok(a) => {
            ctx.flash(tf("anchor.saved", &[("name", &a.name)])).await;
            Ok(Redirect::to(&base(&ctx)?).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = anchor_page(&app, &ctx, f, errors, editing).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    /// One rule per line, e.g. `expense_type contains pension`.
    pub rules: String,
    /// Local authority codes, separated by commas or new lines.
    pub city_region: String,
    pub site_radius_km: String,
    pub supplier_respend_low: String,
    pub supplier_respend_high: String,
    pub staff_respend_low: String,
    pub staff_respend_high: String,
    pub local_wages: String,
    pub all_wages: String,
}

/// A form's optional amount: blank for none.
pub fn optional_pence(p: i64) -> String {
    if p == 0 {
        String::new()
    } else {
        plain_pence(p)
    }
}

impl SettingsForm {
    fn from_settings(s: &SpendSettings) -> SettingsForm {
        let pct = |bp: i64| service::percent_bp(bp).trim_end_matches('%').to_string();
        SettingsForm {
            rules: s
                .rules
                .iter()
                .map(|r| r.describe())
                .collect::<Vec<_>>()
                .join("\n"),
            city_region: s.city_region.join(", "),
            site_radius_km: format!("{}", s.site_radius_m as f64 / 1000.0),
            supplier_respend_low: pct(s.lm3.supplier_respend_bp.0),
            supplier_respend_high: pct(s.lm3.supplier_respend_bp.1),
            staff_respend_low: pct(s.lm3.staff_respend_bp.0),
            staff_respend_high: pct(s.lm3.staff_respend_bp.1),
            local_wages: optional_pence(s.lm3.local_wages),
            all_wages: optional_pence(s.lm3.all_wages),
        }
    }

    pub fn validate(&self) -> Result<SpendSettings, Invalid> {
        let mut e = Errors::new();
        let mut rules = Vec::new();
        for (i, line) in self
            .rules
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            match InfluenceRule::parse(line) {
                Some(r) => rules.push(r),
                None => e.add(
                    "rules",
                    Message::new("spend.settings.rule_bad")
                        .arg("line", i + 1)
                        .arg("rule", line.trim()),
                ),
            }
        }
        let city_region: Vec<String> = self
            .city_region
            .split([',', '\n', ' '])
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        let site_radius_m = match self.site_radius_km.trim().parse::<f64>() {
            Ok(km) if km > 0.0 && km <= 100.0 => (km * 1000.0).round() as i64,
            _ => {
                e.add("site_radius_km", Message::new("spend.settings.radius"));
                5_000
            }
        };
        let mut pct = |field: &str, v: &str| -> i64 {
            match v.trim().trim_end_matches('%').parse::<f64>() {
                Ok(p) if (0.0..=100.0).contains(&p) => (p * 100.0).round() as i64,
                _ => {
                    e.add(field, Message::new("spend.settings.percent"));
                    0
                }
            }
        };
        let sl = pct("supplier_respend_low", &self.supplier_respend_low);
        let sh = pct("supplier_respend_high", &self.supplier_respend_high);
        let tl = pct("staff_respend_low", &self.staff_respend_low);
        let th = pct("staff_respend_high", &self.staff_respend_high);
        if sh < sl {
            e.add(
                "supplier_respend_high",
                Message::new("spend.settings.high_below_low"),
            );
        }
        if th < tl {
            e.add(
                "staff_respend_high",
                Message::new("spend.settings.high_below_low"),
            );
        }
        let mut money = |field: &str, v: &str| -> i64 {
            if v.trim().is_empty() {
                return 0;
            }
            match useit_core::anchors::amount::parse_pence(v) {
                Ok(p) if p >= 0 => p,
                Ok(_) => {
                    e.add(field, Message::new("spend.settings.negative"));
                    0
                }
                Err(m) => {
                    e.add(field, m);
                    0
                }
            }
        };
        let local_wages = money("local_wages", &self.local_wages);
        let all_wages = money("all_wages", &self.all_wages);
        if local_wages > all_wages {
            e.add(
                "local_wages",
                Message::new("spend.settings.local_wages_above_all"),
            );
        }
        e.finish(|| SpendSettings {
            rules,
            city_region,
            site_radius_m,
            lm3: Lm3Inputs {
                supplier_respend_bp: (sl, sh),
                staff_respend_bp: (tl, th),
                local_wages,
                all_wages,
            },
        })
    }
}

#[derive(Template)]
#[template(path = "anchors/settings.html")]
struct SettingsPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: SettingsForm,
}

async fn settings_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let s = app.store.spend_settings(ctx.programme_id()?).await?;
    let errors = FormErrors::default();
    Ok(render(&SettingsPage {
        layout: Layout::new(&app, &ctx, t("spend.settings.title"), "spend").await?,
        base: base(&ctx)?,
        errors,
        form: SettingsForm::from_settings(&s),
    })?)
}

async fn settings_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SettingsForm>,
) -> Result<Response, PageError> {
    match f.validate() {
        Ok(s) => {
            app.store
                .save_spend_settings(ctx.programme_id()?, &s, &ctx.actor())
                .await?;
            ctx.flash(t("spend.settings.saved")).await;
            Ok(Redirect::to(&base(&ctx)?).into_response())
        }
        Err(Invalid(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsPage {
                    layout: Layout::new(&app, &ctx, t("spend.settings.title"), "spend")
                        .await?
                        .with_errors(&errors),
                    base: base(&ctx)?,
                    errors,
                    form: f,
                },
            )?)
        }
    }
}
