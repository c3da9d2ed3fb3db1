//! The spend dashboard: where an anchor's (or every anchor's) money lands,
//! each figure linking to the lines it adds up.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use useit_app::anchors::dashboard::{SpendDashboard, dashboard};
use useit_core::anchors::anchor::Anchor;
use useit_core::anchors::coverage::{self, Gap};
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::ledger::SpendFileRecord;
use useit_core::anchors::measures::{Geography, Measures};
use useit_core::anchors::placing::PlacingSetup;
use useit_core::auth::Capability;
use useit_core::figures::percent_bp;
use useit_core::i18n::{format_count, t, tf, tn};
use useit_core::listing::PageRequest;
use useit_core::money::MoneyStyle;

use super::view::{
    Fix, anchor_choices, band_money, base, coverage_text, fix, geography_label, judged_share,
    kind_label, lines_href, money_of, share, supplier_href,
};
use crate::http::charts::{Bar, bar_chart};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::map::MapDot;
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// One headline figure and the lines behind it.
pub struct Figure {
    pub label: String,
    pub value: String,
    pub detail: String,
    pub href: String,
    /// The band's high end, when it differs.
    pub high_href: Option<String>,
    /// How much of the money the figure could judge.
    pub coverage: Option<String>,
    /// The step that lets it judge more.
    pub fix: Option<Fix>,
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

/// The suppliers' map and the table beside it, drawn once per scope and
/// language while the programme's spend stands (kept in [`AppState`]).
pub struct SupplierMap {
    svg: Option<String>,
    rows: Vec<MapSupplier>,
}

/// What a kept [`SupplierMap`] was drawn for besides the data.
#[derive(Clone, Debug, PartialEq)]
pub struct SupplierMapKey {
    programme: useit_core::ProgrammeId,
    scope: useit_core::anchors::measures::LinePredicate,
    language: &'static str,
    /// The table's totals are written in the programme's currency, which
    /// its administrator may change without moving the spend.
    currency: useit_core::money::Currency,
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

#[derive(Template)]
#[template(path = "anchors/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    base: String,
    /// The dashboard itself, where its filters apply and clear.
    spend_href: String,
    errors: FormErrors,
    anchors: Vec<Choice>,
    anchor: String,
    from: String,
    to: String,
    has_lines: bool,
    figures: Vec<Figure>,
    lm3: String,
    lm3_detail: String,
    /// Where LM3's wages came from: the workforce file, the typed figure, or not known.
    lm3_wages: String,
    lm3_fix: Option<Fix>,
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
    /// Every file imported (the table shows the latest; the rest are paged).
    files_total: u64,
    anchor_list: Vec<Anchor>,
    map: Arc<SupplierMap>,
}

impl DashboardPage {
    /// An anchor's full name from its short name, for tables people read.
    fn anchor_name(&self, slug: &str) -> String {
        self.anchor_list
            .iter()
            .find(|a| a.slug == slug)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| slug.to_string())
    }
}

/// The files listed on the dashboard.
const FILES_SHOWN: u32 = 12;

