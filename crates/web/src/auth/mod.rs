//! Signing in and out, choosing a programme, and the account page (password
//! and API tokens).

pub mod api;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use useit_core::audit::{AuditAction, AuditEntry};
use useit_core::auth::{ApiToken, Membership, NewApiToken, Role, password, token};
use useit_core::i18n::{Message, t};
use useit_core::{ApiTokenId, ProgrammeId, clock};

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::forms::constant_time_eq;
use crate::http::route::{Route, page};
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::session;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    vec![
        page(Method::GET, "/", Access::Public, root),
        page(Method::GET, "/sign-in", Access::Public, sign_in_form),
        page(Method::POST, "/sign-in", Access::Public, sign_in),
        page(Method::POST, "/sign-out", Access::SignedIn, sign_out),
        page(
            Method::GET,
            "/programmes",
            Access::SignedIn,
            programme_picker,
        ),
        page(Method::GET, "/account", Access::SignedIn, account),
        page(
            Method::POST,
            "/account/password",
            Access::SignedIn,
            change_password,
        ),
        page(
            Method::POST,
            "/account/tokens",
            Access::SignedIn,
            create_token,
        ),
        page(
            Method::POST,
            "/account/tokens/{token_id}/revoke",
            Access::SignedIn,
            revoke_token,
        ),
    ]
}

/// Where a signed-in person starts: their programme, the picker when they
/// have several, or the administration pages.
async fn home_for(app: &AppState, ctx: &Ctx) -> Result<String, AppError> {
    let user = ctx.user()?;
    let ms = app.store.memberships(user.id).await?;
    Ok(match ms.as_slice() {
        [one] => format!("/p/{}", one.programme.slug),
        [] if ctx.is_admin() => "/admin".into(),
        _ => "/programmes".into(),
    })
}

async fn root(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if ctx.user.is_none() {
        return Ok(Redirect::to("/sign-in").into_response());
    }
    Ok(Redirect::to(&home_for(&app, &ctx).await?).into_response())
}

/// Only paths on this site: no `//host` or `/\host` tricks.
fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?.trim();
    let ok = n.starts_with('/')
        && !n.starts_with("//")
        && !n.starts_with("/\\")
        && !n.contains(['\r', '\n']);
    ok.then(|| n.to_string())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
struct SignInPage {
    layout: Layout,
    errors: FormErrors,
    email: String,
    next: String,
    signed_out: bool,
}

