//! The spend dashboard: the measures of an anchor (or all) over a period,
//! each anchor's beside the others, the suppliers to draw on the map, and
//! what waits for the analyst (suppliers to review, files imported).

use std::collections::HashMap;
use std::sync::Arc;

use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::ledger::SpendFileRecord;
use useit_core::anchors::measures::{LinePredicate, Lm3, Measures};
use useit_core::anchors::placed::PlacedLedger;
use useit_core::anchors::resolution::SupplierStatus;
use useit_core::listing::{Page, PageRequest};
use useit_core::money::Pence;

use super::ledger::{Ledgers, SpendMeasures, ledger_at};
use crate::{Caller, Error, Result, Store};

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

/// The dashboard's figures for one scope, computed from one placed ledger:
/// kept under the spend revision they were computed at, so the many views of
/// an unchanged dashboard do not sum the whole ledger again each time.
pub(crate) struct DashboardFigures {
    ledger: Arc<PlacedLedger>,
    scope: LinePredicate,
    measures: Measures,
    lm3: Lm3,
    by_anchor: Vec<(usize, Measures)>,
    placed_suppliers: Vec<(usize, Pence)>,
    to_review: usize,
}

/// The dashboard for the filter's anchor and period.
///
/// Its figures come from [`Ledgers`] while the programme's spend revision
/// stands (every import, undo, supplier decision, register load, anchor,
/// setting, workforce file or reference change moves it on, in the
/// transaction of the change); the files are read afresh every time.
pub async fn dashboard(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    filter: &LineFilter,
    files: PageRequest,
) -> Result<SpendDashboard> {
    let revision = store.revision(caller.programme).await?;
    let ledger = ledger_at(store, caller, ledgers, &revision).await?;
    let scope = filter
        .scope()
        .predicate(&ledger.anchors)
        .map_err(Error::from)?;
    let kept = || {
        ledgers
            .dashboards
            .get(caller.programme, |r| r.spend() == revision.spend())
            .filter(|f| f.scope == scope && Arc::ptr_eq(&f.ledger, &ledger))
    };
    let f = match kept() {
        Some(f) => f,
        None => {
            // One request sums a cold dashboard; the others wait for it.
            let _flight = ledgers.dashboards.flight(caller.programme).await;
            match kept() {
                Some(f) => f,
                None => {
                    let f = Arc::new(figures(store, caller, ledger.clone(), scope.clone()).await?);
                    ledgers
                        .dashboards
                        .put(caller.programme, revision, f.clone());
                    f
                }
            }
        }
    };
    let files = Page::of(store.spend_files(caller.programme).await?, files);
    Ok(SpendDashboard {
        spend: SpendMeasures {
            ledger: f.ledger.clone(),
            scope: f.scope.clone(),
            measures: f.measures.clone(),
            lm3: f.lm3.clone(),
        },
        by_anchor: f.by_anchor.clone(),
        placed_suppliers: f.placed_suppliers.clone(),
        to_review: f.to_review,
        files,
    })
}

/// Sums the ledger for the dashboard's scope.
async fn figures(
    store: &dyn Store,
    caller: &Caller,
    ledger: Arc<PlacedLedger>,
    scope: LinePredicate,
) -> Result<DashboardFigures> {
    let measures = ledger.measures(&scope);
    let lm3 = ledger.lm3(&scope, &measures);
    let by_anchor = if ledger.anchors.len() > 1 {
        ledger
            .anchors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let scope = LinePredicate {
                    anchor: Some(a.slug.clone()),
                    ..scope.clone()
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
        ..scope.clone()
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
    Ok(DashboardFigures {
        ledger,
        scope,
        measures,
        lm3,
        by_anchor,
        placed_suppliers,
        to_review,
    })
}
