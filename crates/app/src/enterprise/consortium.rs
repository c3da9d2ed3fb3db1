//! For one lot: who can bid alone, exactly why each of the others cannot,
//! and the best consortia of those who cannot (the core builder), each
//! with its suggested lead and how it meets every requirement.

use std::collections::HashMap;

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::enterprise::consortium::{Consortia, Options, build};
use useit_core::enterprise::eligibility::{Eligibility, eligibility};
use useit_core::enterprise::lot::Lot;
use useit_core::enterprise::offer::EnterpriseOffer;
use useit_core::place::postcode::Postcode;

use crate::{Caller, Result, Store};

/// What the lot page, the API and the CLI show.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LotAnswer {
    pub lot: Lot,
    /// Every enterprise with a profile, as matched.
    pub offers: Vec<EnterpriseOffer>,
    pub eligibility: Eligibility,
    /// Consortia of two or more (those who qualify alone are bids already).
    pub consortia: Consortia,
}

impl LotAnswer {
    pub fn name(&self, id: Uuid) -> &str {
        self.offers
            .iter()
            .find(|o| o.id == id)
            .map_or("", |o| o.name.as_str())
    }
}

/// The enterprises' offers: each profile, placed by its postcode's decile
/// and whether it is in the area of benefit.
pub async fn offers(store: &dyn Store, caller: &Caller) -> Result<Vec<EnterpriseOffer>> {
    caller.require(Capability::ViewEnterprises)?;
    let enterprises = store.enterprises(caller.programme).await?;
    let postcodes: Vec<String> = enterprises
        .iter()
        .filter_map(|e| e.postcode.clone())
        .filter(|p| Postcode::parse(p).is_ok())
        .collect();
    let places: HashMap<String, (Option<u8>, bool)> = if postcodes.is_empty() {
        HashMap::new()
    } else {
        crate::place::lookup::lookup(store, caller, &postcodes)
            .await?
            .into_iter()
            .map(|r| {
                (
                    r.input.clone(),
                    (r.decile, r.in_area_of_benefit.unwrap_or(false)),
                )
            })
            .collect()
    };
    Ok(enterprises
        .iter()
        .filter_map(|e| {
            let p = e.profile.as_ref()?;
            let (decile, in_aob) = e
                .postcode
                .as_ref()
                .and_then(|pc| places.get(pc).copied())
                .unwrap_or((None, false));
            Some(p.offer(e.id, &e.name, decile, in_aob))
        })
        .collect())
}

/// The lot's answer: eligibility on today's date, and up to `alternatives`
/// consortia.
pub async fn consortium(
    store: &dyn Store,
    caller: &Caller,
    lot: Uuid,
    alternatives: usize,
) -> Result<LotAnswer> {
    let lot = super::lots::lot(store, caller, lot).await?;
    let offers = offers(store, caller).await?;
    let eligibility = eligibility(&lot.draft.requirements, &offers, clock::today());
    let consortia = build(
        &lot.draft.requirements,
        &offers,
        Options {
            alternatives: alternatives.clamp(1, 20),
            min_members: 2,
            ..Options::default()
        },
    );
    Ok(LotAnswer {
        lot,
        offers,
        eligibility,
        consortia,
    })
}
