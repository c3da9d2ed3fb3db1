//! People as CSV: the list a caseworker downloads, and the same file (or a
//! spreadsheet in its columns) read back, each problem with its line and
//! column. `stage` and `work` are written for reading and ignored on the way
//! in: they follow from the records.

use time::Date;
use uuid::Uuid;

use crate::csv_import::{Problem, Report, Table, restore_field, write_table};
use crate::i18n::Message;
use crate::validation::Invalid;

use super::casework::{FunnelStage, PersonDraft, PersonInput, WorkOutcome};
use super::profession::Professions;

pub const COLUMNS: [&str; 17] = [
    "id",
    "full_name",
    "email",
    "phone",
    "postcode",
    "profession",
    "qualification_country",
    "qualification_year",
    "qualifications",
    "experience_years",
    "right_to_work",
    "available_from",
    "lawful_basis",
    "consent_given_on",
    "caseworker_email",
    "stage",
    "work",
];

/// One row read back: the id of an exported person, or none for a new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRow {
    pub line: u64,
    pub id: Option<Uuid>,
    pub draft: PersonDraft,
    pub caseworker_email: Option<String>,
}

pub fn parse_csv(
    text: &str,
    professions: &Professions,
    today: Date,
    report: &mut Report,
) -> Vec<PersonRow> {
    let Some(table) = Table::parse(
        text,
        &COLUMNS,
        &[
            "full_name",
            "profession",
            "qualification_country",
            "lawful_basis",
        ],
        report,
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in &table.rows {
        let get = |c: &str| restore_field(table.get(row, c)).to_string();
        let id = match get("id").trim() {
            "" => None,
            raw => match Uuid::parse_str(raw) {
                Ok(u) => Some(u),
                Err(_) => {
                    report.push(Problem::error(
                        row.line,
                        table.column("id"),
                        Message::new("talent.person.bad_id"),
                    ));
                    continue;
                }
            },
        };
        let input = PersonInput {
            full_name: get("full_name"),
            email: get("email"),
            phone: get("phone"),
            postcode: get("postcode"),
            profession: get("profession"),
            qualification_country: get("qualification_country"),
            qualification_year: get("qualification_year"),
            qualifications: get("qualifications"),
            experience_years: get("experience_years"),
            right_to_work: get("right_to_work"),
            available_from: get("available_from"),
            lawful_basis: get("lawful_basis"),
            consent_given_on: get("consent_given_on"),
            caseworker: String::new(),
        };
        match input.validate(professions, today) {
            Ok(draft) => out.push(PersonRow {
                line: row.line,
                id,
                draft,
                caseworker_email: Some(get("caseworker_email").trim().to_string())
                    .filter(|s| !s.is_empty()),
            }),
            Err(Invalid(errs)) => {
                for fe in errs {
                    report.push(Problem::error(
                        row.line,
                        table.column(&fe.field),
                        fe.message,
                    ));
                }
            }
        }
    }
    if report.has_errors() { Vec::new() } else { out }
}

/// One person for the CSV.
pub struct PersonOut<'a> {
    pub id: Uuid,
    pub draft: &'a PersonDraft,
    pub caseworker_email: Option<&'a str>,
    pub stage: FunnelStage,
    pub work: WorkOutcome,
}

pub fn write_csv(people: &[PersonOut<'_>]) -> String {
    let opt = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    write_table(
        &COLUMNS,
        people.iter().map(|p| {
            let d = p.draft;
            vec![
                p.id.to_string(),
                d.full_name.clone(),
                d.email.clone().unwrap_or_default(),
                d.phone.clone().unwrap_or_default(),
                d.postcode.clone().unwrap_or_default(),
                d.profession.clone(),
                d.qualification_country.clone(),
                d.qualification_year
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                d.qualifications.clone(),
                d.experience_years.to_string(),
                d.right_to_work
                    .map(|r| r.slug().to_string())
                    .unwrap_or_default(),
                opt(d.available_from),
                d.lawful_basis
                    .map(|b| b.slug().to_string())
                    .unwrap_or_default(),
                opt(d.consent_given_on),
                p.caseworker_email.unwrap_or_default().to_string(),
                p.stage.slug().to_string(),
                p.work.slug().to_string(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::talent::casework::{LawfulBasis, RightToWork};
    use time::macros::date;

    #[test]
    fn people_round_trip_and_bad_rows_are_located() {
        let draft = PersonDraft {
            full_name: "Amal Haddad".into(),
            email: Some("amal@example.org".into()),
            phone: Some("+44 7700 900123".into()),
            postcode: Some("B66 2QT".into()),
            profession: "nurse".into(),
            qualification_country: "Syria".into(),
            qualification_year: Some(2012),
            qualifications: "BSc Nursing, \"Damascus\"".into(),
            experience_years: 8,
            right_to_work: Some(RightToWork::Yes),
            available_from: Some(date!(2026 - 12 - 01)),
            lawful_basis: Some(LawfulBasis::Consent),
            consent_given_on: Some(date!(2026 - 02 - 01)),
        };
        let id = Uuid::now_v7();
        let text = write_csv(&[PersonOut {
            id,
            draft: &draft,
            caseworker_email: Some("ana@example.org"),
            stage: FunnelStage::OnPathway,
            work: WorkOutcome::NoneYet,
        }]);
        let mut r = Report::new("people.csv");
        let rows = parse_csv(&text, Professions::shipped(), date!(2026 - 11 - 30), &mut r);
        assert!(!r.has_errors(), "{r:?}");
        assert_eq!(rows[0].draft, draft);
        assert_eq!(rows[0].id, Some(id));
        assert_eq!(rows[0].caseworker_email.as_deref(), Some("ana@example.org"));

        let bad = "full_name,profession,lawful_basis,qualification_country\nAmal,doctor,,Syria\n";
        let mut r = Report::new("bad.csv");
        assert!(parse_csv(bad, Professions::shipped(), date!(2026 - 11 - 30), &mut r).is_empty());
        let d: Vec<String> = r.errors().map(|e| e.describe("bad.csv")).collect();
        assert!(d[0].starts_with("bad.csv:2:3: error:"), "{d:?}");
    }
}
