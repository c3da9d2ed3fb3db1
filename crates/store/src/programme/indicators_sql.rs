// The indicators' reads and the targets, in SQL both backends understand.
// Compiled into `sqlite.rs` and `postgres.rs` as a module.

use std::collections::BTreeMap;

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::programme::indicators::{
    EnterpriseFacts, Indicator, PaidTime, Period, ResearcherFact, Setup, TalentFact, Target,
};
use useit_core::research::pay::Worked;
use useit_core::talent::casework::{FunnelStage, WorkOutcome};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::Result;
use crate::programme::indicators::IndicatorStore;
use crate::talent::parse_or;

#[async_trait]
impl IndicatorStore for ThisStore {
    async fn programme_setup(&self, programme: ProgrammeId) -> Result<Setup> {
        let row = sqlx::query_as::<Db, (i64, i64, i64, i64, i64, i64, i64)>(
            "SELECT \
             (SELECT COUNT(*) FROM areas_of_benefit WHERE programme_id = $1), \
             (SELECT COUNT(*) FROM anchors WHERE programme_id = $1), \
             (SELECT COUNT(*) FROM anchors WHERE programme_id = $1 AND local_authority_code IS NOT NULL AND local_authority_code <> ''), \
             (SELECT COUNT(*) FROM spend_files WHERE programme_id = $1 AND staging_at IS NULL), \
             (SELECT COUNT(*) FROM (SELECT 1 FROM organisations WHERE programme_id = $1 LIMIT 1) o), \
             (SELECT COUNT(*) FROM workforce_files WHERE programme_id = $1), \
             (SELECT COUNT(*) FROM programme_targets WHERE programme_id = $1)",
        )
        .bind(programme.0)
        .fetch_one(&self.pool)
        .await?;
        let n = |v: i64| v.max(0) as u64;
        Ok(Setup {
            area_of_benefit: row.0 > 0,
            anchors: n(row.1),
            anchors_with_local_authority: n(row.2),
            spend_files: n(row.3),
            register_loaded: row.4 > 0,
            workforce_files: n(row.5),
            targets: n(row.6),
        })
    }

    async fn talent_indicator_facts(&self, programme: ProgrammeId) -> Result<Vec<TalentFact>> {
        sqlx::query_as::<Db, (Option<Date>, OffsetDateTime, String, String, Option<Date>)>(
            "SELECT consent_given_on, created_at, stage, work, work_on FROM talent_people \
             WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(consent, created, stage, work, work_on)| {
            Ok(TalentFact {
                engaged_on: consent.unwrap_or(created.date()),
                stage: parse_or("stage", &stage, FunnelStage::parse)?,
                work: parse_or("work", &work, WorkOutcome::parse)?,
                work_on,
            })
        })
        .collect()
    }

    async fn researcher_indicator_facts(
        &self,
        programme: ProgrammeId,
    ) -> Result<Vec<ResearcherFact>> {
        Ok(sqlx::query_as::<Db, (Option<Date>, Option<Date>)>(
            "SELECT r.accredited_on, \
             (SELECT MIN(t.worked_on) FROM research_time t WHERE t.programme_id = r.programme_id \
              AND t.researcher_id = r.id AND t.status = 'approved') \
             FROM research_researchers r WHERE r.programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(accredited_on, first_paid_on)| ResearcherFact {
            accredited_on,
            first_paid_on,
        })
        .collect())
    }

    async fn enterprise_indicator_facts(&self, programme: ProgrammeId) -> Result<EnterpriseFacts> {
        let profiles: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM enterprise_profiles WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query_as::<Db, (Uuid, Date, i64)>(
            "SELECT organisation_id, given_on, CAST(tenths_of_hours AS BIGINT) \
             FROM enterprise_support WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        let support = rows.iter().map(|(o, d, _)| (*o, *d)).collect();
        let support_hours = rows
            .iter()
            .map(|(_, d, t)| (*d, (*t).clamp(0, u32::MAX as i64) as u32))
            .collect();
        Ok(EnterpriseFacts {
            profiles: profiles.max(0) as u64,
            support,
            support_hours,
            // Filled by the app's one income rule (typed years, imported
            // grants, the lines' contracts): see the trait.
            income: BTreeMap::new(),
        })
    }

    async fn paid_time(&self, programme: ProgrammeId) -> Result<Vec<PaidTime>> {
        Ok(sqlx::query_as::<Db, (Uuid, Date, i64)>(
            "SELECT researcher_id, worked_on, CAST(minutes AS BIGINT) FROM research_time \
             WHERE programme_id = $1 AND status = 'approved'",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(researcher, on, minutes)| PaidTime {
            researcher,
            worked: Worked {
                on,
                minutes: minutes.clamp(0, u32::MAX as i64) as u32,
            },
        })
        .collect())
    }

    async fn programme_targets(&self, programme: ProgrammeId) -> Result<Vec<Target>> {
        let rows = sqlx::query_as::<Db, (String, i64, Option<Date>, Option<Date>)>(
            "SELECT indicator, target, period_from, period_to FROM programme_targets \
             WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .into_iter()
            .map(|(i, target, from, to)| {
                Ok(Target {
                    indicator: parse_or("indicator", &i, Indicator::parse)?,
                    value: target.max(0) as u64,
                    period: Period { from, to },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|t| t.indicator);
        Ok(out)
    }

    async fn save_programme_targets(
        &self,
        programme: ProgrammeId,
        targets: &[Target],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        sqlx::query::<Db>("DELETE FROM programme_targets WHERE programme_id = $1")
            .bind(programme.0)
            .execute(&mut *tx)
            .await?;
        let now = clock::now();
        for t in targets {
            sqlx::query::<Db>(
                "INSERT INTO programme_targets (programme_id, indicator, target, period_from, period_to, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(programme.0)
            .bind(t.indicator.slug())
            .bind(t.value as i64)
            .bind(t.period.from)
            .bind(t.period.to)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let summary = targets
            .iter()
            .map(|t| format!("{} {}", t.indicator.slug(), t.value))
            .collect::<Vec<_>>()
            .join(", ");
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "programme_targets",
                None,
                &summary,
            )
            .said(if targets.is_empty() {
                AuditMessage::new("audit.msg.targets_cleared")
            } else {
                AuditMessage::new("audit.msg.targets_saved").codes(
                    "indicators",
                    targets.iter().map(|t| t.indicator.label_key()),
                )
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
