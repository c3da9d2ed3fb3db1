//! The workforce pages: where each anchor's staff live and how much of its
//! pay goes to people in the area of benefit, in its local authority and in
//! the poorest two deciles (with small counts hidden from roles without
//! personal-data rights), and importing a workforce file.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use useit_app::anchors::anchor::anchors;
use useit_app::anchors::workforce::{
    AnchorYear, WorkforceQuery, WorkforceUpload, import_workforce, workforce_files,
    workforce_measures,
};
use useit_core::anchors::workforce::{Shape, Year};
use useit_core::anchors::workforce_publish::{PeoplePay, PublishedSplit, PublishedTable};
use useit_core::auth::Capability;
use useit_core::csv_import::Report;
use useit_core::disclosure::{Cell, Money, Table, notes};
use useit_core::i18n::{Message, t, tf};

use super::view::{anchor_choices, base};
use super::workforce_csv::workforce_csv;
use crate::http::charts::{Bar, Row, bar_chart, rows};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::{Upload, query};
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WorkforceParams {
    pub anchor: String,
    pub year: String,
}

/// One line of the summary: a place, its people, their share, their pay.
pub struct SummaryRow {
    pub label: String,
    pub people: String,
    pub share: String,
    pub pay: String,
    pub pay_share: String,
}

/// One row of a band or staff-group table.
pub struct TableRow {
    pub label: String,
    pub inside: String,
    pub inside_pay: String,
    pub outside: String,
    pub outside_pay: String,
    pub all: String,
    /// People and pay in the local authority and in deciles 1–2, each with its share.
    pub others: Vec<String>,
}

pub struct Section {
    pub title: String,
    pub summary: Vec<SummaryRow>,
    pub starters: String,
    pub tables: Vec<SectionTable>,
}

/// A band or staff-group table with its caption.
pub struct SectionTable {
    pub caption: String,
    /// The first column's header: what each row is.
    pub heading: String,
    /// The headings of `TableRow::others`.
    pub others: Vec<String>,
    pub rows: Vec<TableRow>,
}

/// One anchor's placed residents by year: year, placed, starters, share.
pub struct PlacedTable {
    pub caption: String,
    pub rows: Vec<[String; 4]>,
}

pub struct Trend {
    pub title: String,
    pub svg: String,
    pub rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "anchors/workforce.html")]
struct WorkforcePage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    anchors: Vec<Choice>,
    anchor: String,
    years: Vec<Choice>,
    year: String,
    sections: Vec<Section>,
    trends: Vec<Trend>,
    placed: Vec<PlacedTable>,
    notes: Vec<String>,
    exact_label: Option<String>,
    aob_known: bool,
    can_manage: bool,
    csv_href: String,
}

fn not_known() -> String {
    t("anchors.workforce.not_known").to_string()
}

fn share_text(s: Option<f64>) -> String {
    match s {
        Some(v) => useit_core::figures::percent_f64(v, 1),
        None => t("anchors.workforce.share_hidden").to_string(),
    }
}

fn split_row(label: &str, s: &PublishedSplit, known: bool) -> SummaryRow {
    if !known {
        return SummaryRow {
            label: t(label).to_string(),
            people: not_known(),
            share: String::new(),
            pay: String::new(),
            pay_share: String::new(),
        };
    }
    SummaryRow {
        label: t(label).to_string(),
        people: s.people.cells[0].text(),
        share: share_text(s.people_share()),
        pay: s.pay.cells[0].text(),
        pay_share: share_text(s.pay_share()),
    }
}

/// A count or sum with its share: `11 (92.8%)`, or the figure alone when the share is hidden.
fn with_share(text: String, s: Option<f64>) -> String {
    match s {
        Some(v) => format!("{text} ({})", useit_core::figures::percent_f64(v, 1)),
        None => text,
    }
}

