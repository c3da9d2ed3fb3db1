//! Who a use case works for: the programme (so it cannot mix tenants), the
//! actor its audit entries name, and the role whose capabilities it checks.

use useit_core::audit::Actor;
use useit_core::auth::{Capability, Role};
use useit_core::talent::person::Caseload;
use useit_core::{ProgrammeId, UserId};

use crate::Error;
use crate::kept::Revision;

/// The caller of a use case.
#[derive(Clone, Debug)]
pub struct Caller {
    pub programme: ProgrammeId,
    /// Named in every audit entry the use case writes.
    pub actor: Actor,
    pub user: Option<UserId>,
    /// `None`: the console or the demo, which may do everything.
    pub role: Option<Role>,
    /// The programme's counters as the request's guard read them with its
    /// session's, before anything else (one statement for both): a request
    /// that only reads serves its kept views under them instead of reading
    /// them again. `None`: read them when needed.
    pub read_at: Option<Revision>,
}

impl Caller {
    /// Someone at the server's console (the CLI): every capability.
    pub fn console(programme: ProgrammeId) -> Caller {
        Caller {
            programme,
            actor: Actor::console(),
            user: None,
            role: None,
            read_at: None,
        }
    }

    /// The application itself (the demo builder): every capability, audited
    /// under `label`.
    pub fn system(programme: ProgrammeId, label: &str) -> Caller {
        Caller {
            programme,
            actor: Actor::system(label),
            user: None,
            role: None,
            read_at: None,
        }
    }

    /// A member of the programme, signed in or with a token.
    pub fn member(programme: ProgrammeId, user: UserId, role: Role, actor: Actor) -> Caller {
        Caller {
            programme,
            actor,
            user: Some(user),
            role: Some(role),
            read_at: None,
        }
    }

    /// The same caller with the programme's counters as read for this
    /// request (see [`Caller::read_at`]); counters of another programme
    /// are not taken.
    pub fn reading_at(mut self, programme: ProgrammeId, revision: Revision) -> Caller {
        if programme == self.programme {
            self.read_at = Some(revision);
        }
        self
    }

    /// The programme's counters: as read for this request, or read now.
    /// Read before any figure they keep, so what is kept under them is
    /// never older than they say.
    pub(crate) async fn revision(&self, store: &dyn crate::Store) -> crate::Result<Revision> {
        match self.read_at {
            Some(r) => Ok(r),
            None => Ok(store.revision(self.programme).await?),
        }
    }

    /// Whether the caller's role has a capability (the console always has).
    pub fn can(&self, cap: Capability) -> bool {
        self.role.is_none_or(|r| r.can(cap))
    }

    /// Refuses a caller without the capability: the route guard checked
    /// already, but the CLI, the demo and a use case calling another do not
    /// pass through it.
    pub fn require(&self, cap: Capability) -> Result<(), Error> {
        if self.can(cap) {
            Ok(())
        } else {
            Err(Error::Refused)
        }
    }

    /// Whose people the caller reaches: everyone's, or a caseworker's own.
    pub fn caseload(&self) -> Caseload {
        match self.user {
            Some(u) if !self.can(Capability::ViewAllCaseloads) => Caseload::Of(u),
            _ => Caseload::All,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use useit_core::audit::Channel;

    fn member(role: Role) -> Caller {
        let user = UserId(uuid::Uuid::now_v7());
        Caller::member(
            ProgrammeId(uuid::Uuid::now_v7()),
            user,
            role,
            Actor::user(user, "someone@example.org", Channel::Web),
        )
    }

    #[test]
    fn the_console_may_do_everything_and_reaches_every_caseload() {
        let c = Caller::console(ProgrammeId(uuid::Uuid::now_v7()));
        assert!(c.require(Capability::ManageSpend).is_ok());
        assert_eq!(c.caseload(), Caseload::All);
    }

    #[test]
    fn a_caseworker_reaches_only_their_own_caseload() {
        let c = member(Role::EmploymentCaseworker);
        assert_eq!(c.caseload(), Caseload::Of(c.user.unwrap()));
        assert!(matches!(
            c.require(Capability::ManageSpend),
            Err(Error::Refused)
        ));
        let m = member(Role::ProgrammeManager);
        assert_eq!(m.caseload(), Caseload::All);
    }
}
