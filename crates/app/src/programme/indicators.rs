//! What the programme achieved, computed from the records each context
//! holds, against the targets the programme manager set; and the "get
//! started" steps a new programme still has to take. The home page, the API
//! (`…/indicators`) and `useit programme indicators` all read this.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use useit_core::anchors::interactions::Interaction;

use time::Date;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::disclosure::Viewer;
use useit_core::programme::indicators::{
    self, EnterpriseFacts, Indicator, PaidTime, Period, Published, ResearcherFact, Setup,
    SpendFacts, StaffYear, Step, Strand, TalentFact, Target, publish,
};
use useit_core::programme::targets::TargetsInput;
use useit_core::research::pay::{PayRule, RateTable};
use useit_core::talent::results::FilledPost;
use uuid::Uuid;

use useit_store::revision::Revision;

use crate::anchors::ledger::{Ledgers, ledger_at};
use crate::anchors::workforce::{WorkforceQuery, workforce_measures};
use crate::programme::programmes::ProgrammeFigures;
use crate::{Caller, Result, Store};

/// Every indicator as this caller may see it, and what is left to set up.
pub struct Indicators {
    pub as_of: Date,
    pub setup: Setup,
    /// The "get started" steps still to do, in order (whoever may do them).
    pub get_started: Vec<Step>,
    /// Counts of people are exact for this caller (they hold the right to
    /// personal data of that strand); otherwise small ones are suppressed.
    pub exact_talent: bool,
    pub exact_research: bool,
    /// The threshold below which counts of people are suppressed.
    pub k: u32,
    pub figures: Vec<Published>,
}

impl Indicators {
    /// Whether any indicator can be judged yet.
    pub fn any_known(&self) -> bool {
        self.figures
            .iter()
            .any(|p| !matches!(p.figure, indicators::Figure::NotKnown { .. }))
    }
}

/// The strands' records the indicators count, read once per revision of
/// those records (kept in [`Ledgers`]): at 10,000 people or a trust's
/// workforce by small area, reading them takes far longer than the home
/// page may.
pub(crate) struct StrandFacts {
    talent: Vec<TalentFact>,
    researchers: Vec<ResearcherFact>,
    enterprise: EnterpriseFacts,
    /// The anchors' staff by year, raw (published per caller later); `None`
    /// when read for a caller who may not see spend and workforce figures.
    staff_years: Option<BTreeMap<i32, StaffYear>>,
    /// The anchors' interactions and where their organisations are; `None`
    /// for a caller who may not see the anchors' figures.
    partners: Option<Partners>,
    /// The NHS posts filled through the programme (band and dates only),
    /// for the savings against agency staff.
    filled_posts: Vec<FilledPost>,
    /// Researchers' approved time, without names, and the pay rule.
    paid_time: Vec<PaidTime>,
    pay_rule: PayRule,
}

/// The interactions the organisation indicators count, and which of their
/// organisations are placed and which are in the area of benefit (`None`
/// without an area of benefit).
struct Partners {
    interactions: Vec<Interaction>,
    placed: BTreeSet<Uuid>,
    local: Option<BTreeSet<Uuid>>,
}

/// Computes every indicator from the data. The spend figures come from the
/// placed ledger and the other strands' from their facts, both kept while
/// the store's revision stands; only the setup, targets and threshold are
/// read on every request.
pub async fn indicators(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
) -> Result<Arc<Indicators>> {
    Ok(home(store, caller, ledgers).await?.indicators.clone())
}

/// The programme home page's figures: the partners and members counted
/// and every indicator, as this caller may see them.
pub struct Home {
    pub figures: ProgrammeFigures,
    pub indicators: Arc<Indicators>,
}

/// What a kept [`Home`] was computed for besides the data: what the caller
/// may see is their role's, and "current" and each target's period are the
/// day's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HomeKey {
    programme: useit_core::ProgrammeId,
    role: Option<useit_core::auth::Role>,
    today: Date,
}

/// The home page's figures, kept in `ledgers` by role and day while the
/// programme's whole [`Revision`] stands (the spend, the strands' records,
/// the partners, the targets and settings the page reads): an unchanged
/// home page reads one row, and any write to what it counts shows on the
/// very next request.
pub async fn home(store: &dyn Store, caller: &Caller, ledgers: &Ledgers) -> Result<Arc<Home>> {
    caller.require(Capability::ViewProgramme)?;
    let today = clock::today();
    // Read first: what is kept under it is never older than it says.
    let revision = caller.revision(store).await?;
    let key = HomeKey {
        programme: caller.programme,
        role: caller.role,
        today,
    };
    if let Some(home) = ledgers.homes.get(&key, |r| *r == revision) {
        return Ok(home);
    }
    let indicators = indicators_at(store, caller, ledgers, &revision, None).await?;
    let counts = store.programme_counts(caller.programme, today).await?;
    let home = Arc::new(Home {
        figures: ProgrammeFigures {
            as_of: today,
            counts,
        },
        indicators: Arc::new(indicators),
    });
    ledgers.homes.put(key, revision, home.clone());
    Ok(home)
}

