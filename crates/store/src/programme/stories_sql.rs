// Stories and the report's texts in SQL both backends understand. Compiled
// into `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::programme::report::ReportTexts;
use useit_core::programme::stories::{
    Consent, ConsentMethod, Story, StoryDraft, StoryFilter, Subject,
};
use useit_core::validation::Invalid;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::programme::stories::StoryStore;
use crate::talent::{decode_err, parse_or};
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

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
        "programme_story",
        id.map(|i| i.to_string()),
        summary,
    )
}

#[derive(sqlx::FromRow)]
struct StoryRow {
    id: Uuid,
    title: String,
    shown_as: String,
    body: String,
    told_on: Date,
    subject_kind: String,
    person_id: Option<Uuid>,
    researcher_id: Option<Uuid>,
    organisation_id: Option<Uuid>,
    consent_given_on: Date,
    consent_method: String,
    consent_note: String,
    consent_recorded_by: String,
    subject_name: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<StoryRow> for Story {
    type Error = StoreError;
    fn try_from(r: StoryRow) -> Result<Story> {
        let id = r
            .person_id
            .or(r.researcher_id)
            .or(r.organisation_id)
            .ok_or_else(|| decode_err("story subject", "missing"))?;
        Ok(Story {
            id: r.id,
            draft: StoryDraft {
                title: r.title,
                shown_as: r.shown_as,
                body: r.body,
                told_on: r.told_on,
                subject: parse_or("story subject", &r.subject_kind, |k| Subject::of(k, id))?,
                consent: Consent {
                    given_on: r.consent_given_on,
                    method: parse_or("consent method", &r.consent_method, ConsentMethod::parse)?,
                    note: r.consent_note,
                },
            },
            subject_name: r.subject_name,
            consent_recorded_by: r.consent_recorded_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// Only stories whose consent stands: the one place every read goes through.
const STORY_SELECT: &str = "SELECT s.id, s.title, s.shown_as, s.body, s.told_on, s.subject_kind, \
     s.person_id, s.researcher_id, s.organisation_id, s.consent_given_on, s.consent_method, \
     s.consent_note, s.consent_recorded_by, \
     COALESCE(p.full_name, r.full_name, o.name, '') AS subject_name, s.created_at, s.updated_at \
     FROM programme_stories s \
     LEFT JOIN talent_people p ON p.programme_id = s.programme_id AND p.id = s.person_id \
     LEFT JOIN research_researchers r ON r.programme_id = s.programme_id AND r.id = s.researcher_id \
     LEFT JOIN organisations o ON o.programme_id = s.programme_id AND o.id = s.organisation_id \
     WHERE s.programme_id = $1 AND s.consent_withdrawn_on IS NULL";

async fn load(conn: &mut Conn, programme: ProgrammeId, id: Uuid) -> Result<Story> {
    sqlx::query_as::<Db, StoryRow>(sqlf!("{STORY_SELECT} AND s.id = $2"))
        .bind(programme.0)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(Story::try_from)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

/// The subject must be this programme's, and a person or researcher must
/// not have been erased.
async fn require_subject(conn: &mut Conn, programme: ProgrammeId, s: Subject) -> Result<()> {
    let sql = match s {
        Subject::Person(_) => {
            "SELECT COUNT(*) FROM talent_people WHERE programme_id = $1 AND id = $2 AND erased_at IS NULL"
        }
        Subject::Researcher(_) => {
            "SELECT COUNT(*) FROM research_researchers WHERE programme_id = $1 AND id = $2 AND erased_at IS NULL"
        }
        Subject::Organisation(_) => {
            "SELECT COUNT(*) FROM organisations WHERE programme_id = $1 AND id = $2"
        }
    };
    let n: i64 = sqlx::query_scalar::<Db, i64>(sql)
        .bind(programme.0)
        .bind(s.id())
        .fetch_one(&mut *conn)
        .await?;
    if n == 0 {
        return Err(StoreError::Unknown(Invalid::one(
            "subject_id",
            Message::new("stories.unknown_subject"),
        )));
    }
    Ok(())
}

fn subject_ids(s: Subject) -> (Option<Uuid>, Option<Uuid>, Option<Uuid>) {
    match s {
        Subject::Person(i) => (Some(i), None, None),
        Subject::Researcher(i) => (None, Some(i), None),
        Subject::Organisation(i) => (None, None, Some(i)),
    }
}

async fn write_story(
    tx: &mut Conn,
    programme: ProgrammeId,
    id: Option<Uuid>,
    d: &StoryDraft,
    actor: &Actor,
) -> Result<Uuid> {
    require_subject(&mut *tx, programme, d.subject).await?;
    let now = clock::now();
    let mut recorder = actor.user_id.map(|u| u.0);
    let mut recorded_by = actor.label.clone();
    let (person, researcher, organisation) = subject_ids(d.subject);
    let (sid, action, summary) = match id {
        Some(sid) => {
            let before = load(&mut *tx, programme, sid).await?;
            let consent_changed = before.draft.consent != d.consent;
            if !consent_changed {
                // The consent stands as recorded, by whoever recorded it.
                recorded_by = before.consent_recorded_by;
                recorder = sqlx::query_scalar::<Db, Option<Uuid>>(
                    "SELECT consent_recorder_id FROM programme_stories \
                         WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(sid)
                .fetch_one(&mut *tx)
                .await?;
            }
            (
                sid,
                "UPDATE programme_stories SET title = $3, shown_as = $4, body = $5, told_on = $6, \
                     subject_kind = $7, person_id = $8, researcher_id = $9, organisation_id = $10, \
                     consent_given_on = $11, consent_method = $12, consent_note = $13, \
                     consent_recorded_by = $14, consent_recorder_id = $15, updated_at = $16 \
                     WHERE programme_id = $1 AND id = $2",
                if consent_changed {
                    "story and its consent changed"
                } else {
                    "story changed"
                },
            )
        }
        None => (
            Uuid::now_v7(),
            "INSERT INTO programme_stories (programme_id, id, title, shown_as, body, told_on, \
                 subject_kind, person_id, researcher_id, organisation_id, consent_given_on, \
                 consent_method, consent_note, consent_recorded_by, consent_recorder_id, \
                 created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)",
            "story added with consent",
        ),
    };
    sqlx::query::<Db>(action)
        .bind(programme.0)
        .bind(sid)
        .bind(&d.title)
        .bind(&d.shown_as)
        .bind(&d.body)
        .bind(d.told_on)
        .bind(d.subject.kind())
        .bind(person)
        .bind(researcher)
        .bind(organisation)
        .bind(d.consent.given_on)
        .bind(d.consent.method.slug())
        .bind(&d.consent.note)
        .bind(&recorded_by)
        .bind(recorder)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let audit_action = if id.is_some() {
        AuditAction::Update
    } else {
        AuditAction::Create
    };
    audit(
        &mut *tx,
        &entry(
            actor,
            programme,
            audit_action,
            Some(sid),
            format!("{summary}: about a {}", d.subject.kind()),
        )
        .said(
            AuditMessage::new(match summary {
                "story added with consent" => "audit.msg.story_added",
                "story and its consent changed" => "audit.msg.story_consent_changed",
                _ => "audit.msg.story_changed",
            })
            .word("about", format!("audit.story_about.{}", d.subject.kind())),
        ),
    )
    .await?;
    Ok(sid)
}

#[async_trait]
impl StoryStore for ThisStore {
    async fn save_story(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        d: &StoryDraft,
        actor: &Actor,
    ) -> Result<Story> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let sid = write_story(&mut tx, programme, id, d, actor).await?;
        let story = load(&mut tx, programme, sid).await?;
        tx.commit().await?;
        Ok(story)
    }

    async fn save_stories(
        &self,
        programme: ProgrammeId,
        rows: &[(Option<Uuid>, StoryDraft)],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        for (id, d) in rows {
            write_story(&mut tx, programme, *id, d, actor).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn missing_subjects(
        &self,
        programme: ProgrammeId,
        subjects: &[Subject],
    ) -> Result<Vec<Subject>> {
        let mut conn = self.pool.acquire().await?;
        let mut missing = Vec::new();
        for s in subjects {
            match require_subject(&mut conn, programme, *s).await {
                Ok(()) => {}
                Err(StoreError::Unknown(_)) => missing.push(*s),
                Err(e) => return Err(e),
            }
        }
        Ok(missing)
    }

    async fn stories(
        &self,
        programme: ProgrammeId,
        filter: &StoryFilter,
        action: AuditAction,
        purpose: &str,
        actor: &Actor,
    ) -> Result<Vec<Story>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut out: Vec<Story> = sqlx::query_as::<Db, StoryRow>(STORY_SELECT)
            .bind(programme.0)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(Story::try_from)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .filter(|s| filter.matches(s))
            .collect();
        filter.sort(&mut out);
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                action,
                filter.subject.map(|s| s.id()),
                format!("{purpose}: {} stories", out.len()),
            )
            .said(AuditMessage::new("audit.msg.stories_read").number("count", out.len() as u64)),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn story(&self, programme: ProgrammeId, id: Uuid, actor: &Actor) -> Result<Story> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let s = load(&mut tx, programme, id).await?;
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Read,
                Some(id),
                "story".into(),
            )
            .said(AuditMessage::new("audit.msg.story_read")),
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    async fn withdraw_story_consent(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        on: Date,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let done = sqlx::query::<Db>(
            "UPDATE programme_stories SET title = '', shown_as = '', body = '', consent_note = '', \
             consent_withdrawn_on = $3, updated_at = $4 \
             WHERE programme_id = $1 AND id = $2 AND consent_withdrawn_on IS NULL",
        )
        .bind(programme.0)
        .bind(id)
        .bind(on)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Update,
                Some(id),
                "consent withdrawn: story blanked".into(),
            )
            .said(AuditMessage::new("audit.msg.story_blanked")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn report_texts(&self, programme: ProgrammeId) -> Result<ReportTexts> {
        Ok(sqlx::query_as::<Db, (String, String, String, String)>(
            "SELECT challenge, solution, what_worked, what_did_not FROM programme_report_texts \
                 WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_optional(&self.pool)
        .await?
        .map(
            |(challenge, solution, what_worked, what_did_not)| ReportTexts {
                challenge,
                solution,
                what_worked,
                what_did_not,
            },
        )
        .unwrap_or_default())
    }

    async fn save_report_texts(
        &self,
        programme: ProgrammeId,
        t: &ReportTexts,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        sqlx::query::<Db>(
            "INSERT INTO programme_report_texts (programme_id, challenge, solution, what_worked, \
             what_did_not, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (programme_id) DO UPDATE SET challenge = excluded.challenge, \
             solution = excluded.solution, what_worked = excluded.what_worked, \
             what_did_not = excluded.what_did_not, updated_at = excluded.updated_at",
        )
        .bind(programme.0)
        .bind(&t.challenge)
        .bind(&t.solution)
        .bind(&t.what_worked)
        .bind(&t.what_did_not)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "programme_report_texts",
                None,
                String::from("the report's texts"),
            )
            .said(AuditMessage::new("audit.msg.report_texts_changed")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
