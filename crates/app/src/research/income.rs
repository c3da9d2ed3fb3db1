//! Each researcher's income from the programme and, after it, from the
//! Social Lab (issue 19 item 2), year by year: approved hours priced at the
//! Real Living Wage in force on each day, split by who paid (the Social
//! Lab pays for the projects it commissioned, the programme for the rest).
//! A year with nothing recorded for a payer is "not known", never £0.
//! A researcher sees their own; coordinators everyone's; other roles the
//! years' totals with counts of researchers suppressed below the
//! programme's threshold.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::disclosure::Cell;
use useit_core::money::Pence;
use useit_core::research::income::{IncomeYear, PaidWork, Payer, PayerYear, income_by_year};
use useit_core::research::pay::RateTable;
use useit_core::research::project::Commissioner;
use useit_core::research::researcher::Reach;
use useit_core::research::work::{TimeEntry, TimeQuery, TimeStatus};
use useit_store::research::ReadPurpose;

use super::reach;
use super::work::pay_rule;
use crate::{Caller, Result, Store};

/// One researcher's income.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResearcherIncome {
    pub researcher: Uuid,
    /// `None` once erased.
    pub name: Option<String>,
    pub years: Vec<IncomeYear>,
}

/// A payer's year over every researcher: how many were paid (through the
/// disclosure viewer), the minutes and the pay (`None`: nothing recorded,
/// some hours not priced, or hidden with a suppressed count, since the
/// money of fewer than k people would be theirs).
#[derive(Clone, Debug, PartialEq)]
pub struct PayerTotal {
    pub researchers: Cell,
    pub minutes: Option<u64>,
    pub pence: Option<Pence>,
    pub recorded: bool,
    /// Some of the hours could not be priced.
    pub unpriced: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct YearTotal {
    pub year: i32,
    pub programme: PayerTotal,
    pub social_lab: PayerTotal,
}

/// The programme's page of income: every researcher's (only for a caller
/// who sees the people) and the years' totals.
#[derive(Clone, Debug, PartialEq)]
pub struct IncomeView {
    pub exact: bool,
    pub researchers: Vec<ResearcherIncome>,
    pub years: Vec<YearTotal>,
}

async fn paid_work(
    store: &dyn Store,
    caller: &Caller,
    researcher: Option<Uuid>,
    purpose: &str,
) -> Result<(Vec<TimeEntry>, Vec<PaidWork>)> {
    let kinds: HashMap<Uuid, Commissioner> = store
        .projects(caller.programme)
        .await?
        .into_iter()
        .map(|p| (p.id, p.draft.commissioner_kind))
        .collect();
    let entries = store
        .time_entries(
            caller.programme,
            Reach::All,
            &TimeQuery {
                researcher,
                status: Some(TimeStatus::Approved),
                ..Default::default()
            },
            &caller.actor,
            purpose,
        )
        .await?;
    let work = entries
        .iter()
        .map(|e| PaidWork {
            researcher: e.researcher_id,
            payer: if kinds.get(&e.project_id) == Some(&Commissioner::SocialLab) {
                Payer::SocialLab
            } else {
                Payer::Programme
            },
            on: e.worked_on,
            minutes: e.minutes,
        })
        .collect();
    Ok((entries, work))
}

/// One researcher's income by year: a coordinator's, or the researcher's
/// own (anyone else's is not found). No years when no hours are approved.
pub async fn researcher_income(
    store: &dyn Store,
    caller: &Caller,
    researcher: Uuid,
) -> Result<ResearcherIncome> {
    caller.require(Capability::RecordResearchTime)?;
    let r = store
        .researcher(
            caller.programme,
            reach(caller),
            researcher,
            ReadPurpose::View,
            &caller.actor,
        )
        .await?;
    let (_, work) = paid_work(store, caller, Some(researcher), "researcher's income").await?;
    let (rule, _) = pay_rule(store, caller).await?;
    let mut all = income_by_year(RateTable::real_living_wage(), rule, &work);
    Ok(ResearcherIncome {
        researcher,
        name: (r.erased_at.is_none()).then(|| r.draft.full_name.clone()),
        years: all.remove(&researcher).unwrap_or_default(),
    })
}

/// Each researcher's cell of one payer in one year.
type Cells = Vec<Option<PayerYear>>;

fn total(v: &useit_core::disclosure::Viewer, cells: &[Option<PayerYear>]) -> PayerTotal {
    let got: Vec<PayerYear> = cells.iter().flatten().copied().collect();
    let researchers = v.count(got.len() as u64);
    let shown = !got.is_empty() && !researchers.is_hidden();
    PayerTotal {
        minutes: shown.then(|| got.iter().map(|c| c.minutes).sum()),
        pence: if shown {
            got.iter().map(|c| c.pence).sum::<Option<Pence>>()
        } else {
            None
        },
        recorded: !got.is_empty(),
        unpriced: got.iter().any(|c| c.pence.is_none()),
        researchers,
    }
}

/// Every researcher's income (names only for a caller who sees the
/// people) and the years' totals by payer.
pub async fn income(store: &dyn Store, caller: &Caller) -> Result<IncomeView> {
    caller.require(Capability::ViewResearch)?;
    let v = crate::programme::disclosure::viewer(store, caller, Capability::ManageResearch).await?;
    let (entries, work) = paid_work(store, caller, None, "income figures").await?;
    let (rule, _) = pay_rule(store, caller).await?;
    let all = income_by_year(RateTable::real_living_wage(), rule, &work);
    let mut by_year: BTreeMap<i32, (Cells, Cells)> = BTreeMap::new();
    for years in all.values() {
        for y in years {
            let slot = by_year.entry(y.year).or_default();
            slot.0.push(y.programme);
            slot.1.push(y.social_lab);
        }
    }
    if let (Some(&first), Some(&last)) = (by_year.keys().next(), by_year.keys().next_back()) {
        for y in first..=last {
            by_year.entry(y).or_default();
        }
    }
    let years = by_year
        .into_iter()
        .map(|(year, (p, s))| YearTotal {
            year,
            programme: total(&v, &p),
            social_lab: total(&v, &s),
        })
        .collect();
    let names: HashMap<Uuid, Option<String>> = entries
        .iter()
        .map(|e| (e.researcher_id, e.researcher_name.clone()))
        .collect();
    let mut researchers: Vec<ResearcherIncome> = if v.exact() {
        all.into_iter()
            .map(|(r, years)| ResearcherIncome {
                researcher: r,
                name: names.get(&r).cloned().flatten(),
                years,
            })
            .collect()
    } else {
        Vec::new()
    };
    researchers.sort_by(|a, b| a.name.cmp(&b.name).then(a.researcher.cmp(&b.researcher)));
    Ok(IncomeView {
        exact: v.exact(),
        researchers,
        years,
    })
}
