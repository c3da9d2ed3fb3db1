//! Organisations entered twice through the JSON API: the likely pairs,
//! merging one into the other, the merges done, and saying a pair is not
//! one organisation.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::Method;
use serde::{Deserialize, Serialize};
use useit_app::enterprise::merge::{
    Duplicate, duplicates_page, merge, merges, not_duplicate, organisation_named,
};
use useit_core::auth::Capability;
use useit_core::enterprise::duplicates::{MergeRecord, Merged};
use useit_core::listing::PageRequest;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::http::route::{Access, Route, api};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let edit = Access::Programme(Capability::EditEnterprises);
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/duplicates",
            edit,
            get_duplicates,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/merges",
            edit,
            get_merges,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/merges",
            edit,
            post_merge,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/not-duplicates",
            edit,
            post_not_duplicate,
        ),
    ]
}

/// Which page of the pairs.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PairsQuery {
    /// From 1 (default 1).
    pub page: Option<u32>,
    /// 1 to 500 (default 25).
    pub per_page: Option<u32>,
}

/// One page of the likely pairs.
#[derive(Serialize, ToSchema)]
pub struct DuplicatePageJson {
    /// Each: `keep` and `other` (the organisations, with their profiles),
    /// `reasons`.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Duplicate>,
    /// Pairs in all.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The likely pairs among all the register's organisations (the ones
/// suppliers were matched to as well as the directory's), a page at a
/// time: `keep` is the one suggested to keep (an official identifier, then
/// a profile), `reasons` every reason that holds (`company_number`,
/// `charity_number`, `identifier`, `name`), the strongest first. Pairs
/// said not to be duplicates are left out.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/duplicates", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), PairsQuery),
    responses((status = 200, body = DuplicatePageJson)))]
pub async fn get_duplicates(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PairsQuery>,
) -> Result<Json<DuplicatePageJson>, ApiError> {
    let page = duplicates_page(
        app.store.as_ref(),
        &ctx.caller()?,
        &app.ledgers,
        PageRequest::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(DuplicatePageJson {
        items: page.items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// The merges done, newest first: the organisation merged away (its id,
/// org-id and name) and the one it is part of now.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/merges", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = [MergeRecord])))]
pub async fn get_merges(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<MergeRecord>>, ApiError> {
    Ok(Json(merges(app.store.as_ref(), &ctx.caller()?).await?))
}

/// Two organisations, each by its id or its org-id.
#[derive(Deserialize, ToSchema)]
pub struct MergeRequest {
    /// The organisation that stays (id or org-id).
    pub keep: String,
    /// The organisation merged into it and removed (id or org-id; an
    /// org-id it had before a merge still names it).
    pub other: String,
}

/// Merges `other` into `keep`: supplier names resolved to it (the spend
/// lines follow, with the kept one's kind and place), its support, income
/// years (the kept one's year wins), grants, interactions, stories, plan
/// actions and consortia move; blank register and profile fields are
/// filled from it; it is removed. One transaction, one audit entry.
/// Asked again: `already_merged`, nothing done. 404 for an organisation
/// the programme does not hold; 409 when `other` was merged into another.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/merges", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = MergeRequest,
    responses((status = 200, body = Merged), (status = 404, body = crate::http::error::Problem),
        (status = 409, body = crate::http::error::Problem)))]
pub async fn post_merge(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(j): Json<MergeRequest>,
) -> Result<Json<Merged>, ApiError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let keep = organisation_named(s, &caller, &j.keep).await?;
    let other = organisation_named(s, &caller, &j.other).await?;
    Ok(Json(merge(s, &caller, keep, other).await?))
}

/// Two organisations (id or org-id) that are not one.
#[derive(Deserialize, ToSchema)]
pub struct NotDuplicateRequest {
    pub first: String,
    pub second: String,
}

#[derive(Serialize, ToSchema)]
pub struct NotDuplicateAnswer {
    /// False when it had been said before (nothing changed).
    pub new: bool,
}

/// Says two organisations are not one: the pair is no longer proposed.
/// Audited; saying it again changes nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/not-duplicates", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = NotDuplicateRequest,
    responses((status = 200, body = NotDuplicateAnswer), (status = 404, body = crate::http::error::Problem)))]
pub async fn post_not_duplicate(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(j): Json<NotDuplicateRequest>,
) -> Result<Json<NotDuplicateAnswer>, ApiError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let a = organisation_named(s, &caller, &j.first).await?;
    let b = organisation_named(s, &caller, &j.second).await?;
    Ok(Json(NotDuplicateAnswer {
        new: not_duplicate(s, &caller, a, b).await?,
    }))
}

#[derive(OpenApi)]
#[openapi(paths(get_duplicates, get_merges, post_merge, post_not_duplicate))]
pub struct Doc;
