//! Adding people to a programme and changing their role, as typed into the
//! members pages or the API.

use serde::Deserialize;

use super::{NewUser, Role};
use crate::i18n::Message;
use crate::validation::{Errors, FieldError, Invalid};

/// A role as chosen: blank asks for one, an unknown name says what roles are.
pub(super) fn role_choice(e: &mut Errors, value: &str) -> Option<Role> {
    match value.trim() {
        "" => {
            e.add("role", Message::new("validation.required.role"));
            None
        }
        v => match v.parse::<Role>() {
            Ok(r) => Some(r),
            Err(_) => {
                e.add(
                    "role",
                    Message::new("import.member.bad_role").arg("value", v),
                );
                None
            }
        },
    }
}

/// A person to add to the programme: an existing account gets the role; an
/// e-mail without an account needs a name and a first password, and gets
/// an account and the role in one step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct MemberInput {
    pub email: String,
    pub role: String,
    /// For a new account only.
    pub display_name: String,
    /// For a new account only: its first password.
    pub password: String,
}

/// Who to add, and with what role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberDraft {
    pub email: String,
    pub role: Role,
}

impl MemberInput {
    /// The e-mail and role; whether an account exists is the use case's to find.
    pub fn validate(&self) -> Result<MemberDraft, Invalid> {
        let mut e = Errors::new();
        let email = e.required("email", &self.email, 254);
        let role = role_choice(&mut e, &self.role);
        e.finish(|| MemberDraft {
            email,
            role: role.expect("checked"),
        })
    }

    /// The account to create for an e-mail that has none. Hashes the
    /// password, which takes a noticeable time by design.
    pub fn new_account(&self) -> Result<NewUser, Invalid> {
        if self.display_name.trim().is_empty() && self.password.is_empty() {
            return Err(Invalid(vec![FieldError {
                field: "display_name".into(),
                message: Message::new("members.add.new_account_needs"),
            }]));
        }
        NewUser::validate(&self.email, &self.display_name, &self.password, false)
    }
}

/// A member's new role, as chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RoleInput {
    pub role: String,
}

impl RoleInput {
    pub fn validate(&self) -> Result<Role, Invalid> {
        let mut e = Errors::new();
        let role = role_choice(&mut e, &self.role);
        e.finish(|| role.expect("checked"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_member_needs_an_email_and_a_role() {
        let err = MemberInput::default().validate().unwrap_err();
        assert_eq!(fields(err), ["email", "role"]);
        let ok = MemberInput {
            email: " pm@example.org ".into(),
            role: "programme_manager".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.email, "pm@example.org");
        assert_eq!(ok.role, Role::ProgrammeManager);
    }

    #[test]
    fn a_blank_role_is_asked_for_and_an_unknown_one_named() {
        let blank = RoleInput { role: " ".into() }.validate().unwrap_err();
        assert_eq!(blank.0[0].message.key, "validation.required.role");
        let boss = RoleInput {
            role: "boss".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(boss.0[0].message.key, "import.member.bad_role");
        assert_eq!(
            RoleInput {
                role: "funder_viewer".into()
            }
            .validate()
            .unwrap(),
            Role::FunderViewer
        );
    }

    #[test]
    fn a_new_account_needs_a_name_or_a_password_and_then_both_to_be_good() {
        let none = MemberInput {
            email: "new@example.org".into(),
            role: "community_member".into(),
            ..Default::default()
        };
        let err = none.new_account().unwrap_err();
        assert_eq!(err.0[0].message.key, "members.add.new_account_needs");
        let short = MemberInput {
            display_name: "New Person".into(),
            password: "short".into(),
            ..none.clone()
        };
        assert_eq!(fields(short.new_account().unwrap_err()), ["password"]);
        let good = MemberInput {
            display_name: "New Person".into(),
            password: "a long enough passphrase".into(),
            ..none
        };
        let account = good.new_account().unwrap();
        assert!(!account.is_admin);
        assert!(crate::auth::password::verify(
            "a long enough passphrase",
            &account.password_hash
        ));
    }
}
