//! Stories told with consent, and the report's own texts. Stories name a
//! person, researcher or organisation, so every read and change writes its
//! audit entry in the same transaction; a story whose consent is withdrawn
//! is blanked and no read returns it.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction};
use useit_core::programme::report::ReportTexts;
use useit_core::programme::stories::{Story, StoryDraft, StoryFilter, Subject};

use crate::Result;

#[async_trait]
pub trait StoryStore {
    /// Adds a story (`id` none) or changes one whose consent stands; the
    /// subject must be a row of this programme (an erased person or
    /// researcher is not). A change of consent records `actor` as the one
    /// who recorded it.
    async fn save_story(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        draft: &StoryDraft,
        actor: &Actor,
    ) -> Result<Story>;
    /// Adds or changes every story named (as `save_story` does each, with
    /// its audit entry) in one transaction: one that cannot be saved and
    /// none is.
    async fn save_stories(
        &self,
        programme: ProgrammeId,
        rows: &[(Option<Uuid>, StoryDraft)],
        actor: &Actor,
    ) -> Result<()>;
    /// The subjects named that are not a row of this programme (or whose
    /// person or researcher was erased), for an import to report at their
    /// line before it writes anything.
    async fn missing_subjects(
        &self,
        programme: ProgrammeId,
        subjects: &[Subject],
    ) -> Result<Vec<Subject>>;
    /// The stories whose consent stands that the filter selects, in its
    /// order; the read is audited as `action` with `purpose`.
    async fn stories(
        &self,
        programme: ProgrammeId,
        filter: &StoryFilter,
        action: AuditAction,
        purpose: &str,
        actor: &Actor,
    ) -> Result<Vec<Story>>;
    /// One story whose consent stands (audited).
    async fn story(&self, programme: ProgrammeId, id: Uuid, actor: &Actor) -> Result<Story>;
    /// Withdraws the consent: the story's text is blanked in the same
    /// transaction and it is never read again.
    async fn withdraw_story_consent(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        on: Date,
        actor: &Actor,
    ) -> Result<()>;
    /// What the programme manager wrote for the report (blank until then).
    async fn report_texts(&self, programme: ProgrammeId) -> Result<ReportTexts>;
    async fn save_report_texts(
        &self,
        programme: ProgrammeId,
        texts: &ReportTexts,
        actor: &Actor,
    ) -> Result<()>;
}
