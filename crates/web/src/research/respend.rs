//! A re-spend survey's results as LM3's re-spend inputs: the page shows the
//! staff's and the suppliers' shares the responses give (with how many
//! responses each rests on) beside the shares in the spend settings now,
//! and a button sets them; the spend settings then say where they came
//! from.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::research::respend::{RespendPreview, respend_preview, use_respend};
use useit_core::figures::percent_bp;
use useit_core::i18n::{format_count, t, tf, tn};
use useit_core::research::respend::ShareRange;
use uuid::Uuid;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// One group's row: who, responses, mean, the range, the settings' range.
pub struct GroupRow {
    pub group: String,
    pub responses: String,
    pub mean: String,
    pub range: String,
    pub now: String,
}

#[derive(Template)]
#[template(path = "research/respend.html")]
struct RespendPage {
    layout: Layout,
    back: String,
    action: String,
    settings: String,
    project_title: String,
    survey: String,
    rows: Vec<GroupRow>,
    left_out: String,
    /// Where the settings' shares come from now.
    source_now: String,
    errors: FormErrors,
}

fn range(bp: (i64, i64)) -> String {
    format!("{}–{}", percent_bp(bp.0), percent_bp(bp.1))
}

fn row(key: &str, r: &ShareRange, now: (i64, i64)) -> GroupRow {
    GroupRow {
        group: t(key).into(),
        responses: format_count(r.responses),
        mean: percent_bp(r.mean_bp),
        range: range((r.low_bp, r.high_bp)),
        now: range(now),
    }
}

async fn page_of(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    p: RespendPreview,
) -> Result<Response, AppError> {
    let base = base(ctx)?;
    let slug = ctx.programme()?.slug.clone();
    let (rows, left_out, errors) = match &p.computed {
        Ok(r) => (
            vec![
                row(
                    "research.respend.staff",
                    &r.staff,
                    p.current.staff_respend_bp,
                ),
                row(
                    "research.respend.suppliers",
                    &r.suppliers,
                    p.current.supplier_respend_bp,
                ),
            ],
            if r.left_out > 0 {
                tn("research.respend.left_out", r.left_out)
            } else {
                String::new()
            },
            FormErrors::default(),
        ),
        Err(errs) => (
            Vec::new(),
            String::new(),
            FormErrors::from_fields(errs, &[]),
        ),
    };
    let source_now = match &p.current.source {
        Some(s) => tf("research.respend.source_now", &[("source", &s.citation())]),
        None => t("research.respend.source_typed").into(),
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &RespendPage {
            layout: Layout::new(app, ctx, t("research.respend.title"), "research")
                .await?
                .with_errors(&errors),
            back: format!("{base}/projects/{id}/questionnaire"),
            action: format!("{base}/projects/{id}/respend"),
            settings: format!("/p/{slug}/anchors/settings"),
            project_title: p.project.draft.title.clone(),
            survey: p.survey.clone().unwrap_or_default(),
            rows,
            left_out,
            source_now,
            errors,
        },
    )
}

pub async fn respend_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let p = respend_preview(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(page_of(&app, &ctx, id, p).await?)
}

pub async fn respend_use(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    match use_respend(app.store.as_ref(), &caller, id).await {
        Ok(_) => {
            ctx.flash(t("research.respend.used")).await;
            let slug = ctx.programme()?.slug.clone();
            Ok(Redirect::to(&format!("/p/{slug}/anchors/settings")).into_response())
        }
        Err(useit_app::Error::Invalid(_)) => {
            let p = respend_preview(app.store.as_ref(), &caller, id).await?;
            Ok(page_of(&app, &ctx, id, p).await?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
