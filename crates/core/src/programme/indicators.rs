//! What a programme achieved, as definitions over the records the other
//! contexts already hold. Nothing here is typed in: each indicator is counted
//! or summed from dated facts, so the home page, the API and the CLI always
//! agree with the lists they link to.
//!
//! An indicator that cannot be judged (its strand holds no records, or the
//! data it needs is missing) is [`Figure::NotKnown`] with the step that
//! fixes it, never 0. Shares judged on part of the data carry how much they
//! covered. Money shares stay low–high ranges, as the spend measures give
//! them (a supplier with two addresses that disagree is a band).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use time::Date;

use crate::anchors::wages::WageSource;
use crate::auth::Capability;
use crate::disclosure::{Cell, Viewer};
use crate::enterprise::income::IncomeYear;
use crate::figures::percent_bp;
use crate::i18n::{format_count, t, tf};
use crate::talent::casework::{FunnelStage, WorkOutcome};

/// The indicators a programme is judged by. The order is the home page's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// Residents with health qualifications from abroad the programme engaged.
    TalentEngaged,
    /// Of them, those on a registration pathway (a step passed or support given).
    TalentOnPathway,
    /// Of them, those into NHS jobs.
    TalentIntoNhs,
    /// Of them, those into jobs in the care sector.
    TalentIntoCare,
    /// Of them, those into any work (NHS, care or other).
    TalentIntoWork,
    /// What filling NHS posts through the programme saved against paying
    /// agency staff for them, low–high (the agency price cap and the
    /// premium observed), for the days each post was held in the period.
    AgencySavings,
    /// Community researchers accredited.
    ResearchersAccredited,
    /// Community researchers with approved (paid) hours.
    ResearchersPaid,
    /// Researchers' pay (approved hours at the rate in force each day) per
    /// researcher paid: what an outcome of the research strand cost.
    PayPerResearcher,
    /// Social enterprises with at least one support record in the period.
    EnterprisesSupported,
    /// Enterprises earning most of their income (trading and contracts).
    EnterprisesTradingLed,
    /// Hours of support given per enterprise supported: the support log
    /// records time, not money, so the cost is in hours.
    SupportPerEnterprise,
    /// Influenceable spend with suppliers in the area of benefit.
    LocalSpendShare,
    /// The local multiplier (LM3) as a low–high range.
    Lm3,
    /// The anchors' staff living in the area of benefit.
    LocalStaffShare,
    /// The anchors' new starters living in the area of benefit.
    LocalStarterShare,
    /// Distinct organisations with an interaction in force with an anchor
    /// (the seed's "0 → 30"), with each anchor's own count.
    OrganisationsWorkedWith,
    /// Of those, the organisations located in the area of benefit.
    LocalPartners,
    /// Communities whose CED plan has been adopted (adopted or in
    /// delivery), dated by the day of adoption.
    CommunitiesWithAdoptedPlan,
}

/// The strand an indicator belongs to: where its records are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strand {
    Talent,
    Research,
    Enterprise,
    Anchors,
    Community,
}

impl Strand {
    pub fn slug(self) -> &'static str {
        match self {
            Strand::Talent => "talent",
            Strand::Research => "research",
            Strand::Enterprise => "enterprise",
            Strand::Anchors => "anchors",
            Strand::Community => "community",
        }
    }

    pub fn label_key(self) -> String {
        format!("indicators.strand.{}", self.slug())
    }
}

impl Indicator {
    pub const ALL: [Indicator; 19] = [
        Indicator::TalentEngaged,
        Indicator::TalentOnPathway,
        Indicator::TalentIntoNhs,
        Indicator::TalentIntoCare,
        Indicator::TalentIntoWork,
        Indicator::AgencySavings,
        Indicator::ResearchersAccredited,
        Indicator::ResearchersPaid,
        Indicator::PayPerResearcher,
        Indicator::EnterprisesSupported,
        Indicator::EnterprisesTradingLed,
        Indicator::SupportPerEnterprise,
        Indicator::LocalSpendShare,
        Indicator::Lm3,
        Indicator::LocalStaffShare,
        Indicator::LocalStarterShare,
        Indicator::OrganisationsWorkedWith,
        Indicator::LocalPartners,
        Indicator::CommunitiesWithAdoptedPlan,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Indicator::TalentEngaged => "talent_engaged",
            Indicator::TalentOnPathway => "talent_on_pathway",
            Indicator::TalentIntoNhs => "talent_into_nhs",
            Indicator::TalentIntoCare => "talent_into_care",
            Indicator::TalentIntoWork => "talent_into_work",
            Indicator::AgencySavings => "agency_savings",
            Indicator::ResearchersAccredited => "researchers_accredited",
            Indicator::ResearchersPaid => "researchers_paid",
            Indicator::EnterprisesSupported => "enterprises_supported",
            Indicator::EnterprisesTradingLed => "enterprises_trading_led",
            Indicator::LocalSpendShare => "local_spend_share",
            Indicator::Lm3 => "lm3",
            Indicator::LocalStaffShare => "local_staff_share",
            Indicator::LocalStarterShare => "local_starter_share",
            Indicator::PayPerResearcher => "pay_per_researcher",
            Indicator::SupportPerEnterprise => "support_per_enterprise",
            Indicator::OrganisationsWorkedWith => "organisations_worked_with",
            Indicator::LocalPartners => "local_partners",
            Indicator::CommunitiesWithAdoptedPlan => "communities_with_adopted_plan",
        }
    }

    pub fn parse(s: &str) -> Option<Indicator> {
        let s = s.trim();
        Indicator::ALL.into_iter().find(|i| i.slug() == s)
    }

    /// The indicator's name, as a person reads it.
    pub fn label_key(self) -> String {
        format!("indicators.{}", self.slug())
    }

    /// What exactly it counts: the definition shown beside the figure.
    pub fn definition_key(self) -> String {
        format!("indicators.{}.definition", self.slug())
    }

    pub fn strand(self) -> Strand {
        match self {
            Indicator::TalentEngaged
            | Indicator::TalentOnPathway
            | Indicator::TalentIntoNhs
            | Indicator::TalentIntoCare
            | Indicator::TalentIntoWork
            | Indicator::AgencySavings => Strand::Talent,
            Indicator::ResearchersAccredited
            | Indicator::ResearchersPaid
            | Indicator::PayPerResearcher => Strand::Research,
            Indicator::EnterprisesSupported
            | Indicator::EnterprisesTradingLed
            | Indicator::SupportPerEnterprise => Strand::Enterprise,
            Indicator::LocalSpendShare
            | Indicator::Lm3
            | Indicator::LocalStaffShare
            | Indicator::LocalStarterShare
            | Indicator::OrganisationsWorkedWith
            | Indicator::LocalPartners => Strand::Anchors,
            Indicator::CommunitiesWithAdoptedPlan => Strand::Community,
        }
    }

    /// A count (of people or organisations), which a target can be set for.
    /// Shares, LM3 and costs per outcome are judged against the data, not a
    /// number typed in.
    pub fn is_count(self) -> bool {
        !matches!(
            self,
            Indicator::LocalSpendShare
                | Indicator::Lm3
                | Indicator::LocalStaffShare
                | Indicator::LocalStarterShare
                | Indicator::PayPerResearcher
                | Indicator::SupportPerEnterprise
                | Indicator::AgencySavings
        )
    }

    /// A count of people: published through disclosure control.
    pub fn counts_people(self) -> bool {
        matches!(self.strand(), Strand::Talent | Strand::Research)
    }
}

/// Declares [`Step`] and `Step::ALL` from one list, so every step is in
/// `ALL` (and every test over it) the moment it is declared.
macro_rules! steps {
    ($(#[$doc:meta])* [$($(#[$vdoc:meta])* $variant:ident),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Step { $($(#[$vdoc])* $variant),+ }
        impl Step {
            /// Every step, in the order declared.
            pub const ALL: &'static [Step] = &[$(Step::$variant),+];
        }
    };
}

steps!(
    /// A part of the programme not yet set up: what is missing and the page
    /// where it is done. `capability` is what a role needs to do it there.
    [
        AreaOfBenefit,
        Anchors,
        SpendFiles,
        SupplierRegister,
        AnchorLocalAuthority,
        Workforce,
        Targets,
        TalentPeople,
        Researchers,
        EnterpriseSupport,
        EnterpriseIncome,
        /// Import the spend files covering the period asked for (files are
        /// held, but none of their lines was paid in it).
        SpendInPeriod,
        /// Record the organisations the anchors work with.
        Interactions,
        /// Record the hours of support given.
        SupportHours,
        /// Approve researchers' hours so their pay is known.
        ResearchPay,
        /// Name the communities that will write CED plans.
        Communities,
    ]
);

impl Step {
    /// The steps of the "get started" list, in the order they are done.
    pub const GET_STARTED: [Step; 5] = [
        Step::AreaOfBenefit,
        Step::Anchors,
        Step::SpendFiles,
        Step::SupplierRegister,
        Step::Targets,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Step::AreaOfBenefit => "area_of_benefit",
            Step::Anchors => "anchors",
            Step::SpendFiles => "spend_files",
            Step::SpendInPeriod => "spend_in_period",
            Step::SupplierRegister => "supplier_register",
            Step::AnchorLocalAuthority => "anchor_local_authority",
            Step::Workforce => "workforce",
            Step::Targets => "targets",
            Step::TalentPeople => "talent_people",
            Step::Researchers => "researchers",
            Step::EnterpriseSupport => "enterprise_support",
            Step::EnterpriseIncome => "enterprise_income",
            Step::Interactions => "interactions",
            Step::SupportHours => "support_hours",
            Step::ResearchPay => "research_pay",
            Step::Communities => "communities",
        }
    }

    /// What to do, in a person's words.
    pub fn label_key(self) -> String {
        format!("indicators.step.{}", self.slug())
    }

    /// The capability of the page where the step is done.
    pub fn capability(self) -> Capability {
        match self {
            Step::AreaOfBenefit => Capability::EditAreaOfBenefit,
            Step::Anchors
            | Step::SpendFiles
            | Step::SpendInPeriod
            | Step::SupplierRegister
            | Step::AnchorLocalAuthority
            | Step::Workforce
            | Step::Interactions => Capability::ManageSpend,
            Step::Targets => Capability::ManageTargets,
            Step::TalentPeople => Capability::EditPeople,
            Step::Researchers | Step::ResearchPay => Capability::ManageResearch,
            Step::EnterpriseSupport | Step::EnterpriseIncome | Step::SupportHours => {
                Capability::EditEnterprises
            }
            Step::Communities => Capability::ManageCommunities,
        }
    }
}

