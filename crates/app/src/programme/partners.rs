//! The organisations in the partnership: the list, one partner (or where a
//! merged-away one went), adding and changing one, and its contact person,
//! whose every read is audited.

use std::sync::Mutex;

use time::Date;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::listing::{Page, PageRequest};
use useit_core::programme::{
    ContactInput, Partner, PartnerContact, PartnerDraft, PartnerInput, PartnerQuery,
};
use useit_core::{PartnerId, ProgrammeId};

use useit_store::revision;

use crate::{Caller, Error, Result, Store};

/// The partners the query selects, in its order, one page of them.
pub async fn partners(
    store: &dyn Store,
    caller: &Caller,
    query: &PartnerQuery,
    page: PageRequest,
) -> Result<Page<Partner>> {
    caller.require(Capability::ViewPartners)?;
    Ok(store
        .list_partners(caller.programme, query, clock::today(), page)
        .await?)
}

/// Pages of the partner list as served (the API keeps its serialised JSON),
/// kept while the programme's partners stand: each with the list counter it
/// was read at (`list_revisions`, moved by a trigger on every write to
/// `partners`, whichever process makes it), by programme, query, page and
/// day (whether a partner is current depends on the day). A page whose
/// counter has moved is read again, so any write shows on the very next
/// request.
pub struct KeptPartnerPages<T> {
    keep: usize,
    /// Most recently used last.
    held: Mutex<Vec<(PageKey, i64, T)>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct PageKey {
    programme: ProgrammeId,
    query: PartnerQuery,
    page: PageRequest,
    today: Date,
}

impl<T> Default for KeptPartnerPages<T> {
    fn default() -> Self {
        KeptPartnerPages::new(64)
    }
}

impl<T> KeptPartnerPages<T> {
    /// Keeps at most `keep` pages, over all programmes (0: keeps none,
    /// reads every time).
    pub fn new(keep: usize) -> Self {
        KeptPartnerPages {
            keep,
            held: Mutex::new(Vec::new()),
        }
    }
}

impl<T: Clone> KeptPartnerPages<T> {
    fn get(&self, key: &PageKey, revision: i64) -> Option<T> {
        let mut held = self.held.lock().expect("kept pages lock");
        let i = held.iter().position(|(k, _, _)| k == key)?;
        if held[i].1 != revision {
            held.remove(i);
            return None;
        }
        let entry = held.remove(i);
        let value = entry.2.clone();
        held.push(entry);
        Some(value)
    }

    fn put(&self, key: PageKey, revision: i64, value: T) {
        let mut held = self.held.lock().expect("kept pages lock");
        // Pages read before a write are of no more use to anyone.
        held.retain(|(k, r, _)| *k != key && !(k.programme == key.programme && *r < revision));
        if held.len() >= self.keep {
            held.remove(0);
        }
        held.push((key, revision, value));
    }
}

/// One page of the partners the query selects, as `make` shapes it (the
/// API: its JSON, serialised), kept in `kept` while the programme's
/// partners stand: an unchanged page costs one counter read, and a page
/// read before any write to the partners is never served after it.
pub async fn partners_kept<T: Clone>(
    store: &dyn Store,
    caller: &Caller,
    query: &PartnerQuery,
    page: PageRequest,
    kept: &KeptPartnerPages<T>,
    make: impl FnOnce(Page<Partner>, Date) -> T,
) -> Result<T> {
    caller.require(Capability::ViewPartners)?;
    let today = clock::today();
    if kept.keep == 0 {
        let rows = store
            .list_partners(caller.programme, query, today, page)
            .await?;
        return Ok(make(rows, today));
    }
    // The counter first, then the rows: what is kept is never older than
    // the counter it is kept under.
    let revision = match caller.read_at {
        Some(r) => r.partners,
        None => {
            store
                .list_revision(caller.programme, revision::PARTNERS)
                .await?
        }
    };
    let key = PageKey {
        programme: caller.programme,
        query: query.clone(),
        page,
        today,
    };
    if let Some(v) = kept.get(&key, revision) {
        return Ok(v);
    }
    let rows = store
        .list_partners(caller.programme, query, today, page)
        .await?;
    let value = make(rows, today);
    kept.put(key, revision, value.clone());
    Ok(value)
}

/// A partner that stands (a merged-away one is not found).
pub async fn partner(store: &dyn Store, caller: &Caller, id: PartnerId) -> Result<Partner> {
    caller.require(Capability::ViewPartners)?;
    store
        .partner(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)
}

/// A partner, or the one a merged-away partner went into (so its old
/// address still leads somewhere).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Partner(Partner),
    MergedInto(PartnerId),
}

pub async fn find_partner(store: &dyn Store, caller: &Caller, id: PartnerId) -> Result<Found> {
    caller.require(Capability::ViewPartners)?;
    if let Some(p) = store.partner(caller.programme, id).await? {
        return Ok(Found::Partner(p));
    }
    store
        .partner_merged_into(caller.programme, id)
        .await?
        .map(Found::MergedInto)
        .ok_or(Error::NotFound)
}

/// The partner's contact person: personal data, so the read is audited.
pub async fn contact(store: &dyn Store, caller: &Caller, id: PartnerId) -> Result<PartnerContact> {
    caller.require(Capability::ViewPartnerContacts)?;
    Ok(store
        .partner_contact(caller.programme, id, &caller.actor)
        .await?)
}

/// A partner (and contact person) to write: editing partners takes its
/// capability, and writing a contact person the right to see one.
fn checked(
    caller: &Caller,
    input: &PartnerInput,
    contact: Option<&ContactInput>,
) -> Result<(PartnerDraft, Option<PartnerContact>)> {
    caller.require(Capability::EditPartners)?;
    if contact.is_some() {
        caller.require(Capability::ViewPartnerContacts)?;
    }
    Ok(input.validate_with_contact(contact)?)
}

/// Adds a partner, with its contact person when given (which takes the
/// right to see contacts).
pub async fn create_partner(
    store: &dyn Store,
    caller: &Caller,
    input: &PartnerInput,
    contact: Option<&ContactInput>,
) -> Result<Partner> {
    let (draft, contact) = checked(caller, input, contact)?;
    Ok(store
        .create_partner(
            caller.programme,
            &draft,
            &contact.unwrap_or_default(),
            &caller.actor,
        )
        .await?)
}

/// Changes a partner; without `contact` its contact person is left as it is.
pub async fn update_partner(
    store: &dyn Store,
    caller: &Caller,
    id: PartnerId,
    input: &PartnerInput,
    contact: Option<&ContactInput>,
) -> Result<Partner> {
    let (draft, contact) = checked(caller, input, contact)?;
    Ok(store
        .update_partner(
            caller.programme,
            id,
            &draft,
            contact.as_ref(),
            &caller.actor,
        )
        .await?)
}

/// Replaces the partner's contact person, leaving the rest as it is.
pub async fn set_contact(
    store: &dyn Store,
    caller: &Caller,
    id: PartnerId,
    input: &ContactInput,
) -> Result<PartnerContact> {
    caller.require(Capability::EditPartners)?;
    let contact = input.validate()?;
    let p = store
        .partner(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    store
        .update_partner(
            caller.programme,
            id,
            &p.draft(),
            Some(&contact),
            &caller.actor,
        )
        .await?;
    Ok(contact)
}
