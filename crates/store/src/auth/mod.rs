//! Accounts, programme memberships, sessions, API tokens and sign-in throttling.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::audit::Actor;
use useit_core::auth::invitation::{Invitation, InvitationDraft};
use useit_core::auth::{
    ApiToken, Credentials, Member, MemberQuery, Membership, NewApiToken, NewUser, Role, User,
    UserQuery,
};
use useit_core::listing::{Page, PageRequest};
use useit_core::programme::Programme;
use useit_core::{ApiTokenId, ProgrammeId, UserId};

use crate::Result;

#[async_trait]
pub trait UserStore {
    /// Creates an account, and optionally its first membership, in one
    /// transaction; an e-mail already in use is a conflict on `email`.
    async fn create_user(
        &self,
        new: &NewUser,
        membership: Option<(ProgrammeId, Role)>,
        actor: &Actor,
    ) -> Result<User>;
    async fn user(&self, id: UserId) -> Result<Option<User>>;
    /// For signing in: the account and its password hash, by e-mail (any case).
    async fn credentials_by_email(&self, email: &str) -> Result<Option<Credentials>>;
    async fn credentials(&self, id: UserId) -> Result<Option<Credentials>>;
    /// All accounts, for deployment administrators.
    async fn users(&self, query: &UserQuery, page: PageRequest) -> Result<Page<User>>;
    async fn count_users(&self) -> Result<u64>;
    /// Sets a new password hash, ends every session of that user except
    /// `keep_session` (the one that changed it) and revokes all their API
    /// tokens, in one transaction.
    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        keep_session: Option<&str>,
        actor: &Actor,
    ) -> Result<()>;
    /// Disabling ends the user's sessions and revokes their tokens (so
    /// enabling again brings neither back).
    async fn set_disabled(&self, id: UserId, disabled: bool, actor: &Actor) -> Result<()>;
    async fn record_sign_in(&self, id: UserId, at: OffsetDateTime) -> Result<()>;
    /// The programmes a user belongs to, by name.
    async fn memberships(&self, user: UserId) -> Result<Vec<Membership>>;
    async fn role_in(&self, user: UserId, programme: ProgrammeId) -> Result<Option<Role>>;
    /// For the route guard, in one read: the account, the programme with
    /// that short name (`None` when there is none) and the account's role
    /// in it (`None` when not a member). `None` when there is no account.
    async fn user_in_programme(
        &self,
        user: UserId,
        slug: &str,
    ) -> Result<Option<(User, Option<(Programme, Option<Role>)>)>>;
    async fn members(
        &self,
        programme: ProgrammeId,
        query: &MemberQuery,
        page: PageRequest,
    ) -> Result<Page<Member>>;
    /// Gives a user a role in a programme, or changes it.
    async fn set_role(
        &self,
        programme: ProgrammeId,
        user: UserId,
        role: Role,
        actor: &Actor,
    ) -> Result<()> {
        self.set_roles(programme, &[(user, role)], actor)
            .await
            .map(|_| ())
    }
    /// Sets several roles in one transaction; returns how many changed. A
    /// change that would leave a programme that had an administrator with
    /// none is refused (a conflict on `role`).
    async fn set_roles(
        &self,
        programme: ProgrammeId,
        roles: &[(UserId, Role)],
        actor: &Actor,
    ) -> Result<u64>;
    /// Removes a user from a programme (and revokes their tokens for it).
    async fn remove_member(
        &self,
        programme: ProgrammeId,
        user: UserId,
        actor: &Actor,
    ) -> Result<()>;
}

/// A stored server-side session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub user_id: Option<UserId>,
    pub data: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// Server-side sessions, keyed by the SHA-256 of the session id.
