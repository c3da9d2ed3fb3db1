//! Research findings on the web (issue 19 item 3): the list across projects
//! (filters by project, theme and neighbourhood, a word search, CSV out and
//! back in) and the themes view (findings and respondents per theme per
//! neighbourhood; respondents suppressed below k for roles without
//! personal-data rights) with the theme list.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::research::findings::{
    FindingView, findings, findings_csv, import_findings, save_themes, themes, themes_view,
};
use useit_core::auth::Capability;
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, format_count, t, tf, tn};
use useit_core::research::finding::FindingFilter;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// A finding as a card.
pub struct Card {
    pub href: String,
    pub project: String,
    pub project_href: String,
    pub theme: String,
    pub summary: String,
    pub areas: String,
    pub respondents: String,
    /// Each quote with who said it (role, age band).
    pub quotes: Vec<(String, String)>,
}

pub(super) fn theme_text(theme: &str) -> String {
    if theme.is_empty() {
        t("research.finding.no_theme").into()
    } else {
        theme.into()
    }
}

fn who(q: &useit_core::research::finding::Quote) -> String {
    match q.age_band {
        Some(a) => format!("{}, {}", q.role, t(&a.label_key())),
        None => q.role.clone(),
    }
}

pub fn card(base: &str, v: &FindingView) -> Card {
    let d = &v.finding.draft;
    Card {
        href: format!("{base}/findings/{}", v.finding.id),
        project: v.project_title.clone(),
        project_href: format!("{base}/projects/{}", v.finding.project),
        theme: theme_text(&d.theme),
        summary: d.summary.clone(),
        areas: if v.area_names.is_empty() {
            t("research.finding.no_areas").into()
        } else {
            v.area_names.join(", ")
        },
        respondents: match d.respondents {
            Some(n) => tn("research.finding.respondents_n", u64::from(n)),
            None => t("research.finding.respondents_unknown").into(),
        },
        quotes: d.quotes.iter().map(|q| (q.text.clone(), who(q))).collect(),
    }
}

#[derive(Template)]
#[template(path = "research/findings.html")]
struct ListPage {
    layout: Layout,
    base: String,
    cards: Vec<Card>,
    shown: String,
    filter: FindingFilter,
    projects: Vec<Choice>,
    themes: Vec<Choice>,
    areas: Vec<Choice>,
    csv: String,
    manage: bool,
    errors: FormErrors,
    report: Option<Report>,
    state: &'static str,
    summary: String,
}

fn with_all(all: &str, rest: impl Iterator<Item = Choice>) -> Vec<Choice> {
    let mut v = vec![Choice::new("", t(all))];
    v.extend(rest);
    v
}

fn query_string(f: &FindingFilter) -> String {
    let pairs: Vec<(&str, &str)> = [
        ("project", &f.project),
        ("theme", &f.theme),
        ("area", &f.area),
        ("q", &f.q),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_deref().filter(|s| !s.is_empty()).map(|s| (k, s)))
    .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

async fn list_view(
    app: &AppState,
    ctx: &Ctx,
    filter: FindingFilter,
    errors: FormErrors,
    report: Option<Report>,
    state: &'static str,
    summary: String,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let list = findings(app.store.as_ref(), &caller, &filter).await?;
    let base = base(ctx)?;
    let qs = query_string(&filter);
    render_status(
        if errors.is_empty() {
            axum::http::StatusCode::OK
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        },
        &ListPage {
            layout: Layout::new(app, ctx, t("research.finding.list_title"), "research")
                .await?
                .with_errors(&errors),
            cards: list.items.iter().map(|v| card(&base, v)).collect(),
            shown: tf(
                "research.finding.shown",
                &[
                    ("shown", &format_count(list.items.len() as u64)),
                    ("total", &format_count(list.total)),
                ],
            ),
            projects: with_all(
                "research.finding.all_projects",
                list.projects
                    .iter()
                    .map(|(id, title)| Choice::new(id.to_string(), title.clone())),
            ),
            themes: with_all(
                "research.finding.all_themes",
                list.themes
                    .iter()
                    .map(|x| Choice::new(x.clone(), x.clone())),
            ),
            areas: with_all(
                "research.finding.all_areas",
                list.areas
                    .iter()
                    .map(|(c, n)| Choice::new(c.clone(), n.clone())),
            ),
            csv: if qs.is_empty() {
                format!("{base}/findings.csv")
            } else {
                format!("{base}/findings.csv?{qs}")
            },
            base,
            filter,
            manage: ctx.can(Capability::ManageResearch),
            errors,
            report,
            state,
            summary,
        },
    )
}

pub async fn findings_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(filter): Query<FindingFilter>,
) -> Result<Response, PageError> {
    Ok(list_view(
        &app,
        &ctx,
        filter,
        FormErrors::default(),
        None,
        "",
        String::new(),
    )
    .await?)
}

