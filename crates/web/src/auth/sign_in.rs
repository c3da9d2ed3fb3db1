//! Signing in and out. The password check and the throttle are
//! `useit_app::auth::sign_in`'s; the session (a new id, the CSRF token) is
//! made here.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::auth::sign_in::{SignIn, sign_in as check, signed_in, signed_out};
use useit_core::audit::{Actor, Channel};
use useit_core::auth::sign_in::{SignInInput, Throttle};
use useit_core::auth::token;
use useit_core::clock;
use useit_core::i18n::{Message, t};

use super::home_for;
use crate::http::ctx::{Ctx, Via};
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::session;
use crate::state::AppState;

/// Only paths on this site, or nothing. Browsers forgive a lot in a
/// `Location`: they drop tabs and newlines (`/\t/evil.example/` is
/// `//evil.example/`), read `\` as `/`, and take `//host` as another site.
/// So the path must start with one `/`, and every character be printable
/// ASCII other than `\` (anything else arrives percent-encoded from a real
/// link, and a control character could not even be put in the header).
fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?;
    let ok = n.starts_with('/')
        && !n.starts_with("//")
        && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    ok.then(|| n.to_string())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInQuery {
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

pub async fn sign_in_form(
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
pub struct SignInForm {
    email: String,
    password: String,
    next: String,
}

/// The sign-in page again, with what went wrong.
async fn again(
    app: &AppState,
    ctx: &Ctx,
    f: &SignInForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let layout = Layout::new(app, ctx, t("sign_in.title"), "")
        .await?
        .with_errors(&errors);
    Ok(render_status(
        status,
        &SignInPage {
            layout,
            errors,
            email: f.email.clone(),
            next: safe_next(Some(&f.next)).unwrap_or_default(),
            signed_out: false,
        },
    )?)
}

pub async fn sign_in(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SignInForm>,
) -> Result<Response, PageError> {
    let input = SignInInput {
        email: f.email.clone(),
        password: f.password.clone(),
    };
    let throttle = Throttle {
        max_per_account: app.config.max_failures_per_account,
        max_per_address: app.config.max_failures_per_address,
        window: app.config.failure_window,
    };
    let checked = check(
        app.store.as_ref(),
        &input,
        &ctx.client,
        &throttle,
        &ctx.actor(),
    )
    .await;
    let user = match checked {
        Ok(SignIn::Welcome(user)) => user,
        Ok(SignIn::Throttled { minutes }) => {
            let errors = FormErrors::one(
                "email",
                Message::new("sign_in.throttled").arg("minutes", minutes.to_string()),
            );
            return again(&app, &ctx, &f, errors, StatusCode::TOO_MANY_REQUESTS).await;
        }
        Ok(SignIn::Refused) => {
            let errors = FormErrors::one("email", Message::new("sign_in.wrong"));
            return again(&app, &ctx, &f, errors, StatusCode::UNAUTHORIZED).await;
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            return again(&app, &ctx, &f, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let now = clock::now();
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
    let actor =
        Actor::user(user.id, user.email.clone(), Channel::Web).at_address(ctx.actor().address);
    signed_in(app.store.as_ref(), &input, &user, &actor).await?;
    let signed_in = Ctx {
        user: Some(user),
        via: Via::Session {
            hash: String::new(),
        },
        kept: None,
        ..ctx.clone()
    };
    let to = match safe_next(Some(&f.next)) {
        Some(n) => n,
        None => home_for(&app, &signed_in).await?,
    };
    Ok(Redirect::to(&to).into_response())
}

pub async fn sign_out(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    signed_out(app.store.as_ref(), &ctx.operator()?).await?;
    if let Some(s) = &ctx.session {
        s.flush().await.map_err(AppError::internal)?;
    }
    Ok(Redirect::to("/sign-in?signed_out=1").into_response())
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
        for evil in [
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/ /evil.example/",
            " //evil.example/",
            "/\\/evil.example",
            "/a\\b",
            "/\0",
            "/\u{7f}",
            "/\u{2028}/evil.example",
            "",
            "evil.example",
        ] {
            assert_eq!(safe_next(Some(evil)), None, "{evil:?}");
        }
        assert_eq!(safe_next(Some("/%09/x")).as_deref(), Some("/%09/x"));
    }
}
