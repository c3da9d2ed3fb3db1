//! The national organisation registers as supplier sources: Companies
//! House "Basic Company Data", the Charity Commission register extract, and
//! the charity↔company and mutual-society lookups.
//!
//! A national file is millions of rows (Companies House: ~5 million, 2.5 GB),
//! so nothing here holds a file: [`read_register`] streams rows from any
//! [`std::io::Read`] to a callback, keeping only one row's text at a time,
//! and a [`RegisterFilter`] drops the rows a caller has no use for (another
//! region, a name none of its suppliers has) before a record is built.
//!
//! No row is lost in silence: each is handed over, left out by the filter,
//! or refused with an error naming its line and column, and
//! [`ReadSummary`] counts all four so `rows` always adds up.

pub mod bench;
pub mod charity_commission;
pub mod companies_house;
pub mod links;
mod rows;
#[cfg(test)]
mod samples;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};

use serde::Serialize;
use time::Date;

use crate::anchors::measures::SupplierKind;
use crate::csv_import::{Column, Problem, Report};
use crate::i18n::Message;
use crate::place::postcode::Postcode;

pub use links::{LinkRelation, OrgLink, read_links};

/// The register files we read. The layout inside one (comma or tab, header
/// or none) is recognised from its first line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterFormat {
    /// Companies House "Basic Company Data" (the free monthly product): its
    /// CSV as published, or a copy re-saved as CSV or tab-separated text,
    /// with the header or without it (columns then in the published order).
    CompaniesHouse,
    /// The Charity Commission for England and Wales register extract,
    /// `publicextract.charity.txt` (tab-separated) or the same columns as CSV.
    CharityCommission,
    /// The same extract as published in JSON (`publicextract.charity.json`).
    CharityCommissionJson,
    /// Relationship lookups (`org_id_a,org_id_b[,org_name],relationship,source`):
    /// charity↔company numbers, CIO numbers, mutual societies. Read with
    /// [`read_links`]: they link organisations rather than describe them.
    Links,
}

impl RegisterFormat {
    pub const ALL: [RegisterFormat; 4] = [
        RegisterFormat::CompaniesHouse,
        RegisterFormat::CharityCommission,
        RegisterFormat::CharityCommissionJson,
        RegisterFormat::Links,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            RegisterFormat::CompaniesHouse => "companies-house",
            RegisterFormat::CharityCommission => "charity-commission",
            RegisterFormat::CharityCommissionJson => "charity-commission-json",
            RegisterFormat::Links => "links",
        }
    }

    pub fn parse(s: &str) -> Option<RegisterFormat> {
        Self::ALL.into_iter().find(|f| f.slug() == s.trim())
    }

    pub fn label_key(self) -> &'static str {
        match self {
            RegisterFormat::CompaniesHouse => "anchors.register.format.companies_house",
            RegisterFormat::CharityCommission => "anchors.register.format.charity_commission",
            RegisterFormat::CharityCommissionJson => {
                "anchors.register.format.charity_commission_json"
            }
            RegisterFormat::Links => "anchors.register.format.links",
        }
    }

    /// Recognises a register from the start of its file (the first line is
    /// enough; a few kilobytes are plenty). `None` when it is none of ours.
    pub fn detect(first_bytes: &[u8]) -> Option<RegisterFormat> {
        let bytes = first_bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(first_bytes);
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
        let bytes = &bytes[start..];
        if matches!(bytes[0], b'[' | b'{') {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
            return head
                .contains("\"registered_charity_number\"")
                .then_some(RegisterFormat::CharityCommissionJson);
        }
        let line = &bytes[..memchr::memchr(b'\n', bytes).unwrap_or(bytes.len())];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let (_, fields) = rows::first_fields(line);
        let has = |name: &str| fields.iter().any(|f| f.eq_ignore_ascii_case(name));
        if has("CompanyNumber") && has("CompanyName") {
            Some(RegisterFormat::CompaniesHouse)
        } else if has("registered_charity_number") {
            Some(RegisterFormat::CharityCommission)
        } else if has("org_id_a") && has("org_id_b") {
            Some(RegisterFormat::Links)
        } else if companies_house::looks_like_a_headerless_row(&fields) {
            Some(RegisterFormat::CompaniesHouse)
        } else {
            None
        }
    }
}

