//! The roles page: what each role may do, from the one permission table.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use useit_core::auth::{Capability, GRANTS, Role};
use useit_core::i18n::t;

use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

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

pub async fn roles(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let rows = GRANTS
        .iter()
        .map(|(cap, _)| GrantRow {
            capability: *cap,
            held: Role::ALL.iter().map(|r| r.can(*cap)).collect(),
        })
        .collect();
    // The roles are explained with the members, whose help page it links.
    let layout = Layout::new(&app, &ctx, t("roles.title"), "")
        .await?
        .help_topic("members");
    Ok(render(&RolesPage {
        layout,
        roles: Role::ALL.to_vec(),
        rows,
        your_role: ctx.principal()?.role,
    })?)
}
