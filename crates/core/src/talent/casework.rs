//! The record a caseworker keeps for a person: the catalogues (right to
//! work, lawful basis, barriers, support, placement outcomes) and the checks
//! on what is typed in.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::i18n::Message;
use crate::place::postcode::Postcode;
use crate::validation::{Errors, Invalid};

use super::profession::Professions;

/// A closed list of codes with catalogue labels (`<prefix>.<code>`).
macro_rules! code_list {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, [$($variant:ident = $slug:literal),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn slug(&self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.slug() == s)
            }
            pub fn label_key(&self) -> String {
                format!(concat!($prefix, ".{}"), self.slug())
            }
        }
    };
}

code_list!(
    /// Whether the person may work in the UK now.
    RightToWork, "talent.rtw", [
        Yes = "yes",
        PermissionNeeded = "permission_needed",
        No = "no",
        Unknown = "unknown",
    ]
);

code_list!(
    /// Why the programme may hold the person's data (UK GDPR article 6).
    LawfulBasis, "talent.basis", [
        Consent = "consent",
        LegitimateInterests = "legitimate_interests",
        PublicTask = "public_task",
    ]
);

code_list!(
    /// What holds a person back: the catalogue barriers are recorded from.
    Barrier, "talent.barrier", [
        EnglishScore = "english_score",
        ExamCost = "exam_cost",
        ExamAttempts = "exam_attempts",
        ClinicalAttachment = "clinical_attachment",
        RightToWork = "right_to_work",
        DocumentsLost = "documents_lost",
        OccupationalHealth = "occupational_health",
        DbsCheck = "dbs_check",
        References = "references",
        CaringDuties = "caring_duties",
        Travel = "travel",
        EmployerRule = "employer_rule",
    ]
);

code_list!(
    /// Help the programme gave.
    Support, "talent.support", [
        FundedExam = "funded_exam",
        EnglishClasses = "english_classes",
        Mentoring = "mentoring",
        ClinicalAttachment = "clinical_attachment",
        InterviewPreparation = "interview_preparation",
        TravelCosts = "travel_costs",
    ]
);

code_list!(
    /// Where a proposed pair of person and vacancy has got to.
    PlacementStatus, "talent.placement", [
        Proposed = "proposed",
        Applied = "applied",
        Interviewed = "interviewed",
        Offered = "offered",
        Started = "started",
        Left = "left",
        Withdrawn = "withdrawn",
    ]
);

impl PlacementStatus {
    /// Holds one of the vacancy's posts (put forward counts, so the next
    /// matching run does not offer the same post again).
    pub fn holds_post(&self) -> bool {
        matches!(
            self,
            PlacementStatus::Proposed
                | PlacementStatus::Applied
                | PlacementStatus::Interviewed
                | PlacementStatus::Offered
                | PlacementStatus::Started
        )
    }
    /// The statuses a placement may move to from this one.
    pub fn next(&self) -> &'static [PlacementStatus] {
        use PlacementStatus::*;
        match self {
            Proposed => &[Applied, Withdrawn],
            Applied => &[Interviewed, Offered, Withdrawn],
            Interviewed => &[Offered, Withdrawn],
            Offered => &[Started, Withdrawn],
            Started => &[Left],
            Left | Withdrawn => &[],
        }
    }
}

code_list!(
    /// Work the person went into, for the funnel.
    WorkOutcome, "talent.work", [
        NoneYet = "none",
        Nhs = "nhs",
        CareSector = "care_sector",
        Other = "other",
    ]
);

/// What a caseworker types about a person. All of it is personal data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDraft {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Display form, e.g. `B66 2QT`.
    pub postcode: Option<String>,
    pub profession: String,
    pub qualification_country: String,
    pub qualification_year: Option<i32>,
    pub qualifications: String,
    pub experience_years: u8,
    pub right_to_work: Option<RightToWork>,
    #[serde(with = "crate::iso_date::option")]
    pub available_from: Option<Date>,
    pub lawful_basis: Option<LawfulBasis>,
    #[serde(with = "crate::iso_date::option")]
    pub consent_given_on: Option<Date>,
}

