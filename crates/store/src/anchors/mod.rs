//! Anchor institutions, their sites and spend, the organisation register
//! and the suppliers resolved against it. Everything is programme-owned.
//!
//! [`AnchorStore`] (here, SQL in `sql.rs`) keeps the anchors and their
//! sites. Each other resource has its own trait in a module of its own,
//! its SQL beside it in `<resource>_sql.rs`: the organisation
//! [`register`], the [`suppliers`] and the decisions on them, the
//! [`spend`] files and their lines, the spend [`settings`], the
//! [`interactions`] and the [`workforce`] files.

use async_trait::async_trait;

use useit_core::ProgrammeId;
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

use crate::{Result, StoreError};

pub mod interactions;
pub mod register;
pub mod settings;
pub mod spend;
pub mod suppliers;
pub mod workforce;

pub use register::{Recheck, RegisterLoad, RegisterLoadOutcome, RegisterStream};
pub use spend::SpendImport;

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
}

/// A value read back that this version cannot make sense of.
pub(crate) fn corrupt(what: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(what.into()))
}
