//! The account page (password and API tokens) and the programme picker.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::auth::account::{
    change_password as change, create_token as issue, memberships, revoke_token as revoke, tokens,
};
use useit_core::ApiTokenId;
use useit_core::auth::password::PasswordChange;
use useit_core::auth::token::{TokenInput, expiry_choice};
use useit_core::auth::{ApiToken, Membership};
use useit_core::clock;
use useit_core::i18n::t;

use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "auth/programmes.html")]
struct PickerPage {
    layout: Layout,
    memberships: Vec<Membership>,
}

pub async fn programme_picker(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let memberships = memberships(app.store.as_ref(), &ctx.operator()?).await?;
    let layout = Layout::new(&app, &ctx, t("programmes.title"), "").await?;
    Ok(render(&PickerPage {
        layout,
        memberships,
    })?)
}

/// A token as the account page lists it.
pub struct TokenRow {
    pub token: ApiToken,
    pub programme: String,
    pub usable: bool,
}

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    layout: Layout,
    email: String,
    errors: FormErrors,
    tokens: Vec<TokenRow>,
    programmes: Vec<Choice>,
    expiries: Vec<Choice>,
    token_name: String,
    new_secret: Option<String>,
}

fn expiry_choices() -> Vec<Choice> {
    vec![
        Choice::new("30", t("account.tokens.expiry.30")),
        Choice::new("90", t("account.tokens.expiry.90")),
        Choice::new("365", t("account.tokens.expiry.365")),
        Choice::new("never", t("account.tokens.expiry.never")),
    ]
}

async fn account_page(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    token_name: String,
    new_secret: Option<String>,
) -> Result<AccountPage, AppError> {
    let user = ctx.user()?;
    let me = ctx.operator()?;
    let ms = memberships(app.store.as_ref(), &me).await?;
    let now = clock::now();
    let tokens = tokens(app.store.as_ref(), &me)
        .await?
        .into_iter()
        .map(|tk| TokenRow {
            programme: ms
                .iter()
                .find(|m| m.programme.id == tk.programme_id)
                .map(|m| m.programme.name.clone())
                .unwrap_or_default(),
            usable: tk.is_usable_at(now),
            token: tk,
        })
        .collect();
    let layout = Layout::new(app, ctx, t("account.title"), "")
        .await?
        .with_errors(&errors);
    Ok(AccountPage {
        layout,
        email: user.email.clone(),
        errors,
        tokens,
        programmes: ms
            .iter()
            .map(|m| {
                Choice::new(
                    m.programme.id.to_string(),
                    format!("{} ({})", m.programme.name, t(&m.role.label_key())),
                )
            })
            .collect(),
        expiries: expiry_choices(),
        token_name,
        new_secret,
    })
}

pub async fn account(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &account_page(&app, &ctx, FormErrors::default(), String::new(), None).await?,
    )?)
}

/// The password form: the new password is typed twice here.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

pub async fn change_password(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let input = PasswordChange {
        current_password: f.current_password,
        new_password: f.new_password,
        confirm_password: Some(f.confirm_password),
    };
    let changed = change(
        app.store.as_ref(),
        &ctx.operator()?,
        &input,
        ctx.session_hash(),
    )
    .await;
    match changed {
        Ok(()) => {
            ctx.flash(t("account.password.changed")).await;
            Ok(Redirect::to("/account").into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = account_page(&app, &ctx, errors, String::new(), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    token_name: String,
    programme: String,
    expires: String,
}

pub async fn create_token(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<TokenForm>,
) -> Result<Response, PageError> {
    let input = TokenInput {
        name: f.token_name.clone(),
        programme: f.programme.parse().ok(),
        expires_in_days: expiry_choice(&f.expires),
    };
    match issue(app.store.as_ref(), &ctx.operator()?, &input).await {
        Ok((_, secret)) => {
            let page = account_page(
                &app,
                &ctx,
                FormErrors::default(),
                String::new(),
                Some(secret),
            )
            .await?;
            Ok(render_status(StatusCode::CREATED, &page)?)
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = account_page(&app, &ctx, errors, f.token_name, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

pub async fn revoke_token(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(token_id): Path<String>,
) -> Result<Response, PageError> {
    let id: ApiTokenId = token_id.parse().map_err(|_| AppError::NotFound)?;
    revoke(app.store.as_ref(), &ctx.operator()?, id).await?;
    ctx.flash(t("account.tokens.revoked")).await;
    Ok(Redirect::to("/account").into_response())
}
