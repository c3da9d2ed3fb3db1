// People on the way into NHS jobs (the talent context's trait,
// `TalentStore`) in SQL both backends understand: their profiles, the
// caseload lists, imports, caseworkers and erasure. Compiled into
// `sqlite.rs` and `postgres.rs` as a module. A person's records, merging
// duplicates, vacancies, placements and the results each have their own
// `*_sql.rs` beside this one; what they share from here is `pub(super)`.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::audit::{Actor, AuditAction, AuditMessage};
use useit_core::clock;
use useit_core::listing::{Page, PageRequest, like_pattern};
use useit_core::talent::casework::{FunnelStage, PersonDraft, WorkOutcome};
use useit_core::{ProgrammeId, UserId};

use super::audit_sql::insert as audit;
use super::talent_records_sql::load_records;
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

pub(super) async fn load_person(
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

/// A list that names people, read: in the audit log unless it was empty
/// (and named nobody).
pub(super) async fn audit_list_read<T>(
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

pub(super) async fn update_person_row(
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
