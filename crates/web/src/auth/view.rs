//! What the account pages and the account API share.

use useit_app::auth::Operator;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;

/// The signed-in person, for the use cases of their own account.
pub fn operator(ctx: &Ctx) -> Result<Operator, AppError> {
    Ok(Operator::signed_in(
        ctx.user()?.id,
        ctx.actor(),
        ctx.is_admin(),
    ))
}
