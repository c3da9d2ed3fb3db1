// The anchors' vacancies in SQL both backends understand: saved one by
// one or imported from a file, read with the posts their placements hold.
// Compiled into `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditMessage};
use useit_core::clock;
use useit_core::talent::casework::PlacementStatus;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::talent::vacancies::VacancyStore;
use crate::talent::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

#[derive(sqlx::FromRow)]
struct VacancyRow {
    id: Uuid,
    reference: String,
    anchor_slug: Option<String>,
    title: String,
    role: String,
    band: String,
    site_postcode: Option<String>,
    posts: i64,
    opens_on: Date,
    closes_on: Option<Date>,
    requirements: String,
    posts_held: i64,
    posts_started: i64,
}

impl From<VacancyRow> for Vacancy {
    fn from(r: VacancyRow) -> Vacancy {
        Vacancy {
            id: r.id,
            input: VacancyInput {
                reference: r.reference,
                anchor_slug: r.anchor_slug,
                title: r.title,
                role: r.role,
                band: r.band,
                site_postcode: r.site_postcode,
                posts: r.posts.max(0) as u32,
                opens_on: r.opens_on,
                closes_on: r.closes_on,
                requirements: r.requirements,
            },
            posts_held: r.posts_held.max(0) as u32,
            posts_started: r.posts_started.max(0) as u32,
        }
    }
}

/// The vacancies with their posts held, counted by the statuses
/// `PlacementStatus::holds_post` names (so the rule lives in one place).
fn vacancy_select() -> String {
    let held: Vec<String> = PlacementStatus::ALL
        .iter()
        .filter(|s| s.holds_post())
        .map(|s| format!("'{}'", s.slug()))
        .collect();
    format!(
        "SELECT v.id, v.reference, v.anchor_slug, v.title, v.role, v.band, v.site_postcode, \
         v.posts, v.opens_on, v.closes_on, v.requirements, \
         (SELECT COUNT(*) FROM talent_placements pl WHERE pl.vacancy_id = v.id \
            AND pl.status IN ({})) AS posts_held, \
         (SELECT COUNT(*) FROM talent_placements pl WHERE pl.vacancy_id = v.id AND pl.status = 'started') AS posts_started \
         FROM talent_vacancies v",
        held.join(", ")
    )
}

#[async_trait]
impl VacancyStore for ThisStore {
    async fn save_vacancy(
        &self,
        programme: ProgrammeId,
        v: &VacancyInput,
        actor: &Actor,
    ) -> Result<Vacancy> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let (id, _) = upsert_vacancy(&mut tx, programme, v).await?;
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Update,
                "talent_vacancy",
                Some(id),
                format!("vacancy {}", v.reference),
            )
            .said(AuditMessage::new("audit.msg.vacancy_changed").text("reference", &v.reference)),
        )
        .await?;
        let out = load_vacancy(&mut tx, programme, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn import_vacancies(
        &self,
        programme: ProgrammeId,
        rows: &[VacancyInput],
        actor: &Actor,
    ) -> Result<ImportCounts> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut out = ImportCounts::default();
        for v in rows {
            match upsert_vacancy(&mut tx, programme, v).await?.1 {
                Upsert::Created => out.created += 1,
                Upsert::Updated => out.updated += 1,
                Upsert::Unchanged => out.unchanged += 1,
            }
        }
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Import,
                "talent_vacancy",
                None,
                format!(
                    "{} created, {} updated, {} unchanged",
                    out.created, out.updated, out.unchanged
                ),
            )
            .said(
                AuditMessage::new("audit.msg.vacancies_imported")
                    .counted("created", "added", out.created)
                    .counted("updated", "changed", out.updated)
                    .counted("unchanged", "unchanged", out.unchanged),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn vacancies(&self, programme: ProgrammeId) -> Result<Vec<Vacancy>> {
        Ok(sqlx::query_as::<Db, VacancyRow>(sqlf!(
            "{} WHERE v.programme_id = $1 ORDER BY v.opens_on DESC, v.reference",
            vacancy_select()
        ))
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Vacancy::from)
        .collect())
    }

    async fn vacancy(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Vacancy>> {
        let mut conn = self.pool.acquire().await?;
        load_vacancy(&mut conn, programme, id).await
    }
}

enum Upsert {
    Created,
    Updated,
    Unchanged,
}

pub(super) async fn load_vacancy(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: Uuid,
) -> Result<Option<Vacancy>> {
    Ok(sqlx::query_as::<Db, VacancyRow>(sqlf!(
        "{} WHERE v.programme_id = $1 AND v.id = $2",
        vacancy_select()
    ))
    .bind(programme.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(Vacancy::from))
}

async fn upsert_vacancy(
    conn: &mut Conn,
    programme: ProgrammeId,
    v: &VacancyInput,
) -> Result<(Uuid, Upsert)> {
    let existing = sqlx::query_as::<Db, VacancyRow>(sqlf!(
        "{} WHERE v.programme_id = $1 AND v.reference = $2",
        vacancy_select()
    ))
    .bind(programme.0)
    .bind(&v.reference)
    .fetch_optional(&mut *conn)
    .await?
    .map(Vacancy::from);
    let now = clock::now();
    match existing {
        Some(e) if &e.input == v => Ok((e.id, Upsert::Unchanged)),
        Some(e) => {
            if v.posts < e.posts_held {
                return Err(StoreError::Invalid(useit_core::validation::Invalid::one(
                    "posts",
                    useit_core::i18n::Message::new("talent.vacancy.posts_below_held")
                        .arg("held", e.posts_held),
                )));
            }
            sqlx::query::<Db>(
                "UPDATE talent_vacancies SET anchor_slug = $3, title = $4, role = $5, band = $6, site_postcode = $7, \
                 posts = $8, opens_on = $9, closes_on = $10, requirements = $11, updated_at = $12 \
                 WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme.0)
            .bind(e.id)
            .bind(&v.anchor_slug)
            .bind(&v.title)
            .bind(&v.role)
            .bind(&v.band)
            .bind(&v.site_postcode)
            .bind(i64::from(v.posts))
            .bind(v.opens_on)
            .bind(v.closes_on)
            .bind(&v.requirements)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            Ok((e.id, Upsert::Updated))
        }
        None => {
            let id = Uuid::now_v7();
            sqlx::query::<Db>(
                "INSERT INTO talent_vacancies (id, programme_id, reference, anchor_slug, title, role, band, site_postcode, \
                 posts, opens_on, closes_on, requirements, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
            )
            .bind(id)
            .bind(programme.0)
            .bind(&v.reference)
            .bind(&v.anchor_slug)
            .bind(&v.title)
            .bind(&v.role)
            .bind(&v.band)
            .bind(&v.site_postcode)
            .bind(i64::from(v.posts))
            .bind(v.opens_on)
            .bind(v.closes_on)
            .bind(&v.requirements)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            Ok((id, Upsert::Created))
        }
    }
}
