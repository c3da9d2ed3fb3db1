//! Issue 16 items 8 and 9: the audit log records the address the server
//! trusts; adding a member is an invitation that says nothing about
//! other accounts.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::both;
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

/// The parts of an invitation's answer that do not depend on the e-mail
/// invited: its keys and the role.
fn shape(v: &Value) -> (Vec<String>, Value, Value) {
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    (keys, v["role"].clone(), v["state"].clone())
}

// Issue 16 item 9: inviting an e-mail with an account (in another
// programme) answers exactly like inviting one without, and never names
// the account; the members CSV treats both alike; another programme's
// administrator neither sees nor withdraws the invitation.
both!(
    an_invitation_says_nothing_about_other_accounts,
    async |app: &TestApp| {
        let token = app
            .token(&email(useit_core::auth::Role::Administrator), "alpha")
            .await;
        let mut api = app.client();
        api.bearer = Some(token);
        let invite =
            |e: &str| serde_json::json!({"email": e, "role": "funder_viewer", "days": "3"});
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/invitations",
                Some(invite(B_ADMIN_EMAIL)),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let existing: Value = res.json().await.unwrap();
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/invitations",
                Some(invite("nobody.yet@example.org")),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let missing: Value = res.json().await.unwrap();
        assert_eq!(shape(&existing), shape(&missing));
        let text = existing.to_string();
        assert!(!text.contains(&format!("Person {B_ADMIN_EMAIL}")), "{text}");
        assert!(
            existing["link"]
                .as_str()
                .unwrap()
                .contains("/invitations/useit_invite_")
        );

        // The members CSV: an account elsewhere is "nobody here", like none.
        let mut web = app
            .signed_in(&email(useit_core::auth::Role::Administrator))
            .await;
        let mut answers = Vec::new();
        for who in [B_ADMIN_EMAIL, "nobody.yet@example.org"] {
            let res = web
                .post_upload(
                    "/p/alpha/members/import",
                    "members.csv",
                    format!("email,role\n{who},funder_viewer\n").into_bytes(),
                    &[],
                )
                .await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
            answers.push(res.text().await.unwrap().replace(who, "X"));
        }
        assert_eq!(answers[0], answers[1]);

        // Another programme's administrator: not listed, not withdrawn.
        let b_token = app.token(B_ADMIN_EMAIL, "beta").await;
        let mut beta = app.client();
        beta.bearer = Some(b_token);
        let listed: Value = beta
            .json(Method::GET, "/api/v1/programmes/beta/invitations", None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 0);
        let id = existing["id"].as_str().unwrap();
        let res = beta
            .json(
                Method::DELETE,
                &format!("/api/v1/programmes/beta/invitations/{id}"),
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let listed: Value = api
            .json(Method::GET, "/api/v1/programmes/alpha/invitations", None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 2);
        assert_eq!(listed[0]["state"], "open");

        // The invited account is created through the API from the secret.
        let link = missing["link"].as_str().unwrap();
        let secret = &link[link.find("useit_invite_").unwrap()..];
        let res = app
            .client()
            .json(
                Method::POST,
                &format!("/api/v1/invitations/{secret}/account"),
                Some(serde_json::json!({"display_name": "Nobody Yet", "password": PASSWORD})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let joined: Value = res.json().await.unwrap();
        assert_eq!(joined["programme"], "alpha");
        assert_eq!(joined["role"], "funder_viewer");
        let res = api
            .json(
                Method::DELETE,
                &format!(
                    "/api/v1/programmes/alpha/invitations/{}",
                    missing["id"].as_str().unwrap()
                ),
                None,
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::NOT_FOUND,
            "an accepted invitation is closed"
        );
    }
);
