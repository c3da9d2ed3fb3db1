//! Communities and their CED plans. A community's area is written by the
//! place store's versioned-selection writer (`place::sql::insert_selection`),
//! the one the area of benefit uses, and read back as the same
//! `AreaOfBenefit` version. Members (accounts of the programme) are
//! personal data: listing them writes a read entry to the audit log. Every
//! write is one transaction with its audit entry.

use std::collections::BTreeSet;

pub mod assets;

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::audit::Actor;
use useit_core::community::plan::{Action, ActionDraft, Plan};
use useit_core::community::record::{Community, CommunityDraft, CommunityMember};
use useit_core::place::selection::AreaSelection;
use useit_core::{ProgrammeId, UserId};

use crate::Result;

/// A new version of a community's area: the selection, the codes it
/// resolved to and why it changed.
#[derive(Clone, Copy, Debug)]
pub struct AreaVersion<'a> {
    pub selection: &'a AreaSelection,
    pub codes: &'a BTreeSet<String>,
    pub note: &'a str,
}

#[async_trait]
pub trait CommunityStore {
    /// Adds a community with the first version of its area (a conflict on
    /// a name the programme already has).
    async fn add_community(
        &self,
        programme: ProgrammeId,
        draft: &CommunityDraft,
        area: AreaVersion<'_>,
        actor: &Actor,
    ) -> Result<Community>;
    /// Changes a community's name and description and, when `area` is
    /// given, saves its area's next version, in one transaction.
    async fn update_community(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        draft: &CommunityDraft,
        area: Option<AreaVersion<'_>>,
        actor: &Actor,
    ) -> Result<Community>;
    /// The programme's communities by name, each with its area in force,
    /// its plan's status and its progress.
    async fn communities(&self, programme: ProgrammeId) -> Result<Vec<Community>>;
    async fn community(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Community>>;
    /// The small areas of a version of a community's area.
    async fn community_area_codes(
        &self,
        programme: ProgrammeId,
        area_id: Uuid,
    ) -> Result<BTreeSet<String>>;

    /// Who the members are (personal data: the read is audited).
    async fn community_members(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        actor: &Actor,
    ) -> Result<Vec<CommunityMember>>;
    /// Whether an account is a member of the community (no personal data
    /// leaves the store: the answer decides an edit).
    async fn is_community_member(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        user: UserId,
    ) -> Result<bool>;
    /// Adds an account of the programme as a member (a conflict when it
    /// is one already).
    async fn add_community_member(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        user: UserId,
        actor: &Actor,
    ) -> Result<()>;
    /// `NotFound` when the account is not a member.
    async fn remove_community_member(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        user: UserId,
        actor: &Actor,
    ) -> Result<()>;

    async fn community_plan(&self, programme: ProgrammeId, community: Uuid)
    -> Result<Option<Plan>>;
    /// Writes the community's plan (the first time or again).
    async fn save_community_plan(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        plan: &Plan,
        actor: &Actor,
    ) -> Result<Plan>;
    /// The plan's actions in the order they were added.
    async fn community_actions(
        &self,
        programme: ProgrammeId,
        community: Uuid,
    ) -> Result<Vec<Action>>;
    /// Adds an action (`id` none) or changes one of the community's
    /// (`NotFound` for another's). Organisations must be the programme's.
    async fn save_community_action(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        id: Option<Uuid>,
        draft: &ActionDraft,
        actor: &Actor,
    ) -> Result<Action>;
    /// The register's organisations (id, name) by name, at most `limit`.
    async fn organisation_choices(
        &self,
        programme: ProgrammeId,
        limit: i64,
    ) -> Result<Vec<(Uuid, String)>>;
    /// Which of these organisation ids are the programme's.
    async fn organisations_known(
        &self,
        programme: ProgrammeId,
        ids: &[Uuid],
    ) -> Result<BTreeSet<Uuid>>;
    /// How many communities the programme has and the day each one's plan
    /// was adopted, for plans adopted or in delivery (the indicator's dated
    /// facts), in one read: the home page asks on every request.
    async fn plans_adopted(&self, programme: ProgrammeId) -> Result<PlanAdoptions>;
}

/// The communities and their adopted plans, as the indicator counts them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanAdoptions {
    /// Every community of the programme, with a plan or not.
    pub communities: u64,
    /// The day each adopted (or in delivery) plan was adopted, earliest first.
    pub adopted: Vec<Date>,
}
