//! The suppliers seen in the spend (the review queue is `status=review`),
//! one supplier's page with its candidates, and the decision on who it is.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::anchors::suppliers::{decide, decide_many, supplier, suppliers};
use useit_core::anchors::bulk::{BulkDecision, BulkDecisionInput};
use useit_core::anchors::resolution::{
    SupplierCandidate, SupplierQuery, SupplierRecord, SupplierStatus,
};
use useit_core::auth::Capability;
use useit_core::i18n::{Message, t, tf};
use useit_core::listing::{Page, PageRequest};
use useit_core::programme::saved_filter::SavedList;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::query;
use crate::http::saved_filters::SavedFilters;
use crate::http::views::{Choice, FormErrors, Layout, ListLinks, Pager, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "anchors/suppliers.html")]
struct SuppliersPage {
    layout: Layout,
    base: String,
    suppliers: Page<SupplierRecord>,
    links: ListLinks,
    pager: Pager,
    csv_href: String,
    statuses: Vec<Choice>,
    params: SupplierQuery,
    /// Whether the rows can be ticked and decided at once.
    can_manage: bool,
    errors: FormErrors,
    decisions: Vec<Choice>,
    /// The bulk form as sent (when it comes back with errors).
    bulk: BulkDecisionInput,
    /// This list's query string, so the bulk form comes back to it.
    back: String,
    saved: SavedFilters,
}

impl SuppliersPage {
    fn ticked(&self, key: &str) -> bool {
        self.bulk.suppliers.iter().any(|k| k == key)
    }
}

/// The list's query string as it was asked for, so a bulk decision comes
/// back to the same rows.
fn list_query(p: &SupplierQuery) -> String {
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    query(&[
        ("q", &p.q),
        ("status", &p.status),
        ("sort", &p.sort),
        ("dir", &p.dir),
        ("page", &number(p.page)),
        ("per_page", &number(p.per_page)),
    ])
}

async fn list_view(
    app: &AppState,
    ctx: &Ctx,
    mut p: SupplierQuery,
    errors: FormErrors,
    bulk: BulkDecisionInput,
) -> Result<SuppliersPage, AppError> {
    let base = base(ctx)?;
    // A status the page does not know (an old bookmark) shows them all.
    if p.status().is_err() {
        p.status.clear();
    }
    let selected = suppliers(app.store.as_ref(), &ctx.caller()?, &p).await?;
    let suppliers = Page::of(selected, PageRequest::new(p.page, p.per_page));
    let links = ListLinks {
        path: format!("{base}/suppliers"),
        params: vec![
            ("q".into(), p.q.clone()),
            ("status".into(), p.status.clone()),
        ],
        sort: p.sort().into(),
        dir: p.dir(),
    };
    let pager = Pager::new(&suppliers, &links);
    let mut statuses = vec![Choice::new("", t("anchors.supplier.any_status"))];
    statuses.extend(SupplierStatus::ALL.iter().map(|s| {
        Choice::new(
            s.slug(),
            t(&format!("anchors.supplier.status.{}", s.slug())),
        )
    }));
    let decisions = BulkDecision::ALL
        .iter()
        .map(|d| Choice::new(d.slug(), t(d.label_key())))
        .collect();
    let layout = Layout::new(app, ctx, t("anchors.supplier.list.title"), "anchors")
        .await?
        .with_errors(&errors);
    let back = list_query(&p);
    Ok(SuppliersPage {
        layout,
        csv_href: links.csv_href(&format!("{base}/suppliers.csv")),
        base,
        suppliers,
        pager,
        links,
        statuses,
        params: p,
        can_manage: ctx.can(Capability::ManageSpend),
        errors,
        decisions,
        bulk,
        back,
        saved: SavedFilters::load(app, ctx, SavedList::Suppliers).await?,
    })
}

pub async fn suppliers_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SupplierQuery>,
) -> Result<Response, PageError> {
    let page = list_view(
        &app,
        &ctx,
        p,
        FormErrors::default(),
        BulkDecisionInput::default(),
    )
    .await?;
    Ok(render(&page)?)
}

/// The review queue's bulk action: the ticked suppliers all get the one
/// decision chosen, then the same list (its query kept) is shown again.
pub async fn decide_many_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SupplierQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = BulkDecisionInput {
        decision: pairs
            .iter()
            .find(|(k, _)| k == "decision")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        suppliers: pairs
            .iter()
            .filter(|(k, _)| k == "suppliers")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    match decide_many(app.store.as_ref(), &ctx.caller()?, &input).await {
        Ok(done) => {
            ctx.flash(
                Message::new(done.decision.done_key())
                    .arg("count", done.suppliers.len())
                    .text(),
            )
            .await;
            let back = format!("{}/suppliers{}", base(&ctx)?, list_query(&p));
            Ok(Redirect::to(&back).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = list_view(&app, &ctx, p, errors, input).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

pub async fn suppliers_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SupplierQuery>,
) -> Result<Response, PageError> {
    Ok(super::csv::suppliers_csv(&app, &ctx, &p).await?)
}

#[derive(Template)]
#[template(path = "anchors/supplier.html")]
struct SupplierPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    supplier: SupplierRecord,
    candidates: Vec<SupplierCandidate>,
    can_manage: bool,
    lines_href: String,
}

async fn supplier_view(
    app: &AppState,
    ctx: &Ctx,
    key: &str,
    errors: FormErrors,
) -> Result<SupplierPage, AppError> {
    let (supplier, candidates) = supplier(app.store.as_ref(), &ctx.caller()?, key).await?;
    let base = base(ctx)?;
    let layout = Layout::new(app, ctx, supplier.name.clone(), "anchors")
        .await?
        .with_errors(&errors);
    Ok(SupplierPage {
        layout,
        lines_href: format!("{base}/spend/lines{}", query(&[("supplier", key)])),
        base,
        errors,
        supplier,
        candidates,
        can_manage: ctx.can(Capability::ManageSpend),
    })
}

pub async fn supplier_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    Ok(render(
        &supplier_view(&app, &ctx, &key, FormErrors::default()).await?,
    )?)
}

#[derive(Deserialize)]
pub struct DecideForm {
    organisation: Option<String>,
}

pub async fn decide_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, key)): Path<(String, String)>,
    Form(f): Form<DecideForm>,
) -> Result<Response, PageError> {
    let choice = f.organisation.unwrap_or_default();
    let org = match choice.as_str() {
        "" => {
            let errors = FormErrors::one("organisation", Message::new("anchors.supplier.choose"));
            let page = supplier_view(&app, &ctx, &key, errors).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
        }
        "none" => None,
        id => Some(uuid::Uuid::parse_str(id).map_err(|_| {
            AppError::from(useit_app::Error::invalid(
                "organisation",
                Message::new("anchors.supplier.organisation_unknown"),
            ))
        })?),
    };
    match decide(app.store.as_ref(), &ctx.caller()?, &key, org).await {
        Ok(s) => {
            ctx.flash(tf("anchors.supplier.decided", &[("name", &s.name)]))
                .await;
            Ok(Redirect::to(&format!("{}/suppliers?status=review", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = supplier_view(&app, &ctx, &key, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}
