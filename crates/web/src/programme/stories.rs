//! The stories pages: the list (search, filter by who they are about and
//! when they were told, sort, page, CSV that imports back), adding and
//! changing a story with its consent, withdrawing consent (after a
//! confirmation), and importing the CSV. A story whose consent is withdrawn
//! is in none of them.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use useit_app::programme::CsvUpload;
use useit_app::programme::stories::{
    import_stories, save_story, stories, stories_file, story, withdraw_consent,
};
use useit_core::auth::Capability;
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, t, tf};
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::programme::stories::{
    CSV_COLUMNS, ConsentMethod, Story, StoryInput, StoryQuery, Subject,
};

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::route::{Route, page};
use crate::http::views::{
    Choice, FormErrors, Layout, ListLinks, Pager, csv_download, render, render_status,
};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewStories);
    let manage = Access::Programme(Capability::ManageStories);
    vec![
        page(Method::GET, "/p/{programme}/stories", view, list),
        page(Method::GET, "/p/{programme}/stories.csv", view, export),
        page(Method::GET, "/p/{programme}/stories/new", manage, new_form),
        page(Method::POST, "/p/{programme}/stories", manage, create),
        page(
            Method::GET,
            "/p/{programme}/stories/import",
            manage,
            import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/stories/import",
            manage,
            import,
        ),
        page(
            Method::GET,
            "/p/{programme}/stories/{story_id}",
            manage,
            edit_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/stories/{story_id}",
            manage,
            update,
        ),
        page(
            Method::GET,
            "/p/{programme}/stories/{story_id}/withdraw",
            manage,
            withdraw_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/stories/{story_id}/withdraw",
            manage,
            withdraw,
        ),
    ]
}

fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/stories", ctx.programme()?.slug))
}

fn subject_choices(blank: bool) -> Vec<Choice> {
    let mut v = Vec::new();
    if blank {
        v.push(Choice::new("", t("stories.filter.anyone")));
    }
    v.extend(
        Subject::KINDS
            .iter()
            .map(|k| Choice::new(*k, t(&Subject::label_key(k)))),
    );
    v
}

fn sort_choices() -> Vec<Choice> {
    vec![
        Choice::new("told_on", t("stories.sort.told_on")),
        Choice::new("title", t("stories.sort.title")),
        Choice::new("consent_given_on", t("stories.sort.consent_given_on")),
    ]
}

/// One story as a row of the list.
struct StoryRow {
    id: Uuid,
    title: String,
    shown_as: String,
    about: String,
    subject_name: String,
    told_on: String,
    consent: String,
}

fn row(s: &Story) -> StoryRow {
    let d = &s.draft;
    StoryRow {
        id: s.id,
        title: d.title.clone(),
        shown_as: d.shown_as.clone(),
        about: t(&Subject::label_key(d.subject.kind())).to_string(),
        subject_name: s.subject_name.clone(),
        told_on: useit_core::clock::display_date(d.told_on),
        consent: tf(
            "stories.consent_line",
            &[
                ("date", &useit_core::clock::display_date(d.consent.given_on)),
                ("how", t(&d.consent.method.label_key())),
                ("who", &useit_core::words::actor(&s.consent_recorded_by)),
            ],
        ),
    }
}

#[derive(Template)]
#[template(path = "programme/stories.html")]
struct ListPage {
    layout: Layout,
    base: String,
    rows: Vec<StoryRow>,
    total: u64,
    pager: Pager,
    q: String,
    subject: String,
    from: String,
    to: String,
    sort: String,
    dir: String,
    subjects: Vec<Choice>,
    sorts: Vec<Choice>,
    can_manage: bool,
    csv_href: String,
}

async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<StoryQuery>,
) -> Result<Response, PageError> {
    let page_req = PageRequest::new(q.page, None);
    let found: Page<Story> = stories(app.store.as_ref(), &ctx.caller()?, &q, page_req).await?;
    let base = base(&ctx)?;
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let links = ListLinks {
        path: base.clone(),
        params: vec![
            ("q".into(), text(&q.q)),
            ("subject".into(), text(&q.subject)),
            ("from".into(), text(&q.from)),
            ("to".into(), text(&q.to)),
        ],
        sort: q.sort.clone().unwrap_or_else(|| "told_on".into()),
        dir: SortDir::parse(q.dir.as_deref().or(Some("desc"))),
    };
    let pager = Pager::new(&found, &links);
    let layout = Layout::new(&app, &ctx, t("stories.title"), "home").await?;
    Ok(render(&ListPage {
        layout,
        csv_href: links.csv_href(&format!("{base}.csv")),
        base,
        rows: found.items.iter().map(row).collect(),
        total: found.total,
        pager,
        q: text(&q.q),
        subject: text(&q.subject),
        from: text(&q.from),
        to: text(&q.to),
        sort: links.sort.clone(),
        dir: text(&q.dir),
        subjects: subject_choices(true),
        sorts: sort_choices(),
        can_manage: ctx.can(Capability::ManageStories),
    })?)
}

async fn export(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<StoryQuery>,
) -> Result<Response, PageError> {
    let body = stories_file(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(csv_download(&ctx, "stories", body)?)
}

#[derive(Template)]
#[template(path = "programme/story_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel: String,
    errors: FormErrors,
    form: StoryInput,
    subjects: Vec<Choice>,
    methods: Vec<Choice>,
    /// Who recorded the consent the story stands on (editing only).
    recorded_by: String,
}