/// The fields of a person form or API body, as typed: text, as a form
/// sends it; a blank optional field is not given. The API description is
/// this struct (what is required, each field's form and choices).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PersonBody))]
pub struct PersonInput {
    /// Up to 200 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub full_name: String,
    /// An e-mail address, or blank.
    pub email: String,
    /// At least seven digits, or blank; up to 40 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub phone: String,
    /// A UK postcode, or blank.
    pub postcode: String,
    /// A profession code from the programme's pathways (`nurse`, `doctor`, …).
    #[cfg_attr(feature = "openapi", schema(required = true, min_length = 1))]
    pub profession: String,
    /// Up to 80 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 80)
    )]
    pub qualification_country: String,
    /// The year it was gained, 1950 to this year, or blank.
    pub qualification_year: String,
    /// Up to 2,000 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub qualifications: String,
    /// Whole years, 0 to 60, or blank (0).
    pub experience_years: String,
    /// `yes`, `permission_needed`, `no`, `unknown`, or blank.
    pub right_to_work: String,
    /// YYYY-MM-DD, or blank.
    pub available_from: String,
    /// `consent`, `legitimate_interests` or `public_task`.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = LawfulBasis))]
    pub lawful_basis: String,
    /// YYYY-MM-DD; needed when the basis is consent.
    pub consent_given_on: String,
    /// The caseworker's user id; blank keeps the current one (or the
    /// person adding them).
    pub caseworker: String,
}

impl PersonInput {
    /// The form filled in with a person's profile and caseworker, to change them.
    pub fn of(d: &PersonDraft, caseworker: Option<crate::UserId>) -> PersonInput {
        let day = |d: Option<Date>| d.map(|x| x.to_string()).unwrap_or_default();
        PersonInput {
            full_name: d.full_name.clone(),
            email: d.email.clone().unwrap_or_default(),
            phone: d.phone.clone().unwrap_or_default(),
            postcode: d.postcode.clone().unwrap_or_default(),
            profession: d.profession.clone(),
            qualification_country: d.qualification_country.clone(),
            qualification_year: d
                .qualification_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            qualifications: d.qualifications.clone(),
            experience_years: d.experience_years.to_string(),
            right_to_work: d
                .right_to_work
                .map(|r| r.slug().to_string())
                .unwrap_or_default(),
            available_from: day(d.available_from),
            lawful_basis: d
                .lawful_basis
                .map(|b| b.slug().to_string())
                .unwrap_or_default(),
            consent_given_on: day(d.consent_given_on),
            caseworker: caseworker.map(|c| c.to_string()).unwrap_or_default(),
        }
    }

