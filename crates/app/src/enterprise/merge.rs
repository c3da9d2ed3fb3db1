//! Organisations entered twice on the register: the likely pairs (among
//! every organisation, the ones the spend register made for suppliers as
//! well as the directory's enterprises), merging one into the other
//! (everything that pointed at it moves, the spend measures follow) and
//! saying a pair is not one organisation.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::enterprise::duplicates::{
    DuplicatePair, DuplicateReason, MergeRecord, Merged, find_duplicates, pair_key,
};
use useit_core::enterprise::profile::Enterprise;
use useit_core::listing::{Page, PageRequest};

use crate::anchors::Ledgers;
use crate::{Caller, Error, Result, Store};

/// A likely pair: the one suggested to keep, the other, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Duplicate {
    pub keep: Enterprise,
    pub other: Enterprise,
    pub reasons: Vec<DuplicateReason>,
}

/// The likely pairs among all the register's organisations (a supplier's
/// organisation and a directory enterprise with the same company or
/// charity number, org-id or name are one pair like two enterprises),
/// leaving out those someone said are not duplicates; the strongest reason
/// first. Every pair: for the CLI and exports ([`duplicates_page`] for a
/// page of them).
pub async fn duplicates(store: &dyn Store, caller: &Caller) -> Result<Vec<Duplicate>> {
    Ok(
        duplicates_page(store, caller, &Ledgers::new(0), PageRequest::all())
            .await?
            .items,
    )
}

/// One page of [`duplicates`]. The pairs are worked out from the whole
/// register once per revision of the programme (any write to the register
/// or to a profile moves it, whichever process made it) and kept in
/// `ledgers`; a request then reads the revision, the pairs said not to be
/// duplicates and the organisations of its own page, not the register.
pub async fn duplicates_page(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    page: PageRequest,
) -> Result<Page<Duplicate>> {
    caller.require(Capability::EditEnterprises)?;
    let pairs = duplicate_pairs(store, caller, ledgers).await?;
    let said: HashSet<(Uuid, Uuid)> = store
        .not_duplicates(caller.programme)
        .await?
        .into_iter()
        .collect();
    let left: Vec<&DuplicatePair> = pairs
        .iter()
        .filter(|p| !said.contains(&pair_key(p.keep, p.other)))
        .collect();
    // A page past the end (a pair dismissed or merged from the last page)
    // shows the last one.
    let last = (left.len() as u64)
        .div_ceil(u64::from(page.per_page.max(1)))
        .max(1);
    let page = PageRequest {
        page: page.page.min(u32::try_from(last).unwrap_or(u32::MAX)),
        ..page
    };
    let shown = Page::of(left, page);
    let mut wanted: Vec<Uuid> = shown.items.iter().flat_map(|p| [p.keep, p.other]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let by_id: HashMap<Uuid, Enterprise> = store
        .organisations_by_ids(caller.programme, &wanted)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let find = |id: Uuid| by_id.get(&id).cloned();
    Ok(Page {
        items: shown
            .items
            .iter()
            .filter_map(|p| {
                Some(Duplicate {
                    keep: find(p.keep)?,
                    other: find(p.other)?,
                    reasons: p.reasons.clone(),
                })
            })
            .collect(),
        total: shown.total,
        page: shown.page,
        per_page: shown.per_page,
    })
}

/// Every likely pair of the register, before those said not to be
/// duplicates are left out: from `ledgers` while the programme's revision
/// stands, else from every organisation read once.
async fn duplicate_pairs(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
) -> Result<Arc<Vec<DuplicatePair>>> {
    let kept = &ledgers.duplicate_pairs;
    let revision = caller.revision(store).await?;
    if let Some(pairs) = kept.get(caller.programme, |r| r.strands() == revision.strands()) {
        return Ok(pairs);
    }
    let _flight = kept.flight(caller.programme).await;
    let revision = store.revision(caller.programme).await?;
    if let Some(pairs) = kept.get(caller.programme, |r| r.strands() == revision.strands()) {
        return Ok(pairs);
    }
    let all = store.all_organisations(caller.programme).await?;
    let pairs = Arc::new(find_duplicates(&all, &HashSet::new()));
    kept.put(caller.programme, revision, pairs.clone());
    Ok(pairs)
}

/// Two organisations side by side before a merge, with the reasons they
/// may be one (none: the person chose the pair themselves).
pub async fn pair(store: &dyn Store, caller: &Caller, a: Uuid, b: Uuid) -> Result<Duplicate> {
    caller.require(Capability::EditEnterprises)?;
    if a == b {
        return Err(Error::NotFound);
    }
    let (Some(x), Some(y)) = (
        store.enterprise(caller.programme, a).await?,
        store.enterprise(caller.programme, b).await?,
    ) else {
        return Err(Error::NotFound);
    };
    let reasons = find_duplicates(&[x.clone(), y.clone()], &HashSet::new())
        .into_iter()
        .next()
        .map(|p| p.reasons)
        .unwrap_or_default();
    Ok(Duplicate {
        keep: x,
        other: y,
        reasons,
    })
}

/// An organisation named by its id or its org-id (`GB-COH-…`, any case),
/// or one merged away by the org-id it had (so a merge asked again by
/// org-ids is answered "already merged").
pub async fn organisation_named(store: &dyn Store, caller: &Caller, name: &str) -> Result<Uuid> {
    caller.require(Capability::ViewEnterprises)?;
    let name = name.trim();
    if let Ok(id) = name.parse::<Uuid>() {
        return Ok(id);
    }
    let wanted = name.to_uppercase();
    if let Some((_, id)) = store
        .organisation_ids(caller.programme)
        .await?
        .into_iter()
        .find(|(org, _)| org.trim().to_uppercase() == wanted)
    {
        return Ok(id);
    }
    store
        .merges(caller.programme)
        .await?
        .into_iter()
        .find(|m| m.merged_org_id.trim().to_uppercase() == wanted)
        .map(|m| m.merged_id)
        .ok_or(Error::NotFound)
}

/// Merges `other` into `keep` (see `MergeStore::merge_organisations`):
/// one transaction, one audit entry naming both; asked again, answers
/// that it is already merged.
pub async fn merge(store: &dyn Store, caller: &Caller, keep: Uuid, other: Uuid) -> Result<Merged> {
    caller.require(Capability::EditEnterprises)?;
    Ok(store
        .merge_organisations(caller.programme, keep, other, &caller.actor)
        .await?)
}

/// Says two organisations are not one: the pair is no longer proposed.
/// False when that had been said already.
pub async fn not_duplicate(store: &dyn Store, caller: &Caller, a: Uuid, b: Uuid) -> Result<bool> {
    caller.require(Capability::EditEnterprises)?;
    Ok(store
        .mark_not_duplicate(caller.programme, a, b, &caller.actor)
        .await?)
}

/// The merges done, newest first.
pub async fn merges(store: &dyn Store, caller: &Caller) -> Result<Vec<MergeRecord>> {
    caller.require(Capability::EditEnterprises)?;
    Ok(store.merges(caller.programme).await?)
}
