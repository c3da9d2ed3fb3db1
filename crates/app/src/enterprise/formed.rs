//! Consortia actually formed and their bids (the builder's proposals are
//! never recorded as formed). A won bid is followed into the spend: money
//! the lot's anchor paid the lead or a member on or after the award,
//! computed from the resolved spend lines.

use std::collections::HashSet;

use time::Date;
use uuid::Uuid;

use useit_core::anchors::supplier::name_key;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::enterprise::formed::{
    Bid, BidInput, Consortium, ConsortiumInput, WonSpend, spend_after,
};
use useit_core::enterprise::lot::Lot;
use useit_core::i18n::Message;

use crate::anchors::Ledgers;
use crate::{Caller, Error, Result, Store};

/// A consortium as the pages, the API and the CLI show it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ConsortiumView {
    pub consortium: Consortium,
    /// Members' names, the lead first, in the order of `members`.
    pub member_names: Vec<String>,
    pub lot: Option<Lot>,
    /// The anchor buying the lot (its short name and name), when known.
    pub anchor: Option<(String, String)>,
    /// The day of the latest won bid.
    #[serde(with = "useit_core::iso_date::option")]
    pub won_on: Option<Date>,
    /// After a win: what the anchor paid the lead or members since the
    /// award. None: no win, or the lot's anchor is not known (not known is
    /// not nothing).
    pub won_spend: Option<WonSpend>,
}

/// Every consortium formed in the programme, with the money after a win.
pub async fn consortia(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
) -> Result<Vec<ConsortiumView>> {
    caller.require(Capability::ViewEnterprises)?;
    let all = store.consortia(caller.programme).await?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let lots = store.lots(caller.programme).await?;
    let ledger = crate::anchors::ledger::ledger(store, caller, ledgers).await?;
    let keys = store.resolved_supplier_keys(caller.programme).await?;
    let mut out = Vec::new();
    for c in all {
        let mut member_names = Vec::new();
        for m in &c.draft.members {
            member_names.push(
                store
                    .enterprise(caller.programme, *m)
                    .await?
                    .map(|e| e.name)
                    .unwrap_or_default(),
            );
        }
        let lot = c
            .draft
            .lot
            .and_then(|id| lots.iter().find(|l| l.id == id).cloned());
        let anchor = lot.as_ref().and_then(|l| {
            let a = match &l.draft.anchor {
                Some(slug) => ledger.anchors.iter().find(|a| a.slug == *slug),
                None => {
                    let k = name_key(&l.draft.buyer);
                    ledger.anchors.iter().find(|a| name_key(&a.name) == k)
                }
            }?;
            Some((a.slug.clone(), a.name.clone()))
        });
        let won_on = c.won_on();
        let won_spend = match (&anchor, won_on) {
            (Some((slug, _)), Some(day)) => {
                let mine: HashSet<&str> = keys
                    .iter()
                    .filter(|(o, _)| c.draft.members.contains(o))
                    .map(|(_, k)| k.as_str())
                    .collect();
                Some(spend_after(
                    &ledger.lines,
                    &ledger.suppliers,
                    slug,
                    &mine,
                    day,
                ))
            }
            _ => None,
        };
        out.push(ConsortiumView {
            consortium: c,
            member_names,
            lot,
            anchor,
            won_on,
            won_spend,
        });
    }
    Ok(out)
}

/// Records a consortium formed (or changes one): members and lead must be
/// organisations of the register, the lot one of the programme's.
pub async fn save_consortium(
    store: &dyn Store,
    caller: &Caller,
    id: Option<Uuid>,
    input: &ConsortiumInput,
) -> Result<Consortium> {
    caller.require(Capability::EditEnterprises)?;
    let draft = input.validate(clock::today())?;
    let mut unknown = Vec::new();
    for m in &draft.members {
        if store.enterprise(caller.programme, *m).await?.is_none() {
            unknown.push(m.to_string());
        }
    }
    // Well-formed ids the programme does not have: a 404 naming the field.
    if !unknown.is_empty() {
        return Err(Error::unknown(
            "members",
            Message::new("enterprise.consortium.unknown_member").arg("value", unknown.join(", ")),
        ));
    }
    if let Some(l) = draft.lot
        && store.lot(caller.programme, l).await?.is_none()
    {
        return Err(Error::unknown(
            "lot",
            Message::new("enterprise.consortium.unknown_lot").arg("value", l),
        ));
    }
    let id = store
        .save_consortium(caller.programme, id, &draft, &caller.actor)
        .await?;
    store
        .consortia(caller.programme)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(Error::NotFound)
}

/// Records a bid's outcome for a consortium.
pub async fn add_bid(
    store: &dyn Store,
    caller: &Caller,
    consortium: Uuid,
    input: &BidInput,
) -> Result<Bid> {
    caller.require(Capability::EditEnterprises)?;
    let c = store
        .consortia(caller.programme)
        .await?
        .into_iter()
        .find(|c| c.id == consortium)
        .ok_or(Error::NotFound)?;
    let draft = input.validate(clock::today(), c.draft.formed_on)?;
    Ok(store
        .add_bid(caller.programme, consortium, &draft, &caller.actor)
        .await?)
}
