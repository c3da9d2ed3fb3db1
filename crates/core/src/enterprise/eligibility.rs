//! Which enterprises can bid for a lot alone, and for each that cannot,
//! every requirement it misses, so an adviser knows what to work on (a
//! lapsed mark to renew, insurance to raise) or whom to partner with.

use serde::Serialize;
use time::Date;
use uuid::Uuid;

use super::offer::{
    AccreditationKind, AccreditationScope, EnterpriseOffer, InsuranceKind, LotRequirements,
    MinimumTurnover, Taxonomy, pounds,
};
use crate::clock::display_date;
use crate::i18n::Message;
use crate::money::Pence;

/// One requirement of a lot an enterprise does not meet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "unmet")]
pub enum Unmet {
    /// It does not offer a required service (a service code).
    Service {
        service: String,
    },
    /// It cannot work in a required site or area.
    Area {
        area: String,
    },
    /// It does not hold an accreditation the lot asks for; `service` when
    /// only whoever delivers that service needs it.
    AccreditationMissing {
        kind: AccreditationKind,
        service: Option<String>,
    },
    /// Its accreditation lapsed before today.
    AccreditationExpired {
        kind: AccreditationKind,
        service: Option<String>,
        expired_on: Date,
    },
    /// Its accreditation is valid today but lapses before the deadline.
    AccreditationLapses {
        kind: AccreditationKind,
        service: Option<String>,
        expires_on: Date,
        deadline: Date,
    },
    InsuranceNotKnown {
        kind: InsuranceKind,
        required: Pence,
    },
    InsuranceBelow {
        kind: InsuranceKind,
        held: Pence,
        required: Pence,
    },
    TurnoverNotKnown {
        required: Pence,
        minimum: MinimumTurnover,
    },
    TurnoverBelow {
        turnover: Pence,
        required: Pence,
        minimum: MinimumTurnover,
    },
    /// The largest contract it can take is not known.
    CapacityNotKnown {
        value: Pence,
    },
    CapacityBelow {
        largest: Pence,
        value: Pence,
    },
}

impl Unmet {
    /// The reason in the catalogue's words; the taxonomy names services.
    pub fn message(&self, taxonomy: &Taxonomy) -> Message {
        match self {
            Self::Service { service } => {
                Message::new("enterprise.unmet.service").arg("service", taxonomy.name(service))
            }
            Self::Area { area } => Message::new("enterprise.unmet.area").arg("area", area),
            Self::AccreditationMissing {
                kind,
                service: None,
            } => Message::new("enterprise.unmet.accreditation_missing")
                .arg("accreditation", kind.name()),
            Self::AccreditationMissing {
                kind,
                service: Some(s),
            } => Message::new("enterprise.unmet.accreditation_missing_for")
                .arg("accreditation", kind.name())
                .arg("service", taxonomy.name(s)),
            Self::AccreditationExpired {
                kind, expired_on, ..
            } => Message::new("enterprise.unmet.accreditation_expired")
                .arg("accreditation", kind.name())
                .arg("date", display_date(*expired_on)),
            Self::AccreditationLapses {
                kind,
                expires_on,
                deadline,
                ..
            } => Message::new("enterprise.unmet.accreditation_lapses")
                .arg("accreditation", kind.name())
                .arg("date", display_date(*expires_on))
                .arg("deadline", display_date(*deadline)),
            Self::InsuranceNotKnown { kind, required } => {
                Message::new("enterprise.unmet.insurance_not_known")
                    .arg("insurance", kind.name())
                    .arg("required", pounds(*required))
            }
            Self::InsuranceBelow {
                kind,
                held,
                required,
            } => Message::new("enterprise.unmet.insurance_below")
                .arg("insurance", kind.name())
                .arg("held", pounds(*held))
                .arg("required", pounds(*required)),
            Self::TurnoverNotKnown { required, minimum } => match minimum.basis() {
                Some(basis) => Message::new("enterprise.unmet.turnover_not_known_basis")
                    .arg("required", pounds(*required))
                    .arg("basis", basis.text()),
                None => Message::new("enterprise.unmet.turnover_not_known")
                    .arg("required", pounds(*required)),
            },
            Self::TurnoverBelow {
                turnover,
                required,
                minimum,
            } => match minimum.basis() {
                Some(basis) => Message::new("enterprise.unmet.turnover_below_basis")
                    .arg("turnover", pounds(*turnover))
                    .arg("required", pounds(*required))
                    .arg("basis", basis.text()),
                None => Message::new("enterprise.unmet.turnover_below")
                    .arg("turnover", pounds(*turnover))
                    .arg("required", pounds(*required)),
            },
            Self::CapacityNotKnown { value } => {
                Message::new("enterprise.unmet.capacity_not_known").arg("value", pounds(*value))
            }
            Self::CapacityBelow { largest, value } => {
                Message::new("enterprise.unmet.capacity_below")
                    .arg("largest", pounds(*largest))
                    .arg("value", pounds(*value))
            }
        }
    }
}

