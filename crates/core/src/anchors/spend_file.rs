//! Reading an anchor's spend file as its publisher wrote it: NHS
//! "expenditure over £25,000", council "payments over £500", or any other
//! with no hand-written mapping. Banners and title rows before the header,
//! header drift between months, columns only their words and values reveal
//! ([`super::columns`]), dates day first or month first ([`super::dates`]),
//! totals rows, blank-supplier adjustments and redacted names are all
//! expected; every problem names its line and column.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;

use super::columns::{self, HEADER_SEARCH_ROWS, MappingGuess, SAMPLE_ROWS};
use super::dates::{self, DateOrder, DateOrderBasis, DateOrderChoice, OrderTally};
use crate::csv_import::{Column, Problem, Records, Report};
use crate::i18n::Message;
use crate::money::{Pence, format_pence, parse_pence};
use crate::validation;

/// What each column of a spend file means to us.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpendField {
    PaidOn,
    Supplier,
    Amount,
    ExpenseType,
    ExpenseArea,
    Reference,
    SupplierId,
}

impl SpendField {
    pub const ALL: [SpendField; 7] = [
        SpendField::PaidOn,
        SpendField::Supplier,
        SpendField::Amount,
        SpendField::ExpenseType,
        SpendField::ExpenseArea,
        SpendField::Reference,
        SpendField::SupplierId,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            SpendField::PaidOn => "paid_on",
            SpendField::Supplier => "supplier",
            SpendField::Amount => "amount",
            SpendField::ExpenseType => "expense_type",
            SpendField::ExpenseArea => "expense_area",
            SpendField::Reference => "reference",
            SpendField::SupplierId => "supplier_id",
        }
    }

    pub fn parse(s: &str) -> Option<SpendField> {
        Self::ALL.into_iter().find(|f| f.slug() == s)
    }

    /// The field in people's words, from the catalogue.
    pub fn words(self) -> &'static str {
        crate::i18n::t(match self {
            SpendField::PaidOn => "anchors.spend.field.paid_on",
            SpendField::Supplier => "anchors.spend.field.supplier",
            SpendField::Amount => "anchors.spend.field.amount",
            SpendField::ExpenseType => "anchors.spend.field.expense_type",
            SpendField::ExpenseArea => "anchors.spend.field.expense_area",
            SpendField::Reference => "anchors.spend.field.reference",
            SpendField::SupplierId => "anchors.spend.field.supplier_id",
        })
    }

    /// Headers publishers use for this field, best first, as
    /// [`crate::csv_import::header_key`]s. Seen in NHS trust and council
    /// files 2010–2021; the rest are judged by their words and values
    /// ([`super::columns`]), or a saved mapping.
    pub(crate) fn synonyms(self) -> &'static [&'static str] {
        match self {
            SpendField::PaidOn => &[
                "date_paid",
                "paid_date",
                "date_of_payment",
                "payment_date",
                "date",
                "transaction_date",
                "trans_date",
                "effective_date",
                "posting_date",
                "invoice_date",
            ],
            SpendField::Supplier => &[
                "supplier_name",
                "supplier",
                "merchant_name",
                "vendor_name",
                "vendor",
                "payee_name",
                "payee",
                "beneficiary_name",
                "beneficiary",
                "recipient_name",
                "recipient",
                "creditor_name",
                "creditor",
            ],
            SpendField::Amount => &[
                "amount",
                "amount_paid",
                "amount_(£)",
                "amount_£",
                "£",
                "value",
                "net_amount",
                "total",
                "billing_gross_amt",
                "original_gross_amt",
                "gross_amount",
                "payment_amount",
                "transaction_amount",
            ],
            SpendField::ExpenseType => &[
                "expense_type",
                "expenses_type",
                "expenditure_type",
                "expenditure_category",
                "expenditure_catergory",
                "expenditure_unit",
                "9an___level_9_account_name",
                "account_name",
                "category",
                "purpose",
                "subjective_description",
            ],
            SpendField::ExpenseArea => &[
                "expense_area",
                "expenses_area",
                "expenditure_area",
                "organisational_unit",
                "organisatonal_unit",
                "cost_centre_name",
                "cost_centre",
                "service_area",
                "directorate",
                "service",
                "department",
            ],
            SpendField::Reference => &[
                "transaction_reference",
                "transaction_number",
                "transaction_no",
                "trans_no",
                "invoice_number",
                "invoice_no",
                "document_number",
                "reference",
            ],
            SpendField::SupplierId => &[
                "supplier_id",
                "supplier_number",
                "vendor_id",
                "vendor_number",
            ],
        }
    }
}

/// An anchor's saved choice of which header means which field, for files
/// whose headers we do not recognise. Headers are compared as [`header_key`]s.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping(pub Vec<(SpendField, String)>);

impl ColumnMapping {
    /// Reads `field=Header` pairs, as the CLI and forms take them.
    pub fn parse(pairs: &[String]) -> Result<ColumnMapping, Message> {
        let mut out = Vec::new();
        for p in pairs {
            let Some((f, h)) = p.split_once('=') else {
                return Err(Message::new("anchors.spend.mapping_bad").arg("pair", p));
            };
            let Some(field) = SpendField::parse(f.trim()) else {
                return Err(Message::new("anchors.spend.mapping_field").arg("field", f.trim()));
            };
            if h.trim().is_empty() {
                return Err(Message::new("anchors.spend.mapping_bad").arg("pair", p));
            }
            out.retain(|(g, _)| *g != field);
            out.push((field, h.trim().to_string()));
        }
        Ok(ColumnMapping(out))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `field=Header` pairs, the form [`ColumnMapping::parse`] reads.
    pub fn pairs(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|(f, h)| format!("{}={h}", f.slug()))
            .collect()
    }
}

/// One payment as the file states it, read and checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpendLine {
    /// 1-based line in the file.
    pub line: u64,
    #[serde(with = "crate::iso_date")]
    pub paid_on: Date,
    /// The supplier exactly as published, spaces tidied ("Redacted" when withheld).
    pub supplier: String,
    /// A company number the publisher appended to the name (`NAME:03529700`).
    pub company_number: Option<String>,
    /// The publisher's own supplier id, when the file has one.
    pub supplier_id: Option<String>,
    pub amount: Pence,
    pub expense_type: String,
    pub expense_area: String,
    pub reference: String,
    /// The publisher withheld the name (a private individual, usually).
    pub redacted: bool,
    /// Identity of the payment across files, so an overlapping file or the
    /// same file again does not count it twice.
    pub fingerprint: String,
}

/// One payment as read, its text borrowed from the file: what
/// [`read_each`] hands over, so a caller that keeps a few fields (an
/// analysis over millions of lines) copies nothing else.
#[derive(Clone, Debug)]
pub struct ReadLine<'a> {
    pub line: u64,
    pub paid_on: Date,
    pub supplier: Cow<'a, str>,
    pub company_number: Option<String>,
    pub supplier_id: Option<Cow<'a, str>>,
    pub amount: Pence,
    pub expense_type: Cow<'a, str>,
    pub expense_area: Cow<'a, str>,
    pub reference: Cow<'a, str>,
    pub redacted: bool,
}

impl ReadLine<'_> {
    /// What makes this line the same payment as another: see [`identity`].
    fn identity(&self, scratch: &mut Vec<u8>) -> [u8; 16] {
        identity(
            scratch,
            self.paid_on,
            self.amount,
            [
                &self.supplier,
                &self.reference,
                &self.expense_type,
                &self.expense_area,
            ],
        )
    }

    /// The line with its fingerprint (see [`SpendLine::fingerprint`]).
    fn into_owned(self, fingerprint: String) -> SpendLine {
        SpendLine {
            fingerprint,
            line: self.line,
            paid_on: self.paid_on,
            supplier: self.supplier.into_owned(),
            company_number: self.company_number,
            supplier_id: self.supplier_id.map(Cow::into_owned),
            amount: self.amount,
            expense_type: self.expense_type.into_owned(),
            expense_area: self.expense_area.into_owned(),
            reference: self.reference.into_owned(),
            redacted: self.redacted,
        }
    }
}

/// Rows read but not imported as payments, counted for the import summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub title_rows: u64,
    pub totals_rows: u64,
    pub no_supplier_rows: u64,
    pub no_supplier_pence: Pence,
    /// Lines with a supplier but no amount (nothing was paid).
    pub no_amount_rows: u64,
    pub bad_rows: u64,
}

