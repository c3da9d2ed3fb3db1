//! Setting roles from a members CSV on a page: all or nothing, with a dry
//! run; every problem listed by line and column.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use useit_app::programme::CsvUpload;
use useit_app::programme::member_csv::import_members;
use useit_core::auth::member_csv::MemberImportOutcome;
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, format_count, t, tf, tn};

use super::view::members_base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::views::{FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "programme/member_import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    report: Option<Report>,
    summary: String,
    state: &'static str,
}

async fn import_page(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    errors: FormErrors,
    report: Option<Report>,
    (state, summary): (&'static str, String),
) -> Result<Response, AppError> {
    let layout = Layout::new(app, ctx, t("members.import.title"), "members")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &ImportPage {
            layout,
            base: members_base(ctx)?,
            errors,
            report,
            summary,
            state,
        },
    )
}

pub async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let nothing = ("", String::new());
    Ok(import_page(
        &app,
        &ctx,
        StatusCode::OK,
        FormErrors::default(),
        None,
        nothing,
    )
    .await?)
}

/// "2 roles changed, 5 already right", or what a dry run would do, with
/// the plural the count needs.
fn summary(o: &MemberImportOutcome) -> String {
    let key = if o.applied {
        "members.import.counts"
    } else {
        "members.import.would"
    };
    tf(
        key,
        &[
            ("changed", &tn("members.import.roles", o.changed)),
            ("unchanged", &format_count(o.unchanged)),
        ],
    )
}

pub async fn import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    if up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let nothing = ("", String::new());
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(import_page(&app, &ctx, status, errors, None, nothing).await?);
    }
    let upload = CsvUpload {
        file_name: &up.file_name,
        bytes: &up.bytes,
        dry_run: up.field("dry_run").is_some(),
    };
    let page = match import_members(app.store.as_ref(), &ctx.caller()?, upload).await {
        Ok(imported) => {
            let state = if imported.outcome.applied {
                "applied"
            } else {
                "dry_run"
            };
            let ended = (state, summary(&imported.outcome));
            let (status, errors) = (StatusCode::OK, FormErrors::default());
            import_page(&app, &ctx, status, errors, Some(imported.report), ended).await?
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "file",
                Message::new("upload.has_errors").arg("count", report.errors().count()),
            );
            let ended = ("rejected", String::new());
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            import_page(&app, &ctx, status, errors, Some(report), ended).await?
        }
        Err(e) => return Err(AppError::from(e).into()),
    };
    Ok(page)
}
