// Merging a person registered twice, in SQL both backends understand.
// Compiled into `sqlite.rs` and `postgres.rs` as a module. Apart from the
// people's own SQL because it moves every kind of record from one person to
// the other.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditMessage};
use useit_core::talent::casework::{FunnelStage, PersonDraft, WorkOutcome};

use super::audit_sql::insert as audit;
use super::talent_records_sql::{load_records, stage_from_records};
use super::talent_sql::{load_person, update_person_row};
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::talent::duplicates::DuplicateStore;
use crate::talent::*;
use crate::{Result, StoreError};

#[async_trait]
impl DuplicateStore for ThisStore {
    async fn merge_people(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        keep: Uuid,
        other: Uuid,
        actor: &Actor,
    ) -> Result<Person> {
        if keep == other {
            return Err(StoreError::conflict("other", "talent.merge.self"));
        }
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let k = load_person(&mut tx, programme, caseload, keep).await?;
        let o = load_person(&mut tx, programme, caseload, other).await?;
        if k.erased_at.is_some() || o.erased_at.is_some() {
            return Err(StoreError::conflict("other", "talent.person.erased"));
        }
        for sql in [
            "DELETE FROM talent_steps WHERE programme_id = $1 AND person_id = $3 AND EXISTS \
             (SELECT 1 FROM talent_steps k WHERE k.person_id = $2 AND k.step = talent_steps.step AND k.passed_on = talent_steps.passed_on)",
            "DELETE FROM talent_placements WHERE programme_id = $1 AND person_id = $3 AND EXISTS \
             (SELECT 1 FROM talent_placements k WHERE k.person_id = $2 AND k.vacancy_id = talent_placements.vacancy_id)",
            "UPDATE talent_steps SET person_id = $2 WHERE programme_id = $1 AND person_id = $3",
            "UPDATE talent_placements SET person_id = $2 WHERE programme_id = $1 AND person_id = $3",
            "UPDATE talent_language_results SET person_id = $2 WHERE programme_id = $1 AND person_id = $3",
            "UPDATE talent_barriers SET person_id = $2 WHERE programme_id = $1 AND person_id = $3",
            "UPDATE talent_support SET person_id = $2 WHERE programme_id = $1 AND person_id = $3",
            "UPDATE talent_notes SET person_id = $2 WHERE programme_id = $1 AND person_id = $3",
        ] {
            sqlx::query::<Db>(sql)
                .bind(programme.0)
                .bind(keep)
                .bind(other)
                .execute(&mut *tx)
                .await?;
        }
        let (kd, od) = (&k.draft, &o.draft);
        let merged = PersonDraft {
            full_name: kd.full_name.clone(),
            email: kd.email.clone().or(od.email.clone()),
            phone: kd.phone.clone().or(od.phone.clone()),
            postcode: kd.postcode.clone().or(od.postcode.clone()),
            profession: kd.profession.clone(),
            qualification_country: if kd.qualification_country.is_empty() {
                od.qualification_country.clone()
            } else {
                kd.qualification_country.clone()
            },
            qualification_year: kd.qualification_year.or(od.qualification_year),
            qualifications: if kd.qualifications.is_empty() {
                od.qualifications.clone()
            } else {
                kd.qualifications.clone()
            },
            experience_years: kd.experience_years.max(od.experience_years),
            right_to_work: kd.right_to_work.or(od.right_to_work),
            available_from: kd.available_from.or(od.available_from),
            lawful_basis: kd.lawful_basis.or(od.lawful_basis),
            consent_given_on: kd.consent_given_on.or(od.consent_given_on),
        };
        let home = if kd.postcode.is_some() {
            HomePlace {
                area_code: k.area_code.clone(),
                lat: k.home.map(|h| h.0),
                lon: k.home.map(|h| h.1),
            }
        } else {
            HomePlace {
                area_code: o.area_code.clone(),
                lat: o.home.map(|h| h.0),
                lon: o.home.map(|h| h.1),
            }
        };
        let change = PersonChange {
            draft: merged,
            caseworker: k.caseworker_id.or(o.caseworker_id),
            home,
        };
        update_person_row(&mut tx, programme, keep, &change).await?;
        let merged = &change.draft;
        let (work, work_on) = if k.work == WorkOutcome::NoneYet {
            (o.work, o.work_on)
        } else {
            (k.work, k.work_on)
        };
        let recs = load_records(&mut tx, programme, keep).await?;
        // Neither record's stage is lost, whatever the merged records say.
        let stage = stage_from_records(&merged.profession, &recs)
            .unwrap_or(FunnelStage::Engaged)
            .max(k.stage)
            .max(o.stage);
        sqlx::query::<Db>("UPDATE talent_people SET stage = $3, work = $4, work_on = $5, consent_withdrawn_on = $6 WHERE programme_id = $1 AND id = $2")
            .bind(programme.0)
            .bind(keep)
            .bind(stage.slug())
            .bind(work.slug())
            .bind(work_on)
            .bind(k.consent_withdrawn_on.or(o.consent_withdrawn_on))
            .execute(&mut *tx)
            .await?;
        sqlx::query::<Db>("DELETE FROM talent_people WHERE programme_id = $1 AND id = $2")
            .bind(programme.0)
            .bind(other)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Merge,
                "talent_person",
                Some(keep),
                format!("merged {other} into {keep}"),
            )
            .said(AuditMessage::new("audit.msg.people_merged")),
        )
        .await?;
        let out = load_person(&mut tx, programme, Caseload::All, keep).await?;
        tx.commit().await?;
        Ok(out)
    }
}
