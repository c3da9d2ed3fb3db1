//! Deployment administration: programmes (tenants) and accounts. A
//! deployment administrator manages these but sees a programme's data only
//! through a membership of it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use useit_core::audit::{AuditAction, AuditEntry};
use useit_core::auth::{NewUser, User, UserQuery, UserSort};
use useit_core::i18n::{Message, t, tf};
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::programme::{NewProgramme, Programme};
use useit_core::{UserId, clock};
use utoipa::{IntoParams, ToSchema};

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{ApiError, AppError, PageError};
use crate::http::route::{Route, api, page};
use crate::http::views::{FormErrors, Layout, ListLinks, Pager, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let a = Access::Admin;
    vec![
        page(Method::GET, "/admin", a, programmes),
        page(Method::GET, "/admin/programmes/new", a, new_programme_form),
        page(Method::POST, "/admin/programmes", a, create_programme),
        page(Method::GET, "/admin/users", a, users),
        page(Method::GET, "/admin/users/new", a, new_user_form),
        page(Method::POST, "/admin/users", a, create_user),
        page(
            Method::POST,
            "/admin/users/{user_id}/disable",
            a,
            disable_user,
        ),
        page(
            Method::POST,
            "/admin/users/{user_id}/enable",
            a,
            enable_user,
        ),
        api(Method::GET, "/api/v1/admin/programmes", a, api_programmes),
        api(
            Method::POST,
            "/api/v1/admin/programmes",
            a,
            api_create_programme,
        ),
        api(Method::GET, "/api/v1/admin/users", a, api_users),
        api(Method::POST, "/api/v1/admin/users", a, api_create_user),
        api(
            Method::POST,
            "/api/v1/admin/users/{user_id}/disable",
            a,
            api_disable_user,
        ),
        api(
            Method::POST,
            "/api/v1/admin/users/{user_id}/enable",
            a,
            api_enable_user,
        ),
    ]
}

#[derive(Template)]
#[template(path = "admin/programmes.html")]
struct ProgrammesPage {
    layout: Layout,
    programmes: Vec<Programme>,
}

async fn programmes(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let programmes = app.store.programmes().await?;
    let layout = Layout::new(&app, &ctx, t("admin.programmes.title"), "admin").await?;
    Ok(render(&ProgrammesPage { layout, programmes })?)
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProgrammeForm {
    /// Short name for web addresses: lower-case letters, numbers, hyphens.
    pub slug: String,
    pub name: String,
    pub description: String,
    /// E-mail of an existing account to make its first administrator.
    pub administrator_email: String,
}

/// Creates a programme and, if named, its first administrator.
async fn make_programme(
    app: &AppState,
    ctx: &Ctx,
    f: &ProgrammeForm,
) -> Result<Programme, AppError> {
    let mut errs = match NewProgramme::validate(&f.slug, &f.name, &f.description) {
        Ok(_) => Vec::new(),
        Err(e) => e.0,
    };
    let admin = match f.administrator_email.trim() {
        "" => None,
        email => match app.store.credentials_by_email(email).await? {
            Some(c) => Some(c.user.id),
            None => {
                errs.push(useit_core::validation::FieldError {
                    field: "administrator_email".into(),
                    message: Message::new("import.member.unknown_email"),
                });
                None
            }
        },
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let new = NewProgramme::validate(&f.slug, &f.name, &f.description)?;
    Ok(app
        .store
        .create_programme(&new, admin, &ctx.actor())
        .await?)
}

#[derive(Template)]
#[template(path = "admin/programme_new.html")]
struct NewProgrammePage {
    layout: Layout,
    errors: FormErrors,
    form: ProgrammeForm,
}

async fn new_programme_page(
    app: &AppState,
    ctx: &Ctx,
    form: ProgrammeForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let layout = Layout::new(app, ctx, t("admin.programmes.new"), "admin")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &NewProgrammePage {
            layout,
            errors,
            form,
        },
    )
}

async fn new_programme_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(new_programme_page(&app, &ctx, ProgrammeForm::default(), FormErrors::default()).await?)
}

