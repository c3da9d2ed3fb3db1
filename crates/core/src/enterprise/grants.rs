//! Grants as income, from 360Giving files (the UK grant-data standard:
//! <https://standard.threesixtygiving.org>). A file is read whole, in
//! either of the standard's forms: JSON (`{"grants": [...]}`) or the flat
//! spreadsheet form (CSV, or an Excel workbook turned into the same CSV),
//! whose columns are named `Identifier`, `Title`, `Amount Awarded`,
//! `Award Date`, `Currency`, `Recipient Org:Identifier`,
//! `Recipient Org:Name`, `Funding Org:Name`. Every bad value is an error
//! at its line and column (in a JSON file, the line of the grant's `id`
//! and the field's name), and nothing is imported while any remains.
//!
//! A grant counts as income in the financial year (April to March) its
//! award date falls in. Award dates are ISO (`2014-07-02`, as the standard
//! now asks), or as early publishers wrote them: `02/07/2014`,
//! `02/07/2014 00:00` and `07/2014` (month known, day not: the first of
//! the month is kept, which places the year just as well).

use serde::Serialize;
use time::{Date, Month};

use crate::anchors::spreadsheet;
use crate::csv_import::{Column, Problem, Report, Table, decode};
use crate::i18n::Message;
use crate::money::{Pence, parse_pence};

/// One grant as read from a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// The grant's 360Giving identifier (`360G-…`), unique across funders.
    pub identifier: String,
    pub title: String,
    pub funder: String,
    pub amount: Pence,
    #[serde(with = "crate::iso_date")]
    pub awarded_on: Date,
    /// The recipient's org-id (`GB-CHC-…`, `GB-COH-…`), when given.
    pub recipient_id: Option<String>,
    pub recipient_name: String,
    /// The line of the file it came from.
    pub line: u64,
}

impl Grant {
    /// The financial year (April to March) it is income in, by the year it
    /// starts in.
    pub fn year(&self) -> i32 {
        financial_year(self.awarded_on)
    }

    /// The company number an org-id `GB-COH-…` carries.
    pub fn company_number(&self) -> Option<&str> {
        self.recipient_id
            .as_deref()
            .and_then(|id| id.strip_prefix("GB-COH-"))
            .filter(|n| !n.is_empty())
    }
}

