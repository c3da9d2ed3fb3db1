//! Who holds a person's case: the members who can hold a caseload, and the
//! one rule that decides a person's caseworker when they are added, changed
//! or imported — so the person form, the API, the page's file import and
//! the console's give the same answer.

use serde::Serialize;
use uuid::Uuid;

use crate::UserId;
use crate::auth::{Capability, Member};
use crate::i18n::Message;
use crate::validation::Invalid;

/// A member of the programme who can hold a caseload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Caseworker {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

impl Caseworker {
    /// The members whose role may keep people's records, in the order given.
    pub fn among(members: impl IntoIterator<Item = Member>) -> Vec<Caseworker> {
        members
            .into_iter()
            .filter(|m| m.role.can(Capability::EditPeople))
            .map(|m| Caseworker {
                id: m.user.id,
                name: m.user.display_name,
                email: m.user.email,
            })
            .collect()
    }

    /// The caseworker a form or a file names, by user id or e-mail address
    /// (e-mail without regard to case).
    pub fn find<'a>(all: &'a [Caseworker], raw: &str) -> Option<&'a Caseworker> {
        let raw = raw.trim();
        let id = Uuid::parse_str(raw).ok();
        all.iter()
            .find(|c| Some(c.id.0) == id || c.email.eq_ignore_ascii_case(raw))
    }
}

/// Who is adding, changing or importing people, as the caseworker rule
/// needs to know them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assigner {
    /// The signed-in member; `None` for the console and the demo, which
    /// have nobody to give people to.
    pub user: Option<UserId>,
    /// Whether they reach every caseload (a manager) or only their own.
    pub every_caseload: bool,
}

impl Assigner {
    /// The caseworker a person ends with. `named` is the caseworker the form
    /// or the file names (already found among the [`Caseworker`]s; `None`
    /// when the field is blank) and `blank` what a blank field means there.
    /// Someone who reaches only their own caseload always keeps the people
    /// they add, change or import: they could not see them otherwise.
    pub fn assign(&self, named: Option<UserId>, blank: Option<UserId>) -> Option<UserId> {
        match self.user {
            Some(me) if !self.every_caseload => Some(me),
            _ => named.or(blank),
        }
    }

    /// What a blank caseworker cell means in a people file. On a row
    /// exported earlier (it has an id) it means nobody: the export writes
    /// every caseworker's e-mail, so a blank one says the person had none
    /// and the file imports back unchanged. On a new row it means whoever
    /// imports the file; at the console (no user) that is nobody, so the
    /// person waits unassigned in the list a manager sees.
    pub fn blank_in_file(&self, exported: bool) -> Option<UserId> {
        if exported { None } else { self.user }
    }

    /// The caseworker of one row of a people file: the member its
    /// `caseworker_email` names, or [`Assigner::blank_in_file`]. An e-mail
    /// that is not a caseworker's is an error whoever imports the file, so
    /// a mistyped address never passes unseen.
    pub fn for_row(
        &self,
        exported: bool,
        email: Option<&str>,
        caseworkers: &[Caseworker],
    ) -> Result<Option<UserId>, Message> {
        let named = match email.map(str::trim).filter(|e| !e.is_empty()) {
            None => None,
            Some(e) => match caseworkers.iter().find(|c| c.email.eq_ignore_ascii_case(e)) {
                Some(c) => Some(c.id),
                None => {
                    return Err(
                        Message::new("talent.person.unknown_caseworker_email").arg("email", e)
                    );
                }
            },
        };
        Ok(self.assign(named, self.blank_in_file(exported)))
    }