pub async fn findings_csv_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(filter): Query<FindingFilter>,
) -> Result<Response, PageError> {
    let csv = findings_csv(app.store.as_ref(), &ctx.caller()?, &filter).await?;
    Ok(crate::http::views::csv_download(&ctx, "findings", csv)?)
}

pub async fn findings_import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    let none = FindingFilter::default();
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        return Ok(list_view(&app, &ctx, none, errors, None, "", String::new()).await?);
    }
    match import_findings(app.store.as_ref(), &ctx.caller()?, &up.file_name, &up.bytes).await {
        Ok(done) => {
            let summary = tf(
                "research.finding.imported",
                &[
                    ("added", &format_count(done.outcome.added)),
                    ("changed", &format_count(done.outcome.changed)),
                    ("unchanged", &format_count(done.outcome.unchanged)),
                ],
            );
            Ok(list_view(
                &app,
                &ctx,
                none,
                FormErrors::default(),
                Some(done.report),
                "applied",
                summary,
            )
            .await?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "file",
                Message::new("upload.has_errors").arg("count", report.error_count()),
            );
            Ok(list_view(
                &app,
                &ctx,
                none,
                errors,
                Some(report),
                "rejected",
                String::new(),
            )
            .await?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

#[derive(Template)]
#[template(path = "research/themes.html")]
struct ThemesPage {
    layout: Layout,
    base: String,
    /// Column names and each row's cells as text.
    columns: Vec<String>,
    rows: Vec<(String, String, Vec<String>)>,
    note: String,
    manage: bool,
    errors: FormErrors,
    themes_text: String,
}

async fn themes_page_view(
    app: &AppState,
    ctx: &Ctx,
    themes_text: Option<String>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let view = themes_view(s, &caller).await?;
    let columns = view
        .areas
        .iter()
        .map(|(c, n)| {
            if c.is_empty() {
                t("research.finding.no_areas").to_string()
            } else {
                n.clone()
            }
        })
        .collect();
    let rows = view
        .rows
        .iter()
        .map(|r| {
            (
                theme_text(&r.theme),
                format_count(r.findings),
                r.cells
                    .iter()
                    .map(|(findings, respondents, unknown)| {
                        if *findings == 0 {
                            "–".to_string()
                        } else {
                            let people = match respondents.value() {
                                // Only findings that do not say: not known, never 0.
                                Some(0) if *unknown == *findings => tf(
                                    "research.themes.respondents_hidden",
                                    &[(
                                        "count",
                                        &t("research.finding.respondents_unknown").to_lowercase(),
                                    )],
                                ),
                                Some(n) => tn("research.finding.respondents_n", n),
                                None => tf(
                                    "research.themes.respondents_hidden",
                                    &[("count", &respondents.text())],
                                ),
                            };
                            let mut s = tf(
                                "research.themes.cell",
                                &[
                                    ("findings", &tn("research.themes.findings_n", *findings)),
                                    ("respondents", &people),
                                ],
                            );
                            if *unknown > 0 {
                                s.push(' ');
                                s.push_str(&tf(
                                    "research.themes.cell_unknown",
                                    &[("count", &format_count(*unknown))],
                                ));
                            }
                            s
                        }
                    })
                    .collect(),
            )
        })
        .collect();
    let note = if view.exact {
        tf("disclosure.exact_label", &[("k", &view.k.to_string())])
    } else {
        t("research.themes.suppressed").to_string()
    };
    let themes_text = match themes_text {
        Some(t) => t,
        None => themes(s, &caller).await?.join("\n"),
    };
    render_status(
        errors.status(),
        &ThemesPage {
            layout: Layout::new(app, ctx, t("research.themes.title"), "research")
                .await?
                .with_errors(&errors),
            base: base(ctx)?,
            columns,
            rows,
            note,
            manage: ctx.can(Capability::ManageResearch),
            errors,
            themes_text,
        },
    )
}

pub async fn themes_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(themes_page_view(&app, &ctx, None, FormErrors::default()).await?)
}

#[derive(serde::Deserialize)]
pub struct ThemesForm {
    #[serde(default)]
    pub themes: String,
}

pub async fn themes_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ThemesForm>,
) -> Result<Response, PageError> {
    match save_themes(app.store.as_ref(), &ctx.caller()?, &f.themes).await {
        Ok(list) => {
            ctx.flash(tn("research.themes.saved", list.len() as u64))
                .await;
            Ok(Redirect::to(&format!("{}/themes", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(themes_page_view(&app, &ctx, Some(f.themes), errors).await?)
        }
    }
}
