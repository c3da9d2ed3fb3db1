//! The programme's disclosure threshold (issue 17): one row per programme,
//! none meaning the default.

use async_trait::async_trait;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::disclosure::DisclosureSettings;

use crate::Result;

#[async_trait]
pub trait DisclosureStore {
    /// The programme's threshold, or the default when never set.
    async fn disclosure_settings(&self, programme: ProgrammeId) -> Result<DisclosureSettings>;
    /// Sets the threshold, with its audit entry, in one transaction.
    async fn save_disclosure_settings(
        &self,
        programme: ProgrammeId,
        settings: DisclosureSettings,
        actor: &Actor,
    ) -> Result<()>;
}
