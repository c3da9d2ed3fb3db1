//! Research findings and themes through the API (issue 19 item 3): the
//! list with its filters, one finding, adding and changing (422 naming
//! every bad field, `quotes/2/text` for a quote holding a phone number),
//! the CSV out and back in (all or nothing, problems by line and column),
//! the theme list and the themes view, a project's own themes, and the
//! neighbourhoods the finding form offers.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use useit_app::research::findings::{
    FindingView, ProjectThemes, finding, findings, findings_csv, import_findings,
    neighbourhood_offer, project_themes, save_finding, save_project_themes, save_themes, themes,
    themes_view,
};
use useit_core::research::finding::{FindingFilter, FindingInput, Quote};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, ProblemLine, problem_lines};
use crate::http::views::csv_download;
use crate::state::AppState;

/// A neighbourhood: its code and name.
#[derive(Serialize, ToSchema)]
pub struct NeighbourhoodJson {
    pub code: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct FindingJson {
    pub id: Uuid,
    pub project: Uuid,
    pub project_title: String,
    /// Blank for a finding carried over from the old free text, not yet themed.
    pub theme: String,
    pub summary: String,
    pub quotes: Vec<Quote>,
    pub neighbourhoods: Vec<NeighbourhoodJson>,
    /// Question paths of the project's questionnaire.
    pub questions: Vec<String>,
    /// Null when not known.
    pub respondents: Option<u32>,
}

fn finding_json(v: FindingView) -> FindingJson {
    let d = v.finding.draft;
    FindingJson {
        id: v.finding.id,
        project: v.finding.project,
        project_title: v.project_title,
        theme: d.theme,
        summary: d.summary,
        quotes: d.quotes,
        neighbourhoods: d
            .areas
            .into_iter()
            .zip(v.area_names)
            .map(|(code, name)| NeighbourhoodJson { code, name })
            .collect(),
        questions: d.questions,
        respondents: d.respondents,
    }
}

#[derive(Serialize, ToSchema)]
pub struct FindingListJson {
    pub items: Vec<FindingJson>,
    /// Every finding of the programme, before the filters.
    pub total: u64,
}

/// The programme's findings the filters select.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/findings", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"), FindingFilter),
    responses((status = 200, body = FindingListJson)))]
pub async fn list_findings(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(f): Query<FindingFilter>,
) -> Result<Json<FindingListJson>, ApiError> {
    let list = findings(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok(Json(FindingListJson {
        total: list.total,
        items: list.items.into_iter().map(finding_json).collect(),
    }))
}

/// The findings the filters select as CSV (the import's shape).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/findings.csv", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"), FindingFilter),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_findings(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(f): Query<FindingFilter>,
) -> Result<Response, ApiError> {
    let body = findings_csv(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok(csv_download(&ctx, "findings", body)?)
}

#[derive(Serialize, ToSchema)]
pub struct FindingsImportedJson {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub problems: Vec<ProblemLine>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

/// Imports findings from CSV (the export's shape), all or nothing: a row
/// with a known `id` changes that finding, one without adds one.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/findings.csv", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"), FileQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = FindingsImportedJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_findings_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FileQuery>,
    body: Bytes,
) -> Result<Json<FindingsImportedJson>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "findings.csv".into());
    let done = import_findings(app.store.as_ref(), &ctx.caller()?, &name, &body).await?;
    Ok(Json(FindingsImportedJson {
        added: done.outcome.added,
        changed: done.outcome.changed,
        unchanged: done.outcome.unchanged,
        problems: problem_lines(&done.report),
    }))
}

