//! Loading reference geography from the files publishers put out: CSV and
//! GeoJSON, read through a column mapping (`field=column`). The files that
//! ship with useit are named presets of a mapping; any other country's areas
//! and index load the same way with `--map`.

use std::collections::{HashMap, HashSet};

use super::deprivation::{DeprivationIndex, RankOrder, decile};
use super::geometry::parse_geometry;
use super::postcode::Postcode;
use super::{
    Area, AreaDeprivation, AreaScheme, DomainRank, NamedArea, NamedAreaKind, PostcodeRecord,
};
use crate::csv_import::{Column, LineIndex, Problem, Report};
use crate::i18n::Message;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Small areas (and, with a deprivation preset, their index).
    Areas,
    /// A deprivation index over a scheme's areas.
    Index,
    /// Area boundaries, GeoJSON.
    Boundaries,
    Postcodes,
    /// Names of local authorities, wards and the like.
    Names,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "areas" => Some(Kind::Areas),
            "index" => Some(Kind::Index),
            "boundaries" => Some(Kind::Boundaries),
            "postcodes" => Some(Kind::Postcodes),
            "names" => Some(Kind::Names),
            _ => None,
        }
    }
}

/// Which column (or GeoJSON property) holds which field. Fields with a
/// prefix take a name: `area:lsoa11=lsoa11cd`, `domain:income=income_rank`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap(pub Vec<(String, String)>);

impl ColumnMap {
    /// From `field=column` pairs as typed on the command line.
    pub fn parse(pairs: &[String]) -> Result<ColumnMap, Message> {
        let mut v = Vec::new();
        for p in pairs {
            match p.split_once('=') {
                Some((f, c)) if !f.trim().is_empty() && !c.trim().is_empty() => {
                    v.push((f.trim().to_string(), c.trim().to_string()))
                }
                _ => return Err(Message::new("place.map_format").arg("value", p)),
            }
        }
        Ok(ColumnMap(v))
    }

    fn of(pairs: &[(&str, &str)]) -> ColumnMap {
        ColumnMap(
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.as_str())
    }

    /// Named fields with a prefix: `("income", "income_rank")` for `domain:income`.
    pub fn prefixed(&self, prefix: &str) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .filter_map(|(f, c)| f.strip_prefix(prefix).map(|n| (n, c.as_str())))
            .collect()
    }

    /// This map with `other`'s entries added or replacing.
    pub fn with(mut self, other: &ColumnMap) -> ColumnMap {
        for (f, c) in &other.0 {
            self.0.retain(|(g, _)| g != f);
            self.0.push((f.clone(), c.clone()));
        }
        self
    }
}

/// A named, known way of loading a published file.
#[derive(Clone, Debug)]
pub struct Preset {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: Kind,
    pub scheme: Option<AreaScheme>,
    pub areas: Option<ColumnMap>,
    pub index: Option<(DeprivationIndex, ColumnMap)>,
    pub map: ColumnMap,
    pub names_kind: Option<NamedAreaKind>,
    /// How the CSV is written (separator, banner lines, decimal comma).
    pub format: CsvFormat,
    /// Whether the file publishes ranks or only a score to rank.
    pub ranking: Ranking,
}

/// How a CSV file is written. Publishers outside the UK write `;` between
/// fields and a decimal comma, and put a title block above the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvFormat {
    pub delimiter: u8,
    /// Lines before the header row (a title block, long labels).
    pub skip_lines: usize,
    /// `53,2` means 53.2 (and a space may group thousands).
    pub decimal_comma: bool,
}

impl Default for CsvFormat {
    fn default() -> Self {
        CsvFormat {
            delimiter: b',',
            skip_lines: 0,
            decimal_comma: false,
        }
    }
}

/// Where an index's ranks come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ranking {
    /// The file has a rank column.
    #[default]
    Published,
    /// The file has only a score (INSEE's low-income rate, say): every
    /// area with a score is ranked here, 1 = most deprived, ties sharing
    /// the lowest rank, and the deciles follow from rank and the number of
    /// areas ranked as for the published indices. An area without a score
    /// (withheld for statistical secrecy) has no rank: "not known".
    FromScore { higher_is_more_deprived: bool },
}

fn scheme(code: &str, name: &str, country: &str, level: &str) -> AreaScheme {
    AreaScheme {
        code: code.into(),
        name: name.into(),
        country: country.into(),
        level: level.into(),
    }
}

fn lsoa11() -> AreaScheme {
    scheme(
        "lsoa11",
        "LSOA 2011",
        "England",
        "Lower layer super output area",
    )
}