pub async fn dashboard_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<LineFilter>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let files = PageRequest::new(Some(1), Some(FILES_SHOWN));
    // A bad anchor or date is shown beside its field, over every anchor's figures.
    let (errors, d) = match dashboard(app.store.as_ref(), &caller, &app.ledgers, &p, files).await {
        Ok(d) => (FormErrors::default(), d),
        Err(useit_app::Error::Invalid(errs)) => (
            FormErrors::from_fields(&errs, &[]),
            dashboard(
                app.store.as_ref(),
                &caller,
                &app.ledgers,
                &LineFilter::default(),
                files,
            )
            .await?,
        ),
        Err(e) => return Err(AppError::from(e).into()),
    };
    let base = base(&ctx)?;
    // The programme's own currency, written its language's way.
    let money = money_of(&ctx);
    let m = &d.figures.spend.measures;
    let supplier_map = supplier_map(&app, &ctx, &d, &base).await?;
    let s = &d.figures.spend.ledger.settings.lm3;
    let setup = &d.figures.spend.ledger.setup;
    // LM3 stands on local spend by local authority: unknown with it.
    let lm3_local = coverage::local(m, setup, Geography::LocalAuthority);
    let layout = Layout::new(&app, &ctx, t("anchors.spend.title"), "anchors")
        .await?
        .with_errors(&errors);
    Ok(render_status(
        errors.status(),
        &DashboardPage {
            layout,
            anchors: anchor_choices(&d.figures.spend.ledger.anchors, "anchors.spend.all_anchors"),
            anchor: p.anchor.clone().unwrap_or_default(),
            from: p.from.clone().unwrap_or_default(),
            to: p.to.clone().unwrap_or_default(),
            has_lines: m.lines > 0,
            figures: figures(&money, m, setup, &base, &p),
            lm3: if lm3_local.known() {
                d.figures.spend.lm3.text()
            } else {
                t("anchors.coverage.not_known").to_string()
            },
            lm3_fix: lm3_local
                .gap
                .filter(|_| !lm3_local.known())
                .map(|g| fix(&base, g)),
            // The survey the re-spend shares came from, or that they are
            // assumptions.
            lm3_detail: {
                let source = s.source.as_ref().map(|x| x.citation());
                let mut args = vec![
                    ("supplier_low", percent_bp(s.supplier_respend_bp.0)),
                    ("supplier_high", percent_bp(s.supplier_respend_bp.1)),
                    ("staff_low", percent_bp(s.staff_respend_bp.0)),
                    ("staff_high", percent_bp(s.staff_respend_bp.1)),
                ];
                let key = match source {
                    Some(c) => {
                        args.push(("source", c));
                        "anchors.spend.lm3.detail_survey"
                    }
                    None => "anchors.spend.lm3.detail",
                };
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                tf(key, &args)
            },
            lm3_wages: d.figures.spend.lm3.wages.text(),
            trend_svg: trend_chart(&money, m),
            trend: trend(&money, m, setup, &base, &p),
            categories: categories(&money, m, setup, &base, &p),
            top: top(&money, &d, &base),
            leaks: leaks(&money, &d, &base, &p),
            comparison: comparison(&money, &d, &base, &p),
            rules: d.figures.spend.ledger.rules_in_words(),
            can_manage: ctx.can(Capability::ManageSpend),
            to_review: d.figures.to_review,
            files: d.files.items.clone(),
            files_total: d.files.total,
            anchor_list: d.figures.spend.ledger.anchors.clone(),
            map: supplier_map,
            errors,
            spend_href: format!("{base}/spend"),
            base,
        },
    )?)
}

/// A figure's money, only where the figure is known: "not known" beside
/// "£0.00" reads as nothing local.
fn known_money(j: &coverage::Judged, money: String) -> String {
    if j.known() { money } else { String::new() }
}

/// The step for a gap, unless the gap is only that there is no spend (the
/// page says so once, above the figures).
fn fix_for(base: &str, gap: Option<Gap>) -> Option<Fix> {
    gap.filter(|g| *g != Gap::NoSpend).map(|g| fix(base, g))
}

