//! Partners entered twice: the pairs that may be one organisation, and
//! merging one into the other.

use useit_core::PartnerId;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::listing::PageRequest;
use useit_core::programme::{DuplicatePair, Partner, PartnerQuery, find_duplicates};

use crate::{Caller, Result, Store};

/// A pair that may be one organisation, with both partners.
#[derive(Clone, Debug, PartialEq)]
pub struct Duplicate {
    pub a: Partner,
    pub b: Partner,
    pub pair: DuplicatePair,
}

/// Every likely pair among the partners that stand, most likely first.
pub async fn duplicates(store: &dyn Store, caller: &Caller) -> Result<Vec<Duplicate>> {
    caller.require(Capability::EditPartners)?;
    let all = store
        .list_partners(
            caller.programme,
            &PartnerQuery::default(),
            clock::today(),
            PageRequest::all(),
        )
        .await?
        .items;
    let find = |id: PartnerId| all.iter().find(|p| p.id == id).cloned();
    Ok(find_duplicates(&all)
        .into_iter()
        .filter_map(|pair| {
            Some(Duplicate {
                a: find(pair.a)?,
                b: find(pair.b)?,
                pair,
            })
        })
        .collect())
}

/// Merges `other` into `keep`: `keep` takes the merged values and contact,
/// `other` is hidden and its address leads to `keep`.
pub async fn merge_partners(
    store: &dyn Store,
    caller: &Caller,
    keep: PartnerId,
    other: PartnerId,
) -> Result<Partner> {
    caller.require(Capability::EditPartners)?;
    Ok(store
        .merge_partners(caller.programme, keep, other, &caller.actor)
        .await?)
}
