//! A supplier's page searches the register by name, number or postcode and
//! links the supplier to the organisation chosen (issue 14), without
//! JavaScript; the API searches the same way and refuses a search with
//! nothing to look for as problem JSON naming `q`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

const REGISTER: &str = "org_id,name,kind,company_number,postcode,trading_postcode\n\
    GB-COH-05306504,123-REG LIMITED,large_company,05306504,NG1 5FW,\n\
    GB-COH-00000002,FAIRFIELD FACILITIES LIMITED,large_company,00000002,EC2V 7HH,B66 2QT\n";

async fn send(app: &TestApp, token: &str, path: &str, body: &str) -> Value {
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

async fn get_json(c: &mut Client, path: &str) -> (StatusCode, Value) {
    let res = c.json(Method::GET, path, None).await;
    (res.status(), res.json().await.unwrap())
}

both!(
    a_suppliers_page_searches_the_register_and_links_what_is_chosen,
    async |app: &TestApp| {
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut api = app.client();
        api.bearer = Some(token.clone());
        let res = api
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
        send(
            app,
            &token,
            "/api/v1/programmes/alpha/organisations",
            REGISTER,
        )
        .await;
        // A name no matcher would join to 123-REG LIMITED.
        send(
            app,
            &token,
            "/api/v1/programmes/alpha/anchors/trust/spend-files?file_name=june.csv",
            "Date,Supplier,Amount\n01/06/2024,Domain Names Account,143.82\n",
        )
        .await;
        let (_, list) = get_json(
            &mut api,
            "/api/v1/programmes/alpha/anchors/suppliers?q=domain",
        )
        .await;
        let key = list["items"][0]["key"].as_str().unwrap().to_string();
        assert_ne!(list["items"][0]["status"], "matched", "{list}");

        // The API: by number, by postcode, by part of a name.
        for q in ["5306504", "ng1%205fw", "123%20reg", "gb-coh-05306504"] {
            let (status, found) = get_json(
                &mut api,
                &format!("/api/v1/programmes/alpha/organisations?q={q}"),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{q}: {found}");
            assert_eq!(found["items"].as_array().unwrap().len(), 1, "{q}: {found}");
            let o = &found["items"][0];
            assert_eq!(o["organisation"]["org_id"], "GB-COH-05306504", "{q}");
            assert_eq!(o["company_number"], "05306504", "{q}");
            assert_eq!(o["organisation"]["postcode"], "NG1 5FW", "{q}");
        }
        let (status, found) =
            get_json(&mut api, "/api/v1/programmes/alpha/organisations?q=limited").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            found["items"].as_array().unwrap().len(),
            0,
            "legal forms are set aside: {found}"
        );
        for q in ["", "%20", "x"] {
            let (status, problem) = get_json(
                &mut api,
                &format!("/api/v1/programmes/alpha/organisations?q={q}"),
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {problem}");
            let fields: Vec<&str> = problem["errors"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|e| e["pointer"].as_str())
                .collect();
            assert_eq!(fields, ["#/q"], "{q}: {problem}");
        }

        // The page, without JavaScript: the search form is there; nothing to
        // look for is an error on the field; a number lists the company with
        // what the register says; choosing it links the supplier.
        let mut page = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let path = format!("/p/alpha/anchors/suppliers/{}", key.replace(' ', "%20"));
        let (status, html) = page.get_text(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Search the register") && html.contains("name=\"q\""),
            "{html}"
        );
        let (status, html) = page.get_text(&format!("{path}?q=")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("href=\"#q\"") && html.contains("id=\"q-error\""),
            "{html}"
        );
        let (status, html) = page.get_text(&format!("{path}?q=zzzz")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("No organisation in the register matches “zzzz”"),
            "{html}"
        );
        let (status, html) = page.get_text(&format!("{path}?q=05306504")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("1 organisation matches “05306504”"), "{html}");
        assert!(
            html.contains("123-REG LIMITED")
                && html.contains("Company number 05306504")
                && html.contains("NG1 5FW")
                && !html.contains("FAIRFIELD"),
            "{html}"
        );
        let at = html
            .find("id=\"found-1\"")
            .expect("a radio per organisation found");
        let value = &html[at..];
        let value = &value[value.find("value=\"").unwrap() + 7..];
        let id = value[..value.find('"').unwrap()].to_string();
        // Sent without a choice, the same results come back with the error.
        let res = page.post_form(&format!("{path}?q=05306504"), &[]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("Company number 05306504")
        );
        let res = page
            .post_form(&format!("{path}?q=05306504"), &[("organisation", &id)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, s) = get_json(
            &mut api,
            &format!(
                "/api/v1/programmes/alpha/anchors/suppliers/{}",
                key.replace(' ', "%20")
            ),
        )
        .await;
        assert_eq!(s["status"], "accepted", "{s}");
        assert_eq!(s["organisation"]["org_id"], "GB-COH-05306504", "{s}");

        // Someone who may only look at the spend sees no search to link with.
        let mut viewer = app.signed_in(&email(Role::FunderViewer)).await;
        let (status, html) = viewer.get_text(&format!("{path}?q=05306504")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!html.contains("Search the register") && !html.contains("found-1"));
    }
);
