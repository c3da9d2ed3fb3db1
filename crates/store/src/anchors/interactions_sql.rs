// Anchors' interactions and practice changes in SQL both backends
// understand. Compiled into `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::interactions::{Interaction, InteractionKind};
use useit_core::anchors::practice::{PracticeChange, PracticeDraft, PracticeKind};
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::talent::casework::Barrier;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::anchors::interactions::*;
use crate::{Result, StoreError};

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    anchor: String,
    anchor_name: String,
    organisation_id: Uuid,
    organisation: String,
    organisation_name: String,
    kind: String,
    started_on: Date,
    ended_on: Option<Date>,
    evidence: String,
}

#[derive(sqlx::FromRow)]
struct PracticeRow {
    id: Uuid,
    anchor: String,
    anchor_name: String,
    changed_on: Date,
    kind: String,
    summary: String,
    interaction_id: Option<Uuid>,
    organisation_name: Option<String>,
    barrier: Option<String>,
}

fn bad(what: &str, v: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(
        format!("unknown {what} {v:?} in the database").into(),
    ))
}

#[async_trait]
impl InteractionStore for ThisStore {
    async fn interactions(&self, programme: ProgrammeId) -> Result<Vec<Interaction>> {
        let rows = sqlx::query_as::<Db, Row>(
            "SELECT i.id, a.slug AS anchor, a.name AS anchor_name, i.organisation_id, \
             o.org_id AS organisation, o.name AS organisation_name, i.kind, i.started_on, \
             i.ended_on, i.evidence \
             FROM anchor_interactions i \
             JOIN anchors a ON a.programme_id = i.programme_id AND a.id = i.anchor_id \
             JOIN organisations o ON o.programme_id = i.programme_id AND o.id = i.organisation_id \
             WHERE i.programme_id = $1 ORDER BY i.started_on, i.id",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Interaction {
                    kind: InteractionKind::parse(&r.kind).ok_or_else(|| bad("kind", &r.kind))?,
                    id: r.id,
                    anchor: r.anchor,
                    anchor_name: r.anchor_name,
                    organisation_id: r.organisation_id,
                    organisation: r.organisation,
                    organisation_name: r.organisation_name,
                    started_on: r.started_on,
                    ended_on: r.ended_on,
                    evidence: r.evidence,
                })
            })
            .collect()
    }

    async fn save_interactions(
        &self,
        programme: ProgrammeId,
        rows: &[InteractionRow<'_>],
        source: &str,
        actor: &Actor,
    ) -> Result<InteractionsOutcome> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut out = InteractionsOutcome::default();
        let now = clock::now();
        for r in rows {
            let d = r.draft;
            let held = sqlx::query_as::<Db, (Uuid, Option<Date>, String)>(
                "SELECT id, ended_on, evidence FROM anchor_interactions \
                 WHERE programme_id = $1 AND anchor_id = $2 AND organisation_id = $3 \
                 AND kind = $4 AND started_on = $5",
            )
            .bind(programme.0)
            .bind(r.anchor_id)
            .bind(r.organisation_id)
            .bind(d.kind.slug())
            .bind(d.started_on)
            .fetch_optional(&mut *tx)
            .await?;
            match held {
                Some((_, ended, evidence)) if ended == d.ended_on && evidence == d.evidence => {
                    out.unchanged += 1;
                }
                Some((id, _, _)) => {
                    sqlx::query::<Db>(
                        "UPDATE anchor_interactions SET ended_on = $1, evidence = $2, updated_at = $3 \
                         WHERE programme_id = $4 AND id = $5",
                    )
                    .bind(d.ended_on)
                    .bind(&d.evidence)
                    .bind(now)
                    .bind(programme.0)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    out.updated += 1;
                }
                None => {
                    sqlx::query::<Db>(
                        "INSERT INTO anchor_interactions (id, programme_id, anchor_id, organisation_id, \
                         kind, started_on, ended_on, evidence, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                    )
                    .bind(Uuid::now_v7())
                    .bind(programme.0)
                    .bind(r.anchor_id)
                    .bind(r.organisation_id)
                    .bind(d.kind.slug())
                    .bind(d.started_on)
                    .bind(d.ended_on)
                    .bind(&d.evidence)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    out.created += 1;
                }
            }
        }
        if out.created + out.updated > 0 {
            let said = match (source, rows) {
                // One interaction typed on the form: the entry names who
                // works with whom, as the change and end entries do.
                ("form", [r]) => {
                    let (anchor, organisation) = sqlx::query_as::<Db, (String, String)>(
                        "SELECT a.name, o.name FROM anchors a, organisations o \
                         WHERE a.programme_id = $1 AND a.id = $2 \
                         AND o.programme_id = $1 AND o.id = $3",
                    )
                    .bind(programme.0)
                    .bind(r.anchor_id)
                    .bind(r.organisation_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .unwrap_or_else(|| (r.draft.anchor.clone(), r.draft.organisation.clone()));
                    AuditMessage::new(if out.created > 0 {
                        "audit.msg.interaction_added"
                    } else {
                        "audit.msg.interaction_changed"
                    })
                    .text("anchor", &anchor)
                    .text("organisation", &organisation)
                    .word("kind", r.draft.kind.label_key())
                }
                ("form", _) => AuditMessage::new("audit.msg.interactions_saved_form")
                    .counted("created", "added", out.created)
                    .counted("updated", "changed", out.updated),
                (file, _) => AuditMessage::new("audit.msg.interactions_saved")
                    .text("source", file)
                    .counted("created", "added", out.created)
                    .counted("updated", "changed", out.updated),
            };
            audit(
                &mut tx,
                &AuditEntry::new(
                    actor,
                    Some(programme),
                    AuditAction::Update,
                    "anchor_interactions",
                    None,
                    format!("{source}: {} added, {} changed", out.created, out.updated),
                )
                .said(said),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn update_interaction(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        row: &InteractionRow<'_>,
        actor: &Actor,
    ) -> Result<()> {
        let d = row.draft;
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let done = sqlx::query::<Db>(
            "UPDATE anchor_interactions SET anchor_id = $1, organisation_id = $2, kind = $3, \
             started_on = $4, ended_on = $5, evidence = $6, updated_at = $7 \
             WHERE programme_id = $8 AND id = $9",
        )
        .bind(row.anchor_id)
        .bind(row.organisation_id)
        .bind(d.kind.slug())
        .bind(d.started_on)
        .bind(d.ended_on)
        .bind(&d.evidence)
        .bind(clock::now())
        .bind(programme.0)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::unique_as(
            "started_on",
            "anchors.interactions.already_held",
        ))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let organisation = sqlx::query_scalar::<Db, String>(
            "SELECT name FROM organisations WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(row.organisation_id)
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or_else(|| d.organisation.clone());
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "anchor_interaction",
                Some(id.to_string()),
                format!(
                    "{} {} {}",
                    d.organisation,
                    d.kind.slug(),
                    d.ended_on.map(|e| e.to_string()).unwrap_or_default()
                ),
            )
            .said(
                match d.ended_on {
                    Some(on) => AuditMessage::new("audit.msg.interaction_ended").date("on", on),
                    None => AuditMessage::new("audit.msg.interaction_changed"),
                }
                .text("organisation", &organisation)
                .word("kind", d.kind.label_key()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn practice_changes(&self, programme: ProgrammeId) -> Result<Vec<PracticeChange>> {
        let rows = sqlx::query_as::<Db, PracticeRow>(
            "SELECT c.id, a.slug AS anchor, a.name AS anchor_name, c.changed_on, c.kind, c.summary, \
             c.interaction_id, o.name AS organisation_name, c.barrier \
             FROM anchor_practice_changes c \
             JOIN anchors a ON a.programme_id = c.programme_id AND a.id = c.anchor_id \
             LEFT JOIN anchor_interactions i ON i.programme_id = c.programme_id AND i.id = c.interaction_id \
             LEFT JOIN organisations o ON o.programme_id = i.programme_id AND o.id = i.organisation_id \
             WHERE c.programme_id = $1 ORDER BY c.changed_on DESC, c.id",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(PracticeChange {
                    kind: PracticeKind::parse(&r.kind).ok_or_else(|| bad("kind", &r.kind))?,
                    barrier: match r.barrier.as_deref() {
                        None => None,
                        Some(b) => Some(Barrier::parse(b).ok_or_else(|| bad("barrier", b))?),
                    },
                    id: r.id,
                    anchor: r.anchor,
                    anchor_name: r.anchor_name,
                    changed_on: r.changed_on,
                    summary: r.summary,
                    interaction: r.interaction_id,
                    interaction_organisation: r.organisation_name,
                })
            })
            .collect()
    }

    async fn add_practice_change(
        &self,
        programme: ProgrammeId,
        anchor_id: Uuid,
        draft: &PracticeDraft,
        actor: &Actor,
    ) -> Result<Uuid> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        if let Some(i) = draft.interaction {
            let own = sqlx::query_scalar::<Db, Uuid>(
                "SELECT id FROM anchor_interactions WHERE programme_id = $1 AND anchor_id = $2 AND id = $3",
            )
            .bind(programme.0)
            .bind(anchor_id)
            .bind(i)
            .fetch_optional(&mut *tx)
            .await?;
            if own.is_none() {
                return Err(StoreError::NotFound);
            }
        }
        let id = Uuid::now_v7();
        sqlx::query::<Db>(
            "INSERT INTO anchor_practice_changes (id, programme_id, anchor_id, changed_on, kind, summary, \
             interaction_id, barrier, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(programme.0)
        .bind(anchor_id)
        .bind(draft.changed_on)
        .bind(draft.kind.slug())
        .bind(&draft.summary)
        .bind(draft.interaction)
        .bind(draft.barrier.map(|b| b.slug()))
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Create,
                "anchor_practice_change",
                Some(id.to_string()),
                draft.summary.clone(),
            )
            .said(
                AuditMessage::new("audit.msg.practice_change_added")
                    .text("summary", &draft.summary)
                    .date("on", draft.changed_on),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