/// Every preset, for `--preset` and the documentation.
pub fn presets() -> Vec<Preset> {
    let iod2019_domains: Vec<(&str, &str)> = vec![
        ("domain:income", "income_rank"),
        ("domain:employment", "employment_rank"),
        ("domain:education", "education_rank"),
        ("domain:health", "health_rank"),
        ("domain:crime", "crime_rank"),
        ("domain:barriers", "barriers_rank"),
        ("domain:living_environment", "living_env_rank"),
        ("domain:idaci", "idaci_rank"),
        ("domain:idaopi", "idaopi_rank"),
    ];
    let mut iod2019_index = vec![
        ("area_code", "lsoa11cd"),
        ("rank", "imd_rank"),
        ("decile", "imd_decile"),
        ("score", "imd_score_derived"),
    ];
    iod2019_index.extend(iod2019_domains);
    let iod2025_index = vec![
        ("area_code", "lsoa21cd"),
        ("rank", "imd_rank"),
        ("decile", "imd_decile"),
        ("score", "imd_score"),
        ("domain:income", "income_rank"),
        ("domain:employment", "employment_rank"),
        ("domain:education", "education_rank"),
        ("domain:health", "health_rank"),
        ("domain:crime", "crime_rank"),
        ("domain:housing_and_services", "housing_and_services_rank"),
        ("domain:environment", "environment_rank"),
    ];
    let simd_index = vec![
        ("area_code", "dz11_code"),
        ("rank", "simd2020v2_rank"),
        ("decile", "simd2020v2_decile"),
        ("domain:income", "Income_rank"),
        ("domain:employment", "Employment_rank"),
        ("domain:health", "Health_rank"),
        ("domain:education", "Education_rank"),
        ("domain:housing", "Housing_rank"),
        ("domain:access", "Access_rank"),
        ("domain:crime", "Crime_rank"),
    ];
    let dz11 = scheme("dz11", "Data zone 2011", "Scotland", "Data zone");
    let lsoa21 = scheme(
        "lsoa21",
        "LSOA 2021",
        "England",
        "Lower layer super output area",
    );
    vec![
        Preset {
            name: "iod2019",
            description: "English Indices of Deprivation 2019 by LSOA 2011 (iod2019_lsoa11_*.csv): areas, populations and the IMD with its domains",
            kind: Kind::Index,
            scheme: Some(lsoa11()),
            areas: Some(ColumnMap::of(&[
                ("code", "lsoa11cd"),
                ("name", "lsoa11nm"),
                ("local_authority_code", "lad19cd"),
                ("local_authority_name", "lad19nm"),
                ("population", "pop_total_mid2015"),
            ])),
            index: Some((
                DeprivationIndex {
                    code: "imd2019".into(),
                    name: "English Index of Multiple Deprivation 2019".into(),
                    scheme: "lsoa11".into(),
                    areas_ranked: 32_844,
                    source: "MHCLG, English Indices of Deprivation 2019, OGL v3.0".into(),
                },
                ColumnMap::of(&iod2019_index),
            )),
            map: ColumnMap::default(),
            names_kind: None,
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "iod2025",
            description: "English Indices of Deprivation 2025 by LSOA 2021 (iod2025_lsoa21_*.csv)",
            kind: Kind::Index,
            scheme: Some(lsoa21.clone()),
            areas: Some(ColumnMap::of(&[
                ("code", "lsoa21cd"),
                ("name", "lsoa21nm"),
                ("local_authority_code", "lad24cd"),
                ("local_authority_name", "lad24nm"),
            ])),
            index: Some((
                DeprivationIndex {
                    code: "imd2025".into(),
                    name: "English Index of Multiple Deprivation 2025".into(),
                    scheme: "lsoa21".into(),
                    areas_ranked: 33_755,
                    source: "MHCLG, English Indices of Deprivation 2025, OGL v3.0".into(),
                },
                ColumnMap::of(&iod2025_index),
            )),
            map: ColumnMap::default(),
            names_kind: None,
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "simd2020",
            description: "Scottish Index of Multiple Deprivation 2020v2 by data zone 2011 (simd2020v2_datazones.csv)",
            kind: Kind::Index,
            scheme: Some(dz11.clone()),
            areas: Some(ColumnMap::of(&[
                ("code", "dz11_code"),
                ("name", "dz11_name"),
                ("local_authority_code", "council_area_code"),
                ("local_authority_name", "council_area_name"),
                ("ward_code", "iz11_code"),
                ("ward_name", "iz11_name"),
            ])),
            index: Some((
                DeprivationIndex {
                    code: "simd2020".into(),
                    name: "Scottish Index of Multiple Deprivation 2020v2".into(),
                    scheme: "dz11".into(),
                    areas_ranked: 6_976,
                    source: "Scottish Government, SIMD 2020v2, OGL v3.0".into(),
                },
                ColumnMap::of(&simd_index),
            )),
            map: ColumnMap::default(),
            names_kind: None,
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "lsoa11-wards",
            description: "ONS LSOA 2011 to ward 2019 (best fit) and district lookup: each area's ward and local authority",
            kind: Kind::Areas,
            scheme: Some(lsoa11()),
            areas: None,
            index: None,
            map: ColumnMap::of(&[
                ("code", "LSOA11CD"),
                ("name", "LSOA11NM"),
                ("ward_code", "WD19CD"),
                ("ward_name", "WD19NM"),
                ("local_authority_code", "LAD19CD"),
                ("local_authority_name", "LAD19NM"),
            ]),
            names_kind: None,
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "lsoa11-boundaries",
            description: "ONS LSOA 2011 boundaries (GeoJSON, properties lsoa11cd, lsoa11nm, centroid_lat, centroid_long)",
            kind: Kind::Boundaries,
            scheme: Some(lsoa11()),
            areas: None,
            index: None,
            map: ColumnMap::of(&[
                ("code", "lsoa11cd"),
                ("name", "lsoa11nm"),
                ("lat", "centroid_lat"),
                ("lon", "centroid_long"),
            ]),
            names_kind: None,
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "dz11-boundaries",
            description: "Scottish data zone 2011 boundaries (GeoJSON, properties code and name)",
            kind: Kind::Boundaries,
            scheme: Some(dz11.clone()),
            areas: None,
            index: None,
            map: ColumnMap::of(&[("code", "code"), ("name", "name")]),
            names_kind: None,
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "ons-postcodes",
            description: "ONS postcode to LSOA 2011 lookup joined to Code-Point Open (postcodes_*_lsoa11.csv)",
            kind: Kind::Postcodes,
            scheme: None,
            areas: None,
            index: None,
            map: ColumnMap::of(&[
                ("postcode", "pcds"),
                ("lat", "lat"),
                ("lon", "long"),
                ("local_authority_code", "lad22cd_ons"),
                ("ward_code", "ward25cd_cpo"),
                ("introduced", "dointr"),
                ("terminated", "doterm"),
                ("live", "in_codepoint_2025"),
                ("area:lsoa11", "lsoa11cd"),
                ("area:lsoa21", "lsoa21cd_derived"),
            ]),
            names_kind: None,
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "ons-postcodes-scotland",
            description: "ONS postcode to data zone 2011 lookup joined to Code-Point Open (postcodes_*_datazone2011.csv)",
            kind: Kind::Postcodes,
            scheme: None,
            areas: None,
            index: None,
            map: ColumnMap::of(&[
                ("postcode", "pcds"),
                ("lat", "lat"),
                ("lon", "long"),
                ("local_authority_code", "council_area"),
                ("ward_code", "ward_cpo2025"),
                ("introduced", "dointr"),
                ("terminated", "doterm"),
                ("live", "in_codepoint_2025"),
                ("area:dz11", "datazone2011"),
            ]),
            names_kind: None,
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "codepoint-wards",
            description: "Ward names from Code-Point Open's code list (wards_codepoint2025_*.csv)",
            kind: Kind::Names,
            scheme: None,
            areas: None,
            index: None,
            map: ColumnMap::of(&[
                ("code", "ward_code"),
                ("name", "ward_name_boundaryline"),
                ("parent_code", "lad_code"),
            ]),
            names_kind: Some(NamedAreaKind::Ward),
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "lad-names",
            description: "Local authority district codes and names (lad_codes_names_2016_2024.csv, 2024 columns)",
            kind: Kind::Names,
            scheme: None,
            areas: None,
            index: None,
            map: ColumnMap::of(&[("code", "ltla24_code"), ("name", "ltla24_name")]),
            names_kind: Some(NamedAreaKind::LocalAuthority),
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
        Preset {
            name: "filosofi2019-iris",
            description: "INSEE Filosofi 2019 by IRIS (BASE_TD_FILO_DEC_IRIS_2019.csv): IRIS, communes and the low-income rate at 60 % (DEC_TP6019), ranked here, highest rate = rank 1",
            kind: Kind::Index,
            scheme: Some(iris20()),
            areas: Some(ColumnMap::of(&[
                ("code", "IRIS"),
                ("name", "LIBIRIS"),
                ("local_authority_code", "COM"),
                ("local_authority_name", "LIBCOM"),
            ])),
            index: Some((
                DeprivationIndex {
                    code: "filosofi2019".into(),
                    name: "INSEE Filosofi 2019 low-income rate (share below 60 % of the median)"
                        .into(),
                    scheme: "iris20".into(),
                    // Replaced on loading by the number of IRIS with a rate.
                    areas_ranked: 0,
                    source: "Insee-DGFIP-Cnaf-Cnav-CCMSA, Fichier localisé social et fiscal (Filosofi) 2019, Licence Ouverte / Etalab 2.0. \
                        Ranked by useit: every IRIS with a rate, highest rate = rank 1, equal rates share the lowest rank; \
                        decile = ceil(10 × rank / IRIS ranked)"
                        .into(),
                },
                ColumnMap::of(&[("area_code", "IRIS"), ("score", "DEC_TP6019")]),
            )),
            map: ColumnMap::default(),
            names_kind: None,
            format: CsvFormat {
                delimiter: b';',
                skip_lines: 5,
                decimal_comma: true,
            },
            ranking: Ranking::FromScore {
                higher_is_more_deprived: true,
            },
        },
        Preset {
            name: "iris-boundaries",
            description: "IGN/INSEE Contours…IRIS boundaries (GeoJSON, properties iris_code and nom_iris)",
            kind: Kind::Boundaries,
            scheme: Some(iris20()),
            areas: None,
            index: None,
            map: ColumnMap::of(&[("code", "iris_code"), ("name", "nom_iris")]),
            names_kind: None,
            format: CsvFormat::default(),
            ranking: Ranking::Published,
        },
    ]
}

/// INSEE's IRIS at the 2020 geography, the small areas of French income data.
fn iris20() -> AreaScheme {
    scheme(
        "iris20",
        "IRIS 2020",
        "France",
        "IRIS (îlots regroupés pour l'information statistique)",
    )
}

pub fn preset(name: &str) -> Option<Preset> {
    presets().into_iter().find(|p| p.name == name)
}

/// A CSV file whose columns have been found for the mapped fields.
struct Mapped<'a> {
    format: CsvFormat,
    headers: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
    cols: HashMap<String, usize>,
    _text: std::marker::PhantomData<&'a str>,
}

