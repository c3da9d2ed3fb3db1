//! The programme's spend settings: the influence rules, the city region,
//! the site radius and the LM3 inputs the measures are worked out with.
//! Saving them moves the programme's revision, so the figures follow at
//! once (SQL in `settings_sql.rs`).

use async_trait::async_trait;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;

use super::SpendSettings;
use crate::Result;

#[async_trait]
pub trait SpendSettingsStore {
    async fn spend_settings(&self, programme: ProgrammeId) -> Result<SpendSettings>;
    async fn save_spend_settings(
        &self,
        programme: ProgrammeId,
        settings: &SpendSettings,
        actor: &Actor,
    ) -> Result<()>;
    /// Saves the settings whose LM3 re-spend shares a re-spend survey set,
    /// with `detail` (the survey, the shares before and after) as the audit
    /// entry's, in one transaction.
    async fn save_spend_settings_from_survey(
        &self,
        programme: ProgrammeId,
        settings: &SpendSettings,
        detail: String,
        actor: &Actor,
    ) -> Result<()>;
}
