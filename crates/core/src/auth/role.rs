use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Capability;

/// The one role a user holds in a programme. What each role may do is the
/// data in [`super::GRANTS`], not code spread over handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    ProgrammeManager,
    AnchorAnalyst,
    EmploymentCaseworker,
    EnterpriseAdviser,
    ResearchCoordinator,
    CommunityResearcher,
    CommunityMember,
    FunderViewer,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Administrator,
        Role::ProgrammeManager,
        Role::AnchorAnalyst,
        Role::EmploymentCaseworker,
        Role::EnterpriseAdviser,
        Role::ResearchCoordinator,
        Role::CommunityResearcher,
        Role::CommunityMember,
        Role::FunderViewer,
    ];

    /// The stable name used in URLs, CSV files, the API and the database.
    pub fn slug(&self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::ProgrammeManager => "programme_manager",
            Role::AnchorAnalyst => "anchor_analyst",
            Role::EmploymentCaseworker => "employment_caseworker",
            Role::EnterpriseAdviser => "enterprise_adviser",
            Role::ResearchCoordinator => "research_coordinator",
            Role::CommunityResearcher => "community_researcher",
            Role::CommunityMember => "community_member",
            Role::FunderViewer => "funder_viewer",
        }
    }

    /// Catalogue key of the role's name.
    pub fn label_key(&self) -> String {
        format!("role.{}", self.slug())
    }

    pub fn can(&self, cap: Capability) -> bool {
        cap.roles().contains(self)
    }

    /// Every capability this role has, in catalogue order.
    pub fn capabilities(&self) -> Vec<Capability> {
        Capability::ALL
            .iter()
            .copied()
            .filter(|c| self.can(*c))
            .collect()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.slug() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role '{0}'")]
pub struct UnknownRole(pub String);