/// How far the programme is set up: counted from the rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Setup {
    pub area_of_benefit: bool,
    pub anchors: u64,
    /// Anchors with a local authority (LM3 and "in its local authority" need one).
    pub anchors_with_local_authority: u64,
    pub spend_files: u64,
    /// Whether the organisation register holds any entry: only "none yet"
    /// matters here, and counting a national register's millions of rows
    /// on every home page would not be worth it.
    pub register_loaded: bool,
    pub workforce_files: u64,
    pub targets: u64,
}

impl Setup {
    /// The "get started" steps still to do, in order. `suppliers_placed`:
    /// some of the spend's suppliers have an address that places them.
    pub fn missing(&self, suppliers_placed: bool) -> Vec<Step> {
        Step::GET_STARTED
            .into_iter()
            .filter(|s| match s {
                Step::AreaOfBenefit => !self.area_of_benefit,
                Step::Anchors => self.anchors == 0,
                Step::SpendFiles => self.spend_files == 0,
                Step::SupplierRegister => !self.register_loaded || !suppliers_placed,
                Step::Targets => self.targets == 0,
                _ => false,
            })
            .collect()
    }
}

/// A period, both days included. `None` on either side is open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Period {
    pub fn contains(&self, d: Date) -> bool {
        self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t)
    }

    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

/// One resident of the talent strand, as the indicators see them: no name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TalentFact {
    /// The day their consent was given, or their record made.
    pub engaged_on: Date,
    pub stage: FunnelStage,
    pub work: WorkOutcome,
    /// The day they started work, when recorded.
    pub work_on: Option<Date>,
}

/// One community researcher, as the indicators see them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResearcherFact {
    pub accredited_on: Option<Date>,
    /// The first day of approved (paid) hours.
    pub first_paid_on: Option<Date>,
}

/// The enterprise strand's records: support given and income by year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnterpriseFacts {
    /// Enterprises with a profile.
    pub profiles: u64,
    /// (organisation, day support was given).
    pub support: Vec<(uuid::Uuid, Date)>,
    /// (day support was given, its hours in tenths), for the support given
    /// per enterprise supported.
    pub support_hours: Vec<(Date, u32)>,
    /// Each enterprise's income years.
    pub income: BTreeMap<uuid::Uuid, Vec<IncomeYear>>,
}

/// A count dated by the day each counted thing happened.
fn dated_counts(dates: impl Iterator<Item = Date>, period: Period) -> (u64, BTreeMap<i32, u64>) {
    let mut total = 0;
    let mut by_year = BTreeMap::new();
    for d in dates.filter(|d| period.contains(*d)) {
        total += 1;
        *by_year.entry(d.year()).or_insert(0) += 1;
    }
    (total, by_year)
}

/// A figure before it is published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Raw {
    /// A count with the number reached by the end of each year (cumulative,
    /// from the period's start), or no trend when the count is not dated.
    Count {
        total: u64,
        by_year: Option<BTreeMap<i32, u64>>,
    },
    /// A count of enterprises per year, not cumulative (trading-led).
    CountPerYear {
        total: u64,
        by_year: BTreeMap<i32, u64>,
        coverage: Coverage,
    },
    /// A share in basis points, low–high, with each year's.
    Share {
        low_bp: i64,
        high_bp: i64,
        by_year: BTreeMap<i32, (i64, i64)>,
        coverage: Coverage,
    },
    /// LM3 in hundredths, low–high, and where its wages came from.
    Multiplier {
        low: i64,
        high: i64,
        coverage: Coverage,
        wages: WageSource,
    },
    NotKnown {
        fix: Step,
    },
    /// Judged, but too few people on one side to show to this viewer.
    Withheld,
    /// Organisations in force on the period's last day, with the number
    /// in force at each year's end (not cumulative: ended ones drop out)
    /// and each anchor's own count.
    CountInForce {
        total: u64,
        by_year: BTreeMap<i32, u64>,
        by_anchor: Vec<AnchorCount>,
        coverage: Option<Coverage>,
    },
    /// Money saved, low–high, over `posts` posts (people: through
    /// disclosure control), with the posts that could not be costed.
    Saved {
        low_pence: i64,
        high_pence: i64,
        posts: u64,
        not_costed: u64,
    },
    /// What was spent (money or time) divided by the outcomes it bought.
    PerOutcome {
        cost: Cost,
        outcomes: u64,
        /// The outcomes are people: through disclosure control.
        people: bool,
    },
}

/// One anchor's count of the organisations it works with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnchorCount {
    pub anchor: String,
    pub count: u64,
}

/// A cost as recorded: money, or time where only time is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cost {
    Pence(i64),
    TenthsOfHours(u64),
}

impl Cost {
    /// This cost shared over `n` outcomes, rounded half up.
    fn per(self, n: u64) -> Cost {
        let n = n.max(1);
        match self {
            Cost::Pence(p) => Cost::Pence((2 * p + n as i64).div_euclid(2 * n as i64)),
            Cost::TenthsOfHours(t) => Cost::TenthsOfHours((2 * t + n) / (2 * n)),
        }
    }

    /// "£1,234.56" or "6.5 hours".
    pub fn text(self) -> String {
        match self {
            Cost::Pence(p) => crate::money::format_pence(p),
            Cost::TenthsOfHours(t) => tf(
                "wages.cost.hours",
                &[(
                    "hours",
                    &crate::enterprise::support::hours_text(t.min(u32::MAX as u64) as u32),
                )],
            ),
        }
    }
}

/// How much of what a figure is about it could judge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "coverage", rename_all = "snake_case")]
pub enum Coverage {
    /// Basis points of the influenceable spend whose supplier is placed.
    SpendPlaced { bp: i64 },
    /// Basis points of staff whose home area is known.
    StaffPlaced { bp: i64 },
    /// Enterprises with income recorded, of those with a profile.
    IncomeKnown { known: u64, of: u64 },
    /// Organisations whose place is known, of those counted.
    OrganisationsPlaced { known: u64, of: u64 },
}

/// The talent indicators over a period.
pub fn talent(indicator: Indicator, facts: &[TalentFact], period: Period) -> Raw {
    if facts.is_empty() {
        return Raw::NotKnown {
            fix: Step::TalentPeople,
        };
    }
    let engaged = facts.iter().filter(|f| period.contains(f.engaged_on));
    match indicator {
        Indicator::TalentEngaged => {
            let (total, by_year) = dated_counts(facts.iter().map(|f| f.engaged_on), period);
            Raw::Count {
                total,
                by_year: Some(cumulative(&by_year)),
            }
        }
        // The stage has no date of its own: counted among those engaged in
        // the period, with no trend rather than a made-up one.
        Indicator::TalentOnPathway => Raw::Count {
            total: engaged
                .filter(|f| f.stage != FunnelStage::Engaged || f.work != WorkOutcome::NoneYet)
                .count() as u64,
            by_year: None,
        },
        Indicator::TalentIntoNhs | Indicator::TalentIntoCare | Indicator::TalentIntoWork => {
            let into: Vec<&TalentFact> = facts
                .iter()
                .filter(|f| match indicator {
                    Indicator::TalentIntoNhs => f.work == WorkOutcome::Nhs,
                    Indicator::TalentIntoCare => f.work == WorkOutcome::CareSector,
                    _ => f.work != WorkOutcome::NoneYet,
                })
                .collect();
            // Dated by the start in work where recorded; without a date, by
            // the day they were engaged (so nobody in work is left out).
            let (total, by_year) = dated_counts(
                into.iter().map(|f| f.work_on.unwrap_or(f.engaged_on)),
                period,
            );
            Raw::Count {
                total,
                by_year: Some(cumulative(&by_year)),
            }
        }
        _ => unreachable!("talent indicators only"),
    }
}

/// The savings against agency staff over a period: each post filled
/// through the programme (an NHS start on Agenda for Change pay) for the
/// days it was held inside the period (up to `today`), priced at the
/// agency price cap (low) and the premium observed (high) less on-costs,
/// as the talent strand's results price them. No talent records: not
/// known. Records but no post filled: £0, which is what was saved.
pub fn agency_savings(
    facts: &[TalentFact],
    posts: &[crate::talent::results::FilledPost],
    settings: &crate::talent::results::SavingsSettings,
    period: Period,
    today: Date,
) -> Raw {
    if facts.is_empty() {
        return Raw::NotKnown {
            fix: Step::TalentPeople,
        };
    }
    let end = period.to.map_or(today, |t| t.min(today));
    // The posts held on some day of the period.
    let held: Vec<crate::talent::results::FilledPost> = posts
        .iter()
        .filter(|p| {
            p.started_on <= end && p.left_on.is_none_or(|l| period.from.is_none_or(|f| l >= f))
        })
        .cloned()
        .collect();
    let s = crate::talent::results::savings_between(&held, settings, period.from, end);
    Raw::Saved {
        low_pence: s.to_date_conservative_pence,
        high_pence: s.to_date_central_pence,
        posts: s.bands.iter().map(|b| b.posts).sum(),
        not_costed: s.posts_not_costed,
    }
}

/// The research indicators over a period.
pub fn research(indicator: Indicator, facts: &[ResearcherFact], period: Period) -> Raw {
    if facts.is_empty() {
        return Raw::NotKnown {
            fix: Step::Researchers,
        };
    }
    let dates: Vec<Date> = facts
        .iter()
        .filter_map(|f| match indicator {
            Indicator::ResearchersAccredited => f.accredited_on,
            _ => f.first_paid_on,
        })
        .collect();
    let (total, by_year) = dated_counts(dates.into_iter(), period);
    Raw::Count {
        total,
        by_year: Some(cumulative(&by_year)),
    }
}

