// Research findings and themes in SQL both backends understand. Compiled
// into `sqlite.rs` and `postgres.rs` as a module.

use std::collections::BTreeMap;

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::research::finding::{Finding, FindingDraft};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::research::findings::{FindingStore, FindingWrite, FindingsWritten};
use crate::talent::decode_err;
use crate::{Result, StoreError};

#[derive(sqlx::FromRow)]
struct FindingRow {
    id: Uuid,
    project_id: Uuid,
    theme: String,
    summary: String,
    quotes: String,
    areas: String,
    questions: String,
    respondents: Option<i64>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<FindingRow> for Finding {
    type Error = StoreError;
    fn try_from(r: FindingRow) -> Result<Finding> {
        let id = r.id.to_string();
        Ok(Finding {
            id: r.id,
            project: r.project_id,
            draft: FindingDraft {
                theme: r.theme,
                summary: r.summary,
                quotes: serde_json::from_str(&r.quotes)
                    .map_err(|_| decode_err("quotes of finding", &id))?,
                areas: serde_json::from_str(&r.areas)
                    .map_err(|_| decode_err("areas of finding", &id))?,
                questions: serde_json::from_str(&r.questions)
                    .map_err(|_| decode_err("questions of finding", &id))?,
                respondents: r.respondents.map(|n| n.clamp(0, u32::MAX as i64) as u32),
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

macro_rules! select {
    () => {
        "SELECT id, project_id, theme, summary, quotes, areas, questions, respondents, \
         created_at, updated_at FROM research_findings"
    };
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::from(sqlx::Error::Encode(Box::new(e))))
}

#[async_trait]
impl FindingStore for ThisStore {
    async fn research_themes(&self, programme: ProgrammeId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar::<Db, String>(
            "SELECT name FROM research_themes WHERE programme_id = $1 ORDER BY position",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_research_themes(
        &self,
        programme: ProgrammeId,
        themes: &[String],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        sqlx::query::<Db>("DELETE FROM research_themes WHERE programme_id = $1")
            .bind(programme.0)
            .execute(&mut *tx)
            .await?;
        for (i, name) in themes.iter().enumerate() {
            sqlx::query::<Db>(
                "INSERT INTO research_themes (programme_id, position, name) VALUES ($1, $2, $3)",
            )
            .bind(programme.0)
            .bind(i as i64)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        }
        let e = AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Update,
            "research_themes",
            None,
            format!("{} themes", themes.len()),
        )
        .said(AuditMessage::new("audit.msg.themes_saved").number("count", themes.len() as u64));
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn research_project_themes(
        &self,
        programme: ProgrammeId,
    ) -> Result<BTreeMap<Uuid, Vec<String>>> {
        let rows = sqlx::query_as::<Db, (Uuid, String)>(
            "SELECT project_id, name FROM research_project_themes WHERE programme_id = $1 \
             ORDER BY project_id, position",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        let mut out: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
        for (project, name) in rows {
            out.entry(project).or_default().push(name);
        }
        Ok(out)
    }

    async fn save_research_project_themes(
        &self,
        programme: ProgrammeId,
        project: Uuid,
        themes: &[String],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let n: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM research_projects WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(project)
        .fetch_one(&mut *tx)
        .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let before = sqlx::query_scalar::<Db, String>(
            "SELECT name FROM research_project_themes WHERE programme_id = $1 AND project_id = $2 \
             ORDER BY position",
        )
        .bind(programme.0)
        .bind(project)
        .fetch_all(&mut *tx)
        .await?;
        if before == themes {
            // The same list again changes nothing and says nothing.
            return Ok(());
        }
        sqlx::query::<Db>(
            "DELETE FROM research_project_themes WHERE programme_id = $1 AND project_id = $2",
        )
        .bind(programme.0)
        .bind(project)
        .execute(&mut *tx)
        .await?;
        for (i, name) in themes.iter().enumerate() {
            sqlx::query::<Db>(
                "INSERT INTO research_project_themes (programme_id, project_id, position, name) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(programme.0)
            .bind(project)
            .bind(i as i64)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        }
        let e = AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Update,
            "research_project_themes",
            Some(project.to_string()),
            format!("{} themes, before {}", themes.len(), before.len()),
        )
        .said(
            AuditMessage::new("audit.msg.project_themes_saved")
                .counted("now", "theme", themes.len() as u64)
                .counted("before", "theme", before.len() as u64),
        );
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn research_findings(&self, programme: ProgrammeId) -> Result<Vec<Finding>> {
        sqlx::query_as::<Db, FindingRow>(concat!(
            select!(),
            " WHERE programme_id = $1 ORDER BY project_id, created_at, id"
        ))
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Finding::try_from)
        .collect()
    }

    async fn research_finding(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Finding>> {
        sqlx::query_as::<Db, FindingRow>(concat!(select!(), " WHERE programme_id = $1 AND id = $2"))
            .bind(programme.0)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Finding::try_from)
            .transpose()
    }

    async fn write_findings(
        &self,
        programme: ProgrammeId,
        findings: &[FindingWrite],
        actor: &Actor,
    ) -> Result<(FindingsWritten, Vec<Uuid>)> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut done = FindingsWritten::default();
        let mut ids = Vec::with_capacity(findings.len());
        let now = clock::now();
        for f in findings {
            let n: i64 = sqlx::query_scalar::<Db, i64>(
                "SELECT COUNT(*) FROM research_projects WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme.0)
            .bind(f.project)
            .fetch_one(&mut *tx)
            .await?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let existing = match f.id {
                Some(id) => {
                    let row =
                        sqlx::query_as::<Db, FindingRow>(concat!(select!(), " WHERE id = $1"))
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    match row {
                        Some(r) => {
                            // Another programme's or another project's:
                            // as if missing.
                            let mine: i64 = sqlx::query_scalar::<Db, i64>(
                                "SELECT COUNT(*) FROM research_findings WHERE programme_id = $1 \
                                 AND id = $2 AND project_id = $3",
                            )
                            .bind(programme.0)
                            .bind(id)
                            .bind(f.project)
                            .fetch_one(&mut *tx)
                            .await?;
                            if mine == 0 {
                                return Err(StoreError::NotFound);
                            }
                            Some(r)
                        }
                        None => None,
                    }
                }
                None => None,
            };
            let d = &f.draft;
            let (quotes, areas, questions) =
                (json(&d.quotes)?, json(&d.areas)?, json(&d.questions)?);
            let respondents = d.respondents.map(i64::from);
            let (id, action) = match existing {
                Some(row) => {
                    let id = row.id;
                    let kept = Finding::try_from(row)?;
                    if &kept.draft == d {
                        done.unchanged += 1;
                        ids.push(id);
                        continue;
                    }
                    sqlx::query::<Db>(
                        "UPDATE research_findings SET theme = $3, summary = $4, quotes = $5, areas = $6, \
                         questions = $7, respondents = $8, updated_at = $9 \
                         WHERE programme_id = $1 AND id = $2",
                    )
                    .bind(programme.0)
                    .bind(id)
                    .bind(&d.theme)
                    .bind(&d.summary)
                    .bind(&quotes)
                    .bind(&areas)
                    .bind(&questions)
                    .bind(respondents)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    done.changed += 1;
                    (id, AuditAction::Update)
                }
                None => {
                    let id = f.id.unwrap_or_else(Uuid::now_v7);
                    sqlx::query::<Db>(
                        "INSERT INTO research_findings (id, programme_id, project_id, theme, summary, quotes, \
                         areas, questions, respondents, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
                    )
                    .bind(id)
                    .bind(programme.0)
                    .bind(f.project)
                    .bind(&d.theme)
                    .bind(&d.summary)
                    .bind(&quotes)
                    .bind(&areas)
                    .bind(&questions)
                    .bind(respondents)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    done.added += 1;
                    (id, AuditAction::Create)
                }
            };
            ids.push(id);
            let e = AuditEntry::new(
                actor,
                Some(programme),
                action,
                "research_finding",
                Some(id.to_string()),
                format!(
                    "theme '{}', {} quotes, {} neighbourhoods",
                    d.theme,
                    d.quotes.len(),
                    d.areas.len()
                ),
            )
            .said(
                AuditMessage::new("audit.msg.finding_saved")
                    .text("theme", &d.theme)
                    .counted("quotes", "quote", d.quotes.len() as u64)
                    .counted("areas", "neighbourhood", d.areas.len() as u64),
            );
            audit(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok((done, ids))
    }

    async fn delete_research_finding(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let row = sqlx::query_as::<Db, FindingRow>(concat!(
            select!(),
            " WHERE programme_id = $1 AND id = $2"
        ))
        .bind(programme.0)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        sqlx::query::<Db>("DELETE FROM research_findings WHERE programme_id = $1 AND id = $2")
            .bind(programme.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let e = AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Delete,
            "research_finding",
            Some(id.to_string()),
            format!("theme '{}' of project {}", row.theme, row.project_id),
        )
        .said(AuditMessage::new("audit.msg.theme_removed").text("theme", &row.theme));
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }
}
