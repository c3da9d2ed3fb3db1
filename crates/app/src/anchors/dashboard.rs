//! The spend dashboard: the measures of an anchor (or all) over a period,
//! each anchor's beside the others, the suppliers to draw on the map, and
//! what waits for the analyst (suppliers to review, files imported).

use std::collections::HashMap;
use std::sync::Arc;

use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::ledger::SpendFileRecord;
use useit_core::anchors::measures::{LinePredicate, Measures};
use useit_core::anchors::placed::PlacedLedger;
use useit_core::anchors::resolution::SupplierStatus;
use useit_core::listing::{Page, PageRequest};
use useit_core::money::Pence;
use useit_store::revision::Revision;

use super::ledger::{Ledgers, SpendMeasures, ledger_at};
use crate::{Caller, Error, Result, Store};

/// Everything the dashboard shows, computed.
pub struct SpendDashboard {
    /// The figures for the filter's scope, shared with every request that
    /// asks for the same scope while the data stands.
    pub figures: Arc<DashboardFigures>,
    /// The files imported, newest first (one page of them).
    pub files: Page<SpendFileRecord>,
    /// Where the data stood when the figures were read: a page drawn from
    /// them (the supplier map) may be kept under it.
    pub revision: Revision,
}

/// The dashboard's figures for one scope, computed from one placed ledger:
/// kept under the spend revision they were computed at, so the many views of
/// an unchanged dashboard do not sum the whole ledger again each time.
pub struct DashboardFigures {
    pub spend: SpendMeasures,
    /// Each anchor's measures over the same period, when there are several.
    pub by_anchor: Vec<(usize, Measures)>,
    /// Influenceable spend per supplier with a known place (index into the
    /// ledger's suppliers), largest first: the map and the table beside it.
    pub placed_suppliers: Vec<(usize, Pence)>,
    /// Suppliers waiting in the review queue.
    pub to_review: usize,
    /// Every file imported, newest first (kept while the files stand).
    files: Vec<SpendFileRecord>,
}

/// The dashboard for the filter's anchor and period.
///
/// Its figures and files come from [`Ledgers`] while the programme's spend
/// revision and its files' counter stand (every import, undo, supplier
/// decision, register load, anchor, setting, workforce file or reference
/// change moves the one, every write to a file the other, in the
/// transaction of the change): an unchanged dashboard reads one row.
pub async fn dashboard(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    filter: &LineFilter,
    files: PageRequest,
) -> Result<SpendDashboard> {
    let revision = caller.revision(store).await?;
    let standing =
        |r: &Revision| r.spend() == revision.spend() && r.spend_files == revision.spend_files;
    let kept_scope = |scope: &LinePredicate| {
        ledgers
            .dashboards
            .get(caller.programme, standing)
            .filter(|f| f.spend.scope == *scope)
    };
    // Kept for the scope asked (the anchors are the kept ledger's).
    let held = ledgers.dashboards.get(caller.programme, standing);
    let scope = match &held {
        Some(f) => filter
            .scope()
            .predicate(&f.spend.ledger.anchors)
            .map_err(Error::from)?,
        None => {
            let ledger = ledger_at(store, caller, ledgers, &revision).await?;
            filter
                .scope()
                .predicate(&ledger.anchors)
                .map_err(Error::from)?
        }
    };
    let f = match held.filter(|f| f.spend.scope == scope) {
        Some(f) => f,
        None => {
            // One request sums a cold dashboard; the others wait for it.
            let _flight = ledgers.dashboards.flight(caller.programme).await;
            match kept_scope(&scope) {
                Some(f) => f,
                None => {
                    let ledger = ledger_at(store, caller, ledgers, &revision).await?;
                    let f = Arc::new(figures(store, caller, ledger, scope).await?);
                    ledgers
                        .dashboards
                        .put(caller.programme, revision, f.clone());
                    f
                }
            }
        }
    };
    let total = f.files.len() as u64;
    let files = Page {
        items: f
            .files
            .iter()
            .skip(files.offset() as usize)
            .take(files.limit() as usize)
            .cloned()
            .collect(),
        total,
        page: files.page,
        per_page: files.per_page,
    };
    Ok(SpendDashboard {
        figures: f,
        files,
        revision,
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
    let files = store.spend_files(caller.programme).await?;
    Ok(DashboardFigures {
        spend: SpendMeasures {
            ledger,
            scope,
            measures,
            lm3,
        },
        by_anchor,
        placed_suppliers,
        to_review,
        files,
    })
}