fn header_matches(header: &str, wanted: &str) -> bool {
    header.trim() == wanted
        || crate::csv_import::header_key(header) == crate::csv_import::header_key(wanted)
}

impl<'a> Mapped<'a> {
    /// Parses `text` and finds each mapped column; `required` fields must be mapped and present.
    fn parse(
        text: &'a str,
        format: CsvFormat,
        map: &ColumnMap,
        required: &[&str],
        report: &mut Report,
    ) -> Option<Mapped<'a>> {
        let lines = LineIndex::new(text.as_bytes());
        // The title block is skipped as lines, not records: its text is
        // not CSV. Positions are then counted from where the header starts.
        let start = memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(format.skip_lines.wrapping_sub(1))
            .map(|i| i + 1)
            .filter(|_| format.skip_lines > 0)
            .unwrap_or(0);
        if format.skip_lines > 0 && start == 0 {
            report.push(Problem::error(0, None, Message::new("import.empty_file")));
            return None;
        }
        let header_line = lines.line_of_record(start as u64);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(format.delimiter)
            .from_reader(&text.as_bytes()[start..]);
        let mut records = rdr.records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            _ => {
                report.push(Problem::error(0, None, Message::new("import.empty_file")));
                return None;
            }
        };
        let headers: Vec<String> = header
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let mut cols = HashMap::new();
        for (field, column) in &map.0 {
            match headers.iter().position(|h| header_matches(h, column)) {
                Some(i) => {
                    cols.insert(field.clone(), i);
                }
                None => report.push(Problem::error(
                    header_line,
                    None,
                    Message::new("place.column_missing")
                        .arg("column", column)
                        .arg("field", field),
                )),
            }
        }
        for r in required {
            if map.get(r).is_none() {
                report.push(Problem::error(
                    header_line,
                    None,
                    Message::new("place.field_unmapped").arg("field", r),
                ));
            }
        }
        if report.has_errors() {
            return None;
        }
        let mut rows = Vec::new();
        for rec in records {
            match rec {
                Ok(rec) => {
                    let line = rec
                        .position()
                        .map(|p| lines.line_of_record(p.byte() + start as u64))
                        .unwrap_or(0);
                    if rec.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    rows.push((line, rec));
                }
                Err(e) => report.push(Problem::error(
                    e.position()
                        .map(|p| lines.line_of_record(p.byte() + start as u64))
                        .unwrap_or(0),
                    None,
                    Message::new("import.unreadable").arg("reason", e),
                )),
            }
        }
        Some(Mapped {
            format,
            headers,
            rows,
            cols,
            _text: std::marker::PhantomData,
        })
    }

    fn get<'r>(&self, rec: &'r csv::StringRecord, field: &str) -> &'r str {
        self.cols
            .get(field)
            .and_then(|i| rec.get(*i))
            .map(str::trim)
            .unwrap_or("")
    }

    fn column(&self, field: &str) -> Option<Column> {
        self.cols.get(field).map(|i| Column {
            number: i + 1,
            name: self.headers[*i].clone(),
        })
    }

    fn opt(&self, rec: &csv::StringRecord, field: &str) -> Option<String> {
        let v = self.get(rec, field);
        (!v.is_empty()).then(|| v.to_string())
    }

    /// A number, or an error naming where; blank is `None`.
    fn number(
        &self,
        rec: &csv::StringRecord,
        line: u64,
        field: &str,
        report: &mut Report,
    ) -> Option<f64> {
        let v = self.get(rec, field);
        if v.is_empty() {
            return None;
        }
        let plain = if self.format.decimal_comma {
            v.replace([' ', '\u{a0}', '\u{202f}'], "").replace(',', ".")
        } else {
            v.replace(',', "")
        };
        match plain.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                report.push(Problem::error(
                    line,
                    self.column(field),
                    Message::new("place.not_a_number").arg("value", v),
                ));
                None
            }
        }
    }

    /// A whole number (ranks are sometimes written `29,199` or `29199.00`).
    fn whole(
        &self,
        rec: &csv::StringRecord,
        line: u64,
        field: &str,
        report: &mut Report,
    ) -> Option<i64> {
        let x = self.number(rec, line, field, report)?;
        if x.fract() != 0.0 {
            report.push(Problem::error(
                line,
                self.column(field),
                Message::new("place.not_whole").arg("value", self.get(rec, field)),
            ));
            return None;
        }
        Some(x as i64)
    }

    /// A rank: a whole number, or a tie written as the average of the tied
    /// ranks (`5861.5`, as SIMD publishes its domains), read as the lower rank.
    fn rank(
        &self,
        rec: &csv::StringRecord,
        line: u64,
        field: &str,
        report: &mut Report,
    ) -> Option<i64> {
        let x = self.number(rec, line, field, report)?;
        if x.fract() == 0.5 {
            return Some(x.floor() as i64);
        }
        if x.fract() != 0.0 {
            report.push(Problem::error(
                line,
                self.column(field),
                Message::new("place.not_whole").arg("value", self.get(rec, field)),
            ));
            return None;
        }
        Some(x as i64)
    }
}

