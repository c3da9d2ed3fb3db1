// Talent in SQL both backends understand. Compiled into `sqlite.rs` and
// `postgres.rs` as a module.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::listing::{Page, PageRequest, like_pattern};
use useit_core::talent::casework::{
    Barrier, FunnelStage, PersonDraft, PlacementStatus, Support, WorkOutcome,
};
use useit_core::talent::pathway::{LanguageResult, StepRecord};
use useit_core::talent::results::{BarrierFact, FilledPost, FunnelFact, SavingsSettings};
use useit_core::{ProgrammeId, UserId};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::talent::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

const PERSON_COLUMNS: &str = "p.id, p.programme_id, p.caseworker_id, u.display_name AS caseworker_name, \
     p.full_name, p.email, p.phone, p.postcode, p.area_code, p.lat, p.lon, p.profession, \
     p.qualification_country, p.qualification_year, p.qualifications, p.experience_years, \
     p.right_to_work, p.available_from, p.lawful_basis, p.consent_given_on, p.consent_withdrawn_on, \
     p.stage, p.work, p.work_on, p.erased_at, p.created_at, p.updated_at";

const PERSON_FROM: &str = "talent_people p LEFT JOIN users u ON u.id = p.caseworker_id";

/// `$1` programme, `$2` caseworker restriction, `$3` search pattern,
/// `$4` profession, `$5` stage, `$6` work, `$7` caseworker filter, `$8` include erased,
/// `$9` the indicator counted (`Counted::slug`), `$10`/`$11` its period's first and
/// last day, `$12`/`$13` the same as instants (the first day's midnight and the day
/// after the last's, UTC): a record's day is its creation's when no consent day is
/// held, as `talent_indicator_facts` dates it.
const PEOPLE_FILTER: &str = "p.programme_id = $1 \
    AND ($2 IS NULL OR p.caseworker_id = $2) \
    AND ($3 IS NULL OR lower(coalesce(p.full_name, '')) LIKE $3 ESCAPE '\\' \
         OR lower(coalesce(p.email, '')) LIKE $3 ESCAPE '\\' OR lower(coalesce(p.phone, '')) LIKE $3 ESCAPE '\\' \
         OR lower(coalesce(p.postcode, '')) LIKE $3 ESCAPE '\\' OR lower(coalesce(p.qualification_country, '')) LIKE $3 ESCAPE '\\') \
    AND ($4 IS NULL OR p.profession = $4) \
    AND ($5 IS NULL OR p.stage = $5) \
    AND ($6 IS NULL OR p.work = $6) \
    AND ($7 IS NULL OR p.caseworker_id = $7) \
    AND ($8 OR p.erased_at IS NULL) \
    AND ($9 IS NULL OR ( \
        ($9 <> 'talent_on_pathway' OR p.stage <> 'engaged' OR p.work <> 'none') \
        AND ($9 <> 'talent_into_nhs' OR p.work = 'nhs') \
        AND ($9 <> 'talent_into_care' OR p.work = 'care_sector') \
        AND ($9 <> 'talent_into_work' OR p.work <> 'none') \
        AND (CASE \
            WHEN p.work_on IS NOT NULL AND $9 IN ('talent_into_nhs', 'talent_into_care', 'talent_into_work') \
            THEN ($10 IS NULL OR p.work_on >= $10) AND ($11 IS NULL OR p.work_on <= $11) \
            WHEN p.consent_given_on IS NOT NULL \
            THEN ($10 IS NULL OR p.consent_given_on >= $10) AND ($11 IS NULL OR p.consent_given_on <= $11) \
            ELSE ($12 IS NULL OR p.created_at >= $12) AND ($13 IS NULL OR p.created_at < $13) END)))";

