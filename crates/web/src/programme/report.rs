//! The funder and evaluation report on the web: the page for a chosen
//! period (prints as the report: `@media print` in `app.css`), the same
//! report as a PDF, and the form where the programme manager writes the
//! words no data can give.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use useit_app::programme::model::started_from;
use useit_app::programme::report::{report, report_pdf, report_texts, save_report_texts};
use useit_core::auth::Capability;
use useit_core::i18n::t;
use useit_core::programme::indicators::{Indicator, Period};
use useit_core::programme::report::{Report, ReportQuery, ReportTexts, ResultRow};

use super::view::indicator_href;

use crate::http::charts::{Bar, Row, column_chart, rows};
use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::route::{Route, page};
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewProgramme);
    let manage = Access::Programme(Capability::ManageStories);
    vec![
        page(Method::GET, "/p/{programme}/report", view, report_page),
        page(Method::GET, "/p/{programme}/report.pdf", view, pdf),
        page(
            Method::GET,
            "/p/{programme}/report/texts",
            manage,
            texts_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/report/texts",
            manage,
            texts_save,
        ),
    ]
}

/// A row of the results table and where its figure's rows are listed: the
/// home page's filtered list over the report's period, for a role that may
/// open it (none in the standalone file, nor for a figure not known).
struct ResultLine {
    row: ResultRow,
    href: String,
}

fn result_lines(r: &Report, href: impl Fn(&ResultRow) -> String) -> Vec<ResultLine> {
    r.results
        .iter()
        .map(|row| ResultLine {
            href: if row.fix.is_empty() {
                href(row)
            } else {
                String::new()
            },
            row: row.clone(),
        })
        .collect()
}

/// An indicator's chart and its table, drawn from the report's series.
struct Chart {
    svg: String,
    title: String,
    rows: Vec<Row>,
}

fn chart(r: &ResultRow) -> Option<Chart> {
    if r.series.is_empty() {
        return None;
    }
    let bars: Vec<Bar> = r
        .series
        .iter()
        .map(|p| Bar {
            label: p.year.to_string(),
            value: p.value,
            display: p.text.clone(),
        })
        .collect();
    Some(Chart {
        svg: column_chart(
            &format!("report-{}", r.indicator),
            &r.chart_title,
            &r.label,
            &bars,
        ),
        title: r.chart_title.clone(),
        rows: rows(&bars),
    })
}

#[derive(Template)]
#[template(path = "programme/report.html")]
struct ReportPage {
    layout: Layout,
    base: String,
    from: String,
    to: String,
    pdf_href: String,
    report: Report,
    results: Vec<ResultLine>,
    charts: Vec<Chart>,
    can_write: bool,
    /// A period day that cannot be read: shown beside its field over the
    /// report of the usual period, not as an error page.
    errors: FormErrors,
}

fn query_string(q: &ReportQuery) -> String {
    let from = q.from.clone().unwrap_or_default();
    let to = q.to.clone().unwrap_or_default();
    serde_urlencoded::to_string([("from", from), ("to", to)]).unwrap_or_default()
}

