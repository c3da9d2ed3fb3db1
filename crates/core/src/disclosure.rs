//! Small-number disclosure control for every published figure that counts
//! people (or money of people).
//!
//! # The rule
//!
//! A programme sets `k` (default 5). A count from 1 to k − 1 is not shown: it
//! reads "fewer than k". Zero **is** shown. That is the usual practice of UK
//! health statistics (NHS Digital's rules for Hospital Episode Statistics
//! replace 1 to 7 with `*` and publish zeros; the ONS does the same for most
//! tables): a zero names nobody, and hiding zeros would hide most cells of a
//! sparse table (staff group × band) and then force far more secondary
//! suppression. Our rule is simpler than NHS Digital's (no rounding of the
//! other figures): 1..k−1 is suppressed, everything else is exact.
//!
//! Because zeros are shown, "fewer than k" tells a reader the number is from
//! 1 to k − 1, so `k` must be at least 3: with k = 2, "fewer than 2" would
//! mean exactly 1 and the rule would publish what it claims to hide.
//!
//! # Secondary suppression
//!
//! A total minus the shown cells can give a suppressed cell away. Where it
//! would, further cells are withheld: they read "withheld", not "fewer than k"
//! (that would be false of a withheld 30). The reader is assumed to know what
//! each label says and that zeros are always shown, so a "fewer than k" cell
//! is 1..k−1 and a "withheld" one is 1 or more (a zero is never withheld: it
//! would protect nothing). After suppression no suppressed cell — and no
//! count of people hidden inside a nested series — has only one value
//! consistent with what is shown; the tests check that by brute force.
//!
//! Structures handled:
//! - a list with no total (nothing to subtract from: primary suppression only);
//! - a list whose total is the sum of its cells (`Total::Sum`);
//! - a list of groups a person may be in several of, with the number of
//!   people in any (`Total::Overlapping`: the barrier report). The total is
//!   not a sum, so subtraction gives only bounds (a cell is at least the
//!   total minus the other cells, at most the total); those bounds can still
//!   pin a cell, so they are checked exactly and protected the same way;
//! - a two-way table with row, column and grand totals (staff group × band);
//! - a hierarchy where each figure's parts add up to at most the figure
//!   (`Tree`); what the parts leave over is a count of people too, never
//!   shown but protected;
//! - a nested series such as a funnel, where each stage is a subset of the
//!   one before (`suppress_chain`). It is not additive, but the difference
//!   between two stages is the number of people who stopped there, and a
//!   reader gets it by subtraction: so a chain is protected as a hierarchy in
//!   which each stage is the next stage plus those who stopped.
//!
//! Cells to withhold are chosen deterministically: the smallest shown cell
//! (cells before subtotals before grand totals, then by size, then by
//! position) that lets the exposed cell move; then any cell withheld but not
//! needed is shown again, totals first. When nothing shown is left to
//! withhold and a "fewer than k" bound still pins a cell (two cells of 1
//! under a total of 2 with k = 3), a suppressed figure is relabelled
//! "withheld", which claims no upper bound.
//!
//! # Money
//!
//! Pay and other money of people carry the people count. The pattern is
//! worked out on the counts and applied to the money: a cell of pay is hidden
//! exactly where its people are. Wherever counts can move consistently with
//! the shown figures, so can money (every hidden money cell being above 0),
//! so no hidden amount follows from the shown ones either. A cell of many
//! people dominated by one salary is not a small-number question and is not
//! handled here.
//!
//! # Who sees what
//!
//! Roles with the right to personal data see exact figures, marked `Exact`
//! and labelled so (`Viewer::label`). Everyone else sees the suppressed
//! figures on pages, in charts, API answers and CSV downloads alike.

use std::cmp::Reverse;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::i18n::{Message, format_count, t, tf};
use crate::money::{Pence, format_pence, plain_pence};
use crate::validation::{Errors, Invalid};

/// The threshold a programme starts with: counts of 1 to 4 are suppressed.
pub const DEFAULT_K: u32 = 5;
/// With zeros shown, "fewer than 2" would mean exactly 1.
pub const MIN_K: u32 = 3;
/// Larger than any threshold in UK or US health statistics practice (the
/// largest common one suppresses 1 to 10); beyond it most tables vanish.
pub const MAX_K: u32 = 20;

/// The programme's disclosure setting, always within `MIN_K..=MAX_K`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawSettings")]
pub struct DisclosureSettings {
    k: u32,
}

#[derive(Deserialize)]
struct RawSettings {
    k: u32,
}

impl TryFrom<RawSettings> for DisclosureSettings {
    type Error = Invalid;
    fn try_from(raw: RawSettings) -> Result<Self, Invalid> {
        DisclosureSettings::new(raw.k)
    }
}

impl Default for DisclosureSettings {
    fn default() -> Self {
        DisclosureSettings { k: DEFAULT_K }
    }
}

impl DisclosureSettings {
    /// A stored or computed threshold, checked by the same rule as the form.
    pub fn new(k: u32) -> Result<Self, Invalid> {
        let mut e = Errors::new();
        check_k(&mut e, k);
        e.finish(|| DisclosureSettings { k })
    }

    /// Counts from 1 to `k − 1` are suppressed.
    pub fn k(&self) -> u32 {
        self.k
    }
}

fn check_k(e: &mut Errors, k: u32) {
    if k < MIN_K {
        e.add(
            "k",
            Message::new("disclosure.settings.k_too_small").arg("min", MIN_K),
        );
    } else if k > MAX_K {
        e.add(
            "k",
            Message::new("disclosure.settings.k_too_large").arg("max", MAX_K),
        );
    }
}

/// The disclosure setting as typed on the programme's settings form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosureSettingsInput {
    /// Counts from 1 to k − 1 are hidden from roles without personal-data
    /// rights: a whole number from 3 to 20.
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = k_choices))]
    pub k: String,
}

#[cfg(feature = "openapi")]
fn k_choices() -> utoipa::openapi::schema::Object {
    crate::openapi::whole_number_text(MIN_K, MAX_K, false)
}

impl DisclosureSettingsInput {
    pub fn validate(&self) -> Result<DisclosureSettings, Invalid> {
        let mut e = Errors::new();
        let raw = self.k.trim();
        let k = if raw.is_empty() {
            e.add("k", Message::new("disclosure.settings.k_required"));
            None
        } else if let Ok(k) = raw.parse::<u32>() {
            check_k(&mut e, k);
            Some(k)
        } else {
            e.add(
                "k",
                Message::new("disclosure.settings.k_whole").arg("value", raw),
            );
            None
        };
        e.finish(|| DisclosureSettings {
            k: k.unwrap_or(DEFAULT_K),
        })
    }
}

/// A figure as published: a count of people (`u64`) or their money.
pub trait Figure: Copy {
    /// The catalogue key of "fewer than {k}" for this kind of figure.
    const FEWER_THAN: &'static str;
    /// How a person reads it: `1,234` or `£1,234.56`.
    fn text(self) -> String;
    /// How a spreadsheet reads it: `1234` or `1234.56`.
    fn csv(self) -> String;
}

impl Figure for u64 {
    const FEWER_THAN: &'static str = "disclosure.fewer_than";
    fn text(self) -> String {
        format_count(self)
    }
    fn csv(self) -> String {
        self.to_string()
    }
}

/// Money of people (pay, income), in pence. Its cell is hidden wherever the
/// count of the people it belongs to is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Money(pub Pence);

impl Figure for Money {
    const FEWER_THAN: &'static str = "disclosure.money_fewer_than";
    fn text(self) -> String {
        format_pence(self.0)
    }
    fn csv(self) -> String {
        plain_pence(self.0)
    }
}

/// Money and the number of people it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paid {
    pub people: u64,
    pub pence: Pence,
}

/// One published figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell<V = u64> {
    /// The figure, for everyone.
    Shown(V),
    /// A count from 1 to `below − 1` (or money of that many people).
    Suppressed { below: u32 },
    /// Not shown because, with the totals, it would give a suppressed figure
    /// away. Any size from 1 up.
    Withheld { below: u32 },
    /// The figure for a role with the right to personal data: may be under
    /// the threshold; the page says so (`Viewer::label`).
    Exact(V),
}

impl<V: Figure> Cell<V> {
    /// The figure, where this viewer may see it.
    pub fn value(&self) -> Option<V> {
        match *self {
            Cell::Shown(v) | Cell::Exact(v) => Some(v),
            Cell::Suppressed { .. } | Cell::Withheld { .. } => None,
        }
    }

    pub fn is_hidden(&self) -> bool {
        self.value().is_none()
    }

    /// What a person reads in a table cell: `12`, `fewer than 5`, `withheld`.
    pub fn text(&self) -> String {
        match *self {
            Cell::Shown(v) | Cell::Exact(v) => v.text(),
            Cell::Suppressed { below } => tf(V::FEWER_THAN, &[("k", &below.to_string())]),
            Cell::Withheld { .. } => t("disclosure.withheld").to_string(),
        }
    }

    /// The value column of a CSV download: the number, or empty when hidden.
    ///
    /// CSV files are read by spreadsheets, pandas and R, which turn a column
    /// holding any text into text (or refuse it): one "fewer than 5" would
    /// stop a column of counts adding up. An empty value reads as missing,
    /// which is what it is, and never as 0; the reason is in the note
    /// column beside it (`csv_note`).
    pub fn csv_value(&self) -> String {
        match *self {
            Cell::Shown(v) | Cell::Exact(v) => v.csv(),
            Cell::Suppressed { .. } | Cell::Withheld { .. } => String::new(),
        }
    }

