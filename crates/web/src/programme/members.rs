//! Who is in the programme and with what role: listing (personal data,
//! audited), adding people, changing and removing roles, CSV out and in.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_core::audit::{AuditAction, AuditEntry};
use useit_core::auth::{Capability, Member, MemberQuery, MemberSort, NewUser, Role, member_csv};
use useit_core::csv_import::{Problem, Report, decode};
use useit_core::i18n::{Message, t, tf};
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::{UserId, clock};

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::route::{Route, page};
use crate::http::views::{Choice, FormErrors, Layout, ListLinks, Pager, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewMembers);
    let manage = Access::Programme(Capability::ManageMembers);
    vec![
        page(Method::GET, "/p/{programme}/members", view, list),
        page(Method::GET, "/p/{programme}/members.csv", view, export),
        page(Method::GET, "/p/{programme}/members/new", manage, new_form),
        page(Method::POST, "/p/{programme}/members", manage, add),
        page(
            Method::GET,
            "/p/{programme}/members/import",
            manage,
            import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/members/import",
            manage,
            import,
        ),
        page(
            Method::GET,
            "/p/{programme}/members/{user_id}",
            manage,
            edit_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/members/{user_id}",
            manage,
            change_role,
        ),
        page(
            Method::POST,
            "/p/{programme}/members/{user_id}/remove",
            manage,
            remove,
        ),
    ]
}

pub fn role_choices(with_blank: bool) -> Vec<Choice> {
    let mut v = Vec::new();
    if with_blank {
        v.push(Choice::new("", t("members.role.choose")));
    }
    v.extend(
        Role::ALL
            .iter()
            .map(|r| Choice::new(r.slug(), t(&r.label_key()))),
    );
    v
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub q: Option<String>,
    pub role: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl ListParams {
    pub fn query(&self) -> MemberQuery {
        MemberQuery {
            q: self.q.clone().filter(|s| !s.trim().is_empty()),
            role: self.role.as_deref().and_then(|r| r.parse().ok()),
            sort: MemberSort::parse(self.sort.as_deref()),
            dir: SortDir::parse(self.dir.as_deref()),
        }
    }
}

/// Lists members and records that their personal data was read.
pub async fn members_page(
    app: &AppState,
    ctx: &Ctx,
    query: &MemberQuery,
    page: PageRequest,
) -> Result<Page<Member>, AppError> {
    let pid = ctx.programme_id()?;
    let members = app.store.members(pid, query, page).await?;
    app.store
        .audit_append(&AuditEntry::new(
            &ctx.actor(),
            Some(pid),
            AuditAction::Read,
            "member_list",
            None,
            format!("{} members: email, display_name, role", members.items.len()),
        ))
        .await?;
    Ok(members)
}

#[derive(Template)]
#[template(path = "programme/members.html")]
struct ListPage {
    layout: Layout,
    base: String,
    members: Page<Member>,
    pager: Pager,
    links: ListLinks,
    q: String,
    role: String,
    roles: Vec<Choice>,
    can_manage: bool,
    csv_href: String,
}

fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/members", ctx.programme()?.slug))
}

async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    let query = p.query();
    let members = members_page(&app, &ctx, &query, PageRequest::new(p.page, p.per_page)).await?;
    let base = base(&ctx)?;
    let q = query.q.clone().unwrap_or_default();
    let role = query.role.map(|r| r.slug().to_string()).unwrap_or_default();
    let links = ListLinks {
        path: base.clone(),
        params: vec![("q".into(), q.clone()), ("role".into(), role.clone())],
        sort: query.sort.slug().into(),
        dir: query.dir,
    };
    let mut roles = vec![Choice::new("", t("members.filter.any_role"))];
    roles.extend(role_choices(false));
    let layout = Layout::new(&app, &ctx, t("members.title"), "members").await?;
    Ok(render(&ListPage {
        layout,
        csv_href: links.csv_href(&format!("{base}.csv")),
        pager: Pager::new(&members, &links),
        links,
        base,
        members,
        q,
        role,
        roles,
        can_manage: ctx.can(Capability::ManageMembers),
    })?)
}

/// All members as CSV (audited as an export of personal data).
pub async fn export_csv(
    app: &AppState,
    ctx: &Ctx,
    query: &MemberQuery,
) -> Result<Response, AppError> {
    let pid = ctx.programme_id()?;
    let members = app.store.members(pid, query, PageRequest::all()).await?;
    app.store
        .audit_append(&AuditEntry::new(
            &ctx.actor(),
            Some(pid),
            AuditAction::Export,
            "member_list",
            None,
            format!("{} members: email, display_name, role", members.items.len()),
        ))
        .await?;
    crate::http::views::csv_download(ctx, "members", member_csv::export(&members.items))
}

