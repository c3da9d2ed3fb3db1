//! The programme (one tenant) and its partnership.

pub mod indicators;
mod list;
pub mod model;
mod partner;
pub mod partner_csv;
pub mod report;
mod report_pdf;
pub mod saved_filter;
pub mod stories;
pub mod targets;

pub use list::*;
pub use partner::*;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ProgrammeId;
use crate::i18n::{Language, Message};
use crate::money::Currency;
use crate::validation::{Errors, Invalid};

/// A city or neighbourhood running the model; owns every row it creates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Programme {
    pub id: ProgrammeId,
    /// Short name used in URLs, e.g. `west-birmingham-smethwick`.
    pub slug: String,
    pub name: String,
    pub description: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// What its money is shown in (amounts are minor units of it).
    pub currency: Currency,
    /// Which catalogue its pages use and how numbers are written.
    pub language: Language,
}

impl Programme {
    /// How its money is written: `1 234,56 €` for a French programme in euros.
    pub fn money_style(&self) -> crate::money::MoneyStyle {
        crate::money::MoneyStyle {
            currency: self.currency,
            language: self.language,
        }
    }

    /// The locale its pages are written in.
    pub fn locale(&self) -> crate::i18n::Locale {
        crate::i18n::Locale {
            language: self.language,
            currency: self.currency,
        }
    }
}

/// A programme's currency and language, as typed (`EUR`, `fr`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeLocaleInput {
    pub currency: String,
    pub language: String,
}

/// A programme's currency and language, checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProgrammeLocale {
    pub currency: Currency,
    pub language: Language,
}

impl ProgrammeLocaleInput {
    /// Both are required and must be ones useit can show; each bad field is named.
    pub fn validate(&self) -> Result<ProgrammeLocale, Invalid> {
        let mut e = Errors::new();
        let currency = Currency::parse(&self.currency);
        if currency.is_none() {
            e.add(
                "currency",
                Message::new("programme.currency_unknown").arg("value", self.currency.trim()),
            );
        }
        let language = Language::parse(&self.language);
        if language.is_none() {
            e.add(
                "language",
                Message::new("programme.language_unknown").arg("value", self.language.trim()),
            );
        }
        e.finish(|| ProgrammeLocale {
            currency: currency.unwrap_or_default(),
            language: language.unwrap_or_default(),
        })
    }

    /// A choice over `default` (what a model brought): a blank field keeps
    /// the default's, a typed one must be one useit can show.
    pub fn validate_or(&self, default: ProgrammeLocale) -> Result<ProgrammeLocale, Invalid> {
        let blank = |v: &str, d: &str| {
            if v.trim().is_empty() {
                d.to_string()
            } else {
                v.to_string()
            }
        };
        ProgrammeLocaleInput {
            currency: blank(&self.currency, default.currency.code()),
            language: blank(&self.language, default.language.code()),
        }
        .validate()
    }
}

/// What it takes to start a programme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProgramme {
    pub slug: String,
    pub name: String,
    pub description: String,
}

impl NewProgramme {
    pub fn validate(slug: &str, name: &str, description: &str) -> Result<NewProgramme, Invalid> {
        let mut e = Errors::new();
        let slug = slug.trim().to_lowercase();
        if slug.is_empty() {
            e.add("slug", Message::new("validation.required.slug"));
        } else if !is_valid_slug(&slug) {
            e.add("slug", Message::new("programme.slug_format"));
        }
        let (name, description) = details(&mut e, name, description);
        e.finish(|| NewProgramme {
            slug,
            name,
            description,
        })
    }
}

/// A programme as typed into the administration form or the API.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ProgrammeForm))]
pub struct ProgrammeInput {
    /// Short name for web addresses: lower-case letters, numbers, hyphens.
    pub slug: String,
    pub name: String,
    pub description: String,
    /// E-mail of an existing account to make its first administrator.
    pub administrator_email: String,
}

impl ProgrammeInput {
    /// The programme's own fields; the administrator's e-mail is checked
    /// against the accounts by the use case.
    pub fn validate(&self) -> Result<NewProgramme, Invalid> {
        NewProgramme::validate(&self.slug, &self.name, &self.description)
    }

    /// The first administrator's e-mail, if one is named.
    pub fn administrator(&self) -> Option<&str> {
        Some(self.administrator_email.trim()).filter(|e| !e.is_empty())
    }
}

/// A programme's name and description as changed (its short name stays:
/// it is in every address people have saved).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ProgrammeChange {
    pub name: String,
    pub description: String,
}

