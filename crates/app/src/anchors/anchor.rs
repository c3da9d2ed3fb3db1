//! The programme's anchor institutions and their sites.

use useit_core::anchors::anchor::{Anchor, AnchorInput, AnchorKind};
use useit_core::anchors::directory::{Candidate, find};
use useit_core::anchors::spend_file::ColumnMapping;
use useit_core::auth::Capability;

use crate::{Caller, Error, Result, Store};

pub async fn anchors(store: &dyn Store, caller: &Caller) -> Result<Vec<Anchor>> {
    caller.require(Capability::ViewSpend)?;
    Ok(store.list_anchors(caller.programme).await?)
}

pub async fn anchor(store: &dyn Store, caller: &Caller, slug: &str) -> Result<Anchor> {
    caller.require(Capability::ViewSpend)?;
    store
        .anchor(caller.programme, slug)
        .await?
        .ok_or(Error::NotFound)
}

/// Creates the anchor, or changes the one with this short name (its sites
/// are replaced); every field's problem at once. A new anchor that names no
/// column mapping, in a programme started from a model, takes the mapping
/// the first city's anchors of its kind needed: the same finance systems
/// tend to export the same headers.
pub async fn save_anchor(
    store: &dyn Store,
    caller: &Caller,
    input: &AnchorInput,
) -> Result<Anchor> {
    caller.require(Capability::ManageSpend)?;
    let mut draft = input.validate()?;
    if draft.column_mapping.0.is_empty()
        && store.anchor(caller.programme, &draft.slug).await?.is_none()
        && let Some((_, json)) = store.programme_model(caller.programme).await?
        && let Ok(model) = useit_core::programme::model::ProgrammeModel::parse(json.as_bytes())
        && let Some(mapping) = model.mapping_for(draft.kind)
    {
        draft.column_mapping = mapping;
    }
    Ok(store
        .save_anchor(caller.programme, &draft, &caller.actor)
        .await?)
}

/// Saves the columns a person confirmed as the anchor's mapping, so its
/// next files read the same way whatever their headers say.
pub async fn save_column_mapping(
    store: &dyn Store,
    caller: &Caller,
    slug: &str,
    mapping: &ColumnMapping,
) -> Result<Anchor> {
    caller.require(Capability::ManageSpend)?;
    let anchor = store
        .anchor(caller.programme, slug)
        .await?
        .ok_or(Error::NotFound)?;
    let mut input = AnchorInput::of(&anchor);
    input.column_mapping = mapping.pairs().join("\n");
    save_anchor(store, caller, &input).await
}

/// The spend files imported, newest first.
pub async fn spend_files(
    store: &dyn Store,
    caller: &Caller,
) -> Result<Vec<useit_core::anchors::ledger::SpendFileRecord>> {
    caller.require(Capability::ViewSpend)?;
    Ok(store.spend_files(caller.programme).await?)
}

/// One anchor with what its spend comes to, for the anchors page.
pub struct AnchorSummary {
    pub anchor: Anchor,
    /// Spend files imported for it.
    pub files: usize,
    pub measures: useit_core::anchors::measures::Measures,
    /// What its suppliers could be placed against.
    pub setup: useit_core::anchors::placing::PlacingSetup,
}

/// Every anchor of the programme with its files and spend measures (over
/// all its lines), read from the kept ledger.
pub async fn overview(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &super::ledger::Ledgers,
) -> Result<Vec<AnchorSummary>> {
    let ledger = super::ledger::ledger(store, caller, ledgers).await?;
    let files = store.spend_files(caller.programme).await?;
    Ok(ledger
        .anchors
        .iter()
        .map(|a| AnchorSummary {
            anchor: a.clone(),
            files: files.iter().filter(|f| f.anchor_slug == a.slug).count(),
            setup: ledger.setup,
            measures: ledger.measures(&useit_core::anchors::measures::LinePredicate {
                anchor: Some(a.slug.clone()),
                ..Default::default()
            }),
        })
        .collect())
}

/// The NHS trusts, universities and councils whose names hold every word
/// of `text`, for the person adding an anchor to pick by name (councils are
/// the local authorities of the geography loaded); at most 20. A trust or
/// university whose postcode the loaded geography knows carries its local
/// authority too.
pub async fn find_organisations(
    store: &dyn Store,
    caller: &Caller,
    text: &str,
) -> Result<Vec<Candidate>> {
    caller.require(Capability::ManageSpend)?;
    let mut councils: Vec<Candidate> = Vec::new();
    for s in store.schemes().await? {
        for la in store.local_authorities(&s.scheme.code).await? {
            if !councils.iter().any(|c| c.code == la.code) {
                councils.push(Candidate {
                    kind: AnchorKind::Council,
                    local_authority_code: Some(la.code.clone()),
                    code: la.code,
                    name: la.name,
                    postcode: None,
                });
            }
        }
    }
    let mut found: Vec<Candidate> = find(text, &councils, 20).into_iter().cloned().collect();
    // The local authority from the postcode directory's own column: a
    // trust's postcode may have no small area in the index the programme
    // works in, but the directory still says which council it is in.
    let compact = |c: &Candidate| {
        c.postcode
            .as_deref()
            .and_then(|p| useit_core::place::postcode::Postcode::parse(p).ok())
            .map(|p| p.compact().to_string())
    };
    let keys: Vec<String> = found.iter().filter_map(compact).collect();
    if !keys.is_empty() {
        let councils: std::collections::HashMap<String, String> = store
            .postcodes(&keys)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.postcode.replace(' ', ""), r.local_authority_code?)))
            .collect();
        for c in found
            .iter_mut()
            .filter(|c| c.local_authority_code.is_none())
        {
            c.local_authority_code = compact(c).and_then(|k| councils.get(&k).cloned());
        }
    }
    Ok(found)
}
