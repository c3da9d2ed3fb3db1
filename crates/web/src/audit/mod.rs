//! The audit log: a programme's (for its administrators) and the whole
//! deployment's (for deployment administrators). Filterable, paged, and
//! downloadable; looking at it is itself recorded.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_core::audit::{AuditAction, AuditEntry, AuditFilter};
use useit_core::auth::Capability;
use useit_core::i18n::t;
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::validation::parse_date;
use useit_core::{ProgrammeId, clock};
use utoipa::{IntoParams, ToSchema};

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{ApiError, AppError, PageError};
use crate::http::route::{Route, api, page};
use crate::http::views::{Choice, Layout, ListLinks, Pager, render};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewAudit);
    vec![
        page(Method::GET, "/p/{programme}/audit", view, programme_log),
        page(Method::GET, "/p/{programme}/audit.csv", view, programme_csv),
        page(Method::GET, "/admin/audit", Access::Admin, deployment_log),
        page(
            Method::GET,
            "/admin/audit.csv",
            Access::Admin,
            deployment_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/audit",
            view,
            api_programme_log,
        ),
        api(
            Method::GET,
            "/api/v1/admin/audit",
            Access::Admin,
            api_deployment_log,
        ),
    ]
}

/// Filters from the query string.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct Params {
    /// read, create, update, delete, export, import, erase, merge, sign_in, ...
    pub action: Option<String>,
    /// The kind of record, e.g. `partner_contact`, `membership`, `user`.
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    /// Free text over who and the summary.
    pub q: Option<String>,
    /// From this day (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD), inclusive.
    pub to: Option<String>,
    /// `desc` (newest first, the default) or `asc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl Params {
    fn filter(&self, programme: Option<ProgrammeId>) -> AuditFilter {
        let nonempty = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        AuditFilter {
            programme_id: programme,
            action: self.action.as_deref().and_then(|a| a.parse().ok()),
            subject_type: nonempty(&self.subject_type),
            subject_id: nonempty(&self.subject_id),
            actor_user_id: None,
            q: nonempty(&self.q),
            since: self
                .from
                .as_deref()
                .and_then(parse_date)
                .map(|d| d.midnight().assume_utc()),
            until: self
                .to
                .as_deref()
                .and_then(parse_date)
                .map(|d| (d + time::Duration::days(1)).midnight().assume_utc()),
            oldest_first: self.dir.as_deref() == Some("asc"),
        }
    }

    fn links(&self, path: String) -> ListLinks {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        ListLinks {
            path,
            params: vec![
                ("action".into(), v(&self.action)),
                ("subject_type".into(), v(&self.subject_type)),
                ("subject_id".into(), v(&self.subject_id)),
                ("q".into(), v(&self.q)),
                ("from".into(), v(&self.from)),
                ("to".into(), v(&self.to)),
            ],
            sort: "at".into(),
            dir: if self.dir.as_deref() == Some("asc") {
                SortDir::Asc
            } else {
                SortDir::Desc
            },
        }
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
    params: Params,
    /// The action filter as a select value ("" for any).
    action: String,
    actions: Vec<Choice>,
    csv_href: String,
    deployment: bool,
}

/// Reads the log, recording that it was read (the log names people).
async fn read(
    app: &AppState,
    ctx: &Ctx,
    filter: &AuditFilter,
    page: PageRequest,
    export: bool,
) -> Result<Page<AuditEntry>, AppError> {
    let entries = app.store.audit_list(filter, page).await?;
    app.store
        .audit_append(&AuditEntry::new(
            &ctx.actor(),
            filter.programme_id,
            if export {
                AuditAction::Export
            } else {
                AuditAction::Read
            },
            "audit_log",
            None,
            format!("{} entries", entries.items.len()),
        ))
        .await?;
    Ok(entries)
}

async fn log_page(
    app: &AppState,
    ctx: &Ctx,
    p: Params,
    programme: Option<ProgrammeId>,
    base: String,
) -> Result<Response, AppError> {
    let entries = read(
        app,
        ctx,
        &p.filter(programme),
        PageRequest::new(p.page, p.per_page),
        false,
    )
    .await?;
    let links = p.links(base.clone());
    let deployment = programme.is_none();
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

async fn programme_log(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<Params>,
) -> Result<Response, PageError> {
    let base = format!("/p/{}/audit", ctx.programme()?.slug);
    Ok(log_page(&app, &ctx, p, Some(ctx.programme_id()?), base).await?)
}

async fn deployment_log(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<Params>,
) -> Result<Response, PageError> {
    Ok(log_page(&app, &ctx, p, None, "/admin/audit".into()).await?)
}

async fn csv(
    app: &AppState,
    ctx: &Ctx,
    p: Params,
    programme: Option<ProgrammeId>,
    name: &str,
) -> Result<Response, AppError> {
    let entries = read(app, ctx, &p.filter(programme), PageRequest::all(), true).await?;
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

async fn programme_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<Params>,
) -> Result<Response, PageError> {
    let slug = ctx.programme()?.slug.clone();
    Ok(csv(&app, &ctx, p, Some(ctx.programme_id()?), &slug).await?)
}

async fn deployment_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<Params>,
) -> Result<Response, PageError> {
    Ok(csv(&app, &ctx, p, None, "all").await?)
}

#[derive(Serialize, ToSchema)]
pub struct AuditJson {
    pub id: String,
    pub at: String,
    pub programme_id: Option<String>,
    pub actor: String,
    pub actor_user_id: Option<String>,
    pub channel: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub summary: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPageJson {
    pub items: Vec<AuditJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
}

fn page_json(p: Page<AuditEntry>) -> AuditPageJson {
    AuditPageJson {
        total_pages: p.total_pages(),
        items: p
            .items
            .iter()
            .map(|e| AuditJson {
                id: e.id.to_string(),
                at: clock::rfc3339(e.at),
                programme_id: e.programme_id.map(|p| p.to_string()),
                actor: e.actor_label.clone(),
                actor_user_id: e.actor_user_id.map(|u| u.to_string()),
                channel: e.channel.slug().into(),
                action: e.action.slug().into(),
                subject_type: e.subject_type.clone(),
                subject_id: e.subject_id.clone(),
                summary: e.summary.clone(),
            })
            .collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }
}

/// The programme's audit log, newest first.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/audit", tag = "audit",
    params(("programme" = String, Path, description = "Programme short name"), Params),
    responses((status = 200, body = AuditPageJson)))]
pub async fn api_programme_log(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<Params>,
) -> Result<Json<AuditPageJson>, ApiError> {
    let entries = read(
        &app,
        &ctx,
        &p.filter(Some(ctx.programme_id()?)),
        PageRequest::new(p.page, p.per_page),
        false,
    )
    .await?;
    Ok(Json(page_json(entries)))
}

/// The whole deployment's audit log (deployment administrators).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(Params),
    responses((status = 200, body = AuditPageJson)))]
pub async fn api_deployment_log(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<Params>,
) -> Result<Json<AuditPageJson>, ApiError> {
    let entries = read(
        &app,
        &ctx,
        &p.filter(None),
        PageRequest::new(p.page, p.per_page),
        false,
    )
    .await?;
    Ok(Json(page_json(entries)))
}

/// The context's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_programme_log, api_deployment_log,))]
pub struct Doc;
