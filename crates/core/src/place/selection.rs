//! The area of benefit: which small areas a programme serves, chosen by
//! local authority, ward, distance from a site, an uploaded list and
//! deprivation decile, in any combination.
//!
//! The areas chosen by local authority, ward, radius or list are put
//! together (a union); a decile choice then keeps only those deciles; listed
//! exclusions come out last. The definition is kept with each saved version,
//! so every later figure can say which areas it counted and why.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::geometry::haversine_km;
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// A circle around a site.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Radius {
    /// What the centre is, for people: usually the site's postcode.
    pub label: String,
    pub lat: f64,
    pub lon: f64,
    pub km: f64,
}

/// How a programme's area of benefit is chosen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AreaSelection {
    /// The area scheme, e.g. `lsoa11`.
    pub scheme: String,
    /// The deprivation index used for deciles, e.g. `imd2019`.
    pub index: String,
    pub local_authorities: Vec<String>,
    pub wards: Vec<String>,
    pub radii: Vec<Radius>,
    /// Area codes listed by hand or uploaded.
    pub areas: Vec<String>,
    /// Keep only areas in these deciles (1 = most deprived); empty keeps all.
    pub deciles: Vec<u8>,
    /// Area codes to leave out.
    pub exclude: Vec<String>,
}

/// What resolving a selection needs to know about each area of the scheme.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaFacts {
    pub code: String,
    pub local_authority_code: Option<String>,
    pub ward_code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub decile: Option<u8>,
    pub population: Option<i64>,
}

/// The areas a selection comes to, and how each rule contributed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Resolution {
    pub codes: BTreeSet<String>,
    /// Areas each rule brought in before deciles and exclusions.
    pub by_local_authority: usize,
    pub by_ward: usize,
    pub by_radius: usize,
    pub by_list: usize,
    /// Areas the decile choice left out.
    pub dropped_by_decile: usize,
    pub excluded: usize,
}

pub const MAX_RADIUS_KM: f64 = 100.0;

impl Resolution {
    /// Whether an area of benefit that came to this may be saved: one with
    /// no areas serves no-one (a preview may still show it).
    pub fn check_saveable(&self) -> Result<(), Invalid> {
        if self.codes.is_empty() {
            Err(Invalid::one("local_authorities", Message::new("aob.empty")))
        } else {
            Ok(())
        }
    }
}

impl AreaSelection {
    /// Checks the selection against the areas that exist, naming each bad field.
    pub fn validate(&self, facts: &[AreaFacts]) -> Result<(), Invalid> {
        let mut e = Errors::new();
        if self.local_authorities.is_empty()
            && self.wards.is_empty()
            && self.radii.is_empty()
            && self.areas.is_empty()
        {
            e.add("local_authorities", Message::new("aob.nothing_chosen"));
        }
        let codes: BTreeSet<&str> = facts.iter().map(|f| f.code.as_str()).collect();
        let las: BTreeSet<&str> = facts
            .iter()
            .filter_map(|f| f.local_authority_code.as_deref())
            .collect();
        let wards: BTreeSet<&str> = facts
            .iter()
            .filter_map(|f| f.ward_code.as_deref())
            .collect();
        let unknown = |list: &[String], known: &BTreeSet<&str>| -> Vec<String> {
            list.iter()
                .filter(|c| !known.contains(c.as_str()))
                .cloned()
                .collect()
        };
        for (field, bad) in [
            ("local_authorities", unknown(&self.local_authorities, &las)),
            ("wards", unknown(&self.wards, &wards)),
            ("areas", unknown(&self.areas, &codes)),
            ("exclude", unknown(&self.exclude, &codes)),
        ] {
            if !bad.is_empty() {
                let shown: Vec<String> = bad.iter().take(5).cloned().collect();
                e.add(
                    field,
                    Message::new("aob.unknown_codes")
                        .arg("count", bad.len())
                        .arg("codes", shown.join(", ")),
                );
            }
        }
        for (i, r) in self.radii.iter().enumerate() {
            if !(r.km > 0.0 && r.km <= MAX_RADIUS_KM) {
                e.add(
                    &format!("radii/{i}/km"),
                    Message::new("aob.radius_km").arg("max", MAX_RADIUS_KM),
                );
            }
        }
        if self.deciles.iter().any(|d| !(1..=10).contains(d)) {
            e.add("deciles", Message::new("aob.decile_range"));
        }
        e.finish(|| ())
    }

    /// The areas this selection comes to.
    pub fn resolve(&self, facts: &[AreaFacts]) -> Resolution {
        let mut r = Resolution::default();
        let mut chosen: BTreeSet<&str> = BTreeSet::new();
        let la: BTreeSet<&str> = self.local_authorities.iter().map(String::as_str).collect();
        let wards: BTreeSet<&str> = self.wards.iter().map(String::as_str).collect();
        let listed: BTreeSet<&str> = self.areas.iter().map(String::as_str).collect();
        for f in facts {
            let mut hit = false;
            if f.local_authority_code
                .as_deref()
                .is_some_and(|c| la.contains(c))
            {
                r.by_local_authority += 1;
                hit = true;
            }
            if f.ward_code.as_deref().is_some_and(|c| wards.contains(c)) {
                r.by_ward += 1;
                hit = true;
            }
            if let (Some(lat), Some(lon)) = (f.lat, f.lon)
                && self
                    .radii
                    .iter()
                    .any(|c| haversine_km(c.lat, c.lon, lat, lon) <= c.km)
            {
                r.by_radius += 1;
                hit = true;
            }
            if listed.contains(f.code.as_str()) {
                r.by_list += 1;
                hit = true;
            }
            if hit {
                chosen.insert(&f.code);
            }
        }
        if !self.deciles.is_empty() {
            let decile: BTreeMap<&str, Option<u8>> =
                facts.iter().map(|f| (f.code.as_str(), f.decile)).collect();
            let before = chosen.len();
            chosen.retain(|c| {
                decile
                    .get(c)
                    .copied()
                    .flatten()
                    .is_some_and(|d| self.deciles.contains(&d))
            });
            r.dropped_by_decile = before - chosen.len();
        }
        for x in &self.exclude {
            if chosen.remove(x.as_str()) {
                r.excluded += 1;
            }
        }
        r.codes = chosen.into_iter().map(String::from).collect();
        r
    }
}

