//! Loading an organisation register through the API: the body is written to
//! a temporary file as it arrives (never held whole); a small file loads in
//! the request (200), a large one, or any with `Prefer: respond-async`, in
//! the background with the spend imports' job machinery (202, its status
//! address in `Location`), whose status says the bytes read and, at the
//! end, what was loaded or every problem by line and column.

use std::sync::Arc;

use axum::Json;
use axum::body::{Body, HttpBody};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::Imported;
use useit_app::anchors::jobs::{
    BACKGROUND_REGISTER_BYTES, BackgroundRegister, JobEnd, JobView, import_job, start_register_load,
};
use useit_app::anchors::register::{
    self, RegisterLoaded, RegisterOptions, RegisterUpload, SpooledFile,
};
use useit_core::anchors::jobs::{JobKind, JobState};
use useit_core::anchors::register::RegisterFormat;
use useit_core::clock;
use useit_core::i18n::{Message, t};
use useit_core::validation::FieldError;
use utoipa::{IntoParams, ToSchema};

use crate::anchors::registers::REGISTER_MAX_BYTES;
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, ProblemLine, problem_lines};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// The file's name, for the report.
    pub file_name: Option<String>,
    /// `useit` (the default: org_id, name, kind, company_number, postcode,
    /// trading_postcode, and lat and lon where no postcode places it),
    /// `nhs-ods`, `charity-lookup`, `companies-house`, `charity-commission`,
    /// `charity-commission-json` or `links` (charity↔company and mutual
    /// society lookups: joins the two records of one organisation held in
    /// both registers, and gives the organisations it reaches the legal form
    /// the link shows).
    pub format: Option<String>,
    /// Load the good rows of a file with bad ones, listing what was refused.
    #[serde(default)]
    pub skip_bad_lines: bool,
    /// Postcode areas or districts, comma-separated, whose organisations a
    /// national register keeps besides those of the anchors' sites.
    pub postcode_areas: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterJson {
    pub entries: u64,
    pub new: u64,
    /// Rows of a national register left out as of no use to the programme.
    pub left_out: u64,
    /// Suppliers waiting for a match that were resolved again.
    pub rechecked: u64,
    /// A links file's pairs held in both registers, joined as one organisation.
    pub joined: u64,
    /// Organisations a links file gave the legal form and kind it shows.
    pub marked: u64,
    /// Warnings and, with skip_bad_lines, the refused rows.
    pub problems: Vec<ProblemLine>,
}

impl RegisterJson {
    fn new(loaded: &Imported<RegisterLoaded>) -> RegisterJson {
        let o = loaded.outcome;
        RegisterJson {
            entries: o.entries,
            new: o.new,
            left_out: o.left_out,
            rechecked: o.rechecked,
            joined: o.joined,
            marked: o.marked,
            problems: problem_lines(&loaded.report),
        }
    }
}

/// A register load in the background, as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct RegisterJobJson {
    pub id: String,
    /// The register's format in words.
    pub format: String,
    pub file: String,
    /// `running`, `imported`, `rejected` (the file had errors: nothing was
    /// written) or `failed` (nothing was written).
    pub state: String,
    /// Bytes of the file read so far while it runs.
    pub bytes_done: Option<u64>,
    /// The file's size in bytes.
    pub bytes_total: u64,
    /// The outcome in words, once it has ended.
    pub summary: Option<String>,
    /// What was loaded, while this server still holds the details.
    pub result: Option<RegisterJson>,
    /// The report's problems (errors when rejected, warnings otherwise).
    pub problems: Vec<ProblemLine>,
    /// When it ended (RFC 3339).
    pub ended_at: Option<String>,
}

/// The request body written to a temporary file as it arrives; refused
/// past [`REGISTER_MAX_BYTES`].
async fn spool(body: Body) -> Result<SpooledFile, AppError> {
    let (file, mut writer) = SpooledFile::create().map_err(AppError::internal)?;
    let mut body = body;
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let frame = frame.map_err(|e| {
            AppError::BadRequest(Message::new("upload.unreadable").arg("reason", e))
        })?;
        if let Ok(data) = frame.into_data() {
            if writer.written() + data.len() as u64 > REGISTER_MAX_BYTES as u64 {
                return Err(AppError::PayloadTooLarge);
            }
            writer.write(&data).await.map_err(AppError::internal)?;
        }
    }
    writer.flush().await.map_err(AppError::internal)?;
    Ok(file)
}

/// Whether the caller asked for the answer to come before the work
/// (RFC 7240 `Prefer: respond-async`).
fn respond_async(headers: &HeaderMap) -> bool {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim().eq_ignore_ascii_case("respond-async"))
}

