//! Anchor interactions and practice changes through the API and the pages
//! (issue 17.4, 17.5): recorded one at a time or from a file (all or
//! nothing, once), filtered, changed and ended; the count over time the
//! figures page shows in its table is exactly what the dates entered say;
//! a practice change shows on its anchor's page; readers cannot write.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::Date;
use time::macros::date;
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

async fn post_csv(app: &TestApp, token: &str, path: &str, body: &str) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn send(c: &mut Client, method: Method, path: &str, body: Value) -> (StatusCode, Value) {
    let res = c.json(method, path, Some(body)).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn pointers(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["pointer"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

const BASE: &str = "/api/v1/programmes/alpha/anchors/interactions";

const FILE: &str = "anchor,organisation,kind,started_on,ended_on,evidence\n\
    trust,GB-CHC-1000002,referral,2025-02-28,2025-04-10,Referral log\n\
    trust,GB-COH-01000003,supply,01/03/2025,,Contract award\n\
    trust,GB-CHC-1000002,employment_pathway,2025-03-02,2025-03-31,Steering group minutes\n";

/// In force at the end of `m`, by the rule stated in words: begun on or
/// before that day and not ended before it.
fn by_hand(entered: &[(Date, Option<Date>)], m: Date) -> u64 {
    entered
        .iter()
        .filter(|(s, e)| *s <= m && e.is_none_or(|e| e >= m))
        .count() as u64
}

/// The rows of the figures page's count table: (month end, count).
fn count_table(html: &str) -> Vec<(String, u64)> {
    let start = html.find(r#"id="count-table""#).expect("the count table");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split(r#"<time datetime=""#)
        .skip(1)
        .map(|row| {
            let day = row[..10].to_string();
            let cell = row.split(r#"govuk-table__cell--numeric">"#).nth(1).unwrap();
            let n = cell[..cell.find('<').unwrap()].parse().unwrap();
            (day, n)
        })
        .collect()
}

both!(
    interactions_are_recorded_counted_and_changed,
    async |app: &TestApp| {
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut c = app.client();
        c.bearer = Some(token.clone());
        let (status, _) = send(
            &mut c,
            Method::PUT,
            "/api/v1/programmes/alpha/anchors/trust",
            json!({"name": "Alpha Trust", "kind": "nhs_trust"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let register = "org_id,name,kind,company_number,postcode,trading_postcode\n\
            GB-CHC-1000001,Soho Road Community Centre,vcse,,B21 9NH,\n\
            GB-CHC-1000002,Refugee Action Birmingham,vcse,,B66 2QT,\n\
            GB-COH-01000003,Sandwell Cleaning Co-operative,social_enterprise,01000003,B66 2QT,\n";
        let (status, body) = post_csv(
            app,
            &token,
            "/api/v1/programmes/alpha/organisations",
            register,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // One through the API: created, then the same again changes nothing.
        let one = json!({"anchor": "trust", "organisation": "GB-CHC-1000001", "kind": "community_use",
            "started_on": "2025-01-15", "evidence": "Room hire agreement"});
        let (status, body) = send(&mut c, Method::POST, BASE, one.clone()).await;
        assert_eq!(
            (status, body["created"].as_u64()),
            (StatusCode::CREATED, Some(1))
        );
        let (status, body) = send(&mut c, Method::POST, BASE, one).await;
        assert_eq!(
            (status, body["unchanged"].as_u64()),
            (StatusCode::OK, Some(1))
        );
        // Every bad field is named.
        let (status, problem) = send(
            &mut c,
            Method::POST,
            BASE,
            json!({"anchor": "trust", "organisation": "GB-CHC-0", "kind": "gossip", "started_on": "2099-01-01"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let p = pointers(&problem);
        for field in ["#/kind", "#/started_on", "#/evidence"] {
            assert!(p.iter().any(|x| x == field), "{field} in {problem}");
        }

        // A file: all or nothing, once.
        let csv_path = format!("{BASE}.csv?file_name=i.csv");
        let (status, body) = post_csv(app, &token, &csv_path, FILE).await;
        assert_eq!(
            (status, body["created"].as_u64()),
            (StatusCode::OK, Some(3)),
            "{body}"
        );
        let (_, body) = post_csv(app, &token, &csv_path, FILE).await;
        assert_eq!(body["unchanged"], 3, "the same file twice changes nothing");
        let bad = format!("{FILE}trust,GB-CHC-9999999,research,2025-06-01,,Protocol\n");
        let (status, problem) = post_csv(app, &token, &csv_path, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        let p = &problem["problems"][0];
        assert_eq!(
            (p["line"].as_u64(), p["column_name"].as_str()),
            (Some(5), Some("organisation"))
        );
        let all: Value = c.get(BASE).await.json().await.unwrap();
        assert_eq!(all["total"], 4, "nothing of the bad file was written");

        // Filters, and a filter it does not know names its field.
        let supply: Value = c
            .get(&format!("{BASE}?kind=supply"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(supply["total"], 1);
        let on: Value = c
            .get(&format!("{BASE}?on=2025-03-15&sort=organisation&dir=asc"))
            .await
            .json()
            .await
            .unwrap();
        let names: Vec<&str> = on["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["organisation_name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Refugee Action Birmingham",
                "Refugee Action Birmingham",
                "Sandwell Cleaning Co-operative",
                "Soho Road Community Centre"
            ]
        );
        let res = c.get(&format!("{BASE}?on=31/02/2025")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(pointers(&res.json().await.unwrap()), ["#/on"]);

        // The download imports back unchanged.
        let csv = c.get(&format!("{BASE}.csv")).await.text().await.unwrap();
        let (_, body) = post_csv(app, &token, &csv_path, &csv).await;
        assert_eq!(body["unchanged"], 4, "{body}");

        // Change one, end one.
        let centre = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "community_use")
            .unwrap()
            .clone();
        let id = centre["id"].as_str().unwrap();
        let mut changed = centre.clone();
        changed["evidence"] = json!("Room hire agreement, renewed");
        changed["ended_on"] = json!("");
        let (status, body) = send(&mut c, Method::PUT, &format!("{BASE}/{id}"), changed).await;
        assert_eq!(
            (status, body["evidence"].as_str()),
            (StatusCode::OK, Some("Room hire agreement, renewed")),
            "{body}"
        );
        let (status, problem) = send(
            &mut c,
            Method::POST,
            &format!("{BASE}/{id}/end"),
            json!({"ended_on": ""}),
        )
        .await;
        assert_eq!(
            (status, pointers(&problem)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["#/ended_on".to_string()]
            )
        );
        let (status, problem) = send(
            &mut c,
            Method::POST,
            &format!("{BASE}/{id}/end"),
            json!({"ended_on": "2025-01-01"}),
        )
        .await;
        assert_eq!(
            (status, pointers(&problem)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["#/ended_on".to_string()]
            ),
            "before it began"
        );
        let (status, body) = send(
            &mut c,
            Method::POST,
            &format!("{BASE}/{id}/end"),
            json!({"ended_on": "2025-06-30"}),
        )
        .await;
        assert_eq!(
            (status, body["ended_on"].as_str()),
            (StatusCode::OK, Some("2025-06-30"))
        );
        let res = c
            .get(&format!("{BASE}/0193a0b0-0000-7000-8000-00000000dead"))
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);

        // The figures are what the dates entered say, in the API and on the page.
        let entered = [
            (date!(2025 - 01 - 15), Some(date!(2025 - 06 - 30))),
            (date!(2025 - 02 - 28), Some(date!(2025 - 04 - 10))),
            (date!(2025 - 03 - 01), None),
            (date!(2025 - 03 - 02), Some(date!(2025 - 03 - 31))),
        ];
        let f: Value = c
            .get(&format!("{BASE}/figures"))
            .await
            .json()
            .await
            .unwrap();
        let months: Vec<Date> = f["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| useit_core::validation::parse_date(m.as_str().unwrap()).unwrap())
            .collect();
        assert_eq!(months[0], date!(2024 - 12 - 31), "the count starts at 0");
        let counts: Vec<u64> = f["series"][0]["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect();
        let expected: Vec<u64> = months.iter().map(|m| by_hand(&entered, *m)).collect();
        assert_eq!(counts, expected);
        assert_eq!(&counts[..7], [0, 1, 2, 4, 2, 2, 2]);
        assert_eq!(f["by_kind"].as_array().unwrap().len(), 7);
        assert_eq!(
            f["network"].as_array().unwrap().len(),
            1,
            "only the co-operative today"
        );
        let placed: u64 = f["by_decile"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["organisations"].as_u64().unwrap())
            .sum();
        assert_eq!(placed + f["not_placed"].as_u64().unwrap(), 1);

        let mut funder = app.signed_in(&email(Role::FunderViewer)).await;
        let (status, html) = funder
            .get_text("/p/alpha/anchors/interactions/figures")
            .await;
        assert_eq!(status, StatusCode::OK);
        let table = count_table(&html);
        assert_eq!(table.len(), months.len());
        for (day, n) in &table {
            let m = useit_core::validation::parse_date(day).unwrap();
            assert_eq!(*n, by_hand(&entered, m), "{day}");
        }
        assert!(
            html.contains("Sandwell Cleaning Co-operative")
                && html.contains(r#"id="interactions-network""#)
        );
        let (status, html) = funder
            .get_text("/p/alpha/anchors/interactions?kind=referral")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Refugee Action Birmingham")
                && !html.contains("Soho Road Community Centre")
        );
        // Organisations are named, never shown by their register ids, in
        // the list and in the form's picker.
        assert!(
            !html.contains("GB-CHC-") && !html.contains("GB-COH-"),
            "{html}"
        );
        let mut analyst = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let (status, form) = analyst.get_text("/p/alpha/anchors/interactions/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            form.contains("Refugee Action Birmingham</option>"),
            "{form}"
        );
        assert!(
            !form.contains("(GB-") && !form.contains(">GB-"),
            "an organisation's id is read: {form}"
        );

        // A practice change prompted by an interaction, on the anchor's page.
        let coop = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "supply")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, body) = send(&mut c, Method::POST, "/api/v1/programmes/alpha/anchors/practice-changes",
            json!({"anchor": "trust", "changed_on": "2025-05-01", "kind": "procurement",
                   "summary": "Cleaning let in lots small enough for a co-operative", "interaction": coop})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, problem) = send(&mut c, Method::POST, "/api/v1/programmes/alpha/anchors/practice-changes",
            json!({"anchor": "trust", "changed_on": "2025-05-01", "kind": "whim", "summary": "", "barrier": "bad luck"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(pointers(&problem), ["#/kind", "#/summary", "#/barrier"]);
        let log: Value = c
            .get("/api/v1/programmes/alpha/anchors/practice-changes?anchor=trust")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            log[0]["interaction_organisation"],
            "Sandwell Cleaning Co-operative"
        );
        let (status, html) = funder.get_text("/p/alpha/anchors/trust").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Cleaning let in lots small enough for a co-operative"));
        assert!(html.contains("working with Sandwell Cleaning Co-operative"));

        // Readers read; they do not write.
        let mut reader = app.client();
        reader.bearer = Some(app.token(&email(Role::FunderViewer), "alpha").await);
        assert_eq!(reader.get(BASE).await.status(), StatusCode::OK);
        let (status, _) = send(&mut reader, Method::PUT, &format!("{BASE}/{id}"), centre).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The form and the upload page.
        let mut analyst = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let res = analyst
            .post_form(
                "/p/alpha/anchors/interactions",
                &[
                    ("anchor", "trust"),
                    ("organisation", "GB-CHC-1000001"),
                    ("kind", "research"),
                    ("started_on_day", "31"),
                    ("started_on_month", "2"),
                    ("started_on_year", "2025"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("govuk-error-summary")
                && html.contains("#started_on_day")
                && html.contains("#evidence")
        );
        let res = analyst
            .post_form(
                "/p/alpha/anchors/interactions",
                &[
                    ("anchor", "trust"),
                    ("organisation", "GB-CHC-1000001"),
                    ("kind", "research"),
                    ("started_on_day", "1"),
                    ("started_on_month", "4"),
                    ("started_on_year", "2025"),
                    ("evidence", "Study protocol"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = analyst
            .post_upload(
                "/p/alpha/anchors/interactions/import",
                "bad.csv",
                bad.into_bytes(),
                &[],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("GB-CHC-9999999") && html.contains("organisation"));
        let all: Value = c.get(BASE).await.json().await.unwrap();
        assert_eq!(all["total"], 5);
    }
);
