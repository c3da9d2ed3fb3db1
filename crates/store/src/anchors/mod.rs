//! Anchor institutions, their sites and spend, the organisation register
//! and the suppliers resolved against it. Everything is programme-owned.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::spend_file::SpendFile;
use useit_core::anchors::supplier::RegisterEntry;
use useit_core::audit::Actor;

pub(crate) use useit_core::anchors::anchor::{Anchor, AnchorDraft, AnchorKind, Site};
pub(crate) use useit_core::anchors::ledger::{ImportOutcome, LedgerRow, SpendFileRecord};
pub(crate) use useit_core::anchors::register::{
    Organisation, OrganisationDetails, OrganisationInput,
};
pub(crate) use useit_core::anchors::resolution::{
    NewSupplier, SupplierCandidate, SupplierFacts, SupplierRecord, SupplierStatus,
};
pub(crate) use useit_core::anchors::settings::SpendSettings;

use crate::Result;

pub mod interactions;
pub mod workforce;

/// A register load ready to be written.
pub struct RegisterLoad<'a> {
    /// What was loaded, for the audit entry (a file name or a source).
    pub source: &'a str,
    /// Each entry with the id it has (or will have).
    pub orgs: &'a [(Uuid, useit_core::anchors::register::OrganisationInput)],
    /// Suppliers waiting for a match, resolved again against the register
    /// as it will be.
    pub rechecked: &'a [NewSupplier],
}

/// What a streamed register load sends the store, in order: rows as the
/// file is read, then its end.
pub enum RegisterStream {
    /// The next rows (a few thousand at most: memory stays bounded however
    /// long the file).
    Orgs(Vec<useit_core::anchors::register::OrganisationInput>),
    /// The file is read: write what was sent (`true`), or nothing.
    End { write: bool },
}

/// The caller's rule for the suppliers waiting for a match, given the
/// register (id and entry) as the load leaves it: what each is now.
pub type Recheck = Box<dyn FnOnce(Vec<(Uuid, RegisterEntry)>) -> Vec<NewSupplier> + Send>;

/// What a register load did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegisterLoadOutcome {
    pub entries: u64,
    pub new: u64,
    /// Suppliers whose resolution the load changed.
    pub rechecked: u64,
}

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
#[async_trait]
pub trait AnchorStore {
    async fn list_anchors(&self, programme: ProgrammeId) -> Result<Vec<Anchor>>;
    async fn anchor(&self, programme: ProgrammeId, slug: &str) -> Result<Option<Anchor>>;
    /// Creates the anchor, or changes the one with this slug (sites replaced).
    async fn save_anchor(
        &self,
        programme: ProgrammeId,
        input: &AnchorDraft,
        actor: &Actor,
    ) -> Result<Anchor>;
    /// Loads register entries in one transaction; the same file twice
    /// changes nothing. Returns how many were new.
    async fn load_organisations(
        &self,
        programme: ProgrammeId,
        orgs: &[OrganisationInput],
        actor: &Actor,
    ) -> Result<u64>;
    /// Loads register entries (an org-id already held keeps its id) and the
    /// suppliers re-checked against the fuller register, in one transaction.
    /// A supplier matched or decided meanwhile is left as it is.
    async fn load_register(
        &self,
        programme: ProgrammeId,
        load: &RegisterLoad<'_>,
        actor: &Actor,
    ) -> Result<RegisterLoadOutcome>;
    /// A register load streamed in, all in one transaction: each batch of
    /// rows is written as it arrives (an org-id already held keeps its id;
    /// a merged-away one goes to the organisation it was merged into),
    /// then, at the end, `recheck` is given the register as it now is and
    /// the suppliers it returns are written as [`Self::load_register`]
    /// writes them. `None` (nothing written) when the stream ends asking
    /// for nothing or closes without its end.
    async fn load_register_stream(
        &self,
        programme: ProgrammeId,
        source: &str,
        rows: tokio::sync::mpsc::Receiver<RegisterStream>,
        recheck: Option<Recheck>,
        actor: &Actor,
    ) -> Result<Option<RegisterLoadOutcome>>;
    /// A links file's load, all in one transaction: each pair `(keep,
    /// other)` joined with the organisation merge (a pair already joined is
    /// left as it is), then `marks` written as [`Self::load_register`] does.
    /// Returns how many pairs were joined now.
    async fn load_links(
        &self,
        programme: ProgrammeId,
        joins: &[(Uuid, Uuid)],
        marks: &RegisterLoad<'_>,
        actor: &Actor,
    ) -> Result<u64>;
    /// Every organisation's org-id and id, to give entries already held
    /// their id before a load.
    async fn organisation_ids(&self, programme: ProgrammeId) -> Result<Vec<(String, Uuid)>>;
    async fn organisations_for_matching(
        &self,
        programme: ProgrammeId,
    ) -> Result<Vec<(Uuid, RegisterEntry)>>;
    async fn organisation(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Organisation>>;
    /// Organisations of the programme's register matching a search (a name
    /// containing its name key, its company or charity number or org-id, its
    /// registered or trading postcode), by name, at most `limit`.
    async fn search_organisations(
        &self,
        programme: ProgrammeId,
        search: &useit_core::anchors::register_search::RegisterSearch,
        limit: i64,
    ) -> Result<Vec<Organisation>>;
    /// The first `limit` organisations' org-ids and names, by name: enough
    /// to offer them in a form without reading a national register.
    async fn organisation_names(
        &self,
        programme: ProgrammeId,
        limit: i64,
    ) -> Result<Vec<(String, String)>>;
    /// Which of these supplier keys the programme already knows.
    async fn known_suppliers(&self, programme: ProgrammeId, keys: &[String])
    -> Result<Vec<String>>;
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
    async fn supplier_facts(&self, programme: ProgrammeId) -> Result<Vec<SupplierFacts>>;
    async fn suppliers(
        &self,
        programme: ProgrammeId,
        status: Option<SupplierStatus>,
    ) -> Result<Vec<SupplierRecord>>;
    async fn supplier(&self, programme: ProgrammeId, key: &str) -> Result<Option<SupplierRecord>>;
    async fn supplier_candidates(
        &self,
        programme: ProgrammeId,
        key: &str,
    ) -> Result<Vec<SupplierCandidate>>;
    /// A person's decision: this organisation (or none). Remembered as the
    /// alias for every future line with this supplier key.
    async fn decide_supplier(
        &self,
        programme: ProgrammeId,
        key: &str,
        organisation: Option<Uuid>,
        actor: &Actor,
    ) -> Result<SupplierRecord>;
    /// Many decisions at once (the review queue's bulk action): all are
    /// written, each with its audit entry, or none is.
    async fn decide_suppliers(
        &self,
        programme: ProgrammeId,
        decisions: &[(String, Option<Uuid>)],
        actor: &Actor,
    ) -> Result<u64>;
    async fn spend_settings(&self, programme: ProgrammeId) -> Result<SpendSettings>;
    async fn save_spend_settings(
        &self,
        programme: ProgrammeId,
        settings: &SpendSettings,
        actor: &Actor,
    ) -> Result<()>;
    /// Saves the settings whose LM3 re-spend shares a re-spend survey set,
    /// with `detail` (the survey, the shares before and after) as the audit
    /// entry's, in one transaction.
    async fn save_spend_settings_from_survey(
        &self,
        programme: ProgrammeId,
        settings: &SpendSettings,
        detail: String,
        actor: &Actor,
    ) -> Result<()>;
}
