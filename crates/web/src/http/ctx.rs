//! Who is asking, in which programme, and with what role: worked out once per
//! request by the access guard in [`crate::routes`], then handed to handlers
//! as [`Ctx`].

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{Capability, Principal, Role, User};
use useit_core::programme::Programme;
use useit_core::{ApiTokenId, ProgrammeId};

use crate::http::error::AppError;
pub use crate::http::route::{Access, Surface};

/// How the caller proved who they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    Anonymous,
    /// A browser session; the hash names the session row.
    Session {
        hash: String,
    },
    Token {
        id: ApiTokenId,
        programme: ProgrammeId,
        role: Role,
    },
}

/// The request's context, made by the guard.
#[derive(Clone)]
pub struct Ctx {
    pub user: Option<User>,
    pub via: Via,
    pub programme: Option<Programme>,
    pub role: Option<Role>,
    /// The session's CSRF token ("" without a session).
    pub csrf: String,
    pub surface: Surface,
    pub session: Option<Session>,
    /// The path and query asked for, to come back to after signing in.
    pub uri: String,
    /// The client's address as the server trusts it
    /// ([`crate::routes::client_address`]): for throttling sign-ins and in
    /// every audit entry the request writes.
    pub client: String,
    /// The signed-in session as kept in memory, checked against its
    /// account's counters in this request (see [`crate::session`]).
    pub kept: Option<std::sync::Arc<crate::session::KeptSession>>,
    /// The counters of the programme asked for, read with the session's in
    /// one statement (a kept session, a request that only reads): its use
    /// cases serve their kept views under them ([`useit_app::Caller::read_at`]).
    pub read_at: Option<(ProgrammeId, useit_app::kept::Revision)>,
}

impl Ctx {
    pub fn actor(&self) -> Actor {
        let channel = match (&self.via, self.surface) {
            (Via::Token { .. }, _) | (_, Surface::Api) => Channel::Api,
            _ => Channel::Web,
        };
        let address = (self.client != crate::routes::UNKNOWN_ADDRESS).then(|| self.client.clone());
        let actor = match &self.user {
            Some(u) => {
                let label = match &self.via {
                    Via::Token { id, .. } => {
                        format!("{} (token {})", u.email, &id.to_string()[..8])
                    }
                    _ => u.email.clone(),
                };
                Actor::user(u.id, label, channel)
            }
            None => Actor {
                user_id: None,
                label: "anonymous".into(),
                channel,
                address: None,
            },
        };
        actor.at_address(address)
    }

    pub fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized {
            next: Some(self.uri.clone()),
        })
    }

    /// The programme in the path; set on every `Access::Programme` route.
    pub fn programme(&self) -> Result<&Programme, AppError> {
        self.programme.as_ref().ok_or(AppError::NotFound)
    }

    pub fn programme_id(&self) -> Result<ProgrammeId, AppError> {
        Ok(self.programme()?.id)
    }

    pub fn principal(&self) -> Result<Principal, AppError> {
        Ok(Principal {
            user_id: self.user()?.id,
            programme_id: self.programme_id()?,
            role: self.role.ok_or(AppError::Forbidden)?,
        })
    }

    /// The caller of a use case: this programme, this user and role, audited
    /// as [`Ctx::actor`].
    pub fn caller(&self) -> Result<useit_app::Caller, AppError> {
        let p = self.principal()?;
        let caller = useit_app::Caller::member(p.programme_id, p.user_id, p.role, self.actor());
        Ok(match self.read_at {
            Some((programme, revision)) => caller.reading_at(programme, revision),
            None => caller,
        })
    }

    /// The signed-in person as the caller of a use case that belongs to no
    /// one programme (their own account, or the deployment's
    /// administration, which the route guard let only administrators into).
    /// Through a token, the operator is scoped to the token's programme and
    /// may not manage the account's credentials.
    pub fn operator(&self) -> Result<useit_app::auth::Operator, AppError> {
        let me =
            useit_app::auth::Operator::signed_in(self.user()?.id, self.actor(), self.is_admin());
        Ok(match &self.via {
            Via::Token { programme, .. } => me.through_token(*programme),
            _ => me,
        })
    }

    /// Whether the caller's role in this programme has a capability.
    pub fn can(&self, cap: Capability) -> bool {
        self.role.is_some_and(|r| r.can(cap))
    }

    pub fn is_admin(&self) -> bool {
        matches!(self.via, Via::Session { .. }) && self.user.as_ref().is_some_and(|u| u.is_admin)
    }

    pub fn session_hash(&self) -> Option<&str> {
        match &self.via {
            Via::Session { hash } => Some(hash),
            _ => None,
        }
    }

    /// Sets a one-time message for the next page shown.
    pub async fn flash(&self, message: impl Into<String>) {
        if let Some(s) = &self.session {
            let _ = s.insert(crate::session::FLASH, message.into()).await;
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = crate::http::error::PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::internal("route has no access guard").into())
    }
}

/// A multipart form's CSRF token, checked when the form is read.
#[derive(Clone)]
pub struct CsrfPending(pub String);
