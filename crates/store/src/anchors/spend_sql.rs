// Spend files and their lines in SQL both backends understand: importing
// a file (its lines staged in short transactions, then published with its
// new suppliers in one), undoing one, clearing imports cut off part-way,
// the background imports' records and the ledger. Compiled into
// `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::anchors::spend::SpendStore;
use crate::anchors::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

#[derive(sqlx::FromRow)]
struct JobRow {
    id: Uuid,
    kind: String,
    anchor_name: String,
    file_name: String,
    total: i64,
    state: String,
    summary: String,
    problems: String,
    started_at: OffsetDateTime,
    ended_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct FileRow {
    id: Uuid,
    anchor_slug: String,
    file_name: String,
    encoding: String,
    lines_read: i64,
    lines_new: i64,
    total_pence: i64,
    first_paid_on: Option<Date>,
    last_paid_on: Option<Date>,
    imported_at: OffsetDateTime,
    imported_by: String,
}

#[derive(sqlx::FromRow)]
struct LedgerDb {
    id: i64,
    anchor_slug: String,
    paid_on: Date,
    amount_pence: i64,
    supplier_key: String,
    supplier_name: String,
    expense_type: String,
    expense_area: String,
    reference: String,
    redacted: bool,
    file_name: String,
    line_no: i64,
}

/// Rows per INSERT of spend lines: under both databases' parameter limits.
const LINES_PER_INSERT: usize = 30_000 / 15;

/// Inserts spend lines with multi-row INSERTs, skipping those already held
/// (same fingerprint); returns the amounts of the lines inserted.
#[allow(dead_code)]
pub(crate) async fn insert_lines_by_insert(
    conn: &mut Conn,
    programme: Uuid,
    anchor: Uuid,
    file_id: Uuid,
    lines: &[useit_core::anchors::spend_file::SpendLine],
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Vec<i64>> {
    let mut done = 0u64;
    let mut out = Vec::new();
    let mut keys = useit_core::anchors::supplier::NameKeys::default();
    for chunk in lines.chunks(LINES_PER_INSERT) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO spend_lines (programme_id, anchor_id, file_id, line_no, paid_on, supplier_key, supplier_name, \
             company_number, supplier_ref, amount_pence, expense_type, expense_area, reference, redacted, fingerprint) ",
        );
        qb.push_values(chunk, |mut b, l| {
            b.push_bind(programme)
                .push_bind(anchor)
                .push_bind(file_id)
                .push_bind(l.line as i64)
                .push_bind(l.paid_on)
                .push_bind(keys.get(&l.supplier).to_string())
                .push_bind(&l.supplier)
                .push_bind(&l.company_number)
                .push_bind(&l.supplier_id)
                .push_bind(l.amount)
                .push_bind(&l.expense_type)
                .push_bind(&l.expense_area)
                .push_bind(&l.reference)
                .push_bind(l.redacted)
                .push_bind(&l.fingerprint);
        });
        qb.push(
            " ON CONFLICT (programme_id, anchor_id, fingerprint) DO NOTHING RETURNING amount_pence",
        );
        out.extend(qb.build_query_scalar::<i64>().fetch_all(&mut *conn).await?);
        done += chunk.len() as u64;
        progress(done);
    }
    Ok(out)
}

/// The next batch's size: scaled so it takes about `STAGE_TAKES`, changed
/// at most fourfold a step, between 500 lines and `STAGE_MOST`.
fn next_batch(size: usize, took: std::time::Duration) -> usize {
    let took = took.as_secs_f64().max(0.001);
    let aim = size as f64 * super::STAGE_TAKES.as_secs_f64() / took;
    (aim.clamp(size as f64 / 4.0, size as f64 * 4.0) as usize).clamp(500, super::STAGE_MOST)
}

/// Whether a file is new, and then the id of its staging record.
enum Staged {
    Already(Uuid),
    New(Uuid),
}

/// Lines removed a transaction when a file goes (undone, or its import
/// failed or was cut off): short, as the import's batches are.
const REMOVE_LINES: i64 = 5_000;

/// A staging file that has not been written to for this long was cut off.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(120);

