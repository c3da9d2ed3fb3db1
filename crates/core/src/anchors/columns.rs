//! Which row of a spend file is its header and which column is which field,
//! without a hand-written mapping.
//!
//! Publishers' usual headers (the synonyms) settle most columns, each
//! checked against its values (a "Value" column of words is not the
//! amount). What they leave open is scored, column by column, by the words
//! of its header (`Irrecoverable VAT Amount` says VAT as well as amount)
//! and by the values under it in the first rows: money on most rows, dates,
//! text with many distinct values (suppliers), whole numbers of one length
//! (codes). The guess says how sure it is, so a person can confirm the
//! columns on the first rows before anything is imported.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::dates::{DateOrder, parse_date};
use super::spend_file::{ColumnMapping, SpendField};
use crate::csv_import::header_key;
use crate::i18n::{Message, t};
use crate::money::parse_pence;

/// How far down the header may sit below banners and title rows.
pub const HEADER_SEARCH_ROWS: usize = 100;
/// Data rows below a candidate header whose values are looked at.
pub const SAMPLE_ROWS: usize = 200;

/// The fields every file needs: the rest are kept when found.
const REQUIRED: [SpendField; 3] = [SpendField::Amount, SpendField::PaidOn, SpendField::Supplier];

/// How a column came to be the field it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChosenBy {
    /// The anchor's saved column mapping names it.
    Mapping,
    /// Its header is one publishers use for the field, and its values agree.
    Header,
    /// Its header words and its values scored best.
    Content,
}

/// What most of a column's values look like in the rows sampled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Empty,
    Money,
    Date,
    Text,
    /// Whole numbers: codes, references, years.
    Numbers,
    Mixed,
}

impl ValueKind {
    fn words(self) -> &'static str {
        t(match self {
            ValueKind::Empty => "anchors.spend.kind.empty",
            ValueKind::Money => "anchors.spend.kind.money",
            ValueKind::Date => "anchors.spend.kind.date",
            ValueKind::Text => "anchors.spend.kind.text",
            ValueKind::Numbers => "anchors.spend.kind.numbers",
            ValueKind::Mixed => "anchors.spend.kind.mixed",
        })
    }
}

/// One column of the file as the guess saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnGuess {
    /// 1-based position.
    pub number: usize,
    pub header: String,
    pub field: Option<SpendField>,
    pub chosen_by: Option<ChosenBy>,
    pub looks_like: ValueKind,
    /// Percent of the sampled values that look like `looks_like`.
    pub share: u8,
    /// Percent of the sampled rows with a value in this column.
    pub filled: u8,
    /// The column's score for each required field it could hold: header
    /// words plus values, higher is likelier.
    pub scores: Vec<(SpendField, i32)>,
}

impl ColumnGuess {
    /// Why the column is (or is not) the field it is, for the page that
    /// asks a person to confirm.
    pub fn reason(&self) -> Message {
        let kind = |m: Message| {
            m.arg("share", self.share)
                .arg("kind", self.looks_like.words())
        };
        match self.chosen_by {
            Some(ChosenBy::Mapping) => Message::new("anchors.spend.column.saved"),
            Some(ChosenBy::Header) => Message::new("anchors.spend.column.header"),
            Some(ChosenBy::Content) => kind(Message::new("anchors.spend.column.content")),
            None if self.looks_like == ValueKind::Empty => {
                Message::new("anchors.spend.column.empty")
            }
            None => kind(Message::new("anchors.spend.column.unused")),
        }
    }
}

/// Which column is which field, and how sure the reader is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MappingGuess {
    /// The fields found, `field=Header` as an anchor's saved mapping holds
    /// them: confirming the guess is saving this.
    pub mapping: ColumnMapping,
    /// Every required field came from the saved mapping or a publisher's
    /// usual header, or its header words and values left no doubt.
    pub certain: bool,
    /// The required fields the reader is not sure of (or did not find).
    pub unsure: Vec<SpendField>,
    pub columns: Vec<ColumnGuess>,
    /// The anchor's saved mapping names a column this file does not have
    /// (the anchor changed how it publishes), so the columns were read from
    /// the file's own headers and values instead; never `certain`, so a
    /// person confirms them (and confirming saves them as the new mapping).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub mapping_set_aside: bool,
}

