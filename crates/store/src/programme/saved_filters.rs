//! Saved filters: a member's named query strings for a list, private to
//! them unless shared with the programme.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::audit::Actor;
use useit_core::programme::saved_filter::{SavedFilter, SavedFilterDraft, SavedList};
use useit_core::{ProgrammeId, UserId};

use crate::Result;

#[async_trait]
pub trait SavedFilterStore {
    /// Saves `owner`'s filter; one of theirs of the same list and name is
    /// replaced (its query and sharing), with an audit entry either way.
    /// `owner` must be a member of the programme.
    async fn save_filter(
        &self,
        programme: ProgrammeId,
        owner: UserId,
        draft: &SavedFilterDraft,
        actor: &Actor,
    ) -> Result<SavedFilter>;
    /// The filters of `list` that `viewer` sees: their own and those
    /// shared in the programme, by name.
    async fn saved_filters(
        &self,
        programme: ProgrammeId,
        viewer: UserId,
        list: SavedList,
    ) -> Result<Vec<SavedFilter>>;
    /// Removes one of `owner`'s filters (`NotFound` for anyone else's).
    async fn delete_filter(
        &self,
        programme: ProgrammeId,
        owner: UserId,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()>;
}
