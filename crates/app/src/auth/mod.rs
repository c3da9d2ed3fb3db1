//! Accounts and who may do what: the deployment's accounts (for its
//! administrators), a person's own account (password, API tokens, the
//! programmes they are in), checking a sign-in, and whether the
//! deployment is ready to serve. Sessions and the route guard are the web
//! layer's.

pub mod account;
pub mod deployment;
mod operator;
pub mod sign_in;
pub mod users;

pub use operator::Operator;

/// Runs slow work (password hashing, by design) off the async workers, so
/// one sign-in does not hold up every other request; a panic in it stays a
/// panic.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
