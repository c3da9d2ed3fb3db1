//! An enterprise profile: what the programme knows of a social enterprise
//! beyond what the national registers say (legal form, charity number and
//! SIC codes stay on the organisation). The profile is what the
//! eligibility check and the consortium builder read, through
//! [`Profile::offer`].

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::offer::{Accreditation, AccreditationKind, EnterpriseOffer, InsuranceCover};
use super::services;
use crate::anchors::registers::LegalForm;
use crate::clock::iso_date;
use crate::i18n::Message;
use crate::money::{Pence, parse_pence, plain_pence};
use crate::validation::{Errors, Invalid, parse_date};

/// What the programme records of a social enterprise.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// A [`LegalForm`] slug; the register's when it says, else as recorded.
    pub legal_form: Option<String>,
    /// The social-enterprise criteria it meets (Social Enterprise UK's):
    /// a social or environmental purpose in its governing document, most
    /// profit reinvested in that purpose, owned or controlled in the
    /// interest of that purpose.
    pub social_purpose: bool,
    pub reinvests_profits: bool,
    pub mission_ownership: bool,
    /// Service codes of [`services::taxonomy`].
    pub services: Vec<String>,
    pub accreditations: Vec<Accreditation>,
    pub insurance: InsuranceCover,
    pub turnover: Option<Pence>,
    pub staff: Option<u32>,
    pub largest_contract: Option<Pence>,
    /// The sites or areas it can work in, in the names lots use.
    pub areas: Vec<String>,
}

impl Profile {
    /// The three criteria met: what recognising a social enterprise asks.
    pub fn meets_criteria(&self) -> bool {
        self.social_purpose && self.reinvests_profits && self.mission_ownership
    }

    /// What matching against a lot needs, placed by its postcode's decile
    /// and the area of benefit.
    pub fn offer(
        &self,
        id: Uuid,
        name: &str,
        decile: Option<u8>,
        in_area_of_benefit: bool,
    ) -> EnterpriseOffer {
        EnterpriseOffer {
            id,
            name: name.to_string(),
            services: self.services.clone(),
            accreditations: self.accreditations.clone(),
            insurance: self.insurance,
            turnover: self.turnover,
            staff: self.staff,
            largest_contract: self.largest_contract,
            areas: self.areas.clone(),
            decile,
            in_area_of_benefit,
        }
    }
}

/// A profile as a person types it (the page, the API, the CLI and the CSV).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileInput {
    /// A legal form: `cic`, `cio`, `registered_society`…
    pub legal_form: String,
    /// `yes` when it meets the criterion.
    pub social_purpose: String,
    pub reinvests_profits: String,
    pub mission_ownership: String,
    /// Services by name or code, separated by commas.
    pub services: String,
    /// One per line: `Social Enterprise Mark, 31/03/2027` (no date: it does
    /// not expire).
    pub accreditations: String,
    pub public_liability: String,
    pub employers_liability: String,
    pub professional_indemnity: String,
    pub turnover: String,
    pub staff: String,
    pub largest_contract: String,
    /// Sites or areas, separated by commas or one per line.
    pub areas: String,
}

fn yes(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "yes" | "y" | "true" | "on" | "1"
    )
}

fn yes_text(b: bool) -> String {
    if b { "yes".into() } else { String::new() }
}

/// Items separated by commas, semicolons or lines, trimmed, blanks dropped.
pub fn items(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|i| !i.is_empty())
}

/// A service by its code or its name, as people type either.
pub fn service_code(item: &str) -> Option<String> {
    let item = item.trim();
    let tx = services::taxonomy();
    tx.services
        .iter()
        .find(|s| s.code.eq_ignore_ascii_case(item) || s.name.eq_ignore_ascii_case(item))
        .map(|s| s.code.clone())
}

/// Services by code or name; the names not known, for the message.
pub fn service_codes(s: &str) -> (Vec<String>, Vec<String>) {
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for i in items(s) {
        match service_code(i) {
            Some(c) if !ok.contains(&c) => ok.push(c),
            Some(_) => {}
            None => bad.push(i.to_string()),
        }
    }
    (ok, bad)
}

/// An accreditation by its slug or its name; anything else is named as typed.
pub fn accreditation_kind(s: &str) -> AccreditationKind {
    use AccreditationKind::*;
    let s = s.trim();
    for k in [
        SocialEnterpriseMark,
        RealLivingWage,
        Cqc,
        Iso9001,
        Iso14001,
        Iso45001,
        Iso27001,
        CyberEssentials,
        Chas,
    ] {
        let slug = serde_json::to_value(&k)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        if s.eq_ignore_ascii_case(&slug) || s.eq_ignore_ascii_case(&k.name()) {
            return k;
        }
    }
    Other(s.to_string())
}

/// A money field: blank is `None`.
pub fn optional_money(e: &mut Errors, field: &str, value: &str) -> Option<Pence> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match parse_pence(&crate::i18n::typed_number(v)) {
        Ok(p) if p >= 0 => Some(p),
        Ok(_) => {
            e.add(field, Message::new("enterprise.validation.negative"));
            None
        }
        Err(m) => {
            e.add(field, m);
            None
        }
    }
}

