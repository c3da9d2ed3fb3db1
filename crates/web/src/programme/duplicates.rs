//! Partners entered twice: the pairs that may be one organisation, and the
//! page that merges one into the other.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::programme::duplicates::{Duplicate, duplicates as find_duplicates, merge_partners};
use useit_app::programme::partners::partner;
use useit_core::i18n::{t, tf};
use useit_core::programme::{DuplicatePair, MergeInput, Partner};

use super::view::{partner_id, partners_base};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// A possible duplicate pair, with both partners and its likeness as a
/// percentage.
pub struct PairView {
    pub a: Partner,
    pub b: Partner,
    pub pair: DuplicatePair,
    pub score: String,
}

#[derive(Template)]
#[template(path = "programme/partner_duplicates.html")]
struct DuplicatesPage {
    layout: Layout,
    base: String,
    pairs: Vec<PairView>,
}

pub async fn duplicates(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let pairs = find_duplicates(app.store.as_ref(), &ctx.caller()?)
        .await?
        .into_iter()
        .map(|Duplicate { a, b, pair }| PairView {
            score: useit_core::figures::percent_f64(pair.score * 100.0, 0),
            a,
            b,
            pair,
        })
        .collect();
    let layout = Layout::new(&app, &ctx, t("partners.duplicates.title"), "partners").await?;
    Ok(render(&DuplicatesPage {
        layout,
        base: partners_base(&ctx)?,
        pairs,
    })?)
}

#[derive(Template)]
#[template(path = "programme/partner_merge.html")]
struct MergePage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    a: Partner,
    b: Partner,
}

async fn merge_page(
    app: &AppState,
    ctx: &Ctx,
    id: &str,
    other: &str,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let (a, b) = (partner_id(id)?, partner_id(other)?);
    let caller = ctx.caller()?;
    let a = partner(app.store.as_ref(), &caller, a).await?;
    let b = partner(app.store.as_ref(), &caller, b).await?;
    if a.id == b.id {
        return Err(AppError::NotFound);
    }
    let status = errors.status();
    let layout = Layout::new(app, ctx, t("partners.merge.title"), "partners")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &MergePage {
            layout,
            base: partners_base(ctx)?,
            errors,
            a,
            b,
        },
    )
}

pub async fn merge_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Query(p): Query<MergeInput>,
) -> Result<Response, PageError> {
    Ok(merge_page(&app, &ctx, &id, &p.other, FormErrors::default()).await?)
}

pub async fn merge(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(p): Form<MergeInput>,
) -> Result<Response, PageError> {
    let (a, b) = (partner_id(&id)?, partner_id(&p.other)?);
    let (keep, other) = match p.choice(a, b) {
        Ok(choice) => choice,
        Err(e) => {
            let errors = FormErrors::from_fields(&e.0, &[]);
            return Ok(merge_page(&app, &ctx, &id, &p.other, errors).await?);
        }
    };
    let kept = merge_partners(app.store.as_ref(), &ctx.caller()?, keep, other).await?;
    ctx.flash(tf("partners.merge.done", &[("name", &kept.name)]))
        .await;
    Ok(Redirect::to(&format!("{}/{}", partners_base(&ctx)?, kept.id)).into_response())
}