/// Communities with an adopted CED plan: `adopted_on` holds the day each
/// plan adopted or in delivery was adopted; `communities` how many the
/// programme has. Not known until there is a community to plan for.
pub fn communities(adopted_on: &[Date], communities: u64, period: Period) -> Raw {
    if communities == 0 {
        return Raw::NotKnown {
            fix: Step::Communities,
        };
    }
    let (total, by_year) = dated_counts(adopted_on.iter().copied(), period);
    Raw::Count {
        total,
        by_year: Some(cumulative(&by_year)),
    }
}

/// The enterprise indicators over a period. Supported: at least one support
/// record in the period (the enterprise context's one definition). Trading-
/// led: in its latest income year that starts in the period, the enterprise
/// earned most of its income (`IncomeYear::mostly_earned`).
pub fn enterprise(indicator: Indicator, facts: &EnterpriseFacts, period: Period) -> Raw {
    match indicator {
        Indicator::EnterprisesSupported => {
            if facts.support.is_empty() {
                return Raw::NotKnown {
                    fix: Step::EnterpriseSupport,
                };
            }
            // Each enterprise counts once, in the year of its first support
            // in the period.
            let mut first: BTreeMap<uuid::Uuid, Date> = BTreeMap::new();
            for (org, d) in facts.support.iter().filter(|(_, d)| period.contains(*d)) {
                let e = first.entry(*org).or_insert(*d);
                if d < e {
                    *e = *d;
                }
            }
            let (total, by_year) = dated_counts(first.values().copied(), period);
            Raw::Count {
                total,
                by_year: Some(cumulative(&by_year)),
            }
        }
        Indicator::EnterprisesTradingLed => {
            let mut known = 0;
            let mut by_year: BTreeMap<i32, u64> = BTreeMap::new();
            for years in facts.income.values() {
                let judged = judged_years(years, period);
                for y in &judged {
                    if y.mostly_earned() == Some(true) {
                        *by_year.entry(y.year).or_insert(0) += 1;
                    }
                }
                if !judged.is_empty() {
                    known += 1;
                }
            }
            // The same set the directory lists for this figure.
            let total = trading_led_in(&facts.income, period).len() as u64;
            if known == 0 {
                return Raw::NotKnown {
                    fix: Step::EnterpriseIncome,
                };
            }
            Raw::CountPerYear {
                total,
                by_year,
                coverage: Coverage::IncomeKnown {
                    known,
                    of: facts.profiles.max(known),
                },
            }
        }
        _ => unreachable!("enterprise indicators only"),
    }
}

/// An enterprise's income years that start in `period` (every year for an
/// open one) and can be judged, oldest first.
fn judged_years(years: &[IncomeYear], period: Period) -> Vec<&IncomeYear> {
    let in_period = |y: i32| {
        Date::from_calendar_date(y, time::Month::April, 1).is_ok_and(|d| period.contains(d))
            || period.is_open()
    };
    let mut judged: Vec<&IncomeYear> = years
        .iter()
        .filter(|y| in_period(y.year) && y.mostly_earned().is_some())
        .collect();
    judged.sort_by_key(|y| y.year);
    judged
}

/// The enterprises the trading-led figure counts over `period`: in their
/// latest judged income year starting in it, most of their income was
/// earned. The figure is this set's size, and its link lists this set.
pub fn trading_led_in(
    income: &BTreeMap<uuid::Uuid, Vec<IncomeYear>>,
    period: Period,
) -> BTreeSet<uuid::Uuid> {
    income
        .iter()
        .filter(|(_, years)| {
            judged_years(years, period)
                .last()
                .is_some_and(|y| y.mostly_earned() == Some(true))
        })
        .map(|(id, _)| *id)
        .collect()
}

/// The day the organisation figures count on: the period's last day, or
/// today when it ends later or is open.
pub fn organisations_day(period: Period, today: Date) -> Date {
    period.to.map_or(today, |t| t.min(today))
}

/// The organisations an organisation figure counts (`OrganisationsWorkedWith`
/// or `LocalPartners`): those with an interaction in force on
/// [`organisations_day`], and for local partners only those in `local` (none
/// without an area of benefit). The figure is this set's size.
pub fn organisations_in(
    indicator: Indicator,
    items: &[crate::anchors::interactions::Interaction],
    local: Option<&BTreeSet<uuid::Uuid>>,
    period: Period,
    today: Date,
) -> BTreeSet<uuid::Uuid> {
    organisations_on(indicator, items, local, organisations_day(period, today))
}

fn organisations_on(
    indicator: Indicator,
    items: &[crate::anchors::interactions::Interaction],
    local: Option<&BTreeSet<uuid::Uuid>>,
    day: Date,
) -> BTreeSet<uuid::Uuid> {
    let local_only = indicator == Indicator::LocalPartners;
    items
        .iter()
        .filter(|i| !local_only || local.is_some_and(|l| l.contains(&i.organisation_id)))
        .filter(|i| i.in_force_on(day))
        .map(|i| i.organisation_id)
        .collect()
}

/// Whether a community's plan counts among the adopted ones over `period`:
/// adopted or in delivery, with its day of adoption in the period (as
/// `plans_adopted` reads them for the figure).
pub fn plan_counted(
    status: Option<crate::community::plan::PlanStatus>,
    adopted_on: Option<Date>,
    period: Period,
) -> bool {
    use crate::community::plan::PlanStatus;
    matches!(status, Some(PlanStatus::Adopted | PlanStatus::InDelivery))
        && adopted_on.is_some_and(|d| period.contains(d))
}

/// The query of a list that has no other filters but can be narrowed to
/// what a home page figure counts (`?counted=…&from=…&to=…`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CountedQuery {
    /// Only what a home page figure counts, by the figure's short name.
    pub counted: String,
    /// With `counted`: the first day of the figure's period (YYYY-MM-DD).
    pub from: String,
    /// With `counted`: the last day of the figure's period (YYYY-MM-DD).
    pub to: String,
}

impl CountedQuery {
    /// The figure asked for, if it is one of `allowed`.
    pub fn filter(&self, allowed: &[Indicator]) -> Option<CountedFilter> {
        CountedFilter::parse(&self.counted, &self.from, &self.to, allowed)
    }
}

/// A list filtered to exactly what a count on the home page counts: the
/// indicator and its period, as a link carries them
/// (`?counted=enterprises_supported&from=2025-04-01&to=2026-03-31`). Each
/// list reads only the indicators it can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountedFilter {
    pub indicator: Indicator,
    pub period: Period,
}

impl CountedFilter {
    /// `counted` names one of `allowed`; a day that cannot be read is open,
    /// as the talent list reads it.
    pub fn parse(counted: &str, from: &str, to: &str, allowed: &[Indicator]) -> Option<Self> {
        let indicator = Indicator::parse(counted).filter(|i| allowed.contains(i))?;
        Some(CountedFilter {
            indicator,
            period: Period {
                from: crate::validation::parse_date(from),
                to: crate::validation::parse_date(to),
            },
        })
    }

    /// The query string that asks for it, with its leading `?`.
    pub fn query(&self) -> String {
        let day = |d: Option<Date>| d.map(crate::clock::iso_date).unwrap_or_default();
        let mut q = format!("?counted={}", self.indicator.slug());
        for (k, d) in [("from", self.period.from), ("to", self.period.to)] {
            if d.is_some() {
                q.push_str(&format!("&{k}={}", day(d)));
            }
        }
        q
    }

    /// What a list filtered this way says above its rows.
    pub fn note(&self) -> String {
        use crate::clock::display_date;
        let indicator = t(&self.indicator.label_key()).to_string();
        if matches!(
            self.indicator,
            Indicator::OrganisationsWorkedWith | Indicator::LocalPartners
        ) {
            let day = organisations_day(self.period, crate::clock::today());
            return tf(
                "indicators.counted_on",
                &[("indicator", &indicator), ("day", &display_date(day))],
            );
        }
        match (self.period.from, self.period.to) {
            (None, None) => tf("indicators.counted", &[("indicator", &indicator)]),
            (from, to) => tf(
                "indicators.counted_between",
                &[
                    ("indicator", &indicator),
                    (
                        "from",
                        &from
                            .map(display_date)
                            .unwrap_or_else(|| t("indicators.counted_start").into()),
                    ),
                    (
                        "to",
                        &to.map(display_date)
                            .unwrap_or_else(|| t("indicators.counted_today").into()),
                    ),
                ],
            ),
        }
    }
}

/// The spend figures the anchors' indicators need, summed by the spend
/// measures (influenceable spend, local to the area of benefit as a band,
/// local to the anchors' local authorities for LM3, and what of the
/// influenceable spend has a placed supplier).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpendFacts {
    pub lines: u64,
    pub influenceable: i64,
    /// Influenceable spend whose supplier could be judged in the area of
    /// benefit (the local share's coverage, as the dashboard says it).
    pub placed: i64,
    /// The same judged against the anchors' local authorities (LM3's).
    pub placed_local_authority: i64,
    pub local_low: i64,
    pub local_high: i64,
    /// Per calendar year: influenceable, local low, local high.
    pub by_year: BTreeMap<i32, (i64, i64, i64)>,
    /// LM3 in hundredths, low–high.
    pub lm3: (i64, i64),
    /// Where LM3's wages came from.
    pub lm3_wages: WageSource,
}

impl Default for SpendFacts {
    fn default() -> Self {
        SpendFacts {
            lines: 0,
            influenceable: 0,
            placed: 0,
            placed_local_authority: 0,
            local_low: 0,
            local_high: 0,
            by_year: BTreeMap::new(),
            lm3: (0, 0),
            lm3_wages: WageSource::NotKnown,
        }
    }
}

/// The spend facts of a placed ledger: its measures over every line (the
/// same `measure` the spend dashboard shows, so the figures agree), each
/// calendar year's from the measures' months, LM3 as the dashboard works it
/// out, and the influenceable spend whose supplier has a place at all.
pub fn spend_facts(ledger: &crate::anchors::placed::PlacedLedger) -> SpendFacts {
    spend_facts_in(ledger, Period::default())
}

