//! Companies House "Basic Company Data": the free monthly snapshot of every
//! live company (~5 million rows, 55 columns), as published (CSV, every
//! field quoted, header names with leading spaces) or as people re-save it
//! (pandas' minimal quoting; Excel's tab-separated text with quotes left
//! bare and the header gone).

use std::io::BufRead;

use super::rows::{self, Next, Splitter};
use super::{
    LegalForm, ReadSummary, RegisterFilter, RegisterRecord, RegisterSource, RegisterStatus,
    SicCode, column_at, company_number, register_date, row_problem, row_warnings, tidy_postcode,
};
use crate::anchors::measures::SupplierKind;
use crate::csv_import::{Problem, Report};
use crate::i18n::Message;
use crate::place::postcode::Postcode;

/// The published columns, in order, names trimmed. A file without a header
/// is read as these, as far as its rows go.
pub const COLUMNS: [&str; 55] = [
    "CompanyName",
    "CompanyNumber",
    "RegAddress.CareOf",
    "RegAddress.POBox",
    "RegAddress.AddressLine1",
    "RegAddress.AddressLine2",
    "RegAddress.PostTown",
    "RegAddress.County",
    "RegAddress.Country",
    "RegAddress.PostCode",
    "CompanyCategory",
    "CompanyStatus",
    "CountryOfOrigin",
    "DissolutionDate",
    "IncorporationDate",
    "Accounts.AccountRefDay",
    "Accounts.AccountRefMonth",
    "Accounts.NextDueDate",
    "Accounts.LastMadeUpDate",
    "Accounts.AccountCategory",
    "Returns.NextDueDate",
    "Returns.LastMadeUpDate",
    "Mortgages.NumMortCharges",
    "Mortgages.NumMortOutstanding",
    "Mortgages.NumMortPartSatisfied",
    "Mortgages.NumMortSatisfied",
    "SICCode.SicText_1",
    "SICCode.SicText_2",
    "SICCode.SicText_3",
    "SICCode.SicText_4",
    "LimitedPartnerships.NumGenPartners",
    "LimitedPartnerships.NumLimPartners",
    "URI",
    "PreviousName_1.CONDATE",
    "PreviousName_1.CompanyName",
    "PreviousName_2.CONDATE",
    "PreviousName_2.CompanyName",
    "PreviousName_3.CONDATE",
    "PreviousName_3.CompanyName",
    "PreviousName_4.CONDATE",
    "PreviousName_4.CompanyName",
    "PreviousName_5.CONDATE",
    "PreviousName_5.CompanyName",
    "PreviousName_6.CONDATE",
    "PreviousName_6.CompanyName",
    "PreviousName_7.CONDATE",
    "PreviousName_7.CompanyName",
    "PreviousName_8.CONDATE",
    "PreviousName_8.CompanyName",
    "PreviousName_9.CONDATE",
    "PreviousName_9.CompanyName",
    "PreviousName_10.CONDATE",
    "PreviousName_10.CompanyName",
    "ConfStmtNextDueDate",
    "ConfStmtLastMadeUpDate",
];