async fn create_programme(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ProgrammeForm>,
) -> Result<Response, PageError> {
    match make_programme(&app, &ctx, &f).await {
        Ok(p) => {
            ctx.flash(tf("admin.programmes.created", &[("name", &p.name)]))
                .await;
            Ok(Redirect::to("/admin").into_response())
        }
        Err(e) => Ok(new_programme_page(&app, &ctx, f, FormErrors::from_error(e, &[])?).await?),
    }
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct UserParams {
    /// Free text over name and e-mail.
    pub q: Option<String>,
    /// `name` (default), `email`, `last_sign_in` or `created`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl UserParams {
    fn query(&self) -> UserQuery {
        UserQuery {
            q: self.q.clone().filter(|s| !s.trim().is_empty()),
            sort: UserSort::parse(self.sort.as_deref()),
            dir: SortDir::parse(self.dir.as_deref()),
        }
    }
}

/// Lists accounts and records the read (names and e-mails are personal data).
async fn list_users(app: &AppState, ctx: &Ctx, p: &UserParams) -> Result<Page<User>, AppError> {
    let users = app
        .store
        .users(&p.query(), PageRequest::new(p.page, p.per_page))
        .await?;
    app.store
        .audit_append(&AuditEntry::new(
            &ctx.actor(),
            None,
            AuditAction::Read,
            "user_list",
            None,
            format!("{} accounts: email, display_name", users.items.len()),
        ))
        .await?;
    Ok(users)
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    users: Page<User>,
    pager: Pager,
    links: ListLinks,
    q: String,
    me: UserId,
}

async fn users(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<UserParams>,
) -> Result<Response, PageError> {
    let users = list_users(&app, &ctx, &p).await?;
    let q = p.q.clone().unwrap_or_default();
    let query = p.query();
    let links = ListLinks {
        path: "/admin/users".into(),
        params: vec![("q".into(), q.clone())],
        sort: query.sort.slug().into(),
        dir: query.dir,
    };
    let layout = Layout::new(&app, &ctx, t("admin.users.title"), "admin-users").await?;
    Ok(render(&UsersPage {
        layout,
        pager: Pager::new(&users, &links),
        links,
        users,
        q,
        me: ctx.user()?.id,
    })?)
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct UserForm {
    pub email: String,
    pub display_name: String,
    /// The first password; the person should change it when they sign in.
    pub password: String,
    /// "yes" (form) or true (API): a deployment administrator.
    #[schema(value_type = bool)]
    #[serde(deserialize_with = "yes_or_bool")]
    pub is_admin: bool,
}

fn yes_or_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum V {
        B(bool),
        S(String),
    }
    Ok(match V::deserialize(d)? {
        V::B(b) => b,
        V::S(s) => matches!(s.as_str(), "yes" | "true" | "on" | "1"),
    })
}

async fn make_user(app: &AppState, ctx: &Ctx, f: &UserForm) -> Result<User, AppError> {
    let (email, name, pw, admin) = (
        f.email.clone(),
        f.display_name.clone(),
        f.password.clone(),
        f.is_admin,
    );
    let new = tokio::task::spawn_blocking(move || NewUser::validate(&email, &name, &pw, admin))
        .await
        .map_err(AppError::internal)??;
    Ok(app.store.create_user(&new, None, &ctx.actor()).await?)
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewUserPage {
    layout: Layout,
    errors: FormErrors,
    form: UserForm,
}

async fn new_user_page(
    app: &AppState,
    ctx: &Ctx,
    form: UserForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let layout = Layout::new(app, ctx, t("admin.users.new"), "admin-users")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &NewUserPage {
            layout,
            errors,
            form: UserForm {
                password: String::new(),
                ..form
            },
        },
    )
}

async fn new_user_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(new_user_page(&app, &ctx, UserForm::default(), FormErrors::default()).await?)
}

async fn create_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<UserForm>,
) -> Result<Response, PageError> {
    match make_user(&app, &ctx, &f).await {
        Ok(u) => {
            ctx.flash(tf("admin.users.created", &[("email", &u.email)]))
                .await;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(e) => Ok(new_user_page(&app, &ctx, f, FormErrors::from_error(e, &[])?).await?),
    }
}

async fn set_disabled(
    app: &AppState,
    ctx: &Ctx,
    user_id: &str,
    disabled: bool,
) -> Result<User, AppError> {
    let id: UserId = user_id.parse().map_err(|_| AppError::NotFound)?;
    if disabled && id == ctx.user()?.id {
        return Err(AppError::Conflict {
            field: "user".into(),
            message: Message::new("admin.users.not_yourself"),
        });
    }
    app.store.set_disabled(id, disabled, &ctx.actor()).await?;
    app.store.user(id).await?.ok_or(AppError::NotFound)
}

async fn disable_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<String>,
) -> Result<Response, PageError> {
    let u = set_disabled(&app, &ctx, &user_id, true).await?;
    ctx.flash(tf("admin.users.disabled", &[("email", &u.email)]))
        .await;
    Ok(Redirect::to("/admin/users").into_response())
}

