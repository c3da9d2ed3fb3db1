// Social enterprises in SQL both backends understand. Compiled into
// `sqlite.rs` and `postgres.rs` as a module.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::measures::SupplierKind;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::enterprise::formed::BidOutcome;
use useit_core::enterprise::support::{PlanStage, SupportKind};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::enterprise::*;
use crate::{Result, StoreError};

fn corrupt(what: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(what.into()))
}

#[derive(sqlx::FromRow)]
struct EnterpriseRow {
    id: Uuid,
    org_id: String,
    name: String,
    kind: String,
    company_number: Option<String>,
    charity_number: Option<String>,
    postcode: Option<String>,
    legal_form: Option<String>,
    profile: Option<String>,
}

impl TryFrom<EnterpriseRow> for Enterprise {
    type Error = StoreError;
    fn try_from(r: EnterpriseRow) -> Result<Enterprise> {
        Ok(Enterprise {
            id: r.id,
            org_id: r.org_id,
            name: r.name,
            kind: SupplierKind::parse(&r.kind)
                .ok_or_else(|| corrupt(format!("organisation kind {}", r.kind)))?,
            company_number: r.company_number,
            charity_number: r.charity_number,
            postcode: r.postcode,
            register_legal_form: r.legal_form,
            profile: r
                .profile
                .map(|p| serde_json::from_str::<Profile>(&p))
                .transpose()
                .map_err(|e| corrupt(format!("enterprise profile: {e}")))?,
        })
    }
}

const ENTERPRISE_SELECT: &str = "SELECT o.id, o.org_id, o.name, o.kind, o.company_number, o.charity_number, \
     o.postcode, o.legal_form, p.profile FROM organisations o \
     LEFT JOIN enterprise_profiles p ON p.programme_id = o.programme_id AND p.organisation_id = o.id \
     WHERE o.programme_id = $1";

#[derive(sqlx::FromRow)]
struct SupportRow {
    id: Uuid,
    organisation_id: Uuid,
    given_on: Date,
    kind: String,
    tenths_of_hours: i32,
    outcome: String,
    plan_stage: String,
    adviser: String,
}

