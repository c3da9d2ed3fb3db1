// Suppliers (the names on spend lines, resolved against the register) and
// the decisions people make about them, in SQL both backends understand.
// Compiled into `sqlite.rs` and `postgres.rs` as a module. A spend file's
// new suppliers are written with the file (`spend_sql.rs`).

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::measures::SupplierKind;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;

use super::anchors_register_sql::{ORG_COLUMNS, OrgRow};
use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::anchors::suppliers::SupplierStore;
use crate::anchors::*;
use crate::{Result, StoreError};

#[derive(sqlx::FromRow)]
struct SupplierRow {
    key: String,
    name: String,
    company_number: Option<String>,
    status: String,
    score: Option<i64>,
    reason: Option<String>,
    org_uuid: Option<Uuid>,
    org_id: Option<String>,
    org_name: Option<String>,
    org_kind: Option<String>,
    org_company_number: Option<String>,
    org_postcode: Option<String>,
    org_trading_postcode: Option<String>,
    org_source: Option<String>,
    org_legal_form: Option<String>,
    org_charity_number: Option<String>,
    org_sic_codes: Option<String>,
    org_register_status: Option<String>,
    lines: i64,
    total: i64,
}

impl TryFrom<SupplierRow> for SupplierRecord {
    type Error = StoreError;
    fn try_from(r: SupplierRow) -> Result<Self> {
        let organisation = match (r.org_uuid, r.org_id, r.org_name, r.org_kind, r.org_source) {
            (Some(id), Some(org_id), Some(name), Some(kind), Some(source)) => {
                Some(Organisation::try_from(OrgRow {
                    id,
                    org_id,
                    name,
                    kind,
                    company_number: r.org_company_number,
                    postcode: r.org_postcode,
                    trading_postcode: r.org_trading_postcode,
                    source,
                    legal_form: r.org_legal_form,
                    charity_number: r.org_charity_number,
                    sic_codes: r.org_sic_codes,
                    register_status: r.org_register_status,
                })?)
            }
            _ => None,
        };
        Ok(SupplierRecord {
            status: SupplierStatus::parse(&r.status)
                .ok_or_else(|| corrupt(format!("supplier status {}", r.status)))?,
            key: r.key,
            name: r.name,
            company_number: r.company_number,
            organisation,
            score: r.score.map(|s| s.clamp(0, 100) as u8),
            reason: r.reason,
            lines: r.lines,
            total: r.total,
        })
    }
}

const SUPPLIER_SELECT: &str = "SELECT s.key, s.name, s.company_number, s.status, s.score, s.reason, \
     o.id AS org_uuid, o.org_id, o.name AS org_name, o.kind AS org_kind, o.company_number AS org_company_number, \
     o.postcode AS org_postcode, o.trading_postcode AS org_trading_postcode, o.source AS org_source, \
     o.legal_form AS org_legal_form, o.charity_number AS org_charity_number, o.sic_codes AS org_sic_codes, \
     o.register_status AS org_register_status, \
     COALESCE(t.lines, 0) AS lines, COALESCE(t.total, 0) AS total \
     FROM suppliers s \
     LEFT JOIN organisations o ON o.programme_id = s.programme_id AND o.id = s.organisation_id \
     LEFT JOIN (SELECT supplier_key, COUNT(*) AS lines, CAST(SUM(amount_pence) AS BIGINT) AS total \
                FROM spend_lines WHERE programme_id = $1 AND file_id NOT IN \
                  (SELECT id FROM spend_files WHERE programme_id = $1 AND staging_at IS NOT NULL) \
                GROUP BY supplier_key) t ON t.supplier_key = s.key \
     WHERE s.programme_id = $1";