/// Starts a file's import in one short transaction: the same file already
/// published is "already imported"; another file of this anchor still
/// being written or removed is a conflict (its lines could decide which of
/// this file's are new); otherwise the file's record goes in, staging.
async fn stage_file(
    store: &ThisStore,
    programme: ProgrammeId,
    import: &SpendImport<'_>,
    actor: &Actor,
) -> Result<Staged> {
    // An import cut off long ago must not stand in the way.
    let cutoff = clock::now() - ABANDONED_AFTER;
    let stale: Vec<(Uuid, OffsetDateTime)> = sqlx::query_as::<Db, (Uuid, OffsetDateTime)>(
        "SELECT id, staging_at FROM spend_files WHERE programme_id = $1 AND anchor_id = $2 AND staging_at IS NOT NULL",
    )
    .bind(programme.0)
    .bind(import.anchor)
    .fetch_all(&store.pool)
    .await?;
    for (id, at) in stale {
        if at < cutoff {
            remove_file(store, programme.0, id).await?;
        }
    }
    let mut tx = store.writer.begin_with(BEGIN_WRITE).await?;
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
    let same: Option<Uuid> = sqlx::query_scalar::<Db, Uuid>(
        "SELECT id FROM spend_files WHERE programme_id = $1 AND anchor_id = $2 AND sha256 = $3 \
         AND staging_at IS NULL",
    )
    .bind(programme.0)
    .bind(import.anchor)
    .bind(&import.sha256)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = same {
        return Ok(Staged::Already(id));
    }
    let busy: i64 = sqlx::query_scalar::<Db, i64>(
        "SELECT COUNT(*) FROM spend_files WHERE programme_id = $1 AND anchor_id = $2 AND staging_at IS NOT NULL",
    )
    .bind(programme.0)
    .bind(import.anchor)
    .fetch_one(&mut *tx)
    .await?;
    if busy > 0 {
        return Err(StoreError::conflict("file", "anchors.import.anchor_busy"));
    }
    let file_id = Uuid::now_v7();
    let skipped = serde_json::to_string(&import.file.skipped).expect("counts serialise");
    let now = clock::now();
    sqlx::query::<Db>(
        "INSERT INTO spend_files (id, programme_id, anchor_id, file_name, sha256, encoding, lines_read, lines_new, \
         total_pence, first_paid_on, last_paid_on, skipped, imported_at, imported_by, staging_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $12, $13, $12)",
    )
    .bind(file_id)
    .bind(programme.0)
    .bind(import.anchor)
    .bind(&import.file_name)
    .bind(&import.sha256)
    .bind(&import.encoding)
    .bind(import.file.lines.len() as i64)
    .bind(import.file.total())
    .bind(import.file.first_paid_on)
    .bind(import.file.last_paid_on)
    .bind(&skipped)
    .bind(now)
    .bind(&actor.label)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Staged::New(file_id))
}