/// Why an accreditation does not count for the lot, if it does not.
fn accreditation_gap(
    e: &EnterpriseOffer,
    kind: &AccreditationKind,
    service: Option<&str>,
    lot: &LotRequirements,
    today: Date,
) -> Option<Unmet> {
    let service = service.map(str::to_string);
    match e.accreditation(kind) {
        None => Some(Unmet::AccreditationMissing {
            kind: kind.clone(),
            service,
        }),
        Some(a) if a.valid_on(lot.deadline) => None,
        Some(a) => {
            let ends = a
                .expires_on
                .expect("an accreditation without expiry is always valid");
            Some(if ends < today {
                Unmet::AccreditationExpired {
                    kind: kind.clone(),
                    service,
                    expired_on: ends,
                }
            } else {
                Unmet::AccreditationLapses {
                    kind: kind.clone(),
                    service,
                    expires_on: ends,
                    deadline: lot.deadline,
                }
            })
        }
    }
}

/// Every requirement of the lot the enterprise does not meet on its own, in
/// the lot's order: services (with the accreditations their delivery
/// needs), areas, the other accreditations, insurance, turnover, the largest
/// contract. Empty: it can bid alone. `today` tells a lapsed accreditation
/// from one that will lapse before the deadline.
pub fn unmet(e: &EnterpriseOffer, lot: &LotRequirements, today: Date) -> Vec<Unmet> {
    let mut out = Vec::new();
    for (i, s) in lot.services.iter().enumerate() {
        if lot.services[..i].contains(s) {
            continue;
        }
        if !e.offers(s) {
            out.push(Unmet::Service { service: s.clone() });
            continue;
        }
        let mut asked: Vec<&AccreditationKind> = Vec::new();
        for kind in lot.service_accreditations(s) {
            if asked.iter().any(|k| k.same(kind)) {
                continue;
            }
            asked.push(kind);
            out.extend(accreditation_gap(e, kind, Some(s), lot, today));
        }
    }
    for (i, a) in lot.areas.iter().enumerate() {
        if !lot.areas[..i].contains(a) && !e.covers(a) {
            out.push(Unmet::Area { area: a.clone() });
        }
    }
    let mut asked: Vec<&AccreditationKind> = Vec::new();
    for need in &lot.accreditations {
        if matches!(need.scope, AccreditationScope::Service(_))
            || asked.iter().any(|k| k.same(&need.kind))
        {
            continue;
        }
        asked.push(&need.kind);
        out.extend(accreditation_gap(e, &need.kind, None, lot, today));
    }
    for kind in InsuranceKind::ALL {
        let Some(required) = lot.minimum_insurance.get(kind).filter(|&r| r > 0) else {
            continue;
        };
        match e.insurance.get(kind) {
            None => out.push(Unmet::InsuranceNotKnown { kind, required }),
            Some(held) if held < required => out.push(Unmet::InsuranceBelow {
                kind,
                held,
                required,
            }),
            Some(_) => {}
        }
    }
    if let Some(minimum) = lot.minimum_turnover {
        let required = lot.turnover_required();
        if required > 0 {
            match e.turnover {
                None => out.push(Unmet::TurnoverNotKnown { required, minimum }),
                Some(turnover) if turnover < required => out.push(Unmet::TurnoverBelow {
                    turnover,
                    required,
                    minimum,
                }),
                Some(_) => {}
            }
        }
    }
    if lot.value > 0 {
        match e.largest_contract {
            None => out.push(Unmet::CapacityNotKnown { value: lot.value }),
            Some(largest) if largest < lot.value => out.push(Unmet::CapacityBelow {
                largest,
                value: lot.value,
            }),
            Some(_) => {}
        }
    }
    out
}

