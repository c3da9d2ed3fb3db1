//! The Charity Commission for England and Wales register extract
//! (`publicextract.charity`, published daily from
//! register-of-charities.charitycommission.gov.uk/register/full-register-download):
//! one row per charity, main charities and their linked charities, registered
//! and removed, ~380,000 rows.
//!
//! The text form is tab-separated with no quoting (quotes in names and
//! activities are ordinary characters); the JSON form is one array of
//! objects with the same names. Columns as published: `date_of_extract,
//! organisation_number, registered_charity_number, linked_charity_number,
//! charity_name, charity_type, charity_registration_status,
//! date_of_registration, date_of_removal, …, charity_contact_address1..5,
//! charity_contact_postcode, …, charity_company_registration_number, …,
//! charity_is_cio, …`.

use std::io::BufRead;

use super::rows::{self, Next, Splitter};
use super::{
    LegalForm, ReadSummary, RegisterFilter, RegisterRecord, RegisterSource, RegisterStatus,
    column_at, company_number, register_date, row_problem, row_warnings, tidy_postcode,
};
use crate::anchors::measures::SupplierKind;
use crate::csv_import::{Column, Problem, Report};
use crate::i18n::Message;
use crate::place::postcode::Postcode;

/// The columns read, by their published names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Number,
    Linked,
    Name,
    Type,
    Status,
    Registered,
    Removed,
    Address1,
    Address2,
    Address3,
    Address4,
    Address5,
    Postcode,
    Company,
    IsCio,
}

const FIELDS: [(Field, &str); 15] = [
    (Field::Number, "registered_charity_number"),
    (Field::Linked, "linked_charity_number"),
    (Field::Name, "charity_name"),
    (Field::Type, "charity_type"),
    (Field::Status, "charity_registration_status"),
    (Field::Registered, "date_of_registration"),
    (Field::Removed, "date_of_removal"),
    (Field::Address1, "charity_contact_address1"),
    (Field::Address2, "charity_contact_address2"),
    (Field::Address3, "charity_contact_address3"),
    (Field::Address4, "charity_contact_address4"),
    (Field::Address5, "charity_contact_address5"),
    (Field::Postcode, "charity_contact_postcode"),
    (Field::Company, "charity_company_registration_number"),
    (Field::IsCio, "charity_is_cio"),
];

fn field_name(f: Field) -> &'static str {
    FIELDS.iter().find(|(g, _)| *g == f).map_or("", |(_, n)| n)
}

/// One row, from the text or the JSON form.
trait Row {
    fn get(&self, f: Field) -> &str;
    fn column(&self, f: Field) -> Option<Column>;
    fn line(&self) -> u64;
}

/// The legal form a `charity_type` names (the Commission's words:
/// `Charitable company`, `CIO`, `Trust`, `Other`, `Previously excepted`).
pub fn legal_form_of(charity_type: &str, is_cio: bool) -> LegalForm {
    match charity_type.trim().to_ascii_lowercase().as_str() {
        "charitable company" => LegalForm::CharitableCompany,
        "cio" => LegalForm::Cio,
        "trust" => LegalForm::CharitableTrust,
        _ if is_cio => LegalForm::Cio,
        _ => LegalForm::OtherCharity,
    }
}

/// The status a `charity_registration_status` names.
pub fn status_of(text: &str) -> RegisterStatus {
    match text.trim().to_ascii_lowercase().as_str() {
        "registered" => RegisterStatus::Active,
        "removed" => RegisterStatus::Removed,
        _ => RegisterStatus::Other,
    }
}

enum Outcome {
    Kept(Box<RegisterRecord>),
    Filtered,
    Refused,
    Linked,
}

