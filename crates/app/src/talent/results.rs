//! The strand's results, counted from the records (no personal data), and
//! the professions' pathways they are measured against.

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::disclosure::Viewer;
use useit_core::programme::indicators::Indicator;
use useit_core::talent::profession::Profession;
use useit_core::talent::results;
use useit_core::talent::results_publish::{
    PublishedBarriers, PublishedFunnel, PublishedSavings, publish_barriers, publish_funnel,
    publish_savings,
};
use useit_core::talent::settings::TalentSettings;

use super::professions;
use crate::programme::disclosure::viewer;
use crate::{Caller, Result, Store};

/// The funnel against the targets, the barrier report and the savings, as
/// the caller may see them: exact for roles that may see the people,
/// under the programme's disclosure threshold for everyone else.
pub struct Results {
    pub settings: TalentSettings,
    /// The programme's targets for people engaged and into work (none until
    /// the programme manager sets them on the programme's targets page).
    pub target_engaged: Option<u64>,
    pub target_into_work: Option<u64>,
    pub viewer: Viewer,
    pub funnel: PublishedFunnel,
    pub barriers: PublishedBarriers,
    pub savings: PublishedSavings,
}

pub async fn results(store: &dyn Store, caller: &Caller) -> Result<Results> {
    caller.require(Capability::ViewTalentResults)?;
    let programme = caller.programme;
    let today = clock::today();
    let settings = store.talent_settings(programme).await?;
    let viewer = viewer(store, caller, Capability::ViewPeople).await?;
    let funnel = results::funnel(&store.funnel_facts(programme).await?);
    let facts = store.barrier_facts(programme).await?;
    let barriers = results::barrier_report(&facts, today);
    let savings = results::savings(
        &store.filled_posts(programme).await?,
        &settings.savings,
        today,
    );
    let targets = store.programme_targets(programme).await?;
    let target = |i: Indicator| targets.iter().find(|t| t.indicator == i).map(|t| t.value);
    Ok(Results {
        funnel: publish_funnel(&viewer, &funnel),
        barriers: publish_barriers(&viewer, &barriers, results::people_held_back(&facts)),
        savings: publish_savings(&viewer, &savings),
        settings,
        target_engaged: target(Indicator::TalentEngaged),
        target_into_work: target(Indicator::TalentIntoWork),
        viewer,
    })
}

/// The professions, their dated rule sets and interim roles, as shipped.
pub fn pathways(caller: &Caller) -> Result<Vec<&'static Profession>> {
    caller.require(Capability::ViewTalentResults)?;
    Ok(professions().all().collect())
}
