//! What the programme's indicators are computed from: anonymous, dated
//! facts read from the other contexts' tables (no names, so no audit entry),
//! how far the programme is set up, and its targets.

use async_trait::async_trait;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::programme::indicators::{
    EnterpriseFacts, PaidTime, ResearcherFact, Setup, TalentFact, Target,
};

use crate::Result;

#[async_trait]
pub trait IndicatorStore {
    /// Counts of what is set up: area of benefit, anchors, files, register, targets.
    async fn programme_setup(&self, programme: ProgrammeId) -> Result<Setup>;
    /// Every resident of the talent strand (erased ones too: their stage stays).
    async fn talent_indicator_facts(&self, programme: ProgrammeId) -> Result<Vec<TalentFact>>;
    /// Every community researcher: when accredited, when first paid.
    async fn researcher_indicator_facts(
        &self,
        programme: ProgrammeId,
    ) -> Result<Vec<ResearcherFact>>;
    /// Profiles and support given, per enterprise. Their income years are
    /// left empty: the app fills them with `enterprise::records::income_years`
    /// (typed years, imported grants, contracts the spend lines paid), the
    /// one rule every enterprise figure counts by.
    async fn enterprise_indicator_facts(&self, programme: ProgrammeId) -> Result<EnterpriseFacts>;
    /// Every approved entry of researchers' time, without names: the pay
    /// per researcher is priced from it.
    async fn paid_time(&self, programme: ProgrammeId) -> Result<Vec<PaidTime>>;
    /// The programme's targets, by indicator.
    async fn programme_targets(&self, programme: ProgrammeId) -> Result<Vec<Target>>;
    /// Replaces every target of the programme, with its audit entry, in one
    /// transaction.
    async fn save_programme_targets(
        &self,
        programme: ProgrammeId,
        targets: &[Target],
        actor: &Actor,
    ) -> Result<()>;
}
