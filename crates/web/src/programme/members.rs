//! Who is in the programme and with what role: the list (personal data,
//! audited) and its CSV; and the route table of every member page.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::response::Response;
use useit_app::programme::members::members;
use useit_core::auth::{Capability, Member, MemberListQuery};
use useit_core::i18n::t;
use useit_core::listing::Page;

use super::view::{members_base, members_csv, role_choices};
use super::{invitation, member, member_import};
use crate::http::ctx::{Access, Ctx};
use crate::http::error::PageError;
use crate::http::route::{Route, page};
use crate::http::views::{Choice, Layout, ListLinks, Pager, render};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewMembers);
    let manage = Access::Programme(Capability::ManageMembers);
    vec![
        page(Method::GET, "/p/{programme}/members", view, list),
        page(Method::GET, "/p/{programme}/members.csv", view, export),
        page(
            Method::GET,
            "/p/{programme}/members/new",
            manage,
            invitation::new_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/members",
            manage,
            invitation::create,
        ),
        page(
            Method::GET,
            "/p/{programme}/members/invitations",
            manage,
            invitation::list,
        ),
        page(
            Method::POST,
            "/p/{programme}/members/invitations/{invitation_id}/withdraw",
            manage,
            invitation::withdraw_one,
        ),
        // The link's secret is the right to see the invitation; accepting
        // it needs the invited account, or creates it.
        page(
            Method::GET,
            "/invitations/{invitation_secret}",
            Access::Public,
            invitation::open_page,
        ),
        page(
            Method::POST,
            "/invitations/{invitation_secret}",
            Access::SignedIn,
            invitation::accept_signed_in,
        ),
        page(
            Method::POST,
            "/invitations/{invitation_secret}/account",
            Access::Public,
            invitation::accept_new_account,
        ),
        page(
            Method::GET,
            "/p/{programme}/members/import",
            manage,
            member_import::import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/members/import",
            manage,
            member_import::import,
        ),
        page(
            Method::GET,
            "/p/{programme}/members/{user_id}",
            manage,
            member::edit_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/members/{user_id}",
            manage,
            member::change_role,
        ),
        page(
            Method::POST,
            "/p/{programme}/members/{user_id}/remove",
            manage,
            member::remove,
        ),
    ]
}

#[derive(Template)]
#[template(path = "programme/members.html")]
struct ListPage {
    layout: Layout,
    base: String,
    members: Page<Member>,
    pager: Pager,
    links: ListLinks,
    q: String,
    role: String,
    roles: Vec<Choice>,
    can_manage: bool,
    csv_href: String,
}

async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<MemberListQuery>,
) -> Result<Response, PageError> {
    let query = p.query();
    let members = members(app.store.as_ref(), &ctx.caller()?, &query, p.page()).await?;
    let base = members_base(&ctx)?;
    let q = query.q.clone().unwrap_or_default();
    let role = query.role.map(|r| r.slug().to_string()).unwrap_or_default();
    let links = ListLinks {
        path: base.clone(),
        params: vec![("q".into(), q.clone()), ("role".into(), role.clone())],
        sort: query.sort.slug().into(),
        dir: query.dir,
    };
    let mut roles = vec![Choice::new("", t("members.filter.any_role"))];
    roles.extend(role_choices(false));
    let layout = Layout::new(&app, &ctx, t("members.title"), "members").await?;
    Ok(render(&ListPage {
        layout,
        csv_href: links.csv_href(&format!("{base}.csv")),
        pager: Pager::new(&members, &links),
        links,
        base,
        members,
        q,
        role,
        roles,
        can_manage: ctx.can(Capability::ManageMembers),
    })?)
}

async fn export(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<MemberListQuery>,
) -> Result<Response, PageError> {
    Ok(members_csv(&app, &ctx, &p).await?)
}