fn table_rows(pt: &PublishedTable, others: &[&PeoplePay]) -> Vec<TableRow> {
    let row = |label: String, i: Option<usize>| {
        let pick = |tb: &Table| i.map_or(tb.column_totals[0], |i| tb.cells[i][0]);
        let pick_pay = |tb: &Table<Money>| i.map_or(tb.column_totals[0], |i| tb.cells[i][0]);
        let outside = |tb: &Table| i.map_or(tb.column_totals[1], |i| tb.cells[i][1]);
        let outside_pay = |tb: &Table<Money>| i.map_or(tb.column_totals[1], |i| tb.cells[i][1]);
        TableRow {
            label,
            inside: pick(&pt.people).text(),
            inside_pay: pick_pay(&pt.pay).text(),
            outside: outside(&pt.people).text(),
            outside_pay: outside_pay(&pt.pay).text(),
            all: i
                .map_or(pt.people.total, |i| pt.people.row_totals[i])
                .text(),
            others: others
                .iter()
                .flat_map(|o| {
                    [
                        with_share(pick(&o.people).text(), o.people_share(i)),
                        with_share(pick_pay(&o.pay).text(), o.pay_share(i)),
                    ]
                })
                .collect(),
        }
    };
    let mut out: Vec<TableRow> = pt
        .rows
        .iter()
        .enumerate()
        .map(|(i, label)| row(label.clone(), Some(i)))
        .collect();
    if !pt.rows.is_empty() {
        out.push(row(t("anchors.workforce.col.all").to_string(), None));
    }
    out
}

fn section(y: &AnchorYear, aob_known: bool, deciles_known: bool) -> Section {
    let p = &y.published;
    let all = SummaryRow {
        label: t("anchors.workforce.row.all").to_string(),
        people: p
            .area_of_benefit
            .people
            .total
            .map(|c| c.text())
            .unwrap_or_default(),
        share: String::new(),
        pay: p
            .area_of_benefit
            .pay
            .total
            .map(|c| c.text())
            .unwrap_or_default(),
        pay_share: String::new(),
    };
    let mut summary = vec![
        all,
        split_row(
            "anchors.workforce.row.area_of_benefit",
            &p.area_of_benefit,
            aob_known,
        ),
        split_row(
            "anchors.workforce.row.local_authority",
            &p.local_authority,
            y.local_authority_known,
        ),
        split_row(
            "anchors.workforce.row.deciles_1_2",
            &p.deciles_1_2,
            deciles_known,
        ),
    ];
    summary.push(SummaryRow {
        label: t("anchors.workforce.row.home_unknown").to_string(),
        people: p.home_unknown.text(),
        share: String::new(),
        pay: String::new(),
        pay_share: String::new(),
    });
    // Not known without an area of benefit, or when the file did not say
    // who started (a counts file without a starters column).
    let starters = match &p.starters {
        Some(s) if aob_known => {
            let local = s.cells[0].text();
            let all = s.total.map(|c| c.text()).unwrap_or_default();
            tf(
                "anchors.workforce.starters",
                &[("local", &local), ("all", &all)],
            )
        }
        _ => not_known(),
    };
    let mut others = Vec::new();
    if y.local_authority_known {
        others.extend(["anchors.workforce.col.la", "anchors.workforce.col.la_pay"]);
    }
    if deciles_known {
        others.extend(["anchors.workforce.col.d12", "anchors.workforce.col.d12_pay"]);
    }
    let table = |caption: &str, heading: &str, tb: &PublishedTable| {
        let mut parts = Vec::new();
        if y.local_authority_known {
            parts.push(&tb.local_authority);
        }
        if deciles_known {
            parts.push(&tb.deciles_1_2);
        }
        SectionTable {
            caption: t(caption).to_string(),
            heading: t(heading).to_string(),
            others: others.iter().map(|k| t(k).to_string()).collect(),
            rows: table_rows(tb, &parts),
        }
    };
    Section {
        title: format!("{} — {}", y.anchor_name, y.year.label()),
        summary,
        starters,
        tables: if aob_known {
            vec![
                table(
                    "anchors.workforce.by_band",
                    "anchors.workforce.col.band",
                    &p.by_band,
                ),
                table(
                    "anchors.workforce.by_staff_group",
                    "anchors.workforce.col.staff_group",
                    &p.by_staff_group,
                ),
            ]
        } else {
            vec![]
        },
    }
}

