//! One small area: its deprivation ranks and domains, whether it is in the
//! area of benefit, and a map of it among its neighbours.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use useit_app::place::areas::{AreaDetail, area, boundaries};
use useit_core::i18n::{format_count, t, tf};
use useit_core::place::geometry::haversine_km;

use super::view::{LegendItem, base, domain_label, legend};
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::map::{MapArea, Role, choropleth, decile_label};
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

/// How near (km, centre to centre) a neighbour is drawn on the area's map.
const NEIGHBOURS_KM: f64 = 1.2;

#[derive(Template)]
#[template(path = "place/area.html")]
struct AreaPage {
    layout: Layout,
    base: String,
    v: AreaDetail,
    rank_text: String,
    decile_text: String,
    decile_class: String,
    domains: Vec<(String, String, String)>,
    map: String,
    legend: Vec<LegendItem>,
}

pub async fn area_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let v = area(app.store.as_ref(), &caller, &path.1).await?;
    let base = base(&ctx)?;
    let (rank_text, decile_text) = match (&v.deprivation, &v.index) {
        (Some(d), Some(i)) => (
            tf(
                "place.rank_of",
                &[
                    ("rank", &format_count(d.rank as u64)),
                    ("n", &format_count(i.areas_ranked as u64)),
                ],
            ),
            decile_label(Some(d.decile)),
        ),
        _ => (t("place.not_ranked").into(), decile_label(None)),
    };
    let domains = v
        .deprivation
        .as_ref()
        .map(|d| {
            d.domains
                .iter()
                .map(|x| {
                    (
                        domain_label(&x.domain),
                        format_count(x.rank as u64),
                        decile_label(Some(x.decile)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    // The area among its neighbours.
    let map = match (v.area.lat, v.area.lon) {
        (Some(lat), Some(lon)) => {
            let near = boundaries(
                app.store.as_ref(),
                &caller,
                &v.area.scheme,
                v.index.as_ref().map(|i| i.code.as_str()),
                &[],
            )
            .await?;
            let areas: Vec<MapArea> = near
                .iter()
                .filter_map(|b| {
                    let role = if b.code == v.area.code {
                        Role::Highlight
                    } else {
                        Role::Member
                    };
                    let a = MapArea::from_geojson(
                        &b.code,
                        &b.name,
                        &b.geometry,
                        b.decile,
                        Some(format!("{base}/areas/{}", b.code)),
                        role,
                    )?;
                    let c = a.shape.centroid()?;
                    (b.code == v.area.code || haversine_km(lat, lon, c.1, c.0) < NEIGHBOURS_KM)
                        .then_some(a)
                })
                .collect();
            choropleth(
                "area-map",
                &tf("place.area_map.title", &[("name", &v.area.name)]),
                t("place.area_map.desc"),
                &areas,
                &[],
                640.0,
                &decile_label,
            )
        }
        _ => String::new(),
    };
    let layout = Layout::new(&app, &ctx, v.area.name.clone(), "place").await?;
    Ok(render(&AreaPage {
        layout,
        base,
        rank_text,
        decile_class: v
            .deprivation
            .as_ref()
            .map(|d| format!("app-decile-{}", d.decile))
            .unwrap_or_else(|| "app-decile-none".into()),
        decile_text,
        domains,
        map,
        legend: legend(),
        v,
    })?)
}
