// The disclosure threshold in SQL both backends understand. Compiled into
// `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::disclosure::DisclosureSettings;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::Result;
use crate::programme::disclosure::DisclosureStore;

#[async_trait]
impl DisclosureStore for ThisStore {
    async fn disclosure_settings(&self, programme: ProgrammeId) -> Result<DisclosureSettings> {
        let k = sqlx::query_scalar::<Db, i32>(
            "SELECT k FROM programme_disclosure WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_optional(&self.pool)
        .await?;
        match k {
            None => Ok(DisclosureSettings::default()),
            // The table's CHECK keeps k in range; the core rule checks again.
            Some(k) => Ok(DisclosureSettings::new(u32::try_from(k).unwrap_or(0))?),
        }
    }

    async fn save_disclosure_settings(
        &self,
        programme: ProgrammeId,
        settings: DisclosureSettings,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        sqlx::query::<Db>(
            "INSERT INTO programme_disclosure (programme_id, k, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (programme_id) DO UPDATE SET k = excluded.k, updated_at = excluded.updated_at",
        )
        .bind(programme.0)
        .bind(settings.k() as i32)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "programme_disclosure",
                None,
                format!("threshold set to {}", settings.k()),
            )
            .said(AuditMessage::new("audit.msg.threshold_set").number("k", settings.k() as u64)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
