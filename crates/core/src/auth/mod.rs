//! Who may do what: roles, capabilities, passwords and API tokens.

pub mod account;
mod capability;
pub mod invitation;
mod list;
mod member;
pub mod member_csv;
pub mod password;
mod role;
pub mod sign_in;
pub mod token;

pub use account::*;
pub use capability::{Capability, GRANTS};
pub use list::{MemberListQuery, UserListQuery};
pub use member::{MemberDraft, MemberInput, RoleInput};
pub use role::Role;

use serde::Serialize;

use crate::{ProgrammeId, UserId};

/// Someone acting inside one programme, with the one role they hold there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: UserId,
    pub programme_id: ProgrammeId,
    pub role: Role,
}

impl Principal {
    pub fn can(&self, cap: Capability) -> bool {
        self.role.can(cap)
    }
}