/// What kind of legal body an organisation is, as the registers say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalForm {
    PrivateLimited,
    PublicLimited,
    /// A public company from before 1980 that never re-registered.
    OldPublic,
    /// Limited by guarantee, no share capital (clubs, trade bodies, many
    /// charities, residents' management companies).
    Guarantee,
    PrivateUnlimited,
    CommunityInterestCompany,
    /// A charitable incorporated organisation (England and Wales, or Scottish).
    Cio,
    /// A charity that is also a company (Charity Commission "Charitable company").
    CharitableCompany,
    CharitableTrust,
    /// Another charity: an unincorporated association, a previously excepted
    /// charity and the like.
    OtherCharity,
    /// A co-operative or community benefit society (formerly industrial and
    /// provident society), on the FCA Mutuals Public Register.
    RegisteredSociety,
    LimitedLiabilityPartnership,
    LimitedPartnership,
    /// Registered on the Register of Overseas Entities (OE numbers).
    OverseasEntity,
    RoyalCharter,
    InvestmentCompany,
    /// A further education or sixth form college corporation.
    FurtherEducation,
    /// Any other category ("Other company type": mostly UK branches of
    /// overseas companies), or one we do not know.
    Other,
}

impl LegalForm {
    pub const ALL: [LegalForm; 18] = [
        LegalForm::PrivateLimited,
        LegalForm::PublicLimited,
        LegalForm::OldPublic,
        LegalForm::Guarantee,
        LegalForm::PrivateUnlimited,
        LegalForm::CommunityInterestCompany,
        LegalForm::Cio,
        LegalForm::CharitableCompany,
        LegalForm::CharitableTrust,
        LegalForm::OtherCharity,
        LegalForm::RegisteredSociety,
        LegalForm::LimitedLiabilityPartnership,
        LegalForm::LimitedPartnership,
        LegalForm::OverseasEntity,
        LegalForm::RoyalCharter,
        LegalForm::InvestmentCompany,
        LegalForm::FurtherEducation,
        LegalForm::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            LegalForm::PrivateLimited => "private_limited",
            LegalForm::PublicLimited => "public_limited",
            LegalForm::OldPublic => "old_public",
            LegalForm::Guarantee => "guarantee",
            LegalForm::PrivateUnlimited => "private_unlimited",
            LegalForm::CommunityInterestCompany => "cic",
            LegalForm::Cio => "cio",
            LegalForm::CharitableCompany => "charitable_company",
            LegalForm::CharitableTrust => "charitable_trust",
            LegalForm::OtherCharity => "other_charity",
            LegalForm::RegisteredSociety => "registered_society",
            LegalForm::LimitedLiabilityPartnership => "llp",
            LegalForm::LimitedPartnership => "limited_partnership",
            LegalForm::OverseasEntity => "overseas_entity",
            LegalForm::RoyalCharter => "royal_charter",
            LegalForm::InvestmentCompany => "investment_company",
            LegalForm::FurtherEducation => "further_education",
            LegalForm::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<LegalForm> {
        Self::ALL.into_iter().find(|f| f.slug() == s.trim())
    }

    /// The catalogue key of its name, written out so the catalogue test sees it.
    pub fn label_key(self) -> &'static str {
        match self {
            LegalForm::PrivateLimited => "anchors.register.legal_form.private_limited",
            LegalForm::PublicLimited => "anchors.register.legal_form.public_limited",
            LegalForm::OldPublic => "anchors.register.legal_form.old_public",
            LegalForm::Guarantee => "anchors.register.legal_form.guarantee",
            LegalForm::PrivateUnlimited => "anchors.register.legal_form.private_unlimited",
            LegalForm::CommunityInterestCompany => "anchors.register.legal_form.cic",
            LegalForm::Cio => "anchors.register.legal_form.cio",
            LegalForm::CharitableCompany => "anchors.register.legal_form.charitable_company",
            LegalForm::CharitableTrust => "anchors.register.legal_form.charitable_trust",
            LegalForm::OtherCharity => "anchors.register.legal_form.other_charity",
            LegalForm::RegisteredSociety => "anchors.register.legal_form.registered_society",
            LegalForm::LimitedLiabilityPartnership => "anchors.register.legal_form.llp",
            LegalForm::LimitedPartnership => "anchors.register.legal_form.limited_partnership",
            LegalForm::OverseasEntity => "anchors.register.legal_form.overseas_entity",
            LegalForm::RoyalCharter => "anchors.register.legal_form.royal_charter",
            LegalForm::InvestmentCompany => "anchors.register.legal_form.investment_company",
            LegalForm::FurtherEducation => "anchors.register.legal_form.further_education",
            LegalForm::Other => "anchors.register.legal_form.other",
        }
    }

