//! Research: community researchers (personal data: every read and change is
//! audited in the same transaction, and a researcher linked to an account
//! reaches only their own record), research projects, timesheet entries and
//! the programme's pay rule.

pub mod assignments;
pub mod findings;
pub mod survey;

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::audit::Actor;
use useit_core::listing::{Page, PageRequest};
use useit_core::research::pay::PayRule;
use useit_core::research::project::{Project, ProjectDraft};
use useit_core::research::researcher::{
    Reach, Researcher, ResearcherDraft, ResearcherFact, ResearcherParams,
};
use useit_core::research::work::{TimeDraft, TimeEntry, TimeQuery, TimeStatus};
use useit_core::{ProgrammeId, UserId};

use crate::Result;

/// A researcher as added or changed: the details, the account they sign in
/// with (found from `account_email`) and where their postcode lies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResearcherChange {
    pub draft: ResearcherDraft,
    pub user: Option<UserId>,
    pub area_code: Option<String>,
    pub decile: Option<u8>,
}

/// Why a researcher's record is read, for the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadPurpose {
    View,
    /// A subject access request.
    Export,
}

#[async_trait]
pub trait ResearchStore {
    async fn create_researcher(
        &self,
        programme: ProgrammeId,
        change: &ResearcherChange,
        actor: &Actor,
    ) -> Result<Researcher>;
    /// `NotFound` outside the reach; a conflict once erased. The audit entry
    /// names the fields given, never their values.
    async fn update_researcher(
        &self,
        programme: ProgrammeId,
        reach: Reach,
        id: Uuid,
        change: &ResearcherChange,
        actor: &Actor,
    ) -> Result<Researcher>;
    /// One researcher; the read is audited.
    async fn researcher(
        &self,
        programme: ProgrammeId,
        reach: Reach,
        id: Uuid,
        purpose: ReadPurpose,
        actor: &Actor,
    ) -> Result<Researcher>;
    /// The researcher linked to an account, if any (audited when found).
    async fn researcher_of_user(
        &self,
        programme: ProgrammeId,
        user: UserId,
        actor: &Actor,
    ) -> Result<Option<Researcher>>;
    /// A page of researchers in reach (names: the listing is audited).
    async fn list_researchers(
        &self,
        programme: ProgrammeId,
        reach: Reach,
        params: &ResearcherParams,
        page: PageRequest,
        actor: &Actor,
    ) -> Result<Page<Researcher>>;
    /// Blanks the personal fields and unlinks the account; channel, decile,
    /// accreditation and hours stay, so the counts do not move.
    async fn erase_researcher(&self, programme: ProgrammeId, id: Uuid, actor: &Actor)
    -> Result<()>;
    /// Anonymous facts for the strand's figures (no audit).
    async fn researcher_facts(&self, programme: ProgrammeId) -> Result<Vec<ResearcherFact>>;

    /// Adds a project (`id` none) or replaces one.
    async fn save_project(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        draft: &ProjectDraft,
        actor: &Actor,
    ) -> Result<Project>;
    async fn projects(&self, programme: ProgrammeId) -> Result<Vec<Project>>;
    async fn project(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Project>>;

    /// Adds a submitted entry for `researcher` (a conflict on `worked_on`
    /// when that day is already entered for the project).
    async fn add_time(
        &self,
        programme: ProgrammeId,
        researcher: Uuid,
        draft: &TimeDraft,
        actor: &Actor,
    ) -> Result<TimeEntry>;
    /// Entries in reach the query selects, oldest first; they name
    /// researchers, so the read is audited with its purpose.
    async fn time_entries(
        &self,
        programme: ProgrammeId,
        reach: Reach,
        query: &TimeQuery,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<TimeEntry>>;
    /// Approves or rejects a submitted entry (a decided one is a conflict).
    async fn decide_time(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        status: TimeStatus,
        actor: &Actor,
    ) -> Result<TimeEntry>;

    /// The programme's pay rule, `None` until one is chosen.
    async fn pay_rule(&self, programme: ProgrammeId) -> Result<Option<PayRule>>;
    async fn save_pay_rule(
        &self,
        programme: ProgrammeId,
        rule: PayRule,
        actor: &Actor,
    ) -> Result<()>;
}
