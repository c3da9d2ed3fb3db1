//! The asset map (issue 19 item 5): listing, adding and changing assets,
//! the CSV out and back in, and the services as Open Referral (HSDS).
//!
//! Who reads: those who manage communities read every asset; anyone else
//! with `ViewCommunities` reads the programme-wide assets and those of the
//! communities they are a member of. Who writes: managers any asset; a
//! community's members (with `EditCommunityPlans`) their own community's
//! micro assets. A skill's count of people is a published figure: small
//! counts are suppressed for roles without the right to exact figures
//! (`ManageCommunities` here). Places come from the place context: the
//! postcode's small area and decile in the programme's geography.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::community::asset::{
    Asset, AssetDraft, AssetFilter, AssetInput, AssetLayer, AssetPlace, AssetQuery, AssetRow,
    InteractionRef, parse_csv, write_csv,
};
use useit_core::community::hsds::{self, ServiceAt};
use useit_core::csv_import::Problem;
use useit_core::i18n::Message;
use useit_core::listing::{Page, PageRequest};
use useit_core::place::Location;
use useit_core::place::lookup::LookupStatus;
use useit_store::community::assets::AssetWrite;

use crate::programme::CsvUpload;
use crate::{Caller, Error, Imported, Result, Store};

/// An asset as a reader sees it: where it is and its count as published.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AssetView {
    pub asset: Asset,
    /// `None` when it has no place; its fields are `None` where not known.
    pub place: Option<AssetPlace>,
    /// A skill's count as this reader may see it (`None` when suppressed).
    pub people: Option<u64>,
    /// The count in words: `12`, `fewer than 5`.
    pub people_text: Option<String>,
    /// Whether this reader may change it.
    pub may_edit: bool,
}

/// The communities whose assets the caller reads: `None` for all.
async fn readable(store: &dyn Store, caller: &Caller) -> Result<Option<BTreeSet<Uuid>>> {
    caller.require(Capability::ViewCommunities)?;
    if caller.can(Capability::ManageCommunities) {
        return Ok(None);
    }
    let Some(user) = caller.user else {
        return Ok(None);
    };
    let mut mine = BTreeSet::new();
    for c in store.communities(caller.programme).await? {
        if store
            .is_community_member(caller.programme, c.id, user)
            .await?
        {
            mine.insert(c.id);
        }
    }
    Ok(Some(mine))
}

fn can_read(scope: &Option<BTreeSet<Uuid>>, a: &AssetDraft) -> bool {
    match (scope, a.community) {
        (None, _) | (_, None) => true,
        (Some(mine), Some(c)) => mine.contains(&c),
    }
}

/// Whether the caller may write this asset: managers any; a community's
/// members that community's micro assets.
fn can_write(caller: &Caller, scope: &Option<BTreeSet<Uuid>>, a: &AssetDraft) -> bool {
    if caller.can(Capability::ManageCommunities) {
        return true;
    }
    if !caller.can(Capability::EditCommunityPlans) || a.kind.layer() != AssetLayer::Micro {
        return false;
    }
    match (scope, a.community) {
        (None, _) => true,
        (Some(mine), Some(c)) => mine.contains(&c),
        (Some(_), None) => false,
    }
}

