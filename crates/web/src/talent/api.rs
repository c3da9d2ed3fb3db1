//! The skills strand through the JSON API: results, professions, people and
//! their records (personal data, the caller's caseload only, audited),
//! subject access and erasure, vacancies, proposals and placements, settings.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_core::clock;
use useit_core::listing::{Page, PageRequest};
use useit_core::talent::casework::PersonInput;
use useit_core::talent::vacancy::{self, VacancyFields};
use useit_core::validation::Invalid;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::service::{self, ProposalView, RecordForm, caseload, professions};
use super::{ConfirmForm, MoveForm, PeopleParams, SettingsForm};
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::http::route::{Route, api};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let super::Levels {
        results,
        view,
        edit,
        erase,
        vacancies,
        settings,
    } = super::levels();
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/results",
            results,
            get_results,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/professions",
            results,
            get_professions,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people",
            view,
            list_people,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/people",
            edit,
            create_person,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people.csv",
            view,
            export_people,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/people.csv",
            edit,
            import_people,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people/duplicates",
            edit,
            get_duplicates,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/people/merge",
            edit,
            merge_people,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people/{person_id}",
            view,
            get_person,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/talent/people/{person_id}",
            edit,
            update_person,
        ),
        api(
            Method::DELETE,
            "/api/v1/programmes/{programme}/talent/people/{person_id}",
            erase,
            erase_person,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/people/{person_id}/records",
            edit,
            add_record,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people/{person_id}/export",
            view,
            export_person,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/vacancies",
            vacancies,
            list_vacancies,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/vacancies",
            vacancies,
            save_vacancy,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/vacancies.csv",
            vacancies,
            export_vacancies,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/vacancies.csv",
            vacancies,
            import_vacancies,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/proposals",
            edit,
            get_proposals,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/placements",
            edit,
            list_placements,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/placements.csv",
            edit,
            export_placements,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/placements",
            edit,
            confirm_placement,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/placements/{placement_id}/status",
            edit,
            move_placement,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/settings",
            results,
            get_settings,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/talent/settings",
            settings,
            put_settings,
        ),
    ]
}

fn json<T: Serialize>(v: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(v).map_err(AppError::internal)
}

/// The funnel against the targets, the barrier report and the savings.
#[derive(Serialize, ToSchema)]
pub struct ResultsJson {
    #[schema(value_type = Object)]
    pub funnel: serde_json::Value,
    pub target_engaged: i64,
    pub target_into_work: i64,
    #[schema(value_type = Vec<Object>)]
    pub barriers: serde_json::Value,
    #[schema(value_type = Object)]
    pub savings: serde_json::Value,
    #[schema(value_type = Object)]
    pub savings_settings: serde_json::Value,
}