    /// The note column beside `csv_value`: why a value is missing, or that
    /// it is exact (personal data); empty for an ordinary shown figure.
    pub fn csv_note(&self) -> String {
        match self {
            Cell::Shown(_) => String::new(),
            Cell::Exact(_) => t("disclosure.csv.exact").to_string(),
            Cell::Suppressed { .. } | Cell::Withheld { .. } => self.text(),
        }
    }
}

/// The header of the note column that goes beside a value column.
pub fn csv_note_column(value_column: &str) -> String {
    tf("disclosure.csv.note_column", &[("column", value_column)])
}

/// API answers: `{"value": 12, "text": "12"}`, `{"value": 3, "exact": true,
/// …}`, `{"value": null, "suppressed": "fewer_than", "below": 5, "text":
/// "fewer than 5"}` or `"suppressed": "withheld"`: a client reads `value`
/// and never mistakes a hidden figure for 0.
impl<V: Figure + Serialize> Serialize for Cell<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Cell::Shown(v) => m.serialize_entry("value", v)?,
            Cell::Exact(v) => {
                m.serialize_entry("value", v)?;
                m.serialize_entry("exact", &true)?;
            }
            Cell::Suppressed { below } => {
                m.serialize_entry("value", &None::<V>)?;
                m.serialize_entry("suppressed", "fewer_than")?;
                m.serialize_entry("below", below)?;
            }
            Cell::Withheld { below } => {
                m.serialize_entry("value", &None::<V>)?;
                m.serialize_entry("suppressed", "withheld")?;
                m.serialize_entry("below", below)?;
            }
        }
        m.serialize_entry("text", &self.text())?;
        m.end()
    }
}

/// The footnotes a table needs for the cells it shows: what "fewer than k"
/// and "withheld" mean, and that exact figures are personal data.
pub fn notes<'a, V: Figure + 'a>(cells: impl IntoIterator<Item = &'a Cell<V>>) -> Vec<Message> {
    let (mut fewer, mut withheld, mut exact) = (None, None, false);
    for c in cells {
        match *c {
            Cell::Suppressed { below } => fewer = Some(below),
            Cell::Withheld { below } => withheld = Some(below),
            Cell::Exact(_) => exact = true,
            Cell::Shown(_) => {}
        }
    }
    let mut out = Vec::new();
    if let Some(k) = fewer {
        out.push(
            Message::new("disclosure.note.fewer_than")
                .arg("k", k)
                .arg("max", k - 1),
        );
    }
    if let Some(k) = withheld {
        out.push(Message::new("disclosure.note.withheld").arg("k", k));
    }
    if exact {
        out.push(Message::new("disclosure.note.exact"));
    }
    out
}

/// What total, if any, a list is published with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Total {
    /// No total: nothing to subtract from.
    None,
    /// The sum of the cells: each person is in exactly one cell.
    Sum,
    /// The number of people in any cell, where a person may be in several
    /// (people with any barrier). Not a sum.
    Overlapping(u64),
}

/// A list as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(bound = "V: Figure + Serialize")]
pub struct List<V = u64> {
    pub cells: Vec<Cell<V>>,
    pub total: Option<Cell<V>>,
}

impl<V: Figure> List<V> {
    pub fn all_cells(&self) -> impl Iterator<Item = &Cell<V>> {
        self.cells.iter().chain(self.total.iter())
    }

    pub fn notes(&self) -> Vec<Message> {
        notes(self.all_cells())
    }
}

/// A two-way table with its margins as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(bound = "V: Figure + Serialize")]
pub struct Table<V = u64> {
    pub cells: Vec<Vec<Cell<V>>>,
    pub row_totals: Vec<Cell<V>>,
    pub column_totals: Vec<Cell<V>>,
    pub total: Cell<V>,
}

impl<V: Figure> Table<V> {
    pub fn all_cells(&self) -> impl Iterator<Item = &Cell<V>> {
        self.cells
            .iter()
            .flatten()
            .chain(&self.row_totals)
            .chain(&self.column_totals)
            .chain(std::iter::once(&self.total))
    }

    pub fn notes(&self) -> Vec<Message> {
        notes(self.all_cells())
    }
}

/// A figure and the figures it is made of (all staff → staff groups →
/// bands). The parts add up to at most the whole; what they leave over is a
/// count of people that is never shown and is protected like any cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    pub value: u64,
    pub parts: Vec<Tree>,
}

impl Tree {
    pub fn leaf(value: u64) -> Tree {
        Tree {
            value,
            parts: Vec::new(),
        }
    }
}

/// A hierarchy as published, in the shape of its `Tree`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TreeCells {
    pub cell: Cell,
    pub parts: Vec<TreeCells>,
}

impl TreeCells {
    pub fn all_cells(&self) -> Vec<&Cell> {
        let mut out = vec![&self.cell];
        for p in &self.parts {
            out.extend(p.all_cells());
        }
        out
    }
}

/// Figures that cannot describe a real population: a caller's bug, never
/// something a person typed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    #[error("row {row} has {found} cells where the first row has {expected}")]
    Ragged {
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("the parts of {whole} add up to {parts}, more than the whole")]
    PartsExceedWhole { whole: u64, parts: u64 },
    #[error("stage {stage} ({value}) is larger than the stage before it ({before})")]
    NotNested {
        stage: usize,
        value: u64,
        before: u64,
    },
    #[error(
        "{total} people in any group cannot be fewer than one group's {part} nor more than all groups' {sum}"
    )]
    NotAUnion { total: u64, part: u64, sum: u64 },
    #[error("the figures into equation {node} add up to {into}, those out of it to {out}")]
    Unbalanced { node: usize, into: u64, out: u64 },
}

/// Who is looking, and the programme's threshold. Callers build one per
/// request and ask it for every published figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewer {
    exact: bool,
    k: u32,
}

impl Viewer {
    /// `exact`: the viewer's role has the right to personal data.
    pub fn new(settings: DisclosureSettings, exact: bool) -> Viewer {
        Viewer {
            exact,
            k: settings.k,
        }
    }

    pub fn exact(&self) -> bool {
        self.exact
    }

    pub fn k(&self) -> u32 {
        self.k
    }

    fn settings(&self) -> DisclosureSettings {
        DisclosureSettings { k: self.k }
    }

    /// The label a page shows above exact figures.
    pub fn label(&self) -> Option<Message> {
        self.exact
            .then(|| Message::new("disclosure.exact_label").arg("k", self.k))
    }

    /// A figure published on its own.
    pub fn count(&self, n: u64) -> Cell {
        if self.exact {
            Cell::Exact(n)
        } else {
            single(n, self.k)
        }
    }

    /// Money of `people` published on its own.
    pub fn paid(&self, p: Paid) -> Cell<Money> {
        if self.exact {
            Cell::Exact(Money(p.pence))
        } else {
            carry(single(p.people, self.k), Money(p.pence))
        }
    }

    pub fn list(&self, values: &[u64], total: Total) -> Result<List, ShapeError> {
        if self.exact {
            check_list(values, total)?;
            Ok(List {
                cells: values.iter().map(|&v| Cell::Exact(v)).collect(),
                total: list_total(values, total).map(Cell::Exact),
            })
        } else {
            suppress_list(values, total, self.settings())
        }
    }

    pub fn table(&self, rows: &[Vec<u64>]) -> Result<Table, ShapeError> {
        if self.exact {
            check_table(rows)?;
            Ok(exact_table(rows))
        } else {
            suppress_table(rows, self.settings())
        }
    }

    pub fn tree(&self, root: &Tree) -> Result<TreeCells, ShapeError> {
        if self.exact {
            check_tree(root)?;
            fn go(t: &Tree) -> TreeCells {
                TreeCells {
                    cell: Cell::Exact(t.value),
                    parts: t.parts.iter().map(go).collect(),
                }
            }
            Ok(go(root))
        } else {
            suppress_tree(root, self.settings())
        }
    }

    /// The figures of a `Network`, in the order they were added.
    pub fn network(&self, n: Network) -> Result<Vec<Cell>, ShapeError> {
        if self.exact {
            n.check()?;
            Ok((0..n.b.values.len())
                .filter(|&i| !n.b.hidden[i])
                .map(|i| Cell::Exact(n.b.values[i]))
                .collect())
        } else {
            n.suppress(self.settings())
        }
    }

    pub fn chain(&self, stages: &[u64]) -> Result<Vec<Cell>, ShapeError> {
        if self.exact {
            check_chain(stages)?;
            Ok(stages.iter().map(|&v| Cell::Exact(v)).collect())
        } else {
            suppress_chain(stages, self.settings())
        }
    }

    /// People and their money, with the money's sum as total when
    /// `with_total`: the same cells are hidden in both.
    pub fn paid_list(&self, items: &[Paid], with_total: bool) -> (List, List<Money>) {
        let people: Vec<u64> = items.iter().map(|p| p.people).collect();
        let total = if with_total { Total::Sum } else { Total::None };
        let count = if self.exact {
            List {
                cells: people.iter().map(|&v| Cell::Exact(v)).collect(),
                total: list_total(&people, total).map(Cell::Exact),
            }
        } else {
            suppress_list(&people, total, self.settings())
                .expect("a list with no total or its sum is always a population")
        };
        let money = List {
            cells: count
                .cells
                .iter()
                .zip(items)
                .map(|(c, p)| carry(*c, Money(p.pence)))
                .collect(),
            total: count
                .total
                .map(|c| carry(c, Money(items.iter().map(|p| p.pence).sum()))),
        };
        (count, money)
    }

