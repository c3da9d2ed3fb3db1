//! The asset map's store (issue 19 item 5): a community's or the whole
//! programme's assets, with the names of the community, the register's
//! organisation and the anchor interaction each points at. Assets hold no
//! personal data (a skill is a count of people, never their names); every
//! change is one transaction with its audit entry, and an imported file is
//! one transaction for all its rows.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::community::asset::{Asset, AssetDraft, InteractionRef};

use crate::Result;

/// What an import writes: the rows that add an asset (`id` none) or change
/// the one they name.
#[derive(Clone, Copy, Debug)]
pub struct AssetWrite<'a> {
    pub id: Option<Uuid>,
    pub draft: &'a AssetDraft,
}

#[async_trait]
pub trait AssetStore {
    /// Every asset of the programme, by name.
    async fn community_assets(&self, programme: ProgrammeId) -> Result<Vec<Asset>>;
    async fn community_asset(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Asset>>;
    /// Adds an asset (`id` none) or changes one (`NotFound` for one the
    /// programme does not have). A community, organisation or interaction
    /// that is not the programme's is `Invalid`, naming the field.
    async fn save_community_asset(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        draft: &AssetDraft,
        actor: &Actor,
    ) -> Result<Asset>;
    /// Writes every row of a file in one transaction (all or nothing).
    async fn import_community_assets(
        &self,
        programme: ProgrammeId,
        rows: &[AssetWrite<'_>],
        actor: &Actor,
    ) -> Result<()>;
    /// The programme's anchor interactions, to say which unlocked a space.
    async fn asset_interaction_choices(
        &self,
        programme: ProgrammeId,
    ) -> Result<Vec<InteractionRef>>;
    /// The assets each of a community's actions builds on: (action, asset).
    async fn action_assets(
        &self,
        programme: ProgrammeId,
        community: Uuid,
    ) -> Result<Vec<(Uuid, Uuid)>>;
    /// Sets the assets an action of the community builds on (each must be
    /// the community's or the programme's own; `Invalid` otherwise).
    async fn set_action_assets(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        action: Uuid,
        assets: &[Uuid],
        actor: &Actor,
    ) -> Result<()>;
}
