//! Supply-chain gaps per anchor: where its influenceable money leaves the
//! area of benefit and no local enterprise offers the service (the
//! complement of the spend context's leakage list), over all the spend
//! imported. Categories that cannot be tied to a service are listed as not
//! known, with their money.

use std::collections::HashMap;

use uuid::Uuid;

use useit_core::anchors::measures::LinePredicate;
use useit_core::auth::Capability;
use useit_core::enterprise::gaps::{CategorySpend, Gaps, gaps};
use useit_core::enterprise::services::taxonomy;

use crate::anchors::Ledgers;
use crate::{Caller, Result, Store};

/// One anchor's gaps.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AnchorGaps {
    pub anchor: String,
    pub name: String,
    /// Influenceable spend in all, for the share the gaps are of it.
    pub influenceable: i64,
    pub gaps: Gaps,
}

/// Every anchor's gaps, and the enterprises' names they refer to.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SupplyChainGaps {
    pub anchors: Vec<AnchorGaps>,
    /// Enterprises with a profile in the area of benefit.
    pub local_enterprises: usize,
    /// Enterprises with a profile (placed or not).
    pub enterprises: usize,
    pub names: HashMap<Uuid, String>,
}

pub async fn supply_chain_gaps(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
) -> Result<SupplyChainGaps> {
    caller.require(Capability::ViewEnterprises)?;
    let ledger = crate::anchors::ledger::ledger(store, caller, ledgers).await?;
    let offers = super::consortium::offers(store, caller).await?;
    let tx = taxonomy();
    let anchors = ledger
        .anchors
        .iter()
        .map(|a| {
            let m = ledger.measures(&LinePredicate {
                anchor: Some(a.slug.clone()),
                ..LinePredicate::default()
            });
            let categories: Vec<CategorySpend> = m
                .categories
                .iter()
                .map(|c| CategorySpend {
                    category: c.expense_type.clone(),
                    influenceable: c.influenceable,
                    leaving: c.leaving,
                    judged: c.judged,
                })
                .collect();
            AnchorGaps {
                anchor: a.slug.clone(),
                name: a.name.clone(),
                influenceable: m.influenceable,
                gaps: gaps(&categories, &offers, &tx),
            }
        })
        .collect();
    Ok(SupplyChainGaps {
        anchors,
        local_enterprises: offers.iter().filter(|o| o.in_area_of_benefit).count(),
        enterprises: offers.len(),
        names: offers.into_iter().map(|o| (o.id, o.name)).collect(),
    })
}
