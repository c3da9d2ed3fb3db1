//! The strand's figures: researchers recruited, accredited, by channel and
//! the reach into deciles 1–2 (small counts suppressed for roles without
//! personal-data rights), projects by status, approved hours and their pay.

use useit_core::auth::Capability;
use useit_core::disclosure::Cell;
use useit_core::money::Pence;
use useit_core::research::pay::RateTable;
use useit_core::research::project::ProjectStatus;
use useit_core::research::researcher::Reach;
use useit_core::research::researcher::{Channel, reach};
use useit_core::research::work::{self, TimeQuery, TimeStatus};

use super::work::pay_rule;
use crate::{Caller, Result, Store};

pub struct Summary {
    pub exact: bool,
    pub researchers: Cell,
    pub accredited: Cell,
    pub deciles_1_2: Cell,
    /// Of how many the decile is known (the rest have no placed postcode).
    pub decile_known: Cell,
    pub by_channel: Vec<(Channel, Cell)>,
    pub projects: Vec<(ProjectStatus, u64)>,
    pub approved_minutes: u64,
    /// `None` when some approved hours cannot be priced (see the payment run).
    pub approved_pence: Option<Pence>,
}

pub async fn summary(store: &dyn Store, caller: &Caller) -> Result<Summary> {
    caller.require(Capability::ViewResearch)?;
    let v = crate::programme::disclosure::viewer(store, caller, Capability::ManageResearch).await?;
    let facts = store.researcher_facts(caller.programme).await?;
    let r = reach(&facts);
    let projects = store.projects(caller.programme).await?;
    let q = TimeQuery {
        status: Some(TimeStatus::Approved),
        ..Default::default()
    };
    // Figures only: the entries are read by the system for the sum, with no
    // names shown, and audited as such.
    let entries = store
        .time_entries(
            caller.programme,
            Reach::All,
            &q,
            &caller.actor,
            "research figures",
        )
        .await?;
    let (rule, _) = pay_rule(store, caller).await?;
    let run = work::pay_run(RateTable::real_living_wage(), rule, &q, &entries).ok();
    Ok(Summary {
        exact: v.exact(),
        researchers: v.count(r.researchers),
        accredited: v.count(r.accredited),
        deciles_1_2: v.count(r.deciles_1_2),
        decile_known: v.count(r.decile_known),
        by_channel: r
            .by_channel
            .iter()
            .map(|(c, n)| (*c, v.count(*n)))
            .collect(),
        projects: ProjectStatus::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    projects.iter().filter(|p| p.draft.status == *s).count() as u64,
                )
            })
            .collect(),
        approved_minutes: entries.iter().map(|e| u64::from(e.minutes)).sum(),
        approved_pence: run.map(|r| r.pence),
    })
}
