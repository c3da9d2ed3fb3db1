//! Organisations entered twice: merging one into the other (everything
//! that pointed at it moves, in one transaction, audited once), the merges
//! done, and the pairs someone said are not duplicates.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;

pub(crate) use useit_core::enterprise::duplicates::{MergeCounts, MergeRecord, Merged};

use crate::Result;

/// What a merge does with a column that points at an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnMerge {
    /// Moved to the kept organisation; a row equal in these columns to one
    /// the kept organisation has is dropped first (the kept one's stays).
    Move(&'static [&'static str]),
    /// Merged field by field into the kept organisation's (the profile).
    Profile,
    /// Removed with the merged organisation (a pair said not to be one).
    Removed,
}

/// A column with a foreign key into `organisations`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    pub table: &'static str,
    pub column: &'static str,
    pub on_merge: OnMerge,
}

const fn moved(
    table: &'static str,
    column: &'static str,
    same: &'static [&'static str],
) -> Reference {
    Reference {
        table,
        column,
        on_merge: OnMerge::Move(same),
    }
}

/// Every column with a foreign key into `organisations` and what
/// [`MergeStore::merge_organisations`] does with it; the merge moves
/// exactly the [`OnMerge::Move`] ones, in this order. A new foreign key
/// into `organisations` must be added here: a test reads both databases'
/// schemas and fails on one that is not
/// (`crates/app/tests/enterprise_merge.rs`).
pub const REFERENCES: &[Reference] = &[
    moved("suppliers", "organisation_id", &[]),
    moved("supplier_candidates", "organisation_id", &["supplier_key"]),
    moved("enterprise_support", "organisation_id", &[]),
    moved("enterprise_income", "organisation_id", &["year"]),
    moved("enterprise_grants", "organisation_id", &[]),
    // The same interaction's practice changes are repointed first.
    moved(
        "anchor_interactions",
        "organisation_id",
        &["anchor_id", "kind", "started_on"],
    ),
    moved("programme_stories", "organisation_id", &[]),
    moved("ced_actions", "partner_id", &[]),
    moved("ced_action_enterprises", "organisation_id", &["action_id"]),
    moved("enterprise_consortia", "lead_id", &[]),
    moved(
        "enterprise_consortium_members",
        "organisation_id",
        &["consortium_id"],
    ),
    moved("research_social_lab", "organisation_id", &[]),
    moved("community_assets", "organisation_id", &[]),
    Reference {
        table: "enterprise_profiles",
        column: "organisation_id",
        on_merge: OnMerge::Profile,
    },
    Reference {
        table: "organisation_not_duplicates",
        column: "first_id",
        on_merge: OnMerge::Removed,
    },
    Reference {
        table: "organisation_not_duplicates",
        column: "second_id",
        on_merge: OnMerge::Removed,
    },
];

#[async_trait]
pub trait MergeStore {
    /// Pairs said not to be duplicates, each smaller id first.
    async fn not_duplicates(&self, programme: ProgrammeId) -> Result<Vec<(Uuid, Uuid)>>;
    /// Says two organisations are not one: the pair is no longer proposed.
    /// False when it had been said already. Audited.
    async fn mark_not_duplicate(
        &self,
        programme: ProgrammeId,
        a: Uuid,
        b: Uuid,
        actor: &Actor,
    ) -> Result<bool>;
    /// Merges done, newest first.
    async fn merges(&self, programme: ProgrammeId) -> Result<Vec<MergeRecord>>;
    /// Merges `other` into `keep`: everything that points at `other` moves
    /// to `keep`, `keep`'s blank register fields and profile fields are
    /// filled from `other`'s, `other` is removed, the revision moves (the
    /// spend measures follow), one audit entry names both. One
    /// transaction. `other` merged into `keep` before answers
    /// [`Merged::AlreadyMerged`]; into another organisation, a conflict.
    async fn merge_organisations(
        &self,
        programme: ProgrammeId,
        keep: Uuid,
        other: Uuid,
        actor: &Actor,
    ) -> Result<Merged>;
}
