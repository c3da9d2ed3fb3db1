//! The consortium builder: when no enterprise (or too few) can bid for a lot
//! alone, the groups of enterprises that together meet every requirement.
//!
//! The rule: a consortium must between its members offer every service the
//! lot asks for (each delivered by a member holding the accreditations that
//! service needs), cover every site or area, and hold every accreditation
//! the lot asks of the bidder as a whole; every member must meet the rules
//! asked of each member (insurance, accreditations every member must
//! hold); and their turnovers added up must reach the lot's minimum, and
//! the largest contracts they can each take must add up to the lot's value
//! (the combined-capacity rule).
//!
//! The best consortia have the fewest members, then are the most local (the
//! sum of the members' [`EnterpriseOffer::locality`]), then, between equals,
//! the one whose members come first in the list of enterprises ordered
//! most local first, then by name (compared member by member, most local
//! first). Only consortia in which every member is needed are proposed, so
//! an alternative is never a better one with someone added.
//!
//! As a MILP (see [`Model`]): a binary x_e per enterprise meeting every
//! member's rules; Σ x_e ≥ 1 over those who can meet each service, area and
//! bidder-wide accreditation; Σ turnover_e x_e ≥ the minimum; Σ
//! largest_contract_e x_e ≥ the value; minimise Σ (M − locality_e) x_e with
//! M large enough that one member fewer always wins. [`super::search`]
//! solves it exactly by branch and bound on this covering structure (much
//! faster than a general MILP solver); [`super::milp`] hands the same model
//! to a MILP solver, which the tests use as a cross-check and which takes
//! lots with more requirements than the search's bit sets hold.

use serde::Serialize;
use uuid::Uuid;

use super::offer::{
    AccreditationKind, AccreditationScope, EnterpriseOffer, InsuranceKind, LotRequirements,
    MinimumTurnover, Taxonomy, pounds,
};
use crate::i18n::Message;
use crate::money::Pence;

/// One thing a lot asks for, as the builder explains it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "requirement")]
pub enum Requirement {
    /// A service (code), delivered by a member holding these accreditations.
    Service {
        service: String,
        accreditations: Vec<AccreditationKind>,
    },
    Area {
        area: String,
    },
    /// An accreditation held by at least one member, or by every member.
    Accreditation {
        kind: AccreditationKind,
        every_member: bool,
    },
    /// Insurance every member must hold.
    Insurance {
        kind: InsuranceKind,
        minimum: Pence,
    },
    /// The members' turnovers together.
    Turnover {
        required: Pence,
        minimum: MinimumTurnover,
    },
    /// The largest contracts the members can take, together, against the
    /// lot's value.
    Capacity {
        value: Pence,
    },
}

impl Requirement {
    /// The requirement in the catalogue's words.
    pub fn message(&self, taxonomy: &Taxonomy) -> Message {
        match self {
            Self::Service {
                service,
                accreditations,
            } if accreditations.is_empty() => Message::new("enterprise.requirement.service")
                .arg("service", taxonomy.name(service)),
            Self::Service {
                service,
                accreditations,
            } => Message::new("enterprise.requirement.service_with")
                .arg("service", taxonomy.name(service))
                .arg(
                    "accreditations",
                    accreditations
                        .iter()
                        .map(AccreditationKind::name)
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            Self::Area { area } => Message::new("enterprise.requirement.area").arg("area", area),
            Self::Accreditation {
                kind,
                every_member: false,
            } => Message::new("enterprise.requirement.accreditation_any")
                .arg("accreditation", kind.name()),
            Self::Accreditation {
                kind,
                every_member: true,
            } => Message::new("enterprise.requirement.accreditation_every")
                .arg("accreditation", kind.name()),
            Self::Insurance { kind, minimum } => Message::new("enterprise.requirement.insurance")
                .arg("insurance", kind.name())
                .arg("minimum", pounds(*minimum)),
            Self::Turnover { required, minimum } => match minimum.basis() {
                Some(basis) => Message::new("enterprise.requirement.turnover_basis")
                    .arg("required", pounds(*required))
                    .arg("basis", basis.text()),
                None => Message::new("enterprise.requirement.turnover")
                    .arg("required", pounds(*required)),
            },
            Self::Capacity { value } => {
                Message::new("enterprise.requirement.capacity").arg("value", pounds(*value))
            }
        }
    }
}

/// A requirement some members must meet between them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    pub requirement: Requirement,
    /// The candidates (indices into [`Model::candidates`]) that meet it, in
    /// the candidates' order.
    pub met_by: Vec<u32>,
}

/// Why no consortium can meet the lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "blocker")]
pub enum Blocker {
    /// No enterprise that meets every member's rules meets this.
    NoOne { requirement: Requirement },
    /// All those enterprises together fall short of this sum.
    Short {
        requirement: Requirement,
        together: Pence,
        enterprises: usize,
    },
    /// The MILP solver (for lots beyond the branch and bound's bit sets)
    /// failed; its words.
    Unsolved { reason: String },
}

impl Blocker {
    pub fn message(&self, taxonomy: &Taxonomy) -> Message {
        match self {
            Self::NoOne { requirement } => Message::new("enterprise.blocker.no_one")
                .arg("requirement", requirement.message(taxonomy).text()),
            Self::Short {
                requirement,
                together,
                enterprises,
            } => Message::new("enterprise.blocker.short")
                .arg("requirement", requirement.message(taxonomy).text())
                .arg("count", enterprises)
                .arg("together", pounds(*together)),
            Self::Unsolved { reason } => {
                Message::new("enterprise.blocker.unsolved").arg("reason", reason)
            }
        }
    }
}