/// Publishes a staged file in one short transaction: its new suppliers,
/// the anchor's date order, its count of new lines, the revision (so the
/// figures are worked out again) and the audit entry; from its commit every
/// query reads the file's lines.
async fn publish_file(
    store: &ThisStore,
    programme: ProgrammeId,
    import: &SpendImport<'_>,
    file_id: Uuid,
    outcome: &mut ImportOutcome,
    actor: &Actor,
) -> Result<()> {
    let mut tx = store.writer.begin_with(BEGIN_WRITE).await?;
    super::revision_sql::bump_programme(&mut tx, programme).await?;
    if let Some(order) = import.date_order {
        sqlx::query::<Db>("UPDATE anchors SET date_order = $3 WHERE programme_id = $1 AND id = $2")
            .bind(programme.0)
            .bind(import.anchor)
            .bind(order.slug())
            .execute(&mut *tx)
            .await?;
    }
    insert_suppliers(&mut tx, programme, &import.new_suppliers, outcome).await?;
    let published = sqlx::query::<Db>(
        "UPDATE spend_files SET lines_new = $3, imported_at = $4, staging_at = NULL \
         WHERE programme_id = $1 AND id = $2 AND staging_at IS NOT NULL",
    )
    .bind(programme.0)
    .bind(file_id)
    .bind(outcome.lines_new as i64)
    .bind(clock::now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if published == 0 {
        // Removed as abandoned meanwhile: nothing of it stands.
        return Err(StoreError::NotFound);
    }
    let anchor: String = sqlx::query_scalar::<Db, String>(
        "SELECT name FROM anchors WHERE programme_id = $1 AND id = $2",
    )
    .bind(programme.0)
    .bind(import.anchor)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        &AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Import,
            "spend_file",
            Some(file_id.to_string()),
            format!(
                "{}: {} lines, {} new",
                import.file_name, outcome.lines_read, outcome.lines_new
            ),
        )
        .said(
            AuditMessage::new("audit.msg.spend_imported")
                .text("file", &import.file_name)
                .text("anchor", anchor)
                .counted("lines", "line", outcome.lines_read)
                .counted("new", "new_line", outcome.lines_new),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Suppliers not seen before, many rows a statement (a first file brings
/// thousands), with their candidate organisations.
async fn insert_suppliers(
    conn: &mut Conn,
    programme: ProgrammeId,
    suppliers: &[NewSupplier],
    outcome: &mut ImportOutcome,
) -> Result<()> {
    for chunk in suppliers.chunks(500) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO suppliers (programme_id, key, name, company_number, organisation_id, status, score, reason) ",
        );
        qb.push_values(chunk, |mut b, s| {
            let (org, score, reason) = match &s.matched {
                Some((id, score, reason)) => (Some(*id), Some(*score as i64), Some(reason.clone())),
                None => (
                    None,
                    s.candidates.first().map(|c| c.1 as i64),
                    s.candidates.first().map(|c| c.2.clone()),
                ),
            };
            b.push_bind(programme.0)
                .push_bind(&s.key)
                .push_bind(&s.name)
                .push_bind(&s.company_number)
                .push_bind(org)
                .push_bind(s.status.slug())
                .push_bind(score)
                .push_bind(reason);
        });
        qb.push(" ON CONFLICT (programme_id, key) DO NOTHING RETURNING key");
        let inserted: std::collections::HashSet<String> = qb
            .build_query_scalar::<String>()
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
        let added: Vec<&NewSupplier> = chunk.iter().filter(|s| inserted.contains(&s.key)).collect();
        for s in &added {
            outcome.new_suppliers += 1;
            match s.status {
                SupplierStatus::Matched => outcome.matched += 1,
                SupplierStatus::Review => outcome.to_review += 1,
                _ => {}
            }
        }
        let candidates: Vec<(&str, &(Uuid, u8, String))> = added
            .iter()
            .flat_map(|s| s.candidates.iter().map(|c| (s.key.as_str(), c)))
            .collect();
        for part in candidates.chunks(1000) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO supplier_candidates (programme_id, supplier_key, organisation_id, score, reason) ",
            );
            qb.push_values(part, |mut b, (key, (org, score, reason))| {
                b.push_bind(programme.0)
                    .push_bind(*key)
                    .push_bind(*org)
                    .push_bind(*score as i64)
                    .push_bind(reason);
            });
            qb.push(" ON CONFLICT DO NOTHING");
            qb.build().execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// Removes a file nobody reads (staging, or hidden by an undo): its lines
/// in short transactions, then its record. A published file is left alone.
async fn remove_file(store: &ThisStore, programme: Uuid, file: Uuid) -> Result<()> {
    loop {
        let mut tx = store.writer.begin_with(BEGIN_WRITE).await?;
        let gone = sqlx::query::<Db>(
            "DELETE FROM spend_lines WHERE id IN \
             (SELECT id FROM spend_lines WHERE programme_id = $1 AND file_id = $2 \
              AND EXISTS (SELECT 1 FROM spend_files WHERE programme_id = $1 AND id = $2 AND staging_at IS NOT NULL) \
              LIMIT $3)",
        )
        .bind(programme)
        .bind(file)
        .bind(REMOVE_LINES)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if gone < REMOVE_LINES as u64 {
            sqlx::query::<Db>(
                "DELETE FROM spend_files WHERE programme_id = $1 AND id = $2 AND staging_at IS NOT NULL",
            )
            .bind(programme)
            .bind(file)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(());
        }
        tx.commit().await?;
    }
}

#[async_trait]
impl SpendStore for ThisStore {
    async fn import_spend(
        &self,
        programme: ProgrammeId,
        import: &SpendImport<'_>,
        progress: &(dyn Fn(u64) + Send + Sync),
        actor: &Actor,
    ) -> Result<ImportOutcome> {
        let mut outcome = ImportOutcome {
            lines_read: import.file.lines.len() as u64,
            ..Default::default()
        };
        let file_id = match stage_file(self, programme, import, actor).await? {
            Staged::Already(id) => {
                outcome.file_id = Some(id);
                outcome.already_imported = true;
                return Ok(outcome);
            }
            Staged::New(id) => id,
        };
        super::import_batches_start(self).await?;
        let written = async {
            let mut new = Vec::new();
            let mut done = 0usize;
            // Batches sized to hold the write lock about STAGE_TAKES each,
            // whatever the machine's speed: a first small one is timed.
            let mut size = 2_000usize;
            let lines = &import.file.lines;
            let mut batches = 0;
            while done < lines.len() {
                let batch = &lines[done..(done + size).min(lines.len())];
                let started = std::time::Instant::now();
                let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
                let base = done as u64;
                new.extend(
                    super::insert_spend_lines(
                        &mut tx,
                        programme.0,
                        import.anchor,
                        file_id,
                        batch,
                        &|n| progress(base + n),
                    )
                    .await?,
                );
                sqlx::query::<Db>(
                    "UPDATE spend_files SET staging_at = $3 WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(file_id)
                .bind(clock::now())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                done += batch.len();
                size = next_batch(size, started.elapsed());
                super::import_batch_done(self, batches);
                batches += 1;
            }
            outcome.lines_new = new.len() as u64;
            outcome.total_new = new.iter().sum::<i64>();
            publish_file(self, programme, import, file_id, &mut outcome, actor).await
        }
        .await;
        if let Err(e) = super::import_batches_end(self).await {
            tracing::warn!(error = %e, "could not restore the database log's checkpoints");
        }
        if let Err(e) = written {
            // Nobody has seen the staged lines: they go, in batches.
            if let Err(again) = remove_file(self, programme.0, file_id).await {
                tracing::warn!(error = %again, "could not remove a failed import's staged lines; they go at the next start");
            }
            return Err(e);
        }
        outcome.file_id = Some(file_id);
        Ok(outcome)
    }

    async fn undo_spend_file(
        &self,
        programme: ProgrammeId,
        file: Uuid,
        actor: &Actor,
    ) -> Result<Option<SpendFileRecord>> {
        // Hidden at once (the figures move back in this one short
        // transaction); its lines then go in batches, as they came.
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let row: Option<FileRow> = sqlx::query_as::<Db, FileRow>(concat!(
            files_select!(),
            " WHERE f.programme_id = $1 AND f.id = $2 AND f.staging_at IS NULL"
        ))
        .bind(programme.0)
        .bind(file)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        super::revision_sql::bump_programme(&mut tx, programme).await?;
        let anchor: String = sqlx::query_scalar::<Db, String>(
            "SELECT name FROM anchors WHERE programme_id = $1 AND slug = $2",
        )
        .bind(programme.0)
        .bind(&row.anchor_slug)
        .fetch_one(&mut *tx)
        .await?;
        let lines: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM spend_lines WHERE programme_id = $1 AND file_id = $2",
        )
        .bind(programme.0)
        .bind(file)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query::<Db>(
            "UPDATE spend_files SET staging_at = $3 WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(file)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Delete,
                "spend_file",
                Some(file.to_string()),
                format!(
                    "{} ({}): import undone, {lines} lines removed",
                    row.file_name, row.anchor_slug
                ),
            )
            .said(
                AuditMessage::new("audit.msg.spend_undone")
                    .text("file", &row.file_name)
                    .text("anchor", anchor)
                    .counted("lines", "line", lines.max(0) as u64),
            ),
        )
        .await?;
        tx.commit().await?;
        remove_file(self, programme.0, file).await?;
        Ok(Some(file_record(row)))
    }

    async fn clear_abandoned_imports(&self, quiet_for: std::time::Duration) -> Result<u64> {
        let staging: Vec<(Uuid, Uuid, OffsetDateTime)> =
            sqlx::query_as::<Db, (Uuid, Uuid, OffsetDateTime)>(
                "SELECT programme_id, id, staging_at FROM spend_files WHERE staging_at IS NOT NULL",
            )
            .fetch_all(&self.pool)
            .await?;
        let cutoff = clock::now() - quiet_for;
        let mut n = 0;
        for (programme, id, at) in staging {
            if at < cutoff {
                remove_file(self, programme, id).await?;
                n += 1;
            }
        }
        Ok(n)
    }
    async fn spend_files(&self, programme: ProgrammeId) -> Result<Vec<SpendFileRecord>> {
        let rows: Vec<FileRow> = sqlx::query_as::<Db, FileRow>(concat!(
            files_select!(),
            " WHERE f.programme_id = $1 AND f.staging_at IS NULL ORDER BY f.imported_at DESC, f.id DESC"
        ))
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(file_record).collect())
    }

    async fn record_import_job(
        &self,
        programme: ProgrammeId,
        job: &useit_core::anchors::jobs::ImportJobRecord,
    ) -> Result<()> {
        sqlx::query::<Db>(
            "INSERT INTO import_jobs (id, programme_id, anchor_name, file_name, total, state, summary, \
             problems, started_at, ended_at, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, summary = excluded.summary, \
             problems = excluded.problems, ended_at = excluded.ended_at",
        )
        .bind(job.id)
        .bind(programme.0)
        .bind(&job.anchor_name)
        .bind(&job.file_name)
        .bind(job.total as i64)
        .bind(job.state.slug())
        .bind(&job.summary)
        .bind(&job.problems)
        .bind(job.started_at)
        .bind(job.ended_at)
        .bind(job.kind.slug())
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn import_job(
        &self,
        programme: ProgrammeId,
        id: Uuid,
    ) -> Result<Option<useit_core::anchors::jobs::ImportJobRecord>> {
        let row: Option<JobRow> = sqlx::query_as::<Db, JobRow>(
            "SELECT id, kind, anchor_name, file_name, total, state, summary, problems, started_at, ended_at \
             FROM import_jobs WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| useit_core::anchors::jobs::ImportJobRecord {
            id: r.id,
            // A kind this version does not know is not a spend import.
            kind: useit_core::anchors::jobs::JobKind::parse(&r.kind)
                .unwrap_or(useit_core::anchors::jobs::JobKind::Register),
            anchor_name: r.anchor_name,
            file_name: r.file_name,
            total: r.total.max(0) as u64,
            // A state this version does not know reads as cut off.
            state: useit_core::anchors::jobs::JobState::parse(&r.state)
                .unwrap_or(useit_core::anchors::jobs::JobState::Failed),
            summary: r.summary,
            problems: r.problems,
            started_at: r.started_at,
            ended_at: r.ended_at,
        }))
    }

    async fn ledger(&self, programme: ProgrammeId, anchor: Option<Uuid>) -> Result<Vec<LedgerRow>> {
        let rows: Vec<LedgerDb> = sqlx::query_as::<Db, LedgerDb>(
            "SELECT l.id, a.slug AS anchor_slug, l.paid_on, l.amount_pence, l.supplier_key, l.supplier_name, \
             l.expense_type, l.expense_area, l.reference, l.redacted, f.file_name, l.line_no \
             FROM spend_lines l \
             JOIN anchors a ON a.programme_id = l.programme_id AND a.id = l.anchor_id \
             JOIN spend_files f ON f.programme_id = l.programme_id AND f.id = l.file_id AND f.staging_at IS NULL \
             WHERE l.programme_id = $1 AND ($2 IS NULL OR l.anchor_id = $2) ORDER BY l.paid_on, l.id",
        )
        .bind(programme.0)
        .bind(anchor)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| LedgerRow {
                id: r.id,
                anchor_slug: r.anchor_slug,
                paid_on: r.paid_on,
                amount: r.amount_pence,
                supplier_key: r.supplier_key,
                supplier_name: r.supplier_name,
                expense_type: r.expense_type,
                expense_area: r.expense_area,
                reference: r.reference,
                redacted: r.redacted,
                file_name: r.file_name,
                line_no: r.line_no,
            })
            .collect())
    }
}

/// The files list's columns, with each file's anchor.
macro_rules! files_select {
    () => {
        "SELECT f.id, a.slug AS anchor_slug, f.file_name, f.encoding, f.lines_read, \
     f.lines_new, f.total_pence, f.first_paid_on, f.last_paid_on, f.imported_at, f.imported_by \
     FROM spend_files f JOIN anchors a ON a.programme_id = f.programme_id AND a.id = f.anchor_id"
    };
}
use files_select;

fn file_record(r: FileRow) -> SpendFileRecord {
    SpendFileRecord {
        id: r.id,
        anchor_slug: r.anchor_slug,
        file_name: r.file_name,
        encoding: r.encoding,
        lines_read: r.lines_read,
        lines_new: r.lines_new,
        total: r.total_pence,
        first_paid_on: r.first_paid_on,
        last_paid_on: r.last_paid_on,
        imported_at: r.imported_at,
        imported_by: r.imported_by,
    }
}
