// A person's records (pathway steps, language results, barriers, support,
// case notes, consent withdrawn, work found) in SQL both backends
// understand. Compiled into `sqlite.rs` and `postgres.rs` as a module.
// Reading the records and the funnel stage they give are here too: the
// people's reads and the merging of duplicates use them.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditMessage};
use useit_core::clock;
use useit_core::talent::casework::{Barrier, FunnelStage, Support};
use useit_core::talent::pathway::{LanguageResult, StepRecord};

use super::audit_sql::insert as audit;
use super::talent_placements_sql::{PLACEMENT_SELECT, PlacementRow};
use super::talent_sql::load_person;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::talent::records::RecordStore;
use crate::talent::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

pub(super) async fn load_records(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: Uuid,
) -> Result<PersonRecords> {
    let steps = sqlx::query_as::<Db, (Uuid, String, Date, String)>(
        "SELECT id, step, passed_on, evidence FROM talent_steps \
         WHERE programme_id = $1 AND person_id = $2 ORDER BY passed_on, step",
    )
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, step, passed_on, evidence)| StepEntry {
        id,
        record: StepRecord { step, passed_on },
        evidence,
    })
    .collect();
    let language = sqlx::query_as::<Db, (Uuid, String, Date, Option<i64>, i64, i64, i64, i64)>(
        "SELECT id, test, taken_on, overall, listening, reading, writing, speaking \
         FROM talent_language_results WHERE programme_id = $1 AND person_id = $2 ORDER BY taken_on",
    )
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, test, taken_on, overall, l, r, w, s)| {
        Ok(LanguageEntry {
            id,
            result: LanguageResult {
                test: english_test(&test)?,
                taken_on,
                overall: overall.map(|o| o as u16),
                listening: l as u16,
                reading: r as u16,
                writing: w as u16,
                speaking: s as u16,
            },
        })
    })
    .collect::<Result<_>>()?;
    let barriers =
        sqlx::query_as::<Db, (Uuid, String, Option<String>, Date, Option<Date>, String)>(
            "SELECT id, barrier, rule, raised_on, resolved_on, note FROM talent_barriers \
         WHERE programme_id = $1 AND person_id = $2 ORDER BY raised_on, id",
        )
        .bind(programme.0)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(id, b, rule, raised_on, resolved_on, note)| {
            Ok(BarrierEntry {
                id,
                barrier: parse_or("barrier", &b, Barrier::parse)?,
                rule,
                raised_on,
                resolved_on,
                note,
            })
        })
        .collect::<Result<_>>()?;
    let support = sqlx::query_as::<Db, (Uuid, String, Date, i64, String)>(
        "SELECT id, kind, given_on, cost_pence, note FROM talent_support \
         WHERE programme_id = $1 AND person_id = $2 ORDER BY given_on, id",
    )
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, k, given_on, cost_pence, note)| {
        Ok(SupportEntry {
            id,
            kind: parse_or("support", &k, Support::parse)?,
            given_on,
            cost_pence,
            note,
        })
    })
    .collect::<Result<_>>()?;
    let notes = sqlx::query_as::<Db, (Uuid, String, String, OffsetDateTime)>(
        "SELECT id, author, body, created_at FROM talent_notes \
         WHERE programme_id = $1 AND person_id = $2 ORDER BY created_at DESC, id DESC",
    )
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, author, body, created_at)| NoteEntry {
        id,
        author,
        body,
        created_at,
    })
    .collect();
    let placements = sqlx::query_as::<Db, PlacementRow>(sqlf!(
        "{PLACEMENT_SELECT} WHERE pl.programme_id = $1 AND pl.person_id = $2 ORDER BY pl.created_at"
    ))
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(Placement::try_from)
    .collect::<Result<_>>()?;
    Ok(PersonRecords {
        steps,
        language,
        barriers,
        support,
        notes,
        placements,
    })
}

