//! The suppliers seen in the spend and the review of who each is.

use uuid::Uuid;

use useit_core::anchors::bulk::{BulkDecision, BulkDecisionInput};
use useit_core::anchors::register::Organisation;
use useit_core::anchors::register_search::{
    REGISTER_SEARCH_LIMIT, RegisterSearch, RegisterSearchInput,
};
use useit_core::anchors::resolution::{SupplierCandidate, SupplierQuery, SupplierRecord};
use useit_core::auth::Capability;
use useit_core::i18n::Message;

use crate::{Caller, Error, Result, Store};

/// The programme's suppliers as the query selects and orders them.
pub async fn suppliers(
    store: &dyn Store,
    caller: &Caller,
    query: &SupplierQuery,
) -> Result<Vec<SupplierRecord>> {
    caller.require(Capability::ViewSpend)?;
    let status = query.status()?;
    Ok(query.select(store.suppliers(caller.programme, status).await?))
}

/// One supplier with its candidate organisations and why each was proposed.
pub async fn supplier(
    store: &dyn Store,
    caller: &Caller,
    key: &str,
) -> Result<(SupplierRecord, Vec<SupplierCandidate>)> {
    caller.require(Capability::ViewSpend)?;
    let s = store
        .supplier(caller.programme, key)
        .await?
        .ok_or(Error::NotFound)?;
    let c = store.supplier_candidates(caller.programme, key).await?;
    Ok((s, c))
}

/// A person's decision on who a supplier is (an organisation, or none of
/// the candidates): remembered for every future import.
pub async fn decide(
    store: &dyn Store,
    caller: &Caller,
    key: &str,
    organisation: Option<Uuid>,
) -> Result<SupplierRecord> {
    caller.require(Capability::ManageSpend)?;
    Ok(store
        .decide_supplier(caller.programme, key, organisation, &caller.actor)
        .await?)
}

/// An organisation of the register a search found, with the local
/// authority its registered postcode lies in (`None` when the postcode is
/// not in the loaded postcode data, or the authority has no name loaded).
#[derive(Clone, Debug)]
pub struct RegisterMatch {
    pub organisation: Organisation,
    pub area: Option<String>,
}

/// What a register search found: at most [`REGISTER_SEARCH_LIMIT`]
/// organisations, by name; `more` when the register holds more matches.
#[derive(Clone, Debug)]
pub struct RegisterFound {
    pub search: RegisterSearch,
    pub matches: Vec<RegisterMatch>,
    pub more: bool,
}

/// Searches the programme's organisation register by name, company or
/// charity number, org-id or postcode, so a person can pick the
/// organisation a supplier is (then [`decide`] links them).
pub async fn search_register(
    store: &dyn Store,
    caller: &Caller,
    input: &RegisterSearchInput,
) -> Result<RegisterFound> {
    caller.require(Capability::ViewSpend)?;
    let search = input.validate()?;
    let mut found = store
        .search_organisations(caller.programme, &search, REGISTER_SEARCH_LIMIT as i64 + 1)
        .await?;
    let more = found.len() > REGISTER_SEARCH_LIMIT;
    found.truncate(REGISTER_SEARCH_LIMIT);
    // Each registered postcode's local authority, by name: one read of
    // the postcodes, one per authority named.
    let compacts: Vec<String> = found
        .iter()
        .filter_map(|o| o.postcode.as_deref())
        .filter_map(|p| useit_core::place::postcode::Postcode::parse(p).ok())
        .map(|p| p.compact().to_string())
        .collect();
    let mut authority: std::collections::HashMap<String, String> = Default::default();
    for r in store.postcodes(&compacts).await? {
        if let Some(code) = r.local_authority_code {
            authority.insert(r.postcode.replace(' ', "").to_uppercase(), code);
        }
    }
    let mut names: std::collections::HashMap<String, Option<String>> = Default::default();
    for code in authority.values() {
        if !names.contains_key(code) {
            let name = store.named_area(code).await?.map(|a| a.name);
            names.insert(code.clone(), name);
        }
    }
    let matches = found
        .into_iter()
        .map(|organisation| {
            let area = organisation
                .postcode
                .as_deref()
                .map(|p| p.replace(' ', "").to_uppercase())
                .and_then(|p| authority.get(&p))
                .and_then(|code| names.get(code).cloned().flatten());
            RegisterMatch { organisation, area }
        })
        .collect();
    Ok(RegisterFound {
        search,
        matches,
        more,
    })
}

/// What a bulk decision did: the suppliers decided, as they now stand.
#[derive(Clone, Debug)]
pub struct BulkDecided {
    pub decision: BulkDecision,
    pub suppliers: Vec<SupplierRecord>,
}

/// One decision for many suppliers of the queue, in one transaction with an
/// audit entry per supplier: either every supplier named is decided or,
/// when one is unknown or (to accept the best candidate) has none, nothing
/// is, and the error names them.
pub async fn decide_many(
    store: &dyn Store,
    caller: &Caller,
    input: &BulkDecisionInput,
) -> Result<BulkDecided> {
    caller.require(Capability::ManageSpend)?;
    let chosen = input.validate()?;
    let mut decisions = Vec::with_capacity(chosen.suppliers.len());
    let (mut unknown, mut no_candidate) = (Vec::new(), Vec::new());
    for key in &chosen.suppliers {
        let Some(s) = store.supplier(caller.programme, key).await? else {
            unknown.push(key.clone());
            continue;
        };
        let organisation = match chosen.decision {
            BulkDecision::NoMatch => None,
            BulkDecision::AcceptBest => {
                let best = store
                    .supplier_candidates(caller.programme, key)
                    .await?
                    .into_iter()
                    .next();
                match best {
                    Some(c) => Some(c.organisation.id),
                    None => {
                        no_candidate.push(s.name);
                        continue;
                    }
                }
            }
        };
        decisions.push((key.clone(), organisation));
    }
    if !unknown.is_empty() {
        return Err(Error::unknown(
            "suppliers",
            Message::new("anchors.bulk.unknown").arg("count", unknown.len()),
        ));
    }
    // Well formed, but the queue's state forbids it: nothing to accept.
    if !no_candidate.is_empty() {
        return Err(Error::Conflict {
            field: "suppliers".into(),
            message: Message::new("anchors.bulk.no_candidate")
                .arg("count", no_candidate.len())
                .arg("names", no_candidate.join(", ")),
        });
    }
    store
        .decide_suppliers(caller.programme, &decisions, &caller.actor)
        .await?;
    let mut suppliers = Vec::with_capacity(decisions.len());
    for (key, _) in &decisions {
        if let Some(s) = store.supplier(caller.programme, key).await? {
            suppliers.push(s);
        }
    }
    Ok(BulkDecided {
        decision: chosen.decision,
        suppliers,
    })
}
