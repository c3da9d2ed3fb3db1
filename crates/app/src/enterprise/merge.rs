//! Organisations entered twice on the register: the likely pairs (among
//! every organisation, the ones the spend register made for suppliers as
//! well as the directory's enterprises), merging one into the other
//! (everything that pointed at it moves, the spend measures follow) and
//! saying a pair is not one organisation.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::enterprise::duplicates::{DuplicateReason, MergeRecord, Merged, find_duplicates};
use useit_core::enterprise::profile::Enterprise;

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
/// first.
pub async fn duplicates(store: &dyn Store, caller: &Caller) -> Result<Vec<Duplicate>> {
    caller.require(Capability::EditEnterprises)?;
    let all = store.all_organisations(caller.programme).await?;
    let said: HashSet<(Uuid, Uuid)> = store
        .not_duplicates(caller.programme)
        .await?
        .into_iter()
        .collect();
    let by_id: HashMap<Uuid, &Enterprise> = all.iter().map(|e| (e.id, e)).collect();
    let find = |id: Uuid| by_id.get(&id).map(|e| (*e).clone());
    Ok(find_duplicates(&all, &said)
        .into_iter()
        .filter_map(|p| {
            Some(Duplicate {
                keep: find(p.keep)?,
                other: find(p.other)?,
                reasons: p.reasons,
            })
        })
        .collect())
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
