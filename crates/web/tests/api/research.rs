//! Research through the API and the pages: the coordinator adds a
//! researcher linked to an account, a project and the pay rule; the
//! researcher enters their own hours (refused before accreditation) and
//! sees only their own; the coordinator approves and the payment run prices
//! each day at its own rate; a funder sees figures but no names.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

const API: &str = "/api/v1/programmes/alpha/research";

async fn api(app: &TestApp, role: Role) -> Client {
    let mut c = app.client();
    c.bearer = Some(app.token(&email(role), "alpha").await);
    c
}

async fn call(
    c: &mut Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let res = c.json(method, &format!("{API}{path}"), body).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

both!(
    researchers_are_paid_for_approved_hours_at_the_rate_of_each_day,
    async |app: &TestApp| {
        let mut coordinator = api(app, Role::ResearchCoordinator).await;
        let mut researcher = api(app, Role::CommunityResearcher).await;
        let mut funder = api(app, Role::FunderViewer).await;
        let (status, body) = call(
            &mut coordinator,
            Method::PUT,
            "/settings",
            Some(json!({"scheme": "uk", "pay_from": "announcement"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, project) = call(
            &mut coordinator,
            Method::POST,
            "/projects",
            Some(
                json!({"title": "Where staff spend", "commissioner_kind": "social_lab",
                "question": "Where do staff spend?", "status": "fieldwork"}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{project}");
        let project = project["id"].as_str().unwrap().to_string();
        let (status, r) = call(
            &mut coordinator,
            Method::POST,
            "/researchers",
            Some(json!({"full_name": "Amina Khan", "channel": "leaflet", "recruited_on": "2024-01-10",
                "lawful_basis": "public_task", "qualification": "Community Research", "level": "2",
                "awarding_body": "OCN", "accredited_on": "2024-03-01",
                "account_email": email(Role::CommunityResearcher)})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
        let id = r["id"].as_str().unwrap().to_string();
        // Before accreditation: refused, naming the field.
        let (status, problem) = call(
            &mut researcher,
            Method::POST,
            "/time",
            Some(json!({"project": project, "worked_on": "2024-02-01", "hours": "2"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem.to_string().contains("worked_on"), "{problem}");
        let mut entries = Vec::new();
        for (on, h) in [("2024-10-22", "2"), ("2024-10-23", "2")] {
            let (status, e) = call(
                &mut researcher,
                Method::POST,
                "/time",
                Some(json!({"project": project, "worked_on": on, "hours": h})),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{e}");
            entries.push(e["id"].as_str().unwrap().to_string());
        }
        // A researcher may not approve their own hours.
        let (status, _) = call(
            &mut researcher,
            Method::POST,
            &format!("/time/{}/decision", entries[0]),
            Some(json!({"decision": "approve"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        for e in &entries {
            let (status, body) = call(
                &mut coordinator,
                Method::POST,
                &format!("/time/{e}/decision"),
                Some(json!({"decision": "approve"})),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let (status, own) = call(&mut researcher, Method::GET, "/time", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(own.as_array().unwrap().len(), 2);
        let (status, me) = call(
            &mut researcher,
            Method::GET,
            &format!("/researchers/{id}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{me}");
        assert_eq!(me["draft"]["full_name"], "Amina Khan");
        let (status, _) = call(&mut researcher, Method::GET, "/researchers", None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let res = coordinator
            .get(&format!("{API}/pay-run.csv?from=2024-10-01&to=2024-10-31"))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let csv = res.text().await.unwrap();
        assert!(
            csv.contains("2024-10-22,120,12.00,2023-10-24,24.00"),
            "{csv}"
        );
        assert!(
            csv.contains("2024-10-23,120,12.60,2024-10-23,25.20"),
            "{csv}"
        );
        // A funder sees the figures (small counts suppressed), never names.
        let (status, s) = call(&mut funder, Method::GET, "/summary", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(s["exact"], false);
        assert_eq!(s["approved_minutes"], 240);
        let (status, _) = call(
            &mut funder,
            Method::GET,
            &format!("/researchers/{id}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The pages render for the coordinator and the researcher.
        let mut page = app.signed_in(&email(Role::ResearchCoordinator)).await;
        for path in [
            "/p/alpha/research",
            "/p/alpha/research/researchers",
            "/p/alpha/research/time",
        ] {
            let (status, html) = page.get_text(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(
                html.contains("Amina Khan") || path == "/p/alpha/research",
                "{path}"
            );
        }
        let mut own_page = app.signed_in(&email(Role::CommunityResearcher)).await;
        let (status, html) = own_page.get_text("/p/alpha/research/time").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Where staff spend"));
    }
);
