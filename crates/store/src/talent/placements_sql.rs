// Placements (a person put forward for a vacancy, then interviewed,
// offered, started or left) in SQL both backends understand. Compiled into
// `sqlite.rs` and `postgres.rs` as a module. A person's records list their
// placements with the row and query kept here.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditMessage};
use useit_core::clock;
use useit_core::talent::casework::PlacementStatus;

use super::audit_sql::insert as audit;
use super::talent_sql::{audit_list_read, load_person};
use super::talent_vacancies_sql::load_vacancy;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::talent::placements::PlacementStore;
use crate::talent::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

#[derive(sqlx::FromRow)]
pub(super) struct PlacementRow {
    id: Uuid,
    person_id: Uuid,
    person_name: Option<String>,
    vacancy_id: Uuid,
    vacancy_title: String,
    status: String,
    score: i64,
    reasons: String,
    started_on: Option<Date>,
    left_on: Option<Date>,
    updated_at: OffsetDateTime,
}

impl TryFrom<PlacementRow> for Placement {
    type Error = StoreError;
    fn try_from(r: PlacementRow) -> Result<Placement> {
        Ok(Placement {
            id: r.id,
            person_id: r.person_id,
            person_name: r.person_name,
            vacancy_id: r.vacancy_id,
            vacancy_title: r.vacancy_title,
            status: parse_or("placement status", &r.status, PlacementStatus::parse)?,
            score: r.score,
            reasons: r.reasons,
            started_on: r.started_on,
            left_on: r.left_on,
            updated_at: r.updated_at,
        })
    }
}

pub(super) const PLACEMENT_SELECT: &str = "SELECT pl.id, pl.person_id, p.full_name AS person_name, pl.vacancy_id, \
     v.title AS vacancy_title, pl.status, pl.score, pl.reasons, pl.started_on, pl.left_on, pl.updated_at \
     FROM talent_placements pl JOIN talent_people p ON p.id = pl.person_id \
     JOIN talent_vacancies v ON v.id = pl.vacancy_id";

#[async_trait]
impl PlacementStore for ThisStore {
    async fn confirm_placement(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        proposal: &Proposal,
        actor: &Actor,
    ) -> Result<Placement> {
        let Proposal {
            person,
            vacancy,
            score,
            ref reasons,
        } = *proposal;
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let p = load_person(&mut tx, programme, caseload, person).await?;
        if !p.matchable() {
            return Err(StoreError::Conflict {
                field: "person".into(),
                message: useit_core::i18n::Message::new("talent.placement.not_matchable"),
            });
        }
        let v = load_vacancy(&mut tx, programme, vacancy)
            .await?
            .ok_or(StoreError::NotFound)?;
        if v.posts_free() == 0 {
            return Err(StoreError::Conflict {
                field: "vacancy".into(),
                message: useit_core::i18n::Message::new("talent.placement.vacancy_full"),
            });
        }
        let id = Uuid::now_v7();
        let now = clock::now();
        sqlx::query::<Db>(
            "INSERT INTO talent_placements (id, programme_id, person_id, vacancy_id, status, score, reasons, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(programme.0)
        .bind(person)
        .bind(vacancy)
        .bind(score)
        .bind(reasons)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::unique_as("vacancy", "talent.placement.already_proposed"))?;
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Create,
                "talent_placement",
                Some(person),
                format!("put forward for {}", v.input.reference),
            )
            .said(
                AuditMessage::new("audit.msg.placement_added")
                    .text("reference", &v.input.reference),
            ),
        )
        .await?;
        let out = load_placement(&mut tx, programme, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn set_placement_status(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        placement: Uuid,
        status: PlacementStatus,
        on: Date,
        actor: &Actor,
    ) -> Result<Placement> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        write_placement_status(&mut tx, programme, caseload, placement, status, on, actor).await?;
        let out = load_placement(&mut tx, programme, placement).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn set_placement_statuses(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        placements: &[Uuid],
        status: PlacementStatus,
        on: Date,
        actor: &Actor,
    ) -> Result<Vec<Placement>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut out = Vec::with_capacity(placements.len());
        for id in placements {
            write_placement_status(&mut tx, programme, caseload, *id, status, on, actor).await?;
            out.push(load_placement(&mut tx, programme, *id).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn placements(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<Placement>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let items: Vec<Placement> = sqlx::query_as::<Db, PlacementRow>(sqlf!(
            "{PLACEMENT_SELECT} WHERE pl.programme_id = $1 AND ($2 IS NULL OR p.caseworker_id = $2) \
             ORDER BY pl.updated_at DESC, pl.id"
        ))
        .bind(programme.0)
        .bind(caseload_user(caseload))
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(Placement::try_from)
        .collect::<Result<_>>()?;
        let summary = format!("{} placements ({purpose})", items.len());
        audit_list_read(
            &mut tx,
            actor,
            programme,
            "talent_placement",
            &items,
            summary,
            "audit.msg.placements_listed",
        )
        .await?;
        tx.commit().await?;
        Ok(items)
    }
}

/// Moves one placement on with its audit entry, inside the caller's
/// transaction (`NotFound` outside the caseload; invalid on `status` when
/// its current status may not move there).
async fn write_placement_status(
    tx: &mut Conn,
    programme: ProgrammeId,
    caseload: Caseload,
    placement: Uuid,
    status: PlacementStatus,
    on: Date,
    actor: &Actor,
) -> Result<()> {
    let pl = load_placement(tx, programme, placement).await?;
    // The caseload check: the person must be reachable by the caller.
    load_person(tx, programme, caseload, pl.person_id).await?;
    if !pl.status.next().contains(&status) {
        return Err(StoreError::Invalid(useit_core::validation::Invalid::one(
            "status",
            useit_core::i18n::Message::new("talent.placement.bad_move")
                .arg("from", pl.status.slug())
                .arg("to", status.slug()),
        )));
    }
    let (started, left) = match status {
        PlacementStatus::Started => (Some(on), None),
        PlacementStatus::Left => (pl.started_on, Some(on)),
        _ => (pl.started_on, pl.left_on),
    };
    sqlx::query::<Db>(
        "UPDATE talent_placements SET status = $3, started_on = $4, left_on = $5, updated_at = $6 \
             WHERE programme_id = $1 AND id = $2",
    )
    .bind(programme.0)
    .bind(placement)
    .bind(status.slug())
    .bind(started)
    .bind(left)
    .bind(clock::now())
    .execute(&mut *tx)
    .await?;
    if status == PlacementStatus::Started {
        sqlx::query::<Db>(
                "UPDATE talent_people SET work = 'nhs', work_on = $3, updated_at = $4 WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme.0)
            .bind(pl.person_id)
            .bind(on)
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut *tx,
        &entry(
            actor,
            programme,
            AuditAction::Update,
            "talent_placement",
            Some(pl.person_id),
            format!("placement {}", status.slug()),
        )
        .said(
            AuditMessage::new("audit.msg.placement_moved")
                .word("status", format!("talent.placement.{}", status.slug())),
        ),
    )
    .await?;
    Ok(())
}

async fn load_placement(conn: &mut Conn, programme: ProgrammeId, id: Uuid) -> Result<Placement> {
    sqlx::query_as::<Db, PlacementRow>(sqlf!(
        "{PLACEMENT_SELECT} WHERE pl.programme_id = $1 AND pl.id = $2"
    ))
    .bind(programme.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?
    .try_into()
}
