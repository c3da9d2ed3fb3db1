//! What matching an enterprise to a tender lot needs to know: the
//! enterprise's offer (services, accreditations, insurance, capacity,
//! location) and the lot's requirements. Plain, serialisable data: the store
//! fills these from the enterprise profiles and the opportunities, and the
//! eligibility check and the consortium builder read nothing else.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::i18n::{Message, t};
use crate::money::{Pence, format_pence};

/// One service in the programme's service taxonomy. The taxonomy is in the
/// users' words ("cleaning", "catering"); the CPV codes tie each service to
/// the codes anchors publish their tenders and contracts under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub code: String,
    /// A noun phrase that reads after "does not offer … services".
    pub name: String,
    /// CPV codes (`90910000` or `90910000-9`); a code covers every code
    /// below it in the CPV tree (its trailing zeros are a wildcard).
    pub cpv: Vec<String>,
}

/// The programme's services, by code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taxonomy {
    pub services: Vec<Service>,
}

impl Taxonomy {
    pub fn get(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code == code)
    }

    /// The service's name; its code only when the taxonomy does not know it
    /// (a lot or an offer that names a service since removed).
    pub fn name<'a>(&'a self, code: &'a str) -> &'a str {
        self.get(code).map_or(code, |s| s.name.as_str())
    }

    /// The services a published CPV code falls under, the most specific
    /// first, so a lot imported with only a CPV code gets its services.
    pub fn for_cpv(&self, cpv: &str) -> Vec<&Service> {
        let code = cpv_digits(cpv);
        let mut found: Vec<(usize, &Service)> = self
            .services
            .iter()
            .filter_map(|s| {
                s.cpv
                    .iter()
                    .map(|c| cpv_stem(cpv_digits(c)))
                    .filter(|stem| !stem.is_empty() && code.starts_with(stem))
                    .map(str::len)
                    .max()
                    .map(|len| (len, s))
            })
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
        found.into_iter().map(|(_, s)| s).collect()
    }
}

/// `90910000-9` → `90910000`.
fn cpv_digits(code: &str) -> &str {
    let code = code.trim();
    code.split_once('-').map_or(code, |(d, _)| d)
}

/// The part of a CPV code that names its place in the tree: the digits
/// before the trailing zeros, at least the two of the division.
fn cpv_stem(digits: &str) -> &str {
    let stem = digits.trim_end_matches('0');
    if stem.len() < 2 && digits.len() >= 2 {
        &digits[..2]
    } else {
        stem
    }
}

/// An accreditation an enterprise can hold and a lot can ask for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccreditationKind {
    SocialEnterpriseMark,
    RealLivingWage,
    /// Registration with the Care Quality Commission.
    Cqc,
    Iso9001,
    Iso14001,
    Iso45001,
    Iso27001,
    CyberEssentials,
    Chas,
    /// Any other, by the name people use for it.
    Other(String),
}

impl AccreditationKind {
    /// Its name for people.
    pub fn name(&self) -> String {
        let key = match self {
            Self::SocialEnterpriseMark => "enterprise.accreditation.social_enterprise_mark",
            Self::RealLivingWage => "enterprise.accreditation.real_living_wage",
            Self::Cqc => "enterprise.accreditation.cqc",
            Self::Iso9001 => "enterprise.accreditation.iso9001",
            Self::Iso14001 => "enterprise.accreditation.iso14001",
            Self::Iso45001 => "enterprise.accreditation.iso45001",
            Self::Iso27001 => "enterprise.accreditation.iso27001",
            Self::CyberEssentials => "enterprise.accreditation.cyber_essentials",
            Self::Chas => "enterprise.accreditation.chas",
            Self::Other(name) => return name.trim().to_string(),
        };
        t(key).to_string()
    }

    /// The same accreditation: other names compare without case or
    /// surrounding spaces, as people type them.
    pub fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Other(a), Self::Other(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
            _ => self == other,
        }
    }
}

/// An accreditation held, with the last day it is valid (none: it does not
/// expire, such as a membership).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accreditation {
    pub kind: AccreditationKind,
    #[serde(with = "crate::iso_date::option")]
    pub expires_on: Option<Date>,
}

impl Accreditation {
    /// Valid on that day: on or before its expiry date.
    pub fn valid_on(&self, day: Date) -> bool {
        self.expires_on.is_none_or(|e| day <= e)
    }
}

/// The kinds of insurance lots ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsuranceKind {
    PublicLiability,
    EmployersLiability,
    ProfessionalIndemnity,
}

impl InsuranceKind {
    pub const ALL: [InsuranceKind; 3] = [
        Self::PublicLiability,
        Self::EmployersLiability,
        Self::ProfessionalIndemnity,
    ];

    /// Its name for people ("public liability insurance").
    pub fn name(self) -> &'static str {
        t(match self {
            Self::PublicLiability => "enterprise.insurance.public_liability",
            Self::EmployersLiability => "enterprise.insurance.employers_liability",
            Self::ProfessionalIndemnity => "enterprise.insurance.professional_indemnity",
        })
    }
}