/// Areas and people by decile, for an area of benefit's profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DecileProfile {
    /// Index 0 is decile 1 (most deprived).
    pub areas: [u64; 10],
    pub population: [i64; 10],
    pub areas_without_decile: u64,
    pub total_areas: u64,
    pub total_population: i64,
}

impl DecileProfile {
    pub fn of(codes: &BTreeSet<String>, facts: &[AreaFacts]) -> DecileProfile {
        let mut p = DecileProfile::default();
        for f in facts.iter().filter(|f| codes.contains(&f.code)) {
            p.total_areas += 1;
            let pop = f.population.unwrap_or(0);
            p.total_population += pop;
            match f.decile {
                Some(d) if (1..=10).contains(&d) => {
                    p.areas[d as usize - 1] += 1;
                    p.population[d as usize - 1] += pop;
                }
                _ => p.areas_without_decile += 1,
            }
        }
        p
    }

    /// Share of the population in deciles 1..=k, 0–1.
    pub fn population_share_up_to(&self, k: usize) -> f64 {
        if self.total_population == 0 {
            return 0.0;
        }
        self.population[..k.min(10)].iter().sum::<i64>() as f64 / self.total_population as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One kilometre of latitude in degrees, on the haversine sphere.
    const KM: f64 = 1.0 / 111.194_926_644_558_7;

    fn area(code: &str, la: &str, ward: &str, dlat_km: f64, decile: u8) -> AreaFacts {
        AreaFacts {
            code: code.into(),
            local_authority_code: Some(la.into()),
            ward_code: Some(ward.into()),
            lat: Some(52.49 + dlat_km * KM),
            lon: Some(-1.95),
            decile: Some(decile),
            population: Some(1500),
        }
    }

    fn facts() -> Vec<AreaFacts> {
        vec![
            area("A", "SAND", "W1", 0.5, 1),
            area("B", "SAND", "W1", 0.99, 2),
            area("C", "SAND", "W2", 1.01, 1),
            area("D", "BIRM", "W3", -1.99, 5),
            area("E", "BIRM", "W4", -5.0, 1),
        ]
    }

    fn around_site(km: f64) -> Radius {
        Radius {
            label: "B66 2QT".into(),
            lat: 52.49,
            lon: -1.95,
            km,
        }
    }

    #[test]
    fn a_radius_takes_the_areas_whose_centres_are_within_it() {
        // Hand-computed: A is 0.5 km north of the site, B 0.99 km, C 1.01 km, D 1.99 km south, E 5 km south.
        let s = AreaSelection {
            radii: vec![around_site(1.0)],
            ..Default::default()
        };
        let r = s.resolve(&facts());
        assert_eq!(r.codes.iter().collect::<Vec<_>>(), ["A", "B"]);
        let s = AreaSelection {
            radii: vec![around_site(2.0)],
            ..Default::default()
        };
        assert_eq!(
            s.resolve(&facts()).codes.iter().collect::<Vec<_>>(),
            ["A", "B", "C", "D"]
        );
    }

    #[test]
    fn rules_combine_then_deciles_filter_then_exclusions() {
        let s = AreaSelection {
            local_authorities: vec!["SAND".into()],
            wards: vec!["W4".into()],
            areas: vec!["D".into()],
            deciles: vec![1, 2],
            exclude: vec!["B".into()],
            ..Default::default()
        };
        let r = s.resolve(&facts());
        assert_eq!(r.codes.iter().collect::<Vec<_>>(), ["A", "C", "E"]);
        assert_eq!(
            (
                r.by_local_authority,
                r.by_ward,
                r.by_list,
                r.dropped_by_decile,
                r.excluded
            ),
            (3, 1, 1, 1, 1)
        );
        let p = DecileProfile::of(&r.codes, &facts());
        assert_eq!(
            (p.total_areas, p.areas[0], p.population_share_up_to(1)),
            (3, 3, 1.0)
        );
    }

    #[test]
    fn an_area_of_benefit_of_no_areas_is_not_saved() {
        let mut r = Resolution::default();
        let e = r.check_saveable().unwrap_err();
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].message.key.as_str()),
            ("local_authorities", "aob.empty")
        );
        r.codes.insert("E01010063".into());
        assert!(r.check_saveable().is_ok());
    }

    #[test]
    fn bad_selections_name_the_field() {
        let s = AreaSelection {
            deciles: vec![0, 11],
            ..Default::default()
        };
        let err = s.validate(&facts()).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["local_authorities", "deciles"]);
        let s = AreaSelection {
            wards: vec!["W9".into()],
            radii: vec![around_site(0.0)],
            ..Default::default()
        };
        let fields: Vec<_> = s
            .validate(&facts())
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["wards", "radii/0/km"]);
    }
}

/// A saved version of a programme's area of benefit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaOfBenefit {
    pub id: uuid::Uuid,
    pub programme_id: crate::ProgrammeId,
    /// 1 for the first saved, counting up; the highest is current.
    pub version: i64,
    pub selection: AreaSelection,
    pub area_count: i64,
    /// Why it changed, in the words of whoever changed it.
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    pub created_by: String,
}
