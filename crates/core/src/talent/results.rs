//! What the skills strand achieved, counted from the records: the funnel
//! against the programme's targets, the barrier report for the anchor and
//! the savings against agency staff for the posts filled.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use time::Date;

use super::casework::{Barrier, FunnelStage, WorkOutcome};
use super::profession::band_pay;

/// One person as the funnel sees them (erased people included: their
/// stage and outcome are kept without anything personal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunnelFact {
    pub stage: FunnelStage,
    pub work: WorkOutcome,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    pub engaged: u64,
    pub on_pathway: u64,
    pub registered: u64,
    pub into_nhs: u64,
    pub into_care: u64,
    pub into_other: u64,
    /// Registered and in work: never published, but it links the two
    /// branches of the funnel, so disclosure control needs it.
    #[serde(skip)]
    pub registered_in_work: u64,
}

impl Funnel {
    pub fn into_work(&self) -> u64 {
        self.into_nhs + self.into_care + self.into_other
    }
}

/// Each stage counts everyone who reached it: someone in work counts as
/// on the pathway even if no step was recorded.
pub fn funnel(facts: &[FunnelFact]) -> Funnel {
    let mut f = Funnel::default();
    for p in facts {
        f.engaged += 1;
        if p.stage != FunnelStage::Engaged || p.work != WorkOutcome::NoneYet {
            f.on_pathway += 1;
        }
        if p.stage == FunnelStage::Registered {
            f.registered += 1;
            if p.work != WorkOutcome::NoneYet {
                f.registered_in_work += 1;
            }
        }
        match p.work {
            WorkOutcome::Nhs => f.into_nhs += 1,
            WorkOutcome::CareSector => f.into_care += 1,
            WorkOutcome::Other => f.into_other += 1,
            WorkOutcome::NoneYet => {}
        }
    }
    f
}

/// A barrier as recorded against a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BarrierFact {
    pub person: uuid::Uuid,
    pub barrier: Barrier,
    /// For employer rules: which rule, in the anchor's words.
    pub rule: Option<String>,
    pub raised_on: Date,
    pub resolved_on: Option<Date>,
}

/// One line of the barrier report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BarrierLine {
    pub barrier: Barrier,
    pub rule: Option<String>,
    /// Distinct people it held back.
    pub people: u64,
    pub open: u64,
    pub resolved: u64,
    /// Median days from raised to resolved (or to today while open).
    pub median_days: i64,
    pub longest_open_days: Option<i64>,
}

