//! The spend files imported, a page at a time, and undoing an import: a
//! confirmation page, then the undo (its lines removed, the figures worked
//! out again, the audit told).

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::anchors::anchor::anchors;
use useit_app::anchors::files::{spend_file, spend_file_page, undo_import};
use useit_core::anchors::anchor::Anchor;
use useit_core::anchors::ledger::SpendFileRecord;
use useit_core::auth::Capability;
use useit_core::i18n::{format_count, t, tf};
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::money::MoneyStyle;

use super::view::{base, money_of};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::query;
use crate::http::views::{Layout, ListLinks, Pager, render};
use crate::i18n::filters;
use crate::state::AppState;

/// Which page of files.
#[derive(Deserialize, Default)]
pub struct FilesQuery {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    /// Set after an undo: the file's name, said once at the top.
    pub undone: Option<String>,
}

/// A file as the table shows it.
pub struct FileRow {
    pub name: String,
    pub anchor: String,
    pub lines: String,
    pub total: String,
    pub period: String,
    pub imported_at: String,
    pub undo_href: String,
}

fn row(money: &MoneyStyle, base: &str, f: &SpendFileRecord, anchors: &[Anchor]) -> FileRow {
    let day = |d: Option<time::Date>| d.map(useit_core::clock::display_date).unwrap_or_default();
    FileRow {
        name: f.file_name.clone(),
        anchor: anchors
            .iter()
            .find(|a| a.slug == f.anchor_slug)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| f.anchor_slug.clone()),
        lines: tf(
            "anchors.files.lines",
            &[
                ("new", &format_count(f.lines_new.max(0) as u64)),
                ("read", &format_count(f.lines_read.max(0) as u64)),
            ],
        ),
        total: money.show(f.total),
        period: format!("{} – {}", day(f.first_paid_on), day(f.last_paid_on)),
        imported_at: useit_core::clock::display(f.imported_at),
        undo_href: format!("{base}/files/{}/undo", f.id),
    }
}

#[derive(Template)]
#[template(path = "anchors/files.html")]
struct FilesPage {
    layout: Layout,
    base: String,
    rows: Vec<FileRow>,
    pager: Pager,
    can_manage: bool,
    undone: Option<String>,
}

pub async fn files_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilesQuery>,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let files: Page<SpendFileRecord> = spend_file_page(
        app.store.as_ref(),
        &ctx.caller()?,
        PageRequest::new(q.page, q.per_page),
    )
    .await?;
    let list = anchors(app.store.as_ref(), &ctx.caller()?).await?;
    let links = ListLinks {
        path: format!("{base}/files"),
        params: Vec::new(),
        sort: String::new(),
        dir: SortDir::Desc,
    };
    let layout = Layout::new(&app, &ctx, t("anchors.files.title"), "anchors").await?;
    Ok(render(&FilesPage {
        layout,
        pager: Pager::new(&files, &links),
        rows: files
            .items
            .iter()
            .map(|f| row(&money_of(&ctx), &base, f, &list))
            .collect(),
        base,
        can_manage: ctx.can(Capability::ManageSpend),
        undone: q.undone.filter(|s| !s.is_empty()),
    })?)
}

#[derive(Template)]
#[template(path = "anchors/undo_file.html")]
struct UndoPage {
    layout: Layout,
    base: String,
    file: FileRow,
    action: String,
}

fn file_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// Asks before undoing: what will go, and that the figures change.
pub async fn undo_confirm(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let f = spend_file(app.store.as_ref(), &ctx.caller()?, file_id(&file)?).await?;
    let layout = Layout::new(
        &app,
        &ctx,
        tf("anchors.files.undo.title", &[("file", &f.file_name)]),
        "anchors",
    )
    .await?;
    Ok(render(&UndoPage {
        layout,
        action: format!("{base}/files/{}/undo", f.id),
        file: row(
            &money_of(&ctx),
            &base,
            &f,
            &anchors(app.store.as_ref(), &ctx.caller()?).await?,
        ),
        base,
    })?)
}

/// The form carries only its CSRF token (checked by the route guard).
#[derive(Deserialize)]
pub struct UndoForm {}

pub async fn undo(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, file)): Path<(String, String)>,
    Form(_): Form<UndoForm>,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let f = undo_import(app.store.as_ref(), &ctx.caller()?, file_id(&file)?).await?;
    let to = format!("{base}/files{}", query(&[("undone", &f.file_name)]));
    Ok(Redirect::to(&to).into_response())
}
