//! The audit log's pages and CSV downloads.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use useit_app::audit::Reading;
use useit_core::audit::{AuditAction, AuditEntry, AuditQuery};
use useit_core::clock;
use useit_core::i18n::t;
use useit_core::listing::{Page, PageRequest, SortDir};

use super::view::{Whose, read};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, Layout, ListLinks, Pager, render};
use crate::i18n::filters;
use crate::state::AppState;

fn links(p: &AuditQuery, path: String) -> ListLinks {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    ListLinks {
        path,
        params: vec![
            ("action".into(), v(&p.action)),
            ("subject_type".into(), v(&p.subject_type)),
            ("subject_id".into(), v(&p.subject_id)),
            ("q".into(), v(&p.q)),
            ("from".into(), v(&p.from)),
            ("to".into(), v(&p.to)),
        ],
        sort: "at".into(),
        dir: if p.oldest_first() {
            SortDir::Asc
        } else {
            SortDir::Desc
        },
    }
}

fn action_choices() -> Vec<Choice> {
    let mut v = vec![Choice::new("", t("audit.any_action"))];
    v.extend(
        AuditAction::ALL
            .iter()
            .map(|a| Choice::new(a.slug(), t(&format!("audit.action.{}", a.slug())))),
    );
    v
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogPage {
    layout: Layout,
    base: String,
    entries: Page<AuditEntry>,
    pager: Pager,
    links: ListLinks,
    params: AuditQuery,
    /// The action filter as a select value ("" for any).
    action: String,
    actions: Vec<Choice>,
    csv_href: String,
    deployment: bool,
}

async fn log_page(
    app: &AppState,
    ctx: &Ctx,
    p: AuditQuery,
    whose: Whose,
    base: String,
) -> Result<Response, AppError> {
    let entries = read(app, ctx, &whose, &p, p.page(), Reading::Look).await?;
    let links = links(&p, base.clone());
    let deployment = matches!(whose, Whose::Deployment);
    let layout = Layout::new(
        app,
        ctx,
        t("audit.title"),
        if deployment { "admin-audit" } else { "audit" },
    )
    .await?;
    render(&LogPage {
        layout,
        csv_href: links.csv_href(&format!("{base}.csv")),
        pager: Pager::new(&entries, &links),
        links,
        base,
        entries,
        action: p.action.clone().unwrap_or_default(),
        params: p,
        actions: action_choices(),
        deployment,
    })
}

pub async fn programme_log(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let base = format!("/p/{}/audit", ctx.programme()?.slug);
    Ok(log_page(&app, &ctx, p, Whose::Programme, base).await?)
}

pub async fn deployment_log(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AuditQuery>,
) -> Result<Response, PageError> {
    Ok(log_page(&app, &ctx, p, Whose::Deployment, "/admin/audit".into()).await?)
}

async fn csv(
    app: &AppState,
    ctx: &Ctx,
    p: AuditQuery,
    whose: Whose,
    name: &str,
) -> Result<Response, AppError> {
    let entries = read(app, ctx, &whose, &p, PageRequest::all(), Reading::Export).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"audit-{name}-{}.csv\"",
                    clock::iso_date(clock::today())
                ),
            ),
        ],
        useit_core::audit::to_csv(&entries.items),
    )
        .into_response())
}

pub async fn programme_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let slug = ctx.programme()?.slug.clone();
    Ok(csv(&app, &ctx, p, Whose::Programme, &slug).await?)
}

pub async fn deployment_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AuditQuery>,
) -> Result<Response, PageError> {
    Ok(csv(&app, &ctx, p, Whose::Deployment, "all").await?)
}
