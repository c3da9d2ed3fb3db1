//! Which organisations each anchor works with (issue 17.4): the list, which
//! filters (anchor, kind, in force on a day, current or ended), searches,
//! sorts, pages and downloads as the CSV its import reads back; and that
//! import. The form, the figures and the practice log are their own
//! modules; the routes of all of them are here.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use useit_app::anchors::anchor::anchors;
use useit_app::anchors::interactions::{import_interactions, interactions};
use useit_core::anchors::interactions::{Interaction, InteractionKind, InteractionQuery, export};
use useit_core::auth::Capability;
use useit_core::clock::iso_date;
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, t, tf};
use useit_core::listing::{Page, PageRequest};

use super::view::{anchor_choices, base};
use super::{interaction_figures, interaction_form, practice};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::route::{Access, Route, page};
use crate::http::views::{
    Choice, FormErrors, Layout, ListLinks, Pager, csv_download, render, render_status,
};
use crate::i18n::filters;
use crate::state::AppState;

/// The pages of interactions and practice changes.
pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewSpend);
    let manage = Access::Programme(Capability::ManageInteractions);
    vec![
        page(
            Method::GET,
            "/p/{programme}/anchors/interactions",
            view,
            list_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/interactions.csv",
            view,
            list_csv,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/interactions",
            manage,
            interaction_form::create,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/interactions/new",
            manage,
            interaction_form::new_form,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/interactions/import",
            manage,
            import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/interactions/import",
            manage,
            import,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/interactions/figures",
            view,
            interaction_figures::figures_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/interactions/{interaction_id}",
            manage,
            interaction_form::edit_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/interactions/{interaction_id}",
            manage,
            interaction_form::update,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/interactions/{interaction_id}/end",
            manage,
            interaction_form::end_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/interactions/{interaction_id}/end",
            manage,
            interaction_form::end,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/practice",
            view,
            practice::log_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/practice",
            manage,
            practice::add,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/{anchor}",
            view,
            practice::anchor_page,
        ),
    ]
}

/// One interaction as a row of the list.
pub struct Row {
    pub anchor: String,
    pub organisation: String,
    pub kind: String,
    pub started: String,
    pub ended: String,
    pub evidence: String,
    pub edit_href: String,
    pub end_href: String,
    pub current: bool,
}

pub fn row(base: &str, i: &Interaction, today: time::Date) -> Row {
    Row {
        anchor: i.anchor_name.clone(),
        organisation: i.organisation_name.clone(),
        kind: t(i.kind.label_key()).to_string(),
        started: iso_date(i.started_on),
        ended: i.ended_on.map(iso_date).unwrap_or_default(),
        evidence: i.evidence.clone(),
        edit_href: format!("{base}/interactions/{}", i.id),
        end_href: format!("{base}/interactions/{}/end", i.id),
        current: i.in_force_on(today),
    }
}

/// The kinds as choices, after a first choice worded by `first`.
pub fn kind_choices(first: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", t(first))];
    v.extend(
        InteractionKind::ALL
            .iter()
            .map(|k| Choice::new(k.slug(), t(k.label_key()))),
    );
    v
}

#[derive(Template)]
#[template(path = "anchors/interactions.html")]
struct ListPage {
    layout: Layout,
    errors: FormErrors,
    base: String,
    rows: Vec<Row>,
    total: u64,
    links: ListLinks,
    pager: Pager,
    csv_href: String,
    anchors: Vec<Choice>,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    anchor: String,
    kind: String,
    status: String,
    on: String,
    q: String,
    can_manage: bool,
}

