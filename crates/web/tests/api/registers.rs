//! Registers loaded from the web (issue 14 item 4): through the API the
//! body is streamed to a temporary file and, asked with `Prefer:
//! respond-async`, loaded as a background job whose status ends with what
//! was loaded; through the page, the upload goes to the same job and its
//! progress page, which ends with the outcome. A bad file writes nothing and
//! names its line and column. Another programme cannot read the job.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

/// The published Companies House sample (headers with leading spaces,
/// quoted names), as the tests' data folder holds it.
fn companies_house() -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../data/test/registers/companies_house/mrbrianevans_basic-sample.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn put_anchor(c: &mut Client) {
    let res = c
        .json(
            Method::PUT,
            "/api/v1/programmes/alpha/anchors/trust",
            Some(json!({
                "name": "Anchor trust", "kind": "nhs_trust", "official_code": "RQM",
                "local_authority_code": "E08000025",
                "sites": [{"name": "Main", "postcode": "b18 7qh"}]
            })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// A spend file paying a Birmingham company in the sample, imported
/// before any register: its supplier is "not in the register".
async fn import_spend(app: &TestApp, token: &str) {
    let file = "Date,Supplier,Amount\n01/05/2024,243 Rugby Road Management Company Ltd,30000\n";
    let res = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/programmes/alpha/anchors/trust/spend-files?file_name=may.csv",
            app.base
        ))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(file)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
}

async fn supplier(api: &mut Client) -> Value {
    let res = api
        .json(
            Method::GET,
            "/api/v1/programmes/alpha/anchors/suppliers?q=rugby",
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["total"], 1, "{page}");
    page["items"][0].clone()
}

async fn wait_for(api: &mut Client, status_url: &str) -> Value {
    let mut job = Value::Null;
    for _ in 0..600 {
        let res = api.json(Method::GET, status_url, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{status_url}");
        job = res.json().await.unwrap();
        if job["state"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    job
}

both!(
    a_companies_house_file_loads_in_the_background_through_the_api_and_places_suppliers,
    async |app: &TestApp| {
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut api = app.client();
        api.bearer = Some(token.clone());
        put_anchor(&mut api).await;
        import_spend(app, &token).await;
        let before = supplier(&mut api).await;
        assert_eq!(before["status"], "unresolved", "{before}");

        let bytes = companies_house();
        let res = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/programmes/alpha/organisations?format=companies-house&file_name=basic.csv",
                app.base
            ))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .header("prefer", "respond-async")
            .body(bytes.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        let status_url = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            status_url.starts_with("/api/v1/programmes/alpha/organisations/loads/"),
            "{status_url}"
        );
        let first: Value = res.json().await.unwrap();
        assert_eq!(first["state"], "running");
        assert_eq!(first["bytes_total"], bytes.len() as u64);
        let job = wait_for(&mut api, &status_url).await;
        assert_eq!(job["state"], "imported", "{job}");
        assert_eq!(job["bytes_done"], bytes.len() as u64, "{job}");
        assert_eq!(job["result"]["rechecked"], 1, "{job}");
        assert_eq!(job["result"]["left_out"], 30, "{job}");

        // The supplier imported before the register is now that company,
        // with its registered office's postcode.
        let after = supplier(&mut api).await;
        assert_eq!(after["status"], "matched", "{after}");
        assert_eq!(
            after["organisation"]["org_id"], "GB-COH-05914136",
            "{after}"
        );
        assert_eq!(
            after["organisation"]["postcode"]
                .as_str()
                .map(|p| p.replace(' ', "")),
            Some("B33LP".to_string()),
            "{after}"
        );

        // The same file again adds nothing.
        let res = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/programmes/alpha/organisations?format=companies-house",
                app.base
            ))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "a small file without Prefer loads at once"
        );
        let again: Value = res.json().await.unwrap();
        assert_eq!(again["new"], 0, "{again}");

        // Another programme's token cannot read the job; nor is it a spend
        // import.
        let beta = app.token(B_ADMIN_EMAIL, "beta").await;
        let mut other = app.client();
        other.bearer = Some(beta);
        let res = other
            .json(Method::GET, &status_url.replace("/alpha/", "/beta/"), None)
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let id = status_url.rsplit('/').next().unwrap();
        let res = api
            .json(
                Method::GET,
                &format!("/api/v1/programmes/alpha/anchors/spend/imports/{id}"),
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
);

both!(
    a_bad_register_file_loaded_in_the_background_writes_nothing_and_names_its_line,
    async |app: &TestApp| {
        let token = app.token(&email(Role::ProgrammeManager), "alpha").await;
        let mut api = app.client();
        api.bearer = Some(token.clone());
        let file = "org_id,name,kind\nGB-COH-00000001,Good Company,sme\nGB-COH-00000002,Bad Company,dragon\n";
        let res = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/programmes/alpha/organisations?file_name=bad.csv",
                app.base
            ))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .header("prefer", "respond-async")
            .body(file)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        let status_url = res.headers()["location"].to_str().unwrap().to_string();
        let job = wait_for(&mut api, &status_url).await;
        assert_eq!(job["state"], "rejected", "{job}");
        assert_eq!(job["problems"][0]["line"], 3, "{job}");
        assert_eq!(job["problems"][0]["column_name"], "kind", "{job}");
        assert!(
            job["problems"][0]["detail"]
                .as_str()
                .unwrap()
                .contains("dragon"),
            "{job}"
        );
        // Nothing was written: the same two organisations, made good, are
        // both new.
        let res = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/programmes/alpha/organisations",
                app.base
            ))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(file.replace("dragon", "sme"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let good: Value = res.json().await.unwrap();
        assert_eq!(good["new"], 2, "{good}");
    }
);

