//! The JSON API under `/api/v1` and its OpenAPI 3.1 description, generated
//! from the handlers' annotations and served at `/api/openapi.json`.

use axum::Json;
use axum::http::Method;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http::ctx::Access;
use crate::http::route::{Route, api};
use crate::{admin, audit, auth, programme};

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
    paths(
        auth::api::me, auth::api::change_password, auth::api::list_tokens, auth::api::create_token, auth::api::revoke_token,
        programme::api::my_programmes, programme::api::programme, programme::api::roles,
        programme::api::list_partners, programme::api::create_partner, programme::api::export_partners,
        programme::api::import_partners, programme::api::duplicates, programme::api::get_partner,
        programme::api::update_partner, programme::api::get_contact, programme::api::put_contact,
        programme::api::merge_partner,
        programme::api::list_members, programme::api::add_member, programme::api::export_members,
        programme::api::import_members, programme::api::set_member_role, programme::api::remove_member,
        audit::api_programme_log, audit::api_deployment_log,
        admin::api_programmes, admin::api_create_programme, admin::api_users, admin::api_create_user,
        admin::api_disable_user, admin::api_enable_user,
        crate::place::api::geographies, crate::place::api::get_aob, crate::place::api::put_aob,
        crate::place::api::versions, crate::place::api::list_areas, crate::place::api::areas_csv,
        crate::place::api::get_area, crate::place::api::get_postcode, crate::place::api::bulk_postcodes,
        crate::talent::api::get_results, crate::talent::api::get_professions, crate::talent::api::list_people,
        crate::talent::api::create_person, crate::talent::api::export_people, crate::talent::api::import_people,
        crate::talent::api::get_person, crate::talent::api::update_person, crate::talent::api::erase_person,
        crate::talent::api::add_record, crate::talent::api::export_person, crate::talent::api::list_vacancies,
        crate::talent::api::save_vacancy, crate::talent::api::export_vacancies, crate::talent::api::import_vacancies,
        crate::talent::api::get_proposals, crate::talent::api::list_placements, crate::talent::api::export_placements, crate::talent::api::confirm_placement,
        crate::talent::api::move_placement, crate::talent::api::get_settings, crate::talent::api::put_settings,
        crate::talent::api::get_duplicates, crate::talent::api::merge_people,
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
    doc.merge(crate::anchors::api::Doc::openapi());
    doc
}

async fn openapi_json() -> impl IntoResponse {
    Json(document())
}
