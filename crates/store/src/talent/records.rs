//! A person's records: the pathway steps they passed, their language
//! results, barriers raised and resolved, support given, case notes, and
//! consent withdrawn or work found. Kept apart from the profile because
//! every change also sets the person's funnel stage from the records after
//! it (SQL in `records_sql.rs`).

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;

use super::{Caseload, RecordChange};
use crate::Result;

#[async_trait]
pub trait RecordStore {
    /// Records a change, audits it and sets the person's funnel stage from
    /// the records after it, in one transaction.
    async fn change_records(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        change: &RecordChange,
        actor: &Actor,
    ) -> Result<()>;
    /// Records many changes (one person each) in one transaction, each with
    /// its audit entry and the person's funnel stage set after it: one
    /// person outside the caseload (`NotFound`), erased or refused and
    /// nothing is written.
    async fn change_records_many(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        changes: &[(Uuid, RecordChange)],
        actor: &Actor,
    ) -> Result<()>;
}