/// The legal form a `CompanyCategory` names; `None` for one we do not know.
pub fn legal_form_of(category: &str) -> Option<LegalForm> {
    let category = category.trim();
    // Five rows in six, read without a lower-case copy.
    if category.eq_ignore_ascii_case("Private Limited Company") {
        return Some(LegalForm::PrivateLimited);
    }
    let c = category.to_ascii_lowercase();
    let form = match c.as_str() {
        "private limited company" => LegalForm::PrivateLimited,
        "public limited company" | "plc" => LegalForm::PublicLimited,
        // A Societas Europaea is a public limited company in EU law.
        "european public limited-liability company (se)" => LegalForm::PublicLimited,
        "old public company" => LegalForm::OldPublic,
        "community interest company" => LegalForm::CommunityInterestCompany,
        "charitable incorporated organisation"
        | "scottish charitable incorporated organisation" => LegalForm::Cio,
        "registered society" | "industrial and provident society" => LegalForm::RegisteredSociety,
        "limited liability partnership" => LegalForm::LimitedLiabilityPartnership,
        "limited partnership" => LegalForm::LimitedPartnership,
        "overseas entity" => LegalForm::OverseasEntity,
        "royal charter company" => LegalForm::RoyalCharter,
        "further education and sixth form college corps" => LegalForm::FurtherEducation,
        "other company type"
        | "converted/closed"
        | "protected cell company"
        | "scottish partnership"
        | "united kingdom societas"
        | "united kingdom economic interest grouping"
        | "european economic interest grouping" => LegalForm::Other,
        _ if c.starts_with("pri/ltd by guar")
            || c.starts_with("pri/lbg/nsc")
            || c.contains("limited by guarantee") =>
        {
            LegalForm::Guarantee
        }
        _ if c.starts_with("private unlimited") => LegalForm::PrivateUnlimited,
        _ if c.starts_with("investment company with variable capital") => {
            LegalForm::InvestmentCompany
        }
        _ => return None,
    };
    Some(form)
}

/// The kind of supplier a company is. The legal form settles it for CICs,
/// CIOs, registered societies (co-operatives and community benefit
/// societies), PLCs (public companies are outside the small and medium
/// companies regimes) and college corporations. For private companies and
/// partnerships the accounts they file say their size: micro, small,
/// medium, abridged, dormant or none yet are small or medium; full and group
/// accounts are filed by large companies and by smaller ones that choose to,
/// and a subsidiary's exemption says nothing of its own size, so those are
/// not known. With no accounts column at all (a cut-down copy), a private
/// company counts as small or medium, as more than 99% of them are.
/// Companies limited by guarantee, overseas companies and the rest are not
/// known: a charity link from the lookups can make one VCSE later.
pub fn kind_of(form: LegalForm, accounts_category: &str) -> SupplierKind {
    if let Some(kind) = form.kind() {
        return kind;
    }
    match form {
        LegalForm::PrivateLimited
        | LegalForm::PrivateUnlimited
        | LegalForm::LimitedLiabilityPartnership
        | LegalForm::LimitedPartnership => {
            const SMALL_OR_MEDIUM: [&str; 12] = [
                "",
                "NO ACCOUNTS FILED",
                "MICRO ENTITY",
                "SMALL",
                "MEDIUM",
                "DORMANT",
                "TOTAL EXEMPTION FULL",
                "TOTAL EXEMPTION SMALL",
                "UNAUDITED ABRIDGED",
                "AUDITED ABRIDGED",
                "PARTIAL EXEMPTION",
                "INITIAL",
            ];
            let a = accounts_category.trim();
            if SMALL_OR_MEDIUM.iter().any(|s| s.eq_ignore_ascii_case(a)) {
                SupplierKind::Sme
            } else {
                SupplierKind::Unknown
            }
        }
        _ => SupplierKind::Unknown,
    }
}

/// The status a `CompanyStatus` names.
pub fn status_of(text: &str) -> RegisterStatus {
    let text = text.trim();
    if text.eq_ignore_ascii_case("active") {
        return RegisterStatus::Active;
    }
    let s = text.to_ascii_lowercase();
    if s.contains("proposal to strike off") {
        RegisterStatus::ProposalToStrikeOff
    } else if [
        "liquidation",
        "administ",
        "receiver",
        "voluntary arrangement",
        "insolven",
    ]
    .iter()
    .any(|w| s.contains(w))
    {
        RegisterStatus::Insolvency
    } else if ["dissolved", "closed", "converted", "removed"]
        .iter()
        .any(|w| s.contains(w))
    {
        RegisterStatus::Dissolved
    } else {
        RegisterStatus::Other
    }
}

