//! Links between identifiers of one organisation in two registers: a charity
//! that is also a company (`GB-CHC-1000611` ↔ `GB-COH-08591698`), a CIO's
//! Companies House number (`GB-COH-CE008706` ↔ `GB-CHC-1169028`), a society on
//! the FCA Mutuals Public Register (`GB-MPR-10002R` ↔ `GB-COH-IP10002R`).
//!
//! A caller merges the two sides into one organisation, so spend with the
//! company and spend with the charity count once, and takes the link's kind:
//! registers of companies do not say a company is a charity, or that a
//! registered society is a co-operative or community benefit society.
//! Files as drkane/charity-lookups publishes them:
//! `org_id_a,org_id_b[,org_name],relationship,source`.

use std::io::{BufReader, Read};

use serde::Serialize;

use super::rows::{self, Next, Splitter};
use super::{BUFFER, LegalForm, ReadSummary, column_at, company_number, row_problem, row_warnings};
use crate::anchors::measures::SupplierKind;
use crate::csv_import::{Problem, Report};
use crate::i18n::Message;

/// How the two sides of a link are related.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkRelation {
    /// The same organisation in two registers: merge them.
    SameAs,
    /// `a` is the parent of `b` (a group, a federation).
    Parent,
    /// `b` took over from `a` (a merger, a re-registration).
    Successor,
    /// A relationship we do not know; not to be merged on.
    Other,
}

impl LinkRelation {
    pub fn parse(s: &str) -> LinkRelation {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['_', '-', ' '], "")
            .as_str()
        {
            "" | "sameas" => LinkRelation::SameAs,
            "parent" | "parentof" => LinkRelation::Parent,
            "successor" | "mergedinto" | "reregistered" => LinkRelation::Successor,
            _ => LinkRelation::Other,
        }
    }
}

/// One link, its identifiers tidied (`GB-COH-8591698` → `GB-COH-08591698`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrgLink {
    pub a: String,
    pub b: String,
    /// The organisation's name, when the file gives one.
    pub name: Option<String>,
    pub relation: LinkRelation,
    /// The legal form the identifiers show, where they do (see [`OrgLink::form_of`]).
    pub legal_form: Option<LegalForm>,
    pub kind: Option<SupplierKind>,
    pub line: u64,
}

impl OrgLink {
    /// The legal form and kind two linked identifiers show: a society's
    /// number (`GB-MPR-…`, or a Companies House number with a society prefix:
    /// `IP`, `SP`, `NP`, `RS`) makes a co-operative or community benefit
    /// society, a social enterprise; a CIO's number (`CE`, `CS`) a CIO; a
    /// charity number beside a company number a charitable company; these
    /// three are VCSE. Other pairs say nothing.
    pub fn form_of(a: &str, b: &str) -> Option<(LegalForm, SupplierKind)> {
        let company_prefix = |id: &str| {
            id.strip_prefix("GB-COH-")
                .map(|n| n.get(..2).unwrap_or(n).to_string())
        };
        let prefixes = [company_prefix(a), company_prefix(b)];
        let has_prefix = |ps: &[&str]| prefixes.iter().flatten().any(|p| ps.contains(&p.as_str()));
        let charity = |id: &str| {
            id.starts_with("GB-CHC-") || id.starts_with("GB-SC-") || id.starts_with("GB-NIC-")
        };
        if a.starts_with("GB-MPR-")
            || b.starts_with("GB-MPR-")
            || has_prefix(&["IP", "SP", "NP", "RS"])
        {
            Some((LegalForm::RegisteredSociety, SupplierKind::SocialEnterprise))
        } else if has_prefix(&["CE", "CS"]) {
            Some((LegalForm::Cio, SupplierKind::Vcse))
        } else if (charity(a) || charity(b)) && prefixes.iter().any(Option::is_some) {
            Some((LegalForm::CharitableCompany, SupplierKind::Vcse))
        } else {
            None
        }
    }
}

/// An org-id tidied: scheme upper case, company numbers as Companies House
/// writes them. `None` when it is not an org-id.
pub fn tidy_org_id(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let (country, rest) = raw.split_once('-')?;
    let (scheme, id) = rest.split_once('-')?;
    let id = id.trim();
    let ok = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
    };
    if !ok(country, 2..=2)
        || !ok(scheme, 2..=6)
        || id.is_empty()
        || id.contains(char::is_whitespace)
    {
        return None;
    }
    let (country, scheme) = (country.to_ascii_uppercase(), scheme.to_ascii_uppercase());
    let id = if scheme == "COH" {
        company_number(id)?
    } else {
        id.to_ascii_uppercase()
    };
    Some(format!("{country}-{scheme}-{id}"))
}

/// Reads a link file, handing each link to `on_link`. Rows with an
/// identifier that is not an org-id are refused with an error naming line
/// and column; the rest of the file is still read.
pub fn read_links(
    reader: impl Read,
    report: &mut Report,
    mut on_link: impl FnMut(OrgLink),
) -> ReadSummary {
    let mut src = BufReader::with_capacity(BUFFER, reader);
    let mut summary = ReadSummary::default();
    let (first, took) = match rows::read_first_line(&mut src) {
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
    let at = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(ia), Some(ib)) = (at("org_id_a"), at("org_id_b")) else {
        let missing = if at("org_id_a").is_none() {
            "org_id_a"
        } else {
            "org_id_b"
        };
        report.push(Problem::error(
            1,
            None,
            Message::new("import.missing_column").arg("column", missing),
        ));
        return summary;
    };
    let (iname, irel) = (at("org_name"), at("relationship"));
    let mut split = Splitter::new(src, delimiter, delimiter == b',');
    split.unread_first(first, took);
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
        let line = split.line();
        let mut ids = [String::new(), String::new()];
        let mut ok = true;
        for (k, i) in [ia, ib].into_iter().enumerate() {
            let raw = split.field(i).trim();
            match tidy_org_id(raw) {
                Some(id) => ids[k] = id,
                None => {
                    let message = if raw.is_empty() {
                        Message::new("anchors.register.value_missing").arg("column", &header[i])
                    } else {
                        Message::new("anchors.register.org_id_bad").arg("value", raw)
                    };
                    report.push(Problem::error(line, column_at(&header, Some(i)), message));
                    ok = false;
                }
            }
        }
        if !ok {
            summary.refused += 1;
            continue;
        }
        let [a, b] = ids;
        let form = OrgLink::form_of(&a, &b);
        let name = iname
            .map(|i| split.field(i).trim())
            .filter(|n| !n.is_empty());
        summary.records += 1;
        on_link(OrgLink {
            name: name.map(str::to_string),
            relation: irel.map_or(LinkRelation::SameAs, |i| {
                LinkRelation::parse(split.field(i))
            }),
            legal_form: form.map(|f| f.0),
            kind: form.map(|f| f.1),
            a,
            b,
            line,
        });
    }
    summary.lines = split.lines();
    summary.bytes = split.bytes();
    summary
}