fn check_code(
    m: &Mapped,
    rec: &csv::StringRecord,
    line: u64,
    field: &str,
    seen: &mut HashSet<String>,
    report: &mut Report,
) -> Option<String> {
    let code = m.get(rec, field);
    if code.is_empty() {
        report.push(Problem::error(
            line,
            m.column(field),
            Message::new("place.code_missing"),
        ));
        return None;
    }
    if !seen.insert(code.to_string()) {
        report.push(Problem::error(
            line,
            m.column(field),
            Message::new("place.code_twice").arg("code", code),
        ));
        return None;
    }
    Some(code.to_string())
}

fn lat_lon(
    m: &Mapped,
    rec: &csv::StringRecord,
    line: u64,
    report: &mut Report,
) -> (Option<f64>, Option<f64>) {
    let lat = m.number(rec, line, "lat", report);
    let lon = m.number(rec, line, "lon", report);
    if lat.is_some_and(|v| !(-90.0..=90.0).contains(&v)) {
        report.push(Problem::error(
            line,
            m.column("lat"),
            Message::new("place.lat_range"),
        ));
        return (None, None);
    }
    if lon.is_some_and(|v| !(-180.0..=180.0).contains(&v)) {
        report.push(Problem::error(
            line,
            m.column("lon"),
            Message::new("place.lon_range"),
        ));
        return (None, None);
    }
    (lat, lon)
}

/// Small areas of `scheme` from a CSV.
pub fn parse_areas(
    text: &str,
    format: CsvFormat,
    map: &ColumnMap,
    scheme: &AreaScheme,
    report: &mut Report,
) -> Vec<Area> {
    let Some(m) = Mapped::parse(text, format, map, &["code"], report) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(m.rows.len());
    for (line, rec) in &m.rows {
        let Some(code) = check_code(&m, rec, *line, "code", &mut seen, report) else {
            continue;
        };
        let (lat, lon) = lat_lon(&m, rec, *line, report);
        let population = m.whole(rec, *line, "population", report);
        out.push(Area {
            scheme: scheme.code.clone(),
            code,
            name: m.opt(rec, "name").unwrap_or_default(),
            local_authority_code: m.opt(rec, "local_authority_code"),
            local_authority_name: m.opt(rec, "local_authority_name"),
            ward_code: m.opt(rec, "ward_code"),
            ward_name: m.opt(rec, "ward_name"),
            lat,
            lon,
            population,
        });
    }
    out
}