async fn sign_in_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SignInQuery>,
) -> Result<Response, PageError> {
    if ctx.user.is_some() {
        let to = safe_next(q.next.as_deref()).unwrap_or(home_for(&app, &ctx).await?);
        return Ok(Redirect::to(&to).into_response());
    }
    let layout = Layout::new(&app, &ctx, t("sign_in.title"), "").await?;
    Ok(render(&SignInPage {
        layout,
        errors: FormErrors::default(),
        email: String::new(),
        next: safe_next(q.next.as_deref()).unwrap_or_default(),
        signed_out: q.signed_out.is_some(),
    })?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInForm {
    email: String,
    password: String,
    next: String,
}

async fn sign_in(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SignInForm>,
) -> Result<Response, PageError> {
    let again = |errors: FormErrors, status: StatusCode| {
        let app = app.clone();
        let ctx = ctx.clone();
        let email = f.email.clone();
        let next = safe_next(Some(&f.next)).unwrap_or_default();
        async move {
            let layout = Layout::new(&app, &ctx, t("sign_in.title"), "")
                .await?
                .with_errors(&errors);
            Ok::<_, PageError>(render_status(
                status,
                &SignInPage {
                    layout,
                    errors,
                    email,
                    next,
                    signed_out: false,
                },
            )?)
        }
    };
    let mut errors = FormErrors::default();
    if f.email.trim().is_empty() {
        errors.push("email", Message::new("validation.required.email"));
    }
    if f.password.is_empty() {
        errors.push("password", Message::new("validation.required.password"));
    }
    if !errors.is_empty() {
        return again(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let now = clock::now();
    let window =
        time::Duration::try_from(app.config.failure_window).unwrap_or(time::Duration::minutes(15));
    let email_key = format!("email:{}", f.email.trim().to_lowercase());
    let addr_key = format!("addr:{}", ctx.client);
    let by_email = app.store.failures_since(&email_key, now - window).await?;
    let by_addr = app.store.failures_since(&addr_key, now - window).await?;
    if by_email >= app.config.max_failures_per_account
        || by_addr >= app.config.max_failures_per_address
    {
        let minutes = (app.config.failure_window.as_secs() / 60).to_string();
        return again(
            FormErrors::one(
                "email",
                Message::new("sign_in.throttled").arg("minutes", minutes),
            ),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let creds = app.store.credentials_by_email(&f.email).await?;
    let (hash, known) = match &creds {
        Some(c) => (c.password_hash.clone(), true),
        None => (password::decoy_hash().to_string(), false),
    };
    let pw = f.password.clone();
    let matches = tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
        .await
        .map_err(AppError::internal)?;
    let user = creds
        .map(|c| c.user)
        .filter(|u| known && matches && !u.disabled);
    let Some(user) = user else {
        app.store.record_failure(&email_key, now).await?;
        app.store.record_failure(&addr_key, now).await?;
        let actor = ctx.actor();
        let (subject, summary) = match app.store.credentials_by_email(&f.email).await? {
            Some(c) if c.user.disabled => (Some(c.user.id.to_string()), "account disabled"),
            Some(c) => (Some(c.user.id.to_string()), "wrong password"),
            None => (None, "unknown account"),
        };
        app.store
            .audit_append(&AuditEntry::new(
                &actor,
                None,
                AuditAction::SignInFailed,
                "user",
                subject,
                summary,
            ))
            .await?;
        return again(
            FormErrors::one("email", Message::new("sign_in.wrong")),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    };
    let s = ctx
        .session
        .as_ref()
        .ok_or_else(|| AppError::internal("no session layer"))?;
    // A new session id on sign-in: a planted session cannot be taken over.
    s.cycle_id().await.map_err(AppError::internal)?;
    s.insert(session::USER, user.id)
        .await
        .map_err(AppError::internal)?;
    s.insert(session::CSRF, token::issue().hash)
        .await
        .map_err(AppError::internal)?;
    s.insert(session::SIGNED_IN_AT, now.unix_timestamp())
        .await
        .map_err(AppError::internal)?;
    s.insert(session::SEEN_AT, now.unix_timestamp())
        .await
        .map_err(AppError::internal)?;
    app.store.clear_failures(&email_key).await?;
    app.store.record_sign_in(user.id, now).await?;
    let actor = useit_core::audit::Actor::user(
        user.id,
        user.email.clone(),
        useit_core::audit::Channel::Web,
    );
    app.store
        .audit_append(&AuditEntry::new(
            &actor,
            None,
            AuditAction::SignIn,
            "user",
            Some(user.id.to_string()),
            "",
        ))
        .await?;
    let signed_in = Ctx {
        user: Some(user),
        via: crate::http::ctx::Via::Session {
            hash: String::new(),
        },
        ..ctx.clone()
    };
    let to = match safe_next(Some(&f.next)) {
        Some(n) => n,
        None => home_for(&app, &signed_in).await?,
    };
    Ok(Redirect::to(&to).into_response())
}

async fn sign_out(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.actor();
    if let Some(u) = &ctx.user {
        app.store
            .audit_append(&AuditEntry::new(
                &actor,
                None,
                AuditAction::SignOut,
                "user",
                Some(u.id.to_string()),
                "",
            ))
            .await?;
    }
    if let Some(s) = &ctx.session {
        s.flush().await.map_err(AppError::internal)?;
    }
    Ok(Redirect::to("/sign-in?signed_out=1").into_response())
}

#[derive(Template)]
#[template(path = "auth/programmes.html")]
struct PickerPage {
    layout: Layout,
    memberships: Vec<Membership>,
}

async fn programme_picker(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let memberships = app.store.memberships(ctx.user()?.id).await?;
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
    let ms = app.store.memberships(user.id).await?;
    let now = clock::now();
    let tokens = app
        .store
        .tokens_of_user(user.id)
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

async fn account(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &account_page(&app, &ctx, FormErrors::default(), String::new(), None).await?,
    )?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

/// Checks a password change; the same rules for the page and the API.
pub async fn check_password_change(
    app: &AppState,
    ctx: &Ctx,
    current: &str,
    new: &str,
    confirm: Option<&str>,
) -> Result<String, Vec<useit_core::validation::FieldError>> {
    let mut errors = useit_core::validation::Errors::new();
    let user_id = match ctx.user() {
        Ok(u) => u.id,
        Err(_) => return Err(Vec::new()),
    };
    let hash = app
        .store
        .credentials(user_id)
        .await
        .ok()
        .flatten()
        .map(|c| c.password_hash)
        .unwrap_or_default();
    let cur = current.to_string();
    let ok = tokio::task::spawn_blocking(move || password::verify(&cur, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        errors.add("current_password", Message::new("password.current_wrong"));
    }
    if let Err(m) = password::check_policy(new) {
        errors.add("new_password", m);
    } else if confirm.is_some_and(|c| !constant_time_eq(c, new)) {
        errors.add("confirm_password", Message::new("password.mismatch"));
    }
    if !errors.is_empty() {
        return Err(errors.into_vec());
    }
    let pw = new.to_string();
    Ok(tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .unwrap_or_default())
}

async fn change_password(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    match check_password_change(
        &app,
        &ctx,
        &f.current_password,
        &f.new_password,
        Some(&f.confirm_password),
    )
    .await
    {
        Err(errs) => {
            let page = account_page(
                &app,
                &ctx,
                FormErrors::from_fields(&errs, &[]),
                String::new(),
                None,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Ok(hash) => {
            let user = ctx.user()?;
            app.store
                .set_password(user.id, &hash, ctx.session_hash(), &ctx.actor())
                .await?;
            ctx.flash(t("account.password.changed")).await;
            Ok(Redirect::to("/account").into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    token_name: String,
    programme: String,
    expires: String,
}

/// Issues a token for one of the user's programmes, with the role they hold
/// there. Returns the stored token and its secret (shown once).
pub async fn issue_token(
    app: &AppState,
    ctx: &Ctx,
    name: &str,
    programme: &str,
    expires_in_days: Option<i64>,
) -> Result<(ApiToken, String), AppError> {
    let user = ctx.user()?;
    let mut errors = useit_core::validation::Errors::new();
    let name = errors.required("token_name", name, 80);
    let pid: Option<ProgrammeId> = programme.parse().ok();
    let role: Option<Role> = match pid {
        Some(p) => app.store.role_in(user.id, p).await?,
        None => None,
    };
    if role.is_none() {
        errors.add(
            "programme",
            Message::new("account.tokens.programme_required"),
        );
    }
    if let Some(d) = expires_in_days
        && !(1..=3650).contains(&d)
    {
        errors.add("expires", Message::new("account.tokens.expiry_range"));
    }
    errors.finish(|| ())?;
    let issued = token::issue();
    let expires_at: Option<OffsetDateTime> =
        expires_in_days.map(|d| clock::now() + time::Duration::days(d));
    let t = app
        .store
        .create_token(
            &NewApiToken {
                programme_id: pid.expect("checked"),
                user_id: user.id,
                role: role.expect("checked"),
                name,
                token_hash: issued.hash,
                hint: issued.hint,
                expires_at,
            },
            &ctx.actor(),
        )
        .await?;
    Ok((t, issued.secret))
}

async fn create_token(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<TokenForm>,
) -> Result<Response, PageError> {
    let days = match f.expires.as_str() {
        "never" => None,
        d => Some(d.parse::<i64>().unwrap_or(90)),
    };
    match issue_token(&app, &ctx, &f.token_name, &f.programme, days).await {
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
            let errors = FormErrors::from_error(e, &[])?;
            let page = account_page(&app, &ctx, errors, f.token_name, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

async fn revoke_token(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(token_id): Path<String>,
) -> Result<Response, PageError> {
    let id: ApiTokenId = token_id.parse().map_err(|_| AppError::NotFound)?;
    app.store
        .revoke_token(ctx.user()?.id, id, &ctx.actor())
        .await?;
    ctx.flash(t("account.tokens.revoked")).await;
    Ok(Redirect::to("/account").into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/p/x/partners?page=2")).as_deref(),
            Some("/p/x/partners?page=2")
        );
        assert_eq!(safe_next(Some("//evil.example/")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example/")), None);
        assert_eq!(safe_next(None), None);
    }
}
