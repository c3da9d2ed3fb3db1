// Anchors and their sites in SQL both backends understand. Compiled into
// `sqlite.rs` and `postgres.rs` as a module. The register, suppliers,
// spend files and the spend settings each have their own `*_sql.rs` beside
// this one.

use async_trait::async_trait;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::spend_file::ColumnMapping;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::anchors::*;
use crate::{Result, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

#[derive(sqlx::FromRow)]
struct AnchorRow {
    id: Uuid,
    slug: String,
    name: String,
    kind: String,
    official_code: Option<String>,
    local_authority_code: Option<String>,
    column_mapping: String,
    date_order: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SiteRow {
    anchor_id: Uuid,
    name: String,
    postcode: String,
}

async fn load_anchors(
    conn: &mut Conn,
    programme: ProgrammeId,
    slug: Option<&str>,
) -> Result<Vec<Anchor>> {
    let rows: Vec<AnchorRow> = sqlx::query_as::<Db, AnchorRow>(
        "SELECT id, slug, name, kind, official_code, local_authority_code, column_mapping, date_order FROM anchors \
         WHERE programme_id = $1 AND ($2 IS NULL OR slug = $2) ORDER BY name",
    )
    .bind(programme.0)
    .bind(slug)
    .fetch_all(&mut *conn)
    .await?;
    let sites: Vec<SiteRow> = sqlx::query_as::<Db, SiteRow>(
        "SELECT anchor_id, name, postcode FROM anchor_sites WHERE programme_id = $1 ORDER BY name",
    )
    .bind(programme.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Anchor {
                kind: AnchorKind::parse(&r.kind)
                    .ok_or_else(|| corrupt(format!("anchor kind {}", r.kind)))?,
                column_mapping: serde_json::from_str::<ColumnMapping>(&r.column_mapping)
                    .map_err(|e| corrupt(format!("column mapping: {e}")))?,
                sites: sites
                    .iter()
                    .filter(|s| s.anchor_id == r.id)
                    .map(|s| Site {
                        name: s.name.clone(),
                        postcode: s.postcode.clone(),
                    })
                    .collect(),
                date_order: match r.date_order {
                    None => None,
                    Some(o) => Some(
                        useit_core::anchors::dates::DateOrder::parse(&o)
                            .ok_or_else(|| corrupt(format!("date order {o}")))?,
                    ),
                },
                id: r.id,
                slug: r.slug,
                name: r.name,
                official_code: r.official_code,
                local_authority_code: r.local_authority_code,
            })
        })
        .collect()
}

#[async_trait]
impl AnchorStore for ThisStore {
    async fn list_anchors(&self, programme: ProgrammeId) -> Result<Vec<Anchor>> {
        let mut conn = self.pool.acquire().await?;
        load_anchors(&mut conn, programme, None).await
    }

    async fn anchor(&self, programme: ProgrammeId, slug: &str) -> Result<Option<Anchor>> {
        let mut conn = self.pool.acquire().await?;
        Ok(load_anchors(&mut conn, programme, Some(slug)).await?.pop())
    }

    async fn save_anchor(
        &self,
        programme: ProgrammeId,
        input: &AnchorDraft,
        actor: &Actor,
    ) -> Result<Anchor> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        super::revision_sql::bump_programme(&mut tx, programme).await?;
        let now = clock::now();
        let mapping = serde_json::to_string(&input.column_mapping).expect("a mapping serialises");
        let existing: Option<Uuid> = sqlx::query_scalar::<Db, Uuid>(
            "SELECT id FROM anchors WHERE programme_id = $1 AND slug = $2",
        )
        .bind(programme.0)
        .bind(&input.slug)
        .fetch_optional(&mut *tx)
        .await?;
        let id = match existing {
            Some(id) => {
                sqlx::query::<Db>(
                    "UPDATE anchors SET name = $3, kind = $4, official_code = $5, local_authority_code = $6, \
                     column_mapping = $7, updated_at = $8 WHERE programme_id = $1 AND id = $2",
                )
                .bind(programme.0)
                .bind(id)
                .bind(&input.name)
                .bind(input.kind.slug())
                .bind(&input.official_code)
                .bind(&input.local_authority_code)
                .bind(&mapping)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                let id = Uuid::now_v7();
                sqlx::query::<Db>(
                    "INSERT INTO anchors (id, programme_id, slug, name, kind, official_code, local_authority_code, \
                     column_mapping, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                )
                .bind(id)
                .bind(programme.0)
                .bind(&input.slug)
                .bind(&input.name)
                .bind(input.kind.slug())
                .bind(&input.official_code)
                .bind(&input.local_authority_code)
                .bind(&mapping)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        sqlx::query::<Db>("DELETE FROM anchor_sites WHERE programme_id = $1 AND anchor_id = $2")
            .bind(programme.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for s in &input.sites {
            sqlx::query::<Db>(
                "INSERT INTO anchor_sites (id, programme_id, anchor_id, name, postcode) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(Uuid::now_v7())
            .bind(programme.0)
            .bind(id)
            .bind(&s.name)
            .bind(&s.postcode)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique_as("sites", "anchors.anchor.site_twice"))?;
        }
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                Some(programme),
                if existing.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                "anchor",
                Some(id.to_string()),
                format!("{} ({} sites)", input.slug, input.sites.len()),
            )
            .said(
                AuditMessage::new("audit.msg.anchor_saved")
                    .text("name", &input.name)
                    .counted("sites", "site", input.sites.len() as u64),
            ),
        )
        .await?;
        let anchor = load_anchors(&mut tx, programme, Some(&input.slug))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(anchor)
    }
}
