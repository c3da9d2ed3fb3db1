//! The list of a scheme's small areas: what people ask of it (search,
//! district, ward, decile, only the area of benefit, sort, page) and what
//! it answers, and the named areas (local authorities, wards) it is
//! filtered by.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Area;
use super::lookup::AreaInfo;
use crate::listing::SortDir;

crate::sort_columns!(
    /// The columns the area list can be sorted by.
    AreaSort {
        Code => "code",
        Name => "name",
        LocalAuthority => "local_authority",
        Ward => "ward",
        Rank => "rank",
        Population => "population",
    }
);

/// The areas list's query string, as the page and the API take it.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct AreaListQuery {
    /// Free text over code, name and ward.
    pub q: Option<String>,
    pub local_authority: Option<String>,
    pub ward: Option<String>,
    /// One decile (`1`) or a range (`1-2`).
    pub decile: Option<String>,
    /// `yes`: only the areas of the area of benefit.
    pub in_aob: Option<String>,
    /// `code` (default), `name`, `local_authority`, `ward`, `rank` or `population`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl AreaListQuery {
    /// The deciles asked for: one, a range, or none (all). Anything else
    /// asks for decile 0, which no area has, so a mistyped filter shows
    /// nothing rather than everything.
    pub fn deciles(&self) -> Vec<u8> {
        let Some(d) = self.decile.as_deref().filter(|d| !d.is_empty()) else {
            return Vec::new();
        };
        match d.split_once('-') {
            Some((a, b)) => match (a.trim().parse::<u8>(), b.trim().parse::<u8>()) {
                (Ok(a), Ok(b)) if a <= b => (a..=b).filter(|x| (1..=10).contains(x)).collect(),
                _ => vec![0],
            },
            None => vec![d.trim().parse::<u8>().unwrap_or(0)],
        }
    }

    /// Whether only the area of benefit's areas are asked for.
    pub fn only_area_of_benefit(&self) -> bool {
        self.in_aob.as_deref() == Some("yes")
    }

    /// The query over `scheme`, ranked by `index`; `area_of_benefit` is the
    /// saved version the "only the area of benefit" filter keeps to.
    pub fn query(
        &self,
        scheme: &str,
        index: Option<&str>,
        area_of_benefit: Option<Uuid>,
    ) -> AreaQuery {
        let nonempty = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        AreaQuery {
            scheme: scheme.to_string(),
            index: index.map(String::from),
            q: nonempty(&self.q),
            local_authority: nonempty(&self.local_authority),
            ward: nonempty(&self.ward),
            deciles: self.deciles(),
            within: if self.only_area_of_benefit() {
                area_of_benefit
            } else {
                None
            },
            sort: AreaSort::parse(self.sort.as_deref()),
            dir: SortDir::parse(self.dir.as_deref()),
        }
    }
}

/// How to narrow the list of areas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AreaQuery {
    pub scheme: String,
    /// The index whose rank and decile are shown and filtered on.
    pub index: Option<String>,
    pub q: Option<String>,
    pub local_authority: Option<String>,
    pub ward: Option<String>,
    pub deciles: Vec<u8>,
    /// Only the areas of this saved area of benefit.
    pub within: Option<Uuid>,
    pub sort: AreaSort,
    pub dir: SortDir,
}

/// An area as the lists show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaRow {
    pub area: Area,
    pub rank: Option<i64>,
    pub decile: Option<u8>,
}

impl From<AreaRow> for AreaInfo {
    fn from(r: AreaRow) -> Self {
        AreaInfo {
            name: r.area.name,
            local_authority_code: r.area.local_authority_code,
            local_authority_name: r.area.local_authority_name,
            ward_code: r.area.ward_code,
            ward_name: r.area.ward_name,
            rank: r.rank,
            decile: r.decile,
        }
    }
}

/// A boundary to draw and what to colour it by.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundaryRow {
    pub code: String,
    pub name: String,
    /// GeoJSON geometry.
    pub geometry: String,
    pub decile: Option<u8>,
}

/// A named area (a local authority, a ward) and how many small areas it covers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NamedAreaCount {
    pub code: String,
    pub name: String,
    /// A ward's local authority.
    pub parent_code: Option<String>,
    pub areas: i64,
}

/// The name of `code` in `list`, or the code itself when the list does not
/// know it (a district named in an old selection and since renamed).
pub fn name_in(list: &[NamedAreaCount], code: &str) -> String {
    list.iter()
        .find(|n| n.code == code)
        .map(|n| n.name.clone())
        .unwrap_or_else(|| code.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(decile: &str) -> Vec<u8> {
        AreaListQuery {
            decile: Some(decile.into()),
            ..Default::default()
        }
        .deciles()
    }

    #[test]
    fn deciles_are_one_a_range_or_none_and_a_bad_one_matches_nothing() {
        assert_eq!(asked(""), Vec::<u8>::new());
        assert_eq!(asked("3"), vec![3]);
        assert_eq!(asked("1-2"), vec![1, 2]);
        assert_eq!(asked(" 9 - 12 "), vec![9, 10]);
        assert_eq!(asked("2-1"), vec![0]);
        assert_eq!(asked("most"), vec![0]);
    }

    #[test]
    fn the_query_keeps_to_the_area_of_benefit_only_when_asked() {
        let id = Uuid::now_v7();
        let mut p = AreaListQuery {
            q: Some("  ".into()),
            local_authority: Some("E08000028".into()),
            sort: Some("rank".into()),
            dir: Some("desc".into()),
            ..Default::default()
        };
        let q = p.query("lsoa11", Some("imd2019"), Some(id));
        assert_eq!(
            (q.q, q.local_authority.as_deref(), q.within, q.sort, q.dir),
            (None, Some("E08000028"), None, AreaSort::Rank, SortDir::Desc)
        );
        p.in_aob = Some("yes".into());
        assert_eq!(p.query("lsoa11", None, Some(id)).within, Some(id));
        assert_eq!(p.query("lsoa11", None, None).within, None);
        p.sort = Some("nonsense".into());
        assert_eq!(p.query("lsoa11", None, None).sort, AreaSort::Code);
    }

    #[test]
    fn a_code_the_list_does_not_know_is_shown_as_itself() {
        let list = vec![NamedAreaCount {
            code: "E08000028".into(),
            name: "Sandwell".into(),
            parent_code: None,
            areas: 186,
        }];
        assert_eq!(name_in(&list, "E08000028"), "Sandwell");
        assert_eq!(name_in(&list, "E08000099"), "E08000099");
    }
}
