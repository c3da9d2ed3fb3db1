//! The account through the API: who am I, my password, my tokens.

pub mod me;
pub mod tokens;

use axum::http::Method;
use utoipa::OpenApi;

use crate::http::ctx::Access;
use crate::http::route::{Route, api};

pub fn routes() -> Vec<Route> {
    vec![
        api(Method::GET, "/api/v1/me", Access::SignedIn, me::me),
        api(
            Method::PUT,
            "/api/v1/me/password",
            Access::SignedIn,
            me::change_password,
        ),
        api(
            Method::GET,
            "/api/v1/tokens",
            Access::SignedIn,
            tokens::list_tokens,
        ),
        api(
            Method::POST,
            "/api/v1/tokens",
            Access::SignedIn,
            tokens::create_token,
        ),
        api(
            Method::DELETE,
            "/api/v1/tokens/{token_id}",
            Access::SignedIn,
            tokens::revoke_token,
        ),
    ]
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    me::me,
    me::change_password,
    tokens::list_tokens,
    tokens::create_token,
    tokens::revoke_token,
))]
pub struct Doc;
