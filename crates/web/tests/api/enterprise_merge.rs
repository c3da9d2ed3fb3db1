//! Organisations entered twice, through the pages and the API: the pair is
//! listed, the confirm page asks which to keep, the merge answers what
//! moved and, asked again, "already merged"; a pair said not to be
//! duplicates is no longer listed.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

async fn add(api: &mut Client, name: &str, postcode: &str) -> String {
    let res = api
        .json(
            Method::POST,
            "/api/v1/programmes/alpha/enterprise/enterprises",
            Some(json!({"name": name, "postcode": postcode})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let v: Value = res.json().await.unwrap();
    v["id"].as_str().unwrap().to_string()
}

both!(
    duplicates_are_listed_merged_and_dismissed,
    async |app: &TestApp| {
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::EnterpriseAdviser), "alpha").await);
        let a = add(&mut api, "Lyng Kitchen CIC", "B66 2QT").await;
        let b = add(&mut api, "The Lyng Kitchen Ltd", "B21 9NH").await;
        let pairs: Value = api
            .get("/api/v1/programmes/alpha/enterprise/duplicates")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(pairs["page"], 1);
        assert!(pairs["total"].as_u64().unwrap() >= 1);
        let pair = pairs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| {
                let ids = [p["keep"]["id"].as_str(), p["other"]["id"].as_str()];
                ids.contains(&Some(a.as_str())) && ids.contains(&Some(b.as_str()))
            })
            .expect("the pair is listed");
        assert_eq!(pair["reasons"], json!(["name"]));

        // The pages: the list, then the confirm step, which must name the one kept.
        let mut c = app.signed_in(&email(Role::EnterpriseAdviser)).await;
        let (status, html) = c.get_text("/p/alpha/enterprise/duplicates").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("The Lyng Kitchen Ltd") && html.contains("Same name"));
        let (status, html) = c
            .get_text(&format!(
                "/p/alpha/enterprise/enterprises/{a}/merge?other={b}"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Which organisation do you want to keep?"));
        let res = c
            .post_form(
                &format!("/p/alpha/enterprise/enterprises/{a}/merge"),
                &[("other", &b)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = c
            .post_form(
                &format!("/p/alpha/enterprise/enterprises/{a}/merge"),
                &[("other", &b), ("keep", &a)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(location(&res).ends_with(&format!("/enterprise/enterprises/{a}")));
        let (_, html) = c
            .get_text(&format!("/p/alpha/enterprise/enterprises/{a}"))
            .await;
        assert!(html.contains("merged into Lyng Kitchen CIC"), "flash shown");
        let res = api
            .get(&format!(
                "/api/v1/programmes/alpha/enterprise/enterprises/{b}"
            ))
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "the other is gone");

        // The same merge through the API: already merged, nothing done.
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/enterprise/merges",
                Some(json!({"keep": a, "other": b})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["outcome"], "already_merged");
        assert_eq!(v["record"]["merged_name"], "The Lyng Kitchen Ltd");
        let done: Value = api
            .get("/api/v1/programmes/alpha/enterprise/merges")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(done.as_array().unwrap().len(), 1);
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/enterprise/merges",
                Some(json!({"keep": a, "other": "GB-NOBODY-1"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);

        // A merge through the API, then "not a duplicate" on the pages.
        let x = add(&mut api, "Rood End Bakery", "B68 8AA").await;
        let y = add(&mut api, "Rood End Bakery CIC", "B69 1AA").await;
        let res = c
            .post_form(
                &format!("/p/alpha/enterprise/enterprises/{x}/not-duplicate"),
                &[("other", &y)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, html) = c.get_text("/p/alpha/enterprise/duplicates").await;
        assert!(!html.contains("Rood End Bakery"), "no longer proposed");
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/enterprise/not-duplicates",
                Some(json!({"first": y, "second": x})),
            )
            .await;
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["new"], false);
        let z = add(&mut api, "Oldbury Repairs", "B68 8AA").await;
        let w = add(&mut api, "Oldbury Repairs Limited", "B69 1AA").await;
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/enterprise/merges",
                Some(json!({"keep": z, "other": w})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["outcome"], "merged");
        assert_eq!(v["counts"]["suppliers"], 0);
    }
);

both!(
    the_directory_filters_are_saved_and_shared,
    async |app: &TestApp| {
        // Issue 15 on the directory: a filter saved by the adviser, shared,
        // shows beside the list for a funder, as a link that applies it.
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::EnterpriseAdviser), "alpha").await);
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/filters",
                Some(
                    json!({"list": "enterprises", "name": "Caterers by turnover",
                "query": "?q=&service=catering&sort=turnover&page=2", "shared": true}),
                ),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let v: Value = res.json().await.unwrap();
        assert_eq!(
            v["href"],
            "/p/alpha/enterprise?service=catering&sort=turnover"
        );
        let mut c = app.signed_in(&email(Role::FunderViewer)).await;
        let (status, html) = c.get_text("/p/alpha/enterprise").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Caterers by turnover"),
            "shared filter listed"
        );
        assert!(
            html.contains("enterprise?service=catering&amp;sort=turnover\"")
                || html.contains("enterprise?service=catering&#38;sort=turnover\""),
            "the link applies it"
        );
        let listed: Value = api
            .get("/api/v1/programmes/alpha/filters?list=enterprises")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 1);
    }
);