/// A spend file read end to end.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SpendFile {
    pub lines: Vec<SpendLine>,
    /// The header line and which of its columns became which field.
    pub header_line: u64,
    pub columns: Vec<(SpendField, String)>,
    pub skipped: Skipped,
    pub redacted_lines: u64,
    #[serde(with = "crate::iso_date::option")]
    pub first_paid_on: Option<Date>,
    #[serde(with = "crate::iso_date::option")]
    pub last_paid_on: Option<Date>,
    /// Which column is which field and how sure the reader is: when not
    /// sure, a person confirms `guess.mapping` on the first rows (see
    /// [`inspect`]) and it is saved as the anchor's mapping.
    pub guess: MappingGuess,
    /// The order of day and month the dates were read in, and why:
    /// `date_order.to_remember()` is the hint for the anchor's next file.
    pub date_order: DateOrderChoice,
}

impl SpendFile {
    pub fn total(&self) -> Pence {
        self.lines.iter().map(|l| l.amount).sum()
    }
}

/// How to read a file beyond its own contents.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    pub mapping: ColumnMapping,
    /// The date for lines whose date is missing (some files carry only
    /// `00:00:00`): the start of the period the file covers. Without it such
    /// lines are errors.
    pub undated_lines_on: Option<Date>,
    /// The order of day and month in the anchor's last file, followed when
    /// every date in this one reads either way (`02/04/2020`). Without it
    /// such a file is read day first, the UK way, and the report says so.
    pub date_order: Option<DateOrder>,
}

/// Dates that only one order reads, looked for before reading: enough to
/// outvote a stray line, few enough that a file that shows its order early
/// costs nothing.
const ORDER_EVIDENCE: u64 = 64;

/// The most columns a spend file may have. Published files have a few
/// dozen; judging a header of a million columns would take minutes.
pub const MAX_COLUMNS: usize = 500;

/// Rows read ahead as published (trimmed), each with its line: where the
/// header is found and the columns are judged. A row is kept to one field
/// past [`MAX_COLUMNS`], enough to tell it is too wide.
fn preview<'a>(
    records: &mut Records<'a>,
    fields: &mut Vec<Cow<'a, str>>,
) -> (Vec<u64>, Vec<Vec<String>>) {
    let (mut lines, mut rows) = (Vec::new(), Vec::new());
    while rows.len() < HEADER_SEARCH_ROWS + SAMPLE_ROWS && records.next_into(fields).is_some() {
        lines.push(records.line());
        rows.push(
            fields
                .iter()
                .take(MAX_COLUMNS + 1)
                .map(|f| f.trim().to_string())
                .collect(),
        );
    }
    (lines, rows)
}

/// The columns a file would be read with, worked out from its first rows
/// only (as [`read`] does before reading the rest): enough to decide
/// whether to ask a person to confirm them, without reading the file.
/// `None` when no header is found (the import will say so).
pub fn guess_columns(text: &str, mapping: &ColumnMapping) -> Option<MappingGuess> {
    let mut records = Records::new(text);
    let mut fields = Vec::new();
    let (_, rows) = preview(&mut records, &mut fields);
    columns::locate(&rows, mapping).map(|l| l.guess)
}

/// Reads a decoded spend file for import: every line kept, with the
/// fingerprint it is stored under. Problems go to `report`; lines with
/// errors are left out, and the caller decides whether any error stops the
/// import.
pub fn read(text: &str, options: &ReadOptions, report: &mut Report) -> SpendFile {
    let mut lines = Vec::new();
    // Identities are SHA-256 already: their first bytes are hash enough.
    // Sized for the whole file at once (a line is rarely under 60 bytes):
    // growing a table of a million identities moves it again and again.
    let mut seen: std::collections::HashMap<[u8; 16], u32, IdentityHash> =
        std::collections::HashMap::with_capacity_and_hasher(text.len() / 64, IdentityHash);
    let mut scratch = Vec::with_capacity(256);
    let file = read_each(text, options, report, |l| {
        let identity = l.identity(&mut scratch);
        let occurrence = seen.entry(identity).or_insert(0);
        lines.push(l.into_owned(fingerprint(&identity, *occurrence)));
        *occurrence += 1;
    });
    SpendFile { lines, ..file }
}

/// What a file would import as, before anything is imported: the columns
/// the reader would use and how sure it is, the order of day and month and
/// how it was decided, the first rows as published beside the same rows as
/// read, and the count and total of all its lines. The upload page shows
/// it to confirm an uncertain guess; `useit spend inspect FILE` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Inspection {
    pub guess: MappingGuess,
    pub date_order: DateOrderChoice,
    /// The header's line and cells (0 and none when no header was found).
    pub header_line: u64,
    pub header: Vec<String>,
    /// The first rows under the header as published (trimmed), with their lines.
    pub first_rows: Vec<(u64, Vec<String>)>,
    /// The first payment lines as read, each naming its line, to set
    /// beside `first_rows` (rows that are no payment, such as a totals
    /// row, are in `first_rows` only).
    pub first_lines: Vec<SpendLine>,
    /// Every payment line of the file, and their sum.
    pub lines: u64,
    pub total: Pence,
    #[serde(with = "crate::iso_date::option")]
    pub first_paid_on: Option<Date>,
    #[serde(with = "crate::iso_date::option")]
    pub last_paid_on: Option<Date>,
    pub skipped: Skipped,
    pub redacted_lines: u64,
    /// Everything the import would report (its file name left blank).
    pub report: Report,
}

impl Inspection {
    /// Rows shown as published and as read.
    pub const ROWS: usize = 10;
}

/// Reads the whole file as [`read`] would, keeping only the first
/// [`Inspection::ROWS`] rows: see [`Inspection`].
pub fn inspect(text: &str, options: &ReadOptions) -> Inspection {
    let mut report = Report::new("");
    let (mut lines, mut total) = (0u64, 0 as Pence);
    let mut first_lines: Vec<SpendLine> = Vec::new();
    let mut scratch = Vec::new();
    let mut identities: Vec<[u8; 16]> = Vec::new();
    let file = read_each(text, options, &mut report, |l| {
        lines += 1;
        total += l.amount;
        if first_lines.len() < Inspection::ROWS {
            // The first lines' fingerprints are exact: a line's occurrence
            // counts only the identical lines above it.
            let identity = l.identity(&mut scratch);
            let occurrence = identities.iter().filter(|i| **i == identity).count() as u32;
            identities.push(identity);
            first_lines.push(l.into_owned(fingerprint(&identity, occurrence)));
        }
    });
    let mut first_rows = Vec::new();
    let mut header = Vec::new();
    if !file.columns.is_empty() {
        let mut records = Records::new(text);
        let mut fields = Vec::new();
        let (row_lines, rows) = preview(&mut records, &mut fields);
        for (line, row) in row_lines.into_iter().zip(rows) {
            if line == file.header_line {
                header = row;
            } else if line > file.header_line && first_rows.len() < Inspection::ROWS {
                first_rows.push((line, row));
            }
        }
    }
    report.sort();
    Inspection {
        guess: file.guess,
        date_order: file.date_order,
        header_line: file.header_line,
        header,
        first_rows,
        first_lines,
        lines,
        total,
        first_paid_on: file.first_paid_on,
        last_paid_on: file.last_paid_on,
        skipped: file.skipped,
        redacted_lines: file.redacted_lines,
        report,
    }
}

