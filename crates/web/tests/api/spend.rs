//! Spend through the API and the pages: a real published file (Windows-1252)
//! imports once to its publisher's total; the measures equal the sum of the
//! lines each drills down to; the lines' CSV imports back unchanged; a bad
//! file is refused naming its line and column, on the page and in the API;
//! a supplier decided in the review queue stays decided.

use std::io::Read;
use useit_core::anchors::jobs::{ImportJobRecord, JobState};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

fn real(path: &str) -> Vec<u8> {
    let p = format!(
        "{}/../../data/test/spend/{path}.gz",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

async fn post_csv(app: &TestApp, token: &str, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The JSON pointers of a problem's field errors.
fn pointers(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["pointer"].as_str())
        .collect()
}

async fn get_json(c: &mut Client, path: &str) -> Value {
    let res = c.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.unwrap()
}

async fn put_anchor(c: &mut Client, slug: &str) {
    let res = c
        .json(
            Method::PUT,
            &format!("/api/v1/programmes/alpha/anchors/{slug}"),
            Some(json!({
                "name": format!("Anchor {slug}"), "kind": "nhs_trust", "official_code": "RQM",
                "local_authority_code": "E08000025",
                "sites": [{"name": "Main", "postcode": "b18 7qh"}]
            })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let a: Value = res.json().await.unwrap();
    assert_eq!(a["sites"][0]["postcode"], "B18 7QH");
}

both!(
    a_real_file_imports_once_and_every_figure_is_its_lines,
    async |app: &TestApp| {
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut c = app.client();
        c.bearer = Some(token.clone());
        put_anchor(&mut c, "chwe").await;

        // Chelsea and Westminster, April 2020: Windows-1252, 141 lines, £21,963,605.56.
        let path =
            "/api/v1/programmes/alpha/anchors/chwe/spend-files?file_name=CHWE%2001%20-%20April.csv";
        let bytes = real("nhs_trusts_2020-21/CHWE/CHWE 01 - April.csv");
        let (status, body) = post_csv(app, &token, path, bytes.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(
            (body["lines_read"].as_u64(), body["lines_new"].as_u64()),
            (Some(141), Some(141))
        );
        assert_eq!(body["total_new_pence"], 2_196_360_556i64);
        let (status, again) = post_csv(app, &token, path, bytes).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["already_imported"], true);

        let files = get_json(&mut c, "/api/v1/programmes/alpha/anchors/spend/files").await;
        assert_eq!(files["total"], 1);
        assert_eq!(files["items"][0]["encoding"], "windows-1252");

        // Every headline figure equals the sum of the lines its drill-down lists.
        let m = get_json(
            &mut c,
            "/api/v1/programmes/alpha/anchors/spend/measures?anchor=chwe",
        )
        .await;
        assert_eq!(m["total_pence"], 2_196_360_556i64);
        let sum = |v: &Value| v["amount_pence"].as_i64().unwrap();
        let all = get_json(
            &mut c,
            "/api/v1/programmes/alpha/anchors/spend/lines?anchor=chwe&per_page=5",
        )
        .await;
        assert_eq!(
            (all["total"].as_u64(), sum(&all)),
            (Some(141), 2_196_360_556)
        );
        assert_eq!(all["items"].as_array().unwrap().len(), 5);
        let infl = get_json(
            &mut c,
            "/api/v1/programmes/alpha/anchors/spend/lines?anchor=chwe&influenceable=yes",
        )
        .await;
        assert_eq!(sum(&infl), m["influenceable_pence"].as_i64().unwrap());
        assert!(
            sum(&infl) < 2_196_360_556,
            "some lines are not influenceable (drugs, other NHS bodies)"
        );
        let not_infl = get_json(
            &mut c,
            "/api/v1/programmes/alpha/anchors/spend/lines?anchor=chwe&influenceable=no",
        )
        .await;
        assert_eq!(sum(&infl) + sum(&not_infl), 2_196_360_556);
        let month = &m["months"][0];
        let april = get_json(
            &mut c,
            &format!(
                "/api/v1/programmes/alpha/anchors/spend/lines?anchor=chwe&month={}",
                month["month"].as_str().unwrap()
            ),
        )
        .await;
        assert_eq!(sum(&april), month["total_pence"].as_i64().unwrap());
        let top = &m["top_suppliers"][0];
        let theirs = get_json(
            &mut c,
            &format!(
                "/api/v1/programmes/alpha/anchors/spend/lines?anchor=chwe&influenceable=yes&supplier={}",
                top["supplier"].as_str().unwrap().replace(' ', "%20")
            ),
        )
        .await;
        assert_eq!(sum(&theirs), top["total_pence"].as_i64().unwrap());

        // Bad filters name their field.
        let res = c
            .get("/api/v1/programmes/alpha/anchors/spend/lines?from=2020-13-01&local=moon")
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = res.json().await.unwrap();
        let pointers = pointers(&problem);
        assert!(
            pointers.contains(&"#/from") && pointers.contains(&"#/local"),
            "{problem}"
        );

        // The CSV imports back: into the same anchor nothing is new; into another, the same total.
        let res = c
            .get("/api/v1/programmes/alpha/anchors/spend/lines.csv?anchor=chwe")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let csv = res.bytes().await.unwrap().to_vec();
        let (status, back) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/anchors/chwe/spend-files?file_name=export.csv",
            csv.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{back}");
        assert_eq!(
            (back["lines_read"].as_u64(), back["lines_new"].as_u64()),
            (Some(141), Some(0))
        );
        put_anchor(&mut c, "copy").await;
        let (_, copy) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/anchors/copy/spend-files?file_name=export.csv",
            csv,
        )
        .await;
        assert_eq!(
            (copy["lines_new"].as_u64(), copy["total_new_pence"].as_i64()),
            (Some(141), Some(2_196_360_556))
        );

        // The dashboard shows the same figures and links each to its lines.
        let mut page = app.signed_in(&email(Role::FunderViewer)).await;
        let (status, html) = page.get_text("/p/alpha/anchors/spend?anchor=chwe").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("£21,963,605.56"), "total on the dashboard");
        assert!(
            html.contains("/p/alpha/anchors/spend/lines?anchor=chwe&#38;influenceable=yes"),
            "drill-down link: {html}"
        );
        let (status, lines) = page
            .get_text("/p/alpha/anchors/spend/lines?anchor=chwe&influenceable=no")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(lines.contains("Not influenceable"));
        // The page's sum is the sum of the lines it lists, search included.
        let mut api = app.client();
        api.bearer = Some(token.clone());
        let found = get_json(
            &mut api,
            "/api/v1/programmes/alpha/anchors/spend/lines?anchor=chwe&q=drug",
        )
        .await;
        assert!(found["total"].as_u64().unwrap() > 0);
        let (_, searched) = page
            .get_text("/p/alpha/anchors/spend/lines?anchor=chwe&q=drug")
            .await;
        let expected = format!(
            "These lines add up to {}",
            found["amount"].as_str().unwrap()
        );
        assert!(searched.contains(&expected), "{expected}");
        // A funder cannot import.
        let res = page.get("/p/alpha/anchors/import").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);

both!(
    a_bad_file_imports_nothing_and_names_its_lines,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let (_, form) = c.get_text("/p/alpha/anchors/new").await;
        assert!(form.contains("name=\"sites\""));
        // Bad anchor form: every field named.
        let res = c
            .post_form(
                "/p/alpha/anchors",
                &[
                    ("slug", "Bad Slug"),
                    ("name", ""),
                    ("kind", ""),
                    ("sites", "Main B18 7QH\nCity, B18 OQH"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        for anchor in ["#slug", "#name", "#kind", "#sites"] {
            assert!(
                html.contains(&format!("href=\"{anchor}\"")),
                "{anchor} in the error summary: {html}"
            );
        }
        assert!(html.contains("Line 1 needs a name, a comma and a postcode"));
        add_trust_by_form(&mut c).await;

        let bad = b"Date Paid,Supplier Name,Amount,Expense Type\r\n02/04/2024,Acme Ltd,\"1,000.00\",Catering\r\n31/04/2024,Bywest Ltd,500.00,Building\r\n03/04/2024,Cerner Ltd,12.34.56,IT\r\n".to_vec();
        let res = c
            .post_upload(
                "/p/alpha/anchors/import",
                "april.csv",
                bad.clone(),
                &[("anchor", "trust")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("govuk-error-summary"));
        assert!(
            html.contains("&#39;31/04/2024&#39; is not a date")
                || html.contains("'31/04/2024' is not a date"),
            "the bad date"
        );
        assert!(
            html.contains("Nothing was imported") || html.contains("nothing was"),
            "says nothing was written"
        );
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let (status, problem) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/anchors/trust/spend-files?file_name=april.csv",
            bad.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let lines: Vec<(u64, Option<u64>)> = problem["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["severity"] == "error")
            .map(|p| (p["line"].as_u64().unwrap(), p["column"].as_u64()))
            .collect();
        assert_eq!(lines, vec![(3, Some(1)), (4, Some(3))]);
        assert!(
            app.store.ledger(app.fx.a, None).await.unwrap().is_empty(),
            "nothing written"
        );

        // Asked to, the page imports the good line and lists the skipped ones.
        let res = c
            .post_upload(
                "/p/alpha/anchors/import",
                "april.csv",
                bad,
                &[("anchor", "trust"), ("skip_bad_lines", "yes")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("1 new (£1,000.00)"), "{html}");
        assert_eq!(app.store.ledger(app.fx.a, None).await.unwrap().len(), 1);
    }
);

both!(
    a_supplier_decided_in_the_queue_stays_decided,
    async |app: &TestApp| {
        let token = app.token(&email(Role::ProgrammeManager), "alpha").await;
        let mut c = app.client();
        c.bearer = Some(token.clone());
        put_anchor(&mut c, "trust").await;
        let register = "org_id,name,kind,company_number,postcode,trading_postcode\n\
                    GB-COH-00000001,SOHO ROAD KITCHEN CIC,social_enterprise,,B21 9NH,\n\
                    GB-COH-00000002,FAIRFIELD FACILITIES LIMITED,large_company,,EC2V 7HH,B66 2QT\n";
        let (status, body) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/organisations",
            register.as_bytes().to_vec(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["new"], 2);
        let (status, problem) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/organisations",
            b"org_id,name,kind\nX,Y,dragon\n".to_vec(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["problems"][0]["line"], 2);

        let file = "Date,Supplier,Amount,Expense Type\n01/05/2024,Soho Rd Kitchen,30000,Catering\n02/05/2024,Fairfield Facilities Ltd,50000,Catering\n";
        let (_, out) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/anchors/trust/spend-files?file_name=may.csv",
            file.as_bytes().to_vec(),
        )
        .await;
        assert_eq!(
            (out["matched"].as_u64(), out["to_review"].as_u64()),
            (Some(1), Some(1)),
            "{out}"
        );
        let queue = get_json(
            &mut c,
            "/api/v1/programmes/alpha/anchors/suppliers?status=review",
        )
        .await;
        assert_eq!(queue["total"], 1, "{queue}");
        let key = queue["items"][0]["key"].as_str().unwrap().to_string();
        let detail = get_json(
            &mut c,
            &format!(
                "/api/v1/programmes/alpha/anchors/suppliers/{}",
                key.replace(' ', "%20")
            ),
        )
        .await;
        let candidate = detail["candidates"][0]["organisation"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            detail["candidates"][0]["organisation"]["org_id"],
            "GB-COH-00000001"
        );

        // The review page, without JavaScript: no choice is an error; a choice is remembered.
        let mut page = app.signed_in(&email(Role::ProgrammeManager)).await;
        let path = format!("/p/alpha/anchors/suppliers/{}", key.replace(' ', "%20"));
        let (status, html) = page.get_text(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("SOHO ROAD KITCHEN CIC"));
        let res = page.post_form(&path, &[]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = page.post_form(&path, &[("organisation", &candidate)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let next = "Date,Supplier,Amount,Expense Type\n01/06/2024,SOHO RD KITCHEN,20000,Catering\n";
        let (_, out) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/anchors/trust/spend-files?file_name=june.csv",
            next.as_bytes().to_vec(),
        )
        .await;
        assert_eq!(
            (out["new_suppliers"].as_u64(), out["to_review"].as_u64()),
            (Some(0), Some(0))
        );
        let s = get_json(
            &mut c,
            &format!(
                "/api/v1/programmes/alpha/anchors/suppliers/{}",
                key.replace(' ', "%20")
            ),
        )
        .await;
        assert_eq!(
            (
                s["status"].as_str(),
                s["lines"].as_i64(),
                s["total_pence"].as_i64()
            ),
            (Some("accepted"), Some(2), Some(5_000_000))
        );

        // The suppliers list filters, sorts, pages and downloads like every list.
        const LIST: &str = "/api/v1/programmes/alpha/anchors/suppliers";
        for (query, total, first) in [
            ("", 2, None),
            ("?status=accepted", 1, Some("Soho Rd Kitchen")),
            ("?status=review", 0, None),
            ("?q=gb-coh-00000002", 1, Some("Fairfield Facilities Ltd")),
            ("?q=kitchen", 1, Some("Soho Rd Kitchen")),
            ("?sort=lines&dir=desc", 2, Some("Soho Rd Kitchen")),
            ("?sort=name", 2, Some("Fairfield Facilities Ltd")),
            ("?sort=name&per_page=1&page=2", 2, Some("Soho Rd Kitchen")),
        ] {
            let list = get_json(&mut c, &format!("{LIST}{query}")).await;
            assert_eq!(list["total"], total, "{query}: {list}");
            if let Some(name) = first {
                assert_eq!(list["items"][0]["name"], name, "{query}: {list}");
            }
        }
        let res = c.get(&format!("{LIST}?status=dragon")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = res.json().await.unwrap();
        assert_eq!(pointers(&problem), ["#/status"], "{problem}");
        let res = c.get(&format!("{LIST}.csv?status=accepted")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let csv = res.text().await.unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 2, "{csv}");
        assert!(rows[0].starts_with("supplier_key,supplier,"), "{csv}");
        assert!(
            rows[1].contains("Soho Rd Kitchen,,accepted,GB-COH-00000001,SOHO ROAD KITCHEN CIC")
                && rows[1].ends_with(",2,50000.00"),
            "{csv}"
        );
        let (status, html) = page
            .get_text("/p/alpha/anchors/suppliers?sort=total&dir=asc&q=ltd")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Fairfield Facilities Ltd")
                && !html.contains("/p/alpha/anchors/suppliers/soho")
                && html.contains("suppliers.csv?")
                && html.contains("aria-sort=\"ascending\""),
            "{html}"
        );

        // Fairfield is registered in London with a branch by the hospital: a band, not a guess.
        let res = c
        .json(Method::PUT, "/api/v1/programmes/alpha/anchors/spend/settings", Some(json!({
            "rules": ["supplier_kind is public_body"], "city_region": ["E08000025", "E08000028"], "site_radius_km": 3.0,
            "supplier_respend_pct": [25.0, 40.0], "staff_respend_pct": [40.0, 45.4], "local_wages_pence": 0, "all_wages_pence": 0
        })))
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        // The settings page names the city region's authorities, not their
        // codes (which a specialist finds under the box).
        let mut analyst = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let (status, html) = analyst.get_text("/p/alpha/anchors/settings").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(">Birmingham\nSandwell</textarea>"), "{html}");
        assert!(
            html.contains("Birmingham: <code>E08000025</code>"),
            "{html}"
        );
        // And reads them by name; a name the place data does not hold is
        // an error on the field, not a code saved.
        for (typed, status) in [
            (json!(["sandwell, Birmingham"]), StatusCode::OK),
            (json!(["Atlantis"]), StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let res = c
                .json(Method::PUT, "/api/v1/programmes/alpha/anchors/spend/settings", Some(json!({
                    "rules": ["supplier_kind is public_body"], "city_region": typed, "site_radius_km": 3.0,
                    "supplier_respend_pct": [25.0, 40.0], "staff_respend_pct": [40.0, 45.4],
                    "local_wages_pence": 0, "all_wages_pence": 0
                })))
                .await;
            assert_eq!(res.status(), status, "{typed}");
            let body: Value = res.json().await.unwrap();
            if status == StatusCode::OK {
                assert_eq!(
                    body["city_region"],
                    json!(["E08000028", "E08000025"]),
                    "{body}"
                );
            } else {
                assert_eq!(pointers(&body), vec!["#/city_region"], "{body}");
                assert!(body.to_string().contains("Atlantis"), "{body}");
            }
        }
        let m = get_json(&mut c, "/api/v1/programmes/alpha/anchors/spend/measures").await;
        assert_eq!(m["influenceable_pence"], 10_000_000);
        let near = &m["local"]["near_site"];
        assert_eq!(
            (near["low_pence"].as_i64(), near["high_pence"].as_i64()),
            (Some(0), Some(5_000_000)),
            "{m}"
        );
        let res = c
        .json(Method::PUT, "/api/v1/programmes/alpha/anchors/spend/settings", Some(json!({
            "rules": ["colour is red"], "city_region": [], "site_radius_km": 0,
            "supplier_respend_pct": [50.0, 40.0], "staff_respend_pct": [40.0, 45.4], "local_wages_pence": 0, "all_wages_pence": 0
        })))
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = res.json().await.unwrap();
        assert_eq!(
            pointers(&problem),
            vec!["#/rules", "#/site_radius_km", "#/supplier_respend_pct/1"]
        );
        // A few pence below zero is still below zero.
        let res = c
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/anchors/spend/settings",
                Some(json!({
                    "rules": [], "city_region": [], "site_radius_km": 3.0,
                    "supplier_respend_pct": [25.0, 40.0], "staff_respend_pct": [40.0, 45.4],
                    "local_wages_pence": -5, "all_wages_pence": 0
                })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = res.json().await.unwrap();
        assert!(
            pointers(&problem).contains(&"#/local_wages_pence"),
            "{problem}"
        );
    }
);

both!(
    a_large_upload_shows_its_progress_then_its_outcome,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::AnchorAnalyst), "alpha").await);
        put_anchor(&mut api, "trust").await;
        let mut file = String::from("Date,Supplier,Amount\n");
        for i in 0..25_000 {
            file.push_str(&format!(
                "{:02}/04/2024,Supplier {},{}.00\n",
                1 + i % 28,
                i % 300,
                100 + i % 50
            ));
        }
        let res = c
            .post_upload(
                "/p/alpha/anchors/import",
                "big.csv",
                file.into_bytes(),
                &[("anchor", "trust")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let job = location(&res);
        assert!(job.starts_with("/p/alpha/anchors/import/"), "{job}");
        let mut html = String::new();
        for _ in 0..600 {
            let res = c.get(&job).await;
            let refreshing = res.headers().get("refresh").is_some();
            html = res.text().await.unwrap();
            if !refreshing {
                break;
            }
            assert!(html.contains("<progress"), "a progress bar while it runs");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(html.contains("25,000 lines read, 25,000 new"), "{html}");
        assert_eq!(
            app.store.ledger(app.fx.a, None).await.unwrap().len(),
            25_000
        );
        // Another programme's administrator cannot see the job.
        let mut other = app.signed_in(B_ADMIN_EMAIL).await;
        let res = other.get(&job.replace("/p/alpha/", "/p/beta/")).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);

        // The job is recorded as it ended, so its page outlives a restart.
        let id: uuid::Uuid = job.rsplit('/').next().unwrap().parse().unwrap();
        let kept = app.store.import_job(app.fx.a, id).await.unwrap().unwrap();
        assert_eq!(kept.state, JobState::Imported);
        assert!(
            kept.summary_in_words().contains("25,000 lines read"),
            "{}",
            kept.summary
        );
        // A job a restart cut off (recorded as started, held by no server)
        // says so rather than vanishing.
        let cut = ImportJobRecord {
            id: uuid::Uuid::now_v7(),
            kind: useit_core::anchors::jobs::JobKind::Spend,
            anchor_name: "Alpha Trust".into(),
            file_name: "cut.csv".into(),
            total: 900_000,
            state: JobState::Running,
            summary: String::new(),
            problems: String::new(),
            started_at: useit_core::clock::now(),
            ended_at: None,
        };
        app.store.record_import_job(app.fx.a, &cut).await.unwrap();
        let (status, html) = c
            .get_text(&format!("/p/alpha/anchors/import/{}", cut.id))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("The server restarted"), "{html}");
        assert!(html.contains("Nothing from it was written"), "{html}");
        let res = other
            .get(&format!("/p/beta/anchors/import/{}", cut.id))
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
);

// Issue 16 item 6: through the API too, a large file imports in the
// background: 202 with the status address, which ends with the outcome;
// another programme's token cannot read it.
both!(
    a_large_api_upload_answers_202_and_its_status_ends_with_the_outcome,
    async |app: &TestApp| {
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut api = app.client();
        api.bearer = Some(token.clone());
        put_anchor(&mut api, "trust").await;
        let mut file = String::from("Date,Supplier,Amount\n");
        for i in 0..20_500 {
            file.push_str(&format!(
                "{:02}/05/2024,Supplier {},{}.00\n",
                1 + i % 28,
                i % 200,
                10 + i % 7
            ));
        }
        let res = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/programmes/alpha/anchors/trust/spend-files?file_name=big.csv",
                app.base
            ))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(file)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        let status_url = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            status_url.starts_with("/api/v1/programmes/alpha/anchors/spend/imports/"),
            "{status_url}"
        );
        let first: Value = res.json().await.unwrap();
        assert_eq!(first["state"], "running");
        let mut job = Value::Null;
        for _ in 0..600 {
            job = api
                .json(Method::GET, &status_url, None)
                .await
                .json()
                .await
                .unwrap();
            if job["state"] != "running" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(job["state"], "imported", "{job}");
        assert_eq!(job["result"]["lines_new"], 20_500, "{job}");
        assert_eq!(job["lines_total"], 20_501, "{job}");
        let mut beta = app.client();
        beta.bearer = Some(app.token(B_ADMIN_EMAIL, "beta").await);
        let res = beta
            .json(
                Method::GET,
                &status_url.replace("/programmes/alpha/", "/programmes/beta/"),
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
);

/// Adds the anchor `trust` through the page's form, as a person would.
async fn add_trust_by_form(c: &mut Client) {
    let res = c
        .post_form(
            "/p/alpha/anchors",
            &[
                ("slug", "trust"),
                ("name", "Alpha Trust"),
                ("kind", "nhs_trust"),
                ("sites", "Midland Met, B66 2QT"),
                ("column_mapping", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

/// The id of the upload a columns page holds.
fn held_in(html: &str) -> String {
    html.split("name=\"held\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a held upload")
        .to_string()
}

both!(
    an_uncertain_file_shows_its_columns_and_imports_once_confirmed,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::AnchorAnalyst)).await;
        add_trust_by_form(&mut c).await;
        // No header here is one publishers use: the columns are guesses.
        let file = b"When,Who,Net,VAT,Memo\r\n02/04/2024,Acme Ltd,\"1,000.00\",200.00,Catering\r\n03/04/2024,Bywest Ltd,500.00,100.00,Building\r\n04/04/2024,Cerner Ltd,12.50,2.50,IT\r\n".to_vec();
        let res = c
            .post_upload(
                "/p/alpha/anchors/import",
                "odd.csv",
                file,
                &[("anchor", "trust")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("Check the columns"), "{html}");
        assert!(html.contains("Cerner Ltd"), "the first rows are shown");
        assert!(
            html.contains("<option value=\"Net\" selected>"),
            "the amount proposed: {html}"
        );
        assert!(
            app.store.ledger(app.fx.a, None).await.unwrap().is_empty(),
            "nothing yet"
        );
        // The API shows the same inspection, and reads a mapping being tried.
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let path = "/api/v1/programmes/alpha/anchors/trust/spend-files/inspect?file_name=odd.csv";
        let body = b"When,Who,Net,VAT,Memo\r\n02/04/2024,Acme Ltd,\"1,000.00\",200.00,Catering\r\n"
            .to_vec();
        let (status, found) = post_csv(app, &token, path, body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{found}");
        assert_eq!(found["certain"], false);
        assert_eq!(found["total_pence"], 100_000);
        assert!(
            found["mapping"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("amount=Net"))
        );
        let tried = format!("{path}&mapping=paid_on%3DWhen%0Asupplier%3DWho%0Aamount%3DVAT");
        let (status, found) = post_csv(app, &token, &tried, body).await;
        assert_eq!(status, StatusCode::OK, "{found}");
        assert_eq!(found["total_pence"], 20_000);
        assert_eq!(found["first_lines"][0]["supplier"], "Acme Ltd");
        let held = held_in(&html);

        // Leaving out the amount is named, and the file stays held.
        let res = c
            .post_form(
                "/p/alpha/anchors/import/columns",
                &[
                    ("held", &held),
                    ("column_paid_on", "When"),
                    ("column_supplier", "Who"),
                    ("column_amount", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("href=\"#column_amount\""), "{html}");
        let held = held_in(&html);

        // Confirmed with the VAT column as the amount: that is what counts.
        let res = c
            .post_form(
                "/p/alpha/anchors/import/columns",
                &[
                    ("held", &held),
                    ("column_paid_on", "When"),
                    ("column_supplier", "Who"),
                    ("column_amount", "VAT"),
                    ("column_expense_type", "Memo"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("3 new (£302.50)"), "{html}");
        // The choice is the anchor's mapping now: its next file reads the
        // same way at once.
        let next =
            b"When,Who,Net,VAT,Memo\r\n05/04/2024,Dale Ltd,80.00,16.00,Catering\r\n".to_vec();
        let res = c
            .post_upload(
                "/p/alpha/anchors/import",
                "next.csv",
                next,
                &[("anchor", "trust")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("1 new (£16.00)"), "{html}");
        // A held file is handed over once: a second press asks for the file.
        let res = c
            .post_form(
                "/p/alpha/anchors/import/columns",
                &[
                    ("held", &held),
                    ("column_paid_on", "When"),
                    ("column_supplier", "Who"),
                    ("column_amount", "VAT"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("choose it again"));
        assert_eq!(app.store.ledger(app.fx.a, None).await.unwrap().len(), 4);
    }
);

both!(
    a_university_is_found_by_name_and_fills_the_anchor_form,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let (status, html) = c
            .get_text("/p/alpha/anchors/new?find=birmingham+university")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Find the NHS trust, council or university by name"));
        assert!(
            html.contains(
                "href=\"/p/alpha/anchors/new?pick=10006840\">University of Birmingham</a>"
            ),
            "{html}"
        );
        assert!(html.contains("Birmingham City University"));
        // Picking it fills the form with its kind, UKPRN and address.
        let (_, form) = c.get_text("/p/alpha/anchors/new?pick=10006840").await;
        assert!(
            form.contains("value=\"University of Birmingham\""),
            "{form}"
        );
        assert!(form.contains("value=\"10006840\""));
        assert!(
            form.contains("<option value=\"university\" selected"),
            "{form}"
        );
        assert!(form.contains("University of Birmingham, B15 2TT"));
        // Nothing by that name says so in words.
        let (_, none) = c.get_text("/p/alpha/anchors/new?find=zzqx").await;
        assert!(none.contains("No NHS trust, council or university is called"));

        // The API finds the same, by name or by UKPRN.
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut api = app.client();
        api.bearer = Some(token);
        let found = get_json(
            &mut api,
            "/api/v1/programmes/alpha/anchor-organisations?find=Aston",
        )
        .await;
        let aston = found
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["official_code"] == "10007759")
            .expect("Aston University");
        assert_eq!(aston["kind"], "university");
        assert_eq!(aston["name"], "Aston University");
        let trust = get_json(
            &mut api,
            "/api/v1/programmes/alpha/anchor-organisations?find=RXK",
        )
        .await;
        assert_eq!(trust[0]["kind"], "nhs_trust");
        // Its council from the postcode directory (B66 2QT is in Sandwell),
        // so picking it by name leaves nothing to look up.
        assert_eq!(trust[0]["local_authority_code"], "E08000028", "{trust}");
        let empty = get_json(&mut api, "/api/v1/programmes/alpha/anchor-organisations").await;
        assert_eq!(empty, json!([]));
        // A funder cannot add anchors, so cannot look them up either.
        let mut funder = app.client();
        funder.bearer = Some(app.token(&email(Role::FunderViewer), "alpha").await);
        let res = funder
            .get("/api/v1/programmes/alpha/anchor-organisations?find=Aston")
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);

both!(
    list_filters_read_dates_as_people_type_them,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
        add_trust_by_form(&mut c).await;
        // The spend dashboard and the audit log take the day as it is written.
        for typed in [
            "7/12/2026",
            "07-12-2026",
            "7+December+2026",
            "7+Dec+2026",
            "2026-12-07",
        ] {
            for path in ["/p/alpha/anchors/spend", "/p/alpha/audit"] {
                let (status, html) = c.get_text(&format!("{path}?from={typed}")).await;
                assert_eq!(status, StatusCode::OK, "{path} {typed}: {html}");
                assert!(html.contains("For example, 7 December 2026"), "{path}");
            }
        }
        // A day that cannot be read is named, on the page and in the API.
        let res = c.get("/p/alpha/audit?to=31+June+2026").await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("The end date &#39;31 June 2026&#39; cannot be read")
                || html.contains("The end date '31 June 2026' cannot be read"),
            "{html}"
        );
        let res = c.get("/p/alpha/anchors/spend?from=soon").await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("href=\"#from\""), "{html}");
        assert!(html.contains("The start date"), "{html}");
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let res = api
            .get("/api/v1/programmes/alpha/audit?from=7+Smarch+2026")
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = res.json().await.unwrap();
        assert!(problem.to_string().contains("from"), "{problem}");
        assert!(problem.to_string().contains("The start date"), "{problem}");
        let ok = get_json(
            &mut api,
            "/api/v1/programmes/alpha/anchors/spend/measures?from=1+April+2020&to=31/3/2021",
        )
        .await;
        assert!(ok.is_object(), "{ok}");
    }
);

// A failed background import keeps why as a catalogue message, said in its
// reader's language on its page and in its API status; a field's problem
// inside it reads in words, never as its key; a record kept before as
// English text still shows what it kept.
both!(
    a_failed_import_says_why_in_its_reader_s_language,
    async |app: &TestApp| {
        let mut admin = app.signed_in(ADMIN_EMAIL).await;
        admin.speak_french_in_alpha().await;
        let why = useit_app::Error::Invalid(vec![useit_core::validation::FieldError {
            field: "full_name".into(),
            message: useit_core::i18n::Message::new("validation.required.full_name"),
        }]);
        let failed = ImportJobRecord {
            id: uuid::Uuid::now_v7(),
            kind: useit_core::anchors::jobs::JobKind::Spend,
            anchor_name: "Alpha Trust".into(),
            file_name: "failed.csv".into(),
            total: 30_000,
            state: JobState::Failed,
            summary: useit_app::anchors::jobs::failure(&why).to_json(),
            problems: String::new(),
            started_at: useit_core::clock::now(),
            ended_at: Some(useit_core::clock::now()),
        };
        app.store
            .record_import_job(app.fx.a, &failed)
            .await
            .unwrap();
        let old = ImportJobRecord {
            id: uuid::Uuid::now_v7(),
            file_name: "old.csv".into(),
            summary: "database error: disk full".into(),
            ..failed.clone()
        };
        app.store.record_import_job(app.fx.a, &old).await.unwrap();

        let mut c = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let (status, html) = c
            .get_text(&format!("/p/alpha/anchors/import/{}", failed.id))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Une erreur est survenue"), "{html}");
        assert!(
            html.contains("Saisissez le nom complet de la personne"),
            "{html}"
        );
        for leak in [
            "validation.",
            "#said",
            "#each",
            "Something went wrong",
            "Enter the",
        ] {
            assert!(!html.contains(leak), "{leak} on a French page: {html}");
        }
        let (status, html) = c
            .get_text(&format!("/p/alpha/anchors/import/{}", old.id))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("database error: disk full"), "{html}");

        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::AnchorAnalyst), "alpha").await);
        let path = |id: uuid::Uuid| format!("/api/v1/programmes/alpha/anchors/spend/imports/{id}");
        let job: Value = api
            .json(Method::GET, &path(failed.id), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(job["state"], "failed", "{job}");
        // The API keeps English words (its clients read codes), said from
        // the kept message when read: the field's problem in words too.
        let said = job["summary"].as_str().unwrap_or_default();
        assert!(said.starts_with("Something went wrong"), "{job}");
        assert!(said.contains("Enter the person's full name"), "{job}");
        assert!(
            !said.contains("validation.") && !said.contains('{') && !said.contains('#'),
            "{job}"
        );
        let job: Value = api
            .json(Method::GET, &path(old.id), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(job["summary"], "database error: disk full", "{job}");
    }
);

// The suppliers' map on the spend dashboard is drawn once and kept while
// the spend stands; its table's totals are in the programme's currency,
// which changes without moving the spend: the next view shows the new one.
both!(
    the_kept_supplier_map_follows_the_programme_s_currency,
    async |app: &TestApp| {
        let token = app.token(&email(Role::ProgrammeManager), "alpha").await;
        let mut c = app.client();
        c.bearer = Some(token.clone());
        put_anchor(&mut c, "trust").await;
        let register = "org_id,name,kind,company_number,postcode,trading_postcode\n\
                    GB-COH-00000002,FAIRFIELD FACILITIES LIMITED,large_company,,B66 2QT,\n";
        let (status, body) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/organisations",
            register.as_bytes().to_vec(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let file = "Date,Supplier,Amount,Expense Type\n02/05/2024,FAIRFIELD FACILITIES LIMITED,50000,Catering\n";
        let (status, out) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/anchors/trust/spend-files?file_name=may.csv",
            file.as_bytes().to_vec(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{out}");
        assert_eq!(out["matched"], 1, "{out}");

        let map_table = |page: &str| {
            let at = page
                .find("id=\"supplier-map-table\"")
                .unwrap_or_else(|| panic!("the dashboard shows its suppliers' map: {page}"));
            page[at..].split("</details>").next().unwrap().to_string()
        };
        let mut m = app.signed_in(&email(Role::ProgrammeManager)).await;
        // The map is drawn over alpha's area of benefit: both sample wards.
        let mut area = vec![
            ("index", "imd2019"),
            ("wards", useit_testkit::place::WARDS[0]),
            ("wards", useit_testkit::place::WARDS[1]),
            ("note", "Both wards"),
            ("action", "save"),
        ];
        let deciles: Vec<String> = (1..=10).map(|d| d.to_string()).collect();
        area.extend(deciles.iter().map(|d| ("deciles", d.as_str())));
        let res = m.post_form("/p/alpha/place/area-of-benefit", &area).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (status, first) = m.get_text("/p/alpha/anchors/spend").await;
        assert_eq!(status, StatusCode::OK);
        let before = map_table(&first);
        assert!(before.contains("£50,000.00"), "{before}");
        let (_, again) = m.get_text("/p/alpha/anchors/spend").await;
        assert_eq!(map_table(&again), before, "kept as drawn");

        let mut admin = app.signed_in(ADMIN_EMAIL).await;
        let res = admin
            .json(
                Method::PUT,
                "/api/v1/admin/programmes/alpha/locale",
                Some(json!({ "currency": "EUR", "language": "en" })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let (_, after) = m.get_text("/p/alpha/anchors/spend").await;
        let after = map_table(&after);
        assert!(after.contains('€') && !after.contains('£'), "{after}");
    }
);
