//! The place pages: the programme's area of benefit (profile, map, versions,
//! editor), its small areas, one area, and postcode look-ups.

pub mod api;
pub mod service;

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::{Message, format_count, t, tf};
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::place::deprivation::DeprivationIndex;
use useit_core::place::lookup::LookupResult;
use useit_core::place::selection::{AreaOfBenefit, DecileProfile, Resolution};
use useit_core::place::{Area, AreaDeprivation};
use useit_store::place::{AreaQuery, AreaRow, AreaSort, NamedAreaCount};

use crate::http::charts::{Bar, bar_chart};
use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::map::{MapArea, MapRow, Role, choropleth, decile_label};
use crate::http::route::{Route, page};
use crate::http::views::{Choice, FormErrors, Layout, ListLinks, Pager, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;
use service::{RadiusInput, SelectionInput};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewPlace);
    let edit = Access::Programme(Capability::EditAreaOfBenefit);
    let mut r = vec![
        page(Method::GET, "/p/{programme}/place", view, profile_page),
        page(Method::GET, "/p/{programme}/place/map.svg", view, map_svg),
        page(Method::GET, "/p/{programme}/place/areas", view, areas_page),
        page(
            Method::GET,
            "/p/{programme}/place/areas.csv",
            view,
            areas_csv,
        ),
        page(
            Method::GET,
            "/p/{programme}/place/areas/{area_code}",
            view,
            area_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/place/postcode",
            view,
            postcode_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/place/area-of-benefit/edit",
            edit,
            edit_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/place/area-of-benefit",
            edit,
            save,
        ),
    ];
    r.extend(api::routes());
    r
}

fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/place", ctx.programme()?.slug))
}

/// A deprivation domain in words; a domain named in a loader's column
/// mapping that the catalogue does not know is shown as it was named.
fn domain_label(domain: &str) -> String {
    let key = format!("place.domain.{domain}");
    if useit_core::i18n::has(&key) {
        t(&key).to_string()
    } else {
        domain.replace('_', " ")
    }
}

/// One row of the legend.
pub struct LegendItem {
    pub class: String,
    pub label: String,
}

pub fn legend() -> Vec<LegendItem> {
    let mut v: Vec<LegendItem> = (1..=10u8)
        .map(|d| LegendItem {
            class: format!("app-decile-{d}"),
            label: decile_label(Some(d)),
        })
        .collect();
    v.push(LegendItem {
        class: "app-map__area--context".into(),
        label: t("place.outside").into(),
    });
    v
}

/// One decile's row of the profile table.
pub struct DecileRow {
    pub decile: u8,
    pub label: String,
    pub areas: String,
    pub population: String,
    pub share: String,
}

fn percent(part: f64, whole: f64) -> String {
    if whole <= 0.0 {
        "–".into()
    } else {
        format!("{:.1}%", 100.0 * part / whole)
    }
}

fn decile_rows(p: &DecileProfile) -> Vec<DecileRow> {
    (0..10)
        .map(|i| DecileRow {
            decile: i as u8 + 1,
            label: decile_label(Some(i as u8 + 1)),
            areas: format_count(p.areas[i]),
            population: format_count(p.population[i].max(0) as u64),
            share: percent(p.population[i] as f64, p.total_population as f64),
        })
        .collect()
}

/// The rules of a selection in words, for the profile.
pub struct RuleRow {
    pub label: String,
    pub value: String,
}

