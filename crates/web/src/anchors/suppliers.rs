//! The suppliers seen in the spend (the review queue is `status=review`),
//! one supplier's page with its candidates, and the decision on who it is.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::anchors::suppliers::{
    RegisterFound, decide, decide_many, search_register, supplier, suppliers,
};
use useit_core::anchors::bulk::{BulkDecision, BulkDecisionInput};
use useit_core::anchors::register_search::{REGISTER_SEARCH_LIMIT, RegisterSearchInput};
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
    /// The register search as typed (`q`), and what it found.
    q: String,
    found: Option<FoundView>,
}

/// A register search's results as the page says them.
struct FoundView {
    heading: String,
    /// "Only the first 25 are shown", when the register holds more.
    more: Option<String>,
    rows: Vec<FoundRow>,
}

struct FoundRow {
    id: String,
    name: String,
    /// Org-id, numbers, legal form, registered office and its area.
    facts: String,
}

fn found_view(found: RegisterFound) -> FoundView {
    let text = found.search.text.clone();
    let heading = if found.matches.is_empty() {
        Message::new("anchors.register_search.none").arg("text", &text)
    } else {
        Message::new("anchors.register_search.found")
            .arg("count", found.matches.len())
            .arg("text", &text)
    }
    .text();
    let rows = found
        .matches
        .into_iter()
        .map(|m| {
            let o = m.organisation;
            let mut facts = Vec::new();
            // The org-id where no number says who it is, unless it is one
            // this application made up (it means nothing to a person).
            if o.company_number.is_none()
                && o.details.charity_number.is_none()
                && !o.org_id.starts_with("GB-USEIT-")
            {
                facts.push(o.org_id.clone());
            }
            if let Some(n) = &o.company_number {
                facts.push(tf(
                    "anchors.register_search.company_number",
                    &[("number", n.as_str())],
                ));
            }
            if let Some(n) = &o.details.charity_number {
                facts.push(tf(
                    "anchors.register_search.charity_number",
                    &[("number", n.as_str())],
                ));
            }
            if let Some(f) = &o.details.legal_form {
                facts.push(t(&format!("anchors.register.legal_form.{f}")).to_string());
            }
            let postcode = o.postcode.as_deref().map(useit_core::words::postcode);
            match (&postcode, &m.area) {
                (Some(p), Some(area)) => facts.push(tf(
                    "anchors.register_search.registered_in",
                    &[("postcode", p.as_str()), ("area", area.as_str())],
                )),
                (Some(p), None) => facts.push(tf(
                    "anchors.supplier.registered",
                    &[("postcode", p.as_str())],
                )),
                (None, _) => facts.push(t("anchors.register_search.no_postcode").to_string()),
            }
            FoundRow {
                id: o.id.to_string(),
                name: o.name,
                facts: facts.join(" · "),
            }
        })
        .collect();
    FoundView {
        heading,
        more: found.more.then(|| {
            Message::new("anchors.register_search.more")
                .arg("count", REGISTER_SEARCH_LIMIT)
                .text()
        }),
        rows,
    }
}

/// The supplier page's query: a register search.
#[derive(Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
}

async fn supplier_view(
    app: &AppState,
    ctx: &Ctx,
    key: &str,
    mut errors: FormErrors,
    search: SearchQuery,
) -> Result<SupplierPage, AppError> {
    let (supplier, candidates) = supplier(app.store.as_ref(), &ctx.caller()?, key).await?;
    let base = base(ctx)?;
    let can_manage = ctx.can(Capability::ManageSpend);
    // The search is there to pick who the supplier is: for those who decide.
    let mut found = None;
    if let (true, Some(q)) = (can_manage, &search.q) {
        let input = RegisterSearchInput { q: q.clone() };
        match search_register(app.store.as_ref(), &ctx.caller()?, &input).await {
            Ok(f) => found = Some(found_view(f)),
            Err(e) => errors
                .items
                .extend(FormErrors::from_error(e.into(), &[])?.items),
        }
    }
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
        can_manage,
        q: search.q.unwrap_or_default(),
        found,
    })
}

pub async fn supplier_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, key)): Path<(String, String)>,
    Query(search): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let bad_search = search.q.is_some();
    let page = supplier_view(&app, &ctx, &key, FormErrors::default(), search).await?;
    if bad_search && !page.errors.items.is_empty() {
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    Ok(render(&page)?)
}

#[derive(Deserialize)]
pub struct DecideForm {
    organisation: Option<String>,
}

/// A decision from the candidates or from the register search's results
/// (the search's `q` comes back in the address, so a form with errors
/// shows the same results again).
pub async fn decide_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, key)): Path<(String, String)>,
    Query(search): Query<SearchQuery>,
    Form(f): Form<DecideForm>,
) -> Result<Response, PageError> {
    let choice = f.organisation.unwrap_or_default();
    let org = match choice.as_str() {
        "" => {
            let errors = FormErrors::one("organisation", Message::new("anchors.supplier.choose"));
            let page = supplier_view(&app, &ctx, &key, errors, search).await?;
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
            let page = supplier_view(&app, &ctx, &key, errors, search).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}