    /// A two-way table of people and their money: the same cells are hidden
    /// in both.
    pub fn paid_table(&self, rows: &[Vec<Paid>]) -> Result<(Table, Table<Money>), ShapeError> {
        let people: Vec<Vec<u64>> = rows
            .iter()
            .map(|r| r.iter().map(|p| p.people).collect())
            .collect();
        let count = self.table(&people)?;
        let pence: Vec<Vec<Pence>> = rows
            .iter()
            .map(|r| r.iter().map(|p| p.pence).collect())
            .collect();
        let money_sums = exact_table(&pence);
        let carry_all = |cells: &[Cell], money: &[Cell<Money>]| -> Vec<Cell<Money>> {
            cells
                .iter()
                .zip(money)
                .map(|(c, m)| carry(*c, m.value().expect("exact")))
                .collect()
        };
        let money = Table {
            cells: count
                .cells
                .iter()
                .zip(&money_sums.cells)
                .map(|(c, m)| carry_all(c, m))
                .collect(),
            row_totals: carry_all(&count.row_totals, &money_sums.row_totals),
            column_totals: carry_all(&count.column_totals, &money_sums.column_totals),
            total: carry(
                count.total,
                money_sums.total.value().expect("an exact total"),
            ),
        };
        Ok((count, money))
    }
}

/// The same disclosure as a count's cell, for the money of those people.
fn carry(count: Cell, money: Money) -> Cell<Money> {
    match count {
        Cell::Shown(_) => Cell::Shown(money),
        Cell::Exact(_) => Cell::Exact(money),
        Cell::Suppressed { below } => Cell::Suppressed { below },
        Cell::Withheld { below } => Cell::Withheld { below },
    }
}

fn single(n: u64, k: u32) -> Cell {
    if (1..u64::from(k)).contains(&n) {
        Cell::Suppressed { below: k }
    } else {
        Cell::Shown(n)
    }
}

/// A figure that adds up exactly, for exact viewers' and money's totals.
trait Exactly: Copy {
    type Fig: Figure;
    fn wide(self) -> i128;
    fn fig(sum: i128) -> Self::Fig;
}

impl Exactly for u64 {
    type Fig = u64;
    fn wide(self) -> i128 {
        i128::from(self)
    }
    fn fig(sum: i128) -> u64 {
        sum as u64
    }
}

impl Exactly for Pence {
    type Fig = Money;
    fn wide(self) -> i128 {
        i128::from(self)
    }
    fn fig(sum: i128) -> Money {
        Money(sum as Pence)
    }
}

fn exact_table<T: Exactly>(rows: &[Vec<T>]) -> Table<T::Fig> {
    let width = rows.first().map_or(0, Vec::len);
    let mut columns = vec![0i128; width];
    let mut row_totals = Vec::with_capacity(rows.len());
    let mut cells = Vec::with_capacity(rows.len());
    for r in rows {
        let mut sum = 0i128;
        for (j, v) in r.iter().enumerate() {
            sum += v.wide();
            columns[j] += v.wide();
        }
        row_totals.push(Cell::Exact(T::fig(sum)));
        cells.push(r.iter().map(|v| Cell::Exact(T::fig(v.wide()))).collect());
    }
    let grand = columns.iter().sum();
    Table {
        cells,
        row_totals,
        column_totals: columns
            .into_iter()
            .map(|s| Cell::Exact(T::fig(s)))
            .collect(),
        total: Cell::Exact(T::fig(grand)),
    }
}

fn list_total(values: &[u64], total: Total) -> Option<u64> {
    match total {
        Total::None => None,
        Total::Sum => Some(values.iter().sum()),
        Total::Overlapping(t) => Some(t),
    }
}

fn check_list(values: &[u64], total: Total) -> Result<(), ShapeError> {
    if let Total::Overlapping(t) = total {
        let part = values.iter().copied().max().unwrap_or(0);
        let sum: u64 = values.iter().sum();
        if t < part || t > sum {
            return Err(ShapeError::NotAUnion {
                total: t,
                part,
                sum,
            });
        }
    }
    Ok(())
}

fn check_table(rows: &[Vec<u64>]) -> Result<(), ShapeError> {
    let expected = rows.first().map_or(0, Vec::len);
    match rows.iter().position(|r| r.len() != expected) {
        Some(row) => Err(ShapeError::Ragged {
            row,
            expected,
            found: rows[row].len(),
        }),
        None => Ok(()),
    }
}

fn check_tree(t: &Tree) -> Result<(), ShapeError> {
    let parts: u64 = t.parts.iter().map(|p| p.value).sum();
    if !t.parts.is_empty() && parts > t.value {
        return Err(ShapeError::PartsExceedWhole {
            whole: t.value,
            parts,
        });
    }
    t.parts.iter().try_for_each(check_tree)
}

fn check_chain(stages: &[u64]) -> Result<(), ShapeError> {
    match stages.windows(2).position(|w| w[1] > w[0]) {
        Some(i) => Err(ShapeError::NotNested {
            stage: i + 1,
            value: stages[i + 1],
            before: stages[i],
        }),
        None => Ok(()),
    }
}

/// A list with no total, a total that is its sum, or the number of people in
/// any of its groups, as a viewer without personal-data rights sees it.
pub fn suppress_list(
    values: &[u64],
    total: Total,
    settings: DisclosureSettings,
) -> Result<List, ShapeError> {
    check_list(values, total)?;
    let k = settings.k;
    match total {
        // Nothing to subtract from: each cell stands alone, and k ≥ 3 leaves
        // every "fewer than k" at least two values.
        Total::None => Ok(List {
            cells: values.iter().map(|&v| single(v, k)).collect(),
            total: None,
        }),
        Total::Sum => {
            let mut b = Builder::default();
            let (cells, whole) = (b.node(), b.node());
            for &v in values {
                b.edge(cells, whole, v, 0, false);
            }
            b.edge(whole, cells, values.iter().sum(), 1, false);
            let p = b.finish(k);
            let out = published(&p, &protect(&p), k);
            Ok(List {
                cells: out[..values.len()].to_vec(),
                total: Some(out[values.len()]),
            })
        }
        Total::Overlapping(t) => {
            let n = values.len();
            let mut all = values.to_vec();
            all.push(t);
            let mut rank = vec![0; n];
            rank.push(1);
            let p = Problem {
                k: u64::from(k),
                hidden: vec![false; n + 1],
                values: all,
                rank,
                shape: Shape::Union { total: n },
            };
            let out = published(&p, &protect(&p), k);
            Ok(List {
                cells: out[..n].to_vec(),
                total: Some(out[n]),
            })
        }
    }
}

/// A two-way table (rows × columns of people) with its row, column and grand
/// totals worked out here, as a viewer without personal-data rights sees it.
pub fn suppress_table(
    rows: &[Vec<u64>],
    settings: DisclosureSettings,
) -> Result<Table, ShapeError> {
    check_table(rows)?;
    let k = settings.k;
    let (m, n) = (rows.len(), rows.first().map_or(0, Vec::len));
    let mut b = Builder::default();
    let row_node: Vec<usize> = (0..m).map(|_| b.node()).collect();
    let column_node: Vec<usize> = (0..n).map(|_| b.node()).collect();
    let (into_total, out_of_total) = (b.node(), b.node());
    // Each figure is an arc and each total an equation "in = out", so the
    // published table is a circulation: a row total flows into its row, out
    // through the row's cells into their columns, out through the column
    // totals and back through the grand total.
    for (i, r) in rows.iter().enumerate() {
        for (j, &v) in r.iter().enumerate() {
            b.edge(row_node[i], column_node[j], v, 0, false);
        }
    }
    for (i, r) in rows.iter().enumerate() {
        b.edge(out_of_total, row_node[i], r.iter().sum(), 1, false);
    }
    for j in 0..n {
        b.edge(
            column_node[j],
            into_total,
            rows.iter().map(|r| r[j]).sum(),
            1,
            false,
        );
    }
    b.edge(
        into_total,
        out_of_total,
        rows.iter().flatten().sum(),
        2,
        false,
    );
    let p = b.finish(k);
    let out = published(&p, &protect(&p), k);
    Ok(Table {
        cells: (0..m).map(|i| out[i * n..(i + 1) * n].to_vec()).collect(),
        row_totals: out[m * n..m * n + m].to_vec(),
        column_totals: out[m * n + m..m * n + m + n].to_vec(),
        total: out[m * n + m + n],
    })
}

/// A hierarchy of figures, each made of (at most) its parts, as a viewer
/// without personal-data rights sees it.
pub fn suppress_tree(root: &Tree, settings: DisclosureSettings) -> Result<TreeCells, ShapeError> {
    check_tree(root)?;
    let k = settings.k;
    let mut b = Builder::default();
    let hub = b.node();
    let mut rest = Vec::new();
    flatten(root, hub, hub, 0, &mut b, &mut rest);
    for (node, v) in rest {
        b.edge(node, hub, v, 3, true);
    }
    let p = b.finish(k);
    let out = published(&p, &protect(&p), k);
    let mut next = out.iter();
    fn rebuild<'a>(t: &Tree, next: &mut impl Iterator<Item = &'a Cell>) -> TreeCells {
        let cell = *next.next().expect("one cell per figure");
        TreeCells {
            cell,
            parts: t.parts.iter().map(|p| rebuild(p, next)).collect(),
        }
    }
    Ok(rebuild(root, &mut next))
}

