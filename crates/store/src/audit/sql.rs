// The audit log in SQL both backends understand. Compiled into `sqlite.rs`
// and `postgres.rs` as a module, where `Db` and `ThisStore` name the backend.

use async_trait::async_trait;
use sqlx::Connection as _;

use useit_core::audit::chain::Sealed;
use useit_core::audit::{AuditEntry, AuditFilter};
use useit_core::clock;
use useit_core::listing::{Page, PageRequest, like_pattern};
use uuid::Uuid;

use super::{Db, ThisStore};
use crate::Result;
use crate::audit::{AuditRow, AuditStore};

/// Writes one entry on a connection, typically inside the transaction of the
/// change it records, so the change and its audit entry stand or fall together.
pub(crate) async fn insert(
    conn: &mut <Db as sqlx::Database>::Connection,
    e: &AuditEntry,
) -> Result<()> {
    sqlx::query::<Db>(
        "INSERT INTO audit_events (id, at, programme_id, actor_user_id, actor_label, channel, \
         action, subject_type, subject_id, summary, client_address, message) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(e.id)
    .bind(clock::truncate(e.at))
    .bind(e.programme_id.map(|p| p.0))
    .bind(e.actor_user_id.map(|u| u.0))
    .bind(&e.actor_label)
    .bind(e.channel.slug())
    .bind(e.action.slug())
    .bind(&e.subject_type)
    .bind(&e.subject_id)
    .bind(&e.summary)
    .bind(&e.address)
    .bind(&e.message)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const FILTER: &str = "($1 IS NULL OR programme_id = $1) \
    AND ($2 IS NULL OR action = $2) \
    AND ($3 IS NULL OR subject_type = $3) \
    AND ($4 IS NULL OR subject_id = $4) \
    AND ($5 IS NULL OR actor_user_id = $5) \
    AND ($6 IS NULL OR lower(actor_label) LIKE $6 ESCAPE '\\' OR lower(summary) LIKE $6 ESCAPE '\\' \
         OR lower(client_address) LIKE $6 ESCAPE '\\') \
    AND ($7 IS NULL OR at >= $7) \
    AND ($8 IS NULL OR at < $8)";

#[async_trait]
impl AuditStore for ThisStore {
    async fn audit_append(&self, entry: &AuditEntry) -> Result<()> {
        let mut conn = self.writer.acquire().await?;
        insert(&mut conn, entry).await
    }

    async fn audit_list(&self, f: &AuditFilter, page: PageRequest) -> Result<Page<AuditEntry>> {
        let pattern = like_pattern(f.q.as_deref());
        let order = if f.oldest_first { "ASC" } else { "DESC" };
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        macro_rules! bind_filter {
            ($q:expr) => {
                $q.bind(f.programme_id.map(|p| p.0))
                    .bind(f.action.map(|a| a.slug()))
                    .bind(f.subject_type.as_deref())
                    .bind(f.subject_id.as_deref())
                    .bind(f.actor_user_id.map(|u| u.0))
                    .bind(pattern.as_deref())
                    .bind(f.since.map(clock::truncate))
                    .bind(f.until.map(clock::truncate))
            };
        }
        let total: i64 = bind_filter!(sqlx::query_scalar::<Db, i64>(sqlf!(
            "SELECT COUNT(*) FROM audit_events WHERE {FILTER}"
        )))
        .fetch_one(&mut *tx)
        .await?;
        let rows: Vec<AuditRow> = bind_filter!(sqlx::query_as::<Db, AuditRow>(sqlf!(
            "SELECT * FROM audit_events WHERE {FILTER} ORDER BY at {order}, id {order} LIMIT $9 OFFSET $10"
        )))
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(AuditEntry::try_from)
                .collect::<Result<_>>()?,
            total: total as u64,
            page: page.page,
            per_page: page.per_page,
        })
    }

    async fn audit_unsealed(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as::<Db, AuditRow>(
            "SELECT * FROM audit_events e WHERE NOT EXISTS \
             (SELECT 1 FROM audit_seals s WHERE s.event_id = e.id) \
             ORDER BY at, id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AuditEntry::try_from).collect()
    }

    async fn audit_unsealed_count(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM audit_events e WHERE NOT EXISTS \
             (SELECT 1 FROM audit_seals s WHERE s.event_id = e.id)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n as u64)
    }

    async fn audit_chain_head(&self) -> Result<Option<(i64, String)>> {
        Ok(sqlx::query_as::<Db, (i64, String)>(
            "SELECT seq, hash FROM audit_seals ORDER BY seq DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn audit_seal(&self, after: i64, seals: &[(i64, Uuid, String)]) -> Result<bool> {
        let mut conn = self.writer.acquire().await?;
        let mut tx = conn.begin().await?;
        let head: i64 =
            sqlx::query_scalar::<Db, i64>("SELECT COALESCE(MAX(seq), 0) FROM audit_seals")
                .fetch_one(&mut *tx)
                .await?;
        if head != after {
            return Ok(false);
        }
        for (seq, event_id, hash) in seals {
            // A second sealer that read the same head collides here on
            // the sequence number, and its whole batch is rolled back.
            let written = sqlx::query::<Db>(
                "INSERT INTO audit_seals (seq, event_id, hash) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(seq)
            .bind(event_id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
            if written.rows_affected() == 0 {
                return Ok(false);
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn audit_sealed(&self, after_seq: i64, limit: u32) -> Result<Vec<Sealed>> {
        #[derive(sqlx::FromRow)]
        struct SealRow {
            seq: i64,
            event_id: Uuid,
            hash: String,
        }
        let seals: Vec<SealRow> = sqlx::query_as::<Db, SealRow>(
            "SELECT seq, event_id, hash FROM audit_seals WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let (Some(first), Some(last)) = (seals.first(), seals.last()) else {
            return Ok(Vec::new());
        };
        let rows: Vec<AuditRow> = sqlx::query_as::<Db, AuditRow>(
            "SELECT e.* FROM audit_events e JOIN audit_seals s ON s.event_id = e.id \
             WHERE s.seq BETWEEN $1 AND $2",
        )
        .bind(first.seq)
        .bind(last.seq)
        .fetch_all(&self.pool)
        .await?;
        let mut by_id: std::collections::HashMap<Uuid, AuditEntry> = rows
            .into_iter()
            .map(|r| AuditEntry::try_from(r).map(|e| (e.id, e)))
            .collect::<Result<_>>()?;
        Ok(seals
            .into_iter()
            .map(|s| Sealed {
                seq: s.seq,
                event_id: s.event_id,
                entry: by_id.remove(&s.event_id),
                hash: s.hash,
            })
            .collect())
    }
}
