//! Issue 16 items 8 and 9: the audit log records the address the server
//! trusts; adding a member is an invitation that says nothing about
//! other accounts.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::*;

fn behind_proxy() -> useit_web::Config {
    useit_web::Config {
        trust_proxy: true,
        ..Default::default()
    }
}

/// Behind `--trust-proxy` each entry a request writes carries the address
/// the proxy appended (never the client-chosen first entry); the audit
/// page, its CSV and the API show it, and the chain seals it.
async fn the_audit_log_records_the_trusted_client_address(app: &TestApp) {
    let mut admin = app.client();
    admin.forwarded_for = Some("10.66.6.6, 203.0.113.20".into());
    let res = admin
        .sign_in(&email(useit_core::auth::Role::Administrator), PASSWORD)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // An audited read of personal data through the API.
    let res = admin
        .json(Method::GET, "/api/v1/programmes/alpha/members", None)
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let log: Value = admin
        .json(
            Method::GET,
            "/api/v1/programmes/alpha/audit?q=203.0.113.20",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let items = log["items"].as_array().unwrap();
    let kinds: Vec<&str> = items
        .iter()
        .map(|e| e["subject_type"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"member_list"), "{kinds:?}");
    for e in items {
        assert_eq!(e["client_address"], "203.0.113.20");
    }
    // Sign-ins belong to no programme: the deployment's log has them.
    let mut root = app.client();
    root.forwarded_for = Some("198.51.100.5".into());
    root.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let log: Value = root
        .json(
            Method::GET,
            "/api/v1/admin/audit?action=sign_in&q=203.0.113.20",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["total"], 1, "{log}");
    let all: Value = admin
        .json(
            Method::GET,
            "/api/v1/programmes/alpha/audit?per_page=100",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !all.to_string().contains("10.66.6.6"),
        "the client-chosen hop is never recorded"
    );
    // Entries written at the console (the fixtures) have none.
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["channel"] == "cli" && e["client_address"].is_null())
    );

    let (status, page) = admin.get_text("/p/alpha/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<code class=\"app-break\">203.0.113.20</code>"));
    let (status, csv) = admin.get_text("/p/alpha/audit.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.lines().next().unwrap().ends_with(",client_address"));
    assert!(csv.contains(",203.0.113.20\n") || csv.contains(",203.0.113.20\r\n"));

    // Sealed and verified with the address; an address changed afterwards
    // is caught (the chain's own tests pin that entries without one hash
    // as before).
    let report = useit_app::audit::verify(
        app.store.as_ref(),
        &useit_app::auth::Operator::console(),
        |_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(report.broken, None);
    assert!(report.checked > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_records_the_trusted_client_address_sqlite() {
    let app = TestApp::spawn(Db::Sqlite, behind_proxy()).await;
    the_audit_log_records_the_trusted_client_address(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_records_the_trusted_client_address_postgres() {
    let Some(app) = TestApp::spawn_pg(behind_proxy()).await else {
        return;
    };
    the_audit_log_records_the_trusted_client_address(&app).await;
    app.finish().await;
}
