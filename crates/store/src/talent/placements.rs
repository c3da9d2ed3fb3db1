//! Placements: a person the matcher proposed put forward for a vacancy,
//! then moved on until they start or leave (SQL in `placements_sql.rs`).
//! Placements name people, so they keep to the caseload and their reads
//! are audited.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::talent::casework::PlacementStatus;

use super::{Caseload, Placement};
use crate::Result;

/// A pair the matcher proposed, confirmed: the person is put forward for the
/// vacancy with the score and its reasons (JSON) as the matcher explained them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub person: Uuid,
    pub vacancy: Uuid,
    pub score: i64,
    pub reasons: String,
}

#[async_trait]
pub trait PlacementStore {
    /// Puts a person forward for a vacancy. Refuses (conflict on `vacancy`)
    /// when every post is held, so posts are never over-filled, and (conflict
    /// on `person`) someone erased, without consent or already in work.
    async fn confirm_placement(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        proposal: &Proposal,
        actor: &Actor,
    ) -> Result<Placement>;
    /// Moves a placement on (only to a status `PlacementStatus::next`
    /// allows); `started` puts the person into NHS work.
    async fn set_placement_status(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        placement: Uuid,
        status: PlacementStatus,
        on: Date,
        actor: &Actor,
    ) -> Result<Placement>;
    /// Moves every placement named to one status in one transaction, with
    /// an audit entry each; one that may not move there or is outside the
    /// caseload and none moves.
    async fn set_placement_statuses(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        placements: &[Uuid],
        status: PlacementStatus,
        on: Date,
        actor: &Actor,
    ) -> Result<Vec<Placement>>;
    /// The caseload's placements, newest change first. They name people,
    /// so the read is in the audit log with its `purpose`.
    async fn placements(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<Placement>>;
}
