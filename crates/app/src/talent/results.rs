//! The strand's results, counted from the records (no personal data), and
//! the professions' pathways they are measured against.

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::programme::indicators::Indicator;
use useit_core::talent::profession::Profession;
use useit_core::talent::results::{self, BarrierLine, Funnel, Savings};
use useit_core::talent::settings::TalentSettings;

use super::professions;
use crate::{Caller, Result, Store};

/// The funnel against the targets, the barrier report and the savings.
pub struct Results {
    pub settings: TalentSettings,
    /// The programme's targets for people engaged and into work (none until
    /// the programme manager sets them on the programme's targets page).
    pub target_engaged: Option<u64>,
    pub target_into_work: Option<u64>,
    pub funnel: Funnel,
    pub barriers: Vec<BarrierLine>,
    pub savings: Savings,
}

pub async fn results(store: &dyn Store, caller: &Caller) -> Result<Results> {
    caller.require(Capability::ViewTalentResults)?;
    let programme = caller.programme;
    let today = clock::today();
    let settings = store.talent_settings(programme).await?;
    let funnel = results::funnel(&store.funnel_facts(programme).await?);
    let barriers = results::barrier_report(&store.barrier_facts(programme).await?, today);
    let savings = results::savings(
        &store.filled_posts(programme).await?,
        &settings.savings,
        today,
    );
    let targets = store.programme_targets(programme).await?;
    let target = |i: Indicator| targets.iter().find(|t| t.indicator == i).map(|t| t.value);
    Ok(Results {
        settings,
        target_engaged: target(Indicator::TalentEngaged),
        target_into_work: target(Indicator::TalentIntoWork),
        funnel,
        barriers,
        savings,
    })
}

/// The professions, their dated rule sets and interim roles, as shipped.
pub fn pathways(caller: &Caller) -> Result<Vec<&'static Profession>> {
    caller.require(Capability::ViewTalentResults)?;
    Ok(professions().all().collect())
}
