//! Co-learning workshops: the workshop and its tables, notes harvested per
//! table and round, actions, guest links (stored as the SHA-256 of their
//! secret) and the lineage of replications. Everything is programme-owned;
//! each write is one transaction with its audit entry.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::workshops::guest::GuestLink;
use useit_core::workshops::lineage::{Replication, ReplicationDraft};
use useit_core::workshops::note::{Action, ActionDraft, Group, Note, NoteDraft};
use useit_core::workshops::workshop::{Workshop, WorkshopDraft};

use crate::Result;

/// A new guest link: the hash of its secret and when it closes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewGuestLink {
    pub token_hash: String,
    pub hint: String,
    pub expires_at: OffsetDateTime,
}

#[async_trait]
pub trait WorkshopStore {
    /// Adds a workshop (`id` none) or replaces its plan (a conflict on a
    /// second workshop of the same title on the same day).
    async fn save_workshop(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        draft: &WorkshopDraft,
        actor: &Actor,
    ) -> Result<Workshop>;
    /// The programme's workshops, latest first.
    async fn workshops(&self, programme: ProgrammeId) -> Result<Vec<Workshop>>;
    async fn workshop(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Workshop>>;

    /// The workshop's notes, oldest first.
    async fn workshop_notes(&self, programme: ProgrammeId, workshop: Uuid) -> Result<Vec<Note>>;
    /// Adds a note, grouped as its question suggests; `guest` names the
    /// link it came through.
    async fn add_workshop_note(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        draft: &NoteDraft,
        guest: Option<Uuid>,
        actor: &Actor,
    ) -> Result<Note>;
    /// Regroups notes of the workshop in one transaction.
    async fn group_workshop_notes(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        groups: &[(Uuid, Option<Group>)],
        actor: &Actor,
    ) -> Result<()>;

    async fn workshop_actions(&self, programme: ProgrammeId, workshop: Uuid)
    -> Result<Vec<Action>>;
    async fn add_workshop_action(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        draft: &ActionDraft,
        actor: &Actor,
    ) -> Result<Action>;
    /// `NotFound` when the action is not the workshop's.
    async fn remove_workshop_action(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()>;

    async fn create_guest_link(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        link: &NewGuestLink,
        actor: &Actor,
    ) -> Result<GuestLink>;
    /// The workshop's links, newest first.
    async fn guest_links(&self, programme: ProgrammeId, workshop: Uuid) -> Result<Vec<GuestLink>>;
    /// Revokes a link of the workshop (already revoked: unchanged).
    async fn revoke_guest_link(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        id: Uuid,
        actor: &Actor,
    ) -> Result<GuestLink>;
    /// The link a secret's hash names, in whichever programme (the secret
    /// is the only thing a guest has).
    async fn guest_link_by_hash(&self, hash: &str) -> Result<Option<GuestLink>>;

    /// The lineage, in the order it was recorded.
    async fn replications(&self, programme: ProgrammeId) -> Result<Vec<Replication>>;
    /// Adds a programme to the lineage (a conflict on a name already there).
    async fn add_replication(
        &self,
        programme: ProgrammeId,
        draft: &ReplicationDraft,
        actor: &Actor,
    ) -> Result<Replication>;
}
