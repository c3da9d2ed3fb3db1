//! Community researchers: residents recruited (by a channel, on a day, from
//! a home postcode whose small area and decile make the programme's reach
//! into the most deprived neighbourhoods a figure), trained and accredited,
//! then paid to research their own community.
//!
//! A researcher's name, e-mail, postcode and languages are personal data:
//! the store audits every read and change, a researcher linked to an account
//! reaches only their own record ([`Reach`]), and erasure blanks the personal
//! fields but keeps the channel, decile, accreditation and hours, so the
//! strand's counts do not move.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::i18n::Message;
use crate::place::postcode::Postcode;
use crate::talent::casework::LawfulBasis;
use crate::validation::{Errors, Invalid};
use crate::{ProgrammeId, UserId};

/// How a researcher heard of the programme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    SocialMedia,
    Leaflet,
    Event,
    WordOfMouth,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::SocialMedia,
        Channel::Leaflet,
        Channel::Event,
        Channel::WordOfMouth,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Channel::SocialMedia => "social_media",
            Channel::Leaflet => "leaflet",
            Channel::Event => "event",
            Channel::WordOfMouth => "word_of_mouth",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.slug() == s.trim())
    }

    pub fn label_key(self) -> String {
        format!("research.channel.{}", self.slug())
    }
}

/// The qualification that lets a researcher be paid for research.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accreditation {
    pub qualification: String,
    pub level: String,
    pub awarding_body: String,
    #[serde(with = "crate::iso_date")]
    pub accredited_on: Date,
}

/// A researcher as typed on the form, the API or a CSV row: plain strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ResearcherInput {
    pub full_name: String,
    pub email: String,
    pub postcode: String,
    /// `social_media`, `leaflet`, `event` or `word_of_mouth`.
    pub channel: String,
    pub recruited_on: String,
    /// Languages spoken, separated by commas.
    pub languages: String,
    /// `consent`, `legitimate_interests` or `public_task`.
    pub lawful_basis: String,
    pub consent_given_on: String,
    /// Training modules completed, each with the day it was completed,
    /// separated by semicolons or lines: `Research ethics | 2024-03-12;
    /// Interviewing | 19/03/2024`. A module without its day is refused,
    /// unless the record already held it without one (kept from before
    /// completions were dated).
    pub training: String,
    pub qualification: String,
    pub level: String,
    pub awarding_body: String,
    pub accredited_on: String,
    /// The e-mail of the researcher's own account in the programme, so they
    /// can sign in and see their own record and timesheets.
    pub account_email: String,
}

/// A researcher's details, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResearcherDraft {
    pub full_name: String,
    pub email: Option<String>,
    pub postcode: Option<String>,
    pub channel: Channel,
    #[serde(with = "crate::iso_date")]
    pub recruited_on: Date,
    pub languages: Vec<String>,
    pub lawful_basis: LawfulBasis,
    #[serde(with = "crate::iso_date::option")]
    pub consent_given_on: Option<Date>,
    pub training: Vec<Completion>,
    pub accreditation: Option<Accreditation>,
    pub account_email: Option<String>,
}

/// A training module a researcher completed, and the day (`None`: kept
/// from before completions were dated, "date not known").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    pub module: String,
    #[serde(with = "crate::iso_date::option")]
    pub completed_on: Option<Date>,
}

impl Completion {
    /// `Module | 2024-03-12`, or the module alone when its day is not known.
    pub fn typed(&self) -> String {
        match self.completed_on {
            Some(d) => format!("{} | {d}", self.module),
            None => self.module.clone(),
        }
    }
}