/// A deprivation index from a CSV. Ranks are turned so 1 is most deprived;
/// deciles are computed from rank and N by the published formula, and a
/// published decile that disagrees is a warning.
pub fn parse_index(
    text: &str,
    format: CsvFormat,
    map: &ColumnMap,
    index: &DeprivationIndex,
    order: RankOrder,
    report: &mut Report,
) -> Vec<AreaDeprivation> {
    let Some(m) = Mapped::parse(text, format, map, &["area_code", "rank"], report) else {
        return Vec::new();
    };
    let n = index.areas_ranked;
    let domains = map.prefixed("domain:");
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(m.rows.len());
    for (line, rec) in &m.rows {
        let Some(code) = check_code(&m, rec, *line, "area_code", &mut seen, report) else {
            continue;
        };
        let Some(raw) = m.rank(rec, *line, "rank", report) else {
            if m.get(rec, "rank").is_empty() {
                report.push(Problem::error(
                    *line,
                    m.column("rank"),
                    Message::new("place.rank_missing"),
                ));
            }
            continue;
        };
        if !(1..=n).contains(&raw) {
            report.push(Problem::error(
                *line,
                m.column("rank"),
                Message::new("place.rank_range")
                    .arg("value", raw)
                    .arg("n", n),
            ));
            continue;
        }
        let rank = order.normalise(raw, n);
        let d = decile(rank, n);
        if let Some(published) = m.whole(rec, *line, "decile", report) {
            let published = match order {
                RankOrder::MostDeprivedFirst => published,
                RankOrder::LeastDeprivedFirst => 11 - published,
            };
            if published != d as i64 {
                report.push(Problem::warning(
                    *line,
                    m.column("decile"),
                    Message::new("place.decile_differs")
                        .arg("published", published)
                        .arg("computed", d),
                ));
            }
        }
        let mut ds = Vec::new();
        for (name, _) in &domains {
            let field = format!("domain:{name}");
            if let Some(r) = m.rank(rec, *line, &field, report) {
                if (1..=n).contains(&r) {
                    let r = order.normalise(r, n);
                    ds.push(DomainRank {
                        domain: name.to_string(),
                        rank: r,
                        decile: decile(r, n),
                    });
                } else {
                    report.push(Problem::error(
                        *line,
                        m.column(&field),
                        Message::new("place.rank_range").arg("value", r).arg("n", n),
                    ));
                }
            }
        }
        out.push(AreaDeprivation {
            index: index.code.clone(),
            area_code: code,
            rank,
            decile: d,
            score: m.number(rec, *line, "score", report),
            domains: ds,
        });
    }
    out
}

/// An index published as a score only (see [`Ranking::FromScore`]): every
/// area with a score is ranked, and N is how many were. A score that is
/// not a number is an error naming its line and column; a blank score is
/// a withheld figure, so that area is left unranked.
pub fn parse_scored_index(
    text: &str,
    format: CsvFormat,
    map: &ColumnMap,
    index: &DeprivationIndex,
    higher_is_more_deprived: bool,
    report: &mut Report,
) -> Vec<AreaDeprivation> {
    let Some(m) = Mapped::parse(text, format, map, &["area_code", "score"], report) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    let mut scored: Vec<(String, f64)> = Vec::with_capacity(m.rows.len());
    for (line, rec) in &m.rows {
        let Some(code) = check_code(&m, rec, *line, "area_code", &mut seen, report) else {
            continue;
        };
        if let Some(score) = m.number(rec, *line, "score", report) {
            scored.push((code, score));
        }
    }
    let scores: Vec<f64> = scored.iter().map(|(_, s)| *s).collect();
    let ranks = super::deprivation::ranks_from_scores(&scores, higher_is_more_deprived);
    let n = scored.len() as i64;
    scored
        .into_iter()
        .zip(ranks)
        .map(|((code, score), rank)| AreaDeprivation {
            index: index.code.clone(),
            area_code: code,
            rank,
            decile: decile(rank, n),
            score: Some(score),
            domains: Vec::new(),
        })
        .collect()
}

/// Postcodes from a CSV. Each `area:<scheme>` field gives the small area
/// the postcode falls in for that scheme. A `live` column (1/0), where
/// present, overrides a termination date (a postcode can be re-used).
pub fn parse_postcodes(
    text: &str,
    format: CsvFormat,
    map: &ColumnMap,
    report: &mut Report,
) -> Vec<PostcodeRecord> {
    let Some(m) = Mapped::parse(text, format, map, &["postcode"], report) else {
        return Vec::new();
    };
    let schemes = map.prefixed("area:");
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(m.rows.len());
    for (line, rec) in &m.rows {
        let raw = m.get(rec, "postcode");
        let pc = match Postcode::parse(raw) {
            Ok(p) => p,
            Err(e) => {
                report.push(Problem::error(*line, m.column("postcode"), e.message()));
                continue;
            }
        };
        if !seen.insert(pc.compact().to_string()) {
            report.push(Problem::error(
                *line,
                m.column("postcode"),
                Message::new("place.code_twice").arg("code", &pc),
            ));
            continue;
        }
        let (lat, lon) = lat_lon(&m, rec, *line, report);
        // Code-Point writes 0,0 for "no coordinates".
        let (lat, lon) = match (lat, lon) {
            (Some(a), Some(b)) if a == 0.0 && b == 0.0 => (None, None),
            other => other,
        };
        let mut terminated = m.opt(rec, "terminated");
        match m.get(rec, "live") {
            "1" | "true" | "yes" | "Y" => terminated = None,
            "0" | "false" | "no" | "N" if terminated.is_none() => terminated = Some(String::new()),
            _ => {}
        }
        out.push(PostcodeRecord {
            postcode: pc.to_string(),
            lat,
            lon,
            local_authority_code: m.opt(rec, "local_authority_code"),
            ward_code: m.opt(rec, "ward_code"),
            introduced: m.opt(rec, "introduced"),
            terminated,
            areas: schemes
                .iter()
                .filter_map(|(s, _)| m.opt(rec, &format!("area:{s}")).map(|a| (s.to_string(), a)))
                .collect(),
        });
    }
    out
}