/// Insurance cover by kind, in pence: held by an enterprise, or the minimum
/// a lot asks of each bidder. None: not held / not asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsuranceCover {
    pub public_liability: Option<Pence>,
    pub employers_liability: Option<Pence>,
    pub professional_indemnity: Option<Pence>,
}

impl InsuranceCover {
    pub fn get(&self, kind: InsuranceKind) -> Option<Pence> {
        match kind {
            InsuranceKind::PublicLiability => self.public_liability,
            InsuranceKind::EmployersLiability => self.employers_liability,
            InsuranceKind::ProfessionalIndemnity => self.professional_indemnity,
        }
    }
}

/// What an enterprise offers, as matching against a lot needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseOffer {
    /// The organisation's id.
    pub id: Uuid,
    pub name: String,
    /// Service codes of the programme's taxonomy.
    pub services: Vec<String>,
    pub accreditations: Vec<Accreditation>,
    pub insurance: InsuranceCover,
    /// Annual turnover; None when not known.
    pub turnover: Option<Pence>,
    pub staff: Option<u32>,
    /// The largest single contract it says it can deliver.
    pub largest_contract: Option<Pence>,
    /// The sites or areas it can work in, in the names the lots use.
    pub areas: Vec<String>,
    /// Deprivation decile of where it is (1 most deprived), when located.
    pub decile: Option<u8>,
    pub in_area_of_benefit: bool,
}

impl EnterpriseOffer {
    pub fn offers(&self, service: &str) -> bool {
        self.services.iter().any(|s| s == service)
    }

    pub fn covers(&self, area: &str) -> bool {
        self.areas.iter().any(|a| a == area)
    }

    /// The accreditation of that kind that lasts longest, if held.
    pub fn accreditation(&self, kind: &AccreditationKind) -> Option<&Accreditation> {
        self.accreditations
            .iter()
            .filter(|a| a.kind.same(kind))
            .max_by_key(|a| a.expires_on.map_or((1, Date::MIN), |d| (0, d)))
    }

    pub fn holds_on(&self, kind: &AccreditationKind, day: Date) -> bool {
        self.accreditation(kind).is_some_and(|a| a.valid_on(day))
    }

    /// How local it is, for choosing between consortia of the same size:
    /// 10 points for being in the area of benefit, then 9 for decile 1 down
    /// to 0 for decile 10 (or no decile known). Being in the area counts
    /// first because that is the programme's promise; the decile then
    /// prefers the most deprived neighbourhoods. 0 to 19.
    pub fn locality(&self) -> u32 {
        let area = if self.in_area_of_benefit { 10 } else { 0 };
        let decile = match self.decile {
            Some(d @ 1..=10) => 10 - u32::from(d),
            _ => 0,
        };
        area + decile
    }
}

/// Who in a consortium must hold an accreditation the lot asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "applies_to", content = "service")]
pub enum AccreditationScope {
    /// Every member (a bidder alone holds it).
    EveryMember,
    /// At least one member: the consortium as a whole.
    AnyMember,
    /// Whoever delivers that service (a service code).
    Service(String),
}

/// An accreditation a lot asks for, valid on the lot's deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccreditationNeed {
    pub kind: AccreditationKind,
    pub scope: AccreditationScope,
}

/// The turnover a lot asks of a bidder (of a consortium: of its members
/// together).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinimumTurnover {
    Amount(Pence),
    /// A multiple of the lot's value, in per cent (200: twice the value).
    TimesValue {
        percent: u32,
    },
}

impl MinimumTurnover {
    /// In pence, for a lot of that value (a multiple rounds up to the penny).
    pub fn required(self, value: Pence) -> Pence {
        match self {
            Self::Amount(p) => p,
            Self::TimesValue { percent } => {
                let p = i128::from(value.max(0)) * i128::from(percent);
                Pence::try_from((p + 99) / 100).unwrap_or(Pence::MAX)
            }
        }
    }

    /// "twice the lot value", for the reasons; None for a fixed amount.
    pub fn basis(self) -> Option<Message> {
        match self {
            Self::Amount(_) => None,
            Self::TimesValue { percent: 100 } => Some(Message::new("enterprise.turnover.value")),
            Self::TimesValue { percent: 200 } => {
                Some(Message::new("enterprise.turnover.twice_value"))
            }
            Self::TimesValue { percent } => {
                let times = if percent % 100 == 0 {
                    (percent / 100).to_string()
                } else {
                    crate::figures::decimal_text(
                        format!("{}.{:02}", percent / 100, percent % 100).trim_end_matches('0'),
                    )
                };
                Some(Message::new("enterprise.turnover.times_value").arg("times", times))
            }
        }
    }
}

/// What a lot asks of a bidder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotRequirements {
    /// Service codes of the programme's taxonomy.
    pub services: Vec<String>,
    pub accreditations: Vec<AccreditationNeed>,
    /// Asked of every bidder (of every member of a consortium).
    pub minimum_insurance: InsuranceCover,
    pub minimum_turnover: Option<MinimumTurnover>,
    /// Sites or areas the bidder must be able to work in.
    pub areas: Vec<String>,
    pub value: Pence,
    /// Accreditations must be valid on this day.
    #[serde(with = "crate::iso_date")]
    pub deadline: Date,
}