impl MappingGuess {
    /// `supplier = 'Payee', amount = '£ (net)'`: the required fields
    /// chosen by their header words and values, for the import report.
    pub fn by_content(&self) -> Option<String> {
        let list: Vec<String> = self
            .columns
            .iter()
            .filter(|c| c.chosen_by == Some(ChosenBy::Content))
            .filter(|c| c.field.is_some_and(|f| REQUIRED.contains(&f)))
            .filter_map(|c| Some(format!("{} = '{}'", c.field?.words(), c.header)))
            .collect();
        (!list.is_empty()).then(|| list.join(", "))
    }

    /// `amount = 'Net'`: the required fields the reader is not sure of,
    /// and the columns it took for them.
    pub fn unsure_list(&self) -> Option<String> {
        let list: Vec<String> = self
            .unsure
            .iter()
            .filter_map(|f| {
                let c = self.columns.iter().find(|c| c.field == Some(*f))?;
                Some(format!("{} = '{}'", f.words(), c.header))
            })
            .collect();
        (!list.is_empty()).then(|| list.join(", "))
    }
}

/// Where the header is and what its columns are.
#[derive(Clone, Debug)]
pub(crate) struct Located {
    /// Index of the header among the rows given.
    pub header_row: usize,
    pub fields: Vec<(SpendField, usize)>,
    pub guess: MappingGuess,
}

/// What one value is, worked out once for every row it is sampled for.
#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    empty: bool,
    money: bool,
    /// Written as money is: pence, separators, £, a sign or brackets.
    shaped: bool,
    zero: bool,
    int: bool,
    year: bool,
    small: bool,
    date: bool,
    text: bool,
    len: u16,
}

fn classify(s: &str) -> Cell {
    if s.is_empty() {
        return Cell {
            empty: true,
            ..Cell::default()
        };
    }
    let b = s.as_bytes();
    let int = b.iter().all(u8::is_ascii_digit);
    let has_digit = b.iter().any(u8::is_ascii_digit);
    let text = s.chars().any(char::is_alphabetic);
    let date = !int
        && has_digit
        && (parse_date(s, DateOrder::DayFirst).is_ok()
            || parse_date(s, DateOrder::MonthFirst).is_ok());
    let pence = (!date && has_digit).then(|| parse_pence(s).ok()).flatten();
    let shaped = pence.is_some() && {
        let frac = s.rsplit_once('.').map(|(_, f)| f.trim_end());
        frac.is_some_and(|f| (1..=2).contains(&f.len()))
            || s.contains([',', '£', '(', '-'])
            || s.to_ascii_lowercase().ends_with("cr")
    };
    let value: Option<u64> = int.then(|| s.parse().ok()).flatten();
    Cell {
        empty: false,
        money: pence.is_some(),
        shaped,
        zero: pence == Some(0),
        int,
        year: b.len() == 4 && value.is_some_and(|v| (1990..=2100).contains(&v)),
        small: value.is_some_and(|v| v <= 31),
        date,
        text,
        len: s.chars().count().min(u16::MAX as usize) as u16,
    }
}

/// A column's values, counted over the sampled rows.
#[derive(Clone, Debug, Default)]
struct Profile {
    rows: usize,
    filled: usize,
    money: usize,
    shaped: usize,
    zero: usize,
    int: usize,
    year: usize,
    small: usize,
    date: usize,
    text: usize,
    distinct: usize,
    /// Whole numbers of the commonest length.
    same_len: usize,
    len_sum: usize,
}

impl Profile {
    fn of(column: usize, rows: &[Vec<String>], cells: &[Vec<Cell>]) -> Profile {
        let mut p = Profile::default();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut lengths: HashMap<u16, usize> = HashMap::new();
        for (row, cs) in rows.iter().zip(cells) {
            if cs.iter().all(|c| c.empty) {
                continue;
            }
            p.rows += 1;
            let Some(c) = cs.get(column).filter(|c| !c.empty) else {
                continue;
            };
            p.filled += 1;
            p.money += c.money as usize;
            p.shaped += c.shaped as usize;
            p.zero += c.zero as usize;
            p.int += c.int as usize;
            p.year += c.year as usize;
            p.small += c.small as usize;
            p.date += c.date as usize;
            p.text += c.text as usize;
            p.len_sum += c.len as usize;
            if c.int {
                *lengths.entry(c.len).or_default() += 1;
            }
            seen.insert(row[column].as_str());
        }
        p.distinct = seen.len();
        p.same_len = lengths.values().copied().max().unwrap_or(0);
        p
    }