    /// The kind of supplier a legal form alone makes an organisation, where
    /// it says (see [`companies_house::kind_of`] for the size of companies).
    pub fn kind(self) -> Option<SupplierKind> {
        match self {
            LegalForm::CommunityInterestCompany | LegalForm::RegisteredSociety => {
                Some(SupplierKind::SocialEnterprise)
            }
            LegalForm::Cio
            | LegalForm::CharitableCompany
            | LegalForm::CharitableTrust
            | LegalForm::OtherCharity => Some(SupplierKind::Vcse),
            LegalForm::FurtherEducation => Some(SupplierKind::PublicBody),
            LegalForm::PublicLimited => Some(SupplierKind::LargeCompany),
            _ => None,
        }
    }
}

/// Where an organisation stands on its register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterStatus {
    /// Active (a company) or registered (a charity).
    Active,
    /// Companies House has proposed to strike it off.
    ProposalToStrikeOff,
    /// In liquidation, administration, receivership or a voluntary
    /// arrangement: it still exists, and may still be paid.
    Insolvency,
    /// Dissolved, closed or converted: the company no longer exists.
    Dissolved,
    /// Removed from the register of charities.
    Removed,
    /// A status we do not know; the register's own words are in `status_text`.
    Other,
}

impl RegisterStatus {
    pub const ALL: [RegisterStatus; 6] = [
        RegisterStatus::Active,
        RegisterStatus::ProposalToStrikeOff,
        RegisterStatus::Insolvency,
        RegisterStatus::Dissolved,
        RegisterStatus::Removed,
        RegisterStatus::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            RegisterStatus::Active => "active",
            RegisterStatus::ProposalToStrikeOff => "proposal_to_strike_off",
            RegisterStatus::Insolvency => "insolvency",
            RegisterStatus::Dissolved => "dissolved",
            RegisterStatus::Removed => "removed",
            RegisterStatus::Other => "other",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            RegisterStatus::Active => "anchors.register.status.active",
            RegisterStatus::ProposalToStrikeOff => "anchors.register.status.proposal_to_strike_off",
            RegisterStatus::Insolvency => "anchors.register.status.insolvency",
            RegisterStatus::Dissolved => "anchors.register.status.dissolved",
            RegisterStatus::Removed => "anchors.register.status.removed",
            RegisterStatus::Other => "anchors.register.status.other",
        }
    }

    /// Whether the organisation still exists on its register (everything
    /// but dissolved and removed; a company in liquidation still exists).
    pub fn is_live(self) -> bool {
        !matches!(self, RegisterStatus::Dissolved | RegisterStatus::Removed)
    }
}

/// A Standard Industrial Classification (2007) code as Companies House
/// gives it: `86210 - General medical practice activities`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SicCode {
    pub code: String,
    pub text: String,
}

impl SicCode {
    /// Reads `86210 - General medical practice activities`; `None` for a
    /// blank or "None Supplied".
    pub fn parse(raw: &str) -> Option<SicCode> {
        let raw = raw.trim();
        let digits = raw.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 5 {
            return None;
        }
        let rest = &raw[digits..];
        let text = match rest.strip_prefix(" - ") {
            Some(t) => t.trim(),
            None if rest.is_empty() => "",
            None => return None,
        };
        Some(SicCode {
            code: raw[..digits].to_string(),
            text: text.to_string(),
        })
    }
}

/// Which register a record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterSource {
    CompaniesHouse,
    CharityCommission,
}

impl RegisterSource {
    pub fn slug(self) -> &'static str {
        match self {
            RegisterSource::CompaniesHouse => "companies_house",
            RegisterSource::CharityCommission => "charity_commission",
        }
    }
}

