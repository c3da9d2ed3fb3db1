// Anchors, spend and suppliers in SQL both backends understand. Compiled
// into `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::measures::{InfluenceRule, Lm3Inputs, SupplierKind};
use useit_core::anchors::spend_file::ColumnMapping;
use useit_core::anchors::supplier::{RegisterEntry, name_key};
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::anchors::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

fn corrupt(what: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(what.into()))
}

#[derive(sqlx::FromRow)]
struct AnchorRow {
    id: Uuid,
    slug: String,
    name: String,
    kind: String,
    official_code: Option<String>,
    local_authority_code: Option<String>,
    column_mapping: String,
    date_order: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SiteRow {
    anchor_id: Uuid,
    name: String,
    postcode: String,
}

async fn load_anchors(
    conn: &mut Conn,
    programme: ProgrammeId,
    slug: Option<&str>,
) -> Result<Vec<Anchor>> {
    let rows: Vec<AnchorRow> = sqlx::query_as::<Db, AnchorRow>(
        "SELECT id, slug, name, kind, official_code, local_authority_code, column_mapping, date_order FROM anchors \
         WHERE programme_id = $1 AND ($2 IS NULL OR slug = $2) ORDER BY name",
    )
    .bind(programme.0)
    .bind(slug)
    .fetch_all(&mut *conn)
    .await?;
    let sites: Vec<SiteRow> = sqlx::query_as::<Db, SiteRow>(
        "SELECT anchor_id, name, postcode FROM anchor_sites WHERE programme_id = $1 ORDER BY name",
    )
    .bind(programme.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Anchor {
                kind: AnchorKind::parse(&r.kind)
                    .ok_or_else(|| corrupt(format!("anchor kind {}", r.kind)))?,
                column_mapping: serde_json::from_str::<ColumnMapping>(&r.column_mapping)
                    .map_err(|e| corrupt(format!("column mapping: {e}")))?,
                sites: sites
                    .iter()
                    .filter(|s| s.anchor_id == r.id)
                    .map(|s| Site {
                        name: s.name.clone(),
                        postcode: s.postcode.clone(),
                    })
                    .collect(),
                date_order: match r.date_order {
                    None => None,
                    Some(o) => Some(
                        useit_core::anchors::dates::DateOrder::parse(&o)
                            .ok_or_else(|| corrupt(format!("date order {o}")))?,
                    ),
                },
                id: r.id,
                slug: r.slug,
                name: r.name,
                official_code: r.official_code,
                local_authority_code: r.local_authority_code,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: Uuid,
    org_id: String,
    name: String,
    kind: String,
    company_number: Option<String>,
    postcode: Option<String>,
    trading_postcode: Option<String>,
    source: String,
    legal_form: Option<String>,
    charity_number: Option<String>,
    sic_codes: Option<String>,
    register_status: Option<String>,
}

impl TryFrom<OrgRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrgRow) -> Result<Self> {
        Ok(Organisation {
            kind: SupplierKind::parse(&r.kind)
                .ok_or_else(|| corrupt(format!("organisation kind {}", r.kind)))?,
            id: r.id,
            org_id: r.org_id,
            name: r.name,
            company_number: r.company_number,
            postcode: r.postcode,
            trading_postcode: r.trading_postcode,
            source: r.source,
            details: OrganisationDetails {
                legal_form: r.legal_form,
                charity_number: r.charity_number,
                sic_codes: r
                    .sic_codes
                    .map(|s| s.split(',').map(String::from).collect())
                    .unwrap_or_default(),
                register_status: r.register_status,
            },
        })
    }
}

const ORG_COLUMNS: &str = "o.id, o.org_id, o.name, o.kind, o.company_number, o.postcode, o.trading_postcode, o.source, \
     o.legal_form, o.charity_number, o.sic_codes, o.register_status";

#[derive(sqlx::FromRow)]
struct SupplierRow {
    key: String,
    name: String,
    company_number: Option<String>,
    status: String,
    score: Option<i64>,
    reason: Option<String>,
    org_uuid: Option<Uuid>,
    org_id: Option<String>,
    org_name: Option<String>,
    org_kind: Option<String>,
    org_company_number: Option<String>,
    org_postcode: Option<String>,
    org_trading_postcode: Option<String>,
    org_source: Option<String>,
    org_legal_form: Option<String>,
    org_charity_number: Option<String>,
    org_sic_codes: Option<String>,
    org_register_status: Option<String>,
    lines: i64,
    total: i64,
}

impl TryFrom<SupplierRow> for SupplierRecord {
    type Error = StoreError;
    fn try_from(r: SupplierRow) -> Result<Self> {
        let organisation = match (r.org_uuid, r.org_id, r.org_name, r.org_kind, r.org_source) {
            (Some(id), Some(org_id), Some(name), Some(kind), Some(source)) => {
                Some(Organisation::try_from(OrgRow {
                    id,
                    org_id,
                    name,
                    kind,
                    company_number: r.org_company_number,
                    postcode: r.org_postcode,
                    trading_postcode: r.org_trading_postcode,
                    source,
                    legal_form: r.org_legal_form,
                    charity_number: r.org_charity_number,
                    sic_codes: r.org_sic_codes,
                    register_status: r.org_register_status,
                })?)
            }
            _ => None,
        };
        Ok(SupplierRecord {
            status: SupplierStatus::parse(&r.status)
                .ok_or_else(|| corrupt(format!("supplier status {}", r.status)))?,
            key: r.key,
            name: r.name,
            company_number: r.company_number,
            organisation,
            score: r.score.map(|s| s.clamp(0, 100) as u8),
            reason: r.reason,
            lines: r.lines,
            total: r.total,
        })
    }
}

const SUPPLIER_SELECT: &str = "SELECT s.key, s.name, s.company_number, s.status, s.score, s.reason, \
     o.id AS org_uuid, o.org_id, o.name AS org_name, o.kind AS org_kind, o.company_number AS org_company_number, \
     o.postcode AS org_postcode, o.trading_postcode AS org_trading_postcode, o.source AS org_source, \
     o.legal_form AS org_legal_form, o.charity_number AS org_charity_number, o.sic_codes AS org_sic_codes, \
     o.register_status AS org_register_status, \
     COALESCE(t.lines, 0) AS lines, COALESCE(t.total, 0) AS total \
     FROM suppliers s \
     LEFT JOIN organisations o ON o.programme_id = s.programme_id AND o.id = s.organisation_id \
     LEFT JOIN (SELECT supplier_key, COUNT(*) AS lines, CAST(SUM(amount_pence) AS BIGINT) AS total \
                FROM spend_lines WHERE programme_id = $1 AND file_id NOT IN \
                  (SELECT id FROM spend_files WHERE programme_id = $1 AND staging_at IS NOT NULL) \
                GROUP BY supplier_key) t ON t.supplier_key = s.key \
     WHERE s.programme_id = $1";

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

#[derive(sqlx::FromRow)]
struct SettingsRow {
    rules: String,
    city_region: String,
    site_radius_m: i64,
    lm3: String,
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

/// Where each merged-away org-id (not held again since) now goes: the
/// org-id of the organisation it was merged into.
async fn merge_redirects(
    conn: &mut <Db as sqlx::Database>::Connection,
    programme: ProgrammeId,
) -> Result<std::collections::HashMap<String, String>> {
    Ok(sqlx::query_as::<Db, (String, String)>(
        "SELECT m.merged_org_id, o.org_id FROM organisation_merges m \
         JOIN organisations o ON o.programme_id = m.programme_id AND o.id = m.kept_id \
         WHERE m.programme_id = $1 AND NOT EXISTS (SELECT 1 FROM organisations x \
           WHERE x.programme_id = m.programme_id AND x.org_id = m.merged_org_id)",
    )
    .bind(programme.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect())
}

/// The register rows to write: a row with the org-id of an organisation
/// merged away (and not held again since) is written to the organisation it
/// was merged into, so a load never brings it back; when the rows also have
/// the kept one's own row, or another merged-away row for it came first,
/// the row is left out (one row per organisation in a statement). Also
/// returns how many rows were sent to a kept organisation.
fn redirect_rows<'a>(
    redirect: &std::collections::HashMap<String, String>,
    orgs: &'a [(Uuid, OrganisationInput)],
) -> (Vec<(Uuid, std::borrow::Cow<'a, OrganisationInput>)>, u64) {
    use std::borrow::Cow;
    use std::collections::HashSet;
    if redirect.is_empty() {
        return (
            orgs.iter().map(|(id, o)| (*id, Cow::Borrowed(o))).collect(),
            0,
        );
    }
    let own: HashSet<&str> = orgs.iter().map(|(_, o)| o.org_id.as_str()).collect();
    let mut taken: HashSet<&str> = HashSet::new();
    let mut redirected = 0;
    let mut out = Vec::with_capacity(orgs.len());
    for (id, o) in orgs {
        match redirect.get(&o.org_id) {
            None => out.push((*id, Cow::Borrowed(o))),
            Some(kept) if own.contains(kept.as_str()) || !taken.insert(kept.as_str()) => {}
            Some(kept) => {
                let mut o = o.clone();
                o.org_id = kept.clone();
                redirected += 1;
                out.push((*id, Cow::Owned(o)));
            }
        }
    }
    (out, redirected)
}

#[async_trait]
impl AnchorStore for ThisStore {
    async fn list_anchors(&self, programme: ProgrammeId) -> Result<Vec<Anchor>> {
        let mut conn = self.pool.acquire().await?;
        load_anchors(&mut conn, programme, None).await
    }

    async fn anchor(&self, programme: ProgrammeId, slug: &str) -> Result<Option<Anchor>> {
        let mut conn = self.pool.acquire().await?;
        Ok(load_anchors(&mut conn, programme, Some(slug)).await?.pop())
    }

    async fn save_anchor(
        &self,
        programme: ProgrammeId,
        input: &AnchorDraft,
        actor: &Actor,
    ) -> Result<Anchor> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        super::revision_sql::bump_programme(&mut tx, programme).await?;
        let now = clock::now();
        let mapping = serde_json::to_string(&input.column_mapping).expect("a mapping serialises");
        let existing: Option<Uuid> = sqlx::query_scalar::<Db, Uuid>(
            "SELECT id FROM anchors WHERE programme_id = $1 AND slug = $2",
        )
        .bind(programme.0)
        .bind(&input.slug)
        .fetch_optional(&mut *tx)
        .await?;
        let id = match existing {
            Some(id) => {
                sqlx::query::<Db>(
                    "UPDATE anchors SET name = $3, kind = $4, official_code = $5, local_authority_code = $6, \
                     column_mapping = $7, updated_at = $8 WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(id)
                .bind(&input.name)
                .bind(input.kind.slug())
                .bind(&input.official_code)
                .bind(&input.local_authority_code)
                .bind(&mapping)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                let id = Uuid::now_v7();
                sqlx::query::<Db>(
                    "INSERT INTO anchors (id, programme_id, slug, name, kind, official_code, local_authority_code, \
                     column_mapping, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                )
                .bind(id)
                .bind(programme.0)
                .bind(&input.slug)
                .bind(&input.name)
                .bind(input.kind.slug())
                .bind(&input.official_code)
                .bind(&input.local_authority_code)
                .bind(&mapping)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        sqlx::query::<Db>("DELETE FROM anchor_sites WHERE programme_id = $1 AND anchor_id = $2")
            .bind(programme.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for s in &input.sites {
            sqlx::query::<Db>(
                "INSERT INTO anchor_sites (id, programme_id, anchor_id, name, postcode) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(Uuid::now_v7())
            .bind(programme.0)
            .bind(id)
            .bind(&s.name)
            .bind(&s.postcode)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique_as("sites", "anchors.anchor.site_twice"))?;
        }
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                if existing.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                "anchor",
                Some(id.to_string()),
                format!("{} ({} sites)", input.slug, input.sites.len()),
            )
            .said(
                AuditMessage::new("audit.msg.anchor_saved")
                    .text("name", &input.name)
                    .counted("sites", "site", input.sites.len() as u64),
            ),
        )
        .await?;
        let anchor = load_anchors(&mut tx, programme, Some(&input.slug))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(anchor)
    }

    async fn load_organisations(
        &self,
        programme: ProgrammeId,
        orgs: &[OrganisationInput],
        actor: &Actor,
    ) -> Result<u64> {
        let with_ids: Vec<(Uuid, OrganisationInput)> =
            orgs.iter().map(|o| (Uuid::now_v7(), o.clone())).collect();
        let load = RegisterLoad {
            source: "register",
            orgs: &with_ids,
            rechecked: &[],
        };
        Ok(self.load_register(programme, &load, actor).await?.new)
    }

    async fn load_register(
        &self,
        programme: ProgrammeId,
        load: &RegisterLoad<'_>,
        actor: &Actor,
    ) -> Result<RegisterLoadOutcome> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let outcome = load_register_in(&mut tx, programme, load, actor).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn load_register_stream(
        &self,
        programme: ProgrammeId,
        source: &str,
        rows: tokio::sync::mpsc::Receiver<RegisterStream>,
        recheck: Option<Recheck>,
        actor: &Actor,
    ) -> Result<Option<RegisterLoadOutcome>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let outcome =
            load_register_stream_in(&mut tx, programme, source, rows, recheck, actor).await?;
        if outcome.is_some() {
            tx.commit().await?;
        }
        Ok(outcome)
    }

    async fn load_links(
        &self,
        programme: ProgrammeId,
        joins: &[(Uuid, Uuid)],
        marks: &RegisterLoad<'_>,
        actor: &Actor,
    ) -> Result<u64> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut joined = 0;
        for (keep, other) in joins {
            if let useit_core::enterprise::duplicates::Merged::Merged { .. } =
                super::enterprise_merge_sql::merge_in(&mut tx, programme, *keep, *other, actor)
                    .await?
            {
                joined += 1;
            }
        }
        if !marks.orgs.is_empty() {
            load_register_in(&mut tx, programme, marks, actor).await?;
        }
        tx.commit().await?;
        Ok(joined)
    }

    async fn organisation_ids(&self, programme: ProgrammeId) -> Result<Vec<(String, Uuid)>> {
        Ok(sqlx::query_as::<Db, (String, Uuid)>(
            "SELECT org_id, id FROM organisations WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn organisations_for_matching(
        &self,
        programme: ProgrammeId,
    ) -> Result<Vec<(Uuid, RegisterEntry)>> {
        let rows: Vec<(Uuid, String, Option<String>)> = sqlx::query_as::<Db, (Uuid, String, Option<String>)>(
            "SELECT id, name, company_number FROM organisations WHERE programme_id = $1 ORDER BY org_id",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, company_number)| {
                (
                    id,
                    RegisterEntry {
                        name,
                        company_number,
                    },
                )
            })
            .collect())
    }

    async fn organisation(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Organisation>> {
        let q = format!(
            "SELECT {ORG_COLUMNS} FROM organisations o WHERE o.programme_id = $1 AND o.id = $2"
        );
        sqlx::query_as::<Db, OrgRow>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Organisation::try_from)
            .transpose()
    }

    async fn search_organisations(
        &self,
        programme: ProgrammeId,
        search: &useit_core::anchors::register_search::RegisterSearch,
        limit: i64,
    ) -> Result<Vec<Organisation>> {
        let mut qb = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {ORG_COLUMNS} FROM organisations o WHERE o.programme_id = "
        ));
        qb.push_bind(programme.0).push(" AND (1 = 0");
        if let Some(key) = &search.name_key {
            // A name key has only letters, digits and single spaces: no
            // LIKE wildcard to escape.
            qb.push(" OR o.name_key LIKE ")
                .push_bind(format!("%{key}%"));
        }
        if let Some(n) = &search.company_number {
            qb.push(" OR o.company_number = ").push_bind(n);
        }
        if let Some(id) = &search.identifier {
            qb.push(" OR o.charity_number = ")
                .push_bind(id)
                .push(" OR UPPER(o.org_id) = ")
                .push_bind(id);
        }
        if let Some(p) = &search.postcode {
            qb.push(" OR REPLACE(UPPER(o.postcode), ' ', '') = ")
                .push_bind(p)
                .push(" OR REPLACE(UPPER(o.trading_postcode), ' ', '') = ")
                .push_bind(p);
        }
        qb.push(") ORDER BY lower(o.name), o.org_id LIMIT ")
            .push_bind(limit);
        qb.build_query_as::<OrgRow>()
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(Organisation::try_from)
            .collect()
    }

