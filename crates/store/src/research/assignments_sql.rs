// Researchers assigned to research projects in SQL both backends
// understand. Compiled into `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::research::assignment::{Assignment, AssignmentDraft};
use useit_core::validation::Invalid;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::research::assignments::{AssignmentQuery, AssignmentStore};
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: Uuid,
    project_id: Uuid,
    project_title: String,
    researcher_id: Uuid,
    researcher_name: Option<String>,
    starts_on: Date,
    ends_on: Option<Date>,
    created_at: OffsetDateTime,
}

impl From<AssignmentRow> for Assignment {
    fn from(r: AssignmentRow) -> Assignment {
        Assignment {
            id: r.id,
            project_id: r.project_id,
            project_title: r.project_title,
            researcher_id: r.researcher_id,
            researcher_name: r.researcher_name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            created_at: r.created_at,
        }
    }
}

async fn select(
    conn: &mut Conn,
    programme: ProgrammeId,
    q: AssignmentQuery,
) -> Result<Vec<Assignment>> {
    Ok(sqlx::query_as::<Db, AssignmentRow>(
        "SELECT a.id, a.project_id, p.title AS project_title, a.researcher_id, \
         r.full_name AS researcher_name, a.starts_on, a.ends_on, a.created_at \
         FROM research_assignments a \
         JOIN research_projects p ON p.programme_id = a.programme_id AND p.id = a.project_id \
         JOIN research_researchers r ON r.programme_id = a.programme_id AND r.id = a.researcher_id \
         WHERE a.programme_id = $1 AND ($2 IS NULL OR a.id = $2) \
         AND ($3 IS NULL OR a.project_id = $3) AND ($4 IS NULL OR a.researcher_id = $4) \
         ORDER BY p.title, r.full_name, a.researcher_id, a.starts_on, a.id",
    )
    .bind(programme.0)
    .bind(q.id)
    .bind(q.project)
    .bind(q.researcher)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(Assignment::from)
    .collect())
}

async fn one(conn: &mut Conn, programme: ProgrammeId, id: Uuid) -> Result<Assignment> {
    select(
        conn,
        programme,
        AssignmentQuery {
            id: Some(id),
            ..Default::default()
        },
    )
    .await?
    .into_iter()
    .next()
    .ok_or(StoreError::NotFound)
}

fn entry(
    actor: &Actor,
    programme: ProgrammeId,
    action: AuditAction,
    id: Option<Uuid>,
    summary: String,
) -> AuditEntry {
    AuditEntry::new(
        actor,
        Some(programme),
        action,
        "research_assignment",
        id.map(|i| i.to_string()),
        summary,
    )
}

#[async_trait]
impl AssignmentStore for ThisStore {
    async fn assignments(
        &self,
        programme: ProgrammeId,
        query: AssignmentQuery,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<Assignment>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let items = select(&mut tx, programme, query).await?;
        if !items.is_empty() {
            let e = entry(
                actor,
                programme,
                AuditAction::Read,
                None,
                format!("{purpose}: {} assignments", items.len()),
            )
            .said(
                AuditMessage::new("audit.msg.assignments_listed")
                    .number("count", items.len() as u64),
            );
            audit(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(items)
    }

    async fn add_assignment(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        d: &AssignmentDraft,
        actor: &Actor,
    ) -> Result<Assignment> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let project_found: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM research_projects WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(project)
        .fetch_one(&mut *tx)
        .await?;
        if project_found == 0 {
            return Err(StoreError::NotFound);
        }
        let researcher_found: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM research_researchers WHERE programme_id = $1 AND id = $2 AND erased_at IS NULL",
        )
        .bind(programme.0)
        .bind(d.researcher)
        .fetch_one(&mut *tx)
        .await?;
        if researcher_found == 0 {
            return Err(StoreError::Unknown(Invalid::one(
                "researcher",
                Message::new("research.assignment.no_such_researcher"),
            )));
        }
        let id = Uuid::now_v7();
        let now = clock::now();
        sqlx::query::<Db>(
            "INSERT INTO research_assignments (id, programme_id, project_id, researcher_id, starts_on, ends_on, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(programme.0)
        .bind(project)
        .bind(d.researcher)
        .bind(d.starts_on)
        .bind(d.ends_on)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let a = one(&mut tx, programme, id).await?;
        // The project by its title; the researcher is not named (personal data).
        let e = entry(
            actor,
            programme,
            AuditAction::Create,
            Some(id),
            format!(
                "researcher {} on project {project} from {}{}",
                d.researcher,
                d.starts_on,
                d.ends_on.map(|t| format!(" to {t}")).unwrap_or_default()
            ),
        )
        .said(
            AuditMessage::new("audit.msg.assignment_added")
                .text("project", a.project_title.clone())
                .date("from", d.starts_on),
        );
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(a)
    }

    async fn end_assignment(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        ends_on: Date,
        actor: &Actor,
    ) -> Result<Assignment> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let before = one(&mut tx, programme, id).await?;
        sqlx::query::<Db>(
            "UPDATE research_assignments SET ends_on = $3, updated_at = $4 WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(id)
        .bind(ends_on)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Update,
            Some(id),
            format!(
                "ends on {ends_on} (was {})",
                before
                    .ends_on
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "open".into())
            ),
        )
        .said(
            AuditMessage::new("audit.msg.assignment_ended")
                .text("project", before.project_title.clone())
                .date("on", ends_on),
        );
        audit(&mut tx, &e).await?;
        let a = one(&mut tx, programme, id).await?;
        tx.commit().await?;
        Ok(a)
    }
}
