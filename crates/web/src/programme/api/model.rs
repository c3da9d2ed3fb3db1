//! The transfer kit through the API: a programme's model as a file, and a
//! new programme started from a model on its own geography.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::programme::model::{NewFromModel, create_from_model, export_model};
use useit_core::programme::model::{Geography, ProgrammeModel};
use useit_core::programme::{ProgrammeInput, ProgrammeLocaleInput};
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::programme::view::model_download;
use crate::state::AppState;

/// The programme's model (rules, settings, targets, catalogues and the
/// shape of its area of benefit; never personal data or area codes), as a
/// file to save and give to another city.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/model", tag = "programmes",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = ProgrammeModel), (status = 403, body = crate::http::error::Problem)))]
pub async fn get_model(State(app): State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    let model = export_model(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(model_download(&ctx.programme()?.slug, model.to_file()))
}

/// A new programme from a model: the programme's fields, the model as
/// `GET …/model` wrote it, and the new city's geography.
#[derive(Deserialize, ToSchema)]
pub struct FromModelJson {
    pub programme: ProgrammeInput,
    /// A model file's contents; checked field by field (`model.spend.…`).
    #[schema(value_type = ProgrammeModel)]
    pub model: serde_json::Value,
    /// Leave out (or leave `index` blank) to start without an area of benefit.
    #[serde(default)]
    pub geography: Geography,
    /// The new city's currency (`GBP`, `EUR`) and language (`en`, `fr`);
    /// leave out, or leave a field blank, to keep the model's.
    #[serde(default)]
    pub locale: Option<ProgrammeLocaleInput>,
}

#[derive(Serialize, ToSchema)]
pub struct StartedJson {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// The programme the model was exported from.
    pub modelled_on: String,
}

/// Starts a programme from a model, in one transaction; every bad field
/// of the programme, the model and the geography named at once.
#[utoipa::path(post, path = "/api/v1/admin/programmes/from-model", tag = "admin",
    request_body = FromModelJson,
    responses((status = 201, body = StartedJson), (status = 422, body = crate::http::error::Problem),
        (status = 409, body = crate::http::error::Problem)))]
pub async fn post_from_model(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<FromModelJson>,
) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(&f.model).map_err(crate::http::error::AppError::internal)?;
    let new = NewFromModel {
        programme: &f.programme,
        model: &bytes,
        geography: &f.geography,
        locale: f.locale.as_ref(),
    };
    let p = match create_from_model(app.store.as_ref(), &ctx.operator()?, &new).await {
        Ok(p) => p,
        // The programme's own fields sit under `programme` in this body.
        Err(useit_app::Error::Invalid(errs)) => {
            return Err(useit_app::Error::Invalid(
                errs.into_iter()
                    .map(|mut e| {
                        if !["model/", "geography/", "locale/"]
                            .iter()
                            .any(|part| e.field.starts_with(part))
                        {
                            e.field = format!("programme/{}", e.field);
                        }
                        e
                    })
                    .collect(),
            )
            .into());
        }
        Err(e) => return Err(e.into()),
    };
    let modelled_on = f
        .model
        .get("modelled_on")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    Ok((
        StatusCode::CREATED,
        Json(StartedJson {
            id: p.id.to_string(),
            slug: p.slug,
            name: p.name,
            modelled_on,
        }),
    )
        .into_response())
}
