//! Organisations entered twice: the likely pairs, the page that compares
//! two and merges one into the other (a confirm step, no JavaScript), and
//! saying a pair is not one organisation.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::enterprise::merge::{
    Duplicate, duplicates_page as duplicates_page_of, merge, not_duplicate, pair,
};
use useit_core::auth::Capability;
use useit_core::enterprise::duplicates::{DuplicateReason, MergeCounts, Merged};
use useit_core::enterprise::profile::Enterprise;
use useit_core::i18n::{Message, format_count, t, tf, tn};
use useit_core::listing::{PageRequest, SortDir};
use uuid::Uuid;

use super::view::{base, legal_form_name, services_text};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::route::{Access, Route, page};
use crate::http::views::{FormErrors, Layout, ListLinks, Pager, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let edit = Access::Programme(Capability::EditEnterprises);
    vec![
        page(
            Method::GET,
            "/p/{programme}/enterprise/duplicates",
            edit,
            duplicates_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/enterprise/enterprises/{organisation_id}/merge",
            edit,
            merge_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/enterprises/{organisation_id}/merge",
            edit,
            merge_post,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/enterprises/{organisation_id}/not-duplicate",
            edit,
            not_duplicate_post,
        ),
    ]
}

/// A pair as the list shows it.
pub struct PairLine {
    pub keep: Enterprise,
    pub other: Enterprise,
    pub why: String,
}

fn why(reasons: &[DuplicateReason]) -> String {
    reasons
        .iter()
        .map(|r| t(r.label_key()).to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Template)]
#[template(path = "enterprise/duplicates.html")]
struct DuplicatesPage {
    layout: Layout,
    base: String,
    caption: String,
    pairs: Vec<PairLine>,
    total: u64,
    pager: Pager,
}

/// Which page of the pairs.
#[derive(Deserialize, Default)]
pub struct PairsQuery {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

pub async fn duplicates_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PairsQuery>,
) -> Result<Response, PageError> {
    let page = duplicates_page_of(
        app.store.as_ref(),
        &ctx.caller()?,
        &app.ledgers,
        PageRequest::new(q.page, q.per_page),
    )
    .await?;
    let base = base(&ctx)?;
    let links = ListLinks {
        path: format!("{base}/duplicates"),
        params: Vec::new(),
        sort: String::new(),
        dir: SortDir::Asc,
    };
    let pager = Pager::new(&page, &links);
    let pairs: Vec<PairLine> = page
        .items
        .into_iter()
        .map(
            |Duplicate {
                 keep,
                 other,
                 reasons,
             }| PairLine {
                why: why(&reasons),
                keep,
                other,
            },
        )
        .collect();
    let layout = Layout::new(&app, &ctx, t("enterprise.duplicates.title"), "enterprise").await?;
    Ok(render(&DuplicatesPage {
        layout,
        base,
        caption: tn("enterprise.duplicates.caption", page.total),
        pairs,
        total: page.total,
        pager,
    })?)
}

/// One row of the side-by-side comparison.
pub struct Compare {
    pub field: String,
    pub a: String,
    pub b: String,
}

fn compare(a: &Enterprise, b: &Enterprise) -> Vec<Compare> {
    let or_none = |v: Option<&str>| {
        v.map(str::to_string)
            .unwrap_or_else(|| t("enterprise.not_known").to_string())
    };
    let row = |key: &str, f: &dyn Fn(&Enterprise) -> String| Compare {
        field: t(key).to_string(),
        a: f(a),
        b: f(b),
    };
    vec![
        row("enterprise.duplicates.field.org_id", &|e: &Enterprise| {
            e.org_id.clone()
        }),
        row("enterprise.duplicates.field.kind", &|e: &Enterprise| {
            t(&format!("anchors.supplier.kind.{}", e.kind.slug())).to_string()
        }),
        row("enterprise.col.legal_form", &legal_form_name),
        row(
            "enterprise.duplicates.field.company_number",
            &|e: &Enterprise| or_none(e.company_number.as_deref()),
        ),
        row(
            "enterprise.duplicates.field.charity_number",
            &|e: &Enterprise| or_none(e.charity_number.as_deref()),
        ),
        row("enterprise.duplicates.field.postcode", &|e: &Enterprise| {
            // Registers store postcodes without their space.
            or_none(
                e.postcode
                    .as_deref()
                    .map(useit_core::words::postcode)
                    .as_deref(),
            )
        }),
        row("enterprise.col.services", &|e: &Enterprise| {
            e.profile
                .as_ref()
                .map(|p| services_text(&p.services))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| t("enterprise.not_known").to_string())
        }),
    ]
}

