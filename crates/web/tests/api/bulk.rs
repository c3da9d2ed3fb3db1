//! Bulk work (issue 15): the review queue decided many suppliers at a time
//! through the page (plain form, ticked boxes, no JavaScript) and the API,
//! all or nothing; and a programme manager reading their own programme's
//! audit log (page, filters, CSV, API) but never another programme's.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

async fn post_csv(app: &TestApp, token: &str, path: &str, body: &str) -> Value {
    let res = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.json().await.unwrap()
}

async fn get_json(c: &mut Client, path: &str) -> Value {
    let res = c.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.unwrap()
}

const QUEUE: &str = "/api/v1/programmes/alpha/anchors/suppliers?status=review&sort=name";

both!(
    the_review_queue_is_decided_many_at_a_time,
    async |app: &TestApp| {
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut api = app.client();
        api.bearer = Some(token.clone());
        let res = api
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/anchors/trust",
                Some(json!({"name": "Alpha Trust", "kind": "nhs_trust", "sites": []})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/organisations",
            "org_id,name,kind\n\
             GB-COH-00000001,SOHO ROAD KITCHEN CIC,social_enterprise\n\
             GB-COH-00000002,LADYWOOD COMMUNITY KITCHEN CIC,social_enterprise\n",
        )
        .await;
        let out = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/anchors/trust/spend-files?file_name=may.csv",
            "Date,Supplier,Amount\n\
             01/05/2024,Soho Rd Kitchen,300.00\n\
             02/05/2024,Ladywood Comm. Kitchen,200.00\n\
             03/05/2024,Zebedee Quantum Widgets,100.00\n",
        )
        .await;
        assert_eq!(out["to_review"], 2, "{out}");
        let queue = get_json(&mut api, QUEUE).await;
        let keys: Vec<String> = queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["key"].as_str().unwrap().to_string())
            .collect();

        // The page: a box per row and the decisions, in a plain form.
        let mut page = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let (status, html) = page
            .get_text("/p/alpha/anchors/suppliers?status=review")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(html.matches("name=\"suppliers\"").count(), 2, "{html}");
        assert!(html.contains("value=\"accept_best\""));
        // Nothing ticked, no decision: both are said, nothing is decided.
        let res = page
            .post_form("/p/alpha/anchors/suppliers?status=review", &[])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Tick at least one supplier"), "{html}");
        assert!(html.contains("Choose a decision for the ticked suppliers"));
        // The first row ticked: decided, and the same list comes back.
        let res = page
            .post_form(
                "/p/alpha/anchors/suppliers?status=review",
                &[("suppliers", &keys[0]), ("decision", "accept_best")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/p/alpha/anchors/suppliers?status=review");
        let (_, html) = page
            .get_text("/p/alpha/anchors/suppliers?status=review")
            .await;
        assert!(
            html.contains("1 supplier is now its best candidate"),
            "{html}"
        );
        assert_eq!(get_json(&mut api, QUEUE).await["total"], 1);

        // The API: the other one and the unresolved supplier as none of
        // their candidates; beta's supplier is unknown here, so nothing is.
        let unresolved = get_json(
            &mut api,
            "/api/v1/programmes/alpha/anchors/suppliers?status=unresolved",
        )
        .await["items"][0]["key"]
            .as_str()
            .unwrap()
            .to_string();
        const BULK: &str = "/api/v1/programmes/alpha/anchors/supplier-decisions";
        let res = api
            .json(
                Method::POST,
                BULK,
                Some(
                    json!({"decision": "no_match", "suppliers": [keys[1], "beta secret supplier"]}),
                ),
            )
            .await;
        // Another programme's supplier is one this programme does not have.
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let problem: Value = res.json().await.unwrap();
        assert_eq!(problem["errors"][0]["pointer"], "#/suppliers", "{problem}");
        assert_eq!(get_json(&mut api, QUEUE).await["total"], 1);
        let res = api
            .json(
                Method::POST,
                BULK,
                Some(json!({"decision": "no_match", "suppliers": [keys[1], unresolved]})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let done: Value = res.json().await.unwrap();
        assert_eq!(done["decided"], 2);
        assert!(
            done["suppliers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["status"] == "no_match")
        );
        assert_eq!(get_json(&mut api, QUEUE).await["total"], 0);
        let beta = app
            .store
            .supplier(app.fx.b, "beta secret supplier")
            .await
            .unwrap()
            .expect("beta's supplier");
        assert_ne!(
            beta.status,
            useit_core::anchors::resolution::SupplierStatus::NoMatch
        );

        // A funder may look but not decide.
        let mut funder = app.client();
        funder.bearer = Some(app.token(&email(Role::FunderViewer), "alpha").await);
        let res = funder
            .json(
                Method::POST,
                BULK,
                Some(json!({"decision": "no_match", "suppliers": [keys[0]]})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);

        // The programme manager reads the decisions in the audit log.
        let mut pm = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (status, csv) = pm
            .get_text("/p/alpha/audit.csv?subject_type=supplier")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
    }
);

both!(
    a_programme_manager_reads_only_their_programmes_audit_log,
    async |app: &TestApp| {
        let mut pm = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (status, html) = pm.get_text("/p/alpha/audit").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Alpha Community Hub") || html.contains("Partner"));
        // Filtered, searched and paged like every list.
        let (status, html) = pm
            .get_text("/p/alpha/audit?action=create&q=alpha&per_page=1&page=1")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!html.contains(B_PARTNER_NAME));
        let (status, csv) = pm.get_text("/p/alpha/audit.csv").await;
        assert_eq!(status, StatusCode::OK);
        assert!(csv.lines().count() > 1, "{csv}");
        for secret in [B_PARTNER_NAME, B_ADMIN_EMAIL, B_SUPPLIER] {
            assert!(!csv.contains(secret), "alpha's log shows {secret}");
        }
        // Another programme's log is not there at all.
        for path in ["/p/beta/audit", "/p/beta/audit.csv"] {
            let (status, _) = pm.get_text(path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let log = get_json(&mut api, "/api/v1/programmes/alpha/audit?per_page=5").await;
        assert!(log["total"].as_u64().unwrap() > 0, "{log}");
        let res = api.get("/api/v1/programmes/beta/audit").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        // Roles without the log's rights do not see it.
        let mut caseworker = app.signed_in(&email(Role::EmploymentCaseworker)).await;
        let (status, _) = caseworker.get_text("/p/alpha/audit").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

both!(
    people_are_changed_many_at_a_time_from_the_list,
    async |app: &TestApp| {
        const PEOPLE: &str = "/api/v1/programmes/alpha/talent/people";
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let res = api
            .json(
                Method::POST,
                PEOPLE,
                Some(json!({"full_name": "Amal Haddad", "profession": "nurse",
                    "qualification_country": "Syria", "lawful_basis": "consent",
                    "consent_given_on": "2026-01-10"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let amal: Value = res.json().await.unwrap();
        let amal = amal["person"]["id"].as_str().unwrap().to_string();
        let alpha = app.fx.a_person.to_string();

        // The list: a box per row for those who may change people.
        let mut page = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (status, html) = page.get_text("/p/alpha/talent/people").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(html.matches("name=\"people\"").count(), 2, "{html}");
        assert!(html.contains("value=\"caseworker\""));
        let mut funder = app.signed_in(&email(Role::FunderViewer)).await;
        let (status, _) = funder.get_text("/p/alpha/talent/people").await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Nothing ticked: said, nothing changed.
        let res = page
            .post_form(
                "/p/alpha/talent/people/bulk?stage=engaged",
                &[("action", "note")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("Tick at least one person")
        );

        // Ticked: a confirmation page naming both, changing nothing yet.
        let ticked = [
            ("people", amal.as_str()),
            ("people", alpha.as_str()),
            ("action", "barrier"),
        ];
        let res = page
            .post_form("/p/alpha/talent/people/bulk?stage=engaged", &ticked)
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("Change these 2 people"), "{html}");
        assert!(html.contains("Amal Haddad") && html.contains("Alpha Person"));
        assert!(html.contains("name=\"raised_on\""));
        // Confirmed without a date: the field is named, nothing written.
        let mut confirm = ticked.to_vec();
        confirm.extend([("confirmed", "yes"), ("barrier", "dbs_check")]);
        let res = page
            .post_form("/p/alpha/talent/people/bulk?stage=engaged", &confirm)
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("raised_on-error"));
        confirm.push(("raised_on", "2026-11-02"));
        let res = page
            .post_form("/p/alpha/talent/people/bulk?stage=engaged", &confirm)
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/p/alpha/talent/people?stage=engaged");
        let (_, html) = page.get_text("/p/alpha/talent/people?stage=engaged").await;
        assert!(
            html.contains("The barrier is recorded for 2 people."),
            "{html}"
        );
        let audit = app
            .store
            .audit_list(
                &useit_core::audit::AuditFilter {
                    programme_id: Some(app.fx.a),
                    subject_type: Some("talent_barrier".into()),
                    ..Default::default()
                },
                useit_core::listing::PageRequest::new(None, None),
            )
            .await
            .unwrap();
        assert_eq!(audit.total, 2, "an audit entry per person");

        // The API: beta's person among alpha's refuses them all, as unknown.
        const BULK: &str = "/api/v1/programmes/alpha/talent/people/bulk";
        let note = |people: Vec<String>| json!({"people": people, "action": "note", "record": {"note": "Met the cohort"}});
        let res = api
            .json(
                Method::POST,
                BULK,
                Some(note(vec![amal.clone(), app.fx.b_person.to_string()])),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let problem: Value = res.json().await.unwrap();
        assert_eq!(problem["errors"][0]["pointer"], "#/people", "{problem}");
        let res = api.get(&format!("{PEOPLE}/{amal}")).await;
        let person: Value = res.json().await.unwrap();
        assert_eq!(person["records"]["notes"].as_array().unwrap().len(), 0);
        let res = api
            .json(
                Method::POST,
                BULK,
                Some(note(vec![amal.clone(), alpha.clone()])),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let done: Value = res.json().await.unwrap();
        assert_eq!(done["changed"], 2, "{done}");
        // A funder may not.
        let mut funder_api = app.client();
        funder_api.bearer = Some(app.token(&email(Role::FunderViewer), "alpha").await);
        let res = funder_api
            .json(Method::POST, BULK, Some(note(vec![amal.clone()])))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // Beta's placement is not alpha's to move.
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/talent/placements/bulk",
                Some(json!({"placements": [app.fx.b_placement], "status": "withdrawn"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let problem: Value = res.json().await.unwrap();
        assert_eq!(problem["errors"][0]["pointer"], "#/placements", "{problem}");
    }
);
