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
use useit_core::words;

use super::view::{Whose, namer, names, read};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, ListLinks, Pager, render_status};
use crate::i18n::filters;
use crate::state::AppState;
use useit_app::audit::Names;

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

/// One entry as a person reads it: who, what kind of record and what, in
/// words; the record's id only behind a link to it (or as a code where no
/// page shows that kind of record).
struct Row {
    at: time::OffsetDateTime,
    who: String,
    channel: String,
    /// The client's network address, where the entry has one.
    address: Option<String>,
    action: String,
    record: String,
    href: Option<String>,
    /// The person the entry is about (a membership's, an account's),
    /// named where the reader may see them.
    name: Option<String>,
    id: Option<String>,
    summary: String,
}

impl Row {
    fn of(e: &AuditEntry, programme: Option<&str>, names: &Names) -> Row {
        let person = matches!(e.subject_type.as_str(), "user" | "membership");
        let name = if person {
            e.people().first().map(|id| {
                names
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| t("audit.person_unnamed").to_string())
            })
        } else {
            None
        };
        let href = match (programme, e.subject_type.as_str(), &e.subject_id) {
            (Some(p), "talent_person", Some(id)) => Some(format!("/p/{p}/talent/people/{id}")),
            (Some(p), "research_researcher", Some(id)) => {
                Some(format!("/p/{p}/research/researchers/{id}"))
            }
            (Some(p), "partner", Some(id)) => Some(format!("/p/{p}/partners/{id}")),
            _ => None,
        };
        Row {
            at: e.at,
            who: words::actor(&e.actor_label),
            channel: t(&format!("words.channel.{}", e.channel.slug())).to_string(),
            address: e.address.clone(),
            action: t(&format!("audit.action.{}", e.action.slug())).to_string(),
            record: words::record_kind(&e.subject_type),
            // A record's id is shown only where nothing else says which
            // it is: not beside a link, a person's name, or a message
            // that names the record.
            // (nor a programme's own id, in its own log or beside its name).
            id: if href.is_none()
                && name.is_none()
                && e.message.is_none()
                && !person
                && e.subject_type != "programme"
            {
                e.subject_id.clone()
            } else {
                None
            },
            href,
            name,
            summary: e.said_in_words(&namer(names)),
        }
    }
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogPage {
    layout: Layout,
    base: String,
    entries: Page<AuditEntry>,
    rows: Vec<Row>,
    pager: Pager,
    links: ListLinks,
    params: AuditQuery,
    /// The action filter as a select value ("" for any).
    action: String,
    actions: Vec<Choice>,
    csv_href: String,
    deployment: bool,
    /// A filter that cannot be read (a day like "31/02/2024"): the form is
    /// shown again with the error beside its field.
    errors: FormErrors,
}

async fn log_page(
    app: &AppState,
    ctx: &Ctx,
    p: AuditQuery,
    whose: Whose,
    base: String,
) -> Result<Response, AppError> {
    let (entries, errors) = match read(app, ctx, &whose, &p, p.page(), Reading::Look).await {
        Ok(entries) => (entries, FormErrors::default()),
        Err(AppError::Invalid(errs)) => (
            Page {
                items: Vec::new(),
                total: 0,
                page: 1,
                per_page: p.page().per_page,
            },
            FormErrors::from_fields(&errs, &[]),
        ),
        Err(e) => return Err(e),
    };
    let names = names(app, ctx, &whose, &entries.items).await?;
    let links = links(&p, base.clone());
    let deployment = matches!(whose, Whose::Deployment);
    let layout = Layout::new(
        app,
        ctx,
        t("audit.title"),
        if deployment { "admin-audit" } else { "audit" },
    )
    .await?;
    let slug = if deployment {
        None
    } else {
        Some(ctx.programme()?.slug.clone())
    };
    let rows = entries
        .items
        .iter()
        .map(|e| Row::of(e, slug.as_deref(), &names))
        .collect();
    render_status(
        errors.status(),
        &LogPage {
            errors,
            rows,
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
        },
    )
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
    let names = names(app, ctx, &whose, &entries.items).await?;
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
        useit_core::audit::to_csv(&entries.items, &namer(&names)),
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