#[async_trait]
pub trait SessionRecords {
    /// Inserts a new session; `false` if the id is already taken.
    async fn session_create(&self, id_hash: &str, record: &SessionRecord) -> Result<bool>;
    /// Updates a session that still exists. A session ended meanwhile (by a
    /// password change or sign-out elsewhere) is not brought back.
    async fn session_save(&self, id_hash: &str, record: &SessionRecord) -> Result<()>;
    /// The session, unless it has expired.
    async fn session_load(
        &self,
        id_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<SessionRecord>>;
    /// The session, unless it has expired, and its account's access
    /// counters as they stood when it was read (one statement, so the
    /// session is never older than the counters say).
    async fn session_load_at(
        &self,
        id_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(SessionRecord, crate::revision::AccessRevision)>>;
    async fn session_delete(&self, id_hash: &str) -> Result<()>;
    /// Ends all sessions of a user except one; returns how many ended.
    async fn sessions_end_for_user(&self, user: UserId, except: Option<&str>) -> Result<u64>;
    async fn sessions_purge_expired(&self, now: OffsetDateTime) -> Result<u64>;
}

#[async_trait]
pub trait TokenStore {
    async fn create_token(&self, token: &NewApiToken, actor: &Actor) -> Result<ApiToken>;
    async fn token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>>;
    async fn tokens_of_user(&self, user: UserId) -> Result<Vec<ApiToken>>;
    /// Revokes one of the user's own tokens; another's token is `NotFound`.
    async fn revoke_token(&self, user: UserId, id: ApiTokenId, actor: &Actor) -> Result<()>;
    async fn touch_token(&self, id: ApiTokenId, at: OffsetDateTime) -> Result<()>;
}

/// Invitations to join a programme (issue 16 item 9). Creating one answers
/// the same whether or not the e-mail has an account; accepting one adds
/// the membership and closes the invitation in one transaction.
#[async_trait]
pub trait InvitationStore {
    async fn create_invitation(
        &self,
        programme: ProgrammeId,
        draft: &InvitationDraft,
        token_hash: &str,
        hint: &str,
        actor: &Actor,
    ) -> Result<Invitation>;
    /// The programme's invitations, newest first, at most 500.
    async fn invitations(&self, programme: ProgrammeId) -> Result<Vec<Invitation>>;
    async fn invitation_by_hash(&self, token_hash: &str) -> Result<Option<Invitation>>;
    /// Withdraws an open invitation of the programme; another programme's
    /// is `NotFound`.
    async fn revoke_invitation(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()>;
    /// Gives `user` the invited role and closes the invitation; one no
    /// longer open is a conflict on `invitation`.
    async fn accept_invitation(&self, id: Uuid, user: UserId, actor: &Actor) -> Result<()>;
    /// Creates the invited account, gives it the role and closes the
    /// invitation, in one transaction.
    async fn accept_invitation_as_new_account(
        &self,
        id: Uuid,
        new: &NewUser,
        actor: &Actor,
    ) -> Result<User>;
}

/// Counts failed sign-ins per key (an e-mail or a client address).
#[async_trait]
pub trait ThrottleStore {
    /// Counts one sign-in attempt against every key at once, unless a key
    /// already has its limit of failures since `since`: then nothing is
    /// counted and the answer is `false`. Checking and counting are one
    /// transaction, serialised per key, so concurrent guesses cannot all
    /// slip in under the limit before any of them is counted. The attempt
    /// counts as a failure until [`ThrottleStore::forgive_attempt`].
    async fn claim_attempt(
        &self,
        attempt: Uuid,
        keys: &[(String, u64)],
        since: OffsetDateTime,
        at: OffsetDateTime,
    ) -> Result<bool>;
    /// The attempt succeeded: it no longer counts against any key.
    async fn forgive_attempt(&self, attempt: Uuid) -> Result<()>;
    async fn record_failure(&self, key: &str, at: OffsetDateTime) -> Result<()>;
    async fn failures_since(&self, key: &str, since: OffsetDateTime) -> Result<u64>;
    async fn clear_failures(&self, key: &str) -> Result<()>;
    async fn purge_failures_before(&self, before: OffsetDateTime) -> Result<u64>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub created_at: OffsetDateTime,
    pub last_sign_in_at: Option<OffsetDateTime>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: UserId(r.id),
            email: r.email,
            display_name: r.display_name,
            is_admin: r.is_admin,
            disabled: r.disabled,
            created_at: r.created_at,
            last_sign_in_at: r.last_sign_in_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CredentialsRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub password_hash: String,
    pub password_changed_at: OffsetDateTime,
}

impl From<CredentialsRow> for Credentials {
    fn from(r: CredentialsRow) -> Self {
        Credentials {
            user: r.user.into(),
            password_hash: r.password_hash,
            password_changed_at: r.password_changed_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub role: String,
    pub since: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
pub(crate) struct TokenRow {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub user_id: Uuid,
    pub role: String,
    pub name: String,
    pub hint: String,
    pub created_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

impl TryFrom<TokenRow> for ApiToken {
    type Error = crate::StoreError;
    fn try_from(r: TokenRow) -> Result<Self> {
        Ok(ApiToken {
            id: ApiTokenId(r.id),
            programme_id: ProgrammeId(r.programme_id),
            user_id: UserId(r.user_id),
            role: parse_role(&r.role)?,
            name: r.name,
            hint: r.hint,
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
    }
}

pub(crate) fn parse_role(s: &str) -> Result<Role> {
    s.parse::<Role>()
        .map_err(|e| crate::StoreError::Database(sqlx::Error::Decode(Box::new(e))))
}

#[derive(sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub user_id: Option<Uuid>,
    pub data: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

impl From<SessionRow> for SessionRecord {
    fn from(r: SessionRow) -> Self {
        SessionRecord {
            user_id: r.user_id.map(UserId),
            data: r.data,
            created_at: r.created_at,
            expires_at: r.expires_at,
        }
    }
}

/// The comparable form of an e-mail address, for uniqueness and look-up.
pub(crate) fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}
