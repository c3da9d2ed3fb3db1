//! The directory as CSV, both ways: the download carries every profile
//! field beside the org-id (so it is open data with identifiers) and
//! imports back, each row changing the profile of the organisation of the
//! register with its org-id. A row whose org-id the register does not hold,
//! or that has none, is matched by its name (as supplier resolution
//! normalises it) and postcode; failing that it is a new organisation,
//! added with its profile (with a local identifier when it has no official
//! one) and reported as a warning, so the same file twice adds nothing.
//! Every bad value, and an org-id that is not one, is an error at its line
//! and column; a name or postcode that differs from the register's is a
//! warning (the register's stands); the columns worked out from the
//! records (`supported_last_12_months`, `earned_share`) are read past.

use std::collections::HashMap;

use uuid::Uuid;

use crate::csv_import::{Problem, Report, Table, restore_field, write_table};
use crate::i18n::Message;
use crate::validation::Invalid;

use super::profile::{Enterprise, NewEnterpriseInput, Profile, ProfileInput};
use crate::anchors::supplier::name_key;

/// The organisation of the register with this name key and postcode: one
/// with a profile first (an enterprise of the directory), else the only
/// one; several alike is `Err`.
fn same_name_and_postcode<'a>(
    register: &'a HashMap<String, Held>,
    (key, postcode): &(String, Option<String>),
) -> Result<Option<&'a Held>, ()> {
    let alike: Vec<&Held> = register
        .values()
        .filter(|h| &h.postcode == postcode && name_key(&h.name) == *key)
        .collect();
    let with_profile: Vec<&Held> = alike
        .iter()
        .copied()
        .filter(|h| h.profile.is_some())
        .collect();
    match (with_profile.as_slice(), alike.as_slice()) {
        ([one], _) | ([], [one]) => Ok(Some(*one)),
        ([], []) => Ok(None),
        _ => Err(()),
    }
}

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
    pub target: Target,
    pub profile: Profile,
}

/// Whose profile a row is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An organisation of the register (by org-id, or by name and postcode).
    Held(Uuid),
    /// One the register does not hold, to be added: its official org-id
    /// when the row gives one, else it gets a local identifier.
    New {
        org_id: Option<String>,
        name: String,
        postcode: Option<String>,
    },
}

/// What the register holds of an organisation, by its org-id (upper case).
#[derive(Clone, Debug)]
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
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut new_seen: HashMap<(String, Option<String>), u64> = HashMap::new();
    let mut held_seen: HashMap<Uuid, u64> = HashMap::new();
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
        let key = checked
            .as_ref()
            .map(|o| (name_key(&o.name), o.postcode.clone()));
        let held = match held {
            Some(h) => Some(h),
            None if !org_id.is_empty() && !crate::programme::is_org_id(&org_id) => {
                report.push(Problem::error(
                    row.line,
                    table.column("org_id"),
                    Message::new("enterprise.directory_csv.bad_org_id").arg("value", &org_id),
                ));
                continue;
            }
            None => match key.as_ref().map(|k| same_name_and_postcode(register, k)) {
                Some(Ok(found)) => found,
                Some(Err(())) => {
                    report.push(Problem::error(
                        row.line,
                        table.column("name"),
                        Message::new("enterprise.directory_csv.ambiguous"),
                    ));
                    continue;
                }
                None => None,
            },
        };
        let Some(held) = held else {
            // Not held: a new organisation (once per file).
            let (Some(o), Some(k)) = (checked, key) else {
                continue;
            };
            if let Some(first) = new_seen.insert(k, row.line) {
                report.push(Problem::error(
                    row.line,
                    table.column("name"),
                    Message::new("enterprise.directory_csv.new_twice").arg("line", first),
                ));
                continue;
            }
            report.push(Problem::warning(
                row.line,
                table.column("org_id"),
                Message::new("enterprise.directory_csv.new_organisation").arg("name", &o.name),
            ));
            if let Some(profile) = profile {
                out.push(DirectoryLine {
                    line: row.line,
                    target: Target::New {
                        org_id: (!org_id.is_empty()).then(|| org_id.clone()),
                        name: o.name,
                        postcode: o.postcode,
                    },
                    profile,
                });
            }
            continue;
        };
        if let Some(first) = held_seen.insert(held.id, row.line) {
            report.push(Problem::error(
                row.line,
                table.column("name"),
                Message::new("enterprise.directory_csv.new_twice").arg("line", first),
            ));
            continue;
        }
        if let Some(o) = &checked {
            if name_key(&o.name) != name_key(&held.name) {
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
                target: Target::Held(held.id),
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
        assert_eq!(back[0].target, Target::Held(Uuid::from_u128(1)));

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
        assert_eq!(at, [(2, 4), (3, 3), (3, 5), (4, 1)]);
        // Line 2's name is not the register's; line 5's org-id is not
        // held: a new organisation.
        let warned: Vec<(u64, usize)> = r
            .warnings()
            .map(|p| (p.line, p.column.as_ref().unwrap().number))
            .collect();
        assert_eq!(warned, [(2, 2), (5, 1)]);
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

    #[test]
    fn rows_the_register_does_not_hold_are_new_organisations() {
        let register: HashMap<String, Held> = [(
            "GB-USEIT-1".to_string(),
            Held {
                id: Uuid::from_u128(1),
                name: "Rood End Bakery CIC".into(),
                postcode: Some("B68 8AA".into()),
                profile: Some(Profile::default()),
            },
        )]
        .into_iter()
        .collect();
        let file = "org_id,name,postcode,staff\n\
                    ,The Rood End Bakery,B68 8AA,4\n\
                    ,Lyng Laundry,B70 7AA,2\n\
                    GB-CHC-1190000,Tipton Tools Trust,,\n\
                    not an id,Somewhere,,\n\
                    ,Lyng Laundry Ltd,B70 7AA,3\n";
        let mut r = Report::new("new.csv");
        let back = parse(file, &register, &mut r);
        // Line 2 is the held bakery by name and postcode; 3 and 4 are new;
        // 5's org-id is not one; 6 is line 3's organisation again.
        let errors: Vec<(u64, usize)> = r
            .errors()
            .map(|p| (p.line, p.column.as_ref().unwrap().number))
            .collect();
        assert_eq!(errors, [(5, 1), (6, 2)]);
        let warned: Vec<u64> = r.warnings().map(|p| p.line).collect();
        assert_eq!(warned, [3, 4]);
        let targets: Vec<&Target> = back.iter().map(|l| &l.target).collect();
        assert_eq!(
            targets,
            [
                &Target::Held(Uuid::from_u128(1)),
                &Target::New {
                    org_id: None,
                    name: "Lyng Laundry".into(),
                    postcode: Some("B70 7AA".into()),
                },
                &Target::New {
                    org_id: Some("GB-CHC-1190000".into()),
                    name: "Tipton Tools Trust".into(),
                    postcode: None,
                },
            ]
        );
    }
}
