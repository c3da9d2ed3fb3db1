// The programme's spend settings (the influence rules, the city region,
// the site radius and the LM3 inputs the measures use) in SQL both
// backends understand. Compiled into `sqlite.rs` and `postgres.rs` as a
// module.

use async_trait::async_trait;

use useit_core::ProgrammeId;
use useit_core::anchors::measures::{InfluenceRule, Lm3Inputs};
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::Result;
use crate::anchors::settings::SpendSettingsStore;
use crate::anchors::*;

#[derive(sqlx::FromRow)]
struct SettingsRow {
    rules: String,
    city_region: String,
    site_radius_m: i64,
    lm3: String,
}

#[async_trait]
impl SpendSettingsStore for ThisStore {
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