/// Names of local authorities, wards and the like.
pub fn parse_names(
    text: &str,
    format: CsvFormat,
    map: &ColumnMap,
    kind: Option<NamedAreaKind>,
    report: &mut Report,
) -> Vec<NamedArea> {
    let Some(m) = Mapped::parse(text, format, map, &["code", "name"], report) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (line, rec) in &m.rows {
        let code = m.get(rec, "code");
        if code.is_empty() || !seen.insert(code.to_string()) {
            continue;
        }
        let kind = match (kind, m.get(rec, "kind")) {
            (Some(k), _) => k,
            (None, k) => match NamedAreaKind::parse(k) {
                Some(k) => k,
                None => {
                    report.push(Problem::error(
                        *line,
                        m.column("kind"),
                        Message::new("place.kind_unknown").arg("value", k),
                    ));
                    continue;
                }
            },
        };
        let name = m.get(rec, "name");
        // Boundary-Line writes "Acocks Green Ward" and "Birmingham District (B)".
        let name = name.strip_suffix(" Ward").unwrap_or(name);
        let name = name.split(" District (").next().unwrap_or(name);
        out.push(NamedArea {
            code: code.to_string(),
            kind,
            name: name.to_string(),
            parent_code: m.opt(rec, "parent_code"),
        });
    }
    out
}

/// An area's boundary as loaded: GeoJSON geometry text and its centroid.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    pub code: String,
    pub name: Option<String>,
    pub geometry: String,
    pub lat: f64,
    pub lon: f64,
}

/// Boundaries from a GeoJSON FeatureCollection; `code` and `name` map to
/// feature properties, and the centroid comes from `lat`/`lon` properties
/// or is computed from the shape.
pub fn parse_boundaries(text: &str, map: &ColumnMap, report: &mut Report) -> Vec<Boundary> {
    let doc: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            report.push(Problem::error(
                e.line() as u64,
                // serde_json says column 0 for a line's very start (its
                // line break); columns are counted from 1.
                Some(Column {
                    number: e.column().max(1),
                    name: String::new(),
                }),
                Message::new("place.json").arg("reason", e),
            ));
            return Vec::new();
        }
    };
    let Some(features) = doc.get("features").and_then(|f| f.as_array()) else {
        report.push(Problem::error(0, None, Message::new("place.not_features")));
        return Vec::new();
    };
    let Some(code_prop) = map.get("code") else {
        report.push(Problem::error(
            0,
            None,
            Message::new("place.field_unmapped").arg("field", "code"),
        ));
        return Vec::new();
    };
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        // Features have no line numbers; problems name the feature (1-based).
        let at = i as u64 + 1;
        let props = f.get("properties");
        let prop = |name: Option<&str>| name.and_then(|n| props.and_then(|p| p.get(n)));
        let code = match prop(Some(code_prop)) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                report.push(Problem::error(
                    at,
                    None,
                    Message::new("place.feature_no_code").arg("property", code_prop),
                ));
                continue;
            }
        };
        if !seen.insert(code.clone()) {
            report.push(Problem::error(
                at,
                None,
                Message::new("place.code_twice").arg("code", &code),
            ));
            continue;
        }
        let Some(geometry) = f.get("geometry") else {
            report.push(Problem::error(
                at,
                None,
                Message::new("place.feature_no_geometry").arg("code", &code),
            ));
            continue;
        };
        let shape = match parse_geometry(geometry) {
            Ok(s) => s,
            Err(e) => {
                report.push(Problem::error(
                    at,
                    None,
                    Message::new("place.bad_geometry")
                        .arg("code", &code)
                        .arg("reason", e),
                ));
                continue;
            }
        };
        let given = match (
            prop(map.get("lat")).and_then(|v| v.as_f64()),
            prop(map.get("lon")).and_then(|v| v.as_f64()),
        ) {
            (Some(lat), Some(lon)) => Some((lon, lat)),
            _ => None,
        };
        let Some((lon, lat)) = given.or_else(|| shape.centroid()) else {
            report.push(Problem::error(
                at,
                None,
                Message::new("place.bad_geometry")
                    .arg("code", &code)
                    .arg("reason", "empty"),
            ));
            continue;
        };
        out.push(Boundary {
            code,
            name: prop(map.get("name"))
                .and_then(|v| v.as_str())
                .map(String::from),
            geometry: geometry.to_string(),
            lat,
            lon,
        });
    }
    out
}

/// Everything one reference file holds; the store loads it in one transaction.
#[derive(Clone, Debug, Default)]
pub struct ReferenceLoad {
    pub scheme: Option<AreaScheme>,
    pub areas: Vec<Area>,
    pub boundaries: Vec<Boundary>,
    pub index: Option<DeprivationIndex>,
    pub deprivation: Vec<AreaDeprivation>,
    pub postcodes: Vec<PostcodeRecord>,
    pub names: Vec<NamedArea>,
}

impl ReferenceLoad {
    /// How many rows, for progress bars.
    pub fn rows(&self) -> u64 {
        (self.areas.len()
            + self.boundaries.len()
            + self.deprivation.len()
            + self.postcodes.len()
            + self.names.len()) as u64
    }
}