/// A checked [`ProgrammeChange`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgrammeDetails {
    pub name: String,
    pub description: String,
}

impl ProgrammeChange {
    /// The same rules as a new programme's name and description.
    pub fn validate(&self) -> Result<ProgrammeDetails, Invalid> {
        let mut e = Errors::new();
        let (name, description) = details(&mut e, &self.name, &self.description);
        e.finish(|| ProgrammeDetails { name, description })
    }
}

/// A programme's name (required) and description, new or changed.
fn details(e: &mut Errors, name: &str, description: &str) -> (String, String) {
    let name = e.required("name", name, 120);
    let description = e
        .optional("description", description, 2000)
        .unwrap_or_default();
    (name, description)
}

/// 2–40 characters of `a-z`, `0-9` and single hyphens, not at either end.
pub fn is_valid_slug(s: &str) -> bool {
    (2..=40).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// The numbers on a programme's home page, all counted from rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProgrammeCounts {
    pub partners_current: u64,
    pub partners_former: u64,
    pub partners_by_kind: Vec<(PartnerKind, u64)>,
    pub members: u64,
    pub partners_joined_by_year: Vec<(i32, u64)>,
}

impl ProgrammeCounts {
    /// Counts partners from their kinds and dates; `members` is counted
    /// separately. Current means joined on or before `today` and not yet left.
    pub fn from_partners(
        partners: &[(PartnerKind, time::Date, Option<time::Date>)],
        members: u64,
        today: time::Date,
    ) -> Self {
        use std::collections::BTreeMap;
        let mut by_kind: BTreeMap<PartnerKind, u64> = BTreeMap::new();
        let mut by_year: BTreeMap<i32, u64> = BTreeMap::new();
        let (mut current, mut former) = (0, 0);
        for (kind, joined, left) in partners {
            *by_year.entry(joined.year()).or_default() += 1;
            if left.is_some_and(|l| l <= today) {
                former += 1;
            } else if *joined <= today {
                current += 1;
                *by_kind.entry(*kind).or_default() += 1;
            }
        }
        ProgrammeCounts {
            partners_current: current,
            partners_former: former,
            partners_by_kind: by_kind.into_iter().collect(),
            members,
            partners_joined_by_year: by_year.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn counts_current_former_and_by_year() {
        let today = date!(2019 - 03 - 26);
        let c = ProgrammeCounts::from_partners(
            &[
                (PartnerKind::Vcse, date!(2017 - 01 - 01), None),
                (
                    PartnerKind::Vcse,
                    date!(2018 - 05 - 01),
                    Some(date!(2019 - 01 - 01)),
                ),
                (
                    PartnerKind::Funder,
                    date!(2016 - 06 - 01),
                    Some(date!(2020 - 01 - 01)),
                ),
                (PartnerKind::University, date!(2019 - 06 - 01), None),
            ],
            5,
            today,
        );
        assert_eq!(c.partners_current, 2);
        assert_eq!(c.partners_former, 1);
        assert_eq!(
            c.partners_by_kind,
            vec![(PartnerKind::Vcse, 1), (PartnerKind::Funder, 1)]
        );
        assert_eq!(
            c.partners_joined_by_year,
            vec![(2016, 1), (2017, 1), (2018, 1), (2019, 1)]
        );
        assert_eq!(c.members, 5);
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("west-birmingham-smethwick"));
        assert!(!is_valid_slug("West"));
        assert!(!is_valid_slug("-a"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug("a"));
        let err = NewProgramme::validate("Bad Slug", "", "").unwrap_err();
        assert_eq!(err.0.len(), 2);
    }

    #[test]
    fn a_programme_input_names_its_administrator_only_when_given() {
        let mut i = ProgrammeInput {
            slug: " East-Birmingham ".into(),
            name: "East Birmingham".into(),
            description: String::new(),
            administrator_email: "  ".into(),
        };
        assert_eq!(i.validate().unwrap().slug, "east-birmingham");
        assert_eq!(i.administrator(), None);
        i.administrator_email = " pm@example.org ".into();
        assert_eq!(i.administrator(), Some("pm@example.org"));
        i.name = String::new();
        let fields: Vec<_> = i
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name"]);
    }

    #[test]
    fn a_change_keeps_the_rules_of_a_new_programme() {
        let ok = ProgrammeChange {
            name: " Smethwick ".into(),
            description: "A neighbourhood.".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.name, "Smethwick");
        let err = ProgrammeChange {
            name: String::new(),
            description: "x".repeat(2001),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "description"]);
    }
}