/// A figure is an arc from its whole's equation to its own (a leaf's goes to
/// the hub, where every figure without parts ends); what its parts leave
/// over is a hidden arc from its equation to the hub, added afterwards so
/// that the published figures come first, in pre-order.
fn flatten(
    t: &Tree,
    from: usize,
    hub: usize,
    depth: usize,
    b: &mut Builder,
    rest: &mut Vec<(usize, u64)>,
) {
    let to = if t.parts.is_empty() { hub } else { b.node() };
    let rank = match (depth, t.parts.is_empty()) {
        (0, _) => 2,
        (_, true) => 0,
        (_, false) => 1,
    };
    b.edge(from, to, t.value, rank, false);
    if t.parts.is_empty() {
        return;
    }
    let parts: u64 = t.parts.iter().map(|p| p.value).sum();
    // Parts that add up to the whole are taken to be known to cover it (the
    // reader may well know the groups are exhaustive): assuming the reader
    // knows more can only hide more.
    if parts < t.value {
        rest.push((to, t.value - parts));
    }
    for p in &t.parts {
        flatten(p, to, hub, depth + 1, b, rest);
    }
}

/// A nested series (a funnel: each stage a subset of the one before), as a
/// viewer without personal-data rights sees it. The people who stopped at a
/// stage are a hidden count, protected like a cell.
pub fn suppress_chain(
    stages: &[u64],
    settings: DisclosureSettings,
) -> Result<Vec<Cell>, ShapeError> {
    check_chain(stages)?;
    let Some((&last, before)) = stages.split_last() else {
        return Ok(Vec::new());
    };
    let mut tree = Tree::leaf(last);
    for &v in before.iter().rev() {
        tree = Tree {
            value: v,
            parts: vec![tree],
        };
    }
    let cells = suppress_tree(&tree, settings)?;
    let mut out = Vec::with_capacity(stages.len());
    let mut at = &cells;
    loop {
        out.push(at.cell);
        match at.parts.first() {
            Some(p) => at = p,
            None => return Ok(out),
        }
    }
}

/// How soon a figure is withheld to protect another: cells before subtotals
/// before grand totals (readers look for the totals).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Cell,
    Subtotal,
    Total,
}

/// Figures related by equations that no list, table or hierarchy describes
/// alone: the talent funnel, where "registered" and "into work" are both
/// parts of "on the pathway" and overlap (a person may be both).
///
/// Each equation is a node and each figure an arc between two: at every
/// node what flows in equals what flows out. A count the structure implies
/// but never publishes (the people both registered and in work) is an
/// `implied` arc: never shown, and protected like any cell. Whatever can be
/// written so — sums, margins, nested stages, overlaps split into their
/// disjoint parts — is protected by the same search as the other shapes.
#[derive(Default)]
pub struct Network {
    b: Builder,
}

impl Network {
    pub fn new() -> Network {
        Network::default()
    }

    /// A new equation.
    pub fn node(&mut self) -> usize {
        self.b.node()
    }

    /// A published figure. Figures are published in the order they are
    /// added.
    pub fn figure(&mut self, from: usize, to: usize, value: u64, level: Level) {
        let rank = match level {
            Level::Cell => 0,
            Level::Subtotal => 1,
            Level::Total => 2,
        };
        self.b.edge(from, to, value, rank, false);
    }

    /// A count the structure implies and never publishes.
    pub fn implied(&mut self, from: usize, to: usize, value: u64) {
        self.b.edge(from, to, value, 3, true);
    }

    fn check(&self) -> Result<(), ShapeError> {
        let mut into = vec![0u64; self.b.nodes];
        let mut out = vec![0u64; self.b.nodes];
        for i in 0..self.b.values.len() {
            out[self.b.from[i]] += self.b.values[i];
            into[self.b.to[i]] += self.b.values[i];
        }
        match (0..self.b.nodes).find(|&n| into[n] != out[n]) {
            Some(node) => Err(ShapeError::Unbalanced {
                node,
                into: into[node],
                out: out[node],
            }),
            None => Ok(()),
        }
    }

    /// The published figures, in the order added, as a viewer without
    /// personal-data rights sees them.
    pub fn suppress(self, settings: DisclosureSettings) -> Result<Vec<Cell>, ShapeError> {
        self.check()?;
        let p = self.b.finish(settings.k);
        Ok(published(&p, &protect(&p), settings.k))
    }
}

/// The published figures in the order they were added (never-published
/// counts left out).
fn published(p: &Problem, st: &[State], k: u32) -> Vec<Cell> {
    (0..p.values.len())
        .filter(|&i| !p.hidden[i])
        .map(|i| match st[i] {
            State::Shown => Cell::Shown(p.values[i]),
            State::Small => Cell::Suppressed { below: k },
            // `Hidden` is only ever a never-published count, filtered out.
            State::Withheld | State::Hidden => Cell::Withheld { below: k },
        })
        .collect()
}

/// How a figure is published, and so what a reader knows of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Its value.
    Shown,
    /// "fewer than k": from 1 to k − 1.
    Small,
    /// "withheld": 1 or more.
    Withheld,
    /// Never published (people who stopped at a stage): 0 or more.
    Hidden,
}

/// The figures of one published structure and the equations between them.
struct Problem {
    k: u64,
    values: Vec<u64>,
    /// Counts implied by the structure and never published.
    hidden: Vec<bool>,
    /// Which to withhold first: 0 cells, 1 subtotals, 2 grand totals.
    rank: Vec<u8>,
    shape: Shape,
}

enum Shape {
    /// Every equation is "what flows in = what flows out" at a node and every
    /// figure an arc between two nodes (a figure in no equation is a loop).
    /// Lists with sums, two-way tables with margins and hierarchies all fit,
    /// and in a network a figure can change, keeping everything shown, iff
    /// it lies on a cycle that can carry one more (or one less) person.
    Net(Net),
    /// Groups a person may be in several of (figures `0..total`) and the
    /// number of people in any (`total`): each group is at most the total,
    /// and together they are at least the total.
    Union { total: usize },
}

struct Net {
    from: Vec<usize>,
    to: Vec<usize>,
    /// The arcs at each node.
    at: Vec<Vec<usize>>,
    /// Connected piece of each arc: only figures in the same piece can
    /// protect each other.
    piece: Vec<usize>,
}

#[derive(Default)]
struct Builder {
    nodes: usize,
    values: Vec<u64>,
    hidden: Vec<bool>,
    rank: Vec<u8>,
    from: Vec<usize>,
    to: Vec<usize>,
}

impl Builder {
    fn node(&mut self) -> usize {
        self.nodes += 1;
        self.nodes - 1
    }

    fn edge(&mut self, from: usize, to: usize, value: u64, rank: u8, hidden: bool) {
        self.from.push(from);
        self.to.push(to);
        self.values.push(value);
        self.rank.push(rank);
        self.hidden.push(hidden);
    }

    fn finish(self, k: u32) -> Problem {
        let mut at = vec![Vec::new(); self.nodes];
        let mut parent: Vec<usize> = (0..self.nodes).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (e, (&a, &b)) in self.from.iter().zip(&self.to).enumerate() {
            at[a].push(e);
            if b != a {
                at[b].push(e);
            }
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            parent[ra] = rb;
        }
        let piece = self.from.iter().map(|&a| find(&mut parent, a)).collect();
        Problem {
            k: u64::from(k),
            values: self.values,
            hidden: self.hidden,
            rank: self.rank,
            shape: Shape::Net(Net {
                from: self.from,
                to: self.to,
                at,
                piece,
            }),
        }
    }
}

/// Withholds figures until every count from 1 to k − 1 — published or
/// implied — has more than one value consistent with what is shown.
fn protect(p: &Problem) -> Vec<State> {
    let n = p.values.len();
    let small = |v: u64| (1..p.k).contains(&v);
    let mut st: Vec<State> = (0..n)
        .map(|i| match (p.hidden[i], small(p.values[i])) {
            (true, _) => State::Hidden,
            (false, true) => State::Small,
            (false, false) => State::Shown,
        })
        .collect();
    let sensitive: Vec<usize> = (0..n).filter(|&i| small(p.values[i])).collect();
    let mut withheld = Vec::new();
    let mut relabelled = Vec::new();
    while let Some(x) = sensitive.iter().copied().find(|&x| !p.movable(&st, x)) {
        if let Some(c) = p.complement(&st, x) {
            st[c] = State::Withheld;
            withheld.push(c);
        } else if let Some(r) = p.relabel(&st, x) {
            st[r] = State::Withheld;
            relabelled.push(r);
        } else {
            // Unreachable: with every non-zero figure of x's piece hidden and
            // none bounded above, the people counted form cycles of hidden
            // arcs (a circulation is a sum of cycles), one of them through x,
            // which can carry one more person.
            break;
        }
    }
    // Show again what turned out not to be needed, totals and large figures
    // first: they are what readers look for. Showing more can only pin more,
    // so each figure kept hidden here is still needed at the end.
    let protected = |st: &[State]| sensitive.iter().all(|&x| p.movable(st, x));
    let order = |c: &usize| (Reverse(p.rank[*c]), Reverse(p.values[*c]), Reverse(*c));
    withheld.sort_by_key(order);
    for &c in &withheld {
        st[c] = State::Shown;
        if !protected(&st) {
            st[c] = State::Withheld;
        }
    }
    relabelled.sort_by_key(order);
    for &r in &relabelled {
        st[r] = State::Small;
        if !protected(&st) {
            st[r] = State::Withheld;
        }
    }
    // A withheld figure that follows from the shown ones hides nothing, and
    // showing it changes nothing else a reader can work out.
    let pinned: Vec<usize> = withheld
        .iter()
        .copied()
        .filter(|&c| st[c] == State::Withheld && !p.movable(&st, c))
        .collect();
    for c in pinned {
        st[c] = State::Shown;
    }
    st
}