/// How to read one file: what it holds and which columns mean what.
#[derive(Clone, Debug)]
pub struct LoadSpec {
    pub kind: Kind,
    pub scheme: Option<AreaScheme>,
    /// For index files that also describe the areas (names, districts, populations).
    pub areas_map: Option<ColumnMap>,
    pub index: Option<DeprivationIndex>,
    pub map: ColumnMap,
    pub names_kind: Option<NamedAreaKind>,
    pub order: RankOrder,
    pub format: CsvFormat,
    pub ranking: Ranking,
}

impl From<Preset> for LoadSpec {
    fn from(p: Preset) -> Self {
        let (index, map) = match p.index {
            Some((i, m)) => (Some(i), m),
            None => (None, p.map),
        };
        LoadSpec {
            kind: p.kind,
            scheme: p.scheme,
            areas_map: p.areas,
            index,
            map,
            names_kind: p.names_kind,
            order: RankOrder::MostDeprivedFirst,
            format: p.format,
            ranking: p.ranking,
        }
    }
}

/// Reads a file as `spec` says, into what the store loads. Problems go to
/// `report`; with errors, the load is not to be applied.
pub fn prepare(spec: &LoadSpec, text: &str, report: &mut Report) -> ReferenceLoad {
    let mut load = ReferenceLoad {
        scheme: spec.scheme.clone(),
        ..Default::default()
    };
    let need_scheme = |report: &mut Report| {
        if spec.scheme.is_none() {
            report.push(Problem::error(0, None, Message::new("place.scheme_needed")));
        }
    };
    match spec.kind {
        Kind::Areas => {
            need_scheme(report);
            if let Some(s) = &spec.scheme {
                load.areas = parse_areas(text, spec.format, &spec.map, s, report);
            }
        }
        Kind::Index => {
            need_scheme(report);
            let Some(index) = &spec.index else {
                report.push(Problem::error(0, None, Message::new("place.index_needed")));
                return load;
            };
            if let (Some(s), Some(m)) = (&spec.scheme, &spec.areas_map) {
                load.areas = parse_areas(text, spec.format, m, s, report);
            }
            let mut index = index.clone();
            match spec.ranking {
                Ranking::Published => {
                    load.deprivation =
                        parse_index(text, spec.format, &spec.map, &index, spec.order, report)
                }
                Ranking::FromScore {
                    higher_is_more_deprived,
                } => {
                    load.deprivation = parse_scored_index(
                        text,
                        spec.format,
                        &spec.map,
                        &index,
                        higher_is_more_deprived,
                        report,
                    );
                    index.areas_ranked = load.deprivation.len() as i64;
                }
            }
            load.index = Some(index);
        }
        Kind::Boundaries => {
            need_scheme(report);
            load.boundaries = parse_boundaries(text, &spec.map, report);
        }
        Kind::Postcodes => load.postcodes = parse_postcodes(text, spec.format, &spec.map, report),
        Kind::Names => {
            load.names = parse_names(text, spec.format, &spec.map, spec.names_kind, report)
        }
    }
    load
}

