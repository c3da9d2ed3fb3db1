//! An anchor's workforce by home area: reading a workforce file, reducing it
//! to counts by small area, and the measures over those counts (how many of
//! its staff, and how much of its pay, live in the area of benefit, in its
//! local authority and in the poorest two deciles; local recruitment).
//!
//! A file comes in one of two shapes, told apart by its header:
//! - **counts**: one row per home area (a postcode or a small-area code) ×
//!   staff group × band × contract, with `headcount`, `pay` and optionally
//!   `fte` and `starters`;
//! - **one row per employee**: `employee_id` (pseudonymous), `home_postcode`,
//!   `staff_group`, `band`, `start_date`, `leaving_date`, `pay`, optionally
//!   `contract` and `fte`.
//!
//! Rows about people are reduced to cells on import and never stored: the
//! cell keeps the small area, never the postcode, and no employee id leaves
//! this module. The period is a financial year (1 April to 31 March), the
//! way NHS trusts and councils report their workforce.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use time::{Date, Month};

use crate::csv_import::{Problem, Report, Row, Table};
use crate::i18n::Message;
use crate::money::{Pence, parse_pence};
use crate::place::postcode::Postcode;
use crate::validation::parse_date;

/// What a cell's staff group, band or contract reads when the file leaves it empty.
pub const NOT_STATED: &str = "not stated";

/// A financial year, named by the calendar year it starts in (2024 is
/// 1 April 2024 to 31 March 2025).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Year(pub i32);

impl Year {
    /// Years a workforce file may be for.
    pub const FIRST: i32 = 2000;
    pub const LAST: i32 = 2100;

    /// `2024/25`.
    pub fn label(&self) -> String {
        format!("{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }

    pub fn first_day(&self) -> Date {
        Date::from_calendar_date(self.0, Month::April, 1).expect("1 April exists")
    }

    pub fn last_day(&self) -> Date {
        Date::from_calendar_date(self.0 + 1, Month::March, 31).expect("31 March exists")
    }

    /// The year a day falls in (31 March 2025 is in 2024/25, 1 April 2025 in 2025/26).
    pub fn of(day: Date) -> Year {
        if day.month() >= Month::April {
            Year(day.year())
        } else {
            Year(day.year() - 1)
        }
    }

    /// Reads `2024` or `2024/25` (the second half must follow the first).
    pub fn parse(raw: &str) -> Result<Year, Message> {
        let raw = raw.trim();
        let bad = || Message::new("anchors.workforce.year_bad").arg("value", raw);
        let (first, second) = match raw.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (raw, None),
        };
        let y: i32 = first.parse().map_err(|_| bad())?;
        if !(Year::FIRST..=Year::LAST).contains(&y) {
            return Err(bad());
        }
        if let Some(b) = second {
            let b: i32 = b.parse().map_err(|_| bad())?;
            if b != (y + 1) % 100 && b != y + 1 {
                return Err(bad());
            }
        }
        Ok(Year(y))
    }
}

/// The shape a file came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    Counts,
    Employees,
}

impl Shape {
    pub fn slug(&self) -> &'static str {
        match self {
            Shape::Counts => "counts",
            Shape::Employees => "employees",
        }
    }

    pub fn parse(s: &str) -> Option<Shape> {
        match s {
            "counts" => Some(Shape::Counts),
            "employees" => Some(Shape::Employees),
            _ => None,
        }
    }
}

/// Where the people of a row live, as the file gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Home {
    /// A compact postcode (`B187QH`), placed by the caller.
    Postcode(String),
    /// A small-area code as published (`E01009364`).
    Area(String),
    Unknown,
}

/// One row read, before it is placed: a row of counts or one employee.
#[derive(Clone, Debug)]
struct Read {
    line: u64,
    home: Home,
    key: (String, String, String),
    headcount: u64,
    fte_hundredths: i64,
    pay: Pence,
    /// `None`: a counts file without a `starters` column, so not known.
    starters: Option<u64>,
}

/// The cells of one anchor's workforce in one year: people counted by home
/// small area (`None`: not known), staff group, band and contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkforceCell {
    pub area_code: Option<String>,
    pub staff_group: String,
    pub band: String,
    pub contract: String,
    pub headcount: u64,
    /// Full-time equivalent in hundredths (2.5 FTE is 250).
    pub fte_hundredths: i64,
    pub pay: Pence,
    /// People who started in the year (counted in `headcount` too);
    /// `None` when the file did not say (a counts file without a
    /// `starters` column), which is not the same as nobody starting.
    pub starters: Option<u64>,
}

