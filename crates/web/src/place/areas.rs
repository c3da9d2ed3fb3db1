//! The small areas of the programme's geography: searched, filtered by
//! district, decile and the area of benefit, sorted, paged and downloaded.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use useit_app::place::areas::{areas, local_authorities};
use useit_core::i18n::t;
use useit_core::listing::{Page, PageRequest};
use useit_core::place::areas::{AreaListQuery, AreaRow};

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::map::decile_label;
use crate::http::views::{Choice, Layout, ListLinks, Pager, render};
use crate::i18n::filters;
use crate::state::AppState;

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

pub async fn areas_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AreaListQuery>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let list = areas(
        app.store.as_ref(),
        &caller,
        &p,
        PageRequest::new(p.page, p.per_page),
    )
    .await?;
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
        sort: list.query.sort.slug().into(),
        dir: list.query.dir,
    };
    let mut las = vec![Choice::new("", t("place.any_local_authority"))];
    las.extend(
        local_authorities(app.store.as_ref(), &caller, &list.query.scheme)
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
        pager: Pager::new(&list.areas, &links),
        links,
        base,
        areas: list.areas,
        in_aob: list.in_area_of_benefit,
        has_aob: list.area_of_benefit.is_some(),
        q: v(&p.q),
        la: v(&p.local_authority),
        decile: v(&p.decile),
        only_aob: p.only_area_of_benefit(),
        las,
        deciles,
    })?)
}

pub async fn areas_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AreaListQuery>,
) -> Result<Response, PageError> {
    Ok(super::csv::areas_csv(&app, &ctx, &p).await?)
}