both!(
    a_register_uploaded_on_the_page_shows_its_progress_then_its_outcome,
    async |app: &TestApp| {
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut api = app.client();
        api.bearer = Some(token.clone());
        put_anchor(&mut api).await;
        import_spend(app, &token).await;

        let mut c = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let (status, form) = c.get_text("/p/alpha/anchors/registers").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            form.contains("Companies House basic company data"),
            "{form}"
        );
        c.csrf = csrf_in(&form).unwrap();

        // No format and no file: both named, nothing started.
        let res = c
            .post_upload("/p/alpha/anchors/registers", "", Vec::new(), &[])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Choose the kind of register"), "{html}");
        assert!(html.contains("Select the register file"), "{html}");

        let res = c
            .post_upload(
                "/p/alpha/anchors/registers",
                "basic.csv",
                companies_house(),
                &[("format", "companies-house")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let job = location(&res);
        assert!(job.starts_with("/p/alpha/anchors/registers/"), "{job}");
        let mut html = String::new();
        for _ in 0..600 {
            let res = c.get(&job).await;
            assert_eq!(res.status(), StatusCode::OK);
            let refresh = res.headers().get("refresh").is_some();
            html = res.text().await.unwrap();
            if !refresh {
                break;
            }
            assert!(html.contains("MB read"), "{html}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(html.contains("1 register entry read, 1 new;"), "{html}");
        assert!(
            html.contains("1 supplier waiting for a match checked again"),
            "{html}"
        );
        let after = supplier(&mut api).await;
        assert_eq!(
            after["organisation"]["postcode"]
                .as_str()
                .map(|p| p.replace(' ', "")),
            Some("B33LP".to_string()),
            "{after}"
        );

        // A bad file: the page names the line and column, nothing written.
        let res = c
            .post_upload(
                "/p/alpha/anchors/registers",
                "bad.csv",
                b"org_id,name,kind\nGB-COH-00000002,Bad Company,dragon\n".to_vec(),
                &[("format", "useit")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let job = location(&res);
        let mut status = StatusCode::OK;
        for _ in 0..600 {
            let res = c.get(&job).await;
            status = res.status();
            let refresh = res.headers().get("refresh").is_some();
            html = res.text().await.unwrap();
            if !refresh {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(html.contains("dragon"), "{html}");
        assert!(html.contains("nothing was imported"), "{html}");

        // A funder viewer may not load registers.
        let mut viewer = app.signed_in(&email(Role::FunderViewer)).await;
        let res = viewer.get("/p/alpha/anchors/registers").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);
