//! The deployment as a whole, for load balancers and orchestrators.

use crate::{Result, Store};

/// The database answers: the deployment is ready for traffic.
pub async fn ready(store: &dyn Store) -> Result<()> {
    Ok(store.ping().await?)
}

/// Whether anyone can sign in yet (the server says how to make the first
/// account when nobody can).
pub async fn has_accounts(store: &dyn Store) -> Result<bool> {
    Ok(store.count_users().await? > 0)
}