/// One organisation as a national register describes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegisterRecord {
    /// org-id.guide identifier: `GB-COH-01234567`, `GB-CHC-1234567`.
    pub org_id: String,
    pub name: String,
    pub legal_form: LegalForm,
    pub kind: SupplierKind,
    /// Eight characters, prefix kept (`SC123456`, `IP10067R`, `CE012989`).
    pub company_number: Option<String>,
    pub charity_number: Option<String>,
    /// The registered office (a company) or contact address (a charity)
    /// postcode, tidied: `B18 7QH`.
    pub postcode: Option<String>,
    /// The post town of that address, as written.
    pub town: Option<String>,
    /// Up to four, in the register's order.
    pub sic: Vec<SicCode>,
    pub status: RegisterStatus,
    /// The register's own words for the status (`Active - Proposal to Strike off`).
    pub status_text: String,
    /// Incorporated (a company) or registered (a charity).
    #[serde(with = "crate::iso_date::option")]
    pub registered_on: Option<Date>,
    /// Dissolved (a company) or removed (a charity).
    #[serde(with = "crate::iso_date::option")]
    pub ended_on: Option<Date>,
    pub source: RegisterSource,
    /// The line of the file it starts on, to point a person back at it.
    pub line: u64,
}

impl RegisterRecord {
    /// The company a charity is also registered as, when the register says
    /// (a link to merge the two into one organisation).
    pub fn company_org_id(&self) -> Option<String> {
        match self.source {
            RegisterSource::CharityCommission => {
                self.company_number.as_ref().map(|n| format!("GB-COH-{n}"))
            }
            RegisterSource::CompaniesHouse => None,
        }
    }
}

/// Which rows to keep. With no sets given, every row is kept (live ones
/// only, if asked); with sets, a row is kept when it matches **any** of them
/// (the suppliers' names, or the region's postcode areas), so one pass over
/// the national file finds both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    /// Postcode areas (`B`, `WS`) or districts (`B18`), upper case.
    pub postcode_areas: HashSet<String>,
    /// Names as [`crate::anchors::supplier::name_key`] makes them, the form the
    /// matcher compares: `bywest` for "The Bywest Ltd.".
    pub name_keys: HashSet<String>,
    /// org-ids (`GB-COH-01234567`): organisations already in the register.
    pub org_ids: HashSet<String>,
    /// Leave out dissolved companies and removed charities.
    pub live_only: bool,
}

impl RegisterFilter {
    /// Keeps every row.
    pub fn everything() -> Self {
        Self::default()
    }

    fn any_sets(&self) -> bool {
        !(self.postcode_areas.is_empty() && self.name_keys.is_empty() && self.org_ids.is_empty())
    }

    /// Whether a row with these fields is kept. `name` and `postcode` are
    /// only looked at when a set needs them.
    pub(crate) fn keeps(
        &self,
        status: RegisterStatus,
        org_id: &str,
        name: &str,
        postcode: Option<&Postcode>,
    ) -> bool {
        if self.live_only && !status.is_live() {
            return false;
        }
        if !self.any_sets() {
            return true;
        }
        if self.org_ids.contains(org_id) {
            return true;
        }
        if let Some(p) = postcode
            && (self.postcode_areas.contains(p.area()) || self.postcode_areas.contains(p.outward()))
        {
            return true;
        }
        !self.name_keys.is_empty()
            && self
                .name_keys
                .contains(&crate::anchors::supplier::name_key(name))
    }
}

/// How a read went, counted so that nothing goes missing:
/// `rows == records + filtered_out + refused + linked_charities`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReadSummary {
    /// Lines in the file, the header among them.
    pub lines: u64,
    pub bytes: u64,
    /// Data rows (a row running over lines is one row).
    pub rows: u64,
    /// Handed to the callback.
    pub records: u64,
    /// Left out by the filter.
    pub filtered_out: u64,
    /// Not read, each with an error in the report.
    pub refused: u64,
    /// Charity Commission rows for a linked charity (a branch or fund
    /// registered under its main charity's number), left out: the main
    /// charity is the organisation that is paid.
    pub linked_charities: u64,
}

