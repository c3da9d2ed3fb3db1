//! Programme members as CSV: `email,display_name,role,member_since`. The
//! import takes the same file back and sets each listed account's role; it
//! never creates accounts (they need a password, which a file must not carry).

use std::collections::HashMap;

use crate::csv_import::{Problem, Report, Table, restore_field, safe_field};
use crate::i18n::Message;

use super::{Member, Role};
use crate::UserId;

pub const COLUMNS: &[&str] = &["email", "display_name", "role", "member_since"];
pub const REQUIRED: &[&str] = &["email", "role"];

pub fn export(members: &[Member]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).expect("write to memory");
    for m in members {
        w.write_record([
            safe_field(&m.user.email),
            safe_field(&m.user.display_name),
            m.role.slug().to_string(),
            crate::clock::iso_date(m.since.date()),
        ])
        .expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("utf-8")
}

/// One valid row: an e-mail and the role it should have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRow {
    pub line: u64,
    pub email: String,
    pub role: Role,
}

pub fn parse(text: &str, report: &mut Report) -> Vec<MemberRow> {
    let Some(table) = Table::parse(text, COLUMNS, REQUIRED, report) else {
        return Vec::new();
    };
    if report.has_errors() {
        return Vec::new();
    }
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::new();
    for row in &table.rows {
        let email = restore_field(table.get(row, "email")).trim().to_string();
        let role_text = table.get(row, "role").trim();
        if email.is_empty() {
            report.push(Problem::error(
                row.line,
                table.column("email"),
                Message::new("validation.required.email"),
            ));
            continue;
        }
        let role = match role_text.parse::<Role>() {
            Ok(r) => r,
            Err(_) => {
                report.push(Problem::error(
                    row.line,
                    table.column("role"),
                    Message::new("import.member.bad_role").arg("value", role_text),
                ));
                continue;
            }
        };
        if let Some(first) = seen.insert(email.to_lowercase(), row.line) {
            report.push(Problem::error(
                row.line,
                table.column("email"),
                Message::new("import.member.twice").arg("line", first),
            ));
            continue;
        }
        out.push(MemberRow {
            line: row.line,
            email,
            role,
        });
    }
    out
}

/// What a members import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberImportOutcome {
    pub changed: u64,
    pub unchanged: u64,
    pub applied: bool,
}

/// The account a row's e-mail names, as found: who, and their role in the
/// programme now (`None`: not yet a member).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Account {
    pub user: UserId,
    pub role: Option<Role>,
}

/// The role changes a file asks for, each row with the account its e-mail
/// names (`None`: no such account, an error at that line: an import never
/// creates accounts).
pub fn plan(
    rows: Vec<(MemberRow, Option<Account>)>,
    report: &mut Report,
) -> (Vec<(UserId, Role)>, MemberImportOutcome) {
    let mut changes = Vec::new();
    let mut outcome = MemberImportOutcome::default();
    for (row, account) in rows {
        match account {
            None => report.push(Problem::error(
                row.line,
                None,
                Message::new("import.member.unknown_email"),
            )),
            Some(a) if a.role == Some(row.role) => outcome.unchanged += 1,
            Some(a) => {
                outcome.changed += 1;
                changes.push((a.user, row.role));
            }
        }
    }
    report.sort();
    (changes, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_changes_only_what_differs_and_knows_every_account() {
        let text = "email,role\na@example.org,programme_manager\nb@example.org,funder_viewer\nc@example.org,anchor_analyst\n";
        let mut report = Report::new("m.csv");
        let rows = parse(text, &mut report);
        let (a, b) = (UserId::new(), UserId::new());
        let found = [
            Some(Account {
                user: a,
                role: Some(Role::ProgrammeManager),
            }),
            Some(Account {
                user: b,
                role: None,
            }),
            None,
        ];
        let (changes, outcome) = plan(rows.into_iter().zip(found).collect(), &mut report);
        assert_eq!(changes, [(b, Role::FunderViewer)]);
        assert_eq!(
            outcome,
            MemberImportOutcome {
                changed: 1,
                unchanged: 1,
                applied: false
            }
        );
        let errors: Vec<_> = report.errors().map(|p| p.line).collect();
        assert_eq!(errors, [4]);
    }

    #[test]
    fn roles_and_repeats_are_checked() {
        let text = "email,role\na@example.org,programme_manager\nb@example.org,boss\nA@example.org,funder_viewer\n";
        let mut report = Report::new("m.csv");
        let rows = parse(text, &mut report);
        assert_eq!(rows.len(), 1);
        let lines: Vec<u64> = report.errors().map(|p| p.line).collect();
        assert_eq!(lines, [3, 4]);
    }
}