pub async fn list_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<InteractionQuery>,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let caller = ctx.caller()?;
    let mut errors = FormErrors::default();
    let selected = match interactions(app.store.as_ref(), &caller, &p).await {
        Ok(v) => v,
        Err(e) => {
            errors = FormErrors::from_error(e.into(), &[])?;
            Vec::new()
        }
    };
    let today = useit_core::clock::today();
    let page = Page::of(selected, PageRequest::new(p.page, p.per_page));
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let links = ListLinks {
        path: format!("{base}/interactions"),
        params: vec![
            ("anchor".into(), s(&p.anchor)),
            ("kind".into(), s(&p.kind)),
            ("status".into(), s(&p.status)),
            ("on".into(), s(&p.on)),
            ("q".into(), s(&p.q)),
        ],
        sort: p.sort().into(),
        dir: p.dir(),
    };
    let pager = Pager::new(&page, &links);
    let list = anchors(app.store.as_ref(), &caller).await?;
    let statuses = vec![
        Choice::new("", t("anchors.interactions.any_status")),
        Choice::new("current", t("anchors.interactions.status.current")),
        Choice::new("ended", t("anchors.interactions.status.ended")),
    ];
    let layout = Layout::new(&app, &ctx, t("anchors.interactions.title"), "interactions")
        .await?
        .with_errors(&errors);
    let status = errors.status();
    let rows = page.items.iter().map(|i| row(&base, i, today)).collect();
    let html = ListPage {
        layout,
        csv_href: links.csv_href(&format!("{base}/interactions.csv")),
        rows,
        total: page.total,
        pager,
        anchors: anchor_choices(&list, "anchors.interactions.any_anchor"),
        kinds: kind_choices("anchors.interactions.any_kind"),
        statuses,
        anchor: s(&p.anchor),
        kind: s(&p.kind),
        status: s(&p.status),
        on: s(&p.on),
        q: s(&p.q),
        links,
        base,
        can_manage: ctx.can(Capability::ManageInteractions),
        errors,
    };
    Ok(render_status(status, &html)?)
}

/// The list as the CSV the import reads back (every page, in the list's order).
pub async fn list_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<InteractionQuery>,
) -> Result<Response, PageError> {
    let items = interactions(app.store.as_ref(), &ctx.caller()?, &p).await?;
    Ok(csv_download(&ctx, "interactions", export(&items))?)
}

#[derive(Template)]
#[template(path = "anchors/interactions_import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    report: Option<Report>,
    state: &'static str,
    summary: String,
}

fn import_page(
    layout: Layout,
    base: String,
    errors: FormErrors,
    result: Option<(Report, String)>,
) -> ImportPage {
    let (report, state, summary) = match result {
        Some((r, s)) if s.is_empty() => (Some(r), "rejected", s),
        Some((r, s)) => (Some(r), "applied", s),
        None => (None, "", String::new()),
    };
    ImportPage {
        layout: layout.with_errors(&errors),
        base,
        errors,
        report,
        state,
        summary,
    }
}

async fn import_layout(app: &AppState, ctx: &Ctx) -> Result<Layout, AppError> {
    Layout::new(
        app,
        ctx,
        t("anchors.interactions.import.title"),
        "interactions",
    )
    .await
}

pub async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let layout = import_layout(&app, &ctx).await?;
    Ok(render(&import_page(
        layout,
        base(&ctx)?,
        FormErrors::default(),
        None,
    ))?)
}

/// Imports an interactions file, all or nothing; the same file twice
/// changes nothing.
pub async fn import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let layout = import_layout(&app, &ctx).await?;
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let page = import_page(layout, base, errors, None);
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    match import_interactions(app.store.as_ref(), &ctx.caller()?, &up.file_name, &up.bytes).await {
        Ok(done) => {
            let o = done.outcome;
            let summary = tf(
                "anchors.interactions.import.done",
                &[
                    ("created", &o.created.to_string()),
                    ("updated", &o.updated.to_string()),
                    ("unchanged", &o.unchanged.to_string()),
                ],
            );
            let page = import_page(
                layout,
                base,
                FormErrors::default(),
                Some((done.report, summary)),
            );
            Ok(render(&page)?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "file",
                Message::new("upload.has_errors").arg("count", report.error_count()),
            );
            let page = import_page(layout, base, errors, Some((report, String::new())));
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