pub async fn workforce_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WorkforceParams>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let store = app.store.as_ref();
    let list = anchors(store, &caller).await?;
    let mut errors = FormErrors::default();
    let year = match q.year.trim() {
        "" => None,
        raw => match Year::parse(raw) {
            Ok(y) => Some(y),
            Err(m) => {
                errors.push("year", m);
                None
            }
        },
    };
    let anchor = list
        .iter()
        .any(|a| a.slug == q.anchor)
        .then(|| q.anchor.clone());
    let view = workforce_measures(
        store,
        &caller,
        &WorkforceQuery {
            anchor: anchor.clone(),
            year: None,
        },
    )
    .await?;
    // Each anchor's chosen year, or its latest.
    let mut sections = Vec::new();
    let mut shown_cells: Vec<Cell> = Vec::new();
    let mut trends = Vec::new();
    let mut all_years: Vec<Year> = view.years.iter().map(|y| y.year).collect();
    all_years.sort();
    all_years.dedup();
    for slug in list.iter().map(|a| &a.slug) {
        let mine: Vec<&AnchorYear> = view
            .years
            .iter()
            .filter(|y| &y.anchor_slug == slug)
            .collect();
        let Some(last) = mine.last() else { continue };
        let pick = match year {
            Some(y) => mine.iter().find(|a| a.year == y).copied(),
            None => Some(*last),
        };
        if let Some(y) = pick {
            sections.push(section(y, view.area_of_benefit_known, view.deciles_known));
            shown_cells.extend(y.published.all_counts().into_iter().copied());
        }
        if view.area_of_benefit_known {
            let bars: Vec<Bar> = mine
                .iter()
                .map(|y| {
                    let s = y.published.area_of_benefit.people_share();
                    Bar {
                        label: y.year.label(),
                        value: s.unwrap_or(0.0),
                        display: share_text(s),
                    }
                })
                .collect();
            let title = tf(
                "anchors.workforce.trend.title",
                &[("anchor", &last.anchor_name)],
            );
            trends.push(Trend {
                svg: bar_chart(
                    &format!("workforce-trend-{slug}"),
                    &title,
                    t("anchors.workforce.trend.description"),
                    &bars,
                ),
                rows: rows(&bars),
                title,
            });
        }
    }
    let mut placed: Vec<PlacedTable> = Vec::new();
    let mut last_slug = None;
    for p in &view.placed {
        if last_slug != Some(&p.anchor_slug) {
            last_slug = Some(&p.anchor_slug);
            placed.push(PlacedTable {
                caption: tf(
                    "anchors.workforce.placed.caption",
                    &[("anchor", &p.anchor_name)],
                ),
                rows: Vec::new(),
            });
        }
        let pp = &p.published;
        shown_cells.push(pp.placed);
        shown_cells.extend(pp.starters);
        placed.last_mut().expect("pushed").rows.push([
            p.year.label(),
            pp.placed.text(),
            pp.starters.map_or_else(not_known, |c| c.text()),
            match pp.starters {
                None => not_known(),
                Some(_) => share_text(pp.share()),
            },
        ]);
    }
    let layout = Layout::new(&app, &ctx, t("anchors.workforce.title"), "anchors")
        .await?
        .with_errors(&errors);
    let b = base(&ctx)?;
    let pairs: Vec<(&str, &str)> = [("anchor", q.anchor.as_str()), ("year", q.year.as_str())]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let mut years = vec![Choice::new("", t("anchors.workforce.filter.latest"))];
    years.extend(
        all_years
            .iter()
            .map(|y| Choice::new(y.0.to_string(), y.label())),
    );
    let page = WorkforcePage {
        layout,
        csv_href: format!("{b}/workforce.csv{}", query(&pairs)),
        base: b,
        errors,
        anchors: anchor_choices(&list, "anchors.workforce.filter.all"),
        anchor: anchor.unwrap_or_default(),
        years,
        year: year.map(|y| y.0.to_string()).unwrap_or_default(),
        sections,
        trends,
        placed,
        notes: notes(shown_cells.iter()).iter().map(|m| m.text()).collect(),
        exact_label: view.viewer.label().map(|m| m.text()),
        aob_known: view.area_of_benefit_known,
        can_manage: ctx.can(Capability::ManageSpend),
    };
    Ok(render(&page)?)
}

