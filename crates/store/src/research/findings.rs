//! Research findings and the programme's theme list (issue 19 item 3).
//! Findings hold no personal data (quotes are anonymised and checked in
//! core before they arrive), so reads are not audited; every write is, in
//! its transaction.

use std::collections::BTreeMap;

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::research::finding::{Finding, FindingDraft};

use crate::Result;

/// A finding to write: a new one (`id` none, or an id not yet kept, as an
/// import names it) or a change to one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingWrite {
    pub id: Option<Uuid>,
    pub project: Uuid,
    pub draft: FindingDraft,
}

/// What writing several findings did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindingsWritten {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
}

#[async_trait]
pub trait FindingStore {
    /// The programme's themes, in their order.
    async fn research_themes(&self, programme: ProgrammeId) -> Result<Vec<String>>;
    /// Replaces the theme list (findings keep the theme they have).
    async fn save_research_themes(
        &self,
        programme: ProgrammeId,
        themes: &[String],
        actor: &Actor,
    ) -> Result<()>;
    /// Each project's own themes, in their order (projects without any
    /// left out).
    async fn research_project_themes(
        &self,
        programme: ProgrammeId,
    ) -> Result<BTreeMap<Uuid, Vec<String>>>;
    /// Replaces a project's own themes (its findings keep the theme they
    /// have), with its audit entry, in one transaction: `NotFound` for a
    /// project outside the programme.
    async fn save_research_project_themes(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        themes: &[String],
        actor: &Actor,
    ) -> Result<()>;
    /// Every finding of the programme's projects, by project then age.
    async fn research_findings(&self, programme: ProgrammeId) -> Result<Vec<Finding>>;
    async fn research_finding(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Finding>>;
    /// Writes the findings in one transaction, each with its audit entry:
    /// `NotFound` for a project outside the programme or a finding of
    /// another project; one unchanged is left as it was.
    async fn write_findings(
        &self,
        programme: ProgrammeId,
        findings: &[FindingWrite],
        actor: &Actor,
    ) -> Result<(FindingsWritten, Vec<Uuid>)>;
    /// Deletes a finding of the programme with its audit entry, in one
    /// transaction: `NotFound` for one the programme does not have.
    async fn delete_research_finding(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()>;
}
