//! Grants from 360Giving files: the grants held, where each came from
//! (file and line), and a file uploaded; the grants whose recipient the
//! register does not hold are listed after an import, never dropped
//! silently.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use useit_app::Imported;
use useit_app::enterprise::grants::{GrantsImported, grants_held, import_grants};
use useit_core::auth::Capability;
use useit_core::clock::display_date;
use useit_core::csv_import::Report;
use useit_core::enterprise::grants::Grant;
use useit_core::i18n::{Message, format_count, t, tf, tn};
use useit_core::money::format_pence;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct GrantLine {
    pub year: String,
    pub href: String,
    pub recipient: String,
    pub funder: String,
    pub title: String,
    pub awarded: String,
    pub amount: String,
    pub source: String,
}

pub struct UnmatchedLine {
    pub line: String,
    pub recipient: String,
    pub recipient_id: String,
    pub funder: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "enterprise/grants.html")]
struct GrantsPage {
    layout: Layout,
    base: String,
    caption: String,
    lines: Vec<GrantLine>,
    unmatched: Vec<UnmatchedLine>,
    unmatched_caption: String,
    can_edit: bool,
    errors: FormErrors,
    report: Option<Report>,
    state: &'static str,
    summary: String,
}

/// A financial year as people write it: 2014–15.
pub fn year_text(year: i32) -> String {
    format!("{}–{:02}", year, (year + 1) % 100)
}

fn unmatched_line(g: &Grant) -> UnmatchedLine {
    UnmatchedLine {
        line: format_count(g.line),
        recipient: g.recipient_name.clone(),
        recipient_id: g.recipient_id.clone().unwrap_or_default(),
        funder: g.funder.clone(),
        amount: format_pence(g.amount),
    }
}

async fn grants_view(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    report: Option<Report>,
    outcome: Option<GrantsImported>,
) -> Result<GrantsPage, AppError> {
    let base = base(ctx)?;
    let held = grants_held(app.store.as_ref(), &ctx.caller()?, None).await?;
    let rejected = report.as_ref().is_some_and(|r| r.has_errors());
    let unmatched: Vec<UnmatchedLine> = outcome
        .as_ref()
        .map(|o| o.unmatched.iter().map(unmatched_line).collect())
        .unwrap_or_default();
    Ok(GrantsPage {
        layout: Layout::new(app, ctx, t("enterprise.grants.title"), "enterprise")
            .await?
            .with_errors(&errors),
        caption: tn("enterprise.grants.caption", held.len() as u64),
        lines: held
            .iter()
            .map(|r| GrantLine {
                year: year_text(r.grant.year()),
                href: format!("{base}/enterprises/{}", r.organisation),
                recipient: r.grant.recipient_name.clone(),
                funder: r.grant.funder.clone(),
                title: r.grant.title.clone(),
                awarded: display_date(r.grant.awarded_on),
                amount: format_pence(r.grant.amount),
                source: tf(
                    "enterprise.grants.source",
                    &[
                        ("file", &r.source),
                        ("line", &format_count(r.grant.line)),
                        ("id", &r.grant.identifier),
                    ],
                ),
            })
            .collect(),
        unmatched_caption: tn(
            "enterprise.grants.unmatched_caption",
            unmatched.len() as u64,
        ),
        unmatched,
        can_edit: ctx.can(Capability::EditEnterprises),
        errors,
        report,
        state: match (&outcome, rejected) {
            (_, true) => "rejected",
            (Some(_), false) => "applied",
            (None, false) => "",
        },
        summary: outcome
            .as_ref()
            .map(GrantsImported::summary)
            .unwrap_or_default(),
        base,
    })
}

pub async fn grants_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &grants_view(&app, &ctx, FormErrors::default(), None, None).await?,
    )?)
}

pub async fn grants_import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("enterprise.grants.choose_file"));
        let page = grants_view(&app, &ctx, errors, None, None).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    let caller = ctx.caller()?;
    match import_grants(
        app.store.as_ref(),
        &caller,
        &up.file_name,
        &up.bytes,
        &|_, _| {},
    )
    .await
    {
        Ok(Imported { outcome, report }) => {
            let page = grants_view(
                &app,
                &ctx,
                FormErrors::default(),
                Some(report),
                Some(outcome),
            )
            .await?;
            Ok(render(&page)?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "file",
                Message::new("upload.has_errors").arg("count", report.errors().count()),
            );
            let page = grants_view(&app, &ctx, errors, Some(report), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
