//! The partner list: filter, sort, search, page and download as CSV; and
//! the route table of every partner page.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::response::Response;
use useit_app::programme::partners::partners;
use useit_core::auth::Capability;
use useit_core::i18n::t;
use useit_core::listing::Page;
use useit_core::programme::{Partner, PartnerListQuery};

use super::view::{kind_choices, partners_base, partners_csv};
use super::{duplicates, partner, partner_import};
use crate::http::ctx::{Access, Ctx};
use crate::http::error::PageError;
use crate::http::route::{Route, page};
use crate::http::views::{Choice, Layout, ListLinks, Pager, render};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    use Capability::*;
    let view = Access::Programme(ViewPartners);
    let edit = Access::Programme(EditPartners);
    vec![
        page(Method::GET, "/p/{programme}/partners", view, list),
        page(Method::GET, "/p/{programme}/partners.csv", view, export),
        page(
            Method::GET,
            "/p/{programme}/partners/new",
            edit,
            partner::new_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/partners",
            edit,
            partner::create,
        ),
        page(
            Method::GET,
            "/p/{programme}/partners/import",
            edit,
            partner_import::import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/partners/import",
            edit,
            partner_import::import,
        ),
        page(
            Method::GET,
            "/p/{programme}/partners/duplicates",
            edit,
            duplicates::duplicates,
        ),
        page(
            Method::GET,
            "/p/{programme}/partners/{partner_id}",
            view,
            partner::show,
        ),
        page(
            Method::GET,
            "/p/{programme}/partners/{partner_id}/edit",
            edit,
            partner::edit_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/partners/{partner_id}",
            edit,
            partner::update,
        ),
        page(
            Method::GET,
            "/p/{programme}/partners/{partner_id}/merge",
            edit,
            duplicates::merge_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/partners/{partner_id}/merge",
            edit,
            duplicates::merge,
        ),
    ]
}

fn status_choices() -> Vec<Choice> {
    vec![
        Choice::new("all", t("partners.status.all")),
        Choice::new("current", t("partners.status.current")),
        Choice::new("former", t("partners.status.former")),
    ]
}

#[derive(Template)]
#[template(path = "programme/partners.html")]
struct ListPage {
    layout: Layout,
    base: String,
    partners: Page<Partner>,
    pager: Pager,
    links: ListLinks,
    q: String,
    kind: String,
    status: String,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    can_edit: bool,
    can_contacts: bool,
    csv_href: String,
}

async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PartnerListQuery>,
) -> Result<Response, PageError> {
    let query = p.query();
    let partners = partners(app.store.as_ref(), &ctx.caller()?, &query, p.page()).await?;
    let base = partners_base(&ctx)?;
    let q = query.q.clone().unwrap_or_default();
    let kind = query.kind.map(|k| k.slug().to_string()).unwrap_or_default();
    let status = query.status.slug().to_string();
    let links = ListLinks {
        path: base.clone(),
        params: vec![
            ("q".into(), q.clone()),
            ("kind".into(), kind.clone()),
            (
                "status".into(),
                if status == "all" {
                    String::new()
                } else {
                    status.clone()
                },
            ),
        ],
        sort: query.sort.slug().into(),
        dir: query.dir,
    };
    let pager = Pager::new(&partners, &links);
    let layout = Layout::new(&app, &ctx, t("partners.title"), "partners").await?;
    Ok(render(&ListPage {
        layout,
        csv_href: links.csv_href(&format!("{base}.csv")),
        base,
        pager,
        links,
        partners,
        q,
        kind,
        status,
        kinds: kind_choices(true),
        statuses: status_choices(),
        can_edit: ctx.can(Capability::EditPartners),
        can_contacts: ctx.can(Capability::ViewPartnerContacts),
    })?)
}

async fn export(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PartnerListQuery>,
) -> Result<Response, PageError> {
    Ok(partners_csv(&app, &ctx, &p).await?)
}
