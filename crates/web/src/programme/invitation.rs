//! Invitations (issue 16 item 9): the administrator's form and list, and
//! the page an invitation's link opens. Inviting answers the same for every
//! e-mail address, so it tells nobody which people have an account.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::programme::invitations::{
    Opened, accept, accept_with_new_account, invitations, invite, open, withdraw,
};
use useit_core::auth::invitation::{Invitation, InvitationInput, InvitationState};
use useit_core::clock;
use useit_core::i18n::{t, tf};

use super::view::{members_base, role_choices};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::link_on_this_host;
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "programme/invitation_new.html")]
struct InvitePage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: InvitationInput,
    roles: Vec<Choice>,
}

async fn invite_page(
    app: &AppState,
    ctx: &Ctx,
    form: InvitationInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let layout = Layout::new(app, ctx, t("invitations.new.title"), "members")
        .await?
        .with_errors(&errors);
    render_status(
        errors.status(),
        &InvitePage {
            layout,
            base: members_base(ctx)?,
            errors,
            form,
            roles: role_choices(true),
        },
    )
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(invite_page(
        &app,
        &ctx,
        InvitationInput::default(),
        FormErrors::default(),
    )
    .await?)
}

#[derive(Template)]
#[template(path = "programme/invitation_created.html")]
struct CreatedPage {
    layout: Layout,
    base: String,
    body: String,
    link: String,
}

/// Creates the invitation and shows its link once.
pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<InvitationInput>,
) -> Result<Response, PageError> {
    match invite(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(invited) => {
            let i = &invited.invitation;
            let page = CreatedPage {
                layout: Layout::new(&app, &ctx, t("invitations.created.title"), "members").await?,
                base: members_base(&ctx)?,
                body: tf(
                    "invitations.created.body",
                    &[
                        ("email", &i.email),
                        ("role", t(&i.role.label_key())),
                        ("closes", &clock::display(i.expires_at)),
                    ],
                ),
                link: link_on_this_host(
                    &app.config,
                    &headers,
                    &format!("/invitations/{}", invited.secret),
                ),
            };
            Ok(render_status(StatusCode::CREATED, &page)?)
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(invite_page(&app, &ctx, f, errors).await?)
        }
    }
}

/// An invitation as a row of the administrator's list.
pub struct Row {
    pub id: String,
    pub email: String,
    pub role: String,
    pub state: String,
    pub open: bool,
    pub closes: String,
}

impl Row {
    fn new(i: &Invitation) -> Row {
        let state = i.state(clock::now());
        Row {
            id: i.id.to_string(),
            email: i.email.clone(),
            role: t(&i.role.label_key()).to_string(),
            state: t(state.label_key()).to_string(),
            open: state == InvitationState::Open,
            closes: clock::display(i.expires_at),
        }
    }
}

#[derive(Template)]
#[template(path = "programme/invitations.html")]
struct ListPage {
    layout: Layout,
    base: String,
    rows: Vec<Row>,
}

/// The programme's invitations (they name e-mail addresses: audited).
pub async fn list(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let all = invitations(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(render(&ListPage {
        layout: Layout::new(&app, &ctx, t("invitations.title"), "members").await?,
        base: members_base(&ctx)?,
        rows: all.iter().map(Row::new).collect(),
    })?)
}

pub async fn withdraw_one(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    withdraw(app.store.as_ref(), &ctx.caller()?, id).await?;
    ctx.flash(t("invitations.withdrawn")).await;
    Ok(Redirect::to(&format!("{}/invitations", members_base(&ctx)?)).into_response())
}

#[derive(Template)]
#[template(path = "auth/invitation.html")]
struct OpenPage {
    layout: Layout,
    action: String,
    programme: String,
    email: String,
    role: String,
    closes: String,
    /// Why the invitation no longer works, if it does not.
    closed: Option<String>,
    /// The signed-in account, if any, and whether it is the one invited.
    signed_in_as: Option<String>,
    is_invited: bool,
    sign_in_href: String,
    errors: FormErrors,
    display_name: String,
}

async fn open_view(
    app: &AppState,
    ctx: &Ctx,
    secret: &str,
    errors: FormErrors,
    display_name: String,
) -> Result<Response, AppError> {
    let Opened {
        invitation,
        programme,
        state,
    } = open(app.store.as_ref(), secret).await?;
    let closed = state.closed_key().map(|k| t(k).to_string());
    let action = format!("/invitations/{secret}");
    let page = OpenPage {
        layout: Layout::new(
            app,
            ctx,
            tf("invitations.open.title", &[("programme", &programme.name)]),
            "",
        )
        .await?
        .with_errors(&errors),
        sign_in_href: format!("/sign-in?next={action}"),
        action,
        programme: programme.name,
        email: invitation.email.clone(),
        role: t(&invitation.role.label_key()).to_string(),
        closes: clock::display(invitation.expires_at),
        closed,
        signed_in_as: ctx.user.as_ref().map(|u| u.email.clone()),
        is_invited: ctx
            .user
            .as_ref()
            .is_some_and(|u| invitation.is_for(&u.email)),
        errors,
        display_name,
    };
    render_status(page.errors.status(), &page)
}

pub async fn open_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
) -> Result<Response, PageError> {
    Ok(open_view(&app, &ctx, &secret, FormErrors::default(), String::new()).await?)
}

/// Accepts as the signed-in account.
pub async fn accept_signed_in(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
) -> Result<Response, PageError> {
    let user = ctx.user()?.clone();
    match accept(app.store.as_ref(), &user, &secret, &ctx.actor()).await {
        Ok(opened) => {
            ctx.flash(tf(
                "invitations.accepted",
                &[("programme", &opened.programme.name)],
            ))
            .await;
            Ok(Redirect::to(&format!("/p/{}", opened.programme.slug)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(open_view(&app, &ctx, &secret, errors, String::new()).await?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AccountForm {
    pub display_name: String,
    pub password: String,
}

/// Accepts by creating the invited e-mail's account; then the person signs in.
pub async fn accept_new_account(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
    Form(f): Form<AccountForm>,
) -> Result<Response, PageError> {
    match accept_with_new_account(
        app.store.as_ref(),
        &secret,
        &f.display_name,
        &f.password,
        ctx.actor(),
    )
    .await
    {
        Ok((opened, _)) => {
            ctx.flash(tf(
                "invitations.account_created",
                &[("programme", &opened.programme.name)],
            ))
            .await;
            let next = format!("/sign-in?next=/p/{}", opened.programme.slug);
            Ok(Redirect::to(&next).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(open_view(&app, &ctx, &secret, errors, f.display_name).await?)
        }
    }
}