/// The lot as a covering problem over the enterprises that meet every
/// member's rules. This is also what the benchmark hands to HiGHS.
#[derive(Clone, Debug, Serialize)]
pub struct Model {
    /// Indices into the offers, in the order that breaks ties: most local
    /// first, then by name (without case), then by id.
    pub candidates: Vec<usize>,
    pub locality: Vec<u32>,
    /// Known turnover, 0 when not known (it then adds nothing).
    pub turnover: Vec<Pence>,
    /// Largest contract, 0 when not known.
    pub capacity: Vec<Pence>,
    pub rows: Vec<Row>,
    pub turnover_required: Pence,
    pub value: Pence,
    /// Rules each member meets (the explanation lists them).
    pub per_member: Vec<Requirement>,
    pub turnover_rule: Option<Requirement>,
    pub blockers: Vec<Blocker>,
}

impl Model {
    pub fn new(lot: &LotRequirements, offers: &[EnterpriseOffer]) -> Model {
        let mut per_member = Vec::new();
        let mut every: Vec<&AccreditationKind> = Vec::new();
        let mut any: Vec<&AccreditationKind> = Vec::new();
        for need in &lot.accreditations {
            let list = match need.scope {
                AccreditationScope::EveryMember => &mut every,
                AccreditationScope::AnyMember => &mut any,
                AccreditationScope::Service(_) => continue,
            };
            if !list.iter().any(|k| k.same(&need.kind)) {
                list.push(&need.kind);
            }
        }
        // Held by every member makes "by at least one" redundant.
        any.retain(|k| !every.iter().any(|e| e.same(k)));
        for kind in &every {
            per_member.push(Requirement::Accreditation {
                kind: (*kind).clone(),
                every_member: true,
            });
        }
        let insurance: Vec<(InsuranceKind, Pence)> = InsuranceKind::ALL
            .into_iter()
            .filter_map(|k| {
                lot.minimum_insurance
                    .get(k)
                    .filter(|&m| m > 0)
                    .map(|m| (k, m))
            })
            .collect();
        for &(kind, minimum) in &insurance {
            per_member.push(Requirement::Insurance { kind, minimum });
        }

        let mut candidates: Vec<usize> = (0..offers.len())
            .filter(|&i| {
                let e = &offers[i];
                every.iter().all(|k| e.holds_on(k, lot.deadline))
                    && insurance
                        .iter()
                        .all(|&(k, m)| e.insurance.get(k).is_some_and(|h| h >= m))
            })
            .collect();
        candidates.sort_by(|&a, &b| {
            let (a, b) = (&offers[a], &offers[b]);
            b.locality()
                .cmp(&a.locality())
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                .then_with(|| a.id.cmp(&b.id))
        });
        let of = |i: &usize| &offers[*i];
        let locality = candidates.iter().map(|i| of(i).locality()).collect();
        let turnover = candidates
            .iter()
            .map(|i| of(i).turnover.unwrap_or(0).max(0))
            .collect();
        let capacity = candidates
            .iter()
            .map(|i| of(i).largest_contract.unwrap_or(0).max(0))
            .collect();
        let met_by = |f: &dyn Fn(&EnterpriseOffer) -> bool| -> Vec<u32> {
            (0..candidates.len() as u32)
                .filter(|&c| f(&offers[candidates[c as usize]]))
                .collect()
        };

        let mut rows = Vec::new();
        for (i, s) in lot.services.iter().enumerate() {
            if lot.services[..i].contains(s) {
                continue;
            }
            let mut needs: Vec<AccreditationKind> = Vec::new();
            for k in lot.service_accreditations(s) {
                if !needs.iter().any(|n| n.same(k)) && !every.iter().any(|e| e.same(k)) {
                    needs.push(k.clone());
                }
            }
            let ok = |e: &EnterpriseOffer| {
                e.offers(s) && needs.iter().all(|k| e.holds_on(k, lot.deadline))
            };
            rows.push(Row {
                met_by: met_by(&ok),
                requirement: Requirement::Service {
                    service: s.clone(),
                    accreditations: needs,
                },
            });
        }
        for (i, a) in lot.areas.iter().enumerate() {
            if lot.areas[..i].contains(a) {
                continue;
            }
            rows.push(Row {
                met_by: met_by(&|e| e.covers(a)),
                requirement: Requirement::Area { area: a.clone() },
            });
        }
        for kind in any {
            rows.push(Row {
                met_by: met_by(&|e| e.holds_on(kind, lot.deadline)),
                requirement: Requirement::Accreditation {
                    kind: kind.clone(),
                    every_member: false,
                },
            });
        }

        let turnover_required = lot.turnover_required();
        let turnover_rule = lot
            .minimum_turnover
            .filter(|_| turnover_required > 0)
            .map(|minimum| Requirement::Turnover {
                required: turnover_required,
                minimum,
            });
        let mut model = Model {
            candidates,
            locality,
            turnover,
            capacity,
            rows,
            turnover_required,
            value: lot.value.max(0),
            per_member,
            turnover_rule,
            blockers: Vec::new(),
        };
        model.blockers = model.find_blockers();
        model
    }

