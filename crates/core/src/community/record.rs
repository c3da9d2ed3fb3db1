//! A community as typed and as stored: a name, what it is, and its area
//! (the area selection, checked where the geography is, in the app).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::plan::{PlanStatus, Progress};
use crate::UserId;
use crate::i18n::Message;
use crate::place::input::SelectionInput;
use crate::place::selection::AreaOfBenefit;
use crate::validation::{Errors, Invalid};

/// A community as typed in the form or sent to the API.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CommunityInput {
    /// Its name, e.g. `Hodge Hill and Shard End`.
    pub name: String,
    /// Who lives there and why it came together, in its own words.
    pub description: String,
    /// Its area, chosen as the programme's area of benefit is (by ward,
    /// listed small areas, deciles …); its `note` says why it changed.
    pub area: SelectionInput,
}

/// A community's own fields, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommunityDraft {
    pub name: String,
    pub description: String,
}

impl CommunityInput {
    /// Checks the name and description; the area is checked against the
    /// loaded geography by the app, which reports both together.
    pub fn validate(&self) -> Result<CommunityDraft, Invalid> {
        let mut e = Errors::new();
        let name = if self.name.trim().is_empty() {
            e.add("name", Message::new("community.name_required"));
            String::new()
        } else {
            e.required("name", &self.name, 120)
        };
        let description = e
            .optional("description", &self.description, 4_000)
            .unwrap_or_default();
        e.finish(|| CommunityDraft { name, description })
    }
}

impl CommunityDraft {
    /// The name as compared for uniqueness: case and spacing ignored.
    pub fn name_key(&self) -> String {
        self.name
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A community as stored, with its area in force and its plan's headline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Community {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// The version of its area in force (the same shape as an area of
    /// benefit's): `None` only before one is saved.
    pub area: Option<AreaOfBenefit>,
    /// The plan's status; `None` before a plan is written.
    pub plan_status: Option<PlanStatus>,
    #[serde(with = "crate::iso_date::option")]
    pub adopted_on: Option<time::Date>,
    /// Computed from the plan's actions.
    pub progress: Progress,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A member of a community: an account of the programme (personal data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommunityMember {
    pub user_id: UserId,
    pub display_name: String,
    pub email: String,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at: OffsetDateTime,
}

/// A member to add, by the e-mail of their account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MemberInput {
    /// The e-mail of the member's account (one with no account is a 404).
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = Email, max_length = 254)
    )]
    pub email: String,
}

impl MemberInput {
    pub fn validate(&self) -> Result<String, Invalid> {
        let mut e = Errors::new();
        let email = if self.email.trim().is_empty() {
            e.add("email", Message::new("community.member_email_required"));
            None
        } else {
            e.optional_email("email", &self.email)
        };
        e.finish(|| email.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_community_needs_a_name_and_keeps_its_description_short() {
        let err = CommunityInput {
            name: "  ".into(),
            description: "x".repeat(4_001),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "description"]);
        let ok = CommunityInput {
            name: " Shard End ".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.description.as_str()),
            ("Shard End", "")
        );
    }

    #[test]
    fn a_member_is_named_by_a_plausible_email() {
        assert_eq!(
            MemberInput {
                email: " ana@example.org ".into()
            }
            .validate()
            .unwrap(),
            "ana@example.org"
        );
        for bad in ["", "ana"] {
            let e = MemberInput { email: bad.into() }.validate().unwrap_err();
            assert_eq!(e.0[0].field, "email");
        }
    }
}