async fn rules(
    app: &AppState,
    aob: &AreaOfBenefit,
    index: Option<&DeprivationIndex>,
) -> Result<Vec<RuleRow>, AppError> {
    let s = &aob.selection;
    let las = app.store.local_authorities(&s.scheme).await?;
    let wards = app.store.wards(&s.scheme).await?;
    let name_of = |list: &[NamedAreaCount], code: &str| {
        list.iter()
            .find(|n| n.code == code)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| code.into())
    };
    let none = || t("place.rule.none").to_string();
    let join = |v: Vec<String>| if v.is_empty() { none() } else { v.join(", ") };
    Ok(vec![
        RuleRow {
            label: t("place.rule.index").into(),
            value: index
                .map(|i| i.name.clone())
                .unwrap_or_else(|| s.index.clone()),
        },
        RuleRow {
            label: t("place.rule.local_authorities").into(),
            value: join(
                s.local_authorities
                    .iter()
                    .map(|c| name_of(&las, c))
                    .collect(),
            ),
        },
        RuleRow {
            label: t("place.rule.wards").into(),
            value: join(s.wards.iter().map(|c| name_of(&wards, c)).collect()),
        },
        RuleRow {
            label: t("place.rule.radii").into(),
            value: join(
                s.radii
                    .iter()
                    .map(|r| {
                        tf(
                            "place.rule.radius",
                            &[("km", &format!("{}", r.km)), ("centre", &r.label)],
                        )
                    })
                    .collect(),
            ),
        },
        RuleRow {
            label: t("place.rule.areas").into(),
            value: if s.areas.is_empty() {
                none()
            } else {
                format_count(s.areas.len() as u64)
            },
        },
        RuleRow {
            label: t("place.rule.deciles").into(),
            value: if s.deciles.is_empty() {
                t("place.rule.all_deciles").into()
            } else {
                s.deciles
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        },
        RuleRow {
            label: t("place.rule.exclude").into(),
            value: if s.exclude.is_empty() {
                none()
            } else {
                s.exclude.join(", ")
            },
        },
    ])
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VersionParam {
    version: Option<i64>,
}

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

async fn profile_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(v): Query<VersionParam>,
) -> Result<Response, PageError> {
    let pid = ctx.programme_id()?;
    let profile =
        match useit_app::place::profile(app.store.as_ref(), &ctx.caller()?, v.version).await? {
            None if v.version.is_some() => return Err(AppError::NotFound.into()),
            None => None,
            Some(p) => {
                let versions = app.store.area_of_benefit_versions(pid).await?;
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
                            ("by", &p.aob.created_by),
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
                    rules: rules(&app, &p.aob, p.index.as_ref()).await?,
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
        indices: app.store.indices().await?,
        legend: legend(),
    })?)
}

/// The map on its own, as an SVG image.
async fn map_svg(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(v): Query<VersionParam>,
) -> Result<Response, PageError> {
    let p = useit_app::place::profile(app.store.as_ref(), &ctx.caller()?, v.version)
        .await?
        .ok_or(AppError::NotFound)?;
    let svg = crate::http::map::aob_map(&app, &ctx, &p).await?.0.replacen(
        "<svg ",
        r#"<svg xmlns="http://www.w3.org/2000/svg" "#,
        1,
    );
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}

/// The areas list's query string.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AreaParams {
    pub q: Option<String>,
    pub local_authority: Option<String>,
    pub ward: Option<String>,
    /// One decile, or `1-2` for a range.
    pub decile: Option<String>,
    /// `yes`: only areas in the area of benefit.
    pub in_aob: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl AreaParams {
    fn deciles(&self) -> Vec<u8> {
        let Some(d) = self.decile.as_deref().filter(|d| !d.is_empty()) else {
            return Vec::new();
        };
        match d.split_once('-') {
            Some((a, b)) => match (a.trim().parse::<u8>(), b.trim().parse::<u8>()) {
                (Ok(a), Ok(b)) if a <= b => (a..=b).filter(|x| (1..=10).contains(x)).collect(),
                _ => vec![0],
            },
            None => vec![d.trim().parse::<u8>().unwrap_or(0)],
        }
    }

    /// The query for this programme: its area of benefit's scheme and index.
    pub async fn query(
        &self,
        app: &AppState,
        ctx: &Ctx,
    ) -> Result<(AreaQuery, Option<AreaOfBenefit>), AppError> {
        let aob = app.store.area_of_benefit(ctx.programme_id()?, None).await?;
        let (scheme, index) = match &aob {
            Some(a) => (a.selection.scheme.clone(), Some(a.selection.index.clone())),
            None => match app.store.indices().await?.into_iter().next() {
                Some(i) => (i.scheme, Some(i.code)),
                None => (String::new(), None),
            },
        };
        let nonempty = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        Ok((
            AreaQuery {
                scheme,
                index,
                q: nonempty(&self.q),
                local_authority: nonempty(&self.local_authority),
                ward: nonempty(&self.ward),
                deciles: self.deciles(),
                within: if self.in_aob.as_deref() == Some("yes") {
                    aob.as_ref().map(|a| a.id)
                } else {
                    None
                },
                sort: AreaSort::parse(self.sort.as_deref()),
                dir: SortDir::parse(self.dir.as_deref()),
            },
            aob,
        ))
    }
}

