// Communities and CED plans in SQL both backends understand. Compiled into
// `sqlite.rs` and `postgres.rs` as a module.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::community::plan::{
    Action, ActionDraft, ActionStatus, Named, Plan, PlanStatus, Progress,
};
use useit_core::community::record::{Community, CommunityDraft, CommunityMember};
use useit_core::place::selection::AreaOfBenefit;
use useit_core::{ProgrammeId, UserId};

use super::audit_sql::insert as audit;
use super::place_sql::insert_selection;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::community::*;
use crate::place::{AobRow, SelectionOwner};
use crate::talent::{decode_err, parse_or};
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
struct CommunityRow {
    id: Uuid,
    name: String,
    description: String,
    status: Option<String>,
    adopted_on: Option<Date>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

const COMMUNITY_SELECT: &str = "SELECT c.id, c.name, c.description, p.status, p.adopted_on, \
     c.created_at, c.updated_at FROM communities c \
     LEFT JOIN ced_plans p ON p.programme_id = c.programme_id AND p.community_id = c.id";

/// The latest version of each community's area.
const AREA_SELECT: &str = "SELECT a.id, a.programme_id, a.version, a.definition, a.area_count, \
     a.note, a.created_at, a.created_by, a.community_id FROM community_areas a \
     WHERE a.programme_id = $1 AND a.version = (SELECT MAX(b.version) FROM community_areas b \
        WHERE b.programme_id = a.programme_id AND b.community_id = a.community_id)";

#[derive(sqlx::FromRow)]
struct AreaRow {
    #[sqlx(flatten)]
    aob: AobRow,
    community_id: Uuid,
}

#[derive(sqlx::FromRow)]
struct StatusCount {
    community_id: Uuid,
    status: String,
    n: i64,
}

async fn assemble(
    conn: &mut Conn,
    programme: ProgrammeId,
    rows: Vec<CommunityRow>,
    only: Option<Uuid>,
) -> Result<Vec<Community>> {
    let mut areas: BTreeMap<Uuid, AreaOfBenefit> = BTreeMap::new();
    let area_rows = sqlx::query_as::<Db, AreaRow>(sqlf!(
        "{AREA_SELECT} AND ($2 IS NULL OR a.community_id = $2)"
    ))
    .bind(programme.0)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    for r in area_rows {
        areas.insert(r.community_id, AreaOfBenefit::try_from(r.aob)?);
    }
    let counts = sqlx::query_as::<Db, StatusCount>(
        "SELECT community_id, status, CAST(COUNT(*) AS BIGINT) AS n FROM ced_actions \
         WHERE programme_id = $1 AND ($2 IS NULL OR community_id = $2) \
         GROUP BY community_id, status",
    )
    .bind(programme.0)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut statuses: BTreeMap<Uuid, Vec<ActionStatus>> = BTreeMap::new();
    for c in counts {
        let s = parse_or("action status", &c.status, ActionStatus::parse)?;
        let n = usize::try_from(c.n).unwrap_or(0);
        statuses
            .entry(c.community_id)
            .or_default()
            .extend(std::iter::repeat_n(s, n));
    }
    rows.into_iter()
        .map(|r| {
            Ok(Community {
                area: areas.remove(&r.id),
                progress: Progress::of(statuses.remove(&r.id).unwrap_or_default()),
                plan_status: r
                    .status
                    .map(|s| parse_or("plan status", &s, PlanStatus::parse))
                    .transpose()?,
                adopted_on: r.adopted_on,
                id: r.id,
                name: r.name,
                description: r.description,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

async fn load_community(
    conn: &mut Conn,
    programme: ProgrammeId,
    id: Uuid,
) -> Result<Option<Community>> {
    let rows = sqlx::query_as::<Db, CommunityRow>(sqlf!(
        "{COMMUNITY_SELECT} WHERE c.programme_id = $1 AND c.id = $2"
    ))
    .bind(programme.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(assemble(conn, programme, rows, Some(id)).await?.pop())
}

async fn require_community(conn: &mut Conn, programme: ProgrammeId, id: Uuid) -> Result<Community> {
    load_community(conn, programme, id)
        .await?
        .ok_or(StoreError::NotFound)
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: Uuid,
    title: String,
    owner: String,
    partner_id: Option<Uuid>,
    partner_name: Option<String>,
    due_on: Option<Date>,
    status: String,
    updated_at: OffsetDateTime,
}

const ACTION_SELECT: &str = "SELECT a.id, a.title, a.owner, a.partner_id, o.name AS partner_name, \
     a.due_on, a.status, a.updated_at FROM ced_actions a \
     LEFT JOIN organisations o ON o.programme_id = a.programme_id AND o.id = a.partner_id";

#[derive(sqlx::FromRow)]
struct LinkRow {
    action_id: Uuid,
    organisation_id: Uuid,
    name: String,
}

async fn load_actions(
    conn: &mut Conn,
    programme: ProgrammeId,
    community: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<Action>> {
    let rows = sqlx::query_as::<Db, ActionRow>(sqlf!(
        "{ACTION_SELECT} WHERE a.programme_id = $1 AND a.community_id = $2 \
         AND ($3 IS NULL OR a.id = $3) ORDER BY a.created_at, a.id"
    ))
    .bind(programme.0)
    .bind(community)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let links = sqlx::query_as::<Db, LinkRow>(
        "SELECT l.action_id, l.organisation_id, o.name FROM ced_action_enterprises l \
         JOIN ced_actions a ON a.programme_id = l.programme_id AND a.id = l.action_id \
         JOIN organisations o ON o.programme_id = l.programme_id AND o.id = l.organisation_id \
         WHERE l.programme_id = $1 AND a.community_id = $2 AND ($3 IS NULL OR a.id = $3) \
         ORDER BY o.name, o.id",
    )
    .bind(programme.0)
    .bind(community)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_action: BTreeMap<Uuid, Vec<Named>> = BTreeMap::new();
    for l in links {
        by_action.entry(l.action_id).or_default().push(Named {
            id: l.organisation_id,
            name: l.name,
        });
    }
    rows.into_iter()
        .map(|r| {
            let enterprises = by_action.remove(&r.id).unwrap_or_default();
            let mut ids: Vec<Uuid> = enterprises.iter().map(|n| n.id).collect();
            ids.sort();
            Ok(Action {
                id: r.id,
                draft: ActionDraft {
                    title: r.title,
                    owner: r.owner,
                    partner: r.partner_id,
                    due_on: r.due_on,
                    status: parse_or("action status", &r.status, ActionStatus::parse)?,
                    enterprises: ids,
                },
                partner: r
                    .partner_id
                    .zip(r.partner_name)
                    .map(|(id, name)| Named { id, name }),
                enterprises,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

/// Organisation ids that are not the programme's, so a write names them
/// (`partner`, `enterprises`) instead of failing on a foreign key.
async fn check_organisations(
    conn: &mut Conn,
    programme: ProgrammeId,
    draft: &ActionDraft,
) -> Result<()> {
    let wanted: Vec<Uuid> = draft
        .partner
        .iter()
        .chain(draft.enterprises.iter())
        .copied()
        .collect();
    let known = known_organisations(conn, programme, &wanted).await?;
    let mut errs = Vec::new();
    if draft.partner.is_some_and(|p| !known.contains(&p)) {
        errs.push(useit_core::validation::FieldError {
            field: "partner".into(),
            message: useit_core::i18n::Message::new("community.organisation_unknown"),
        });
    }
    if draft.enterprises.iter().any(|e| !known.contains(e)) {
        errs.push(useit_core::validation::FieldError {
            field: "enterprises".into(),
            message: useit_core::i18n::Message::new("community.organisation_unknown"),
        });
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(useit_core::validation::Invalid(errs)))
    }
}

async fn known_organisations(
    conn: &mut Conn,
    programme: ProgrammeId,
    ids: &[Uuid],
) -> Result<BTreeSet<Uuid>> {
    let mut out = BTreeSet::new();
    for id in ids {
        let found: Option<Uuid> = sqlx::query_scalar::<Db, Uuid>(
            "SELECT id FROM organisations WHERE programme_id = $1 AND id = $2",
        )
        .bind(programme.0)
        .bind(*id)
        .fetch_optional(&mut *conn)
        .await?;
        out.extend(found);
    }
    Ok(out)
}

#[async_trait]
impl CommunityStore for ThisStore {
    async fn add_community(
        &self,
        programme: ProgrammeId,
        d: &CommunityDraft,
        area: AreaVersion<'_>,
        actor: &Actor,
    ) -> Result<Community> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let id = Uuid::now_v7();
        let now = clock::now();
        sqlx::query::<Db>(
            "INSERT INTO communities (programme_id, id, name, name_key, description, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(programme.0)
        .bind(id)
        .bind(&d.name)
        .bind(d.name_key())
        .bind(&d.description)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::unique_as("name", "community.name_taken"))?;
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Create,
                "community",
                id,
                d.name.clone(),
            )
            .said(AuditMessage::new("audit.msg.community_added").text("name", &d.name)),
        )
        .await?;
        insert_selection(
            &mut tx,
            programme,
            SelectionOwner::Community(id),
            area.selection,
            area.codes,
            area.note,
            actor,
        )
        .await?;
        let c = require_community(&mut tx, programme, id).await?;
        tx.commit().await?;
        Ok(c)
    }

    async fn update_community(
        &self,
        programme: ProgrammeId,
        id: Uuid,
        d: &CommunityDraft,
        area: Option<AreaVersion<'_>>,
        actor: &Actor,
    ) -> Result<Community> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let before = require_community(&mut tx, programme, id).await?;
        if before.name != d.name || before.description != d.description {
            sqlx::query::<Db>(
                "UPDATE communities SET name = $3, name_key = $4, description = $5, updated_at = $6 \
                 WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme.0)
            .bind(id)
            .bind(&d.name)
            .bind(d.name_key())
            .bind(&d.description)
            .bind(clock::now())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique_as("name", "community.name_taken"))?;
            audit(
                &mut tx,
                &entry(
                    actor,
                    programme,
                    AuditAction::Update,
                    "community",
                    id,
                    d.name.clone(),
                )
                .said(AuditMessage::new("audit.msg.community_changed").text("name", &d.name)),
            )
            .await?;
        }
        if let Some(a) = area {
            insert_selection(
                &mut tx,
                programme,
                SelectionOwner::Community(id),
                a.selection,
                a.codes,
                a.note,
                actor,
            )
            .await?;
        }
        let c = require_community(&mut tx, programme, id).await?;
        tx.commit().await?;
        Ok(c)
    }

    async fn communities(&self, programme: ProgrammeId) -> Result<Vec<Community>> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query_as::<Db, CommunityRow>(sqlf!(
            "{COMMUNITY_SELECT} WHERE c.programme_id = $1 ORDER BY c.name_key, c.id"
        ))
        .bind(programme.0)
        .fetch_all(&mut *conn)
        .await?;
        assemble(&mut conn, programme, rows, None).await
    }

    async fn community(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Community>> {
        let mut conn = self.pool.acquire().await?;
        load_community(&mut conn, programme, id).await
    }

    async fn community_area_codes(
        &self,
        programme: ProgrammeId,
        area_id: Uuid,
    ) -> Result<BTreeSet<String>> {
        let rows = sqlx::query_scalar::<Db, String>(
            "SELECT area_code FROM community_area_codes WHERE programme_id = $1 AND area_id = $2",
        )
        .bind(programme.0)
        .bind(area_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }

    async fn community_members(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        actor: &Actor,
    ) -> Result<Vec<CommunityMember>> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        require_community(&mut tx, programme, community).await?;
        let rows = sqlx::query_as::<Db, (Uuid, String, String, OffsetDateTime)>(
            "SELECT u.id, u.display_name, u.email, m.added_at FROM community_members m \
             JOIN users u ON u.id = m.user_id \
             WHERE m.programme_id = $1 AND m.community_id = $2 ORDER BY u.display_name, u.id",
        )
        .bind(programme.0)
        .bind(community)
        .fetch_all(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Read,
                "community_members",
                community,
                format!("{} members", rows.len()),
            )
            .said(
                AuditMessage::new("audit.msg.community_members_read")
                    .number("count", rows.len() as u64),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|(id, display_name, email, added_at)| CommunityMember {
                user_id: UserId(id),
                display_name,
                email,
                added_at,
            })
            .collect())
    }

    async fn is_community_member(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        user: UserId,
    ) -> Result<bool> {
        let n: i64 = sqlx::query_scalar::<Db, i64>(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM community_members \
             WHERE programme_id = $1 AND community_id = $2 AND user_id = $3",
        )
        .bind(programme.0)
        .bind(community)
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    async fn add_community_member(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        user: UserId,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        require_community(&mut tx, programme, community).await?;
        sqlx::query::<Db>(
            "INSERT INTO community_members (programme_id, community_id, user_id, added_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(programme.0)
        .bind(community)
        .bind(user.0)
        .bind(clock::now())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::unique_as("email", "community.member_already"))?;
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Create,
                "community_member",
                community,
                format!("account {} joined", user.0),
            )
            .said(AuditMessage::new("audit.msg.community_joined").person("member", user.0)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn remove_community_member(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        user: UserId,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let n = sqlx::query::<Db>(
            "DELETE FROM community_members WHERE programme_id = $1 AND community_id = $2 AND user_id = $3",
        )
        .bind(programme.0)
        .bind(community)
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                AuditAction::Delete,
                "community_member",
                community,
                format!("account {} left", user.0),
            )
            .said(AuditMessage::new("audit.msg.community_left").person("member", user.0)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn community_plan(
        &self,
        programme: ProgrammeId,
        community: Uuid,
    ) -> Result<Option<Plan>> {
        let row = sqlx::query_as::<Db, (String, String, String, Option<Date>)>(
            "SELECT aspirations, priorities, status, adopted_on FROM ced_plans \
             WHERE programme_id = $1 AND community_id = $2",
        )
        .bind(programme.0)
        .bind(community)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(a, p, s, adopted_on)| {
            Ok(Plan {
                aspirations: split_lines(&a),
                priorities: split_lines(&p),
                status: parse_or("plan status", &s, PlanStatus::parse)?,
                adopted_on,
            })
        })
        .transpose()
    }

    async fn save_community_plan(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        plan: &Plan,
        actor: &Actor,
    ) -> Result<Plan> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let c = require_community(&mut tx, programme, community).await?;
        let now = clock::now();
        sqlx::query::<Db>(
            "INSERT INTO ced_plans (programme_id, community_id, aspirations, priorities, status, adopted_on, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (community_id) DO UPDATE SET aspirations = excluded.aspirations, \
             priorities = excluded.priorities, status = excluded.status, \
             adopted_on = excluded.adopted_on, updated_at = excluded.updated_at",
        )
        .bind(programme.0)
        .bind(community)
        .bind(plan.aspirations.join("\n"))
        .bind(plan.priorities.join("\n"))
        .bind(plan.status.slug())
        .bind(plan.adopted_on)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                if c.plan_status.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                "ced_plan",
                community,
                format!("{}: {}", c.name, plan.status.slug()),
            )
            .said(
                AuditMessage::new("audit.msg.plan_saved")
                    .text("name", &c.name)
                    .word("status", plan.status.label_key()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(plan.clone())
    }

    async fn community_actions(
        &self,
        programme: ProgrammeId,
        community: Uuid,
    ) -> Result<Vec<Action>> {
        let mut conn = self.pool.acquire().await?;
        load_actions(&mut conn, programme, community, None).await
    }

    async fn save_community_action(
        &self,
        programme: ProgrammeId,
        community: Uuid,
        id: Option<Uuid>,
        d: &ActionDraft,
        actor: &Actor,
    ) -> Result<Action> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        require_community(&mut tx, programme, community).await?;
        check_organisations(&mut tx, programme, d).await?;
        let now = clock::now();
        let (aid, action) = match id {
            Some(aid) => {
                if load_actions(&mut tx, programme, community, Some(aid))
                    .await?
                    .is_empty()
                {
                    return Err(StoreError::NotFound);
                }
                sqlx::query::<Db>(
                    "UPDATE ced_actions SET title = $4, owner = $5, partner_id = $6, due_on = $7, \
                     status = $8, updated_at = $9 \
                     WHERE programme_id = $1 AND community_id = $2 AND id = $3",
                )
                .bind(programme.0)
                .bind(community)
                .bind(aid)
                .bind(&d.title)
                .bind(&d.owner)
                .bind(d.partner)
                .bind(d.due_on)
                .bind(d.status.slug())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query::<Db>(
                    "DELETE FROM ced_action_enterprises WHERE programme_id = $1 AND action_id = $2",
                )
                .bind(programme.0)
                .bind(aid)
                .execute(&mut *tx)
                .await?;
                (aid, AuditAction::Update)
            }
            None => {
                let aid = Uuid::now_v7();
                sqlx::query::<Db>(
                    "INSERT INTO ced_actions (programme_id, community_id, id, title, owner, partner_id, \
                     due_on, status, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                )
                .bind(programme.0)
                .bind(community)
                .bind(aid)
                .bind(&d.title)
                .bind(&d.owner)
                .bind(d.partner)
                .bind(d.due_on)
                .bind(d.status.slug())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                (aid, AuditAction::Create)
            }
        };
        for e in &d.enterprises {
            sqlx::query::<Db>(
                "INSERT INTO ced_action_enterprises (programme_id, action_id, organisation_id) \
                 VALUES ($1, $2, $3)",
            )
            .bind(programme.0)
            .bind(aid)
            .bind(*e)
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            &entry(
                actor,
                programme,
                action,
                "ced_action",
                aid,
                format!("{}: {}", d.title, d.status.slug()),
            )
            .said(
                AuditMessage::new("audit.msg.plan_action_saved")
                    .text("title", &d.title)
                    .word("status", d.status.label_key()),
            ),
        )
        .await?;
        let a = load_actions(&mut tx, programme, community, Some(aid))
            .await?
            .pop()
            .ok_or_else(|| decode_err("ced action", "missing after write"))?;
        tx.commit().await?;
        Ok(a)
    }

    async fn organisation_choices(
        &self,
        programme: ProgrammeId,
        limit: i64,
    ) -> Result<Vec<(Uuid, String)>> {
        let rows = sqlx::query_as::<Db, (Uuid, String, Option<String>)>(
            "SELECT id, name, COALESCE(trading_postcode, postcode) FROM organisations \
             WHERE programme_id = $1 ORDER BY name_key, id LIMIT $2",
        )
        .bind(programme.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(useit_core::names::distinguish(rows))
    }

    async fn organisations_known(
        &self,
        programme: ProgrammeId,
        ids: &[Uuid],
    ) -> Result<BTreeSet<Uuid>> {
        let mut conn = self.pool.acquire().await?;
        known_organisations(&mut conn, programme, ids).await
    }

    async fn plans_adopted(&self, programme: ProgrammeId) -> Result<PlanAdoptions> {
        // One row per community (a community has at most one plan).
        let rows = sqlx::query_scalar::<Db, Option<Date>>(
            "SELECT p.adopted_on FROM communities c LEFT JOIN ced_plans p \
             ON p.programme_id = c.programme_id AND p.community_id = c.id \
             AND p.status IN ('adopted', 'in_delivery') WHERE c.programme_id = $1",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        let communities = rows.len() as u64;
        let mut adopted: Vec<Date> = rows.into_iter().flatten().collect();
        adopted.sort_unstable();
        Ok(PlanAdoptions {
            communities,
            adopted,
        })
    }
}

fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}
