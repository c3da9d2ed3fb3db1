//! Duplicates: one person registered twice, merged into one record. Apart
//! from the people's trait because a merge moves every kind of record from
//! one person to the other (SQL in `duplicates_sql.rs`).

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;

use super::{Caseload, Person};
use crate::Result;

#[async_trait]
pub trait DuplicateStore {
    /// Merges `other` into `keep` (one person registered twice): `other`'s
    /// records move to `keep` (a step or placement both hold is kept once),
    /// `keep`'s blank fields take `other`'s values, and `other` is removed.
    /// Both must be in the caseload.
    async fn merge_people(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        keep: Uuid,
        other: Uuid,
        actor: &Actor,
    ) -> Result<Person>;
}
