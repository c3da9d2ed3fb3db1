//! What the administration pages and API share.

use useit_core::UserId;

use crate::http::error::AppError;

/// An account's id from a path: anything else is a page that does not exist.
pub fn user_id(s: &str) -> Result<UserId, AppError> {
    s.parse().map_err(|_| AppError::NotFound)
}
