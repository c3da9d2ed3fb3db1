//! Postcode look-ups for a programme: the small area, its decile, district
//! and ward, and whether it is in the area of benefit. One at a time or
//! many from the database (pages and API), or a whole file against an
//! in-memory index of the scheme's postcodes (the command line).

use std::collections::HashMap;

use useit_core::auth::Capability;
use useit_core::place::index::PostcodeIndex;
use useit_core::place::lookup::{AreaInfo, LookupResult, PostcodeFacts, answer, check_bulk};
use useit_core::place::postcode::Postcode;

use super::{LookupBasis, area_infos, lookup_basis};
use crate::{Caller, Error, Result, Store};

/// Answers each input, in the order given (at most
/// [`useit_core::place::lookup::MAX_BULK`]).
pub async fn lookup(
    store: &dyn Store,
    caller: &Caller,
    inputs: &[String],
) -> Result<Vec<LookupResult>> {
    caller.require(Capability::ViewPlace)?;
    lookup_in(store, caller.programme, inputs).await
}

/// [`lookup`] for another context's records (an asset's postcode): the
/// programme's geography, without asking for the place capability, since
/// what is answered is the deployment's reference data.
pub(crate) async fn lookup_in(
    store: &dyn Store,
    programme: useit_core::ProgrammeId,
    inputs: &[String],
) -> Result<Vec<LookupResult>> {
    check_bulk(inputs.len())?;
    let basis = lookup_basis(store, Some(programme)).await?;
    let (scheme, index, aob) = match &basis {
        Some(b) => (
            b.scheme.as_str(),
            Some(b.index.as_str()),
            b.area_of_benefit.as_ref(),
        ),
        None => ("", None, None),
    };
    let keys: Vec<String> = inputs
        .iter()
        .filter_map(|i| Postcode::parse(i).ok().map(|p| p.compact().to_string()))
        .collect();
    let facts: HashMap<String, PostcodeFacts> = store
        .postcodes(&keys)
        .await?
        .into_iter()
        .map(|r| {
            let f = PostcodeFacts {
                display: r.postcode.clone(),
                area_code: r.area_in(scheme).map(String::from),
                lat: r.lat,
                lon: r.lon,
                live: r.is_live(),
                terminated: r.terminated.clone(),
            };
            (r.postcode.replace(' ', ""), f)
        })
        .collect();
    let areas = if scheme.is_empty() {
        HashMap::new()
    } else {
        area_infos(store, scheme, index).await?
    };
    Ok(inputs
        .iter()
        .map(|i| {
            let key = Postcode::parse(i).ok().map(|p| p.compact().to_string());
            answer(i, key.as_ref().and_then(|k| facts.get(k)), &areas, aob)
        })
        .collect())
}

/// A point's small area in a programme's geography, with what the index
/// knows of it (`None` when the area is not in the index).
#[derive(Clone, Debug, PartialEq)]
pub struct PointArea {
    pub code: String,
    pub info: Option<AreaInfo>,
}

/// The small area each point lies in, in the programme's geography (the
/// scheme its look-ups use): the boundary that holds it, by
/// [`useit_core::place::lookup::area_at`]. `None` for a point outside every
/// loaded boundary, and for every point when no geography or no boundary is
/// loaded. Boundaries are read only when there is a point to place, so
/// places by postcode alone never read them. Like postcodes, points are
/// placed when read, so a reloaded geography places them again.
pub(crate) async fn points_in(
    store: &dyn Store,
    programme: useit_core::ProgrammeId,
    points: &[useit_core::place::Location],
) -> Result<Vec<Option<PointArea>>> {
    if points.is_empty() {
        return Ok(Vec::new());
    }
    let Some(basis) = lookup_basis(store, Some(programme)).await? else {
        return Ok(vec![None; points.len()]);
    };
    let shapes: Vec<(String, useit_core::place::geometry::Shape)> = store
        .boundaries(&basis.scheme, Some(&basis.index), &[])
        .await?
        .into_iter()
        .filter_map(|r| {
            Some((
                r.code,
                useit_core::place::geometry::parse_geometry_text(&r.geometry).ok()?,
            ))
        })
        .collect();
    if shapes.is_empty() {
        return Ok(vec![None; points.len()]);
    }
    let areas = area_infos(store, &basis.scheme, Some(&basis.index)).await?;
    Ok(points
        .iter()
        .map(|p| {
            useit_core::place::lookup::area_at(&shapes, *p).map(|c| PointArea {
                code: c.to_string(),
                info: areas.get(c).cloned(),
            })
        })
        .collect())
}

/// One postcode's answer. Input that is not a postcode is invalid (the
/// field `postcode`, saying what is wrong with it); a postcode that is
/// unknown, terminated or not yet in a small area is an answer.
pub async fn postcode(store: &dyn Store, caller: &Caller, input: &str) -> Result<LookupResult> {
    let r = lookup(store, caller, &[input.to_string()])
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    r.check_postcode()?;
    Ok(r)
}

/// Every postcode of a scheme in memory, with its areas' facts: for
/// answering a file of any size without a query per row.
pub struct LookupTable {
    /// The scheme, index and area of benefit the answers are against.
    pub basis: LookupBasis,
    index: PostcodeIndex,
    areas: HashMap<String, AreaInfo>,
}

impl LookupTable {
    /// One postcode's answer, as [`lookup`] would give it.
    pub fn answer(&self, raw: &str) -> LookupResult {
        answer(
            raw,
            self.index.facts(raw).as_ref(),
            &self.areas,
            self.basis.area_of_benefit.as_ref(),
        )
    }
}

/// The table for a programme's geography and area of benefit, or (with no
/// caller: the console looking up without a programme) the first index
/// loaded; `None` when no geography is loaded.
pub async fn lookup_table(
    store: &dyn Store,
    caller: Option<&Caller>,
) -> Result<Option<LookupTable>> {
    if let Some(c) = caller {
        c.require(Capability::ViewPlace)?;
    }
    let Some(basis) = lookup_basis(store, caller.map(|c| c.programme)).await? else {
        return Ok(None);
    };
    let index = PostcodeIndex::from_points(&store.postcode_points(&basis.scheme).await?);
    let areas = area_infos(store, &basis.scheme, Some(&basis.index)).await?;
    Ok(Some(LookupTable {
        basis,
        index,
        areas,
    }))
}

/// Every postcode of a scheme with its small area, position and whether it
/// is still in use (the demo draws residents' and suppliers' addresses
/// from them).
pub async fn postcode_points(
    store: &dyn Store,
    caller: &Caller,
    scheme: &str,
) -> Result<Vec<useit_core::place::PostcodePoint>> {
    caller.require(Capability::ViewPlace)?;
    Ok(store.postcode_points(scheme).await?)
}
