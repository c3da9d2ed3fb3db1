//! The Social Lab (issue 19 item 4): the coordinator marks one organisation
//! of the register as the programme's Social Lab; its page shows the
//! projects it commissioned, its income by year (the payments those
//! projects received) and the researchers it pays (approved hours on its
//! projects, priced at the Real Living Wage in force each day): the
//! strand's sustainability measure. Counts of researchers are suppressed
//! below the threshold for roles without personal-data rights.

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::disclosure::Cell;
use useit_core::money::Pence;
use useit_core::research::pay::RateTable;
use useit_core::research::project::{Commissioner, Project};
use useit_core::research::researcher::Reach;
use useit_core::research::social_lab::{Income, IncomeInput, by_year};
use useit_core::research::work::{self, TimeQuery, TimeStatus};

use super::work::pay_rule;
use crate::{Caller, Error, Result, Store};

/// The organisation marked as the Social Lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabOrganisation {
    pub id: Uuid,
    pub name: String,
    pub org_id: String,
}

/// One year of the Social Lab as the caller may see it.
#[derive(Clone, Debug, PartialEq)]
pub struct YearLine {
    pub year: i32,
    pub income: Pence,
    pub researchers: Cell,
    pub minutes: u64,
    /// `None` when some hours cannot be priced (no rate in force).
    pub pay: Option<Pence>,
}

/// The Social Lab's page.
#[derive(Clone, Debug, PartialEq)]
pub struct SocialLab {
    /// `None` until the coordinator marks one.
    pub organisation: Option<LabOrganisation>,
    pub projects: Vec<Project>,
    pub income: Vec<Income>,
    pub years: Vec<YearLine>,
    pub income_total: Pence,
    pub researchers_paid: Cell,
    pub pay_total: Option<Pence>,
    pub exact: bool,
}

pub async fn social_lab(store: &dyn Store, caller: &Caller) -> Result<SocialLab> {
    caller.require(Capability::ViewResearch)?;
    let organisation = match store.social_lab(caller.programme).await? {
        Some(id) => store
            .organisation(caller.programme, id)
            .await?
            .map(|o| LabOrganisation {
                id: o.id,
                name: o.name,
                org_id: o.org_id,
            }),
        None => None,
    };
    let projects: Vec<Project> = store
        .projects(caller.programme)
        .await?
        .into_iter()
        .filter(|p| p.draft.commissioner_kind == Commissioner::SocialLab)
        .collect();
    let ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
    let income: Vec<Income> = store
        .research_income(caller.programme)
        .await?
        .into_iter()
        .filter(|i| ids.contains(&i.project_id))
        .collect();
    let q = TimeQuery {
        status: Some(TimeStatus::Approved),
        ..Default::default()
    };
    // Figures only: names are not shown; the read is audited as such.
    let entries: Vec<_> = if ids.is_empty() {
        Vec::new()
    } else {
        store
            .time_entries(
                caller.programme,
                Reach::All,
                &q,
                &caller.actor,
                "Social Lab figures",
            )
            .await?
            .into_iter()
            .filter(|e| ids.contains(&e.project_id))
            .collect()
    };
    let (rule, _) = pay_rule(store, caller).await?;
    let run = work::pay_run(RateTable::real_living_wage(), rule, &q, &entries).ok();
    let v = crate::programme::disclosure::viewer(store, caller, Capability::ManageResearch).await?;
    let (years, paid) = match &run {
        Some(r) => by_year(&income, &r.lines),
        None => (by_year(&income, &[]).0, 0),
    };
    let years = years
        .into_iter()
        .map(|y| YearLine {
            year: y.year,
            income: y.income,
            researchers: v.count(y.researchers),
            minutes: if run.is_some() {
                y.minutes
            } else {
                entries
                    .iter()
                    .filter(|e| e.worked_on.year() == y.year)
                    .map(|e| u64::from(e.minutes))
                    .sum()
            },
            pay: run.as_ref().map(|_| y.pay),
        })
        .collect();
    Ok(SocialLab {
        organisation,
        income_total: income.iter().map(|i| i.amount).sum(),
        projects,
        income,
        years,
        researchers_paid: v.count(paid),
        pay_total: run.map(|r| r.pence),
        exact: v.exact(),
    })
}

/// Organisations of the register whose name holds `search`, to choose from.
pub async fn candidates(
    store: &dyn Store,
    caller: &Caller,
    search: &str,
) -> Result<Vec<LabOrganisation>> {
    caller.require(Capability::ManageResearch)?;
    Ok(store
        .organisations_named(caller.programme, search, 20)
        .await?
        .into_iter()
        .map(|(id, name, org_id)| LabOrganisation { id, name, org_id })
        .collect())
}

/// Marks an organisation of the register as the Social Lab (`None`: none).
pub async fn set_social_lab(
    store: &dyn Store,
    caller: &Caller,
    organisation: Option<Uuid>,
) -> Result<()> {
    caller.require(Capability::ManageResearch)?;
    store
        .set_social_lab(caller.programme, organisation, &caller.actor)
        .await
        .map_err(|e| match e {
            useit_store::StoreError::NotFound => Error::invalid(
                "organisation",
                useit_core::i18n::Message::new("research.social_lab.no_such_organisation"),
            ),
            e => e.into(),
        })
}

/// A project's payments received, oldest first (`NotFound` for a project
/// not in the programme).
pub async fn project_income(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
) -> Result<Vec<Income>> {
    caller.require(Capability::ViewResearch)?;
    if store.project(caller.programme, project).await?.is_none() {
        return Err(Error::NotFound);
    }
    Ok(store
        .research_income(caller.programme)
        .await?
        .into_iter()
        .filter(|i| i.project_id == project)
        .collect())
}

/// Records a payment a project received.
pub async fn add_income(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    input: &IncomeInput,
) -> Result<Income> {
    caller.require(Capability::ManageResearch)?;
    let draft = input.validate(clock::today())?;
    Ok(store
        .add_research_income(caller.programme, project, &draft, &caller.actor)
        .await?)
}
