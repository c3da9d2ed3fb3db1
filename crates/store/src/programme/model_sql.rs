// The transfer kit in SQL both backends understand. Compiled into
// `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;

use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::programme::Programme;
use useit_core::{ProgrammeId, clock};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::programme::model::{FromModel, ModelStore};
use crate::{Result, StoreError};

#[async_trait]
impl ModelStore for ThisStore {
    async fn professions_relied_on(&self, programme: ProgrammeId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar::<Db, String>(
            "SELECT DISTINCT profession FROM talent_people WHERE programme_id = $1 ORDER BY profession",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn create_programme_from_model(
        &self,
        m: &FromModel<'_>,
        actor: &Actor,
    ) -> Result<Programme> {
        let p = Programme {
            id: ProgrammeId::new(),
            slug: m.programme.slug.clone(),
            name: m.programme.name.clone(),
            description: m.programme.description.clone(),
            created_at: clock::now(),
            currency: m.locale.currency,
            language: m.locale.language,
        };
        let now = p.created_at;
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let res = sqlx::query::<Db>(
            "INSERT INTO programmes (id, slug, name, description, created_at, currency, language) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(p.id.0)
        .bind(&p.slug)
        .bind(&p.name)
        .bind(&p.description)
        .bind(p.created_at)
        .bind(p.currency.code())
        .bind(p.language.code())
        .execute(&mut *tx)
        .await;
        res.map_err(StoreError::unique_as("slug", "programme.slug_taken"))?;
        let entry = |action, entity: &str, summary: String| {
            AuditEntry::new(actor, Some(p.id), action, entity, None, summary)
        };
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(p.id),
                AuditAction::Create,
                "programme",
                Some(p.id.to_string()),
                format!(
                    "{} (modelled on {}; {}, {})",
                    p.slug,
                    m.modelled_on,
                    p.currency.code(),
                    p.language.code()
                ),
            )
            .said(
                AuditMessage::new("audit.msg.programme_modelled")
                    .text("name", &p.name)
                    .text("model", m.modelled_on),
            ),
        )
        .await?;
        if let Some(user) = m.first_administrator {
            super::auth_sql::apply_role(
                &mut tx,
                p.id,
                user,
                useit_core::auth::Role::Administrator,
                actor,
            )
            .await?;
        }
        sqlx::query::<Db>(
            "INSERT INTO programme_models (programme_id, modelled_on, model, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(p.id.0)
        .bind(m.modelled_on)
        .bind(m.model_json)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query::<Db>(
            "INSERT INTO spend_settings (programme_id, rules, city_region, site_radius_m, lm3, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(p.id.0)
        .bind(serde_json::to_string(&m.spend.rules).expect("rules serialise"))
        .bind(serde_json::to_string(&m.spend.city_region).expect("codes serialise"))
        .bind(m.spend.site_radius_m)
        .bind(serde_json::to_string(&m.spend.lm3).expect("inputs serialise"))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &entry(
                AuditAction::Create,
                "spend_settings",
                format!("{} rules, from the model", m.spend.rules.len()),
            )
            .said(
                AuditMessage::new("audit.msg.spend_settings_modelled").counted(
                    "rules",
                    "rule",
                    m.spend.rules.len() as u64,
                ),
            ),
        )
        .await?;
        sqlx::query::<Db>(
            "INSERT INTO talent_settings (programme_id, on_cost_bp, cap_premium_bp, observed_premium_bp) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(p.id.0)
        .bind(m.talent.savings.on_cost_bp)
        .bind(m.talent.savings.cap_premium_bp)
        .bind(m.talent.savings.observed_premium_bp)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &entry(
                AuditAction::Create,
                "talent_settings",
                "savings inputs, from the model".into(),
            )
            .said(AuditMessage::new("audit.msg.savings_inputs_modelled")),
        )
        .await?;
        sqlx::query::<Db>(
            "INSERT INTO programme_disclosure (programme_id, k, updated_at) VALUES ($1, $2, $3)",
        )
        .bind(p.id.0)
        .bind(m.disclosure.k() as i32)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &entry(
                AuditAction::Create,
                "programme_disclosure",
                format!("threshold set to {}, from the model", m.disclosure.k()),
            )
            .said(
                AuditMessage::new("audit.msg.threshold_modelled")
                    .number("k", m.disclosure.k() as u64),
            ),
        )
        .await?;
        for t in m.targets {
            sqlx::query::<Db>(
                "INSERT INTO programme_targets (programme_id, indicator, target, period_from, period_to, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(p.id.0)
            .bind(t.indicator.slug())
            .bind(t.value as i64)
            .bind(t.period.from)
            .bind(t.period.to)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        if !m.targets.is_empty() {
            audit(
                &mut tx,
                &entry(
                    AuditAction::Create,
                    "programme_targets",
                    format!("{} targets, from the model", m.targets.len()),
                )
                .said(AuditMessage::new("audit.msg.targets_modelled").counted(
                    "targets",
                    "target",
                    m.targets.len() as u64,
                )),
            )
            .await?;
        }
        if let Some(aob) = &m.area_of_benefit {
            super::place_sql::insert_area_of_benefit(
                &mut tx,
                p.id,
                aob.selection,
                aob.codes,
                aob.note,
                actor,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(p)
    }

    async fn programme_model(&self, programme: ProgrammeId) -> Result<Option<(String, String)>> {
        Ok(sqlx::query_as::<Db, (String, String)>(
            "SELECT modelled_on, model FROM programme_models WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn programmes_modelled_on(
        &self,
        programme: ProgrammeId,
        name: &str,
    ) -> Result<Vec<(uuid::Uuid, String, time::OffsetDateTime)>> {
        Ok(
            sqlx::query_as::<Db, (uuid::Uuid, String, time::OffsetDateTime)>(
                "SELECT p.id, p.name, m.created_at FROM programme_models m \
                 JOIN programmes p ON p.id = m.programme_id \
                 WHERE m.modelled_on = $1 AND m.programme_id <> $2 \
                 ORDER BY m.created_at, p.id",
            )
            .bind(name)
            .bind(programme.0)
            .fetch_all(&self.pool)
            .await?,
        )
    }
}
