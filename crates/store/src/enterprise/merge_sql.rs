// Merging organisations entered twice, in SQL both backends understand.
// Compiled into `sqlite.rs` and `postgres.rs` as a module. Every column
// with a foreign key into `organisations` is in `merge::REFERENCES`, which
// says what happens to it here; a test fails on one that is not.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::enterprise::duplicates::{merge_profiles, pair_key};
use useit_core::enterprise::profile::Profile;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::enterprise::merge::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

#[derive(sqlx::FromRow)]
struct MergeRow {
    merged_id: Uuid,
    merged_org_id: String,
    merged_name: String,
    kept_id: Uuid,
    merged_at: OffsetDateTime,
    merged_by: String,
}

impl From<MergeRow> for MergeRecord {
    fn from(r: MergeRow) -> Self {
        MergeRecord {
            merged_id: r.merged_id,
            merged_org_id: r.merged_org_id,
            merged_name: r.merged_name,
            kept_id: r.kept_id,
            merged_at: r.merged_at,
            merged_by: r.merged_by,
        }
    }
}

const MERGE_SELECT: &str = "SELECT merged_id, merged_org_id, merged_name, kept_id, merged_at, merged_by \
     FROM organisation_merges WHERE programme_id = $1";

/// Runs one statement binding the programme, the kept and the merged
/// organisation as $1, $2, $3; the rows it touched.
async fn run(conn: &mut Conn, sql: &str, p: ProgrammeId, keep: Uuid, other: Uuid) -> Result<u64> {
    // Table and column names come from this file's constants only.
    Ok(sqlx::query::<Db>(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(p.0)
        .bind(keep)
        .bind(other)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

/// Moves the rows of `table` whose `column` is the merged organisation,
/// after dropping those whose `same` columns equal a row of the kept one
/// (the kept one's row stays). Returns (moved, dropped).
async fn move_rows(
    conn: &mut Conn,
    table: &str,
    column: &str,
    same: &[&str],
    p: ProgrammeId,
    keep: Uuid,
    other: Uuid,
) -> Result<(u64, u64)> {
    let mut dropped = 0;
    if !same.is_empty() {
        let on: Vec<String> = same
            .iter()
            .map(|c| format!("k.{c} = {table}.{c}"))
            .collect();
        dropped = run(
            conn,
            &format!(
                "DELETE FROM {table} WHERE programme_id = $1 AND {column} = $3 AND EXISTS \
                 (SELECT 1 FROM {table} k WHERE k.programme_id = $1 AND k.{column} = $2 AND {})",
                on.join(" AND ")
            ),
            p,
            keep,
            other,
        )
        .await?;
    }
    let moved = run(
        conn,
        &format!("UPDATE {table} SET {column} = $2 WHERE programme_id = $1 AND {column} = $3"),
        p,
        keep,
        other,
    )
    .await?;
    Ok((moved, dropped))
}

async fn name_of(conn: &mut Conn, p: ProgrammeId, id: Uuid) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as::<Db, (String, String)>(
        "SELECT org_id, name FROM organisations WHERE programme_id = $1 AND id = $2",
    )
    .bind(p.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

async fn profile_of(conn: &mut Conn, p: ProgrammeId, id: Uuid) -> Result<Option<Profile>> {
    let json: Option<String> = sqlx::query_scalar::<Db, String>(
        "SELECT profile FROM enterprise_profiles WHERE programme_id = $1 AND organisation_id = $2",
    )
    .bind(p.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    json.map(|j| serde_json::from_str::<Profile>(&j))
        .transpose()
        .map_err(|e| {
            StoreError::Database(sqlx::Error::Decode(
                format!("enterprise profile: {e}").into(),
            ))
        })
}

#[async_trait]
impl MergeStore for ThisStore {
    async fn not_duplicates(&self, programme: ProgrammeId) -> Result<Vec<(Uuid, Uuid)>> {
        Ok(sqlx::query_as::<Db, (Uuid, Uuid)>(
            "SELECT first_id, second_id FROM organisation_not_duplicates WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn mark_not_duplicate(
        &self,
        programme: ProgrammeId,
        a: Uuid,
        b: Uuid,
        actor: &Actor,
    ) -> Result<bool> {
        if a == b {
            return Err(StoreError::conflict("other", "enterprise.merge.same"));
        }
        let (first, second) = pair_key(a, b);
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let (Some((fo, fname)), Some((so, sname))) = (
            name_of(&mut tx, programme, first).await?,
            name_of(&mut tx, programme, second).await?,
        ) else {
            return Err(StoreError::NotFound);
        };
        let held: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM organisation_not_duplicates \
             WHERE programme_id = $1 AND first_id = $2 AND second_id = $3",
        )
        .bind(programme.0)
        .bind(first)
        .bind(second)
        .fetch_one(&mut *tx)
        .await?;
        if held > 0 {
            return Ok(false);
        }
        sqlx::query::<Db>(
            "INSERT INTO organisation_not_duplicates \
             (programme_id, first_id, second_id, decided_at, decided_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(programme.0)
        .bind(first)
        .bind(second)
        .bind(clock::now())
        .bind(&actor.label)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "organisation",
                Some(first.to_string()),
                format!("not a duplicate: {fname} ({fo}) and {sname} ({so}, {second})"),
            )
            .said(
                AuditMessage::new("audit.msg.not_duplicates")
                    .text("first", &fname)
                    .text("second", &sname),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn merges(&self, programme: ProgrammeId) -> Result<Vec<MergeRecord>> {
        let rows = sqlx::query_as::<Db, MergeRow>(sqlx::AssertSqlSafe(format!(
            "{MERGE_SELECT} ORDER BY merged_at DESC, merged_name"
        )))
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(MergeRecord::from).collect())
    }

    async fn merge_organisations(
        &self,
        programme: ProgrammeId,
        keep: Uuid,
        other: Uuid,
        actor: &Actor,
    ) -> Result<Merged> {
        if keep == other {
            return Err(StoreError::conflict("other", "enterprise.merge.same"));
        }
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let merged = merge_in(&mut tx, programme, keep, other, actor).await?;
        tx.commit().await?;
        Ok(merged)
    }
}

/// Merges `other` into `keep` inside the caller's transaction (the
/// organisation merge's own, or a links file's load, which joins every
/// pair and marks the organisations in one transaction).
pub(crate) async fn merge_in(
    tx: &mut Conn,
    programme: ProgrammeId,
    keep: Uuid,
    other: Uuid,
    actor: &Actor,
) -> Result<Merged> {
    let p = programme;
    let Some((keep_org, keep_name)) = name_of(&mut *tx, p, keep).await? else {
        return Err(StoreError::NotFound);
    };
    let Some((other_org, other_name)) = name_of(&mut *tx, p, other).await? else {
        let done = sqlx::query_as::<Db, MergeRow>(sqlx::AssertSqlSafe(format!(
            "{MERGE_SELECT} AND merged_id = $2"
        )))
        .bind(p.0)
        .bind(other)
        .fetch_optional(&mut *tx)
        .await?;
        return match done.map(MergeRecord::from) {
            Some(record) if record.kept_id == keep => Ok(Merged::AlreadyMerged { record }),
            Some(_) => Err(StoreError::conflict(
                "other",
                "enterprise.merge.merged_elsewhere",
            )),
            None => Err(StoreError::NotFound),
        };
    };
    let mut c = MergeCounts::default();
    let mut dropped = 0;
    // An interaction the kept one has too (same anchor, kind and start):
    // its practice changes point at the kept one's before it goes.
    run(
        &mut *tx,
        "UPDATE anchor_practice_changes SET interaction_id = \
               (SELECT k.id FROM anchor_interactions o JOIN anchor_interactions k \
                  ON k.programme_id = o.programme_id AND k.anchor_id = o.anchor_id \
                 AND k.kind = o.kind AND k.started_on = o.started_on AND k.organisation_id = $2 \
                WHERE o.id = anchor_practice_changes.interaction_id) \
             WHERE programme_id = $1 AND interaction_id IN \
               (SELECT o.id FROM anchor_interactions o JOIN anchor_interactions k \
                  ON k.programme_id = o.programme_id AND k.anchor_id = o.anchor_id \
                 AND k.kind = o.kind AND k.started_on = o.started_on AND k.organisation_id = $2 \
                WHERE o.programme_id = $1 AND o.organisation_id = $3)",
        p,
        keep,
        other,
    )
    .await?;
    // Everything else that points at it (the list the schema test
    // holds against both databases' foreign keys).
    for r in REFERENCES {
        let OnMerge::Move(same) = r.on_merge else {
            continue;
        };
        let (moved, d) = move_rows(&mut *tx, r.table, r.column, same, p, keep, other).await?;
        dropped += d;
        let counter = match r.table {
            "suppliers" => &mut c.suppliers,
            "supplier_candidates" => &mut c.supplier_candidates,
            "enterprise_support" => &mut c.support,
            "enterprise_income" => &mut c.income_years,
            "enterprise_grants" => &mut c.grants,
            "anchor_interactions" => &mut c.interactions,
            "programme_stories" => &mut c.stories,
            "ced_actions" | "ced_action_enterprises" => &mut c.plan_actions,
            "enterprise_consortia" => &mut c.consortia_led,
            "enterprise_consortium_members" => &mut c.memberships,
            "research_social_lab" => &mut c.social_lab,
            // community_assets
            _ => &mut c.assets,
        };
        *counter += moved;
    }
    // The profile: the kept one's fields, blanks filled from the other's.
    let (kp, op) = (
        profile_of(&mut *tx, p, keep).await?,
        profile_of(&mut *tx, p, other).await?,
    );
    let merged = merge_profiles(kp.as_ref(), op.as_ref());
    if let Some(m) = merged.as_ref().filter(|m| Some(*m) != kp.as_ref()) {
        c.profile = true;
        let json = serde_json::to_string(m).expect("a profile serialises");
        let now = clock::now();
        let n = sqlx::query::<Db>(
            "UPDATE enterprise_profiles SET profile = $3, updated_at = $4 \
                 WHERE programme_id = $1 AND organisation_id = $2",
        )
        .bind(p.0)
        .bind(keep)
        .bind(&json)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            sqlx::query::<Db>(
                    "INSERT INTO enterprise_profiles (programme_id, organisation_id, profile, updated_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(p.0)
                .bind(keep)
                .bind(&json)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        if m.meets_criteria() {
            sqlx::query::<Db>(
                "UPDATE organisations SET kind = 'social_enterprise' \
                     WHERE programme_id = $1 AND id = $2 AND kind <> 'social_enterprise'",
            )
            .bind(p.0)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        }
    }
    // Its kind when it was recognised as a social enterprise (a
    // directory enterprise merged into the supplier's organisation the
    // spend register made), or when the kept one's is not known.
    run(
        &mut *tx,
        "UPDATE organisations SET kind = o.kind FROM organisations o \
             WHERE organisations.programme_id = $1 AND organisations.id = $2 \
               AND o.programme_id = $1 AND o.id = $3 AND organisations.kind <> o.kind \
               AND (o.kind = 'social_enterprise' OR organisations.kind = 'unknown')",
        p,
        keep,
        other,
    )
    .await?;
    // What the register says: the kept one's, blanks from the other's.
    run(
        &mut *tx,
        "UPDATE organisations SET \
               company_number = COALESCE(organisations.company_number, o.company_number), \
               postcode = COALESCE(organisations.postcode, o.postcode), \
               trading_postcode = COALESCE(organisations.trading_postcode, o.trading_postcode), \
               legal_form = COALESCE(organisations.legal_form, o.legal_form), \
               charity_number = COALESCE(organisations.charity_number, o.charity_number), \
               sic_codes = COALESCE(organisations.sic_codes, o.sic_codes), \
               register_status = COALESCE(organisations.register_status, o.register_status), \
               lat = COALESCE(organisations.lat, o.lat), \
               lon = COALESCE(organisations.lon, o.lon) \
             FROM organisations o \
             WHERE organisations.programme_id = $1 AND organisations.id = $2 \
               AND o.programme_id = $1 AND o.id = $3",
        p,
        keep,
        other,
    )
    .await?;
    // Its profile and the pairs it was in go with it.
    sqlx::query::<Db>("DELETE FROM organisations WHERE programme_id = $1 AND id = $2")
        .bind(p.0)
        .bind(other)
        .execute(&mut *tx)
        .await?;
    run(
        &mut *tx,
        "UPDATE organisation_merges SET kept_id = $2 WHERE programme_id = $1 AND kept_id = $3",
        p,
        keep,
        other,
    )
    .await?;
    sqlx::query::<Db>(
        "INSERT INTO organisation_merges \
             (programme_id, merged_id, merged_org_id, merged_name, kept_id, merged_at, merged_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(p.0)
    .bind(other)
    .bind(&other_org)
    .bind(&other_name)
    .bind(keep)
    .bind(clock::now())
    .bind(&actor.label)
    .execute(&mut *tx)
    .await?;
    c.dropped = dropped;
    super::revision_sql::bump_programme(&mut *tx, p).await?;
    audit(
        &mut *tx,
        &AuditEntry::new(
            actor,
            Some(p),
            AuditAction::Merge,
            "organisation",
            Some(keep.to_string()),
            format!(
                "merged {other_name} ({other_org}, {other}) into {keep_name} ({keep_org}): \
                     {} supplier names, {} support records, {} income years, {} grants, \
                     {} interactions, {} stories, {} plan links, {} consortia led, \
                     {} consortium memberships, {} community assets moved; {} duplicates dropped",
                c.suppliers,
                c.support,
                c.income_years,
                c.grants,
                c.interactions,
                c.stories,
                c.plan_actions,
                c.consortia_led,
                c.memberships,
                c.assets,
                c.dropped
            ),
        )
        .said(
            AuditMessage::new("audit.msg.organisations_merged")
                .text("merged", &other_name)
                .text("kept", &keep_name)
                .counted(
                    "moved",
                    "record_moved",
                    c.suppliers
                        + c.support
                        + c.income_years
                        + c.grants
                        + c.interactions
                        + c.stories
                        + c.plan_actions
                        + c.consortia_led
                        + c.memberships
                        + c.assets,
                ),
        ),
    )
    .await?;
    Ok(Merged::Merged { counts: c })
}
