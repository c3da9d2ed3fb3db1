//! Geography: the reference data loaded for the whole deployment (area
//! schemes, deprivation indices, postcodes), each programme's area of
//! benefit (chosen, previewed, saved as versions), its small areas and
//! postcode look-ups. This module holds what the other contexts use too:
//! which scheme and index a programme's look-ups use, where a postcode
//! lies, and the profile of the area of benefit.

pub mod area_of_benefit;
pub mod areas;
pub mod geographies;
pub mod lookup;
pub mod map;
pub mod reference;

use std::collections::{BTreeSet, HashMap};

use useit_core::ProgrammeId;
use useit_core::auth::Capability;
use useit_core::listing::PageRequest;
use useit_core::place::areas::AreaQuery;
use useit_core::place::deprivation::DeprivationIndex;
use useit_core::place::lookup::AreaInfo;
use useit_core::place::postcode::Postcode;
use useit_core::place::selection::{AreaFacts, AreaOfBenefit, DecileProfile};
use useit_core::talent::person::HomePlace;

use crate::{Caller, Result, Store};

/// The geography a programme's look-ups use: its area of benefit's scheme,
/// index and areas, or else (and for no programme) the first index loaded.
pub struct LookupBasis {
    pub scheme: String,
    pub index: String,
    pub area_of_benefit: Option<BTreeSet<String>>,
}

pub async fn lookup_basis(
    store: &dyn Store,
    programme: Option<ProgrammeId>,
) -> Result<Option<LookupBasis>> {
    if let Some(p) = programme
        && let Some(aob) = store.area_of_benefit(p, None).await?
    {
        let codes = store.area_of_benefit_codes(p, aob.id).await?;
        return Ok(Some(LookupBasis {
            scheme: aob.selection.scheme,
            index: aob.selection.index,
            area_of_benefit: Some(codes),
        }));
    }
    Ok(default_index(&store.indices().await?).map(|i| LookupBasis {
        scheme: i.scheme.clone(),
        index: i.code.clone(),
        area_of_benefit: None,
    }))
}

/// The index a programme without an area of benefit works in: the national
/// one ranking the most areas (England's where it is loaded), never
/// whichever sorts first — that put a new English programme on French
/// communes, and left its anchors' local authorities unknown.
pub(crate) fn default_index(
    indices: &[useit_core::place::deprivation::DeprivationIndex],
) -> Option<&useit_core::place::deprivation::DeprivationIndex> {
    indices
        .iter()
        .max_by_key(|i| (i.areas_ranked, std::cmp::Reverse(i.code.as_str())))
}

/// Every area of a scheme, with its rank in `index`, for look-up answers.
pub async fn area_infos(
    store: &dyn Store,
    scheme: &str,
    index: Option<&str>,
) -> Result<HashMap<String, AreaInfo>> {
    let q = AreaQuery {
        scheme: scheme.to_string(),
        index: index.map(String::from),
        ..Default::default()
    };
    let rows = store.list_areas(&q, PageRequest::all()).await?;
    Ok(rows
        .items
        .into_iter()
        .map(|r| (r.area.code.clone(), r.into()))
        .collect())
}

/// Places a person's postcode: the small area of the programme's lookup
/// scheme and the centroid (for travel to a vacancy's site). An unknown
/// postcode is kept, unplaced.
pub async fn home_place(
    store: &dyn Store,
    programme: ProgrammeId,
    postcode: Option<&str>,
) -> Result<HomePlace> {
    let Some(pc) = postcode.and_then(|p| Postcode::parse(p).ok()) else {
        return Ok(HomePlace::default());
    };
    let Some(rec) = store.postcode(pc.compact()).await? else {
        return Ok(HomePlace::default());
    };
    let scheme = lookup_basis(store, Some(programme))
        .await?
        .map(|b| b.scheme);
    Ok(HomePlace {
        area_code: scheme.and_then(|s| rec.area_in(&s).map(String::from)),
        lat: rec.lat,
        lon: rec.lon,
    })
}

/// A saved area of benefit with everything its pages show.
pub struct Profile {
    pub aob: AreaOfBenefit,
    pub codes: BTreeSet<String>,
    pub facts: Vec<AreaFacts>,
    pub deciles: DecileProfile,
    pub index: Option<DeprivationIndex>,
}

/// The profile of a programme's area of benefit (the current one unless a version is given).
pub async fn profile(
    store: &dyn Store,
    caller: &Caller,
    version: Option<i64>,
) -> Result<Option<Profile>> {
    caller.require(Capability::ViewPlace)?;
    let programme = caller.programme;
    let Some(aob) = store.area_of_benefit(programme, version).await? else {
        return Ok(None);
    };
    let codes = store.area_of_benefit_codes(programme, aob.id).await?;
    let facts = store
        .area_facts(&aob.selection.scheme, Some(&aob.selection.index))
        .await?;
    let deciles = DecileProfile::of(&codes, &facts);
    let index = store
        .indices()
        .await?
        .into_iter()
        .find(|i| i.code == aob.selection.index);
    Ok(Some(Profile {
        aob,
        codes,
        facts,
        deciles,
        index,
    }))
}

/// The geography a programme's pages show: the scheme and index of its
/// area of benefit in force, or else the first index loaded (`scheme` is
/// empty when nothing is loaded).
pub(crate) struct Geography {
    pub aob: Option<AreaOfBenefit>,
    pub scheme: String,
    pub index: Option<String>,
}

pub(crate) async fn geography(store: &dyn Store, programme: ProgrammeId) -> Result<Geography> {
    let aob = store.area_of_benefit(programme, None).await?;
    let (scheme, index) = match &aob {
        Some(a) => (a.selection.scheme.clone(), Some(a.selection.index.clone())),
        None => match store.indices().await?.into_iter().next() {
            Some(i) => (i.scheme, Some(i.code)),
            None => (String::new(), None),
        },
    };
    Ok(Geography { aob, scheme, index })
}