/// The figures of the page as CSV.
pub async fn workforce_csv_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WorkforceParams>,
) -> Result<Response, PageError> {
    let year = match q.year.trim() {
        "" => None,
        raw => Some(Year::parse(raw).map_err(|m| {
            AppError::Invalid(vec![useit_core::validation::FieldError {
                field: "year".into(),
                message: m,
            }])
        })?),
    };
    let view = workforce_measures(
        app.store.as_ref(),
        &ctx.caller()?,
        &WorkforceQuery {
            anchor: (!q.anchor.is_empty()).then(|| q.anchor.clone()),
            year,
        },
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"workforce.csv\"",
            ),
        ],
        workforce_csv(&view),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "anchors/workforce_import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    anchors: Vec<Choice>,
    anchor: String,
    year: String,
    report: Option<Report>,
    state: &'static str,
    summary: String,
    files: Vec<FileRow>,
}

pub struct FileRow {
    pub anchor: String,
    pub year: String,
    pub file_name: String,
    pub shape: String,
    pub rows: String,
    pub imported: String,
}

async fn import_page(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    sent: (String, String),
    result: Option<(Report, String)>,
) -> Result<ImportPage, AppError> {
    let caller = ctx.caller()?;
    let list = anchors(app.store.as_ref(), &caller).await?;
    let sees_members = ctx.can(useit_core::auth::Capability::ViewMembers);
    let files = workforce_files(app.store.as_ref(), &caller)
        .await?
        .into_iter()
        .map(|f| FileRow {
            anchor: f.anchor_name,
            year: f.year.label(),
            file_name: f.file_name,
            shape: t(match f.shape {
                Shape::Counts => "anchors.workforce.shape.counts",
                Shape::Employees => "anchors.workforce.shape.employees",
            })
            .to_string(),
            rows: useit_core::i18n::format_count(f.rows_read),
            // Who imported it only for roles that see the members.
            imported: if sees_members {
                format!(
                    "{} ({})",
                    useit_core::clock::display(f.imported_at),
                    useit_core::words::actor(&f.imported_by)
                )
            } else {
                useit_core::clock::display(f.imported_at)
            },
        })
        .collect();
    let layout = Layout::new(app, ctx, t("anchors.workforce.import.title"), "anchors")
        .await?
        .with_errors(&errors);
    let (report, state, summary) = match result {
        Some((r, s)) if s.is_empty() => (Some(r), "rejected", s),
        Some((r, s)) => (Some(r), "applied", s),
        None => (None, "", String::new()),
    };
    Ok(ImportPage {
        layout,
        base: base(ctx)?,
        errors,
        anchors: anchor_choices(&list, "anchors.spend.import.choose_anchor"),
        anchor: sent.0,
        year: sent.1,
        report,
        state,
        summary,
        files,
    })
}

pub async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let page = import_page(&app, &ctx, FormErrors::default(), Default::default(), None).await?;
    Ok(render(&page)?)
}

pub async fn import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    let anchor = up.field("anchor").unwrap_or("").to_string();
    let year_raw = up.field("year").unwrap_or("").trim().to_string();
    let mut errors = FormErrors::default();
    if anchor.is_empty() {
        errors.push(
            "anchor",
            Message::new("anchors.spend.import.choose_anchor_error"),
        );
    }
    let year = match Year::parse(&year_raw) {
        Ok(y) => Some(y),
        Err(m) => {
            errors.push("year", m);
            None
        }
    };
    if up.file_name.is_empty() || up.bytes.is_empty() {
        errors.push("file", Message::new("upload.choose_file"));
    }
    let sent = (anchor.clone(), year_raw.clone());
    let (Some(year), true) = (year, errors.is_empty()) else {
        let page = import_page(&app, &ctx, errors, sent, None).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    };
    let upload = WorkforceUpload {
        anchor: &anchor,
        year,
        file_name: &up.file_name,
        bytes: &up.bytes,
    };
    match import_workforce(app.store.as_ref(), &ctx.caller()?, upload).await {
        Ok(done) => {
            let o = done.outcome;
            let summary = if o.already_imported {
                t("anchors.workforce.import.already").to_string()
            } else {
                tf(
                    "anchors.workforce.import.done",
                    &[("cells", &o.cells.to_string()), ("year", &year.label())],
                )
            };
            let page = import_page(&app, &ctx, errors, sent, Some((done.report, summary))).await?;
            Ok(render(&page)?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            errors.push(
                "file",
                Message::new("upload.has_errors").arg("count", report.error_count()),
            );
            let page = import_page(&app, &ctx, errors, sent, Some((report, String::new()))).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(useit_app::Error::Invalid(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            let page = import_page(&app, &ctx, errors, sent, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