/// The year an April-to-March financial year containing `d` starts in.
pub fn financial_year(d: Date) -> i32 {
    if d.month() as u8 >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// Reads an award date as 360Giving publishers write them.
pub fn parse_award_date(raw: &str) -> Option<Date> {
    let s = raw.trim();
    let s = s.split(['T', ' ']).next().unwrap_or(s);
    let num = |t: &str| -> Option<i32> {
        (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (y, m, d) = if s.contains('-') {
        let p: Vec<&str> = s.split('-').collect();
        match p.as_slice() {
            [y, m, d] if y.len() == 4 => (num(y)?, num(m)?, num(d)?),
            _ => return None,
        }
    } else {
        let p: Vec<&str> = s.split('/').collect();
        match p.as_slice() {
            [d, m, y] if y.len() == 4 => (num(y)?, num(m)?, num(d)?),
            [m, y] if y.len() == 4 => (num(y)?, num(m)?, 1),
            _ => return None,
        }
    };
    if !(1900..=2100).contains(&y) {
        return None;
    }
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
}

/// The flat form's columns (as `csv_import::header_key` writes them).
const COLUMNS: &[&str] = &[
    "identifier",
    "title",
    "description",
    "currency",
    "amount_awarded",
    "award_date",
    "recipient_org:identifier",
    "recipient_org:name",
    "funding_org:identifier",
    "funding_org:name",
];
const REQUIRED: &[&str] = &[
    "identifier",
    "amount_awarded",
    "award_date",
    "recipient_org:name",
];

/// The values of one grant before they are checked, each with where it is.
struct Raw<'a> {
    line: u64,
    identifier: &'a str,
    title: &'a str,
    currency: &'a str,
    amount: String,
    award_date: &'a str,
    recipient_id: &'a str,
    recipient_name: &'a str,
    funder: &'a str,
    /// Where a field is, for its error: a CSV column or a JSON field.
    column: &'a dyn Fn(&str) -> Option<Column>,
}

fn check(raw: &Raw, report: &mut Report) -> Option<Grant> {
    let mut ok = true;
    let mut bad = |field: &str, m: Message| {
        report.push(Problem::error(raw.line, (raw.column)(field), m));
        ok = false;
    };
    let identifier = raw.identifier.trim();
    if identifier.is_empty() {
        bad(
            "identifier",
            Message::new("enterprise.grants.no_identifier"),
        );
    }
    let currency = raw.currency.trim();
    if !currency.is_empty() && !currency.eq_ignore_ascii_case("GBP") {
        bad(
            "currency",
            Message::new("enterprise.grants.currency").arg("value", currency),
        );
    }
    let amount = match parse_pence(&raw.amount) {
        Ok(p) if p >= 0 => Some(p),
        Ok(_) => {
            bad("amount_awarded", Message::new("enterprise.grants.negative"));
            None
        }
        Err(m) => {
            bad("amount_awarded", m);
            None
        }
    };
    let awarded_on = parse_award_date(raw.award_date);
    if awarded_on.is_none() {
        bad(
            "award_date",
            Message::new("enterprise.grants.award_date").arg("value", raw.award_date.trim()),
        );
    }
    let recipient_name = raw.recipient_name.trim();
    if recipient_name.is_empty() {
        bad(
            "recipient_org:name",
            Message::new("enterprise.grants.no_recipient"),
        );
    }
    if !ok {
        return None;
    }
    let recipient_id = raw.recipient_id.trim();
    Some(Grant {
        identifier: identifier.to_string(),
        title: raw.title.trim().to_string(),
        funder: raw.funder.trim().to_string(),
        amount: amount?,
        awarded_on: awarded_on?,
        recipient_id: (!recipient_id.is_empty()).then(|| recipient_id.to_uppercase()),
        recipient_name: recipient_name.to_string(),
        line: raw.line,
    })
}

/// Reads a 360Giving file in any of its forms. Errors go to `report`; a
/// grant identifier twice in the file is an error at the second.
pub fn parse(bytes: &[u8], report: &mut Report) -> Vec<Grant> {
    let start = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF);
    let grants = if start == Some(&b'{') {
        parse_json(bytes, report)
    } else if spreadsheet::is_spreadsheet(bytes) {
        match spreadsheet::to_csv(bytes) {
            Ok(text) => parse_csv(&text, report),
            Err(m) => {
                report.push(Problem::error(0, None, m));
                Vec::new()
            }
        }
    } else {
        parse_csv(&decode(bytes).0, report)
    };
    let mut seen: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    let mut twice = Vec::new();
    for g in &grants {
        if let Some(first) = seen.insert(&g.identifier, g.line) {
            twice.push(Problem::error(
                g.line,
                None,
                Message::new("enterprise.grants.twice")
                    .arg("value", &g.identifier)
                    .arg("line", first),
            ));
        }
    }
    for p in twice {
        report.push(p);
    }
    grants
}

fn parse_csv(text: &str, report: &mut Report) -> Vec<Grant> {
    let Some(table) = Table::parse(text, COLUMNS, REQUIRED, report) else {
        return Vec::new();
    };
    if report.has_errors() {
        return Vec::new();
    }
    let column = |c: &str| table.column(c);
    table
        .rows
        .iter()
        .filter_map(|row| {
            let get = |c: &str| table.get(row, c);
            check(
                &Raw {
                    line: row.line,
                    identifier: get("identifier"),
                    title: get("title"),
                    currency: get("currency"),
                    amount: get("amount_awarded").to_string(),
                    award_date: get("award_date"),
                    recipient_id: get("recipient_org:identifier"),
                    recipient_name: get("recipient_org:name"),
                    funder: get("funding_org:name"),
                    column: &column,
                },
                report,
            )
        })
        .collect()
}

/// The JSON field a flat column is.
fn json_field(column: &str) -> &'static str {
    match column {
        "identifier" => "id",
        "currency" => "currency",
        "amount_awarded" => "amountAwarded",
        "award_date" => "awardDate",
        "recipient_org:name" => "recipientOrganization.name",
        _ => "",
    }
}

fn parse_json(bytes: &[u8], report: &mut Report) -> Vec<Grant> {
    let (text, _) = decode(bytes);
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            report.push(Problem::error(
                e.line() as u64,
                Some(Column {
                    number: e.column(),
                    name: String::new(),
                }),
                Message::new("enterprise.grants.json").arg("reason", e),
            ));
            return Vec::new();
        }
    };
    let Some(list) = value.get("grants").and_then(|g| g.as_array()) else {
        report.push(Problem::error(
            0,
            None,
            Message::new("enterprise.grants.no_grants"),
        ));
        return Vec::new();
    };
    // Each grant's line: where its `"id"` is written, found in order.
    let mut from = 0usize;
    let line_of = |id: &str, from: &mut usize| -> u64 {
        let needle = serde_json::to_string(id).unwrap_or_default();
        match text[*from..].find(&needle) {
            Some(at) => {
                *from += at + needle.len();
                text[..*from].matches('\n').count() as u64 + 1
            }
            None => 0,
        }
    };
    let s = |v: Option<&serde_json::Value>| -> String {
        match v {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let column = |c: &str| {
        let name = json_field(c);
        (!name.is_empty()).then(|| Column {
            number: 0,
            name: name.to_string(),
        })
    };
    let mut out = Vec::new();
    for g in list {
        let first = |k: &str| g.get(k).and_then(|a| a.as_array()).and_then(|a| a.first());
        let id = s(g.get("id"));
        let line = if id.is_empty() {
            0
        } else {
            line_of(&id, &mut from)
        };
        let recipient = first("recipientOrganization");
        let funder = first("fundingOrganization");
        let (title, currency, award, rid, rname, fname) = (
            s(g.get("title")),
            s(g.get("currency")),
            s(g.get("awardDate")),
            s(recipient.and_then(|r| r.get("id"))),
            s(recipient.and_then(|r| r.get("name"))),
            s(funder.and_then(|f| f.get("name"))),
        );
        if let Some(grant) = check(
            &Raw {
                line,
                identifier: &id,
                title: &title,
                currency: &currency,
                amount: s(g.get("amountAwarded")),
                award_date: &award,
                recipient_id: &rid,
                recipient_name: &rname,
                funder: &fname,
                column: &column,
            },
            report,
        ) {
            out.push(grant);
        }
    }
    out
}

/// A grant's source, for income by year: which file it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrantRecord {
    pub grant: Grant,
    pub organisation: uuid::Uuid,
    /// The file it was imported from.
    pub source: String,
}