impl ReadSummary {
    /// Every row accounted for.
    pub fn balances(&self) -> bool {
        self.rows == self.records + self.filtered_out + self.refused + self.linked_charities
    }
}

/// Size of the read buffer: large enough that the source is read in few
/// calls, small beside the 2 GB a national load may use.
pub(crate) const BUFFER: usize = 1 << 20;

/// Reads a register file, handing each record kept by `filter` to
/// `on_record` as it goes. Problems go into `report` with line and column:
/// errors for rows that cannot be read (they are skipped and counted as
/// refused; the rest of the file is still read), warnings for values
/// dropped from a record that was read (an unreadable postcode or date).
/// A link file gives an error here: read it with [`read_links`].
///
/// Rows the filter leaves out are only checked for what makes a row (its
/// fields, a name, a number), not for the detail of their values.
pub fn read_register(
    format: RegisterFormat,
    reader: impl Read,
    filter: &RegisterFilter,
    report: &mut Report,
    on_record: impl FnMut(RegisterRecord),
) -> ReadSummary {
    let mut src = BufReader::with_capacity(BUFFER, reader);
    match format {
        RegisterFormat::CompaniesHouse => {
            companies_house::read(&mut src, filter, report, on_record)
        }
        RegisterFormat::CharityCommission => {
            charity_commission::read(&mut src, filter, report, on_record)
        }
        RegisterFormat::CharityCommissionJson => {
            charity_commission::read_json(&mut src, filter, report, on_record)
        }
        RegisterFormat::Links => {
            report.push(Problem::error(
                0,
                None,
                Message::new("anchors.register.links_not_register"),
            ));
            ReadSummary::default()
        }
    }
}

/// Recognises the format from the first bytes and reads it.
pub fn read_any_register(
    reader: impl Read,
    filter: &RegisterFilter,
    report: &mut Report,
    on_record: impl FnMut(RegisterRecord),
) -> Option<(RegisterFormat, ReadSummary)> {
    let mut src = BufReader::with_capacity(BUFFER, reader);
    let head = match src.fill_buf() {
        Ok(b) => b,
        Err(e) => {
            report.push(Problem::error(
                0,
                None,
                Message::new("anchors.register.unreadable").arg("reason", e),
            ));
            return None;
        }
    };
    let Some(format) = RegisterFormat::detect(head) else {
        report.push(Problem::error(
            0,
            None,
            Message::new("anchors.register.format_unknown"),
        ));
        return None;
    };
    Some((
        format,
        read_register(format, src, filter, report, on_record),
    ))
}

