//! Practice changes (issue 17.5): what an anchor changed and when — an
//! employer rule lifted, a procurement threshold changed, a space opened to
//! the community — and the interaction or talent barrier that prompted it.
//! The seed's "system change", kept beside the anchor's figures.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::clock::iso_date;
use crate::i18n::Message;
use crate::talent::casework::Barrier;
use crate::validation::{Errors, Invalid, parse_date};

/// What kind of practice changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PracticeKind {
    /// A recruitment rule lifted or changed.
    EmployerRule,
    /// How the anchor buys: a threshold, a lot size, a social value weight.
    Procurement,
    /// A space in the anchor's estate opened to the community.
    SpaceOpened,
    Other,
}

impl PracticeKind {
    pub const ALL: [PracticeKind; 4] = [
        Self::EmployerRule,
        Self::Procurement,
        Self::SpaceOpened,
        Self::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::EmployerRule => "employer_rule",
            Self::Procurement => "procurement",
            Self::SpaceOpened => "space_opened",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PracticeKind> {
        let s = s.trim().to_lowercase().replace([' ', '-'], "_");
        Self::ALL.into_iter().find(|k| k.slug() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::EmployerRule => "anchors.practice.kind.employer_rule",
            Self::Procurement => "anchors.practice.kind.procurement",
            Self::SpaceOpened => "anchors.practice.kind.space_opened",
            Self::Other => "anchors.practice.kind.another",
        }
    }
}

/// A practice change's fields, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeDraft {
    pub anchor: String,
    pub changed_on: Date,
    pub kind: PracticeKind,
    pub summary: String,
    /// The interaction that prompted it.
    pub interaction: Option<Uuid>,
    /// Or the talent barrier it answers.
    pub barrier: Option<Barrier>,
}

/// A practice change as typed on the form or sent to the API.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PracticeInput {
    /// The anchor's short name (one the programme has: another is a 404).
    #[cfg_attr(feature = "openapi", schema(required = true, min_length = 1))]
    pub anchor: String,
    /// The day the change took effect, not in the future.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = crate::openapi::past_day)
    )]
    pub changed_on: String,
    /// employer_rule, procurement, space_opened or other.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = PracticeKind))]
    pub kind: String,
    /// What changed, in a sentence.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 1000)
    )]
    pub summary: String,
    /// The id of the interaction that prompted it, if one did (one of the
    /// programme's: another is a 404).
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::uuid_or_blank)
    )]
    pub interaction: String,
    /// The talent barrier it answers, if any (`employer_rule`, `references`, …).
    #[cfg_attr(feature = "openapi", schema(schema_with = barrier_or_blank))]
    pub barrier: String,
}

#[cfg(feature = "openapi")]
fn barrier_or_blank() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(Barrier::ALL.iter().map(|b| b.slug()), true)
}

impl PracticeInput {
    pub fn of(d: &PracticeDraft) -> Self {
        PracticeInput {
            anchor: d.anchor.clone(),
            changed_on: iso_date(d.changed_on),
            kind: d.kind.slug().into(),
            summary: d.summary.clone(),
            interaction: d.interaction.map(|i| i.to_string()).unwrap_or_default(),
            barrier: d.barrier.map(|b| b.slug().to_string()).unwrap_or_default(),
        }
    }

    pub fn validate(&self, today: Date) -> Result<PracticeDraft, Invalid> {
        let mut e = Errors::new();
        let anchor = self.anchor.trim().to_string();
        if anchor.is_empty() {
            e.add("anchor", Message::new("anchors.interactions.need.anchor"));
        }
        let raw = self.changed_on.trim();
        let changed_on = if raw.is_empty() {
            e.add(
                "changed_on",
                Message::new("anchors.practice.need.changed_on"),
            );
            None
        } else {
            let d = parse_date(raw);
            match d {
                None => e.add(
                    "changed_on",
                    Message::new("validation.date").arg("value", raw),
                ),
                Some(d) if d > today => {
                    e.add("changed_on", Message::new("anchors.interactions.future"))
                }
                Some(_) => {}
            }
            d
        };
        let kind = PracticeKind::parse(&self.kind);
        if kind.is_none() {
            e.add(
                "kind",
                Message::new("anchors.practice.need.kind").arg("value", self.kind.trim()),
            );
        }
        let summary = self.summary.trim().to_string();
        if summary.is_empty() {
            e.add("summary", Message::new("anchors.practice.need.summary"));
        } else if summary.chars().count() > 1000 {
            e.add(
                "summary",
                Message::new("validation.too_long").arg("max", 1000),
            );
        }
        let interaction = match self.interaction.trim() {
            "" => None,
            s => {
                let id = Uuid::parse_str(s).ok();
                if id.is_none() {
                    e.add(
                        "interaction",
                        Message::new("anchors.practice.unknown_interaction"),
                    );
                }
                id
            }
        };
        let barrier = match self.barrier.trim() {
            "" => None,
            s => {
                let b = Barrier::parse(s);
                if b.is_none() {
                    e.add("barrier", Message::new("talent.barrier.choose"));
                }
                b
            }
        };
        e.finish(|| PracticeDraft {
            anchor,
            changed_on: changed_on.unwrap_or(Date::MIN),
            kind: kind.unwrap_or(PracticeKind::Other),
            summary,
            interaction,
            barrier,
        })
    }
}

/// A practice change as kept, with what a reader needs to follow its link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeChange {
    pub id: Uuid,
    pub anchor: String,
    pub anchor_name: String,
    pub changed_on: Date,
    pub kind: PracticeKind,
    pub summary: String,
    pub interaction: Option<Uuid>,
    /// The prompting interaction's organisation, where there is one.
    pub interaction_organisation: Option<String>,
    pub barrier: Option<Barrier>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_practice_change_names_every_bad_field() {
        let today = date!(2026 - 01 - 01);
        let err = PracticeInput {
            changed_on: "2027-01-01".into(),
            kind: "whim".into(),
            interaction: "not-an-id".into(),
            barrier: "bad luck".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "anchor",
                "changed_on",
                "kind",
                "summary",
                "interaction",
                "barrier"
            ]
        );
        let ok = PracticeInput {
            anchor: "trust".into(),
            changed_on: "01/06/2025".into(),
            kind: "employer_rule".into(),
            summary: "Overseas references accepted".into(),
            interaction: String::new(),
            barrier: "references".into(),
        }
        .validate(today)
        .unwrap();
        assert_eq!(ok.barrier, Some(Barrier::References));
        assert_eq!(PracticeInput::of(&ok).validate(today).unwrap(), ok);
    }
}
