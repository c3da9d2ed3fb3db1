//! Research questionnaires and their responses, projects' income and the
//! programme's Social Lab (issue 19 items 3 and 4). Responses are not
//! personal data unless a question is marked so; every read of responses
//! and every write is audited in its transaction.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::research::questionnaire::{NewResponse, Questionnaire, Response};
use useit_core::research::social_lab::{Income, IncomeDraft};

use crate::Result;

/// What adding responses did: those added, and those already kept under
/// the same `_uuid` (left as they were, so a file imported twice changes
/// nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResponsesAdded {
    pub added: u64,
    pub unchanged: u64,
}

#[async_trait]
pub trait SurveyStore {
    /// The project's questionnaire, if it has one.
    async fn questionnaire(
        &self,
        programme: ProgrammeId,
        project: Uuid,
    ) -> Result<Option<Questionnaire>>;
    /// Sets the project's questionnaire (`source`: where it came from, the
    /// app or a file's name). `NotFound` for a project not in the programme.
    async fn save_questionnaire(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        questionnaire: &Questionnaire,
        source: &str,
        actor: &Actor,
    ) -> Result<()>;
    /// Every response to the project's questionnaire, oldest first (the
    /// read is audited).
    async fn responses(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        actor: &Actor,
    ) -> Result<Vec<Response>>;
    /// How many responses the project has (no answers read, no audit).
    async fn response_count(&self, programme: ProgrammeId, project: Uuid) -> Result<u64>;
    /// Adds responses in one transaction; one whose `uuid` the project
    /// already has is left as it was.
    async fn add_responses(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        responses: &[NewResponse],
        file: Option<&str>,
        actor: &Actor,
    ) -> Result<ResponsesAdded>;

    /// Every payment the programme's projects received, oldest first.
    async fn research_income(&self, programme: ProgrammeId) -> Result<Vec<Income>>;
    async fn add_research_income(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        draft: &IncomeDraft,
        actor: &Actor,
    ) -> Result<Income>;

    /// Up to `limit` organisations of the register whose name holds
    /// `search` (id, name and org-id), by name: to choose the Social Lab.
    async fn organisations_named(
        &self,
        programme: ProgrammeId,
        search: &str,
        limit: i64,
    ) -> Result<Vec<(Uuid, String, String)>>;

    /// The organisation of the register marked as the Social Lab.
    async fn social_lab(&self, programme: ProgrammeId) -> Result<Option<Uuid>>;
    /// Marks an organisation of the register as the Social Lab (`None`:
    /// none). `NotFound` for an organisation not in the programme.
    async fn set_social_lab(
        &self,
        programme: ProgrammeId,
        organisation: Option<Uuid>,
        actor: &Actor,
    ) -> Result<()>;
}
