//! The interactions' figures (issue 17.4): each anchor's count in force at
//! each month's end (the seed's "0 → 30") as lines with the same numbers as
//! a table, the interactions in force by kind, the organisations by the
//! deprivation decile of their neighbourhood (a chart, a table and, where
//! the programme has an area of benefit, over its decile map), and who
//! works with whom as a network picture with a table.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use useit_app::anchors::interactions::{Neighbourhoods, interaction_figures, neighbourhoods};
use useit_core::anchors::interactions::Link;
use useit_core::clock::iso_date;
use useit_core::i18n::{format_count, t, tf};

use super::interaction_svg::{STYLES, count_chart, month_label, network};
use super::view::base;
use crate::http::charts::{Bar, Row, bar_chart, rows};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::map::{MapDot, area_of_benefit_map, decile_label};
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

/// A month of the count table: its end and each anchor's count.
pub struct MonthRow {
    pub month: String,
    pub day: String,
    pub counts: Vec<u64>,
}

/// An anchor in the legend: its name and its line's style.
pub struct SeriesKey {
    pub name: String,
    pub class: String,
}

/// An organisation placed in its neighbourhood.
pub struct PlacedRow {
    pub name: String,
    pub organisation: String,
    pub postcode: String,
    pub area: String,
    pub decile: String,
    pub in_aob: bool,
    pub anchors: String,
    pub interactions: u64,
}

/// A line of the network as a table row.
pub struct LinkRow {
    pub anchor: String,
    pub organisation: String,
    pub kinds: String,
}

#[derive(Template)]
#[template(path = "anchors/interaction_figures.html")]
struct FiguresPage {
    layout: Layout,
    base: String,
    today: String,
    count_svg: String,
    keys: Vec<SeriesKey>,
    months: Vec<MonthRow>,
    kind_svg: String,
    kind_rows: Vec<Row>,
    decile_svg: String,
    decile_rows: Vec<Row>,
    unplaced: u64,
    placed: Vec<PlacedRow>,
    map: Option<String>,
    network_svg: String,
    links: Vec<LinkRow>,
}

fn kinds_of(l: &Link) -> String {
    l.kinds
        .iter()
        .map(|k| t(k.label_key()).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn placed_rows(n: &Neighbourhoods) -> Vec<PlacedRow> {
    n.organisations
        .iter()
        .map(|o| PlacedRow {
            name: o.name.clone(),
            organisation: o.organisation.clone(),
            postcode: o.postcode.clone().unwrap_or_default(),
            area: match (&o.area_name, &o.area_code) {
                (Some(n), Some(c)) => format!("{n} ({c})"),
                (None, Some(c)) => c.clone(),
                _ => String::new(),
            },
            decile: match o.decile {
                Some(d) => decile_label(Some(d)),
                None => t("anchors.interactions.decile_not_known").to_string(),
            },
            in_aob: o.in_area_of_benefit == Some(true),
            anchors: o.anchors.join(", "),
            interactions: o.interactions,
        })
        .collect()
}

/// The organisations with a place, over the area of benefit's decile map.
async fn map(app: &AppState, ctx: &Ctx, n: &Neighbourhoods) -> Result<Option<String>, AppError> {
    let dots: Vec<MapDot> = n
        .organisations
        .iter()
        .filter_map(|o| {
            Some(MapDot {
                lat: o.lat?,
                lon: o.lon?,
                label: format!("{}: {}", o.name, o.anchors.join(", ")),
                href: format!(
                    "/p/{}/anchors/interactions?q={}",
                    ctx.programme().ok()?.slug,
                    crate::http::forms::url_encode(&o.organisation)
                ),
                class: "app-map__dot--social",
            })
        })
        .collect();
    if dots.is_empty() {
        return Ok(None);
    }
    Ok(area_of_benefit_map(
        app,
        ctx,
        &dots,
        "interactions-map",
        Some(t("anchors.interactions.map.title").into()),
    )
    .await?
    .map(|m| m.0))
}

pub async fn figures_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let f = interaction_figures(app.store.as_ref(), &caller).await?;
    let n = neighbourhoods(app.store.as_ref(), &caller).await?;
    let today = useit_core::clock::display_date(f.today);
    let count_svg = count_chart(
        "interactions-count",
        t("anchors.interactions.chart.title"),
        &tf(
            "anchors.interactions.chart.desc",
            &[
                ("anchors", &format_count(f.series.len() as u64)),
                (
                    "now",
                    &format_count(f.series.iter().filter_map(|s| s.counts.last()).sum()),
                ),
            ],
        ),
        &f.months,
        &f.series,
    );
    let keys = f
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| SeriesKey {
            name: s.anchor_name.clone(),
            class: format!("app-swatch--line-{}", i % STYLES),
        })
        .collect();
    let months = f
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| MonthRow {
            month: month_label(*m),
            day: iso_date(*m),
            counts: f.series.iter().map(|s| s.counts[i]).collect(),
        })
        .collect();
    let kind_bars: Vec<Bar> = f
        .by_kind
        .iter()
        .map(|(k, n)| Bar {
            label: t(k.label_key()).to_string(),
            value: *n as f64,
            display: format_count(*n),
        })
        .collect();
    let kind_svg = bar_chart(
        "interactions-kind",
        t("anchors.interactions.by_kind.title"),
        t("anchors.interactions.by_kind.desc"),
        &kind_bars,
    );
    let decile_bars: Vec<Bar> = n
        .by_decile
        .iter()
        .map(|(d, c)| Bar {
            label: decile_label(Some(*d)),
            value: *c as f64,
            display: format_count(*c),
        })
        .collect();
    let decile_svg = bar_chart(
        "interactions-decile",
        t("anchors.interactions.by_decile.title"),
        t("anchors.interactions.by_decile.desc"),
        &decile_bars,
    );
    let network_svg = network(
        "interactions-network",
        t("anchors.interactions.network.title"),
        &tf(
            "anchors.interactions.network.desc",
            &[("links", &format_count(f.links.len() as u64))],
        ),
        &f.links,
        &kinds_of,
    );
    let links = f
        .links
        .iter()
        .map(|l| LinkRow {
            anchor: l.anchor_name.clone(),
            organisation: l.organisation_name.clone(),
            kinds: kinds_of(l),
        })
        .collect();
    let layout = Layout::new(
        &app,
        &ctx,
        t("anchors.interactions.figures.title"),
        "interactions",
    )
    .await?;
    let map = map(&app, &ctx, &n).await?;
    let placed_any = n.organisations.iter().any(|o| o.decile.is_some());
    Ok(render(&FiguresPage {
        layout,
        base: base(&ctx)?,
        today,
        count_svg,
        keys,
        months,
        kind_rows: rows(&kind_bars),
        kind_svg,
        decile_rows: if placed_any {
            rows(&decile_bars)
        } else {
            Vec::new()
        },
        decile_svg,
        unplaced: n.unplaced,
        placed: placed_rows(&n),
        map,
        network_svg,
        links,
    })?)
}
