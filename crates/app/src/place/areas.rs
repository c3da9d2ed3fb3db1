//! The small areas of a programme's geography: the list (filtered, sorted,
//! paged, or all of it for the CSV), one area with its deprivation, their
//! boundaries for maps, and the local authorities and wards they belong to.

use std::collections::BTreeSet;

use useit_core::auth::Capability;
use useit_core::listing::{Page, PageRequest};
use useit_core::place::areas::{AreaListQuery, AreaQuery, AreaRow, BoundaryRow, NamedAreaCount};
use useit_core::place::deprivation::DeprivationIndex;
use useit_core::place::selection::AreaOfBenefit;
use useit_core::place::{Area, AreaDeprivation};

use super::geography;
use crate::{Caller, Error, Result, Store};

/// A page of the areas list and what the page shows around it.
#[derive(Clone, Debug)]
pub struct AreaList {
    /// The query as run: the scheme, the index and the filters.
    pub query: AreaQuery,
    pub areas: Page<AreaRow>,
    /// The area of benefit in force, if the programme has chosen one.
    pub area_of_benefit: Option<AreaOfBenefit>,
    /// Its areas (empty without one).
    pub in_area_of_benefit: BTreeSet<String>,
}

/// The areas of the programme's geography (its area of benefit's scheme
/// and index, or else the first index loaded) as `asked`; every area with
/// `PageRequest::all()`.
pub async fn areas(
    store: &dyn Store,
    caller: &Caller,
    asked: &AreaListQuery,
    page: PageRequest,
) -> Result<AreaList> {
    caller.require(Capability::ViewPlace)?;
    let g = geography(store, caller.programme).await?;
    let query = asked.query(&g.scheme, g.index.as_deref(), g.aob.as_ref().map(|a| a.id));
    let areas = store.list_areas(&query, page).await?;
    let in_area_of_benefit = match &g.aob {
        Some(a) => store.area_of_benefit_codes(caller.programme, a.id).await?,
        None => BTreeSet::new(),
    };
    Ok(AreaList {
        query,
        areas,
        area_of_benefit: g.aob,
        in_area_of_benefit,
    })
}

/// One area and everything its page says of it.
#[derive(Clone, Debug)]
pub struct AreaDetail {
    pub area: Area,
    /// Its ranks in the index, when the index ranks it.
    pub deprivation: Option<AreaDeprivation>,
    pub index: Option<DeprivationIndex>,
    /// `None` while the programme has no area of benefit.
    pub in_aob: Option<bool>,
    pub live_postcodes: i64,
}

/// An area of the programme's geography, with its deprivation; another
/// scheme's code is not found.
pub async fn area(store: &dyn Store, caller: &Caller, code: &str) -> Result<AreaDetail> {
    caller.require(Capability::ViewPlace)?;
    let g = geography(store, caller.programme).await?;
    let area = store.area(&g.scheme, code).await?.ok_or(Error::NotFound)?;
    let (index, deprivation) = match &g.index {
        Some(i) => (
            store.indices().await?.into_iter().find(|x| &x.code == i),
            store.area_deprivation(i, code).await?,
        ),
        None => (None, None),
    };
    let in_aob = match &g.aob {
        Some(a) => Some(
            store
                .area_of_benefit_codes(caller.programme, a.id)
                .await?
                .contains(code),
        ),
        None => None,
    };
    let live_postcodes = store.postcodes_in_area(&g.scheme, code).await?;
    Ok(AreaDetail {
        area,
        deprivation,
        index,
        in_aob,
        live_postcodes,
    })
}

/// The boundaries of the given areas of `scheme` (every one loaded when
/// `codes` is empty), coloured by their decile in `index`.
pub async fn boundaries(
    store: &dyn Store,
    caller: &Caller,
    scheme: &str,
    index: Option<&str>,
    codes: &[String],
) -> Result<Vec<BoundaryRow>> {
    caller.require(Capability::ViewPlace)?;
    Ok(store.boundaries(scheme, index, codes).await?)
}

/// The local authorities of a scheme with how many of its areas each has,
/// by name.
pub async fn local_authorities(
    store: &dyn Store,
    caller: &Caller,
    scheme: &str,
) -> Result<Vec<NamedAreaCount>> {
    caller.require(Capability::ViewPlace)?;
    Ok(store.local_authorities(scheme).await?)
}

/// The wards of a scheme, by local authority then name.
pub async fn wards(
    store: &dyn Store,
    caller: &Caller,
    scheme: &str,
) -> Result<Vec<NamedAreaCount>> {
    caller.require(Capability::ViewPlace)?;
    Ok(store.wards(scheme).await?)
}
