//! The organisations in the partnership: the list, one partner (or where a
//! merged-away one went), adding and changing one, and its contact person,
//! whose every read is audited.

use useit_core::PartnerId;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::listing::{Page, PageRequest};
use useit_core::programme::{
    ContactInput, Partner, PartnerContact, PartnerDraft, PartnerInput, PartnerQuery,
};

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