fn figures(
    money: &MoneyStyle,
    m: &Measures,
    setup: &PlacingSetup,
    base: &str,
    p: &LineFilter,
) -> Vec<Figure> {
    let of = "anchors.coverage.of_influenceable";
    let mut figures = vec![
        Figure {
            label: t("anchors.spend.figure.total").into(),
            value: money.show(m.total),
            detail: tn("anchors.spend.figure.lines", m.lines),
            href: lines_href(base, p, &[]),
            high_href: None,
            coverage: None,
            fix: None,
        },
        Figure {
            label: t("anchors.spend.figure.influenceable").into(),
            value: money.show(m.influenceable),
            detail: tf(
                "anchors.spend.figure.share_of_total",
                &[("share", &share(m.influenceable, m.total))],
            ),
            href: lines_href(base, p, &[("influenceable", "yes")]),
            high_href: None,
            coverage: None,
            fix: None,
        },
    ];
    for g in Geography::ALL {
        let j = coverage::local(m, setup, g);
        let b = j.band;
        figures.push(Figure {
            label: tf(
                "anchors.spend.figure.local",
                &[("geography", &geography_label(g))],
            ),
            value: judged_share(&j),
            detail: known_money(&j, band_money(money, b)),
            coverage: coverage_text(&j, of),
            fix: fix_for(base, j.gap),
            href: lines_href(base, p, &[("influenceable", "yes"), ("local", g.slug())]),
            high_href: (b.low != b.high).then(|| {
                lines_href(
                    base,
                    p,
                    &[
                        ("influenceable", "yes"),
                        ("local", g.slug()),
                        ("end", "high"),
                    ],
                )
            }),
        });
    }
    let j = coverage::deciles(m, setup);
    figures.push(Figure {
        label: t("anchors.spend.figure.deprived").into(),
        value: judged_share(&j),
        detail: known_money(&j, band_money(money, m.deprived_1_2)),
        coverage: coverage_text(&j, of),
        fix: fix_for(base, j.gap),
        href: lines_href(base, p, &[("influenceable", "yes"), ("deprived", "2")]),
        high_href: (m.deprived_1_2.low != m.deprived_1_2.high).then(|| {
            lines_href(
                base,
                p,
                &[("influenceable", "yes"), ("deprived", "2"), ("end", "high")],
            )
        }),
    });
    // The social-economy share speaks for the money whose supplier's kind
    // is known: with none known it is not known, not 0%.
    let kinds_known = m.kind_known != 0;
    figures.push(Figure {
        label: t("anchors.spend.figure.social").into(),
        value: if kinds_known {
            share(m.social_economy, m.influenceable)
        } else {
            t("anchors.coverage.not_known").into()
        },
        detail: if kinds_known {
            money.show(m.social_economy)
        } else {
            String::new()
        },
        href: lines_href(base, p, &[("influenceable", "yes"), ("social", "yes")]),
        high_href: None,
        coverage: (kinds_known && m.kind_known != m.influenceable).then(|| {
            tf(
                "anchors.coverage.kinds_known",
                &[
                    ("share", &share(m.kind_known, m.influenceable)),
                    ("of", t(of)),
                ],
            )
        }),
        fix: (m.influenceable != 0 && m.kind_known != m.influenceable).then(|| Fix {
            text: t("anchors.coverage.gap.supplier_kinds").into(),
            href: format!("{base}/suppliers"),
        }),
    });
    figures
}

fn trend_chart(money: &MoneyStyle, m: &Measures) -> String {
    let bars: Vec<Bar> = m
        .months
        .iter()
        .map(|mo| Bar {
            label: useit_core::clock::display_month(&mo.month),
            value: mo.total.max(0) as f64,
            display: money.show(mo.total),
        })
        .collect();
    bar_chart(
        "spend-trend",
        t("anchors.spend.trend.title"),
        t("anchors.spend.trend.desc"),
        &bars,
    )
}

fn trend(
    money: &MoneyStyle,
    m: &Measures,
    setup: &PlacingSetup,
    base: &str,
    p: &LineFilter,
) -> Vec<Row3> {
    m.months
        .iter()
        .map(|mo| Row3 {
            label: useit_core::clock::display_month(&mo.month),
            href: lines_href(base, p, &[("month", &mo.month)]),
            a: money.show(mo.total),
            b: money.show(mo.influenceable),
            c: judged_share(&coverage::judged_in(
                setup,
                Geography::AreaOfBenefit,
                mo.local,
                mo.influenceable,
                mo.judged,
            )),
        })
        .collect()
}

fn categories(
    money: &MoneyStyle,
    m: &Measures,
    setup: &PlacingSetup,
    base: &str,
    p: &LineFilter,
) -> Vec<Row3> {
    m.categories
        .iter()
        .take(15)
        .map(|c| Row3 {
            label: if c.expense_type.is_empty() {
                t("anchors.spend.no_category").into()
            } else {
                c.expense_type.clone()
            },
            href: lines_href(
                base,
                p,
                &[("influenceable", "yes"), ("expense_type", &c.expense_type)],
            ),
            a: money.show(c.influenceable),
            b: judged_share(&coverage::judged_in(
                setup,
                Geography::LocalAuthority,
                c.local,
                c.influenceable,
                c.judged,
            )),
            c: String::new(),
        })
        .collect()
}

fn top(money: &MoneyStyle, d: &SpendDashboard, base: &str) -> Vec<Row3> {
    d.figures
        .spend
        .measures
        .top_suppliers
        .iter()
        .map(|s| {
            let sup = &d.figures.spend.ledger.suppliers[s.supplier];
            let name = s.name(&d.figures.spend.ledger.suppliers);
            Row3 {
                label: if s.spellings > 1 {
                    tf(
                        "anchors.spend.top.spellings",
                        &[("name", name), ("count", &format_count(s.spellings))],
                    )
                } else {
                    name.to_string()
                },
                href: supplier_href(base, &sup.key),
                a: kind_label(sup.kind),
                b: money.show(s.total),
                c: s.lines.to_string(),
            }
        })
        .collect()
}