async fn export(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    Ok(export_csv(&app, &ctx, &p.query()).await?)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AddForm {
    pub email: String,
    pub role: String,
    pub display_name: String,
    pub password: String,
}

/// Adds a person: an existing account gets the role; a new e-mail needs a
/// name and a first password, and gets an account and the role in one step.
pub async fn add_member(
    app: &AppState,
    ctx: &Ctx,
    f: &AddForm,
) -> Result<(UserId, bool), AppError> {
    let pid = ctx.programme_id()?;
    let mut e = useit_core::validation::Errors::new();
    let email = e.required("email", &f.email, 254);
    let role = match f.role.parse::<Role>() {
        Ok(r) => Some(r),
        Err(_) => {
            e.add("role", Message::new("validation.required.role"));
            None
        }
    };
    e.finish(|| ())?;
    let role = role.expect("checked");
    if let Some(c) = app.store.credentials_by_email(&email).await? {
        app.store
            .set_role(pid, c.user.id, role, &ctx.actor())
            .await?;
        return Ok((c.user.id, false));
    }
    if f.display_name.trim().is_empty() && f.password.is_empty() {
        return Err(AppError::Invalid(vec![
            useit_core::validation::FieldError {
                field: "display_name".into(),
                message: Message::new("members.add.new_account_needs"),
            },
        ]));
    }
    let (email2, name, pw) = (email.clone(), f.display_name.clone(), f.password.clone());
    let new = tokio::task::spawn_blocking(move || NewUser::validate(&email2, &name, &pw, false))
        .await
        .map_err(AppError::internal)??;
    let user = app
        .store
        .create_user(&new, Some((pid, role)), &ctx.actor())
        .await?;
    Ok((user.id, true))
}

#[derive(Template)]
#[template(path = "programme/member_new.html")]
struct AddPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: AddForm,
    roles: Vec<Choice>,
}

async fn add_page(
    app: &AppState,
    ctx: &Ctx,
    form: AddForm,
    errors: FormErrors,
) -> Result<AddPage, AppError> {
    let layout = Layout::new(app, ctx, t("members.add.title"), "members")
        .await?
        .with_errors(&errors);
    Ok(AddPage {
        layout,
        base: base(ctx)?,
        errors,
        form,
        roles: role_choices(true),
    })
}

async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &add_page(&app, &ctx, AddForm::default(), FormErrors::default()).await?,
    )?)
}