#[derive(Template)]
#[template(path = "place/areas.html")]
struct AreasPage {
    layout: Layout,
    base: String,
    areas: Page<AreaRow>,
    in_aob: BTreeSet<String>,
    has_aob: bool,
    pager: Pager,
    links: ListLinks,
    q: String,
    la: String,
    decile: String,
    only_aob: bool,
    las: Vec<Choice>,
    deciles: Vec<Choice>,
    csv_href: String,
    areas_href: String,
}

async fn areas_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AreaParams>,
) -> Result<Response, PageError> {
    let (query, aob) = p.query(&app, &ctx).await?;
    let areas = app
        .store
        .list_areas(&query, PageRequest::new(p.page, p.per_page))
        .await?;
    let in_aob = match &aob {
        Some(a) => {
            app.store
                .area_of_benefit_codes(ctx.programme_id()?, a.id)
                .await?
        }
        None => BTreeSet::new(),
    };
    let base = base(&ctx)?;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let links = ListLinks {
        path: format!("{base}/areas"),
        params: vec![
            ("q".into(), v(&p.q)),
            ("local_authority".into(), v(&p.local_authority)),
            ("ward".into(), v(&p.ward)),
            ("decile".into(), v(&p.decile)),
            ("in_aob".into(), v(&p.in_aob)),
        ],
        sort: query.sort.slug().into(),
        dir: query.dir,
    };
    let mut las = vec![Choice::new("", t("place.any_local_authority"))];
    las.extend(
        app.store
            .local_authorities(&query.scheme)
            .await?
            .into_iter()
            .map(|l| Choice::new(l.code, l.name)),
    );
    let mut deciles = vec![
        Choice::new("", t("place.any_decile")),
        Choice::new("1-2", t("place.deciles_1_2")),
    ];
    deciles.extend((1..=10u8).map(|d| Choice::new(d.to_string(), decile_label(Some(d)))));
    let layout = Layout::new(&app, &ctx, t("place.areas.title"), "place").await?;
    Ok(render(&AreasPage {
        layout,
        csv_href: links.csv_href(&format!("{base}/areas.csv")),
        areas_href: format!("{base}/areas"),
        pager: Pager::new(&areas, &links),
        links,
        base,
        areas,
        in_aob,
        has_aob: aob.is_some(),
        q: v(&p.q),
        la: v(&p.local_authority),
        decile: v(&p.decile),
        only_aob: p.in_aob.as_deref() == Some("yes"),
        las,
        deciles,
    })?)
}

/// The areas list as CSV; its `code` column is what an area of benefit's list takes.
pub async fn areas_csv_response(
    app: &AppState,
    ctx: &Ctx,
    p: &AreaParams,
) -> Result<Response, AppError> {
    let (query, aob) = p.query(app, ctx).await?;
    let rows = app.store.list_areas(&query, PageRequest::all()).await?;
    let in_aob = match &aob {
        Some(a) => {
            app.store
                .area_of_benefit_codes(ctx.programme_id()?, a.id)
                .await?
        }
        None => BTreeSet::new(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "code",
        "name",
        "local_authority_code",
        "local_authority_name",
        "ward_code",
        "ward_name",
        "rank",
        "decile",
        "population",
        "in_area_of_benefit",
    ]);
    for r in &rows.items {
        let a = &r.area;
        let _ = w.write_record([
            a.code.clone(),
            a.name.clone(),
            a.local_authority_code.clone().unwrap_or_default(),
            a.local_authority_name.clone().unwrap_or_default(),
            a.ward_code.clone().unwrap_or_default(),
            a.ward_name.clone().unwrap_or_default(),
            r.rank.map(|x| x.to_string()).unwrap_or_default(),
            r.decile.map(|x| x.to_string()).unwrap_or_default(),
            a.population.map(|x| x.to_string()).unwrap_or_default(),
            if aob.is_some() {
                (if in_aob.contains(&a.code) {
                    "yes"
                } else {
                    "no"
                })
                .into()
            } else {
                String::new()
            },
        ]);
    }
    crate::http::views::csv_download(
        ctx,
        "areas",
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default(),
    )
}