/// The indicators over one period (the funder report's), instead of each
/// target's: every dated count counts only what happened in it, and the
/// staff shares are those of the financial years that overlap it. `None`
/// is the home page's: each indicator over its target's period.
pub async fn indicators_in(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    over: Option<Period>,
) -> Result<Indicators> {
    caller.require(Capability::ViewProgramme)?;
    // Read once: the facts kept under it are never older than it says.
    let revision = caller.revision(store).await?;
    indicators_at(store, caller, ledgers, &revision, over).await
}

/// The indicators from the data as it stood at `revision` (read before
/// anything else).
async fn indicators_at(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    revision: &Revision,
    over: Option<Period>,
) -> Result<Indicators> {
    let programme = caller.programme;
    let setup = store.programme_setup(programme).await?;
    let targets = store.programme_targets(programme).await?;
    let sees_spend = caller.can(Capability::ViewSpend);
    let facts = strand_facts(store, caller, ledgers, revision, &setup, sees_spend).await?;
    let (talent, researchers, enterprise) = (&facts.talent, &facts.researchers, &facts.enterprise);
    // The home page's over every line held, kept per revision; a report's
    // over the lines paid in its period, summed from the kept ledger.
    let spend = if setup.spend_files > 0 && sees_spend {
        match over {
            Some(p) => {
                let ledger = ledger_at(store, caller, ledgers, revision).await?;
                Arc::new(indicators::spend_facts_in(&ledger, p))
            }
            None => spend_facts(store, caller, ledgers, revision).await?,
        }
    } else {
        Arc::new(SpendFacts::default())
    };
    // The programme's own threshold, as on every other page.
    let settings = store.disclosure_settings(programme).await?;
    let exact_talent = caller.can(Capability::ViewPeople);
    let exact_research = caller.can(Capability::ManageResearch);
    let staff_viewer = Viewer::new(settings, exact_talent);
    let no_staff = BTreeMap::new();
    let staff_years = match &facts.staff_years {
        Some(years) if sees_spend => years,
        _ => &no_staff,
    };
    // A report's period keeps the financial years (April to March) it overlaps.
    let in_period: BTreeMap<i32, StaffYear>;
    let staff_years = match over {
        Some(p) => {
            in_period = staff_years
                .iter()
                .filter(|(y, _)| financial_year_overlaps(**y, p))
                .map(|(y, s)| (*y, *s))
                .collect();
            &in_period
        }
        None => staff_years,
    };
    let suppliers_placed = spend.placed > 0;
    // A few rows per programme, read on every request (a plan adopted
    // shows at once, with no revision to move).
    let plans = store.plans_adopted(programme).await?;
    let (adopted, communities) = (plans.adopted, plans.communities);
    // One row, read on every request: a change of the costing shows at once.
    let savings = store.talent_settings(programme).await?.savings;
    let figures = Indicator::ALL
        .into_iter()
        .map(|i| {
            let target: Option<Target> = targets.iter().find(|t| t.indicator == i).copied();
            let period = over.unwrap_or_else(|| target.map(|t| t.period).unwrap_or_default());
            let (raw, viewer) = match i.strand() {
                Strand::Talent => (
                    if i == Indicator::AgencySavings {
                        indicators::agency_savings(
                            talent,
                            &facts.filled_posts,
                            &savings,
                            period,
                            clock::today(),
                        )
                    } else {
                        indicators::talent(i, talent, period)
                    },
                    Viewer::new(settings, exact_talent),
                ),
                Strand::Research => (
                    if i == Indicator::PayPerResearcher {
                        indicators::pay_per_researcher(
                            &facts.paid_time,
                            RateTable::real_living_wage(),
                            facts.pay_rule,
                            period,
                        )
                    } else {
                        indicators::research(i, researchers, period)
                    },
                    Viewer::new(settings, exact_research),
                ),
                Strand::Enterprise => (
                    if i == Indicator::SupportPerEnterprise {
                        indicators::support_per_enterprise(enterprise, period)
                    } else {
                        indicators::enterprise(i, enterprise, period)
                    },
                    Viewer::new(settings, true),
                ),
                Strand::Community => (
                    indicators::communities(&adopted, communities, period),
                    Viewer::new(settings, true),
                ),
                Strand::Anchors => (
                    match i {
                        Indicator::LocalStaffShare | Indicator::LocalStarterShare => {
                            indicators::staff(i, staff_years, &setup, &staff_viewer)
                        }
                        Indicator::OrganisationsWorkedWith | Indicator::LocalPartners => {
                            match facts.partners.as_ref().filter(|_| sees_spend) {
                                Some(p) => indicators::organisations(
                                    i,
                                    &p.interactions,
                                    p.local.as_ref(),
                                    &p.placed,
                                    period,
                                    clock::today(),
                                ),
                                None => indicators::organisations(
                                    i,
                                    &[],
                                    None,
                                    &BTreeSet::new(),
                                    period,
                                    clock::today(),
                                ),
                            }
                        }
                        _ => indicators::spend(i, &spend, &setup, over.unwrap_or_default()),
                    },
                    staff_viewer,
                ),
            };
            publish(i, raw, target, &viewer)
        })
        .collect();
    Ok(Indicators {
        as_of: clock::today(),
        get_started: setup.missing(suppliers_placed),
        setup,
        exact_talent,
        exact_research,
        k: settings.k(),
        figures,
    })
}

