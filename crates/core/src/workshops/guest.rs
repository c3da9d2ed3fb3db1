//! Guest links: how participants without an account add notes from their
//! phones. A link reaches one workshop's note form and nothing else; only
//! the SHA-256 of its random secret is stored; it stops working at the
//! expiry the organiser chose, or when revoked.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::ProgrammeId;
use crate::auth::token::{IssuedLinkSecret, issue_link_secret, link_lookup_hash};
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// Guest secrets start with this, so one found in a log is recognisable.
pub const PREFIX: &str = "useit_guest_";

/// The longest a guest link may stay open: a workshop is a day, its
/// harvest perhaps a week.
pub const MAX_HOURS: i64 = 24 * 14;

/// A new link's secret (shown once, in the link) and what is stored.
pub type IssuedGuestSecret = IssuedLinkSecret;

pub fn issue() -> IssuedGuestSecret {
    issue_link_secret(PREFIX)
}

/// The hash a presented secret is looked up by.
pub fn lookup_hash(secret: &str) -> String {
    link_lookup_hash(secret)
}

/// How long a new link stays open, as the organiser chooses it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GuestLinkInput {
    /// Hours from now (1 to 336).
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = hours))]
    pub hours: String,
}

#[cfg(feature = "openapi")]
fn hours() -> utoipa::openapi::schema::Object {
    crate::openapi::whole_number_text(1, MAX_HOURS as u32, false)
}

impl GuestLinkInput {
    /// The expiry, counted from `now`.
    pub fn validate(&self, now: OffsetDateTime) -> Result<OffsetDateTime, Invalid> {
        let mut e = Errors::new();
        let v = self.hours.trim();
        let hours = match v.parse::<i64>() {
            Ok(h) if (1..=MAX_HOURS).contains(&h) => Some(h),
            _ => {
                e.add(
                    "hours",
                    Message::new("workshops.link.hours_bad")
                        .arg("max", MAX_HOURS)
                        .arg("value", v),
                );
                None
            }
        };
        e.finish(|| now + Duration::hours(hours.unwrap_or(1)))
    }
}

/// A guest link as stored (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GuestLink {
    pub id: Uuid,
    pub programme_id: ProgrammeId,
    pub workshop_id: Uuid,
    pub hint: String,
    pub expires_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

impl GuestLink {
    /// Whether a guest may use the link at `now`.
    pub fn is_open_at(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_link_closes_at_its_expiry_or_when_revoked() {
        let now = datetime!(2019-03-26 10:00 UTC);
        let expires_at = GuestLinkInput { hours: "3".into() }.validate(now).unwrap();
        assert_eq!(expires_at, datetime!(2019-03-26 13:00 UTC));
        let mut link = GuestLink {
            id: Uuid::now_v7(),
            programme_id: ProgrammeId(Uuid::now_v7()),
            workshop_id: Uuid::now_v7(),
            hint: "abcd".into(),
            expires_at,
            revoked_at: None,
            created_at: now,
        };
        assert!(link.is_open_at(now));
        assert!(link.is_open_at(datetime!(2019-03-26 12:59:59 UTC)));
        assert!(!link.is_open_at(expires_at));
        link.revoked_at = Some(now);
        assert!(!link.is_open_at(now));
    }

    #[test]
    fn expiry_is_bounded_and_secrets_are_stored_hashed() {
        let now = crate::clock::now();
        for bad in ["", "0", "-2", "337", "soon"] {
            let err = GuestLinkInput { hours: bad.into() }
                .validate(now)
                .unwrap_err();
            assert_eq!(err.0[0].field, "hours");
        }
        let a = issue();
        let b = issue();
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.starts_with(PREFIX));
        assert_eq!(lookup_hash(&a.secret), a.hash);
        assert!(!a.hash.contains(&a.secret[PREFIX.len()..]));
    }
}