/// The spend facts of the lines paid in `period` (both days included; an
/// open side is open), as the spend dashboard's measures and LM3 give them
/// for the same dates: the funder report's spend figures follow its period.
pub fn spend_facts_in(ledger: &crate::anchors::placed::PlacedLedger, period: Period) -> SpendFacts {
    use crate::anchors::measures::{Geography, LinePredicate};
    let scope = LinePredicate {
        from: period.from,
        to: period.to,
        ..LinePredicate::default()
    };
    let m = ledger.measures(&scope);
    let lm3 = ledger.lm3(&scope, &m);
    // "Suppliers placed" is the money the local share could judge, the
    // dashboard's own figure: a supplier with a postcode the loaded data
    // does not know (or outside every loaded area) is not placed.
    let placed = m
        .judged
        .get(&Geography::AreaOfBenefit)
        .copied()
        .unwrap_or_default();
    let placed_local_authority = m
        .judged
        .get(&Geography::LocalAuthority)
        .copied()
        .unwrap_or_default();
    let mut by_year: BTreeMap<i32, (i64, i64, i64)> = BTreeMap::new();
    for month in &m.months {
        let Some(year) = month.month.get(..4).and_then(|y| y.parse::<i32>().ok()) else {
            continue;
        };
        let e = by_year.entry(year).or_default();
        e.0 += month.influenceable;
        e.1 += month.local.low;
        e.2 += month.local.high;
    }
    let local = m
        .local
        .get(&Geography::AreaOfBenefit)
        .copied()
        .unwrap_or_default();
    SpendFacts {
        lines: m.lines,
        influenceable: m.influenceable,
        placed,
        placed_local_authority,
        local_low: local.low,
        local_high: local.high,
        by_year,
        lm3: (lm3.low_hundredths, lm3.high_hundredths),
        lm3_wages: lm3.wages.source,
    }
}

fn bp(part: i64, whole: i64) -> i64 {
    crate::anchors::measures::share_bp(part, whole)
}

/// The money a spend indicator could judge: the local share in the area
/// of benefit, LM3 against the anchors' local authorities.
fn placed(indicator: Indicator, s: &SpendFacts) -> i64 {
    if indicator == Indicator::Lm3 {
        s.placed_local_authority
    } else {
        s.placed
    }
}

/// Local share of influenceable spend and LM3, over the lines of `period`
/// (`s` was summed over it). Spend files held but none of their lines paid
/// in a closed period: not known, with the step of importing the period's
/// files, never 0.
pub fn spend(indicator: Indicator, s: &SpendFacts, setup: &Setup, period: Period) -> Raw {
    let fix = if setup.anchors == 0 {
        Some(Step::Anchors)
    } else if setup.spend_files > 0 && !period.is_open() && s.lines == 0 {
        Some(Step::SpendInPeriod)
    } else if s.lines == 0 || s.influenceable <= 0 {
        Some(Step::SpendFiles)
    } else if indicator == Indicator::LocalSpendShare && !setup.area_of_benefit {
        Some(Step::AreaOfBenefit)
    } else if indicator == Indicator::Lm3 && setup.anchors_with_local_authority == 0 {
        Some(Step::AnchorLocalAuthority)
    } else if placed(indicator, s) == 0 {
        Some(Step::SupplierRegister)
    } else {
        None
    };
    if let Some(fix) = fix {
        return Raw::NotKnown { fix };
    }
    let coverage = Coverage::SpendPlaced {
        bp: bp(placed(indicator, s), s.influenceable),
    };
    match indicator {
        Indicator::LocalSpendShare => Raw::Share {
            low_bp: bp(s.local_low, s.influenceable),
            high_bp: bp(s.local_high, s.influenceable),
            by_year: s
                .by_year
                .iter()
                .filter(|(_, (inf, _, _))| *inf > 0)
                .map(|(y, (inf, lo, hi))| (*y, (bp(*lo, *inf), bp(*hi, *inf))))
                .collect(),
            coverage,
        },
        Indicator::Lm3 => Raw::Multiplier {
            low: s.lm3.0,
            high: s.lm3.1,
            coverage,
            wages: s.lm3_wages.clone(),
        },
        _ => unreachable!("spend indicators only"),
    }
}

/// One year of the anchors' workforce, summed over the anchors that sent it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StaffYear {
    pub staff: u64,
    pub home_known: u64,
    pub local: u64,
    /// Starters of the anchors whose files say who started (a counts file
    /// may not): the share of new starters is over those anchors only.
    pub starters: u64,
    pub local_starters: u64,
    /// Some anchor's file for the year says who started.
    pub starters_known: bool,
}

/// Local share of staff and of new starters, by the financial year the
/// workforce files are for (the latest year is the headline). A share is
/// published only where both of its counts could be shown to this viewer.
pub fn staff(
    indicator: Indicator,
    years: &BTreeMap<i32, StaffYear>,
    setup: &Setup,
    viewer: &Viewer,
) -> Raw {
    if setup.workforce_files == 0 || years.is_empty() {
        return Raw::NotKnown {
            fix: Step::Workforce,
        };
    }
    if !setup.area_of_benefit {
        return Raw::NotKnown {
            fix: Step::AreaOfBenefit,
        };
    }
    let starters = indicator == Indicator::LocalStarterShare;
    let share = |y: &StaffYear| -> Option<i64> {
        if starters && !y.starters_known {
            return None;
        }
        let (inside, all) = if starters {
            (y.local_starters, y.starters)
        } else {
            (y.local, y.staff)
        };
        let shown = !viewer.count(inside).is_hidden() && !viewer.count(all - inside).is_hidden();
        (all > 0 && shown).then(|| bp(inside as i64, all as i64))
    };
    let by_year: BTreeMap<i32, (i64, i64)> = years
        .iter()
        .filter_map(|(y, s)| share(s).map(|b| (*y, (b, b))))
        .collect();
    let (last_year, last) = years.iter().next_back().expect("not empty");
    match by_year.get(last_year) {
        Some(&(b, _)) => Raw::Share {
            low_bp: b,
            high_bp: b,
            by_year,
            coverage: Coverage::StaffPlaced {
                bp: bp(last.home_known as i64, last.staff.max(1) as i64),
            },
        },
        None if last.staff > 0 && (!starters || last.starters_known) => Raw::Withheld,
        None => Raw::NotKnown {
            fix: Step::Workforce,
        },
    }
}

/// The organisations the anchors work with (an interaction in force on the
/// period's last day, or today), or of them the local partners: those
/// whose place is in the area of benefit (`local`, `None` when there is no
/// area of benefit). `placed` are the organisations whose place is known.
/// The trend is the number in force at each year's end since the first
/// interaction began — the seed's "0 → 30" — and each anchor's own count
/// is beside it, since one organisation may work with several anchors.
pub fn organisations(
    indicator: Indicator,
    items: &[crate::anchors::interactions::Interaction],
    local: Option<&BTreeSet<uuid::Uuid>>,
    placed: &BTreeSet<uuid::Uuid>,
    period: Period,
    today: Date,
) -> Raw {
    if items.is_empty() {
        return Raw::NotKnown {
            fix: Step::Interactions,
        };
    }
    let local_only = indicator == Indicator::LocalPartners;
    if local_only && local.is_none() {
        return Raw::NotKnown {
            fix: Step::AreaOfBenefit,
        };
    }
    let counted = |i: &&crate::anchors::interactions::Interaction| {
        !local_only || local.is_some_and(|l| l.contains(&i.organisation_id))
    };
    let day = organisations_day(period, today);
    let on = |d: Date| organisations_on(indicator, items, local, d);
    // The set the figure's link lists.
    let now = organisations_in(indicator, items, local, period, today);
    let first = items
        .iter()
        .map(|i| i.started_on.year())
        .min()
        .unwrap_or(day.year());
    let from_year = period.from.map_or(first, |f| f.year().max(first));
    let by_year = (from_year..=day.year())
        .map(|y| {
            let end = Date::from_calendar_date(y, time::Month::December, 31)
                .expect("31 December exists")
                .min(day);
            (y, on(end).len() as u64)
        })
        .collect();
    let mut anchors: BTreeMap<&str, BTreeSet<uuid::Uuid>> = BTreeMap::new();
    for i in items.iter().filter(counted).filter(|i| i.in_force_on(day)) {
        anchors
            .entry(i.anchor_name.as_str())
            .or_default()
            .insert(i.organisation_id);
    }
    Raw::CountInForce {
        total: now.len() as u64,
        by_year,
        by_anchor: anchors
            .into_iter()
            .map(|(a, o)| AnchorCount {
                anchor: a.to_string(),
                count: o.len() as u64,
            })
            .collect(),
        // Of every organisation in force, how many could be placed at all:
        // one without a known address is not counted as local, nor judged.
        coverage: local_only.then(|| {
            let all: BTreeSet<uuid::Uuid> = items
                .iter()
                .filter(|i| i.in_force_on(day))
                .map(|i| i.organisation_id)
                .collect();
            Coverage::OrganisationsPlaced {
                known: all.iter().filter(|o| placed.contains(o)).count() as u64,
                of: all.len() as u64,
            }
        }),
    }
}

/// Hours of support given in the period per enterprise supported in it
/// (the support log records time, not money). Not known without support
/// records, or when none records its hours.
pub fn support_per_enterprise(facts: &EnterpriseFacts, period: Period) -> Raw {
    if facts.support.is_empty() {
        return Raw::NotKnown {
            fix: Step::EnterpriseSupport,
        };
    }
    let tenths: u64 = facts
        .support_hours
        .iter()
        .filter(|(d, _)| period.contains(*d))
        .map(|(_, t)| u64::from(*t))
        .sum();
    let supported = supported_in(facts, period).len() as u64;
    if tenths == 0 || supported == 0 {
        return Raw::NotKnown {
            fix: Step::SupportHours,
        };
    }
    Raw::PerOutcome {
        cost: Cost::TenthsOfHours(tenths),
        outcomes: supported,
        people: false,
    }
}

