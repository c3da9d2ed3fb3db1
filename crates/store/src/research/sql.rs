// Research in SQL both backends understand. Compiled into `sqlite.rs` and
// `postgres.rs` as a module.

use async_trait::async_trait;
use time::{Date, Month, OffsetDateTime};
use uuid::Uuid;

use useit_core::audit::{Actor, AuditAction, AuditMessage};
use useit_core::clock;
use useit_core::listing::{Page, PageRequest, like_pattern};
use useit_core::research::pay::{PayFrom, PayRule, Scheme};
use useit_core::research::project::{Commissioner, Project, ProjectDraft, ProjectStatus};
use useit_core::research::researcher::{
    Accreditation, Channel, Completion, Reach, Researcher, ResearcherDraft, ResearcherFact,
    ResearcherParams,
};
use useit_core::research::work::{TimeDraft, TimeEntry, TimeQuery, TimeStatus};
use useit_core::talent::casework::LawfulBasis;
use useit_core::{ProgrammeId, UserId};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::research::*;
use crate::talent::{decode_err, entry, parse_or};
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

const RESEARCHER_COLUMNS: &str = "id, programme_id, user_id, full_name, email, postcode, area_code, decile, \
     channel, recruited_on, languages, lawful_basis, consent_given_on, qualification, level, \
     awarding_body, accredited_on, account_email, erased_at, created_at, updated_at";

/// `$1` programme, `$2` reach user, `$3` search pattern, `$4` accredited, `$5` channel,
/// `$6` a home page figure (`researchers_accredited`, `researchers_paid`: the
/// researchers it counts, erased ones too, dated as `researcher_indicator_facts`
/// dates them), `$7`–`$8` its period's first and last days.
const RESEARCHER_FILTER: &str = "programme_id = $1 AND ($6 IS NOT NULL OR erased_at IS NULL) \
    AND ($6 IS NULL OR ( \
        ($6 <> 'researchers_accredited' OR (accredited_on IS NOT NULL \
            AND ($7 IS NULL OR accredited_on >= $7) AND ($8 IS NULL OR accredited_on <= $8))) \
        AND ($6 <> 'researchers_paid' OR EXISTS (SELECT 1 FROM research_time t \
            WHERE t.programme_id = research_researchers.programme_id \
            AND t.researcher_id = research_researchers.id AND t.status = 'approved' \
            AND t.worked_on = (SELECT MIN(m.worked_on) FROM research_time m \
                WHERE m.programme_id = t.programme_id AND m.researcher_id = t.researcher_id \
                AND m.status = 'approved') \
            AND ($7 IS NULL OR t.worked_on >= $7) AND ($8 IS NULL OR t.worked_on <= $8))))) \
    AND ($2 IS NULL OR user_id = $2) \
    AND ($3 IS NULL OR lower(coalesce(full_name, '')) LIKE $3 ESCAPE '\\' \
         OR lower(coalesce(email, '')) LIKE $3 ESCAPE '\\' OR lower(coalesce(postcode, '')) LIKE $3 ESCAPE '\\' \
         OR lower(coalesce(languages, '')) LIKE $3 ESCAPE '\\') \
    AND ($4 IS NULL OR (accredited_on IS NOT NULL) = $4) \
    AND ($5 IS NULL OR channel = $5)";

