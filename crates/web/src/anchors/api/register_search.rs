//! Searching the organisation register through the API, to pick the
//! organisation a supplier is; the choice is then the supplier's decision
//! (`PUT …/anchors/suppliers/{supplier}/decision`).

use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;
use useit_app::anchors::suppliers::search_register;
use useit_core::anchors::register_search::RegisterSearchInput;
use useit_core::i18n::t;
use utoipa::ToSchema;

use super::suppliers::{OrganisationJson, org_json};
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

/// An organisation of the register a search found.
#[derive(Serialize, ToSchema)]
pub struct RegisterMatchJson {
    pub organisation: OrganisationJson,
    pub company_number: Option<String>,
    pub charity_number: Option<String>,
    /// The legal form's slug (`private_limited`, `cic`…), when the register says.
    pub legal_form: Option<String>,
    /// The legal form in words.
    pub legal_form_name: Option<String>,
    /// The local authority the registered postcode lies in, when the
    /// postcode and the authority's name are in the loaded data.
    pub area: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterFoundJson {
    /// The search as read.
    pub q: String,
    /// At most 25 organisations, by name.
    pub items: Vec<RegisterMatchJson>,
    /// The register holds more matches than those listed: search closer.
    pub more: bool,
}

/// Searches the programme's organisation register by name (or part of
/// one), company or charity number, org-id or postcode. Link a supplier to
/// the organisation found with its decision
/// (`PUT …/anchors/suppliers/{supplier}/decision`).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/organisations", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), RegisterSearchInput),
    responses((status = 200, body = RegisterFoundJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn search(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RegisterSearchInput>,
) -> Result<Json<RegisterFoundJson>, ApiError> {
    let found = search_register(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(Json(RegisterFoundJson {
        q: found.search.text,
        more: found.more,
        items: found
            .matches
            .into_iter()
            .map(|m| {
                let d = &m.organisation.details;
                RegisterMatchJson {
                    company_number: m.organisation.company_number.clone(),
                    charity_number: d.charity_number.clone(),
                    legal_form: d.legal_form.clone(),
                    legal_form_name: d
                        .legal_form
                        .as_deref()
                        .map(|f| t(&format!("anchors.register.legal_form.{f}")).to_string()),
                    area: m.area,
                    organisation: org_json(&m.organisation),
                }
            })
            .collect(),
    }))
}
