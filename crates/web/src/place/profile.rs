//! The programme's area of benefit: its figures, map, deciles, rules and
//! versions (the one in force, or a saved version asked for).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use useit_app::place::area_of_benefit::versions;
use useit_app::place::areas::{local_authorities, wards};
use useit_app::place::geographies::indices;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::{format_count, t, tf};
use useit_core::place::deprivation::DeprivationIndex;
use useit_core::place::selection::AreaOfBenefit;

use super::view::{
    DecileRow, LegendItem, RuleRow, VersionQuery, base, decile_rows, legend, percent, rules,
};
use crate::http::charts::{Bar, bar_chart};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::map::{MapRow, decile_label};
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "place/profile.html")]
struct ProfilePage {
    layout: Layout,
    base: String,
    profile: Option<ProfileView>,
    can_edit: bool,
    indices: Vec<DeprivationIndex>,
    legend: Vec<LegendItem>,
}

struct ProfileView {
    aob: AreaOfBenefit,
    current_version: i64,
    version_line: String,
    areas: String,
    population: String,
    share_1_2: String,
    index_name: String,
    map: String,
    map_rows: Vec<MapRow>,
    chart: String,
    rows: Vec<DecileRow>,
    rules: Vec<RuleRow>,
    versions: Vec<AreaOfBenefit>,
}

pub async fn profile_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(v): Query<VersionQuery>,
) -> Result<Response, PageError> {
    let store = app.store.as_ref();
    let caller = ctx.caller()?;
    let profile = match useit_app::place::profile(store, &caller, v.version).await? {
        None if v.version.is_some() => return Err(AppError::NotFound.into()),
        None => None,
        Some(p) => {
            let versions = versions(store, &caller).await?;
            let scheme = &p.aob.selection.scheme;
            let las = local_authorities(store, &caller, scheme).await?;
            let wards = wards(store, &caller, scheme).await?;
            let bars: Vec<Bar> = (0..10)
                .map(|i| Bar {
                    label: decile_label(Some(i as u8 + 1)),
                    value: p.deciles.population[i] as f64,
                    display: format_count(p.deciles.population[i].max(0) as u64),
                })
                .collect();
            let (map, map_rows) = crate::http::map::aob_map(&app, &ctx, &p).await?;
            Some(ProfileView {
                version_line: tf(
                    "place.version_line",
                    &[
                        ("version", &p.aob.version.to_string()),
                        ("by", &useit_core::words::actor(&p.aob.created_by)),
                        ("when", &clock::display(p.aob.created_at)),
                    ],
                ),
                current_version: versions.first().map(|x| x.version).unwrap_or(p.aob.version),
                areas: format_count(p.deciles.total_areas),
                population: format_count(p.deciles.total_population.max(0) as u64),
                share_1_2: percent(p.deciles.population_share_up_to(2), 1.0),
                index_name: p.index.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
                map,
                map_rows,
                chart: bar_chart(
                    "aob-deciles",
                    t("place.chart.population"),
                    t("place.chart.population_desc"),
                    &bars,
                ),
                rows: decile_rows(&p.deciles),
                rules: rules(&p.aob, p.index.as_ref(), &las, &wards),
                aob: p.aob,
                versions,
            })
        }
    };
    let layout = Layout::new(&app, &ctx, t("place.title"), "place").await?;
    Ok(render(&ProfilePage {
        layout,
        base: base(&ctx)?,
        profile,
        can_edit: ctx.can(Capability::EditAreaOfBenefit),
        indices: indices(store).await?,
        legend: legend(),
    })?)
}