/// A file read and checked, its home postcodes still to be placed.
pub struct WorkforceFile {
    pub shape: Shape,
    rows: Vec<Read>,
}

const COUNT_COLUMNS: &[&str] = &[
    "home_postcode",
    "home_area",
    "staff_group",
    "band",
    "contract",
    "headcount",
    "fte",
    "pay",
    "starters",
];
const EMPLOYEE_COLUMNS: &[&str] = &[
    "employee_id",
    "home_postcode",
    "staff_group",
    "band",
    "contract",
    "start_date",
    "leaving_date",
    "fte",
    "pay",
];

/// `Band 5`, `band 5`, `5` → `Band 5`; `8a` → `Band 8a`; anything else
/// (medical grades, council grades) as written.
pub fn band_name(raw: &str) -> String {
    let s = raw.trim();
    if s.is_empty() {
        return NOT_STATED.to_string();
    }
    let lower = s.to_lowercase();
    let rest = lower.strip_prefix("band").map(str::trim).unwrap_or(&lower);
    let afc = matches!(rest, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "9")
        || matches!(rest, "8a" | "8b" | "8c" | "8d");
    if afc {
        format!("Band {rest}")
    } else {
        s.to_string()
    }
}

fn text_or_not_stated(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() {
        NOT_STATED.to_string()
    } else {
        s.to_string()
    }
}

/// Reads a whole number of people (`12`, `12.0`); `Err` names the problem.
fn parse_people(raw: &str) -> Result<u64, Message> {
    let s = raw.trim().replace(',', "");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    s.parse::<u64>()
        .map_err(|_| Message::new("anchors.workforce.count_bad").arg("value", raw.trim()))
}

/// Reads an FTE such as `0.6` or `12.75` into hundredths.
fn parse_fte(raw: &str) -> Result<i64, Message> {
    let bad = || Message::new("anchors.workforce.fte_bad").arg("value", raw.trim());
    let s = raw.trim().replace(',', "");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if frac.len() > 2 || whole.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| bad())?
    };
    if w < 0 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    Ok(w * 100 + f)
}

/// Reads a workforce file for `year`. Every problem is in `report`, with
/// its line and column; `None` when the file cannot be read at all.
pub fn read_workforce(text: &str, year: Year, report: &mut Report) -> Option<WorkforceFile> {
    // The header decides the shape: only the employees shape names an employee.
    let first_line = text.lines().next().unwrap_or("");
    let employees = first_line
        .split(',')
        .any(|h| crate::csv_import::header_key(h) == "employee_id");
    let table = if employees {
        Table::parse(
            text,
            EMPLOYEE_COLUMNS,
            &["employee_id", "home_postcode", "start_date", "pay"],
            report,
        )?
    } else {
        Table::parse(text, COUNT_COLUMNS, &["headcount", "pay"], report)?
    };
    if !employees && !table.has("home_postcode") && !table.has("home_area") {
        report.push(Problem::error(
            1,
            None,
            Message::new("anchors.workforce.home_column"),
        ));
    }
    if report.has_errors() {
        return None;
    }
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut ids: HashMap<String, u64> = HashMap::new();
    for row in &table.rows {
        let read = if employees {
            read_employee(&table, row, year, &mut ids, report)
        } else {
            read_counts(&table, row, report)
        };
        rows.extend(read);
    }
    Some(WorkforceFile {
        shape: if employees {
            Shape::Employees
        } else {
            Shape::Counts
        },
        rows,
    })
}

fn home_of(table: &Table, row: &Row, report: &mut Report) -> Home {
    let postcode = table.get(row, "home_postcode").trim();
    if !postcode.is_empty() {
        return match Postcode::parse(postcode) {
            Ok(p) => Home::Postcode(p.compact().to_string()),
            Err(_) => {
                report.push(Problem::warning(
                    row.line,
                    table.column("home_postcode"),
                    Message::new("anchors.workforce.postcode_bad").arg("value", postcode),
                ));
                Home::Unknown
            }
        };
    }
    let area = table.get(row, "home_area").trim();
    if area.is_empty() {
        Home::Unknown
    } else {
        Home::Area(area.to_uppercase())
    }
}