impl Problem {
    /// What a reader knows of figure `i`: its lowest and highest value.
    fn bounds(&self, st: &[State], i: usize) -> (u64, Option<u64>) {
        match st[i] {
            State::Shown => (self.values[i], Some(self.values[i])),
            State::Small => (1, Some(self.k - 1)),
            State::Withheld => (1, None),
            State::Hidden => (0, None),
        }
    }

    fn can_rise(&self, st: &[State], i: usize) -> bool {
        self.bounds(st, i).1.is_none_or(|hi| self.values[i] < hi)
    }

    fn can_fall(&self, st: &[State], i: usize) -> bool {
        self.values[i] > self.bounds(st, i).0
    }

    /// Whether figure `x` could have another value, everything shown as it
    /// is. The values a figure can take form an interval of whole numbers
    /// (both structures are totally unimodular), so a second value exists
    /// iff one more or one less is possible.
    fn movable(&self, st: &[State], x: usize) -> bool {
        match &self.shape {
            Shape::Net(net) => {
                let (a, b) = (net.from[x], net.to[x]);
                if a == b {
                    return self.can_rise(st, x) || self.can_fall(st, x);
                }
                (self.can_rise(st, x) && self.reach(net, st, x, b, a))
                    || (self.can_fall(st, x) && self.reach(net, st, x, a, b))
            }
            &Shape::Union { total } => {
                let v = self.values[x];
                if x == total {
                    self.total_possible(st, total, v + 1)
                        || (v > 0 && self.total_possible(st, total, v - 1))
                } else {
                    self.part_possible(st, total, x, v + 1)
                        || (v > 0 && self.part_possible(st, total, x, v - 1))
                }
            }
        }
    }