impl TryFrom<SupportRow> for Support {
    type Error = StoreError;
    fn try_from(r: SupportRow) -> Result<Support> {
        Ok(Support {
            id: r.id,
            organisation: r.organisation_id,
            adviser: r.adviser,
            draft: SupportDraft {
                given_on: r.given_on,
                kind: SupportKind::parse(&r.kind)
                    .ok_or_else(|| corrupt(format!("support kind {}", r.kind)))?,
                tenths_of_hours: u32::try_from(r.tenths_of_hours).unwrap_or(0),
                outcome: r.outcome,
                plan_stage: PlanStage::parse(&r.plan_stage)
                    .ok_or_else(|| corrupt(format!("plan stage {}", r.plan_stage)))?,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
struct IncomeRow {
    organisation_id: Uuid,
    year: i32,
    grants: i64,
    donations: i64,
    trading: i64,
    contracts: i64,
}

#[derive(sqlx::FromRow)]
struct LotRow {
    id: Uuid,
    lot: String,
}

fn lot_of(r: LotRow) -> Result<Lot> {
    Ok(Lot {
        id: r.id,
        draft: serde_json::from_str::<LotDraft>(&r.lot)
            .map_err(|e| corrupt(format!("lot: {e}")))?,
    })
}

#[derive(sqlx::FromRow)]
struct ConsortiumRow {
    id: Uuid,
    name: String,
    lead_id: Uuid,
    lot_id: Option<Uuid>,
    formed_on: Date,
}

#[derive(sqlx::FromRow)]
struct BidRow {
    id: Uuid,
    consortium_id: Uuid,
    bid_on: Date,
    outcome: String,
    note: String,
}

#[async_trait]
impl EnterpriseStore for ThisStore {
    async fn consortia(&self, programme: ProgrammeId) -> Result<Vec<Consortium>> {
        let rows = sqlx::query_as::<Db, ConsortiumRow>(
            "SELECT id, name, lead_id, lot_id, formed_on FROM enterprise_consortia \
             WHERE programme_id = $1 ORDER BY formed_on DESC, id DESC",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        let members = sqlx::query_as::<Db, (Uuid, Uuid)>(
            "SELECT m.consortium_id, m.organisation_id FROM enterprise_consortium_members m \
             JOIN organisations o ON o.programme_id = m.programme_id AND o.id = m.organisation_id \
             WHERE m.programme_id = $1 ORDER BY o.name, o.id",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        let bids = sqlx::query_as::<Db, BidRow>(
            "SELECT id, consortium_id, bid_on, outcome, note FROM enterprise_bids \
             WHERE programme_id = $1 ORDER BY bid_on, created_at, id",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let mut m: Vec<Uuid> = members
                    .iter()
                    .filter(|(c, _)| *c == r.id)
                    .map(|(_, o)| *o)
                    .collect();
                // The lead first.
                m.sort_by_key(|o| *o != r.lead_id);
                Ok(Consortium {
                    id: r.id,
                    draft: ConsortiumDraft {
                        name: r.name,
                        lead: r.lead_id,
                        members: m,
                        lot: r.lot_id,
                        formed_on: r.formed_on,
                    },
                    bids: bids
                        .iter()
                        .filter(|b| b.consortium_id == r.id)
                        .map(|b| {
                            Ok(Bid {
                                id: b.id,
                                on: b.bid_on,
                                outcome: BidOutcome::parse(&b.outcome)
                                    .ok_or_else(|| corrupt(format!("bid outcome {}", b.outcome)))?,
                                note: b.note.clone(),
                            })
                        })
                        .collect::<Result<_>>()?,
                })
            })
            .collect()
    }

    async fn save_consortium(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        draft: &ConsortiumDraft,
        actor: &Actor,
    ) -> Result<Uuid> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let now = clock::now();
        let (id, action) = match id {
            Some(id) => {
                let n = sqlx::query::<Db>(
                    "UPDATE enterprise_consortia SET name = $3, lead_id = $4, lot_id = $5, \
                     formed_on = $6, updated_at = $7 WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(id)
                .bind(&draft.name)
                .bind(draft.lead)
                .bind(draft.lot)
                .bind(draft.formed_on)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    return Err(StoreError::NotFound);
                }
                sqlx::query::<Db>(
                    "DELETE FROM enterprise_consortium_members WHERE programme_id = $1 AND consortium_id = $2",
                )
                .bind(programme.0)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (id, AuditAction::Update)
            }
            None => {
                let id = Uuid::now_v7();
                sqlx::query::<Db>(
                    "INSERT INTO enterprise_consortia (id, programme_id, name, lead_id, lot_id, formed_on, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                )
                .bind(id)
                .bind(programme.0)
                .bind(&draft.name)
                .bind(draft.lead)
                .bind(draft.lot)
                .bind(draft.formed_on)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                (id, AuditAction::Create)
            }
        };
        for m in &draft.members {
            sqlx::query::<Db>(
                "INSERT INTO enterprise_consortium_members (programme_id, consortium_id, organisation_id) \
                 VALUES ($1, $2, $3)",
            )
            .bind(programme.0)
            .bind(id)
            .bind(*m)
            .execute(&mut *tx)
            .await?;
        }
        let lead = organisation_name(&mut tx, programme, draft.lead).await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                action,
                "enterprise_consortium",
                Some(id.to_string()),
                format!(
                    "{}: {} members, lead {}, lot {}",
                    draft.name,
                    draft.members.len(),
                    draft.lead,
                    draft
                        .lot
                        .map(|l| l.to_string())
                        .unwrap_or_else(|| "none".into())
                ),
            )
            .said(
                AuditMessage::new(if action == AuditAction::Create {
                    "audit.msg.consortium_added"
                } else {
                    "audit.msg.consortium_changed"
                })
                .text("name", &draft.name)
                .text("lead", &lead)
                .counted("members", "member", draft.members.len() as u64),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn add_bid(
        &self,
        programme: ProgrammeId,
        consortium: Uuid,
        bid: &BidDraft,
        actor: &Actor,
    ) -> Result<Bid> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let id = Uuid::now_v7();
        sqlx::query::<Db>(
            "INSERT INTO enterprise_bids (id, programme_id, consortium_id, bid_on, outcome, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(programme.0)
        .bind(consortium)
        .bind(bid.on)
        .bind(bid.outcome.slug())
        .bind(&bid.note)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        let consortium_name = sqlx::query_scalar::<Db, String>(
            "SELECT name FROM enterprise_consortia WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(consortium)
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or_default();
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Create,
                "enterprise_bid",
                Some(id.to_string()),
                format!(
                    "{} on {} for consortium {consortium}",
                    bid.outcome.slug(),
                    bid.on
                ),
            )
            .said(
                AuditMessage::new("audit.msg.bid_recorded")
                    .text("name", &consortium_name)
                    .date("on", bid.on)
                    .word("outcome", bid.outcome.label_key()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Bid {
            id,
            on: bid.on,
            outcome: bid.outcome,
            note: bid.note.clone(),
        })
    }

    async fn resolved_supplier_keys(&self, programme: ProgrammeId) -> Result<Vec<(Uuid, String)>> {
        Ok(sqlx::query_as::<Db, (Uuid, String)>(
            "SELECT organisation_id, key FROM suppliers WHERE programme_id = $1 \
             AND organisation_id IS NOT NULL AND status IN ('matched', 'accepted') ORDER BY key",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn enterprises(&self, programme: ProgrammeId) -> Result<Vec<Enterprise>> {
        let q = format!(
            "{ENTERPRISE_SELECT} AND (o.kind = 'social_enterprise' OR p.profile IS NOT NULL) ORDER BY o.name, o.id"
        );
        sqlx::query_as::<Db, EnterpriseRow>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(Enterprise::try_from)
            .collect()
    }

    async fn all_organisations(&self, programme: ProgrammeId) -> Result<Vec<Enterprise>> {
        let q = format!("{ENTERPRISE_SELECT} ORDER BY o.name, o.id");
        sqlx::query_as::<Db, EnterpriseRow>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(Enterprise::try_from)
            .collect()
    }

    async fn organisations_by_ids(
        &self,
        programme: ProgrammeId,
        ids: &[Uuid],
    ) -> Result<Vec<Enterprise>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(1_000) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(ENTERPRISE_SELECT.replace("$1", ""));
            qb.push_bind(programme.0).push(" AND o.id IN (");
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            for row in qb
                .build_query_as::<EnterpriseRow>()
                .fetch_all(&self.pool)
                .await?
            {
                out.push(Enterprise::try_from(row)?);
            }
        }
        Ok(out)
    }

    async fn enterprise(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Enterprise>> {
        let q = format!("{ENTERPRISE_SELECT} AND o.id = $2");
        sqlx::query_as::<Db, EnterpriseRow>(sqlx::AssertSqlSafe(q))
            .bind(programme.0)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Enterprise::try_from)
            .transpose()
    }

    async fn save_profile(
        &self,
        programme: ProgrammeId,
        organisation: Uuid,
        profile: &Profile,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        super::enterprise_directory_sql::write_profile(
            &mut tx,
            programme,
            organisation,
            profile,
            actor,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn support(
        &self,
        programme: ProgrammeId,
        organisation: Option<Uuid>,
    ) -> Result<Vec<Support>> {
        sqlx::query_as::<Db, SupportRow>(
            "SELECT id, organisation_id, given_on, kind, tenths_of_hours, outcome, plan_stage, adviser \
             FROM enterprise_support WHERE programme_id = $1 AND ($2 IS NULL OR organisation_id = $2) \
             ORDER BY given_on DESC, id DESC",
        )
        .bind(programme.0)
        .bind(organisation)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Support::try_from)
        .collect()
    }

    async fn add_support(
        &self,
        programme: ProgrammeId,
        organisation: Uuid,
        draft: &SupportDraft,
        actor: &Actor,
    ) -> Result<Support> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let id = Uuid::now_v7();
        let adviser = actor.label.clone();
        sqlx::query::<Db>(
            "INSERT INTO enterprise_support (id, programme_id, organisation_id, given_on, kind, \
             tenths_of_hours, outcome, plan_stage, adviser, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(programme.0)
        .bind(organisation)
        .bind(draft.given_on)
        .bind(draft.kind.slug())
        .bind(i32::try_from(draft.tenths_of_hours).unwrap_or(i32::MAX))
        .bind(&draft.outcome)
        .bind(draft.plan_stage.slug())
        .bind(&adviser)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        let org_name = organisation_name(&mut tx, programme, organisation).await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Create,
                "enterprise_support",
                Some(id.to_string()),
                format!("{} for {organisation}", draft.kind.slug()),
            )
            .said(
                AuditMessage::new("audit.msg.support_given")
                    .text("name", &org_name)
                    .word("kind", draft.kind.label_key()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Support {
            id,
            organisation,
            adviser,
            draft: draft.clone(),
        })
    }

    async fn income(
        &self,
        programme: ProgrammeId,
        organisation: Option<Uuid>,
    ) -> Result<Vec<(Uuid, IncomeYear)>> {
        Ok(sqlx::query_as::<Db, IncomeRow>(
            "SELECT organisation_id, year, grants, donations, trading, contracts FROM enterprise_income \
             WHERE programme_id = $1 AND ($2 IS NULL OR organisation_id = $2) ORDER BY organisation_id, year",
        )
        .bind(programme.0)
        .bind(organisation)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.organisation_id,
                IncomeYear {
                    year: r.year,
                    grants: r.grants,
                    donations: r.donations,
                    trading: r.trading,
                    contracts: r.contracts,
                },
            )
        })
        .collect())
    }

    async fn save_income(
        &self,
        programme: ProgrammeId,
        organisation: Uuid,
        income: &IncomeYear,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        // An UPDATE, else an INSERT; not an upsert: on SQLite the record
        // counter's trigger fails inside an upsert's DO UPDATE (see
        // `20261206000032_grants.sql`).
        for sql in [
            "UPDATE enterprise_income SET grants = $4, donations = $5, trading = $6, contracts = $7 \
             WHERE programme_id = $1 AND organisation_id = $2 AND year = $3",
            "INSERT INTO enterprise_income (programme_id, organisation_id, year, grants, donations, trading, contracts) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        ] {
            let n = sqlx::query::<Db>(sql)
                .bind(programme.0)
                .bind(organisation)
                .bind(income.year)
                .bind(income.grants)
                .bind(income.donations)
                .bind(income.trading)
                .bind(income.contracts)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                break;
            }
        }
        let org_name = organisation_name(&mut tx, programme, organisation).await?;
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "enterprise_income",
                Some(organisation.to_string()),
                format!("income for {}", income.year),
            )
            .said(
                AuditMessage::new("audit.msg.income_saved")
                    .text("name", &org_name)
                    .text("year", income.year.to_string()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn lots(&self, programme: ProgrammeId) -> Result<Vec<Lot>> {
        let mut lots: Vec<Lot> = sqlx::query_as::<Db, LotRow>(
            "SELECT id, lot FROM enterprise_lots WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(lot_of)
        .collect::<Result<_>>()?;
        lots.sort_by(|a, b| {
            (a.draft.requirements.deadline, &a.draft.reference)
                .cmp(&(b.draft.requirements.deadline, &b.draft.reference))
        });
        Ok(lots)
    }

    async fn lot(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Lot>> {
        sqlx::query_as::<Db, LotRow>(
            "SELECT id, lot FROM enterprise_lots WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(lot_of)
        .transpose()
    }

    async fn save_lots(
        &self,
        programme: ProgrammeId,
        lots: &[LotDraft],
        source: &str,
        actor: &Actor,
    ) -> Result<LotsSaved> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let now = clock::now();
        let mut out = LotsSaved::default();
        for l in lots {
            let json = serde_json::to_string(l).expect("a lot serialises");
            let held: Option<(Uuid, String)> = sqlx::query_as::<Db, (Uuid, String)>(
                "SELECT id, lot FROM enterprise_lots WHERE programme_id = $1 AND reference = $2",
            )
            .bind(programme.0)
            .bind(&l.reference)
            .fetch_optional(&mut *tx)
            .await?;
            match held {
                Some((_, old))
                    if serde_json::from_str::<LotDraft>(&old).ok().as_ref() == Some(l) =>
                {
                    out.unchanged += 1;
                }
                Some((id, _)) => {
                    sqlx::query::<Db>(
                        "UPDATE enterprise_lots SET lot = $3, updated_at = $4 WHERE programme_id = $1 AND id = $2",
                    )
                    .bind(programme.0)
                    .bind(id)
                    .bind(&json)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    out.changed += 1;
                }
                None => {
                    sqlx::query::<Db>(
                        "INSERT INTO enterprise_lots (id, programme_id, reference, lot, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $5)",
                    )
                    .bind(Uuid::now_v7())
                    .bind(programme.0)
                    .bind(&l.reference)
                    .bind(&json)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    out.new += 1;
                }
            }
        }
        if out.new + out.changed > 0 {
            audit(
                &mut tx,
                &AuditEntry::new(
                    actor,
                    Some(programme),
                    AuditAction::Import,
                    "enterprise_lots",
                    None,
                    format!("{source}: {} new, {} changed", out.new, out.changed),
                )
                .said(
                    AuditMessage::new("audit.msg.lots_imported")
                        .text("source", source)
                        .counted("new", "added", out.new)
                        .counted("changed", "changed", out.changed),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}

/// An organisation's name for an audit message (empty if it is not held).
pub(super) async fn organisation_name(
    conn: &mut <Db as sqlx::Database>::Connection,
    programme: ProgrammeId,
    organisation: Uuid,
) -> Result<String> {
    Ok(sqlx::query_scalar::<Db, String>(
        "SELECT name FROM organisations WHERE programme_id = $1 AND id = $2",
    )
    .bind(programme.0)
    .bind(organisation)
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or_default())
}