fn key_of(table: &Table, row: &Row) -> (String, String, String) {
    (
        text_or_not_stated(table.get(row, "staff_group")),
        band_name(table.get(row, "band")),
        text_or_not_stated(table.get(row, "contract")),
    )
}

fn read_counts(table: &Table, row: &Row, report: &mut Report) -> Option<Read> {
    let mut ok = true;
    let mut field = |col: &str, required: bool, f: &dyn Fn(&str) -> Result<i64, Message>| {
        let raw = table.get(row, col);
        if raw.trim().is_empty() && !required {
            return 0;
        }
        match f(raw) {
            Ok(v) => v,
            Err(m) => {
                report.push(Problem::error(row.line, table.column(col), m));
                ok = false;
                0
            }
        }
    };
    let people = |s: &str| parse_people(s).map(|v| v as i64);
    let headcount = field("headcount", true, &people) as u64;
    let starters = field("starters", false, &people) as u64;
    let fte = field("fte", false, &parse_fte);
    let pay = field("pay", true, &|s| parse_pence(s));
    if ok && starters > headcount {
        report.push(Problem::error(
            row.line,
            table.column("starters"),
            Message::new("anchors.workforce.starters_over").arg("headcount", headcount),
        ));
        ok = false;
    }
    if ok && pay < 0 {
        report.push(Problem::error(
            row.line,
            table.column("pay"),
            Message::new("anchors.workforce.pay_negative"),
        ));
        ok = false;
    }
    let home = home_of(table, row, report);
    ok.then(|| Read {
        line: row.line,
        home,
        key: key_of(table, row),
        headcount,
        fte_hundredths: if table.has("fte") {
            fte
        } else {
            headcount as i64 * 100
        },
        pay,
        starters: table.has("starters").then_some(starters),
    })
}

fn read_employee(
    table: &Table,
    row: &Row,
    year: Year,
    ids: &mut HashMap<String, u64>,
    report: &mut Report,
) -> Option<Read> {
    let mut ok = true;
    let id = table.get(row, "employee_id").trim();
    if id.is_empty() {
        report.push(Problem::error(
            row.line,
            table.column("employee_id"),
            Message::new("anchors.workforce.id_missing"),
        ));
        ok = false;
    } else if let Some(first) = ids.insert(id.to_string(), row.line) {
        report.push(Problem::error(
            row.line,
            table.column("employee_id"),
            Message::new("anchors.workforce.id_twice").arg("line", first),
        ));
        ok = false;
    }
    let mut date = |col: &str, required: bool| -> Option<Date> {
        let raw = table.get(row, col).trim();
        if raw.is_empty() {
            if required {
                report.push(Problem::error(
                    row.line,
                    table.column(col),
                    Message::new("anchors.workforce.date_missing"),
                ));
                ok = false;
            }
            return None;
        }
        let d = parse_date(raw);
        if d.is_none() {
            report.push(Problem::error(
                row.line,
                table.column(col),
                Message::new("anchors.workforce.date_bad").arg("value", raw),
            ));
            ok = false;
        }
        d
    };
    let start = date("start_date", true);
    let leaving = date("leaving_date", false);
    if let (Some(s), Some(l)) = (start, leaving)
        && l < s
    {
        report.push(Problem::error(
            row.line,
            table.column("leaving_date"),
            Message::new("anchors.workforce.leaving_before_start"),
        ));
        ok = false;
    }
    let pay = match parse_pence(table.get(row, "pay")) {
        Ok(p) if p >= 0 => p,
        Ok(_) => {
            report.push(Problem::error(
                row.line,
                table.column("pay"),
                Message::new("anchors.workforce.pay_negative"),
            ));
            ok = false;
            0
        }
        Err(m) => {
            report.push(Problem::error(row.line, table.column("pay"), m));
            ok = false;
            0
        }
    };
    let fte = match table.get(row, "fte").trim() {
        "" => 100,
        raw => match parse_fte(raw) {
            Ok(f) => f,
            Err(m) => {
                report.push(Problem::error(row.line, table.column("fte"), m));
                ok = false;
                0
            }
        },
    };
    if !ok {
        return None;
    }
    let start = start.expect("checked");
    // Someone who left before the year or started after it is not its staff.
    let in_year = start <= year.last_day() && leaving.is_none_or(|l| l >= year.first_day());
    if !in_year {
        report.push(Problem::warning(
            row.line,
            table.column("start_date"),
            Message::new("anchors.workforce.outside_year").arg("year", year.label()),
        ));
        return None;
    }
    let home = home_of(table, row, report);
    Some(Read {
        line: row.line,
        home,
        key: key_of(table, row),
        headcount: 1,
        fte_hundredths: fte,
        pay,
        starters: Some(u64::from(start >= year.first_day())),
    })
}

