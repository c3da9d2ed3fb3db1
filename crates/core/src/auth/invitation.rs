//! Invitations: how a programme's administrator brings someone in without
//! learning anything about accounts outside the programme (issue 16 item 9).
//!
//! Adding a member by e-mail used to answer differently for an e-mail with
//! an account (and showed that account's name) and one without, so any
//! programme's administrator could ask "does this person use useit, and
//! under what name?" of every other programme's people. An invitation
//! answers the same for every e-mail: it names the e-mail and the role, and
//! gives a link to pass on. The person who opens the link signs in as that
//! e-mail's account, or creates the account, and only then becomes a
//! member. Only the SHA-256 of the link's secret is stored.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::Role;
use super::member::role_choice;
use super::token::{IssuedLinkSecret, issue_link_secret, link_lookup_hash};
use crate::ProgrammeId;
use crate::i18n::Message;
use crate::validation::{Errors, Invalid, is_plausible_email};

/// Invitation secrets start with this, so one found in a log is recognisable.
pub const PREFIX: &str = "useit_invite_";

/// How long an invitation stays open unless the administrator says otherwise.
pub const DEFAULT_DAYS: i64 = 14;

/// The longest an invitation may stay open.
pub const MAX_DAYS: i64 = 60;

/// Whom to invite, as typed into the members page, the API or the CLI.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct InvitationInput {
    /// The e-mail address of the account that may accept.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = Email, max_length = 254)
    )]
    pub email: String,
    /// The role the person gets on accepting, e.g. `community_researcher`.
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = roles))]
    pub role: String,
    /// Days the link stays open (1 to 60); blank for 14.
    #[cfg_attr(feature = "openapi", schema(schema_with = days_or_blank))]
    pub days: String,
}

#[cfg(feature = "openapi")]
fn roles() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(Role::ALL.iter().map(|r| r.slug()), false)
}

#[cfg(feature = "openapi")]
fn days_or_blank() -> utoipa::openapi::schema::Object {
    crate::openapi::whole_number_text(1, MAX_DAYS as u32, true)
}

/// A checked invitation, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationDraft {
    pub email: String,
    pub role: Role,
    pub expires_at: OffsetDateTime,
}

impl InvitationInput {
    /// The e-mail, role and expiry (counted from `now`), naming every bad field.
    pub fn validate(&self, now: OffsetDateTime) -> Result<InvitationDraft, Invalid> {
        let mut e = Errors::new();
        let email = e.required("email", &self.email, 254);
        if !email.is_empty() && !is_plausible_email(&email) {
            e.add("email", Message::new("validation.email"));
        }
        let role = role_choice(&mut e, &self.role);
        let days = match self.days.trim() {
            "" => Some(DEFAULT_DAYS),
            v => match v.parse::<i64>() {
                Ok(d) if (1..=MAX_DAYS).contains(&d) => Some(d),
                _ => {
                    e.add(
                        "days",
                        Message::new("invitations.bad_days").arg("max", MAX_DAYS),
                    );
                    None
                }
            },
        };
        e.finish(|| InvitationDraft {
            email,
            role: role.expect("checked"),
            expires_at: now + Duration::days(days.expect("checked")),
        })
    }
}

/// A new invitation's secret (shown once, in the link) and what is stored.
pub type IssuedInvitation = IssuedLinkSecret;

pub fn issue() -> IssuedInvitation {
    issue_link_secret(PREFIX)
}

/// The hash a presented secret is looked up by.
pub fn lookup_hash(secret: &str) -> String {
    link_lookup_hash(secret)
}

/// An invitation as stored: never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub id: Uuid,
    pub programme: ProgrammeId,
    pub email: String,
    pub role: Role,
    pub hint: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub accepted_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Open,
    Accepted,
    Withdrawn,
    Expired,
}

impl InvitationState {
    pub fn slug(self) -> &'static str {
        match self {
            InvitationState::Open => "open",
            InvitationState::Accepted => "accepted",
            InvitationState::Withdrawn => "withdrawn",
            InvitationState::Expired => "expired",
        }
    }

    /// Its name on the administrator's list.
    pub fn label_key(self) -> &'static str {
        match self {
            InvitationState::Open => "invitations.state.open",
            InvitationState::Accepted => "invitations.state.accepted",
            InvitationState::Withdrawn => "invitations.state.withdrawn",
            InvitationState::Expired => "invitations.state.expired",
        }
    }

    /// Why a closed invitation's link no longer works; `None` while open.
    pub fn closed_key(self) -> Option<&'static str> {
        match self {
            InvitationState::Open => None,
            InvitationState::Accepted => Some("invitations.closed.accepted"),
            InvitationState::Withdrawn => Some("invitations.closed.withdrawn"),
            InvitationState::Expired => Some("invitations.closed.expired"),
        }
    }
}

impl Invitation {
    pub fn state(&self, now: OffsetDateTime) -> InvitationState {
        if self.accepted_at.is_some() {
            InvitationState::Accepted
        } else if self.revoked_at.is_some() {
            InvitationState::Withdrawn
        } else if now >= self.expires_at {
            InvitationState::Expired
        } else {
            InvitationState::Open
        }
    }

    /// Whether an account with `email` is the one invited (e-mails compare
    /// without regard to case, as sign-in does).
    pub fn is_for(&self, email: &str) -> bool {
        self.email.trim().to_lowercase() == email.trim().to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn input(email: &str, role: &str, days: &str) -> InvitationInput {
        InvitationInput {
            email: email.into(),
            role: role.into(),
            days: days.into(),
        }
    }

    #[test]
    fn an_invitation_names_every_bad_field_and_defaults_to_two_weeks() {
        let now = datetime!(2026-12-07 09:00 UTC);
        let ok = input("amina@example.org", "community_researcher", "")
            .validate(now)
            .unwrap();
        assert_eq!(ok.role, Role::CommunityResearcher);
        assert_eq!(ok.expires_at, now + Duration::days(14));
        let bad = input("not an e-mail", "boss", "61")
            .validate(now)
            .unwrap_err();
        let fields: Vec<_> = bad.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["email", "role", "days"]);
        assert!(input("", "", "0").validate(now).is_err());
    }

    #[test]
    fn an_invitation_is_open_until_accepted_withdrawn_or_expired() {
        let now = datetime!(2026-12-07 09:00 UTC);
        let mut i = Invitation {
            id: Uuid::nil(),
            programme: ProgrammeId(Uuid::nil()),
            email: "Amina@Example.org".into(),
            role: Role::FunderViewer,
            hint: "abcd".into(),
            created_at: now,
            expires_at: now + Duration::days(1),
            accepted_at: None,
            revoked_at: None,
        };
        assert_eq!(i.state(now), InvitationState::Open);
        assert!(i.is_for("amina@example.org "));
        assert!(!i.is_for("someone@example.org"));
        assert_eq!(i.state(now + Duration::days(1)), InvitationState::Expired);
        i.revoked_at = Some(now);
        assert_eq!(i.state(now), InvitationState::Withdrawn);
        i.accepted_at = Some(now);
        assert_eq!(i.state(now), InvitationState::Accepted);
    }

    #[test]
    fn only_the_hash_of_the_secret_is_kept() {
        let a = issue();
        let b = issue();
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.starts_with(PREFIX));
        assert_eq!(lookup_hash(&format!(" {} ", a.secret)), a.hash);
        assert!(!a.hash.contains(&a.secret));
        assert_eq!(a.hint, a.secret[a.secret.len() - 4..]);
    }
}