impl LotRequirements {
    /// The turnover asked for, in pence (0 when none).
    pub fn turnover_required(&self) -> Pence {
        self.minimum_turnover
            .map_or(0, |m| m.required(self.value))
            .max(0)
    }

    /// The accreditations whoever delivers `service` must hold.
    pub fn service_accreditations<'a>(
        &'a self,
        service: &'a str,
    ) -> impl Iterator<Item = &'a AccreditationKind> + 'a {
        self.accreditations
            .iter()
            .filter_map(move |n| match &n.scope {
                AccreditationScope::Service(s) if s == service => Some(&n.kind),
                _ => None,
            })
    }
}

/// `£1,000,000` for whole pounds, `£1,234.56` otherwise: requirements are
/// round sums and read better without the pence.
pub fn pounds(p: Pence) -> String {
    let s = format_pence(p);
    match s.strip_suffix(".00") {
        Some(whole) => whole.to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pounds in pence.
    const fn gbp(pounds: i64) -> i64 {
        pounds * 100
    }
    use time::macros::date;

    fn taxonomy() -> Taxonomy {
        Taxonomy {
            services: vec![
                Service {
                    code: "cleaning".into(),
                    name: "cleaning".into(),
                    cpv: vec!["90910000-9".into()],
                },
                Service {
                    code: "window_cleaning".into(),
                    name: "window cleaning".into(),
                    cpv: vec!["90911300".into()],
                },
                Service {
                    code: "catering".into(),
                    name: "catering".into(),
                    cpv: vec!["55520000".into()],
                },
            ],
        }
    }

    #[test]
    fn cpv_codes_find_their_services_most_specific_first() {
        let tx = taxonomy();
        let codes =
            |cpv: &str| -> Vec<String> { tx.for_cpv(cpv).iter().map(|s| s.code.clone()).collect() };
        assert_eq!(codes("90911300-9"), ["window_cleaning", "cleaning"]);
        assert_eq!(codes("90911200"), ["cleaning"]);
        assert_eq!(codes("55520000-1"), ["catering"]);
        assert!(codes("45000000").is_empty());
        assert_eq!(tx.name("catering"), "catering");
        assert_eq!(tx.name("gone"), "gone");
    }

    #[test]
    fn accreditations_are_valid_to_their_last_day() {
        let a = Accreditation {
            kind: AccreditationKind::SocialEnterpriseMark,
            expires_on: Some(date!(2026 - 03 - 03)),
        };
        assert!(a.valid_on(date!(2026 - 03 - 03)));
        assert!(!a.valid_on(date!(2026 - 03 - 04)));
        assert!(
            Accreditation {
                kind: AccreditationKind::Chas,
                expires_on: None
            }
            .valid_on(date!(2099 - 01 - 01))
        );
        assert!(
            AccreditationKind::Other("Buy Social ".into())
                .same(&AccreditationKind::Other("buy social".into()))
        );
    }

    #[test]
    fn turnover_multiples_round_up_and_read_in_words() {
        let twice = MinimumTurnover::TimesValue { percent: 200 };
        assert_eq!(twice.required(gbp(75_000)), gbp(150_000));
        assert_eq!(
            MinimumTurnover::TimesValue { percent: 150 }.required(101),
            152
        );
        assert_eq!(MinimumTurnover::Amount(5).required(1_000), 5);
        assert_eq!(twice.basis().unwrap().text(), "twice the lot value");
        assert_eq!(
            MinimumTurnover::TimesValue { percent: 100 }
                .basis()
                .unwrap()
                .text(),
            "the lot value"
        );
        assert_eq!(
            MinimumTurnover::TimesValue { percent: 150 }
                .basis()
                .unwrap()
                .text(),
            "1.5 times the lot value"
        );
        assert_eq!(
            MinimumTurnover::TimesValue { percent: 300 }
                .basis()
                .unwrap()
                .text(),
            "3 times the lot value"
        );
        assert!(MinimumTurnover::Amount(1).basis().is_none());
    }

    #[test]
    fn locality_puts_the_area_of_benefit_first_then_the_decile() {
        let mut e = EnterpriseOffer {
            id: Uuid::nil(),
            name: "A".into(),
            services: vec![],
            accreditations: vec![],
            insurance: InsuranceCover::default(),
            turnover: None,
            staff: None,
            largest_contract: None,
            areas: vec![],
            decile: Some(10),
            in_area_of_benefit: true,
        };
        assert_eq!(e.locality(), 10);
        e.in_area_of_benefit = false;
        e.decile = Some(1);
        assert_eq!(e.locality(), 9);
        e.decile = None;
        assert_eq!(e.locality(), 0);
    }

    #[test]
    fn whole_pounds_drop_the_pence() {
        assert_eq!(pounds(gbp(1_000_000)), "£1,000,000");
        assert_eq!(pounds(123_456), "£1,234.56");
    }
}