async fn enable_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<String>,
) -> Result<Response, PageError> {
    let u = set_disabled(&app, &ctx, &user_id, false).await?;
    ctx.flash(tf("admin.users.enabled", &[("email", &u.email)]))
        .await;
    Ok(Redirect::to("/admin/users").into_response())
}

#[derive(Serialize, ToSchema)]
pub struct AdminProgrammeJson {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub created_at: String,
}

impl From<&Programme> for AdminProgrammeJson {
    fn from(p: &Programme) -> Self {
        AdminProgrammeJson {
            id: p.id.to_string(),
            slug: p.slug.clone(),
            name: p.name.clone(),
            description: p.description.clone(),
            created_at: clock::rfc3339(p.created_at),
        }
    }
}

/// Every programme in this deployment.
#[utoipa::path(get, path = "/api/v1/admin/programmes", tag = "admin", responses((status = 200, body = Vec<AdminProgrammeJson>)))]
pub async fn api_programmes(
    State(app): State<AppState>,
) -> Result<Json<Vec<AdminProgrammeJson>>, ApiError> {
    Ok(Json(
        app.store
            .programmes()
            .await?
            .iter()
            .map(AdminProgrammeJson::from)
            .collect(),
    ))
}

/// Starts a programme.
#[utoipa::path(post, path = "/api/v1/admin/programmes", tag = "admin", request_body = ProgrammeForm,
    responses((status = 201, body = AdminProgrammeJson), (status = 422, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn api_create_programme(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<ProgrammeForm>,
) -> Result<Response, ApiError> {
    let p = make_programme(&app, &ctx, &f).await?;
    Ok((StatusCode::CREATED, Json(AdminProgrammeJson::from(&p))).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct UserJson {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub created_at: String,
    pub last_sign_in_at: Option<String>,
}

impl From<&User> for UserJson {
    fn from(u: &User) -> Self {
        UserJson {
            id: u.id.to_string(),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            is_admin: u.is_admin,
            disabled: u.disabled,
            created_at: clock::rfc3339(u.created_at),
            last_sign_in_at: u.last_sign_in_at.map(clock::rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserPageJson {
    pub items: Vec<UserJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
}

/// Every account (the read is audited).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(UserParams), responses((status = 200, body = UserPageJson)))]
pub async fn api_users(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<UserParams>,
) -> Result<Json<UserPageJson>, ApiError> {
    let users = list_users(&app, &ctx, &p).await?;
    Ok(Json(UserPageJson {
        total_pages: users.total_pages(),
        items: users.items.iter().map(UserJson::from).collect(),
        total: users.total,
        page: users.page,
        per_page: users.per_page,
    }))
}

/// Creates an account.
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", request_body = UserForm,
    responses((status = 201, body = UserJson), (status = 422, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn api_create_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<UserForm>,
) -> Result<Response, ApiError> {
    let u = make_user(&app, &ctx, &f).await?;
    Ok((StatusCode::CREATED, Json(UserJson::from(&u))).into_response())
}

/// Disables an account: it cannot sign in and its tokens stop working.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/disable", tag = "admin",
    params(("user_id" = String, Path, description = "The account's id")), responses((status = 200, body = UserJson)))]
pub async fn api_disable_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<String>,
) -> Result<Json<UserJson>, ApiError> {
    Ok(Json(UserJson::from(
        &set_disabled(&app, &ctx, &user_id, true).await?,
    )))
}

/// Enables a disabled account.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/enable", tag = "admin",
    params(("user_id" = String, Path, description = "The account's id")), responses((status = 200, body = UserJson)))]
pub async fn api_enable_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<String>,
) -> Result<Json<UserJson>, ApiError> {
    Ok(Json(UserJson::from(
        &set_disabled(&app, &ctx, &user_id, false).await?,
    )))
}

/// The context's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api_programmes,
    api_create_programme,
    api_users,
    api_create_user,
    api_disable_user,
    api_enable_user,
))]
pub struct Doc;
