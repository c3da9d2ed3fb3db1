//! A people file, read, made ready to write: each row given its caseworker
//! by the one rule ([`Assigner::for_row`]) and checked against the people
//! already held, so that the page, the API and the console import the same
//! file the same way, and the same file twice changes nothing.

use uuid::Uuid;

use super::casework::PersonDraft;
use super::caseworker::{Assigner, Caseworker};
use super::person_csv::PersonRow;
use crate::UserId;
use crate::csv_import::{Problem, Report};

/// One row to write: an id from an earlier export updates that person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub id: Option<Uuid>,
    pub draft: PersonDraft,
    pub caseworker: Option<UserId>,
}

/// The rows to write, and how many new rows are people already held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub rows: Vec<ImportRow>,
    /// New rows (without an id) identical to someone already in the
    /// caseload: the file was imported before, so they are left as they are.
    pub already_held: u64,
}

/// Gives every row its caseworker. A caseworker e-mail that is not a
/// caseworker's is an error at its line; the caller writes nothing when
/// `report` has errors.
pub fn assign(
    rows: Vec<PersonRow>,
    assigner: &Assigner,
    caseworkers: &[Caseworker],
    report: &mut Report,
) -> Vec<ImportRow> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        match assigner.for_row(r.id.is_some(), r.caseworker_email.as_deref(), caseworkers) {
            Ok(caseworker) => out.push(ImportRow {
                line: r.line,
                id: r.id,
                draft: r.draft,
                caseworker,
            }),
            Err(message) => report.push(Problem::error(r.line, None, message)),
        }
    }
    out
}

/// Whether any row is new (has no id), so the people held must be looked at.
pub fn has_new(rows: &[ImportRow]) -> bool {
    rows.iter().any(|r| r.id.is_none())
}

/// Sets aside the new rows identical to a person already held (`held`: the
/// profiles of the people the importer reaches), so that importing the same
/// file twice changes nothing. A row with an id is matched by its id when
/// it is written, never by its contents.
pub fn set_aside_held(rows: Vec<ImportRow>, held: &[&PersonDraft]) -> ImportPlan {
    let mut out = ImportPlan::default();
    for r in rows {
        if r.id.is_none() && held.contains(&&r.draft) {
            out.already_held += 1;
        } else {
            out.rows.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, id: Option<Uuid>, name: &str, email: Option<&str>) -> PersonRow {
        PersonRow {
            line,
            id,
            draft: PersonDraft {
                full_name: name.into(),
                profession: "nurse".into(),
                ..Default::default()
            },
            caseworker_email: email.map(String::from),
        }
    }

    fn ana() -> Caseworker {
        Caseworker {
            id: UserId(Uuid::from_u128(1)),
            name: "Ana".into(),
            email: "ana@example.org".into(),
        }
    }

    #[test]
    fn rows_get_their_caseworker_and_an_unknown_email_is_located() {
        let manager = Assigner {
            user: Some(UserId(Uuid::from_u128(9))),
            every_caseload: true,
        };
        let id = Uuid::from_u128(77);
        let rows = vec![
            row(2, None, "New", None),
            row(3, Some(id), "Exported", None),
            row(4, None, "Named", Some("ANA@example.org")),
            row(5, None, "Unknown", Some("who@example.org")),
        ];
        let mut report = Report::new("people.csv");
        let rows = assign(rows, &manager, &[ana()], &mut report);
        let got: Vec<(u64, Option<UserId>)> = rows.iter().map(|r| (r.line, r.caseworker)).collect();
        assert_eq!(got, [(2, manager.user), (3, None), (4, Some(ana().id))]);
        let errs: Vec<String> = report.errors().map(|e| e.describe("people.csv")).collect();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("people.csv:5: error:"), "{errs:?}");
    }

    #[test]
    fn a_new_row_already_held_is_left_alone() {
        let console = Assigner {
            user: None,
            every_caseload: true,
        };
        let held = row(0, None, "Amal Haddad", None).draft;
        let id = Uuid::from_u128(5);
        let rows = vec![
            row(2, None, "Amal Haddad", None),
            row(3, None, "Samir Aziz", None),
            // An exported row is matched by its id, never by its contents.
            row(4, Some(id), "Amal Haddad", None),
        ];
        let mut report = Report::new("people.csv");
        let rows = assign(rows, &console, &[], &mut report);
        assert!(!report.has_errors());
        assert!(has_new(&rows));
        let p = set_aside_held(rows, &[&held]);
        assert_eq!(p.already_held, 1);
        let lines: Vec<u64> = p.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4]);
    }
}