/// Loads an organisation register, all or nothing; loading the same file
/// twice adds nothing. A national register (Companies House basic company
/// data, the Charity Commission extract) keeps the organisations the
/// programme can use: its suppliers' names, those it holds, and those in its
/// anchors' postcode areas. Suppliers waiting for a match are checked again.
/// The body is streamed to a temporary file, never held whole. A file over
/// 4 MiB, or any sent with `Prefer: respond-async`, loads in the background:
/// the answer is 202 with the job's status address in `Location`.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/organisations", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), RegisterQuery,
        ("Prefer" = Option<String>, Header, description = "`respond-async` loads the file in the background whatever its size")),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = RegisterJson),
        (status = 202, body = RegisterJobJson, description = "Loading in the background; `Location` is its status"),
        (status = 413, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn load_register(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RegisterQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let caller = ctx.caller()?;
    let format = match q.format.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        None => RegisterFormat::Useit,
        Some(f) => RegisterFormat::parse(f).ok_or_else(|| {
            AppError::Invalid(vec![FieldError {
                field: "format".into(),
                message: Message::new("anchors.register.format_bad").arg("value", f),
            }])
        })?,
    };
    let file = spool(body).await?;
    let file_name = q.file_name.unwrap_or_else(|| "register.csv".into());
    let options = RegisterOptions {
        skip_bad_lines: q.skip_bad_lines,
        postcode_areas: q
            .postcode_areas
            .unwrap_or_default()
            .split(',')
            .map(String::from)
            .collect(),
    };
    if respond_async(&headers) || file.len() > BACKGROUND_REGISTER_BYTES {
        let slug = ctx.programme()?.slug.clone();
        let bytes_total = file.len();
        let id = start_register_load(
            app.store.clone(),
            caller,
            &app.imports,
            BackgroundRegister {
                format,
                file_name: file_name.clone(),
                file,
                options,
            },
        )?;
        let href = format!("/api/v1/programmes/{slug}/organisations/loads/{id}");
        let body = RegisterJobJson {
            id: id.to_string(),
            format: t(&format.label_key()).to_string(),
            file: file_name,
            state: JobState::Running.slug().into(),
            bytes_done: Some(0),
            bytes_total,
            summary: None,
            result: None,
            problems: Vec::new(),
            ended_at: None,
        };
        return Ok((StatusCode::ACCEPTED, [(header::LOCATION, href)], Json(body)).into_response());
    }
    let upload = RegisterUpload {
        format,
        file_name,
        source: file.reader().map_err(AppError::internal)?,
        options,
    };
    let loaded =
        register::load_register(app.store.as_ref(), &caller, upload, Arc::new(|_| {})).await?;
    Ok(Json(RegisterJson::new(&loaded)).into_response())
}

/// Where a register load in the background has got, or how it ended (kept
/// in the database, so a restart does not lose it).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/organisations/loads/{job}", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"),
        ("job" = String, Path, description = "The load's id, from the 202 answer")),
    responses((status = 200, body = RegisterJobJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_register_job(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Json<RegisterJobJson>, ApiError> {
    let id = uuid::Uuid::parse_str(&path.1).map_err(|_| AppError::NotFound)?;
    let view = import_job(app.store.as_ref(), &ctx.caller()?, &app.imports, id).await?;
    Ok(Json(match view {
        JobView::Recorded(r) if r.kind == JobKind::Register => RegisterJobJson {
            id: r.id.to_string(),
            summary: (!r.summary.is_empty()).then(|| r.summary_in_words()),
            format: r.anchor_in_words(),
            file: r.file_name,
            state: r.state.slug().into(),
            bytes_done: None,
            bytes_total: r.total,
            result: None,
            problems: Vec::new(),
            ended_at: r.ended_at.map(clock::rfc3339),
        },
        JobView::Live(j) if j.kind == JobKind::Register => {
            let total = j.total.unwrap_or(0);
            let mut json = RegisterJobJson {
                id: id.to_string(),
                format: j.anchor.clone(),
                file: j.file_name.clone(),
                state: JobState::Running.slug().into(),
                bytes_done: Some(j.done().min(total)),
                bytes_total: total,
                summary: None,
                result: None,
                problems: Vec::new(),
                ended_at: None,
            };
            match j.end() {
                None => {}
                Some(JobEnd::Registered(i)) => {
                    json.state = JobState::Imported.slug().into();
                    json.summary = Some(i.outcome.message().text());
                    json.problems = problem_lines(&i.report);
                    json.result = Some(RegisterJson::new(&i));
                }
                Some(JobEnd::Rejected(report)) => {
                    json.state = JobState::Rejected.slug().into();
                    json.summary = Some(
                        Message::new("upload.has_errors")
                            .arg("count", report.error_count())
                            .text(),
                    );
                    json.problems = problem_lines(&report);
                }
                Some(JobEnd::Failed(reason)) => {
                    json.state = JobState::Failed.slug().into();
                    json.summary = Some(reason);
                }
                // A spend import is not a register load.
                Some(JobEnd::Imported(_)) => return Err(AppError::NotFound.into()),
            }
            json
        }
        // A spend import has its own status address.
        _ => return Err(AppError::NotFound.into()),
    }))
}
