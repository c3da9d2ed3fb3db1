//! Loading an organisation register from the browser (issue 14 item 4): a
//! form for the file and its format, the file written to a temporary file
//! as it arrives (never held whole: a national register is gigabytes), then
//! loaded as a background job with the spend imports' own machinery, whose
//! page shows the bytes read and refreshes itself (a `Refresh` header, so it
//! works without JavaScript), then the outcome: what was loaded, or every
//! problem by line and column with nothing written.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::anchors::jobs::{BackgroundRegister, JobEnd, JobView, start_register_load};
use useit_app::anchors::register::RegisterOptions;
use useit_core::anchors::jobs::{ImportJobRecord, JobKind, JobState};
use useit_core::anchors::register::RegisterFormat;
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, format_count, t, tf};

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::SpooledUpload;
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// The largest register file taken: the national Companies House file is
/// about 2.5 GB as published.
pub const REGISTER_MAX_BYTES: usize = 8 << 30;

#[derive(Template)]
#[template(path = "anchors/registers.html")]
struct RegistersPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    formats: Vec<Choice>,
    format: String,
    skip_bad_lines: bool,
    postcode_areas: String,
    /// `applied`, `rejected`, `interrupted` or empty (no load yet).
    state: &'static str,
    summary: String,
    report: Option<Report>,
    /// A recorded job's problems, one per line, as the CLI prints them.
    recorded: Vec<String>,
}

/// What the form was sent with, to show it again.
#[derive(Default)]
struct Sent {
    format: String,
    skip_bad_lines: bool,
    postcode_areas: String,
}

fn formats() -> Vec<Choice> {
    RegisterFormat::ALL
        .into_iter()
        .map(|f| Choice::new(f.slug(), t(&f.label_key())))
        .collect()
}

async fn page(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    sent: Sent,
) -> Result<RegistersPage, AppError> {
    let layout = Layout::new(app, ctx, t("anchors.registers.title"), "anchors")
        .await?
        .with_errors(&errors);
    Ok(RegistersPage {
        layout,
        base: base(ctx)?,
        errors,
        formats: formats(),
        format: if sent.format.is_empty() {
            RegisterFormat::National(useit_core::anchors::registers::RegisterFormat::CompaniesHouse)
                .slug()
                .to_string()
        } else {
            sent.format
        },
        skip_bad_lines: sent.skip_bad_lines,
        postcode_areas: sent.postcode_areas,
        state: "",
        summary: String::new(),
        report: None,
        recorded: Vec::new(),
    })
}

pub async fn registers_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &page(&app, &ctx, FormErrors::default(), Sent::default()).await?,
    )?)
}

/// Takes the file (written to a temporary file as it arrives), starts its
/// load in the background and sends the person to its progress page.
pub async fn registers_upload(
    State(app): State<AppState>,
    ctx: Ctx,
    up: SpooledUpload,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let sent = Sent {
        format: up.field("format").unwrap_or("").trim().to_string(),
        skip_bad_lines: up.field("skip_bad_lines").is_some(),
        postcode_areas: up.field("postcode_areas").unwrap_or("").trim().to_string(),
    };
    let mut errors = FormErrors::default();
    let format = RegisterFormat::parse(&sent.format);
    if format.is_none() {
        errors.push(
            "format",
            Message::new("anchors.registers.choose_format_error"),
        );
    }
    let file = match up.file {
        Some(f) if !up.file_name.is_empty() && !f.is_empty() => Some(f),
        Some(_) if !up.file_name.is_empty() => {
            errors.push("file", Message::new("anchors.register.empty"));
            None
        }
        _ => {
            errors.push("file", Message::new("anchors.registers.choose_file"));
            None
        }
    };
    let (Some(format), Some(file), true) = (format, file, errors.is_empty()) else {
        let page = page(&app, &ctx, errors, sent).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    };
    let id = start_register_load(
        app.store.clone(),
        caller,
        &app.imports,
        BackgroundRegister {
            format,
            file_name: up.file_name,
            file,
            options: RegisterOptions {
                skip_bad_lines: sent.skip_bad_lines,
                postcode_areas: sent
                    .postcode_areas
                    .split([',', ' '])
                    .map(String::from)
                    .collect(),
            },
        },
    )?;
    Ok(Redirect::to(&format!("{}/registers/{id}", base(&ctx)?)).into_response())
}