    async fn organisation_names(
        &self,
        programme: ProgrammeId,
        limit: i64,
    ) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query_as::<Db, (String, String, Option<String>)>(
            "SELECT org_id, name, COALESCE(trading_postcode, postcode) FROM organisations \
             WHERE programme_id = $1 ORDER BY lower(name), org_id LIMIT $2",
        )
        .bind(programme.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(useit_core::names::distinguish(rows))
    }

    async fn known_suppliers(
        &self,
        programme: ProgrammeId,
        keys: &[String],
    ) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for chunk in keys.chunks(5_000) {
            let mut qb =
                sqlx::QueryBuilder::<Db>::new("SELECT key FROM suppliers WHERE programme_id = ");
            qb.push_bind(programme.0).push(" AND key IN (");
            let mut sep = qb.separated(", ");
            for k in chunk {
                sep.push_bind(k);
            }
            qb.push(")");
            out.extend(
                qb.build_query_scalar::<String>()
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        Ok(out)
    }

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

    async fn supplier_facts(&self, programme: ProgrammeId) -> Result<Vec<SupplierFacts>> {
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<f64>,
            Option<f64>,
            Option<Uuid>,
            Option<String>,
        );
        let rows: Vec<Row> =
            sqlx::query_as::<Db, Row>(
                "SELECT s.key, s.name, o.kind, o.postcode, o.trading_postcode, o.lat, o.lon, o.id, o.name FROM suppliers s \
                 LEFT JOIN organisations o ON o.programme_id = s.programme_id AND o.id = s.organisation_id \
                 WHERE s.programme_id = $1",
            )
            .bind(programme.0)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(key, name, kind, postcode, trading_postcode, lat, lon, org_id, org_name)| {
                    SupplierFacts {
                        key,
                        name,
                        kind: kind.as_deref().and_then(SupplierKind::parse),
                        postcode,
                        trading_postcode,
                        location: lat
                            .zip(lon)
                            .and_then(|(lat, lon)| useit_core::place::Location::new(lat, lon)),
                        organisation: org_id.zip(org_name).map(|(id, name)| {
                            useit_core::anchors::measures::MatchedOrganisation { id, name }
                        }),
                    }
                },
            )
            .collect())
    }

    async fn suppliers(
        &self,
        programme: ProgrammeId,
        status: Option<SupplierStatus>,
    ) -> Result<Vec<SupplierRecord>> {
        let q = format!(
            "{SUPPLIER_SELECT} AND ($2 IS NULL OR s.status = $2) ORDER BY total DESC, s.name"
        );
        sqlx::query_as::<Db, SupplierRow>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .bind(status.map(|s| s.slug()))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(SupplierRecord::try_from)
            .collect()
    }

    async fn supplier(&self, programme: ProgrammeId, key: &str) -> Result<Option<SupplierRecord>> {
        let q = format!("{SUPPLIER_SELECT} AND s.key = $2");
        sqlx::query_as::<Db, SupplierRow>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .map(SupplierRecord::try_from)
            .transpose()
    }

    async fn supplier_candidates(
        &self,
        programme: ProgrammeId,
        key: &str,
    ) -> Result<Vec<SupplierCandidate>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            org: OrgRow,
            score: i64,
            reason: String,
        }
        let q = format!(
            "SELECT {ORG_COLUMNS}, c.score, c.reason FROM supplier_candidates c \
             JOIN organisations o ON o.programme_id = c.programme_id AND o.id = c.organisation_id \
             WHERE c.programme_id = $1 AND c.supplier_key = $2 ORDER BY c.score DESC, o.name"
        );
        sqlx::query_as::<Db, Row>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .bind(key)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                Ok(SupplierCandidate {
                    organisation: Organisation::try_from(r.org)?,
                    score: r.score.clamp(0, 100) as u8,
                    reason: r.reason,
                })
            })
            .collect()
    }

    async fn decide_supplier(
        &self,
        programme: ProgrammeId,
        key: &str,
        organisation: Option<Uuid>,
        actor: &Actor,
    ) -> Result<SupplierRecord> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        super::revision_sql::bump_programme(&mut tx, programme).await?;
        write_decision(&mut tx, programme, key, organisation, actor).await?;
        tx.commit().await?;
        self.supplier(programme, key)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn decide_suppliers(
        &self,
        programme: ProgrammeId,
        decisions: &[(String, Option<Uuid>)],
        actor: &Actor,
    ) -> Result<u64> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        super::revision_sql::bump_programme(&mut tx, programme).await?;
        for (key, organisation) in decisions {
            write_decision(&mut tx, programme, key, *organisation, actor).await?;
        }
        tx.commit().await?;
        Ok(decisions.len() as u64)
    }

    async fn spend_settings(&self, programme: ProgrammeId) -> Result<SpendSettings> {
        let row: Option<SettingsRow> = sqlx::query_as::<Db, SettingsRow>(
            "SELECT rules, city_region, site_radius_m, lm3 FROM spend_settings WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(SpendSettings::default());
        };
        let bad = |what: &str, e: serde_json::Error| corrupt(format!("spend settings {what}: {e}"));
        Ok(SpendSettings {
            rules: serde_json::from_str::<Vec<InfluenceRule>>(&r.rules)
                .map_err(|e| bad("rules", e))?,
            city_region: serde_json::from_str::<Vec<String>>(&r.city_region)
                .map_err(|e| bad("city region", e))?,
            site_radius_m: r.site_radius_m,
            lm3: serde_json::from_str::<Lm3Inputs>(&r.lm3).map_err(|e| bad("lm3", e))?,
        })
    }

    async fn save_spend_settings(
        &self,
        programme: ProgrammeId,
        settings: &SpendSettings,
        actor: &Actor,
    ) -> Result<()> {
        let detail = format!(
            "{} rules, {} city-region authorities",
            settings.rules.len(),
            settings.city_region.len()
        );
        let said = AuditMessage::new("audit.msg.spend_settings_saved")
            .counted("rules", "rule", settings.rules.len() as u64)
            .counted(
                "authorities",
                "authority",
                settings.city_region.len() as u64,
            );
        self.write_spend_settings(programme, settings, detail, said, actor)
            .await
    }

    async fn save_spend_settings_from_survey(
        &self,
        programme: ProgrammeId,
        settings: &SpendSettings,
        detail: String,
        actor: &Actor,
    ) -> Result<()> {
        let said = AuditMessage::new("audit.msg.respend_from_survey");
        self.write_spend_settings(programme, settings, detail, said, actor)
            .await
    }
}