fn record(row: &impl Row, filter: &RegisterFilter, report: &mut Report) -> Outcome {
    let line = row.line();
    let linked = row.get(Field::Linked).trim();
    if !(linked.is_empty() || linked == "0") {
        return Outcome::Linked;
    }
    let name = row.get(Field::Name).trim();
    if name.is_empty() {
        report.push(Problem::error(
            line,
            row.column(Field::Name),
            Message::new("anchors.register.value_missing").arg("column", field_name(Field::Name)),
        ));
        return Outcome::Refused;
    }
    let number = row.get(Field::Number).trim();
    if number.is_empty() || number.len() > 8 || !number.bytes().all(|b| b.is_ascii_digit()) {
        let message = if number.is_empty() {
            Message::new("anchors.register.value_missing").arg("column", field_name(Field::Number))
        } else {
            Message::new("anchors.register.charity_number_bad").arg("value", number)
        };
        report.push(Problem::error(line, row.column(Field::Number), message));
        return Outcome::Refused;
    }
    let status_text = row.get(Field::Status).trim();
    let status = status_of(status_text);
    let org_id = format!("GB-CHC-{number}");
    let raw_postcode = row.get(Field::Postcode);
    let postcode = Postcode::parse(raw_postcode.trim()).ok();
    if !filter.keeps(status, &org_id, name, postcode.as_ref()) {
        return Outcome::Filtered;
    }
    if postcode.is_none() {
        tidy_postcode(
            raw_postcode,
            line,
            row.column(Field::Postcode),
            true,
            report,
        );
    }
    let raw_company = row.get(Field::Company).trim();
    let company = if raw_company.is_empty() || raw_company == "0" {
        None
    } else {
        let n = company_number(raw_company);
        if n.is_none() {
            report.push(Problem::warning(
                line,
                row.column(Field::Company),
                Message::new("anchors.register.company_number_dropped").arg("value", raw_company),
            ));
        }
        n
    };
    let is_cio = row.get(Field::IsCio).trim().eq_ignore_ascii_case("true");
    let date = |f: Field, report: &mut Report| {
        let v = row.get(f);
        if v.trim().is_empty() {
            return None;
        }
        register_date(v, line, row.column(f), report)
    };
    let registered_on = date(Field::Registered, report);
    let ended_on = date(Field::Removed, report);
    // The contact address runs down its lines; the town is the last one given.
    let town = [
        Field::Address5,
        Field::Address4,
        Field::Address3,
        Field::Address2,
    ]
    .iter()
    .map(|&f| row.get(f).trim())
    .find(|v| !v.is_empty());
    let legal_form = legal_form_of(row.get(Field::Type), is_cio);
    Outcome::Kept(Box::new(RegisterRecord {
        org_id,
        name: name.to_string(),
        legal_form,
        kind: legal_form.kind().unwrap_or(SupplierKind::Vcse),
        company_number: company,
        charity_number: Some(number.to_string()),
        postcode: postcode.map(|p| p.to_string()),
        town: town.map(str::to_string),
        sic: Vec::new(),
        status,
        status_text: status_text.to_string(),
        registered_on,
        ended_on,
        source: RegisterSource::CharityCommission,
        line,
    }))
}

fn count(summary: &mut ReadSummary, outcome: Outcome, on_record: &mut impl FnMut(RegisterRecord)) {
    match outcome {
        Outcome::Kept(r) => {
            summary.records += 1;
            on_record(*r);
        }
        Outcome::Filtered => summary.filtered_out += 1,
        Outcome::Refused => summary.refused += 1,
        Outcome::Linked => summary.linked_charities += 1,
    }
}

struct TextRow<'a, R> {
    split: &'a Splitter<R>,
    at: &'a [Option<usize>; FIELDS.len()],
    header: &'a [String],
}

impl<R: BufRead> Row for TextRow<'_, R> {
    fn get(&self, f: Field) -> &str {
        self.at[f as usize].map_or("", |i| self.split.field(i))
    }
    fn column(&self, f: Field) -> Option<Column> {
        column_at(self.header, self.at[f as usize])
    }
    fn line(&self) -> u64 {
        self.split.line()
    }
}

