//! The enterprise directory and profiles, on the programme's organisation
//! register (one organisation record, never a second table of them).

use uuid::Uuid;

use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::register::{OrganisationDetails, OrganisationInput};
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::enterprise::income::{HistoryYear, IncomeYear, history};
use useit_core::enterprise::profile::{
    Enterprise, EnterpriseQuery, LOCAL_ID_PREFIX, NewEnterpriseInput, ProfileInput, service_code,
};
use useit_core::enterprise::support::{Support, supported_in};
use useit_core::place::lookup::LookupResult;

use crate::{Caller, Error, Result, Store};

/// One line of the directory.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DirectoryRow {
    pub enterprise: Enterprise,
    /// Supported: at least one support record in the last twelve months.
    pub supported: bool,
    /// The latest income year's earned share, in basis points; None: not known.
    pub earned_share_bp: Option<u32>,
    pub latest_income_year: Option<i32>,
}

/// The enterprises of the programme, filtered and ordered.
pub async fn directory(
    store: &dyn Store,
    caller: &Caller,
    query: &EnterpriseQuery,
) -> Result<Vec<DirectoryRow>> {
    caller.require(Capability::ViewEnterprises)?;
    // A home page figure's organisations: exactly those it counts, whether
    // or not each is in the directory (an anchor's partner may not be).
    let all = match query.counted() {
        Some(f) => {
            let ids: Vec<Uuid> =
                crate::programme::indicators::counted_organisations(store, caller, f)
                    .await?
                    .unwrap_or_default()
                    .into_iter()
                    .collect();
            let mut found = store.organisations_by_ids(caller.programme, &ids).await?;
            found.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            found
        }
        None => store.enterprises(caller.programme).await?,
    };
    let support = store.support(caller.programme, None).await?;
    let income = super::records::income_years(store, caller.programme, None).await?;
    let today = clock::today();
    let year_ago = today - time::Duration::days(365);
    let words = query.q.trim().to_lowercase();
    let service = match query.service.trim() {
        "" => None,
        s => Some(service_code(s).unwrap_or_else(|| s.to_string())),
    };
    let mut rows: Vec<DirectoryRow> = all
        .into_iter()
        .filter(|e| {
            words.is_empty()
                || e.name.to_lowercase().contains(&words)
                || e.org_id.to_lowercase().contains(&words)
        })
        .filter(|e| {
            service.as_ref().is_none_or(|s| {
                e.profile
                    .as_ref()
                    .is_some_and(|p| p.services.iter().any(|x| x == s))
            })
        })
        .map(|e| {
            let latest = income
                .get(&e.id)
                .and_then(|years| years.iter().copied().max_by_key(|y| y.year));
            DirectoryRow {
                supported: supported_in(&support, e.id, year_ago, today),
                earned_share_bp: latest.and_then(|y| y.earned_share_bp()),
                latest_income_year: latest.map(|y| y.year),
                enterprise: e,
            }
        })
        .collect();
    if query.sort == "turnover" {
        rows.sort_by_key(|r| {
            std::cmp::Reverse(r.enterprise.profile.as_ref().and_then(|p| p.turnover))
        });
    }
    Ok(rows)
}

/// An enterprise with its support log and income history.
#[derive(Clone, Debug, serde::Serialize)]
pub struct EnterpriseDetail {
    pub enterprise: Enterprise,
    /// Where its postcode is: small area, decile, in the area of benefit.
    pub place: Option<LookupResult>,
    pub support: Vec<Support>,
    /// The last three years up to the latest recorded (or this year), a
    /// year without a record as not known.
    pub income: Vec<HistoryYear>,
}

pub async fn enterprise(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<EnterpriseDetail> {
    caller.require(Capability::ViewEnterprises)?;
    let enterprise = store
        .enterprise(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    let place = match &enterprise.postcode {
        Some(p) => crate::place::lookup::lookup(store, caller, std::slice::from_ref(p))
            .await?
            .pop(),
        None => None,
    };
    let support = store.support(caller.programme, Some(id)).await?;
    let years: Vec<IncomeYear> = super::records::income_years(store, caller.programme, Some(id))
        .await?
        .remove(&id)
        .unwrap_or_default();
    let last = years
        .iter()
        .map(|y| y.year)
        .max()
        .unwrap_or(clock::today().year() - 1);
    Ok(EnterpriseDetail {
        enterprise,
        place,
        support,
        income: history(&years, last - 2, last),
    })
}

/// Saves an organisation's enterprise profile; meeting the three criteria
/// recognises it as a social enterprise (its kind changes, audited).
pub async fn save_profile(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &ProfileInput,
) -> Result<Enterprise> {
    caller.require(Capability::EditEnterprises)?;
    let profile = input.validate()?;
    store
        .enterprise(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    store
        .save_profile(caller.programme, id, &profile, &caller.actor)
        .await?;
    store
        .enterprise(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)
}

/// Adds an enterprise no national register knows: it gets a local
/// identifier and the kind social enterprise. Adding the same name and
/// postcode again finds the one already added.
pub async fn add_enterprise(
    store: &dyn Store,
    caller: &Caller,
    input: &NewEnterpriseInput,
) -> Result<Enterprise> {
    caller.require(Capability::EditEnterprises)?;
    let new = input.validate()?;
    let key = useit_core::anchors::supplier::name_key(&new.name);
    let existing = store
        .enterprises(caller.programme)
        .await?
        .into_iter()
        .find(|e| {
            useit_core::anchors::supplier::name_key(&e.name) == key && e.postcode == new.postcode
        });
    if let Some(e) = existing {
        return Ok(e);
    }
    let org_id = format!("{LOCAL_ID_PREFIX}{}", Uuid::now_v7().simple());
    store
        .load_organisations(
            caller.programme,
            &[OrganisationInput {
                org_id: org_id.clone(),
                name: new.name,
                kind: SupplierKind::SocialEnterprise,
                company_number: None,
                postcode: new.postcode,
                trading_postcode: None,
                source: "enterprise".into(),
                details: OrganisationDetails::default(),
                location: None,
            }],
            &caller.actor,
        )
        .await?;
    let id = store
        .organisation_ids(caller.programme)
        .await?
        .into_iter()
        .find(|(o, _)| *o == org_id)
        .map(|(_, id)| id)
        .ok_or(Error::NotFound)?;
    store
        .enterprise(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)
}