impl WorkforceFile {
    /// The compact postcodes the caller must place.
    pub fn postcodes(&self) -> Vec<String> {
        let set: HashSet<&str> = self
            .rows
            .iter()
            .filter_map(|r| match &r.home {
                Home::Postcode(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        let mut v: Vec<String> = set.into_iter().map(String::from).collect();
        v.sort();
        v
    }

    /// Rows read (employees or rows of counts).
    pub fn rows(&self) -> u64 {
        self.rows.len() as u64
    }

    /// Sums the rows into cells. `placed` gives each compact postcode its
    /// small area; `known_areas` tells whether a small-area code exists. A
    /// home that cannot be placed is kept as "not known", with a warning.
    pub fn cells(
        &self,
        placed: &HashMap<String, String>,
        known_areas: &dyn Fn(&str) -> bool,
        report: &mut Report,
    ) -> Vec<WorkforceCell> {
        type Key = (Option<String>, String, String, String);
        let mut sums: BTreeMap<Key, WorkforceCell> = BTreeMap::new();
        for r in &self.rows {
            let area = match &r.home {
                Home::Postcode(p) => {
                    let a = placed.get(p).cloned();
                    if a.is_none() {
                        report.push(Problem::warning(
                            r.line,
                            None,
                            Message::new("anchors.workforce.postcode_unknown").arg("value", p),
                        ));
                    }
                    a
                }
                Home::Area(a) => {
                    if known_areas(a) {
                        Some(a.clone())
                    } else {
                        report.push(Problem::warning(
                            r.line,
                            None,
                            Message::new("anchors.workforce.area_unknown").arg("value", a),
                        ));
                        None
                    }
                }
                Home::Unknown => None,
            };
            let (g, b, c) = r.key.clone();
            let cell = sums
                .entry((area.clone(), g.clone(), b.clone(), c.clone()))
                .or_insert_with(|| WorkforceCell {
                    area_code: area,
                    staff_group: g,
                    band: b,
                    contract: c,
                    headcount: 0,
                    fte_hundredths: 0,
                    pay: 0,
                    starters: Some(0),
                });
            cell.headcount += r.headcount;
            cell.fte_hundredths += r.fte_hundredths;
            cell.pay += r.pay;
            cell.starters = cell.starters.zip(r.starters).map(|(a, b)| a + b);
        }
        report.sort();
        sums.into_values().collect()
    }
}

/// Where a small area lies for the measures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AreaFacts {
    pub area_of_benefit: bool,
    pub local_authority: bool,
    pub deciles_1_2: bool,
}

/// People and their pay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Staff {
    pub people: u64,
    pub pay: Pence,
}

impl Staff {
    fn add(&mut self, c: &WorkforceCell) {
        self.people += c.headcount;
        self.pay += c.pay;
    }
}

/// Staff living inside a geography and everyone else (home elsewhere or not known).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Split {
    pub inside: Staff,
    pub outside: Staff,
}

/// A row of the band or staff-group table: its staff split by each geography.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Splits {
    pub area_of_benefit: Split,
    pub local_authority: Split,
    pub deciles_1_2: Split,
}

/// One anchor's workforce in one year, reduced to the figures published.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WorkforceMeasures {
    pub staff: Staff,
    pub fte_hundredths: i64,
    /// Staff whose home area is not known (counted as outside everywhere).
    pub home_unknown: Staff,
    pub area_of_benefit: Split,
    pub local_authority: Split,
    pub deciles_1_2: Split,
    /// Starters: in the area of benefit and not; `None` when a cell does
    /// not say how many of its people started in the year.
    pub starters: Option<Split>,
    /// By band and by staff group: in each geography and not.
    pub by_band: Vec<(String, Splits)>,
    pub by_staff_group: Vec<(String, Splits)>,
}