/// Reads the text form (or the same columns as CSV).
pub(super) fn read(
    src: &mut impl BufRead,
    filter: &RegisterFilter,
    report: &mut Report,
    mut on_record: impl FnMut(RegisterRecord),
) -> ReadSummary {
    let mut summary = ReadSummary::default();
    let (first, took) = match rows::read_first_line(src) {
        Ok(x) => x,
        Err(e) => {
            report.push(Problem::error(
                0,
                None,
                Message::new("anchors.register.unreadable").arg("reason", e),
            ));
            return summary;
        }
    };
    summary.lines = (took > 0) as u64;
    summary.bytes = took;
    let (delimiter, header) = rows::first_fields(&first);
    let mut at = [None; FIELDS.len()];
    for (f, name) in FIELDS {
        at[f as usize] = header.iter().position(|h| h.eq_ignore_ascii_case(name));
    }
    for f in [Field::Number, Field::Name] {
        if at[f as usize].is_none() {
            report.push(Problem::error(
                1,
                None,
                Message::new("import.missing_column").arg("column", field_name(f)),
            ));
            return summary;
        }
    }
    let mut split = Splitter::new(src, delimiter, delimiter == b',');
    split.unread_first(first, took);
    // The header again, now through the splitter, to start at line 2.
    if !matches!(split.next_row(None), Ok(Some(Next::Row))) {
        report.push(Problem::error(
            1,
            None,
            Message::new("anchors.register.header_unreadable"),
        ));
        return summary;
    }
    let expected = Some(header.len());
    let mut said_not_utf8 = false;
    loop {
        let next = match split.next_row(expected) {
            Ok(Some(n)) => n,
            Ok(None) => break,
            Err(e) => {
                report.push(Problem::error(
                    split.lines() + 1,
                    None,
                    Message::new("anchors.register.unreadable").arg("reason", e),
                ));
                break;
            }
        };
        summary.rows += 1;
        if let Next::Problem(p) = next {
            summary.refused += 1;
            report.push(row_problem(&p, &header));
            continue;
        }
        row_warnings(&split, &header, &mut said_not_utf8, report);
        let row = TextRow {
            split: &split,
            at: &at,
            header: &header,
        };
        let outcome = record(&row, filter, report);
        count(&mut summary, outcome, &mut on_record);
    }
    summary.lines = split.lines();
    summary.bytes = split.bytes();
    summary
}

struct JsonRow {
    values: [String; FIELDS.len()],
    present: [bool; FIELDS.len()],
    line: u64,
}

impl Row for JsonRow {
    fn get(&self, f: Field) -> &str {
        &self.values[f as usize]
    }
    fn column(&self, f: Field) -> Option<Column> {
        // A JSON object has no column numbers: its place among our columns
        // names it with the key.
        self.present[f as usize].then(|| Column {
            number: f as usize + 1,
            name: field_name(f).to_string(),
        })
    }
    fn line(&self) -> u64 {
        self.line
    }
}

/// Reads the JSON form: a top-level array of objects, each taken out of the
/// stream alone (strings and escapes respected) and parsed on its own, so
/// the file is never held whole.
pub(super) fn read_json(
    src: &mut impl BufRead,
    filter: &RegisterFilter,
    report: &mut Report,
    mut on_record: impl FnMut(RegisterRecord),
) -> ReadSummary {
    let mut summary = ReadSummary::default();
    let mut objects = JsonObjects::new(src);
    let mut row = JsonRow {
        values: Default::default(),
        present: [false; FIELDS.len()],
        line: 0,
    };
    loop {
        let next = objects.next();
        summary.lines = objects.line;
        summary.bytes = objects.bytes;
        let line = match next {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(JsonProblem::Io(e)) => {
                report.push(Problem::error(
                    objects.line,
                    None,
                    Message::new("anchors.register.unreadable").arg("reason", e),
                ));
                break;
            }
            Err(JsonProblem::NotAnArray(line)) => {
                report.push(Problem::error(
                    line,
                    None,
                    Message::new("anchors.register.json_not_array"),
                ));
                break;
            }
            Err(JsonProblem::TooLong(line)) => {
                summary.rows += 1;
                summary.refused += 1;
                report.push(Problem::error(
                    line,
                    None,
                    Message::new("anchors.register.line_too_long")
                        .arg("limit", rows::MAX_LINE_BYTES),
                ));
                continue;
            }
        };
        summary.rows += 1;
        let map: serde_json::Map<String, serde_json::Value> =
            match serde_json::from_slice(&objects.object) {
                Ok(m) => m,
                Err(e) => {
                    summary.refused += 1;
                    report.push(Problem::error(
                        line + e.line().saturating_sub(1) as u64,
                        None,
                        Message::new("anchors.register.json_bad").arg("reason", e),
                    ));
                    continue;
                }
            };
        row.line = line;
        for (f, name) in FIELDS {
            let v = &mut row.values[f as usize];
            v.clear();
            let value = map.get(name);
            row.present[f as usize] = value.is_some();
            match value {
                Some(serde_json::Value::String(s)) => v.push_str(s),
                Some(serde_json::Value::Number(n)) => v.push_str(&n.to_string()),
                Some(serde_json::Value::Bool(b)) => v.push_str(if *b { "True" } else { "False" }),
                _ => {}
            }
        }
        let outcome = record(&row, filter, report);
        count(&mut summary, outcome, &mut on_record);
    }
    summary
}

