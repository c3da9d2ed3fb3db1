//! The programme's register of organisations (companies, charities, NHS
//! bodies, social enterprises) that suppliers are resolved to, and the
//! register files it is loaded from.

use serde::Serialize;
use uuid::Uuid;

use super::measures::SupplierKind;
use super::registers::{self, RegisterRecord};

/// An organisation in the programme's register.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Organisation {
    pub id: Uuid,
    /// org-id.guide identifier: GB-COH-…, GB-CHC-…, GB-NHS-…
    pub org_id: String,
    pub name: String,
    pub kind: SupplierKind,
    pub company_number: Option<String>,
    pub postcode: Option<String>,
    /// A trading or branch address, when it differs from the registered office.
    pub trading_postcode: Option<String>,
    pub source: String,
    pub details: OrganisationDetails,
}

/// What a national register says of an organisation besides its name and
/// address; empty for entries from files that do not say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OrganisationDetails {
    /// A [`LegalForm`] slug: `community_interest_company`, `charitable_company`…
    pub legal_form: Option<String>,
    pub charity_number: Option<String>,
    /// SIC 2007 codes, in the register's order.
    pub sic_codes: Vec<String>,
    /// A [`RegisterStatus`] slug: `active`, `dissolved`…
    pub register_status: Option<String>,
}

/// One register entry to load (matched by org id).
#[derive(Clone, Debug, PartialEq)]
pub struct OrganisationInput {
    pub org_id: String,
    pub name: String,
    pub kind: SupplierKind,
    pub company_number: Option<String>,
    pub postcode: Option<String>,
    pub trading_postcode: Option<String>,
    pub source: String,
    pub details: OrganisationDetails,
    /// Where it is, for countries with no postcode look-up: the small
    /// area is found by point in polygon when there is no postcode.
    pub location: Option<crate::place::Location>,
}

impl From<&RegisterRecord> for OrganisationInput {
    /// A national register's record as a register entry: its registered
    /// office is where it is placed (the register knows no trading address).
    fn from(r: &RegisterRecord) -> Self {
        OrganisationInput {
            org_id: r.org_id.clone(),
            name: r.name.clone(),
            kind: r.kind,
            company_number: r.company_number.clone(),
            postcode: r.postcode.clone(),
            trading_postcode: None,
            source: r.source.slug().to_string(),
            details: OrganisationDetails {
                legal_form: Some(r.legal_form.slug().to_string()),
                charity_number: r.charity_number.clone(),
                sic_codes: r.sic.iter().map(|c| c.code.clone()).collect(),
                register_status: Some(r.status.slug().to_string()),
            },
            location: None,
        }
    }
}

/// The register files a programme's register loads from: small ones read
/// whole by [`parse_register_as`], national ones streamed by
/// [`registers::read_register`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegisterFormat {
    /// Our own columns: org_id, name, kind, company_number, postcode, trading_postcode.
    Useit,
    /// NHS ODS extracts (etr, eccg): no header; code, name, …, postcode in field 10.
    NhsOds,
    /// drkane/charity-lookups relationships: org_id_a, org_id_b, org_name
    /// (charities with company numbers, or mutual societies).
    CharityLookup,
    /// A national register: Companies House basic company data, the Charity
    /// Commission extract (text or JSON).
    National(registers::RegisterFormat),
}

impl RegisterFormat {
    pub const ALL: [RegisterFormat; 7] = [
        RegisterFormat::Useit,
        RegisterFormat::NhsOds,
        RegisterFormat::CharityLookup,
        RegisterFormat::National(registers::RegisterFormat::CompaniesHouse),
        RegisterFormat::National(registers::RegisterFormat::CharityCommission),
        RegisterFormat::National(registers::RegisterFormat::CharityCommissionJson),
        // Links join or mark organisations already held (`app::anchors::links`).
        RegisterFormat::National(registers::RegisterFormat::Links),
    ];

