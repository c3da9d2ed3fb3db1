//! The programme's ledger placed for the measures, kept while the data it
//! was computed from stands: every spend page, the API and the CLI read the
//! figures from here, so they are assembled in one place and a page does
//! not re-read a whole ledger per request.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use useit_core::ProgrammeId;
use useit_core::anchors::anchor::Anchor;
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::ledger::LedgerRow;
use useit_core::anchors::measures::{LedgerLine, LinePredicate, Lm3, Measures, Supplier};
use useit_core::anchors::placed::PlacedLedger;
use useit_core::anchors::placing::{
    Geography, Placer, PlacingSetup, compact, placed_ledger, wanted_postcodes,
};
use useit_core::anchors::settings::SpendSettings;
use useit_core::anchors::wages::AnchorPay;
use useit_core::auth::Capability;
use useit_core::place::PostcodeRecord;
use useit_core::place::geometry::{Shape, parse_geometry_text};
use useit_store::revision::Revision;

use super::workforce::{WorkforceQuery, workforce_measures};
use crate::place::{area_infos, lookup_basis};
use crate::{Caller, Error, Result, Store};

/// The ledger and its suppliers, placed.
pub struct MeasureInputs {
    pub rows: Vec<LedgerRow>,
    pub lines: Vec<LedgerLine>,
    pub suppliers: Vec<Supplier>,
    pub settings: SpendSettings,
    pub setup: PlacingSetup,
}

/// Reads the ledger of the given anchors and places its suppliers.
pub async fn measure_inputs(
    store: &dyn Store,
    caller: &Caller,
    anchors: &[Anchor],
) -> Result<MeasureInputs> {
    caller.require(Capability::ViewSpend)?;
    let programme = caller.programme;
    let settings = store.spend_settings(programme).await?;
    // One query, oldest first; only the anchors asked for.
    let slugs: HashSet<&str> = anchors.iter().map(|a| a.slug.as_str()).collect();
    let mut rows = store.ledger(programme, None).await?;
    rows.retain(|r| slugs.contains(r.anchor_slug.as_str()));
    let facts = store.supplier_facts(programme).await?;
    let basis = lookup_basis(store, Some(programme)).await?;
    let areas = match &basis {
        Some(b) => area_infos(store, &b.scheme, Some(&b.index)).await?,
        None => HashMap::new(),
    };
    let postcodes: HashMap<String, PostcodeRecord> = store
        .postcodes(&wanted_postcodes(&facts, anchors))
        .await?
        .into_iter()
        .filter_map(|r| compact(&r.postcode).map(|c| (c, r)))
        .collect();
    // Boundaries are read only for suppliers known by coordinates alone
    // (a French programme's): a UK ledger places everything by postcode.
    let by_point = facts
        .iter()
        .any(|f| f.location.is_some() && f.postcode.is_none());
    let shapes: Vec<(String, Shape)> = match &basis {
        Some(b) if by_point => store
            .boundaries(&b.scheme, Some(&b.index), &[])
            .await?
            .into_iter()
            .filter_map(|r| Some((r.code, parse_geometry_text(&r.geometry).ok()?)))
            .collect(),
        _ => Vec::new(),
    };
    let geo = Geography {
        scheme: basis.as_ref().map(|b| b.scheme.as_str()).unwrap_or(""),
        area_of_benefit: basis.as_ref().and_then(|b| b.area_of_benefit.as_ref()),
        areas: &areas,
        postcodes: &postcodes,
        shapes: &shapes,
    };
    let placer = Placer::new(&geo, anchors, &settings);
    let (lines, suppliers) = placed_ledger(&rows, &facts, &placer);
    let setup = placer.setup();
    Ok(MeasureInputs {
        rows,
        lines,
        suppliers,
        settings,
        setup,
    })
}

/// What was computed for a programme, kept while the data it came from
/// stands: the most recently asked-for programmes' values, each with the
/// revision it was computed at.
///
/// A value found missing is computed once: the first request to miss it
/// takes the programme's [`Kept::flight`] and computes, the others wait for
/// that and then find it kept (16 requests meeting a cold dashboard sum it
/// once, not 16 times).
pub(crate) struct Kept<T> {
    keep: usize,
    held: crate::kept::KeptViews<ProgrammeId, T>,
    /// One computation at a time per programme.
    flights: Mutex<HashMap<ProgrammeId, Arc<tokio::sync::Mutex<()>>>>,
}