impl ThisStore {
    /// The settings and their audit entry, in one transaction that moves
    /// the programme's revision (the figures follow at once).
    async fn write_spend_settings(
        &self,
        programme: ProgrammeId,
        settings: &SpendSettings,
        detail: String,
        said: AuditMessage,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        super::revision_sql::bump_programme(&mut tx, programme).await?;
        sqlx::query::<Db>(
            "INSERT INTO spend_settings (programme_id, rules, city_region, site_radius_m, lm3, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (programme_id) DO UPDATE SET rules = excluded.rules, \
             city_region = excluded.city_region, site_radius_m = excluded.site_radius_m, lm3 = excluded.lm3, \
             updated_at = excluded.updated_at",
        )
        .bind(programme.0)
        .bind(serde_json::to_string(&settings.rules).expect("rules serialise"))
        .bind(serde_json::to_string(&settings.city_region).expect("codes serialise"))
        .bind(settings.site_radius_m)
        .bind(serde_json::to_string(&settings.lm3).expect("inputs serialise"))
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "spend_settings",
                None,
                detail,
            )
            .said(said),
        )
        .await?;
        tx.commit().await?;
        Ok(())
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

/// A person's decision on one supplier and its audit entry, inside the
/// caller's transaction (one supplier's page, or many at once).
async fn write_decision(
    tx: &mut sqlx::Transaction<'_, Db>,
    programme: ProgrammeId,
    key: &str,
    organisation: Option<Uuid>,
    actor: &Actor,
) -> Result<()> {
    if let Some(org) = organisation {
        let n: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM organisations WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(org)
        .fetch_one(&mut **tx)
        .await?;
        if n == 0 {
            return Err(StoreError::Invalid(useit_core::validation::Invalid::one(
                "organisation",
                useit_core::i18n::Message::new("anchors.supplier.organisation_unknown"),
            )));
        }
    }
    let status = if organisation.is_some() {
        SupplierStatus::Accepted
    } else {
        SupplierStatus::NoMatch
    };
    let organisation_name = match organisation {
        Some(org) => {
            sqlx::query_scalar::<Db, String>(
                "SELECT name FROM organisations WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme.0)
            .bind(org)
            .fetch_optional(&mut **tx)
            .await?
        }
        None => None,
    };
    let supplier_name = sqlx::query_scalar::<Db, String>(
        "SELECT name FROM suppliers WHERE programme_id = $1 AND key = $2",
    )
    .bind(programme.0)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?
    .unwrap_or_else(|| key.to_string());
    let changed = sqlx::query::<Db>(
            "UPDATE suppliers SET organisation_id = $3, status = $4, score = NULL, reason = $5, decided_by = $6, decided_at = $7 \
             WHERE programme_id = $1 AND key = $2",
        )
        .bind(programme.0)
        .bind(key)
        .bind(organisation)
        .bind(status.slug())
        .bind("anchors.supplier.reason.decided")
        .bind(&actor.label)
        .bind(clock::now())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    audit(
        &mut *tx,
        &AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Update,
            "supplier",
            Some(key.to_string()),
            format!(
                "{}: {}",
                status.slug(),
                organisation.map(|o| o.to_string()).unwrap_or_default()
            ),
        )
        .said(match organisation_name {
            Some(name) => AuditMessage::new("audit.msg.supplier_matched")
                .text("supplier", &supplier_name)
                .text("organisation", name),
            None => {
                AuditMessage::new("audit.msg.supplier_no_match").text("supplier", &supplier_name)
            }
        }),
    )
    .await?;
    Ok(())
}