/// One finding.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/findings/{finding_id}", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("finding_id" = Uuid, Path, description = "Finding id")),
    responses((status = 200, body = FindingJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_finding(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<FindingJson>, ApiError> {
    let v = finding(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(Json(finding_json(v)))
}

/// Replaces a finding. Neighbourhoods are ward codes or names, or the
/// programme's communities by id or name; the theme is one of the
/// project's own or the programme's; a quote's
/// text and role are refused when they hold an e-mail address, a phone
/// number or a full postcode, and a role that reads as a name.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/research/findings/{finding_id}", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("finding_id" = Uuid, Path, description = "Finding id")),
    request_body = FindingInput,
    responses((status = 200, body = FindingJson), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn put_finding(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(input): Json<FindingInput>,
) -> Result<Json<FindingJson>, ApiError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let v = finding(s, &caller, path.1).await?;
    save_finding(s, &caller, v.finding.project, Some(path.1), &input).await?;
    Ok(Json(finding_json(finding(s, &caller, path.1).await?)))
}

/// Adds a finding to a project.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/findings", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    request_body = FindingInput,
    responses((status = 201, body = FindingJson), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn post_finding(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(input): Json<FindingInput>,
) -> Result<(StatusCode, Json<FindingJson>), ApiError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let f = save_finding(s, &caller, path.1, None, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(finding_json(finding(s, &caller, f.id).await?)),
    ))
}

/// One theme's row of the themes view.
#[derive(Serialize, ToSchema)]
pub struct ThemeRowJson {
    pub theme: String,
    pub findings: u64,
    /// Per neighbourhood, in `neighbourhoods` order.
    pub cells: Vec<ThemeCellJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeCellJson {
    pub findings: u64,
    /// Respondents of the findings here: null when suppressed (fewer than
    /// k, for roles without personal-data rights).
    pub respondents: Option<u64>,
    /// "12", or "fewer than 5".
    pub respondents_text: String,
    /// Findings here that do not say how many respondents.
    pub respondents_unknown: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ThemesJson {
    /// The programme's theme list.
    pub themes: Vec<String>,
    /// The view's columns; code `""` for findings that name none.
    pub neighbourhoods: Vec<NeighbourhoodJson>,
    pub rows: Vec<ThemeRowJson>,
    /// Whether counts are exact (roles with personal-data rights).
    pub exact: bool,
    pub k: u32,
}

/// The theme list and the themes view: findings and respondents per
/// theme per neighbourhood, across projects.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/themes", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = ThemesJson)))]
pub async fn get_themes(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<ThemesJson>, ApiError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let v = themes_view(s, &caller).await?;
    Ok(Json(ThemesJson {
        themes: themes(s, &caller).await?,
        neighbourhoods: v
            .areas
            .into_iter()
            .map(|(code, name)| NeighbourhoodJson { code, name })
            .collect(),
        rows: v
            .rows
            .into_iter()
            .map(|r| ThemeRowJson {
                theme: r.theme,
                findings: r.findings,
                cells: r
                    .cells
                    .into_iter()
                    .map(|(findings, cell, unknown)| ThemeCellJson {
                        findings,
                        respondents: cell.value(),
                        respondents_text: cell.text(),
                        respondents_unknown: unknown,
                    })
                    .collect(),
            })
            .collect(),
        exact: v.exact,
        k: v.k,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ThemesInput {
    /// The themes in order; findings keep the theme they have.
    pub themes: Vec<String>,
}

/// Replaces the theme list.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/research/themes", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = ThemesInput,
    responses((status = 200, body = [String]), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_themes(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<ThemesInput>,
) -> Result<Json<Vec<String>>, ApiError> {
    let list = save_themes(app.store.as_ref(), &ctx.caller()?, &input.themes.join("\n")).await?;
    Ok(Json(list))
}

/// Deletes a finding (those who may edit findings); the deletion is in the
/// audit log.
#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/research/findings/{finding_id}", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("finding_id" = Uuid, Path, description = "Finding id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem)))]
pub async fn delete_finding(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<axum::http::StatusCode, ApiError> {
    useit_app::research::findings::delete_finding(app.store.as_ref(), &ctx.caller()?, path.1)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// A project's themes: its own, the programme's, and what its findings
/// are offered (its own first, then the programme's it does not hold).
#[derive(Serialize, ToSchema)]
pub struct ProjectThemesJson {
    /// The project's own themes, in order.
    pub own: Vec<String>,
    /// The programme's theme list.
    pub programme: Vec<String>,
    /// What a finding of the project may take, in the order offered.
    pub offered: Vec<String>,
}

fn project_themes_json(t: ProjectThemes) -> ProjectThemesJson {
    ProjectThemesJson {
        own: t.own,
        programme: t.programme,
        offered: t.offered,
    }
}

/// A project's themes: researchers may propose their own; a finding of the
/// project takes one of them or one of the programme's.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/themes", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = ProjectThemesJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_project_themes(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<ProjectThemesJson>, ApiError> {
    let t = project_themes(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(Json(project_themes_json(t)))
}

/// Replaces a project's own themes (the programme's list's rules: at most
/// 60, 80 characters each, none twice); its findings keep their themes.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/themes", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    request_body = ThemesInput,
    responses((status = 200, body = ProjectThemesJson), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn put_project_themes(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(input): Json<ThemesInput>,
) -> Result<Json<ProjectThemesJson>, ApiError> {
    let t = save_project_themes(
        app.store.as_ref(),
        &ctx.caller()?,
        path.1,
        &input.themes.join("\n"),
    )
    .await?;
    Ok(Json(project_themes_json(t)))
}

/// A neighbourhood a finding may concern.
#[derive(Serialize, ToSchema)]
pub struct OfferedNeighbourhoodJson {
    /// A ward's code, or a community's id: what a finding's
    /// `areas` takes (its name is taken too).
    pub code: String,
    pub name: String,
    /// `community` or `ward`.
    pub kind: String,
}

/// The neighbourhoods the finding form offers: the programme's communities,
/// then the wards of its area of benefit in force (every loaded ward when
/// it has none), by name. A finding may also name any other loaded ward.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/neighbourhoods", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = [OfferedNeighbourhoodJson])))]
pub async fn get_neighbourhoods(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<OfferedNeighbourhoodJson>>, ApiError> {
    let offer = neighbourhood_offer(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(
        offer
            .offered
            .into_iter()
            .map(|n| OfferedNeighbourhoodJson {
                kind: n.kind.slug().to_string(),
                code: n.code,
                name: n.name,
            })
            .collect(),
    ))
}
