//! Grants imported from 360Giving files, and the spend lines paid to an
//! organisation (for its milestones). Programme-owned.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
pub(crate) use useit_core::enterprise::grants::GrantRecord;
pub(crate) use useit_core::enterprise::milestones::PaidLine;

use crate::Result;

/// What saving grants did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct GrantsSaved {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
}

#[async_trait]
pub trait GrantStore {
    /// Adds grants, or changes those held with the same identifier, in one
    /// transaction with its audit entry; the same grants twice change
    /// nothing.
    async fn save_grants(
        &self,
        programme: ProgrammeId,
        grants: &[GrantRecord],
        actor: &Actor,
    ) -> Result<GrantsSaved>;
    /// Grants held, of one organisation or all, by award date.
    async fn grants(
        &self,
        programme: ProgrammeId,
        organisation: Option<Uuid>,
    ) -> Result<Vec<GrantRecord>>;
    /// The published spend lines whose supplier was resolved (matched or
    /// accepted) to the organisation, by date.
    async fn paid_lines(&self, programme: ProgrammeId, organisation: Uuid)
    -> Result<Vec<PaidLine>>;
    /// What the anchors' published spend lines paid each organisation with
    /// income recorded (its suppliers matched or accepted), of one or all,
    /// summed by day: the contract income the lines show.
    async fn paid_by_day(
        &self,
        programme: ProgrammeId,
        organisation: Option<Uuid>,
    ) -> Result<Vec<(Uuid, time::Date, i64)>>;
}
