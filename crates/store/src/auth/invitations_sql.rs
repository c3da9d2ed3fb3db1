// Invitations to join a programme in SQL both backends understand.
// Compiled into `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::auth::invitation::{Invitation, InvitationDraft, InvitationState};
use useit_core::auth::{NewUser, User};
use useit_core::clock;
use useit_core::{ProgrammeId, UserId};

use super::audit_sql::insert as audit;
use super::auth_sql::{apply_role, insert_user};
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::auth::{InvitationStore, parse_role};
use crate::{Result, StoreError};

const SELECT: &str = "SELECT id, programme_id, email, role, hint, created_at, expires_at, \
     accepted_at, revoked_at FROM programme_invitations";

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    programme_id: Uuid,
    email: String,
    role: String,
    hint: String,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    accepted_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl TryFrom<Row> for Invitation {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self> {
        Ok(Invitation {
            id: r.id,
            programme: ProgrammeId(r.programme_id),
            email: r.email,
            role: parse_role(&r.role)?,
            hint: r.hint,
            created_at: r.created_at,
            expires_at: r.expires_at,
            accepted_at: r.accepted_at,
            revoked_at: r.revoked_at,
        })
    }
}

type Conn = <Db as sqlx::Database>::Connection;

/// The invitation by id inside a write transaction, refused unless open.
async fn open_invitation(conn: &mut Conn, id: Uuid) -> Result<Invitation> {
    let row = sqlx::query_as::<Db, Row>(sqlf!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let invitation = Invitation::try_from(row)?;
    if invitation.state(clock::now()) != InvitationState::Open {
        return Err(StoreError::conflict("invitation", "invitations.closed"));
    }
    Ok(invitation)
}

/// Closes an invitation as accepted by `user`, audited in the programme.
async fn close(
    conn: &mut Conn,
    invitation: &Invitation,
    user: UserId,
    actor: &Actor,
) -> Result<()> {
    apply_role(
        &mut *conn,
        invitation.programme,
        user,
        invitation.role,
        actor,
    )
    .await?;
    sqlx::query::<Db>(
        "UPDATE programme_invitations SET accepted_at = $2, accepted_by = $3 WHERE id = $1",
    )
    .bind(invitation.id)
    .bind(clock::now())
    .bind(user.0)
    .execute(&mut *conn)
    .await?;
    audit(
        &mut *conn,
        &AuditEntry::new(
            actor,
            Some(invitation.programme),
            AuditAction::Update,
            "invitation",
            Some(invitation.id.to_string()),
            format!("accepted by {user} as {}", invitation.role.slug()),
        )
        .said(
            AuditMessage::new("audit.msg.invitation_accepted")
                .person("member", user.0)
                .word("role", format!("role.{}", invitation.role.slug())),
        ),
    )
    .await
}

#[async_trait]
impl InvitationStore for ThisStore {
    async fn create_invitation(
        &self,
        programme: ProgrammeId,
        draft: &InvitationDraft,
        token_hash: &str,
        hint: &str,
        actor: &Actor,
    ) -> Result<Invitation> {
        let id = Uuid::now_v7();
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        sqlx::query::<Db>(
            "INSERT INTO programme_invitations (id, programme_id, email, role, token_hash, hint, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(programme.0)
        .bind(&draft.email)
        .bind(draft.role.slug())
        .bind(token_hash)
        .bind(hint)
        .bind(clock::now())
        .bind(clock::truncate(draft.expires_at))
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Create,
                "invitation",
                Some(id.to_string()),
                format!(
                    "role {}, open until {}",
                    draft.role.slug(),
                    clock::rfc3339(draft.expires_at)
                ),
            )
            .said(
                AuditMessage::new("audit.msg.invitation_sent")
                    .word("role", format!("role.{}", draft.role.slug())),
            ),
        )
        .await?;
        let row = sqlx::query_as::<Db, Row>(sqlf!("{SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Invitation::try_from(row)
    }

    async fn invitations(&self, programme: ProgrammeId) -> Result<Vec<Invitation>> {
        sqlx::query_as::<Db, Row>(sqlf!(
            "{SELECT} WHERE programme_id = $1 ORDER BY created_at DESC, id DESC LIMIT 500"
        ))
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Invitation::try_from)
        .collect()
    }

    async fn invitation_by_hash(&self, token_hash: &str) -> Result<Option<Invitation>> {
        sqlx::query_as::<Db, Row>(sqlf!("{SELECT} WHERE token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
            .map(Invitation::try_from)
            .transpose()
    }

    async fn revoke_invitation(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let n = sqlx::query::<Db>(
            "UPDATE programme_invitations SET revoked_at = $3 WHERE programme_id = $1 AND id = $2 \
             AND revoked_at IS NULL AND accepted_at IS NULL",
        )
        .bind(programme.0)
        .bind(id)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "invitation",
                Some(id.to_string()),
                "withdrawn",
            )
            .said(AuditMessage::new("audit.msg.invitation_withdrawn")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn accept_invitation(&self, id: Uuid, user: UserId, actor: &Actor) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let invitation = open_invitation(&mut tx, id).await?;
        close(&mut tx, &invitation, user, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn accept_invitation_as_new_account(
        &self,
        id: Uuid,
        new: &NewUser,
        actor: &Actor,
    ) -> Result<User> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let invitation = open_invitation(&mut tx, id).await?;
        let user = insert_user(&mut tx, new, actor).await?;
        close(&mut tx, &invitation, user.id, actor).await?;
        tx.commit().await?;
        Ok(user)
    }
}
