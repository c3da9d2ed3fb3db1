//! The support log and income by year: what advisers record, and the
//! programme's self-sustainability trend.

use std::collections::BTreeMap;

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::enterprise::income::{IncomeInput, IncomeYear, YearCount, trend};
use useit_core::enterprise::support::{Support, SupportInput};

use crate::{Caller, Error, Result, Store};

async fn exists(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<()> {
    store
        .enterprise(caller.programme, id)
        .await?
        .map(|_| ())
        .ok_or(Error::NotFound)
}

/// Records support given to an enterprise, by the caller.
pub async fn add_support(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &SupportInput,
) -> Result<Support> {
    caller.require(Capability::EditEnterprises)?;
    let draft = input.validate(clock::today())?;
    exists(store, caller, id).await?;
    Ok(store
        .add_support(caller.programme, id, &draft, &caller.actor)
        .await?)
}

/// Records (or corrects) a year's income.
pub async fn save_income(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &IncomeInput,
) -> Result<IncomeYear> {
    caller.require(Capability::EditEnterprises)?;
    let year = input.validate()?;
    exists(store, caller, id).await?;
    store
        .save_income(caller.programme, id, &year, &caller.actor)
        .await?;
    Ok(year)
}

/// Across the programme's enterprises, per year from `first` to `last`:
/// how many earned most of their income, how many did not, how many are
/// not known.
pub async fn sustainability(
    store: &dyn Store,
    caller: &Caller,
    first: i32,
    last: i32,
) -> Result<Vec<YearCount>> {
    caller.require(Capability::ViewEnterprises)?;
    let enterprises = store.enterprises(caller.programme).await?;
    let mut income = income_years(store, caller.programme, None).await?;
    let per: Vec<Vec<IncomeYear>> = enterprises
        .iter()
        .map(|e| income.remove(&e.id).unwrap_or_default())
        .collect();
    Ok(trend(&per, first, last))
}

/// Each enterprise's income years as every figure counts them: the years
/// advisers recorded, with the 360Giving grants imported added to their
/// grants and contracts at least what the anchors' spend lines paid (one
/// rule for the directory, the enterprise's page, the trend and the home
/// page's indicators, so they agree).
pub(crate) async fn income_years(
    store: &dyn Store,
    programme: useit_core::ProgrammeId,
    organisation: Option<Uuid>,
) -> Result<BTreeMap<Uuid, Vec<IncomeYear>>> {
    use useit_core::enterprise::grants::{by_year, with_grants};
    use useit_core::enterprise::income::{paid_by_year, with_contracts};
    let mut typed: BTreeMap<Uuid, Vec<IncomeYear>> = BTreeMap::new();
    for (o, y) in store.income(programme, organisation).await? {
        typed.entry(o).or_default().push(y);
    }
    let grants = store.grants(programme, organisation).await?;
    let mut paid: BTreeMap<Uuid, Vec<(time::Date, useit_core::money::Pence)>> = BTreeMap::new();
    for (o, day, amount) in store.paid_by_day(programme, organisation).await? {
        paid.entry(o).or_default().push((day, amount));
    }
    Ok(typed
        .into_iter()
        .map(|(o, years)| {
            let years = with_grants(&years, &by_year(&grants, o));
            let days = paid.get(&o).map(Vec::as_slice).unwrap_or_default();
            (o, with_contracts(&years, &paid_by_year(days)))
        })
        .collect())
}
