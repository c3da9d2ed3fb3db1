//! The directory as CSV, both ways: the download carries every profile
//! field beside the org-id (so it is open data with identifiers) and
//! imports back, each row changing the profile of the organisation of the
//! register with its org-id. Every bad value, and an org-id the register
//! does not hold, is an error at its line and column; a name or postcode
//! that differs from the register's is a warning (the register's stands);
//! the columns worked out from the records (`supported_last_12_months`,
//! `earned_share`) are read past.

use std::collections::HashMap;

use uuid::Uuid;

use crate::csv_import::{Problem, Report, Table, restore_field, write_table};
use crate::i18n::Message;
use crate::validation::Invalid;

use super::profile::{Enterprise, NewEnterpriseInput, Profile, ProfileInput};

pub const COLUMNS: &[&str] = &[
    "org_id",
    "name",
    "postcode",
    "legal_form",
    "social_purpose",
    "reinvests_profits",
    "mission_ownership",
    "services",
    "accreditations",
    "public_liability",
    "employers_liability",
    "professional_indemnity",
    "turnover",
    "staff",
    "largest_contract",
    "areas",
    "supported_last_12_months",
    "earned_share",
];
const REQUIRED: &[&str] = &["org_id", "name"];

/// One line of the download: the enterprise, whether it was supported in
/// the last twelve months and its earned share (basis points).
pub struct ExportRow<'a> {
    pub enterprise: &'a Enterprise,
    pub supported: bool,
    pub earned_share_bp: Option<u32>,
}

pub fn export(rows: &[ExportRow]) -> String {
    write_table(
        COLUMNS,
        rows.iter().map(|r| {
            let e = r.enterprise;
            let mut p = e.profile.as_ref().map(ProfileInput::of).unwrap_or_default();
            if p.legal_form.is_empty() {
                p.legal_form = e.legal_form().unwrap_or_default().to_string();
            }
            vec![
                e.org_id.clone(),
                e.name.clone(),
                e.postcode.clone().unwrap_or_default(),
                p.legal_form,
                p.social_purpose,
                p.reinvests_profits,
                p.mission_ownership,
                p.services,
                p.accreditations,
                p.public_liability,
                p.employers_liability,
                p.professional_indemnity,
                p.turnover,
                p.staff,
                p.largest_contract,
                p.areas,
                if r.supported { "yes" } else { "no" }.to_string(),
                r.earned_share_bp
                    .map(|bp| format!("{}.{:02}", bp / 100, bp % 100))
                    .unwrap_or_default(),
            ]
        }),
    )
}

/// One row read back.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectoryLine {
    pub line: u64,
    pub organisation: Uuid,
    pub profile: Profile,
}

/// What the register holds of an organisation, by its org-id (upper case).
pub struct Held {
    pub id: Uuid,
    pub name: String,
    pub postcode: Option<String>,
    pub profile: Option<Profile>,
}