    fn share(&self, n: usize) -> f64 {
        if self.filled == 0 {
            0.0
        } else {
            n as f64 / self.filled as f64
        }
    }

    fn fill(&self) -> f64 {
        if self.rows == 0 {
            0.0
        } else {
            self.filled as f64 / self.rows as f64
        }
    }

    fn kind(&self) -> (ValueKind, u8) {
        if self.filled == 0 {
            return (ValueKind::Empty, 0);
        }
        let numbers = self.int.min(self.money - self.money.min(self.shaped));
        let money = self.money - numbers.min(self.money);
        let (kind, n) = [
            (ValueKind::Money, money),
            (ValueKind::Date, self.date),
            (ValueKind::Numbers, numbers),
            (ValueKind::Text, self.text),
        ]
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .unwrap_or((ValueKind::Mixed, 0));
        let share = (self.share(n) * 100.0).round() as u8;
        if share < 50 {
            (ValueKind::Mixed, share)
        } else {
            (kind, share)
        }
    }

    /// Whether the values fit the field at all.
    fn fits(&self, field: SpendField) -> bool {
        if self.filled == 0 {
            return false;
        }
        match field {
            SpendField::Amount => self.share(self.money) >= 0.6 && self.share(self.date) < 0.5,
            SpendField::PaidOn => self.share(self.date) >= 0.6,
            SpendField::Supplier => {
                self.share(self.text) >= 0.6
                    && self.share(self.date) < 0.3
                    && self.share(self.money) < 0.3
            }
            _ => true,
        }
    }

    /// Whether the values plainly contradict a publisher's usual header
    /// for the field (a "Value" column of words): a column with no values
    /// in the rows sampled does not.
    fn contradicts(&self, field: SpendField) -> bool {
        if self.filled == 0 {
            return false;
        }
        match field {
            SpendField::Amount => self.share(self.money) < 0.5,
            SpendField::PaidOn => self.share(self.date) < 0.5,
            SpendField::Supplier => self.share(self.money + self.date) > 0.8,
            _ => false,
        }
    }

    /// How well the values fit the field, about 0–100.
    fn content_score(&self, field: SpendField) -> Option<f64> {
        if !self.fits(field) {
            return None;
        }
        let f = |n: usize| self.share(n);
        let distinct = self.distinct as f64 / self.filled as f64;
        let score = match field {
            SpendField::Amount => {
                let codes = f(self.int) > 0.9
                    && f(self.shaped) < 0.05
                    && self.same_len as f64 > 0.8 * self.int as f64;
                30.0 * f(self.money)
                    + 30.0 * f(self.shaped)
                    + 20.0 * self.fill()
                    + if distinct > 0.2 { 10.0 } else { 0.0 }
                    - 40.0 * f(self.zero)
                    - 40.0 * f(self.year)
                    - 30.0 * f(self.small) * (1.0 - f(self.shaped))
                    - if codes { 30.0 } else { 0.0 }
            }
            SpendField::PaidOn => {
                50.0 * f(self.date)
                    + 20.0 * self.fill()
                    + if self.distinct > 1 { 10.0 } else { 0.0 }
            }
            SpendField::Supplier => {
                let avg = self.len_sum as f64 / self.filled as f64;
                20.0 * f(self.text)
                    + 30.0 * (2.0 * distinct).min(1.0)
                    + 20.0 * self.fill()
                    + if (3.0..=60.0).contains(&avg) {
                        10.0
                    } else {
                        0.0
                    }
            }
            _ => return None,
        };
        Some(score)
    }
}