impl<T: Clone> Kept<T> {
    fn new(keep: usize) -> Self {
        Kept {
            keep,
            held: crate::kept::KeptViews::new(keep),
            flights: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for any computation of `programme`'s value under way, then
    /// holds the right to compute it until the guard is dropped. Look again
    /// with [`Kept::get`] once it is held: the one waited for may have kept
    /// what is wanted. With nothing kept (`keep` 0) nobody waits.
    pub(crate) async fn flight(
        &self,
        programme: ProgrammeId,
    ) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        if self.keep == 0 {
            return None;
        }
        let lock = self
            .flights
            .lock()
            .expect("kept lock")
            .entry(programme)
            .or_default()
            .clone();
        Some(lock.lock_owned().await)
    }

    /// The value kept for `programme`, if `still(revision it was computed
    /// at)` says nothing it depends on moved since.
    pub(crate) fn get(
        &self,
        programme: ProgrammeId,
        still: impl Fn(&Revision) -> bool,
    ) -> Option<T> {
        self.held.get(&programme, still)
    }

    pub(crate) fn put(&self, programme: ProgrammeId, revision: Revision, value: T) {
        self.held.put(programme, revision, value);
    }
}

/// The figures kept while the data stands: each programme's placed ledger
/// (any import, decision, register load, anchor, setting or area-of-benefit
/// change moves its revision on) and the facts the home page's indicators
/// count (any write to the strands' records moves theirs) and the map of
/// the area of benefit, for the programmes asked for most recently.
pub struct Ledgers {
    placed: Kept<Arc<PlacedLedger>>,
    pub(crate) indicator_facts: Kept<Arc<crate::programme::indicators::StrandFacts>>,
    pub(crate) aob_maps: Kept<Arc<crate::place::map::AobMap>>,
    /// The home page's sums over the placed ledger, kept beside it under the
    /// same spend revision.
    pub(crate) spend_facts: Kept<Arc<useit_core::programme::indicators::SpendFacts>>,
    /// The spend dashboard's figures for the scope last asked for, under
    /// the same spend revision.
    pub(crate) dashboards: Kept<Arc<super::dashboard::DashboardFigures>>,
    /// The register's likely duplicate pairs (before those said not to be
    /// duplicates are left out), under the programme's whole revision: any
    /// write to the register or to a profile moves it.
    pub(crate) duplicate_pairs: Kept<Arc<Vec<useit_core::enterprise::duplicates::DuplicatePair>>>,
    /// The home page's figures, by role and day, under the programme's
    /// whole revision.
    pub(crate) homes: crate::kept::KeptViews<
        crate::programme::indicators::HomeKey,
        Arc<crate::programme::indicators::Home>,
    >,
}

impl Default for Ledgers {
    fn default() -> Self {
        Ledgers::new(4)
    }
}

impl Ledgers {
    /// Keeps at most `keep` programmes' figures (0: keeps none, reads every time).
    pub fn new(keep: usize) -> Self {
        Ledgers {
            placed: Kept::new(keep),
            indicator_facts: Kept::new(keep),
            aob_maps: Kept::new(keep),
            spend_facts: Kept::new(keep),
            dashboards: Kept::new(keep),
            duplicate_pairs: Kept::new(keep),
            // A few roles look at each programme's home page.
            homes: crate::kept::KeptViews::new(keep * 8),
        }
    }
}

/// The programme's whole ledger, placed: from `ledgers` while nothing it
/// depends on changed, read and placed afresh otherwise.
pub async fn ledger(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
) -> Result<Arc<PlacedLedger>> {
    let revision = caller.revision(store).await?;
    ledger_at(store, caller, ledgers, &revision).await
}

/// [`ledger`] for a caller that has already read the store's revision (so
/// one request reads it once).
pub(crate) async fn ledger_at(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    revision: &Revision,
) -> Result<Arc<PlacedLedger>> {
    caller.require(Capability::ViewSpend)?;
    let kept = || {
        ledgers
            .placed
            .get(caller.programme, |r| r.spend() == revision.spend())
    };
    if let Some(l) = kept() {
        return Ok(l);
    }
    let _flight = ledgers.placed.flight(caller.programme).await;
    if let Some(l) = kept() {
        return Ok(l);
    }
    let anchors = store.list_anchors(caller.programme).await?;
    let inputs = measure_inputs(store, caller, &anchors).await?;
    let pay = anchor_pay(store, caller).await?;
    let placed = Arc::new(PlacedLedger {
        anchors,
        rows: inputs.rows,
        lines: inputs.lines,
        suppliers: inputs.suppliers,
        settings: inputs.settings,
        setup: inputs.setup,
        pay,
    });
    ledgers
        .placed
        .put(caller.programme, *revision, placed.clone());
    Ok(placed)
}

/// Each anchor's pay by workforce year, all and to staff living in its
/// local authority, for LM3's wages. "Local" is the local authority because
/// LM3's supplier round is measured there and the typed fallback asks for
/// pay "to staff living in the local authority": one multiplier, one area.
/// A workforce import moves the revision the placed ledger is kept under,
/// so these stay as fresh as the spend. An anchor without a local authority
/// gives none (its LM3 is not known anyway).
async fn anchor_pay(store: &dyn Store, caller: &Caller) -> Result<Vec<AnchorPay>> {
    let view = workforce_measures(store, caller, &WorkforceQuery::default()).await?;
    Ok(view
        .years
        .iter()
        .filter(|y| y.local_authority_known)
        .map(|y| AnchorPay {
            anchor: y.anchor_slug.clone(),
            anchor_name: y.anchor_name.clone(),
            year: y.year,
            all: y.measures.staff.pay,
            local: y.measures.local_authority.inside.pay,
        })
        .collect())
}

/// The measures of an anchor (or all) over a period, with the ledger they
/// were computed from (to name suppliers and link to lines).
pub struct SpendMeasures {
    pub ledger: Arc<PlacedLedger>,
    pub scope: LinePredicate,
    pub measures: Measures,
    pub lm3: Lm3,
}

/// The measures the filter's anchor and period select; a bad filter is an
/// error naming the field.
pub async fn measures(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    filter: &LineFilter,
) -> Result<SpendMeasures> {
    let ledger = ledger(store, caller, ledgers).await?;
    let scope = filter
        .scope()
        .predicate(&ledger.anchors)
        .map_err(Error::from)?;
    let measures = ledger.measures(&scope);
    let lm3 = ledger.lm3(&scope, &measures);
    Ok(SpendMeasures {
        ledger,
        scope,
        measures,
        lm3,
    })
}

/// The lines a filter selects (with its search words), oldest first, and
/// the ledger they index.
pub async fn lines(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    filter: &LineFilter,
) -> Result<(Arc<PlacedLedger>, LinePredicate)> {
    let ledger = ledger(store, caller, ledgers).await?;
    let predicate = filter.predicate(&ledger.anchors).map_err(Error::from)?;
    Ok((ledger, predicate))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Sixteen requests meeting a cold value compute it once; the others
    /// wait for it and find it kept.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cold_value_is_computed_once() {
        let kept: Arc<Kept<Arc<u64>>> = Arc::new(Kept::new(4));
        let computed = Arc::new(AtomicUsize::new(0));
        let programme = ProgrammeId(uuid::Uuid::now_v7());
        let revision = Revision::default();
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (kept, computed) = (kept.clone(), computed.clone());
                tokio::spawn(async move {
                    let standing = || kept.get(programme, |r| *r == revision);
                    if let Some(v) = standing() {
                        return *v;
                    }
                    let _flight = kept.flight(programme).await;
                    if let Some(v) = standing() {
                        return *v;
                    }
                    computed.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    kept.put(programme, revision, Arc::new(42));
                    42
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 42);
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        // Nothing kept (`keep` 0): nobody waits, each computes.
        let none: Kept<Arc<u64>> = Kept::new(0);
        assert!(none.flight(programme).await.is_none());
    }
}