/// Reads a file's bytes as text, gunzipping `.gz` files.
pub fn read_text(name: &str, bytes: &[u8]) -> std::io::Result<String> {
    let raw = if name.ends_with(".gz") || bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out)?;
        out
    } else {
        bytes.to_vec()
    };
    Ok(crate::csv_import::decode(&raw).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(p: &[(&str, &str)]) -> ColumnMap {
        ColumnMap::of(p)
    }

    #[test]
    fn broken_json_at_the_start_of_a_line_names_column_one() {
        // Found by fuzzing: a control character just after a line break
        // was reported at column 0.
        let text = "{\"features\": [\"a\n\u{1}\"]}";
        let mut report = Report::new("b.geojson");
        let map = ColumnMap::parse(&["code=code".to_string()]).unwrap();
        assert!(parse_boundaries(text, &map, &mut report).is_empty());
        let p = &report.problems[0];
        assert_eq!(p.line, 2);
        assert_eq!(p.column.as_ref().map(|c| c.number), Some(1));
    }

    #[test]
    fn an_index_from_any_country_loads_through_a_mapping() {
        // A Dutch-style file: neighbourhoods with a score where higher means better off.
        let idx = DeprivationIndex {
            code: "ses2022".into(),
            name: "SES-WOA".into(),
            scheme: "buurt".into(),
            areas_ranked: 4,
            source: "CBS".into(),
        };
        let text = "buurtcode;rang\nBU1;1\nBU2;4\nBU3;2\nBU4;3\n".replace(';', ",");
        let mut r = Report::new("nl.csv");
        let rows = parse_index(
            &text,
            CsvFormat::default(),
            &map(&[("area_code", "buurtcode"), ("rank", "rang")]),
            &idx,
            RankOrder::LeastDeprivedFirst,
            &mut r,
        );
        assert!(!r.has_errors(), "{r}");
        let bu2 = rows.iter().find(|a| a.area_code == "BU2").unwrap();
        assert_eq!(
            (bu2.rank, bu2.decile),
            (1, 3),
            "rank 4 of 4 best-off turns into rank 1 most deprived"
        );
    }

    #[test]
    fn published_deciles_are_checked_and_bad_ranks_named() {
        let idx = DeprivationIndex {
            code: "imd2019".into(),
            name: "IMD".into(),
            scheme: "lsoa11".into(),
            areas_ranked: 32_844,
            source: String::new(),
        };
        let text = "lsoa11cd,imd_rank,imd_decile\nE01008881,\"3,924\",2\nE01008882,939,2\nE01008883,40000,1\nE01008884,12.25,\nE01008885,12.5,1\n";
        let mut r = Report::new("iod.csv");
        let rows = parse_index(
            text,
            CsvFormat::default(),
            &map(&[
                ("area_code", "lsoa11cd"),
                ("rank", "imd_rank"),
                ("decile", "imd_decile"),
            ]),
            &idx,
            RankOrder::MostDeprivedFirst,
            &mut r,
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].rank, 3924, "thousands separators are read");
        assert_eq!(rows[2].rank, 12, "a tie written as 12.5 is rank 12");
        let got: Vec<_> = r
            .problems
            .iter()
            .map(|p| (p.line, p.severity, p.message.key.as_str()))
            .collect();
        use crate::csv_import::Severity::*;
        assert_eq!(
            got,
            [
                (3, Warning, "place.decile_differs"),
                (4, Error, "place.rank_range"),
                (5, Error, "place.not_whole")
            ]
        );
    }

    #[test]
    fn postcodes_know_when_they_were_terminated() {
        let text = "pcds,lat,long,lsoa11cd,doterm,in_codepoint_2025\nB66 2QT,52.491243,-1.949852,E01010063,202103,1\nB1 1AA,,,E01033625,201008,0\nB99 9ZZ,0,0,,,1\nbad,1,1,,,\n";
        let mut r = Report::new("pc.csv");
        let rows = parse_postcodes(
            text,
            CsvFormat::default(),
            &map(&[
                ("postcode", "pcds"),
                ("lat", "lat"),
                ("lon", "long"),
                ("area:lsoa11", "lsoa11cd"),
                ("terminated", "doterm"),
                ("live", "in_codepoint_2025"),
            ]),
            &mut r,
        );
        assert_eq!(rows.len(), 3);
        assert!(
            rows[0].is_live(),
            "live in Code-Point 2025 despite an old termination"
        );
        assert_eq!(rows[1].terminated.as_deref(), Some("201008"));
        assert_eq!((rows[2].lat, rows[2].area_in("lsoa11")), (None, None));
        assert_eq!(r.errors().next().unwrap().line, 5);
    }

    #[test]
    fn a_missing_column_is_named_once() {
        let mut r = Report::new("a.csv");
        let rows = parse_areas(
            "code,name\nA,B\n",
            CsvFormat::default(),
            &map(&[("code", "lsoa11cd")]),
            &lsoa11(),
            &mut r,
        );
        assert!(rows.is_empty());
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].message.key, "place.column_missing");
    }

    #[test]
    fn boundaries_from_geojson() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"S01","name":"One"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]}},
            {"type":"Feature","properties":{"name":"No code"},"geometry":null}]}"#;
        let mut r = Report::new("b.geojson");
        let b = parse_boundaries(text, &map(&[("code", "code"), ("name", "name")]), &mut r);
        assert_eq!(b.len(), 1);
        assert!((b[0].lat - 1.0).abs() < 1e-9);
        assert_eq!(r.errors().next().unwrap().line, 2);
    }

    /// INSEE's layout: a title block, `;`, decimal commas, withheld
    /// figures left blank; the rank is computed, highest rate first.
    const FILOSOFI: &str = "\u{feff}Indicateurs de distribution des revenus;;;\r\nFrance métropolitaine - IRIS;;;\r\nMise en ligne le 22/02/2022;;;\r\n©Insee Source(s) : Insee;;;\r\nIRIS;Libellé de l'IRIS;Commune;Libellé commune;Taux de bas revenus (%)\r\nIRIS;LIBIRIS;COM;LIBCOM;DEC_TP6019\r\n593500101;Vieux Lille 1;59350;Lille;12,5\r\n593500102;Moulins 2;59350;Lille;48,0\r\n593500103;Centre 3;59350;Lille;\r\n593500104;Wazemmes 4;59350;Lille;48\r\n593500105;Fives 5;59350;Lille;30,25\r\n";

    #[test]
    fn filosofi_ranks_are_computed_from_the_low_income_rate() {
        let spec = LoadSpec::from(preset("filosofi2019-iris").unwrap());
        let mut r = Report::new("filo.csv");
        let load = prepare(&spec, FILOSOFI, &mut r);
        assert!(!r.has_errors(), "{r}");
        assert_eq!(load.areas.len(), 5, "every IRIS is an area, ranked or not");
        assert_eq!(load.areas[0].name, "Vieux Lille 1");
        assert_eq!(
            load.index.as_ref().unwrap().areas_ranked,
            4,
            "N counts IRIS with a rate"
        );
        let got: Vec<_> = load
            .deprivation
            .iter()
            .map(|d| (d.area_code.as_str(), d.rank, d.decile, d.score))
            .collect();
        assert_eq!(
            got,
            [
                ("593500101", 4, 10, Some(12.5)),
                ("593500102", 1, 3, Some(48.0)),
                ("593500104", 1, 3, Some(48.0)),
                ("593500105", 3, 8, Some(30.25)),
            ],
            "decimal commas read; equal rates share the lowest rank; the withheld IRIS is unranked"
        );
    }

    #[test]
    fn filosofi_problems_name_the_real_line_and_column() {
        let spec = LoadSpec::from(preset("filosofi2019-iris").unwrap());
        let text = FILOSOFI.replace("30,25", "trente");
        let mut r = Report::new("filo.csv");
        prepare(&spec, &text, &mut r);
        let e = r.errors().next().expect("an error");
        assert_eq!(e.line, 11, "line 11 of the file, title block counted");
        assert_eq!(e.column.as_ref().map(|c| c.number), Some(5));
        assert_eq!(e.message.key, "place.not_a_number");
        let missing = FILOSOFI.replace("DEC_TP6019", "TAUX");
        let mut r = Report::new("filo.csv");
        prepare(&spec, &missing, &mut r);
        let e = r.errors().next().expect("an error");
        assert_eq!(
            (e.line, e.message.key.as_str()),
            (6, "place.column_missing")
        );
    }

    #[test]
    fn presets_are_named_uniquely() {
        let names: HashSet<_> = presets().iter().map(|p| p.name).collect();
        assert_eq!(names.len(), presets().len());
    }
}
