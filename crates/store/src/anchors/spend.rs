//! Spend files and their lines: an anchor's published spend imported all
//! or nothing, undone, and read back as the ledger the measures are worked
//! out from; and the records of imports running in the background (SQL in
//! `spend_sql.rs`).

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::spend_file::SpendFile;
use useit_core::audit::Actor;

use super::{ImportOutcome, LedgerRow, NewSupplier, SpendFileRecord};
use crate::Result;

/// A file ready to be written.
pub struct SpendImport<'a> {
    pub anchor: Uuid,
    pub file_name: String,
    pub sha256: String,
    pub encoding: String,
    pub file: &'a SpendFile,
    /// Suppliers not seen before, resolved against the register.
    pub new_suppliers: Vec<NewSupplier>,
    /// The order of day and month the file showed, remembered for the
    /// anchor's next file (`None`: keep what it has).
    pub date_order: Option<useit_core::anchors::dates::DateOrder>,
}

#[async_trait]
pub trait SpendStore {
    /// Writes a spend file's new lines and suppliers, all or nothing: the
    /// lines go in short transactions while the file is staging (no query
    /// reads it), then one short transaction publishes it; a failure
    /// removes what was staged. Another file of the same anchor still
    /// staging is a conflict.
    async fn import_spend(
        &self,
        programme: ProgrammeId,
        import: &SpendImport<'_>,
        progress: &(dyn Fn(u64) + Send + Sync),
        actor: &Actor,
    ) -> Result<ImportOutcome>;
    async fn spend_files(&self, programme: ProgrammeId) -> Result<Vec<SpendFileRecord>>;
    /// Undoes an import: in one short transaction the file is hidden, the
    /// revision moves (the measures are worked out again) and the audit
    /// says who did it; then its lines and record go in short
    /// transactions. `None` when the programme has no such file.
    async fn undo_spend_file(
        &self,
        programme: ProgrammeId,
        file: Uuid,
        actor: &Actor,
    ) -> Result<Option<SpendFileRecord>>;
    /// Removes the files of imports (or undos) cut off part-way, those not
    /// written to for `quiet_for`: their lines were never read, so nothing
    /// anyone saw changes. Returns how many files went.
    async fn clear_abandoned_imports(&self, quiet_for: std::time::Duration) -> Result<u64>;
    /// Writes a background import's record: as it starts, then as it ends
    /// (the same id again replaces its state, summary and problems).
    async fn record_import_job(
        &self,
        programme: ProgrammeId,
        job: &useit_core::anchors::jobs::ImportJobRecord,
    ) -> Result<()>;
    async fn import_job(
        &self,
        programme: ProgrammeId,
        id: Uuid,
    ) -> Result<Option<useit_core::anchors::jobs::ImportJobRecord>>;
    /// Every line of the programme (optionally one anchor's), oldest first.
    async fn ledger(&self, programme: ProgrammeId, anchor: Option<Uuid>) -> Result<Vec<LedgerRow>>;
}
