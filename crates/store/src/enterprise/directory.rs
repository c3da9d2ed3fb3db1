//! Profiles written many at once: the directory file imported back, in one
//! transaction (all or nothing).

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
pub(crate) use useit_core::enterprise::profile::Profile;

use crate::Result;

/// What saving profiles did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProfilesSaved {
    /// Organisations the register did not hold, added with their profile.
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
}

/// An organisation the directory file adds to the register: a social
/// enterprise, with its official org-id or a local one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrganisation {
    pub id: Uuid,
    pub org_id: String,
    pub name: String,
    pub postcode: Option<String>,
}

#[async_trait]
pub trait DirectoryStore {
    /// Saves each organisation's profile as `save_profile` does (meeting
    /// the criteria recognises it as a social enterprise, audited), all in
    /// one transaction; a profile equal to the one held changes nothing.
    async fn save_profiles(
        &self,
        programme: ProgrammeId,
        profiles: &[(Uuid, Profile)],
        actor: &Actor,
    ) -> Result<ProfilesSaved>;
    /// Adds the new organisations (each audited; an org-id already held
    /// is a conflict), then saves every profile as `save_profiles` does,
    /// all in one transaction.
    async fn save_directory(
        &self,
        programme: ProgrammeId,
        new: &[NewOrganisation],
        profiles: &[(Uuid, Profile)],
        actor: &Actor,
    ) -> Result<ProfilesSaved>;
}
