//! The answer to "where is this postcode?", the same on the page, in the API
//! and from the command line: the small area, its deprivation decile, local
//! authority and ward, whether it is in the programme's area of benefit, or
//! exactly why there is no answer.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::postcode::Postcode;
use crate::i18n::Message;
use crate::validation::Invalid;

/// What a look-up found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LookupStatus {
    /// Found, live, in a small area.
    Ok,
    /// Not a UK postcode as written.
    Invalid,
    /// Well-formed, but not in the loaded postcode data.
    Unknown,
    /// Known, but no longer in use.
    Terminated,
    /// Live, but not yet placed in a small area of this scheme (new postcodes).
    NoArea,
}

impl LookupStatus {
    pub fn slug(&self) -> &'static str {
        match self {
            LookupStatus::Ok => "ok",
            LookupStatus::Invalid => "invalid",
            LookupStatus::Unknown => "unknown",
            LookupStatus::Terminated => "terminated",
            LookupStatus::NoArea => "no_area",
        }
    }
}

/// What is known of a postcode, from the database or the in-memory index.
#[derive(Clone, Debug, PartialEq)]
pub struct PostcodeFacts {
    pub display: String,
    pub area_code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub live: bool,
    /// YYYYMM, when known.
    pub terminated: Option<String>,
}

/// The small area a point lies in: the first of `shapes` (area code and
/// boundary) whose boundary holds it, should two overlap; `None` outside
/// every one. How a place known by latitude and longitude alone (an asset
/// placed on the map, a French address) finds its area and so its decile.
pub fn area_at(shapes: &[(String, super::geometry::Shape)], at: super::Location) -> Option<&str> {
    shapes
        .iter()
        .find(|(_, s)| s.contains(at.lon, at.lat))
        .map(|(c, _)| c.as_str())
}

/// What is known of a small area, for look-up answers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AreaInfo {
    pub name: String,
    pub local_authority_code: Option<String>,
    pub local_authority_name: Option<String>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    pub rank: Option<i64>,
    pub decile: Option<u8>,
}

/// One postcode's answer (the API's JSON too).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupResult {
    /// As given.
    pub input: String,
    /// Normalised, e.g. `B18 7QH`, when it is a postcode.
    pub postcode: Option<String>,
    pub status: LookupStatus,
    /// Why there is no answer, in the catalogue's words.
    pub message: Option<String>,
    pub area_code: Option<String>,
    pub area_name: Option<String>,
    pub local_authority_code: Option<String>,
    pub local_authority_name: Option<String>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    pub rank: Option<i64>,
    pub decile: Option<u8>,
    /// `None` when the programme has no area of benefit yet.
    pub in_area_of_benefit: Option<bool>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// The most postcodes one call may look up.
pub const MAX_BULK: usize = 10_000;

/// Refuses a look-up of more than [`MAX_BULK`] postcodes at once.
pub fn check_bulk(count: usize) -> Result<(), Invalid> {
    if count > MAX_BULK {
        Err(Invalid::one(
            "postcodes",
            Message::new("lookup.too_many").arg("max", MAX_BULK),
        ))
    } else {
        Ok(())
    }
}

impl LookupResult {
    /// Input that is not a postcode, as a problem with the field `postcode`
    /// saying what is wrong with it; any other answer is an answer.
    pub fn check_postcode(&self) -> Result<(), Invalid> {
        if self.status == LookupStatus::Invalid {
            Err(Invalid::one(
                "postcode",
                Message::new("raw.text").arg("text", self.message.clone().unwrap_or_default()),
            ))
        } else {
            Ok(())
        }
    }

    fn empty(input: &str) -> Self {
        LookupResult {
            input: input.to_string(),
            postcode: None,
            status: LookupStatus::Invalid,
            message: None,
            area_code: None,
            area_name: None,
            local_authority_code: None,
            local_authority_name: None,
            ward_code: None,
            ward_name: None,
            rank: None,
            decile: None,
            in_area_of_benefit: None,
            lat: None,
            lon: None,
        }
    }
}