/// Whether a first row without a header is a Companies House row in the
/// published column order: a name, a company number and a known category
/// where the 11th column is.
pub fn looks_like_a_headerless_row(fields: &[String]) -> bool {
    (11..=COLUMNS.len()).contains(&fields.len())
        && !fields[0].is_empty()
        && company_number(&fields[1]).is_some()
        && legal_form_of(&fields[10]).is_some()
}

/// Registered offices abroad have foreign postal codes: only a UK (or
/// blank) country is worth a warning when the postcode does not read.
fn uk_country(country: &str) -> bool {
    matches!(
        country.trim().to_ascii_uppercase().as_str(),
        "" | "ENGLAND"
            | "WALES"
            | "SCOTLAND"
            | "NORTHERN IRELAND"
            | "UNITED KINGDOM"
            | "GREAT BRITAIN"
            | "UK"
            | "ENGLAND AND WALES"
            | "ENGLAND & WALES"
    )
}

/// Where each column we read is, by header name or published position.
struct Columns {
    name: usize,
    number: usize,
    town: Option<usize>,
    country: Option<usize>,
    postcode: Option<usize>,
    category: Option<usize>,
    status: Option<usize>,
    dissolved: Option<usize>,
    incorporated: Option<usize>,
    accounts: Option<usize>,
    sic: [Option<usize>; 4],
}

impl Columns {
    fn find(header: &[String]) -> Result<Columns, &'static str> {
        let at = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        Ok(Columns {
            name: at("CompanyName").ok_or("CompanyName")?,
            number: at("CompanyNumber").ok_or("CompanyNumber")?,
            town: at("RegAddress.PostTown"),
            country: at("RegAddress.Country"),
            postcode: at("RegAddress.PostCode"),
            category: at("CompanyCategory"),
            status: at("CompanyStatus"),
            dissolved: at("DissolutionDate"),
            incorporated: at("IncorporationDate"),
            accounts: at("Accounts.AccountCategory"),
            sic: [
                at("SICCode.SicText_1"),
                at("SICCode.SicText_2"),
                at("SICCode.SicText_3"),
                at("SICCode.SicText_4"),
            ],
        })
    }
}

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
    if first.iter().all(|b| b.is_ascii_whitespace()) {
        report.push(Problem::error(
            0,
            None,
            Message::new("anchors.register.empty"),
        ));
        summary.lines = (took > 0) as u64;
        summary.bytes = took;
        return summary;
    }
    let (delimiter, first_fields) = rows::first_fields(&first);
    let has_header = first_fields
        .iter()
        .any(|f| f.eq_ignore_ascii_case("CompanyNumber"));
    if !has_header && !looks_like_a_headerless_row(&first_fields) {
        report.push(Problem::error(
            1,
            None,
            Message::new("anchors.register.not_companies_house"),
        ));
        summary.lines = 1;
        summary.bytes = took;
        return summary;
    }
    // Comma files are quoted as CSV is; tab-separated copies are Excel's,
    // which leaves quotes in names bare (`"B" COOL LIMITED`).
    let mut split = Splitter::new(src, delimiter, delimiter == b',');
    split.unread_first(first, took);
    let (header, mut expected): (Vec<String>, Option<usize>) = if has_header {
        match split.next_row(None) {
            Ok(Some(Next::Row)) => {
                let h: Vec<String> = (0..split.len())
                    .map(|i| split.field(i).trim().to_string())
                    .collect();
                let n = h.len();
                (h, Some(n))
            }
            // The header line is handed back whole, so only a source that
            // fails while a quote in it runs on can end here.
            Ok(_) | Err(_) => {
                report.push(Problem::error(
                    1,
                    None,
                    Message::new("anchors.register.header_unreadable"),
                ));
                summary.lines = split.lines();
                summary.bytes = split.bytes();
                return summary;
            }
        }
    } else {
        (COLUMNS.iter().map(|c| c.to_string()).collect(), None)
    };
    let cols = match Columns::find(&header) {
        Ok(c) => c,
        Err(missing) => {
            report.push(Problem::error(
                1,
                None,
                Message::new("import.missing_column").arg("column", missing),
            ));
            summary.lines = split.lines();
            summary.bytes = split.bytes();
            return summary;
        }
    };
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
        // Without a header, the first row sets how many fields a row has.
        expected.get_or_insert(split.len());
        row_warnings(&split, &header, &mut said_not_utf8, report);
        match record(&split, &cols, &header, filter, report) {
            Outcome::Kept(r) => {
                summary.records += 1;
                on_record(*r);
            }
            Outcome::Filtered => summary.filtered_out += 1,
            Outcome::Refused => summary.refused += 1,
        }
    }
    summary.lines = split.lines();
    summary.bytes = split.bytes();
    summary
}