    /// The caseworker a person form or API body chooses (`raw`: a user id or
    /// an e-mail; blank means `blank`: the person's current caseworker when
    /// changing them, the one adding them when new). Someone who reaches only
    /// their own caseload is not asked.
    pub fn for_form(
        &self,
        raw: &str,
        blank: Option<UserId>,
        caseworkers: &[Caseworker],
    ) -> Result<Option<UserId>, Invalid> {
        if self.user.is_some() && !self.every_caseload {
            return Ok(self.assign(None, blank));
        }
        if raw.trim().is_empty() {
            return Ok(self.assign(None, blank));
        }
        match Caseworker::find(caseworkers, raw) {
            Some(c) => Ok(self.assign(Some(c.id), blank)),
            None => Err(Invalid::one(
                "caseworker",
                Message::new("talent.person.unknown_caseworker"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uid(n: u128) -> UserId {
        UserId(Uuid::from_u128(n))
    }

    fn staff() -> Vec<Caseworker> {
        vec![
            Caseworker {
                id: uid(1),
                name: "Ana".into(),
                email: "ana@example.org".into(),
            },
            Caseworker {
                id: uid(2),
                name: "Ben".into(),
                email: "Ben@Example.org".into(),
            },
        ]
    }

    const MANAGER: Assigner = Assigner {
        user: Some(UserId(Uuid::from_u128(9))),
        every_caseload: true,
    };
    const CASEWORKER: Assigner = Assigner {
        user: Some(UserId(Uuid::from_u128(1))),
        every_caseload: false,
    };
    const CONSOLE: Assigner = Assigner {
        user: None,
        every_caseload: true,
    };

    #[test]
    fn a_row_with_an_email_goes_to_that_caseworker() {
        assert_eq!(
            MANAGER.for_row(false, Some(" ben@example.ORG "), &staff()),
            Ok(Some(uid(2)))
        );
        assert_eq!(
            CONSOLE.for_row(true, Some("ana@example.org"), &staff()),
            Ok(Some(uid(1)))
        );
    }

    #[test]
    fn a_blank_caseworker_means_nobody_on_an_exported_row_and_the_importer_on_a_new_one() {
        assert_eq!(MANAGER.for_row(true, None, &staff()), Ok(None));
        assert_eq!(MANAGER.for_row(true, Some("  "), &staff()), Ok(None));
        assert_eq!(MANAGER.for_row(false, None, &staff()), Ok(MANAGER.user));
        // The console has no importer: a new row waits unassigned.
        assert_eq!(CONSOLE.for_row(false, None, &staff()), Ok(None));
        assert_eq!(CONSOLE.for_row(true, None, &staff()), Ok(None));
    }

    #[test]
    fn a_caseworker_keeps_everyone_they_import() {
        for (exported, email) in [
            (false, None),
            (true, None),
            (false, Some("ben@example.org")),
            (true, Some("ben@example.org")),
        ] {
            assert_eq!(
                CASEWORKER.for_row(exported, email, &staff()),
                Ok(CASEWORKER.user),
                "{exported} {email:?}"
            );
        }
    }

    #[test]
    fn an_unknown_email_is_an_error_whoever_imports() {
        for who in [MANAGER, CASEWORKER, CONSOLE] {
            let err = who
                .for_row(false, Some("nobody@example.org"), &staff())
                .unwrap_err();
            assert_eq!(err.key, "talent.person.unknown_caseworker_email");
        }
    }

    #[test]
    fn a_form_names_a_caseworker_by_id_or_email_and_blank_keeps_the_default() {
        let s = staff();
        assert_eq!(
            MANAGER.for_form(&uid(2).0.to_string(), None, &s),
            Ok(Some(uid(2)))
        );
        assert_eq!(
            MANAGER.for_form("ANA@example.org", None, &s),
            Ok(Some(uid(1)))
        );
        assert_eq!(MANAGER.for_form("", Some(uid(2)), &s), Ok(Some(uid(2))));
        assert_eq!(MANAGER.for_form(" ", None, &s), Ok(None));
        let Invalid(errs) = MANAGER.for_form("someone", None, &s).unwrap_err();
        assert_eq!(errs[0].field, "caseworker");
        // A caseworker is not asked: they keep the person, whatever is typed.
        assert_eq!(
            CASEWORKER.for_form("someone", Some(uid(2)), &s),
            Ok(CASEWORKER.user)
        );
    }
}
