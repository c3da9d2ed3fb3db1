//! Geography: postcodes, small areas, deprivation and the area of benefit.
//!
//! Nothing here assumes England. An area scheme (LSOA 2011, Scottish data
//! zones 2011, Dutch buurten…) and a deprivation index over it load from CSV
//! and GeoJSON through a column mapping; the English and Scottish files that
//! ship with useit are presets of that mapping.

pub mod areas;
pub mod deprivation;
pub mod geometry;
pub mod index;
pub mod input;
pub mod load;
pub mod lookup;
pub mod postcode;
pub mod selection;

use serde::{Deserialize, Serialize};

/// A way of dividing a country into small statistical areas, at one vintage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaScheme {
    /// Short code used everywhere else, e.g. `lsoa11`.
    pub code: String,
    /// e.g. "LSOA 2011".
    pub name: String,
    /// e.g. "England", "Scotland", "Netherlands".
    pub country: String,
    /// What one area is called, e.g. "Lower layer super output area".
    pub level: String,
}

/// A scheme and how much of it is loaded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SchemeSummary {
    pub scheme: AreaScheme,
    pub areas: i64,
    pub with_boundaries: i64,
    pub postcodes: i64,
}

/// A small area with what people need to know about where it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub scheme: String,
    pub code: String,
    pub name: String,
    pub local_authority_code: Option<String>,
    pub local_authority_name: Option<String>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    /// WGS84 centroid.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<i64>,
}

/// An area's place in a deprivation index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaDeprivation {
    pub index: String,
    pub area_code: String,
    /// 1 = most deprived, always (indices ranked the other way are turned round on loading).
    pub rank: i64,
    /// 1 = most deprived tenth.
    pub decile: u8,
    pub score: Option<f64>,
    /// Domain ranks and deciles, e.g. income, employment.
    pub domains: Vec<DomainRank>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainRank {
    pub domain: String,
    pub rank: i64,
    pub decile: u8,
}

/// A point on the map, WGS84: where a place is when no postcode look-up
/// can say (France has none; an address's IRIS is the polygon around it).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

impl Location {
    /// A latitude and longitude that are on the Earth, or `None`.
    pub fn new(lat: f64, lon: f64) -> Option<Location> {
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
            .then_some(Location { lat, lon })
    }
}

/// A postcode as the reference data knows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostcodeRecord {
    /// Display form, e.g. `B18 7QH`.
    pub postcode: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub local_authority_code: Option<String>,
    pub ward_code: Option<String>,
    /// YYYYMM, when known.
    pub introduced: Option<String>,
    /// YYYYMM when it was terminated; `None` while live.
    pub terminated: Option<String>,
    /// The small area it falls in, per scheme: (scheme, area code).
    pub areas: Vec<(String, String)>,
}

impl PostcodeRecord {
    pub fn is_live(&self) -> bool {
        self.terminated.is_none()
    }

    pub fn area_in(&self, scheme: &str) -> Option<&str> {
        self.areas
            .iter()
            .find(|(s, _)| s == scheme)
            .map(|(_, a)| a.as_str())
    }
}

/// A postcode for the in-memory index: compact key, area, position, live.
#[derive(Clone, Debug, PartialEq)]
pub struct PostcodePoint {
    pub postcode: String,
    pub area: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub live: bool,
}

/// A named area that is not a small area: a local authority, a ward, a
/// combined authority, a region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedArea {
    pub code: String,
    pub kind: NamedAreaKind,
    pub name: String,
    pub parent_code: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamedAreaKind {
    LocalAuthority,
    Ward,
    CombinedAuthority,
    Region,
}

impl NamedAreaKind {
    pub fn slug(&self) -> &'static str {
        match self {
            NamedAreaKind::LocalAuthority => "local_authority",
            NamedAreaKind::Ward => "ward",
            NamedAreaKind::CombinedAuthority => "combined_authority",
            NamedAreaKind::Region => "region",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::LocalAuthority,
            Self::Ward,
            Self::CombinedAuthority,
            Self::Region,
        ]
        .into_iter()
        .find(|k| k.slug() == s)
    }
}