/// The period's binds `$10`–`$13` of [`PEOPLE_FILTER`].
fn counted_period(
    q: &PeopleQuery,
) -> (
    Option<Date>,
    Option<Date>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
) {
    let midnight = |d: Date| d.midnight().assume_utc();
    (
        q.from,
        q.to,
        q.from.map(midnight),
        q.to.and_then(|d| d.next_day()).map(midnight),
    )
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: Uuid,
    programme_id: Uuid,
    caseworker_id: Option<Uuid>,
    caseworker_name: Option<String>,
    full_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    postcode: Option<String>,
    area_code: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    profession: String,
    qualification_country: Option<String>,
    qualification_year: Option<i64>,
    qualifications: Option<String>,
    experience_years: i64,
    right_to_work: Option<String>,
    available_from: Option<Date>,
    lawful_basis: String,
    consent_given_on: Option<Date>,
    consent_withdrawn_on: Option<Date>,
    stage: String,
    work: String,
    work_on: Option<Date>,
    erased_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;
    fn try_from(r: PersonRow) -> Result<Person> {
        Ok(Person {
            id: r.id,
            programme_id: ProgrammeId(r.programme_id),
            caseworker_id: r.caseworker_id.map(UserId),
            caseworker_name: r.caseworker_name,
            draft: PersonDraft {
                full_name: r.full_name.unwrap_or_default(),
                email: r.email,
                phone: r.phone,
                postcode: r.postcode,
                profession: r.profession,
                qualification_country: r.qualification_country.unwrap_or_default(),
                qualification_year: r.qualification_year.map(|y| y as i32),
                qualifications: r.qualifications.unwrap_or_default(),
                experience_years: r.experience_years.clamp(0, 255) as u8,
                right_to_work: rtw(r.right_to_work)?,
                available_from: r.available_from,
                lawful_basis: Some(basis(&r.lawful_basis)?),
                consent_given_on: r.consent_given_on,
            },
            area_code: r.area_code,
            home: r.lat.zip(r.lon),
            consent_withdrawn_on: r.consent_withdrawn_on,
            stage: parse_or("stage", &r.stage, FunnelStage::parse)?,
            work: parse_or("work", &r.work, WorkOutcome::parse)?,
            work_on: r.work_on,
            erased_at: r.erased_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PlacementRow {
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

const PLACEMENT_SELECT: &str = "SELECT pl.id, pl.person_id, p.full_name AS person_name, pl.vacancy_id, \
     v.title AS vacancy_title, pl.status, pl.score, pl.reasons, pl.started_on, pl.left_on, pl.updated_at \
     FROM talent_placements pl JOIN talent_people p ON p.id = pl.person_id \
     JOIN talent_vacancies v ON v.id = pl.vacancy_id";

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

fn caseload_user(c: Caseload) -> Option<Uuid> {
    match c {
        Caseload::All => None,
        Caseload::Of(u) => Some(u.0),
    }
}

async fn load_person(
    conn: &mut Conn,
    programme: ProgrammeId,
    caseload: Caseload,
    id: Uuid,
) -> Result<Person> {
    let row = sqlx::query_as::<Db, PersonRow>(sqlf!(
        "SELECT {PERSON_COLUMNS} FROM {PERSON_FROM} \
         WHERE p.programme_id = $1 AND p.id = $2 AND ($3 IS NULL OR p.caseworker_id = $3)"
    ))
    .bind(programme.0)
    .bind(id)
    .bind(caseload_user(caseload))
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

async fn load_records(conn: &mut Conn, programme: ProgrammeId, id: Uuid) -> Result<PersonRecords> {
    let steps = sqlx::query_as::<Db, (Uuid, String, Date, String)>(
        "SELECT id, step, passed_on, evidence FROM talent_steps \
         WHERE programme_id = $1 AND person_id = $2 ORDER BY passed_on, step",
    )
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, step, passed_on, evidence)| StepEntry {
        id,
        record: StepRecord { step, passed_on },
        evidence,
    })
    .collect();
    let language = sqlx::query_as::<Db, (Uuid, String, Date, Option<i64>, i64, i64, i64, i64)>(
        "SELECT id, test, taken_on, overall, listening, reading, writing, speaking \
         FROM talent_language_results WHERE programme_id = $1 AND person_id = $2 ORDER BY taken_on",
    )
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, test, taken_on, overall, l, r, w, s)| {
        Ok(LanguageEntry {
            id,
            result: LanguageResult {
                test: english_test(&test)?,
                taken_on,
                overall: overall.map(|o| o as u16),
                listening: l as u16,
                reading: r as u16,
                writing: w as u16,
                speaking: s as u16,
            },
        })
    })
    .collect::<Result<_>>()?;
    let barriers =
        sqlx::query_as::<Db, (Uuid, String, Option<String>, Date, Option<Date>, String)>(
            "SELECT id, barrier, rule, raised_on, resolved_on, note FROM talent_barriers \
         WHERE programme_id = $1 AND person_id = $2 ORDER BY raised_on, id",
        )
        .bind(programme.0)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(id, b, rule, raised_on, resolved_on, note)| {
            Ok(BarrierEntry {
                id,
                barrier: parse_or("barrier", &b, Barrier::parse)?,
                rule,
                raised_on,
                resolved_on,
                note,
            })
        })
        .collect::<Result<_>>()?;
    let support = sqlx::query_as::<Db, (Uuid, String, Date, i64, String)>(
        "SELECT id, kind, given_on, cost_pence, note FROM talent_support \
         WHERE programme_id = $1 AND person_id = $2 ORDER BY given_on, id",
    )
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, k, given_on, cost_pence, note)| {
        Ok(SupportEntry {
            id,
            kind: parse_or("support", &k, Support::parse)?,
            given_on,
            cost_pence,
            note,
        })
    })
    .collect::<Result<_>>()?;
    let notes = sqlx::query_as::<Db, (Uuid, String, String, OffsetDateTime)>(
        "SELECT id, author, body, created_at FROM talent_notes \
         WHERE programme_id = $1 AND person_id = $2 ORDER BY created_at DESC, id DESC",
    )
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, author, body, created_at)| NoteEntry {
        id,
        author,
        body,
        created_at,
    })
    .collect();
    let placements = sqlx::query_as::<Db, PlacementRow>(sqlf!(
        "{PLACEMENT_SELECT} WHERE pl.programme_id = $1 AND pl.person_id = $2 ORDER BY pl.created_at"
    ))
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(Placement::try_from)
    .collect::<Result<_>>()?;
    Ok(PersonRecords {
        steps,
        language,
        barriers,
        support,
        notes,
        placements,
    })
}