    pub fn slug(self) -> &'static str {
        match self {
            RegisterFormat::Useit => "useit",
            RegisterFormat::NhsOds => "nhs-ods",
            RegisterFormat::CharityLookup => "charity-lookup",
            RegisterFormat::National(registers::RegisterFormat::CompaniesHouse) => {
                "companies-house"
            }
            RegisterFormat::National(registers::RegisterFormat::CharityCommission) => {
                "charity-commission"
            }
            RegisterFormat::National(registers::RegisterFormat::CharityCommissionJson) => {
                "charity-commission-json"
            }
            RegisterFormat::National(registers::RegisterFormat::Links) => "links",
        }
    }

    pub fn parse(s: &str) -> Option<RegisterFormat> {
        Self::ALL.into_iter().find(|f| f.slug() == s)
    }

    /// The catalogue key naming the format for people.
    pub fn label_key(self) -> String {
        format!("anchors.register.format.{}", self.slug().replace('-', "_"))
    }
}

/// Reads register entries in our own format; problems name line and column.
pub fn parse_register(
    text: &str,
    source: &str,
    report: &mut crate::csv_import::Report,
) -> Vec<OrganisationInput> {
    parse_register_as(RegisterFormat::Useit, text, source, report)
}

pub fn parse_register_as(
    format: RegisterFormat,
    text: &str,
    source: &str,
    report: &mut crate::csv_import::Report,
) -> Vec<OrganisationInput> {
    use crate::csv_import::{Problem, Table};
    use crate::i18n::Message;
    use crate::place::postcode::Postcode;
    let tidy_pc = |s: &str| Postcode::parse(s).ok().map(|p| p.to_string());
    let mut out = Vec::new();
    match format {
        RegisterFormat::Useit => {
            let Some(t) = Table::parse(
                text,
                &[
                    "org_id",
                    "name",
                    "kind",
                    "company_number",
                    "postcode",
                    "trading_postcode",
                    "lat",
                    "lon",
                ],
                &["org_id", "name", "kind"],
                report,
            ) else {
                return out;
            };
            if report.has_errors() {
                return out;
            }
            for row in &t.rows {
                let org_id = t.get(row, "org_id").trim().to_string();
                let name = t.get(row, "name").trim().to_string();
                let kind_raw = t.get(row, "kind").trim();
                let mut ok = true;
                for (col, v) in [("org_id", &org_id), ("name", &name)] {
                    if v.is_empty() {
                        report.push(Problem::error(
                            row.line,
                            t.column(col),
                            Message::new("anchors.register.required").arg("column", col),
                        ));
                        ok = false;
                    }
                }
                let kind = SupplierKind::parse(kind_raw);
                if kind.is_none() {
                    report.push(Problem::error(
                        row.line,
                        t.column("kind"),
                        Message::new("anchors.register.kind_bad").arg("value", kind_raw),
                    ));
                    ok = false;
                }
                let pc = |col: &str| -> Option<String> {
                    let v = t.get(row, col).trim();
                    if v.is_empty() {
                        return None;
                    }
                    tidy_pc(v)
                };
                for col in ["postcode", "trading_postcode"] {
                    let v = t.get(row, col).trim();
                    if !v.is_empty() && tidy_pc(v).is_none() {
                        report.push(Problem::warning(
                            row.line,
                            t.column(col),
                            Message::new("anchors.register.postcode_bad").arg("value", v),
                        ));
                    }
                }
                let location = register_location(&t, row, report);
                if ok {
                    out.push(OrganisationInput {
                        org_id,
                        name,
                        kind: kind.unwrap_or(SupplierKind::Unknown),
                        company_number: Some(t.get(row, "company_number").trim().to_uppercase())
                            .filter(|s| !s.is_empty()),
                        postcode: pc("postcode"),
                        trading_postcode: pc("trading_postcode"),
                        source: source.to_string(),
                        details: OrganisationDetails::default(),
                        location,
                    });
                }
            }
        }
        RegisterFormat::NhsOds => {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            for (i, rec) in rdr.records().enumerate() {
                match rec {
                    Ok(r) if r.len() >= 10 => out.push(OrganisationInput {
                        org_id: format!("GB-NHS-{}", r[0].trim()),
                        name: r[1].trim().to_string(),
                        kind: SupplierKind::PublicBody,
                        company_number: None,
                        postcode: tidy_pc(&r[9]),
                        trading_postcode: None,
                        source: source.to_string(),
                        details: OrganisationDetails::default(),
                        location: None,
                    }),
                    Ok(r) => report.push(Problem::error(
                        i as u64 + 1,
                        None,
                        Message::new("import.too_many_fields")
                            .arg("found", r.len())
                            .arg("expected", 10),
                    )),
                    Err(e) => report.push(Problem::error(
                        i as u64 + 1,
                        None,
                        Message::new("import.unreadable").arg("reason", e),
                    )),
                }
            }
        }
        RegisterFormat::CharityLookup => {
            let Some(t) = Table::parse(
                text,
                &["org_id_a", "org_id_b", "org_name", "relationship", "source"],
                &["org_id_a", "org_id_b", "org_name"],
                report,
            ) else {
                return out;
            };
            for row in &t.rows {
                let a = t.get(row, "org_id_a").trim();
                let b = t.get(row, "org_id_b").trim();
                let kind = if a.starts_with("GB-MPR") {
                    SupplierKind::SocialEnterprise
                } else {
                    SupplierKind::Vcse
                };
                out.push(OrganisationInput {
                    org_id: a.to_string(),
                    name: t.get(row, "org_name").trim().to_string(),
                    kind,
                    company_number: b.strip_prefix("GB-COH-").map(String::from),
                    postcode: None,
                    trading_postcode: None,
                    source: source.to_string(),
                    details: OrganisationDetails::default(),
                    location: None,
                });
            }
        }
        RegisterFormat::National(_) => report.push(Problem::error(
            0,
            None,
            Message::new("anchors.register.national_streamed"),
        )),
    }
    out
}