async fn areas_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AreaParams>,
) -> Result<Response, PageError> {
    Ok(areas_csv_response(&app, &ctx, &p).await?)
}

/// Everything the area page shows.
pub struct AreaView {
    pub area: Area,
    pub deprivation: Option<AreaDeprivation>,
    pub index: Option<DeprivationIndex>,
    pub in_aob: Option<bool>,
    pub live_postcodes: i64,
}

/// An area of the programme's geography, with its deprivation.
pub async fn area_view(app: &AppState, ctx: &Ctx, code: &str) -> Result<AreaView, AppError> {
    let (query, aob) = AreaParams::default().query(app, ctx).await?;
    let area = app
        .store
        .area(&query.scheme, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let index = match &query.index {
        Some(i) => app
            .store
            .indices()
            .await?
            .into_iter()
            .find(|x| &x.code == i),
        None => None,
    };
    let deprivation = match &query.index {
        Some(i) => app.store.area_deprivation(i, code).await?,
        None => None,
    };
    let in_aob = match &aob {
        Some(a) => Some(
            app.store
                .area_of_benefit_codes(ctx.programme_id()?, a.id)
                .await?
                .contains(code),
        ),
        None => None,
    };
    let live_postcodes = app.store.postcodes_in_area(&query.scheme, code).await?;
    Ok(AreaView {
        area,
        deprivation,
        index,
        in_aob,
        live_postcodes,
    })
}

#[derive(Template)]
#[template(path = "place/area.html")]
struct AreaPage {
    layout: Layout,
    base: String,
    v: AreaView,
    rank_text: String,
    decile_text: String,
    decile_class: String,
    domains: Vec<(String, String, String)>,
    map: String,
    legend: Vec<LegendItem>,
}

async fn area_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Response, PageError> {
    let v = area_view(&app, &ctx, &path.1).await?;
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
            let near = app
                .store
                .boundaries(
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
                    (b.code == v.area.code
                        || useit_core::place::geometry::haversine_km(lat, lon, c.1, c.0) < 1.2)
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

#[derive(Deserialize, Default)]
#[serde(default)]
struct PostcodeParam {
    postcode: Option<String>,
}

#[derive(Template)]
#[template(path = "place/postcode.html")]
struct PostcodePage {
    layout: Layout,
    base: String,
    input: String,
    result: Option<LookupResult>,
    errors: FormErrors,
    decile_text: String,
}

async fn postcode_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PostcodeParam>,
) -> Result<Response, PageError> {
    let input = p.postcode.unwrap_or_default();
    let mut errors = FormErrors::default();
    let result = if input.trim().is_empty() {
        None
    } else {
        let r = service::lookup(
            &*app.store,
            ctx.programme_id()?,
            std::slice::from_ref(&input),
        )
        .await?
        .pop();
        if let Some(r) = &r
            && r.status == useit_core::place::lookup::LookupStatus::Invalid
        {
            errors.push(
                "postcode",
                Message::new("raw.text").arg("text", r.message.clone().unwrap_or_default()),
            );
        }
        r
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let layout = Layout::new(&app, &ctx, t("place.postcode.title"), "place")
        .await?
        .with_errors(&errors);
    Ok(render_status(
        status,
        &PostcodePage {
            layout,
            base: base(&ctx)?,
            decile_text: decile_label(result.as_ref().and_then(|r| r.decile)),
            input,
            result,
            errors,
        },
    )?)
}

/// The editor's form, as posted: repeated checkboxes and numbered radius rows.
#[derive(Clone, Debug, Default)]
pub struct EditForm {
    pub input: SelectionInput,
    pub radius_rows: Vec<(String, String)>,
    pub action: String,
}

/// Splits pasted codes on commas, semicolons and whitespace.
fn codes_in(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|s| s.trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl EditForm {
    fn parse(body: &str) -> EditForm {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap_or_default();
        let all = |k: &str| {
            pairs
                .iter()
                .filter(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        };
        let one = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let radius_rows: Vec<(String, String)> = (0..3)
            .map(|i| {
                (
                    one(&format!("radius_postcode_{i}")),
                    one(&format!("radius_km_{i}")),
                )
            })
            .collect();
        EditForm {
            input: SelectionInput {
                index: one("index"),
                local_authorities: all("local_authorities"),
                wards: all("wards"),
                radii: radius_rows
                    .iter()
                    .map(|(p, k)| RadiusInput {
                        postcode: p.clone(),
                        km: k.clone(),
                        ..Default::default()
                    })
                    .collect(),
                areas: codes_in(&one("areas")),
                deciles: all("deciles")
                    .iter()
                    .filter_map(|d| d.parse().ok())
                    .collect(),
                exclude: codes_in(&one("exclude")),
                note: one("note"),
            },
            radius_rows,
            action: one("action"),
        }
    }

    fn from_aob(aob: &AreaOfBenefit) -> EditForm {
        let s = &aob.selection;
        let mut radius_rows: Vec<(String, String)> = s
            .radii
            .iter()
            .map(|r| (r.label.clone(), format!("{}", r.km)))
            .collect();
        radius_rows.resize(3, (String::new(), String::new()));
        EditForm {
            input: SelectionInput {
                index: s.index.clone(),
                local_authorities: s.local_authorities.clone(),
                wards: s.wards.clone(),
                radii: Vec::new(),
                areas: s.areas.clone(),
                deciles: s.deciles.clone(),
                exclude: s.exclude.clone(),
                note: String::new(),
            },
            radius_rows,
            action: String::new(),
        }
    }
}

/// A checkbox in a group.
pub struct CheckItem {
    pub value: String,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

/// The wards of one district, for a group of checkboxes.
pub struct WardGroup {
    pub name: String,
    pub open: bool,
    pub wards: Vec<CheckItem>,
}

#[derive(Template)]
#[template(path = "place/edit.html")]
struct EditPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    indices: Vec<Choice>,
    index: String,
    las: Vec<CheckItem>,
    ward_groups: Vec<WardGroup>,
    radius_rows: Vec<(String, String)>,
    deciles: Vec<CheckItem>,
    areas: String,
    exclude: String,
    note: String,
    preview: Option<PreviewView>,
}

struct PreviewView {
    areas: String,
    population: String,
    share_1_2: String,
    r: Resolution,
}

async fn edit_form_page(
    app: &AppState,
    ctx: &Ctx,
    form: EditForm,
    errors: FormErrors,
    preview: Option<PreviewView>,
) -> Result<Response, AppError> {
    let indices = app.store.indices().await?;
    let index = if form.input.index.is_empty() {
        indices.first().map(|i| i.code.clone()).unwrap_or_default()
    } else {
        form.input.index.clone()
    };
    let scheme = indices
        .iter()
        .find(|i| i.code == index)
        .map(|i| i.scheme.clone())
        .unwrap_or_default();
    let la_list = app.store.local_authorities(&scheme).await?;
    let ward_list = app.store.wards(&scheme).await?;
    let checked = |list: &Vec<String>, v: &str| list.iter().any(|x| x == v);
    let las = la_list
        .iter()
        .map(|l| CheckItem {
            value: l.code.clone(),
            label: l.name.clone(),
            hint: tf("place.n_areas", &[("count", &format_count(l.areas as u64))]),
            checked: checked(&form.input.local_authorities, &l.code),
        })
        .collect();
    let ward_groups = la_list
        .iter()
        .map(|l| {
            let wards: Vec<CheckItem> = ward_list
                .iter()
                .filter(|w| w.parent_code.as_deref() == Some(&l.code))
                .map(|w| CheckItem {
                    value: w.code.clone(),
                    label: w.name.clone(),
                    hint: String::new(),
                    checked: checked(&form.input.wards, &w.code),
                })
                .collect();
            WardGroup {
                open: wards.iter().any(|w| w.checked),
                name: l.name.clone(),
                wards,
            }
        })
        .filter(|g| !g.wards.is_empty())
        .collect();
    let deciles = (1..=10u8)
        .map(|d| CheckItem {
            value: d.to_string(),
            label: decile_label(Some(d)),
            hint: String::new(),
            checked: form.input.deciles.contains(&d),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let layout = Layout::new(app, ctx, t("place.edit.title"), "place")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &EditPage {
            layout,
            base: base(ctx)?,
            errors,
            indices: indices
                .iter()
                .map(|i| Choice::new(i.code.clone(), i.name.clone()))
                .collect(),
            index,
            las,
            ward_groups,
            radius_rows: form.radius_rows,
            deciles,
            areas: form.input.areas.join("\n"),
            exclude: form.input.exclude.join("\n"),
            note: form.input.note,
            preview,
        },
    )
}

async fn edit_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let form = match app.store.area_of_benefit(ctx.programme_id()?, None).await? {
        Some(aob) => EditForm::from_aob(&aob),
        None => EditForm {
            radius_rows: vec![(String::new(), String::new()); 3],
            ..Default::default()
        },
    };
    Ok(edit_form_page(&app, &ctx, form, FormErrors::default(), None).await?)
}

/// Where a selection error is shown on the form.
fn form_errors(errs: &[useit_core::validation::FieldError]) -> FormErrors {
    let mut out = FormErrors::default();
    for e in errs {
        let parts: Vec<&str> = e.field.split('/').collect();
        let field = match parts.as_slice() {
            ["radii", i, "postcode"] => format!("radius_postcode_{i}"),
            ["radii", i, "km"] => format!("radius_km_{i}"),
            _ => e.field.clone(),
        };
        out.items.push(crate::http::views::FormError {
            anchor: field.clone(),
            field,
            text: e.message.text(),
        });
    }
    out
}

async fn save(State(app): State<AppState>, ctx: Ctx, body: String) -> Result<Response, PageError> {
    let form = EditForm::parse(&body);
    let (sel, facts) = match service::build_selection(&*app.store, &form.input).await {
        Ok(x) => x,
        Err(AppError::Invalid(errs)) => {
            return Ok(edit_form_page(&app, &ctx, form, form_errors(&errs), None).await?);
        }
        Err(e) => return Err(e.into()),
    };
    let (r, p) = service::preview(&sel, &facts);
    if form.action == "preview" {
        let view = PreviewView {
            areas: format_count(p.total_areas),
            population: format_count(p.total_population.max(0) as u64),
            share_1_2: percent(p.population_share_up_to(2), 1.0),
            r,
        };
        return Ok(edit_form_page(&app, &ctx, form, FormErrors::default(), Some(view)).await?);
    }
    if r.codes.is_empty() {
        let errors = FormErrors::one("local_authorities", Message::new("aob.empty"));
        return Ok(edit_form_page(&app, &ctx, form, errors, None).await?);
    }
    let aob = app
        .store
        .save_area_of_benefit(
            ctx.programme_id()?,
            &sel,
            &r.codes,
            form.input.note.trim(),
            &ctx.actor(),
        )
        .await?;
    ctx.flash(tf(
        "place.saved",
        &[
            ("version", &aob.version.to_string()),
            ("count", &format_count(aob.area_count as u64)),
        ],
    ))
    .await;
    Ok(Redirect::to(&base(&ctx)?).into_response())
}