/// The places of these assets: each postcode looked up in the programme's
/// geography; an asset with a point and no postcode the geography places
/// (none given, or one not in the loaded postcodes) takes the small area
/// whose boundary holds the point. Placed when read, as postcodes are, so
/// nothing stored goes stale when a geography is reloaded, and rows saved
/// before points were placed need no migration.
async fn places(
    store: &dyn Store,
    caller: &Caller,
    assets: &[Asset],
) -> Result<HashMap<Uuid, AssetPlace>> {
    let postcodes: Vec<String> = assets
        .iter()
        .filter_map(|a| a.draft.postcode.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut found = HashMap::new();
    for chunk in postcodes.chunks(useit_core::place::lookup::MAX_BULK) {
        for r in crate::place::lookup::lookup_in(store, caller.programme, chunk).await? {
            found.insert(r.input.clone(), r);
        }
    }
    let mut out = HashMap::new();
    let mut by_point = Vec::new();
    for a in assets {
        let d = &a.draft;
        if d.postcode.is_none() && d.lat.is_none() {
            continue;
        }
        let r = d.postcode.as_ref().and_then(|p| found.get(p));
        let place = AssetPlace {
            area_code: r.and_then(|r| r.area_code.clone()),
            area_name: r.and_then(|r| r.area_name.clone()),
            local_authority_name: r.and_then(|r| r.local_authority_name.clone()),
            decile: r.and_then(|r| r.decile),
            lat: d.lat.or_else(|| r.and_then(|r| r.lat)),
            lon: d.lon.or_else(|| r.and_then(|r| r.lon)),
        };
        if place.area_code.is_none()
            && let Some(at) = d
                .lat
                .zip(d.lon)
                .and_then(|(lat, lon)| Location::new(lat, lon))
        {
            by_point.push((a.id, at));
        }
        out.insert(a.id, place);
    }
    let points: Vec<Location> = by_point.iter().map(|(_, at)| *at).collect();
    let areas = crate::place::lookup::points_in(store, caller.programme, &points).await?;
    for ((id, _), area) in by_point.iter().zip(areas) {
        if let (Some(area), Some(place)) = (area, out.get_mut(id)) {
            place.area_name = area.info.as_ref().map(|i| i.name.clone());
            place.local_authority_name = area
                .info
                .as_ref()
                .and_then(|i| i.local_authority_name.clone());
            place.decile = area.info.as_ref().and_then(|i| i.decile);
            place.area_code = Some(area.code);
        }
    }
    Ok(out)
}

async fn views(
    store: &dyn Store,
    caller: &Caller,
    scope: &Option<BTreeSet<Uuid>>,
    assets: Vec<Asset>,
) -> Result<Vec<AssetView>> {
    let mut places = places(store, caller, &assets).await?;
    let viewer =
        crate::programme::disclosure::viewer(store, caller, Capability::ManageCommunities).await?;
    Ok(assets
        .into_iter()
        .map(|a| {
            let cell = a.draft.people.map(|n| viewer.count(u64::from(n)));
            AssetView {
                place: places.remove(&a.id),
                people: cell.and_then(|c| c.value()),
                people_text: cell.map(|c| c.text()),
                may_edit: can_write(caller, scope, &a.draft),
                asset: a,
            }
        })
        .collect())
}

/// Every asset the caller may read that the query selects, in its order.
pub async fn all_assets(
    store: &dyn Store,
    caller: &Caller,
    query: &AssetQuery,
) -> Result<Vec<AssetView>> {
    let filter = query.validate()?;
    selected(store, caller, &filter).await
}

/// [`all_assets`] for a filter already checked (the map's layers).
pub async fn selected(
    store: &dyn Store,
    caller: &Caller,
    filter: &AssetFilter,
) -> Result<Vec<AssetView>> {
    let scope = readable(store, caller).await?;
    let mut v: Vec<Asset> = store
        .community_assets(caller.programme)
        .await?
        .into_iter()
        .filter(|a| can_read(&scope, &a.draft) && filter.matches(a))
        .collect();
    filter.sort(&mut v);
    views(store, caller, &scope, v).await
}

/// A page of [`all_assets`].
pub async fn assets(
    store: &dyn Store,
    caller: &Caller,
    query: &AssetQuery,
    page: PageRequest,
) -> Result<Page<AssetView>> {
    Ok(Page::of(all_assets(store, caller, query).await?, page))
}

/// One asset the caller may read (another community's is not found).
pub async fn asset(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<AssetView> {
    let scope = readable(store, caller).await?;
    let a = store
        .community_asset(caller.programme, id)
        .await?
        .filter(|a| can_read(&scope, &a.draft))
        .ok_or(Error::NotFound)?;
    views(store, caller, &scope, vec![a])
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// Adds an asset (`id` none) or changes one. Managers may write any; a
/// community's members only their community's micro assets (the asset as
/// it was and as it will be).
pub async fn save_asset(
    store: &dyn Store,
    caller: &Caller,
    id: Option<Uuid>,
    input: &AssetInput,
) -> Result<Asset> {
    caller.require(Capability::EditCommunityPlans)?;
    let scope = readable(store, caller).await?;
    if let Some(id) = id {
        let before = store
            .community_asset(caller.programme, id)
            .await?
            .filter(|a| can_read(&scope, &a.draft))
            .ok_or(Error::NotFound)?;
        if !can_write(caller, &scope, &before.draft) {
            return Err(Error::Refused);
        }
    }
    let draft = input.validate()?;
    if !can_write(caller, &scope, &draft) {
        return Err(Error::Refused);
    }
    Ok(store
        .save_community_asset(caller.programme, id, &draft, &caller.actor)
        .await?)
}

/// The assets the query selects as the CSV the import reads back
/// (managers: the file carries skills' exact counts).
pub async fn assets_file(store: &dyn Store, caller: &Caller, query: &AssetQuery) -> Result<String> {
    caller.require(Capability::ManageCommunities)?;
    let v = all_assets(store, caller, query).await?;
    let assets: Vec<Asset> = v.into_iter().map(|a| a.asset).collect();
    Ok(write_csv(&assets))
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct AssetsImported {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
}

/// Reads an asset CSV (the download's columns). Every bad cell — and a
/// community, organisation, interaction or asset id the programme does not
/// have — is an error at its line and column, and nothing is saved; a
/// postcode the geography does not know is a warning (the asset is kept,
/// its area not known). Otherwise every row is written in one transaction:
/// a row without an id adds an asset, one with an id changes it, and a row
/// equal to its asset changes nothing, so the same file twice changes
/// nothing. A dry run says what it would do and writes nothing.
pub async fn import_assets(
    store: &dyn Store,
    caller: &Caller,
    upload: CsvUpload<'_>,
) -> Result<Imported<AssetsImported>> {
    caller.require(Capability::ManageCommunities)?;
    let (rows, header, mut report) = parse_csv(upload.file_name, upload.bytes);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let p = caller.programme;
    let existing: BTreeMap<Uuid, Asset> = store
        .community_assets(p)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let communities: BTreeSet<Uuid> = store
        .communities(p)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let orgs: Vec<Uuid> = rows.iter().filter_map(|r| r.draft.organisation).collect();
    let known_orgs = store.organisations_known(p, &orgs).await?;
    let interactions: BTreeSet<Uuid> = store
        .asset_interaction_choices(p)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let bad = |r: &AssetRow, field: &str, key: &str| {
        Problem::error(
            r.line,
            AssetRow::column(&header, field),
            Message::new(key.to_string()),
        )
    };
    for r in &rows {
        if r.id.is_some_and(|id| !existing.contains_key(&id)) {
            report.push(bad(r, "id", "community.asset.csv.unknown_id"));
        }
        if r.draft.community.is_some_and(|c| !communities.contains(&c)) {
            report.push(bad(r, "community", "community.asset.community_unknown"));
        }
        if r.draft
            .organisation
            .is_some_and(|o| !known_orgs.contains(&o))
        {
            report.push(bad(r, "organisation", "community.organisation_unknown"));
        }
        if r.draft
            .interaction
            .is_some_and(|i| !interactions.contains(&i))
        {
            report.push(bad(r, "interaction", "community.asset.interaction_unknown"));
        }
    }
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let postcodes: Vec<String> = rows
        .iter()
        .filter_map(|r| r.draft.postcode.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut unplaced = BTreeSet::new();
    for chunk in postcodes.chunks(useit_core::place::lookup::MAX_BULK) {
        for r in crate::place::lookup::lookup_in(store, p, chunk).await? {
            if r.status != LookupStatus::Ok {
                unplaced.insert(r.input);
            }
        }
    }
    // A point places a row whose postcode does not (none, or not loaded).
    let by_point: Vec<(&AssetRow, Location)> = rows
        .iter()
        .filter(|r| {
            r.draft
                .postcode
                .as_ref()
                .is_none_or(|pc| unplaced.contains(pc))
        })
        .filter_map(|r| {
            let (lat, lon) = r.draft.lat.zip(r.draft.lon)?;
            Some((r, Location::new(lat, lon)?))
        })
        .collect();
    let points: Vec<Location> = by_point.iter().map(|(_, at)| *at).collect();
    let placed = crate::place::lookup::points_in(store, p, &points).await?;
    let mut outside = BTreeSet::new();
    for ((r, at), area) in by_point.iter().zip(placed) {
        if area.is_none() {
            outside.insert(r.line);
            if r.draft.postcode.is_none() {
                report.push(Problem::warning(
                    r.line,
                    AssetRow::column(&header, "lat"),
                    Message::new("community.asset.csv.point_unplaced")
                        .arg("lat", at.lat.to_string())
                        .arg("lon", at.lon.to_string()),
                ));
            }
        }
    }
    let placed_by_point: BTreeSet<u64> = by_point
        .iter()
        .map(|(r, _)| r.line)
        .filter(|l| !outside.contains(l))
        .collect();
    let mut out = AssetsImported::default();
    let mut writes = Vec::new();
    for r in &rows {
        if let Some(pc) = &r.draft.postcode
            && unplaced.contains(pc)
            && !placed_by_point.contains(&r.line)
        {
            report.push(Problem::warning(
                r.line,
                AssetRow::column(&header, "postcode"),
                Message::new("community.asset.csv.postcode_unplaced").arg("postcode", pc.as_str()),
            ));
        }
        match r.id.and_then(|id| existing.get(&id)) {
            Some(a) if a.draft == r.draft => out.unchanged += 1,
            Some(_) => {
                out.changed += 1;
                writes.push(AssetWrite {
                    id: r.id,
                    draft: &r.draft,
                });
            }
            None => {
                if existing.values().any(|a| a.draft == r.draft) {
                    out.unchanged += 1;
                } else {
                    out.added += 1;
                    writes.push(AssetWrite {
                        id: None,
                        draft: &r.draft,
                    });
                }
            }
        }
    }
    if !upload.dry_run && !writes.is_empty() {
        store
            .import_community_assets(p, &writes, &caller.actor)
            .await?;
    }
    Ok(Imported {
        outcome: out,
        report,
    })
}

/// The services the caller may read, with their places, for HSDS.
async fn services(
    store: &dyn Store,
    caller: &Caller,
    query: &AssetQuery,
) -> Result<Vec<AssetView>> {
    let mut filter = query.validate()?;
    filter.kinds = vec![useit_core::community::asset::AssetKind::Service];
    selected(store, caller, &filter).await
}

fn service_refs(v: &[AssetView]) -> Vec<ServiceAt<'_>> {
    v.iter()
        .map(|a| ServiceAt {
            asset: &a.asset,
            place: a.place.as_ref(),
        })
        .collect()
}

/// The services as HSDS tables: (file name, CSV text) for each.
pub async fn hsds_tables(
    store: &dyn Store,
    caller: &Caller,
    query: &AssetQuery,
) -> Result<Vec<(&'static str, String)>> {
    let v = services(store, caller, query).await?;
    Ok(hsds::tables(&service_refs(&v), clock::today()))
}

/// The services as the HSDS tables in one zip file (the web's download of
/// what the console writes to a folder): the same readers, the same rows.
pub async fn hsds_zip(store: &dyn Store, caller: &Caller, query: &AssetQuery) -> Result<Vec<u8>> {
    Ok(hsds::zip_tables(&hsds_tables(store, caller, query).await?))
}

/// The services as HSDS `service` objects with what they nest.
pub async fn hsds_services(
    store: &dyn Store,
    caller: &Caller,
    query: &AssetQuery,
) -> Result<Vec<hsds::Json>> {
    let v = services(store, caller, query).await?;
    Ok(hsds::services_json(&service_refs(&v), clock::today()))
}

/// What the asset form offers.
#[derive(Clone, Debug, Default)]
pub struct AssetChoices {
    /// The communities the caller may put an asset in (id, name).
    pub communities: Vec<(Uuid, String)>,
    /// Whether the caller may put an asset in no community (managers).
    pub programme_wide: bool,
    /// Whether the caller may add macro assets (managers).
    pub macro_kinds: bool,
    /// The register's organisations, or `None` past `at_most` (the form
    /// then takes an id).
    pub organisations: Option<Vec<(Uuid, String)>>,
    /// The anchors' interactions a space may have been unlocked by: which
    /// anchor works with which organisation and how (organisations, not
    /// people), as the asset's page names them to its readers.
    pub interactions: Vec<InteractionRef>,
}

pub async fn asset_choices(
    store: &dyn Store,
    caller: &Caller,
    at_most: usize,
) -> Result<AssetChoices> {
    caller.require(Capability::EditCommunityPlans)?;
    let scope = readable(store, caller).await?;
    let manage = caller.can(Capability::ManageCommunities);
    let communities = store
        .communities(caller.programme)
        .await?
        .into_iter()
        .filter(|c| scope.as_ref().is_none_or(|m| m.contains(&c.id)))
        .map(|c| (c.id, c.name))
        .collect();
    let limit = i64::try_from(at_most.saturating_add(1)).unwrap_or(i64::MAX);
    let orgs = store.organisation_choices(caller.programme, limit).await?;
    Ok(AssetChoices {
        communities,
        programme_wide: manage,
        macro_kinds: manage,
        organisations: (orgs.len() <= at_most).then_some(orgs),
        interactions: store.asset_interaction_choices(caller.programme).await?,
    })
}

/// The assets a community's plan actions may build on: its own and the
/// programme-wide ones (id, name).
pub async fn action_asset_choices(
    store: &dyn Store,
    caller: &Caller,
    community: Uuid,
) -> Result<Vec<(Uuid, String)>> {
    caller.require(Capability::ViewCommunities)?;
    Ok(store
        .community_assets(caller.programme)
        .await?
        .into_iter()
        .filter(|a| a.draft.community.is_none_or(|c| c == community))
        .map(|a| (a.id, a.draft.name))
        .collect())
}

/// The assets each of the community's actions builds on: action → names.
pub async fn action_assets(
    store: &dyn Store,
    caller: &Caller,
    community: Uuid,
) -> Result<BTreeMap<Uuid, Vec<(Uuid, String)>>> {
    caller.require(Capability::ViewCommunities)?;
    let names: HashMap<Uuid, String> = store
        .community_assets(caller.programme)
        .await?
        .into_iter()
        .map(|a| (a.id, a.draft.name))
        .collect();
    let mut out: BTreeMap<Uuid, Vec<(Uuid, String)>> = BTreeMap::new();
    for (action, asset) in store.action_assets(caller.programme, community).await? {
        if let Some(n) = names.get(&asset) {
            out.entry(action).or_default().push((asset, n.clone()));
        }
    }
    Ok(out)
}

/// Sets the assets an action builds on (the plan's editors: the same
/// narrowing as editing the plan).
pub async fn link_action_assets(
    store: &dyn Store,
    caller: &Caller,
    community: Uuid,
    action: Uuid,
    assets: &[Uuid],
) -> Result<()> {
    caller.require(Capability::EditCommunityPlans)?;
    store
        .community(caller.programme, community)
        .await?
        .ok_or(Error::NotFound)?;
    if !super::may_edit_plan(store, caller, community).await? {
        return Err(Error::Refused);
    }
    Ok(store
        .set_action_assets(caller.programme, community, action, assets, &caller.actor)
        .await?)
}
