//! Social enterprises: profiles on the organisation register, the support
//! log, income by year and the anchors' tender lots. Everything is
//! programme-owned.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
pub(crate) use useit_core::enterprise::formed::{Bid, BidDraft, Consortium, ConsortiumDraft};
pub(crate) use useit_core::enterprise::income::IncomeYear;
pub(crate) use useit_core::enterprise::lot::{Lot, LotDraft};
pub(crate) use useit_core::enterprise::profile::{Enterprise, Profile};
pub(crate) use useit_core::enterprise::support::{Support, SupportDraft};

use crate::Result;

pub mod directory;
pub mod grants;
pub mod merge;

/// What saving lots did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct LotsSaved {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
}

#[async_trait]
pub trait EnterpriseStore {
    /// Organisations that are social enterprises by kind or have a profile.
    async fn enterprises(&self, programme: ProgrammeId) -> Result<Vec<Enterprise>>;
    /// Every organisation of the register (the spend's suppliers' as well
    /// as the directory's), each with its profile if it has one, by name.
    async fn all_organisations(&self, programme: ProgrammeId) -> Result<Vec<Enterprise>>;
    /// Any organisation of the register, with its profile if it has one.
    async fn enterprise(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Enterprise>>;
    /// These organisations of the register (those the programme holds;
    /// ids it does not are left out), each with its profile if it has one,
    /// in no particular order: a page of the duplicate pairs reads only its
    /// own.
    async fn organisations_by_ids(
        &self,
        programme: ProgrammeId,
        ids: &[Uuid],
    ) -> Result<Vec<Enterprise>>;
    /// Saves the profile; when it meets the criteria the organisation's kind
    /// becomes social enterprise (the spend measures follow: the revision
    /// moves), and a legal form the register does not know is recorded.
    /// Audited, one transaction.
    async fn save_profile(
        &self,
        programme: ProgrammeId,
        organisation: Uuid,
        profile: &Profile,
        actor: &Actor,
    ) -> Result<()>;
    /// Support records, of one organisation or all, newest first.
    async fn support(
        &self,
        programme: ProgrammeId,
        organisation: Option<Uuid>,
    ) -> Result<Vec<Support>>;
    async fn add_support(
        &self,
        programme: ProgrammeId,
        organisation: Uuid,
        draft: &SupportDraft,
        actor: &Actor,
    ) -> Result<Support>;
    /// Income years, of one organisation or all, by organisation and year.
    async fn income(
        &self,
        programme: ProgrammeId,
        organisation: Option<Uuid>,
    ) -> Result<Vec<(Uuid, IncomeYear)>>;
    /// Records a year's income (replacing what that year had).
    async fn save_income(
        &self,
        programme: ProgrammeId,
        organisation: Uuid,
        income: &IncomeYear,
        actor: &Actor,
    ) -> Result<()>;
    /// Lots, by deadline.
    async fn lots(&self, programme: ProgrammeId) -> Result<Vec<Lot>>;
    async fn lot(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Lot>>;
    /// Adds lots, or changes those with the same reference, in one
    /// transaction; the same lots twice change nothing.
    async fn save_lots(
        &self,
        programme: ProgrammeId,
        lots: &[LotDraft],
        source: &str,
        actor: &Actor,
    ) -> Result<LotsSaved>;
    /// Consortia formed, with their members and bids (oldest first), by
    /// the day they formed, newest first.
    async fn consortia(&self, programme: ProgrammeId) -> Result<Vec<Consortium>>;
    /// Records a consortium formed, or changes one (its members replaced).
    /// Audited, one transaction.
    async fn save_consortium(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        draft: &ConsortiumDraft,
        actor: &Actor,
    ) -> Result<Uuid>;
    /// Records a bid's outcome. Audited.
    async fn add_bid(
        &self,
        programme: ProgrammeId,
        consortium: Uuid,
        bid: &BidDraft,
        actor: &Actor,
    ) -> Result<Bid>;
    /// The supplier keys the spend context resolved to an organisation
    /// (matched or accepted): (organisation, key).
    async fn resolved_supplier_keys(&self, programme: ProgrammeId) -> Result<Vec<(Uuid, String)>>;
}
