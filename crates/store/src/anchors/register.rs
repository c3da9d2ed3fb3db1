//! The organisation register: the programme's copy of the registers
//! (Companies House, the Charity Commission, links files joining entries)
//! that suppliers are matched against. Loaded, searched and merged on its
//! own, apart from any spend (SQL in `register_sql.rs`).

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::supplier::RegisterEntry;
use useit_core::audit::Actor;

use super::{NewSupplier, Organisation, OrganisationInput};
use crate::Result;

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

#[async_trait]
pub trait RegisterStore {
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
}