/// Reads a directory file against the register; an org-id twice is an
/// error at the second.
pub fn parse(
    text: &str,
    register: &HashMap<String, Held>,
    report: &mut Report,
) -> Vec<DirectoryLine> {
    let Some(table) = Table::parse(text, COLUMNS, REQUIRED, report) else {
        return Vec::new();
    };
    if report.has_errors() {
        return Vec::new();
    }
    let mut out: Vec<DirectoryLine> = Vec::new();
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for row in &table.rows {
        let get = |c: &str| restore_field(table.get(row, c)).to_string();
        let org_id = get("org_id").trim().to_uppercase();
        let held = register.get(&org_id);
        // A column the file leaves out keeps what the profile holds.
        let was = held
            .and_then(|h| h.profile.as_ref())
            .map(ProfileInput::of)
            .unwrap_or_default();
        let field = |c: &str, kept: &str| {
            if table.has(c) {
                get(c)
            } else {
                kept.to_string()
            }
        };
        let input = ProfileInput {
            legal_form: field("legal_form", &was.legal_form),
            social_purpose: field("social_purpose", &was.social_purpose),
            reinvests_profits: field("reinvests_profits", &was.reinvests_profits),
            mission_ownership: field("mission_ownership", &was.mission_ownership),
            services: field("services", &was.services),
            accreditations: field("accreditations", &was.accreditations),
            public_liability: field("public_liability", &was.public_liability),
            employers_liability: field("employers_liability", &was.employers_liability),
            professional_indemnity: field("professional_indemnity", &was.professional_indemnity),
            turnover: field("turnover", &was.turnover),
            staff: field("staff", &was.staff),
            largest_contract: field("largest_contract", &was.largest_contract),
            areas: field("areas", &was.areas),
        };
        let org = NewEnterpriseInput {
            name: get("name"),
            postcode: get("postcode"),
        };
        let mut bad = |Invalid(errors): Invalid| {
            for f in errors {
                report.push(Problem::error(row.line, table.column(&f.field), f.message));
            }
        };
        let checked = org.validate().map_err(&mut bad).ok();
        let profile = input.validate().map_err(&mut bad).ok();
        if !org_id.is_empty()
            && let Some(first) = seen.insert(org_id.clone(), row.line)
        {
            report.push(Problem::error(
                row.line,
                table.column("org_id"),
                Message::new("enterprise.directory_csv.twice")
                    .arg("value", &org_id)
                    .arg("line", first),
            ));
            continue;
        }
        let Some(held) = held else {
            report.push(Problem::error(
                row.line,
                table.column("org_id"),
                if org_id.is_empty() {
                    Message::new("enterprise.directory_csv.no_org_id")
                } else {
                    Message::new("enterprise.directory_csv.unknown").arg("value", &org_id)
                },
            ));
            continue;
        };
        if let Some(o) = &checked {
            if crate::anchors::supplier::name_key(&o.name)
                != crate::anchors::supplier::name_key(&held.name)
            {
                report.push(Problem::warning(
                    row.line,
                    table.column("name"),
                    Message::new("enterprise.directory_csv.name_differs").arg("name", &held.name),
                ));
            }
            if o.postcode.is_some() && held.postcode.is_some() && o.postcode != held.postcode {
                report.push(Problem::warning(
                    row.line,
                    table.column("postcode"),
                    Message::new("enterprise.directory_csv.postcode_differs")
                        .arg("postcode", held.postcode.as_deref().unwrap_or("")),
                ));
            }
        }
        if let (Some(_), Some(profile)) = (checked, profile) {
            out.push(DirectoryLine {
                line: row.line,
                organisation: held.id,
                profile,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchors::measures::SupplierKind;

    #[test]
    fn the_download_reads_back_and_bad_cells_are_named() {
        let profile = ProfileInput {
            legal_form: "cic".into(),
            social_purpose: "yes".into(),
            reinvests_profits: "yes".into(),
            mission_ownership: "yes".into(),
            services: "cleaning, catering".into(),
            accreditations: "Real Living Wage employer accreditation\nCHAS health and safety accreditation, 28/02/2028".into(),
            public_liability: "£5,000,000".into(),
            turnover: "£120,000".into(),
            staff: "7".into(),
            largest_contract: "£40,000".into(),
            areas: "Sandwell, Birmingham".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let e = Enterprise {
            id: uuid::Uuid::nil(),
            org_id: "GB-COH-12345678".into(),
            name: "=Smethwick Sparkle CIC".into(),
            kind: SupplierKind::SocialEnterprise,
            company_number: None,
            charity_number: None,
            postcode: Some("B66 2QT".into()),
            register_legal_form: None,
            profile: Some(profile.clone()),
        };
        let csv = export(&[ExportRow {
            enterprise: &e,
            supported: true,
            earned_share_bp: Some(6_250),
        }]);
        let register: HashMap<String, Held> = [
            ("GB-COH-12345678", "=Smethwick Sparkle CIC", Some("B66 2QT")),
            ("GB-COH-1", "A", None),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (o, n, pc))| {
            (
                o.to_string(),
                Held {
                    id: Uuid::from_u128(i as u128 + 1),
                    name: n.into(),
                    postcode: pc.map(Into::into),
                    profile: (i == 1).then(|| profile.clone()),
                },
            )
        })
        .collect();
        let mut r = Report::new("d.csv");
        let back = parse(&csv, &register, &mut r);
        assert!(r.problems.is_empty(), "{r:?}");
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].profile, profile);
        assert_eq!(back[0].organisation, Uuid::from_u128(1));

        let bad = "org_id,name,postcode,turnover,staff\n\
                   GB-COH-1,A Different,B66 2QT,lots,3\n\
                   ,B,nowhere,,many\n\
                   gb-coh-1,C,,,\n\
                   GB-COH-2,D,,,\n";
        let mut r = Report::new("bad.csv");
        parse(bad, &register, &mut r);
        let at: Vec<(u64, usize)> = r
            .errors()
            .map(|p| (p.line, p.column.as_ref().unwrap().number))
            .collect();
        assert_eq!(at, [(2, 4), (3, 3), (3, 5), (3, 1), (4, 1), (5, 1)]);
        // Line 2's name is not the register's.
        let warned: Vec<(u64, usize)> = r
            .warnings()
            .map(|p| (p.line, p.column.as_ref().unwrap().number))
            .collect();
        assert_eq!(warned, [(2, 2)]);
        // A file of two columns changes those and keeps the rest.
        let mut r = Report::new("turnover.csv");
        let back = parse(
            "org_id,name,turnover\nGB-COH-1,A,£150000\n",
            &register,
            &mut r,
        );
        assert!(!r.has_errors(), "{r:?}");
        assert_eq!(back[0].profile.turnover, Some(15_000_000));
        assert_eq!(back[0].profile.services, profile.services);
    }
}