    pub fn validate(&self, professions: &Professions, today: Date) -> Result<PersonDraft, Invalid> {
        let mut e = Errors::new();
        let full_name = e.required("full_name", &self.full_name, 200);
        let email = e.optional_email("email", &self.email);
        let phone = e.optional("phone", &self.phone, 40);
        if let Some(p) = &phone
            && p.chars().filter(|c| c.is_ascii_digit()).count() < 7
        {
            e.add("phone", Message::new("talent.person.phone_format"));
        }
        let postcode = match self.postcode.trim() {
            "" => None,
            raw => match Postcode::parse(raw) {
                Ok(p) => Some(p.to_string()),
                Err(err) => {
                    e.add("postcode", err.message());
                    None
                }
            },
        };
        let profession = self.profession.trim().to_string();
        if profession.is_empty() {
            e.add("profession", Message::new("validation.required.profession"));
        } else if professions.get(&profession).is_none() {
            e.add(
                "profession",
                Message::new("talent.person.unknown_profession").arg("code", &profession),
            );
        }
        let qualification_country =
            e.required("qualification_country", &self.qualification_country, 80);
        let qualification_year = match self.qualification_year.trim() {
            "" => None,
            y => match y.parse::<i32>() {
                Ok(y) if (1950..=today.year()).contains(&y) => Some(y),
                _ => {
                    e.add(
                        "qualification_year",
                        Message::new("talent.person.year_range").arg("max", today.year()),
                    );
                    None
                }
            },
        };
        let qualifications = e
            .optional("qualifications", &self.qualifications, 2000)
            .unwrap_or_default();
        let experience_years = match self.experience_years.trim() {
            "" => 0,
            y => match y.parse::<u8>() {
                Ok(y) if y <= 60 => y,
                _ => {
                    e.add(
                        "experience_years",
                        Message::new("talent.person.experience_range"),
                    );
                    0
                }
            },
        };
        let right_to_work = match self.right_to_work.trim() {
            "" => None,
            s => match RightToWork::parse(s) {
                Some(r) => Some(r),
                None => {
                    e.add(
                        "right_to_work",
                        Message::new("validation.choose").arg("value", s),
                    );
                    None
                }
            },
        };
        let lawful_basis = match LawfulBasis::parse(&self.lawful_basis) {
            Some(b) => Some(b),
            None => {
                e.add(
                    "lawful_basis",
                    Message::new("validation.required.lawful_basis"),
                );
                None
            }
        };
        let available_from = e.optional_date("available_from", &self.available_from);
        let consent_given_on = e.optional_date("consent_given_on", &self.consent_given_on);
        // A date that did not parse has its own error already; only a blank one is missing.
        if lawful_basis == Some(LawfulBasis::Consent) && self.consent_given_on.trim().is_empty() {
            e.add(
                "consent_given_on",
                Message::new("talent.person.consent_date_needed"),
            );
        }
        if consent_given_on.is_some_and(|d| d > today) {
            e.add(
                "consent_given_on",
                Message::new("talent.person.consent_in_future"),
            );
        }
        e.finish(|| PersonDraft {
            full_name,
            email,
            phone,
            postcode,
            profession,
            qualification_country,
            qualification_year,
            qualifications,
            experience_years,
            right_to_work,
            available_from,
            lawful_basis,
            consent_given_on,
        })
    }
}

code_list!(
    /// Why two people may be the same person.
    PersonMatch, "talent.duplicate", [
        SameEmail = "same_email",
        SamePhone = "same_phone",
        SameName = "same_name",
    ]
);

/// The last ten digits of a phone number (so `+44 7700 900123` and
/// `07700 900123` agree), when it has enough digits to mean something.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: Vec<char> = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    (digits.len() >= 9).then(|| digits[digits.len().saturating_sub(10)..].iter().collect())
}

/// Pairs of people (by index) who may be one person registered twice
/// (through two partners, or with two e-mail addresses): the same e-mail,
/// the same phone number, or the same name in the same profession. Each
/// pair once, with the strongest reason.
pub fn find_duplicates(people: &[&PersonDraft]) -> Vec<(usize, usize, PersonMatch)> {
    use std::collections::HashMap;
    let mut out: HashMap<(usize, usize), PersonMatch> = HashMap::new();
    let mut group = |keys: Vec<Option<String>>, reason: PersonMatch| {
        let mut by: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, k) in keys.into_iter().enumerate() {
            if let Some(k) = k.filter(|k| !k.is_empty()) {
                by.entry(k).or_default().push(i);
            }
        }
        for ids in by.values() {
            for (n, a) in ids.iter().enumerate() {
                for b in &ids[n + 1..] {
                    out.entry((*a, *b)).or_insert(reason);
                }
            }
        }
    };
    group(
        people
            .iter()
            .map(|p| p.email.as_ref().map(|e| e.trim().to_lowercase()))
            .collect(),
        PersonMatch::SameEmail,
    );
    group(
        people
            .iter()
            .map(|p| p.phone.as_deref().and_then(phone_key))
            .collect(),
        PersonMatch::SamePhone,
    );
    group(
        people
            .iter()
            .map(|p| {
                Some(format!(
                    "{}|{}",
                    crate::names::normalise(&p.full_name),
                    p.profession
                ))
            })
            .collect(),
        PersonMatch::SameName,
    );
    let mut v: Vec<(usize, usize, PersonMatch)> =
        out.into_iter().map(|((a, b), r)| (a, b, r)).collect();
    v.sort();
    v
}

/// Where a person is in the programme's funnel, from their records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelStage {
    Engaged,
    OnPathway,
    Registered,
}