/// The words of a header, lower case: `SupplierName` → supplier, name;
/// ` £ (net) ` → £, net; `DatePaid` → date, paid.
pub fn header_words(h: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    for c in h.chars() {
        if c.is_alphanumeric() {
            // A capital after a small letter starts a word (camel case).
            if c.is_uppercase() && prev.is_some_and(char::is_lowercase) && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.extend(c.to_lowercase());
        } else {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if matches!(c, '£' | '%' | '$' | '€') {
                words.push(c.to_string());
            }
        }
        prev = Some(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A header's score for a required field from its words alone: positive
/// when it names the field, negative when it names something else
/// (`VAT`, `Number`, `Code`).
fn header_score(field: SpendField, words: &[String]) -> f64 {
    let has = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
    let (strong, weak, against): (&[&str], &[&str], &[&str]) = match field {
        SpendField::Amount => (
            &[
                "amount",
                "amt",
                "£",
                "gbp",
                "value",
                "net",
                "gross",
                "total",
                "sum",
                "spend",
                "spent",
                "cost",
                "price",
                "paid",
                "payment",
                "payments",
                "expenditure",
            ],
            &[],
            &[
                "vat",
                "tax",
                "irrecoverable",
                "recoverable",
                "number",
                "no",
                "num",
                "id",
                "code",
                "ref",
                "reference",
                "year",
                "period",
                "qty",
                "quantity",
                "count",
                "rate",
                "percent",
                "%",
                "account",
                "date",
                "budget",
                "type",
                "category",
            ],
        ),
        SpendField::PaidOn => (
            &["date", "dated", "when", "day"],
            &[
                "paid",
                "payment",
                "posted",
                "posting",
                "transaction",
                "trans",
            ],
            &[
                "effective",
                "invoice",
                "inv",
                "due",
                "created",
                "received",
                "entered",
                "start",
                "end",
                "birth",
                "updated",
            ],
        ),
        SpendField::Supplier => (
            &[
                "supplier",
                "suppliers",
                "payee",
                "beneficiary",
                "vendor",
                "merchant",
                "creditor",
                "recipient",
                "contractor",
                "company",
                "trader",
                "provider",
            ],
            &["name", "to"],
            &[
                "id",
                "number",
                "no",
                "num",
                "code",
                "vat",
                "registration",
                "reg",
                "type",
                "area",
                "category",
                "description",
                "details",
                "detail",
                "department",
                "directorate",
                "entity",
                "family",
                "body",
                "unit",
                "service",
                "account",
                "expense",
                "expenses",
                "expenditure",
                "purpose",
                "label",
                "division",
                "cost",
                "centre",
                "center",
                "reference",
                "ref",
                "card",
                "capital",
                "revenue",
                "address",
                "postcode",
                "group",
                "class",
                "sector",
                "status",
                "method",
                "organisation",
                "organization",
            ],
        ),
        _ => return 0.0,
    };
    let mut s = 0.0;
    if has(strong) {
        s += 40.0;
    } else if has(weak) {
        // "Paid On" names the payment's date nearly as well as "Date" does.
        s += if field == SpendField::PaidOn {
            35.0
        } else {
            20.0
        };
    }
    if field == SpendField::PaidOn && has(strong) && has(weak) {
        s += 10.0;
    }
    if has(against) {
        s -= if field == SpendField::PaidOn {
            10.0
        } else {
            30.0
        };
    }
    s
}

/// A header's score for an optional field from its words: 0 when it does
/// not name it.
fn optional_score(field: SpendField, words: &[String]) -> i32 {
    let has = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
    let weigh = |table: &[(&str, i32)]| {
        table
            .iter()
            .filter(|(w, _)| words.iter().any(|x| x == w))
            .map(|(_, s)| *s)
            .max()
            .unwrap_or(0)
    };
    let names_supplier = has(&[
        "supplier",
        "vendor",
        "creditor",
        "payee",
        "beneficiary",
        "merchant",
    ]);
    let names_id = has(&["id", "number", "no", "num", "code", "ref", "reference"]);
    match field {
        SpendField::SupplierId if names_supplier && names_id => 40,
        SpendField::SupplierId => 0,
        _ if names_supplier => 0,
        // "Ref", or a transaction's (invoice's…) number; never a
        // description, a date or an amount of it (`TRANS VAT DESC`).
        SpendField::Reference
            if has(&[
                "desc",
                "description",
                "details",
                "vat",
                "date",
                "amount",
                "type",
                "value",
            ]) =>
        {
            0
        }
        SpendField::Reference if has(&["reference", "ref"]) => 40,
        SpendField::Reference
            if names_id
                && has(&[
                    "transaction",
                    "trans",
                    "invoice",
                    "document",
                    "payment",
                    "voucher",
                    "journal",
                    "order",
                ]) =>
        {
            30
        }
        SpendField::Reference => 0,
        SpendField::ExpenseType => weigh(&[
            ("type", 30),
            ("category", 30),
            ("subjective", 30),
            ("purpose", 20),
            ("account", 20),
            ("nominal", 20),
            ("expenditure", 10),
            ("expense", 10),
            ("expenses", 10),
        ]),
        SpendField::ExpenseArea => weigh(&[
            ("area", 30),
            ("department", 30),
            ("directorate", 30),
            ("service", 20),
            ("division", 20),
            ("unit", 20),
            ("centre", 20),
            ("center", 20),
            ("team", 20),
            ("organisational", 20),
            ("expenditure", 10),
            ("expense", 10),
            ("expenses", 10),
        ]),
        _ => 0,
    }
}

/// Whether a header is one of the field's usual ones (as [`header_key`],
/// or its words joined: `SupplierName` is `supplier_name`).
fn synonym_rank(field: SpendField, header: &str) -> Option<usize> {
    let key = header_key(header);
    let joined = header_words(header).join("_");
    field
        .synonyms()
        .iter()
        .position(|s| *s == key || *s == joined)
}

/// Whether a row reads as a header: words in at least two cells, hardly
/// any money or dates.
fn header_like(cells: &[Cell]) -> bool {
    let filled = cells.iter().filter(|c| !c.empty).count();
    let values = cells
        .iter()
        .filter(|c| c.date || c.shaped || (c.money && !c.text))
        .count();
    filled >= 2 && values * 4 <= filled
}

/// Finds the header among the first rows and says which column is which
/// field. A row where the saved mapping or the usual headers settle the
/// supplier and the amount wins; failing that, the first header-like row
/// under which values show a supplier and an amount.
pub(crate) fn locate(rows: &[Vec<String>], mapping: &ColumnMapping) -> Option<Located> {
    if let Some(found) = locate_with(rows, mapping) {
        return Some(found);
    }
    // An anchor's saved mapping that fits no row of this file: the anchor
    // changed its export (new headers, a new system). Read the file as one
    // nobody mapped, and say so, rather than refusing a file the usual
    // headers or the values would settle.
    if mapping.0.is_empty() {
        return None;
    }
    let mut found = locate_with(rows, &ColumnMapping::default())?;
    found.guess.mapping_set_aside = true;
    found.guess.certain = false;
    Some(found)
}

fn locate_with(rows: &[Vec<String>], mapping: &ColumnMapping) -> Option<Located> {
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| r.iter().map(|s| classify(s)).collect())
        .collect();
    let candidates = rows.len().min(HEADER_SEARCH_ROWS);
    let sample = |i: usize| {
        let end = rows.len().min(i + 1 + SAMPLE_ROWS);
        (&rows[i + 1..end], &cells[i + 1..end])
    };
    // Only a row naming both (or holding the mapped headers) can be settled.
    let names = |row: &[String], f: SpendField| match mapping.0.iter().find(|(g, _)| *g == f) {
        Some((_, h)) => row.iter().any(|c| header_key(c) == header_key(h)),
        None => row.iter().any(|c| synonym_rank(f, c).is_some()),
    };
    for (i, row) in rows.iter().enumerate().take(candidates) {
        if !(names(row, SpendField::Supplier) && names(row, SpendField::Amount)) {
            continue;
        }
        let (r, c) = sample(i);
        if let Some(found) = guess(row, r, c, mapping, true) {
            return Some(Located {
                header_row: i,
                ..found
            });
        }
    }
    // A banner of a cell or two ("Prepared by:, Finance") is no header
    // for rows of eight values: a header names most of the columns below it.
    let filled = |cs: &[Cell]| cs.iter().filter(|c| !c.empty).count();
    let covers = |i: usize| {
        let below = cells[i + 1..].iter().take(5).map(|r| filled(r)).max();
        below.is_some_and(|n| filled(&cells[i]) * 2 >= n)
    };
    for i in 0..candidates {
        if !header_like(&cells[i]) || !covers(i) {
            continue;
        }
        let (r, c) = sample(i);
        if let Some(found) = guess(&rows[i], r, c, mapping, false) {
            return Some(Located {
                header_row: i,
                ..found
            });
        }
    }
    None
}

/// The columns under `header`, judged on the rows below it. With
/// `settled_only`, `None` unless the mapping or usual headers give the
/// supplier and the amount; otherwise `None` unless something does.
fn guess(
    header: &[String],
    rows: &[Vec<String>],
    cells: &[Vec<Cell>],
    mapping: &ColumnMapping,
    settled_only: bool,
) -> Option<Located> {
    let width = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let profiles: Vec<Profile> = (0..width).map(|c| Profile::of(c, rows, cells)).collect();
    let header_at = |c: usize| header.get(c).map_or("", String::as_str);
    let words: Vec<Vec<String>> = (0..width).map(|c| header_words(header_at(c))).collect();
    let mut chosen: Vec<(SpendField, usize, ChosenBy)> = Vec::new();
    let taken =
        |chosen: &[(SpendField, usize, ChosenBy)], c: usize| chosen.iter().any(|(_, d, _)| *d == c);
    // The saved mapping first: a mapped header missing here rules this row out.
    for (field, h) in &mapping.0 {
        let key = header_key(h);
        let at =
            (0..header.len()).find(|c| header_key(header_at(*c)) == key && !taken(&chosen, *c))?;
        chosen.push((*field, at, ChosenBy::Mapping));
    }
    // Then publishers' usual headers, best first, unless the values say
    // otherwise. Two columns under the same header (two "Amount"s) leave
    // the reader unsure which is meant.
    let mut unsure: Vec<SpendField> = Vec::new();
    for field in SpendField::ALL {
        if chosen.iter().any(|(f, _, _)| *f == field) {
            continue;
        }
        let mut found: Vec<(usize, usize)> = (0..header.len())
            .filter(|c| !taken(&chosen, *c))
            .filter_map(|c| synonym_rank(field, header_at(c)).map(|r| (r, c)))
            .filter(|(_, c)| !profiles[*c].contradicts(field))
            .collect();
        found.sort();
        if let Some((rank, c)) = found.first().copied() {
            if REQUIRED.contains(&field) && found.get(1).is_some_and(|(r, _)| *r == rank) {
                unsure.push(field);
            }
            chosen.push((field, c, ChosenBy::Header));
        }
    }
    let settled = |chosen: &[(SpendField, usize, ChosenBy)], f: SpendField| {
        chosen.iter().any(|(g, _, _)| *g == f)
    };
    if settled_only
        && !(settled(&chosen, SpendField::Supplier) && settled(&chosen, SpendField::Amount))
    {
        return None;
    }
    // Scores for every column and required field the column could hold.
    let scores: Vec<Vec<(SpendField, f64)>> = (0..width)
        .map(|c| {
            REQUIRED
                .iter()
                .filter_map(|f| {
                    let content = profiles[c].content_score(*f)?;
                    Some((*f, content + header_score(*f, &words[c])))
                })
                .collect()
        })
        .collect();
    // The best remaining (field, column) pair first, so a strong amount
    // column is not taken for a weak supplier.
    loop {
        let best = scores
            .iter()
            .enumerate()
            .filter(|(c, _)| !taken(&chosen, *c) && !header_at(*c).is_empty())
            .flat_map(|(c, s)| s.iter().map(move |(f, v)| (*f, c, *v)))
            .filter(|(f, _, _)| !settled(&chosen, *f))
            .filter(|(f, c, v)| *v > 0.0 && header_score(*f, &words[*c]) >= 0.0)
            .max_by(|a, b| a.2.total_cmp(&b.2).then(b.1.cmp(&a.1)));
        let Some((field, c, value)) = best else { break };
        let runner_up = scores
            .iter()
            .enumerate()
            .filter(|(d, _)| *d != c && !taken(&chosen, *d))
            .flat_map(|(_, s)| s.iter().filter(|(f, _)| *f == field).map(|(_, v)| *v))
            .fold(f64::NEG_INFINITY, f64::max);
        let content = profiles[c].content_score(field).unwrap_or(0.0);
        let sure =
            header_score(field, &words[c]) > 0.0 && content >= 40.0 && value - runner_up >= 20.0;
        if !sure {
            unsure.push(field);
        }
        chosen.push((field, c, ChosenBy::Content));
    }
    for f in REQUIRED {
        if !settled(&chosen, f) && !unsure.contains(&f) {
            unsure.push(f);
        }
    }
    if !(settled(&chosen, SpendField::Supplier) && settled(&chosen, SpendField::Amount)) {
        return None;
    }
    // Optional fields a header's words name, the clearest first.
    let mut optional: Vec<(i32, SpendField, usize)> = (0..header.len())
        .flat_map(|c| {
            SpendField::ALL
                .into_iter()
                .filter(|f| !REQUIRED.contains(f))
                .map(move |f| (f, c))
        })
        .map(|(f, c)| (optional_score(f, &words[c]), f, c))
        .filter(|(s, _, c)| *s >= 20 && profiles[*c].share(profiles[*c].date) < 0.5)
        .collect();
    optional.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    for (_, f, c) in optional {
        if !settled(&chosen, f) && !taken(&chosen, c) {
            chosen.push((f, c, ChosenBy::Content));
        }
    }
    chosen.sort_by_key(|(f, _, _)| SpendField::ALL.iter().position(|g| g == f));
    let columns = (0..width)
        .map(|c| {
            let at = chosen.iter().find(|(_, d, _)| *d == c);
            let (looks_like, share) = profiles[c].kind();
            ColumnGuess {
                number: c + 1,
                header: header_at(c).to_string(),
                field: at.map(|(f, _, _)| *f),
                chosen_by: at.map(|(_, _, b)| *b),
                looks_like,
                share,
                filled: (profiles[c].fill() * 100.0).round() as u8,
                scores: scores[c]
                    .iter()
                    .map(|(f, v)| (*f, v.round() as i32))
                    .collect(),
            }
        })
        .collect();
    unsure.sort_by_key(|f| SpendField::ALL.iter().position(|g| g == f));
    Some(Located {
        header_row: 0,
        fields: chosen.iter().map(|(f, c, _)| (*f, *c)).collect(),
        guess: MappingGuess {
            mapping: ColumnMapping(
                chosen
                    .iter()
                    .map(|(f, c, _)| (*f, header_at(*c).to_string()))
                    .collect(),
            ),
            certain: unsure.is_empty(),
            unsure,
            columns,
            mapping_set_aside: false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(|s| s.trim().to_string()).collect())
            .collect()
    }

    fn field_of(l: &Located, f: SpendField) -> Option<usize> {
        l.fields.iter().find(|(g, _)| *g == f).map(|(_, c)| *c)
    }

    #[test]
    fn header_words_split_camel_case_and_symbols() {
        assert_eq!(header_words("SupplierName"), ["supplier", "name"]);
        assert_eq!(header_words(" £ (net) "), ["£", "net"]);
        assert_eq!(
            header_words("Irrecoverable VAT Amount"),
            ["irrecoverable", "vat", "amount"]
        );
        assert_eq!(
            header_words("9AN - Level 9 Account Name"),
            ["9an", "level", "9", "account", "name"]
        );
        assert_eq!(header_words("DatePaid"), ["date", "paid"]);
        assert_eq!(header_words("VAT"), ["vat"]);
    }

    #[test]
    fn values_are_classified() {
        let c = classify("\"1,234.56\"".trim_matches('"'));
        assert!(c.money && c.shaped && !c.date && !c.int);
        let c = classify("30/04/2020");
        assert!(c.date && !c.money);
        let c = classify("205");
        assert!(c.money && c.int && !c.shaped && !c.small);
        let c = classify("2020");
        assert!(c.year && c.int);
        let c = classify("0.00");
        assert!(c.zero && c.shaped);
        let c = classify("1012-00001");
        assert!(!c.money && !c.date);
        let c = classify("ACME LTD");
        assert!(c.text && !c.money);
    }

    #[test]
    fn usual_headers_settle_and_are_certain() {
        let r = rows(
            "Date Paid,Supplier Name,Amount,Expense Type\n\
             02/04/2020,Bywest Ltd,67132.60,Building\n\
             03/04/2020,ACME LTD,-100.00,Drugs",
        );
        let l = locate(&r, &ColumnMapping::default()).unwrap();
        assert_eq!(l.header_row, 0);
        assert!(l.guess.certain);
        assert_eq!(field_of(&l, SpendField::Amount), Some(2));
        assert_eq!(field_of(&l, SpendField::ExpenseType), Some(3));
        assert_eq!(
            l.guess.columns[2].chosen_by,
            Some(ChosenBy::Header),
            "{:?}",
            l.guess
        );
    }

    #[test]
    fn a_usual_header_whose_values_disagree_is_scored_instead() {
        // "Value" is a usual amount header, but here it holds words.
        let r = rows(
            "Date,Supplier,Value,Net £\n\
             02/04/2020,A LTD,High,12.50\n\
             03/04/2020,B LTD,Low,99.10\n\
             04/04/2020,C LTD,Low,7.00",
        );
        let l = locate(&r, &ColumnMapping::default()).unwrap();
        assert_eq!(field_of(&l, SpendField::Amount), Some(3));
        assert_eq!(l.guess.columns[3].chosen_by, Some(ChosenBy::Content));
    }
}
