// Writing enterprise profiles, one or many in a transaction, in SQL both
// backends understand. Compiled into `sqlite.rs` and `postgres.rs` as a
// module; `enterprise/sql.rs`'s `save_profile` writes through
// `write_profile` too.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::Result;
use crate::enterprise::directory::*;

/// Writes one profile and its consequences (the organisation's kind and
/// legal form, the revision) with its audit entry, inside `conn`'s
/// transaction.
pub(super) async fn write_profile(
    conn: &mut <Db as sqlx::Database>::Connection,
    programme: ProgrammeId,
    organisation: Uuid,
    profile: &Profile,
    actor: &Actor,
) -> Result<()> {
    let now: OffsetDateTime = clock::now();
    let json = serde_json::to_string(profile).expect("a profile serialises");
    // An UPDATE, else an INSERT; not an upsert: on SQLite the record
    // counter's trigger fails inside an upsert's DO UPDATE (see
    // `20261206000032_grants.sql`).
    let updated = sqlx::query::<Db>(
        "UPDATE enterprise_profiles SET profile = $3, updated_at = $4 \
         WHERE programme_id = $1 AND organisation_id = $2",
    )
    .bind(programme.0)
    .bind(organisation)
    .bind(&json)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        sqlx::query::<Db>(
            "INSERT INTO enterprise_profiles (programme_id, organisation_id, profile, updated_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(programme.0)
        .bind(organisation)
        .bind(&json)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    let mut changes = vec![String::from("profile saved")];
    let name = sqlx::query_scalar::<Db, String>(
        "SELECT name FROM organisations WHERE programme_id = $1 AND id = $2",
    )
    .bind(programme.0)
    .bind(organisation)
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or_default();
    if profile.meets_criteria() {
        let n = sqlx::query::<Db>(
            "UPDATE organisations SET kind = 'social_enterprise' \
             WHERE programme_id = $1 AND id = $2 AND kind <> 'social_enterprise'",
        )
        .bind(programme.0)
        .bind(organisation)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if n > 0 {
            super::revision_sql::bump_programme(&mut *conn, programme).await?;
            changes.push("recognised as a social enterprise".into());
        }
    }
    if let Some(form) = &profile.legal_form {
        sqlx::query::<Db>(
            "UPDATE organisations SET legal_form = $3 \
             WHERE programme_id = $1 AND id = $2 AND legal_form IS NULL",
        )
        .bind(programme.0)
        .bind(organisation)
        .bind(form)
        .execute(&mut *conn)
        .await?;
    }
    audit(
        &mut *conn,
        &AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Update,
            "enterprise_profile",
            Some(organisation.to_string()),
            changes.join("; "),
        )
        .said(
            AuditMessage::new(if changes.len() > 1 {
                "audit.msg.profile_saved_recognised"
            } else {
                "audit.msg.profile_saved"
            })
            .text("name", &name),
        ),
    )
    .await
}

#[async_trait]
impl DirectoryStore for ThisStore {
    async fn save_profiles(
        &self,
        programme: ProgrammeId,
        profiles: &[(Uuid, Profile)],
        actor: &Actor,
    ) -> Result<ProfilesSaved> {
        self.save_directory(programme, &[], profiles, actor).await
    }

    async fn save_directory(
        &self,
        programme: ProgrammeId,
        new: &[NewOrganisation],
        profiles: &[(Uuid, Profile)],
        actor: &Actor,
    ) -> Result<ProfilesSaved> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut out = ProfilesSaved::default();
        for o in new {
            sqlx::query::<Db>(
                "INSERT INTO organisations (id, programme_id, org_id, name, name_key, kind, postcode, source) \
                 VALUES ($1, $2, $3, $4, $5, 'social_enterprise', $6, 'directory file')",
            )
            .bind(o.id)
            .bind(programme.0)
            .bind(&o.org_id)
            .bind(&o.name)
            .bind(useit_core::anchors::supplier::name_key(&o.name))
            .bind(&o.postcode)
            .execute(&mut *tx)
            .await
            .map_err(crate::StoreError::unique_as("org_id", "enterprise.directory_csv.org_id_taken"))?;
            audit(
                &mut tx,
                &AuditEntry::new(
                    actor,
                    Some(programme),
                    AuditAction::Create,
                    "organisation",
                    Some(o.id.to_string()),
                    format!("{} ({}) added from the directory file", o.name, o.org_id),
                )
                .said(
                    AuditMessage::new("audit.msg.organisation_from_directory")
                        .text("name", &o.name),
                ),
            )
            .await?;
            out.created += 1;
        }
        if !new.is_empty() {
            super::revision_sql::bump_programme(&mut tx, programme).await?;
        }
        let created: std::collections::HashSet<Uuid> = new.iter().map(|o| o.id).collect();
        for (organisation, profile) in profiles {
            let held: Option<String> = sqlx::query_scalar::<Db, String>(
                "SELECT profile FROM enterprise_profiles WHERE programme_id = $1 AND organisation_id = $2",
            )
            .bind(programme.0)
            .bind(organisation)
            .fetch_optional(&mut *tx)
            .await?;
            if held
                .and_then(|h| serde_json::from_str::<Profile>(&h).ok())
                .as_ref()
                == Some(profile)
            {
                out.unchanged += 1;
                continue;
            }
            write_profile(&mut tx, programme, *organisation, profile, actor).await?;
            if !created.contains(organisation) {
                out.changed += 1;
            }
        }
        tx.commit().await?;
        Ok(out)
    }
}
