// Accounts, memberships, sessions, tokens and throttling in SQL both
// backends understand. Compiled into `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use sqlx::Connection as _;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::auth::{
    ApiToken, Credentials, Member, MemberQuery, MemberSort, Membership, NewApiToken, NewUser, Role,
    User, UserQuery, UserSort,
};
use useit_core::clock;
use useit_core::listing::{Page, PageRequest, like_pattern};
use useit_core::programme::Programme;
use useit_core::{ApiTokenId, ProgrammeId, UserId};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, LOCK_KEY, ThisStore};
use crate::auth::*;
use crate::programme::ProgrammeRow;
use crate::{Result, StoreError};

const USER_COLUMNS: &str = "users.id, users.email, users.display_name, users.is_admin, users.disabled, users.created_at, users.last_sign_in_at";

#[async_trait]
impl UserStore for ThisStore {
    async fn create_user(
        &self,
        new: &NewUser,
        membership: Option<(ProgrammeId, Role)>,
        actor: &Actor,
    ) -> Result<User> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let user = insert_user(&mut tx, new, actor).await?;
        if let Some((programme, role)) = membership {
            apply_role(&mut tx, programme, user.id, role, actor).await?;
        }
        tx.commit().await?;
        Ok(user)
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        let row =
            sqlx::query_as::<Db, UserRow>(sqlf!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(User::from))
    }

    async fn credentials_by_email(&self, email: &str) -> Result<Option<Credentials>> {
        let row = sqlx::query_as::<Db, CredentialsRow>(sqlf!(
            "SELECT {USER_COLUMNS}, password_hash, password_changed_at FROM users WHERE email_key = $1"
        ))
        .bind(email_key(email))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Credentials::from))
    }

    async fn credentials(&self, id: UserId) -> Result<Option<Credentials>> {
        let row = sqlx::query_as::<Db, CredentialsRow>(sqlf!(
            "SELECT {USER_COLUMNS}, password_hash, password_changed_at FROM users WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Credentials::from))
    }

    async fn users(&self, query: &UserQuery, page: PageRequest) -> Result<Page<User>> {
        let pattern = like_pattern(query.q.as_deref());
        let filter = "($1 IS NULL OR lower(email) LIKE $1 ESCAPE '\\' OR lower(display_name) LIKE $1 ESCAPE '\\')";
        let d = query.dir.sql();
        let order = match query.sort {
            UserSort::Name => format!("lower(display_name) {d}, id {d}"),
            UserSort::Email => format!("email_key {d}, id {d}"),
            UserSort::LastSignIn => {
                format!("(last_sign_in_at IS NULL) {d}, last_sign_in_at {d}, id {d}")
            }
            UserSort::Created => format!("created_at {d}, id {d}"),
        };
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        let total: i64 =
            sqlx::query_scalar::<Db, i64>(sqlf!("SELECT COUNT(*) FROM users WHERE {filter}"))
                .bind(pattern.as_deref())
                .fetch_one(&mut *tx)
                .await?;
        let rows = sqlx::query_as::<Db, UserRow>(sqlf!(
            "SELECT {USER_COLUMNS} FROM users WHERE {filter} ORDER BY {order} LIMIT $2 OFFSET $3"
        ))
        .bind(pattern.as_deref())
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Page {
            items: rows.into_iter().map(User::from).collect(),
            total: total as u64,
            page: page.page,
            per_page: page.per_page,
        })
    }

    async fn count_users(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar::<Db, i64>("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u64)
    }

    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        keep_session: Option<&str>,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let n = sqlx::query::<Db>(
            "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
        )
        .bind(password_hash)
        .bind(clock::now())
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let ended = sqlx::query::<Db>(
            "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)",
        )
        .bind(id.0)
        .bind(keep_session)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let revoked = revoke_all_tokens(&mut tx, id).await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                None,
                AuditAction::PasswordChange,
                "user",
                Some(id.to_string()),
                format!("other sessions ended: {ended}; API tokens revoked: {revoked}"),
            )
            .said(
                AuditMessage::new("audit.msg.password_changed")
                    .person("who", id.0)
                    .counted("sessions", "session", ended)
                    .counted("tokens", "token", revoked),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_disabled(&self, id: UserId, disabled: bool, actor: &Actor) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let n = sqlx::query::<Db>("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(disabled)
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        // Enabling again must not bring back what was in use before, so the
        // tokens are revoked, not just refused while disabled.
        if disabled {
            sqlx::query::<Db>("DELETE FROM sessions WHERE user_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            revoke_all_tokens(&mut tx, id).await?;
        }
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                None,
                AuditAction::Update,
                "user",
                Some(id.to_string()),
                if disabled { "disabled" } else { "enabled" },
            )
            .said(
                AuditMessage::new(if disabled {
                    "audit.msg.account_disabled"
                } else {
                    "audit.msg.account_enabled"
                })
                .person("who", id.0),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn record_sign_in(&self, id: UserId, at: OffsetDateTime) -> Result<()> {
        sqlx::query::<Db>("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
            .bind(clock::truncate(at))
            .bind(id.0)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn memberships(&self, user: UserId) -> Result<Vec<Membership>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            programme: ProgrammeRow,
            role: String,
        }
        let rows = sqlx::query_as::<Db, Row>(
            "SELECT p.id, p.slug, p.name, p.description, p.created_at, p.currency, p.language, m.role \
             FROM memberships m JOIN programmes p ON p.id = m.programme_id \
             WHERE m.user_id = $1 ORDER BY lower(p.name), p.id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Membership {
                    programme: r.programme.into(),
                    role: parse_role(&r.role)?,
                })
            })
            .collect()
    }

    async fn role_in(&self, user: UserId, programme: ProgrammeId) -> Result<Option<Role>> {
        let role: Option<String> = sqlx::query_scalar::<Db, String>(
            "SELECT role FROM memberships WHERE user_id = $1 AND programme_id = $2",
        )
        .bind(user.0)
        .bind(programme.0)
        .fetch_optional(&self.pool)
        .await?;
        role.map(|r| parse_role(&r)).transpose()
    }

    async fn user_in_programme(
        &self,
        user: UserId,
        slug: &str,
    ) -> Result<Option<(User, Option<(Programme, Option<Role>)>)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRow,
            p_id: Option<Uuid>,
            p_slug: Option<String>,
            p_name: Option<String>,
            p_description: Option<String>,
            p_created_at: Option<OffsetDateTime>,
            p_currency: Option<String>,
            p_language: Option<String>,
            role: Option<String>,
        }
        let row = sqlx::query_as::<Db, Row>(sqlf!(
            "SELECT {USER_COLUMNS}, p.id AS p_id, p.slug AS p_slug, p.name AS p_name, \
             p.description AS p_description, p.created_at AS p_created_at, \
             p.currency AS p_currency, p.language AS p_language, m.role AS role \
             FROM users LEFT JOIN programmes p ON p.slug = $2 \
             LEFT JOIN memberships m ON m.user_id = users.id AND m.programme_id = p.id \
             WHERE users.id = $1"
        ))
        .bind(user.0)
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let programme = match (
            r.p_id,
            r.p_slug,
            r.p_name,
            r.p_description,
            r.p_created_at,
            r.p_currency,
            r.p_language,
        ) {
            (
                Some(id),
                Some(slug),
                Some(name),
                Some(description),
                Some(created_at),
                Some(currency),
                Some(language),
            ) => Some(Programme::from(ProgrammeRow {
                id,
                slug,
                name,
                description,
                created_at,
                currency,
                language,
            })),
            _ => None,
        };
        let role = r.role.map(|r| parse_role(&r)).transpose()?;
        Ok(Some((User::from(r.user), programme.map(|p| (p, role)))))
    }

    async fn members(
        &self,
        programme: ProgrammeId,
        query: &MemberQuery,
        page: PageRequest,
    ) -> Result<Page<Member>> {
        let pattern = like_pattern(query.q.as_deref());
        let filter = "m.programme_id = $1 AND ($2 IS NULL OR lower(users.email) LIKE $2 ESCAPE '\\' \
                      OR lower(users.display_name) LIKE $2 ESCAPE '\\' OR m.role LIKE $2 ESCAPE '\\') \
                      AND ($3 IS NULL OR m.role = $3)";
        let d = query.dir.sql();
        let order = match query.sort {
            MemberSort::Name => format!("lower(users.display_name) {d}, users.id {d}"),
            MemberSort::Email => format!("users.email_key {d}, users.id {d}"),
            MemberSort::Role => format!("m.role {d}, lower(users.display_name), users.id"),
            MemberSort::Since => format!("m.created_at {d}, users.id {d}"),
        };
        let role = query.role.map(|r| r.slug());
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        let total: i64 = sqlx::query_scalar::<Db, i64>(sqlf!(
            "SELECT COUNT(*) FROM memberships m JOIN users ON users.id = m.user_id WHERE {filter}"
        ))
        .bind(programme.0)
        .bind(pattern.as_deref())
        .bind(role)
        .fetch_one(&mut *tx)
        .await?;
        let rows = sqlx::query_as::<Db, MemberRow>(sqlf!(
            "SELECT {USER_COLUMNS}, m.role, m.created_at AS since FROM memberships m \
             JOIN users ON users.id = m.user_id WHERE {filter} ORDER BY {order} LIMIT $4 OFFSET $5"
        ))
        .bind(programme.0)
        .bind(pattern.as_deref())
        .bind(role)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let items = rows
            .into_iter()
            .map(|r| {
                Ok(Member {
                    role: parse_role(&r.role)?,
                    since: r.since,
                    user: r.user.into(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            total: total as u64,
            page: page.page,
            per_page: page.per_page,
        })
    }

    async fn set_roles(
        &self,
        programme: ProgrammeId,
        roles: &[(UserId, Role)],
        actor: &Actor,
    ) -> Result<u64> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let before = administrators(&mut tx, programme).await?;
        let mut changed = 0;
        for (user, role) in roles {
            if apply_role(&mut tx, programme, *user, *role, actor).await? {
                changed += 1;
            }
        }
        if before > 0 && administrators(&mut tx, programme).await? == 0 {
            return Err(StoreError::conflict("role", "member.last_administrator"));
        }
        tx.commit().await?;
        Ok(changed)
    }

    async fn remove_member(
        &self,
        programme: ProgrammeId,
        user: UserId,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let before = administrators(&mut tx, programme).await?;
        let n =
            sqlx::query::<Db>("DELETE FROM memberships WHERE programme_id = $1 AND user_id = $2")
                .bind(programme.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        if before > 0 && administrators(&mut tx, programme).await? == 0 {
            return Err(StoreError::conflict("role", "member.last_administrator"));
        }
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Delete,
                "membership",
                Some(user.to_string()),
                "removed from programme; its API tokens deleted",
            )
            .said(AuditMessage::new("audit.msg.member_removed").person("member", user.0)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

type Conn = <Db as sqlx::Database>::Connection;

/// Creates an account inside the caller's transaction, audited; an e-mail
/// already in use is a conflict on `email`.
pub(crate) async fn insert_user(conn: &mut Conn, new: &NewUser, actor: &Actor) -> Result<User> {
    let id = Uuid::now_v7();
    let now = clock::now();
    let inserted = sqlx::query::<Db>(
        "INSERT INTO users (id, email, email_key, display_name, password_hash, is_admin, \
         disabled, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(&new.email)
    .bind(email_key(&new.email))
    .bind(&new.display_name)
    .bind(&new.password_hash)
    .bind(new.is_admin)
    .bind(false)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await;
    inserted.map_err(StoreError::unique_as("email", "user.email_taken"))?;
    audit(
        &mut *conn,
        &AuditEntry::new(
            actor,
            None,
            AuditAction::Create,
            "user",
            Some(id.to_string()),
            if new.is_admin {
                "fields: email, display_name; deployment administrator"
            } else {
                "fields: email, display_name"
            },
        )
        .said(
            AuditMessage::new(if new.is_admin {
                "audit.msg.account_created_admin"
            } else {
                "audit.msg.account_created"
            })
            .person("who", id),
        ),
    )
    .await?;
    Ok(User {
        id: UserId(id),
        email: new.email.clone(),
        display_name: new.display_name.clone(),
        is_admin: new.is_admin,
        disabled: false,
        created_at: now,
        last_sign_in_at: None,
    })
}

/// Revokes every token of a user still in use; returns how many. A token
/// is a credential made under the password (and the account standing) of
/// its day, so it ends when they change.
async fn revoke_all_tokens(conn: &mut Conn, user: UserId) -> Result<u64> {
    Ok(sqlx::query::<Db>(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(clock::now())
    .bind(user.0)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

async fn administrators(conn: &mut Conn, programme: ProgrammeId) -> Result<i64> {
    Ok(sqlx::query_scalar::<Db, i64>(
        "SELECT COUNT(*) FROM memberships WHERE programme_id = $1 AND role = 'administrator'",
    )
    .bind(programme.0)
    .fetch_one(&mut *conn)
    .await?)
}

/// Gives `user` `role` in `programme`; `false` when it already had it.
pub(crate) async fn apply_role(
    conn: &mut Conn,
    programme: ProgrammeId,
    user: UserId,
    role: Role,
    actor: &Actor,
) -> Result<bool> {
    let previous: Option<String> = sqlx::query_scalar::<Db, String>(
        "SELECT role FROM memberships WHERE programme_id = $1 AND user_id = $2",
    )
    .bind(programme.0)
    .bind(user.0)
    .fetch_optional(&mut *conn)
    .await?;
    if previous.as_deref() == Some(role.slug()) {
        return Ok(false);
    }
    let exists: i64 = sqlx::query_scalar::<Db, i64>("SELECT COUNT(*) FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_one(&mut *conn)
        .await?;
    if exists == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query::<Db>(
        "INSERT INTO memberships (programme_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (programme_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(programme.0)
    .bind(user.0)
    .bind(role.slug())
    .bind(clock::now())
    .execute(&mut *conn)
    .await?;
    // A token keeps the role it was issued with, so a changed role must not
    // leave a token with the old one behind.
    if previous.is_some() {
        sqlx::query::<Db>(
            "UPDATE api_tokens SET revoked_at = $1 WHERE programme_id = $2 AND user_id = $3 \
             AND revoked_at IS NULL AND role <> $4",
        )
        .bind(clock::now())
        .bind(programme.0)
        .bind(user.0)
        .bind(role.slug())
        .execute(&mut *conn)
        .await?;
    }
    let summary = match &previous {
        Some(p) => format!("role: {p} -> {}", role.slug()),
        None => format!("role: {}", role.slug()),
    };
    audit(
        conn,
        &AuditEntry::new(
            actor,
            Some(programme),
            if previous.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            "membership",
            Some(user.to_string()),
            summary,
        )
        .said(match &previous {
            Some(p) => AuditMessage::new("audit.msg.role_changed")
                .person("member", user.0)
                .word("from", format!("role.{p}"))
                .word("role", format!("role.{}", role.slug())),
            None => AuditMessage::new("audit.msg.role_given")
                .person("member", user.0)
                .word("role", format!("role.{}", role.slug())),
        }),
    )
    .await?;
    Ok(true)
}

#[async_trait]
impl SessionRecords for ThisStore {
    async fn session_create(&self, id_hash: &str, r: &SessionRecord) -> Result<bool> {
        let res = sqlx::query::<Db>(
            "INSERT INTO sessions (id_hash, user_id, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id_hash) DO NOTHING",
        )
        .bind(id_hash)
        .bind(r.user_id.map(|u| u.0))
        .bind(&r.data)
        .bind(clock::truncate(r.created_at))
        .bind(clock::truncate(r.expires_at))
        .execute(&self.writer)
        .await?;
        Ok(res.rows_affected() == 1)
    }

    async fn session_save(&self, id_hash: &str, r: &SessionRecord) -> Result<()> {
        sqlx::query::<Db>(
            "UPDATE sessions SET user_id = $1, data = $2, expires_at = $3 WHERE id_hash = $4",
        )
        .bind(r.user_id.map(|u| u.0))
        .bind(&r.data)
        .bind(clock::truncate(r.expires_at))
        .bind(id_hash)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn session_load(
        &self,
        id_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<SessionRecord>> {
        let row = sqlx::query_as::<Db, SessionRow>(
            "SELECT user_id, data, created_at, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash)
        .bind(clock::truncate(now))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(SessionRecord::from))
    }

    async fn session_load_at(
        &self,
        id_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(SessionRecord, crate::revision::AccessRevision)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            session: SessionRow,
            everyone: Option<i64>,
            account: Option<i64>,
        }
        let row = sqlx::query_as::<Db, Row>(
            "SELECT s.user_id, s.data, s.created_at, s.expires_at, e.n AS everyone, a.n AS account \
             FROM sessions s LEFT JOIN access_revisions a ON a.subject = s.user_id \
             LEFT JOIN access_revisions e ON e.subject = $3 \
             WHERE s.id_hash = $1 AND s.expires_at > $2",
        )
        .bind(id_hash)
        .bind(clock::truncate(now))
        .bind(Uuid::nil())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| {
            (
                SessionRecord::from(r.session),
                crate::revision::AccessRevision {
                    everyone: r.everyone.unwrap_or(0),
                    account: r.account.unwrap_or(0),
                },
            )
        }))
    }

    async fn session_delete(&self, id_hash: &str) -> Result<()> {
        sqlx::query::<Db>("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn sessions_end_for_user(&self, user: UserId, except: Option<&str>) -> Result<u64> {
        let n = sqlx::query::<Db>(
            "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)",
        )
        .bind(user.0)
        .bind(except)
        .execute(&self.writer)
        .await?
        .rows_affected();
        Ok(n)
    }

    async fn sessions_purge_expired(&self, now: OffsetDateTime) -> Result<u64> {
        let n = sqlx::query::<Db>("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(clock::truncate(now))
            .execute(&self.writer)
            .await?
            .rows_affected();
        Ok(n)
    }
}

const TOKEN_COLUMNS: &str =
    "id, programme_id, user_id, role, name, hint, created_at, expires_at, last_used_at, revoked_at";

#[async_trait]
impl TokenStore for ThisStore {
    async fn create_token(&self, t: &NewApiToken, actor: &Actor) -> Result<ApiToken> {
        let id = Uuid::now_v7();
        let now = clock::now();
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let role: Option<String> = sqlx::query_scalar::<Db, String>(
            "SELECT role FROM memberships WHERE programme_id = $1 AND user_id = $2",
        )
        .bind(t.programme_id.0)
        .bind(t.user_id.0)
        .fetch_optional(&mut *tx)
        .await?;
        match role {
            None => return Err(StoreError::NotFound),
            Some(r) if r != t.role.slug() => {
                return Err(StoreError::conflict("role", "token.role_not_held"));
            }
            Some(_) => {}
        }
        sqlx::query::<Db>(
            "INSERT INTO api_tokens (id, programme_id, user_id, role, name, token_hash, hint, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(t.programme_id.0)
        .bind(t.user_id.0)
        .bind(t.role.slug())
        .bind(&t.name)
        .bind(&t.token_hash)
        .bind(&t.hint)
        .bind(now)
        .bind(t.expires_at.map(clock::truncate))
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(t.programme_id),
                AuditAction::TokenCreate,
                "api_token",
                Some(id.to_string()),
                format!("role: {}", t.role.slug()),
            )
            .said(
                AuditMessage::new("audit.msg.token_created")
                    .person("who", t.user_id.0)
                    .word("role", format!("role.{}", t.role.slug())),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ApiToken {
            id: ApiTokenId(id),
            programme_id: t.programme_id,
            user_id: t.user_id,
            role: t.role,
            name: t.name.clone(),
            hint: t.hint.clone(),
            created_at: now,
            expires_at: t.expires_at.map(clock::truncate),
            last_used_at: None,
            revoked_at: None,
        })
    }

    async fn token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let row = sqlx::query_as::<Db, TokenRow>(sqlf!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(ApiToken::try_from).transpose()
    }

    async fn tokens_of_user(&self, user: UserId) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query_as::<Db, TokenRow>(sqlf!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ApiToken::try_from).collect()
    }

    async fn revoke_token(&self, user: UserId, id: ApiTokenId, actor: &Actor) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let programme: Option<Uuid> = sqlx::query_scalar::<Db, Uuid>(
            "SELECT programme_id FROM api_tokens WHERE id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(programme) = programme else {
            return Err(StoreError::NotFound);
        };
        sqlx::query::<Db>(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(clock::now())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(ProgrammeId(programme)),
                AuditAction::TokenRevoke,
                "api_token",
                Some(id.to_string()),
                "revoked",
            )
            .said(AuditMessage::new("audit.msg.token_revoked").person("who", user.0)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn touch_token(&self, id: ApiTokenId, at: OffsetDateTime) -> Result<()> {
        sqlx::query::<Db>("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(clock::truncate(at))
            .bind(id.0)
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}

#[async_trait]
impl ThrottleStore for ThisStore {
    async fn claim_attempt(
        &self,
        attempt: Uuid,
        keys: &[(String, u64)],
        since: OffsetDateTime,
        at: OffsetDateTime,
    ) -> Result<bool> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        // Locks in one order, so two claims over the same keys cannot
        // deadlock.
        let mut ordered: Vec<&(String, u64)> = keys.iter().collect();
        ordered.sort();
        if let Some(lock) = LOCK_KEY {
            for (key, _) in &ordered {
                sqlx::query::<Db>(lock).bind(key).execute(&mut *tx).await?;
            }
        }
        for (key, limit) in &ordered {
            let n: i64 = sqlx::query_scalar::<Db, i64>(
                "SELECT COUNT(*) FROM sign_in_failures WHERE key = $1 AND at >= $2",
            )
            .bind(key)
            .bind(clock::truncate(since))
            .fetch_one(&mut *tx)
            .await?;
            if n as u64 >= *limit {
                return Ok(false);
            }
        }
        for (key, _) in &ordered {
            sqlx::query::<Db>(
                "INSERT INTO sign_in_failures (key, at, attempt) VALUES ($1, $2, $3)",
            )
            .bind(key)
            .bind(clock::truncate(at))
            .bind(attempt)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn forgive_attempt(&self, attempt: Uuid) -> Result<()> {
        sqlx::query::<Db>("DELETE FROM sign_in_failures WHERE attempt = $1")
            .bind(attempt)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn record_failure(&self, key: &str, at: OffsetDateTime) -> Result<()> {
        sqlx::query::<Db>("INSERT INTO sign_in_failures (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(clock::truncate(at))
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn failures_since(&self, key: &str, since: OffsetDateTime) -> Result<u64> {
        let n: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM sign_in_failures WHERE key = $1 AND at >= $2",
        )
        .bind(key)
        .bind(clock::truncate(since))
        .fetch_one(&self.pool)
        .await?;
        Ok(n as u64)
    }

    async fn clear_failures(&self, key: &str) -> Result<()> {
        sqlx::query::<Db>("DELETE FROM sign_in_failures WHERE key = $1")
            .bind(key)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn purge_failures_before(&self, before: OffsetDateTime) -> Result<u64> {
        let n = sqlx::query::<Db>("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(clock::truncate(before))
            .execute(&self.writer)
            .await?
            .rows_affected();
        Ok(n)
    }
}
