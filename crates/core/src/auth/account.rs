//! People who can sign in, their programme memberships and API tokens.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Role;
use crate::i18n::Message;
use crate::programme::Programme;
use crate::validation::{Errors, Invalid};
use crate::{ApiTokenId, ProgrammeId, UserId};

/// A user account. Name and e-mail are personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    /// Deployment administrator: manages programmes and accounts, but sees a
    /// programme's data only through a membership of it.
    pub is_admin: bool,
    pub disabled: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_sign_in_at: Option<OffsetDateTime>,
}

/// A user with what is needed to check a password.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub password_changed_at: OffsetDateTime,
}

/// A validated new account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_admin: bool,
}

impl NewUser {
    /// Checks the typed fields and hashes the password.
    pub fn validate(
        email: &str,
        display_name: &str,
        password: &str,
        is_admin: bool,
    ) -> Result<NewUser, Invalid> {
        let mut e = Errors::new();
        let email = email.trim().to_string();
        if email.is_empty() {
            e.add("email", Message::new("validation.required.email"));
        } else if !crate::validation::is_plausible_email(&email) {
            e.add("email", Message::new("validation.email"));
        }
        let display_name = e.required("display_name", display_name, 120);
        if let Err(m) = super::password::check_policy(password, &[&email, &display_name]) {
            e.add("password", m);
        }
        e.finish(|| NewUser {
            email,
            display_name,
            password_hash: super::password::hash(password),
            is_admin,
        })
    }
}

/// An account as typed into the administration form, the API or the
/// console.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = UserForm))]
pub struct UserInput {
    pub email: String,
    pub display_name: String,
    /// The first password; the person should change it when they sign in.
    pub password: String,
    /// "yes" (form) or true (API): a deployment administrator.
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    #[serde(deserialize_with = "yes_or_bool")]
    pub is_admin: bool,
}

impl UserInput {
    /// Checks the fields and hashes the password (slow by design).
    pub fn validate(&self) -> Result<NewUser, Invalid> {
        NewUser::validate(
            &self.email,
            &self.display_name,
            &self.password,
            self.is_admin,
        )
    }
}

/// Nobody disables their own account: they could not sign in to undo it.
/// `by` is the administrator doing it (`None`: the console).
pub fn check_disabling(by: Option<UserId>, account: UserId, disabled: bool) -> Result<(), Message> {
    if disabled && by == Some(account) {
        Err(Message::new("admin.users.not_yourself"))
    } else {
        Ok(())
    }
}

/// A tick box as a form posts it ("yes", "on"…) or a JSON boolean.
fn yes_or_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum V {
        B(bool),
        S(String),
    }
    Ok(match V::deserialize(d)? {
        V::B(b) => b,
        V::S(s) => matches!(s.as_str(), "yes" | "true" | "on" | "1"),
    })
}

/// A user's place in one programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Membership {
    pub programme: Programme,
    pub role: Role,
}

crate::sort_columns!(
    /// The columns the member list can be sorted by.
    MemberSort {
        Name => "name",
        Email => "email",
        Role => "role",
        Since => "since",
    }
);

/// How to narrow and order a programme's member list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberQuery {
    /// Free text over name, e-mail and role.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub sort: MemberSort,
    pub dir: crate::listing::SortDir,
}

crate::sort_columns!(
    /// The columns the account list can be sorted by.
    UserSort {
        Name => "name",
        Email => "email",
        LastSignIn => "last_sign_in",
        Created => "created",
    }
);

/// How to narrow and order the deployment's accounts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserQuery {
    pub q: Option<String>,
    pub sort: UserSort,
    pub dir: crate::listing::SortDir,
}

/// A programme member as the members page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    pub user: User,
    pub role: Role,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
}

/// An API bearer token: acts as one user with one role in one programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub programme_id: ProgrammeId,
    pub user_id: UserId,
    pub role: Role,
    pub name: String,
    /// The first characters of the secret, to tell tokens apart.
    pub hint: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

impl ApiToken {
    pub fn is_usable_at(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// A token about to be stored (the secret itself is never stored).
#[derive(Clone, Debug)]
pub struct NewApiToken {
    pub programme_id: ProgrammeId,
    pub user_id: UserId,
    pub role: Role,
    pub name: String,
    pub token_hash: String,
    pub hint: String,
    pub expires_at: Option<OffsetDateTime>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_admin_from_a_tick_box_or_a_boolean() {
        let form: UserInput =
            serde_json::from_str(r#"{"email":"a@example.org","is_admin":"yes"}"#).unwrap();
        assert!(form.is_admin);
        let api: UserInput = serde_json::from_str(r#"{"is_admin":false}"#).unwrap();
        assert!(!api.is_admin);
        let unticked: UserInput = serde_json::from_str(r#"{"is_admin":"no"}"#).unwrap();
        assert!(!unticked.is_admin);
        assert!(!UserInput::default().is_admin);
    }

    #[test]
    fn nobody_disables_their_own_account() {
        let (me, them) = (UserId::new(), UserId::new());
        assert!(check_disabling(Some(me), me, true).is_err());
        assert!(check_disabling(Some(me), me, false).is_ok());
        assert!(check_disabling(Some(me), them, true).is_ok());
        assert!(check_disabling(None, them, true).is_ok());
    }

    #[test]
    fn an_account_names_every_bad_field() {
        let err = UserInput {
            email: "not an email".into(),
            display_name: String::new(),
            password: "short".into(),
            is_admin: false,
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "display_name", "password"]);
    }
}
