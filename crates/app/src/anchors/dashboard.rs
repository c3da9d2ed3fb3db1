//! The spend dashboard: the measures of an anchor (or all) over a period,
//! each anchor's beside the others, the suppliers to draw on the map, and
//! what waits for the analyst (suppliers to review, files imported).

use std::collections::HashMap;

use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::ledger::SpendFileRecord;
use useit_core::anchors::measures::{LinePredicate, Measures};
use useit_core::anchors::resolution::SupplierStatus;
use useit_core::listing::{Page, PageRequest};
use useit_core::money::Pence;

use super::ledger::{Ledgers, SpendMeasures, measures};
use crate::{Caller, Result, Store};

/// Everything the dashboard shows, computed.
pub struct SpendDashboard {
    pub spend: SpendMeasures,
    /// Each anchor's measures over the same period, when there are several.
    pub by_anchor: Vec<(usize, Measures)>,
    /// Influenceable spend per supplier with a known place (index into the
    /// ledger's suppliers), largest first: the map and the table beside it.
    pub placed_suppliers: Vec<(usize, Pence)>,
    /// Suppliers waiting in the review queue.
    pub to_review: usize,
    /// The files imported, newest first.
    pub files: Page<SpendFileRecord>,
}

/// The dashboard for the filter's anchor and period.
pub async fn dashboard(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    filter: &LineFilter,
    files: PageRequest,
) -> Result<SpendDashboard> {
    let spend = measures(store, caller, ledgers, filter).await?;
    let ledger = &spend.ledger;
    let by_anchor = if ledger.anchors.len() > 1 {
        ledger
            .anchors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let scope = LinePredicate {
                    anchor: Some(a.slug.clone()),
                    ..spend.scope.clone()
                };
                (i, ledger.measures(&scope))
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut by_supplier: HashMap<usize, Pence> = HashMap::new();
    let influenceable = LinePredicate {
        influenceable: Some(true),
        ..spend.scope.clone()
    };
    for i in ledger.lines(&influenceable, None) {
        let l = &ledger.lines[i];
        *by_supplier.entry(l.supplier).or_default() += l.amount;
    }
    let mut placed_suppliers: Vec<(usize, Pence)> = by_supplier
        .into_iter()
        .filter(|(s, t)| {
            let sup = &ledger.suppliers[*s];
            *t > 0
                && sup
                    .registered
                    .as_ref()
                    .or(sup.trading.as_ref())
                    .is_some_and(|p| p.lat.is_some() && p.lon.is_some())
        })
        .collect();
    placed_suppliers.sort_by_key(|(s, t)| (std::cmp::Reverse(*t), *s));
    let to_review = store
        .suppliers(caller.programme, Some(SupplierStatus::Review))
        .await?
        .len();
    let files = Page::of(store.spend_files(caller.programme).await?, files);
    Ok(SpendDashboard {
        spend,
        by_anchor,
        placed_suppliers,
        to_review,
        files,
    })
}
