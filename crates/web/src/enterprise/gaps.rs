//! Supply-chain gaps: per anchor, the categories where its money leaves the
//! area and no local enterprise offers the service, beside those where local
//! enterprises do, and the categories not tied to any service (not known).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use useit_app::enterprise::gaps::{SupplyChainGaps, supply_chain_gaps};
use useit_core::enterprise::gaps::GapRow;
use useit_core::enterprise::services::taxonomy;
use useit_core::i18n::{Message, t};
use useit_core::money::format_pence;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

pub struct RowView {
    pub category: String,
    pub service: String,
    pub leaving: String,
    pub enterprises: Vec<(String, String)>,
}

pub struct AnchorView {
    pub name: String,
    pub summary: String,
    pub no_spend: bool,
    pub gaps: Vec<RowView>,
    pub covered: Vec<RowView>,
    pub not_known: Vec<RowView>,
}

#[derive(Template)]
#[template(path = "enterprise/gaps.html")]
struct GapsPage {
    layout: Layout,
    base: String,
    lead: String,
    anchors: Vec<AnchorView>,
}

/// The page's words for the gaps (the API answers the numbers).
pub fn views(base: &str, g: &SupplyChainGaps) -> Vec<AnchorView> {
    let tx = taxonomy();
    let row = |r: &GapRow| RowView {
        category: r.category.clone(),
        service: r
            .service
            .as_deref()
            .map(|s| tx.name(s).to_string())
            .unwrap_or_else(|| t("enterprise.not_known").to_string()),
        leaving: format_pence(r.leaving),
        enterprises: r
            .local_enterprises
            .iter()
            .map(|id| {
                (
                    g.names.get(id).cloned().unwrap_or_default(),
                    format!("{base}/enterprises/{id}"),
                )
            })
            .collect(),
    };
    g.anchors
        .iter()
        .map(|a| AnchorView {
            name: a.name.clone(),
            summary: Message::new("enterprise.gaps.summary")
                .arg("leaving", format_pence(a.gaps.leaving))
                .arg("influenceable", format_pence(a.influenceable))
                .arg("gaps", format_pence(a.gaps.gap_money))
                .arg("not_known", format_pence(a.gaps.not_known_money))
                .arg("not_placed", format_pence(a.gaps.not_placed))
                .text(),
            no_spend: a.influenceable == 0,
            gaps: a.gaps.gaps.iter().map(row).collect(),
            covered: a.gaps.covered.iter().map(row).collect(),
            not_known: a.gaps.not_known.iter().map(row).collect(),
        })
        .collect()
}

pub async fn gaps_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let g = supply_chain_gaps(app.store.as_ref(), &ctx.caller()?, &app.ledgers).await?;
    let base = base(&ctx)?;
    let page = GapsPage {
        layout: Layout::new(&app, &ctx, t("enterprise.gaps.title"), "enterprise").await?,
        lead: Message::new("enterprise.gaps.placed")
            .arg("count", g.enterprises)
            .arg(
                "local",
                useit_core::i18n::format_count(g.local_enterprises as u64),
            )
            .text(),
        anchors: views(&base, &g),
        base,
    };
    Ok(render(&page)?)
}
