//! Research projects: who commissioned them (an anchor, the council, a
//! charity, the Social Lab, or the researchers' own proposal), the question,
//! the method, the budget, where they stand and what they found.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::i18n::Message;
use crate::money::{Pence, parse_pence};
use crate::validation::{Errors, Invalid};

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, [$($variant:ident = $slug:literal),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.slug() == s.trim())
            }
            pub fn label_key(self) -> String {
                format!(concat!($prefix, ".{}"), self.slug())
            }
        }
    };
}

choice!(
    /// Who asked for (and pays for) the research.
    Commissioner, "research.commissioner", [
        Anchor = "anchor",
        Council = "council",
        Charity = "charity",
        SocialLab = "social_lab",
        Researchers = "researchers",
    ]
);

choice!(
    /// Where a project stands.
    ProjectStatus, "research.project.status", [
        Proposed = "proposed",
        Commissioned = "commissioned",
        Fieldwork = "fieldwork",
        Analysis = "analysis",
        Reported = "reported",
    ]
);

/// A project as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProjectInput {
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub title: String,
    /// `anchor`, `council`, `charity`, `social_lab` or `researchers`.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = commissioner_kinds)
    )]
    pub commissioner_kind: String,
    /// The commissioning organisation's name (blank for the researchers' own;
    /// needed for an anchor, the council or a charity).
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub commissioner: String,
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 2000)
    )]
    pub question: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub method: String,
    /// `proposed` (the blank's meaning), `commissioned`, `fieldwork`,
    /// `analysis` or `reported`.
    #[cfg_attr(feature = "openapi", schema(schema_with = statuses_or_blank))]
    pub status: String,
    /// The budget in pounds (blank: not agreed yet).
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::money_or_blank)
    )]
    pub budget: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub findings: String,
}

#[cfg(feature = "openapi")]
fn commissioner_kinds() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(Commissioner::ALL.iter().map(|k| k.slug()), false)
}

#[cfg(feature = "openapi")]
fn statuses_or_blank() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(ProjectStatus::ALL.iter().map(|k| k.slug()), true)
}

/// A project checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectDraft {
    pub title: String,
    pub commissioner_kind: Commissioner,
    pub commissioner: String,
    pub question: String,
    pub method: String,
    pub status: ProjectStatus,
    pub budget: Option<Pence>,
    pub findings: String,
}

impl ProjectInput {
    pub fn validate(&self) -> Result<ProjectDraft, Invalid> {
        let mut e = Errors::new();
        let title = super::required(
            &mut e,
            "title",
            &self.title,
            200,
            "research.project.title_required",
        );
        let kind = Commissioner::parse(&self.commissioner_kind);
        if kind.is_none() {
            e.add(
                "commissioner_kind",
                Message::new("research.project.commissioner_required"),
            );
        }
        let commissioner = e
            .optional("commissioner", &self.commissioner, 200)
            .unwrap_or_default();
        if commissioner.is_empty()
            && matches!(
                kind,
                Some(Commissioner::Anchor | Commissioner::Council | Commissioner::Charity)
            )
        {
            e.add(
                "commissioner",
                Message::new("research.project.commissioner_name_required"),
            );
        }
        let question = super::required(
            &mut e,
            "question",
            &self.question,
            2000,
            "research.project.question_required",
        );
        let method = e.optional("method", &self.method, 2000).unwrap_or_default();
        let status = match self.status.trim() {
            "" => Some(ProjectStatus::Proposed),
            raw => {
                let s = ProjectStatus::parse(raw);
                if s.is_none() {
                    e.add(
                        "status",
                        Message::new("research.project.bad_status").arg("value", raw),
                    );
                }
                s
            }
        };
        let budget = match self.budget.trim() {
            "" => None,
            raw => match parse_pence(&crate::i18n::typed_number(raw)) {
                Ok(p) if p >= 0 => Some(p),
                Ok(_) => {
                    e.add("budget", Message::new("research.project.negative_budget"));
                    None
                }
                Err(m) => {
                    e.add("budget", m);
                    None
                }
            },
        };
        let findings = e
            .optional("findings", &self.findings, 20_000)
            .unwrap_or_default();
        match (kind, status) {
            (Some(commissioner_kind), Some(status)) => e.finish(|| ProjectDraft {
                title,
                commissioner_kind,
                commissioner,
                question,
                method,
                status,
                budget,
                findings,
            }),
            _ => Err(Invalid(e.into_vec())),
        }
    }
}

impl ProjectDraft {
    pub fn to_input(&self) -> ProjectInput {
        ProjectInput {
            title: self.title.clone(),
            commissioner_kind: self.commissioner_kind.slug().into(),
            commissioner: self.commissioner.clone(),
            question: self.question.clone(),
            method: self.method.clone(),
            status: self.status.slug().into(),
            budget: self.budget.map(super::work::pounds).unwrap_or_default(),
            findings: self.findings.clone(),
        }
    }
}

/// A project with the hours approved on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Project {
    pub id: Uuid,
    pub draft: ProjectDraft,
    pub approved_minutes: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_commission_names_the_anchor() {
        let i = ProjectInput {
            title: "Where do hospital staff spend their lunch money?".into(),
            commissioner_kind: "anchor".into(),
            question: "Which local businesses do staff use?".into(),
            budget: "£4,500".into(),
            ..Default::default()
        };
        let err = i.validate().unwrap_err();
        assert_eq!(err.0[0].field, "commissioner");
        let ok = ProjectInput {
            commissioner: "University Hospitals Birmingham".into(),
            ..i
        }
        .validate()
        .unwrap();
        assert_eq!(ok.budget, Some(450_000));
        assert_eq!(ok.status, ProjectStatus::Proposed);
    }

    #[test]
    fn researchers_may_propose_their_own() {
        let ok = ProjectInput {
            title: "Young carers".into(),
            commissioner_kind: "researchers".into(),
            question: "What support do young carers in Ladywood find?".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.commissioner_kind, Commissioner::Researchers);
    }
}