pub(super) enum Outcome {
    Kept(Box<RegisterRecord>),
    Filtered,
    Refused,
}

fn record<R: BufRead>(
    row: &Splitter<R>,
    cols: &Columns,
    header: &[String],
    filter: &RegisterFilter,
    report: &mut Report,
) -> Outcome {
    let line = row.line();
    let get = |i: Option<usize>| i.map_or("", |i| row.field(i));
    let col = |i: Option<usize>| column_at(header, i);
    let name = row.field(cols.name).trim();
    if name.is_empty() {
        report.push(Problem::error(
            line,
            col(Some(cols.name)),
            Message::new("anchors.register.value_missing").arg("column", &header[cols.name]),
        ));
        return Outcome::Refused;
    }
    let raw_number = row.field(cols.number).trim();
    let Some(number) = company_number(raw_number) else {
        let message = if raw_number.is_empty() {
            Message::new("anchors.register.value_missing").arg("column", &header[cols.number])
        } else {
            Message::new("anchors.register.company_number_bad").arg("value", raw_number)
        };
        report.push(Problem::error(line, col(Some(cols.number)), message));
        return Outcome::Refused;
    };
    let status_text = get(cols.status).trim();
    let status = status_of(status_text);
    let org_id = format!("GB-COH-{number}");
    let raw_postcode = get(cols.postcode);
    let postcode = Postcode::parse(raw_postcode.trim()).ok();
    if !filter.keeps(status, &org_id, name, postcode.as_ref()) {
        return Outcome::Filtered;
    }
    if postcode.is_none() {
        // Only to say why it is missing.
        tidy_postcode(
            raw_postcode,
            line,
            col(cols.postcode),
            uk_country(get(cols.country)),
            report,
        );
    }
    let category = get(cols.category).trim();
    let legal_form = match legal_form_of(category) {
        Some(f) => f,
        None => {
            if !category.is_empty() {
                report.push(Problem::warning(
                    line,
                    col(cols.category),
                    Message::new("anchors.register.category_unknown").arg("value", category),
                ));
            }
            LegalForm::Other
        }
    };
    let date = |i: Option<usize>, report: &mut Report| -> Option<time::Date> {
        let v = get(i);
        if v.trim().is_empty() {
            return None;
        }
        register_date(v, line, col(i), report)
    };
    let registered_on = date(cols.incorporated, report);
    let ended_on = date(cols.dissolved, report);
    let town = get(cols.town).trim();
    Outcome::Kept(Box::new(RegisterRecord {
        org_id,
        name: name.to_string(),
        legal_form,
        kind: kind_of(legal_form, get(cols.accounts)),
        company_number: Some(number),
        charity_number: None,
        postcode: postcode.map(|p| p.to_string()),
        town: (!town.is_empty()).then(|| town.to_string()),
        sic: cols
            .sic
            .iter()
            .filter_map(|&i| SicCode::parse(get(i)))
            .collect(),
        status,
        status_text: status_text.to_string(),
        registered_on,
        ended_on,
        source: RegisterSource::CompaniesHouse,
        line,
    }))
}