pub fn money_text(p: Option<Pence>) -> String {
    p.map(plain_pence).unwrap_or_default()
}

impl ProfileInput {
    pub fn of(p: &Profile) -> ProfileInput {
        let tx = services::taxonomy();
        ProfileInput {
            legal_form: p.legal_form.clone().unwrap_or_default(),
            social_purpose: yes_text(p.social_purpose),
            reinvests_profits: yes_text(p.reinvests_profits),
            mission_ownership: yes_text(p.mission_ownership),
            services: p
                .services
                .iter()
                .map(|s| tx.name(s).to_string())
                .collect::<Vec<_>>()
                .join(", "),
            accreditations: p
                .accreditations
                .iter()
                .map(|a| match a.expires_on {
                    Some(d) => format!("{}, {}", a.kind.name(), iso_date(d)),
                    None => a.kind.name(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            public_liability: money_text(p.insurance.public_liability),
            employers_liability: money_text(p.insurance.employers_liability),
            professional_indemnity: money_text(p.insurance.professional_indemnity),
            turnover: money_text(p.turnover),
            staff: p.staff.map(|s| s.to_string()).unwrap_or_default(),
            largest_contract: money_text(p.largest_contract),
            areas: p.areas.join(", "),
        }
    }

    /// Checks every field at once.
    pub fn validate(&self) -> Result<Profile, Invalid> {
        let mut e = Errors::new();
        let legal_form = match self.legal_form.trim() {
            "" => None,
            f => match LegalForm::parse(f) {
                Some(l) => Some(l.slug().to_string()),
                None => {
                    e.add(
                        "legal_form",
                        Message::new("enterprise.validation.legal_form").arg("value", f),
                    );
                    None
                }
            },
        };
        let (services, unknown) = service_codes(&self.services);
        if !unknown.is_empty() {
            e.add(
                "services",
                Message::new("enterprise.validation.service").arg("value", unknown.join(", ")),
            );
        }
        let mut accreditations = Vec::new();
        for (i, line) in self
            .accreditations
            .lines()
            .map(str::trim)
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
        {
            let (name, expires_on) = match line.rsplit_once(',') {
                Some((n, d)) if parse_date(d.trim()).is_some() => (n, parse_date(d.trim())),
                Some((_, d)) if d.trim().chars().any(|c| c.is_ascii_digit()) => {
                    e.add(
                        "accreditations",
                        Message::new("enterprise.validation.accreditation_date")
                            .arg("line", i + 1)
                            .arg("value", d.trim()),
                    );
                    continue;
                }
                _ => (line, None),
            };
            accreditations.push(Accreditation {
                kind: accreditation_kind(name),
                expires_on,
            });
        }
        let insurance = InsuranceCover {
            public_liability: optional_money(&mut e, "public_liability", &self.public_liability),
            employers_liability: optional_money(
                &mut e,
                "employers_liability",
                &self.employers_liability,
            ),
            professional_indemnity: optional_money(
                &mut e,
                "professional_indemnity",
                &self.professional_indemnity,
            ),
        };
        let turnover = optional_money(&mut e, "turnover", &self.turnover);
        let largest_contract = optional_money(&mut e, "largest_contract", &self.largest_contract);
        let staff = match self.staff.trim() {
            "" => None,
            s => match crate::i18n::typed_number(s).replace(',', "").parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.add(
                        "staff",
                        Message::new("enterprise.validation.whole_number").arg("value", s),
                    );
                    None
                }
            },
        };
        let mut areas: Vec<String> = Vec::new();
        for a in items(&self.areas) {
            if !areas.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                areas.push(a.to_string());
            }
        }
        e.finish(|| Profile {
            legal_form,
            social_purpose: yes(&self.social_purpose),
            reinvests_profits: yes(&self.reinvests_profits),
            mission_ownership: yes(&self.mission_ownership),
            services,
            accreditations,
            insurance,
            turnover,
            staff,
            largest_contract,
            areas,
        })
    }
}