enum JsonProblem {
    Io(std::io::Error),
    NotAnArray(u64),
    TooLong(u64),
}

/// Takes the objects of a top-level JSON array out of a stream one by one.
struct JsonObjects<'r, R> {
    src: &'r mut R,
    object: Vec<u8>,
    line: u64,
    bytes: u64,
    started: bool,
    done: bool,
}

impl<'r, R: BufRead> JsonObjects<'r, R> {
    fn new(src: &'r mut R) -> Self {
        JsonObjects {
            src,
            object: Vec::new(),
            line: 1,
            bytes: 0,
            started: false,
            done: false,
        }
    }

    fn byte(&mut self) -> Result<Option<u8>, JsonProblem> {
        loop {
            let buf = match self.src.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(JsonProblem::Io(e)),
            };
            let Some(&b) = buf.first() else {
                return Ok(None);
            };
            self.src.consume(1);
            self.bytes += 1;
            if b == b'\n' {
                self.line += 1;
            }
            return Ok(Some(b));
        }
    }

    /// Takes the next object's text into `object`; the line it starts on.
    fn next(&mut self) -> Result<Option<u64>, JsonProblem> {
        if self.done {
            return Ok(None);
        }
        if !self.started {
            self.started = true;
            // A byte order mark, then white space, then `[`.
            let mut lead = Vec::new();
            loop {
                match self.byte()? {
                    Some(b) if b.is_ascii_whitespace() => {}
                    Some(b) if lead.len() < 3 && b"\xEF\xBB\xBF"[lead.len()] == b => lead.push(b),
                    Some(b'[') => break,
                    Some(_) => return Err(JsonProblem::NotAnArray(self.line)),
                    None => {
                        self.done = true;
                        return Ok(None);
                    }
                }
            }
        }
        // Between objects: white space and commas, until `{` or `]`.
        loop {
            match self.byte()? {
                Some(b) if b.is_ascii_whitespace() || b == b',' => {}
                Some(b'{') => break,
                Some(b']') | None => {
                    self.done = true;
                    return Ok(None);
                }
                Some(_) => {
                    self.done = true;
                    return Err(JsonProblem::NotAnArray(self.line));
                }
            }
        }
        let start = self.line;
        self.object.clear();
        self.object.push(b'{');
        let (mut depth, mut in_string, mut escaped, mut too_long) = (1u32, false, false, false);
        while depth > 0 {
            let Some(b) = self.byte()? else {
                break;
            };
            if !too_long {
                if self.object.len() >= rows::MAX_LINE_BYTES {
                    too_long = true;
                    self.object.clear();
                } else {
                    self.object.push(b);
                }
            }
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => depth -= 1,
                    _ => {}
                }
            }
        }
        if too_long {
            return Err(JsonProblem::TooLong(start));
        }
        Ok(Some(start))
    }
}
