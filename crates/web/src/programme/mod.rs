//! The programme: its home page (counts computed from the rows), the roles
//! table, partners and members.

pub mod api;
pub mod members;
pub mod partners;

use askama::Template;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use useit_core::auth::{Capability, GRANTS, Role};
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
    let mut r = vec![
        page(
            Method::GET,
            "/p/{programme}",
            Access::Programme(Capability::ViewProgramme),
            home,
        ),
        page(
            Method::GET,
            "/p/{programme}/roles",
            Access::Programme(Capability::ViewProgramme),
            roles,
        ),
    ];
    r.extend(partners::routes());
    r.extend(members::routes());
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
    today: String,
}

async fn home(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let programme = ctx.programme()?.clone();
    let today = clock::today();
    let counts = app.store.programme_counts(programme.id, today).await?;
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
        today: clock::display_date(today),
    })?)
}

/// A row of the permissions table: a capability and, per role, whether it holds it.
pub struct GrantRow {
    pub capability: Capability,
    pub held: Vec<bool>,
}

#[derive(Template)]
#[template(path = "programme/roles.html")]
struct RolesPage {
    layout: Layout,
    roles: Vec<Role>,
    rows: Vec<GrantRow>,
    your_role: Role,
}

async fn roles(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let rows = GRANTS
        .iter()
        .map(|(cap, _)| GrantRow {
            capability: *cap,
            held: Role::ALL.iter().map(|r| r.can(*cap)).collect(),
        })
        .collect();
    let layout = Layout::new(&app, &ctx, t("roles.title"), "").await?;
    Ok(render(&RolesPage {
        layout,
        roles: Role::ALL.to_vec(),
        rows,
        your_role: ctx.principal()?.role,
    })?)
}
