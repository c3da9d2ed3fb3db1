// The organisation register in SQL both backends understand: loading a
// register or a links file (streamed or at once, with the suppliers
// re-checked against it) and reading and searching its entries. Compiled
// into `sqlite.rs` and `postgres.rs` as a module. The suppliers' SQL reads
// organisations with the row and columns kept here.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::supplier::{RegisterEntry, name_key};
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::anchors::register::RegisterStore;
use crate::anchors::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

#[derive(sqlx::FromRow)]
pub(super) struct OrgRow {
    pub(super) id: Uuid,
    pub(super) org_id: String,
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) company_number: Option<String>,
    pub(super) postcode: Option<String>,
    pub(super) trading_postcode: Option<String>,
    pub(super) source: String,
    pub(super) legal_form: Option<String>,
    pub(super) charity_number: Option<String>,
    pub(super) sic_codes: Option<String>,
    pub(super) register_status: Option<String>,
}

impl TryFrom<OrgRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrgRow) -> Result<Self> {
        Ok(Organisation {
            kind: SupplierKind::parse(&r.kind)
                .ok_or_else(|| corrupt(format!("organisation kind {}", r.kind)))?,
            id: r.id,
            org_id: r.org_id,
            name: r.name,
            company_number: r.company_number,
            postcode: r.postcode,
            trading_postcode: r.trading_postcode,
            source: r.source,
            details: OrganisationDetails {
                legal_form: r.legal_form,
                charity_number: r.charity_number,
                sic_codes: r
                    .sic_codes
                    .map(|s| s.split(',').map(String::from).collect())
                    .unwrap_or_default(),
                register_status: r.register_status,
            },
        })
    }
}

pub(super) const ORG_COLUMNS: &str = "o.id, o.org_id, o.name, o.kind, o.company_number, o.postcode, o.trading_postcode, o.source, \
     o.legal_form, o.charity_number, o.sic_codes, o.register_status";