/// An enterprise that cannot bid alone, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotAlone {
    pub id: Uuid,
    pub unmet: Vec<Unmet>,
}

/// A lot's answer: who qualifies alone, and why each other does not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    /// In the order the offers came.
    pub qualify: Vec<Uuid>,
    /// Those that miss fewest requirements first (the nearest to bidding),
    /// then in the order the offers came.
    pub not_alone: Vec<NotAlone>,
}

pub fn eligibility(lot: &LotRequirements, offers: &[EnterpriseOffer], today: Date) -> Eligibility {
    let mut out = Eligibility::default();
    for e in offers {
        let unmet = unmet(e, lot, today);
        if unmet.is_empty() {
            out.qualify.push(e.id);
        } else {
            out.not_alone.push(NotAlone { id: e.id, unmet });
        }
    }
    out.not_alone.sort_by_key(|n| n.unmet.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pounds in pence.
    const fn gbp(pounds: i64) -> i64 {
        pounds * 100
    }
    use crate::enterprise::offer::{
        Accreditation, AccreditationNeed, InsuranceCover, Service, Taxonomy,
    };
    use time::macros::date;

    fn taxonomy() -> Taxonomy {
        let s = |code: &str, name: &str| Service {
            code: code.into(),
            name: name.into(),
            cpv: vec![],
        };
        Taxonomy {
            services: vec![
                s("cleaning", "cleaning"),
                s("catering", "catering"),
                s("domcare", "domiciliary care"),
            ],
        }
    }

    fn offer(name: &str) -> EnterpriseOffer {
        EnterpriseOffer {
            id: Uuid::from_u128(name.len() as u128),
            name: name.into(),
            services: vec!["cleaning".into(), "catering".into(), "domcare".into()],
            accreditations: vec![
                Accreditation {
                    kind: AccreditationKind::SocialEnterpriseMark,
                    expires_on: Some(date!(2027 - 01 - 31)),
                },
                Accreditation {
                    kind: AccreditationKind::Cqc,
                    expires_on: None,
                },
            ],
            insurance: InsuranceCover {
                public_liability: Some(gbp(5_000_000)),
                employers_liability: Some(gbp(10_000_000)),
                professional_indemnity: None,
            },
            turnover: Some(gbp(400_000)),
            staff: Some(12),
            largest_contract: Some(gbp(100_000)),
            areas: vec!["Smethwick".into(), "Soho and Victoria".into()],
            decile: Some(1),
            in_area_of_benefit: true,
        }
    }

    fn lot() -> LotRequirements {
        LotRequirements {
            services: vec!["cleaning".into(), "domcare".into()],
            accreditations: vec![
                AccreditationNeed {
                    kind: AccreditationKind::SocialEnterpriseMark,
                    scope: AccreditationScope::EveryMember,
                },
                AccreditationNeed {
                    kind: AccreditationKind::Cqc,
                    scope: AccreditationScope::Service("domcare".into()),
                },
            ],
            minimum_insurance: InsuranceCover {
                public_liability: Some(gbp(5_000_000)),
                employers_liability: Some(gbp(5_000_000)),
                professional_indemnity: None,
            },
            minimum_turnover: Some(MinimumTurnover::TimesValue { percent: 200 }),
            areas: vec!["Smethwick".into()],
            value: gbp(75_000),
            deadline: date!(2026 - 04 - 30),
        }
    }

    const TODAY: Date = date!(2026 - 03 - 20);

    fn texts(e: &EnterpriseOffer, lot: &LotRequirements) -> Vec<String> {
        unmet(e, lot, TODAY)
            .iter()
            .map(|u| u.message(&taxonomy()).text())
            .collect()
    }

    #[test]
    fn an_enterprise_meeting_everything_qualifies_alone() {
        assert!(unmet(&offer("Able"), &lot(), TODAY).is_empty());
    }

    #[test]
    fn each_unmet_requirement_has_its_reason() {
        let mut e = offer("Bright Futures CIC");
        e.services.retain(|s| s != "cleaning");
        e.accreditations[0].expires_on = Some(date!(2026 - 03 - 03));
        e.insurance.public_liability = Some(gbp(1_000_000));
        e.turnover = Some(gbp(80_000));
        e.areas = vec!["Ladywood".into()];
        assert_eq!(
            texts(&e, &lot()),
            [
                "does not offer cleaning services",
                "does not cover Smethwick",
                "Social Enterprise Mark expired on 3 March 2026",
                "public liability insurance £1,000,000 below the £5,000,000 required",
                "turnover £80,000 below the £150,000 required (twice the lot value)",
            ]
        );
    }

    #[test]
    fn service_accreditations_count_only_for_the_service_and_on_the_deadline() {
        let mut e = offer("Care Co-op");
        e.accreditations[1].expires_on = Some(date!(2026 - 04 - 01));
        e.accreditations[0].expires_on = Some(date!(2026 - 04 - 30));
        let got = unmet(&e, &lot(), TODAY);
        assert_eq!(
            got,
            [Unmet::AccreditationLapses {
                kind: AccreditationKind::Cqc,
                service: Some("domcare".into()),
                expires_on: date!(2026 - 04 - 01),
                deadline: date!(2026 - 04 - 30),
            }]
        );
        assert_eq!(
            got[0].message(&taxonomy()).text(),
            "CQC registration expires on 1 April 2026, before the deadline of 30 April 2026"
        );
        // Without the service, only the service is the reason.
        e.services.retain(|s| s != "domcare");
        assert_eq!(
            texts(&e, &lot()),
            ["does not offer domiciliary care services"]
        );
        e.services.push("domcare".into());
        e.accreditations.remove(1);
        assert_eq!(
            texts(&e, &lot()),
            ["does not hold CQC registration, which domiciliary care services need"]
        );
    }

    #[test]
    fn unknown_figures_are_reasons_not_zeros() {
        let mut e = offer("Quiet Ltd");
        e.insurance.employers_liability = None;
        e.turnover = None;
        e.largest_contract = None;
        e.accreditations.clear();
        assert_eq!(
            texts(&e, &lot()),
            [
                "does not hold CQC registration, which domiciliary care services need",
                "does not hold Social Enterprise Mark",
                "no employer's liability insurance recorded (£5,000,000 required)",
                "turnover not known (£150,000 required, twice the lot value)",
                "largest contract it can take not known (the lot is worth £75,000)",
            ]
        );
        let mut fixed = lot();
        fixed.minimum_turnover = Some(MinimumTurnover::Amount(gbp(200_000)));
        e.turnover = Some(19_999_999);
        e.largest_contract = Some(gbp(50_000));
        let got = texts(&e, &fixed);
        assert!(got.contains(&"turnover £199,999.99 below the £200,000 required".to_string()));
        assert!(got.contains(
            &"largest contract it can take £50,000 below the £75,000 lot value".to_string()
        ));
    }

    #[test]
    fn the_lot_answer_lists_who_qualifies_and_the_nearest_first() {
        let a = offer("A");
        let mut far = offer("Far");
        far.services.clear();
        far.areas.clear();
        let mut near = offer("Near");
        near.turnover = Some(1);
        let got = eligibility(&lot(), &[far.clone(), a.clone(), near.clone()], TODAY);
        assert_eq!(got.qualify, [a.id]);
        let ids: Vec<Uuid> = got.not_alone.iter().map(|n| n.id).collect();
        assert_eq!(ids, [near.id, far.id]);
        assert_eq!(got.not_alone[1].unmet.len(), 3);
    }
}
