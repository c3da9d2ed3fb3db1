// Anchors' workforce cells in SQL both backends understand. Compiled into
// `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::workforce::{Shape, WorkforceCell, Year};
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::anchors::workforce::*;
use crate::{Result, StoreError};

#[derive(sqlx::FromRow)]
struct FileRow {
    id: Uuid,
    anchor_slug: String,
    anchor_name: String,
    year: i32,
    file_name: String,
    shape: String,
    rows_read: i64,
    imported_at: OffsetDateTime,
    imported_by: String,
}

#[derive(sqlx::FromRow)]
struct CellRow {
    anchor_id: Uuid,
    year: i32,
    area_code: Option<String>,
    staff_group: String,
    band: String,
    contract: String,
    headcount: i64,
    fte_hundredths: i64,
    pay_pence: i64,
    starters: Option<i64>,
}

#[async_trait]
impl WorkforceStore for ThisStore {
    async fn import_workforce(
        &self,
        programme: ProgrammeId,
        import: &WorkforceImport<'_>,
        actor: &Actor,
    ) -> Result<WorkforceOutcome> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let anchor_ok: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM anchors WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(import.anchor)
        .fetch_one(&mut *tx)
        .await?;
        if anchor_ok == 0 {
            return Err(StoreError::NotFound);
        }
        let held: Option<(Uuid, String)> = sqlx::query_as::<Db, (Uuid, String)>(
            "SELECT id, sha256 FROM workforce_files WHERE programme_id = $1 AND anchor_id = $2 AND year = $3",
        )
        .bind(programme.0)
        .bind(import.anchor)
        .bind(import.year.0)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((id, sha)) = &held
            && *sha == import.sha256
        {
            let cells: i64 = sqlx::query_scalar::<Db, i64>(
                "SELECT COUNT(*) FROM workforce_cells WHERE programme_id = $1 AND file_id = $2",
            )
            .bind(programme.0)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            return Ok(WorkforceOutcome {
                file_id: *id,
                cells: cells as u64,
                already_imported: true,
                replaced: false,
            });
        }
        super::revision_sql::bump_programme(&mut tx, programme).await?;
        if let Some((id, _)) = &held {
            sqlx::query::<Db>(
                "DELETE FROM workforce_cells WHERE programme_id = $1 AND file_id = $2",
            )
            .bind(programme.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query::<Db>("DELETE FROM workforce_files WHERE programme_id = $1 AND id = $2")
                .bind(programme.0)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let file_id = Uuid::now_v7();
        sqlx::query::<Db>(
            "INSERT INTO workforce_files (id, programme_id, anchor_id, year, file_name, sha256, shape, \
             rows_read, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(file_id)
        .bind(programme.0)
        .bind(import.anchor)
        .bind(import.year.0)
        .bind(import.file_name)
        .bind(import.sha256)
        .bind(import.shape.slug())
        .bind(import.rows_read as i64)
        .bind(clock::now())
        .bind(&actor.label)
        .execute(&mut *tx)
        .await?;
        for chunk in import.cells.chunks(500) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO workforce_cells (programme_id, file_id, anchor_id, year, area_code, staff_group, \
                 band, contract, headcount, fte_hundredths, pay_pence, starters) ",
            );
            qb.push_values(chunk, |mut b, c: &WorkforceCell| {
                b.push_bind(programme.0)
                    .push_bind(file_id)
                    .push_bind(import.anchor)
                    .push_bind(import.year.0)
                    .push_bind(c.area_code.clone())
                    .push_bind(c.staff_group.clone())
                    .push_bind(c.band.clone())
                    .push_bind(c.contract.clone())
                    .push_bind(c.headcount as i64)
                    .push_bind(c.fte_hundredths)
                    .push_bind(c.pay)
                    .push_bind(c.starters.map(|n| n as i64));
            });
            qb.build().execute(&mut *tx).await?;
        }
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Import,
                "workforce_file",
                Some(file_id.to_string()),
                format!(
                    "{} for {}: {} rows read, {} cells",
                    import.file_name,
                    import.year.label(),
                    import.rows_read,
                    import.cells.len()
                ),
            )
            .said(
                AuditMessage::new("audit.msg.workforce_imported")
                    .text("file", import.file_name)
                    .text("year", import.year.label())
                    .counted("rows", "row", import.rows_read)
                    .counted("cells", "figure", import.cells.len() as u64),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(WorkforceOutcome {
            file_id,
            cells: import.cells.len() as u64,
            already_imported: false,
            replaced: held.is_some(),
        })
    }

    async fn workforce_files(&self, programme: ProgrammeId) -> Result<Vec<WorkforceFileRecord>> {
        let rows: Vec<FileRow> = sqlx::query_as::<Db, FileRow>(
            "SELECT f.id, a.slug AS anchor_slug, a.name AS anchor_name, f.year, f.file_name, f.shape, \
             f.rows_read, f.imported_at, f.imported_by FROM workforce_files f \
             JOIN anchors a ON a.programme_id = f.programme_id AND a.id = f.anchor_id \
             WHERE f.programme_id = $1 ORDER BY a.name, f.year",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(WorkforceFileRecord {
                    id: r.id,
                    anchor_slug: r.anchor_slug,
                    anchor_name: r.anchor_name,
                    year: Year(r.year),
                    file_name: r.file_name,
                    shape: Shape::parse(&r.shape).ok_or_else(|| {
                        StoreError::Database(sqlx::Error::Decode(
                            format!("workforce file shape {}", r.shape).into(),
                        ))
                    })?,
                    rows_read: r.rows_read as u64,
                    imported_at: r.imported_at,
                    imported_by: r.imported_by,
                })
            })
            .collect()
    }

    async fn workforce_cells(
        &self,
        programme: ProgrammeId,
        anchor: Option<Uuid>,
    ) -> Result<Vec<StoredCell>> {
        let rows: Vec<CellRow> = sqlx::query_as::<Db, CellRow>(
            "SELECT anchor_id, year, area_code, staff_group, band, contract, headcount, fte_hundredths, \
             pay_pence, starters FROM workforce_cells WHERE programme_id = $1 AND ($2 IS NULL OR anchor_id = $2) \
             ORDER BY anchor_id, year, area_code, staff_group, band, contract",
        )
        .bind(programme.0)
        .bind(anchor)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| StoredCell {
                anchor: r.anchor_id,
                year: Year(r.year),
                cell: WorkforceCell {
                    area_code: r.area_code,
                    staff_group: r.staff_group,
                    band: r.band,
                    contract: r.contract,
                    headcount: r.headcount as u64,
                    fte_hundredths: r.fte_hundredths,
                    pay: r.pay_pence,
                    starters: r.starters.map(|n| n as u64),
                },
            })
            .collect())
    }
}
