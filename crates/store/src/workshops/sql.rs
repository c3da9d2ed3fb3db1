// Workshops in SQL both backends understand. Compiled into `sqlite.rs` and
// `postgres.rs` as a module.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::workshops::guest::GuestLink;
use useit_core::workshops::lineage::{Replication, ReplicationDraft};
use useit_core::workshops::note::{Action, ActionDraft, Answer, Group, Note, NoteDraft};
use useit_core::workshops::workshop::{Question, Table, Workshop, WorkshopDraft};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::talent::{decode_err, parse_or};
use crate::workshops::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

fn entry(
    actor: &Actor,
    programme: ProgrammeId,
    action: AuditAction,
    subject: &str,
    id: Uuid,
    summary: String,
) -> AuditEntry {
    AuditEntry::new(
        actor,
        Some(programme),
        action,
        subject,
        Some(id.to_string()),
        summary,
    )
}

#[derive(sqlx::FromRow)]
struct WorkshopRow {
    id: Uuid,
    title: String,
    held_on: Date,
    place: String,
    part_of: Option<String>,
    case_study: String,
    case_study_url: Option<String>,
    rounds: i64,
    tables_json: String,
    notes: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<WorkshopRow> for Workshop {
    type Error = StoreError;
    fn try_from(r: WorkshopRow) -> Result<Workshop> {
        let tables: Vec<Table> = serde_json::from_str(&r.tables_json)
            .map_err(|e| decode_err("workshop tables", &e.to_string()))?;
        Ok(Workshop {
            id: r.id,
            draft: WorkshopDraft {
                title: r.title,
                held_on: r.held_on,
                place: r.place,
                part_of: r.part_of,
                case_study: r.case_study,
                case_study_url: r.case_study_url,
                rounds: u8::try_from(r.rounds).map_err(|_| decode_err("rounds", "out of range"))?,
                tables,
            },
            notes: u64::try_from(r.notes).unwrap_or(0),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const WORKSHOP_SELECT: &str = "SELECT w.id, w.title, w.held_on, w.place, w.part_of, w.case_study, \
     w.case_study_url, w.rounds, w.tables_json, \
     CAST((SELECT count(*) FROM workshop_notes n WHERE n.programme_id = w.programme_id \
        AND n.workshop_id = w.id) AS BIGINT) AS notes, w.created_at, w.updated_at FROM workshops w";

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: Uuid,
    table_no: Option<i64>,
    round_no: Option<i64>,
    question: String,
    body: String,
    answer: Option<String>,
    city: Option<String>,
    grouping: Option<String>,
    guest_link_id: Option<Uuid>,
    created_at: OffsetDateTime,
}

impl TryFrom<NoteRow> for Note {
    type Error = StoreError;
    fn try_from(r: NoteRow) -> Result<Note> {
        let small = |v: Option<i64>| v.and_then(|n| u8::try_from(n).ok());
        Ok(Note {
            id: r.id,
            draft: NoteDraft {
                table: small(r.table_no),
                round: small(r.round_no),
                question: parse_or("question", &r.question, Question::parse)?,
                text: r.body,
                answer: r
                    .answer
                    .map(|a| parse_or("answer", &a, Answer::parse))
                    .transpose()?,
                city: r.city,
            },
            group: r
                .grouping
                .map(|g| parse_or("group", &g, Group::parse))
                .transpose()?,
            by_guest: r.guest_link_id.is_some(),
            created_at: r.created_at,
        })
    }
}

const NOTE_SELECT: &str = "SELECT id, table_no, round_no, question, body, answer, city, grouping, \
     guest_link_id, created_at FROM workshop_notes";

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: Uuid,
    programme_id: Uuid,
    workshop_id: Uuid,
    hint: String,
    expires_at: OffsetDateTime,
    revoked_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
}

impl From<LinkRow> for GuestLink {
    fn from(r: LinkRow) -> GuestLink {
        GuestLink {
            id: r.id,
            programme_id: ProgrammeId(r.programme_id),
            workshop_id: r.workshop_id,
            hint: r.hint,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
            created_at: r.created_at,
        }
    }
}

const LINK_SELECT: &str = "SELECT id, programme_id, workshop_id, hint, expires_at, revoked_at, \
     created_at FROM workshop_guest_links";

#[derive(sqlx::FromRow)]
struct ReplicationRow {
    id: Uuid,
    name: String,
    city: String,
    modelled_on: Option<Uuid>,
    started: Option<i64>,
    note: String,
    created_at: OffsetDateTime,
}

impl From<ReplicationRow> for Replication {
    fn from(r: ReplicationRow) -> Replication {
        Replication {
            id: r.id,
            draft: ReplicationDraft {
                name: r.name,
                city: r.city,
                modelled_on: r.modelled_on,
                started: r.started.and_then(|y| i32::try_from(y).ok()),
                note: r.note,
            },
            created_at: r.created_at,
        }
    }
}

async fn load_workshop(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: Uuid,
) -> Result<Option<Workshop>> {
    sqlx::query_as::<Db, WorkshopRow>(sqlf!(
        "{WORKSHOP_SELECT} WHERE w.programme_id = $1 AND w.id = $2"
    ))
    .bind(programme.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(Workshop::try_from)
    .transpose()
}

/// `NotFound` unless the workshop is the programme's.
async fn require_workshop(conn: &mut Conn, programme: ProgrammeId, id: Uuid) -> Result<Workshop> {
    load_workshop(conn, programme, id)
        .await?
        .ok_or(StoreError::NotFound)
}

async fn load_link(
    conn: &mut Conn,
    programme: ProgrammeId,
    workshop: Uuid,
    id: Uuid,
) -> Result<GuestLink> {
    sqlx::query_as::<Db, LinkRow>(sqlf!(
        "{LINK_SELECT} WHERE programme_id = $1 AND workshop_id = $2 AND id = $3"
    ))
    .bind(programme.0)
    .bind(workshop)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(GuestLink::from)
    .ok_or(StoreError::NotFound)
}

#[async_trait]
impl WorkshopStore for ThisStore {
    async fn save_workshop(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        d: &WorkshopDraft,
        actor: &Actor,
    ) -> Result<Workshop> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let now = clock::now();
        let (wid, action) = match id {
            Some(wid) => {
                require_workshop(&mut tx, programme, wid).await?;
                (wid, AuditAction::Update)
            }
            None => (Uuid::now_v7(), AuditAction::Create),
        };
        let tables = serde_json::to_string(&d.tables)
            .map_err(|e| decode_err("workshop tables", &e.to_string()))?;
        let sql = if id.is_some() {
            "UPDATE workshops SET title = $3, held_on = $4, place = $5, part_of = $6, case_study = $7, \
             case_study_url = $8, rounds = $9, tables_json = $10, updated_at = $11 \
             WHERE programme_id = $1 AND id = $2"
        } else {
            "INSERT INTO workshops (programme_id, id, title, held_on, place, part_of, case_study, \
             case_study_url, rounds, tables_json, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)"
        };
        sqlx::query::<Db>(sql)
            .bind(programme.0)
            .bind(wid)
            .bind(&d.title)
            .bind(d.held_on)
            .bind(&d.place)
            .bind(&d.part_of)
            .bind(&d.case_study)
            .bind(&d.case_study_url)
            .bind(i64::from(d.rounds))
            .bind(tables)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique_as("title", "workshops.title_taken"))?;
        let e = entry(actor, programme, action, "workshop", wid, d.title.clone()).said(
            AuditMessage::new(if action == AuditAction::Create {
                "audit.msg.workshop_added"
            } else {
                "audit.msg.workshop_changed"
            })
            .text("title", &d.title),
        );
        audit(&mut tx, &e).await?;
        let w = require_workshop(&mut tx, programme, wid).await?;
        tx.commit().await?;
        Ok(w)
    }

    async fn workshops(&self, programme: ProgrammeId) -> Result<Vec<Workshop>> {
        sqlx::query_as::<Db, WorkshopRow>(sqlf!(
            "{WORKSHOP_SELECT} WHERE w.programme_id = $1 ORDER BY w.held_on DESC, w.id DESC"
        ))
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Workshop::try_from)
        .collect()
    }

    async fn workshop(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Workshop>> {
        let mut conn = self.pool.acquire().await?;
        load_workshop(&mut conn, programme, id).await
    }

    async fn workshop_notes(&self, programme: ProgrammeId, workshop: Uuid) -> Result<Vec<Note>> {
        sqlx::query_as::<Db, NoteRow>(sqlf!(
            "{NOTE_SELECT} WHERE programme_id = $1 AND workshop_id = $2 ORDER BY created_at, id"
        ))
        .bind(programme.0)
        .bind(workshop)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Note::try_from)
        .collect()
    }

    async fn add_workshop_note(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        d: &NoteDraft,
        guest: Option<Uuid>,
        actor: &Actor,
    ) -> Result<Note> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        require_workshop(&mut tx, programme, workshop).await?;
        let id = Uuid::now_v7();
        let group = Group::suggested(d.question);
        sqlx::query::<Db>(
            "INSERT INTO workshop_notes (programme_id, workshop_id, id, table_no, round_no, question, \
             body, answer, city, grouping, guest_link_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(programme.0)
        .bind(workshop)
        .bind(id)
        .bind(d.table.map(i64::from))
        .bind(d.round.map(i64::from))
        .bind(d.question.slug())
        .bind(&d.text)
        .bind(d.answer.map(|a| a.slug()))
        .bind(&d.city)
        .bind(group.map(|g| g.slug()))
        .bind(guest)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        let where_ = match (d.table, d.round) {
            (Some(t), Some(r)) => format!("table {t}, round {r}"),
            _ => "individual reflection".into(),
        };
        let e = entry(
            actor,
            programme,
            AuditAction::Create,
            "workshop_note",
            id,
            format!("{where_}: {}", d.question.slug()),
        )
        .said(
            match (d.table, d.round) {
                (Some(t), Some(r)) => AuditMessage::new("audit.msg.note_at_table")
                    .number("table", u64::from(t))
                    .number("round", u64::from(r)),
                _ => AuditMessage::new("audit.msg.note_reflection"),
            }
            .word("question", d.question.label_key()),
        );
        audit(&mut tx, &e).await?;
        let n = sqlx::query_as::<Db, NoteRow>(sqlf!(
            "{NOTE_SELECT} WHERE programme_id = $1 AND id = $2"
        ))
        .bind(programme.0)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        n.try_into()
    }

    async fn group_workshop_notes(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        groups: &[(Uuid, Option<Group>)],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        require_workshop(&mut tx, programme, workshop).await?;
        let mut changed = 0u64;
        for (id, g) in groups {
            let done = sqlx::query::<Db>(
                "UPDATE workshop_notes SET grouping = $4 \
                 WHERE programme_id = $1 AND workshop_id = $2 AND id = $3",
            )
            .bind(programme.0)
            .bind(workshop)
            .bind(id)
            .bind(g.map(|g| g.slug()))
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            changed += 1;
        }
        let e = entry(
            actor,
            programme,
            AuditAction::Update,
            "workshop",
            workshop,
            format!("{changed} notes grouped"),
        )
        .said(AuditMessage::new("audit.msg.notes_grouped").number("count", changed));
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn workshop_actions(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
    ) -> Result<Vec<Action>> {
        let rows = sqlx::query_as::<Db, (Uuid, String, String, String, OffsetDateTime)>(
            "SELECT id, action, owner, city, created_at FROM workshop_actions \
             WHERE programme_id = $1 AND workshop_id = $2 ORDER BY created_at, id",
        )
        .bind(programme.0)
        .bind(workshop)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, action, owner, city, created_at)| Action {
                id,
                draft: ActionDraft {
                    action,
                    owner,
                    city,
                },
                created_at,
            })
            .collect())
    }

    async fn add_workshop_action(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        d: &ActionDraft,
        actor: &Actor,
    ) -> Result<Action> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        require_workshop(&mut tx, programme, workshop).await?;
        let id = Uuid::now_v7();
        let now = clock::now();
        sqlx::query::<Db>(
            "INSERT INTO workshop_actions (programme_id, workshop_id, id, action, owner, city, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(programme.0)
        .bind(workshop)
        .bind(id)
        .bind(&d.action)
        .bind(&d.owner)
        .bind(&d.city)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Create,
            "workshop_action",
            id,
            format!("{} ({})", d.owner, d.city),
        )
        .said(
            AuditMessage::new("audit.msg.workshop_action_added")
                .text("owner", &d.owner)
                .text("city", &d.city),
        );
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(Action {
            id,
            draft: d.clone(),
            created_at: now,
        })
    }

    async fn remove_workshop_action(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let done = sqlx::query::<Db>(
            "DELETE FROM workshop_actions WHERE programme_id = $1 AND workshop_id = $2 AND id = $3",
        )
        .bind(programme.0)
        .bind(workshop)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let e = entry(
            actor,
            programme,
            AuditAction::Delete,
            "workshop_action",
            id,
            "action removed".into(),
        )
        .said(AuditMessage::new("audit.msg.workshop_action_removed"));
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_guest_link(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        link: &NewGuestLink,
        actor: &Actor,
    ) -> Result<GuestLink> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        require_workshop(&mut tx, programme, workshop).await?;
        let id = Uuid::now_v7();
        sqlx::query::<Db>(
            "INSERT INTO workshop_guest_links (programme_id, workshop_id, id, token_hash, hint, \
             expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(programme.0)
        .bind(workshop)
        .bind(id)
        .bind(&link.token_hash)
        .bind(&link.hint)
        .bind(clock::truncate(link.expires_at))
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        let e = entry(
            actor,
            programme,
            AuditAction::Create,
            "workshop_guest_link",
            id,
            format!("open until {}", clock::rfc3339(link.expires_at)),
        )
        .said(AuditMessage::new("audit.msg.guest_link_made").date("until", link.expires_at.date()));
        audit(&mut tx, &e).await?;
        let l = load_link(&mut tx, programme, workshop, id).await?;
        tx.commit().await?;
        Ok(l)
    }

    async fn guest_links(&self, programme: ProgrammeId, workshop: Uuid) -> Result<Vec<GuestLink>> {
        Ok(sqlx::query_as::<Db, LinkRow>(sqlf!(
            "{LINK_SELECT} WHERE programme_id = $1 AND workshop_id = $2 ORDER BY created_at DESC, id DESC"
        ))
        .bind(programme.0)
        .bind(workshop)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(GuestLink::from)
        .collect())
    }

    async fn revoke_guest_link(
        &self,
        programme: ProgrammeId,
        workshop: Uuid,
        id: Uuid,
        actor: &Actor,
    ) -> Result<GuestLink> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let l = load_link(&mut tx, programme, workshop, id).await?;
        if l.revoked_at.is_none() {
            sqlx::query::<Db>(
                "UPDATE workshop_guest_links SET revoked_at = $3 WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme.0)
            .bind(id)
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
            let e = entry(
                actor,
                programme,
                AuditAction::Update,
                "workshop_guest_link",
                id,
                "revoked".into(),
            )
            .said(AuditMessage::new("audit.msg.guest_link_revoked"));
            audit(&mut tx, &e).await?;
        }
        let l = load_link(&mut tx, programme, workshop, id).await?;
        tx.commit().await?;
        Ok(l)
    }

    async fn guest_link_by_hash(&self, hash: &str) -> Result<Option<GuestLink>> {
        Ok(
            sqlx::query_as::<Db, LinkRow>(sqlf!("{LINK_SELECT} WHERE token_hash = $1"))
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?
                .map(GuestLink::from),
        )
    }

    async fn replications(&self, programme: ProgrammeId) -> Result<Vec<Replication>> {
        Ok(sqlx::query_as::<Db, ReplicationRow>(
            "SELECT id, name, city, modelled_on, started, note, created_at FROM replications \
             WHERE programme_id = $1 ORDER BY created_at, id",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Replication::from)
        .collect())
    }

    async fn add_replication(
        &self,
        programme: ProgrammeId,
        d: &ReplicationDraft,
        actor: &Actor,
    ) -> Result<Replication> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let id = Uuid::now_v7();
        let now = clock::now();
        sqlx::query::<Db>(
            "INSERT INTO replications (programme_id, id, name, city, modelled_on, started, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(programme.0)
        .bind(id)
        .bind(&d.name)
        .bind(&d.city)
        .bind(d.modelled_on)
        .bind(d.started.map(i64::from))
        .bind(&d.note)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::unique_as("name", "workshops.lineage.name_taken"))?;
        let e = entry(
            actor,
            programme,
            AuditAction::Create,
            "replication",
            id,
            d.name.clone(),
        )
        .said(AuditMessage::new("audit.msg.replication_added").text("name", &d.name));
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(Replication {
            id,
            draft: d.clone(),
            created_at: now,
        })
    }
}
