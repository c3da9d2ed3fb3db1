//! Suppliers: the names on the spend lines, matched to the register's
//! organisations by the rules or by a person's decision, which is
//! remembered for every later line (SQL in `suppliers_sql.rs`).

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;

use super::{SupplierCandidate, SupplierFacts, SupplierRecord, SupplierStatus};
use crate::Result;

#[async_trait]
pub trait SupplierStore {
    /// Which of these supplier keys the programme already knows.
    async fn known_suppliers(&self, programme: ProgrammeId, keys: &[String])
    -> Result<Vec<String>>;
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
}
