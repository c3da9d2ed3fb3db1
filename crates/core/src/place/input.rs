//! An area-of-benefit selection as a person types it (in the editor or to
//! the API): checked against the loaded index and areas, and turned into an
//! [`AreaSelection`] whose every field is tidy (trimmed, sorted, once) and
//! whose sites are placed.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::deprivation::DeprivationIndex;
use super::postcode::Postcode;
use super::selection::{AreaFacts, AreaSelection, MAX_RADIUS_KM, Radius};
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// A circle around a site, as typed: a postcode (or a position) and a distance.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

impl RadiusInput {
    /// A row of the editor left empty: not a site.
    fn is_blank(&self) -> bool {
        self.postcode.trim().is_empty() && self.km.trim().is_empty() && self.lat.is_none()
    }

    fn position(&self) -> Option<(f64, f64)> {
        self.lat.zip(self.lon)
    }
}

/// An area-of-benefit selection as typed in the form or sent to the API.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Where the site postcodes typed are, by compact form (`B662QT`); a
/// postcode missing here, or known without a position, is not placed.
pub type SitePositions = HashMap<String, (f64, f64)>;

impl SelectionInput {
    /// The index chosen, among those loaded: the selection's scheme follows
    /// from it, so nothing else can be checked without it.
    pub fn index_in<'a>(
        &self,
        indices: &'a [DeprivationIndex],
    ) -> Result<&'a DeprivationIndex, Invalid> {
        indices
            .iter()
            .find(|i| i.code == self.index)
            .ok_or_else(|| Invalid::one("index", Message::new("aob.index_required")))
    }

    /// The postcodes (compact) of the sites typed without a position: what
    /// must be placed before the selection can be checked.
    pub fn site_postcodes(&self) -> Vec<String> {
        self.radii
            .iter()
            .filter(|r| !r.is_blank() && r.position().is_none())
            .filter_map(|r| Postcode::parse(r.postcode.trim()).ok())
            .map(|p| p.compact().to_string())
            .collect()
    }

    /// Checks the input against the index chosen, the areas of its scheme
    /// and where the site postcodes are, naming every bad field at once
    /// (`radii/0/km` for a site's distance); blank site rows are ignored.
    pub fn validate(
        &self,
        index: &DeprivationIndex,
        facts: &[AreaFacts],
        sites: &SitePositions,
    ) -> Result<AreaSelection, Invalid> {
        let mut e = Errors::new();
        let mut radii = Vec::new();
        for (i, r) in self.radii.iter().enumerate() {
            if r.is_blank() {
                continue;
            }
            let km: Option<f64> =
                r.km.trim()
                    .parse()
                    .ok()
                    .filter(|k: &f64| k.is_finite() && *k > 0.0 && *k <= MAX_RADIUS_KM);
            if km.is_none() {
                e.add(
                    &format!("radii/{i}/km"),
                    Message::new("aob.radius_km").arg("max", MAX_RADIUS_KM),
                );
            }
            let field = format!("radii/{i}/postcode");
            let centre = match (r.position(), r.postcode.trim()) {
                (Some((lat, lon)), label) => Some((
                    if label.is_empty() {
                        format!("{lat:.5}, {lon:.5}")
                    } else {
                        label.to_string()
                    },
                    lat,
                    lon,
                )),
                (None, "") => {
                    e.add(&field, Message::new("postcode.empty"));
                    None
                }
                (None, typed) => match Postcode::parse(typed) {
                    Err(err) => {
                        e.add(&field, err.message());
                        None
                    }
                    Ok(pc) => match sites.get(pc.compact()) {
                        Some(&(lat, lon)) => Some((pc.to_string(), lat, lon)),
                        None => {
                            e.add(
                                &field,
                                Message::new("aob.postcode_not_placed").arg("postcode", &pc),
                            );
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
        let mut deciles = self.deciles.clone();
        deciles.sort();
        deciles.dedup();
        let sel = AreaSelection {
            scheme: index.scheme.clone(),
            index: index.code.clone(),
            local_authorities: tidy(&self.local_authorities),
            wards: tidy(&self.wards),
            radii,
            areas: tidy(&self.areas),
            deciles,
            exclude: tidy(&self.exclude),
        };
        if let Err(Invalid(found)) = sel.validate(facts) {
            // A site with an error above is not "nothing chosen".
            let typed_a_site = self.radii.iter().any(|r| !r.postcode.trim().is_empty());
            for f in found {
                if !(typed_a_site && f.message.key == "aob.nothing_chosen") {
                    e.add(&f.field, f.message);
                }
            }
        }
        e.finish(|| sel)
    }
}

/// Codes trimmed, blanks dropped, sorted and each once.
fn tidy(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = v
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> DeprivationIndex {
        DeprivationIndex {
            code: "imd2019".into(),
            name: "IMD 2019".into(),
            scheme: "lsoa11".into(),
            areas_ranked: 32_844,
            source: String::new(),
        }
    }

    fn facts() -> Vec<AreaFacts> {
        let f = |code: &str, ward: &str, lat: f64, decile: u8| AreaFacts {
            code: code.into(),
            local_authority_code: Some("E08000028".into()),
            ward_code: Some(ward.into()),
            lat: Some(lat),
            lon: Some(-1.95),
            decile: Some(decile),
            population: Some(1_500),
        };
        vec![
            f("E01010063", "E05001278", 52.49, 1),
            f("E01010064", "E05001278", 52.50, 4),
            f("E01010065", "E05001277", 52.70, 2),
        ]
    }

    fn sites() -> SitePositions {
        [("B662QT".to_string(), (52.49, -1.95))].into()
    }

    fn fields(r: Result<AreaSelection, Invalid>) -> Vec<String> {
        r.unwrap_err().0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn the_index_must_be_one_that_is_loaded() {
        let loaded = [index()];
        let mut input = SelectionInput {
            index: "imd2019".into(),
            ..Default::default()
        };
        assert_eq!(input.index_in(&loaded).unwrap().scheme, "lsoa11");
        input.index = "imd1066".into();
        let e = input.index_in(&loaded).unwrap_err();
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].message.key.as_str()),
            ("index", "aob.index_required")
        );
    }

    #[test]
    fn a_tidy_selection_with_its_sites_placed() {
        let input = SelectionInput {
            index: "imd2019".into(),
            wards: vec![" E05001278 ".into(), "E05001278".into(), "".into()],
            radii: vec![
                RadiusInput {
                    postcode: "b66 2qt".into(),
                    km: "1.5".into(),
                    ..Default::default()
                },
                RadiusInput::default(),
                RadiusInput {
                    lat: Some(52.5),
                    lon: Some(-1.9),
                    km: "2".into(),
                    ..Default::default()
                },
            ],
            deciles: vec![2, 1, 2],
            ..Default::default()
        };
        assert_eq!(input.site_postcodes(), vec!["B662QT".to_string()]);
        let sel = input.validate(&index(), &facts(), &sites()).unwrap();
        assert_eq!(
            (sel.scheme.as_str(), sel.wards.clone(), sel.deciles.clone()),
            ("lsoa11", vec!["E05001278".to_string()], vec![1, 2])
        );
        assert_eq!(
            sel.radii,
            vec![
                Radius {
                    label: "B66 2QT".into(),
                    lat: 52.49,
                    lon: -1.95,
                    km: 1.5
                },
                Radius {
                    label: "52.50000, -1.90000".into(),
                    lat: 52.5,
                    lon: -1.9,
                    km: 2.0
                }
            ]
        );
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let input = SelectionInput {
            index: "imd2019".into(),
            radii: vec![
                RadiusInput {
                    postcode: "B66 OQT".into(),
                    km: "two".into(),
                    ..Default::default()
                },
                RadiusInput {
                    postcode: "B18 4AA".into(),
                    km: "101".into(),
                    ..Default::default()
                },
                RadiusInput {
                    km: "1".into(),
                    ..Default::default()
                },
            ],
            areas: vec!["E01010063".into(), "E0199999X".into()],
            deciles: vec![11],
            ..Default::default()
        };
        assert_eq!(
            fields(input.validate(&index(), &facts(), &sites())),
            [
                "radii/0/km",
                "radii/0/postcode",
                "radii/1/km",
                "radii/1/postcode",
                "radii/2/postcode",
                "areas",
                "deciles"
            ]
        );
    }

    #[test]
    fn nothing_chosen_is_said_unless_a_site_was_typed() {
        let nothing = SelectionInput {
            index: "imd2019".into(),
            ..Default::default()
        };
        let e = nothing.validate(&index(), &facts(), &sites()).unwrap_err();
        assert_eq!(e.0[0].message.key, "aob.nothing_chosen");
        let unplaced = SelectionInput {
            index: "imd2019".into(),
            radii: vec![RadiusInput {
                postcode: "B18 4AA".into(),
                km: "1".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let e = unplaced.validate(&index(), &facts(), &sites()).unwrap_err();
        assert_eq!(
            e.0.iter()
                .map(|f| f.message.key.as_str())
                .collect::<Vec<_>>(),
            ["aob.postcode_not_placed"]
        );
    }
}
