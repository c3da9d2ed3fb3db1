//! Importing spend files from the browser: the form, the import (small
//! files at once, large ones in the background) and the progress page,
//! which refreshes itself with a `Refresh` header so it works without
//! JavaScript.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use time::Date;
use useit_app::anchors::anchor::anchors;
use useit_app::anchors::import::{columns_to_confirm, inspect_spend_file};
use useit_app::anchors::jobs::{
    BackgroundUpload, HeldUpload, JobEnd, JobView, goes_to_background, start_import,
};
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_core::anchors::import::ImportOptions;
use useit_core::anchors::jobs::{ImportJobRecord, JobKind, JobState};
use useit_core::anchors::ledger::ImportOutcome;
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, t, tf};

use super::columns;
use super::view::{anchor_choices, base};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "anchors/import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    anchors: Vec<Choice>,
    anchor: String,
    report: Option<Report>,
    state: &'static str,
    summary: String,
    skip_bad_lines: bool,
    undated: String,
    /// Several files sent at once: each one's outcome, in the order sent.
    files: Vec<FileResult>,
}

/// One file of several sent at once, and what became of it.
pub struct FileResult {
    pub state: &'static str,
    pub summary: String,
    pub report: Option<Report>,
}

/// What the form was sent with, to show it again.
#[derive(Default)]
pub struct Sent {
    pub anchor: String,
    pub skip_bad_lines: bool,
    pub undated: String,
}

async fn import_page(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    sent: Sent,
    result: Option<(Report, Option<ImportOutcome>)>,
) -> Result<ImportPage, AppError> {
    let list = anchors(app.store.as_ref(), &ctx.caller()?).await?;
    let (report, state, summary) = match result {
        None => (None, "", String::new()),
        Some((r, Some(o))) => (Some(r), "applied", o.message().text()),
        Some((r, None)) => (Some(r), "rejected", String::new()),
    };
    let layout = Layout::new(app, ctx, t("anchors.spend.import.title"), "anchors")
        .await?
        .with_errors(&errors);
    Ok(ImportPage {
        layout,
        base: base(ctx)?,
        errors,
        anchors: anchor_choices(&list, "anchors.spend.import.choose_anchor"),
        anchor: sent.anchor,
        report,
        state,
        summary,
        skip_bad_lines: sent.skip_bad_lines,
        undated: sent.undated,
        files: Vec::new(),
    })
}

pub async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &import_page(&app, &ctx, FormErrors::default(), Sent::default(), None).await?,
    )?)
}

