//! The lines behind a figure: listed, searched, sorted, paged and
//! downloaded as CSV that imports back.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use useit_app::anchors::anchor::anchors;
use useit_app::anchors::ledger::lines;
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::placed::LineView;
use useit_core::i18n::t;
use useit_core::listing::{Page, SortDir};
use useit_core::programme::saved_filter::SavedList;

use super::view::{anchor_choices, base, money_of};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::saved_filters::SavedFilters;
use crate::http::views::{Choice, FormErrors, Layout, ListLinks, Pager, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "anchors/lines.html")]
struct LinesPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    lines: Page<LineView>,
    total: String,
    pager: Pager,
    links: ListLinks,
    csv_href: String,
    q: String,
    anchors: Vec<Choice>,
    anchor: String,
    filters: Vec<(String, String)>,
    hidden: Vec<(String, String)>,
    saved: SavedFilters,
}

pub async fn lines_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<LineFilter>,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let caller = ctx.caller()?;
    let (errors, lines, total) = match lines(app.store.as_ref(), &caller, &app.ledgers, &p).await {
        Ok((ledger, predicate)) => {
            let (lines, sum) = ledger.page(&p, &predicate);
            (FormErrors::default(), lines, money_of(&ctx).show(sum))
        }
        Err(useit_app::Error::Invalid(errs)) => (
            FormErrors::from_fields(&errs, &[]),
            Page {
                items: vec![],
                total: 0,
                page: 1,
                per_page: 25,
            },
            String::new(),
        ),
        Err(e) => return Err(AppError::from(e).into()),
    };
    let links = ListLinks {
        path: format!("{base}/spend/lines"),
        params: p.pairs(),
        sort: p.sort.clone().unwrap_or_else(|| "paid_on".into()),
        dir: SortDir::parse(p.dir.as_deref()),
    };
    // The figure's filters, named, and kept when the search changes.
    let kept: Vec<(String, String)> = p
        .pairs()
        .into_iter()
        .filter(|(k, v)| !v.is_empty() && k != "q" && k != "anchor")
        .collect();
    let filters = kept
        .iter()
        .map(|(k, v)| {
            // A geography's code ("area_of_benefit") in words.
            let words = format!("anchors.spend.geography.{v}");
            let value = if useit_core::i18n::has(&words) {
                t(&words).to_string()
            } else {
                v.clone()
            };
            (t(&format!("anchors.spend.filter.{k}")).to_string(), value)
        })
        .collect();
    let anchors = anchor_choices(
        &anchors(app.store.as_ref(), &caller).await?,
        "anchors.spend.all_anchors",
    );
    let layout = Layout::new(&app, &ctx, t("anchors.spend.lines.title"), "anchors")
        .await?
        .with_errors(&errors);
    Ok(render_status(
        errors.status(),
        &LinesPage {
            layout,
            csv_href: links.csv_href(&format!("{base}/spend/lines.csv")),
            pager: Pager::new(&lines, &links),
            links,
            errors,
            lines,
            total,
            q: p.q.clone().unwrap_or_default(),
            anchor: p.anchor.clone().unwrap_or_default(),
            anchors,
            filters,
            hidden: kept,
            saved: SavedFilters::load(&app, &ctx, SavedList::SpendLines).await?,
            base,
        },
    )?)
}

pub async fn lines_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<LineFilter>,
) -> Result<Response, PageError> {
    Ok(super::csv::lines_csv(&app, &ctx, &p).await?)
}