impl FunnelStage {
    pub const ALL: [FunnelStage; 3] = [
        FunnelStage::Engaged,
        FunnelStage::OnPathway,
        FunnelStage::Registered,
    ];
    pub fn slug(&self) -> &'static str {
        match self {
            FunnelStage::Engaged => "engaged",
            FunnelStage::OnPathway => "on_pathway",
            FunnelStage::Registered => "registered",
        }
    }
    pub fn parse(s: &str) -> Option<FunnelStage> {
        Self::ALL.into_iter().find(|v| v.slug() == s.trim())
    }
    /// Registered once the registration step is passed; on the pathway once
    /// any step is passed or any support given.
    pub fn of(progress: &super::pathway::Progress, supported: bool) -> FunnelStage {
        if progress.registered {
            FunnelStage::Registered
        } else if progress.started() || supported {
            FunnelStage::OnPathway
        } else {
            FunnelStage::Engaged
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> PersonInput {
        PersonInput {
            full_name: "Amal Haddad".into(),
            postcode: "b66 2qt".into(),
            profession: "doctor".into(),
            qualification_country: "Syria".into(),
            qualification_year: "2009".into(),
            experience_years: "7".into(),
            right_to_work: "yes".into(),
            lawful_basis: "consent".into(),
            consent_given_on: "2026-03-01".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_person_form_is_checked_field_by_field() {
        let p = input()
            .validate(Professions::shipped(), date!(2026 - 11 - 30))
            .unwrap();
        assert_eq!(p.postcode.as_deref(), Some("B66 2QT"));
        assert_eq!(p.experience_years, 7);
        let mut bad = input();
        bad.profession = "astronaut".into();
        bad.postcode = "B66".into();
        bad.consent_given_on = String::new();
        bad.qualification_year = "2099".into();
        let Invalid(errs) = bad
            .validate(Professions::shipped(), date!(2026 - 11 - 30))
            .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "postcode",
                "profession",
                "qualification_year",
                "consent_given_on"
            ]
        );
    }

    #[test]
    fn a_profile_fills_the_form_it_came_from() {
        let today = date!(2026 - 11 - 30);
        let mut typed = input();
        typed.email = "amal@example.org".into();
        typed.available_from = "2026-12-01".into();
        let draft = typed.validate(Professions::shipped(), today).unwrap();
        let cw = crate::UserId(uuid::Uuid::from_u128(7));
        let form = PersonInput::of(&draft, Some(cw));
        assert_eq!(form.caseworker, cw.to_string());
        assert_eq!(form.postcode, "B66 2QT");
        assert_eq!(form.validate(Professions::shipped(), today), Ok(draft));
    }

    #[test]
    fn the_same_person_twice_is_found_by_email_phone_or_name() {
        let a = PersonDraft {
            full_name: "Amal Haddad".into(),
            email: Some("Amal@Example.org".into()),
            phone: Some("+44 7700 900123".into()),
            profession: "doctor".into(),
            ..Default::default()
        };
        let b = PersonDraft {
            full_name: "AMAL  HADDAD".into(),
            phone: Some("07700 900123".into()),
            profession: "doctor".into(),
            ..Default::default()
        };
        let c = PersonDraft {
            full_name: "Amal Haddad".into(),
            email: Some("amal@example.org".into()),
            profession: "nurse".into(),
            ..Default::default()
        };
        let d = PersonDraft {
            full_name: "Samir Aziz".into(),
            profession: "doctor".into(),
            ..Default::default()
        };
        assert_eq!(
            find_duplicates(&[&a, &b, &c, &d]),
            vec![
                (0, 1, PersonMatch::SamePhone),
                (0, 2, PersonMatch::SameEmail)
            ]
        );
    }

    #[test]
    fn placements_move_forward_only() {
        assert!(
            PlacementStatus::Offered
                .next()
                .contains(&PlacementStatus::Started)
        );
        assert!(
            !PlacementStatus::Started
                .next()
                .contains(&PlacementStatus::Applied)
        );
        assert!(PlacementStatus::Started.holds_post());
        assert!(!PlacementStatus::Withdrawn.holds_post());
    }
}
