//! The talent results: anonymous facts about the funnel, barriers and
//! filled posts (no personal data, so no audit), and the savings inputs
//! the results are costed with (SQL in `results_sql.rs`).

use async_trait::async_trait;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::talent::results::{BarrierFact, FilledPost, FunnelFact};

use super::TalentSettings;
use crate::Result;

#[async_trait]
pub trait ResultStore {
    /// Anonymous facts for the results pages (no personal data, no audit).
    async fn funnel_facts(&self, programme: ProgrammeId) -> Result<Vec<FunnelFact>>;
    async fn barrier_facts(&self, programme: ProgrammeId) -> Result<Vec<BarrierFact>>;
    async fn filled_posts(&self, programme: ProgrammeId) -> Result<Vec<FilledPost>>;
    async fn talent_settings(&self, programme: ProgrammeId) -> Result<TalentSettings>;
    async fn save_talent_settings(
        &self,
        programme: ProgrammeId,
        settings: &TalentSettings,
        actor: &Actor,
    ) -> Result<()>;
}