/// One approved entry of a researcher's paid time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaidTime {
    pub researcher: uuid::Uuid,
    pub worked: crate::research::pay::Worked,
}

/// Researchers' pay in the period — their approved hours at the rate in
/// force on each day, as the payment run prices them — per researcher
/// with approved hours in it. Entries no rate covers are left out of
/// both sides rather than priced at a guess.
pub fn pay_per_researcher(
    time: &[PaidTime],
    table: &crate::research::pay::RateTable,
    rule: crate::research::pay::PayRule,
    period: Period,
) -> Raw {
    let mut pence = 0;
    let mut paid = BTreeSet::new();
    for t in time.iter().filter(|t| period.contains(t.worked.on)) {
        if let Ok(p) = crate::research::pay::pay(table, rule, &[t.worked]) {
            pence += p.pence;
            paid.insert(t.researcher);
        }
    }
    if paid.is_empty() {
        return Raw::NotKnown {
            fix: Step::ResearchPay,
        };
    }
    Raw::PerOutcome {
        cost: Cost::Pence(pence),
        outcomes: paid.len() as u64,
        people: true,
    }
}

/// Each year's count turned into the number reached by the end of that year.
fn cumulative(by_year: &BTreeMap<i32, u64>) -> BTreeMap<i32, u64> {
    let mut running = 0;
    by_year
        .iter()
        .map(|(y, n)| {
            running += n;
            (*y, running)
        })
        .collect()
}

/// A published figure: what a reader of this role may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Figure {
    /// A count (of people, through disclosure control; of organisations, shown).
    Count { value: Cell },
    /// Basis points, low–high (equal when the figure is exact).
    Share {
        low_bp: i64,
        high_bp: i64,
        coverage: Coverage,
    },
    /// Hundredths, low–high, with where LM3's wages came from (a
    /// workforce file, the typed figure, or not known).
    Multiplier {
        low_hundredths: i64,
        high_hundredths: i64,
        coverage: Coverage,
        wages: WageSource,
    },
    /// A cost per outcome, with the cost in all and the outcomes it is shared over.
    PerOutcome {
        per_outcome: Cost,
        cost: Cost,
        outcomes: Cell,
    },
    /// Money saved, low–high, over the posts counted (a count of people),
    /// with the posts that could not be costed.
    Saved {
        low_pence: i64,
        high_pence: i64,
        posts: Cell,
        not_costed: u64,
    },
    /// Cannot be judged from the data held; `fix` is the step that would let it be.
    NotKnown { fix: Step },
    /// Judged, but not shown to this role: too few people on one side.
    Withheld,
}

/// One point of a trend: a year and the figure then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    pub year: i32,
    pub figure: Figure,
}

/// A target for a count: reach `value` within the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    pub indicator: Indicator,
    pub value: u64,
    pub period: Period,
}

/// One indicator as published: the figure, its trend, and its target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Published {
    pub indicator: Indicator,
    pub figure: Figure,
    /// Oldest first; a count's points are the number reached by each year's end.
    pub trend: Vec<TrendPoint>,
    /// Whether the trend is cumulative (reached by the end of each year).
    pub cumulative: bool,
    pub target: Option<Target>,
    /// The count as a share of the target, in basis points, when both are shown.
    pub of_target_bp: Option<i64>,
    /// Each anchor's own count, for the organisations the anchors work with.
    pub by_anchor: Vec<AnchorCount>,
    /// How much of what a count is about could be judged (the local
    /// partners: organisations whose place is known).
    pub coverage: Option<Coverage>,
}

/// Publishes a raw figure for a viewer. A count of people and its trend are
/// one nested series (each year's total includes the year before), so they
/// go through `Viewer::chain`: no year's new people can be worked out by
/// subtraction when it is under the threshold.
pub fn publish(
    indicator: Indicator,
    raw: Raw,
    target: Option<Target>,
    viewer: &Viewer,
) -> Published {
    let people = indicator.counts_people();
    let shown = |n: u64| {
        if people {
            viewer.count(n)
        } else {
            Cell::Shown(n)
        }
    };
    let mut by_anchor = Vec::new();
    let mut count_coverage = None;
    let (figure, trend, cumulative) = match raw {
        Raw::CountInForce {
            total,
            by_year,
            by_anchor: anchors,
            coverage,
        } => {
            by_anchor = anchors;
            count_coverage = coverage;
            shown_counts(total, &by_year)
        }
        // The cost of fewer than k people is theirs: withheld with them.
        Raw::PerOutcome {
            cost,
            outcomes,
            people,
        } => {
            let n = if people {
                viewer.count(outcomes)
            } else {
                Cell::Shown(outcomes)
            };
            let figure = if n.is_hidden() {
                Figure::Withheld
            } else {
                Figure::PerOutcome {
                    per_outcome: cost.per(outcomes),
                    cost,
                    outcomes: n,
                }
            };
            (figure, Vec::new(), false)
        }
        Raw::Count { total, by_year } => {
            let mut trend = Vec::new();
            let mut figure = Figure::Count {
                value: shown(total),
            };
            if let Some(by_year) = by_year.filter(|b| !b.is_empty()) {
                // The chain runs from the largest (the last year's total,
                // which is the figure) down to the first year's.
                let stages: Vec<u64> = by_year.values().rev().copied().collect();
                let cells: Vec<Cell> = if people {
                    viewer.chain(&stages).unwrap_or_else(|_| {
                        // Never for a cumulative count; hide all rather than guess.
                        let below = viewer.k();
                        stages.iter().map(|_| Cell::Withheld { below }).collect()
                    })
                } else {
                    stages.iter().map(|n| Cell::Shown(*n)).collect()
                };
                figure = Figure::Count { value: cells[0] };
                trend = by_year
                    .keys()
                    .rev()
                    .zip(cells.iter())
                    .map(|(y, c)| TrendPoint {
                        year: *y,
                        figure: Figure::Count { value: *c },
                    })
                    .collect();
                trend.reverse();
            }
            (figure, trend, true)
        }
        // How many enterprises have income recorded goes with the count.
        Raw::CountPerYear {
            total,
            by_year,
            coverage,
        } => {
            count_coverage = Some(coverage);
            shown_counts(total, &by_year)
        }
        Raw::Share {
            low_bp,
            high_bp,
            by_year,
            coverage,
        } => (
            Figure::Share {
                low_bp,
                high_bp,
                coverage,
            },
            by_year
                .iter()
                .map(|(y, (lo, hi))| TrendPoint {
                    year: *y,
                    figure: Figure::Share {
                        low_bp: *lo,
                        high_bp: *hi,
                        coverage,
                    },
                })
                .collect(),
            false,
        ),
        Raw::Multiplier {
            low,
            high,
            coverage,
            wages,
        } => (
            Figure::Multiplier {
                low_hundredths: low,
                high_hundredths: high,
                coverage,
                wages,
            },
            Vec::new(),
            false,
        ),
        // The money of fewer than k people's posts is theirs: withheld with them.
        Raw::Saved {
            low_pence,
            high_pence,
            posts,
            not_costed,
        } => {
            let n = viewer.count(posts);
            let figure = if n.is_hidden() {
                Figure::Withheld
            } else {
                Figure::Saved {
                    low_pence,
                    high_pence,
                    posts: n,
                    not_costed,
                }
            };
            (figure, Vec::new(), false)
        }
        Raw::NotKnown { fix } => (Figure::NotKnown { fix }, Vec::new(), false),
        Raw::Withheld => (Figure::Withheld, Vec::new(), false),
    };
    let of_target_bp = match (&figure, target) {
        (Figure::Count { value }, Some(t)) if t.value > 0 => {
            value.value().map(|n| bp(n as i64, t.value as i64))
        }
        _ => None,
    };
    Published {
        indicator,
        figure,
        trend,
        cumulative,
        target,
        of_target_bp,
        by_anchor,
        coverage: count_coverage,
    }
}

/// An indicator's coverage in words: the figure's own, or, for a count
/// that carries one (the local partners), the count's.
pub fn published_coverage_text(p: &Published) -> String {
    match (&p.figure, &p.coverage) {
        (Figure::Count { .. }, Some(c)) => coverage_words(c),
        _ => coverage_text(&p.figure),
    }
}

/// The organisations an enterprise count names, for tests and links.
pub fn supported_in(facts: &EnterpriseFacts, period: Period) -> BTreeSet<uuid::Uuid> {
    facts
        .support
        .iter()
        .filter(|(_, d)| period.contains(*d))
        .map(|(o, _)| *o)
        .collect()
}

// How the figures read, the same on a page, in the API's `text` and in the CLI.

fn range(low: String, high: String) -> String {
    if low == high {
        low
    } else {
        tf("indicators.range", &[("low", &low), ("high", &high)])
    }
}

/// `1.26`, `1,26` in French: the one way figures write hundredths.
fn hundredths(n: i64) -> String {
    crate::figures::hundredths(n)
}

/// A figure in words.
pub fn figure_text(f: &Figure) -> String {
    match f {
        Figure::Count { value } => value.text(),
        Figure::Share {
            low_bp, high_bp, ..
        } => range(percent_bp(*low_bp), percent_bp(*high_bp)),
        Figure::Multiplier {
            low_hundredths,
            high_hundredths,
            ..
        } => range(hundredths(*low_hundredths), hundredths(*high_hundredths)),
        Figure::PerOutcome { per_outcome, .. } => per_outcome.text(),
        Figure::Saved {
            low_pence,
            high_pence,
            ..
        } => range(
            crate::money::format_pence(*low_pence),
            crate::money::format_pence(*high_pence),
        ),
        Figure::NotKnown { .. } => t("indicators.not_known").to_string(),
        Figure::Withheld => t("indicators.withheld").to_string(),
    }
}

