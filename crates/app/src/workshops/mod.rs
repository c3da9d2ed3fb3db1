//! Co-learning workshops: planning (tables, rounds, hosts, questions), the
//! harvest (the organiser's notes here, guests' in [`guest`]), the
//! synthesis (grouping, actions, the tally) and the printable summary; the
//! lineage of replications in [`lineage`]. Everyone in the programme sees
//! them (no personal data); organisers change them.

pub mod guest;
pub mod lineage;

use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::workshops::guest::{GuestLink, GuestLinkInput, issue};
use useit_core::workshops::note::{
    Action, ActionInput, Group, GroupInput, Note, NoteInput, PublishedTally, tally, validate_groups,
};
use useit_core::workshops::workshop::{Workshop, WorkshopInput};
use useit_store::workshops::NewGuestLink;

use crate::{Caller, Error, Result, Store};

pub async fn workshops(store: &dyn Store, caller: &Caller) -> Result<Vec<Workshop>> {
    caller.require(Capability::ViewWorkshops)?;
    Ok(store.workshops(caller.programme).await?)
}

pub async fn workshop(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Workshop> {
    caller.require(Capability::ViewWorkshops)?;
    store
        .workshop(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)
}

/// Plans a workshop (`id` none) or changes its plan. Fewer tables or rounds
/// than notes were taken at is refused, so no note loses its place.
pub async fn save_workshop(
    store: &dyn Store,
    caller: &Caller,
    id: Option<Uuid>,
    input: &WorkshopInput,
) -> Result<Workshop> {
    caller.require(Capability::OrganiseWorkshops)?;
    let draft = input.validate()?;
    if let Some(id) = id {
        workshop(store, caller, id).await?;
        let notes = store.workshop_notes(caller.programme, id).await?;
        let tables = notes.iter().filter_map(|n| n.draft.table).max();
        let rounds = notes.iter().filter_map(|n| n.draft.round).max();
        if tables.is_some_and(|t| usize::from(t) > draft.tables.len()) {
            return Err(Error::invalid(
                "tables",
                Message::new("workshops.fewer_tables_than_notes")
                    .arg("tables", tables.unwrap_or(0)),
            ));
        }
        if rounds.is_some_and(|r| r > draft.rounds) {
            return Err(Error::invalid(
                "rounds",
                Message::new("workshops.fewer_rounds_than_notes")
                    .arg("rounds", rounds.unwrap_or(0)),
            ));
        }
    }
    Ok(store
        .save_workshop(caller.programme, id, &draft, &caller.actor)
        .await?)
}

/// Everything the workshop's pages, the summary, the API and the CLI show:
/// the plan, the notes, the synthesis and the tally.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Summary {
    pub workshop: Workshop,
    pub notes: Vec<Note>,
    pub actions: Vec<Action>,
    /// The answers to "would you transfer", small numbers suppressed for
    /// roles that do not organise workshops (they do not read the notes'
    /// authors as organisers do).
    pub tally: PublishedTally,
    /// The notes' answers to "would you transfer" are left out: a role that
    /// sees the tally suppressed could otherwise count them one by one.
    pub answers_withheld: bool,
}

impl Summary {
    /// The notes the organiser put in `group`, in the order taken.
    pub fn grouped(&self, group: Group) -> Vec<&Note> {
        self.notes
            .iter()
            .filter(|n| n.group == Some(group))
            .collect()
    }

    /// The notes taken at `table` in `round`.
    pub fn at(&self, table: u8, round: u8) -> Vec<&Note> {
        self.notes
            .iter()
            .filter(|n| n.draft.table == Some(table) && n.draft.round == Some(round))
            .collect()
    }

    /// The notes of individual reflection.
    pub fn reflections(&self) -> Vec<&Note> {
        self.notes
            .iter()
            .filter(|n| n.draft.table.is_none())
            .collect()
    }
}

pub async fn summary(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Summary> {
    let workshop = workshop(store, caller, id).await?;
    let notes = store.workshop_notes(caller.programme, id).await?;
    let actions = store.workshop_actions(caller.programme, id).await?;
    let viewer =
        crate::programme::disclosure::viewer(store, caller, Capability::OrganiseWorkshops).await?;
    let tally = tally(&notes).publish(&viewer);
    // Whoever sees the tally with small numbers suppressed sees no note's
    // answer either (page, API, print and CLI all read this summary); the
    // reason each gave stays, as every other note does.
    let answers_withheld = !viewer.exact();
    let notes = if answers_withheld {
        notes
            .into_iter()
            .map(|mut n| {
                n.draft.answer = None;
                n
            })
            .collect()
    } else {
        notes
    };
    Ok(Summary {
        tally,
        workshop,
        notes,
        actions,
        answers_withheld,
    })
}

/// A note the organiser types in (from a flip chart, say).
pub async fn add_note(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &NoteInput,
) -> Result<Note> {
    caller.require(Capability::OrganiseWorkshops)?;
    let w = workshop(store, caller, id).await?;
    let draft = input.validate(&w.draft)?;
    Ok(store
        .add_workshop_note(caller.programme, id, &draft, None, &caller.actor)
        .await?)
}

/// Puts notes in the synthesis' groups (blank: in none).
pub async fn group_notes(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &[GroupInput],
) -> Result<()> {
    caller.require(Capability::OrganiseWorkshops)?;
    workshop(store, caller, id).await?;
    let notes = store.workshop_notes(caller.programme, id).await?;
    let groups = validate_groups(input, &notes)?;
    Ok(store
        .group_workshop_notes(caller.programme, id, &groups, &caller.actor)
        .await?)
}

pub async fn add_action(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &ActionInput,
) -> Result<Action> {
    caller.require(Capability::OrganiseWorkshops)?;
    let draft = input.validate()?;
    Ok(store
        .add_workshop_action(caller.programme, id, &draft, &caller.actor)
        .await?)
}

pub async fn remove_action(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    action: Uuid,
) -> Result<()> {
    caller.require(Capability::OrganiseWorkshops)?;
    Ok(store
        .remove_workshop_action(caller.programme, id, action, &caller.actor)
        .await?)
}

pub async fn guest_links(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Vec<GuestLink>> {
    caller.require(Capability::OrganiseWorkshops)?;
    workshop(store, caller, id).await?;
    Ok(store.guest_links(caller.programme, id).await?)
}

/// A new guest link and its secret: the secret is shown once, in the link
/// the organiser shares; only its hash is kept.
pub struct OpenedLink {
    pub link: GuestLink,
    pub secret: String,
}

pub async fn open_guest_link(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &GuestLinkInput,
) -> Result<OpenedLink> {
    open_guest_link_at(store, caller, id, input, clock::now()).await
}

/// [`open_guest_link`] as at `now`.
pub async fn open_guest_link_at(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &GuestLinkInput,
    now: OffsetDateTime,
) -> Result<OpenedLink> {
    caller.require(Capability::OrganiseWorkshops)?;
    let expires_at = input.validate(now)?;
    let issued = issue();
    let link = store
        .create_guest_link(
            caller.programme,
            id,
            &NewGuestLink {
                token_hash: issued.hash,
                hint: issued.hint,
                expires_at,
            },
            &caller.actor,
        )
        .await?;
    Ok(OpenedLink {
        link,
        secret: issued.secret,
    })
}

pub async fn revoke_guest_link(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    link: Uuid,
) -> Result<GuestLink> {
    caller.require(Capability::OrganiseWorkshops)?;
    Ok(store
        .revoke_guest_link(caller.programme, id, link, &caller.actor)
        .await?)
}