fn leaks(money: &MoneyStyle, d: &SpendDashboard, base: &str, p: &LineFilter) -> Vec<LeakView> {
    d.figures
        .spend
        .measures
        .leakage
        .iter()
        .take(10)
        .map(|l| LeakView {
            expense_type: l.expense_type.clone(),
            href: lines_href(
                base,
                p,
                &[
                    ("influenceable", "yes"),
                    ("expense_type", &l.expense_type),
                    ("local", "local_authority"),
                    ("local_is", "no"),
                    ("end", "high"),
                ],
            ),
            leaving: money.show(l.leaving),
            suppliers: l
                .local_suppliers
                .iter()
                .take(5)
                .map(|i| {
                    let s = &d.figures.spend.ledger.suppliers[*i];
                    (s.name.clone(), supplier_href(base, &s.key))
                })
                .collect(),
        })
        .collect()
}

fn comparison(money: &MoneyStyle, d: &SpendDashboard, base: &str, p: &LineFilter) -> Vec<Row3> {
    d.figures
        .by_anchor
        .iter()
        .map(|(i, am)| {
            let a = &d.figures.spend.ledger.anchors[*i];
            Row3 {
                label: a.name.clone(),
                href: lines_href(
                    base,
                    &LineFilter {
                        anchor: Some(a.slug.clone()),
                        ..p.scope()
                    },
                    &[],
                ),
                a: money.show(am.influenceable),
                b: judged_share(&coverage::local(
                    am,
                    &d.figures.spend.ledger.setup,
                    Geography::AreaOfBenefit,
                )),
                c: judged_share(&coverage::deciles(am, &d.figures.spend.ledger.setup)),
            }
        })
        .collect()
}

/// Suppliers with a known place, over the area of benefit's decile map, and
/// the same suppliers as a table: kept while the programme's spend stands
/// (the suppliers placed and the area of benefit both move it on).
async fn supplier_map(
    app: &AppState,
    ctx: &Ctx,
    d: &SpendDashboard,
    base: &str,
) -> Result<Arc<SupplierMap>, AppError> {
    let key = SupplierMapKey {
        programme: ctx.programme()?.id,
        scope: d.figures.spend.scope.clone(),
        language: useit_core::i18n::language().code(),
        currency: money_of(ctx).currency,
    };
    if let Some(map) = app
        .supplier_maps
        .get(&key, |r| r.spend() == d.revision.spend())
    {
        return Ok(map);
    }
    let map = Arc::new(draw_supplier_map(app, ctx, d, base).await?);
    app.supplier_maps.put(key, d.revision, map.clone());
    Ok(map)
}

async fn draw_supplier_map(
    app: &AppState,
    ctx: &Ctx,
    d: &SpendDashboard,
    base: &str,
) -> Result<SupplierMap, AppError> {
    let money = money_of(ctx);
    let mut rows = Vec::new();
    let mut dots = Vec::new();
    for (si, total) in &d.figures.placed_suppliers {
        let sup = &d.figures.spend.ledger.suppliers[*si];
        let Some(pl) = sup.registered.as_ref().or(sup.trading.as_ref()) else {
            continue;
        };
        let (Some(lat), Some(lon)) = (pl.lat, pl.lon) else {
            continue;
        };
        let href = supplier_href(base, &sup.key);
        dots.push(MapDot {
            lat,
            lon,
            label: format!(
                "{}: {} ({})",
                sup.name,
                money.show(*total),
                kind_label(sup.kind)
            ),
            href: href.clone(),
            class: if sup.kind.is_social_economy() {
                "app-map__dot--social"
            } else {
                "app-map__dot--business"
            },
        });
        rows.push(MapSupplier {
            name: sup.name.clone(),
            href,
            postcode: useit_core::words::postcode(&pl.postcode),
            decile: pl.decile.map(|d| d.to_string()).unwrap_or_default(),
            in_aob: pl.area_of_benefit,
            total: money.show(*total),
        });
    }
    if dots.is_empty() {
        return Ok(SupplierMap { svg: None, rows });
    }
    let map = crate::http::map::area_of_benefit_map(
        app,
        ctx,
        &dots,
        "supplier-map",
        Some(t("anchors.spend.map.title").into()),
    )
    .await?;
    Ok(SupplierMap {
        svg: map.map(|m| m.0),
        rows,
    })
}