/// Where each merged-away org-id (not held again since) now goes: the
/// org-id of the organisation it was merged into.
async fn merge_redirects(
    conn: &mut <Db as sqlx::Database>::Connection,
    programme: ProgrammeId,
) -> Result<std::collections::HashMap<String, String>> {
    Ok(sqlx::query_as::<Db, (String, String)>(
        "SELECT m.merged_org_id, o.org_id FROM organisation_merges m \
         JOIN organisations o ON o.programme_id = m.programme_id AND o.id = m.kept_id \
         WHERE m.programme_id = $1 AND NOT EXISTS (SELECT 1 FROM organisations x \
           WHERE x.programme_id = m.programme_id AND x.org_id = m.merged_org_id)",
    )
    .bind(programme.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect())
}

/// The register rows to write: a row with the org-id of an organisation
/// merged away (and not held again since) is written to the organisation it
/// was merged into, so a load never brings it back; when the rows also have
/// the kept one's own row, or another merged-away row for it came first,
/// the row is left out (one row per organisation in a statement). Also
/// returns how many rows were sent to a kept organisation.
fn redirect_rows<'a>(
    redirect: &std::collections::HashMap<String, String>,
    orgs: &'a [(Uuid, OrganisationInput)],
) -> (Vec<(Uuid, std::borrow::Cow<'a, OrganisationInput>)>, u64) {
    use std::borrow::Cow;
    use std::collections::HashSet;
    if redirect.is_empty() {
        return (
            orgs.iter().map(|(id, o)| (*id, Cow::Borrowed(o))).collect(),
            0,
        );
    }
    let own: HashSet<&str> = orgs.iter().map(|(_, o)| o.org_id.as_str()).collect();
    let mut taken: HashSet<&str> = HashSet::new();
    let mut redirected = 0;
    let mut out = Vec::with_capacity(orgs.len());
    for (id, o) in orgs {
        match redirect.get(&o.org_id) {
            None => out.push((*id, Cow::Borrowed(o))),
            Some(kept) if own.contains(kept.as_str()) || !taken.insert(kept.as_str()) => {}
            Some(kept) => {
                let mut o = o.clone();
                o.org_id = kept.clone();
                redirected += 1;
                out.push((*id, Cow::Owned(o)));
            }
        }
    }
    (out, redirected)
}

#[async_trait]
impl RegisterStore for ThisStore {
    async fn load_organisations(
        &self,
        programme: ProgrammeId,
        orgs: &[OrganisationInput],
        actor: &Actor,
    ) -> Result<u64> {
        let with_ids: Vec<(Uuid, OrganisationInput)> =
            orgs.iter().map(|o| (Uuid::now_v7(), o.clone())).collect();
        let load = RegisterLoad {
            source: "register",
            orgs: &with_ids,
            rechecked: &[],
        };
        Ok(self.load_register(programme, &load, actor).await?.new)
    }

    async fn load_register(
        &self,
        programme: ProgrammeId,
        load: &RegisterLoad<'_>,
        actor: &Actor,
    ) -> Result<RegisterLoadOutcome> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let outcome = load_register_in(&mut tx, programme, load, actor).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn load_register_stream(
        &self,
        programme: ProgrammeId,
        source: &str,
        rows: tokio::sync::mpsc::Receiver<RegisterStream>,
        recheck: Option<Recheck>,
        actor: &Actor,
    ) -> Result<Option<RegisterLoadOutcome>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let outcome =
            load_register_stream_in(&mut tx, programme, source, rows, recheck, actor).await?;
        if outcome.is_some() {
            tx.commit().await?;
        }
        Ok(outcome)
    }

    async fn load_links(
        &self,
        programme: ProgrammeId,
        joins: &[(Uuid, Uuid)],
        marks: &RegisterLoad<'_>,
        actor: &Actor,
    ) -> Result<u64> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut joined = 0;
        for (keep, other) in joins {
            if let useit_core::enterprise::duplicates::Merged::Merged { .. } =
                super::enterprise_merge_sql::merge_in(&mut tx, programme, *keep, *other, actor)
                    .await?
            {
                joined += 1;
            }
        }
        if !marks.orgs.is_empty() {
            load_register_in(&mut tx, programme, marks, actor).await?;
        }
        tx.commit().await?;
        Ok(joined)
    }

    async fn organisation_ids(&self, programme: ProgrammeId) -> Result<Vec<(String, Uuid)>> {
        Ok(sqlx::query_as::<Db, (String, Uuid)>(
            "SELECT org_id, id FROM organisations WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn organisations_for_matching(
        &self,
        programme: ProgrammeId,
    ) -> Result<Vec<(Uuid, RegisterEntry)>> {
        let rows: Vec<(Uuid, String, Option<String>)> = sqlx::query_as::<Db, (Uuid, String, Option<String>)>(
            "SELECT id, name, company_number FROM organisations WHERE programme_id = $1 ORDER BY org_id",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, company_number)| {
                (
                    id,
                    RegisterEntry {
                        name,
                        company_number,
                    },
                )
            })
            .collect())
    }

    async fn organisation(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Organisation>> {
        let q = format!(
            "SELECT {ORG_COLUMNS} FROM organisations o WHERE o.programme_id = $1 AND o.id = $2"
        );
        sqlx::query_as::<Db, OrgRow>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Organisation::try_from)
            .transpose()
    }

    async fn search_organisations(
        &self,
        programme: ProgrammeId,
        search: &useit_core::anchors::register_search::RegisterSearch,
        limit: i64,
    ) -> Result<Vec<Organisation>> {
        let mut qb = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {ORG_COLUMNS} FROM organisations o WHERE o.programme_id = "
        ));
        qb.push_bind(programme.0).push(" AND (1 = 0");
        if let Some(key) = &search.name_key {
            // A name key has only letters, digits and single spaces: no
            // LIKE wildcard to escape.
            qb.push(" OR o.name_key LIKE ")
                .push_bind(format!("%{key}%"));
        }
        if let Some(n) = &search.company_number {
            qb.push(" OR o.company_number = ").push_bind(n);
        }
        if let Some(id) = &search.identifier {
            qb.push(" OR o.charity_number = ")
                .push_bind(id)
                .push(" OR UPPER(o.org_id) = ")
                .push_bind(id);
        }
        if let Some(p) = &search.postcode {
            qb.push(" OR REPLACE(UPPER(o.postcode), ' ', '') = ")
                .push_bind(p)
                .push(" OR REPLACE(UPPER(o.trading_postcode), ' ', '') = ")
                .push_bind(p);
        }
        qb.push(") ORDER BY lower(o.name), o.org_id LIMIT ")
            .push_bind(limit);
        qb.build_query_as::<OrgRow>()
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(Organisation::try_from)
            .collect()
    }

    async fn organisation_names(
        &self,
        programme: ProgrammeId,
        limit: i64,
    ) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query_as::<Db, (String, String, Option<String>)>(
            "SELECT org_id, name, COALESCE(trading_postcode, postcode) FROM organisations \
             WHERE programme_id = $1 ORDER BY lower(name), org_id LIMIT $2",
        )
        .bind(programme.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(useit_core::names::distinguish(rows))
    }
}

const ORG_COUNT: &str = "SELECT COUNT(*) FROM organisations WHERE programme_id = $1";