/// How much of what it is about a figure could judge, in words; for LM3,
/// also where its wages came from ("wages: from the workforce file for
/// 2024/25"), so the home page, the API, the CLI and the funder report all
/// say it.
pub fn coverage_text(f: &Figure) -> String {
    let c = match f {
        Figure::Share { coverage, .. } => coverage,
        Figure::PerOutcome { cost, outcomes, .. } => {
            return tf(
                "wages.cost.over",
                &[("cost", &cost.text()), ("count", &outcomes.text())],
            );
        }
        Figure::Multiplier {
            coverage, wages, ..
        } => {
            return both(&coverage_words(coverage), &wages.text());
        }
        Figure::Saved {
            posts, not_costed, ..
        } => {
            let costed = tf(
                "indicators.coverage.posts_costed",
                &[("posts", &posts.text())],
            );
            return if *not_costed == 0 {
                costed
            } else {
                both(
                    &costed,
                    &tf(
                        "indicators.coverage.posts_not_costed",
                        &[("posts", &format_count(*not_costed))],
                    ),
                )
            };
        }
        _ => return String::new(),
    };
    coverage_words(c)
}

/// Two remarks in one, as the language separates them ("a; b", "a ; b").
fn both(first: &str, second: &str) -> String {
    tf(
        "indicators.coverage.and",
        &[("first", first), ("second", second)],
    )
}

fn coverage_words(c: &Coverage) -> String {
    match c {
        Coverage::SpendPlaced { bp } => tf(
            "indicators.coverage.spend_placed",
            &[("share", &percent_bp(*bp))],
        ),
        Coverage::StaffPlaced { bp } => tf(
            "indicators.coverage.staff_placed",
            &[("share", &percent_bp(*bp))],
        ),
        Coverage::IncomeKnown { known, of } => tf(
            "indicators.coverage.income_known",
            &[("known", &format_count(*known)), ("of", &format_count(*of))],
        ),
        Coverage::OrganisationsPlaced { known, of } => tf(
            "wages.coverage.organisations_placed",
            &[("known", &format_count(*known)), ("of", &format_count(*of))],
        ),
    }
}

/// A target in words: the number and its period.
pub fn target_text(t: &Target) -> String {
    use crate::clock::display_date;
    let n = format_count(t.value);
    match (t.period.from, t.period.to) {
        (None, None) => n,
        (Some(f), Some(to)) => tf(
            "home.target.between",
            &[
                ("target", &n),
                ("from", &display_date(f)),
                ("to", &display_date(to)),
            ],
        ),
        (Some(f), None) => tf(
            "home.target.from",
            &[("target", &n), ("from", &display_date(f))],
        ),
        (None, Some(to)) => tf(
            "home.target.by",
            &[("target", &n), ("to", &display_date(to))],
        ),
    }
}

