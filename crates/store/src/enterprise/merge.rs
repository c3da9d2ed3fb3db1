//! Organisations entered twice: merging one into the other (everything
//! that pointed at it moves, in one transaction, audited once), the merges
//! done, and the pairs someone said are not duplicates.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;

pub(crate) use useit_core::enterprise::duplicates::{MergeCounts, MergeRecord, Merged};

use crate::Result;

#[async_trait]
pub trait MergeStore {
    /// Pairs said not to be duplicates, each smaller id first.
    async fn not_duplicates(&self, programme: ProgrammeId) -> Result<Vec<(Uuid, Uuid)>>;
    /// Says two organisations are not one: the pair is no longer proposed.
    /// False when it had been said already. Audited.
    async fn mark_not_duplicate(
        &self,
        programme: ProgrammeId,
        a: Uuid,
        b: Uuid,
        actor: &Actor,
    ) -> Result<bool>;
    /// Merges done, newest first.
    async fn merges(&self, programme: ProgrammeId) -> Result<Vec<MergeRecord>>;
    /// Merges `other` into `keep`: everything that points at `other` moves
    /// to `keep`, `keep`'s blank register fields and profile fields are
    /// filled from `other`'s, `other` is removed, the revision moves (the
    /// spend measures follow), one audit entry names both. One
    /// transaction. `other` merged into `keep` before answers
    /// [`Merged::AlreadyMerged`]; into another organisation, a conflict.
    async fn merge_organisations(
        &self,
        programme: ProgrammeId,
        keep: Uuid,
        other: Uuid,
        actor: &Actor,
    ) -> Result<Merged>;
}
