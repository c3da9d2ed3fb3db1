//! Signing in and out, choosing a programme, and the account page (password
//! and API tokens); and the account through the JSON API (`api`). Checking
//! a sign-in and every account change are use cases in `useit_app::auth`;
//! the session is made here.

pub mod account;
pub mod api;
pub mod sign_in;

use axum::extract::State;
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::auth::account::memberships;

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::route::{Route, page};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    vec![
        page(Method::GET, "/", Access::Public, root),
        page(
            Method::GET,
            "/sign-in",
            Access::Public,
            sign_in::sign_in_form,
        ),
        page(Method::POST, "/sign-in", Access::Public, sign_in::sign_in),
        page(
            Method::POST,
            "/sign-out",
            Access::SignedIn,
            sign_in::sign_out,
        ),
        page(
            Method::GET,
            "/programmes",
            Access::SignedIn,
            account::programme_picker,
        ),
        page(Method::GET, "/account", Access::SignedIn, account::account),
        page(
            Method::POST,
            "/account/password",
            Access::SignedIn,
            account::change_password,
        ),
        page(
            Method::POST,
            "/account/tokens",
            Access::SignedIn,
            account::create_token,
        ),
        page(
            Method::POST,
            "/account/tokens/{token_id}/revoke",
            Access::SignedIn,
            account::revoke_token,
        ),
    ]
}

/// Where a signed-in person starts: their programme, the picker when they
/// have several, or the administration pages.
async fn home_for(app: &AppState, ctx: &Ctx) -> Result<String, AppError> {
    let ms = memberships(app.store.as_ref(), &ctx.operator()?).await?;
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
