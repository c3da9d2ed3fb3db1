//! The area schemes and deprivation indices loaded in the deployment:
//! reference data, the same for every programme.

use useit_core::place::SchemeSummary;
use useit_core::place::deprivation::DeprivationIndex;

use crate::{Result, Store};

/// The schemes (with how much of each is loaded) and the indices over them.
#[derive(Clone, Debug)]
pub struct Geographies {
    pub schemes: Vec<SchemeSummary>,
    pub indices: Vec<DeprivationIndex>,
}

/// Everything loaded. Deployment-wide: anyone signed in may see it, and no
/// programme is involved.
pub async fn geographies(store: &dyn Store) -> Result<Geographies> {
    Ok(Geographies {
        schemes: store.schemes().await?,
        indices: indices(store).await?,
    })
}

/// The deprivation indices loaded, by code (without counting each
/// scheme's areas and postcodes, which `geographies` does).
pub async fn indices(store: &dyn Store) -> Result<Vec<DeprivationIndex>> {
    Ok(store.indices().await?)
}