/// Writes register rows (an org-id already held keeps its id and, where
/// the row says nothing, what it had).
async fn upsert_orgs(
    tx: &mut Conn,
    programme: ProgrammeId,
    orgs: &[(Uuid, std::borrow::Cow<'_, OrganisationInput>)],
) -> Result<()> {
    for chunk in orgs.chunks(30_000 / 16) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO organisations (id, programme_id, org_id, name, name_key, kind, company_number, postcode, \
                 trading_postcode, source, legal_form, charity_number, sic_codes, register_status, lat, lon) ",
        );
        qb.push_values(chunk, |mut b, (id, o)| {
            let sic = (!o.details.sic_codes.is_empty()).then(|| o.details.sic_codes.join(","));
            b.push_bind(*id)
                .push_bind(programme.0)
                .push_bind(&o.org_id)
                .push_bind(&o.name)
                .push_bind(name_key(&o.name))
                .push_bind(o.kind.slug())
                .push_bind(&o.company_number)
                .push_bind(&o.postcode)
                .push_bind(&o.trading_postcode)
                .push_bind(&o.source)
                .push_bind(&o.details.legal_form)
                .push_bind(&o.details.charity_number)
                .push_bind(sic)
                .push_bind(&o.details.register_status)
                .push_bind(o.location.map(|l| l.lat))
                .push_bind(o.location.map(|l| l.lon));
        });
        // A recognised social enterprise keeps its kind; a charitable
        // company (known from a links file or the Charity Commission,
        // never from Companies House) keeps its form and its kind
        // unless the row says charitable company too.
        qb.push(
                " ON CONFLICT (programme_id, org_id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, \
                 kind = CASE WHEN organisations.kind = 'social_enterprise' THEN organisations.kind \
                 WHEN organisations.legal_form = 'charitable_company' \
                 AND COALESCE(excluded.legal_form, '') <> 'charitable_company' THEN organisations.kind \
                 ELSE excluded.kind END, \
                 company_number = COALESCE(excluded.company_number, organisations.company_number), \
                 postcode = COALESCE(excluded.postcode, organisations.postcode), \
                 trading_postcode = COALESCE(excluded.trading_postcode, organisations.trading_postcode), \
                 source = excluded.source, \
                 legal_form = CASE WHEN organisations.legal_form = 'charitable_company' THEN organisations.legal_form \
                 ELSE COALESCE(excluded.legal_form, organisations.legal_form) END, \
                 charity_number = COALESCE(excluded.charity_number, organisations.charity_number), \
                 sic_codes = COALESCE(excluded.sic_codes, organisations.sic_codes), \
                 register_status = COALESCE(excluded.register_status, organisations.register_status), \
                 lat = COALESCE(excluded.lat, organisations.lat), lon = COALESCE(excluded.lon, organisations.lon)",
            );
        qb.build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// Suppliers still waiting (not matched or decided) take what the fuller
/// register now says; a decision made meanwhile stands. Returns how many
/// changed.
async fn write_rechecked(
    tx: &mut Conn,
    programme: ProgrammeId,
    suppliers: &[NewSupplier],
) -> Result<u64> {
    let mut rechecked = 0u64;
    for s in suppliers {
        let changed = sqlx::query::<Db>(
            "UPDATE suppliers SET status = $3, organisation_id = $4, score = $5, reason = $6 \
                 WHERE programme_id = $1 AND key = $2 AND status IN ('unresolved', 'review')",
        )
        .bind(programme.0)
        .bind(&s.key)
        .bind(s.status.slug())
        .bind(s.matched.as_ref().map(|m| m.0))
        .bind(s.matched.as_ref().map(|m| m.1 as i64))
        .bind(s.matched.as_ref().map(|m| m.2.as_str()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            continue;
        }
        rechecked += 1;
        sqlx::query::<Db>(
            "DELETE FROM supplier_candidates WHERE programme_id = $1 AND supplier_key = $2",
        )
        .bind(programme.0)
        .bind(&s.key)
        .execute(&mut *tx)
        .await?;
        for (org, score, reason) in &s.candidates {
            sqlx::query::<Db>(
                    "INSERT INTO supplier_candidates (programme_id, supplier_key, organisation_id, score, reason) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(programme.0)
                .bind(&s.key)
                .bind(*org)
                .bind(*score as i64)
                .bind(reason)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(rechecked)
}

async fn register_audit(
    tx: &mut Conn,
    programme: ProgrammeId,
    source: &str,
    outcome: &RegisterLoadOutcome,
    redirected: u64,
    actor: &Actor,
) -> Result<()> {
    audit(
        &mut *tx,
        &AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Import,
            "organisation_register",
            None,
            format!(
                "{}: {} entries, {} new, {} for organisations merged away, {} suppliers re-checked",
                source, outcome.entries, outcome.new, redirected, outcome.rechecked
            ),
        )
        .said(
            AuditMessage::new("audit.msg.register_loaded")
                .text("source", source)
                .counted("entries", "register_entry", outcome.entries)
                .counted("new", "new_entry", outcome.new)
                .counted("rechecked", "rechecked", outcome.rechecked),
        ),
    )
    .await?;
    Ok(())
}

/// Loads register entries and re-checked suppliers inside the caller's
/// transaction (a register load's own, or a links file's with its joins).
async fn load_register_in(
    tx: &mut Conn,
    programme: ProgrammeId,
    load: &RegisterLoad<'_>,
    actor: &Actor,
) -> Result<RegisterLoadOutcome> {
    super::revision_sql::bump_programme(&mut *tx, programme).await?;
    let before: i64 = sqlx::query_scalar::<Db, i64>(ORG_COUNT)
        .bind(programme.0)
        .fetch_one(&mut *tx)
        .await?;
    let redirect = merge_redirects(&mut *tx, programme).await?;
    let (orgs, redirected) = redirect_rows(&redirect, load.orgs);
    upsert_orgs(&mut *tx, programme, &orgs).await?;
    let after: i64 = sqlx::query_scalar::<Db, i64>(ORG_COUNT)
        .bind(programme.0)
        .fetch_one(&mut *tx)
        .await?;
    let rechecked = write_rechecked(&mut *tx, programme, load.rechecked).await?;
    let outcome = RegisterLoadOutcome {
        entries: load.orgs.len() as u64,
        new: (after - before) as u64,
        rechecked,
    };
    register_audit(
        &mut *tx,
        programme,
        load.source,
        &outcome,
        redirected,
        actor,
    )
    .await?;
    Ok(outcome)
}

/// A streamed register load in one transaction (see
/// [`RegisterStore::load_register_stream`]).
async fn load_register_stream_in(
    tx: &mut Conn,
    programme: ProgrammeId,
    source: &str,
    mut rows: tokio::sync::mpsc::Receiver<RegisterStream>,
    recheck: Option<Recheck>,
    actor: &Actor,
) -> Result<Option<RegisterLoadOutcome>> {
    super::revision_sql::bump_programme(&mut *tx, programme).await?;
    let before: i64 = sqlx::query_scalar::<Db, i64>(ORG_COUNT)
        .bind(programme.0)
        .fetch_one(&mut *tx)
        .await?;
    let redirect = merge_redirects(&mut *tx, programme).await?;
    let (mut entries, mut redirected) = (0u64, 0u64);
    loop {
        match rows.recv().await {
            Some(RegisterStream::Orgs(batch)) => {
                entries += batch.len() as u64;
                let batch: Vec<(Uuid, OrganisationInput)> =
                    batch.into_iter().map(|o| (Uuid::now_v7(), o)).collect();
                // Each batch on its own: a merged-away row whose kept
                // organisation's own row comes in a later batch is written
                // to it first, then that row over it.
                let (orgs, r) = redirect_rows(&redirect, &batch);
                redirected += r;
                upsert_orgs(&mut *tx, programme, &orgs).await?;
            }
            Some(RegisterStream::End { write: true }) => break,
            // Asked to write nothing, or the reader stopped: the
            // transaction is dropped, so nothing is written.
            Some(RegisterStream::End { write: false }) | None => return Ok(None),
        }
    }
    let after: i64 = sqlx::query_scalar::<Db, i64>(ORG_COUNT)
        .bind(programme.0)
        .fetch_one(&mut *tx)
        .await?;
    let rechecked = match recheck {
        None => 0,
        Some(rule) => {
            let register: Vec<(Uuid, String, Option<String>)> = sqlx::query_as::<Db, (Uuid, String, Option<String>)>(
                "SELECT id, name, company_number FROM organisations WHERE programme_id = $1 ORDER BY org_id",
            )
            .bind(programme.0)
            .fetch_all(&mut *tx)
            .await?;
            let register = register
                .into_iter()
                .map(|(id, name, company_number)| {
                    (
                        id,
                        RegisterEntry {
                            name,
                            company_number,
                        },
                    )
                })
                .collect();
            let suppliers = rule(register);
            write_rechecked(&mut *tx, programme, &suppliers).await?
        }
    };
    let outcome = RegisterLoadOutcome {
        entries,
        new: (after - before) as u64,
        rechecked,
    };
    register_audit(&mut *tx, programme, source, &outcome, redirected, actor).await?;
    Ok(Some(outcome))
}