/// A company number as Companies House writes it: upper case, eight
/// characters, prefix kept (`SC123456`, `IP10067R`, `SO301CUS`), plain
/// numbers padded with zeros (`8209948` → `08209948`, as spreadsheets and
/// the charity register drop them). `None` when it cannot be one: longer
/// than eight, other characters than letters and digits, no digit.
pub fn company_number(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let b = s.as_bytes();
    if b.is_empty()
        || b.len() > 8
        || !b.iter().all(u8::is_ascii_alphanumeric)
        || !b.iter().any(u8::is_ascii_digit)
    {
        return None;
    }
    if b.len() == 8 {
        // Societies' and LLPs' numbers mix letters in at the end
        // (`SO301CUS`, `OCP1234C`): eight characters are taken as written.
        return Some(s);
    }
    // Shorter: a prefix of up to two letters, digits, letters after; the
    // zeros that were dropped go after the prefix.
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = b[letters..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let tail_ok = b[letters + digits..].iter().all(u8::is_ascii_uppercase);
    if letters > 2 || digits == 0 || !tail_ok {
        return None;
    }
    let mut out = String::with_capacity(8);
    out.push_str(&s[..letters]);
    out.extend(std::iter::repeat_n('0', 8 - s.len()));
    out.push_str(&s[letters..]);
    Some(out)
}

/// Tidies a postcode; a warning when one is there but unreadable.
pub(crate) fn tidy_postcode(
    raw: &str,
    line: u64,
    column: Option<Column>,
    warn: bool,
    report: &mut Report,
) -> Option<Postcode> {
    let v = raw.trim();
    if v.is_empty() {
        return None;
    }
    match Postcode::parse(v) {
        Ok(p) => Some(p),
        Err(_) => {
            if warn {
                report.push(Problem::warning(
                    line,
                    column,
                    Message::new("anchors.register.postcode_bad").arg("value", v),
                ));
            }
            None
        }
    }
}

/// Reads a register date (`29/07/2020`, `2020-07-29`, `2020-07-29 00:00:00`);
/// a warning when one is there but unreadable.
pub(crate) fn register_date(
    raw: &str,
    line: u64,
    column: Option<Column>,
    report: &mut Report,
) -> Option<Date> {
    match crate::anchors::spend_file::parse_date(raw) {
        Ok(d) => d,
        Err(_) => {
            report.push(Problem::warning(
                line,
                column,
                Message::new("anchors.register.date_bad").arg("value", raw.trim()),
            ));
            None
        }
    }
}

/// The error for a row the splitter could not read.
pub(crate) fn row_problem(p: &rows::RowProblem, header: &[String]) -> Problem {
    let col = |n: usize| -> Option<Column> {
        (n > 0).then(|| Column {
            number: n,
            name: header.get(n - 1).cloned().unwrap_or_default(),
        })
    };
    match *p {
        rows::RowProblem::TooLong { line } => Problem::error(
            line,
            None,
            Message::new("anchors.register.line_too_long").arg("limit", rows::MAX_LINE_BYTES),
        ),
        rows::RowProblem::FieldCount {
            line,
            found,
            expected,
        } => Problem::error(
            line,
            // The first field missing, or the first one too many.
            col(if found < expected {
                found + 1
            } else {
                expected + 1
            }),
            Message::new("anchors.register.field_count")
                .arg("found", found)
                .arg("expected", expected),
        ),
        rows::RowProblem::QuoteNotClosed { line, column } => Problem::error(
            line,
            col(column),
            Message::new("anchors.register.quote_not_closed").arg("lines", rows::MAX_ROW_LINES),
        ),
        rows::RowProblem::StrayQuote { line, column } => Problem::error(
            line,
            col(column),
            Message::new("anchors.register.quote_stray"),
        ),
    }
}

/// Warnings about how a row that was read was read: a file that stops
/// being UTF-8 (said once), a quote read as text, a quote that closed early.
pub(crate) fn row_warnings<R: BufRead>(
    split: &rows::Splitter<R>,
    header: &[String],
    said_not_utf8: &mut bool,
    report: &mut Report,
) {
    let line = split.line();
    if split.not_utf8() && !*said_not_utf8 {
        *said_not_utf8 = true;
        report.push(Problem::warning(
            line,
            None,
            Message::new("anchors.register.not_utf8"),
        ));
    }
    if let Some(q) = split.quote_as_text() {
        report.push(Problem::warning(
            line,
            column_at(header, Some(q.column - 1)),
            Message::new("anchors.register.quote_as_text"),
        ));
    }
    if let Some(column) = split.stray_quote() {
        report.push(Problem::warning(
            line,
            column_at(header, Some(column - 1)),
            Message::new("anchors.register.quote_stray_read"),
        ));
    }
}

/// The column a header position names, for problems.
pub(crate) fn column_at(header: &[String], index: Option<usize>) -> Option<Column> {
    index.map(|i| Column {
        number: i + 1,
        name: header.get(i).cloned().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_numbers_keep_prefixes_and_pad_plain_numbers() {
        for (raw, want) in [
            ("08209948", Some("08209948")),
            ("8209948", Some("08209948")),
            (" 807672 ", Some("00807672")),
            ("SC606050", Some("SC606050")),
            ("sc606050", Some("SC606050")),
            ("NI012345", Some("NI012345")),
            ("FC031362", Some("FC031362")),
            ("CE012989", Some("CE012989")),
            ("IP10067R", Some("IP10067R")),
            ("OE012345", Some("OE012345")),
            ("SO301234", Some("SO301234")),
            ("R0000123", Some("R0000123")),
            ("SC1234", Some("SC001234")),
            ("IP1234R", Some("IP01234R")),
            ("SO301CUS", Some("SO301CUS")),
            ("OCP1234C", Some("OCP1234C")),
            ("1234R", Some("0001234R")),
            ("", None),
            ("123456789", None),
            ("ABC1234", None),
            ("12-345", None),
            ("SC", None),
            ("S1C2", None),
        ] {
            assert_eq!(company_number(raw).as_deref(), want, "{raw:?}");
        }
    }

    #[test]
    fn sic_codes_read_code_and_text() {
        assert_eq!(
            SicCode::parse("86210 - General medical practice activities"),
            Some(SicCode {
                code: "86210".into(),
                text: "General medical practice activities".into()
            })
        );
        assert_eq!(SicCode::parse("None Supplied"), None);
        assert_eq!(SicCode::parse(""), None);
    }

    #[test]
    fn every_form_status_and_format_has_catalogue_text() {
        use crate::i18n::has;
        for f in LegalForm::ALL {
            assert!(has(f.label_key()), "{f:?}");
            assert_eq!(LegalForm::parse(f.slug()), Some(f));
        }
        for s in RegisterStatus::ALL {
            assert!(has(s.label_key()), "{s:?}");
        }
        for f in RegisterFormat::ALL {
            assert!(has(f.label_key()), "{f:?}");
            assert_eq!(RegisterFormat::parse(f.slug()), Some(f));
        }
    }

    #[test]
    fn formats_are_recognised_from_their_first_line() {
        let ch = b"CompanyName, CompanyNumber,RegAddress.CareOf\n\"! LTD\",\"08209948\",\"\"\n";
        assert_eq!(
            RegisterFormat::detect(ch),
            Some(RegisterFormat::CompaniesHouse)
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), ch].concat();
        assert_eq!(
            RegisterFormat::detect(&bom),
            Some(RegisterFormat::CompaniesHouse)
        );
        let headerless = "! LTD\t08209948\t\t\t9 PRINCES SQUARE\t\tHARROGATE\t\tENGLAND\tHG1 1ND\tPrivate Limited Company\tActive\tUnited Kingdom\n";
        assert_eq!(
            RegisterFormat::detect(headerless.as_bytes()),
            Some(RegisterFormat::CompaniesHouse)
        );
        let cc = b"date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\n";
        assert_eq!(
            RegisterFormat::detect(cc),
            Some(RegisterFormat::CharityCommission)
        );
        let json =
            b"\xEF\xBB\xBF[{\"date_of_extract\":\"2024-01-01\",\"registered_charity_number\":1}]";
        assert_eq!(
            RegisterFormat::detect(json),
            Some(RegisterFormat::CharityCommissionJson)
        );
        let links = b"org_id_a,org_id_b,org_name,relationship,source\n";
        assert_eq!(RegisterFormat::detect(links), Some(RegisterFormat::Links));
        assert_eq!(
            RegisterFormat::detect(b"org_id,name,kind\nGB-COH-1,A,sme\n"),
            None
        );
        assert_eq!(RegisterFormat::detect(b""), None);
    }

    #[test]
    fn the_filter_keeps_rows_matching_any_set() {
        let pc = Postcode::parse("B18 7QH").unwrap();
        let mut f = RegisterFilter::everything();
        assert!(f.keeps(RegisterStatus::Dissolved, "GB-COH-1", "X", None));
        f.live_only = true;
        assert!(!f.keeps(RegisterStatus::Dissolved, "GB-COH-1", "X", None));
        assert!(f.keeps(RegisterStatus::Insolvency, "GB-COH-1", "X", None));
        f.postcode_areas.insert("WS".into());
        assert!(!f.keeps(RegisterStatus::Active, "GB-COH-1", "X", Some(&pc)));
        f.postcode_areas.insert("B18".into());
        assert!(f.keeps(RegisterStatus::Active, "GB-COH-1", "X", Some(&pc)));
        f.postcode_areas.clear();
        f.postcode_areas.insert("B".into());
        assert!(f.keeps(RegisterStatus::Active, "GB-COH-1", "X", Some(&pc)));
        f.name_keys.insert("bywest".into());
        assert!(f.keeps(RegisterStatus::Active, "GB-COH-1", "The Bywest Ltd.", None));
        assert!(!f.keeps(RegisterStatus::Active, "GB-COH-1", "Eastby Ltd", None));
        f.org_ids.insert("GB-COH-1".into());
        assert!(f.keeps(RegisterStatus::Active, "GB-COH-1", "Eastby Ltd", None));
    }
}
