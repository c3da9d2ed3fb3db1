//! Anchors' workforce through the API and the pages: a file imports once;
//! a funder never sees a count of 1 to 4 people (in JSON, on the page or in
//! the CSV), an administrator sees exact figures labelled so; a figure that
//! cannot be judged (no area of benefit) reads "not known", never 0; a bad
//! file is refused naming its line and column.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

/// Two real small areas of the Birmingham sample.
fn areas() -> (String, String) {
    let mut codes = useit_testkit::place::sample()
        .iter()
        .flat_map(|l| l.areas.iter())
        .filter(|a| a.ward_code.as_deref() == Some(useit_testkit::place::WARDS[1]))
        .map(|a| a.code.clone());
    (codes.next().unwrap(), codes.next().unwrap())
}

/// Every figure `{"value": n, ...}` shown as a count (not exact) under 5.
fn small_shown(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::Number(n)), None) = (m.get("value"), m.get("exact"))
                && n.as_u64().is_some_and(|n| (1..5).contains(&n))
            {
                out.push(v.to_string());
            }
            m.values().for_each(|x| small_shown(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| small_shown(x, out)),
        _ => {}
    }
}

both!(
    workforce_figures_are_imported_once_and_small_counts_hidden,
    async |app: &TestApp| {
        let mut analyst = app.client();
        analyst.bearer = Some(app.token(&email(Role::AnchorAnalyst), "alpha").await);
        let res = analyst
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/anchors/trust",
                Some(json!({"name": "Alpha Trust", "kind": "nhs_trust", "local_authority_code": "E08000025"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let (a, b) = areas();
        let file = format!(
            "home_area,staff_group,band,contract,headcount,fte,pay,starters\n\
             {a},Nursing,5,Permanent,40,38.5,1200000,6\n\
             {a},Nursing,8a,Permanent,3,3,160000,0\n\
             {b},Estates,2,Permanent,12,12,280000,2\n\
             ,Estates,2,Permanent,2,2,40000,0\n"
        );
        let post = |body: String| {
            let token = analyst.bearer.clone().unwrap();
            let url = format!(
                "{}/api/v1/programmes/alpha/anchors/trust/workforce-files?year=2024/25&file_name=staff.csv",
                app.base
            );
            async move {
                let res = reqwest::Client::new()
                    .post(url)
                    .bearer_auth(token)
                    .header("content-type", "text/csv")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                (status, res.json::<Value>().await.unwrap())
            }
        };
        let (status, first) = post(file.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        assert_eq!(first["cells"], 4);
        let (status, again) = post(file.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["already_imported"], true);
        assert_eq!(again["file_id"], first["file_id"]);
        // A bad file is refused, naming line and column.
        let (status, bad) = post(file.replace(",12,12,", ",twelve,12,")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let p = &bad["problems"][0];
        assert_eq!(
            (p["line"].as_u64(), p["column_name"].as_str()),
            (Some(4), Some("headcount"))
        );

        // A funder: no count of 1 to 4 anywhere; the area of benefit is not known.
        let mut funder = app.client();
        funder.bearer = Some(app.token(&email(Role::FunderViewer), "alpha").await);
        let res = funder
            .get("/api/v1/programmes/alpha/anchors/workforce")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["exact"], false);
        assert_eq!(v["area_of_benefit_known"], false);
        let y = &v["years"][0];
        assert_eq!(y["year"], 2024);
        assert!(y["area_of_benefit_share_pct"].is_null());
        // 55 of 57 live in Birmingham: the 2 elsewhere are "fewer than 5",
        // so one more figure is withheld and the share is not published.
        let la = &y["figures"]["local_authority"]["people"];
        assert_eq!(la["cells"][1]["suppressed"], "fewer_than", "{la}");
        assert!(y["local_authority_share_pct"].is_null(), "{la}");
        let mut small = Vec::new();
        small_shown(&v, &mut small);
        assert!(small.is_empty(), "shown to a funder: {small:?}");
        let unknown = &y["figures"]["home_unknown"];
        assert_eq!(unknown["suppressed"], "fewer_than", "{unknown}");
        // Nothing split by the area of benefit is published without one.
        assert!(y["figures"].get("area_of_benefit").is_none());
        assert!(y["figures"].get("by_band").is_none());
        // Nobody was placed through the programme: a 0 beside the year's
        // starters from the file, which stand whatever the area of benefit.
        let placed = &v["placed"];
        assert_eq!(placed.as_array().map(Vec::len), Some(1), "{placed}");
        assert_eq!(placed[0]["year"], 2024);
        assert_eq!(placed[0]["placed"]["value"], 0, "{placed}");
        let starters = &placed[0]["starters"]["value"];
        assert!(starters.as_u64().is_some_and(|n| n >= 8), "{placed}");
        assert_eq!(placed[0]["share_pct"], 0.0, "{placed}");

        // An administrator sees the three, exactly, and is told so.
        let mut admin = app.client();
        admin.bearer = Some(app.token(&email(Role::Administrator), "alpha").await);
        let v: Value = admin
            .get("/api/v1/programmes/alpha/anchors/workforce?anchor=trust&year=2024")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["exact"], true);
        let unknown = &v["years"][0]["figures"]["home_unknown"];
        assert_eq!(
            (unknown["value"].as_u64(), unknown["exact"].as_bool()),
            (Some(2), Some(true))
        );

        // The page and the CSV say the same to a funder.
        let mut page = app.signed_in(&email(Role::FunderViewer)).await;
        let (status, html) = page.get_text("/p/alpha/anchors/workforce").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("fewer than 5") && html.contains("not known"));
        assert!(html.contains("residents placed through the programme among new starters"));
        // No area of benefit: no chart of a share that cannot be judged.
        assert!(!html.contains("<svg"));
        let (status, csv) = page.get_text("/p/alpha/anchors/workforce.csv").await;
        assert_eq!(status, StatusCode::OK);
        assert!(csv.starts_with("anchor,year,measure,group,where,people,people note,pay,pay note"));
        for line in csv.lines().skip(1) {
            let people = line.split(',').nth(5).unwrap();
            if let Ok(n) = people.parse::<u64>() {
                assert!(!(1..5).contains(&n), "{line}");
            }
        }
        let files: Value = funder
            .get("/api/v1/programmes/alpha/anchors/workforce/files")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(files[0]["rows_read"], 4);
        // Who imported it is personal data a funder does not see; the time
        // is RFC 3339.
        assert!(files[0]["imported_by"].is_null(), "{files}");
        let at = files[0]["imported_at"].as_str().unwrap();
        assert!(
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).is_ok(),
            "{at}"
        );
        let mine: Value = admin
            .get("/api/v1/programmes/alpha/anchors/workforce/files")
            .await
            .json()
            .await
            .unwrap();
        assert!(mine[0]["imported_by"].is_string(), "{mine}");

        // The upload page refuses a bad file, naming the line.
        let mut s = app.signed_in(&email(Role::AnchorAnalyst)).await;
        s.get("/p/alpha/anchors/workforce/import").await;
        let res = s
            .post_upload(
                "/p/alpha/anchors/workforce/import",
                "bad.csv",
                file.replace(",12,12,", ",twelve,12,").into_bytes(),
                &[("anchor", "trust"), ("year", "2024")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("twelve"), "the problem is shown");
    }
);