    /// When the lot leaves nothing to share out (no service, area or sum to
    /// meet together), every candidate can bid alone: the most local first,
    /// as many as asked for (none when consortia of several are asked for).
    pub(super) fn each_alone(&self, options: Options) -> Vec<Vec<u32>> {
        if options.min_members > 1 {
            return Vec::new();
        }
        (0..self.candidates.len() as u32)
            .take(options.alternatives)
            .map(|c| vec![c])
            .collect()
    }

    fn find_blockers(&self) -> Vec<Blocker> {
        let mut out: Vec<Blocker> = self
            .rows
            .iter()
            .filter(|r| r.met_by.is_empty())
            .map(|r| Blocker::NoOne {
                requirement: r.requirement.clone(),
            })
            .collect();
        let enterprises = self.candidates.len();
        let together: Pence = self.turnover.iter().sum();
        if let Some(rule) = &self.turnover_rule
            && together < self.turnover_required
        {
            out.push(Blocker::Short {
                requirement: rule.clone(),
                together,
                enterprises,
            });
        }
        let together: Pence = self.capacity.iter().sum();
        if together < self.value {
            out.push(Blocker::Short {
                requirement: Requirement::Capacity { value: self.value },
                together,
                enterprises,
            });
        }
        out
    }

    /// The weight of one member in the objective: more than any
    /// consortium's locality, so fewer members always wins.
    pub fn member_weight(&self) -> i64 {
        20 * (self.candidates.len() as i64 + 1)
    }

    /// The objective of a consortium (candidate indices): members × M −
    /// locality.
    pub fn cost(&self, set: &[u32]) -> i64 {
        set.iter()
            .map(|&c| self.member_weight() - i64::from(self.locality[c as usize]))
            .sum()
    }

    /// Whether these candidates together meet every requirement.
    pub fn feasible(&self, set: &[u32]) -> bool {
        let turnover: Pence = set.iter().map(|&c| self.turnover[c as usize]).sum();
        let capacity: Pence = set.iter().map(|&c| self.capacity[c as usize]).sum();
        turnover >= self.turnover_required
            && capacity >= self.value
            && self
                .rows
                .iter()
                .all(|r| set.iter().any(|c| r.met_by.binary_search(c).is_ok()))
    }

    /// Feasible, and no member can be left out.
    /// Whether a consortium meets the lot and needs every member (a
    /// consortium has members: the last one left is always needed).
    pub fn minimal(&self, set: &[u32]) -> bool {
        !set.is_empty()
            && self.feasible(set)
            && (0..set.len()).all(|i| {
                let rest: Vec<u32> = [&set[..i], &set[i + 1..]].concat();
                rest.is_empty() || !self.feasible(&rest)
            })
    }

    /// The order proposals are listed in: fewer members, more local, then
    /// the members (sorted) compared in the candidates' order.
    pub fn key(&self, set: &[u32]) -> (usize, std::cmp::Reverse<u32>, Vec<u32>) {
        let mut sorted = set.to_vec();
        sorted.sort_unstable();
        let locality = set.iter().map(|&c| self.locality[c as usize]).sum();
        (set.len(), std::cmp::Reverse(locality), sorted)
    }

    /// The largest consortium in which every member can be needed: at most
    /// one member per requirement met between them, plus those the sums
    /// need (never more than the smallest turnovers, or capacities, that
    /// reach the sum: with one more, any of them could be left out).
    pub fn largest_minimal(&self) -> usize {
        fn count(values: &[Pence], need: Pence) -> usize {
            if need <= 0 {
                return 0;
            }
            let mut v: Vec<Pence> = values.iter().copied().filter(|&x| x > 0).collect();
            v.sort_unstable();
            let mut sum = 0;
            for (i, x) in v.iter().enumerate() {
                sum += x;
                if sum >= need {
                    return i + 1;
                }
            }
            v.len()
        }
        (self.rows.len()
            + count(&self.turnover, self.turnover_required)
            + count(&self.capacity, self.value))
        .min(self.candidates.len())
    }
}

/// How many proposals, and how far from the best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Options {
    /// The best consortium and its alternatives: how many in all.
    pub alternatives: usize,
    /// Alternatives with more members than the best are proposed up to
    /// this many members more (larger ones are too far from the best to be
    /// worth an adviser's time, and costly to search).
    pub extra_members: usize,
    /// The fewest members: 2 leaves out enterprises that qualify alone.
    pub min_members: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            alternatives: 5,
            extra_members: 2,
            min_members: 1,
        }
    }
}

/// A member of a proposed consortium.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    pub id: Uuid,
    pub name: String,
    pub in_area_of_benefit: bool,
    pub decile: Option<u8>,
    pub locality: u32,
}

/// How a proposal meets one requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub requirement: Requirement,
    /// The members that meet it (for the sums: those that add to it).
    pub met_by: Vec<Uuid>,
    /// For the sums: the members' total.
    pub together: Option<Pence>,
}

