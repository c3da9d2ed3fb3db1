//! The JSON API: bearer tokens, problem JSON, paging, and the OpenAPI file.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;
use useit_web::routes::{Surface, describe};

use crate::both;
use crate::helpers::*;

both!(
    tokens_act_as_one_role_in_one_programme,
    async |app: &TestApp| {
        let mut web = app.signed_in(&email(Role::ProgrammeManager)).await;
        let res = web
            .json(
                Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": "reporting", "programme": "alpha", "expires_in_days": 30})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.unwrap();
        let secret = body["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("useit_"));
        assert_eq!(body["token"]["role"], "programme_manager");

        let mut api = app.client();
        assert_eq!(
            api.get("/api/v1/programmes/alpha/partners").await.status(),
            StatusCode::UNAUTHORIZED
        );
        api.bearer = Some("useit_not_a_real_token".into());
        let res = api.get("/api/v1/programmes/alpha/partners").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"useit\"");
        api.bearer = Some(secret.clone());
        let page: Value = api
            .get("/api/v1/programmes/alpha/partners")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["total"], 1);
        assert_eq!(page["items"][0]["name"], "Alpha Community Hub");
        let me: Value = api.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["programmes"].as_array().unwrap().len(), 1);
        // The token is for alpha only (another programme is as missing as
        // one that does not exist), and a token never opens the web pages.
        assert_eq!(
            api.get("/api/v1/programmes/beta").await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            location(&api.get("/p/alpha").await),
            "/sign-in?next=/p/alpha"
        );
        // A token needs no CSRF token: it is not sent by browsers on their own.
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/partners",
                Some(json!({"name": "Via Token", "kind": "funder", "joined_on": "2019-05-01"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);

        // Revoked: refused at once.
        let id = body["token"]["id"].as_str().unwrap();
        assert_eq!(
            web.json(Method::DELETE, &format!("/api/v1/tokens/{id}"), None)
                .await
                .status(),
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            api.get("/api/v1/programmes/alpha/partners").await.status(),
            StatusCode::UNAUTHORIZED
        );
        // Created and revoked tokens are in the audit log.
        let (_, csv) = app
            .signed_in(&email(Role::Administrator))
            .await
            .get_text("/p/alpha/audit.csv?action=token_revoke")
            .await;
        assert!(csv.contains(id));
    }
);

both!(
    invalid_input_is_problem_json_naming_each_field,
    async |app: &TestApp| {
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let res = api
        .json(Method::POST, "/api/v1/programmes/alpha/partners", Some(json!({"name": "", "kind": "spaceship", "joined_on": "2020-02-30", "postcode": "B18 OQH", "contact": {"email": "nope"}})))
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["status"], 422);
        let pointers: BTreeSet<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["pointer"].as_str().unwrap())
            .collect();
        assert_eq!(
            pointers,
            BTreeSet::from([
                "#/name",
                "#/kind",
                "#/joined_on",
                "#/postcode",
                "#/contact/email"
            ])
        );
        let postcode = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["pointer"] == "#/postcode")
            .unwrap();
        assert!(
            postcode["detail"]
                .as_str()
                .unwrap()
                .contains("letter O where a zero")
        );

        // A taken identifier is a conflict on that field.
        let body = json!({"name": "One", "kind": "vcse", "joined_on": "2020-01-01", "org_id": "GB-CHC-1234567"});
        assert_eq!(
            api.json(
                Method::POST,
                "/api/v1/programmes/alpha/partners",
                Some(body.clone())
            )
            .await
            .status(),
            StatusCode::CREATED
        );
        let res = api.json(Method::POST, "/api/v1/programmes/alpha/partners", Some(json!({"name": "Two", "kind": "vcse", "joined_on": "2020-01-01", "org_id": "gb-chc-1234567"}))).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["pointer"], "#/org_id");
    }
);

both!(
    lists_are_paged_sorted_and_filtered,
    async |app: &TestApp| {
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::Administrator), "alpha").await);
        for i in 0..30 {
            let kind = if i % 3 == 0 { "funder" } else { "vcse" };
            let left = if i % 5 == 0 {
                json!("2019-06-30")
            } else {
                json!(null)
            };
            let res = api
            .json(Method::POST, "/api/v1/programmes/alpha/partners", Some(json!({"name": format!("Org {i:02}"), "kind": kind, "joined_on": format!("2018-01-{:02}", i % 28 + 1), "left_on": left})))
            .await;
            assert_eq!(res.status(), StatusCode::CREATED);
        }
        let page: Value = api
            .get("/api/v1/programmes/alpha/partners?per_page=10&page=2&sort=name&dir=desc")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (page["total"].as_u64(), page["total_pages"].as_u64()),
            (Some(31), Some(4))
        );
        assert_eq!(page["items"][0]["name"], "Org 19");
        let funders: Value = api
            .get("/api/v1/programmes/alpha/partners?kind=funder&per_page=100")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(funders["total"], 10);
        let former: Value = api
            .get("/api/v1/programmes/alpha/partners?status=former&per_page=100")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(former["total"], 6);
        let search: Value = api
            .get("/api/v1/programmes/alpha/partners?q=org%202")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(search["total"], 10, "Org 02, Org 20..29");
        let members: Value = api
            .get("/api/v1/programmes/alpha/members?per_page=4")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (
                members["total"].as_u64(),
                members["items"].as_array().unwrap().len()
            ),
            (Some(9), 4)
        );
    }
);

#[test]
fn the_openapi_file_describes_every_api_route() {
    let doc = serde_json::to_value(useit_web_api_doc()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let routes: BTreeSet<(String, String)> = describe()
        .into_iter()
        .filter(|r| r.surface == Surface::Api && r.path.starts_with("/api/v1/"))
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let undocumented: Vec<_> = routes.difference(&documented).collect();
    let phantom: Vec<_> = documented.difference(&routes).collect();
    assert!(
        undocumented.is_empty(),
        "API routes missing from the OpenAPI file: {undocumented:?}"
    );
    assert!(
        phantom.is_empty(),
        "OpenAPI paths with no route: {phantom:?}"
    );
}

fn useit_web_api_doc() -> utoipa::openapi::OpenApi {
    useit_web::openapi()
}

both!(the_openapi_file_is_served, async |app: &TestApp| {
    let doc: Value = app
        .client()
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doc["info"]["title"], "useit API");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
});
