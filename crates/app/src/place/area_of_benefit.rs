//! Choosing a programme's area of benefit: the editor's choices, checking
//! and previewing a selection, saving it as a new version, and the versions
//! saved.

use std::collections::BTreeSet;

use useit_core::auth::Capability;
use useit_core::place::areas::NamedAreaCount;
use useit_core::place::deprivation::DeprivationIndex;
use useit_core::place::input::{SelectionInput, SitePositions};
use useit_core::place::selection::{
    AreaFacts, AreaOfBenefit, AreaSelection, DecileProfile, Resolution,
};

use crate::{Caller, Result, Store};

/// What a selection comes to: its areas (and how each rule contributed)
/// and their people by decile.
#[derive(Clone, Debug)]
pub struct Preview {
    pub selection: AreaSelection,
    pub resolution: Resolution,
    pub profile: DecileProfile,
}

/// Reads what checking the input needs (the indices, the areas of the
/// chosen index's scheme, where the site postcodes are) and checks it.
pub(crate) async fn check(store: &dyn Store, input: &SelectionInput) -> Result<Preview> {
    let indices = store.indices().await?;
    let index = input.index_in(&indices)?;
    let facts = store.area_facts(&index.scheme, Some(&index.code)).await?;
    let sites = site_positions(store, input).await?;
    let selection = input.validate(index, &facts, &sites)?;
    Ok(resolve(selection, &facts))
}

async fn site_positions(store: &dyn Store, input: &SelectionInput) -> Result<SitePositions> {
    let wanted = input.site_postcodes();
    if wanted.is_empty() {
        return Ok(SitePositions::new());
    }
    Ok(store
        .postcodes(&wanted)
        .await?
        .into_iter()
        .filter_map(|r| Some((r.postcode.replace(' ', ""), (r.lat?, r.lon?))))
        .collect())
}

fn resolve(selection: AreaSelection, facts: &[AreaFacts]) -> Preview {
    let resolution = selection.resolve(facts);
    let profile = DecileProfile::of(&resolution.codes, facts);
    Preview {
        selection,
        resolution,
        profile,
    }
}

/// What the input would come to, without saving it.
pub async fn preview_area_of_benefit(
    store: &dyn Store,
    caller: &Caller,
    input: &SelectionInput,
) -> Result<Preview> {
    caller.require(Capability::EditAreaOfBenefit)?;
    check(store, input).await
}

/// A version just saved, with its areas and their profile.
#[derive(Clone, Debug)]
pub struct Saved {
    pub aob: AreaOfBenefit,
    pub codes: BTreeSet<String>,
    pub profile: DecileProfile,
}

/// Checks the input and saves it as the programme's next version of its
/// area of benefit, with the areas it comes to and the note (why it
/// changed). A selection that comes to no areas is not saved.
pub async fn save_area_of_benefit(
    store: &dyn Store,
    caller: &Caller,
    input: &SelectionInput,
) -> Result<Saved> {
    caller.require(Capability::EditAreaOfBenefit)?;
    let p = check(store, input).await?;
    p.resolution.check_saveable()?;
    let aob = store
        .save_area_of_benefit(
            caller.programme,
            &p.selection,
            &p.resolution.codes,
            input.note.trim(),
            &caller.actor,
        )
        .await?;
    Ok(Saved {
        aob,
        codes: p.resolution.codes,
        profile: p.profile,
    })
}

/// A saved version, or the one in force when `version` is `None`.
pub async fn area_of_benefit(
    store: &dyn Store,
    caller: &Caller,
    version: Option<i64>,
) -> Result<Option<AreaOfBenefit>> {
    caller.require(Capability::ViewPlace)?;
    Ok(store.area_of_benefit(caller.programme, version).await?)
}

/// Every saved version, newest first.
pub async fn versions(store: &dyn Store, caller: &Caller) -> Result<Vec<AreaOfBenefit>> {
    caller.require(Capability::ViewPlace)?;
    Ok(store.area_of_benefit_versions(caller.programme).await?)
}

/// What the editor offers for an index: every index loaded, and the local
/// authorities and wards of the index's scheme.
#[derive(Clone, Debug)]
pub struct Editor {
    pub indices: Vec<DeprivationIndex>,
    /// The index chosen: the one asked for, or the one ranking most areas.
    pub index: String,
    pub local_authorities: Vec<NamedAreaCount>,
    pub wards: Vec<NamedAreaCount>,
}

/// The editor's choices for `index` (blank: [`super::default_index`]).
pub async fn editor(store: &dyn Store, caller: &Caller, index: &str) -> Result<Editor> {
    caller.require(Capability::EditAreaOfBenefit)?;
    let indices = store.indices().await?;
    let index = if index.is_empty() {
        super::default_index(&indices)
            .map(|i| i.code.clone())
            .unwrap_or_default()
    } else {
        index.to_string()
    };
    let scheme = indices
        .iter()
        .find(|i| i.code == index)
        .map(|i| i.scheme.clone())
        .unwrap_or_default();
    Ok(Editor {
        local_authorities: store.local_authorities(&scheme).await?,
        wards: store.wards(&scheme).await?,
        indices,
        index,
    })
}

/// The small areas of a saved version (by its id).
pub async fn codes(store: &dyn Store, caller: &Caller, id: uuid::Uuid) -> Result<BTreeSet<String>> {
    caller.require(Capability::ViewPlace)?;
    Ok(store.area_of_benefit_codes(caller.programme, id).await?)
}