/// An accreditation that has expired or will within `days` of `today`:
/// what an adviser chases.
pub fn expiring(p: &Profile, today: Date, days: i64) -> Vec<&Accreditation> {
    p.accreditations
        .iter()
        .filter(|a| {
            a.expires_on
                .is_some_and(|d| d <= today + time::Duration::days(days))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_profile_reads_names_dates_and_money_and_round_trips() {
        let input = ProfileInput {
            legal_form: "cic".into(),
            social_purpose: "yes".into(),
            reinvests_profits: "on".into(),
            mission_ownership: "yes".into(),
            services: "Cleaning, catering, cleaning".into(),
            accreditations: "Social Enterprise Mark, 31/03/2027\nreal_living_wage\nBuy Social"
                .into(),
            public_liability: "£5,000,000".into(),
            turnover: "240000".into(),
            staff: "14".into(),
            largest_contract: "£120,000".into(),
            areas: "Ladywood; Smethwick\nLadywood".into(),
            ..Default::default()
        };
        let p = input.validate().unwrap();
        assert!(p.meets_criteria());
        assert_eq!(p.services, ["cleaning", "catering"]);
        assert_eq!(
            p.accreditations[0],
            Accreditation {
                kind: AccreditationKind::SocialEnterpriseMark,
                expires_on: Some(date!(2027 - 03 - 31))
            }
        );
        assert_eq!(p.accreditations[1].kind, AccreditationKind::RealLivingWage);
        assert_eq!(
            p.accreditations[2].kind,
            AccreditationKind::Other("Buy Social".into())
        );
        assert_eq!(p.insurance.public_liability, Some(500_000_000));
        assert_eq!(p.turnover, Some(24_000_000));
        assert_eq!(p.areas, ["Ladywood", "Smethwick"]);
        assert_eq!(ProfileInput::of(&p).validate().unwrap(), p);
        assert_eq!(expiring(&p, date!(2027 - 01 - 15), 90).len(), 1);
        assert!(expiring(&p, date!(2026 - 01 - 15), 90).is_empty());
    }

    #[test]
    fn every_bad_field_is_named() {
        let err = ProfileInput {
            legal_form: "pirate ship".into(),
            services: "cleaning, rockets".into(),
            accreditations: "CHAS, 31/13/2027".into(),
            turnover: "lots".into(),
            staff: "a dozen".into(),
            public_liability: "-5".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "legal_form",
                "services",
                "accreditations",
                "public_liability",
                "turnover",
                "staff"
            ]
        );
    }
}

/// An organisation of the register as the enterprise pages show it: what
/// the register says, and the programme's profile when it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Enterprise {
    pub id: Uuid,
    /// org-id.guide identifier, or the local one (`GB-USEIT-…`) of an
    /// organisation no register knows.
    pub org_id: String,
    pub name: String,
    pub kind: crate::anchors::measures::SupplierKind,
    pub company_number: Option<String>,
    pub charity_number: Option<String>,
    pub postcode: Option<String>,
    /// What the national register says (a [`LegalForm`] slug).
    pub register_legal_form: Option<String>,
    pub profile: Option<Profile>,
}

impl Enterprise {
    /// The legal form: the register's, else the profile's.
    pub fn legal_form(&self) -> Option<&str> {
        self.register_legal_form
            .as_deref()
            .or(self.profile.as_ref().and_then(|p| p.legal_form.as_deref()))
    }
}

/// The prefix of local identifiers, for organisations without an
/// official one (org-id.guide's pattern: a scheme, then the number).
pub const LOCAL_ID_PREFIX: &str = "GB-USEIT-";

/// An enterprise the registers do not know, as a person adds it: it gets
/// a local identifier.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEnterpriseInput {
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::postcode_or_blank)
    )]
    pub postcode: String,
}

/// A new enterprise, checked: its name and normalised postcode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEnterprise {
    pub name: String,
    pub postcode: Option<String>,
}

impl NewEnterpriseInput {
    pub fn validate(&self) -> Result<NewEnterprise, Invalid> {
        let mut e = Errors::new();
        let name = e.required("name", &self.name, 200);
        let postcode = match self.postcode.trim() {
            "" => None,
            p => match crate::place::postcode::Postcode::parse(p) {
                Ok(pc) => Some(pc.to_string()),
                Err(err) => {
                    e.add("postcode", err.message());
                    None
                }
            },
        };
        e.finish(|| NewEnterprise { name, postcode })
    }
}

/// The directory's filters and order (page, API and CLI).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct EnterpriseQuery {
    /// Words in the name or identifier.
    pub q: String,
    /// A service, by name or code.
    pub service: String,
    /// `name` (the default) or `turnover` (largest first).
    pub sort: String,
    /// Only the organisations a home page figure counts:
    /// `enterprises_supported`, `enterprises_trading_led`,
    /// `organisations_worked_with` or `local_partners`.
    pub counted: String,
    /// With `counted`: the first day of the figure's period (YYYY-MM-DD).
    pub from: String,
    /// With `counted`: the last day of the figure's period (YYYY-MM-DD).
    pub to: String,
}

impl EnterpriseQuery {
    /// The home page figures whose organisations the directory lists.
    pub const COUNTED: [crate::programme::indicators::Indicator; 4] = [
        crate::programme::indicators::Indicator::EnterprisesSupported,
        crate::programme::indicators::Indicator::EnterprisesTradingLed,
        crate::programme::indicators::Indicator::OrganisationsWorkedWith,
        crate::programme::indicators::Indicator::LocalPartners,
    ];

    /// The figure whose organisations are asked for, if any.
    pub fn counted(&self) -> Option<crate::programme::indicators::CountedFilter> {
        crate::programme::indicators::CountedFilter::parse(
            &self.counted,
            &self.from,
            &self.to,
            &Self::COUNTED,
        )
    }
}
