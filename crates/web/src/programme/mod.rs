//! The programme on the web: its home page (counts computed from the rows),
//! the roles table, partners and members; and the same through the JSON
//! API (`api`). One module per resource; what pages and API share is in
//! `useit_app` and `view`.

pub mod api;
pub mod disclosure;
pub mod duplicates;
pub mod indicators;
pub mod invitation;
pub mod member;
pub mod member_import;
pub mod members;
pub mod model;
pub mod partner;
pub mod partner_import;
pub mod partners;
pub mod report;
pub mod roles;
pub mod saved_filters;
pub mod stories;
pub mod targets;
pub mod view;

use askama::Template;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::{format_count, t, tf};
use useit_core::programme::ProgrammeCounts;

use crate::http::charts::{Bar, bar_chart, column_chart};
use crate::http::ctx::{Access, Ctx};
use crate::http::error::PageError;
use crate::http::route::{Route, page};
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let home_access = Access::Programme(Capability::ViewProgramme);
    let mut r = vec![
        page(Method::GET, "/p/{programme}", home_access, home),
        page(
            Method::GET,
            "/p/{programme}/roles",
            home_access,
            roles::roles,
        ),
        page(
            Method::GET,
            "/p/{programme}/settings",
            home_access,
            disclosure::settings_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/settings",
            Access::Programme(Capability::ManageDisclosure),
            disclosure::settings_save,
        ),
        page(
            Method::GET,
            "/p/{programme}/model.json",
            Access::Programme(Capability::ExportModel),
            model::download,
        ),
        page(
            Method::GET,
            "/admin/programmes/from-model",
            Access::Admin,
            model::form,
        ),
        page(
            Method::POST,
            "/admin/programmes/from-model",
            Access::Admin,
            model::create,
        ),
    ];
    r.extend(targets::routes());
    r.extend(partners::routes());
    r.extend(members::routes());
    r.extend(stories::routes());
    r.extend(report::routes());
    r.extend(saved_filters::routes());
    r
}

pub use crate::http::charts::Row;

#[derive(Template)]
#[template(path = "programme/home.html")]
struct HomePage {
    layout: Layout,
    description: String,
    counts: ProgrammeCounts,
    kind_chart: String,
    kind_rows: Vec<Row>,
    year_chart: String,
    year_rows: Vec<Row>,
    can_see_partners: bool,
    can_see_members: bool,
    can_set_targets: bool,
    can_see_stories: bool,
    today: String,
    ind: indicators::HomeIndicators,
}

async fn home(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let programme = ctx.programme()?.clone();
    // Kept while nothing it counts has changed: one row read.
    let home =
        useit_app::programme::indicators::home(app.store.as_ref(), &ctx.caller()?, &app.ledgers)
            .await?;
    let figures = &home.figures;
    let ind = indicators::home(&ctx, &programme.slug, &home.indicators);
    let counts = figures.counts.clone();
    let kind_bars: Vec<Bar> = counts
        .partners_by_kind
        .iter()
        .map(|(k, n)| Bar {
            label: t(&k.label_key()).to_string(),
            value: *n as f64,
            display: format_count(*n),
        })
        .collect();
    let year_bars: Vec<Bar> = counts
        .partners_joined_by_year
        .iter()
        .map(|(y, n)| Bar {
            label: y.to_string(),
            value: *n as f64,
            display: format_count(*n),
        })
        .collect();
    let kind_chart = bar_chart(
        "partners-by-kind",
        t("home.chart.by_kind"),
        &tf(
            "home.chart.by_kind_desc",
            &[("count", &format_count(counts.partners_current))],
        ),
        &kind_bars,
    );
    let year_chart = column_chart(
        "partners-by-year",
        t("home.chart.by_year"),
        t("home.chart.by_year_desc"),
        &year_bars,
    );
    let layout = Layout::new(&app, &ctx, programme.name.clone(), "home").await?;
    Ok(render(&HomePage {
        layout,
        description: programme.description,
        kind_rows: crate::http::charts::rows(&kind_bars),
        year_rows: crate::http::charts::rows(&year_bars),
        counts,
        kind_chart,
        year_chart,
        can_see_partners: ctx.can(Capability::ViewPartners),
        can_see_members: ctx.can(Capability::ViewMembers),
        can_set_targets: ctx.can(Capability::ManageTargets),
        can_see_stories: ctx.can(Capability::ViewStories),
        ind,
        today: clock::display_date(figures.as_of),
    })?)
}
