// The talent results' anonymous facts (the funnel, barriers, filled posts)
// and the savings inputs they are costed with, in SQL both backends
// understand. Compiled into `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::talent::casework::{Barrier, FunnelStage, WorkOutcome};
use useit_core::talent::results::{BarrierFact, FilledPost, FunnelFact, SavingsSettings};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::Result;
use crate::talent::results::ResultStore;
use crate::talent::*;

#[async_trait]
impl ResultStore for ThisStore {
    async fn funnel_facts(&self, programme: ProgrammeId) -> Result<Vec<FunnelFact>> {
        sqlx::query_as::<Db, (String, String)>(
            "SELECT stage, work FROM talent_people WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(s, w)| {
            Ok(FunnelFact {
                stage: parse_or("stage", &s, FunnelStage::parse)?,
                work: parse_or("work", &w, WorkOutcome::parse)?,
            })
        })
        .collect()
    }

    async fn barrier_facts(&self, programme: ProgrammeId) -> Result<Vec<BarrierFact>> {
        sqlx::query_as::<Db, (Uuid, String, Option<String>, Date, Option<Date>)>(
            "SELECT person_id, barrier, rule, raised_on, resolved_on FROM talent_barriers WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(person, b, rule, raised_on, resolved_on)| {
            Ok(BarrierFact {
                person,
                barrier: parse_or("barrier", &b, Barrier::parse)?,
                rule,
                raised_on,
                resolved_on,
            })
        })
        .collect()
    }

    async fn filled_posts(&self, programme: ProgrammeId) -> Result<Vec<FilledPost>> {
        Ok(
            sqlx::query_as::<Db, (Option<String>, String, Date, Option<Date>)>(
                "SELECT v.anchor_slug, v.band, pl.started_on, pl.left_on FROM talent_placements pl \
             JOIN talent_vacancies v ON v.id = pl.vacancy_id \
             WHERE pl.programme_id = $1 AND pl.started_on IS NOT NULL",
            )
            .bind(programme.0)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(anchor, band, started_on, left_on)| FilledPost {
                anchor,
                band,
                started_on,
                left_on,
            })
            .collect(),
        )
    }

    async fn talent_settings(&self, programme: ProgrammeId) -> Result<TalentSettings> {
        let row = sqlx::query_as::<Db, (i64, i64, i64)>(
            "SELECT on_cost_bp, cap_premium_bp, observed_premium_bp \
             FROM talent_settings WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => TalentSettings::default(),
            Some((on, cap, obs)) => TalentSettings {
                savings: SavingsSettings {
                    on_cost_bp: on,
                    cap_premium_bp: cap,
                    observed_premium_bp: obs,
                },
            },
        })
    }

    async fn save_talent_settings(
        &self,
        programme: ProgrammeId,
        s: &TalentSettings,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        sqlx::query::<Db>(
            "INSERT INTO talent_settings (programme_id, on_cost_bp, cap_premium_bp, observed_premium_bp) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (programme_id) DO UPDATE SET \
             on_cost_bp = excluded.on_cost_bp, cap_premium_bp = excluded.cap_premium_bp, \
             observed_premium_bp = excluded.observed_premium_bp",
        )
        .bind(programme.0)
        .bind(s.savings.on_cost_bp)
        .bind(s.savings.cap_premium_bp)
        .bind(s.savings.observed_premium_bp)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "talent_settings",
                None,
                "savings inputs",
            )
            .said(AuditMessage::new("audit.msg.savings_inputs_changed")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
