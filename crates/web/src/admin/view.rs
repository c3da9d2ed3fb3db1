//! What the administration pages and API share.

use useit_app::auth::Operator;
use useit_core::UserId;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;

/// The signed-in deployment administrator (the guard let only them in).
pub fn operator(ctx: &Ctx) -> Result<Operator, AppError> {
    Ok(Operator::signed_in(
        ctx.user()?.id,
        ctx.actor(),
        ctx.is_admin(),
    ))
}

/// An account's id from a path: anything else is a page that does not exist.
pub fn user_id(s: &str) -> Result<UserId, AppError> {
    s.parse().map_err(|_| AppError::NotFound)
}
