//! Anchors' interactions with organisations of the register, and the
//! practice changes they prompted (issue 17.4, 17.5). Programme-owned: the
//! foreign keys include the programme, so a row cannot point at another
//! programme's anchor or organisation.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::interactions::{Interaction, InteractionDraft};
use useit_core::anchors::practice::{PracticeChange, PracticeDraft};
use useit_core::audit::Actor;

use crate::Result;

/// An interaction with its anchor and organisation found.
pub struct InteractionRow<'a> {
    pub anchor_id: Uuid,
    pub organisation_id: Uuid,
    pub draft: &'a InteractionDraft,
}

/// What a save did: an interaction already held with the same end and
/// evidence is unchanged, so the same file twice changes nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InteractionsOutcome {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[async_trait]
pub trait InteractionStore {
    /// Every interaction of the programme, with anchor and organisation names.
    async fn interactions(&self, programme: ProgrammeId) -> Result<Vec<Interaction>>;
    /// Adds or updates (by anchor, organisation, kind and start) in one
    /// transaction with its audit entry.
    async fn save_interactions(
        &self,
        programme: ProgrammeId,
        rows: &[InteractionRow<'_>],
        source: &str,
        actor: &Actor,
    ) -> Result<InteractionsOutcome>;
    /// Changes one interaction (any field: a corrected start, its end) in
    /// one transaction with its audit entry. `NotFound` when the programme
    /// has no such interaction; a conflict on `started_on` when another
    /// already has the same anchor, organisation, kind and start.
    async fn update_interaction(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        row: &InteractionRow<'_>,
        actor: &Actor,
    ) -> Result<()>;
    async fn practice_changes(&self, programme: ProgrammeId) -> Result<Vec<PracticeChange>>;
    /// Records a practice change; the interaction it names must be the
    /// anchor's own (else `NotFound`).
    async fn add_practice_change(
        &self,
        programme: ProgrammeId,
        anchor_id: Uuid,
        draft: &PracticeDraft,
        actor: &Actor,
    ) -> Result<Uuid>;
}