/// Barriers and employer rules by how many people they hold back, then by
/// how long.
pub fn barrier_report(facts: &[BarrierFact], today: Date) -> Vec<BarrierLine> {
    let mut groups: BTreeMap<(Barrier, Option<String>), Vec<&BarrierFact>> = BTreeMap::new();
    for f in facts {
        let rule = if f.barrier == Barrier::EmployerRule {
            f.rule.clone()
        } else {
            None
        };
        groups.entry((f.barrier, rule)).or_default().push(f);
    }
    let mut lines: Vec<BarrierLine> = groups
        .into_iter()
        .map(|((barrier, rule), fs)| {
            let people = fs.iter().map(|f| f.person).collect::<HashSet<_>>().len() as u64;
            let mut days: Vec<i64> = fs
                .iter()
                .map(|f| {
                    (f.resolved_on.unwrap_or(today) - f.raised_on)
                        .whole_days()
                        .max(0)
                })
                .collect();
            days.sort_unstable();
            let open: Vec<i64> = fs
                .iter()
                .filter(|f| f.resolved_on.is_none())
                .map(|f| (today - f.raised_on).whole_days().max(0))
                .collect();
            BarrierLine {
                barrier,
                rule,
                people,
                open: open.len() as u64,
                resolved: (fs.len() - open.len()) as u64,
                median_days: median(&days),
                longest_open_days: open.iter().copied().max(),
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        b.people
            .cmp(&a.people)
            .then(b.median_days.cmp(&a.median_days))
            .then(a.barrier.cmp(&b.barrier))
    });
    lines
}

/// How many people any barrier held back (a person may meet several).
pub fn people_held_back(facts: &[BarrierFact]) -> u64 {
    facts.iter().map(|f| f.person).collect::<HashSet<_>>().len() as u64
}

fn median(sorted: &[i64]) -> i64 {
    match sorted.len() {
        0 => 0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// The inputs of the savings estimate, all editable per programme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavingsSettings {
    /// Employer on-costs of a substantive post, in basis points of basic pay.
    pub on_cost_bp: i64,
    /// The agency charge above basic pay in the conservative case: the NHS
    /// agency price cap of pay + 55 % (NHS Improvement, 2015–16).
    pub cap_premium_bp: i64,
    /// The agency charge above basic pay in the central case: agency nurses
    /// averaged 90 % above substantive pay when the caps came in (Nursing
    /// Times, 2016).
    pub observed_premium_bp: i64,
}

impl Default for SavingsSettings {
    fn default() -> Self {
        SavingsSettings {
            on_cost_bp: 2500,
            cap_premium_bp: 5500,
            observed_premium_bp: 9000,
        }
    }
}

/// A post filled through the programme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilledPost {
    /// The anchor the vacancy names, by short name (`None`: it names none).
    pub anchor: Option<String>,
    pub band: String,
    pub started_on: Date,
    pub left_on: Option<Date>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BandSaving {
    pub band: String,
    pub posts: u64,
    pub basic_pence: i64,
    pub pay_year: String,
    pub per_year_conservative_pence: i64,
    pub per_year_central_pence: i64,
    pub to_date_conservative_pence: i64,
    pub to_date_central_pence: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Savings {
    pub bands: Vec<BandSaving>,
    /// Posts off Agenda for Change (doctors, dentists) or with an unknown
    /// band: not costed rather than guessed.
    pub posts_not_costed: u64,
    pub per_year_conservative_pence: i64,
    pub per_year_central_pence: i64,
    pub to_date_conservative_pence: i64,
    pub to_date_central_pence: i64,
}

/// The cost avoided by filling posts instead of paying agency staff:
/// per year a post saves basic pay × (agency premium − on-costs), and to
/// date that much per day in post.
pub fn savings(posts: &[FilledPost], s: &SavingsSettings, today: Date) -> Savings {
    savings_between(posts, s, None, today)
}

/// The same for the days from `from` (open: the post's start) to `to`: a
/// post is still priced at the pay in force on the day it started.
pub fn savings_between(
    posts: &[FilledPost],
    s: &SavingsSettings,
    from: Option<Date>,
    to: Date,
) -> Savings {
    let mut out = Savings::default();
    let mut by_band: BTreeMap<String, BandSaving> = BTreeMap::new();
    for p in posts {
        let Some((basic, year)) = band_pay(&p.band, p.started_on) else {
            out.posts_not_costed += 1;
            continue;
        };
        let per_year = |premium: i64| basic * (premium - s.on_cost_bp) / 10_000;
        let end = p.left_on.unwrap_or(to).min(to);
        let start = from.map_or(p.started_on, |f| f.max(p.started_on));
        let days = (end - start).whole_days().max(0);
        let to_date = |premium: i64| per_year(premium) * days / 365;
        let b = by_band.entry(p.band.clone()).or_insert_with(|| BandSaving {
            band: p.band.clone(),
            ..Default::default()
        });
        b.posts += 1;
        b.basic_pence = basic;
        b.pay_year = year.to_string();
        b.per_year_conservative_pence += per_year(s.cap_premium_bp);
        b.per_year_central_pence += per_year(s.observed_premium_bp);
        b.to_date_conservative_pence += to_date(s.cap_premium_bp);
        b.to_date_central_pence += to_date(s.observed_premium_bp);
    }
    for b in by_band.into_values() {
        out.per_year_conservative_pence += b.per_year_conservative_pence;
        out.per_year_central_pence += b.per_year_central_pence;
        out.to_date_conservative_pence += b.to_date_conservative_pence;
        out.to_date_central_pence += b.to_date_central_pence;
        out.bands.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_funnel_counts_everyone_who_reached_a_stage() {
        use FunnelStage::*;
        use WorkOutcome::*;
        let f = funnel(&[
            FunnelFact {
                stage: Engaged,
                work: NoneYet,
            },
            FunnelFact {
                stage: Engaged,
                work: CareSector,
            },
            FunnelFact {
                stage: OnPathway,
                work: NoneYet,
            },
            FunnelFact {
                stage: Registered,
                work: Nhs,
            },
        ]);
        assert_eq!(
            f,
            Funnel {
                engaged: 4,
                on_pathway: 3,
                registered: 1,
                into_nhs: 1,
                into_care: 1,
                into_other: 0,
                registered_in_work: 1,
            }
        );
        assert_eq!(f.into_work(), 2);
    }

    #[test]
    fn barriers_rank_by_people_then_time() {
        let a = uuid::Uuid::from_u128(1);
        let b = uuid::Uuid::from_u128(2);
        let today = date!(2026 - 11 - 30);
        let fact = |person, barrier, rule: Option<&str>, raised, resolved| BarrierFact {
            person,
            barrier,
            rule: rule.map(String::from),
            raised_on: raised,
            resolved_on: resolved,
        };
        let lines = barrier_report(
            &[
                fact(
                    a,
                    Barrier::ExamCost,
                    None,
                    date!(2026 - 01 - 01),
                    Some(date!(2026 - 03 - 02)),
                ),
                fact(
                    b,
                    Barrier::EmployerRule,
                    Some("Immunisation records"),
                    date!(2026 - 09 - 01),
                    None,
                ),
                fact(
                    a,
                    Barrier::EmployerRule,
                    Some("Immunisation records"),
                    date!(2026 - 10 - 01),
                    None,
                ),
                fact(
                    b,
                    Barrier::EmployerRule,
                    Some("Two UK references"),
                    date!(2026 - 11 - 20),
                    None,
                ),
            ],
            today,
        );
        assert_eq!(lines[0].rule.as_deref(), Some("Immunisation records"));
        assert_eq!(
            (lines[0].people, lines[0].open, lines[0].median_days),
            (2, 2, 75)
        );
        assert_eq!(lines[0].longest_open_days, Some(90));
        assert_eq!(lines[1].barrier, Barrier::ExamCost);
        assert_eq!((lines[1].median_days, lines[1].resolved), (60, 1));
        assert_eq!(lines[2].rule.as_deref(), Some("Two UK references"));
    }

    #[test]
    fn savings_are_basic_pay_times_the_premium_less_on_costs() {
        let s = SavingsSettings::default();
        let posts = [
            FilledPost {
                anchor: None,
                band: "5".into(),
                started_on: date!(2025 - 06 - 01),
                left_on: None,
            },
            FilledPost {
                anchor: None,
                band: "3".into(),
                started_on: date!(2025 - 12 - 01),
                left_on: Some(date!(2026 - 03 - 01)),
            },
            FilledPost {
                anchor: None,
                band: "medical".into(),
                started_on: date!(2025 - 06 - 01),
                left_on: None,
            },
        ];
        let r = savings(&posts, &s, date!(2026 - 06 - 01));
        assert_eq!(r.posts_not_costed, 1);
        // Band 5 2025-26: £31,049 × (55 % − 25 %) = £9,314.70 a year.
        let b5 = r.bands.iter().find(|b| b.band == "5").unwrap();
        assert_eq!(b5.per_year_conservative_pence, 931_470);
        assert_eq!(b5.per_year_central_pence, 2_018_185);
        assert_eq!(b5.to_date_conservative_pence, 931_470);
        // Band 3 2025-26: £24,937 × 30 % = £7,481.10 a year, 90 days of it.
        let b3 = r.bands.iter().find(|b| b.band == "3").unwrap();
        assert_eq!(b3.to_date_conservative_pence, 748_110 * 90 / 365);
        assert_eq!(r.per_year_conservative_pence, 931_470 + 748_110);
    }
}
