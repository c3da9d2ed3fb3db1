//! Questionnaires, responses, projects' income and the Social Lab through
//! the API (issue 19 items 3 and 4). Imports take the file as the body
//! (an XLSForm's .xlsx bytes, a submissions export's CSV); any error
//! rejects the whole file (422, each problem with its line and column).

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use useit_app::research::social_lab::{add_income, project_income, set_social_lab, social_lab};
use useit_app::research::survey::{
    import_responses, import_xlsform, questionnaire, respond, results, save_questionnaire,
};
use useit_core::clock::iso_date;
use useit_core::research::questionnaire::Questionnaire;
use useit_core::research::social_lab::IncomeInput;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::json;
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, ProblemLine, problem_lines};
use crate::state::AppState;

/// The project's questionnaire (404 until it has one).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/questionnaire", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = Questionnaire), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_questionnaire(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<Questionnaire>, ApiError> {
    let q = questionnaire(app.store.as_ref(), &ctx.caller()?, path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(q))
}

/// Replaces the questionnaire. Every bad field is named
/// (`questions/2/choices`); once there are responses, a question answered
/// cannot go or change its kind (409).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/questionnaire", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    request_body = Questionnaire,
    responses((status = 200, body = Questionnaire), (status = 404, body = crate::http::error::Problem),
        (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_questionnaire(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(q): Json<Questionnaire>,
) -> Result<Json<Questionnaire>, ApiError> {
    let q = save_questionnaire(app.store.as_ref(), &ctx.caller()?, path.1, &q).await?;
    Ok(Json(q))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FormReadJson {
    pub questionnaire: Questionnaire,
    /// False when the project already had exactly this questionnaire.
    pub changed: bool,
    pub problems: Vec<ProblemLine>,
}

/// Sets the questionnaire from an XLSForm (.xlsx as the body). Problems
/// name the sheet's row and column; what the app does not keep (photos,
/// locations, repeats) is a warning.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/questionnaire/xlsform", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id"), FileQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The XLSForm workbook (.xlsx) as it was saved"),
    responses((status = 200, body = FormReadJson), (status = 404, body = crate::http::error::Problem),
        (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn post_xlsform(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Query(q): Query<FileQuery>,
    body: Bytes,
) -> Result<Json<FormReadJson>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "form.xlsx".into());
    let done = import_xlsform(app.store.as_ref(), &ctx.caller()?, path.1, &name, &body).await?;
    Ok(Json(FormReadJson {
        questionnaire: done.outcome.questionnaire,
        changed: done.outcome.changed,
        problems: problem_lines(&done.report),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ChoiceCount {
    pub name: String,
    pub label: String,
    /// The count, or "fewer than k" for roles without personal-data rights.
    pub count: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionResultJson {
    pub path: String,
    pub label: String,
    pub kind: String,
    pub personal: bool,
    pub answered: String,
    pub choices: Vec<ChoiceCount>,
    /// `[smallest, mean, largest]` for numbers.
    pub numbers: Option<[f64; 3]>,
    /// `[first, last]` for dates.
    pub dates: Option<[String; 2]>,
    /// The answers of free-text and personal questions: the coordinator's only (null otherwise).
    pub answers: Option<Vec<String>>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultsJson {
    pub title: String,
    pub responses: String,
    pub imported: String,
    pub exact: bool,
    pub questions: Vec<QuestionResultJson>,
}

/// The tallies of the project's responses (404 without a questionnaire).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/responses", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = ResultsJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_responses(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<ResultsJson>, ApiError> {
    let r = results(app.store.as_ref(), &ctx.caller()?, path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(ResultsJson {
        title: r.questionnaire.title.clone(),
        responses: r.responses.text(),
        imported: r.imported.text(),
        exact: r.exact,
        questions: r
            .lines
            .into_iter()
            .map(|l| QuestionResultJson {
                path: l.question.path(),
                label: l.question.label.clone(),
                kind: l.question.kind.slug().into(),
                personal: l.question.personal,
                answered: l.answered.text(),
                choices: l
                    .choices
                    .iter()
                    .map(|(c, n)| ChoiceCount {
                        name: c.name.clone(),
                        label: c.label.clone(),
                        count: n.text(),
                    })
                    .collect(),
                numbers: l.numbers.map(|(a, b, c)| [a, b, c]),
                dates: l.dates.map(|(a, b)| [iso_date(a), iso_date(b)]),
                answers: l.texts,
            })
            .collect(),
    }))
}

/// One answer sent to the API: a value, or several for a question of
/// several choices.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AnswerJson {
    One(String),
    Many(Vec<String>),
}

/// Keeps one response: answers by question path (`spend/shop`). Each bad
/// answer is named by its path (422).
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/responses", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    request_body = BTreeMap<String, AnswerJson>,
    responses((status = 201, body = Object), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn post_response(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(answers): Json<BTreeMap<String, AnswerJson>>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let mut pairs = Vec::new();
    for (k, v) in answers {
        match v {
            AnswerJson::One(s) => pairs.push((k, s)),
            AnswerJson::Many(vs) => pairs.extend(vs.into_iter().map(|s| (k.clone(), s))),
        }
    }
    respond(app.store.as_ref(), &ctx.caller()?, path.1, &pairs).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "saved": true })),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ResponsesImportedJson {
    pub added: u64,
    /// Submissions already kept under the same `_uuid`, left as they were.
    pub unchanged: u64,
    pub problems: Vec<ProblemLine>,
}

/// Imports a KoboToolbox / ODK submissions export (CSV as the body), all
/// or nothing; the same file twice adds nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/responses.csv", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id"), FileQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = ResponsesImportedJson), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn post_responses_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Query(q): Query<FileQuery>,
    body: Bytes,
) -> Result<Json<ResponsesImportedJson>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "submissions.csv".into());
    let done = import_responses(app.store.as_ref(), &ctx.caller()?, path.1, &name, &body).await?;
    Ok(Json(ResponsesImportedJson {
        added: done.outcome.added,
        unchanged: done.outcome.unchanged,
        problems: problem_lines(&done.report),
    }))
}

/// The payments a project received, oldest first.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/income", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = [Object])))]
pub async fn get_income(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let all = project_income(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(Json(json(&all)?))
}

/// Records a payment the project received.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/projects/{project_id}/income", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("project_id" = Uuid, Path, description = "Project id")),
    request_body = IncomeInput,
    responses((status = 201, body = Object), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn post_income(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<IncomeInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let i = add_income(app.store.as_ref(), &ctx.caller()?, path.1, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&i)?)))
}

/// The Social Lab: the organisation marked as it (null until one is), its
/// projects, income by year and the researchers it pays. Counts of
/// researchers read "fewer than k" for roles without personal-data rights;
/// pay is null when some hours cannot be priced.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/social-lab", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Object)))]
pub async fn get_social_lab(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<serde_json::Value>, ApiError> {
    let lab = social_lab(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(serde_json::json!({
        "organisation": lab.organisation.as_ref().map(|o| serde_json::json!({
            "id": o.id, "name": o.name, "org_id": o.org_id,
        })),
        "exact": lab.exact,
        "projects": lab.projects.iter().map(|p| serde_json::json!({
            "id": p.id, "title": p.draft.title, "status": p.draft.status.slug(),
            "approved_minutes": p.approved_minutes,
        })).collect::<Vec<_>>(),
        "years": lab.years.iter().map(|y| serde_json::json!({
            "year": y.year, "income_pence": y.income, "researchers_paid": y.researchers.text(),
            "approved_minutes": y.minutes, "pay_pence": y.pay,
        })).collect::<Vec<_>>(),
        "income_pence": lab.income_total,
        "researchers_paid": lab.researchers_paid.text(),
        "pay_pence": lab.pay_total,
        "income": json(&lab.income)?,
    })))
}

#[derive(Deserialize, ToSchema)]
pub struct SocialLabJson {
    /// The id of an organisation of the programme's register; null for none.
    pub organisation: Option<Uuid>,
}

/// Marks an organisation of the register as the Social Lab (null: none).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/research/social-lab", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = SocialLabJson,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_social_lab(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<SocialLabJson>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let caller = ctx.caller()?;
    set_social_lab(app.store.as_ref(), &caller, f.organisation).await?;
    get_social_lab(State(app), ctx).await
}
