// Programmes and partners in SQL both backends understand. Compiled into
// `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::csv_import::Report;
use useit_core::listing::{Page, PageRequest, like_pattern};
use useit_core::names;
use useit_core::programme::ProgrammeLocale;
use useit_core::programme::partner_csv::{self, Action, Existing, ImportOutcome, ParsedRow};
use useit_core::programme::{
    NewProgramme, Partner, PartnerContact, PartnerDraft, PartnerQuery, PartnerSort, Programme,
    ProgrammeCounts,
};
use useit_core::{PartnerId, ProgrammeId, UserId};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::programme::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

/// Ends a change to a programme's own row: the audit entry naming what
/// changed, the row read back as it now stands, and the commit.
async fn updated(
    mut tx: sqlx::Transaction<'_, Db>,
    id: ProgrammeId,
    actor: &Actor,
    summary: String,
    said: AuditMessage,
) -> Result<Programme> {
    audit(
        &mut tx,
        &AuditEntry::new(
            actor,
            Some(id),
            AuditAction::Update,
            "programme",
            Some(id.to_string()),
            summary,
        )
        .said(said),
    )
    .await?;
    let row = sqlx::query_as::<Db, ProgrammeRow>(
        "SELECT id, slug, name, description, created_at, currency, language FROM programmes WHERE id = $1",
    )
    .bind(id.0)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(row.into())
}

