//! Importing a people file or a vacancies file from the page: all or
//! nothing, every problem listed by line and column.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use useit_app::Imported;
use useit_app::talent::import::{PeopleUpload, import_people};
use useit_app::talent::vacancies::{VacancyUpload, import_vacancies};
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, t, tf};
use useit_core::talent::person::ImportCounts;
use useit_core::talent::{person_csv, vacancy};

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "talent/import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    action: String,
    heading: String,
    lead: String,
    columns: Vec<&'static str>,
    errors: FormErrors,
    report: Option<Report>,
    state: &'static str,
    summary: String,
}

/// Which file the page imports.
#[derive(Clone, Copy)]
enum Kind {
    People,
    Vacancies,
}

fn import_summary(o: &ImportCounts) -> String {
    tf(
        "talent.import.summary",
        &[
            ("created", &o.created.to_string()),
            ("updated", &o.updated.to_string()),
            ("unchanged", &o.unchanged.to_string()),
        ],
    )
}

async fn import_page(
    app: &AppState,
    ctx: &Ctx,
    kind: Kind,
    errors: FormErrors,
    report: Option<Report>,
    outcome: Option<&ImportCounts>,
) -> Result<ImportPage, AppError> {
    let (title, lead, action, columns): (&str, &str, &str, Vec<&'static str>) = match kind {
        Kind::People => (
            "talent.people.import.title",
            "talent.people.import.lead",
            "/people/import",
            person_csv::COLUMNS.to_vec(),
        ),
        Kind::Vacancies => (
            "talent.vacancies.import.title",
            "talent.vacancies.import.lead",
            "/vacancies/import",
            vacancy::COLUMNS.to_vec(),
        ),
    };
    let rejected = report.as_ref().is_some_and(|r| r.has_errors());
    Ok(ImportPage {
        layout: Layout::new(app, ctx, t(title), "talent")
            .await?
            .with_errors(&errors),
        action: format!("{}{action}", base(ctx)?),
        base: base(ctx)?,
        heading: t(title).into(),
        lead: t(lead).into(),
        columns,
        errors,
        report,
        state: match (outcome, rejected) {
            (_, true) => "rejected",
            (Some(_), false) => "applied",
            (None, false) => "",
        },
        summary: outcome.map(import_summary).unwrap_or_default(),
    })
}

pub async fn people_import_form(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Response, PageError> {
    Ok(render(
        &import_page(&app, &ctx, Kind::People, FormErrors::default(), None, None).await?,
    )?)
}

pub async fn people_import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    upload_result(&app, &ctx, Kind::People, up).await
}

pub async fn vacancies_import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    upload_result(&app, &ctx, Kind::Vacancies, up).await
}

async fn upload_result(
    app: &AppState,
    ctx: &Ctx,
    kind: Kind,
    up: Upload,
) -> Result<Response, PageError> {
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let page = import_page(app, ctx, kind, errors, None, None).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    let caller = ctx.caller()?;
    let store = app.store.as_ref();
    let result = match kind {
        Kind::People => {
            let upload = PeopleUpload {
                file_name: &up.file_name,
                bytes: &up.bytes,
            };
            import_people(store, &caller, upload, &|_| {}).await
        }
        Kind::Vacancies => {
            let upload = VacancyUpload {
                file_name: &up.file_name,
                bytes: &up.bytes,
            };
            import_vacancies(store, &caller, upload).await
        }
    };
    let (report, outcome) = match result {
        Ok(Imported { outcome, report }) => (report, Some(outcome)),
        Err(useit_app::Error::Rejected(report)) => (report, None),
        Err(e) => return Err(AppError::from(e).into()),
    };
    let mut errors = FormErrors::default();
    if report.has_errors() {
        errors.push(
            "file",
            Message::new("upload.has_errors").arg("count", report.errors().count()),
        );
    }
    let status = if report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = import_page(app, ctx, kind, errors, Some(report), outcome.as_ref()).await?;
    Ok(render_status(status, &page)?)
}