/// The import form again with `errors` (a held upload that was forgotten).
pub async fn form_with(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let page = import_page(app, ctx, errors, Sent::default(), None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// The page after an import: its report, and why nothing was written if so.
async fn outcome_page(
    app: &AppState,
    ctx: &Ctx,
    sent: Sent,
    end: Result<(Report, ImportOutcome), Report>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let result = match end {
        Ok((report, o)) => (report, Some(o)),
        Err(report) => {
            errors.push(
                "file",
                match report.file_problem() {
                    Some(p) => p.message.clone(),
                    None => Message::new("upload.has_errors").arg("count", report.error_count()),
                },
            );
            (report, None)
        }
    };
    let page = import_page(app, ctx, errors, sent, Some(result)).await?;
    let status = if page.state == "rejected" {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(status, &page)
}

pub async fn import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let sent = Sent {
        anchor: up.field("anchor").unwrap_or("").to_string(),
        skip_bad_lines: up.field("skip_bad_lines").is_some(),
        undated: up
            .field("undated_lines_on")
            .unwrap_or("")
            .trim()
            .to_string(),
    };
    let mut errors = FormErrors::default();
    let anchor = anchors(app.store.as_ref(), &caller)
        .await?
        .into_iter()
        .find(|a| a.slug == sent.anchor);
    if anchor.is_none() {
        errors.push(
            "anchor",
            Message::new("anchors.spend.import.choose_anchor_error"),
        );
    }
    // An empty file that was chosen is read, and said to be empty.
    if up.file_name.is_empty() {
        errors.push("file", Message::new("upload.choose_file"));
    }
    let undated_lines_on = match sent.undated.as_str() {
        "" => None,
        s => match Date::parse(s, &time::format_description::well_known::Iso8601::DATE) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(
                    "undated_lines_on",
                    Message::new("validation.date").arg("value", s),
                );
                None
            }
        },
    };
    let (Some(anchor), true) = (anchor, errors.is_empty()) else {
        let page = import_page(&app, &ctx, errors, sent, None).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    };
    let options = ImportOptions {
        skip_bad_lines: sent.skip_bad_lines,
        undated_lines_on,
    };
    // Several files (a year's months): each imported in turn, each with its
    // own report, for the one anchor chosen.
    let more: Vec<(String, Vec<u8>)> = up.more.into_iter().filter(|f| !f.0.is_empty()).collect();
    if !more.is_empty() {
        let all = std::iter::once((up.file_name, up.bytes)).chain(more);
        return Ok(import_each(&app, &ctx, &anchor.slug, all, options, sent).await?);
    }
    // Columns the reader is not sure of (judged from the first rows) are
    // shown to the person first; the upload waits for them (it is imported
    // once they confirm). Only then is the whole file inspected, for the page.
    if columns_to_confirm(app.store.as_ref(), &caller, &anchor.slug, &up.bytes).await?
        && let Ok((inspection, _)) = inspect_spend_file(
            app.store.as_ref(),
            &caller,
            &anchor.slug,
            &up.file_name,
            &up.bytes,
            None,
        )
        .await
    {
        let held = app.imports.hold(HeldUpload {
            programme: caller.programme,
            anchor: anchor.slug.clone(),
            file_name: up.file_name.clone(),
            bytes: up.bytes,
            options,
        });
        let page = columns::page(
            &app,
            &ctx,
            &anchor,
            held,
            &up.file_name,
            &inspection,
            FormErrors::default(),
        )
        .await?;
        return Ok(render(&page)?);
    }
    let held = HeldUpload {
        programme: caller.programme,
        anchor: anchor.slug,
        file_name: up.file_name,
        bytes: up.bytes,
        options,
    };
    Ok(run_import(&app, &ctx, held, &anchor.name, sent).await?)
}

/// Imports an upload: a large file in the background (the answer is its
/// progress page), a small one at once (the answer is its report).
pub async fn run_import(
    app: &AppState,
    ctx: &Ctx,
    upload: HeldUpload,
    anchor_name: &str,
    sent: Sent,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    if goes_to_background(&upload.bytes) {
        // A large file: import it in the background and show its progress.
        let id = start_import(
            app.store.clone(),
            caller,
            &app.imports,
            BackgroundUpload {
                anchor: upload.anchor,
                anchor_name: anchor_name.to_string(),
                file_name: upload.file_name,
                bytes: upload.bytes,
                options: upload.options,
            },
        );
        return Ok(Redirect::to(&format!("{}/import/{id}", base(ctx)?)).into_response());
    }
    let spend = SpendUpload {
        anchor: &upload.anchor,
        file_name: &upload.file_name,
        bytes: &upload.bytes,
        options: upload.options,
    };
    let end = match import_spend_file(app.store.as_ref(), &caller, spend, &|_| {}).await {
        Ok(i) => Ok((i.report, i.outcome)),
        Err(useit_app::Error::Rejected(report)) => Err(report),
        Err(e) => return Err(e.into()),
    };
    outcome_page(app, ctx, sent, end).await
}