/// A count not of people (organisations, enterprises' years), shown as it
/// is, with one trend point a year; not cumulative.
fn shown_counts(total: u64, by_year: &BTreeMap<i32, u64>) -> (Figure, Vec<TrendPoint>, bool) {
    let trend = by_year
        .iter()
        .map(|(y, n)| TrendPoint {
            year: *y,
            figure: Figure::Count {
                value: Cell::Shown(*n),
            },
        })
        .collect();
    (
        Figure::Count {
            value: Cell::Shown(total),
        },
        trend,
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::DisclosureSettings;
    use time::macros::date;

    fn person(engaged_on: Date, stage: FunnelStage, work: WorkOutcome) -> TalentFact {
        TalentFact {
            engaged_on,
            stage,
            work,
            work_on: None,
        }
    }

    #[test]
    fn agency_savings_count_the_days_each_post_was_held_in_the_period() {
        use crate::talent::results::{FilledPost, SavingsSettings};
        let post = |band: &str, started_on: Date, left_on: Option<Date>| FilledPost {
            anchor: None,
            band: band.into(),
            started_on,
            left_on,
        };
        let posts = [
            // Band 5 from 1 June 2025: £31,049 a year (2025-26 pay).
            post("5", date!(2025 - 06 - 01), None),
            // Off Agenda for Change: not costed rather than guessed.
            post("consultant", date!(2025 - 09 - 01), None),
            // Left before 2026: outside the second period.
            post("5", date!(2025 - 06 - 01), Some(date!(2025 - 12 - 31))),
        ];
        let settings = SavingsSettings::default();
        let facts = [person(
            date!(2025 - 01 - 01),
            FunnelStage::Registered,
            WorkOutcome::Nhs,
        )];
        let today = date!(2026 - 06 - 01);
        // 2026 up to today: 151 days of the first post. By hand:
        // 3,104,900 × (55 % − 25 %) = 931,470 a year, × 151 / 365 = 385,347;
        // 3,104,900 × (90 % − 25 %) = 2,018,185 a year, × 151 / 365 = 834,920.
        let year = Period {
            from: Some(date!(2026 - 01 - 01)),
            to: Some(date!(2026 - 12 - 31)),
        };
        assert_eq!(
            agency_savings(&facts, &posts, &settings, year, today),
            Raw::Saved {
                low_pence: 385_347,
                high_pence: 834_920,
                posts: 1,
                not_costed: 1,
            }
        );
        // Open period: the first post's whole year (365 days) and the
        // second's 2025 days (213): 931,470 + 931,470 × 213 / 365.
        let Raw::Saved {
            low_pence,
            posts: n,
            ..
        } = agency_savings(&facts, &posts, &settings, Period::default(), today)
        else {
            panic!("judged")
        };
        assert_eq!((low_pence, n), (931_470 + 931_470 * 213 / 365, 2));
        // No talent records: not known, with the step that fixes it.
        assert_eq!(
            agency_savings(&[], &posts, &settings, year, today),
            Raw::NotKnown {
                fix: Step::TalentPeople
            }
        );
        // Fewer than k posts: withheld from a reader without the right to
        // see the people, shown to one with it.
        let raw = agency_savings(&facts, &posts, &settings, year, today);
        let k = DisclosureSettings::default();
        let public = publish(
            Indicator::AgencySavings,
            raw.clone(),
            None,
            &Viewer::new(k, false),
        );
        assert_eq!(public.figure, Figure::Withheld);
        let exact = publish(Indicator::AgencySavings, raw, None, &Viewer::new(k, true));
        assert_eq!(figure_text(&exact.figure), "£3,853.47 to £8,349.20");
    }

    #[test]
    fn support_per_enterprise_is_hours_over_enterprises_and_not_known_without_hours() {
        let (a, b) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        let mut facts = EnterpriseFacts {
            profiles: 2,
            support: vec![(a, date!(2024 - 05 - 01)), (b, date!(2025 - 01 - 10))],
            support_hours: vec![(date!(2024 - 05 - 01), 15), (date!(2025 - 01 - 10), 20)],
            income: BTreeMap::new(),
        };
        // 3.5 hours over two enterprises: 1.75, rounded to 1.8.
        assert_eq!(
            support_per_enterprise(&facts, Period::default()),
            Raw::PerOutcome {
                cost: Cost::TenthsOfHours(35),
                outcomes: 2,
                people: false
            }
        );
        assert_eq!(Cost::TenthsOfHours(35).per(2), Cost::TenthsOfHours(18));
        assert_eq!(Cost::TenthsOfHours(18).text(), "1.8 hours");
        facts.support_hours = vec![(date!(2024 - 05 - 01), 0)];
        assert_eq!(
            support_per_enterprise(&facts, Period::default()),
            Raw::NotKnown {
                fix: Step::SupportHours
            }
        );
    }

    #[test]
    fn communities_with_an_adopted_plan_are_dated_by_adoption_and_not_known_without_communities() {
        assert_eq!(
            communities(&[], 0, Period::default()),
            Raw::NotKnown {
                fix: Step::Communities
            }
        );
        // Communities exist but none has adopted its plan: 0 is a judged figure.
        assert_eq!(
            communities(&[], 3, Period::default()),
            Raw::Count {
                total: 0,
                by_year: Some(BTreeMap::new())
            }
        );
        let adopted = [date!(2025 - 11 - 20), date!(2026 - 03 - 14)];
        let Raw::Count { total, by_year } = communities(&adopted, 3, Period::default()) else {
            panic!("a count")
        };
        assert_eq!(total, 2);
        assert_eq!(by_year.unwrap().get(&2026), Some(&2));
        let only_2026 = Period {
            from: Some(date!(2026 - 01 - 01)),
            to: None,
        };
        assert!(matches!(
            communities(&adopted, 3, only_2026),
            Raw::Count { total: 1, .. }
        ));
        assert!(Indicator::CommunitiesWithAdoptedPlan.is_count());
        assert!(!Indicator::CommunitiesWithAdoptedPlan.counts_people());
    }

    #[test]
    fn pay_per_researcher_is_withheld_under_the_threshold() {
        let raw = Raw::PerOutcome {
            cost: Cost::Pence(100_000),
            outcomes: 3,
            people: true,
        };
        let hidden = Viewer::new(DisclosureSettings::default(), false);
        assert_eq!(
            publish(Indicator::PayPerResearcher, raw.clone(), None, &hidden).figure,
            Figure::Withheld
        );
        let exact = Viewer::new(DisclosureSettings::default(), true);
        let f = publish(Indicator::PayPerResearcher, raw, None, &exact).figure;
        assert_eq!(figure_text(&f), "£333.33");
        assert_eq!(coverage_text(&f), "£1,000.00 in all, shared over 3");
    }

    #[test]
    fn organisations_count_those_in_force_each_year_and_per_anchor() {
        use crate::anchors::interactions::{Interaction, InteractionKind};
        let org = |n: u128| uuid::Uuid::from_u128(n);
        let item = |anchor: &str, o: u128, from: Date, to: Option<Date>| Interaction {
            id: uuid::Uuid::from_u128(100 + o),
            anchor: anchor.to_lowercase(),
            anchor_name: anchor.into(),
            organisation_id: org(o),
            organisation: format!("GB-{o}"),
            organisation_name: format!("Org {o}"),
            kind: InteractionKind::Referral,
            started_on: from,
            ended_on: to,
            evidence: String::new(),
        };
        let items = vec![
            item("Trust", 1, date!(2023 - 02 - 01), None),
            item(
                "Trust",
                2,
                date!(2023 - 03 - 01),
                Some(date!(2024 - 06 - 30)),
            ),
            item("Council", 1, date!(2024 - 01 - 01), None),
            item("Council", 3, date!(2024 - 07 - 01), None),
        ];
        let today = date!(2025 - 03 - 01);
        let placed = BTreeSet::from([org(1), org(2)]);
        let local = BTreeSet::from([org(1)]);
        let all = Period::default();
        assert_eq!(
            organisations(
                Indicator::OrganisationsWorkedWith,
                &items,
                Some(&local),
                &placed,
                all,
                today
            ),
            Raw::CountInForce {
                total: 2,
                by_year: BTreeMap::from([(2023, 2), (2024, 2), (2025, 2)]),
                by_anchor: vec![
                    AnchorCount {
                        anchor: "Council".into(),
                        count: 2
                    },
                    AnchorCount {
                        anchor: "Trust".into(),
                        count: 1
                    }
                ],
                coverage: None,
            }
        );
        assert_eq!(
            organisations(
                Indicator::LocalPartners,
                &items,
                Some(&local),
                &placed,
                all,
                today
            ),
            Raw::CountInForce {
                total: 1,
                by_year: BTreeMap::from([(2023, 1), (2024, 1), (2025, 1)]),
                by_anchor: vec![
                    AnchorCount {
                        anchor: "Council".into(),
                        count: 1
                    },
                    AnchorCount {
                        anchor: "Trust".into(),
                        count: 1
                    }
                ],
                coverage: Some(Coverage::OrganisationsPlaced { known: 1, of: 2 }),
            }
        );
        assert_eq!(
            organisations(Indicator::LocalPartners, &items, None, &placed, all, today),
            Raw::NotKnown {
                fix: Step::AreaOfBenefit
            }
        );
        // The sets the figures' links list: the same organisations.
        let worked = |i, local: Option<&BTreeSet<uuid::Uuid>>, p: Period| {
            organisations_in(i, &items, local, p, today)
        };
        assert_eq!(
            worked(Indicator::OrganisationsWorkedWith, Some(&local), all),
            BTreeSet::from([org(1), org(3)])
        );
        assert_eq!(
            worked(Indicator::LocalPartners, Some(&local), all),
            BTreeSet::from([org(1)])
        );
        assert!(worked(Indicator::LocalPartners, None, all).is_empty());
        // On a period's last day: Org 2 was still in force on 31 March 2024.
        let to_march = Period {
            from: None,
            to: Some(date!(2024 - 03 - 31)),
        };
        assert_eq!(
            worked(Indicator::OrganisationsWorkedWith, None, to_march),
            BTreeSet::from([org(1), org(2)])
        );
        match organisations(
            Indicator::OrganisationsWorkedWith,
            &items,
            None,
            &placed,
            to_march,
            today,
        ) {
            Raw::CountInForce { total, .. } => assert_eq!(total, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_counted_filter_reads_back_from_its_link_and_only_for_its_list() {
        let f = CountedFilter {
            indicator: Indicator::EnterprisesSupported,
            period: Period {
                from: Some(date!(2025 - 04 - 01)),
                to: Some(date!(2026 - 03 - 31)),
            },
        };
        assert_eq!(
            f.query(),
            "?counted=enterprises_supported&from=2025-04-01&to=2026-03-31"
        );
        let allowed = [
            Indicator::EnterprisesSupported,
            Indicator::EnterprisesTradingLed,
        ];
        assert_eq!(
            CountedFilter::parse(
                "enterprises_supported",
                "2025-04-01",
                "2026-03-31",
                &allowed
            ),
            Some(f)
        );
        // An indicator another list shows is not this list's filter.
        assert_eq!(
            CountedFilter::parse("researchers_paid", "", "", &allowed),
            None
        );
        let open = CountedFilter::parse("enterprises_trading_led", "", "", &allowed).unwrap();
        assert_eq!(open.query(), "?counted=enterprises_trading_led");
        assert!(open.note().contains("Enterprises"), "{}", open.note());
        assert!(f.note().contains("1 April 2025"), "{}", f.note());
        // A plan counts while adopted or in delivery, by its day of adoption.
        use crate::community::plan::PlanStatus;
        let p = f.period;
        assert!(plan_counted(
            Some(PlanStatus::Adopted),
            Some(date!(2025 - 05 - 01)),
            p
        ));
        assert!(plan_counted(
            Some(PlanStatus::InDelivery),
            Some(date!(2025 - 05 - 01)),
            p
        ));
        assert!(!plan_counted(
            Some(PlanStatus::Drafting),
            Some(date!(2025 - 05 - 01)),
            p
        ));
        assert!(!plan_counted(
            Some(PlanStatus::Adopted),
            Some(date!(2024 - 05 - 01)),
            p
        ));
        assert!(!plan_counted(Some(PlanStatus::Adopted), None, p));
    }

    #[test]
    fn lm3_says_where_its_wages_came_from() {
        let f = |wages| Figure::Multiplier {
            low_hundredths: 126,
            high_hundredths: 138,
            coverage: Coverage::SpendPlaced { bp: 8_000 },
            wages,
        };
        assert_eq!(
            coverage_text(&f(WageSource::Typed)),
            "Suppliers placed: 80.0% of influenceable spend; wages: typed in the spend settings"
        );
        assert!(coverage_text(&f(WageSource::NotKnown)).ends_with("; wages: not known (import a workforce file, or type the wage bill in the spend settings)"));
    }

    #[test]
    fn talent_counts_each_stage_and_dates_the_trend() {
        let facts = vec![
            person(
                date!(2017 - 03 - 01),
                FunnelStage::Engaged,
                WorkOutcome::NoneYet,
            ),
            person(
                date!(2017 - 06 - 01),
                FunnelStage::OnPathway,
                WorkOutcome::NoneYet,
            ),
            TalentFact {
                work_on: Some(date!(2018 - 09 - 01)),
                ..person(
                    date!(2017 - 07 - 01),
                    FunnelStage::Registered,
                    WorkOutcome::Nhs,
                )
            },
            person(
                date!(2018 - 01 - 10),
                FunnelStage::Engaged,
                WorkOutcome::CareSector,
            ),
        ];
        let all = Period::default();
        assert_eq!(
            talent(Indicator::TalentEngaged, &facts, all),
            Raw::Count {
                total: 4,
                by_year: Some(BTreeMap::from([(2017, 3), (2018, 4)]))
            }
        );
        assert_eq!(
            talent(Indicator::TalentOnPathway, &facts, all),
            Raw::Count {
                total: 3,
                by_year: None
            }
        );
        assert_eq!(
            talent(Indicator::TalentIntoNhs, &facts, all),
            Raw::Count {
                total: 1,
                by_year: Some(BTreeMap::from([(2018, 1)]))
            }
        );
        let in_2018 = Period {
            from: Some(date!(2018 - 01 - 01)),
            to: Some(date!(2018 - 12 - 31)),
        };
        assert_eq!(
            talent(Indicator::TalentIntoWork, &facts, in_2018),
            Raw::Count {
                total: 2,
                by_year: Some(BTreeMap::from([(2018, 2)]))
            }
        );
        assert_eq!(
            talent(Indicator::TalentEngaged, &[], all),
            Raw::NotKnown {
                fix: Step::TalentPeople
            }
        );
    }

    #[test]
    fn into_care_counts_only_care_sector_starts_dated_by_the_start() {
        let started = |engaged: Date, work: WorkOutcome, on: Option<Date>| TalentFact {
            work_on: on,
            ..person(engaged, FunnelStage::Registered, work)
        };
        let facts = vec![
            // Two into care: one started in 2019, one with no start day
            // (dated by the day they were engaged, 2018).
            started(
                date!(2018 - 02 - 01),
                WorkOutcome::CareSector,
                Some(date!(2019 - 05 - 01)),
            ),
            started(date!(2018 - 03 - 01), WorkOutcome::CareSector, None),
            // Not care: an NHS job, other work, none yet.
            started(
                date!(2018 - 04 - 01),
                WorkOutcome::Nhs,
                Some(date!(2019 - 01 - 01)),
            ),
            started(date!(2018 - 05 - 01), WorkOutcome::Other, None),
            person(
                date!(2018 - 06 - 01),
                FunnelStage::Engaged,
                WorkOutcome::NoneYet,
            ),
        ];
        assert_eq!(
            talent(Indicator::TalentIntoCare, &facts, Period::default()),
            Raw::Count {
                total: 2,
                by_year: Some(BTreeMap::from([(2018, 1), (2019, 2)]))
            }
        );
        let in_2019 = Period {
            from: Some(date!(2019 - 01 - 01)),
            to: Some(date!(2019 - 12 - 31)),
        };
        assert_eq!(
            talent(Indicator::TalentIntoCare, &facts, in_2019),
            Raw::Count {
                total: 1,
                by_year: Some(BTreeMap::from([(2019, 1)]))
            }
        );
        assert_eq!(
            Indicator::parse("talent_into_care"),
            Some(Indicator::TalentIntoCare)
        );
        assert!(Indicator::TalentIntoCare.counts_people() && Indicator::TalentIntoCare.is_count());
    }

    #[test]
    fn trading_led_publishes_how_many_enterprises_have_income_recorded() {
        let raw = Raw::CountPerYear {
            total: 2,
            by_year: BTreeMap::from([(2024, 2)]),
            coverage: Coverage::IncomeKnown { known: 3, of: 7 },
        };
        let viewer = Viewer::new(DisclosureSettings::default(), false);
        let p = publish(Indicator::EnterprisesTradingLed, raw, None, &viewer);
        assert_eq!(p.coverage, Some(Coverage::IncomeKnown { known: 3, of: 7 }));
        assert_eq!(
            published_coverage_text(&p),
            tf(
                "indicators.coverage.income_known",
                &[("known", "3"), ("of", "7")]
            )
        );
    }

    #[test]
    fn small_counts_and_their_trend_are_suppressed_together() {
        let funder = Viewer::new(DisclosureSettings::default(), false);
        let manager = Viewer::new(DisclosureSettings::default(), true);
        let raw = Raw::Count {
            total: 12,
            by_year: Some(BTreeMap::from([(2017, 2), (2018, 12)])),
        };
        let p = publish(Indicator::TalentEngaged, raw.clone(), None, &funder);
        assert_eq!(
            p.figure,
            Figure::Count {
                value: Cell::Shown(12)
            }
        );
        assert!(matches!(
            p.trend[0].figure,
            Figure::Count {
                value: Cell::Suppressed { .. }
            }
        ));
        // 12 − 2 = 10 people in 2018 alone is shown in full only with 2017 hidden.
        let p = publish(Indicator::TalentEngaged, raw, None, &manager);
        assert_eq!(
            p.trend[0].figure,
            Figure::Count {
                value: Cell::Exact(2)
            }
        );
        // Organisations are not people: shown whatever their number.
        let p = publish(
            Indicator::EnterprisesSupported,
            Raw::Count {
                total: 2,
                by_year: Some(BTreeMap::from([(2019, 2)])),
            },
            None,
            &funder,
        );
        assert_eq!(
            p.figure,
            Figure::Count {
                value: Cell::Shown(2)
            }
        );
    }

    #[test]
    fn a_target_is_compared_only_with_a_shown_count() {
        let funder = Viewer::new(DisclosureSettings::default(), false);
        let target = Target {
            indicator: Indicator::ResearchersAccredited,
            value: 60,
            period: Period::default(),
        };
        let p = publish(
            Indicator::ResearchersAccredited,
            Raw::Count {
                total: 45,
                by_year: None,
            },
            Some(target),
            &funder,
        );
        assert_eq!(p.of_target_bp, Some(7_500));
        let p = publish(
            Indicator::ResearchersAccredited,
            Raw::Count {
                total: 3,
                by_year: None,
            },
            Some(target),
            &funder,
        );
        assert_eq!(p.of_target_bp, None);
    }

    #[test]
    fn enterprises_supported_once_each_and_trading_led_by_latest_year() {
        let (a, b, c) = (
            uuid::Uuid::from_u128(1),
            uuid::Uuid::from_u128(2),
            uuid::Uuid::from_u128(3),
        );
        let income = |year, grants, trading| IncomeYear {
            year,
            grants,
            donations: 0,
            trading,
            contracts: 0,
        };
        let facts = EnterpriseFacts {
            profiles: 3,
            support: vec![
                (a, date!(2018 - 05 - 01)),
                (a, date!(2017 - 05 - 01)),
                (b, date!(2018 - 06 - 01)),
            ],
            support_hours: vec![
                (date!(2018 - 05 - 01), 25),
                (date!(2017 - 05 - 01), 10),
                (date!(2018 - 06 - 01), 0),
            ],
            income: BTreeMap::from([
                (a, vec![income(2017, 100, 10), income(2018, 10, 100)]),
                (b, vec![income(2018, 100, 10)]),
            ]),
        };
        let all = Period::default();
        assert_eq!(
            enterprise(Indicator::EnterprisesSupported, &facts, all),
            Raw::Count {
                total: 2,
                by_year: Some(BTreeMap::from([(2017, 1), (2018, 2)]))
            }
        );
        assert_eq!(
            enterprise(Indicator::EnterprisesTradingLed, &facts, all),
            Raw::CountPerYear {
                total: 1,
                by_year: BTreeMap::from([(2018, 1)]),
                coverage: Coverage::IncomeKnown { known: 2, of: 3 }
            }
        );
        assert_eq!(supported_in(&facts, all).len(), 2);
        assert!(!supported_in(&facts, all).contains(&c));
        // The set the trading-led figure's link lists: A only (B's latest
        // year was mostly grants); over 2017 alone, neither.
        assert_eq!(trading_led_in(&facts.income, all), BTreeSet::from([a]));
        let y2017 = Period {
            from: Some(date!(2017 - 04 - 01)),
            to: Some(date!(2018 - 03 - 31)),
        };
        assert!(trading_led_in(&facts.income, y2017).is_empty());
        assert_eq!(
            enterprise(
                Indicator::EnterprisesTradingLed,
                &EnterpriseFacts::default(),
                all
            ),
            Raw::NotKnown {
                fix: Step::EnterpriseIncome
            }
        );
    }

    #[test]
    fn spend_is_not_known_until_it_can_be_judged() {
        let mut setup = Setup::default();
        let s = SpendFacts::default();
        assert_eq!(
            spend(Indicator::LocalSpendShare, &s, &setup, Period::default()),
            Raw::NotKnown { fix: Step::Anchors }
        );
        setup.anchors = 1;
        assert_eq!(
            spend(Indicator::LocalSpendShare, &s, &setup, Period::default()),
            Raw::NotKnown {
                fix: Step::SpendFiles
            }
        );
        let s = SpendFacts {
            lines: 3,
            influenceable: 1_000,
            placed: 0,
            ..Default::default()
        };
        // With no area of benefit nothing could be judged in it: that step
        // first, then the suppliers' addresses.
        assert_eq!(
            spend(Indicator::LocalSpendShare, &s, &setup, Period::default()),
            Raw::NotKnown {
                fix: Step::AreaOfBenefit
            }
        );
        setup.area_of_benefit = true;
        assert_eq!(
            spend(Indicator::LocalSpendShare, &s, &setup, Period::default()),
            Raw::NotKnown {
                fix: Step::SupplierRegister
            }
        );
        let s = SpendFacts {
            placed: 800,
            local_low: 250,
            local_high: 400,
            lm3: (130, 150),
            ..s
        };
        assert_eq!(
            spend(Indicator::LocalSpendShare, &s, &setup, Period::default()),
            Raw::Share {
                low_bp: 2_500,
                high_bp: 4_000,
                by_year: BTreeMap::new(),
                coverage: Coverage::SpendPlaced { bp: 8_000 }
            }
        );
        assert_eq!(
            spend(Indicator::Lm3, &s, &setup, Period::default()),
            Raw::NotKnown {
                fix: Step::AnchorLocalAuthority
            }
        );
        // LM3 speaks for the money judged against the local authorities,
        // not the area of benefit's.
        setup.anchors_with_local_authority = 1;
        assert_eq!(
            spend(Indicator::Lm3, &s, &setup, Period::default()),
            Raw::NotKnown {
                fix: Step::SupplierRegister
            }
        );
        let s = SpendFacts {
            placed_local_authority: 500,
            ..s
        };
        assert!(matches!(
            spend(Indicator::Lm3, &s, &setup, Period::default()),
            Raw::Multiplier {
                low: 130,
                high: 150,
                coverage: Coverage::SpendPlaced { bp: 5_000 },
                ..
            }
        ));
        // Files held, but no line paid in the report's period: not known,
        // with the step of importing that period's files; never 0.
        setup.spend_files = 2;
        let year = Period {
            from: Some(time::macros::date!(2010 - 01 - 01)),
            to: Some(time::macros::date!(2010 - 12 - 31)),
        };
        for i in [Indicator::LocalSpendShare, Indicator::Lm3] {
            assert_eq!(
                spend(i, &SpendFacts::default(), &setup, year),
                Raw::NotKnown {
                    fix: Step::SpendInPeriod
                }
            );
        }
    }

    #[test]
    fn a_new_programme_has_every_step_to_do() {
        assert_eq!(Setup::default().missing(false), Step::GET_STARTED.to_vec());
        let done = Setup {
            area_of_benefit: true,
            anchors: 1,
            anchors_with_local_authority: 1,
            spend_files: 2,
            register_loaded: true,
            workforce_files: 0,
            targets: 1,
        };
        assert_eq!(done.missing(true), Vec::<Step>::new());
        assert_eq!(done.missing(false), vec![Step::SupplierRegister]);
    }

    #[test]
    fn staff_shares_hide_when_a_side_is_small() {
        let funder = Viewer::new(DisclosureSettings::default(), false);
        let setup = Setup {
            area_of_benefit: true,
            workforce_files: 1,
            ..Default::default()
        };
        let years = BTreeMap::from([(
            2024,
            StaffYear {
                staff: 100,
                home_known: 90,
                local: 30,
                starters: 10,
                local_starters: 2,
                starters_known: true,
            },
        )]);
        assert_eq!(
            staff(Indicator::LocalStaffShare, &years, &setup, &funder),
            Raw::Share {
                low_bp: 3_000,
                high_bp: 3_000,
                by_year: BTreeMap::from([(2024, (3_000, 3_000))]),
                coverage: Coverage::StaffPlaced { bp: 9_000 }
            }
        );
        assert_eq!(
            staff(Indicator::LocalStarterShare, &years, &setup, &funder),
            Raw::Withheld
        );
        // Files that do not say who started: not known, not withheld and not 0 %.
        let unsaid = years
            .iter()
            .map(|(y, s)| {
                let s = StaffYear {
                    starters: 0,
                    local_starters: 0,
                    starters_known: false,
                    ..*s
                };
                (*y, s)
            })
            .collect();
        assert_eq!(
            staff(Indicator::LocalStarterShare, &unsaid, &setup, &funder),
            Raw::NotKnown {
                fix: Step::Workforce
            }
        );
        assert!(matches!(
            staff(Indicator::LocalStaffShare, &unsaid, &setup, &funder),
            Raw::Share { .. }
        ));
    }

    #[test]
    fn every_indicator_has_a_slug_that_reads_back_and_words() {
        use crate::i18n::has;
        for i in Indicator::ALL {
            assert_eq!(Indicator::parse(i.slug()), Some(i));
            assert!(has(&i.label_key()) && has(&i.definition_key()), "{i:?}");
            assert!(has(&i.strand().label_key()), "{i:?}");
        }
        // Every step, from the enum's own list: a step added later is in it.
        assert_eq!(Step::ALL.len(), 16);
        let mut slugs = BTreeSet::new();
        for s in Step::ALL {
            assert!(has(&s.label_key()), "{s:?} has no words");
            assert!(slugs.insert(s.slug()), "{s:?}'s short name is taken");
        }
        assert!(Step::GET_STARTED.iter().all(|s| Step::ALL.contains(s)));
    }
}
