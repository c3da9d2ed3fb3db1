//! What a guest with a link may do: see the one workshop's note form and
//! add notes to it, while the link is open. A guest has no account and no
//! programme role; the link's secret is all they hold, so everything here
//! starts from its hash and reaches only the workshop it names.

use time::OffsetDateTime;

use useit_core::audit::Actor;
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::workshops::guest::{GuestLink, lookup_hash};
use useit_core::workshops::note::{Note, NoteInput};
use useit_core::workshops::workshop::Workshop;

use crate::{Error, Result, Store};

/// The workshop a guest link opens, with the link.
pub struct GuestView {
    pub link: GuestLink,
    pub workshop: Workshop,
}

/// The workshop an open link reaches: an unknown secret is not found; an
/// expired or revoked one says so (it tells nothing the guest did not have).
pub async fn open_at(store: &dyn Store, secret: &str, now: OffsetDateTime) -> Result<GuestView> {
    let link = store
        .guest_link_by_hash(&lookup_hash(secret))
        .await?
        .ok_or(Error::NotFound)?;
    if !link.is_open_at(now) {
        return Err(Error::Conflict {
            field: "link".into(),
            message: Message::new("workshops.guest.closed"),
        });
    }
    let workshop = store
        .workshop(link.programme_id, link.workshop_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(GuestView { link, workshop })
}

pub async fn open(store: &dyn Store, secret: &str) -> Result<GuestView> {
    open_at(store, secret, clock::now()).await
}

/// Adds a guest's note to the link's workshop, audited under the link.
pub async fn add_note(store: &dyn Store, secret: &str, input: &NoteInput) -> Result<Note> {
    add_note_from(store, secret, input, None).await
}

/// [`add_note`] from a guest at a network address (the web's), which the
/// audit entry records.
pub async fn add_note_from(
    store: &dyn Store,
    secret: &str,
    input: &NoteInput,
    address: Option<String>,
) -> Result<Note> {
    let v = open(store, secret).await?;
    let draft = input.validate(&v.workshop.draft)?;
    let actor = Actor::system(&format!("guest link …{}", v.link.hint)).at_address(address);
    Ok(store
        .add_workshop_note(
            v.link.programme_id,
            v.link.workshop_id,
            &draft,
            Some(v.link.id),
            &actor,
        )
        .await?)
}
