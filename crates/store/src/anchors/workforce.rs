//! Anchors' workforce by home area: the cells of each anchor and year, and
//! the file each year came from. Programme-owned, like the rest of anchors.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::workforce::{Shape, WorkforceCell, Year};
use useit_core::audit::Actor;

use crate::Result;

/// One year of one anchor's workforce, ready to be written.
pub struct WorkforceImport<'a> {
    pub anchor: Uuid,
    pub year: Year,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub shape: Shape,
    pub rows_read: u64,
    pub cells: &'a [WorkforceCell],
}

/// What an import did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkforceOutcome {
    pub file_id: Uuid,
    pub cells: u64,
    /// The same file was already the one this year came from: nothing changed.
    pub already_imported: bool,
    /// A different file for this year was replaced.
    pub replaced: bool,
}

/// The file a year of an anchor's workforce came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkforceFileRecord {
    pub id: Uuid,
    pub anchor_slug: String,
    pub anchor_name: String,
    pub year: Year,
    pub file_name: String,
    pub shape: Shape,
    pub rows_read: u64,
    pub imported_at: OffsetDateTime,
    pub imported_by: String,
}

/// One stored cell with the anchor and year it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCell {
    pub anchor: Uuid,
    pub year: Year,
    pub cell: WorkforceCell,
}

#[async_trait]
pub trait WorkforceStore {
    /// Replaces the anchor's cells for the year with the file's, in one
    /// transaction with its audit entry; the same file again changes nothing.
    async fn import_workforce(
        &self,
        programme: ProgrammeId,
        import: &WorkforceImport<'_>,
        actor: &Actor,
    ) -> Result<WorkforceOutcome>;
    async fn workforce_files(&self, programme: ProgrammeId) -> Result<Vec<WorkforceFileRecord>>;
    /// Every cell of the programme (optionally one anchor's), by anchor and year.
    async fn workforce_cells(
        &self,
        programme: ProgrammeId,
        anchor: Option<Uuid>,
    ) -> Result<Vec<StoredCell>>;
}
