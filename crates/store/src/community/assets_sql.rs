// The asset map in SQL both backends understand. Compiled into `sqlite.rs`
// and `postgres.rs` as a module.

use std::collections::BTreeSet;

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::interactions::InteractionKind;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::community::asset::{Asset, AssetDraft, AssetKind, InteractionRef, OrganisationRef};
use useit_core::i18n::Message;
use useit_core::validation::{FieldError, Invalid};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::community::assets::*;
use crate::talent::{decode_err, parse_or};
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

#[derive(sqlx::FromRow)]
struct AssetRow {
    id: Uuid,
    community_id: Option<Uuid>,
    community_name: Option<String>,
    kind: String,
    name: String,
    description: String,
    postcode: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    organisation_id: Option<Uuid>,
    org_id: Option<String>,
    organisation_name: Option<String>,
    who_can_use: String,
    contact_email: String,
    contact_phone: String,
    url: String,
    eligibility: String,
    schedule: String,
    people: Option<i64>,
    interaction_id: Option<Uuid>,
    anchor_name: Option<String>,
    interaction_organisation: Option<String>,
    interaction_kind: Option<String>,
    interaction_started_on: Option<Date>,
    interaction_ended_on: Option<Date>,
    started_on: Option<Date>,
    ended_on: Option<Date>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

const ASSET_SELECT: &str = "SELECT a.id, a.community_id, c.name AS community_name, a.kind, a.name, \
     a.description, a.postcode, a.lat, a.lon, a.organisation_id, o.org_id, \
     o.name AS organisation_name, a.who_can_use, a.contact_email, a.contact_phone, a.url, \
     a.eligibility, a.schedule, a.people, a.interaction_id, an.name AS anchor_name, \
     io.name AS interaction_organisation, i.kind AS interaction_kind, \
     i.started_on AS interaction_started_on, i.ended_on AS interaction_ended_on, \
     a.started_on, a.ended_on, a.created_at, a.updated_at \
     FROM community_assets a \
     LEFT JOIN communities c ON c.programme_id = a.programme_id AND c.id = a.community_id \
     LEFT JOIN organisations o ON o.programme_id = a.programme_id AND o.id = a.organisation_id \
     LEFT JOIN anchor_interactions i ON i.programme_id = a.programme_id AND i.id = a.interaction_id \
     LEFT JOIN anchors an ON an.programme_id = i.programme_id AND an.id = i.anchor_id \
     LEFT JOIN organisations io ON io.programme_id = i.programme_id AND io.id = i.organisation_id";

impl TryFrom<AssetRow> for Asset {
    type Error = StoreError;
    fn try_from(r: AssetRow) -> Result<Asset> {
        let interaction = match (
            r.interaction_id,
            r.interaction_kind,
            r.interaction_started_on,
        ) {
            (Some(id), Some(kind), Some(started_on)) => Some(InteractionRef {
                id,
                anchor_name: r.anchor_name.unwrap_or_default(),
                organisation_name: r.interaction_organisation.unwrap_or_default(),
                kind: parse_or("interaction kind", &kind, InteractionKind::parse)?,
                started_on,
                ended_on: r.interaction_ended_on,
            }),
            _ => None,
        };
        Ok(Asset {
            id: r.id,
            draft: AssetDraft {
                kind: parse_or("asset kind", &r.kind, AssetKind::parse)?,
                name: r.name,
                description: r.description,
                community: r.community_id,
                postcode: r.postcode,
                lat: r.lat,
                lon: r.lon,
                organisation: r.organisation_id,
                who_can_use: r.who_can_use,
                contact_email: r.contact_email,
                contact_phone: r.contact_phone,
                url: r.url,
                eligibility: r.eligibility,
                schedule: r.schedule,
                people: r
                    .people
                    .map(|n| {
                        u32::try_from(n).map_err(|_| decode_err("asset people", &n.to_string()))
                    })
                    .transpose()?,
                interaction: r.interaction_id,
                started_on: r.started_on,
                ended_on: r.ended_on,
            },
            community_name: r.community_name,
            organisation: match (r.organisation_id, r.org_id, r.organisation_name) {
                (Some(id), Some(org_id), Some(name)) => Some(OrganisationRef { id, org_id, name }),
                _ => None,
            },
            interaction,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

async fn load(conn: &mut Conn, programme: ProgrammeId, only: Option<Uuid>) -> Result<Vec<Asset>> {
    sqlx::query_as::<Db, AssetRow>(sqlf!(
        "{ASSET_SELECT} WHERE a.programme_id = $1 AND ($2 IS NULL OR a.id = $2) \
         ORDER BY a.name, a.id"
    ))
    .bind(programme.0)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(Asset::try_from)
    .collect()
}

async fn exists(
    conn: &mut Conn,
    sql: &'static str,
    programme: ProgrammeId,
    id: Uuid,
) -> Result<bool> {
    Ok(sqlx::query_scalar::<Db, i64>(sql)
        .bind(programme.0)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?
        > 0)
}

/// The fields naming something the programme does not have.
async fn check_refs(conn: &mut Conn, programme: ProgrammeId, d: &AssetDraft) -> Result<()> {
    let mut errs = Vec::new();
    let bad = |field: &str, key: &str| FieldError {
        field: field.into(),
        message: Message::new(key.to_string()),
    };
    if let Some(c) = d.community
        && !exists(
            conn,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM communities WHERE programme_id = $1 AND id = $2",
            programme,
            c,
        )
        .await?
    {
        errs.push(bad("community", "community.asset.community_unknown"));
    }
    if let Some(o) = d.organisation
        && !exists(
            conn,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM organisations WHERE programme_id = $1 AND id = $2",
            programme,
            o,
        )
        .await?
    {
        errs.push(bad("organisation", "community.organisation_unknown"));
    }
    if let Some(i) = d.interaction
        && !exists(
            conn,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM anchor_interactions WHERE programme_id = $1 AND id = $2",
            programme,
            i,
        )
        .await?
    {
        errs.push(bad("interaction", "community.asset.interaction_unknown"));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(Invalid(errs)))
    }
}

/// Writes one asset inside the caller's transaction, with its audit entry.
async fn write(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: Option<Uuid>,
    d: &AssetDraft,
    actor: &Actor,
) -> Result<Uuid> {
    check_refs(conn, programme, d).await?;
    let now = clock::now();
    let (aid, action) = match id {
        Some(aid) => {
            let n = sqlx::query::<Db>(
                "UPDATE community_assets SET community_id = $3, kind = $4, name = $5, \
                 description = $6, postcode = $7, lat = $8, lon = $9, organisation_id = $10, \
                 who_can_use = $11, contact_email = $12, contact_phone = $13, url = $14, \
                 eligibility = $15, schedule = $16, people = $17, interaction_id = $18, \
                 started_on = $19, ended_on = $20, updated_at = $21 \
                 WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme.0)
            .bind(aid)
            .bind(d.community)
            .bind(d.kind.slug())
            .bind(&d.name)
            .bind(&d.description)
            .bind(d.postcode.as_deref())
            .bind(d.lat)
            .bind(d.lon)
            .bind(d.organisation)
            .bind(&d.who_can_use)
            .bind(&d.contact_email)
            .bind(&d.contact_phone)
            .bind(&d.url)
            .bind(&d.eligibility)
            .bind(&d.schedule)
            .bind(d.people.map(i64::from))
            .bind(d.interaction)
            .bind(d.started_on)
            .bind(d.ended_on)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            (aid, AuditAction::Update)
        }
        None => {
            let aid = Uuid::now_v7();
            sqlx::query::<Db>(
                "INSERT INTO community_assets (id, programme_id, community_id, kind, name, \
                 description, postcode, lat, lon, organisation_id, who_can_use, contact_email, \
                 contact_phone, url, eligibility, schedule, people, interaction_id, started_on, \
                 ended_on, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
                 $17, $18, $19, $20, $21, $21)",
            )
            .bind(aid)
            .bind(programme.0)
            .bind(d.community)
            .bind(d.kind.slug())
            .bind(&d.name)
            .bind(&d.description)
            .bind(d.postcode.as_deref())
            .bind(d.lat)
            .bind(d.lon)
            .bind(d.organisation)
            .bind(&d.who_can_use)
            .bind(&d.contact_email)
            .bind(&d.contact_phone)
            .bind(&d.url)
            .bind(&d.eligibility)
            .bind(&d.schedule)
            .bind(d.people.map(i64::from))
            .bind(d.interaction)
            .bind(d.started_on)
            .bind(d.ended_on)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            (aid, AuditAction::Create)
        }
    };
    audit(
        conn,
        &AuditEntry::new(
            actor,
            Some(programme),
            action,
            "community_asset",
            Some(aid.to_string()),
            format!("{} ({})", d.name, d.kind.slug()),
        )
        .said(
            AuditMessage::new(if action == AuditAction::Create {
                "audit.msg.asset_added"
            } else {
                "audit.msg.asset_changed"
            })
            .text("name", &d.name)
            .word("kind", d.kind.label_key()),
        ),
    )
    .await?;
    Ok(aid)
}

#[derive(sqlx::FromRow)]
struct ChoiceRow {
    id: Uuid,
    anchor_name: String,
    organisation_name: String,
    kind: String,
    started_on: Date,
    ended_on: Option<Date>,
}

#[async_trait]
impl AssetStore for ThisStore {
    async fn community_assets(&self, programme: ProgrammeId) -> Result<Vec<Asset>> {
        let mut conn = self.pool.acquire().await?;
        load(&mut conn, programme, None).await
    }

    async fn community_asset(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Asset>> {
        let mut conn = self.pool.acquire().await?;
        Ok(load(&mut conn, programme, Some(id)).await?.pop())
    }

    async fn save_community_asset(
        &self,
        programme: ProgrammeId,
        id: Option<Uuid>,
        draft: &AssetDraft,
        actor: &Actor,
    ) -> Result<Asset> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let aid = write(&mut tx, programme, id, draft, actor).await?;
        let a = load(&mut tx, programme, Some(aid))
            .await?
            .pop()
            .ok_or_else(|| decode_err("community asset", "missing after write"))?;
        tx.commit().await?;
        Ok(a)
    }

    async fn import_community_assets(
        &self,
        programme: ProgrammeId,
        rows: &[AssetWrite<'_>],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        for r in rows {
            write(&mut tx, programme, r.id, r.draft, actor).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn asset_interaction_choices(
        &self,
        programme: ProgrammeId,
    ) -> Result<Vec<InteractionRef>> {
        sqlx::query_as::<Db, ChoiceRow>(
            "SELECT i.id, an.name AS anchor_name, o.name AS organisation_name, i.kind, \
             i.started_on, i.ended_on FROM anchor_interactions i \
             JOIN anchors an ON an.programme_id = i.programme_id AND an.id = i.anchor_id \
             JOIN organisations o ON o.programme_id = i.programme_id AND o.id = i.organisation_id \
             WHERE i.programme_id = $1 ORDER BY an.name, o.name, i.started_on, i.id",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(InteractionRef {
                id: r.id,
                anchor_name: r.anchor_name,
                organisation_name: r.organisation_name,
                kind: parse_or("interaction kind", &r.kind, InteractionKind::parse)?,
                started_on: r.started_on,
                ended_on: r.ended_on,
            })
        })
        .collect()
    }

    async fn action_assets(
        &self,
        programme: ProgrammeId,
        community: Uuid,
    ) -> Result<Vec<(Uuid, Uuid)>> {
        Ok(sqlx::query_as::<Db, (Uuid, Uuid)>(
            "SELECT l.action_id, l.asset_id FROM ced_action_assets l \
             JOIN ced_actions a ON a.programme_id = l.programme_id AND a.id = l.action_id \
             JOIN community_assets s ON s.programme_id = l.programme_id AND s.id = l.asset_id \
             WHERE l.programme_id = $1 AND a.community_id = $2 ORDER BY s.name, s.id",
        )
        .bind(programme.0)
        .bind(community)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn set_action_assets(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        action: Uuid,
        assets: &[Uuid],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let found = sqlx::query_scalar::<Db, i64>(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM ced_actions \
             WHERE programme_id = $1 AND community_id = $2 AND id = $3",
        )
        .bind(programme.0)
        .bind(community)
        .bind(action)
        .fetch_one(&mut *tx)
        .await?;
        if found == 0 {
            return Err(StoreError::NotFound);
        }
        let wanted: BTreeSet<Uuid> = assets.iter().copied().collect();
        for a in &wanted {
            let ok = sqlx::query_scalar::<Db, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM community_assets WHERE programme_id = $1 \
                 AND id = $2 AND (community_id IS NULL OR community_id = $3)",
            )
            .bind(programme.0)
            .bind(*a)
            .bind(community)
            .fetch_one(&mut *tx)
            .await?;
            if ok == 0 {
                return Err(StoreError::Invalid(Invalid(vec![FieldError {
                    field: "assets".into(),
                    message: Message::new("community.asset.not_this_community"),
                }])));
            }
        }
        let before: BTreeSet<Uuid> = sqlx::query_scalar::<Db, Uuid>(
            "SELECT asset_id FROM ced_action_assets WHERE programme_id = $1 AND action_id = $2",
        )
        .bind(programme.0)
        .bind(action)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        if before == wanted {
            tx.commit().await?;
            return Ok(());
        }
        sqlx::query::<Db>(
            "DELETE FROM ced_action_assets WHERE programme_id = $1 AND action_id = $2",
        )
        .bind(programme.0)
        .bind(action)
        .execute(&mut *tx)
        .await?;
        for a in &wanted {
            sqlx::query::<Db>(
                "INSERT INTO ced_action_assets (programme_id, action_id, asset_id) VALUES ($1, $2, $3)",
            )
            .bind(programme.0)
            .bind(action)
            .bind(*a)
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                AuditAction::Update,
                "ced_action",
                Some(action.to_string()),
                format!("{} assets linked", wanted.len()),
            )
            .said(
                AuditMessage::new("audit.msg.assets_linked").number("count", wanted.len() as u64),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