#[async_trait]
impl ProgrammeStore for ThisStore {
    async fn create_programme(
        &self,
        new: &NewProgramme,
        first_administrator: Option<UserId>,
        actor: &Actor,
    ) -> Result<Programme> {
        let p = Programme {
            id: ProgrammeId::new(),
            slug: new.slug.clone(),
            name: new.name.clone(),
            description: new.description.clone(),
            created_at: clock::now(),
            currency: Default::default(),
            language: Default::default(),
        };
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let res = sqlx::query::<Db>(
            "INSERT INTO programmes (id, slug, name, description, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(p.id.0)
        .bind(&p.slug)
        .bind(&p.name)
        .bind(&p.description)
        .bind(p.created_at)
        .execute(&mut *tx)
        .await;
        res.map_err(StoreError::unique_as("slug", "programme.slug_taken"))?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(p.id),
                AuditAction::Create,
                "programme",
                Some(p.id.to_string()),
                p.slug.clone(),
            )
            .said(AuditMessage::new("audit.msg.programme_created").text("name", &p.name)),
        )
        .await?;
        if let Some(user) = first_administrator {
            super::auth_sql::apply_role(
                &mut tx,
                p.id,
                user,
                useit_core::auth::Role::Administrator,
                actor,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(p)
    }

    async fn programme(&self, id: ProgrammeId) -> Result<Option<Programme>> {
        let row = sqlx::query_as::<Db, ProgrammeRow>(
            "SELECT id, slug, name, description, created_at, currency, language FROM programmes WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Programme::from))
    }

    async fn programme_by_slug(&self, slug: &str) -> Result<Option<Programme>> {
        let row = sqlx::query_as::<Db, ProgrammeRow>(
            "SELECT id, slug, name, description, created_at, currency, language FROM programmes WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Programme::from))
    }

    async fn programmes(&self) -> Result<Vec<Programme>> {
        let rows = sqlx::query_as::<Db, ProgrammeRow>(
            "SELECT id, slug, name, description, created_at, currency, language FROM programmes ORDER BY lower(name), id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Programme::from).collect())
    }

    async fn update_programme(
        &self,
        id: ProgrammeId,
        name: &str,
        description: &str,
        actor: &Actor,
    ) -> Result<Programme> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let n =
            sqlx::query::<Db>("UPDATE programmes SET name = $1, description = $2 WHERE id = $3")
                .bind(name)
                .bind(description)
                .bind(id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        updated(
            tx,
            id,
            actor,
            "fields: name, description".into(),
            AuditMessage::new("audit.msg.programme_renamed").text("name", name),
        )
        .await
    }

    async fn set_programme_locale(
        &self,
        id: ProgrammeId,
        locale: ProgrammeLocale,
        actor: &Actor,
    ) -> Result<Programme> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let n =
            sqlx::query::<Db>("UPDATE programmes SET currency = $1, language = $2 WHERE id = $3")
                .bind(locale.currency.code())
                .bind(locale.language.code())
                .bind(id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let summary = format!(
            "currency {}, language {}",
            locale.currency.code(),
            locale.language.code()
        );
        let said = AuditMessage::new("audit.msg.programme_locale")
            .word(
                "language",
                format!("admin.locale.language.{}", locale.language.code()),
            )
            .word(
                "currency",
                format!("admin.locale.currency.{}", locale.currency.code()),
            );
        updated(tx, id, actor, summary, said).await
    }

    async fn programme_counts(&self, id: ProgrammeId, today: Date) -> Result<ProgrammeCounts> {
        #[derive(sqlx::FromRow)]
        struct Row {
            kind: Option<String>,
            joined_on: Option<Date>,
            left_on: Option<Date>,
            members: i64,
        }
        // One statement: the members' count on a first row with no partner,
        // then each partner (the home page asks on every request; a second
        // statement was another round trip).
        let rows = sqlx::query_as::<Db, Row>(
            "SELECT NULL AS kind, NULL AS joined_on, NULL AS left_on, COUNT(*) AS members \
             FROM memberships WHERE programme_id = $1 \
             UNION ALL SELECT kind, joined_on, left_on, 0 FROM partners \
             WHERE programme_id = $1 AND merged_into IS NULL",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        let members: i64 = rows
            .iter()
            .find(|r| r.kind.is_none())
            .map_or(0, |r| r.members);
        let partners = rows
            .into_iter()
            .filter_map(|r| Some((r.kind?, r.joined_on?, r.left_on)))
            .map(|(kind, joined_on, left_on)| Ok((parse_kind(&kind)?, joined_on, left_on)))
            .collect::<Result<Vec<_>>>()?;
        Ok(ProgrammeCounts::from_partners(
            &partners,
            members as u64,
            today,
        ))
    }
}

const PARTNER_FILTER: &str = "programme_id = $1 AND merged_into IS NULL \
    AND ($2 IS NULL OR kind = $2) \
    AND ($3 IS NULL OR lower(name) LIKE $3 ESCAPE '\\' OR name_key LIKE $3 ESCAPE '\\' \
         OR lower(coalesce(org_id, '')) LIKE $3 ESCAPE '\\' OR lower(description) LIKE $3 ESCAPE '\\') \
    AND (CASE $4 WHEN 'current' THEN (joined_on <= $5 AND (left_on IS NULL OR left_on > $5)) \
                 WHEN 'former' THEN (left_on IS NOT NULL AND left_on <= $5) \
                 ELSE TRUE END)";

fn partner_order(q: &PartnerQuery) -> String {
    let d = q.dir.sql();
    match q.sort {
        PartnerSort::Name => format!("name_key {d}, id {d}"),
        PartnerSort::Kind => format!("kind {d}, name_key, id"),
        PartnerSort::JoinedOn => format!("joined_on {d}, name_key, id"),
        PartnerSort::LeftOn => format!("(left_on IS NULL) {d}, left_on {d}, name_key, id"),
    }
}

async fn load_partner(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: PartnerId,
) -> Result<Option<PartnerWithContactRow>> {
    Ok(sqlx::query_as::<Db, PartnerWithContactRow>(sqlf!(
        "SELECT {PARTNER_COLUMNS}, contact_name, contact_email, contact_phone, merged_into \
         FROM partners WHERE programme_id = $1 AND id = $2"
    ))
    .bind(programme.0)
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?)
}

async fn insert_partner(
    conn: &mut Conn,
    programme: ProgrammeId,
    d: &PartnerDraft,
    c: &PartnerContact,
    actor: &Actor,
) -> Result<Partner> {
    let now = clock::now();
    let id = PartnerId::new();
    let res = sqlx::query::<Db>(
        "INSERT INTO partners (id, programme_id, name, name_key, kind, org_id, website, postcode, description, \
         joined_on, left_on, contact_name, contact_email, contact_phone, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(id.0)
    .bind(programme.0)
    .bind(&d.name)
    .bind(names::normalise(&d.name))
    .bind(d.kind.slug())
    .bind(&d.org_id)
    .bind(&d.website)
    .bind(&d.postcode)
    .bind(&d.description)
    .bind(d.joined_on)
    .bind(d.left_on)
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await;
    res.map_err(StoreError::unique_as("org_id", "partner.org_id_taken"))?;
    audit(
        conn,
        &AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Create,
            "partner",
            Some(id.to_string()),
            format!("kind: {}", d.kind),
        )
        .said(
            AuditMessage::new("audit.msg.partner_added")
                .text("name", &d.name)
                .word("kind", format!("partner_kind.{}", d.kind)),
        ),
    )
    .await?;
    if !c.is_empty() {
        audit(
            conn,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Create,
                "partner_contact",
                Some(id.to_string()),
                format!("fields: {}", c.field_names().join(", ")),
            )
            .said(
                AuditMessage::new("audit.msg.partner_contact_added")
                    .text("name", &d.name)
                    .codes("fields", c.field_names()),
            ),
        )
        .await?;
    }
    Ok(Partner {
        id,
        programme_id: programme,
        name: d.name.clone(),
        kind: d.kind,
        org_id: d.org_id.clone(),
        website: d.website.clone(),
        postcode: d.postcode.clone(),
        description: d.description.clone(),
        joined_on: d.joined_on,
        left_on: d.left_on,
        created_at: now,
        updated_at: now,
    })
}

/// The names whose values differ, for audit summaries.
fn changed(fields: &[(&'static str, bool)]) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| *name)
        .collect()
}

fn changed_fields(old: &Partner, new: &PartnerDraft) -> Vec<&'static str> {
    let o = old.draft();
    changed(&[
        ("name", o.name != new.name),
        ("kind", o.kind != new.kind),
        ("org_id", o.org_id != new.org_id),
        ("website", o.website != new.website),
        ("postcode", o.postcode != new.postcode),
        ("description", o.description != new.description),
        ("joined_on", o.joined_on != new.joined_on),
        ("left_on", o.left_on != new.left_on),
    ])
}

fn changed_contact_fields(old: &PartnerContact, new: &PartnerContact) -> Vec<&'static str> {
    changed(&[
        ("contact_name", old.name != new.name),
        ("contact_email", old.email != new.email),
        ("contact_phone", old.phone != new.phone),
    ])
}

async fn write_partner(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: PartnerId,
    d: &PartnerDraft,
    contact: Option<&PartnerContact>,
    actor: &Actor,
    action: AuditAction,
) -> Result<Partner> {
    let Some(old) = load_partner(conn, programme, id).await? else {
        return Err(StoreError::NotFound);
    };
    if old.merged_into.is_some() {
        return Err(StoreError::NotFound);
    }
    let old_contact = PartnerContact::from(old.contact);
    let old = Partner::try_from(old.partner)?;
    let fields = changed_fields(&old, d);
    let contact_fields = contact
        .map(|c| changed_contact_fields(&old_contact, c))
        .unwrap_or_default();
    if fields.is_empty() && contact_fields.is_empty() {
        return Ok(old);
    }
    let c = contact.cloned().unwrap_or(old_contact);
    let now = clock::now();
    let res = sqlx::query::<Db>(
        "UPDATE partners SET name = $1, name_key = $2, kind = $3, org_id = $4, website = $5, postcode = $6, \
         description = $7, joined_on = $8, left_on = $9, contact_name = $10, contact_email = $11, \
         contact_phone = $12, updated_at = $13 WHERE programme_id = $14 AND id = $15",
    )
    .bind(&d.name)
    .bind(names::normalise(&d.name))
    .bind(d.kind.slug())
    .bind(&d.org_id)
    .bind(&d.website)
    .bind(&d.postcode)
    .bind(&d.description)
    .bind(d.joined_on)
    .bind(d.left_on)
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(now)
    .bind(programme.0)
    .bind(id.0)
    .execute(&mut *conn)
    .await;
    res.map_err(StoreError::unique_as("org_id", "partner.org_id_taken"))?;
    if !fields.is_empty() {
        audit(
            conn,
            &AuditEntry::new(
                actor,
                Some(programme),
                action,
                "partner",
                Some(id.to_string()),
                format!("fields: {}", fields.join(", ")),
            )
            .said(
                AuditMessage::new("audit.msg.partner_changed")
                    .text("name", &d.name)
                    .codes("fields", &fields),
            ),
        )
        .await?;
    }
    if !contact_fields.is_empty() {
        audit(
            conn,
            &AuditEntry::new(
                actor,
                Some(programme),
                action,
                "partner_contact",
                Some(id.to_string()),
                format!("fields: {}", contact_fields.join(", ")),
            )
            .said(
                AuditMessage::new("audit.msg.partner_contact_changed")
                    .text("name", &d.name)
                    .codes("fields", &contact_fields),
            ),
        )
        .await?;
    }
    Ok(Partner {
        name: d.name.clone(),
        kind: d.kind,
        org_id: d.org_id.clone(),
        website: d.website.clone(),
        postcode: d.postcode.clone(),
        description: d.description.clone(),
        joined_on: d.joined_on,
        left_on: d.left_on,
        updated_at: now,
        ..old
    })
}

#[async_trait]
impl PartnerStore for ThisStore {
    async fn create_partner(
        &self,
        programme: ProgrammeId,
        d: &PartnerDraft,
        c: &PartnerContact,
        actor: &Actor,
    ) -> Result<Partner> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let p = insert_partner(&mut tx, programme, d, c, actor).await?;
        tx.commit().await?;
        Ok(p)
    }

    async fn update_partner(
        &self,
        programme: ProgrammeId,
        id: PartnerId,
        d: &PartnerDraft,
        contact: Option<&PartnerContact>,
        actor: &Actor,
    ) -> Result<Partner> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let p = write_partner(
            &mut tx,
            programme,
            id,
            d,
            contact,
            actor,
            AuditAction::Update,
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }

    async fn partner(&self, programme: ProgrammeId, id: PartnerId) -> Result<Option<Partner>> {
        let row = sqlx::query_as::<Db, PartnerRow>(sqlf!(
            "SELECT {PARTNER_COLUMNS} FROM partners WHERE programme_id = $1 AND id = $2 AND merged_into IS NULL"
        ))
        .bind(programme.0)
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Partner::try_from).transpose()
    }

    async fn partner_merged_into(
        &self,
        programme: ProgrammeId,
        id: PartnerId,
    ) -> Result<Option<PartnerId>> {
        let target: Option<Option<Uuid>> = sqlx::query_scalar::<Db, Option<Uuid>>(
            "SELECT merged_into FROM partners WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(target.flatten().map(PartnerId))
    }

    async fn partner_contact(
        &self,
        programme: ProgrammeId,
        id: PartnerId,
        actor: &Actor,
    ) -> Result<PartnerContact> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query_as::<Db, ContactRow>(
            "SELECT contact_name, contact_email, contact_phone FROM partners \
             WHERE programme_id = $1 AND id = $2 AND merged_into IS NULL",
        )
        .bind(programme.0)
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else {
            return Err(StoreError::NotFound);
        };
        let contact = PartnerContact::from(row);
        if !contact.is_empty() {
            audit(
                &mut conn,
                &AuditEntry::new(
                    actor,
                    Some(programme),
                    AuditAction::Read,
                    "partner_contact",
                    Some(id.to_string()),
                    format!("fields: {}", contact.field_names().join(", ")),
                )
                .said(
                    AuditMessage::new("audit.msg.partner_contact_read")
                        .codes("fields", contact.field_names()),
                ),
            )
            .await?;
        }
        Ok(contact)
    }

    async fn list_partners(
        &self,
        programme: ProgrammeId,
        q: &PartnerQuery,
        today: Date,
        page: PageRequest,
    ) -> Result<Page<Partner>> {
        #[derive(sqlx::FromRow)]
        struct Counted {
            #[sqlx(flatten)]
            partner: PartnerRow,
            total: i64,
        }
        let pattern = like_pattern(q.q.as_deref());
        let kind = q.kind.map(|k| k.slug());
        // The page and the count in one statement (one snapshot, one round
        // trip); only a page past the end, which has no row to carry the
        // count, asks for it again.
        let rows = sqlx::query_as::<Db, Counted>(sqlf!(
            "SELECT {PARTNER_COLUMNS}, COUNT(*) OVER () AS total FROM partners \
             WHERE {PARTNER_FILTER} ORDER BY {} LIMIT $6 OFFSET $7",
            partner_order(q)
        ))
        .bind(programme.0)
        .bind(kind)
        .bind(pattern.as_deref())
        .bind(q.status.slug())
        .bind(today)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&self.pool)
        .await?;
        let total = match rows.first() {
            Some(r) => r.total,
            None if page.offset() == 0 => 0,
            None => {
                sqlx::query_scalar::<Db, i64>(sqlf!(
                    "SELECT COUNT(*) FROM partners WHERE {PARTNER_FILTER}"
                ))
                .bind(programme.0)
                .bind(kind)
                .bind(pattern.as_deref())
                .bind(q.status.slug())
                .bind(today)
                .fetch_one(&self.pool)
                .await?
            }
        };
        Ok(Page {
            items: rows
                .into_iter()
                .map(|r| Partner::try_from(r.partner))
                .collect::<Result<_>>()?,
            total: total as u64,
            page: page.page,
            per_page: page.per_page,
        })
    }

    async fn export_partners(
        &self,
        programme: ProgrammeId,
        q: &PartnerQuery,
        today: Date,
        include_contacts: bool,
        actor: &Actor,
    ) -> Result<Vec<(Partner, Option<PartnerContact>)>> {
        let pattern = like_pattern(q.q.as_deref());
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query_as::<Db, PartnerWithContactRow>(sqlf!(
            "SELECT {PARTNER_COLUMNS}, contact_name, contact_email, contact_phone, merged_into \
             FROM partners WHERE {PARTNER_FILTER} ORDER BY {}",
            partner_order(q)
        ))
        .bind(programme.0)
        .bind(q.kind.map(|k| k.slug()))
        .bind(pattern.as_deref())
        .bind(q.status.slug())
        .bind(today)
        .fetch_all(&mut *conn)
        .await?;
        if include_contacts {
            audit(
                &mut conn,
                &AuditEntry::new(
                    actor,
                    Some(programme),
                    AuditAction::Export,
                    "partner_contact",
                    None,
                    format!("{} partners with contact fields", rows.len()),
                )
                .said(
                    AuditMessage::new("audit.msg.partner_contacts_exported")
                        .number("count", rows.len() as u64),
                ),
            )
            .await?;
        }
        rows.into_iter()
            .map(|r| {
                let contact = include_contacts.then(|| PartnerContact::from(r.contact));
                Ok((Partner::try_from(r.partner)?, contact))
            })
            .collect()
    }

    async fn import_partners(
        &self,
        programme: ProgrammeId,
        rows: Vec<ParsedRow>,
        report: &mut Report,
        dry_run: bool,
        actor: &Actor,
    ) -> Result<ImportOutcome> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let all = sqlx::query_as::<Db, PartnerWithContactRow>(sqlf!(
            "SELECT {PARTNER_COLUMNS}, contact_name, contact_email, contact_phone, merged_into \
             FROM partners WHERE programme_id = $1"
        ))
        .bind(programme.0)
        .fetch_all(&mut *tx)
        .await?;
        let redirects = partner_csv::merge_redirects(all.iter().filter_map(|r| {
            r.merged_into
                .map(|m| (PartnerId(r.partner.id), PartnerId(m)))
        }));
        let existing = all
            .into_iter()
            .filter(|r| r.merged_into.is_none())
            .map(|r| {
                Ok(Existing {
                    partner: Partner::try_from(r.partner)?,
                    contact: r.contact.into(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let plan = partner_csv::plan(rows, &existing, &redirects, report);
        let mut outcome = ImportOutcome::of(&plan);
        report.sort();
        if report.has_errors() || dry_run {
            tx.rollback().await?;
            return Ok(outcome);
        }
        for (line, action) in plan {
            let result = match action {
                Action::Create { draft, contact } => {
                    insert_partner(&mut tx, programme, &draft, &contact, actor)
                        .await
                        .map(|_| ())
                }
                Action::Update { id, draft, contact } => write_partner(
                    &mut tx,
                    programme,
                    id,
                    &draft,
                    contact.as_ref(),
                    actor,
                    AuditAction::Import,
                )
                .await
                .map(|_| ()),
                Action::Unchanged { .. } => Ok(()),
            };
            if let Err(StoreError::Conflict { field, message }) = result {
                report.push(useit_core::csv_import::Problem::error(
                    line,
                    Some(useit_core::csv_import::Column {
                        number: 0,
                        name: field,
                    }),
                    message,
                ));
                tx.rollback().await?;
                return Ok(ImportOutcome {
                    applied: false,
                    ..outcome
                });
            }
            result?;
        }
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Import,
                "partner",
                None,
                format!(
                    "created {}, updated {}, unchanged {}",
                    outcome.created, outcome.updated, outcome.unchanged
                ),
            )
            .said(
                AuditMessage::new("audit.msg.partners_imported")
                    .counted("created", "added", outcome.created)
                    .counted("updated", "changed", outcome.updated)
                    .counted("unchanged", "unchanged", outcome.unchanged),
            ),
        )
        .await?;
        tx.commit().await?;
        outcome.applied = true;
        Ok(outcome)
    }

    async fn merge_partners(
        &self,
        programme: ProgrammeId,
        keep: PartnerId,
        other: PartnerId,
        actor: &Actor,
    ) -> Result<Partner> {
        if keep == other {
            return Err(StoreError::conflict("other", "partner.merge_self"));
        }
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let (Some(k), Some(o)) = (
            load_partner(&mut tx, programme, keep).await?,
            load_partner(&mut tx, programme, other).await?,
        ) else {
            return Err(StoreError::NotFound);
        };
        if k.merged_into.is_some() || o.merged_into.is_some() {
            return Err(StoreError::NotFound);
        }
        let (kc, oc) = (
            PartnerContact::from(k.contact),
            PartnerContact::from(o.contact),
        );
        let (kp, op) = (Partner::try_from(k.partner)?, Partner::try_from(o.partner)?);
        let merged = useit_core::programme::merge(&kp, &op);
        let merged_contact = useit_core::programme::merge_contact(&kc, &oc);
        sqlx::query::<Db>("UPDATE partners SET merged_into = $1, updated_at = $2 WHERE programme_id = $3 AND id = $4")
            .bind(keep.0)
            .bind(clock::now())
            .bind(programme.0)
            .bind(other.0)
            .execute(&mut *tx)
            .await?;
        // Anything that pointed at the merged-away partner now points at the kept one.
        sqlx::query::<Db>(
            "UPDATE partners SET merged_into = $1 WHERE programme_id = $2 AND merged_into = $3",
        )
        .bind(keep.0)
        .bind(programme.0)
        .bind(other.0)
        .execute(&mut *tx)
        .await?;
        let p = write_partner(
            &mut tx,
            programme,
            keep,
            &merged,
            Some(&merged_contact),
            actor,
            AuditAction::Merge,
        )
        .await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Merge,
                "partner",
                Some(other.to_string()),
                format!("merged into {keep}"),
            )
            .said(AuditMessage::new("audit.msg.partner_merged").text("name", &merged.name)),
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }
}