/// Imports several files for one anchor, one after the other (each its own
/// transaction: a bad file stops only itself), and shows every report.
async fn import_each(
    app: &AppState,
    ctx: &Ctx,
    anchor: &str,
    files: impl Iterator<Item = (String, Vec<u8>)>,
    options: ImportOptions,
    sent: Sent,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let mut results = Vec::new();
    for (name, bytes) in files {
        let spend = SpendUpload {
            anchor,
            file_name: &name,
            bytes: &bytes,
            options: options.clone(),
        };
        results.push(
            match import_spend_file(app.store.as_ref(), &caller, spend, &|_| {}).await {
                Ok(i) => FileResult {
                    state: "applied",
                    summary: tf(
                        "anchors.spend.import.file_summary",
                        &[("file", &name), ("summary", &i.outcome.message().text())],
                    ),
                    report: Some(i.report),
                },
                Err(useit_app::Error::Rejected(report)) => FileResult {
                    state: "rejected",
                    summary: tf(
                        "anchors.spend.import.file_summary",
                        &[
                            ("file", &name),
                            (
                                "summary",
                                &match report.file_problem() {
                                    Some(p) => p.message.text(),
                                    None => Message::new("upload.has_errors")
                                        .arg("count", report.error_count())
                                        .text(),
                                },
                            ),
                        ],
                    ),
                    report: Some(report),
                },
                Err(e) => return Err(e.into()),
            },
        );
    }
    let rejected = results.iter().any(|r| r.state == "rejected");
    let mut page = import_page(app, ctx, FormErrors::default(), sent, None).await?;
    page.files = results;
    let status = if rejected {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(status, &page)
}

#[derive(Template)]
#[template(path = "anchors/import_progress.html")]
struct ProgressPage {
    layout: Layout,
    base: String,
    anchor: String,
    done: u64,
    /// `None` for a workbook: the page says "working" without a number.
    total: Option<u64>,
    href: String,
}

pub async fn import_job(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, job)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = uuid::Uuid::parse_str(&job).map_err(|_| AppError::NotFound)?;
    let job = match useit_app::anchors::jobs::import_job(
        app.store.as_ref(),
        &ctx.caller()?,
        &app.imports,
        id,
    )
    .await?
    {
        // A register load has its own page.
        JobView::Live(job) if job.kind == JobKind::Register => {
            return Err(AppError::NotFound.into());
        }
        JobView::Recorded(record) if record.kind == JobKind::Register => {
            return Err(AppError::NotFound.into());
        }
        JobView::Live(job) => job,
        JobView::Recorded(record) => return Ok(recorded_page(&app, &ctx, record).await?),
    };
    let base = base(&ctx)?;
    let end = match job.end() {
        None => {
            let layout = Layout::new(
                &app,
                &ctx,
                tf(
                    "anchors.spend.import.progress_title",
                    &[("file", &job.file_name)],
                ),
                "anchors",
            )
            .await?;
            let page = ProgressPage {
                layout,
                href: format!("{base}/import/{id}"),
                base,
                anchor: job.anchor.clone(),
                done: job.total.map_or(job.done(), |t| job.done().min(t)),
                total: job.total,
            };
            let mut res = render(&page)?;
            res.headers_mut()
                .insert("refresh", axum::http::HeaderValue::from_static("2"));
            return Ok(res);
        }
        // Why, said in the reader's words (it is logged as it happened).
        Some(JobEnd::Failed(reason)) => {
            let ended = ("rejected", reason.text(), Vec::new());
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            return Ok(job_page(&app, &ctx, &job.file_name, ended, status).await?);
        }
        Some(JobEnd::Rejected(report)) => Err(report),
        Some(JobEnd::Imported(i)) => Ok((i.report, i.outcome)),
        Some(JobEnd::Registered(_)) => return Err(AppError::NotFound.into()),
    };
    Ok(outcome_page(&app, &ctx, Sent::default(), end).await?)
}

#[derive(Template)]
#[template(path = "anchors/import_recorded.html")]
struct RecordedPage {
    layout: Layout,
    base: String,
    state: &'static str,
    heading: String,
    summary: String,
    problems: Vec<String>,
}

/// A job this server is not running: it ended (its outcome as recorded)
/// or a restart cut it off (nothing was written).
async fn recorded_page(
    app: &AppState,
    ctx: &Ctx,
    record: ImportJobRecord,
) -> Result<Response, AppError> {
    // The outcome and the report's problems are kept as catalogue
    // messages, said here in the reader's words; a restart's cut says so.
    let state = match record.state {
        JobState::Running => "interrupted",
        JobState::Imported => "applied",
        JobState::Rejected | JobState::Failed => "rejected",
    };
    let ended = (
        state,
        record.summary_in_words(),
        record.problem_lines_in_words(),
    );
    job_page(app, ctx, &record.file_name, ended, StatusCode::OK).await
}

/// The page of an ended job: its state, what it did or why nothing was
/// written, and its report's problems, in the reader's words.
async fn job_page(
    app: &AppState,
    ctx: &Ctx,
    file_name: &str,
    (state, summary, problems): (&'static str, String, Vec<String>),
    status: StatusCode,
) -> Result<Response, AppError> {
    let heading = tf(
        "anchors.spend.import.recorded_title",
        &[("file", file_name)],
    );
    let layout = Layout::new(app, ctx, heading.clone(), "anchors").await?;
    let page = RecordedPage {
        layout,
        base: base(ctx)?,
        state,
        heading,
        summary,
        problems,
    };
    render_status(status, &page)
}
