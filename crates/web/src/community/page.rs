//! A community's page (its area, its plan, the plan's actions and
//! progress, links to change them for those who may) and the printable
//! plan.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use useit_app::community::assets::action_assets;
use useit_app::community::{CommunityView, community};
use useit_core::clock;
use useit_core::i18n::t;
use uuid::Uuid;

use super::view::{ActionLine, action_line, area_text, base, plan_status_text};
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

/// What the page and the printable plan show.
pub struct PlanView {
    pub name: String,
    pub description: String,
    pub area: String,
    pub wards: String,
    pub deciles: String,
    pub status: String,
    pub progress: String,
    pub aspirations: Vec<String>,
    pub priorities: Vec<String>,
    pub actions: Vec<ActionLine>,
    pub updated: String,
}

/// The assets each action builds on: action → (asset, name).
pub type ActionAssets = std::collections::BTreeMap<Uuid, Vec<(Uuid, String)>>;

pub fn plan_view(base: &str, v: &CommunityView, links: &ActionAssets) -> PlanView {
    let c = &v.community;
    let sel = c.area.as_ref().map(|a| &a.selection);
    PlanView {
        name: c.name.clone(),
        description: c.description.clone(),
        area: area_text(c.area.as_ref()),
        wards: v.ward_names.join(", "),
        deciles: sel
            .map(|s| {
                s.deciles
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        status: plan_status_text(
            v.plan.as_ref().map(|p| p.status),
            v.plan.as_ref().and_then(|p| p.adopted_on),
        ),
        progress: v.progress.text(),
        aspirations: v
            .plan
            .as_ref()
            .map(|p| p.aspirations.clone())
            .unwrap_or_default(),
        priorities: v
            .plan
            .as_ref()
            .map(|p| p.priorities.clone())
            .unwrap_or_default(),
        actions: v
            .actions
            .iter()
            .map(|a| {
                let mut line = action_line(base, c.id, a);
                line.assets = links
                    .get(&a.id)
                    .map(|v| {
                        v.iter()
                            .map(|(_, n)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                line
            })
            .collect(),
        updated: clock::display(c.updated_at),
    }
}

#[derive(Template)]
#[template(path = "community/community.html")]
struct CommunityPage {
    layout: Layout,
    back: String,
    href: String,
    plan: PlanView,
    assets_href: String,
    may_edit: bool,
    may_manage: bool,
}

pub async fn community_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let v = community(app.store.as_ref(), &caller, id).await?;
    let links = action_assets(app.store.as_ref(), &caller, id).await?;
    let base = base(&ctx)?;
    Ok(render(&CommunityPage {
        layout: Layout::new(&app, &ctx, v.community.name.clone(), "communities").await?,
        href: format!("{base}/{id}"),
        plan: plan_view(&base, &v, &links),
        assets_href: format!("{base}/assets?community={id}"),
        may_edit: v.may_edit,
        may_manage: v.may_manage,
        back: base,
    })?)
}

#[derive(Template)]
#[template(path = "community/print.html")]
struct PrintPage {
    layout: Layout,
    back: String,
    plan: PlanView,
}

pub async fn print_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let v = community(app.store.as_ref(), &caller, id).await?;
    let links = action_assets(app.store.as_ref(), &caller, id).await?;
    let base = base(&ctx)?;
    Ok(render(&PrintPage {
        layout: Layout::new(
            &app,
            &ctx,
            format!("{} – {}", t("community.print.title"), v.community.name),
            "communities",
        )
        .await?,
        plan: plan_view(&base, &v, &links),
        back: format!("{base}/{id}"),
    })?)
}
