//! The JSON API under `/api/v1` and its OpenAPI 3.1 description, generated
//! from the handlers' annotations and served at `/api/openapi.json`.

mod conformance;

use std::sync::OnceLock;

use axum::http::Method;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http::ctx::Access;
use crate::http::route::{Route, api};
use crate::{auth, programme};

pub fn routes() -> Vec<Route> {
    let mut r = vec![api(
        Method::GET,
        "/api/openapi.json",
        Access::Public,
        openapi_json,
    )];
    r.extend(auth::api::routes());
    r.extend(programme::api::routes());
    r
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A token from the account page or POST /api/v1/tokens, scoped to one programme and role.",
                    ))
                    .build(),
            ),
        );
        openapi.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new::<
            _,
            _,
            &str,
        >("bearer", [])]);
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "useit API",
        description = "Everything the useit web pages do, as JSON. Errors are RFC 9457 problem details; \
                       invalid input names each field with a JSON pointer. Lists are paged with `page` and \
                       `per_page` and say their `total`.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(crate::http::error::Problem, crate::http::error::ProblemField, crate::http::error::ProblemLine)),
    modifiers(&Security),
    tags(
        (name = "account", description = "The caller's account and API tokens"),
        (name = "programmes", description = "Programmes (tenants) and their counts"),
        (name = "partners", description = "Organisations in the partnership"),
        (name = "place", description = "Geography: the area of benefit, small areas, deprivation and postcodes"),
        (name = "spend", description = "Anchors' spend: imports, suppliers, measures and the lines behind them"),
        (name = "talent", description = "Overseas-qualified professionals into NHS jobs: pathways, casework, vacancies, matching, results"),
        (name = "members", description = "People in the programme and their roles"),
        (name = "audit", description = "Who read or changed what"),
        (name = "admin", description = "Deployment administration (signed-in administrators)"),
    )
)]
pub struct ApiDoc;

/// The OpenAPI document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::auth::api::Doc::openapi());
    doc.merge(crate::programme::api::Doc::openapi());
    doc.merge(crate::audit::api::Doc::openapi());
    doc.merge(crate::admin::api::Doc::openapi());
    doc.merge(crate::place::api::Doc::openapi());
    doc.merge(crate::anchors::api::Doc::openapi());
    doc.merge(crate::anchors::api::interactions::Doc::openapi());
    doc.merge(crate::talent::api::Doc::openapi());
    doc.merge(crate::enterprise::api::Doc::openapi());
    doc.merge(crate::enterprise::api_consortia::Doc::openapi());
    doc.merge(crate::enterprise::grants_api::Doc::openapi());
    doc.merge(crate::enterprise::directory_import::Doc::openapi());
    doc.merge(crate::enterprise::duplicates_api::Doc::openapi());
    doc.merge(crate::research::api::Doc::openapi());
    doc.merge(crate::workshops::api::Doc::openapi());
    doc.merge(crate::community::api::Doc::openapi());
    doc
}

/// The document as served: [`document`] completed with what every
/// operation can answer ([`conformance::complete`]).
pub fn served() -> serde_json::Value {
    let mut doc = serde_json::to_value(document()).expect("the OpenAPI document serialises");
    conformance::complete(&mut doc);
    doc
}

async fn openapi_json() -> impl IntoResponse {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = TEXT.get_or_init(|| served().to_string());
    ([(header::CONTENT_TYPE, "application/json")], text.as_str())
}