#[async_trait]
impl SupplierStore for ThisStore {
    async fn known_suppliers(
        &self,
        programme: ProgrammeId,
        keys: &[String],
    ) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for chunk in keys.chunks(5_000) {
            let mut qb =
                sqlx::QueryBuilder::<Db>::new("SELECT key FROM suppliers WHERE programme_id = ");
            qb.push_bind(programme.0).push(" AND key IN (");
            let mut sep = qb.separated(", ");
            for k in chunk {
                sep.push_bind(k);
            }
            qb.push(")");
            out.extend(
                qb.build_query_scalar::<String>()
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        Ok(out)
    }

    async fn supplier_facts(&self, programme: ProgrammeId) -> Result<Vec<SupplierFacts>> {
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<f64>,
            Option<f64>,
            Option<Uuid>,
            Option<String>,
        );
        let rows: Vec<Row> =
            sqlx::query_as::<Db, Row>(
                "SELECT s.key, s.name, o.kind, o.postcode, o.trading_postcode, o.lat, o.lon, o.id, o.name FROM suppliers s \
                 LEFT JOIN organisations o ON o.programme_id = s.programme_id AND o.id = s.organisation_id \
                 WHERE s.programme_id = $1",
            )
            .bind(programme.0)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(key, name, kind, postcode, trading_postcode, lat, lon, org_id, org_name)| {
                    SupplierFacts {
                        key,
                        name,
                        kind: kind.as_deref().and_then(SupplierKind::parse),
                        postcode,
                        trading_postcode,
                        location: lat
                            .zip(lon)
                            .and_then(|(lat, lon)| useit_core::place::Location::new(lat, lon)),
                        organisation: org_id.zip(org_name).map(|(id, name)| {
                            useit_core::anchors::measures::MatchedOrganisation { id, name }
                        }),
                    }
                },
            )
            .collect())
    }

    async fn suppliers(
        &self,
        programme: ProgrammeId,
        status: Option<SupplierStatus>,
    ) -> Result<Vec<SupplierRecord>> {
        let q = format!(
            "{SUPPLIER_SELECT} AND ($2 IS NULL OR s.status = $2) ORDER BY total DESC, s.name"
        );
        sqlx::query_as::<Db, SupplierRow>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .bind(status.map(|s| s.slug()))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(SupplierRecord::try_from)
            .collect()
    }

    async fn supplier(&self, programme: ProgrammeId, key: &str) -> Result<Option<SupplierRecord>> {
        let q = format!("{SUPPLIER_SELECT} AND s.key = $2");
        sqlx::query_as::<Db, SupplierRow>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .map(SupplierRecord::try_from)
            .transpose()
    }

    async fn supplier_candidates(
        &self,
        programme: ProgrammeId,
        key: &str,
    ) -> Result<Vec<SupplierCandidate>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            org: OrgRow,
            score: i64,
            reason: String,
        }
        let q = format!(
            "SELECT {ORG_COLUMNS}, c.score, c.reason FROM supplier_candidates c \
             JOIN organisations o ON o.programme_id = c.programme_id AND o.id = c.organisation_id \
             WHERE c.programme_id = $1 AND c.supplier_key = $2 ORDER BY c.score DESC, o.name"
        );
        sqlx::query_as::<Db, Row>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .bind(key)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                Ok(SupplierCandidate {
                    organisation: Organisation::try_from(r.org)?,
                    score: r.score.clamp(0, 100) as u8,
                    reason: r.reason,
                })
            })
            .collect()
    }

    async fn decide_supplier(
        &self,
        programme: ProgrammeId,
        key: &str,
        organisation: Option<Uuid>,
        actor: &Actor,
    ) -> Result<SupplierRecord> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        super::revision_sql::bump_programme(&mut tx, programme).await?;
        write_decision(&mut tx, programme, key, organisation, actor).await?;
        tx.commit().await?;
        self.supplier(programme, key)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn decide_suppliers(
        &self,
        programme: ProgrammeId,
        decisions: &[(String, Option<Uuid>)],
        actor: &Actor,
    ) -> Result<u64> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        super::revision_sql::bump_programme(&mut tx, programme).await?;
        for (key, organisation) in decisions {
            write_decision(&mut tx, programme, key, *organisation, actor).await?;
        }
        tx.commit().await?;
        Ok(decisions.len() as u64)
    }
}

/// A person's decision on one supplier and its audit entry, inside the
/// caller's transaction (one supplier's page, or many at once).
async fn write_decision(
    tx: &mut sqlx::Transaction<'_, Db>,
    programme: ProgrammeId,
    key: &str,
    organisation: Option<Uuid>,
    actor: &Actor,
) -> Result<()> {
    if let Some(org) = organisation {
        let n: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM organisations WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(org)
        .fetch_one(&mut **tx)
        .await?;
        if n == 0 {
            return Err(StoreError::Invalid(useit_core::validation::Invalid::one(
                "organisation",
                useit_core::i18n::Message::new("anchors.supplier.organisation_unknown"),
            )));
        }
    }
    let status = if organisation.is_some() {
        SupplierStatus::Accepted
    } else {
        SupplierStatus::NoMatch
    };
    let organisation_name = match organisation {
        Some(org) => {
            sqlx::query_scalar::<Db, String>(
                "SELECT name FROM organisations WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme.0)
            .bind(org)
            .fetch_optional(&mut **tx)
            .await?
        }
        None => None,
    };
    let supplier_name = sqlx::query_scalar::<Db, String>(
        "SELECT name FROM suppliers WHERE programme_id = $1 AND key = $2",
    )
    .bind(programme.0)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?
    .unwrap_or_else(|| key.to_string());
    let changed = sqlx::query::<Db>(
            "UPDATE suppliers SET organisation_id = $3, status = $4, score = NULL, reason = $5, decided_by = $6, decided_at = $7 \
             WHERE programme_id = $1 AND key = $2",
        )
        .bind(programme.0)
        .bind(key)
        .bind(organisation)
        .bind(status.slug())
        .bind("anchors.supplier.reason.decided")
        .bind(&actor.label)
        .bind(clock::now())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    audit(
        &mut *tx,
        &AuditEntry::new(
            actor,
            Some(programme),
            AuditAction::Update,
            "supplier",
            Some(key.to_string()),
            format!(
                "{}: {}",
                status.slug(),
                organisation.map(|o| o.to_string()).unwrap_or_default()
            ),
        )
        .said(match organisation_name {
            Some(name) => AuditMessage::new("audit.msg.supplier_matched")
                .text("supplier", &supplier_name)
                .text("organisation", name),
            None => {
                AuditMessage::new("audit.msg.supplier_no_match").text("supplier", &supplier_name)
            }
        }),
    )
    .await?;
    Ok(())
}