/// The measures of one year's cells; `facts` places a small area.
pub fn measure(cells: &[WorkforceCell], facts: &dyn Fn(&str) -> AreaFacts) -> WorkforceMeasures {
    let mut m = WorkforceMeasures::default();
    let mut starters = Some(Split::default());
    let mut bands: BTreeMap<String, Splits> = BTreeMap::new();
    let mut groups: BTreeMap<String, Splits> = BTreeMap::new();
    for c in cells {
        m.staff.add(c);
        m.fte_hundredths += c.fte_hundredths;
        let f = match &c.area_code {
            Some(a) => facts(a),
            None => {
                m.home_unknown.add(c);
                AreaFacts::default()
            }
        };
        let side = |s: &mut Split, inside: bool| {
            if inside {
                s.inside.add(c)
            } else {
                s.outside.add(c)
            }
        };
        side(&mut m.area_of_benefit, f.area_of_benefit);
        side(&mut m.local_authority, f.local_authority);
        side(&mut m.deciles_1_2, f.deciles_1_2);
        match (&mut starters, c.starters) {
            (Some(s), Some(n)) if f.area_of_benefit => s.inside.people += n,
            (Some(s), Some(n)) => s.outside.people += n,
            _ => starters = None,
        }
        for row in [
            bands.entry(c.band.clone()).or_default(),
            groups.entry(c.staff_group.clone()).or_default(),
        ] {
            side(&mut row.area_of_benefit, f.area_of_benefit);
            side(&mut row.local_authority, f.local_authority);
            side(&mut row.deciles_1_2, f.deciles_1_2);
        }
    }
    m.starters = starters;
    m.by_band = bands.into_iter().collect();
    m.by_band.sort_by_key(|a| band_order(&a.0));
    m.by_staff_group = groups.into_iter().collect();
    m
}

/// Agenda for Change bands in their order, then other grades by name.
fn band_order(b: &str) -> (u8, String) {
    match b.strip_prefix("Band ") {
        Some(rest) => (0, format!("{rest:0>2}")),
        None if b == NOT_STATED => (2, String::new()),
        None => (1, b.to_string()),
    }
}

/// A post filled through the talent strand: the anchor its vacancy names
/// (by short name, `None` when it names none) and the day the person started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlacedStart<'a> {
    pub anchor: Option<&'a str>,
    pub started_on: Date,
}