/// `supplier = 'Payee', amount = 'Net'`: fields and their headers, as the
/// import report quotes them.
fn mapping_list<'a>(pairs: impl Iterator<Item = &'a (SpendField, String)>) -> String {
    pairs
        .map(|(f, h)| format!("{} = '{h}'", f.words()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// [`read`], handing each good line to `each` as it is read instead of
/// keeping them: the returned file has no `lines`, everything else. Lines
/// get no fingerprint: only storing them needs one, and working it out
/// (a SHA-256 and a count of identical lines) costs as much as reading.
pub fn read_each(
    text: &str,
    options: &ReadOptions,
    report: &mut Report,
    mut each: impl FnMut(ReadLine<'_>),
) -> SpendFile {
    let mut file = SpendFile::default();
    let mut records = Records::new(text);
    let mut fields: Vec<Cow<'_, str>> = Vec::new();
    let (lines, rows) = preview(&mut records, &mut fields);
    if let Some((line, _)) = lines.iter().zip(&rows).find(|(_, r)| r.len() > MAX_COLUMNS) {
        report.push(Problem::error(
            *line,
            None,
            Message::new("anchors.spend.too_many_columns").arg("max", MAX_COLUMNS),
        ));
        return file;
    }
    let Some(located) = columns::locate(&rows, &options.mapping) else {
        // Only the first non-empty row is quoted, and only its first
        // fields: a header of a million columns gives a short error.
        let first = rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .find(|r| r.iter().any(|f| !f.is_empty()))
            .map(|r| {
                r.iter()
                    .take(40)
                    .map(|f| f.as_ref())
                    .collect::<Vec<&str>>()
                    .join(", ")
            });
        // Text without two lines of two columns or more is not a table at
        // all (one long line of junk, a letter): said as that, as a
        // whole-file problem, without quoting it or advising a column mapping.
        let table = rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .filter(|r| r.iter().filter(|f| !f.trim().is_empty()).count() > 1)
            .count()
            > 1;
        let (line, m) = match &first {
            None => (0, Message::new("import.empty_file")),
            Some(_) if !table => (
                0,
                Message::new("anchors.spend.not_a_table")
                    .arg("expected", crate::i18n::t("anchors.spend.expected")),
            ),
            Some(first) => (
                1,
                Message::new("anchors.spend.no_header")
                    .arg("rows", HEADER_SEARCH_ROWS)
                    .arg("first", clip(first, 80)),
            ),
        };
        report.push(Problem::error(line, None, m));
        return file;
    };
    let header_row = located.header_row;
    let columns = located.fields;
    file.guess = located.guess;
    file.header_line = lines[header_row];
    file.skipped.title_rows = rows[..header_row]
        .iter()
        .filter(|r| r.iter().any(|f| !f.is_empty()))
        .count() as u64;
    let headers = &rows[header_row];
    if file.skipped.title_rows > 0 {
        report.push(Problem::warning(
            file.header_line,
            None,
            Message::new("anchors.spend.title_rows").arg("count", file.skipped.title_rows),
        ));
    }
    let at = |f: SpendField| columns.iter().find(|(g, _)| *g == f).map(|(_, i)| *i);
    let col = |i: usize| Column {
        number: i + 1,
        name: headers[i].clone(),
    };
    file.columns = columns
        .iter()
        .map(|(f, i)| (*f, headers[*i].clone()))
        .collect();
    let said = match (file.guess.unsure_list(), file.guess.by_content()) {
        (Some(list), _) => {
            Some(Message::new("anchors.spend.columns_uncertain").arg("columns", list))
        }
        (None, Some(list)) => {
            Some(Message::new("anchors.spend.columns_recognised").arg("columns", list))
        }
        (None, None) => None,
    };
    if let Some(m) = said {
        report.push(Problem::warning(file.header_line, None, m));
    }
    if file.guess.mapping_set_aside {
        report.push(Problem::warning(
            file.header_line,
            None,
            Message::new("anchors.spend.mapping_set_aside")
                .arg(
                    "missing",
                    mapping_list(options.mapping.0.iter().filter(|(_, h)| {
                        let key = crate::csv_import::header_key(h);
                        !headers
                            .iter()
                            .any(|c| crate::csv_import::header_key(c) == key)
                    })),
                )
                .arg("columns", mapping_list(file.guess.mapping.0.iter())),
        ));
    }
    for f in [SpendField::PaidOn] {
        if at(f).is_none() && options.undated_lines_on.is_none() {
            report.push(Problem::error(
                file.header_line,
                None,
                Message::new("anchors.spend.missing_column").arg("field", f.words()),
            ));
            return file;
        }
    }
    // Day or month first: the rows already read, then the rest of the
    // file's dates (that column only) until enough of them show it.
    let mut tally = OrderTally::default();
    if let Some(d) = at(SpendField::PaidOn) {
        for (line, row) in lines.iter().zip(&rows).skip(header_row + 1) {
            tally.add(*line, row.get(d).map_or("", String::as_str));
        }
        while tally.decisive() < ORDER_EVIDENCE && records.next_into(&mut fields).is_some() {
            tally.add(records.line(), fields.get(d).map_or("", |f| f));
        }
    }
    file.date_order = tally.decide(options.date_order);
    let order = file.date_order.order;
    let order_warning = match (file.date_order.basis, order) {
        (DateOrderBasis::Hint, o) => {
            Some(Message::new("anchors.spend.date_order_hint").arg("order", o.words()))
        }
        (DateOrderBasis::Assumed, _) => Some(Message::new("anchors.spend.date_order_assumed")),
        (DateOrderBasis::Inferred, DateOrder::MonthFirst) => {
            let (line, value) = file.date_order.example.clone().unwrap_or_default();
            Some(
                Message::new("anchors.spend.date_order_month_first")
                    .arg("example", value)
                    .arg("line", line),
            )
        }
        _ => None,
    };
    if let Some(m) = order_warning {
        report.push(Problem::warning(0, at(SpendField::PaidOn).map(col), m));
    }
    // Read from just after the header again, every field now.
    let mut records = Records::new(text);
    for _ in 0..=header_row {
        records.next_into(&mut fields);
    }
    let (supplier_at, amount_at) = (
        at(SpendField::Supplier).unwrap_or(0),
        at(SpendField::Amount).unwrap_or(0),
    );
    let [
        paid_on_at,
        supplier_id_at,
        expense_type_at,
        expense_area_at,
        reference_at,
    ] = [
        SpendField::PaidOn,
        SpendField::SupplierId,
        SpendField::ExpenseType,
        SpendField::ExpenseArea,
        SpendField::Reference,
    ]
    .map(at);

    let mut since_total: Pence = 0;
    let mut payments: u64 = 0;
    while records.next_into(&mut fields).is_some() {
        let rec = &fields;
        let line = records.line();
        // No kept cell may be longer than a form's field: a 30 MB supplier
        // name would make every list that shows it megabytes long.
        let kept = [
            Some(supplier_at),
            supplier_id_at,
            expense_type_at,
            expense_area_at,
            reference_at,
        ];
        if let Some(i) = kept.into_iter().flatten().find(|&i| {
            rec.get(i).is_some_and(|f| {
                f.len() > validation::MAX_FIELD_CHARS
                    && f.chars().count() > validation::MAX_FIELD_CHARS
            })
        }) {
            report.push(Problem::error(
                line,
                Some(col(i)),
                Message::new("validation.field_too_long").arg("field", &headers[i]),
            ));
            continue;
        }
        let field = |i: Option<usize>| trim(i.and_then(|i| rec.get(i)).map_or("", |f| f));
        let supplier_id = tidy(field(supplier_id_at));
        let mut supplier = tidy(field(Some(supplier_at)));
        // A blank name with the publisher's supplier id is a real payment
        // to a supplier whose name was left out: counted as withheld.
        if supplier.is_empty() && !supplier_id.is_empty() {
            supplier = Cow::Borrowed("Redacted");
        }
        let raw_amount = field(Some(amount_at));
        let total_word = |f: &str| {
            let k = f.trim().trim_end_matches(':').to_lowercase();
            matches!(
                k.as_str(),
                "sum" | "total" | "totals" | "grand total" | "total spend"
            )
        };
        let undated = field(paid_on_at).is_empty();
        if supplier.is_empty() && rec.iter().all(|f| trim(f).is_empty()) {
            continue;
        }
        if supplier.is_empty() || (undated && total_word(&supplier)) {
            // A total is labelled, or is the amount alone on its line and
            // equals the lines above it (Leeds, Barts).
            let alone = || {
                rec.iter()
                    .enumerate()
                    .all(|(i, f)| i == amount_at || trim(f).is_empty())
            };
            let is_total = |p: Pence| {
                rec.iter().any(|f| total_word(f)) || (p == since_total && p != 0 && alone())
            };
            match parse_pence(raw_amount) {
                Ok(p) if is_total(p) => {
                    file.skipped.totals_rows += 1;
                    let m = if p == since_total {
                        Message::new("anchors.spend.totals_row").arg("amount", format_pence(p))
                    } else {
                        Message::new("anchors.spend.totals_row_differs")
                            .arg("amount", format_pence(p))
                            .arg("sum", format_pence(since_total))
                    };
                    report.push(Problem::warning(line, None, m));
                    since_total = 0;
                }
                Ok(p) => {
                    file.skipped.no_supplier_rows += 1;
                    file.skipped.no_supplier_pence += p;
                    report.push(Problem::warning(
                        line,
                        Some(col(supplier_at)),
                        Message::new("anchors.spend.no_supplier").arg("amount", format_pence(p)),
                    ));
                }
                Err(_) => {
                    file.skipped.no_supplier_rows += 1;
                    report.push(Problem::warning(
                        line,
                        None,
                        Message::new("anchors.spend.stray_row"),
                    ));
                }
            }
            continue;
        }
        // A supplier and no amount: nothing was paid (Royal Free lists such
        // a line among its payments).
        if raw_amount.is_empty() {
            file.skipped.no_amount_rows += 1;
            report.push(Problem::warning(
                line,
                Some(col(amount_at)),
                Message::new("anchors.spend.no_amount"),
            ));
            continue;
        }
        // The header again below (monthly files joined into one): no payment.
        if raw_amount.len() == headers[amount_at].len()
            && raw_amount.eq_ignore_ascii_case(&headers[amount_at])
            && supplier.eq_ignore_ascii_case(&headers[supplier_at])
        {
            file.skipped.title_rows += 1;
            report.push(Problem::warning(
                line,
                None,
                Message::new("anchors.spend.header_repeated"),
            ));
            continue;
        }
        let mut ok = true;
        // An unquoted `12,345.00` splits into two fields: refuse to guess.
        if rec.iter().skip(headers.len()).any(|f| !f.trim().is_empty()) {
            report.push(Problem::error(
                line,
                None,
                Message::new("import.too_many_fields")
                    .arg("found", rec.len())
                    .arg("expected", headers.len()),
            ));
            ok = false;
        }
        let amount = match parse_pence(raw_amount) {
            Ok(p) => p,
            Err(m) => {
                report.push(Problem::error(line, Some(col(amount_at)), m));
                ok = false;
                0
            }
        };
        let raw_date = field(paid_on_at);
        let paid_on = match dates::parse_date(raw_date, order) {
            Ok(Some(d)) => Some(d),
            Ok(None) => match options.undated_lines_on {
                Some(d) => {
                    report.push(Problem::warning(
                        line,
                        paid_on_at.map(col),
                        Message::new("anchors.spend.undated").arg("date", d),
                    ));
                    Some(d)
                }
                None => {
                    report.push(Problem::error(
                        line,
                        paid_on_at.map(col),
                        Message::new("anchors.spend.date_missing"),
                    ));
                    None
                }
            },
            Err(m) => {
                report.push(Problem::error(
                    line,
                    paid_on_at.map(col),
                    order_conflict(&file.date_order, raw_date).unwrap_or(m),
                ));
                None
            }
        };
        let (Some(paid_on), true) = (paid_on, ok) else {
            file.skipped.bad_rows += 1;
            continue;
        };
        let (name, company_number) = split_company_number(supplier);
        let redacted = is_redacted(&name);
        let supplier = if redacted {
            Cow::Borrowed("Redacted")
        } else {
            name
        };
        let (expense_type, expense_area, reference) = (
            tidy(field(expense_type_at)),
            tidy(field(expense_area_at)),
            tidy(field(reference_at)),
        );
        if redacted {
            file.redacted_lines += 1;
        }
        since_total += amount;
        file.first_paid_on = Some(file.first_paid_on.map_or(paid_on, |d| d.min(paid_on)));
        file.last_paid_on = Some(file.last_paid_on.map_or(paid_on, |d| d.max(paid_on)));
        payments += 1;
        each(ReadLine {
            line,
            paid_on,
            supplier,
            company_number,
            supplier_id: Some(supplier_id).filter(|s| !s.is_empty()),
            amount,
            expense_type,
            expense_area,
            reference,
            redacted,
        });
    }
    if file.redacted_lines > 0 {
        report.push(Problem::warning(
            0,
            None,
            Message::new("anchors.spend.redacted").arg("count", file.redacted_lines),
        ));
    }
    // A line or two without an amount is a publisher's slip; most lines
    // without one is the wrong column, which skipping would hide.
    if file.skipped.no_amount_rows > payments {
        report.push(Problem::error(
            0,
            Some(col(amount_at)),
            Message::new("anchors.spend.amount_mostly_empty")
                .arg("empty", file.skipped.no_amount_rows)
                .arg("lines", payments + file.skipped.no_amount_rows),
        ));
    }
    file
}

/// Why a date the file's order cannot read is wrong, when the other order
/// reads it: the file's dates disagree, and the line showing the file's
/// order is named.
fn order_conflict(choice: &DateOrderChoice, raw: &str) -> Option<Message> {
    let other = choice.order.other();
    let (line, example) = choice.example.clone()?;
    matches!(dates::parse_date(raw, other), Ok(Some(_))).then(|| {
        Message::new("anchors.spend.date_order_conflict")
            .arg("value", raw.trim())
            .arg("this", other.words())
            .arg("order", choice.order.words())
            .arg("example", example)
            .arg("line", line)
    })
}

/// `str::trim`, answered at once for the usual field that starts and
/// ends with a printable ASCII character.
fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [a, .., b] if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        [a] if a.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Spaces trimmed and runs of white space made one (names padded to 50
/// characters, double spaces). Most fields are clean and are not copied.
fn tidy(s: &str) -> Cow<'_, str> {
    let t = trim(s);
    // ASCII white space other than the space is below it; then no two spaces.
    let b = t.as_bytes();
    let clean = b.iter().all(|c| *c >= b' ' || !c.is_ascii_whitespace())
        && memchr::memchr_iter(b' ', b).all(|i| b.get(i + 1) != Some(&b' '));
    if clean {
        return Cow::Borrowed(t);
    }
    Cow::Owned(t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `KINGS COLLEGE LONDON:03529700` → the name and the company number.
fn split_company_number(s: Cow<'_, str>) -> (Cow<'_, str>, Option<String>) {
    let found = memchr::memrchr(b':', s.as_bytes()).and_then(|colon| {
        let (name, num) = (&s[..colon], &s[colon + 1..]);
        let num = num.trim();
        let company = num.len() == 8
            && num.bytes().skip(2).all(|b| b.is_ascii_digit())
            && num.bytes().take(2).all(|b| b.is_ascii_alphanumeric());
        let start = name.len() - name.trim_start().len();
        let end = name.trim_end().len();
        (company && start < end).then(|| (start..end, num.to_uppercase()))
    });
    match (found, s) {
        (Some((r, num)), Cow::Borrowed(b)) => (Cow::Borrowed(&b[r]), Some(num)),
        (Some((r, num)), Cow::Owned(o)) => (Cow::Owned(o[r].to_string()), Some(num)),
        (None, s) => (s, None),
    }
}

/// Names publishers put where they withhold a private person's name
/// (compared without regard to case).
fn is_redacted(name: &str) -> bool {
    // Looked for only where the word's first letter is: most names have none.
    let contains = |word: &str| {
        let (b, w) = (name.as_bytes(), word.as_bytes());
        memchr::memchr2_iter(w[0], w[0].to_ascii_uppercase(), b).any(|i| {
            b.get(i..i + w.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(w))
        })
    };
    let is = |word: &str| name.eq_ignore_ascii_case(word);
    contains("redacted")
        || contains("withheld")
        || is("personal data")
        || is("private individual")
        || is("individual")
        || name
            .get(..12)
            .is_some_and(|p| p.eq_ignore_ascii_case("name removed"))
}

/// What makes two lines the same payment: date, supplier, amount,
/// reference, category and area (case aside), hashed. `bytes` is scratch
/// space, kept between lines. The bytes hashed must never change: stored
/// fingerprints are compared with new files' across imports.
fn identity(bytes: &mut Vec<u8>, paid_on: Date, amount: Pence, fields: [&str; 4]) -> [u8; 16] {
    bytes.clear();
    bytes.extend_from_slice(&paid_on.to_julian_day().to_le_bytes());
    bytes.extend_from_slice(&amount.to_le_bytes());
    for f in fields {
        if f.is_ascii() {
            let start = bytes.len();
            bytes.extend_from_slice(f.as_bytes());
            bytes[start..].make_ascii_lowercase();
        } else {
            for c in f.chars().flat_map(char::to_lowercase) {
                let mut b = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
        bytes.push(0x1f);
    }
    let d = Sha256::digest(&bytes[..]);
    let mut out = [0u8; 16];
    out.copy_from_slice(&d[..16]);
    out
}

/// Hashes an identity by its first eight bytes, which SHA-256 has mixed.
#[derive(Clone, Copy, Default)]
struct IdentityHash;

impl std::hash::BuildHasher for IdentityHash {
    type Hasher = IdentityHasher;
    fn build_hasher(&self) -> IdentityHasher {
        IdentityHasher(0)
    }
}

#[derive(Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(b);
        }
    }
}

/// The identity plus its occurrence in the file: two identical lines in one
/// file are two payments, and the same two in an overlapping file are the
/// same two payments.
fn fingerprint(identity: &[u8; 16], occurrence: u32) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes: [u8; 16] = if occurrence == 0 {
        *identity
    } else {
        let mut h = Sha256::new();
        h.update(identity);
        h.update(occurrence.to_le_bytes());
        let d = h.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&d[..16]);
        out
    };
    let mut s = String::with_capacity(32);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// The file's SHA-256, hex: the same bytes are the same file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads a date as UK publishers write them (day first); see
/// [`dates::parse_date`] for the forms read and for month-first files.
pub fn parse_date(raw: &str) -> Result<Option<Date>, Message> {
    dates::parse_date(raw, DateOrder::DayFirst)
}

/// The first `max` characters of `s`, with "…" where it was cut: a
/// header quoted back is a hint, not the file.
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::columns::{ChosenBy, ColumnGuess};
    use super::*;
    use proptest::strategy::{Just, Strategy};
    use time::macros::date;

    #[test]
    fn the_first_rows_give_the_same_guess_as_a_whole_read() {
        let usual = "Date Paid,Supplier Name,Amount\n02/04/2024,Acme Ltd,10.00\n";
        let odd = "When,Who,Net,VAT,Memo\n02/04/2024,Acme Ltd,\"1,000.00\",200.00,Catering\n\
                   03/04/2024,Bywest Ltd,500.00,100.00,Building\n";
        for text in [usual, odd] {
            let whole = read_str(text, &ReadOptions::default()).0.guess;
            let first = guess_columns(text, &ColumnMapping::default()).unwrap();
            assert_eq!(first, whole);
        }
        assert!(
            guess_columns(usual, &ColumnMapping::default())
                .unwrap()
                .certain
        );
        assert!(
            !guess_columns(odd, &ColumnMapping::default())
                .unwrap()
                .certain
        );
        assert_eq!(guess_columns("", &ColumnMapping::default()), None);
    }

    fn read_str(text: &str, options: &ReadOptions) -> (SpendFile, Report) {
        let mut report = Report::new("t.csv");
        let f = read(text, options, &mut report);
        (f, report)
    }

    /// Fingerprints stored by earlier imports must still match the same
    /// payments read today, or a re-import would count them twice.
    #[test]
    fn a_huge_header_or_cell_gives_a_short_error_naming_its_place() {
        // A header of a million columns: one short error, at once.
        let header: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
        let text = format!("{}\n1,2\n", header.join(","));
        let (_, report) = read_str(&text, &ReadOptions::default());
        assert!(report.has_errors());
        let size: usize = report.problems.iter().map(|p| p.message.text().len()).sum();
        assert!(size < 2_000, "the errors take {size} bytes");

        // A 70,000-character supplier name: an error at its line and column.
        let long = "A".repeat(70_000);
        let text =
            format!("Date,Supplier,Amount\n01/04/2024,Good Ltd,10.00\n01/04/2024,{long},5.00\n");
        let (_, report) = read_str(&text, &ReadOptions::default());
        let e = report
            .problems
            .iter()
            .find(|p| p.message.key == "validation.field_too_long")
            .expect("a too-long error");
        assert_eq!((e.line, e.column.as_ref().map(|c| c.number)), (3, Some(2)));
        assert!(e.message.text().len() < 200);
    }

    #[test]
    fn text_that_is_no_table_is_one_sentence_about_the_whole_file() {
        // One long line of junk: not quoted back, no column mapping advised,
        // and no line named (it is the file that is wrong, not line 1).
        let junk = "lorem ipsum dolor sit amet ".repeat(80);
        let (_, report) = read_str(&junk, &ReadOptions::default());
        let p = report.file_problem().expect("a whole-file problem");
        assert_eq!(
            (p.line, p.message.key.as_str()),
            (0, "anchors.spend.not_a_table")
        );
        let text = p.message.text();
        assert!(
            !text.contains("lorem") && !text.contains("column mapping"),
            "{text}"
        );
        // A table whose header is not recognised still gets the advice,
        // quoting only the start of its first row.
        let long = format!("{},B\nx,y\n", "A".repeat(300));
        let (_, report) = read_str(&long, &ReadOptions::default());
        let p = report.errors().next().unwrap();
        assert_eq!(
            (p.line, p.message.key.as_str()),
            (1, "anchors.spend.no_header")
        );
        assert!(p.message.text().len() < 400, "{}", p.message.text());
    }

    #[test]
    fn fingerprints_are_stable_across_versions() {
        let (f, r) = read_str(
            "Date,Supplier,Amount,Expense Type,Expense Area,Transaction Number\n\
             02/04/2020,Café Ñandú LTD,\"1,234.56\",Drugs,Pharmacy,AB-1\n\
             02/04/2020,Café Ñandú LTD,\"1,234.56\",Drugs,Pharmacy,AB-1\n",
            &ReadOptions::default(),
        );
        assert!(!r.has_errors(), "{r}");
        let got: Vec<&str> = f.lines.iter().map(|l| l.fingerprint.as_str()).collect();
        assert_eq!(
            got,
            [
                "8bbf08484a2901a9f86da5d92a711bb1",
                "f00f72ef5bce1aa81a7f8a4f8dce1b92"
            ]
        );
    }

    /// The reader's shortcuts for clean fields answer as the long way would.
    #[test]
    fn names_tidied_split_and_redacted() {
        for (raw, want) in [
            ("ACME LTD", "ACME LTD"),
            ("  ACME   LTD  ", "ACME LTD"),
            ("ACME\tLTD", "ACME LTD"),
            ("A", "A"),
            ("", ""),
            ("\u{a0}Café\u{a0}", "Café"),
            ("ACME  \r\n LTD", "ACME LTD"),
        ] {
            assert_eq!(tidy(raw), want, "{raw:?}");
            assert_eq!(trim(raw), raw.trim(), "{raw:?}");
        }
        assert!(matches!(tidy("ACME LTD"), Cow::Borrowed(_)));
        for (raw, name, number) in [
            (
                "KINGS COLLEGE LONDON:03529700",
                "KINGS COLLEGE LONDON",
                Some("03529700"),
            ),
            ("ACME : sc123456", "ACME", Some("SC123456")),
            ("RATIO: 1:2", "RATIO: 1:2", None),
            (":03529700", ":03529700", None),
        ] {
            let (n, c) = split_company_number(Cow::Borrowed(raw));
            assert_eq!((&*n, c.as_deref()), (name, number), "{raw}");
            let (n, _) = split_company_number(Cow::Owned(raw.to_string()));
            assert_eq!(&*n, name);
        }
        for name in [
            "REDACTED",
            "Name Redacted",
            "withheld - personal",
            "Personal Data",
            "INDIVIDUAL",
            "name removed (gdpr)",
        ] {
            assert!(is_redacted(name), "{name}");
        }
        for name in ["INDIVIDUAL CARE LTD", "RED ACTED", "Withers LLP", "", "r"] {
            assert!(!is_redacted(name), "{name}");
        }
    }

    #[test]
    fn dates_as_published() {
        for (raw, want) in [
            ("02/04/2020", Some(date!(2020 - 04 - 02))),
            ("2/4/2020", Some(date!(2020 - 04 - 02))),
            ("05-Apr-20", Some(date!(2020 - 04 - 05))),
            ("05-Sept-2020", Some(date!(2020 - 09 - 05))),
            ("5 April 2020", Some(date!(2020 - 04 - 05))),
            ("2020-04-02", Some(date!(2020 - 04 - 02))),
            ("2020-04-02 00:00:00", Some(date!(2020 - 04 - 02))),
            ("02/04/20", Some(date!(2020 - 04 - 02))),
            ("00:00:00", None),
            ("", None),
        ] {
            assert_eq!(parse_date(raw), Ok(want), "{raw}");
        }
        for bad in [
            "31/02/2020",
            "13/13/2020",
            "April",
            "2020",
            "05-Apx-20",
            "1/2/345",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn title_rows_totals_and_blank_suppliers() {
        let text = "Expenditure over £25,000,,\r\n\r\nDate Paid,Supplier Name,Amount,Expense Type\r\n\
                    02/04/2020,Bywest Ltd,\"67,132.60\",Building\r\n\
                    03/04/2020,  ACME   LTD  ,(100.00),Drugs\r\n\
                    03/04/2020,,0.01,Difference\r\n\
                    ,,\"67,032.60\",Sum:\r\n\
                    04/04/2020,Redacted personal data,500,Grants\r\n\
                    04/04/2020,KINGS COLLEGE LONDON:03529700,25,Grants\r\n";
        let (f, r) = read_str(text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        assert_eq!(f.header_line, 3);
        assert_eq!(f.skipped.title_rows, 1);
        assert_eq!(f.lines.len(), 4);
        assert_eq!(f.lines[1].supplier, "ACME LTD");
        assert_eq!(f.lines[1].amount, -10_000);
        assert_eq!(f.lines[1].line, 5);
        assert_eq!(f.skipped.totals_rows, 1);
        assert_eq!(f.skipped.no_supplier_rows, 1);
        assert_eq!(f.redacted_lines, 1);
        assert!(f.lines[2].redacted);
        assert_eq!(f.lines[3].supplier, "KINGS COLLEGE LONDON");
        assert_eq!(f.lines[3].company_number.as_deref(), Some("03529700"));
        assert_eq!(f.total(), 6_713_260 - 10_000 + 50_000 + 2_500);
        // The totals row matched the lines above it.
        assert!(
            r.warnings()
                .any(|p| p.line == 7 && p.message.key == "anchors.spend.totals_row")
        );
    }

    #[test]
    fn bad_lines_name_line_and_column() {
        let text = "Date,Supplier,Amount\n02/04/2020,A,12.00\n31/02/2020,B,12.00\n03/04/2020,C,twelve\n04/04/2020,D,12,345.00\n";
        let (f, r) = read_str(text, &ReadOptions::default());
        assert_eq!(f.lines.len(), 1);
        let errs: Vec<String> = r.errors().map(|p| p.describe("t.csv")).collect();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(
            errs[2].starts_with("t.csv:5: error: This row has 4 fields"),
            "{}",
            errs[2]
        );
        assert!(errs[0].starts_with("t.csv:3:1: error:"), "{}", errs[0]);
        assert!(errs[1].starts_with("t.csv:4:3: error:"), "{}", errs[1]);
        assert!(errs[1].contains("'Amount'"), "{}", errs[1]);
    }

    #[test]
    fn saved_mapping_reads_unknown_headers() {
        // Headers no publisher uses: "When" names a date, but only the
        // values say which of the others is the supplier and which the
        // amount, so the reader reads it but is not sure, and says so.
        let text = "When,Who,How much\n02/04/2020,Acme Ltd,12.00\n15/04/2020,Bywest Ltd,1.50\n";
        let (f, r) = read_str(text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        assert!(!f.guess.certain);
        assert_eq!(f.guess.unsure, [SpendField::Supplier, SpendField::Amount]);
        assert!(
            r.warnings()
                .any(|p| p.message.key == "anchors.spend.columns_uncertain")
        );
        assert_eq!(f.total(), 1_350);
        let mapping = ColumnMapping::parse(&[
            "paid_on=When".into(),
            "supplier=Who".into(),
            "amount=How much".into(),
        ])
        .unwrap();
        let (f, r) = read_str(
            text,
            &ReadOptions {
                mapping,
                ..Default::default()
            },
        );
        assert!(!r.has_errors(), "{r}");
        assert!(f.guess.certain);
        assert!(
            !r.warnings()
                .any(|p| p.message.key.starts_with("anchors.spend.columns"))
        );
        assert_eq!(f.lines[0].amount, 1_200);
        assert!(ColumnMapping::parse(&["colour=When".into()]).is_err());
    }

    /// An anchor that changed its export: the saved mapping names headers
    /// this file does not have, so the file is read as one nobody mapped,
    /// with a warning naming the missing headers and the columns used, and
    /// a person asked to confirm them (never refused as headerless).
    #[test]
    fn a_saved_mapping_that_fits_no_row_is_set_aside_with_a_warning() {
        let text = "Date Paid,Supplier Name,Amount,Expense Type\n\
                    03/04/2024,Bywest Ltd,1.23,Building\n\
                    04/04/2024,Cerner Ltd,10.00,IT\n";
        let mapping = ColumnMapping::parse(&[
            "paid_on=Payment Date".into(),
            "supplier=Vendor".into(),
            "amount=Net".into(),
        ])
        .unwrap();
        let (f, r) = read_str(
            text,
            &ReadOptions {
                mapping,
                ..Default::default()
            },
        );
        assert!(!r.has_errors(), "{r}");
        assert_eq!(f.total(), 1_123);
        assert_eq!(f.lines[1].supplier, "Cerner Ltd");
        assert!(f.guess.mapping_set_aside);
        assert!(!f.guess.certain, "a person confirms the new columns");
        let w = r
            .warnings()
            .find(|p| p.message.key == "anchors.spend.mapping_set_aside")
            .expect("the import report says the mapping was set aside");
        let text = w.message.text();
        assert!(text.contains("supplier = 'Vendor'"), "{text}");
        assert!(text.contains("amount = 'Amount'"), "{text}");
        // A mapping that fits is used as before, with no such warning.
        let (f, r) = read_str(
            text_fitting(),
            &ReadOptions {
                mapping: ColumnMapping::parse(&["supplier=Vendor".into(), "amount=Net".into()])
                    .unwrap(),
                ..Default::default()
            },
        );
        assert!(!r.has_errors(), "{r}");
        assert!(!f.guess.mapping_set_aside);
        assert!(
            !r.warnings()
                .any(|p| p.message.key == "anchors.spend.mapping_set_aside")
        );
    }

    fn text_fitting() -> &'static str {
        "Payment Date,Vendor,Net\n03/04/2024,Bywest Ltd,1.23\n"
    }

    /// A saved mapping wins even where the values would say otherwise.
    #[test]
    fn a_saved_mapping_wins_over_the_guess() {
        let text = "Date,Supplier,VAT,Amount\n02/04/2020,A,0.00,12.00\n15/04/2020,B,2.00,10.00\n";
        let mapping = ColumnMapping::parse(&["amount=VAT".into()]).unwrap();
        let (f, r) = read_str(
            text,
            &ReadOptions {
                mapping,
                ..Default::default()
            },
        );
        assert!(!r.has_errors(), "{r}");
        assert_eq!(f.total(), 200);
        assert_eq!(f.guess.columns[2].chosen_by, Some(ChosenBy::Mapping));
    }

    /// Lines of `date,supplier,amount` under a header.
    fn file(header: &str, dates: &[&str]) -> String {
        let mut t = format!("{header}\n");
        for (i, d) in dates.iter().enumerate() {
            t.push_str(&format!("{d},Supplier {i} Ltd,{}.00\n", 100 + i));
        }
        t
    }

    #[test]
    fn month_first_file_with_ambiguous_rows_is_read_month_first() {
        // The first rows read either way; the 13th of December shows it.
        let text = file(
            "Date,Supplier,Amount",
            &[
                "12/01/2020",
                "12/02/2020",
                "12/13/2020",
                "12/31/2020",
                "12/12/2020",
            ],
        );
        let (f, r) = read_str(&text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        assert_eq!(f.date_order.order, DateOrder::MonthFirst);
        assert_eq!(f.date_order.basis, DateOrderBasis::Inferred);
        assert_eq!(f.date_order.example, Some((4, "12/13/2020".to_string())));
        let got: Vec<Date> = f.lines.iter().map(|l| l.paid_on).collect();
        assert_eq!(
            got,
            [
                date!(2020 - 12 - 01),
                date!(2020 - 12 - 02),
                date!(2020 - 12 - 13),
                date!(2020 - 12 - 31),
                date!(2020 - 12 - 12)
            ]
        );
        assert!(
            r.warnings()
                .any(|p| p.message.key == "anchors.spend.date_order_month_first"
                    && p.column.as_ref().is_some_and(|c| c.number == 1))
        );
        // A hint of the other order does not outweigh the file's own dates.
        let (g, _) = read_str(
            &text,
            &ReadOptions {
                date_order: Some(DateOrder::DayFirst),
                ..Default::default()
            },
        );
        assert_eq!(g.date_order.order, DateOrder::MonthFirst);
    }

    #[test]
    fn day_first_file_is_read_day_first_without_a_word() {
        let text = file(
            "Date,Supplier,Amount",
            &["01/04/2020", "30/04/2020", "02/04/2020"],
        );
        let (f, r) = read_str(
            &text,
            &ReadOptions {
                date_order: Some(DateOrder::MonthFirst),
                ..Default::default()
            },
        );
        assert!(!r.has_errors(), "{r}");
        assert_eq!(
            (f.date_order.order, f.date_order.basis),
            (DateOrder::DayFirst, DateOrderBasis::Inferred)
        );
        assert_eq!(f.lines[2].paid_on, date!(2020 - 04 - 02));
        assert!(
            !r.warnings()
                .any(|p| p.message.key.starts_with("anchors.spend.date_order"))
        );
    }

    #[test]
    fn ambiguous_only_file_follows_the_hint_and_says_so() {
        let text = file("Date,Supplier,Amount", &["02/04/2020", "03/04/2020"]);
        let (f, r) = read_str(
            &text,
            &ReadOptions {
                date_order: Some(DateOrder::MonthFirst),
                ..Default::default()
            },
        );
        assert!(!r.has_errors(), "{r}");
        assert_eq!(
            (f.date_order.order, f.date_order.basis),
            (DateOrder::MonthFirst, DateOrderBasis::Hint)
        );
        assert_eq!(f.lines[0].paid_on, date!(2020 - 02 - 04));
        assert_eq!(f.date_order.to_remember(), None);
        let said: Vec<String> = r
            .warnings()
            .filter(|p| p.message.key == "anchors.spend.date_order_hint")
            .map(|p| p.message.text())
            .collect();
        assert_eq!(said.len(), 1, "{r}");
        assert!(said[0].contains("month first"), "{}", said[0]);
        // No hint: day first, the UK way, and the report says it assumed so.
        let (f, r) = read_str(&text, &ReadOptions::default());
        assert_eq!(
            (f.date_order.order, f.date_order.basis),
            (DateOrder::DayFirst, DateOrderBasis::Assumed)
        );
        assert_eq!(f.lines[0].paid_on, date!(2020 - 04 - 02));
        assert!(
            r.warnings()
                .any(|p| p.message.key == "anchors.spend.date_order_assumed")
        );
        // Dates no order can misread need no decision and no warning.
        let text = file("Date,Supplier,Amount", &["2020-04-02", "05-Apr-20"]);
        let (f, r) = read_str(&text, &ReadOptions::default());
        assert_eq!(f.date_order.basis, DateOrderBasis::NotNeeded);
        assert!(
            !r.warnings()
                .any(|p| p.message.key.starts_with("anchors.spend.date_order"))
        );
    }

    #[test]
    fn dates_that_disagree_are_errors_naming_line_and_column() {
        let text = file(
            "Date,Supplier,Amount",
            &["30/04/2020", "12/31/2020", "29/04/2020", "02/04/2020"],
        );
        let (f, r) = read_str(&text, &ReadOptions::default());
        assert_eq!(f.lines.len(), 3);
        assert_eq!(f.date_order.order, DateOrder::DayFirst);
        let errs: Vec<&Problem> = r.errors().collect();
        assert_eq!(errs.len(), 1, "{r}");
        assert_eq!(errs[0].line, 3);
        assert_eq!(errs[0].column.as_ref().map(|c| c.number), Some(1));
        assert_eq!(errs[0].message.key, "anchors.spend.date_order_conflict");
        let text = errs[0].message.text();
        assert!(text.contains("'30/04/2020' on line 2"), "{text}");
    }

    /// The evidence may come late: the order is looked for beyond the rows
    /// the columns are judged on.
    #[test]
    fn the_order_is_found_far_down_the_file() {
        let mut dates = vec!["01/02/2020"; 2_000];
        dates.push("02/13/2020");
        let text = file("Date,Supplier,Amount", &dates);
        let (f, r) = read_str(&text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        assert_eq!(f.date_order.order, DateOrder::MonthFirst);
        assert_eq!(f.first_paid_on, Some(date!(2020 - 01 - 02)));
        assert_eq!(
            f.date_order.example,
            Some((2_002, "02/13/2020".to_string()))
        );
    }

    #[test]
    fn amount_column_is_chosen_by_content_when_a_wrong_one_comes_first() {
        // Both headers say amount; only one is the payment (the other is
        // mostly nothing and says VAT).
        let text = "Date,Paid To,VAT Amount,Amount Paid (GBP)\n\
                    02/04/2020,Acme Ltd,0.00,\"1,200.00\"\n\
                    15/04/2020,Bywest Ltd,0.00,310.55\n\
                    16/04/2020,Cygnet Care,20.00,120.00\n\
                    17/04/2020,Dunmore Ltd,0.00,-45.10\n";
        let (f, r) = read_str(text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        assert_eq!(
            f.columns
                .iter()
                .find(|(g, _)| *g == SpendField::Amount)
                .map(|(_, h)| h.as_str()),
            Some("Amount Paid (GBP)")
        );
        assert_eq!(f.guess.columns[3].chosen_by, Some(ChosenBy::Content));
        assert_eq!(f.total(), 120_000 + 31_055 + 12_000 - 4_510);
        assert_eq!(f.lines[0].supplier, "Acme Ltd");
        assert!(f.guess.certain, "{:?}", f.guess);
        let vat = &f.guess.columns[2];
        let amount = &f.guess.columns[3];
        let score = |c: &ColumnGuess| {
            c.scores
                .iter()
                .find(|(g, _)| *g == SpendField::Amount)
                .unwrap()
                .1
        };
        assert!(score(amount) > score(vat) + 20, "{:?}", f.guess.columns);
    }

    #[test]
    fn two_amount_like_columns_are_not_certain() {
        let text = "Date,Supplier,Net,Gross\n\
                    02/04/2020,Acme Ltd,100.00,120.00\n\
                    15/04/2020,Bywest Ltd,310.55,372.66\n";
        let (f, r) = read_str(text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        assert!(!f.guess.certain);
        assert_eq!(f.guess.unsure, [SpendField::Amount]);
        assert!(
            r.warnings()
                .any(|p| p.message.key == "anchors.spend.columns_uncertain"
                    && p.message.text().contains("amount = 'Net'"))
        );
        // The mapping it proposes reads back as the anchor's saved mapping.
        let saved = ColumnMapping::parse(&f.guess.mapping.pairs()).unwrap();
        assert_eq!(saved, f.guess.mapping);
    }

    #[test]
    fn header_words_in_another_order_and_case() {
        let text = "Amount Paid Out,Name of Supplier,Date of Transaction,supplierNumber,TransRef\n\
                    \"1,200.00\",Acme Ltd,02/04/2020,S1,T-1\n\
                    310.55,Bywest Ltd,15/04/2020,S2,T-2\n";
        let (f, r) = read_str(text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        let at = |g: SpendField| {
            f.columns
                .iter()
                .find(|(h, _)| *h == g)
                .map(|(_, h)| h.as_str())
        };
        assert_eq!(at(SpendField::Amount), Some("Amount Paid Out"));
        assert_eq!(at(SpendField::Supplier), Some("Name of Supplier"));
        assert_eq!(at(SpendField::PaidOn), Some("Date of Transaction"));
        assert_eq!(at(SpendField::SupplierId), Some("supplierNumber"));
        assert_eq!(f.lines[1].supplier_id.as_deref(), Some("S2"));
        assert!(f.guess.certain, "{:?}", f.guess);
    }

    #[test]
    fn padded_headers_and_a_blank_first_column() {
        let text = ",\u{a0}Date Paid ,  Supplier , Amount \n\
                    ,02/04/2020,Acme Ltd\u{a0}\u{a0},\" 1,200.00 \"\n\
                    ,15/04/2020,Bywest Ltd,310.55\n";
        let (f, r) = read_str(text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        assert!(f.guess.certain);
        assert_eq!(f.lines[0].supplier, "Acme Ltd");
        assert_eq!(f.total(), 151_055);
    }

    /// Banners of any length and shape above a usual header and above one
    /// only its words and values reveal.
    #[test]
    fn banners_of_zero_to_fifteen_lines() {
        let banner = [
            "Royal Sutton Coldfield Town Council",
            "Payments over £250,,,",
            "",
            "Period: April 2020,Printed 01/05/2020",
            "Prepared by:,Finance",
            ",,,,,",
            "\"Note: amounts exclude VAT, where reclaimable\"",
            "Total this period:,\"1,510.55\"",
        ];
        for header in [
            "Date Paid,Supplier Name,Details,Amount",
            "Inv Date,Payee,Details,£ (net)",
        ] {
            for n in 0..=15 {
                let mut text = String::new();
                for i in 0..n {
                    text.push_str(banner[i % banner.len()]);
                    text.push('\n');
                }
                text.push_str(header);
                text.push_str(
                    "\n02/04/2020,Acme Ltd,Rent,\"1,200.00\"\n15/04/2020,Bywest Ltd,Rates,310.55\n",
                );
                let (f, r) = read_str(&text, &ReadOptions::default());
                assert!(!r.has_errors(), "{n} {header}: {r}");
                assert_eq!(f.header_line, n as u64 + 1, "{n} {header}");
                assert_eq!(f.total(), 151_055, "{n} {header}");
                assert_eq!(f.lines[0].supplier, "Acme Ltd");
            }
        }
    }

    #[test]
    fn unlabelled_totals_and_lines_without_an_amount() {
        let text = "Date,Supplier,Amount\n\
                    02/04/2020,Acme Ltd,100.00\n\
                    03/04/2020,Medtronic,\n\
                    04/04/2020,Bywest Ltd,50.00\n\
                    ,,150.00\n\
                    ,,7.00\n";
        let (f, r) = read_str(text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        assert_eq!(f.total(), 15_000);
        assert_eq!(f.skipped.no_amount_rows, 1);
        assert_eq!(f.skipped.totals_rows, 1);
        assert_eq!(f.skipped.no_supplier_rows, 1);
        let keys: Vec<(u64, &str)> = r
            .warnings()
            .map(|p| (p.line, p.message.key.as_str()))
            .filter(|(l, _)| *l > 0)
            .collect();
        assert_eq!(
            keys,
            [
                (3, "anchors.spend.no_amount"),
                (5, "anchors.spend.totals_row"),
                (6, "anchors.spend.no_supplier")
            ]
        );
    }

    /// Monthly files pasted one under another: each header again is
    /// skipped, and two columns under one usual header leave the reader unsure.
    #[test]
    fn repeated_headers_and_twin_columns() {
        let text = "Date,Supplier,Amount,Amount\n\
                    02/04/2020,Acme Ltd,100.00,120.00\n\
                    Date,Supplier,Amount,Amount\n\
                    02/05/2020,Acme Ltd,50.00,60.00\n";
        let (f, r) = read_str(text, &ReadOptions::default());
        assert!(!r.has_errors(), "{r}");
        assert_eq!(f.total(), 15_000);
        assert_eq!(f.skipped.title_rows, 1);
        assert!(
            r.warnings()
                .any(|p| p.line == 3 && p.message.key == "anchors.spend.header_repeated")
        );
        assert!(!f.guess.certain);
        assert_eq!(f.guess.unsure, [SpendField::Amount]);
        assert!(
            r.warnings()
                .any(|p| p.message.key == "anchors.spend.columns_uncertain"
                    && p.message.text().contains("amount = 'Amount'"))
        );
    }

    /// A column mostly empty is not taken for the amount by a guess, and
    /// when a saved mapping points at one the file is refused, not read
    /// as a handful of lines.
    #[test]
    fn an_amount_column_mostly_empty_is_refused() {
        let text = "Date,Supplier,Amount,Adjustment\n\
                    02/04/2020,Acme Ltd,100.00,\n\
                    03/04/2020,Bywest Ltd,50.00,\n\
                    04/04/2020,Cygnet Ltd,25.00,-1.00\n";
        let mapping = ColumnMapping::parse(&["amount=Adjustment".into()]).unwrap();
        let (f, r) = read_str(
            text,
            &ReadOptions {
                mapping,
                ..Default::default()
            },
        );
        assert_eq!(f.skipped.no_amount_rows, 2);
        let errs: Vec<String> = r.errors().map(|p| p.describe("t.csv")).collect();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with("t.csv:0:4: error:"), "{}", errs[0]);
    }

    #[test]
    fn inspection_shows_the_guess_the_first_rows_and_the_total() {
        let mut text = String::from("Payments over £500\nWhen,Who,How much\n");
        for i in 0..25 {
            text.push_str(&format!("{:02}/04/2020,Supplier {i},{i}.50\n", i + 1));
        }
        let i = inspect(&text, &ReadOptions::default());
        assert!(!i.guess.certain);
        assert_eq!(i.header_line, 2);
        assert_eq!(i.header, ["When", "Who", "How much"]);
        assert_eq!(i.first_rows.len(), Inspection::ROWS);
        assert_eq!(
            i.first_rows[0],
            (
                3,
                vec!["01/04/2020".to_string(), "Supplier 0".into(), "0.50".into()]
            )
        );
        assert_eq!(i.first_lines.len(), Inspection::ROWS);
        assert_eq!(i.first_lines[1].supplier, "Supplier 1");
        assert_eq!(i.lines, 25);
        assert_eq!(i.total, (0..25).map(|n| n * 100 + 50).sum::<i64>());
        assert_eq!(i.date_order.basis, DateOrderBasis::Inferred);
        assert_eq!(i.skipped.title_rows, 1);
        assert!(!i.report.has_errors());
        let reasons: Vec<String> = i.guess.columns.iter().map(|c| c.reason().text()).collect();
        assert!(reasons[2].contains("100% amounts of money"), "{reasons:?}");
        // The first lines carry the fingerprints the import stores.
        let (f, _) = read_str(&text, &ReadOptions::default());
        assert_eq!(i.first_lines[..], f.lines[..Inspection::ROWS]);
        assert_eq!(i.total, f.total());
    }

    #[test]
    fn identical_lines_are_two_payments_but_the_same_two_in_any_file() {
        let text = "Date,Supplier,Amount\n02/04/2020,A,12.00\n02/04/2020,A,12.00\n";
        let (a, _) = read_str(text, &ReadOptions::default());
        let (b, _) = read_str(&format!("{text}03/04/2020,B,1\n"), &ReadOptions::default());
        assert_ne!(a.lines[0].fingerprint, a.lines[1].fingerprint);
        assert_eq!(a.lines[0].fingerprint, b.lines[0].fingerprint);
        assert_eq!(a.lines[1].fingerprint, b.lines[1].fingerprint);
    }

    #[test]
    fn undated_lines_need_a_period() {
        let text = "Paid Date,Supplier Name,Amount\n00:00:00,A,1500\n";
        let (_, r) = read_str(text, &ReadOptions::default());
        assert!(
            r.errors()
                .any(|p| p.message.key == "anchors.spend.date_missing")
        );
        let (f, r) = read_str(
            text,
            &ReadOptions {
                undated_lines_on: Some(date!(2014 - 04 - 01)),
                ..Default::default()
            },
        );
        assert!(!r.has_errors());
        assert_eq!(f.lines[0].paid_on, date!(2014 - 04 - 01));
    }

    proptest::proptest! {
        /// Dates written in either order, with or without a hint: every
        /// date reads back as written whenever one of them has a day over
        /// 12; otherwise the hint (or day first) decides, and says so.
        #[test]
        fn dates_read_back_in_the_order_written(
            days in proptest::collection::vec((2000i32..2030, 1u8..=12, 1u8..=28), 1..80),
            month_first: bool,
            hint in proptest::option::of(proptest::bool::ANY),
            sep in proptest::sample::select(vec!['/', '-', '.']),
        ) {
            let written = if month_first { DateOrder::MonthFirst } else { DateOrder::DayFirst };
            let hint = hint.map(|m| if m { DateOrder::MonthFirst } else { DateOrder::DayFirst });
            let mut text = String::from("Date,Supplier,Amount\n");
            for (y, m, d) in &days {
                let (a, b) = if month_first { (m, d) } else { (d, m) };
                text.push_str(&format!("{a:02}{sep}{b:02}{sep}{y},Acme Ltd,1.00\n"));
            }
            let (f, r) = read_str(&text, &ReadOptions { date_order: hint, ..Default::default() });
            proptest::prop_assert!(!r.has_errors(), "{}", r);
            let telling = days.iter().any(|(_, _, d)| *d > 12);
            let (order, basis) = match (telling, hint) {
                (true, _) => (written, DateOrderBasis::Inferred),
                (false, Some(h)) => (h, DateOrderBasis::Hint),
                (false, None) => (DateOrder::DayFirst, DateOrderBasis::Assumed),
            };
            proptest::prop_assert_eq!((f.date_order.order, f.date_order.basis), (order, basis));
            for (l, (y, m, d)) in f.lines.iter().zip(&days) {
                let (m, d) = if order == written { (*m, *d) } else { (*d, *m) };
                let want = Date::from_calendar_date(*y, time::Month::try_from(m).unwrap(), d).unwrap();
                proptest::prop_assert_eq!(l.paid_on, want);
            }
        }

        /// The same columns in any order, some under publishers' usual
        /// headers and some only their words and values reveal, with a VAT
        /// amount beside the amount: each field is found where it went.
        #[test]
        fn columns_are_found_in_any_order(
            order in Just((0..7).collect::<Vec<usize>>()).prop_shuffle(),
            usual: bool,
        ) {
            use proptest::prelude::*;
            let headers: [&str; 7] = if usual {
                ["Date Paid", "Supplier Name", "Amount", "Expense Type", "Transaction Number", "VAT", "Entity"]
            } else {
                ["Inv Date", "Paid To", "£ (net)", "Type of Expenditure", "Ref", "Irrecoverable VAT Amount", "Body"]
            };
            let rows: [[&str; 7]; 4] = [
                ["02/04/2020", "Acme Ltd", "\"1,200.00\"", "Rent", "T-1", "0.00", "Council"],
                ["15/04/2020", "Bywest Ltd", "310.55", "Rates", "T-2", "0.00", "Council"],
                ["16/04/2020", "Cygnet Care", "-45.10", "Care", "T-3", "9.02", "Council"],
                ["17/04/2020", "Dunmore & Sons", "88.00", "Rent", "T-4", "0.00", "Council"],
            ];
            let line = |cells: &[&str]| order.iter().map(|i| cells[*i]).collect::<Vec<_>>().join(",");
            let mut text = line(&headers) + "\n";
            for r in &rows {
                text.push_str(&(line(r) + "\n"));
            }
            let (f, r) = read_str(&text, &ReadOptions::default());
            prop_assert!(!r.has_errors(), "{}", r);
            let at = |g: SpendField| f.columns.iter().find(|(h, _)| *h == g).map(|(_, h)| h.clone());
            prop_assert_eq!(at(SpendField::PaidOn), Some(headers[0].to_string()));
            prop_assert_eq!(at(SpendField::Supplier), Some(headers[1].to_string()));
            prop_assert_eq!(at(SpendField::Amount), Some(headers[2].to_string()));
            prop_assert_eq!(at(SpendField::ExpenseType), Some(headers[3].to_string()));
            prop_assert_eq!(at(SpendField::Reference), Some(headers[4].to_string()));
            prop_assert_eq!(f.total(), 120_000 + 31_055 - 4_510 + 8_800);
            prop_assert!(f.guess.certain, "{:?}", f.guess);
        }
    }
}
