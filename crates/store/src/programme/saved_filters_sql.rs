// Saved filters in SQL both backends understand. Compiled into `sqlite.rs`
// and `postgres.rs` as a module.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::programme::saved_filter::{SavedFilter, SavedFilterDraft, SavedList};
use useit_core::{ProgrammeId, UserId};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::programme::saved_filters::SavedFilterStore;
use crate::talent::decode_err;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

#[derive(sqlx::FromRow)]
struct FilterRow {
    id: Uuid,
    list: String,
    name: String,
    query: String,
    shared: bool,
    owner_id: Uuid,
    owner_name: String,
    updated_at: OffsetDateTime,
}

impl TryFrom<FilterRow> for SavedFilter {
    type Error = StoreError;
    fn try_from(r: FilterRow) -> Result<SavedFilter> {
        Ok(SavedFilter {
            id: r.id,
            list: SavedList::parse(&r.list).ok_or_else(|| decode_err("saved list", &r.list))?,
            name: r.name,
            query: r.query,
            shared: r.shared,
            owner_id: UserId(r.owner_id),
            owner_name: r.owner_name,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str = "SELECT f.id, f.list, f.name, f.query, f.shared, f.owner_id, \
     u.display_name AS owner_name, f.updated_at \
     FROM saved_filters f JOIN users u ON u.id = f.owner_id";

async fn load(conn: &mut Conn, programme: ProgrammeId, id: Uuid) -> Result<SavedFilter> {
    sqlx::query_as::<Db, FilterRow>(sqlf!("{SELECT} WHERE f.programme_id = $1 AND f.id = $2"))
        .bind(programme.0)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

fn entry(
    actor: &Actor,
    programme: ProgrammeId,
    action: AuditAction,
    id: Uuid,
    summary: String,
) -> AuditEntry {
    AuditEntry::new(
        actor,
        Some(programme),
        action,
        "saved_filter",
        Some(id.to_string()),
        summary,
    )
}

#[async_trait]
impl SavedFilterStore for ThisStore {
    async fn save_filter(
        &self,
        programme: ProgrammeId,
        owner: UserId,
        draft: &SavedFilterDraft,
        actor: &Actor,
    ) -> Result<SavedFilter> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let now = clock::now();
        let existing: Option<Uuid> = sqlx::query_scalar::<Db, Uuid>(
            "SELECT id FROM saved_filters WHERE programme_id = $1 AND owner_id = $2 \
             AND list = $3 AND name = $4",
        )
        .bind(programme.0)
        .bind(owner.0)
        .bind(draft.list.slug())
        .bind(&draft.name)
        .fetch_optional(&mut *tx)
        .await?;
        let (id, action) = match existing {
            Some(id) => {
                sqlx::query::<Db>(
                    "UPDATE saved_filters SET query = $3, shared = $4, updated_at = $5 \
                     WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(id)
                .bind(&draft.query)
                .bind(draft.shared)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                (id, AuditAction::Update)
            }
            None => {
                let id = Uuid::now_v7();
                sqlx::query::<Db>(
                    "INSERT INTO saved_filters (id, programme_id, owner_id, list, name, query, \
                     shared, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                )
                .bind(id)
                .bind(programme.0)
                .bind(owner.0)
                .bind(draft.list.slug())
                .bind(&draft.name)
                .bind(&draft.query)
                .bind(draft.shared)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                (id, AuditAction::Create)
            }
        };
        // In words: the audit page shows summaries as they are stored.
        let summary = format!(
            "{} filter{}",
            draft.list.slug().replace('_', " "),
            if draft.shared { ", shared" } else { "" }
        );
        let said = AuditMessage::new(match (action, draft.shared) {
            (AuditAction::Create, true) => "audit.msg.filter_saved_shared",
            (AuditAction::Create, false) => "audit.msg.filter_saved",
            (_, true) => "audit.msg.filter_changed_shared",
            (_, false) => "audit.msg.filter_changed",
        })
        .text("name", &draft.name)
        .word("list", format!("audit.list.{}", draft.list.slug()));
        audit(
            &mut tx,
            &entry(actor, programme, action, id, summary).said(said),
        )
        .await?;
        let out = load(&mut tx, programme, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn saved_filters(
        &self,
        programme: ProgrammeId,
        viewer: UserId,
        list: SavedList,
    ) -> Result<Vec<SavedFilter>> {
        sqlx::query_as::<Db, FilterRow>(sqlf!(
            "{SELECT} WHERE f.programme_id = $1 AND f.list = $2 \
             AND (f.owner_id = $3 OR f.shared = $4) ORDER BY f.name, f.id"
        ))
        .bind(programme.0)
        .bind(list.slug())
        .bind(viewer.0)
        .bind(true)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(SavedFilter::try_from)
        .collect()
    }

    async fn delete_filter(
        &self,
        programme: ProgrammeId,
        owner: UserId,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let f = load(&mut tx, programme, id).await?;
        if f.owner_id != owner {
            return Err(StoreError::NotFound);
        }
        sqlx::query::<Db>("DELETE FROM saved_filters WHERE programme_id = $1 AND id = $2")
            .bind(programme.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let summary = format!("{} filter removed", f.list.slug().replace('_', " "));
        audit(
            &mut tx,
            &entry(actor, programme, AuditAction::Delete, id, summary).said(
                AuditMessage::new("audit.msg.filter_removed")
                    .text("name", &f.name)
                    .word("list", format!("audit.list.{}", f.list.slug())),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