/// A list that names people, read: in the audit log unless it was empty
/// (and named nobody).
async fn audit_list_read<T>(
    conn: &mut Conn,
    actor: &Actor,
    programme: ProgrammeId,
    subject: &str,
    items: &[T],
    summary: String,
    key: &str,
) -> Result<()> {
    if !items.is_empty() {
        let e = entry(actor, programme, AuditAction::Read, subject, None, summary)
            .said(AuditMessage::new(key).number("count", items.len() as u64));
        audit(conn, &e).await?;
    }
    Ok(())
}

fn entry(
    actor: &Actor,
    programme: ProgrammeId,
    action: AuditAction,
    subject: &str,
    id: Option<Uuid>,
    summary: String,
) -> AuditEntry {
    AuditEntry::new(
        actor,
        Some(programme),
        action,
        subject,
        id.map(|i| i.to_string()),
        summary,
    )
}

/// The personal fields a draft fills, for the audit summary (never values).
fn filled_fields(d: &PersonDraft) -> String {
    let mut v = vec!["full_name", "profession", "lawful_basis"];
    for (name, set) in [
        ("email", d.email.is_some()),
        ("phone", d.phone.is_some()),
        ("postcode", d.postcode.is_some()),
        ("qualification_country", !d.qualification_country.is_empty()),
        ("qualification_year", d.qualification_year.is_some()),
        ("qualifications", !d.qualifications.is_empty()),
        ("right_to_work", d.right_to_work.is_some()),
        ("available_from", d.available_from.is_some()),
        ("consent_given_on", d.consent_given_on.is_some()),
    ] {
        if set {
            v.push(name);
        }
    }
    format!("fields: {}", v.join(", "))
}

/// The personal fields a draft fills, as codes for the audit message.
fn filled_codes(d: &PersonDraft) -> Vec<String> {
    filled_fields(d)
        .trim_start_matches("fields: ")
        .split(", ")
        .map(String::from)
        .collect()
}

impl ThisStore {
    /// A person with their records, the read written to the audit log (as
    /// `action`, with `summary`) in the same transaction.
    async fn read_person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        actor: &Actor,
        (action, summary, key): (AuditAction, &str, &str),
    ) -> Result<(Person, PersonRecords)> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let p = load_person(&mut tx, programme, caseload, id).await?;
        let r = load_records(&mut tx, programme, id).await?;
        let e = entry(
            actor,
            programme,
            action,
            "talent_person",
            Some(id),
            summary.into(),
        )
        .said(AuditMessage::new(key));
        audit(&mut tx, &e).await?;
        tx.commit().await?;
        Ok((p, r))
    }
}

