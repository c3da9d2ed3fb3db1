//! The caller's programmes, one programme with the counts on its home page,
//! and the roles table.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use useit_app::auth::account::memberships;
use useit_app::programme::programmes::figures;
use useit_core::auth::Role;
use useit_core::clock;
use utoipa::ToSchema;

use crate::http::ctx::{Ctx, Via};
use crate::http::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ProgrammeJson {
    pub id: String,
    /// Short name used in paths.
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The caller's role here.
    pub role: String,
}

/// The programmes the caller belongs to (with a token, just its programme).
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes", responses((status = 200, body = Vec<ProgrammeJson>)))]
pub async fn my_programmes(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<ProgrammeJson>>, ApiError> {
    let me = ctx.operator()?;
    let ms = memberships(app.store.as_ref(), &me).await?;
    Ok(Json(
        ms.into_iter()
            .filter(|m| !matches!(&ctx.via, Via::Token { programme, .. } if *programme != m.programme.id))
            .map(|m| ProgrammeJson {
                id: m.programme.id.to_string(),
                slug: m.programme.slug,
                name: m.programme.name,
                description: m.programme.description,
                role: m.role.slug().into(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct KindCount {
    pub kind: String,
    pub count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct YearCount {
    pub year: i32,
    pub count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeSummaryJson {
    pub programme: ProgrammeJson,
    /// All counted from the rows today.
    pub as_of: String,
    pub partners_current: u64,
    pub partners_former: u64,
    pub members: u64,
    pub partners_by_kind: Vec<KindCount>,
    pub partners_joined_by_year: Vec<YearCount>,
}

/// The programme and the counts on its home page.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}", tag = "programmes",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = ProgrammeSummaryJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn programme(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<ProgrammeSummaryJson>, ApiError> {
    let p = ctx.programme()?.clone();
    let figures = figures(app.store.as_ref(), &ctx.caller()?).await?;
    let c = figures.counts;
    Ok(Json(ProgrammeSummaryJson {
        programme: ProgrammeJson {
            id: p.id.to_string(),
            slug: p.slug,
            name: p.name,
            description: p.description,
            role: ctx.role.map(|r| r.slug().to_string()).unwrap_or_default(),
        },
        as_of: clock::iso_date(figures.as_of),
        partners_current: c.partners_current,
        partners_former: c.partners_former,
        members: c.members,
        partners_by_kind: c
            .partners_by_kind
            .iter()
            .map(|(k, n)| KindCount {
                kind: k.slug().into(),
                count: *n,
            })
            .collect(),
        partners_joined_by_year: c
            .partners_joined_by_year
            .iter()
            .map(|(y, n)| YearCount {
                year: *y,
                count: *n,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RoleJson {
    pub role: String,
    pub capabilities: Vec<String>,
}

/// Roles and what each may do (the permission table).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/roles", tag = "programmes",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<RoleJson>)))]
pub async fn roles() -> Json<Vec<RoleJson>> {
    Json(
        Role::ALL
            .iter()
            .map(|r| RoleJson {
                role: r.slug().into(),
                capabilities: r
                    .capabilities()
                    .iter()
                    .map(|c| c.slug().to_string())
                    .collect(),
            })
            .collect(),
    )
}
