//! The deployment's accounts: the list (audited), adding one, disabling
//! and enabling.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::auth::users::{create_user as create, set_disabled, users as list};
use useit_core::UserId;
use useit_core::auth::{User, UserInput, UserListQuery};
use useit_core::i18n::{t, tf};
use useit_core::listing::Page;

use super::view::user_id;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, ListLinks, Pager, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

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

pub async fn users(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<UserListQuery>,
) -> Result<Response, PageError> {
    let query = p.query();
    let users = list(app.store.as_ref(), &ctx.operator()?, &query, p.page()).await?;
    let q = p.q.clone().unwrap_or_default();
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

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewUserPage {
    layout: Layout,
    errors: FormErrors,
    form: UserInput,
}

async fn new_user_page(
    app: &AppState,
    ctx: &Ctx,
    form: UserInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let status = errors.status();
    let layout = Layout::new(app, ctx, t("admin.users.new"), "admin-users")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &NewUserPage {
            layout,
            errors,
            form: UserInput {
                password: String::new(),
                ..form
            },
        },
    )
}

pub async fn new_user_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(new_user_page(&app, &ctx, UserInput::default(), FormErrors::default()).await?)
}

pub async fn create_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<UserInput>,
) -> Result<Response, PageError> {
    match create(app.store.as_ref(), &ctx.operator()?, &f, None).await {
        Ok(u) => {
            ctx.flash(tf("admin.users.created", &[("email", &u.email)]))
                .await;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(new_user_page(&app, &ctx, f, errors).await?)
        }
    }
}

async fn switch(app: &AppState, ctx: &Ctx, id: &str, disabled: bool) -> Result<User, AppError> {
    Ok(set_disabled(app.store.as_ref(), &ctx.operator()?, user_id(id)?, disabled).await?)
}

pub async fn disable_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let u = switch(&app, &ctx, &id, true).await?;
    ctx.flash(tf("admin.users.disabled", &[("email", &u.email)]))
        .await;
    Ok(Redirect::to("/admin/users").into_response())
}

pub async fn enable_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let u = switch(&app, &ctx, &id, false).await?;
    ctx.flash(tf("admin.users.enabled", &[("email", &u.email)]))
        .await;
    Ok(Redirect::to("/admin/users").into_response())
}