/// The strand's results, counted from the records (no personal data).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/results", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = ResultsJson)))]
pub async fn get_results(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<ResultsJson>, ApiError> {
    let r = service::results(&app, &ctx).await?;
    Ok(Json(ResultsJson {
        funnel: json(&serde_json::json!({
            "engaged": r.funnel.engaged, "on_pathway": r.funnel.on_pathway, "registered": r.funnel.registered,
            "into_work": r.funnel.into_work(), "into_nhs": r.funnel.into_nhs, "into_care": r.funnel.into_care,
            "into_other": r.funnel.into_other,
        }))?,
        target_engaged: r.settings.target_engaged,
        target_into_work: r.settings.target_into_work,
        barriers: json(&r.barriers)?,
        savings: json(&r.savings)?,
        savings_settings: json(&r.settings.savings)?,
    }))
}

/// The professions, their dated rule sets (steps, fees, durations, validity,
/// English thresholds) and interim roles, as shipped in `data/talent/professions`.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/professions", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<Object>)))]
pub async fn get_professions(_ctx: Ctx) -> Result<Json<serde_json::Value>, ApiError> {
    let all: Vec<_> = professions().all().collect();
    Ok(Json(json(&all)?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleApiQuery {
    /// Free text over name, e-mail, phone, postcode and country.
    pub q: Option<String>,
    pub profession: Option<String>,
    /// engaged, on_pathway or registered.
    pub stage: Option<String>,
    /// none, nhs, care_sector or other.
    pub work: Option<String>,
    /// A caseworker's user id.
    pub caseworker: Option<String>,
    /// name, profession, stage or updated.
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl PeopleApiQuery {
    fn params(&self) -> PeopleParams {
        PeopleParams {
            q: self.q.clone().unwrap_or_default(),
            profession: self.profession.clone().unwrap_or_default(),
            stage: self.stage.clone().unwrap_or_default(),
            work: self.work.clone().unwrap_or_default(),
            caseworker: self.caseworker.clone().unwrap_or_default(),
            sort: self.sort.clone().unwrap_or_default(),
            dir: self.dir.clone().unwrap_or_default(),
            page: self.page,
            per_page: self.per_page,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PeopleJson {
    #[schema(value_type = Vec<Object>)]
    pub items: serde_json::Value,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl PeopleJson {
    /// One page of a list selected and sorted in memory.
    fn of<T: Serialize>(all: Vec<T>, req: PageRequest) -> Result<Json<PeopleJson>, ApiError> {
        let page = Page::of(all, req);
        Ok(Json(PeopleJson {
            items: json(&page.items)?,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        }))
    }
}

/// People in the caller's caseload (everyone's for managers). Audited.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), PeopleApiQuery),
    responses((status = 200, body = PeopleJson)))]
pub async fn list_people(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PeopleApiQuery>,
) -> Result<Json<PeopleJson>, ApiError> {
    let p = q.params();
    let page = app
        .store
        .list_people(
            ctx.programme_id()?,
            caseload(&ctx)?,
            &p.query(),
            PageRequest::new(p.page, p.per_page),
            &ctx.actor(),
        )
        .await?;
    Ok(Json(PeopleJson {
        items: json(&page.items)?,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PersonJson {
    #[schema(value_type = Object)]
    pub person: serde_json::Value,
    #[schema(value_type = Object)]
    pub records: serde_json::Value,
    /// Steps with their state, next steps, expiry warnings, remaining fees.
    #[schema(value_type = Object)]
    pub progress: serde_json::Value,
    /// Each open vacancy: the score's parts, or the gates that block it.
    #[schema(value_type = Vec<Object>)]
    pub vacancies: serde_json::Value,
}

async fn person_json(app: &AppState, ctx: &Ctx, id: Uuid) -> Result<PersonJson, AppError> {
    let (p, recs) = app
        .store
        .person(ctx.programme_id()?, caseload(ctx)?, id, &ctx.actor())
        .await?;
    let progress = service::progress_of(&p, &recs, clock::today());
    let fits = match (&progress, p.matchable()) {
        (Some(pr), true) => service::fits(app, ctx, &p, pr).await?,
        _ => Vec::new(),
    };
    let vacancies: Vec<serde_json::Value> = fits
        .iter()
        .map(|f| match &f.result {
            Ok(s) => serde_json::json!({"vacancy_id": f.vacancy.id, "reference": f.vacancy.input.reference, "eligible": true, "score": s}),
            Err(g) => serde_json::json!({"vacancy_id": f.vacancy.id, "reference": f.vacancy.input.reference, "eligible": false, "gates": g}),
        })
        .collect();
    Ok(PersonJson {
        person: json(&p)?,
        records: json(&recs)?,
        progress: json(&progress)?,
        vacancies: json(&vacancies)?,
    })
}

/// Adds a person (the caller is their caseworker unless a manager names another).
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/people", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = Object,
    responses((status = 201, body = PersonJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<PersonInput>,
) -> Result<Response, ApiError> {
    let me = ctx.user.as_ref().map(|u| u.id);
    let (draft, cw, home) = service::person_input(&app, &ctx, &input, me).await?;
    let p = app
        .store
        .create_person(ctx.programme_id()?, &draft, cw, &home, &ctx.actor())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(person_json(&app, &ctx, p.id).await?),
    )
        .into_response())
}

/// Records in the caller's caseload that may be one person registered twice.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people/duplicates", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<super::DuplicateView>)))]
pub async fn get_duplicates(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<super::DuplicateView>>, ApiError> {
    Ok(Json(super::duplicates(&app, &ctx).await?))
}

/// Merges `other` into `keep`: records move, blank fields are filled, `other` is removed.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/people/merge", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = super::MergeForm,
    responses((status = 200, body = PersonJson), (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn merge_people(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<super::MergeForm>,
) -> Result<Json<PersonJson>, ApiError> {
    let p = super::merge_people(&app, &ctx, &f).await?;
    Ok(Json(person_json(&app, &ctx, p.id).await?))
}

/// One person with their records, pathway progress and how each open vacancy fits.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people/{person_id}", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = PersonJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<PersonJson>, ApiError> {
    let id = path.1;
    Ok(Json(person_json(&app, &ctx, id).await?))
}

/// Replaces a person's profile.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/talent/people/{person_id}", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person" = Uuid, Path, description = "Person id")),
    request_body = Object,
    responses((status = 200, body = PersonJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn update_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(input): Json<PersonInput>,
) -> Result<Json<PersonJson>, ApiError> {
    let id = path.1;
    let programme = ctx.programme_id()?;
    let load = caseload(&ctx)?;
    let (before, _) = app.store.person(programme, load, id, &ctx.actor()).await?;
    let (draft, cw, home) = service::person_input(&app, &ctx, &input, before.caseworker_id).await?;
    app.store
        .update_person(programme, load, id, &draft, cw, &home, &ctx.actor())
        .await?;
    Ok(Json(person_json(&app, &ctx, id).await?))
}

/// Erases the person's personal data; anonymous counts stay.
#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/talent/people/{person_id}", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person" = Uuid, Path, description = "Person id")),
    responses((status = 204, description = "Erased"), (status = 404, body = crate::http::error::Problem)))]
pub async fn erase_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<StatusCode, ApiError> {
    let id = path.1;
    app.store
        .erase_person(ctx.programme_id()?, caseload(&ctx)?, id, &ctx.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a pathway step, a language result, a barrier (or its resolution),
/// support, a case note, a withdrawal of consent or a work outcome.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/people/{person_id}/records", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person" = Uuid, Path, description = "Person id")),
    request_body = RecordForm,
    responses((status = 201, body = PersonJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn add_record(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<RecordForm>,
) -> Result<Response, ApiError> {
    let id = path.1;
    super::apply_record(&app, &ctx, id, &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(person_json(&app, &ctx, id).await?),
    )
        .into_response())
}

/// Everything held about the person (subject access request). Audited.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people/{person_id}/export", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = Object)))]
pub async fn export_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    Ok(Json(super::subject_access(&app, &ctx, id).await?))
}

/// The people as CSV (the columns the import reads). Audited.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), PeopleApiQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_people(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PeopleApiQuery>,
) -> Result<Response, ApiError> {
    let body = super::people_csv_text(&app, &ctx, &q.params().query()).await?;
    Ok(crate::http::views::csv_download(&ctx, "people", body)?)
}

#[derive(Serialize, ToSchema)]
pub struct ImportJson {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// Imports people from CSV, all or nothing; an id from an export updates that person.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/people.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_people(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Json<ImportJson>, ApiError> {
    import_result(super::import_people_csv(&app, &ctx, "people.csv", &body).await?)
}

fn import_result(
    r: (
        useit_core::csv_import::Report,
        Option<useit_core::talent::person::ImportCounts>,
    ),
) -> Result<Json<ImportJson>, ApiError> {
    match r {
        (report, _) if report.has_errors() => Err(AppError::ImportRejected(report).into()),
        (_, Some(o)) => Ok(Json(ImportJson {
            created: o.created,
            updated: o.updated,
            unchanged: o.unchanged,
        })),
        (report, None) => Err(AppError::ImportRejected(report).into()),
    }
}

/// Vacancies with their posts held and filled: `q`, `role`, `state`
/// (open/closed), `sort` (reference, title, opens_on, posts), `dir`, `page`.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/vacancies", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), super::VacancyParams),
    responses((status = 200, body = PeopleJson)))]
pub async fn list_vacancies(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<super::VacancyParams>,
) -> Result<Json<PeopleJson>, ApiError> {
    let all = super::select_vacancies(
        app.store.vacancies(ctx.programme_id()?).await?,
        &p,
        clock::today(),
    );
    PeopleJson::of(all, PageRequest::new(p.page, p.per_page))
}

/// Adds a vacancy, or updates the one with the same reference.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/vacancies", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = Object,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn save_vacancy(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<VacancyFields>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let v = f
        .validate(professions())
        .map_err(|Invalid(e)| AppError::Invalid(e))?;
    Ok(Json(json(
        &app.store
            .save_vacancy(ctx.programme_id()?, &v, &ctx.actor())
            .await?,
    )?))
}

/// The vacancies as CSV.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/vacancies.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), super::VacancyParams),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_vacancies(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<super::VacancyParams>,
) -> Result<Response, ApiError> {
    let all = app.store.vacancies(ctx.programme_id()?).await?;
    let rows: Vec<_> = super::select_vacancies(all, &p, clock::today())
        .into_iter()
        .map(|v| v.input)
        .collect();
    Ok(crate::http::views::csv_download(
        &ctx,
        "vacancies",
        vacancy::write_csv(&rows),
    )?)
}

/// Imports vacancies from CSV, all or nothing, matched by reference.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/vacancies.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_vacancies(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Json<ImportJson>, ApiError> {
    import_result(super::import_vacancies_csv(&app, &ctx, "vacancies.csv", &body).await?)
}

/// The optimal proposals for the caller's caseload, each with why.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/proposals", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<ProposalView>)))]
pub async fn get_proposals(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<ProposalView>>, ApiError> {
    Ok(Json(service::proposals(&app, &ctx).await?))
}

/// Placements in the caller's caseload: `q` (person or vacancy), `status`
/// (a status, or `current` for those holding a post), `sort` (updated,
/// person, vacancy, status, score), `dir`, `page`, `per_page`. Each read is
/// in the audit log (placements name people).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/placements", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), super::PlacementParams),
    responses((status = 200, body = PeopleJson)))]
pub async fn list_placements(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<super::PlacementParams>,
) -> Result<Json<PeopleJson>, ApiError> {
    let all = super::placements_selected(&app, &ctx, &p, "API").await?;
    PeopleJson::of(all, PageRequest::new(p.page, p.per_page))
}

/// The placements the filters select, as CSV (for reporting: placements
/// are made by confirming proposals, not imported). Audited.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/placements.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), super::PlacementParams),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_placements(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<super::PlacementParams>,
) -> Result<Response, ApiError> {
    Ok(super::placements_csv_response(&app, &ctx, &p).await?)
}

/// Confirms a current proposal: the person is put forward for the vacancy.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/placements", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = ConfirmForm,
    responses((status = 201, body = Object), (status = 409, body = crate::http::error::Problem)))]
pub async fn confirm_placement(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<ConfirmForm>,
) -> Result<Response, ApiError> {
    let pl = super::confirm(&app, &ctx, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&pl)?)).into_response())
}