#[derive(Template)]
#[template(path = "anchors/register_progress.html")]
struct ProgressPage {
    layout: Layout,
    base: String,
    format: String,
    done: u64,
    total: u64,
    /// "12.3 MB of 2,512.0 MB", in the page's language.
    read: String,
    href: String,
}

/// Megabytes with one decimal, for the progress page.
fn megabytes(bytes: u64) -> String {
    let tenths = (bytes + 50_000) / 100_000;
    format!(
        "{}{}{}",
        format_count(tenths / 10),
        useit_core::i18n::decimal_mark(),
        tenths % 10
    )
}

/// A register load's page: its progress while it runs, then its outcome
/// (kept in the database, so a restart does not lose it).
pub async fn register_job(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, job)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = uuid::Uuid::parse_str(&job).map_err(|_| AppError::NotFound)?;
    let view =
        useit_app::anchors::jobs::import_job(app.store.as_ref(), &ctx.caller()?, &app.imports, id)
            .await?;
    let job = match view {
        JobView::Live(job) if job.kind == JobKind::Register => job,
        JobView::Recorded(record) if record.kind == JobKind::Register => {
            return Ok(recorded(&app, &ctx, record).await?);
        }
        // A spend import has its own page.
        _ => return Err(AppError::NotFound.into()),
    };
    let mut p = page(&app, &ctx, FormErrors::default(), Sent::default()).await?;
    match job.end() {
        None => {
            let base = base(&ctx)?;
            let total = job.total.unwrap_or(0);
            let done = job.done().min(total);
            let layout = Layout::new(
                &app,
                &ctx,
                tf(
                    "anchors.registers.progress_title",
                    &[("file", &job.file_name)],
                ),
                "anchors",
            )
            .await?;
            let page = ProgressPage {
                layout,
                href: format!("{base}/registers/{id}"),
                base,
                format: job.anchor.clone(),
                done,
                total,
                read: tf(
                    "anchors.registers.progress_read",
                    &[("done", &megabytes(done)), ("total", &megabytes(total))],
                ),
            };
            let mut res = render(&page)?;
            res.headers_mut()
                .insert("refresh", axum::http::HeaderValue::from_static("2"));
            return Ok(res);
        }
        Some(JobEnd::Registered(i)) => {
            p.state = "applied";
            p.summary = i.outcome.message().text();
            p.report = Some(i.report);
        }
        Some(JobEnd::Rejected(report)) => {
            p.state = "rejected";
            p.errors.push(
                "file",
                match report.file_problem() {
                    Some(pr) => pr.message.clone(),
                    None => Message::new("upload.has_errors").arg("count", report.error_count()),
                },
            );
            p.layout.has_errors = true;
            p.report = Some(report);
        }
        // Why, said in the reader's words (it is logged as it happened).
        Some(JobEnd::Failed(reason)) => {
            p.state = "rejected";
            p.summary = reason.text();
        }
        Some(JobEnd::Imported(_)) => return Err(AppError::NotFound.into()),
    }
    let status = match (p.state, &p.report) {
        ("rejected", Some(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        ("rejected", None) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::OK,
    };
    Ok(render_status(status, &p)?)
}

/// A load this server is not running: it ended (as recorded) or a restart
/// cut it off (nothing was written).
async fn recorded(
    app: &AppState,
    ctx: &Ctx,
    record: ImportJobRecord,
) -> Result<Response, AppError> {
    let mut p = page(app, ctx, FormErrors::default(), Sent::default()).await?;
    // The outcome and the report's problems are kept as catalogue
    // messages, said here in the reader's words; a restart's cut says so.
    p.state = match record.state {
        JobState::Running => "interrupted",
        JobState::Imported => "applied",
        JobState::Rejected | JobState::Failed => "rejected",
    };
    p.summary = record.summary_in_words();
    p.recorded = record.problem_lines_in_words();
    render(&p)
}