#[async_trait]
impl RecordStore for ThisStore {
    async fn change_records(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        change: &RecordChange,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        write_record(&mut tx, programme, caseload, id, change, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn change_records_many(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        changes: &[(Uuid, RecordChange)],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        for (id, change) in changes {
            write_record(&mut tx, programme, caseload, *id, change, actor).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Records one change to one person's records with its audit entry and sets
/// their funnel stage from the records after it, inside the caller's
/// transaction (`NotFound` outside the caseload, a conflict once erased).
async fn write_record(
    tx: &mut Conn,
    programme: ProgrammeId,
    caseload: Caseload,
    id: Uuid,
    change: &RecordChange,
    actor: &Actor,
) -> Result<()> {
    let person = load_person(tx, programme, caseload, id).await?;
    if person.erased_at.is_some() {
        return Err(StoreError::Conflict {
            field: "id".into(),
            message: useit_core::i18n::Message::new("talent.person.erased"),
        });
    }
    let new_id = Uuid::now_v7();
    let (action, summary, message) = match change {
        RecordChange::Step {
            step,
            passed_on,
            evidence,
        } => {
            sqlx::query::<Db>(
                "INSERT INTO talent_steps (id, programme_id, person_id, step, passed_on, evidence) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id)
            .bind(programme.0)
            .bind(id)
            .bind(step)
            .bind(passed_on)
            .bind(evidence)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique_as(
                "passed_on",
                "talent.step.already_recorded",
            ))?;
            (
                AuditAction::Create,
                format!("step {step}"),
                AuditMessage::new("audit.msg.step_recorded").word("step", step.to_string()),
            )
        }
        RecordChange::Language(l) => {
            sqlx::query::<Db>(
                    "INSERT INTO talent_language_results (id, programme_id, person_id, test, taken_on, overall, \
                     listening, reading, writing, speaking) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(new_id)
                .bind(programme.0)
                .bind(id)
                .bind(l.test.slug())
                .bind(l.taken_on)
                .bind(l.overall.map(i64::from))
                .bind(i64::from(l.listening))
                .bind(i64::from(l.reading))
                .bind(i64::from(l.writing))
                .bind(i64::from(l.speaking))
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Create,
                format!("{} result", l.test.slug()),
                AuditMessage::new("audit.msg.language_recorded")
                    .word("test", format!("talent.language.{}", l.test.slug())),
            )
        }
        RecordChange::Barrier {
            barrier,
            rule,
            raised_on,
            note,
        } => {
            sqlx::query::<Db>(
                    "INSERT INTO talent_barriers (id, programme_id, person_id, barrier, rule, raised_on, note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(new_id)
                .bind(programme.0)
                .bind(id)
                .bind(barrier.slug())
                .bind(rule)
                .bind(raised_on)
                .bind(note)
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Create,
                format!("barrier {}", barrier.slug()),
                AuditMessage::new("audit.msg.barrier_recorded")
                    .word("barrier", format!("talent.barrier.{}", barrier.slug())),
            )
        }
        RecordChange::ResolveBarrier {
            id: barrier,
            resolved_on,
        } => {
            let n = sqlx::query::<Db>(
                    "UPDATE talent_barriers SET resolved_on = $4 WHERE programme_id = $1 AND person_id = $2 AND id = $3",
                )
                .bind(programme.0)
                .bind(id)
                .bind(barrier)
                .bind(resolved_on)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            (
                AuditAction::Update,
                "barrier resolved".to_string(),
                AuditMessage::new("audit.msg.barrier_resolved"),
            )
        }
        RecordChange::Support {
            kind,
            given_on,
            cost_pence,
            note,
        } => {
            sqlx::query::<Db>(
                    "INSERT INTO talent_support (id, programme_id, person_id, kind, given_on, cost_pence, note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(new_id)
                .bind(programme.0)
                .bind(id)
                .bind(kind.slug())
                .bind(given_on)
                .bind(cost_pence)
                .bind(note)
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Create,
                format!("support {}", kind.slug()),
                AuditMessage::new("audit.msg.support_recorded")
                    .word("kind", format!("talent.support.{}", kind.slug())),
            )
        }
        RecordChange::Note { body } => {
            sqlx::query::<Db>(
                "INSERT INTO talent_notes (id, programme_id, person_id, author, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id)
            .bind(programme.0)
            .bind(id)
            .bind(&actor.label)
            .bind(body)
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
            (
                AuditAction::Create,
                "case note".to_string(),
                AuditMessage::new("audit.msg.note_added"),
            )
        }
        RecordChange::WithdrawConsent { on } => {
            sqlx::query::<Db>(
                    "UPDATE talent_people SET consent_withdrawn_on = $3, updated_at = $4 WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(id)
                .bind(on)
                .bind(clock::now())
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Update,
                "consent withdrawn".to_string(),
                AuditMessage::new("audit.msg.consent_withdrawn"),
            )
        }
        RecordChange::Work { work, on } => {
            sqlx::query::<Db>(
                    "UPDATE talent_people SET work = $3, work_on = $4, updated_at = $5 WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(id)
                .bind(work.slug())
                .bind(on)
                .bind(clock::now())
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Update,
                format!("work {}", work.slug()),
                AuditMessage::new("audit.msg.work_recorded")
                    .word("work", format!("talent.work.{}", work.slug())),
            )
        }
    };
    audit(
        &mut *tx,
        &entry(
            actor,
            programme,
            action,
            change.audit_subject(),
            Some(id),
            summary,
        )
        .said(message),
    )
    .await?;
    // The funnel stage follows from the records, never typed in.
    let recs = load_records(tx, programme, id).await?;
    let stage = stage_from_records(&person.draft.profession, &recs).unwrap_or(person.stage);
    sqlx::query::<Db>(
        "UPDATE talent_people SET stage = $3, updated_at = $4 WHERE programme_id = $1 AND id = $2",
    )
    .bind(programme.0)
    .bind(id)
    .bind(stage.slug())
    .bind(clock::now())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The funnel stage a person's records put them at today (`None` for a
/// profession useit does not know): the one place the stored stage comes from.
pub(super) fn stage_from_records(profession: &str, recs: &PersonRecords) -> Option<FunnelStage> {
    let prof = useit_core::talent::profession::Professions::shipped().get(profession)?;
    let progress = useit_core::talent::pathway::progress(
        prof,
        &recs.step_records(),
        &recs.language_results(),
        clock::today(),
    );
    Some(FunnelStage::of(&progress, !recs.support.is_empty()))
}
