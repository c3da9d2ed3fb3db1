//! What the place pages, the API and the command line share: building and
//! checking an area-of-benefit selection, the profile of a saved one, and
//! postcode look-ups.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use useit_app::place::{area_infos, lookup_basis};
use useit_core::ProgrammeId;
use useit_core::i18n::Message;
use useit_core::place::lookup::{LookupResult, PostcodeFacts, answer};
use useit_core::place::postcode::Postcode;
use useit_core::place::selection::{AreaFacts, AreaSelection, DecileProfile, Radius, Resolution};
use useit_core::validation::{FieldError, Invalid};
use useit_store::Store;
use utoipa::ToSchema;

use crate::http::error::AppError;

/// A circle around a site, as typed: a postcode (or a position) and a distance.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RadiusInput {
    /// The site's postcode, e.g. `B66 2QT`.
    pub postcode: String,
    /// Or its position, WGS84.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Kilometres, e.g. `1.5`.
    pub km: String,
}

/// An area-of-benefit selection as typed in the form or sent to the API.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SelectionInput {
    /// The deprivation index (and so the area scheme), e.g. `imd2019`.
    pub index: String,
    pub local_authorities: Vec<String>,
    pub wards: Vec<String>,
    pub radii: Vec<RadiusInput>,
    /// Area codes to include.
    pub areas: Vec<String>,
    /// Keep only these deciles (1 = most deprived).
    pub deciles: Vec<u8>,
    /// Area codes to leave out.
    pub exclude: Vec<String>,
    /// Why it changed.
    pub note: String,
}

/// Turns typed input into a checked selection, with the facts it was checked against.
pub async fn build_selection(
    store: &dyn Store,
    input: &SelectionInput,
) -> Result<(AreaSelection, Vec<AreaFacts>), AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let index = store
        .indices()
        .await?
        .into_iter()
        .find(|i| i.code == input.index);
    let Some(index) = index else {
        return Err(AppError::Invalid(vec![FieldError {
            field: "index".into(),
            message: Message::new("aob.index_required"),
        }]));
    };
    let facts = store.area_facts(&index.scheme, Some(&index.code)).await?;
    let mut radii = Vec::new();
    for (i, r) in input.radii.iter().enumerate() {
        if r.postcode.trim().is_empty() && r.km.trim().is_empty() && r.lat.is_none() {
            continue;
        }
        let km: Option<f64> = r.km.trim().parse().ok().filter(|k: &f64| {
            k.is_finite() && *k > 0.0 && *k <= useit_core::place::selection::MAX_RADIUS_KM
        });
        if km.is_none() {
            errors.push(FieldError {
                field: format!("radii/{i}/km"),
                message: Message::new("aob.radius_km")
                    .arg("max", useit_core::place::selection::MAX_RADIUS_KM),
            });
        }
        let centre = match (r.lat, r.lon, r.postcode.trim()) {
            (Some(lat), Some(lon), label) => Some((
                if label.is_empty() {
                    format!("{lat:.5}, {lon:.5}")
                } else {
                    label.to_string()
                },
                lat,
                lon,
            )),
            (_, _, "") => {
                errors.push(FieldError {
                    field: format!("radii/{i}/postcode"),
                    message: Message::new("postcode.empty"),
                });
                None
            }
            (_, _, typed) => match Postcode::parse(typed) {
                Err(e) => {
                    errors.push(FieldError {
                        field: format!("radii/{i}/postcode"),
                        message: e.message(),
                    });
                    None
                }
                Ok(pc) => match store.postcode(pc.compact()).await? {
                    Some(rec) if rec.lat.is_some() && rec.lon.is_some() => {
                        Some((pc.to_string(), rec.lat.unwrap(), rec.lon.unwrap()))
                    }
                    _ => {
                        errors.push(FieldError {
                            field: format!("radii/{i}/postcode"),
                            message: Message::new("aob.postcode_not_placed").arg("postcode", &pc),
                        });
                        None
                    }
                },
            },
        };
        if let (Some((label, lat, lon)), Some(km)) = (centre, km) {
            radii.push(Radius {
                label,
                lat,
                lon,
                km,
            });
        }
    }
    let clean = |v: &[String]| -> Vec<String> {
        let mut out: Vec<String> = v
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let mut deciles = input.deciles.clone();
    deciles.sort();
    deciles.dedup();
    let sel = AreaSelection {
        scheme: index.scheme.clone(),
        index: index.code.clone(),
        local_authorities: clean(&input.local_authorities),
        wards: clean(&input.wards),
        radii,
        areas: clean(&input.areas),
        deciles,
        exclude: clean(&input.exclude),
    };
    if let Err(Invalid(e)) = sel.validate(&facts) {
        // A radius with an error above is not "nothing chosen".
        let has_radius_input = input.radii.iter().any(|r| !r.postcode.trim().is_empty());
        errors.extend(
            e.into_iter()
                .filter(|f| !(has_radius_input && f.message.key == "aob.nothing_chosen")),
        );
    }
    if errors.is_empty() {
        Ok((sel, facts))
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// What a selection would come to, without saving it.
pub fn preview(sel: &AreaSelection, facts: &[AreaFacts]) -> (Resolution, DecileProfile) {
    let r = sel.resolve(facts);
    let p = DecileProfile::of(&r.codes, facts);
    (r, p)
}

/// The most postcodes one API call may look up.
pub const MAX_BULK: usize = 10_000;

/// Looks up postcodes for a programme: area, decile, district, ward and
/// whether each is in the area of benefit.
pub async fn lookup(
    store: &dyn Store,
    programme: ProgrammeId,
    inputs: &[String],
) -> Result<Vec<LookupResult>, AppError> {
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
    let found = store.postcodes(&keys).await?;
    let facts: HashMap<String, PostcodeFacts> = found
        .into_iter()
        .map(|r| {
            let key = r.postcode.replace(' ', "");
            let f = PostcodeFacts {
                display: r.postcode.clone(),
                area_code: r.area_in(scheme).map(String::from),
                lat: r.lat,
                lon: r.lon,
                live: r.is_live(),
                terminated: r.terminated.clone(),
            };
            (key, f)
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