/// The training field read: `module | day` items separated by `;` or lines
/// (an item without `|` may list modules separated by commas, none dated).
fn completions(e: &mut Errors, raw: &str, today: Date) -> Vec<Completion> {
    let mut out: Vec<Completion> = Vec::new();
    for item in raw
        .split([';', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
    {
        let found: Vec<Completion> = match item.split_once('|') {
            Some((module, day)) => {
                let module = module.trim();
                let day = day.trim();
                if module.is_empty() {
                    e.add(
                        "training",
                        Message::new("research.training.module_required").arg("value", item),
                    );
                    continue;
                }
                let completed_on = if day.is_empty() {
                    None
                } else {
                    match crate::validation::parse_date(day) {
                        Some(d) if d > today => {
                            e.add(
                                "training",
                                Message::new("research.training.in_future").arg("module", module),
                            );
                            None
                        }
                        Some(d) => Some(d),
                        None => {
                            e.add(
                                "training",
                                Message::new("research.training.bad_date")
                                    .arg("module", module)
                                    .arg("value", day),
                            );
                            None
                        }
                    }
                };
                vec![Completion {
                    module: module.chars().take(200).collect(),
                    completed_on,
                }]
            }
            None => item
                .split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(|m| Completion {
                    module: m.chars().take(200).collect(),
                    completed_on: None,
                })
                .collect(),
        };
        for c in found {
            if !out.iter().any(|o| o.module.eq_ignore_ascii_case(&c.module)) {
                out.push(c);
            }
        }
    }
    out
}

/// Every completion is dated, but for a module the record already held
/// without a day (kept from before completions were dated): the first
/// undated one is named on the `training` field.
pub fn check_training_dated(
    training: &[Completion],
    before: Option<&[Completion]>,
) -> Result<(), Invalid> {
    let kept_undated = |m: &str| {
        before.is_some_and(|b| {
            b.iter()
                .any(|c| c.completed_on.is_none() && c.module.eq_ignore_ascii_case(m))
        })
    };
    match training
        .iter()
        .find(|c| c.completed_on.is_none() && !kept_undated(&c.module))
    {
        Some(c) => Err(Invalid::one(
            "training",
            Message::new("research.training.date_required").arg("module", &c.module),
        )),
        None => Ok(()),
    }
}

fn list(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .split([',', ';'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect();
    v.dedup();
    v
}

impl ResearcherInput {
    /// Every bad field named. A researcher is accredited when the
    /// qualification, awarding body and date are all given; part of them is
    /// refused, so "accredited" never rests on half a record.
    pub fn validate(&self, today: Date) -> Result<ResearcherDraft, Invalid> {
        let mut e = Errors::new();
        let full_name = super::required(
            &mut e,
            "full_name",
            &self.full_name,
            200,
            "research.researcher.full_name_required",
        );
        let email = e.optional_email("email", &self.email);
        let account_email = e.optional_email("account_email", &self.account_email);
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
        let channel = match self.channel.trim() {
            "" => {
                e.add(
                    "channel",
                    Message::new("research.researcher.channel_required"),
                );
                None
            }
            raw => {
                let c = Channel::parse(raw);
                if c.is_none() {
                    e.add(
                        "channel",
                        Message::new("research.researcher.bad_channel").arg("value", raw),
                    );
                }
                c
            }
        };
        let recruited_on = if self.recruited_on.trim().is_empty() {
            e.add(
                "recruited_on",
                Message::new("research.researcher.recruited_on_required"),
            );
            None
        } else {
            e.optional_date("recruited_on", &self.recruited_on)
        };
        if let Some(d) = recruited_on
            && d > today
        {
            e.add(
                "recruited_on",
                Message::new("research.researcher.in_future"),
            );
        }
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
        let consent_given_on = e.optional_date("consent_given_on", &self.consent_given_on);
        if lawful_basis == Some(LawfulBasis::Consent) && self.consent_given_on.trim().is_empty() {
            e.add(
                "consent_given_on",
                Message::new("research.researcher.consent_date_required"),
            );
        }
        let training = completions(&mut e, &self.training, today);
        let qualification = e.optional("qualification", &self.qualification, 200);
        let level = self.level.trim().to_string();
        let awarding_body = e.optional("awarding_body", &self.awarding_body, 200);
        let accredited_on = e.optional_date("accredited_on", &self.accredited_on);
        let any = qualification.is_some()
            || !level.is_empty()
            || awarding_body.is_some()
            || !self.accredited_on.trim().is_empty();
        let accreditation = if any {
            for (field, missing, key) in [
                (
                    "qualification",
                    qualification.is_none(),
                    "research.researcher.qualification_required",
                ),
                (
                    "awarding_body",
                    awarding_body.is_none(),
                    "research.researcher.awarding_body_required",
                ),
                (
                    "accredited_on",
                    self.accredited_on.trim().is_empty(),
                    "research.researcher.accredited_on_required",
                ),
            ] {
                if missing {
                    e.add(field, Message::new(key));
                }
            }
            if let Some(d) = accredited_on
                && d > today
            {
                e.add(
                    "accredited_on",
                    Message::new("research.researcher.in_future"),
                );
            }
            match (qualification, awarding_body, accredited_on) {
                (Some(q), Some(b), Some(d)) => Some(Accreditation {
                    qualification: q,
                    level: level.clone(),
                    awarding_body: b,
                    accredited_on: d,
                }),
                _ => None,
            }
        } else {
            None
        };
        match (channel, recruited_on, lawful_basis) {
            (Some(channel), Some(recruited_on), Some(lawful_basis)) => {
                e.finish(|| ResearcherDraft {
                    full_name,
                    email,
                    postcode,
                    channel,
                    recruited_on,
                    languages: list(&self.languages),
                    lawful_basis,
                    consent_given_on,
                    training,
                    accreditation,
                    account_email,
                })
            }
            _ => Err(Invalid(e.into_vec())),
        }
    }
}

impl ResearcherDraft {
    /// The form's fields again, for editing.
    pub fn to_input(&self) -> ResearcherInput {
        let a = self.accreditation.as_ref();
        ResearcherInput {
            full_name: self.full_name.clone(),
            email: self.email.clone().unwrap_or_default(),
            postcode: self.postcode.clone().unwrap_or_default(),
            channel: self.channel.slug().into(),
            recruited_on: self.recruited_on.to_string(),
            languages: self.languages.join(", "),
            lawful_basis: self.lawful_basis.slug().into(),
            consent_given_on: self
                .consent_given_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            training: self
                .training
                .iter()
                .map(Completion::typed)
                .collect::<Vec<_>>()
                .join("; "),
            qualification: a.map(|a| a.qualification.clone()).unwrap_or_default(),
            level: a.map(|a| a.level.clone()).unwrap_or_default(),
            awarding_body: a.map(|a| a.awarding_body.clone()).unwrap_or_default(),
            accredited_on: a.map(|a| a.accredited_on.to_string()).unwrap_or_default(),
            account_email: self.account_email.clone().unwrap_or_default(),
        }
    }
}

/// A researcher as the coordinator (or the researcher themself) sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Researcher {
    pub id: Uuid,
    pub programme_id: ProgrammeId,
    /// Blank personal fields once erased.
    pub draft: ResearcherDraft,
    /// The account the researcher signs in with, if any.
    pub user_id: Option<UserId>,
    /// The small area of the home postcode, in the programme's scheme.
    pub area_code: Option<String>,
    /// Its deprivation decile (1 = most deprived tenth); kept on erasure.
    pub decile: Option<u8>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub erased_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Researcher {
    pub fn accredited_on(&self) -> Option<Date> {
        self.draft.accreditation.as_ref().map(|a| a.accredited_on)
    }

    /// Whether paid research on `on` is allowed: only from the day of
    /// accreditation.
    pub fn may_be_paid_on(&self, on: Date) -> bool {
        self.accredited_on().is_some_and(|a| a <= on)
    }
}

/// Whose researcher records a caller reaches: everyone's (a coordinator) or
/// only the one linked to their own account (a community researcher).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    All,
    Own(UserId),
}

impl Reach {
    pub fn user(self) -> Option<Uuid> {
        match self {
            Reach::All => None,
            Reach::Own(u) => Some(u.0),
        }
    }
}

/// The researchers list's filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct ResearcherParams {
    /// Search in names, e-mails, postcodes and languages.
    pub q: Option<String>,
    /// `yes` accredited, `no` not yet.
    pub accredited: Option<String>,
    /// A recruitment channel.
    pub channel: Option<String>,
    /// Only the researchers a home page figure counts:
    /// `researchers_accredited` (by the day accredited) or
    /// `researchers_paid` (by the first day of approved hours), erased
    /// records included, as the figure counts them.
    pub counted: Option<String>,
    /// With `counted`: the first day of the figure's period (YYYY-MM-DD).
    pub from: Option<String>,
    /// With `counted`: the last day of the figure's period (YYYY-MM-DD).
    pub to: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl ResearcherParams {
    pub fn accredited(&self) -> Option<bool> {
        match self.accredited.as_deref().map(str::trim) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        }
    }

    pub fn channel(&self) -> Option<Channel> {
        self.channel.as_deref().and_then(Channel::parse)
    }

    /// The home page figure whose researchers are asked for, if any.
    pub fn counted(&self) -> Option<crate::programme::indicators::CountedFilter> {
        use crate::programme::indicators::{CountedFilter, Indicator};
        CountedFilter::parse(
            self.counted.as_deref().unwrap_or_default(),
            self.from.as_deref().unwrap_or_default(),
            self.to.as_deref().unwrap_or_default(),
            &[Indicator::ResearchersAccredited, Indicator::ResearchersPaid],
        )
    }

    pub fn search(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
}

/// What the strand's figures count, with no personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResearcherFact {
    pub channel: Channel,
    pub decile: Option<u8>,
    pub accredited: bool,
    pub erased: bool,
}

/// The strand's headline counts: researchers, accredited, by channel, and
/// the reach into deciles 1–2 (of those whose decile is known; the rest are
/// counted as not known, never as outside).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Reach12 {
    pub researchers: u64,
    pub accredited: u64,
    pub deciles_1_2: u64,
    pub decile_known: u64,
    pub by_channel: Vec<(Channel, u64)>,
}

pub fn reach(facts: &[ResearcherFact]) -> Reach12 {
    let mut r = Reach12 {
        researchers: facts.len() as u64,
        ..Default::default()
    };
    for f in facts {
        r.accredited += u64::from(f.accredited);
        if let Some(d) = f.decile {
            r.decile_known += 1;
            r.deciles_1_2 += u64::from(d <= 2);
        }
    }
    r.by_channel = Channel::ALL
        .into_iter()
        .map(|c| (c, facts.iter().filter(|f| f.channel == c).count() as u64))
        .collect();
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> ResearcherInput {
        ResearcherInput {
            full_name: "Amina Yusuf".into(),
            channel: "leaflet".into(),
            recruited_on: "2017-03-01".into(),
            lawful_basis: "consent".into(),
            consent_given_on: "2017-03-01".into(),
            languages: "Somali, English".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_researcher_without_accreditation_is_valid_and_unpaid() {
        let d = input().validate(date!(2018 - 01 - 01)).unwrap();
        assert_eq!(d.languages, vec!["Somali", "English"]);
        assert!(d.accreditation.is_none());
    }

    #[test]
    fn half_an_accreditation_names_the_missing_fields() {
        let mut i = input();
        i.qualification = "Community research".into();
        let err = i.validate(date!(2018 - 01 - 01)).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["awarding_body", "accredited_on"]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let i = ResearcherInput {
            postcode: "not a postcode".into(),
            channel: "radio".into(),
            ..Default::default()
        };
        let err = i.validate(date!(2018 - 01 - 01)).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "full_name",
            "postcode",
            "channel",
            "recruited_on",
            "lawful_basis",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn training_completions_carry_their_day() {
        let today = date!(2024 - 06 - 01);
        let mut i = input();
        i.training = "Research ethics | 12/03/2024; Interviewing | 2024-03-19".into();
        let d = i.validate(today).unwrap();
        assert_eq!(d.training.len(), 2);
        assert_eq!(d.training[0].completed_on, Some(date!(2024 - 03 - 12)));
        assert!(check_training_dated(&d.training, None).is_ok());
        // Read back as typed.
        let again = d.to_input().validate(today).unwrap();
        assert_eq!(again.training, d.training);
        // A bad day and a future one are named on the field.
        i.training = "Ethics | someday; Data | 2025-01-01".into();
        let err = i.validate(today).unwrap_err();
        assert_eq!(err.0.len(), 2);
        assert!(err.0.iter().all(|f| f.field == "training"));
    }

    #[test]
    fn an_undated_module_is_kept_only_when_it_was_held_before() {
        let today = date!(2024 - 06 - 01);
        let mut i = input();
        i.training = "Research ethics, Interviewing".into();
        let old = i.validate(today).unwrap().training;
        assert!(old.iter().all(|c| c.completed_on.is_none()));
        let err = check_training_dated(&old, None).unwrap_err();
        assert_eq!(err.0[0].field, "training");
        // Kept from before: allowed; a new undated module is not.
        assert!(check_training_dated(&old, Some(&old)).is_ok());
        i.training = "Research ethics; Interviewing; First aid".into();
        let new = i.validate(today).unwrap().training;
        assert!(check_training_dated(&new, Some(&old)).is_err());
    }

    #[test]
    fn reach_counts_unknown_deciles_apart() {
        let f = |d, a| ResearcherFact {
            channel: Channel::Event,
            decile: d,
            accredited: a,
            erased: false,
        };
        let r = reach(&[f(Some(1), true), f(Some(5), false), f(None, true)]);
        assert_eq!(r.researchers, 3);
        assert_eq!(r.accredited, 2);
        assert_eq!(r.deciles_1_2, 1);
        assert_eq!(r.decile_known, 2);
    }
}