/// Whether the financial year starting in April of `year` has a day in `p`.
fn financial_year_overlaps(year: i32, p: Period) -> bool {
    let start = Date::from_calendar_date(year, time::Month::April, 1);
    let end = Date::from_calendar_date(year + 1, time::Month::March, 31);
    match (start, end) {
        (Ok(start), Ok(end)) => p.from.is_none_or(|f| f <= end) && p.to.is_none_or(|t| t >= start),
        _ => false,
    }
}

/// The strands' facts from `ledgers` while the records stand, read afresh
/// otherwise. `revision` was read before any of them, so facts kept under
/// it are never older than it says.
async fn strand_facts(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    revision: &Revision,
    setup: &Setup,
    sees_spend: bool,
) -> Result<Arc<StrandFacts>> {
    let programme = caller.programme;
    // Facts read for a caller who may not see spend lack the staff years; a
    // caller who may reads them once, and everyone shares that copy.
    let kept = || {
        ledgers
            .indicator_facts
            .get(programme, |r| r.strands() == revision.strands())
            .filter(|f| (f.staff_years.is_some() && f.partners.is_some()) || !sees_spend)
    };
    if let Some(f) = kept() {
        return Ok(f);
    }
    // One request reads them; the others wait and find them kept.
    let _flight = ledgers.indicator_facts.flight(programme).await;
    if let Some(f) = kept() {
        return Ok(f);
    }
    let staff_years = if !sees_spend {
        None
    } else if setup.workforce_files == 0 {
        Some(BTreeMap::new())
    } else {
        let view = workforce_measures(store, caller, &WorkforceQuery::default()).await?;
        let mut years: BTreeMap<i32, StaffYear> = BTreeMap::new();
        for y in &view.years {
            let m = &y.measures;
            let e = years.entry(y.year.0).or_default();
            e.staff += m.staff.people;
            e.home_known += m.staff.people - m.home_unknown.people;
            e.local += m.area_of_benefit.inside.people;
            if let Some(s) = m.starters {
                e.starters += s.inside.people + s.outside.people;
                e.local_starters += s.inside.people;
                e.starters_known = true;
            }
        }
        Some(years)
    };
    let partners = if sees_spend {
        Some(partners(store, caller).await?)
    } else {
        None
    };
    let facts = Arc::new(StrandFacts {
        talent: store.talent_indicator_facts(programme).await?,
        researchers: store.researcher_indicator_facts(programme).await?,
        enterprise: useit_core::programme::indicators::EnterpriseFacts {
            // The same income years the enterprise pages count (imported
            // grants, contracts the spend lines paid), so the figures agree.
            income: crate::enterprise::records::income_years(store, programme, None).await?,
            ..store.enterprise_indicator_facts(programme).await?
        },
        staff_years,
        partners,
        filled_posts: store.filled_posts(programme).await?,
        paid_time: store.paid_time(programme).await?,
        pay_rule: store
            .pay_rule(programme)
            .await?
            .unwrap_or(useit_core::research::DEFAULT_PAY_RULE),
    });
    ledgers
        .indicator_facts
        .put(programme, *revision, facts.clone());
    Ok(facts)
}