/// How many residents placed through the programme started with `anchor`
/// in each workforce year (1 April to 31 March), oldest year first.
pub fn placed_by_year(starts: &[PlacedStart<'_>], anchor: &str) -> BTreeMap<Year, u64> {
    let mut out: BTreeMap<Year, u64> = BTreeMap::new();
    for s in starts.iter().filter(|s| s.anchor == Some(anchor)) {
        *out.entry(Year::of(s.started_on)).or_default() += 1;
    }
    out
}

/// A share in per cent to one decimal, or `None` when there is nothing to share.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Option<WorkforceFile>, Report) {
        let mut r = Report::new("staff.csv");
        let f = read_workforce(text, Year(2024), &mut r);
        (f, r)
    }

    #[test]
    fn years_read_and_label_as_financial_years() {
        assert_eq!(Year::parse("2024").unwrap(), Year(2024));
        assert_eq!(Year::parse("2024/25").unwrap(), Year(2024));
        assert!(Year::parse("2024/26").is_err());
        assert!(Year::parse("1899").is_err());
        assert_eq!(Year(2099).label(), "2099/00");
        assert_eq!(Year(2024).label(), "2024/25");
    }

    #[test]
    fn bands_are_named_one_way() {
        assert_eq!(band_name("5"), "Band 5");
        assert_eq!(band_name("band 8A"), "Band 8a");
        assert_eq!(band_name("Consultant"), "Consultant");
        assert_eq!(band_name(" "), NOT_STATED);
    }

    #[test]
    fn employee_rows_sum_to_the_hand_computed_cells_and_keep_no_postcode_or_id() {
        let text = "employee_id,home_postcode,staff_group,band,start_date,leaving_date,fte,pay\n\
            E1,B18 7QH,Nursing,5,2020-05-01,,1,\"28,000.00\"\n\
            E2,b187qh,Nursing,Band 5,2024-06-01,,0.5,14000\n\
            E3,B1 1AA,Nursing,5,2019-01-01,2024-09-30,1,13000\n\
            E4,B1 1AA,Estates,2,2018-01-01,2023-03-31,1,20000\n\
            E5,ZZ99 9ZZ,Estates,2,2025-02-01,,1,3000\n\
            E6,,Estates,2,2025-03-01,,1,2000\n";
        let (f, mut r) = read(text);
        let f = f.expect("reads");
        assert_eq!(f.shape, Shape::Employees);
        // E4 left before the year began: a warning, not counted.
        assert_eq!(r.warning_count(), 1);
        assert!(!r.has_errors());
        let placed: HashMap<String, String> = [
            ("B187QH".to_string(), "E01000001".to_string()),
            ("B11AA".to_string(), "E01000002".to_string()),
        ]
        .into();
        let cells = f.cells(&placed, &|_| true, &mut r);
        // ZZ99 9ZZ is not a postcode we know: a warning, home not known.
        assert_eq!(r.warning_count(), 2);
        let want = vec![
            WorkforceCell {
                area_code: None,
                staff_group: "Estates".into(),
                band: "Band 2".into(),
                contract: NOT_STATED.into(),
                headcount: 2,
                fte_hundredths: 200,
                pay: 500_000,
                starters: Some(2),
            },
            WorkforceCell {
                area_code: Some("E01000001".into()),
                staff_group: "Nursing".into(),
                band: "Band 5".into(),
                contract: NOT_STATED.into(),
                headcount: 2,
                fte_hundredths: 150,
                pay: 4_200_000,
                starters: Some(1),
            },
            WorkforceCell {
                area_code: Some("E01000002".into()),
                staff_group: "Nursing".into(),
                band: "Band 5".into(),
                contract: NOT_STATED.into(),
                headcount: 1,
                fte_hundredths: 100,
                pay: 1_300_000,
                starters: Some(0),
            },
        ];
        assert_eq!(cells, want);
        let stored = format!("{cells:?}");
        for secret in ["E1", "E2", "E3", "E5", "B18", "B187QH", "B11AA", "ZZ99"] {
            assert!(
                !stored.contains(&format!("\"{secret}\"")),
                "{secret} survives"
            );
        }
        assert!(!stored.contains("7QH") && !stored.contains("1AA"));
    }

    #[test]
    fn problems_name_line_and_column() {
        let text = "employee_id,home_postcode,staff_group,band,start_date,pay\n\
            E1,B18 7QH,Nursing,5,31/02/2024,100\n\
            E1,B18 7QH,Nursing,5,2024-01-01,lots\n";
        let (f, r) = read(text);
        assert!(f.is_some());
        let errs: Vec<(u64, String)> = r
            .errors()
            .map(|p| {
                (
                    p.line,
                    p.column
                        .as_ref()
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            errs,
            vec![
                (2, "start_date".to_string()),
                (3, "employee_id".to_string()),
                (3, "pay".to_string()),
            ]
        );
        let (f, r) = read("band,pay\n5,100\n");
        assert!(f.is_none());
        assert!(r.has_errors());
    }

    #[test]
    fn counts_files_read_areas_and_postcodes() {
        let text = "home_area,staff_group,band,contract,headcount,fte,pay,starters\n\
            e01000001,Nursing,5,Permanent,12,10.5,\"£336,000\",3\n\
            E01999999,Nursing,5,Permanent,2,2,56000,0\n\
            E01000001,Nursing,5,Permanent,1,1,28000,2\n";
        let (f, mut r) = read(text);
        let f = f.expect("reads");
        assert_eq!(f.shape, Shape::Counts);
        // line 4: 2 starters out of 1 person
        assert_eq!(r.error_count(), 1);
        let cells = f.cells(&HashMap::new(), &|a| a == "E01000001", &mut r);
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[0].area_code, None);
        assert_eq!(cells[1].headcount, 12);
        assert_eq!(cells[1].fte_hundredths, 1050);
        assert_eq!(cells[1].pay, 33_600_000);
        assert_eq!(cells[1].starters, Some(3));
    }

    #[test]
    fn a_counts_file_without_starters_leaves_them_not_known() {
        let text = "home_area,staff_group,band,contract,headcount,pay\n\
            E01000001,Nursing,5,Permanent,12,336000\n\
            E01000002,Nursing,5,Permanent,3,84000\n";
        let (f, mut r) = read(text);
        let cells = f.expect("reads").cells(&HashMap::new(), &|_| true, &mut r);
        assert!(!r.has_errors());
        assert!(cells.iter().all(|c| c.starters.is_none()));
        let m = measure(&cells, &|a| AreaFacts {
            area_of_benefit: a == "E01000001",
            ..AreaFacts::default()
        });
        // Not "0 starters": the file did not say.
        assert_eq!(m.starters, None);
        assert_eq!(m.area_of_benefit.inside.people, 12);
        // One cell that does not say is enough to make the year's starters not known.
        let mut mixed = cells.clone();
        mixed[0].starters = Some(4);
        assert_eq!(measure(&mixed, &|_| AreaFacts::default()).starters, None);
    }

    #[test]
    fn measures_split_staff_and_pay_by_where_they_live() {
        let cell =
            |area: Option<&str>, band: &str, n: u64, pay: Pence, starters: u64| WorkforceCell {
                area_code: area.map(String::from),
                staff_group: "Nursing".into(),
                band: band.into(),
                contract: NOT_STATED.into(),
                headcount: n,
                fte_hundredths: n as i64 * 100,
                pay,
                starters: Some(starters),
            };
        let cells = vec![
            cell(Some("A"), "Band 5", 10, 1000, 2),
            cell(Some("B"), "Band 8a", 5, 900, 1),
            cell(Some("C"), "Band 2", 3, 100, 0),
            cell(None, "Band 5", 2, 50, 1),
        ];
        let m = measure(&cells, &|a| AreaFacts {
            area_of_benefit: a == "A",
            local_authority: a != "C",
            deciles_1_2: a == "A" || a == "C",
        });
        assert_eq!(
            m.staff,
            Staff {
                people: 20,
                pay: 2050
            }
        );
        assert_eq!(
            m.area_of_benefit.inside,
            Staff {
                people: 10,
                pay: 1000
            }
        );
        assert_eq!(
            m.area_of_benefit.outside,
            Staff {
                people: 10,
                pay: 1050
            }
        );
        assert_eq!(m.local_authority.inside.people, 15);
        assert_eq!(
            m.deciles_1_2.inside,
            Staff {
                people: 13,
                pay: 1100
            }
        );
        assert_eq!(m.home_unknown.people, 2);
        let starters = m.starters.expect("every cell says");
        assert_eq!(starters.inside.people, 2);
        assert_eq!(starters.outside.people, 2);
        let bands: Vec<&str> = m.by_band.iter().map(|(b, _)| b.as_str()).collect();
        assert_eq!(bands, ["Band 2", "Band 5", "Band 8a"]);
        assert_eq!(share(1, 3), Some(33.3));
        assert_eq!(share(0, 0), None);
        // The band rows split by every geography, not only the area of benefit.
        let band5 = &m.by_band[1].1;
        assert_eq!(band5.area_of_benefit.inside.people, 10);
        assert_eq!(band5.local_authority.inside.people, 10);
        assert_eq!(band5.local_authority.outside.people, 2);
        assert_eq!(
            band5.deciles_1_2.inside,
            Staff {
                people: 10,
                pay: 1000
            }
        );
        let band2 = &m.by_band[0].1;
        assert_eq!(band2.deciles_1_2.inside.people, 3);
        assert_eq!(band2.local_authority.inside.people, 0);
    }

    #[test]
    fn placements_count_in_the_workforce_year_they_started_with_their_anchor() {
        use time::macros::date;
        let start = |anchor: Option<&'static str>, started_on| PlacedStart { anchor, started_on };
        let starts = [
            start(Some("trust"), date!(2024 - 04 - 01)),
            start(Some("trust"), date!(2025 - 03 - 31)),
            start(Some("trust"), date!(2025 - 04 - 01)),
            start(Some("trust"), date!(2024 - 03 - 31)),
            start(Some("council"), date!(2024 - 06 - 01)),
            start(None, date!(2024 - 06 - 01)),
        ];
        let trust = placed_by_year(&starts, "trust");
        assert_eq!(
            trust.into_iter().collect::<Vec<_>>(),
            vec![(Year(2023), 1), (Year(2024), 2), (Year(2025), 1)]
        );
        assert_eq!(
            placed_by_year(&starts, "council").get(&Year(2024)),
            Some(&1)
        );
        assert!(placed_by_year(&starts, "nobody").is_empty());
        assert_eq!(Year::of(date!(2025 - 03 - 31)), Year(2024));
    }
}