async fn form_page(
    app: &AppState,
    ctx: &Ctx,
    id: Option<Uuid>,
    form: StoryInput,
    recorded_by: String,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let base = base(ctx)?;
    let heading = if id.is_some() {
        t("stories.edit")
    } else {
        t("stories.add")
    };
    let mut methods = vec![Choice::new("", t("stories.choose_method"))];
    methods.extend(
        ConsentMethod::ALL
            .iter()
            .map(|m| Choice::new(m.slug(), t(&m.label_key()))),
    );
    let mut subjects = vec![Choice::new("", t("stories.choose_subject"))];
    subjects.extend(subject_choices(false));
    Ok(FormPage {
        layout: Layout::new(app, ctx, heading, "home")
            .await?
            .with_errors(&errors),
        heading: heading.to_string(),
        action: match id {
            Some(i) => format!("{base}/{i}"),
            None => base.clone(),
        },
        cancel: base,
        errors,
        form,
        subjects,
        methods,
        recorded_by,
    })
}

async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let form = StoryInput {
        consent_given_on: useit_core::clock::iso_date(useit_core::clock::today()),
        ..StoryInput::default()
    };
    Ok(render(
        &form_page(&app, &ctx, None, form, String::new(), FormErrors::default()).await?,
    )?)
}

async fn edit_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let s = story(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(render(
        &form_page(
            &app,
            &ctx,
            Some(id),
            s.input(),
            useit_core::words::actor(&s.consent_recorded_by),
            FormErrors::default(),
        )
        .await?,
    )?)
}

async fn save(
    app: &AppState,
    ctx: &Ctx,
    id: Option<Uuid>,
    form: StoryInput,
) -> Result<Response, PageError> {
    match save_story(app.store.as_ref(), &ctx.caller()?, id, &form).await {
        Ok(_) => {
            ctx.flash(t("stories.saved").to_string()).await;
            Ok(Redirect::to(&base(ctx)?).into_response())
        }
        Err(useit_app::Error::Invalid(errs) | useit_app::Error::Unknown(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            let page = form_page(app, ctx, id, form, String::new(), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(form): Form<StoryInput>,
) -> Result<Response, PageError> {
    save(&app, &ctx, None, form).await
}

async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(form): Form<StoryInput>,
) -> Result<Response, PageError> {
    save(&app, &ctx, Some(id), form).await
}

#[derive(Template)]
#[template(path = "programme/story_withdraw.html")]
struct WithdrawPage {
    layout: Layout,
    action: String,
    cancel: String,
    title: String,
    shown_as: String,
}

async fn withdraw_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let s = story(app.store.as_ref(), &ctx.caller()?, id).await?;
    let base = base(&ctx)?;
    Ok(render(&WithdrawPage {
        layout: Layout::new(&app, &ctx, t("stories.withdraw.title"), "home").await?,
        action: format!("{base}/{id}/withdraw"),
        cancel: base,
        title: s.draft.title,
        shown_as: s.draft.shown_as,
    })?)
}

async fn withdraw(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    withdraw_consent(app.store.as_ref(), &ctx.caller()?, id).await?;
    ctx.flash(t("stories.withdraw.done").to_string()).await;
    Ok(Redirect::to(&base(&ctx)?).into_response())
}

#[derive(Template)]
#[template(path = "programme/story_import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    report: Option<Report>,
    /// "", "applied", "dry_run" or "rejected".
    state: &'static str,
    summary: String,
    dry_run: bool,
    columns: &'static [&'static str],
}

async fn import_page(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    report: Option<Report>,
    ended: (&'static str, String),
    dry_run: bool,
) -> Result<ImportPage, AppError> {
    Ok(ImportPage {
        layout: Layout::new(app, ctx, t("stories.import.title"), "home")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        errors,
        report,
        state: ended.0,
        summary: ended.1,
        dry_run,
        columns: &CSV_COLUMNS,
    })
}

async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let page = import_page(
        &app,
        &ctx,
        FormErrors::default(),
        None,
        ("", String::new()),
        false,
    )
    .await?;
    Ok(render(&page)?)
}

async fn import(State(app): State<AppState>, ctx: Ctx, up: Upload) -> Result<Response, PageError> {
    let dry_run = up.field("dry_run").is_some();
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let page = import_page(&app, &ctx, errors, None, ("", String::new()), dry_run).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    let upload = CsvUpload {
        file_name: &up.file_name,
        bytes: &up.bytes,
        dry_run,
    };
    match import_stories(app.store.as_ref(), &ctx.caller()?, upload).await {
        Ok(o) => {
            let summary = tf(
                if dry_run {
                    "import.would"
                } else {
                    "import.counts"
                },
                &[
                    ("created", &o.added.to_string()),
                    ("updated", &o.changed.to_string()),
                    ("unchanged", &o.unchanged.to_string()),
                ],
            );
            let state = if dry_run { "dry_run" } else { "applied" };
            let page = import_page(
                &app,
                &ctx,
                FormErrors::default(),
                None,
                (state, summary),
                dry_run,
            )
            .await?;
            Ok(render(&page)?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "file",
                Message::new("upload.has_errors").arg("count", report.errors().count()),
            );
            let page = import_page(
                &app,
                &ctx,
                errors,
                Some(report),
                ("rejected", String::new()),
                dry_run,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