/// Imported grants' sum per financial year, by organisation.
pub fn by_year(records: &[GrantRecord], organisation: uuid::Uuid) -> Vec<(i32, Pence)> {
    let mut out: std::collections::BTreeMap<i32, Pence> = std::collections::BTreeMap::new();
    for r in records.iter().filter(|r| r.organisation == organisation) {
        *out.entry(r.grant.year()).or_default() += r.grant.amount;
    }
    out.into_iter().collect()
}

/// The recorded income years with each year's imported grants added to its
/// grants. A year with imported grants but no record stays out (not known:
/// what else it earned is not known); its grants are listed with their
/// source where the income is shown.
pub fn with_grants(
    years: &[super::income::IncomeYear],
    imported: &[(i32, Pence)],
) -> Vec<super::income::IncomeYear> {
    years
        .iter()
        .map(|y| {
            let mut y = *y;
            y.grants += imported
                .iter()
                .filter(|(year, _)| *year == y.year)
                .map(|(_, p)| p)
                .sum::<Pence>();
            y
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn award_dates_as_publishers_wrote_them() {
        assert_eq!(parse_award_date("2014-07-02"), Some(date!(2014 - 07 - 02)));
        assert_eq!(
            parse_award_date("2014-07-02T00:00:00Z"),
            Some(date!(2014 - 07 - 02))
        );
        assert_eq!(parse_award_date("02/07/2014"), Some(date!(2014 - 07 - 02)));
        assert_eq!(
            parse_award_date("01/03/2012 00:00"),
            Some(date!(2012 - 03 - 01))
        );
        assert_eq!(parse_award_date("08/2013"), Some(date!(2013 - 08 - 01)));
        assert_eq!(parse_award_date("31/02/2014"), None);
        assert_eq!(parse_award_date("last spring"), None);
        assert_eq!(financial_year(date!(2014 - 03 - 31)), 2013);
        assert_eq!(financial_year(date!(2014 - 04 - 01)), 2014);
    }

    #[test]
    fn the_flat_form_names_each_bad_cell() {
        let csv = "Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,Funding Org:Name\n\
                   360G-x-1,Kitchen,GBP,\"£5,000\",2024-05-01,GB-COH-07029099,Podnosh Ltd,Trust\n\
                   360G-x-2,Garden,EUR,lots,someday,,,Trust\n\
                   360G-x-1,Again,GBP,10,2024-05-01,,Someone,Trust\n";
        let mut r = Report::new("g.csv");
        let g = parse(csv.as_bytes(), &mut r);
        let where_: Vec<(u64, String)> = r
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
            where_,
            [
                (3, "Currency".to_string()),
                (3, "Amount Awarded".to_string()),
                (3, "Award Date".to_string()),
                (3, "Recipient Org:Name".to_string()),
                (4, String::new()),
            ]
        );
        assert_eq!(g[0].amount, 500_000);
        assert_eq!(g[0].company_number(), Some("07029099"));
        assert_eq!(g[0].year(), 2024);
    }

    #[test]
    fn a_json_grant_error_names_its_line_and_field() {
        let json = "{\"grants\": [\n {\"id\": \"360G-a\", \"amountAwarded\": 100.5, \"awardDate\": \"03/2015\",\n  \"recipientOrganization\": [{\"id\": \"GB-CHC-1\", \"name\": \"A\"}]},\n {\"id\": \"360G-b\",\n  \"amountAwarded\": \"x\", \"awardDate\": \"2015-01-01\", \"recipientOrganization\": [{\"name\": \"B\"}]}\n]}";
        let mut r = Report::new("g.json");
        let g = parse(json.as_bytes(), &mut r);
        assert_eq!(g.len(), 1);
        assert_eq!((g[0].amount, g[0].year(), g[0].line), (10_050, 2014, 2));
        let e: Vec<(u64, String)> = r
            .errors()
            .map(|p| (p.line, p.column.as_ref().unwrap().name.clone()))
            .collect();
        assert_eq!(e, [(4, "amountAwarded".to_string())]);
    }
}