impl Explanation {
    /// "cleaning services: Bright Futures CIC, Clean Start".
    pub fn message(&self, proposal: &Proposal, taxonomy: &Taxonomy) -> Message {
        let names = self
            .met_by
            .iter()
            .filter_map(|id| proposal.members.iter().find(|m| m.id == *id))
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let requirement = self.requirement.message(taxonomy).text();
        match self.together {
            Some(total) => Message::new("enterprise.explain.together")
                .arg("requirement", requirement)
                .arg("members", names)
                .arg("together", pounds(total)),
            None if matches!(
                self.requirement,
                Requirement::Insurance { .. }
                    | Requirement::Accreditation {
                        every_member: true,
                        ..
                    }
            ) =>
            {
                Message::new("enterprise.explain.every_member").arg("requirement", requirement)
            }
            None => Message::new("enterprise.explain.met_by")
                .arg("requirement", requirement)
                .arg("members", names),
        }
    }
}

/// One proposed consortium.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// Most local first.
    pub members: Vec<Member>,
    /// The suggested lead (an index into `members`), by [`LEAD_RULE`].
    pub lead: usize,
    /// The members' localities added up.
    pub locality: u32,
    pub in_area_of_benefit: usize,
    /// Every requirement, in the lot's order, with the members that meet it.
    pub explanation: Vec<Explanation>,
}

/// The catalogue key stating how the lead is suggested.
pub const LEAD_RULE: &str = "enterprise.consortium.lead_rule";

/// What the builder found for a lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Consortia {
    /// Best first.
    pub proposals: Vec<Proposal>,
    /// Why there are none: what no one can meet, or the solver's failure.
    pub blockers: Vec<Blocker>,
}

/// The best consortia for the lot among these offers.
pub fn build(lot: &LotRequirements, offers: &[EnterpriseOffer], options: Options) -> Consortia {
    let model = Model::new(lot, offers);
    if !model.blockers.is_empty() {
        return Consortia {
            proposals: Vec::new(),
            blockers: model.blockers,
        };
    }
    match solve(&model, options) {
        Ok(sets) => Consortia {
            proposals: sets.iter().map(|s| proposal(&model, offers, s)).collect(),
            blockers: Vec::new(),
        },
        Err(reason) => Consortia {
            proposals: Vec::new(),
            blockers: vec![Blocker::Unsolved { reason }],
        },
    }
}

/// The best consortia of the model as sets of candidate indices, best first:
/// by the branch and bound when the lot's requirements fit its bit sets, by
/// the MILP solver otherwise (whose error, if it fails, is the `Err`).
pub fn solve(model: &Model, options: Options) -> Result<Vec<Vec<u32>>, String> {
    if model.rows.len() <= super::search::MAX_ROWS {
        Ok(super::search::best(model, options))
    } else {
        super::milp::best(model, options).map_err(|e| e.to_string())
    }
}

