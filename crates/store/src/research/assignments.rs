//! Researchers assigned to research projects (issue 19 item 3). An
//! assignment names its researcher, so every read that finds one is
//! audited, and every write, in its transaction.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::research::assignment::{Assignment, AssignmentDraft};

use crate::Result;

/// Which assignments to read (each `None`: any).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AssignmentQuery {
    pub id: Option<Uuid>,
    pub project: Option<Uuid>,
    pub researcher: Option<Uuid>,
}

#[async_trait]
pub trait AssignmentStore {
    /// The programme's assignments the query selects, by project, then
    /// researcher, then first day; audited (with `purpose`) when any.
    async fn assignments(
        &self,
        programme: ProgrammeId,
        query: AssignmentQuery,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<Assignment>>;
    /// Assigns a researcher to a project. `Unknown` naming `researcher` for
    /// a researcher the programme does not have (or erased), `NotFound` for
    /// a project it does not have.
    async fn add_assignment(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        draft: &AssignmentDraft,
        actor: &Actor,
    ) -> Result<Assignment>;
    /// Sets an assignment's last day (`NotFound` outside the programme).
    async fn end_assignment(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        ends_on: Date,
        actor: &Actor,
    ) -> Result<Assignment>;
}
