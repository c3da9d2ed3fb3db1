//! Who calls a use case that belongs to no one programme: the deployment's
//! administration (programmes, accounts, the whole audit log) and a
//! person's own account (password, tokens, the programmes they are in).

use useit_core::audit::Actor;
use useit_core::{ProgrammeId, UserId};

use crate::{Error, Result};

#[derive(Clone, Debug)]
pub struct Operator {
    /// Named in every audit entry the use case writes.
    pub actor: Actor,
    /// The signed-in account; `None` at the console or in the demo.
    pub user: Option<UserId>,
    /// A deployment administrator (the console and the demo are).
    pub admin: bool,
    /// Asking through an API token, which is scoped to this one programme:
    /// it sees only that programme and never manages the account's
    /// credentials (no new tokens, no revoking others, no password), so a
    /// leaked token cannot widen or outlive itself.
    pub token: Option<ProgrammeId>,
}

impl Operator {
    /// Someone at the server's console (the CLI): administers everything.
    pub fn console() -> Operator {
        Operator {
            actor: Actor::console(),
            user: None,
            admin: true,
            token: None,
        }
    }

    /// The application itself (the demo builder), audited under `label`.
    pub fn system(label: &str) -> Operator {
        Operator {
            actor: Actor::system(label),
            user: None,
            admin: true,
            token: None,
        }
    }

    /// A signed-in person; `admin` when they are a deployment administrator
    /// signed in with a session (a token never administers).
    pub fn signed_in(user: UserId, actor: Actor, admin: bool) -> Operator {
        Operator {
            actor,
            user: Some(user),
            admin,
            token: None,
        }
    }

    /// The same person, asking through a token scoped to `programme`.
    pub fn through_token(self, programme: ProgrammeId) -> Operator {
        Operator {
            admin: false,
            token: Some(programme),
            ..self
        }
    }

    /// Refuses anyone but a deployment administrator (the route guard
    /// checked already, but the CLI and a use case calling another do not
    /// pass through it).
    pub fn require_admin(&self) -> Result<()> {
        if self.admin {
            Ok(())
        } else {
            Err(Error::Refused)
        }
    }

    /// The account whose own settings are changed: only a signed-in person
    /// has one.
    pub fn account(&self) -> Result<UserId> {
        self.user.ok_or(Error::Refused)
    }

    /// The account whose credentials (password, tokens) are managed: only
    /// a person signed in with their password, never through a token.
    pub fn credentials_owner(&self) -> Result<UserId> {
        if self.token.is_some() {
            return Err(Error::Refused);
        }
        self.account()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use useit_core::audit::Channel;

    #[test]
    fn only_administrators_administer_and_only_people_have_accounts() {
        let console = Operator::console();
        assert!(console.require_admin().is_ok());
        assert!(matches!(console.account(), Err(Error::Refused)));
        let id = UserId::new();
        let person = Operator::signed_in(id, Actor::user(id, "p@example.org", Channel::Web), false);
        assert!(matches!(person.require_admin(), Err(Error::Refused)));
        assert_eq!(person.account().unwrap(), id);
        assert_eq!(person.credentials_owner().unwrap(), id);
        let token = person.through_token(ProgrammeId::new());
        assert_eq!(token.account().unwrap(), id);
        assert!(matches!(token.credentials_owner(), Err(Error::Refused)));
    }
}