const ORG_COUNT: &str = "SELECT COUNT(*) FROM organisations WHERE programme_id = $1";

/// Writes register rows (an org-id already held keeps its id and, where
/// the row says nothing, what it had).
async fn upsert_orgs(
    tx: &mut Conn,
    programme: ProgrammeId,
    orgs: &[(Uuid, std::borrow::Cow<'_, OrganisationInput>)],
) -> Result<()> {
    for chunk in orgs.chunks(30_000 / 16) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO organisations (id, programme_id, org_id, name, name_key, kind, company_number, postcode, \
                 trading_postcode, source, legal_form, charity_number, sic_codes, register_status, lat, lon) ",
        );
        qb.push_values(chunk, |mut b, (id, o)| {
            let sic = (!o.details.sic_codes.is_empty()).then(|| o.details.sic_codes.join(","));
            b.push_bind(*id)
                .push_bind(programme.0)
                .push_bind(&o.org_id)
                .push_bind(&o.name)
                .push_bind(name_key(&o.name))
                .push_bind(o.kind.slug())
                .push_bind(&o.company_number)
                .push_bind(&o.postcode)
                .push_bind(&o.trading_postcode)
                .push_bind(&o.source)
                .push_bind(&o.details.legal_form)
                .push_bind(&o.details.charity_number)
                .push_bind(sic)
                .push_bind(&o.details.register_status)
                .push_bind(o.location.map(|l| l.lat))
                .push_bind(o.location.map(|l| l.lon));
        });
        // A recognised social enterprise keeps its kind; a charitable
        // company (known from a links file or the Charity Commission,
        // never from Companies House) keeps its form and its kind
        // unless the row says charitable company too.
        qb.push(
                " ON CONFLICT (programme_id, org_id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, \
                 kind = CASE WHEN organisations.kind = 'social_enterprise' THEN organisations.kind \
                 WHEN organisations.legal_form = 'charitable_company' \
                 AND COALESCE(excluded.legal_form, '') <> 'charitable_company' THEN organisations.kind \
                 ELSE excluded.kind END, \
                 company_number = COALESCE(excluded.company_number, organisations.company_number), \
                 postcode = COALESCE(excluded.postcode, organisations.postcode), \
                 trading_postcode = COALESCE(excluded.trading_postcode, organisations.trading_postcode), \
                 source = excluded.source, \
                 legal_form = CASE WHEN organisations.legal_form = 'charitable_company' THEN organisations.legal_form \
                 ELSE COALESCE(excluded.legal_form, organisations.legal_form) END, \
                 charity_number = COALESCE(excluded.charity_number, organisations.charity_number), \
                 sic_codes = COALESCE(excluded.sic_codes, organisations.sic_codes), \
                 register_status = COALESCE(excluded.register_status, organisations.register_status), \
                 lat = COALESCE(excluded.lat, organisations.lat), lon = COALESCE(excluded.lon, organisations.lon)",
            );
        qb.build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// Suppliers still waiting (not matched or decided) take what the fuller
/// register now says; a decision made meanwhile stands. Returns how many
/// changed.
async fn write_rechecked(
    tx: &mut Conn,
    programme: ProgrammeId,
    suppliers: &[NewSupplier],
) -> Result<u64> {
    let mut rechecked = 0u64;
    for s in suppliers {
        let changed = sqlx::query::<Db>(
            "UPDATE suppliers SET status = $3, organisation_id = $4, score = $5, reason = $6 \
                 WHERE programme_id = $1 AND key = $2 AND status IN ('unresolved', 'review')",
        )
        .bind(programme.0)
        .bind(&s.key)
        .bind(s.status.slug())
        .bind(s.matched.as_ref().map(|m| m.0))
        .bind(s.matched.as_ref().map(|m| m.1 as i64))
        .bind(s.matched.as_ref().map(|m| m.2.as_str()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            continue;
        }
        rechecked += 1;
        sqlx::query::<Db>(
            "DELETE FROM supplier_candidates WHERE programme_id = $1 AND supplier_key = $2",
        )
        .bind(programme.0)
        .bind(&s.key)
        .execute(&mut *tx)
        .await?;
        for (org, score, reason) in &s.candidates {
            sqlx::query::<Db>(
                    "INSERT INTO supplier_candidates (programme_id, supplier_key, organisation_id, score, reason) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(programme.0)
                .bind(&s.key)
                .bind(*org)
                .bind(*score as i64)
                .bind(reason)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(rechecked)
}

async fn register_audit(
    tx: &mut Conn,
    programme: ProgrammeId,
    source: &str,
    outcome: &RegisterLoadOutcome,
    redirected: u64,
    actor: &Actor,
) -> Result<()> {
    audit(
        &mut *tx,
        &AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Import,
            "organisation_register",
            None,
            format!(
                "{}: {} entries, {} new, {} for organisations merged away, {} suppliers re-checked",
                source, outcome.entries, outcome.new, redirected, outcome.rechecked
            ),
        )
        .said(
            AuditMessage::new("audit.msg.register_loaded")
                .text("source", source)
                .counted("entries", "register_entry", outcome.entries)
                .counted("new", "new_entry", outcome.new)
                .counted("rechecked", "rechecked", outcome.rechecked),
        ),
    )
    .await?;
    Ok(())
}

/// Loads register entries and re-checked suppliers inside the caller's
/// transaction (a register load's own, or a links file's with its joins).
async fn load_register_in(
    tx: &mut Conn,
    programme: ProgrammeId,
    load: &RegisterLoad<'_>,
    actor: &Actor,
) -> Result<RegisterLoadOutcome> {
    super::revision_sql::bump_programme(&mut *tx, programme).await?;
    let before: i64 = sqlx::query_scalar::<Db, i64>(ORG_COUNT)
        .bind(programme.0)
        .fetch_one(&mut *tx)
        .await?;
    let redirect = merge_redirects(&mut *tx, programme).await?;
    let (orgs, redirected) = redirect_rows(&redirect, load.orgs);
    upsert_orgs(&mut *tx, programme, &orgs).await?;
    let after: i64 = sqlx::query_scalar::<Db, i64>(ORG_COUNT)
        .bind(programme.0)
        .fetch_one(&mut *tx)
        .await?;
    let rechecked = write_rechecked(&mut *tx, programme, load.rechecked).await?;
    let outcome = RegisterLoadOutcome {
        entries: load.orgs.len() as u64,
        new: (after - before) as u64,
        rechecked,
    };
    register_audit(
        &mut *tx,
        programme,
        load.source,
        &outcome,
        redirected,
        actor,
    )
    .await?;
    Ok(outcome)
}

/// A streamed register load in one transaction (see
/// [`AnchorStore::load_register_stream`]).
async fn load_register_stream_in(
    tx: &mut Conn,
    programme: ProgrammeId,
    source: &str,
    mut rows: tokio::sync::mpsc::Receiver<RegisterStream>,
    recheck: Option<Recheck>,
    actor: &Actor,
) -> Result<Option<RegisterLoadOutcome>> {
    super::revision_sql::bump_programme(&mut *tx, programme).await?;
    let before: i64 = sqlx::query_scalar::<Db, i64>(ORG_COUNT)
        .bind(programme.0)
        .fetch_one(&mut *tx)
        .await?;
    let redirect = merge_redirects(&mut *tx, programme).await?;
    let (mut entries, mut redirected) = (0u64, 0u64);
    loop {
        match rows.recv().await {
            Some(RegisterStream::Orgs(batch)) => {
                entries += batch.len() as u64;
                let batch: Vec<(Uuid, OrganisationInput)> =
                    batch.into_iter().map(|o| (Uuid::now_v7(), o)).collect();
                // Each batch on its own: a merged-away row whose kept
                // organisation's own row comes in a later batch is written
                // to it first, then that row over it.
                let (orgs, r) = redirect_rows(&redirect, &batch);
                redirected += r;
                upsert_orgs(&mut *tx, programme, &orgs).await?;
            }
            Some(RegisterStream::End { write: true }) => break,
            // Asked to write nothing, or the reader stopped: the
            // transaction is dropped, so nothing is written.
            Some(RegisterStream::End { write: false }) | None => return Ok(None),
        }
    }
    let after: i64 = sqlx::query_scalar::<Db, i64>(ORG_COUNT)
        .bind(programme.0)
        .fetch_one(&mut *tx)
        .await?;
    let rechecked = match recheck {
        None => 0,
        Some(rule) => {
            let register: Vec<(Uuid, String, Option<String>)> = sqlx::query_as::<Db, (Uuid, String, Option<String>)>(
                "SELECT id, name, company_number FROM organisations WHERE programme_id = $1 ORDER BY org_id",
            )
            .bind(programme.0)
            .fetch_all(&mut *tx)
            .await?;
            let register = register
                .into_iter()
                .map(|(id, name, company_number)| {
                    (
                        id,
                        RegisterEntry {
                            name,
                            company_number,
                        },
                    )
                })
                .collect();
            let suppliers = rule(register);
            write_rechecked(&mut *tx, programme, &suppliers).await?
        }
    };
    let outcome = RegisterLoadOutcome {
        entries,
        new: (after - before) as u64,
        rechecked,
    };
    register_audit(&mut *tx, programme, source, &outcome, redirected, actor).await?;
    Ok(Some(outcome))
}
