//! The support log and income by year: what advisers record, and the
//! programme's self-sustainability trend.

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
    let income = store.income(caller.programme, None).await?;
    let imported = store.grants(caller.programme, None).await?;
    let per: Vec<Vec<IncomeYear>> = enterprises
        .iter()
        .map(|e| {
            let years: Vec<IncomeYear> = income
                .iter()
                .filter(|(o, _)| *o == e.id)
                .map(|(_, y)| *y)
                .collect();
            useit_core::enterprise::grants::with_grants(
                &years,
                &useit_core::enterprise::grants::by_year(&imported, e.id),
            )
        })
        .collect();
    Ok(trend(&per, first, last))
}