/// Moves a placement on: applied, interviewed, offered, started, left or withdrawn.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/placements/{placement_id}/status", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("placement" = Uuid, Path, description = "Placement id")),
    request_body = MoveForm,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn move_placement(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<MoveForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    Ok(Json(json(
        &super::move_placement(&app, &ctx, id, &f).await?,
    )?))
}

/// The targets and the savings inputs (percentages).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/settings", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = SettingsForm)))]
pub async fn get_settings(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<SettingsForm>, ApiError> {
    Ok(Json(SettingsForm::of(
        &app.store.talent_settings(ctx.programme_id()?).await?,
    )))
}

/// Replaces the targets and the savings inputs.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/talent/settings", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = SettingsForm,
    responses((status = 200, body = SettingsForm), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_settings(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<SettingsForm>,
) -> Result<Json<SettingsForm>, ApiError> {
    let s = f.validate().map_err(|Invalid(e)| AppError::Invalid(e))?;
    app.store
        .save_talent_settings(ctx.programme_id()?, &s, &ctx.actor())
        .await?;
    Ok(Json(SettingsForm::of(&s)))
}

/// The context's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    get_results,
    get_professions,
    list_people,
    create_person,
    export_people,
    import_people,
    get_person,
    update_person,
    erase_person,
    add_record,
    export_person,
    list_vacancies,
    save_vacancy,
    export_vacancies,
    import_vacancies,
    get_proposals,
    list_placements,
    export_placements,
    confirm_placement,
    move_placement,
    get_settings,
    put_settings,
    get_duplicates,
    merge_people,
))]
pub struct Doc;