async fn add(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AddForm>,
) -> Result<Response, PageError> {
    match add_member(&app, &ctx, &f).await {
        Ok((_, created)) => {
            let key = if created {
                "members.add.created"
            } else {
                "members.add.added"
            };
            ctx.flash(tf(key, &[("email", f.email.trim())])).await;
            Ok(Redirect::to(&base(&ctx)?).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e, &[])?;
            let page = add_page(
                &app,
                &ctx,
                AddForm {
                    password: String::new(),
                    ..f
                },
                errors,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

#[derive(Template)]
#[template(path = "programme/member_edit.html")]
struct EditPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    member: Member,
    roles: Vec<Choice>,
}

async fn find_member(app: &AppState, ctx: &Ctx, user_id: &str) -> Result<Member, AppError> {
    let pid = ctx.programme_id()?;
    let id: UserId = user_id.parse().map_err(|_| AppError::NotFound)?;
    let role = app
        .store
        .role_in(id, pid)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = app.store.user(id).await?.ok_or(AppError::NotFound)?;
    app.store
        .audit_append(&AuditEntry::new(
            &ctx.actor(),
            Some(pid),
            AuditAction::Read,
            "membership",
            Some(id.to_string()),
            "email, display_name, role",
        ))
        .await?;
    Ok(Member {
        user,
        role,
        since: clock::now(),
    })
}

async fn edit_page(
    app: &AppState,
    ctx: &Ctx,
    member: Member,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let layout = Layout::new(app, ctx, member.user.display_name.clone(), "members")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &EditPage {
            layout,
            base: base(ctx)?,
            errors,
            member,
            roles: role_choices(false),
        },
    )
}

async fn edit_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, user_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let member = find_member(&app, &ctx, &user_id).await?;
    Ok(edit_page(&app, &ctx, member, FormErrors::default()).await?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    role: String,
}

async fn change_role(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, user_id)): Path<(String, String)>,
    Form(f): Form<RoleForm>,
) -> Result<Response, PageError> {
    let member = find_member(&app, &ctx, &user_id).await?;
    let Ok(role) = f.role.parse::<Role>() else {
        return Ok(edit_page(
            &app,
            &ctx,
            member,
            FormErrors::one("role", Message::new("validation.required.role")),
        )
        .await?);
    };
    match app
        .store
        .set_role(ctx.programme_id()?, member.user.id, role, &ctx.actor())
        .await
    {
        Ok(()) => {
            ctx.flash(tf(
                "members.role_changed",
                &[
                    ("name", &member.user.display_name),
                    ("role", t(&role.label_key())),
                ],
            ))
            .await;
            Ok(Redirect::to(&base(&ctx)?).into_response())
        }
        Err(useit_store::StoreError::Conflict { field, message }) => {
            Ok(edit_page(&app, &ctx, member, FormErrors::one(&field, message)).await?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

async fn remove(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, user_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let member = find_member(&app, &ctx, &user_id).await?;
    match app
        .store
        .remove_member(ctx.programme_id()?, member.user.id, &ctx.actor())
        .await
    {
        Ok(()) => {
            ctx.flash(tf(
                "members.removed",
                &[("name", &member.user.display_name)],
            ))
            .await;
            Ok(Redirect::to(&base(&ctx)?).into_response())
        }
        Err(useit_store::StoreError::Conflict { field, message }) => {
            Ok(edit_page(&app, &ctx, member, FormErrors::one(&field, message)).await?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// What a members import did.
#[derive(Clone, Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct MemberImportOutcome {
    pub changed: u64,
    pub unchanged: u64,
    pub applied: bool,
}

/// Sets the roles a members CSV lists, all or nothing. Unknown e-mails are errors.
pub async fn import_csv(
    app: &AppState,
    ctx: &Ctx,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<(Report, MemberImportOutcome), AppError> {
    let pid = ctx.programme_id()?;
    let (text, _) = decode(bytes);
    let mut report = Report::new(file_name);
    let rows = member_csv::parse(&text, &mut report);
    let mut changes = Vec::new();
    let mut outcome = MemberImportOutcome::default();
    for row in rows {
        match app.store.credentials_by_email(&row.email).await? {
            None => report.push(Problem::error(
                row.line,
                None,
                Message::new("import.member.unknown_email"),
            )),
            Some(c) => {
                if app.store.role_in(c.user.id, pid).await? == Some(row.role) {
                    outcome.unchanged += 1;
                } else {
                    outcome.changed += 1;
                    changes.push((c.user.id, row.role));
                }
            }
        }
    }
    report.sort();
    if report.has_errors() || dry_run || changes.is_empty() {
        outcome.applied = !report.has_errors() && !dry_run;
        return Ok((report, outcome));
    }
    match app.store.set_roles(pid, &changes, &ctx.actor()).await {
        Ok(_) => outcome.applied = true,
        Err(useit_store::StoreError::Conflict { message, .. }) => {
            report.push(Problem::error(0, None, message))
        }
        Err(e) => return Err(e.into()),
    }
    Ok((report, outcome))
}

#[derive(Template)]
#[template(path = "programme/member_import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    report: Option<Report>,
    summary: String,
    state: &'static str,
}

async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let layout = Layout::new(&app, &ctx, t("members.import.title"), "members").await?;
    Ok(render(&ImportPage {
        layout,
        base: base(&ctx)?,
        errors: FormErrors::default(),
        report: None,
        summary: String::new(),
        state: "",
    })?)
}

async fn import(State(app): State<AppState>, ctx: Ctx, up: Upload) -> Result<Response, PageError> {
    let mut errors = FormErrors::default();
    if up.bytes.is_empty() {
        errors.push("file", Message::new("upload.choose_file"));
        let layout = Layout::new(&app, &ctx, t("members.import.title"), "members")
            .await?
            .with_errors(&errors);
        let page = ImportPage {
            layout,
            base: base(&ctx)?,
            errors,
            report: None,
            summary: String::new(),
            state: "",
        };
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    let dry_run = up.field("dry_run").is_some();
    let (report, outcome) = import_csv(&app, &ctx, &up.file_name, &up.bytes, dry_run).await?;
    if report.has_errors() {
        errors.push(
            "file",
            Message::new("upload.has_errors").arg("count", report.errors().count()),
        );
    }
    let state = if report.has_errors() {
        "rejected"
    } else if outcome.applied {
        "applied"
    } else {
        "dry_run"
    };
    let summary = tf(
        if outcome.applied {
            "members.import.counts"
        } else {
            "members.import.would"
        },
        &[
            ("changed", &outcome.changed.to_string()),
            ("unchanged", &outcome.unchanged.to_string()),
        ],
    );
    let status = if report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let layout = Layout::new(&app, &ctx, t("members.import.title"), "members")
        .await?
        .with_errors(&errors);
    Ok(render_status(
        status,
        &ImportPage {
            layout,
            base: base(&ctx)?,
            errors,
            report: Some(report),
            summary,
            state,
        },
    )?)
}
