//! The deployment as a whole, for load balancers and orchestrators.

use crate::{Result, Store};

/// The database answers: the deployment is ready for traffic.
pub async fn ready(store: &dyn Store) -> Result<()> {
    Ok(store.ping().await?)
}