#[derive(sqlx::FromRow)]
struct ResearcherRow {
    id: Uuid,
    programme_id: Uuid,
    user_id: Option<Uuid>,
    full_name: Option<String>,
    email: Option<String>,
    postcode: Option<String>,
    area_code: Option<String>,
    decile: Option<i64>,
    channel: String,
    recruited_on: Date,
    languages: Option<String>,
    lawful_basis: String,
    consent_given_on: Option<Date>,
    qualification: Option<String>,
    level: Option<String>,
    awarding_body: Option<String>,
    accredited_on: Option<Date>,
    account_email: Option<String>,
    erased_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

fn split(s: &str) -> Vec<String> {
    s.split('\n')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

impl TryFrom<ResearcherRow> for Researcher {
    type Error = StoreError;
    fn try_from(r: ResearcherRow) -> Result<Researcher> {
        let accreditation = match (r.qualification, r.awarding_body, r.accredited_on) {
            (Some(qualification), Some(awarding_body), Some(accredited_on)) => {
                Some(Accreditation {
                    qualification,
                    level: r.level.unwrap_or_default(),
                    awarding_body,
                    accredited_on,
                })
            }
            _ => None,
        };
        Ok(Researcher {
            id: r.id,
            programme_id: ProgrammeId(r.programme_id),
            draft: ResearcherDraft {
                full_name: r.full_name.unwrap_or_default(),
                email: r.email,
                postcode: r.postcode,
                channel: parse_or("channel", &r.channel, Channel::parse)?,
                recruited_on: r.recruited_on,
                languages: split(r.languages.as_deref().unwrap_or("")),
                lawful_basis: parse_or("lawful basis", &r.lawful_basis, LawfulBasis::parse)?,
                consent_given_on: r.consent_given_on,
                training: Vec::new(),
                accreditation,
                account_email: r.account_email,
            },
            user_id: r.user_id.map(UserId),
            area_code: r.area_code,
            decile: r.decile.map(|d| d.clamp(0, 10) as u8),
            erased_at: r.erased_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: Uuid,
    title: String,
    commissioner_kind: String,
    commissioner: String,
    question: String,
    method: String,
    status: String,
    budget: Option<i64>,
    findings: String,
    approved_minutes: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<ProjectRow> for Project {
    type Error = StoreError;
    fn try_from(r: ProjectRow) -> Result<Project> {
        Ok(Project {
            id: r.id,
            draft: ProjectDraft {
                title: r.title,
                commissioner_kind: parse_or(
                    "commissioner",
                    &r.commissioner_kind,
                    Commissioner::parse,
                )?,
                commissioner: r.commissioner,
                question: r.question,
                method: r.method,
                status: parse_or("project status", &r.status, ProjectStatus::parse)?,
                budget: r.budget,
                findings: r.findings,
            },
            approved_minutes: r.approved_minutes.max(0) as u64,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const PROJECT_SELECT: &str = "SELECT p.id, p.title, p.commissioner_kind, p.commissioner, p.question, p.method, \
     p.status, p.budget, p.findings, \
     CAST((SELECT COALESCE(SUM(t.minutes), 0) FROM research_time t \
        WHERE t.programme_id = p.programme_id AND t.project_id = p.id AND t.status = 'approved') AS BIGINT) AS approved_minutes, \
     p.created_at, p.updated_at FROM research_projects p";

#[derive(sqlx::FromRow)]
struct TimeRow {
    id: Uuid,
    researcher_id: Uuid,
    researcher_name: Option<String>,
    project_id: Uuid,
    project_title: String,
    worked_on: Date,
    minutes: i64,
    note: String,
    status: String,
    decided_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
}

impl TryFrom<TimeRow> for TimeEntry {
    type Error = StoreError;
    fn try_from(r: TimeRow) -> Result<TimeEntry> {
        Ok(TimeEntry {
            id: r.id,
            researcher_id: r.researcher_id,
            researcher_name: r.researcher_name,
            project_id: r.project_id,
            project_title: r.project_title,
            worked_on: r.worked_on,
            minutes: r.minutes.clamp(0, 24 * 60) as u32,
            note: r.note,
            status: parse_or("time status", &r.status, TimeStatus::parse)?,
            decided_at: r.decided_at,
            created_at: r.created_at,
        })
    }
}

const TIME_SELECT: &str = "SELECT t.id, t.researcher_id, r.full_name AS researcher_name, t.project_id, \
     p.title AS project_title, t.worked_on, t.minutes, t.note, t.status, t.decided_at, t.created_at \
     FROM research_time t \
     JOIN research_researchers r ON r.programme_id = t.programme_id AND r.id = t.researcher_id \
     JOIN research_projects p ON p.programme_id = t.programme_id AND p.id = t.project_id";

/// The fields a draft fills, for the audit summary (never their values).
fn filled_fields(d: &ResearcherDraft) -> String {
    let mut v = vec!["full_name", "channel", "recruited_on", "lawful_basis"];
    for (name, set) in [
        ("email", d.email.is_some()),
        ("postcode", d.postcode.is_some()),
        ("languages", !d.languages.is_empty()),
        ("consent_given_on", d.consent_given_on.is_some()),
        ("training", !d.training.is_empty()),
        ("accreditation", d.accreditation.is_some()),
        ("account_email", d.account_email.is_some()),
    ] {
        if set {
            v.push(name);
        }
    }
    format!("fields: {}", v.join(", "))
}

/// The fields a draft fills, as codes for the audit message.
fn field_codes(d: &ResearcherDraft) -> Vec<String> {
    filled_fields(d)
        .trim_start_matches("fields: ")
        .split(", ")
        .map(String::from)
        .collect()
}

async fn load_researcher(
    conn: &mut Conn,
    programme: ProgrammeId,
    reach: Reach,
    id: Uuid,
) -> Result<Researcher> {
    let row = sqlx::query_as::<Db, ResearcherRow>(sqlf!(
        "SELECT {RESEARCHER_COLUMNS} FROM research_researchers \
         WHERE programme_id = $1 AND id = $2 AND ($3 IS NULL OR user_id = $3)"
    ))
    .bind(programme.0)
    .bind(id)
    .bind(reach.user())
    .fetch_optional(&mut *conn)
    .await?;
    let mut r = [Researcher::try_from(row.ok_or(StoreError::NotFound)?)?];
    with_training(conn, programme, &mut r).await?;
    let [r] = r;
    Ok(r)
}

async fn write_researcher(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: Uuid,
    c: &ResearcherChange,
    insert: bool,
) -> Result<()> {
    let d = &c.draft;
    let a = d.accreditation.as_ref();
    let now = clock::now();
    let sql = if insert {
        "INSERT INTO research_researchers (programme_id, id, user_id, full_name, email, postcode, area_code, \
         decile, channel, recruited_on, languages, lawful_basis, consent_given_on, qualification, \
         level, awarding_body, accredited_on, account_email, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)"
    } else {
        "UPDATE research_researchers SET user_id = $3, full_name = $4, email = $5, postcode = $6, area_code = $7, \
         decile = $8, channel = $9, recruited_on = $10, languages = $11, lawful_basis = $12, \
         consent_given_on = $13, qualification = $14, level = $15, awarding_body = $16, \
         accredited_on = $17, account_email = $18, updated_at = $19 WHERE programme_id = $1 AND id = $2"
    };
    sqlx::query::<Db>(sql)
        .bind(programme.0)
        .bind(id)
        .bind(c.user.map(|u| u.0))
        .bind(&d.full_name)
        .bind(d.email.as_deref())
        .bind(d.postcode.as_deref())
        .bind(c.area_code.as_deref())
        .bind(c.decile.map(i64::from))
        .bind(d.channel.slug())
        .bind(d.recruited_on)
        .bind(d.languages.join("\n"))
        .bind(d.lawful_basis.slug())
        .bind(d.consent_given_on)
        .bind(a.map(|a| a.qualification.as_str()))
        .bind(a.map(|a| a.level.as_str()))
        .bind(a.map(|a| a.awarding_body.as_str()))
        .bind(a.map(|a| a.accredited_on))
        .bind(d.account_email.as_deref())
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::unique_as(
            "account_email",
            "research.researcher.account_taken",
        ))?;
    // The training completions, replaced whole in the same transaction.
    sqlx::query::<Db>(
        "DELETE FROM research_training WHERE programme_id = $1 AND researcher_id = $2",
    )
    .bind(programme.0)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for (i, c) in d.training.iter().enumerate() {
        sqlx::query::<Db>(
            "INSERT INTO research_training (programme_id, researcher_id, position, module, completed_on) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(programme.0)
        .bind(id)
        .bind(i as i64)
        .bind(&c.module)
        .bind(c.completed_on)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Fills the researchers' training completions (one statement for all).
async fn with_training(
    conn: &mut Conn,
    programme: ProgrammeId,
    researchers: &mut [Researcher],
) -> Result<()> {
    if researchers.is_empty() {
        return Ok(());
    }
    let one = (researchers.len() == 1).then(|| researchers[0].id);
    let rows = sqlx::query_as::<Db, (Uuid, String, Option<Date>)>(
        "SELECT researcher_id, module, completed_on FROM research_training \
         WHERE programme_id = $1 AND ($2 IS NULL OR researcher_id = $2) \
         ORDER BY researcher_id, position",
    )
    .bind(programme.0)
    .bind(one)
    .fetch_all(&mut *conn)
    .await?;
    let mut by: std::collections::HashMap<Uuid, Vec<Completion>> = std::collections::HashMap::new();
    for (r, module, completed_on) in rows {
        by.entry(r).or_default().push(Completion {
            module,
            completed_on,
        });
    }
    for r in researchers.iter_mut() {
        r.draft.training = by.remove(&r.id).unwrap_or_default();
    }
    Ok(())
}

async fn load_time(conn: &mut Conn, programme: ProgrammeId, id: Uuid) -> Result<TimeEntry> {
    let row = sqlx::query_as::<Db, TimeRow>(sqlf!(
        "{TIME_SELECT} WHERE t.programme_id = $1 AND t.id = $2"
    ))
    .bind(programme.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

async fn load_project(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: Uuid,
) -> Result<Option<Project>> {
    sqlx::query_as::<Db, ProjectRow>(sqlf!(
        "{PROJECT_SELECT} WHERE p.programme_id = $1 AND p.id = $2"
    ))
    .bind(programme.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(Project::try_from)
    .transpose()
}

fn pay_from_parts(p: PayFrom) -> (&'static str, String) {
    match p {
        PayFrom::Announcement => ("announcement", String::new()),
        PayFrom::FoundationDeadline => ("foundation_deadline", String::new()),
        PayFrom::DayOfYear { month, day } => ("day_of_year", format!("{day}/{}", month as u8)),
    }
}

fn pay_from_of(kind: &str, day: &str) -> Result<PayFrom> {
    match kind {
        "announcement" => Ok(PayFrom::Announcement),
        "foundation_deadline" => Ok(PayFrom::FoundationDeadline),
        "day_of_year" => day
            .split_once('/')
            .and_then(|(d, m)| {
                let day: u8 = d.parse().ok()?;
                let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
                Some(PayFrom::DayOfYear { month, day })
            })
            .ok_or_else(|| decode_err("pay from day", day)),
        other => Err(decode_err("pay from", other)),
    }
}

#[async_trait]
impl ResearchStore for ThisStore {
    async fn create_researcher(
        &self,
        programme: ProgrammeId,
        change: &ResearcherChange,
        actor: &Actor,
    ) -> Result<Researcher> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let id = Uuid::now_v7();
        write_researcher(&mut tx, programme, id, change, true).await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Create,
            "research_researcher",
            Some(id),
            filled_fields(&change.draft),
        )
        .said(
            AuditMessage::new("audit.msg.researcher_added")
                .codes("fields", field_codes(&change.draft)),
        );
        audit(&mut tx, &e).await?;
        let r = load_researcher(&mut tx, programme, Reach::All, id).await?;
        tx.commit().await?;
        Ok(r)
    }

    async fn update_researcher(
        &self,
        programme: ProgrammeId,
        reach: Reach,
        id: Uuid,
        change: &ResearcherChange,
        actor: &Actor,
    ) -> Result<Researcher> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let before = load_researcher(&mut tx, programme, reach, id).await?;
        if before.erased_at.is_some() {
            return Err(StoreError::conflict("id", "research.researcher.erased"));
        }
        write_researcher(&mut tx, programme, id, change, false).await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Update,
            "research_researcher",
            Some(id),
            filled_fields(&change.draft),
        )
        .said(
            AuditMessage::new("audit.msg.researcher_changed")
                .codes("fields", field_codes(&change.draft)),
        );
        audit(&mut tx, &e).await?;
        let r = load_researcher(&mut tx, programme, Reach::All, id).await?;
        tx.commit().await?;
        Ok(r)
    }

    async fn researcher(
        &self,
        programme: ProgrammeId,
        reach: Reach,
        id: Uuid,
        purpose: ReadPurpose,
        actor: &Actor,
    ) -> Result<Researcher> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let r = load_researcher(&mut tx, programme, reach, id).await?;
        let (action, summary, key) = match purpose {
            ReadPurpose::View => (
                AuditAction::Read,
                "researcher record",
                "audit.msg.researcher_read",
            ),
            ReadPurpose::Export => (
                AuditAction::Export,
                "subject access export",
                "audit.msg.researcher_exported",
            ),
        };
        let e = entry(
            actor,
            programme,
            action,
            "research_researcher",
            Some(id),
            summary.into(),
        )
        .said(AuditMessage::new(key));
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(r)
    }

    async fn researcher_of_user(
        &self,
        programme: ProgrammeId,
        user: UserId,
        actor: &Actor,
    ) -> Result<Option<Researcher>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let row = sqlx::query_as::<Db, ResearcherRow>(sqlf!(
            "SELECT {RESEARCHER_COLUMNS} FROM research_researchers \
             WHERE programme_id = $1 AND user_id = $2 AND erased_at IS NULL"
        ))
        .bind(programme.0)
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await?;
        let mut r = row.map(Researcher::try_from).transpose()?;
        if let Some(one) = r.as_mut() {
            with_training(&mut tx, programme, std::slice::from_mut(one)).await?;
        }
        if let Some(r) = &r {
            let e = entry(
                actor,
                programme,
                AuditAction::Read,
                "research_researcher",
                Some(r.id),
                "own record".into(),
            )
            .said(AuditMessage::new("audit.msg.researcher_own_read"));
            audit(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(r)
    }

    async fn list_researchers(
        &self,
        programme: ProgrammeId,
        reach: Reach,
        params: &ResearcherParams,
        page: PageRequest,
        actor: &Actor,
    ) -> Result<Page<Researcher>> {
        let pattern = like_pattern(params.search());
        let counted = params.counted();
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let total: i64 = sqlx::query_scalar::<Db, i64>(sqlf!(
            "SELECT COUNT(*) FROM research_researchers WHERE {RESEARCHER_FILTER}"
        ))
        .bind(programme.0)
        .bind(reach.user())
        .bind(pattern.as_deref())
        .bind(params.accredited())
        .bind(params.channel().map(|c| c.slug()))
        .bind(counted.map(|c| c.indicator.slug()))
        .bind(counted.and_then(|c| c.period.from))
        .bind(counted.and_then(|c| c.period.to))
        .fetch_one(&mut *tx)
        .await?;
        let rows = sqlx::query_as::<Db, ResearcherRow>(sqlf!(
            "SELECT {RESEARCHER_COLUMNS} FROM research_researchers WHERE {RESEARCHER_FILTER} \
             ORDER BY full_name, id LIMIT $9 OFFSET $10"
        ))
        .bind(programme.0)
        .bind(reach.user())
        .bind(pattern.as_deref())
        .bind(params.accredited())
        .bind(params.channel().map(|c| c.slug()))
        .bind(counted.map(|c| c.indicator.slug()))
        .bind(counted.and_then(|c| c.period.from))
        .bind(counted.and_then(|c| c.period.to))
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&mut *tx)
        .await?;
        let mut items: Vec<Researcher> = rows
            .into_iter()
            .map(Researcher::try_from)
            .collect::<Result<_>>()?;
        with_training(&mut tx, programme, &mut items).await?;
        if !items.is_empty() {
            let e = entry(
                actor,
                programme,
                AuditAction::Read,
                "research_researcher",
                None,
                format!("list of {} researchers", items.len()),
            )
            .said(
                AuditMessage::new("audit.msg.researchers_listed")
                    .number("count", items.len() as u64),
            );
            audit(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(Page {
            items,
            total: total as u64,
            page: page.page,
            per_page: page.per_page,
        })
    }

    async fn erase_researcher(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let r = load_researcher(&mut tx, programme, Reach::All, id).await?;
        if r.erased_at.is_some() {
            return Ok(());
        }
        let now = clock::now();
        sqlx::query::<Db>(
            "UPDATE research_researchers SET full_name = NULL, email = NULL, postcode = NULL, area_code = NULL, \
             languages = NULL, consent_given_on = NULL, account_email = NULL, user_id = NULL, \
             erased_at = $3, updated_at = $3 WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query::<Db>(
            "UPDATE research_time SET note = '' WHERE programme_id = $1 AND researcher_id = $2",
        )
        .bind(programme.0)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        // Stories about the researcher go with their name (issue 20).
        sqlx::query::<Db>(
            "DELETE FROM programme_stories WHERE programme_id = $1 AND researcher_id = $2",
        )
        .bind(programme.0)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Erase,
            "research_researcher",
            Some(id),
            "personal data erased".into(),
        )
        .said(AuditMessage::new("audit.msg.researcher_erased"));
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn researcher_facts(&self, programme: ProgrammeId) -> Result<Vec<ResearcherFact>> {
        let rows = sqlx::query_as::<Db, (String, Option<i64>, bool, bool)>(
            "SELECT channel, decile, accredited_on IS NOT NULL, erased_at IS NOT NULL \
             FROM research_researchers WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(c, d, a, e)| {
                Ok(ResearcherFact {
                    channel: parse_or("channel", &c, Channel::parse)?,
                    decile: d.map(|d| d.clamp(0, 10) as u8),
                    accredited: a,
                    erased: e,
                })
            })
            .collect()
    }

    async fn save_project(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        d: &ProjectDraft,
        actor: &Actor,
    ) -> Result<Project> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let now = clock::now();
        let (pid, action) = match id {
            Some(pid) => {
                if load_project(&mut tx, programme, pid).await?.is_none() {
                    return Err(StoreError::NotFound);
                }
                (pid, AuditAction::Update)
            }
            None => (Uuid::now_v7(), AuditAction::Create),
        };
        let sql = if id.is_some() {
            "UPDATE research_projects SET title = $3, commissioner_kind = $4, commissioner = $5, question = $6, \
             method = $7, status = $8, budget = $9, findings = $10, updated_at = $11 \
             WHERE programme_id = $1 AND id = $2"
        } else {
            "INSERT INTO research_projects (programme_id, id, title, commissioner_kind, commissioner, question, \
             method, status, budget, findings, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)"
        };
        sqlx::query::<Db>(sql)
            .bind(programme.0)
            .bind(pid)
            .bind(&d.title)
            .bind(d.commissioner_kind.slug())
            .bind(&d.commissioner)
            .bind(&d.question)
            .bind(&d.method)
            .bind(d.status.slug())
            .bind(d.budget)
            .bind(&d.findings)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique_as(
                "title",
                "research.project.title_taken",
            ))?;
        let e = entry(
            actor,
            programme,
            action,
            "research_project",
            Some(pid),
            d.title.clone(),
        )
        .said(
            AuditMessage::new(if action == AuditAction::Create {
                "audit.msg.project_added"
            } else {
                "audit.msg.project_changed"
            })
            .text("title", &d.title),
        );
        audit(&mut tx, &e).await?;
        let p = load_project(&mut tx, programme, pid)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(p)
    }

    async fn projects(&self, programme: ProgrammeId) -> Result<Vec<Project>> {
        sqlx::query_as::<Db, ProjectRow>(sqlf!(
            "{PROJECT_SELECT} WHERE p.programme_id = $1 ORDER BY p.created_at DESC, p.id DESC"
        ))
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Project::try_from)
        .collect()
    }

    async fn project(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Project>> {
        let mut conn = self.pool.acquire().await?;
        load_project(&mut conn, programme, id).await
    }

    async fn add_time(
        &self,
        programme: ProgrammeId,
        researcher: Uuid,
        d: &TimeDraft,
        actor: &Actor,
    ) -> Result<TimeEntry> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let id = Uuid::now_v7();
        sqlx::query::<Db>(
            "INSERT INTO research_time (programme_id, id, researcher_id, project_id, worked_on, minutes, note, \
             status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8)",
        )
        .bind(programme.0)
        .bind(id)
        .bind(researcher)
        .bind(d.project)
        .bind(d.worked_on)
        .bind(i64::from(d.minutes))
        .bind(&d.note)
        .bind(clock::now())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::unique_as(
            "worked_on",
            "research.time.already_entered",
        ))?;
        let e = entry(
            actor,
            programme,
            AuditAction::Create,
            "research_time",
            Some(id),
            format!("{} minutes on {}", d.minutes, d.worked_on),
        )
        .said(
            AuditMessage::new("audit.msg.time_entered")
                .counted("minutes", "minute", u64::from(d.minutes))
                .date("on", d.worked_on),
        );
        audit(&mut tx, &e).await?;
        let t = load_time(&mut tx, programme, id).await?;
        tx.commit().await?;
        Ok(t)
    }

    async fn time_entries(
        &self,
        programme: ProgrammeId,
        reach: Reach,
        q: &TimeQuery,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<TimeEntry>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let rows = sqlx::query_as::<Db, TimeRow>(sqlf!(
            "{TIME_SELECT} WHERE t.programme_id = $1 AND ($2 IS NULL OR r.user_id = $2) \
             AND ($3 IS NULL OR t.researcher_id = $3) AND ($4 IS NULL OR t.project_id = $4) \
             AND ($5 IS NULL OR t.status = $5) AND ($6 IS NULL OR t.worked_on >= $6) \
             AND ($7 IS NULL OR t.worked_on <= $7) \
             ORDER BY t.worked_on, t.id"
        ))
        .bind(programme.0)
        .bind(reach.user())
        .bind(q.researcher)
        .bind(q.project)
        .bind(q.status.map(|s| s.slug()))
        .bind(q.from)
        .bind(q.to)
        .fetch_all(&mut *tx)
        .await?;
        let items: Vec<TimeEntry> = rows
            .into_iter()
            .map(TimeEntry::try_from)
            .collect::<Result<_>>()?;
        if !items.is_empty() {
            let e = entry(
                actor,
                programme,
                AuditAction::Read,
                "research_time",
                None,
                format!("{purpose}: {} entries", items.len()),
            )
            .said(AuditMessage::new("audit.msg.time_listed").number("count", items.len() as u64));
            audit(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(items)
    }

    async fn decide_time(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        status: TimeStatus,
        actor: &Actor,
    ) -> Result<TimeEntry> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let before = load_time(&mut tx, programme, id).await?;
        if before.status != TimeStatus::Submitted {
            return Err(StoreError::conflict("id", "research.time.already_decided"));
        }
        sqlx::query::<Db>(
            "UPDATE research_time SET status = $3, decided_at = $4 WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(id)
        .bind(status.slug())
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Update,
            "research_time",
            Some(id),
            status.slug().into(),
        )
        .said(
            AuditMessage::new("audit.msg.time_decided")
                .word("status", format!("research.time.status.{}", status.slug())),
        );
        audit(&mut tx, &e).await?;
        let t = load_time(&mut tx, programme, id).await?;
        tx.commit().await?;
        Ok(t)
    }

    async fn pay_rule(&self, programme: ProgrammeId) -> Result<Option<PayRule>> {
        let row = sqlx::query_as::<Db, (String, String, String)>(
            "SELECT scheme, pay_from, from_day FROM research_settings WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(s, p, d)| {
            Ok(PayRule {
                scheme: parse_or("scheme", &s, Scheme::from_slug)?,
                pay_from: pay_from_of(&p, &d)?,
            })
        })
        .transpose()
    }

    async fn save_pay_rule(
        &self,
        programme: ProgrammeId,
        rule: PayRule,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let (kind, day) = pay_from_parts(rule.pay_from);
        sqlx::query::<Db>(
            "INSERT INTO research_settings (programme_id, scheme, pay_from, from_day) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (programme_id) DO UPDATE SET scheme = $2, pay_from = $3, from_day = $4",
        )
        .bind(programme.0)
        .bind(rule.scheme.slug())
        .bind(kind)
        .bind(&day)
        .execute(&mut *tx)
        .await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Update,
            "research_settings",
            None,
            format!("pay rule: {} {kind} {day}", rule.scheme.slug()),
        )
        .said(AuditMessage::new("audit.msg.pay_rule_changed"));
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }
}
