// Questionnaires, responses, projects' income and the Social Lab in SQL
// both backends understand. Compiled into `sqlite.rs` and `postgres.rs` as
// a module.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditMessage};
use useit_core::clock;
use useit_core::listing::like_pattern;
use useit_core::research::questionnaire::{
    Answers, NewResponse, Questionnaire, Response, ResponseSource,
};
use useit_core::research::social_lab::{Income, IncomeDraft};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::research::survey::{ResponsesAdded, SurveyStore};
use crate::talent::{decode_err, entry, parse_or};
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

async fn project_title(conn: &mut Conn, programme: ProgrammeId, project: Uuid) -> Result<String> {
    sqlx::query_scalar::<Db, String>(
        "SELECT title FROM research_projects WHERE programme_id = $1 AND id = $2",
    )
    .bind(programme.0)
    .bind(project)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)
}

#[derive(sqlx::FromRow)]
struct ResponseRow {
    id: Uuid,
    uuid: String,
    submitted_at: Option<OffsetDateTime>,
    source: String,
    answers: String,
    created_at: OffsetDateTime,
}

impl TryFrom<ResponseRow> for Response {
    type Error = StoreError;
    fn try_from(r: ResponseRow) -> Result<Response> {
        let answers: Answers = serde_json::from_str(&r.answers)
            .map_err(|_| decode_err("answers of response", &r.id.to_string()))?;
        Ok(Response {
            id: r.id,
            uuid: r.uuid,
            submitted_at: r.submitted_at,
            answers,
            source: parse_or("response source", &r.source, ResponseSource::parse)?,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct IncomeRow {
    id: Uuid,
    project_id: Uuid,
    project_title: String,
    received_on: Date,
    amount: i64,
    note: String,
    created_at: OffsetDateTime,
}

impl From<IncomeRow> for Income {
    fn from(r: IncomeRow) -> Income {
        Income {
            id: r.id,
            project_id: r.project_id,
            project_title: r.project_title,
            received_on: r.received_on,
            amount: r.amount,
            note: r.note,
            created_at: r.created_at,
        }
    }
}

const INCOME_SELECT: &str = "SELECT i.id, i.project_id, p.title AS project_title, i.received_on, i.amount, \
     i.note, i.created_at FROM research_income i \
     JOIN research_projects p ON p.programme_id = i.programme_id AND p.id = i.project_id";

#[async_trait]
impl SurveyStore for ThisStore {
    async fn questionnaire(
        &self,
        programme: ProgrammeId,
        project: Uuid,
    ) -> Result<Option<Questionnaire>> {
        let row = sqlx::query_as::<Db, (String, String)>(
            "SELECT title, questions FROM research_questionnaires \
             WHERE programme_id = $1 AND project_id = $2",
        )
        .bind(programme.0)
        .bind(project)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(title, questions)| {
            Ok(Questionnaire {
                title,
                questions: serde_json::from_str(&questions)
                    .map_err(|_| decode_err("questions of project", &project.to_string()))?,
            })
        })
        .transpose()
    }

    async fn save_questionnaire(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        q: &Questionnaire,
        source: &str,
        actor: &Actor,
    ) -> Result<()> {
        let questions =
            serde_json::to_string(&q.questions).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        project_title(&mut tx, programme, project).await?;
        sqlx::query::<Db>(
            "INSERT INTO research_questionnaires (programme_id, project_id, title, questions, source, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (programme_id, project_id) DO UPDATE SET title = $3, questions = $4, source = $5, \
             updated_at = $6",
        )
        .bind(programme.0)
        .bind(project)
        .bind(&q.title)
        .bind(&questions)
        .bind(source)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Update,
            "research_questionnaire",
            Some(project),
            format!("{} questions from {source}", q.questions.len()),
        )
        .said(
            AuditMessage::new("audit.msg.questionnaire_saved")
                .text("title", &q.title)
                .counted("questions", "question", q.questions.len() as u64),
        );
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn responses(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        actor: &Actor,
    ) -> Result<Vec<Response>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let rows = sqlx::query_as::<Db, ResponseRow>(
            "SELECT id, uuid, submitted_at, source, answers, created_at FROM research_responses \
             WHERE programme_id = $1 AND project_id = $2 ORDER BY created_at, id",
        )
        .bind(programme.0)
        .bind(project)
        .fetch_all(&mut *tx)
        .await?;
        let items: Vec<Response> = rows
            .into_iter()
            .map(Response::try_from)
            .collect::<Result<_>>()?;
        if !items.is_empty() {
            let e = entry(
                actor,
                programme,
                AuditAction::Read,
                "research_response",
                Some(project),
                format!("{} responses", items.len()),
            )
            .said(
                AuditMessage::new("audit.msg.responses_read").number("count", items.len() as u64),
            );
            audit(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(items)
    }

    async fn response_count(&self, programme: ProgrammeId, project: Uuid) -> Result<u64> {
        let n = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM research_responses WHERE programme_id = $1 AND project_id = $2",
        )
        .bind(programme.0)
        .bind(project)
        .fetch_one(&self.pool)
        .await?;
        Ok(n.max(0) as u64)
    }

    async fn add_responses(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        responses: &[NewResponse],
        file: Option<&str>,
        actor: &Actor,
    ) -> Result<ResponsesAdded> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        project_title(&mut tx, programme, project).await?;
        let now = clock::now();
        let mut done = ResponsesAdded::default();
        for r in responses {
            let answers =
                serde_json::to_string(&r.answers).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            let n = sqlx::query::<Db>(
                "INSERT INTO research_responses (id, programme_id, project_id, uuid, submitted_at, source, \
                 answers, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (programme_id, project_id, uuid) DO NOTHING",
            )
            .bind(Uuid::now_v7())
            .bind(programme.0)
            .bind(project)
            .bind(&r.uuid)
            .bind(r.submitted_at)
            .bind(r.source.slug())
            .bind(&answers)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                done.unchanged += 1;
            } else {
                done.added += 1;
            }
        }
        if done.added > 0 {
            let from = file.map(|f| format!(" from {f}")).unwrap_or_default();
            let e = entry(
                actor,
                programme,
                AuditAction::Create,
                "research_response",
                Some(project),
                format!(
                    "{} responses added{from}, {} already kept",
                    done.added, done.unchanged
                ),
            )
            .said(
                AuditMessage::new("audit.msg.responses_added")
                    .counted("added", "response_added", done.added)
                    .counted("kept", "response_kept", done.unchanged),
            );
            audit(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    async fn research_income(&self, programme: ProgrammeId) -> Result<Vec<Income>> {
        Ok(sqlx::query_as::<Db, IncomeRow>(sqlf!(
            "{INCOME_SELECT} WHERE i.programme_id = $1 ORDER BY i.received_on, i.id"
        ))
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Income::from)
        .collect())
    }

    async fn add_research_income(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        d: &IncomeDraft,
        actor: &Actor,
    ) -> Result<Income> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let title = project_title(&mut tx, programme, project).await?;
        let currency: String =
            sqlx::query_scalar::<Db, String>("SELECT currency FROM programmes WHERE id = $1")
                .bind(programme.0)
                .fetch_one(&mut *tx)
                .await?;
        let currency = useit_core::money::Currency::parse(&currency).unwrap_or_default();
        let id = Uuid::now_v7();
        sqlx::query::<Db>(
            "INSERT INTO research_income (id, programme_id, project_id, received_on, amount, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(programme.0)
        .bind(project)
        .bind(d.received_on)
        .bind(d.amount)
        .bind(&d.note)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Create,
            "research_income",
            Some(id),
            format!(
                "{} received on {} for {title}",
                useit_core::money::format_pence(d.amount),
                clock::display_date(d.received_on)
            ),
        )
        .said(
            // The amount kept as pence in the programme's currency, written
            // the reader's way when the entry is read.
            AuditMessage::new("audit.msg.research_income_added")
                .money("amount", d.amount, currency)
                .date("on", d.received_on)
                .text("title", &title),
        );
        audit(&mut tx, &e).await?;
        let row = sqlx::query_as::<Db, IncomeRow>(sqlf!(
            "{INCOME_SELECT} WHERE i.programme_id = $1 AND i.id = $2"
        ))
        .bind(programme.0)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.into())
    }

    async fn organisations_named(
        &self,
        programme: ProgrammeId,
        search: &str,
        limit: i64,
    ) -> Result<Vec<(Uuid, String, String)>> {
        let Some(pattern) = like_pattern(Some(search)) else {
            return Ok(Vec::new());
        };
        Ok(sqlx::query_as::<Db, (Uuid, String, String)>(
            "SELECT id, name, org_id FROM organisations WHERE programme_id = $1 \
             AND (lower(name) LIKE $2 ESCAPE '\\' OR lower(org_id) LIKE $2 ESCAPE '\\') \
             ORDER BY name, id LIMIT $3",
        )
        .bind(programme.0)
        .bind(pattern)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn social_lab(&self, programme: ProgrammeId) -> Result<Option<Uuid>> {
        Ok(sqlx::query_scalar::<Db, Uuid>(
            "SELECT organisation_id FROM research_social_lab WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn set_social_lab(
        &self,
        programme: ProgrammeId,
        organisation: Option<Uuid>,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let name = match organisation {
            Some(org) => {
                let name = sqlx::query_scalar::<Db, String>(
                    "SELECT name FROM organisations WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(org)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
                sqlx::query::<Db>(
                    "INSERT INTO research_social_lab (programme_id, organisation_id, chosen_at) \
                     VALUES ($1, $2, $3) \
                     ON CONFLICT (programme_id) DO UPDATE SET organisation_id = $2, chosen_at = $3",
                )
                .bind(programme.0)
                .bind(org)
                .bind(clock::now())
                .execute(&mut *tx)
                .await?;
                name
            }
            None => {
                sqlx::query::<Db>("DELETE FROM research_social_lab WHERE programme_id = $1")
                    .bind(programme.0)
                    .execute(&mut *tx)
                    .await?;
                "none".to_string()
            }
        };
        let e = entry(
            actor,
            programme,
            AuditAction::Update,
            "research_social_lab",
            organisation,
            format!("Social Lab: {name}"),
        )
        .said(match organisation {
            Some(_) => AuditMessage::new("audit.msg.social_lab_chosen").text("name", &name),
            None => AuditMessage::new("audit.msg.social_lab_none"),
        });
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }
}