/// The anchors' interactions and their organisations' places: each
/// organisation at its trading address where the register has one (where
/// it works, not where its office is registered), as the decile map of
/// interactions places them.
async fn partners(store: &dyn Store, caller: &Caller) -> Result<Partners> {
    let interactions = store.interactions(caller.programme).await?;
    let ids: BTreeSet<Uuid> = interactions.iter().map(|i| i.organisation_id).collect();
    let mut postcode_of: Vec<(Uuid, String)> = Vec::new();
    for id in ids {
        if let Some(o) = store.organisation(caller.programme, id).await?
            && let Some(p) = o.trading_postcode.or(o.postcode)
            && useit_core::place::postcode::Postcode::parse(&p).is_ok()
        {
            postcode_of.push((id, p));
        }
    }
    let basis = crate::place::lookup_basis(store, Some(caller.programme)).await?;
    let has_aob = basis.as_ref().is_some_and(|b| b.area_of_benefit.is_some());
    let postcodes: Vec<String> = postcode_of.iter().map(|(_, p)| p.clone()).collect();
    let places: std::collections::HashMap<String, Option<bool>> = if postcodes.is_empty() {
        Default::default()
    } else {
        crate::place::lookup::lookup(store, caller, &postcodes)
            .await?
            .into_iter()
            .filter(|r| r.area_code.is_some())
            .map(|r| (r.input.clone(), r.in_area_of_benefit))
            .collect()
    };
    let mut placed = BTreeSet::new();
    let mut local = BTreeSet::new();
    for (id, p) in &postcode_of {
        if let Some(inside) = places.get(p) {
            placed.insert(*id);
            if *inside == Some(true) {
                local.insert(*id);
            }
        }
    }
    Ok(Partners {
        interactions,
        placed,
        local: has_aob.then_some(local),
    })
}

/// The home page's sums over the placed ledger, kept in [`Ledgers`] under
/// the spend revision they were summed at: a large ledger is summed once per
/// revision, not on every request.
async fn spend_facts(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    revision: &Revision,
) -> Result<Arc<SpendFacts>> {
    let programme = caller.programme;
    let kept = || {
        ledgers
            .spend_facts
            .get(programme, |r| r.spend() == revision.spend())
    };
    if let Some(f) = kept() {
        return Ok(f);
    }
    let _flight = ledgers.spend_facts.flight(programme).await;
    if let Some(f) = kept() {
        return Ok(f);
    }
    let ledger = ledger_at(store, caller, ledgers, revision).await?;
    let facts = Arc::new(indicators::spend_facts(&ledger));
    ledgers.spend_facts.put(programme, *revision, facts.clone());
    Ok(facts)
}

/// The programme's targets (none until someone sets them).
pub async fn targets(store: &dyn Store, caller: &Caller) -> Result<Vec<Target>> {
    caller.require(Capability::ViewProgramme)?;
    Ok(store.programme_targets(caller.programme).await?)
}

/// Checks and saves every target at once (a blank value removes one), in
/// one audited transaction.
pub async fn save_targets(
    store: &dyn Store,
    caller: &Caller,
    input: &TargetsInput,
) -> Result<Vec<Target>> {
    caller.require(Capability::ManageTargets)?;
    let targets = input.validate()?;
    store
        .save_programme_targets(caller.programme, &targets, &caller.actor)
        .await?;
    Ok(targets)
}

/// The target of one indicator, if set: the talent results read theirs here.
pub async fn target_of(
    store: &dyn Store,
    caller: &Caller,
    indicator: Indicator,
) -> Result<Option<Target>> {
    caller.require(Capability::ViewProgramme)?;
    Ok(store
        .programme_targets(caller.programme)
        .await?
        .into_iter()
        .find(|t| t.indicator == indicator))
}

/// The organisations one of the organisation counts counts over its period
/// (`filter`), so the home page's figure links to a list of exactly them:
/// enterprises supported, trading-led, the organisations the anchors work
/// with and the local partners among them. The same facts and the same
/// core definitions as the figure; read afresh (a list is asked for
/// seldom). `None` for an indicator that counts no organisations.
pub async fn counted_organisations(
    store: &dyn Store,
    caller: &Caller,
    filter: indicators::CountedFilter,
) -> Result<Option<BTreeSet<Uuid>>> {
    caller.require(Capability::ViewProgramme)?;
    let programme = caller.programme;
    let period = filter.period;
    Ok(Some(match filter.indicator {
        Indicator::EnterprisesSupported => {
            caller.require(Capability::ViewEnterprises)?;
            let facts = store.enterprise_indicator_facts(programme).await?;
            indicators::supported_in(&facts, period)
        }
        Indicator::EnterprisesTradingLed => {
            caller.require(Capability::ViewEnterprises)?;
            let income = crate::enterprise::records::income_years(store, programme, None).await?;
            indicators::trading_led_in(&income, period)
        }
        Indicator::OrganisationsWorkedWith | Indicator::LocalPartners => {
            caller.require(Capability::ViewSpend)?;
            let p = partners(store, caller).await?;
            indicators::organisations_in(
                filter.indicator,
                &p.interactions,
                p.local.as_ref(),
                period,
                clock::today(),
            )
        }
        _ => return Ok(None),
    }))
}
