//! The area of benefit drawn on a map: its members and, for context, the
//! other small areas of their local authorities, each shape read from its
//! stored GeoJSON. Reading and parsing some 1,700 boundaries took most of
//! the spend dashboard's time, so the current area of benefit's map is kept
//! (in [`Ledgers`]) while the programme's and the geography's revisions
//! stand: saving an area of benefit or loading boundaries moves them on.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use useit_core::auth::Capability;
use useit_core::place::areas::BoundaryRow;
use useit_core::place::geometry::{Shape, parse_geometry_text};

use super::{Profile, profile};
use crate::anchors::Ledgers;
use crate::{Caller, Result, Store};

/// One small area to draw.
#[derive(Clone, Debug)]
pub struct MapShape {
    pub code: String,
    pub name: String,
    pub shape: Shape,
    pub decile: Option<u8>,
    /// In the area of benefit (else drawn as context).
    pub member: bool,
}

/// An area of benefit and the shapes of its map.
pub struct AobMap {
    pub profile: Profile,
    pub shapes: Vec<MapShape>,
}

/// The members of the area of benefit and the other areas of their local
/// authorities, parsed; an unreadable geometry is left off the map.
pub fn map_shapes(p: &Profile, boundaries: &[BoundaryRow]) -> Vec<MapShape> {
    let las: BTreeSet<Option<&String>> = p
        .facts
        .iter()
        .filter(|f| p.codes.contains(&f.code))
        .map(|f| f.local_authority_code.as_ref())
        .collect();
    let la_of: BTreeMap<&str, Option<&String>> = p
        .facts
        .iter()
        .map(|f| (f.code.as_str(), f.local_authority_code.as_ref()))
        .collect();
    boundaries
        .iter()
        .filter_map(|b| {
            let member = p.codes.contains(&b.code);
            let near = la_of
                .get(b.code.as_str())
                .is_some_and(|la| las.contains(la));
            if !member && !near {
                return None;
            }
            Some(MapShape {
                code: b.code.clone(),
                name: b.name.clone(),
                shape: parse_geometry_text(&b.geometry).ok()?,
                decile: b.decile,
                member,
            })
        })
        .collect()
}

/// The map of the area of benefit in force (`None` before one is saved),
/// from `kept` while nothing it is drawn from has changed.
pub async fn current_aob_map(
    store: &dyn Store,
    caller: &Caller,
    kept: &Ledgers,
) -> Result<Option<Arc<AobMap>>> {
    caller.require(Capability::ViewPlace)?;
    let revision = caller.revision(store).await?;
    let standing = || {
        kept.aob_maps
            .get(caller.programme, |r| r.spend() == revision.spend())
    };
    if let Some(m) = standing() {
        return Ok(Some(m));
    }
    let _flight = kept.aob_maps.flight(caller.programme).await;
    if let Some(m) = standing() {
        return Ok(Some(m));
    }
    let Some(p) = profile(store, caller, None).await? else {
        return Ok(None);
    };
    let sel = &p.aob.selection;
    let boundaries = store.boundaries(&sel.scheme, Some(&sel.index), &[]).await?;
    let map = Arc::new(AobMap {
        shapes: map_shapes(&p, &boundaries),
        profile: p,
    });
    kept.aob_maps.put(caller.programme, revision, map.clone());
    Ok(Some(map))
}