#[derive(Template)]
#[template(path = "enterprise/merge.html")]
struct MergePage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    a: Enterprise,
    b: Enterprise,
    why: String,
    rows: Vec<Compare>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MergeForm {
    /// The other organisation of the pair.
    pub other: String,
    /// Which of the two stays.
    pub keep: String,
}

fn id(s: &str) -> Result<Uuid, AppError> {
    s.trim().parse().map_err(|_| AppError::NotFound)
}

async fn merge_view(
    app: &AppState,
    ctx: &Ctx,
    this: &str,
    other: &str,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = pair(app.store.as_ref(), &ctx.caller()?, id(this)?, id(other)?).await?;
    let status = errors.status();
    let layout = Layout::new(app, ctx, t("enterprise.merge.title"), "enterprise")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &MergePage {
            layout,
            base: base(ctx)?,
            errors,
            why: why(&p.reasons),
            rows: compare(&p.keep, &p.other),
            a: p.keep,
            b: p.other,
        },
    )
}

pub async fn merge_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, this)): Path<(String, String)>,
    Query(f): Query<MergeForm>,
) -> Result<Response, PageError> {
    Ok(merge_view(&app, &ctx, &this, &f.other, FormErrors::default()).await?)
}

fn moved(c: &MergeCounts) -> String {
    tf(
        "enterprise.merge.moved",
        &[
            ("suppliers", &format_count(c.suppliers)),
            ("support", &format_count(c.support)),
            ("income", &format_count(c.income_years)),
            ("grants", &format_count(c.grants)),
            ("other", &format_count(c.other_links())),
        ],
    )
}

pub async fn merge_post(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, this)): Path<(String, String)>,
    Form(f): Form<MergeForm>,
) -> Result<Response, PageError> {
    let (a, b) = (id(&this)?, id(&f.other)?);
    let keep = f.keep.trim();
    let (keep, other) = if keep == a.to_string() {
        (a, b)
    } else if keep == b.to_string() {
        (b, a)
    } else {
        let errors = FormErrors::one("keep", Message::new("enterprise.merge.choose"));
        return Ok(merge_view(&app, &ctx, &this, &f.other, errors).await?);
    };
    let caller = ctx.caller()?;
    let kept_name = pair(app.store.as_ref(), &caller, keep, other)
        .await
        .map(|p| p.keep.name)
        .ok();
    let message = match merge(app.store.as_ref(), &caller, keep, other).await? {
        Merged::Merged { counts } => format!(
            "{} {}",
            tf(
                "enterprise.merge.done",
                &[("name", kept_name.as_deref().unwrap_or_default())]
            ),
            moved(&counts)
        ),
        Merged::AlreadyMerged { record } => {
            tf("enterprise.merge.already", &[("name", &record.merged_name)])
        }
    };
    ctx.flash(message).await;
    Ok(Redirect::to(&format!("{}/enterprises/{keep}", base(&ctx)?)).into_response())
}

pub async fn not_duplicate_post(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, this)): Path<(String, String)>,
    Form(f): Form<MergeForm>,
) -> Result<Response, PageError> {
    let (a, b) = (id(&this)?, id(&f.other)?);
    let new = not_duplicate(app.store.as_ref(), &ctx.caller()?, a, b).await?;
    ctx.flash(
        t(if new {
            "enterprise.duplicates.dismissed"
        } else {
            "enterprise.duplicates.dismissed_before"
        })
        .to_string(),
    )
    .await;
    Ok(Redirect::to(&format!("{}/duplicates", base(&ctx)?)).into_response())
}