/// A register row's `lat` and `lon` (WGS84 degrees, a decimal point or
/// comma): both or neither, and on the Earth; anything else is an error
/// naming the line and column.
fn register_location(
    t: &crate::csv_import::Table,
    row: &crate::csv_import::Row,
    report: &mut crate::csv_import::Report,
) -> Option<crate::place::Location> {
    use crate::csv_import::Problem;
    use crate::i18n::Message;
    let mut read = |col: &str, limit: f64| -> Option<f64> {
        let v = t.get(row, col).trim();
        let x = v
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|x| x.abs() <= limit);
        if x.is_none() {
            report.push(Problem::error(
                row.line,
                t.column(col),
                Message::new("anchors.register.location_bad")
                    .arg("column", col)
                    .arg("value", v),
            ));
        }
        x
    };
    if t.get(row, "lat").trim().is_empty() && t.get(row, "lon").trim().is_empty() {
        return None;
    }
    let lat = read("lat", 90.0);
    let lon = read("lon", 180.0);
    crate::place::Location::new(lat?, lon?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_import::Report;

    #[test]
    fn a_register_row_may_give_coordinates_instead_of_a_postcode() {
        let text = "org_id,name,kind,lat,lon\n\
            FR-1,Régie de quartier,social_enterprise,\"50,60384\",3.05292\n\
            FR-2,Sans lieu,sme,,\n\
            FR-3,Perdu,sme,95,3.0\n\
            FR-4,Moitié,sme,50.6,\n";
        let mut r = Report::new("register.csv");
        let orgs = parse_register(text, "test", &mut r);
        assert_eq!(
            orgs[0].location,
            Some(crate::place::Location {
                lat: 50.60384,
                lon: 3.05292
            }),
            "a decimal comma is read too"
        );
        assert_eq!(orgs[1].location, None);
        let got: Vec<_> = r
            .errors()
            .map(|p| (p.line, p.column.as_ref().map(|c| c.number)))
            .collect();
        assert_eq!(
            got,
            [(4, Some(4)), (5, Some(5))],
            "a latitude off the Earth and a longitude missing, each named"
        );
    }
}