/// Answers one postcode from what is known of it and of its area.
pub fn answer(
    input: &str,
    facts: Option<&PostcodeFacts>,
    areas: &HashMap<String, AreaInfo>,
    area_of_benefit: Option<&BTreeSet<String>>,
) -> LookupResult {
    let mut r = LookupResult::empty(input);
    let pc = match Postcode::parse(input) {
        Ok(p) => p,
        Err(e) => {
            r.message = Some(e.message().text());
            return r;
        }
    };
    r.postcode = Some(pc.to_string());
    let Some(f) = facts else {
        r.status = LookupStatus::Unknown;
        r.message = Some(Message::new("lookup.unknown").arg("postcode", &pc).text());
        return r;
    };
    r.lat = f.lat;
    r.lon = f.lon;
    if !f.live {
        r.status = LookupStatus::Terminated;
        r.message = Some(
            match f.terminated.as_deref().filter(|t| t.len() == 6) {
                Some(t) => Message::new("lookup.terminated_since")
                    .arg("postcode", &pc)
                    .arg("year", &t[..4])
                    .arg("month", &t[4..]),
                None => Message::new("lookup.terminated").arg("postcode", &pc),
            }
            .text(),
        );
    }
    let Some(code) = &f.area_code else {
        if r.status == LookupStatus::Invalid {
            r.status = LookupStatus::NoArea;
            r.message = Some(Message::new("lookup.no_area").arg("postcode", &pc).text());
        }
        return r;
    };
    if r.status == LookupStatus::Invalid {
        r.status = LookupStatus::Ok;
    }
    r.area_code = Some(code.clone());
    if let Some(a) = areas.get(code) {
        r.area_name = Some(a.name.clone());
        r.local_authority_code = a.local_authority_code.clone();
        r.local_authority_name = a.local_authority_name.clone();
        r.ward_code = a.ward_code.clone();
        r.ward_name = a.ward_name.clone();
        r.rank = a.rank;
        r.decile = a.decile;
    }
    r.in_area_of_benefit = area_of_benefit.map(|s| s.contains(code));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_is_in_the_area_whose_boundary_holds_it() {
        use crate::place::Location;
        use crate::place::geometry::Shape;
        let square = |x0: f64, y0: f64| Shape {
            polygons: vec![vec![vec![
                (x0, y0),
                (x0 + 1.0, y0),
                (x0 + 1.0, y0 + 1.0),
                (x0, y0 + 1.0),
            ]]],
        };
        let shapes = vec![
            ("E01000001".to_string(), square(-2.0, 52.0)),
            ("E01000002".to_string(), square(-1.0, 52.0)),
        ];
        let at = |lat, lon| Location { lat, lon };
        assert_eq!(area_at(&shapes, at(52.5, -1.5)), Some("E01000001"));
        assert_eq!(area_at(&shapes, at(52.5, -0.5)), Some("E01000002"));
        assert_eq!(area_at(&shapes, at(51.5, -1.5)), None, "south of both");
        assert_eq!(area_at(&[], at(52.5, -1.5)), None, "no boundaries loaded");
    }

    fn facts(live: bool, area: Option<&str>) -> PostcodeFacts {
        PostcodeFacts {
            display: "B66 2QT".into(),
            area_code: area.map(String::from),
            lat: Some(52.49),
            lon: Some(-1.95),
            live,
            terminated: (!live).then(|| "202103".to_string()),
        }
    }

    #[test]
    fn every_kind_of_answer() {
        let mut areas = HashMap::new();
        areas.insert(
            "E01010063".to_string(),
            AreaInfo {
                name: "Sandwell 026D".into(),
                decile: Some(1),
                rank: Some(882),
                ..Default::default()
            },
        );
        let aob: BTreeSet<String> = ["E01010063".to_string()].into();
        let ok = answer(
            "b66 2qt",
            Some(&facts(true, Some("E01010063"))),
            &areas,
            Some(&aob),
        );
        assert_eq!(
            (
                ok.status,
                ok.postcode.as_deref(),
                ok.decile,
                ok.in_area_of_benefit
            ),
            (LookupStatus::Ok, Some("B66 2QT"), Some(1), Some(true))
        );
        let bad = answer("B66 OQT", None, &areas, None);
        assert_eq!(bad.status, LookupStatus::Invalid);
        assert!(
            bad.message
                .unwrap()
                .contains("letter O where a zero (0) is expected")
        );
        let unknown = answer("ZZ99 9ZZ", None, &areas, None);
        assert_eq!(unknown.status, LookupStatus::Unknown);
        let gone = answer(
            "B66 2QT",
            Some(&facts(false, Some("E01010063"))),
            &areas,
            None,
        );
        assert_eq!(gone.status, LookupStatus::Terminated);
        assert!(gone.message.unwrap().contains("since 03/2021"));
        assert_eq!(
            gone.decile,
            Some(1),
            "a terminated postcode still says where it was"
        );
        let new = answer("B66 2QT", Some(&facts(true, None)), &areas, None);
        assert_eq!(new.status, LookupStatus::NoArea);
    }

    #[test]
    fn only_input_that_is_not_a_postcode_is_a_problem_with_the_field() {
        let areas = HashMap::new();
        let e = answer("B66 OQT", None, &areas, None)
            .check_postcode()
            .unwrap_err();
        assert_eq!(e.0[0].field, "postcode");
        assert!(
            e.0[0]
                .message
                .text()
                .contains("letter O where a zero (0) is expected")
        );
        assert!(
            answer("ZZ99 9ZZ", None, &areas, None)
                .check_postcode()
                .is_ok()
        );
        let known = facts(true, Some("E01010063"));
        assert!(
            answer("B66 2QT", Some(&known), &areas, None)
                .check_postcode()
                .is_ok()
        );
    }

    #[test]
    fn at_most_ten_thousand_postcodes_at_once() {
        assert!(check_bulk(0).is_ok() && check_bulk(MAX_BULK).is_ok());
        let e = check_bulk(MAX_BULK + 1).unwrap_err();
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].message.text()),
            (
                "postcodes",
                Message::new("lookup.too_many").arg("max", MAX_BULK).text()
            )
        );
    }
}
