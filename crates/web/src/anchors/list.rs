//! The anchors page: the programme's anchor institutions, each with what
//! its published spend comes to and where to look closer.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use useit_app::anchors::anchor::overview;
use useit_core::anchors::coverage;
use useit_core::anchors::measures::Geography;
use useit_core::auth::Capability;
use useit_core::i18n::{format_count, t};

use super::view::{base, judged_share, money_of};
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::forms::query;
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

/// One anchor's row.
pub struct AnchorRow {
    pub name: String,
    pub kind: String,
    pub official_code: String,
    pub sites: String,
    pub files: String,
    pub influenceable: String,
    pub local: String,
    pub spend_href: String,
    pub edit_href: String,
}

#[derive(Template)]
#[template(path = "anchors/list.html")]
struct AnchorsPage {
    layout: Layout,
    base: String,
    rows: Vec<AnchorRow>,
    can_manage: bool,
}

pub async fn anchors_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let money = money_of(&ctx);
    let rows = overview(app.store.as_ref(), &ctx.caller()?, &app.ledgers)
        .await?
        .into_iter()
        .map(|s| {
            let a = &s.anchor;
            let m = &s.measures;
            AnchorRow {
                name: a.name.clone(),
                kind: t(&format!("anchors.anchor.kind.{}", a.kind.slug())).to_string(),
                official_code: a.official_code.clone().unwrap_or_default(),
                sites: a
                    .sites
                    .iter()
                    .map(|s| format!("{} ({})", s.name, s.postcode))
                    .collect::<Vec<_>>()
                    .join("; "),
                files: format_count(s.files as u64),
                influenceable: money.show(m.influenceable),
                local: judged_share(&coverage::local(m, &s.setup, Geography::AreaOfBenefit)),
                spend_href: format!("{base}/spend{}", query(&[("anchor", &a.slug)])),
                edit_href: format!("{base}/{}/edit", a.slug),
            }
        })
        .collect();
    let layout = Layout::new(&app, &ctx, t("anchors.list.title"), "anchors").await?;
    Ok(render(&AnchorsPage {
        layout,
        base,
        rows,
        can_manage: ctx.can(Capability::ManageSpend),
    })?)
}