    /// A path from `src` to `dst` along hidden figures that can take one
    /// more person (forwards) or one fewer (backwards), not using `skip`.
    fn reach(&self, net: &Net, st: &[State], skip: usize, src: usize, dst: usize) -> bool {
        let mut seen = vec![false; net.at.len()];
        let mut stack = vec![src];
        seen[src] = true;
        while let Some(u) = stack.pop() {
            if u == dst {
                return true;
            }
            for &e in &net.at[u] {
                if e == skip || st[e] == State::Shown || net.from[e] == net.to[e] {
                    continue;
                }
                let next = if net.from[e] == u && self.can_rise(st, e) {
                    net.to[e]
                } else if net.to[e] == u && self.can_fall(st, e) {
                    net.from[e]
                } else {
                    continue;
                };
                if !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        false
    }

    /// Whether `t` people in any group fits what is shown: every group fits
    /// within `t` and together they can cover it.
    fn total_possible(&self, st: &[State], total: usize, t: u64) -> bool {
        let (lo, hi) = self.bounds(st, total);
        if t < lo || hi.is_some_and(|h| t > h) {
            return false;
        }
        let mut cover = 0u128;
        for i in 0..total {
            let (lo_i, hi_i) = self.bounds(st, i);
            if lo_i > t {
                return false;
            }
            cover += u128::from(hi_i.map_or(t, |h| h.min(t)));
        }
        cover >= u128::from(t)
    }

    /// Whether group `m` could hold `v` people: some total `t` at least
    /// every group's least and `v`, within its own bounds, that the groups
    /// (each at most `t`) can still cover. The slack `v + Σ min(hiᵢ, t) − t`
    /// is concave in `t` with corners at the groups' upper bounds, so it is
    /// largest at an end of the range or at a corner.
    fn part_possible(&self, st: &[State], total: usize, m: usize, v: u64) -> bool {
        let (lo_m, hi_m) = self.bounds(st, m);
        if v < lo_m || hi_m.is_some_and(|h| v > h) {
            return false;
        }
        let (lo_t, hi_t) = self.bounds(st, total);
        let others: Vec<(u64, Option<u64>)> = (0..total)
            .filter(|&i| i != m)
            .map(|i| self.bounds(st, i))
            .collect();
        let from = others.iter().map(|o| o.0).fold(lo_t.max(v), u64::max);
        if hi_t.is_some_and(|b| from > b) {
            return false;
        }
        if hi_t.is_none() && others.iter().filter(|o| o.1.is_none()).count() >= 2 {
            return true;
        }
        let slack = |t: u64| {
            i128::from(v)
                + others
                    .iter()
                    .map(|o| i128::from(o.1.map_or(t, |h| h.min(t))))
                    .sum::<i128>()
                - i128::from(t)
        };
        std::iter::once(from)
            .chain(hi_t)
            .chain(
                others
                    .iter()
                    .filter_map(|o| o.1)
                    .filter(|&h| h >= from && hi_t.is_none_or(|b| h <= b)),
            )
            .any(|t| slack(t) >= 0)
    }

    /// The figures in an equation with `x`.
    fn groups(&self, x: usize) -> Vec<Vec<usize>> {
        match &self.shape {
            Shape::Net(net) if net.from[x] == net.to[x] => Vec::new(),
            Shape::Net(net) => vec![net.at[net.from[x]].clone(), net.at[net.to[x]].clone()],
            &Shape::Union { total } => vec![(0..=total).collect()],
        }
    }

    fn same_piece(&self, x: usize, c: usize) -> bool {
        match &self.shape {
            Shape::Net(net) => net.piece[x] == net.piece[c],
            Shape::Union { .. } => true,
        }
    }

    /// The shown figure to withhold next so that `x` is no longer given
    /// away: the smallest (cells before totals) that frees `x` on its own;
    /// else the smallest in an equation where `x` is the only hidden
    /// figure, in any equation of `x`, or connected to `x`, which the next
    /// rounds build on.
    fn complement(&self, st: &[State], x: usize) -> Option<usize> {
        let key = |c: &usize| (self.rank[*c], self.values[*c], *c);
        let open = |c: usize| st[c] == State::Shown && self.values[c] > 0 && self.same_piece(x, c);
        let mut trial = st.to_vec();
        let freeing = (0..self.values.len())
            .filter(|&c| open(c))
            .filter(|&c| {
                trial[c] = State::Withheld;
                let free = self.movable(&trial, x);
                trial[c] = State::Shown;
                free
            })
            .min_by_key(key);
        if freeing.is_some() {
            return freeing;
        }
        let groups = self.groups(x);
        let alone = groups
            .iter()
            .filter(|g| g.iter().all(|&c| c == x || st[c] == State::Shown))
            .flatten()
            .copied()
            .filter(|&c| open(c))
            .min_by_key(key);
        alone
            .or_else(|| {
                groups
                    .iter()
                    .flatten()
                    .copied()
                    .filter(|&c| open(c))
                    .min_by_key(key)
            })
            .or_else(|| (0..self.values.len()).filter(|&c| open(c)).min_by_key(key))
    }

    /// When nothing shown is left to withhold, a "fewer than k" bound is what
    /// pins `x` (two cells of 1 under a total of 2, with k = 3): relabel a
    /// suppressed figure "withheld", which claims no upper bound — the
    /// largest first (most likely at its bound), `x` itself last.
    fn relabel(&self, st: &[State], x: usize) -> Option<usize> {
        (0..self.values.len())
            .filter(|&c| st[c] == State::Small && self.same_piece(x, c))
            .min_by_key(|&c| (c == x, Reverse(self.values[c]), Reverse(self.rank[c]), c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn k(k: u32) -> DisclosureSettings {
        DisclosureSettings::new(k).unwrap()
    }

    const F5: Cell = Cell::Suppressed { below: 5 };
    const W5: Cell = Cell::Withheld { below: 5 };
    fn s(v: u64) -> Cell {
        Cell::Shown(v)
    }

    // ---- the setting ----

    #[test]
    fn the_threshold_is_checked_like_a_form() {
        let input = |k: &str| DisclosureSettingsInput { k: k.into() }.validate();
        assert_eq!(input(" 7 ").unwrap().k(), 7);
        assert_eq!(input("3").unwrap().k(), 3);
        assert_eq!(input("20").unwrap().k(), 20);
        assert_eq!(DisclosureSettings::default().k(), 5);
        for (typed, key) in [
            ("", "disclosure.settings.k_required"),
            ("five", "disclosure.settings.k_whole"),
            ("4.5", "disclosure.settings.k_whole"),
            ("-5", "disclosure.settings.k_whole"),
            ("2", "disclosure.settings.k_too_small"),
            ("0", "disclosure.settings.k_too_small"),
            ("21", "disclosure.settings.k_too_large"),
        ] {
            let err = input(typed).unwrap_err();
            assert_eq!(err.0.len(), 1, "{typed}");
            assert_eq!(err.0[0].field, "k");
            assert_eq!(err.0[0].message.key, key, "{typed}");
        }
        assert!(DisclosureSettings::new(2).is_err());
        let stored: Result<DisclosureSettings, _> = serde_json::from_str(r#"{"k":2}"#);
        assert!(
            stored.is_err(),
            "a stored threshold goes through the same rule"
        );
        let stored: DisclosureSettings = serde_json::from_str(r#"{"k":8}"#).unwrap();
        assert_eq!(stored.k(), 8);
    }

    // ---- lists ----

    #[test]
    fn counts_from_one_to_k_minus_one_are_fewer_than_k_and_zero_is_shown() {
        let l = suppress_list(&[0, 1, 4, 5, 12], Total::None, k(5)).unwrap();
        assert_eq!(l.cells, [s(0), F5, F5, s(5), s(12)]);
        assert_eq!(l.total, None);
        assert_eq!(l.cells[1].text(), "fewer than 5");
        assert_eq!(Viewer::new(k(5), false).count(3), F5);
        assert_eq!(Viewer::new(k(5), false).count(0), s(0));
    }

    #[test]
    fn the_next_smallest_cell_is_withheld_so_the_total_gives_nothing_away() {
        // 40 − 8 − 20 − 9 would be the 3.
        let l = suppress_list(&[3, 8, 20, 9], Total::Sum, k(5)).unwrap();
        assert_eq!(l.cells, [F5, W5, s(20), s(9)]);
        assert_eq!(l.total, Some(s(40)));
        // Ties go to the first.
        let l = suppress_list(&[2, 7, 7], Total::Sum, k(5)).unwrap();
        assert_eq!(l.cells, [F5, W5, s(7)]);
        // A zero is never withheld: it would protect nothing.
        let l = suppress_list(&[3, 0, 9], Total::Sum, k(5)).unwrap();
        assert_eq!(l.cells, [F5, s(0), W5]);
        assert_eq!(l.total, Some(s(12)));
    }

    #[test]
    fn two_small_cells_are_not_enough_when_their_sum_pins_them() {
        // 12 − 10 = 2 = 1 + 1: both would be known to be 1.
        let l = suppress_list(&[1, 1, 10], Total::Sum, k(5)).unwrap();
        assert_eq!(l.cells, [F5, F5, W5]);
        assert_eq!(l.total, Some(s(12)));
        // 3 + 4 = 7 leaves (3,4) or (4,3): nothing more to hide.
        let l = suppress_list(&[3, 4, 10], Total::Sum, k(5)).unwrap();
        assert_eq!(l.cells, [F5, F5, s(10)]);
        assert_eq!(l.total, Some(s(17)));
    }

    #[test]
    fn the_total_is_withheld_when_nothing_else_can_be() {
        // Five cells of "fewer than 5" adding up to 5 are all 1.
        let l = suppress_list(&[1, 1, 1, 1, 1], Total::Sum, k(5)).unwrap();
        assert_eq!(l.cells, [F5; 5]);
        assert_eq!(l.total, Some(W5));
        // A small total with a small cell: both move together.
        let l = suppress_list(&[2, 0, 0], Total::Sum, k(5)).unwrap();
        assert_eq!(l.cells, [F5, s(0), s(0)]);
        assert_eq!(l.total, Some(F5));
    }

    #[test]
    fn a_bound_that_pins_is_relabelled_withheld() {
        // k = 3: "fewer than 3" is 1 or 2; two such cells under a total of
        // "fewer than 3" are both 1. Saying only "withheld" of the total
        // frees them.
        let l = suppress_list(&[1, 1], Total::Sum, k(3)).unwrap();
        let (f3, w3) = (Cell::Suppressed { below: 3 }, Cell::Withheld { below: 3 });
        assert_eq!(l.cells, [f3, f3]);
        assert_eq!(l.total, Some(w3));
    }

    #[test]
    fn overlapping_groups_are_protected_against_their_bounds() {
        // 10 people with any barrier, 6 with the second: at least 4 have the
        // first, which is "fewer than 5": exactly 4.
        let l = suppress_list(&[4, 6], Total::Overlapping(10), k(5)).unwrap();
        assert_eq!(l.cells, [F5, W5]);
        assert_eq!(l.total, Some(s(10)));
        // People may be in both: 2 of 10 is only bounded by 1..4.
        let l = suppress_list(&[2, 9], Total::Overlapping(10), k(5)).unwrap();
        assert_eq!(l.cells, [F5, s(9)]);
        // A union cannot be smaller than a group or larger than all.
        assert!(suppress_list(&[4, 6], Total::Overlapping(5), k(5)).is_err());
        assert!(suppress_list(&[4, 6], Total::Overlapping(11), k(5)).is_err());
    }

    // ---- two-way tables ----

    #[test]
    fn a_table_hides_a_rectangle_around_a_small_cell() {
        // staff group × band
        let rows = vec![vec![20, 3, 15], vec![12, 8, 30], vec![9, 11, 6]];
        let t = suppress_table(&rows, k(5)).unwrap();
        // The 3, the smallest in its column (8), the smallest left in its
        // row (15) and the corner that closes the rectangle (30).
        assert_eq!(
            t.cells,
            [
                vec![s(20), F5, W5],
                vec![s(12), W5, W5],
                vec![s(9), s(11), s(6)]
            ]
        );
        assert_eq!(t.row_totals, [s(38), s(50), s(26)]);
        assert_eq!(t.column_totals, [s(41), s(22), s(51)]);
        assert_eq!(t.total, s(114));
    }

    #[test]
    fn a_table_without_small_cells_is_shown_whole() {
        let rows = vec![vec![20, 0, 15], vec![12, 8, 30]];
        let t = suppress_table(&rows, k(5)).unwrap();
        assert!(t.all_cells().all(|c| matches!(c, Cell::Shown(_))));
        assert!(t.notes().is_empty());
        assert!(suppress_table(&[vec![1, 2], vec![3]], k(5)).is_err());
        let empty = suppress_table(&[], k(5)).unwrap();
        assert_eq!(empty.total, s(0));
    }

    #[test]
    fn a_small_row_total_is_fewer_than_k_and_its_cells_too() {
        let rows = vec![vec![2, 1, 0], vec![10, 12, 9]];
        let t = suppress_table(&rows, k(5)).unwrap();
        assert_eq!(t.cells[0][..2], [F5, F5]);
        assert_eq!(t.cells[0][2], s(0));
        assert_eq!(t.row_totals[0], F5);
    }

    // ---- hierarchies and funnels ----

    #[test]
    fn a_funnel_hides_stages_whose_difference_is_a_small_number() {
        // 20 engaged, 17 on a pathway, 12 registered, 9 in work: 3 stopped
        // after engaging and 3 after registering.
        let f = suppress_chain(&[20, 17, 12, 9], k(5)).unwrap();
        assert_eq!(f, [s(20), W5, s(12), W5]);
        // Steps of 5 or more give nothing away.
        let f = suppress_chain(&[30, 20, 15, 0], k(5)).unwrap();
        assert_eq!(f, [s(30), s(20), s(15), s(0)]);
        assert!(suppress_chain(&[5, 6], k(5)).is_err());
        assert_eq!(suppress_chain(&[], k(5)).unwrap(), []);
    }

    #[test]
    fn a_hierarchy_protects_what_its_parts_leave_over() {
        // All staff 60 = nursing 30 + medical 27 (+ 3 others, never shown).
        let tree = Tree {
            value: 60,
            parts: vec![Tree::leaf(30), Tree::leaf(27)],
        };
        let t = suppress_tree(&tree, k(5)).unwrap();
        assert_eq!(t.cell, s(60));
        assert_eq!(t.parts[0].cell, s(30));
        assert_eq!(t.parts[1].cell, W5);
        // Parts that fill the whole leave nothing to protect.
        let tree = Tree {
            value: 57,
            parts: vec![Tree::leaf(30), Tree::leaf(27)],
        };
        let t = suppress_tree(&tree, k(5)).unwrap();
        assert!(t.all_cells().iter().all(|c| matches!(c, Cell::Shown(_))));
        let bad = Tree {
            value: 5,
            parts: vec![Tree::leaf(3), Tree::leaf(3)],
        };
        assert!(suppress_tree(&bad, k(5)).is_err());
    }

    // ---- money and exact viewers ----

    #[test]
    fn pay_is_hidden_where_its_people_are() {
        let items = [
            Paid {
                people: 3,
                pence: 6_000_000,
            },
            Paid {
                people: 12,
                pence: 30_000_000,
            },
            Paid {
                people: 9,
                pence: 20_000_050,
            },
        ];
        let (people, pay) = Viewer::new(k(5), false).paid_list(&items, true);
        assert_eq!(people.cells, [F5, s(12), W5]);
        assert_eq!(
            pay.cells,
            [
                Cell::Suppressed { below: 5 },
                Cell::Shown(Money(30_000_000)),
                Cell::Withheld { below: 5 }
            ]
        );
        assert_eq!(pay.total, Some(Cell::Shown(Money(56_000_050))));
        assert_eq!(pay.cells[0].text(), "not shown: fewer than 5 people");
        assert_eq!(pay.total.unwrap().text(), "£560,000.50");
        assert_eq!(pay.total.unwrap().csv_value(), "560000.50");
        assert_eq!(
            Viewer::new(k(5), false).paid(items[0]),
            Cell::Suppressed { below: 5 }
        );

        let rows = vec![vec![items[0], items[1]], vec![items[1], items[2]]];
        let (people, pay) = Viewer::new(k(5), false).paid_table(&rows).unwrap();
        for (c, m) in people.all_cells().zip(pay.all_cells()) {
            assert_eq!(c.is_hidden(), m.is_hidden());
        }
        assert_eq!(pay.total, Cell::Shown(Money(86_000_050)));
    }

    #[test]
    fn exact_viewers_see_every_number_unchanged_and_labelled() {
        let v = Viewer::new(k(5), true);
        assert_eq!(v.count(3), Cell::Exact(3));
        let l = v.list(&[3, 8, 20], Total::Sum).unwrap();
        assert_eq!(l.cells, [Cell::Exact(3), Cell::Exact(8), Cell::Exact(20)]);
        assert_eq!(l.total, Some(Cell::Exact(31)));
        let t = v.table(&[vec![1, 2], vec![3, 4]]).unwrap();
        assert_eq!(t.row_totals, [Cell::Exact(3), Cell::Exact(7)]);
        assert_eq!(t.column_totals, [Cell::Exact(4), Cell::Exact(6)]);
        assert_eq!(t.total, Cell::Exact(10));
        assert_eq!(v.chain(&[9, 2]).unwrap(), [Cell::Exact(9), Cell::Exact(2)]);
        assert_eq!(v.label().unwrap().key, "disclosure.exact_label");
        assert!(Viewer::new(k(5), false).label().is_none());
        assert_eq!(t.notes()[0].key, "disclosure.note.exact");
        assert_eq!(Cell::Exact(3u64).csv_note(), "exact");
        // Exact viewers are held to the same shapes.
        assert!(v.list(&[4, 6], Total::Overlapping(11)).is_err());
    }

    // ---- rendering ----

    #[test]
    fn cells_render_for_pages_csv_and_the_api() {
        assert_eq!(s(1234).text(), "1,234");
        assert_eq!(W5.text(), "withheld");
        assert_eq!(
            (s(12).csv_value(), s(12).csv_note()),
            ("12".into(), String::new())
        );
        assert_eq!(
            (F5.csv_value(), F5.csv_note()),
            (String::new(), "fewer than 5".into())
        );
        assert_eq!(
            (W5.csv_value(), W5.csv_note()),
            (String::new(), "withheld".into())
        );
        assert_eq!(csv_note_column("people"), "people note");
        assert_eq!(
            serde_json::to_value(s(12)).unwrap(),
            serde_json::json!({"value": 12, "text": "12"})
        );
        assert_eq!(
            serde_json::to_value(F5).unwrap(),
            serde_json::json!({"value": null, "suppressed": "fewer_than", "below": 5, "text": "fewer than 5"})
        );
        assert_eq!(
            serde_json::to_value(Cell::Exact(Money(150))).unwrap(),
            serde_json::json!({"value": 150, "exact": true, "text": "£1.50"})
        );
        let l = suppress_list(&[3, 8, 20], Total::Sum, k(5)).unwrap();
        let keys: Vec<_> = l.notes().into_iter().map(|m| m.key).collect();
        assert_eq!(
            keys,
            ["disclosure.note.fewer_than", "disclosure.note.withheld"]
        );
        assert_eq!(
            l.notes()[0].text(),
            "\"Fewer than 5\" is a number from 1 to 4, not shown so that nobody can be recognised."
        );
    }

    // ---- the property: nothing small can be worked out ----

    /// What a reader of the published figures knows, built from the
    /// published cells alone (not from how they were chosen): each figure's
    /// possible values and the equations between the figures.
    struct Reader {
        truth: Vec<u64>,
        lo: Vec<u64>,
        hi: Vec<u64>,
        /// Σ parts = whole
        sums: Vec<(Vec<usize>, usize)>,
        /// each part ≤ whole and Σ parts ≥ whole (people in any group)
        unions: Vec<(Vec<usize>, usize)>,
        /// Σ into = Σ out (an equation of a `Network`)
        balances: Vec<(Vec<usize>, Vec<usize>)>,
        /// figures that must not be pinned: hidden published cells and
        /// never-published counts from 1 to k − 1
        protect: Vec<usize>,
    }

    /// How far from its true value the search looks for a withheld or
    /// never-published figure (they have no upper bound). Any assignment
    /// found is a real alternative, so a window can only make the test
    /// stricter, never let a pinned figure pass.
    const WINDOW: u64 = 3;

    impl Reader {
        fn new() -> Reader {
            Reader {
                truth: vec![],
                lo: vec![],
                hi: vec![],
                sums: vec![],
                unions: vec![],
                balances: vec![],
                protect: vec![],
            }
        }

        /// A published figure: checks its label tells the truth.
        fn cell(&mut self, truth: u64, c: Cell, k: u64) -> usize {
            let (lo, hi) = match c {
                Cell::Shown(v) => {
                    assert_eq!(v, truth, "a shown figure is the true one");
                    assert!(!(1..k).contains(&v), "{v} is under {k} and shown");
                    (v, v)
                }
                Cell::Suppressed { below } => {
                    assert_eq!(u64::from(below), k);
                    assert!((1..k).contains(&truth), "'fewer than {k}' said of {truth}");
                    self.protect.push(self.truth.len());
                    (1, k - 1)
                }
                Cell::Withheld { below } => {
                    assert_eq!(u64::from(below), k);
                    assert!(truth >= 1, "a zero is never withheld");
                    self.protect.push(self.truth.len());
                    (1.max(truth.saturating_sub(WINDOW)), truth + WINDOW)
                }
                Cell::Exact(_) => panic!("a viewer without rights saw an exact figure"),
            };
            self.push(truth, lo, hi)
        }

        /// A count the structure implies and never publishes.
        fn implied(&mut self, truth: u64, k: u64) -> usize {
            if (1..k).contains(&truth) {
                self.protect.push(self.truth.len());
            }
            self.push(truth, truth.saturating_sub(WINDOW), truth + WINDOW)
        }

        fn push(&mut self, truth: u64, lo: u64, hi: u64) -> usize {
            self.truth.push(truth);
            self.lo.push(lo);
            self.hi.push(hi);
            self.truth.len() - 1
        }

        /// Whether the equations can still hold with the first `n` figures
        /// fixed as in `x` and the rest anywhere in their ranges.
        fn possible(&self, x: &[u64], n: usize) -> bool {
            let range = |i: usize| {
                if i < n {
                    (x[i], x[i])
                } else {
                    (self.lo[i], self.hi[i])
                }
            };
            self.sums.iter().all(|(parts, whole)| {
                let (lo, hi) = parts.iter().fold((0, 0), |(a, b), &p| {
                    let r = range(p);
                    (a + r.0, b + r.1)
                });
                let w = range(*whole);
                lo <= w.1 && hi >= w.0
            }) && self.unions.iter().all(|(parts, whole)| {
                let w = range(*whole);
                let cover: u64 = parts.iter().map(|&p| range(p).1).sum();
                parts.iter().all(|&p| range(p).0 <= w.1) && cover >= w.0
            }) && self.balances.iter().all(|(into, out)| {
                let span = |side: &[usize]| {
                    side.iter().fold((0, 0), |(a, b), &p| {
                        let r = range(p);
                        (a + r.0, b + r.1)
                    })
                };
                let (a, b) = (span(into), span(out));
                a.0 <= b.1 && a.1 >= b.0
            })
        }

        /// Some assignment consistent with everything published gives
        /// figure `target` another value.
        fn another_value(&self, target: usize) -> bool {
            let n = self.truth.len();
            let mut x = vec![0; n];
            // The target first, so a wrong branch is cut at once.
            let order: Vec<usize> = std::iter::once(target)
                .chain((0..n).filter(|&i| i != target))
                .collect();
            let mut perm = vec![0; n];
            for (pos, &i) in order.iter().enumerate() {
                perm[i] = pos;
            }
            let permuted = Reader {
                truth: order.iter().map(|&i| self.truth[i]).collect(),
                lo: order.iter().map(|&i| self.lo[i]).collect(),
                hi: order.iter().map(|&i| self.hi[i]).collect(),
                sums: self
                    .sums
                    .iter()
                    .map(|(p, w)| (p.iter().map(|&i| perm[i]).collect(), perm[*w]))
                    .collect(),
                unions: self
                    .unions
                    .iter()
                    .map(|(p, w)| (p.iter().map(|&i| perm[i]).collect(), perm[*w]))
                    .collect(),
                balances: self
                    .balances
                    .iter()
                    .map(|(a, b)| {
                        (
                            a.iter().map(|&i| perm[i]).collect(),
                            b.iter().map(|&i| perm[i]).collect(),
                        )
                    })
                    .collect(),
                protect: vec![],
            };
            permuted.search(&mut x, 0)
        }

        fn search(&self, x: &mut [u64], n: usize) -> bool {
            if n == x.len() {
                return x[0] != self.truth[0];
            }
            for v in self.lo[n]..=self.hi[n] {
                if n == 0 && v == self.truth[0] {
                    continue;
                }
                x[n] = v;
                if self.possible(x, n + 1) && self.search(x, n + 1) {
                    return true;
                }
            }
            false
        }

        fn check(&self) -> Result<(), TestCaseError> {
            for &i in &self.protect {
                prop_assert!(
                    self.another_value(i),
                    "figure {i} (truly {}) can be worked out",
                    self.truth[i]
                );
            }
            Ok(())
        }
    }

    fn read_list(values: &[u64], total: Total, l: &List, k: u64) -> Reader {
        let mut r = Reader::new();
        let parts: Vec<usize> = values
            .iter()
            .zip(&l.cells)
            .map(|(&v, &c)| r.cell(v, c, k))
            .collect();
        match total {
            Total::None => assert_eq!(l.total, None),
            Total::Sum => {
                let whole = r.cell(values.iter().sum(), l.total.unwrap(), k);
                r.sums.push((parts, whole));
            }
            Total::Overlapping(t) => {
                let whole = r.cell(t, l.total.unwrap(), k);
                r.unions.push((parts, whole));
            }
        }
        r
    }

    fn read_table(rows: &[Vec<u64>], t: &Table, k: u64) -> Reader {
        let mut r = Reader::new();
        let n = rows.first().map_or(0, Vec::len);
        let cell: Vec<Vec<usize>> = rows
            .iter()
            .zip(&t.cells)
            .map(|(row, cs)| row.iter().zip(cs).map(|(&v, &c)| r.cell(v, c, k)).collect())
            .collect();
        let row_total: Vec<usize> = rows
            .iter()
            .zip(&t.row_totals)
            .map(|(row, &c)| r.cell(row.iter().sum(), c, k))
            .collect();
        let column_total: Vec<usize> = (0..n)
            .map(|j| r.cell(rows.iter().map(|row| row[j]).sum(), t.column_totals[j], k))
            .collect();
        let grand = r.cell(rows.iter().flatten().sum(), t.total, k);
        for (i, cs) in cell.iter().enumerate() {
            r.sums.push((cs.clone(), row_total[i]));
        }
        for j in 0..n {
            r.sums
                .push((cell.iter().map(|cs| cs[j]).collect(), column_total[j]));
        }
        r.sums.push((row_total, grand));
        r.sums.push((column_total, grand));
        r
    }

    fn read_chain(stages: &[u64], cells: &[Cell], k: u64) -> Reader {
        let mut r = Reader::new();
        let at: Vec<usize> = stages
            .iter()
            .zip(cells)
            .map(|(&v, &c)| r.cell(v, c, k))
            .collect();
        for i in 0..stages.len().saturating_sub(1) {
            let stopped = r.implied(stages[i] - stages[i + 1], k);
            r.sums.push((vec![at[i + 1], stopped], at[i]));
        }
        r
    }

    fn read_tree(t: &Tree, c: &TreeCells, k: u64, r: &mut Reader) -> usize {
        let whole = r.cell(t.value, c.cell, k);
        if !t.parts.is_empty() {
            let mut parts: Vec<usize> = t
                .parts
                .iter()
                .zip(&c.parts)
                .map(|(p, pc)| read_tree(p, pc, k, r))
                .collect();
            let sum: u64 = t.parts.iter().map(|p| p.value).sum();
            if sum < t.value {
                parts.push(r.implied(t.value - sum, k));
            }
            r.sums.push((parts, whole));
        }
        whole
    }

    fn read_network(n: &Network, cells: &[Cell], k: u64) -> Reader {
        let mut r = Reader::new();
        let mut shown = cells.iter();
        let b = &n.b;
        let arcs: Vec<usize> = (0..b.values.len())
            .map(|i| {
                if b.hidden[i] {
                    r.implied(b.values[i], k)
                } else {
                    r.cell(b.values[i], *shown.next().expect("a cell per figure"), k)
                }
            })
            .collect();
        assert!(shown.next().is_none(), "one cell per figure");
        for node in 0..b.nodes {
            let into = (0..arcs.len()).filter(|&i| b.to[i] == node && b.from[i] != node);
            let out = (0..arcs.len()).filter(|&i| b.from[i] == node && b.to[i] != node);
            r.balances.push((
                into.map(|i| arcs[i]).collect(),
                out.map(|i| arcs[i]).collect(),
            ));
        }
        r
    }

    fn small_count() -> impl Strategy<Value = u64> {
        prop_oneof![3 => 0u64..5, 2 => 0u64..12, 1 => 0u64..25]
    }

    fn tree(depth: u32) -> BoxedStrategy<Tree> {
        if depth == 0 {
            return small_count().prop_map(Tree::leaf).boxed();
        }
        (prop::collection::vec(tree(depth - 1), 0..3), 0u64..4)
            .prop_map(|(parts, extra)| {
                let sum: u64 = parts.iter().map(|p| p.value).sum();
                let value = if parts.is_empty() {
                    extra * 3
                } else {
                    sum + extra
                };
                Tree { value, parts }
            })
            .boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn no_small_count_in_a_list_with_its_sum_can_be_worked_out(
            values in prop::collection::vec(small_count(), 0..7),
            kk in 3u32..=10,
        ) {
            let l = suppress_list(&values, Total::Sum, k(kk)).unwrap();
            read_list(&values, Total::Sum, &l, kk.into()).check()?;
            let exact = Viewer::new(k(kk), true).list(&values, Total::Sum).unwrap();
            for (c, &v) in exact.cells.iter().zip(&values) {
                prop_assert_eq!(*c, Cell::Exact(v));
            }
            prop_assert_eq!(exact.total, Some(Cell::Exact(values.iter().sum())));
        }

        #[test]
        fn no_small_count_in_a_list_without_total_is_shown(
            values in prop::collection::vec(small_count(), 0..7),
            kk in 3u32..=10,
        ) {
            let l = suppress_list(&values, Total::None, k(kk)).unwrap();
            read_list(&values, Total::None, &l, kk.into()).check()?;
        }

        #[test]
        fn no_small_count_of_overlapping_groups_can_be_worked_out(
            people in prop::collection::vec(1u8..16, 0..14),
            groups in 1usize..5,
            kk in 3u32..=10,
        ) {
            // Each person is in the groups whose bits are set (at least one).
            let values: Vec<u64> = (0..groups)
                .map(|g| people.iter().filter(|&&m| m & (1 << g) != 0).count() as u64)
                .collect();
            let any = people.iter().filter(|&&m| m & ((1 << groups) - 1) != 0).count() as u64;
            let total = Total::Overlapping(any);
            let l = suppress_list(&values, total, k(kk)).unwrap();
            read_list(&values, total, &l, kk.into()).check()?;
        }

        #[test]
        fn no_small_count_in_a_table_with_margins_can_be_worked_out(
            (m, n) in (1usize..=3, 1usize..=4),
            seed in prop::collection::vec(small_count(), 12),
            kk in 3u32..=10,
        ) {
            let rows: Vec<Vec<u64>> = (0..m).map(|i| seed[i * n..(i + 1) * n].to_vec()).collect();
            let t = suppress_table(&rows, k(kk)).unwrap();
            read_table(&rows, &t, kk.into()).check()?;
            let exact = Viewer::new(k(kk), true).table(&rows).unwrap();
            for (row, cs) in rows.iter().zip(&exact.cells) {
                for (&v, c) in row.iter().zip(cs) {
                    prop_assert_eq!(*c, Cell::Exact(v));
                }
            }
            prop_assert_eq!(exact.total, Cell::Exact(rows.iter().flatten().sum()));
        }

        #[test]
        fn no_small_count_in_a_funnel_can_be_worked_out(
            start in 0u64..30,
            drops in prop::collection::vec(0u64..8, 0..5),
            kk in 3u32..=10,
        ) {
            let mut stages = vec![start];
            for d in drops {
                let last = *stages.last().unwrap();
                stages.push(last.saturating_sub(d));
            }
            let cells = suppress_chain(&stages, k(kk)).unwrap();
            read_chain(&stages, &cells, kk.into()).check()?;
        }

        #[test]
        fn no_small_count_in_the_talent_funnel_can_be_worked_out(
            people in prop::collection::vec((0u8..3, 0u8..4), 0..24),
            kk in 3u32..=8,
        ) {
            use crate::talent::casework::{FunnelStage, WorkOutcome};
            use crate::talent::results::{FunnelFact, funnel};
            use crate::talent::results_publish::{funnel_network, publish_funnel};
            let facts: Vec<FunnelFact> = people
                .iter()
                .map(|&(s, w)| FunnelFact {
                    stage: [FunnelStage::Engaged, FunnelStage::OnPathway, FunnelStage::Registered][s as usize],
                    work: [WorkOutcome::NoneYet, WorkOutcome::Nhs, WorkOutcome::CareSector, WorkOutcome::Other][w as usize],
                })
                .collect();
            let f = funnel(&facts);
            let published = publish_funnel(&Viewer::new(k(kk), false), &f);
            let cells: Vec<Cell> = published.all_cells().into_iter().copied().collect();
            read_network(&funnel_network(&f), &cells, kk.into()).check()?;
            let exact = publish_funnel(&Viewer::new(k(kk), true), &f);
            prop_assert_eq!(exact.into_work, Cell::Exact(f.into_work()));
            prop_assert_eq!(exact.registered, Cell::Exact(f.registered));
        }

        #[test]
        fn no_small_count_in_a_hierarchy_can_be_worked_out(
            t in tree(2),
            kk in 3u32..=10,
        ) {
            let cells = suppress_tree(&t, k(kk)).unwrap();
            let mut r = Reader::new();
            read_tree(&t, &cells, kk.into(), &mut r);
            r.check()?;
        }
    }

    #[test]
    fn the_reader_catches_a_funnel_stage_pinned_by_the_branch_below_it() {
        use crate::talent::results::Funnel;
        use crate::talent::results_publish::funnel_network;
        // 20 engaged and 16 on the pathway, all shown: the 4 who stopped
        // (never published) follow by subtraction.
        let f = Funnel {
            engaged: 20,
            on_pathway: 16,
            registered: 0,
            into_nhs: 16,
            into_care: 0,
            into_other: 0,
            registered_in_work: 0,
        };
        let naive = [s(20), s(16), s(0), s(16), s(16), s(0), s(0)];
        let r = read_network(&funnel_network(&f), &naive, 5);
        assert!(r.protect.contains(&7), "the stopped are protected");
        assert!(!r.another_value(7));
        // the real publication withholds a stage
        let published = Viewer::new(k(5), false)
            .network(funnel_network(&f))
            .unwrap();
        assert!(published[..2].iter().any(Cell::is_hidden), "{published:?}");
    }

    #[test]
    fn the_reader_catches_a_figure_given_away_by_subtraction() {
        // The oracle itself: one "fewer than 5" beside shown cells and total.
        let values = [3, 8, 20];
        let naive = List {
            cells: vec![F5, s(8), s(20)],
            total: Some(s(31)),
        };
        let r = read_list(&values, Total::Sum, &naive, 5);
        assert!(!r.another_value(0));
        // and the two ones under a total of two, with k = 3
        let f3 = Cell::Suppressed { below: 3 };
        let pinned = List {
            cells: vec![f3, f3],
            total: Some(f3),
        };
        let r = read_list(&[1, 1], Total::Sum, &pinned, 3);
        assert!(!r.another_value(0));
        assert!(!r.another_value(2));
    }
}
