//! Importing a partners CSV on a page: all or nothing, with a dry run, and
//! every problem listed by line and column.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use useit_app::programme::CsvUpload;
use useit_app::programme::partner_csv::import_partners;
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, t, tf};
use useit_core::programme::partner_csv::{self, ImportOutcome};

use super::view::partners_base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "programme/partner_import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    report: Option<Report>,
    /// "", "applied", "dry_run" or "rejected".
    state: &'static str,
    summary: String,
    dry_run: bool,
    columns: &'static [&'static str],
}

/// "3 added, 2 changed, 10 unchanged", or what a dry run would do.
fn outcome_summary(o: &ImportOutcome) -> String {
    let key = if o.applied {
        "import.counts"
    } else {
        "import.would"
    };
    tf(
        key,
        &[
            ("created", &o.created.to_string()),
            ("updated", &o.updated.to_string()),
            ("unchanged", &o.unchanged.to_string()),
        ],
    )
}

/// How an import ended, as the page shows it.
enum Ended {
    Nothing,
    Done(ImportOutcome),
    Rejected,
}

async fn import_page(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    report: Option<Report>,
    ended: Ended,
    dry_run: bool,
) -> Result<ImportPage, AppError> {
    let layout = Layout::new(app, ctx, t("partners.import.title"), "partners")
        .await?
        .with_errors(&errors);
    let (state, summary) = match &ended {
        Ended::Nothing => ("", String::new()),
        Ended::Done(o) if o.applied => ("applied", outcome_summary(o)),
        Ended::Done(o) => ("dry_run", outcome_summary(o)),
        Ended::Rejected => ("rejected", String::new()),
    };
    Ok(ImportPage {
        layout,
        base: partners_base(ctx)?,
        errors,
        report,
        state,
        summary,
        dry_run,
        columns: partner_csv::COLUMNS,
    })
}

pub async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &import_page(
            &app,
            &ctx,
            FormErrors::default(),
            None,
            Ended::Nothing,
            false,
        )
        .await?,
    )?)
}

pub async fn import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    let dry_run = up.field("dry_run").is_some();
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let page = import_page(&app, &ctx, errors, None, Ended::Nothing, dry_run).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    let upload = CsvUpload {
        file_name: &up.file_name,
        bytes: &up.bytes,
        dry_run,
    };
    match import_partners(app.store.as_ref(), &ctx.caller()?, upload).await {
        Ok(imported) => {
            let page = import_page(
                &app,
                &ctx,
                FormErrors::default(),
                Some(imported.report),
                Ended::Done(imported.outcome),
                dry_run,
            )
            .await?;
            Ok(render(&page)?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "file",
                Message::new("upload.has_errors").arg("count", report.errors().count()),
            );
            let page =
                import_page(&app, &ctx, errors, Some(report), Ended::Rejected, dry_run).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