fn proposal(model: &Model, offers: &[EnterpriseOffer], set: &[u32]) -> Proposal {
    let mut set = set.to_vec();
    set.sort_unstable();
    let offer = |c: u32| &offers[model.candidates[c as usize]];
    let members: Vec<Member> = set
        .iter()
        .map(|&c| {
            let e = offer(c);
            Member {
                id: e.id,
                name: e.name.clone(),
                in_area_of_benefit: e.in_area_of_benefit,
                decile: e.decile,
                locality: e.locality(),
            }
        })
        .collect();
    let rows_met = |c: u32| {
        model
            .rows
            .iter()
            .filter(|r| r.met_by.binary_search(&c).is_ok())
            .count()
    };
    // The lead: the largest contract, then the most requirements met, then
    // the largest turnover, then the first in the members' order.
    let lead = (0..set.len())
        .max_by(|&a, &b| {
            let (ca, cb) = (set[a], set[b]);
            let ka = (offer(ca).largest_contract, rows_met(ca), offer(ca).turnover);
            let kb = (offer(cb).largest_contract, rows_met(cb), offer(cb).turnover);
            ka.cmp(&kb).then_with(|| b.cmp(&a))
        })
        .unwrap_or(0);

    let mut explanation: Vec<Explanation> = model
        .rows
        .iter()
        .map(|r| Explanation {
            requirement: r.requirement.clone(),
            met_by: set
                .iter()
                .filter(|c| r.met_by.binary_search(c).is_ok())
                .map(|&c| offer(c).id)
                .collect(),
            together: None,
        })
        .collect();
    for rule in &model.per_member {
        explanation.push(Explanation {
            requirement: rule.clone(),
            met_by: members.iter().map(|m| m.id).collect(),
            together: None,
        });
    }
    let sum = |values: &[Pence]| -> (Vec<Uuid>, Pence) {
        let adding: Vec<u32> = set
            .iter()
            .copied()
            .filter(|&c| values[c as usize] > 0)
            .collect();
        (
            adding.iter().map(|&c| offer(c).id).collect(),
            adding.iter().map(|&c| values[c as usize]).sum(),
        )
    };
    if let Some(rule) = &model.turnover_rule {
        let (met_by, total) = sum(&model.turnover);
        explanation.push(Explanation {
            requirement: rule.clone(),
            met_by,
            together: Some(total),
        });
    }
    if model.value > 0 {
        let (met_by, total) = sum(&model.capacity);
        explanation.push(Explanation {
            requirement: Requirement::Capacity { value: model.value },
            met_by,
            together: Some(total),
        });
    }
    Proposal {
        lead,
        locality: members.iter().map(|m| m.locality).sum(),
        in_area_of_benefit: members.iter().filter(|m| m.in_area_of_benefit).count(),
        members,
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pounds in pence.
    const fn gbp(pounds: i64) -> i64 {
        pounds * 100
    }
    use crate::enterprise::offer::{
        Accreditation, AccreditationNeed, InsuranceCover, MinimumTurnover, Service,
    };
    use proptest::prelude::*;
    use time::Date;
    use time::macros::date;

    const DEADLINE: Date = date!(2026 - 06 - 30);

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
                s("laundry", "laundry"),
                s("domcare", "domiciliary care"),
            ],
        }
    }

    fn offer(n: u128, name: &str) -> EnterpriseOffer {
        EnterpriseOffer {
            id: Uuid::from_u128(n),
            name: name.into(),
            services: vec![],
            accreditations: vec![Accreditation {
                kind: AccreditationKind::SocialEnterpriseMark,
                expires_on: Some(date!(2027 - 01 - 01)),
            }],
            insurance: InsuranceCover {
                public_liability: Some(gbp(5_000_000)),
                ..InsuranceCover::default()
            },
            turnover: Some(gbp(100_000)),
            staff: Some(5),
            largest_contract: Some(gbp(50_000)),
            areas: vec![],
            decile: Some(5),
            in_area_of_benefit: false,
        }
    }

    /// Catering and cleaning in two areas, with CQC-registered domiciliary
    /// care, worth £120,000 and twice that in turnover: nobody alone.
    fn hospital_lot() -> LotRequirements {
        LotRequirements {
            services: vec!["catering".into(), "cleaning".into(), "domcare".into()],
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
                ..InsuranceCover::default()
            },
            minimum_turnover: Some(MinimumTurnover::TimesValue { percent: 200 }),
            areas: vec!["Smethwick".into(), "Soho".into()],
            value: gbp(120_000),
            deadline: DEADLINE,
        }
    }

    fn hospital_offers() -> Vec<EnterpriseOffer> {
        let mut kitchen = offer(1, "Kitchen Co-op");
        kitchen.services = vec!["catering".into()];
        kitchen.areas = vec!["Smethwick".into(), "Soho".into()];
        kitchen.in_area_of_benefit = true;
        kitchen.decile = Some(1);
        let mut sparkle = offer(2, "Sparkle CIC");
        sparkle.services = vec!["cleaning".into(), "laundry".into()];
        sparkle.areas = vec!["Soho".into()];
        sparkle.largest_contract = Some(gbp(80_000));
        sparkle.in_area_of_benefit = true;
        let mut care = offer(3, "Care Together");
        care.services = vec!["domcare".into()];
        care.areas = vec!["Smethwick".into()];
        care.accreditations.push(Accreditation {
            kind: AccreditationKind::Cqc,
            expires_on: None,
        });
        care.decile = Some(2);
        // Offers everything but its Social Enterprise Mark has lapsed.
        let mut big = offer(4, "Big Services");
        big.services = vec!["catering".into(), "cleaning".into(), "domcare".into()];
        big.areas = vec!["Smethwick".into(), "Soho".into()];
        big.accreditations = vec![
            Accreditation {
                kind: AccreditationKind::SocialEnterpriseMark,
                expires_on: Some(date!(2026 - 01 - 31)),
            },
            Accreditation {
                kind: AccreditationKind::Cqc,
                expires_on: None,
            },
        ];
        big.turnover = Some(gbp(5_000_000));
        big.largest_contract = Some(gbp(1_000_000));
        // Domiciliary care without CQC registration.
        let mut homely = offer(5, "Homely Help");
        homely.services = vec!["domcare".into(), "cleaning".into()];
        homely.areas = vec!["Smethwick".into(), "Soho".into()];
        homely.in_area_of_benefit = true;
        homely.decile = Some(1);
        // Under-insured.
        let mut small = offer(6, "Small Steps");
        small.services = vec!["domcare".into()];
        small.accreditations = care.accreditations.clone();
        small.areas = vec!["Soho".into()];
        small.insurance.public_liability = Some(gbp(2_000_000));
        small.in_area_of_benefit = true;
        small.decile = Some(1);
        vec![kitchen, sparkle, care, big, homely, small]
    }

    #[test]
    fn a_lot_only_a_consortium_can_meet() {
        let lot = hospital_lot();
        let offers = hospital_offers();
        let alone = crate::enterprise::eligibility(&lot, &offers, date!(2026 - 05 - 01));
        assert!(alone.qualify.is_empty());

        let got = build(&lot, &offers, Options::default());
        assert!(got.blockers.is_empty());
        let names =
            |p: &Proposal| -> Vec<String> { p.members.iter().map(|m| m.name.clone()).collect() };
        // Catering and domiciliary care each have one candidate; Homely Help
        // (more local than Sparkle) cleans too; the turnover needs a third.
        assert_eq!(
            names(&got.proposals[0]),
            ["Homely Help", "Kitchen Co-op", "Care Together"]
        );
        assert_eq!(
            names(&got.proposals[1]),
            ["Kitchen Co-op", "Sparkle CIC", "Care Together"]
        );
        assert_eq!(
            got.proposals.len(),
            2,
            "no other consortium needs every member"
        );
        let best = &got.proposals[0];
        assert_eq!(best.locality, 19 + 19 + 8);
        assert_eq!(best.in_area_of_benefit, 2);
        // Equal largest contracts: Homely Help meets most requirements.
        assert_eq!(best.members[best.lead].name, "Homely Help");
        let tx = taxonomy();
        let lines: Vec<String> = best
            .explanation
            .iter()
            .map(|e| e.message(best, &tx).text())
            .collect();
        assert_eq!(
            lines,
            [
                "catering services: Kitchen Co-op",
                "cleaning services: Homely Help",
                "domiciliary care services, delivered by a member with CQC registration: Care Together",
                "work in Smethwick: Homely Help, Kitchen Co-op, Care Together",
                "work in Soho: Homely Help, Kitchen Co-op",
                "Social Enterprise Mark, held by every member: every member",
                "public liability insurance of at least £5,000,000 for every member: every member",
                "turnover of at least £240,000 between the members (twice the lot value): Homely Help, Kitchen Co-op, Care Together, £300,000 together",
                "largest contracts adding up to at least the lot value, £120,000: Homely Help, Kitchen Co-op, Care Together, £150,000 together",
            ]
        );
        assert!(crate::i18n::has(LEAD_RULE));
    }

    #[test]
    fn consortia_of_two_or_more_leave_out_who_qualifies_alone() {
        let mut lot = hospital_lot();
        lot.minimum_turnover = None;
        lot.value = 0;
        lot.services = vec!["catering".into()];
        let offers = hospital_offers();
        let alone = build(&lot, &offers, Options::default());
        assert_eq!(alone.proposals[0].members[0].name, "Kitchen Co-op");
        assert_eq!(alone.proposals[0].members.len(), 1);
        let together = build(
            &lot,
            &offers,
            Options {
                min_members: 2,
                ..Options::default()
            },
        );
        assert!(together.proposals.is_empty());
    }

    #[test]
    fn a_lot_no_one_can_meet_says_why() {
        let mut lot = hospital_lot();
        lot.services.push("laundry".into());
        lot.accreditations.push(AccreditationNeed {
            kind: AccreditationKind::Iso9001,
            scope: AccreditationScope::AnyMember,
        });
        lot.value = gbp(10_000_000);
        let got = build(&lot, &hospital_offers(), Options::default());
        assert!(got.proposals.is_empty());
        let tx = taxonomy();
        let texts: Vec<String> = got.blockers.iter().map(|b| b.message(&tx).text()).collect();
        assert_eq!(
            texts,
            [
                "No enterprise that meets the rules for every member can meet this: ISO 9001 quality management, held by at least one member",
                "All 4 enterprises that meet the rules for every member together fall short of this: turnover of at least £20,000,000 between the members (twice the lot value) (they have £400,000)",
                "All 4 enterprises that meet the rules for every member together fall short of this: largest contracts adding up to at least the lot value, £10,000,000 (they have £230,000)",
            ]
        );
    }

    #[test]
    fn lots_with_more_requirements_than_the_bit_sets_go_to_the_milp() {
        let areas: Vec<String> = (0..70).map(|i| format!("Area {i}")).collect();
        let mut lot = hospital_lot();
        lot.services = vec!["catering".into()];
        lot.areas = areas.clone();
        let mut offers = Vec::new();
        for (i, chunk) in areas.chunks(20).enumerate() {
            let mut e = offer(10 + i as u128, &format!("Area team {i}"));
            e.services = vec!["catering".into()];
            e.areas = chunk.to_vec();
            e.turnover = Some(gbp(120_000));
            offers.push(e);
        }
        let mut wide = offer(20, "Wide Reach");
        wide.areas = areas[..40].to_vec();
        wide.turnover = Some(gbp(10_000));
        offers.push(wide);
        let model = Model::new(&lot, &offers);
        assert!(model.rows.len() > crate::enterprise::search::MAX_ROWS);
        let got = build(&lot, &offers, Options::default());
        // Wide Reach covers areas 0 to 39; teams 2 and 3 the rest, with the turnover.
        let names: Vec<&str> = got.proposals[0]
            .members
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(names, ["Area team 2", "Area team 3", "Wide Reach"]);
        assert_eq!(got.proposals[1].members.len(), 4, "all four teams");
        for p in &got.proposals {
            let members: Vec<&EnterpriseOffer> = p
                .members
                .iter()
                .map(|m| offers.iter().find(|o| o.id == m.id).unwrap())
                .collect();
            assert!(oracle::meets(&lot, &members));
        }
    }

    /// An independent statement of the rule, straight from the offers.
    mod oracle {
        use super::*;

        fn valid(e: &EnterpriseOffer, kind: &AccreditationKind, day: Date) -> bool {
            e.accreditations
                .iter()
                .any(|a| a.kind.same(kind) && a.expires_on.is_none_or(|x| day <= x))
        }

        pub fn meets(lot: &LotRequirements, members: &[&EnterpriseOffer]) -> bool {
            let every_member = members.iter().all(|e| {
                InsuranceKind::ALL.iter().all(|&k| {
                    lot.minimum_insurance
                        .get(k)
                        .is_none_or(|m| m <= 0 || e.insurance.get(k).is_some_and(|h| h >= m))
                }) && lot.accreditations.iter().all(|n| {
                    n.scope != AccreditationScope::EveryMember || valid(e, &n.kind, lot.deadline)
                })
            });
            let services = lot.services.iter().all(|s| {
                members.iter().any(|e| {
                    e.services.contains(s)
                        && lot.accreditations.iter().all(|n| {
                            n.scope != AccreditationScope::Service(s.clone())
                                || valid(e, &n.kind, lot.deadline)
                        })
                })
            });
            let areas = lot
                .areas
                .iter()
                .all(|a| members.iter().any(|e| e.areas.contains(a)));
            let any = lot.accreditations.iter().all(|n| {
                n.scope != AccreditationScope::AnyMember
                    || members.iter().any(|e| valid(e, &n.kind, lot.deadline))
            });
            let turnover: i64 = members.iter().map(|e| e.turnover.unwrap_or(0)).sum();
            let capacity: i64 = members
                .iter()
                .map(|e| e.largest_contract.unwrap_or(0))
                .sum();
            let required = match lot.minimum_turnover {
                None => 0,
                Some(MinimumTurnover::Amount(p)) => p,
                Some(MinimumTurnover::TimesValue { percent }) => {
                    (lot.value * i64::from(percent) + 99) / 100
                }
            };
            every_member
                && services
                && areas
                && any
                && turnover >= required
                && capacity >= lot.value
        }

        /// Every consortium in which every member is needed, best first,
        /// cut to the options.
        pub fn best(
            lot: &LotRequirements,
            offers: &[EnterpriseOffer],
            options: Options,
        ) -> Vec<Vec<Uuid>> {
            let mut order: Vec<&EnterpriseOffer> = offers.iter().collect();
            order.sort_by_key(|e| (std::cmp::Reverse(e.locality()), e.name.to_lowercase(), e.id));
            let n = order.len();
            let mut all: Vec<(usize, std::cmp::Reverse<u32>, Vec<usize>)> = Vec::new();
            for bits in 1u32..(1 << n) {
                let set: Vec<usize> = (0..n).filter(|i| bits & (1 << i) != 0).collect();
                let members: Vec<&EnterpriseOffer> = set.iter().map(|&i| order[i]).collect();
                if set.len() < options.min_members || !meets(lot, &members) {
                    continue;
                }
                // A consortium has members: one whose every member could
                // leave but the last is a consortium of one.
                let needed = (0..members.len()).all(|i| {
                    let rest: Vec<&EnterpriseOffer> = [&members[..i], &members[i + 1..]].concat();
                    rest.is_empty() || !meets(lot, &rest)
                });
                if needed {
                    let locality = members.iter().map(|e| e.locality()).sum();
                    all.push((set.len(), std::cmp::Reverse(locality), set));
                }
            }
            all.sort();
            let Some(fewest) = all.first().map(|a| a.0) else {
                return vec![];
            };
            all.into_iter()
                .filter(|a| a.0 <= fewest + options.extra_members)
                .take(options.alternatives)
                .map(|a| a.2.iter().map(|&i| order[i].id).collect())
                .collect()
        }
    }

    fn arb_offer(i: usize) -> impl Strategy<Value = EnterpriseOffer> {
        (
            (0u8..16, 0u8..8),
            (0u8..4, prop::option::weighted(0.9, 0u8..3)),
            (
                prop::option::of(1i64..6),
                prop::option::weighted(0.9, 0i64..40),
                prop::option::weighted(0.9, 0i64..30),
            ),
            (prop::option::of(1u8..=10), any::<bool>(), 0usize..3),
        )
            .prop_map(
                move |(
                    (services, areas),
                    (accreditations, insurance),
                    (cqc, turnover, largest),
                    (decile, local, name),
                )| {
                    let pick = |bits: u8, names: &[&str]| -> Vec<String> {
                        names
                            .iter()
                            .enumerate()
                            .filter(|(b, _)| bits & (1 << b) != 0)
                            .map(|(_, s)| s.to_string())
                            .collect()
                    };
                    let mut held = Vec::new();
                    // 1 or 3: a Social Enterprise Mark valid on the deadline; 2: one that lapses before.
                    if accreditations & 1 != 0 {
                        held.push(Accreditation {
                            kind: AccreditationKind::SocialEnterpriseMark,
                            expires_on: Some(DEADLINE),
                        });
                    } else if accreditations & 2 != 0 {
                        held.push(Accreditation {
                            kind: AccreditationKind::SocialEnterpriseMark,
                            expires_on: Some(DEADLINE.previous_day().unwrap()),
                        });
                    }
                    if let Some(months) = cqc {
                        held.push(Accreditation {
                            kind: AccreditationKind::Cqc,
                            expires_on: Some(
                                DEADLINE.saturating_add(time::Duration::days(30 * (months - 3))),
                            ),
                        });
                    }
                    EnterpriseOffer {
                        id: Uuid::from_u128(1000 + i as u128),
                        name: ["Able", "able", "Bold"][name].to_string(),
                        services: pick(services, &["cleaning", "catering", "laundry", "domcare"]),
                        accreditations: held,
                        insurance: InsuranceCover {
                            public_liability: insurance.map(|i| {
                                [gbp(1_000_000), gbp(5_000_000), gbp(10_000_000)][i as usize]
                            }),
                            ..InsuranceCover::default()
                        },
                        turnover: turnover.map(|t| t * gbp(10_000)),
                        staff: None,
                        largest_contract: largest.map(|c| c * gbp(10_000)),
                        areas: pick(areas, &["North", "South", "East"]),
                        decile,
                        in_area_of_benefit: local,
                    }
                },
            )
    }

    fn arb_offers() -> impl Strategy<Value = Vec<EnterpriseOffer>> {
        (1usize..=12).prop_flat_map(|n| (0..n).map(arb_offer).collect::<Vec<_>>())
    }

    fn arb_lot() -> impl Strategy<Value = LotRequirements> {
        (
            prop::sample::subsequence(vec!["cleaning", "catering", "laundry", "domcare"], 0..=3),
            prop::sample::subsequence(vec!["North", "South", "East"], 0..=3),
            (0u8..16, any::<bool>()),
            (
                0i64..30,
                prop::option::of(prop_oneof![
                    (0i64..40).prop_map(|t| MinimumTurnover::Amount(t * gbp(10_000))),
                    (50u32..250).prop_map(|percent| MinimumTurnover::TimesValue { percent }),
                ]),
            ),
        )
            .prop_map(
                |(services, areas, (needs, insured), (value, minimum_turnover))| {
                    let mut accreditations = Vec::new();
                    if needs & 9 == 9 {
                        accreditations.push(AccreditationNeed {
                            kind: AccreditationKind::SocialEnterpriseMark,
                            scope: AccreditationScope::EveryMember,
                        });
                    }
                    if needs & 2 != 0 {
                        accreditations.push(AccreditationNeed {
                            kind: AccreditationKind::SocialEnterpriseMark,
                            scope: AccreditationScope::AnyMember,
                        });
                    }
                    if needs & 4 != 0 {
                        accreditations.push(AccreditationNeed {
                            kind: AccreditationKind::Cqc,
                            scope: AccreditationScope::Service("domcare".into()),
                        });
                    }
                    LotRequirements {
                        services: services.into_iter().map(String::from).collect(),
                        accreditations,
                        minimum_insurance: InsuranceCover {
                            public_liability: insured.then_some(gbp(5_000_000)),
                            ..InsuranceCover::default()
                        },
                        minimum_turnover,
                        areas: areas.into_iter().map(String::from).collect(),
                        value: value * gbp(10_000),
                        deadline: DEADLINE,
                    }
                },
            )
    }

    fn arb_options() -> impl Strategy<Value = Options> {
        (1usize..6, 0usize..3, 1usize..3).prop_map(|(alternatives, extra_members, min_members)| {
            Options {
                alternatives,
                extra_members,
                min_members,
            }
        })
    }

    fn ids(c: &Consortia) -> Vec<Vec<Uuid>> {
        c.proposals
            .iter()
            .map(|p| p.members.iter().map(|m| m.id).collect())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn the_builder_finds_what_brute_force_finds(
            lot in arb_lot(),
            offers in arb_offers(),
            options in arb_options(),
        ) {
            let got = build(&lot, &offers, options);
            let want = oracle::best(&lot, &offers, options);
            prop_assert_eq!(ids(&got), want);
            for p in &got.proposals {
                let members: Vec<&EnterpriseOffer> = p
                    .members
                    .iter()
                    .map(|m| offers.iter().find(|o| o.id == m.id).unwrap())
                    .collect();
                prop_assert!(oracle::meets(&lot, &members), "a proposal misses a requirement");
                prop_assert!(p.lead < p.members.len());
                // Each requirement names who meets it, and the sums add up.
                for e in &p.explanation {
                    match (&e.requirement, e.together) {
                        (Requirement::Turnover { required, .. }, Some(t)) => prop_assert!(t >= *required),
                        (Requirement::Capacity { value }, Some(t)) => prop_assert!(t >= *value),
                        (_, None) => prop_assert!(!e.met_by.is_empty()),
                        (r, Some(_)) => prop_assert!(false, "a sum for {:?}", r),
                    }
                }
            }
            // Distinct, and in order: fewer members, then more local.
            let keys: Vec<(usize, std::cmp::Reverse<u32>)> = got
                .proposals
                .iter()
                .map(|p| (p.members.len(), std::cmp::Reverse(p.locality)))
                .collect();
            prop_assert!(keys.windows(2).all(|w| w[0] <= w[1]));
            let mut sets = ids(&got);
            for s in &mut sets {
                s.sort();
            }
            sets.sort();
            sets.dedup();
            prop_assert_eq!(sets.len(), got.proposals.len());
            // Blockers exactly when brute force finds nothing for a lot that
            // needs someone at all.
            if !got.blockers.is_empty() {
                prop_assert!(got.proposals.is_empty());
                let anyone = Options { min_members: 1, ..options };
                prop_assert!(oracle::best(&lot, &offers, anyone).is_empty());
            }
        }

        #[test]
        fn the_milp_solver_agrees_on_every_objective(
            lot in arb_lot(),
            offers in arb_offers(),
            options in arb_options(),
        ) {
            let model = Model::new(&lot, &offers);
            let ours = crate::enterprise::search::best(&model, options);
            let milp = crate::enterprise::milp::best(&model, options).unwrap();
            let costs = |sets: &[Vec<u32>]| -> Vec<i64> { sets.iter().map(|s| model.cost(s)).collect() };
            prop_assert_eq!(costs(&ours), costs(&milp));
            for s in &milp {
                prop_assert!(model.minimal(s));
            }
            // Distinct and in order, ties broken by the stated rule.
            prop_assert!(ours.windows(2).all(|w| model.key(&w[0]) < model.key(&w[1])));
        }
    }
}
