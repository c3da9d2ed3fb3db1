//! Researchers' income by year (issue 19 item 2): from the programme's
//! payment runs and from the Social Lab. A coordinator sees each
//! researcher's; every other role the years' totals, with the counts of
//! researchers (and the money of fewer than the threshold) suppressed.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use useit_app::research::income::income;
use useit_core::i18n::t;

use super::view::{base, payer_cell, payer_total_cell};
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::views::{Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct ResearcherRow {
    pub name: String,
    pub href: String,
    pub year: i32,
    pub programme: String,
    pub social_lab: String,
}

pub struct TotalRow {
    pub year: i32,
    pub programme_researchers: String,
    pub programme: String,
    pub social_lab_researchers: String,
    pub social_lab: String,
}

#[derive(Template)]
#[template(path = "research/income.html")]
struct IncomePage {
    layout: Layout,
    base: String,
    exact: bool,
    researchers: Vec<ResearcherRow>,
    totals: Vec<TotalRow>,
}

pub async fn income_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let v = income(app.store.as_ref(), &ctx.caller()?).await?;
    let base = base(&ctx)?;
    let researchers = v
        .researchers
        .iter()
        .flat_map(|r| {
            let name = r
                .name
                .clone()
                .unwrap_or_else(|| t("research.researcher.erased_title").into());
            let href = format!("{base}/researchers/{}#income", r.researcher);
            r.years.iter().map(move |y| ResearcherRow {
                name: name.clone(),
                href: href.clone(),
                year: y.year,
                programme: payer_cell(y.programme),
                social_lab: payer_cell(y.social_lab),
            })
        })
        .collect();
    let totals = v
        .years
        .iter()
        .map(|y| TotalRow {
            year: y.year,
            // No count beside "not known": nothing recorded for that payer.
            programme_researchers: counted(&y.programme),
            programme: payer_total_cell(&y.programme),
            social_lab_researchers: counted(&y.social_lab),
            social_lab: payer_total_cell(&y.social_lab),
        })
        .collect();
    Ok(render_status(
        axum::http::StatusCode::OK,
        &IncomePage {
            layout: Layout::new(&app, &ctx, t("research.income_of.page_title"), "research").await?,
            base,
            exact: v.exact,
            researchers,
            totals,
        },
    )?)
}

/// How many researchers a payer paid in a year, where anything is recorded.
fn counted(p: &useit_app::research::income::PayerTotal) -> String {
    if p.recorded {
        p.researchers.text()
    } else {
        String::new()
    }
}