async fn report_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let (r, errors) = match report(app.store.as_ref(), &caller, &app.ledgers, &q).await {
        Ok(r) => (r, FormErrors::default()),
        Err(useit_app::Error::Invalid(errs)) => (
            report(
                app.store.as_ref(),
                &caller,
                &app.ledgers,
                &ReportQuery::default(),
            )
            .await?,
            FormErrors::from_fields(&errs, &[]),
        ),
        Err(e) => return Err(AppError::from(e).into()),
    };
    let slug = ctx.programme()?.slug.clone();
    let base = format!("/p/{slug}/report");
    let charts = r.results.iter().filter_map(chart).collect();
    let period = Period {
        from: Some(r.period.from),
        to: Some(r.period.to),
    };
    let results = result_lines(&r, |row| {
        Indicator::parse(row.indicator)
            .map(|i| indicator_href(&slug, i, period, |c| ctx.can(c)))
            .unwrap_or_default()
    });
    let layout = Layout::new(&app, &ctx, r.title.clone(), "home").await?;
    // The days as typed where one cannot be read, so they can be put right.
    let (from, to) = if errors.is_empty() {
        (
            useit_core::clock::iso_date(r.period.from),
            useit_core::clock::iso_date(r.period.to),
        )
    } else {
        (
            q.from.clone().unwrap_or_default(),
            q.to.clone().unwrap_or_default(),
        )
    };
    Ok(render_status(
        errors.status(),
        &ReportPage {
            errors,
            layout,
            pdf_href: format!("{base}.pdf?{}", query_string(&q)),
            from,
            to,
            base,
            charts,
            results,
            report: r,
            can_write: ctx.can(Capability::ManageStories),
        },
    )?)
}

#[derive(Template)]
#[template(path = "programme/report_file.html")]
struct ReportFile {
    report: Report,
    /// Plain figures: a file read away from the site links nowhere.
    results: Vec<ResultLine>,
    charts: Vec<Chart>,
    /// The language it is written in (the caller's locale).
    lang: &'static str,
}

/// The report as one HTML file with its own styles (print styles too), for
/// `useit programme report --out report.html`: the same body as the page.
pub fn standalone(report: Report) -> Result<String, askama::Error> {
    let charts = report.results.iter().filter_map(chart).collect();
    ReportFile {
        results: result_lines(&report, |_| String::new()),
        report,
        charts,
        lang: useit_core::i18n::language().code(),
    }
    .render()
}

async fn pdf(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let bytes = report_pdf(app.store.as_ref(), &ctx.caller()?, &app.ledgers, &q).await?;
    let name = format!(
        "report-{}-{}.pdf",
        ctx.programme()?.slug,
        useit_core::clock::iso_date(useit_core::clock::today())
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "programme/report_texts.html")]
struct TextsPage {
    layout: Layout,
    action: String,
    cancel: String,
    errors: FormErrors,
    form: ReportTexts,
    /// The texts of the programme this one was modelled on, and its name:
    /// a template to read beside the form.
    /// Each non-empty text under its heading's catalogue key.
    template: Option<(String, Vec<(&'static str, String)>)>,
}

async fn texts_page(
    app: &AppState,
    ctx: &Ctx,
    form: ReportTexts,
    errors: FormErrors,
) -> Result<TextsPage, AppError> {
    let base = format!("/p/{}/report", ctx.programme()?.slug);
    let template = started_from(app.store.as_ref(), &ctx.caller()?)
        .await?
        .map(|(name, model)| {
            let r = model.report;
            let texts = [
                ("report.challenge", r.challenge),
                ("report.solution", r.solution),
                ("report.worked", r.what_worked),
                ("report.did_not", r.what_did_not),
            ];
            let texts: Vec<_> = texts.into_iter().filter(|(_, t)| !t.is_empty()).collect();
            (name, texts)
        })
        .filter(|(_, texts)| !texts.is_empty());
    Ok(TextsPage {
        layout: Layout::new(app, ctx, t("report.texts.title"), "home")
            .await?
            .with_errors(&errors),
        action: format!("{base}/texts"),
        cancel: base,
        errors,
        form,
        template,
    })
}

async fn texts_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let form = report_texts(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(render(
        &texts_page(&app, &ctx, form, FormErrors::default()).await?,
    )?)
}

async fn texts_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ReportTexts>,
) -> Result<Response, PageError> {
    match save_report_texts(app.store.as_ref(), &ctx.caller()?, &form).await {
        Ok(_) => {
            ctx.flash(t("report.texts.saved").to_string()).await;
            Ok(Redirect::to(&format!("/p/{}/report", ctx.programme()?.slug)).into_response())
        }
        Err(useit_app::Error::Invalid(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            let page = texts_page(&app, &ctx, form, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