#[async_trait]
impl TalentStore for ThisStore {
    async fn create_person(
        &self,
        programme: ProgrammeId,
        person: &PersonChange,
        actor: &Actor,
    ) -> Result<Person> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let id = insert_person(&mut tx, programme, person).await?;
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Create,
                "talent_person",
                Some(id),
                filled_fields(&person.draft),
            )
            .said(
                AuditMessage::new("audit.msg.person_added")
                    .codes("fields", filled_codes(&person.draft)),
            ),
        )
        .await?;
        let p = load_person(&mut tx, programme, Caseload::All, id).await?;
        tx.commit().await?;
        Ok(p)
    }

    async fn update_person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        person: &PersonChange,
        actor: &Actor,
    ) -> Result<Person> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let before = load_person(&mut tx, programme, caseload, id).await?;
        if before.erased_at.is_some() {
            return Err(StoreError::Conflict {
                field: "id".into(),
                message: useit_core::i18n::Message::new("talent.person.erased"),
            });
        }
        update_person_row(&mut tx, programme, id, person).await?;
        let changed = changed_fields(&before, person);
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Update,
                "talent_person",
                Some(id),
                format!("fields: {}", changed.join(", ")),
            )
            .said(AuditMessage::new("audit.msg.person_changed").codes("fields", &changed)),
        )
        .await?;
        let p = load_person(&mut tx, programme, Caseload::All, id).await?;
        tx.commit().await?;
        Ok(p)
    }

    async fn person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        actor: &Actor,
    ) -> Result<(Person, PersonRecords)> {
        let read = (
            AuditAction::Read,
            "profile and records",
            "audit.msg.person_read",
        );
        self.read_person(programme, caseload, id, actor, read).await
    }

    async fn export_person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        actor: &Actor,
    ) -> Result<(Person, PersonRecords)> {
        let export = (
            AuditAction::Export,
            "subject access export",
            "audit.msg.person_exported",
        );
        self.read_person(programme, caseload, id, actor, export)
            .await
    }

    async fn list_people(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        q: &PeopleQuery,
        page: PageRequest,
        actor: &Actor,
    ) -> Result<Page<Person>> {
        let pattern = like_pattern(q.search.as_deref());
        let period = counted_period(q);
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let total: i64 = sqlx::query_scalar::<Db, i64>(sqlf!(
            "SELECT COUNT(*) FROM {PERSON_FROM} WHERE {PEOPLE_FILTER}"
        ))
        .bind(programme.0)
        .bind(caseload_user(caseload))
        .bind(pattern.as_deref())
        .bind(q.profession.as_deref())
        .bind(q.stage.map(|s| s.slug()))
        .bind(q.work.map(|w| w.slug()))
        .bind(q.caseworker.map(|u| u.0))
        .bind(q.include_erased)
        .bind(q.counted.map(|c| c.slug()))
        .bind(period.0)
        .bind(period.1)
        .bind(period.2)
        .bind(period.3)
        .fetch_one(&mut *tx)
        .await?;
        let d = q.dir.sql();
        let rows = sqlx::query_as::<Db, PersonRow>(sqlf!(
            "SELECT {PERSON_COLUMNS} FROM {PERSON_FROM} WHERE {PEOPLE_FILTER} \
             ORDER BY p.{} {d}, p.id {d} LIMIT $14 OFFSET $15",
            crate::talent::people_sort_column(q.sort)
        ))
        .bind(programme.0)
        .bind(caseload_user(caseload))
        .bind(pattern.as_deref())
        .bind(q.profession.as_deref())
        .bind(q.stage.map(|s| s.slug()))
        .bind(q.work.map(|w| w.slug()))
        .bind(q.caseworker.map(|u| u.0))
        .bind(q.include_erased)
        .bind(q.counted.map(|c| c.slug()))
        .bind(period.0)
        .bind(period.1)
        .bind(period.2)
        .bind(period.3)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&mut *tx)
        .await?;
        let items: Vec<Person> = rows
            .into_iter()
            .map(Person::try_from)
            .collect::<Result<_>>()?;
        let summary = format!("list of {} people", items.len());
        audit_list_read(
            &mut tx,
            actor,
            programme,
            "talent_person",
            &items,
            summary,
            "audit.msg.people_listed",
        )
        .await?;
        tx.commit().await?;
        Ok(Page {
            items,
            total: total as u64,
            page: page.page,
            per_page: page.per_page,
        })
    }

    async fn people_with_records(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        q: &PeopleQuery,
        with_records: bool,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<(Person, PersonRecords)>> {
        let pattern = like_pattern(q.search.as_deref());
        let period = counted_period(q);
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let d = q.dir.sql();
        let rows = sqlx::query_as::<Db, PersonRow>(sqlf!(
            "SELECT {PERSON_COLUMNS} FROM {PERSON_FROM} WHERE {PEOPLE_FILTER} ORDER BY p.{} {d}, p.id {d}",
            crate::talent::people_sort_column(q.sort)
        ))
        .bind(programme.0)
        .bind(caseload_user(caseload))
        .bind(pattern.as_deref())
        .bind(q.profession.as_deref())
        .bind(q.stage.map(|s| s.slug()))
        .bind(q.work.map(|w| w.slug()))
        .bind(q.caseworker.map(|u| u.0))
        .bind(q.include_erased)
        .bind(q.counted.map(|c| c.slug()))
        .bind(period.0)
        .bind(period.1)
        .bind(period.2)
        .bind(period.3)
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let p = Person::try_from(r)?;
            let recs = if with_records {
                load_records(&mut tx, programme, p.id).await?
            } else {
                PersonRecords::default()
            };
            out.push((p, recs));
        }
        if !out.is_empty() {
            audit(
                &mut tx,
                &entry(
                    actor,
                    programme,
                    AuditAction::Export,
                    "talent_person",
                    None,
                    format!("{purpose}: {} people", out.len()),
                )
                .said(
                    AuditMessage::new("audit.msg.people_exported")
                        .number("count", out.len() as u64),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn change_records(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        change: &RecordChange,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        write_record(&mut tx, programme, caseload, id, change, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn change_records_many(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        changes: &[(Uuid, RecordChange)],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        for (id, change) in changes {
            write_record(&mut tx, programme, caseload, *id, change, actor).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn assign_caseworker(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        ids: &[Uuid],
        caseworker: Option<UserId>,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        for id in ids {
            let person = load_person(&mut tx, programme, caseload, *id).await?;
            if person.erased_at.is_some() {
                return Err(erased());
            }
            if person.caseworker_id == caseworker {
                continue;
            }
            sqlx::query::<Db>(
                "UPDATE talent_people SET caseworker_id = $3, updated_at = $4 WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme.0)
            .bind(id)
            .bind(caseworker.map(|u| u.0))
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
            let e = entry(
                actor,
                programme,
                AuditAction::Update,
                "talent_person",
                Some(*id),
                "fields: caseworker".into(),
            )
            .said(AuditMessage::new("audit.msg.caseworker_changed"));
            audit(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn people_by_ids(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        ids: &[Uuid],
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<Person>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            match load_person(&mut tx, programme, caseload, *id).await {
                Ok(p) => out.push(p),
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        let summary = format!("{} people ({purpose})", out.len());
        audit_list_read(
            &mut tx,
            actor,
            programme,
            "talent_person",
            &out,
            summary,
            "audit.msg.people_read",
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn import_people(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        rows: &[PersonImportRow],
        actor: &Actor,
    ) -> Result<ImportCounts> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut out = ImportCounts::default();
        for r in rows {
            let existing = match r.id {
                Some(id) => match load_person(&mut tx, programme, caseload, id).await {
                    Ok(p) => Some(p),
                    Err(StoreError::NotFound) => None,
                    Err(e) => return Err(e),
                },
                None => None,
            };
            match existing {
                Some(p) if p.erased_at.is_some() => out.unchanged += 1,
                Some(p) => {
                    let changed = changed_fields(&p, &r.person);
                    if changed.is_empty() {
                        out.unchanged += 1;
                    } else {
                        update_person_row(&mut tx, programme, p.id, &r.person).await?;
                        audit(
                            &mut tx,
                            &entry(
                                actor,
                                programme,
                                AuditAction::Update,
                                "talent_person",
                                Some(p.id),
                                format!("import, fields: {}", changed.join(", ")),
                            )
                            .said(
                                AuditMessage::new("audit.msg.person_changed_import")
                                    .codes("fields", &changed),
                            ),
                        )
                        .await?;
                        out.updated += 1;
                    }
                }
                None => {
                    let id = insert_person(&mut tx, programme, &r.person).await?;
                    audit(
                        &mut tx,
                        &entry(
                            actor,
                            programme,
                            AuditAction::Create,
                            "talent_person",
                            Some(id),
                            format!("import, {}", filled_fields(&r.person.draft)),
                        )
                        .said(
                            AuditMessage::new("audit.msg.person_added_import")
                                .codes("fields", filled_codes(&r.person.draft)),
                        ),
                    )
                    .await?;
                    out.created += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(out)
    }

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

    async fn erase_person(
        &self,
        programme: ProgrammeId,
        caseload: Caseload,
        id: Uuid,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let p = load_person(&mut tx, programme, caseload, id).await?;
        if p.erased_at.is_some() {
            return Ok(());
        }
        let now = clock::now();
        sqlx::query::<Db>(
            "UPDATE talent_people SET full_name = NULL, email = NULL, phone = NULL, postcode = NULL, \
             area_code = NULL, lat = NULL, lon = NULL, qualification_country = NULL, qualification_year = NULL, \
             qualifications = NULL, right_to_work = NULL, available_from = NULL, consent_given_on = NULL, \
             consent_withdrawn_on = NULL, caseworker_id = NULL, erased_at = $3, updated_at = $3 \
             WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for sql in [
            "DELETE FROM talent_notes WHERE programme_id = $1 AND person_id = $2",
            "DELETE FROM talent_language_results WHERE programme_id = $1 AND person_id = $2",
            "UPDATE talent_steps SET evidence = '' WHERE programme_id = $1 AND person_id = $2",
            "UPDATE talent_barriers SET note = '' WHERE programme_id = $1 AND person_id = $2",
            "UPDATE talent_support SET note = '' WHERE programme_id = $1 AND person_id = $2",
            "UPDATE talent_placements SET reasons = '[]' WHERE programme_id = $1 AND person_id = $2",
            // Stories about the person go with their name (issue 20).
            "DELETE FROM programme_stories WHERE programme_id = $1 AND person_id = $2",
        ] {
            sqlx::query::<Db>(sql)
                .bind(programme.0)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Erase,
                "talent_person",
                Some(id),
                "personal data erased".into(),
            )
            .said(AuditMessage::new("audit.msg.person_erased")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

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

    async fn funnel_facts(&self, programme: ProgrammeId) -> Result<Vec<FunnelFact>> {
        sqlx::query_as::<Db, (String, String)>(
            "SELECT stage, work FROM talent_people WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(s, w)| {
            Ok(FunnelFact {
                stage: parse_or("stage", &s, FunnelStage::parse)?,
                work: parse_or("work", &w, WorkOutcome::parse)?,
            })
        })
        .collect()
    }

    async fn barrier_facts(&self, programme: ProgrammeId) -> Result<Vec<BarrierFact>> {
        sqlx::query_as::<Db, (Uuid, String, Option<String>, Date, Option<Date>)>(
            "SELECT person_id, barrier, rule, raised_on, resolved_on FROM talent_barriers WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(person, b, rule, raised_on, resolved_on)| {
            Ok(BarrierFact {
                person,
                barrier: parse_or("barrier", &b, Barrier::parse)?,
                rule,
                raised_on,
                resolved_on,
            })
        })
        .collect()
    }

    async fn filled_posts(&self, programme: ProgrammeId) -> Result<Vec<FilledPost>> {
        Ok(
            sqlx::query_as::<Db, (Option<String>, String, Date, Option<Date>)>(
                "SELECT v.anchor_slug, v.band, pl.started_on, pl.left_on FROM talent_placements pl \
             JOIN talent_vacancies v ON v.id = pl.vacancy_id \
             WHERE pl.programme_id = $1 AND pl.started_on IS NOT NULL",
            )
            .bind(programme.0)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(anchor, band, started_on, left_on)| FilledPost {
                anchor,
                band,
                started_on,
                left_on,
            })
            .collect(),
        )
    }

    async fn talent_settings(&self, programme: ProgrammeId) -> Result<TalentSettings> {
        let row = sqlx::query_as::<Db, (i64, i64, i64)>(
            "SELECT on_cost_bp, cap_premium_bp, observed_premium_bp \
             FROM talent_settings WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => TalentSettings::default(),
            Some((on, cap, obs)) => TalentSettings {
                savings: SavingsSettings {
                    on_cost_bp: on,
                    cap_premium_bp: cap,
                    observed_premium_bp: obs,
                },
            },
        })
    }

    async fn save_talent_settings(
        &self,
        programme: ProgrammeId,
        s: &TalentSettings,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        sqlx::query::<Db>(
            "INSERT INTO talent_settings (programme_id, on_cost_bp, cap_premium_bp, observed_premium_bp) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (programme_id) DO UPDATE SET \
             on_cost_bp = excluded.on_cost_bp, cap_premium_bp = excluded.cap_premium_bp, \
             observed_premium_bp = excluded.observed_premium_bp",
        )
        .bind(programme.0)
        .bind(s.savings.on_cost_bp)
        .bind(s.savings.cap_premium_bp)
        .bind(s.savings.observed_premium_bp)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "talent_settings",
                None,
                "savings inputs",
            )
            .said(AuditMessage::new("audit.msg.savings_inputs_changed")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Records one change to one person's records with its audit entry and sets
/// their funnel stage from the records after it, inside the caller's
/// transaction (`NotFound` outside the caseload, a conflict once erased).
async fn write_record(
    tx: &mut Conn,
    programme: ProgrammeId,
    caseload: Caseload,
    id: Uuid,
    change: &RecordChange,
    actor: &Actor,
) -> Result<()> {
    let person = load_person(tx, programme, caseload, id).await?;
    if person.erased_at.is_some() {
        return Err(StoreError::Conflict {
            field: "id".into(),
            message: useit_core::i18n::Message::new("talent.person.erased"),
        });
    }
    let new_id = Uuid::now_v7();
    let (action, summary, message) = match change {
        RecordChange::Step {
            step,
            passed_on,
            evidence,
        } => {
            sqlx::query::<Db>(
                "INSERT INTO talent_steps (id, programme_id, person_id, step, passed_on, evidence) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id)
            .bind(programme.0)
            .bind(id)
            .bind(step)
            .bind(passed_on)
            .bind(evidence)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique_as(
                "passed_on",
                "talent.step.already_recorded",
            ))?;
            (
                AuditAction::Create,
                format!("step {step}"),
                AuditMessage::new("audit.msg.step_recorded").word("step", step.to_string()),
            )
        }
        RecordChange::Language(l) => {
            sqlx::query::<Db>(
                    "INSERT INTO talent_language_results (id, programme_id, person_id, test, taken_on, overall, \
                     listening, reading, writing, speaking) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(new_id)
                .bind(programme.0)
                .bind(id)
                .bind(l.test.slug())
                .bind(l.taken_on)
                .bind(l.overall.map(i64::from))
                .bind(i64::from(l.listening))
                .bind(i64::from(l.reading))
                .bind(i64::from(l.writing))
                .bind(i64::from(l.speaking))
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Create,
                format!("{} result", l.test.slug()),
                AuditMessage::new("audit.msg.language_recorded")
                    .word("test", format!("talent.language.{}", l.test.slug())),
            )
        }
        RecordChange::Barrier {
            barrier,
            rule,
            raised_on,
            note,
        } => {
            sqlx::query::<Db>(
                    "INSERT INTO talent_barriers (id, programme_id, person_id, barrier, rule, raised_on, note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(new_id)
                .bind(programme.0)
                .bind(id)
                .bind(barrier.slug())
                .bind(rule)
                .bind(raised_on)
                .bind(note)
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Create,
                format!("barrier {}", barrier.slug()),
                AuditMessage::new("audit.msg.barrier_recorded")
                    .word("barrier", format!("talent.barrier.{}", barrier.slug())),
            )
        }
        RecordChange::ResolveBarrier {
            id: barrier,
            resolved_on,
        } => {
            let n = sqlx::query::<Db>(
                    "UPDATE talent_barriers SET resolved_on = $4 WHERE programme_id = $1 AND person_id = $2 AND id = $3",
                )
                .bind(programme.0)
                .bind(id)
                .bind(barrier)
                .bind(resolved_on)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            (
                AuditAction::Update,
                "barrier resolved".to_string(),
                AuditMessage::new("audit.msg.barrier_resolved"),
            )
        }
        RecordChange::Support {
            kind,
            given_on,
            cost_pence,
            note,
        } => {
            sqlx::query::<Db>(
                    "INSERT INTO talent_support (id, programme_id, person_id, kind, given_on, cost_pence, note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(new_id)
                .bind(programme.0)
                .bind(id)
                .bind(kind.slug())
                .bind(given_on)
                .bind(cost_pence)
                .bind(note)
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Create,
                format!("support {}", kind.slug()),
                AuditMessage::new("audit.msg.support_recorded")
                    .word("kind", format!("talent.support.{}", kind.slug())),
            )
        }
        RecordChange::Note { body } => {
            sqlx::query::<Db>(
                "INSERT INTO talent_notes (id, programme_id, person_id, author, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id)
            .bind(programme.0)
            .bind(id)
            .bind(&actor.label)
            .bind(body)
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
            (
                AuditAction::Create,
                "case note".to_string(),
                AuditMessage::new("audit.msg.note_added"),
            )
        }
        RecordChange::WithdrawConsent { on } => {
            sqlx::query::<Db>(
                    "UPDATE talent_people SET consent_withdrawn_on = $3, updated_at = $4 WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(id)
                .bind(on)
                .bind(clock::now())
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Update,
                "consent withdrawn".to_string(),
                AuditMessage::new("audit.msg.consent_withdrawn"),
            )
        }
        RecordChange::Work { work, on } => {
            sqlx::query::<Db>(
                    "UPDATE talent_people SET work = $3, work_on = $4, updated_at = $5 WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(id)
                .bind(work.slug())
                .bind(on)
                .bind(clock::now())
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::Update,
                format!("work {}", work.slug()),
                AuditMessage::new("audit.msg.work_recorded")
                    .word("work", format!("talent.work.{}", work.slug())),
            )
        }
    };
    audit(
        &mut *tx,
        &entry(
            actor,
            programme,
            action,
            change.audit_subject(),
            Some(id),
            summary,
        )
        .said(message),
    )
    .await?;
    // The funnel stage follows from the records, never typed in.
    let recs = load_records(tx, programme, id).await?;
    let stage = stage_from_records(&person.draft.profession, &recs).unwrap_or(person.stage);
    sqlx::query::<Db>(
        "UPDATE talent_people SET stage = $3, updated_at = $4 WHERE programme_id = $1 AND id = $2",
    )
    .bind(programme.0)
    .bind(id)
    .bind(stage.slug())
    .bind(clock::now())
    .execute(&mut *tx)
    .await?;
    Ok(())
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

fn erased() -> StoreError {
    StoreError::Conflict {
        field: "id".into(),
        message: useit_core::i18n::Message::new("talent.person.erased"),
    }
}

async fn insert_person(
    conn: &mut Conn,
    programme: ProgrammeId,
    person: &PersonChange,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let q = sqlx::query::<Db>(
        "INSERT INTO talent_people (id, programme_id, caseworker_id, full_name, email, phone, postcode, \
         area_code, lat, lon, profession, qualification_country, qualification_year, qualifications, \
         experience_years, right_to_work, available_from, lawful_basis, consent_given_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)",
    )
    .bind(id)
    .bind(programme.0);
    bind_person(q, person)
        .bind(clock::now())
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

async fn update_person_row(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: Uuid,
    person: &PersonChange,
) -> Result<()> {
    let q = sqlx::query::<Db>(
        "UPDATE talent_people SET caseworker_id = $3, full_name = $4, email = $5, phone = $6, postcode = $7, \
         area_code = $8, lat = $9, lon = $10, profession = $11, qualification_country = $12, \
         qualification_year = $13, qualifications = $14, experience_years = $15, right_to_work = $16, \
         available_from = $17, lawful_basis = $18, consent_given_on = $19, updated_at = $20 \
         WHERE programme_id = $1 AND id = $2",
    )
    .bind(programme.0)
    .bind(id);
    bind_person(q, person)
        .bind(clock::now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments>;

/// Binds a person's fields as `$3`..`$19`, in the order both the insert and
/// the update name them.
fn bind_person<'q>(q: Query<'q>, person: &'q PersonChange) -> Query<'q> {
    let (d, home) = (&person.draft, &person.home);
    q.bind(person.caseworker.map(|u| u.0))
        .bind(&d.full_name)
        .bind(&d.email)
        .bind(&d.phone)
        .bind(&d.postcode)
        .bind(&home.area_code)
        .bind(home.lat)
        .bind(home.lon)
        .bind(&d.profession)
        .bind(&d.qualification_country)
        .bind(d.qualification_year.map(i64::from))
        .bind(&d.qualifications)
        .bind(i64::from(d.experience_years))
        .bind(d.right_to_work.map(|r| r.slug()))
        .bind(d.available_from)
        .bind(d.lawful_basis.map(|b| b.slug()).unwrap_or("consent"))
        .bind(d.consent_given_on)
}

/// The names of the fields an update changes (the audit log never holds values).
fn changed_fields(before: &Person, after: &PersonChange) -> Vec<&'static str> {
    let (b, d) = (&before.draft, &after.draft);
    [
        ("full_name", b.full_name != d.full_name),
        ("email", b.email != d.email),
        ("phone", b.phone != d.phone),
        ("postcode", b.postcode != d.postcode),
        ("profession", b.profession != d.profession),
        (
            "qualification_country",
            b.qualification_country != d.qualification_country,
        ),
        (
            "qualification_year",
            b.qualification_year != d.qualification_year,
        ),
        ("qualifications", b.qualifications != d.qualifications),
        ("experience_years", b.experience_years != d.experience_years),
        ("right_to_work", b.right_to_work != d.right_to_work),
        ("available_from", b.available_from != d.available_from),
        ("lawful_basis", b.lawful_basis != d.lawful_basis),
        ("consent_given_on", b.consent_given_on != d.consent_given_on),
        ("caseworker", before.caseworker_id != after.caseworker),
    ]
    .into_iter()
    .filter(|(_, diff)| *diff)
    .map(|(name, _)| name)
    .collect()
}

/// The funnel stage a person's records put them at today (`None` for a
/// profession useit does not know): the one place the stored stage comes from.
fn stage_from_records(profession: &str, recs: &PersonRecords) -> Option<FunnelStage> {
    let prof = useit_core::talent::profession::Professions::shipped().get(profession)?;
    let progress = useit_core::talent::pathway::progress(
        prof,
        &recs.step_records(),
        &recs.language_results(),
        clock::today(),
    );
    Some(FunnelStage::of(&progress, !recs.support.is_empty()))
}

enum Upsert {
    Created,
    Updated,
    Unchanged,
}

async fn load_vacancy(
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
