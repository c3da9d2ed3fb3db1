//! Talent through the API and the pages: a caseworker reaches only their own
//! caseload and every read is audited; a pathway follows from the records and
//! bad input names its field; vacancy files import all or nothing, once;
//! matching proposes without over-filling posts and a started placement
//! counts in the results; erasure keeps the counts and leaves no name; the
//! people CSV imports back unchanged.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::audit::{Actor, AuditAction, AuditFilter};
use useit_core::auth::{NewUser, Role};
use useit_core::listing::PageRequest;

use crate::both;
use crate::helpers::*;

const API: &str = "/api/v1/programmes/alpha/talent";

/// The audit log's reads of one kind of record in programme alpha.
async fn reads_audited(
    app: &TestApp,
    subject_type: &str,
    subject_id: Option<&str>,
) -> Vec<useit_core::audit::AuditEntry> {
    app.store
        .audit_list(
            &AuditFilter {
                programme_id: Some(app.fx.a),
                action: Some(AuditAction::Read),
                subject_type: Some(subject_type.into()),
                subject_id: subject_id.map(str::to_string),
                ..Default::default()
            },
            PageRequest::all(),
        )
        .await
        .unwrap()
        .items
}

async fn api(app: &TestApp, email: &str) -> Client {
    let mut c = app.client();
    c.bearer = Some(app.token(email, "alpha").await);
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

async fn post_csv(c: &mut Client, path: &str, body: &str) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(format!("{}{API}{path}", c.base))
        .bearer_auth(c.bearer.clone().unwrap())
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
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

fn person(name: &str, profession: &str) -> Value {
    json!({
        "full_name": name, "email": format!("{}@example.org", name.to_lowercase().replace(' ', ".")),
        "phone": "07700 900123", "postcode": "B66 2QT", "profession": profession,
        "qualification_country": "Syria", "qualification_year": "2010", "experience_years": "6",
        "right_to_work": "yes", "lawful_basis": "consent", "consent_given_on": "2026-01-10"
    })
}

async fn create(c: &mut Client, name: &str, profession: &str) -> String {
    let (status, body) = call(c, Method::POST, "/people", Some(person(name, profession))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Times are RFC 3339 strings, never `time`'s arrays (issue 16.10).
    let created = body["person"]["created_at"].as_str().expect("a string");
    assert!(
        time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339)
            .is_ok(),
        "{created}"
    );
    body["person"]["id"].as_str().unwrap().to_string()
}

both!(
    a_caseworker_sees_only_their_caseload,
    async |app: &TestApp| {
        app.store
            .create_user(
                &NewUser {
                    email: "second.caseworker@alpha.test".into(),
                    display_name: "Second Caseworker".into(),
                    password_hash: "x".into(),
                    is_admin: false,
                },
                Some((app.fx.a, Role::EmploymentCaseworker)),
                &Actor::system("test"),
            )
            .await
            .unwrap();
        let mut one = api(app, &email(Role::EmploymentCaseworker)).await;
        let mut two = api(app, "second.caseworker@alpha.test").await;
        let mine = create(&mut one, "Amal Haddad", "doctor").await;
        let theirs = create(&mut two, "Samir Aziz", "nurse").await;

        let (_, list) = call(&mut one, Method::GET, "/people", None).await;
        let names: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["draft"]["full_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Amal Haddad"]);
        for (method, path, body) in [
            (Method::GET, format!("/people/{theirs}"), None),
            (Method::GET, format!("/people/{theirs}/export"), None),
            (
                Method::PUT,
                format!("/people/{theirs}"),
                Some(person("Samir Aziz", "nurse")),
            ),
            (
                Method::POST,
                format!("/people/{theirs}/records"),
                Some(json!({"action": "note", "note": "x"})),
            ),
        ] {
            let (status, _) = call(&mut one, method.clone(), &path, body).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        }
        let res = one.get(&format!("{API}/people.csv")).await;
        let csv = res.text().await.unwrap();
        assert!(
            csv.contains("Amal Haddad") && !csv.contains("Samir Aziz"),
            "{csv}"
        );
        // Through the pages too.
        let mut page = app.signed_in(&email(Role::EmploymentCaseworker)).await;
        let (status, html) = page
            .get_text(&format!("/p/alpha/talent/people/{theirs}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!html.contains("Samir Aziz"));
        let (_, html) = page.get_text("/p/alpha/talent/people").await;
        assert!(html.contains("Amal Haddad") && !html.contains("Samir Aziz"));
        // A manager sees everyone's.
        let mut manager = api(app, &email(Role::ProgrammeManager)).await;
        let (_, all) = call(&mut manager, Method::GET, "/people?sort=name", None).await;
        assert_eq!(all["total"], 3, "both caseloads and the fixture's person");
        // Each read of a person is audited.
        let reads = reads_audited(app, "talent_person", Some(&mine)).await;
        assert!(!reads.is_empty(), "reading {mine} left no audit entry");
    }
);

both!(a_pathway_follows_from_the_records, async |app: &TestApp| {
    let mut c = api(app, &email(Role::ProgrammeManager)).await;
    let mut bad = person("Rania Khalil", "doctor");
    bad["postcode"] = json!("B66");
    bad["lawful_basis"] = json!("");
    bad["profession"] = json!("astronaut");
    let (status, problem) = call(&mut c, Method::POST, "/people", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        pointers(&problem),
        ["#/postcode", "#/profession", "#/lawful_basis"],
        "{problem}"
    );

    let id = create(&mut c, "Rania Khalil", "doctor").await;
    let (status, body) = call(
            &mut c,
            Method::POST,
            &format!("/people/{id}/records"),
            Some(json!({"action": "language", "test": "ielts", "taken_on": "2026-06-01",
                "overall": "7.5", "listening": "7.5", "reading": "7", "writing": "7", "speaking": "8"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["progress"]["next"], json!(["plab1"]));
    let (_, body) = call(
            &mut c,
            Method::POST,
            &format!("/people/{id}/records"),
            Some(json!({"action": "step", "step": "plab1", "passed_on": "2026-09-01", "evidence": "GMC letter"})),
        )
        .await;
    assert_eq!(body["progress"]["next"], json!(["plab2"]));
    assert_eq!(body["progress"]["current_stage"], "plab1");
    assert_eq!(body["person"]["stage"], "on_pathway");
    // The interim role needs English, which is met: eligible with a score.
    let (_, body) = call(
            &mut c,
            Method::POST,
            "/vacancies",
            Some(json!({"reference": "MSW-1", "title": "Medical support worker", "role": "medical_support_worker",
                "site_postcode": "B18 7QH", "posts": "1", "opens_on": "2026-12-01"})),
        )
        .await;
    assert_eq!(body["input"]["band"], "6", "{body}");
    let (_, body) = call(&mut c, Method::GET, &format!("/people/{id}"), None).await;
    assert_eq!(body["vacancies"][0]["eligible"], true, "{body}");

    for (record, pointer) in [
        (
            json!({"action": "step", "step": "plab2", "passed_on": "2099-01-01"}),
            "#/passed_on",
        ),
        (
            json!({"action": "step", "step": "osce", "passed_on": "2026-01-01"}),
            "#/step",
        ),
        (
            json!({"action": "language", "test": "ielts", "taken_on": "2026-01-01", "overall": "7.3",
                "listening": "7", "reading": "7", "writing": "7", "speaking": "7"}),
            "#/overall",
        ),
        (
            json!({"action": "barrier", "barrier": "employer_rule", "raised_on": "2026-01-01"}),
            "#/rule",
        ),
    ] {
        let (status, problem) = call(
            &mut c,
            Method::POST,
            &format!("/people/{id}/records"),
            Some(record),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(pointers(&problem), [pointer], "{problem}");
    }
    // The page shows the same error beside its field.
    let mut page = app.signed_in(&email(Role::ProgrammeManager)).await;
    let res = page
        .post_form(
            &format!("/p/alpha/talent/people/{id}/records"),
            &[
                ("action", "barrier"),
                ("barrier", "employer_rule"),
                ("raised_on", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("govuk-error-summary") && html.contains("href=\"#rule\""),
        "no error for the rule field"
    );
});

both!(
    vacancies_import_once_and_matching_never_over_fills,
    async |app: &TestApp| {
        let mut c = api(app, &email(Role::EmploymentCaseworker)).await;
        let bad = "reference,title,role,posts,opens_on\nHCA-1,Healthcare assistant,healthcare_assistant,1,2026-12-01\nX,Porter,porter,0,2026-12-01\n";
        let (status, problem) = post_csv(&mut c, "/vacancies.csv", bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let at: Vec<(u64, u64)> = problem["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["line"].as_u64().unwrap(),
                    p["column"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(at, [(3, 3), (3, 4)], "{problem}");
        let (_, list) = call(&mut c, Method::GET, "/vacancies", None).await;
        assert_eq!(list["total"], 0, "nothing written");
        let good = "reference,title,role,posts,opens_on,site_postcode\nHCA-1,Healthcare assistant,healthcare_assistant,1,2026-12-01,B18 7QH\n";
        let (status, o) = post_csv(&mut c, "/vacancies.csv", good).await;
        assert_eq!(
            (status, o["created"].as_u64()),
            (StatusCode::OK, Some(1)),
            "{o}"
        );
        let (_, o) = post_csv(&mut c, "/vacancies.csv", good).await;
        assert_eq!(o["unchanged"], 1);
        for (query, total) in [
            ("?q=hca", 1),
            ("?role=phlebotomist", 0),
            ("?state=closed", 0),
            ("?state=open&sort=title", 1),
        ] {
            let (_, list) = call(&mut c, Method::GET, &format!("/vacancies{query}"), None).await;
            assert_eq!(list["total"], total, "{query}: {list}");
        }

        let a = create(&mut c, "Amal Haddad", "nurse").await;
        let b = create(&mut c, "Samir Aziz", "nurse").await;
        let (_, proposals) = call(&mut c, Method::GET, "/proposals", None).await;
        let proposals = proposals.as_array().unwrap().clone();
        assert_eq!(proposals.len(), 1, "one post, one proposal: {proposals:?}");
        let p = &proposals[0];
        assert!(
            p["why"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w.as_str().unwrap().contains("km")),
            "{p}"
        );
        let chosen = p["person_id"].as_str().unwrap().to_string();
        let other = if chosen == a { &b } else { &a };
        let vacancy = p["vacancy_id"].as_str().unwrap();
        let (status, placement) = call(
            &mut c,
            Method::POST,
            "/placements",
            Some(json!({"person": chosen, "vacancy": vacancy})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{placement}");
        let (status, _) = call(
            &mut c,
            Method::POST,
            "/placements",
            Some(json!({"person": other, "vacancy": vacancy})),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "the only post is held");
        let (_, proposals) = call(&mut c, Method::GET, "/proposals", None).await;
        assert_eq!(proposals, json!([]));
        let pid = placement["id"].as_str().unwrap();
        let (status, _) = call(
            &mut c,
            Method::POST,
            &format!("/placements/{pid}/status"),
            Some(json!({"status": "started"})),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot start before an offer"
        );
        for s in ["applied", "offered", "started"] {
            let (status, body) = call(
                &mut c,
                Method::POST,
                &format!("/placements/{pid}/status"),
                Some(json!({"status": s, "on": "2026-11-02"})),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{s}: {body}");
        }
        let (_, results) = call(&mut c, Method::GET, "/results", None).await;
        assert_eq!(results["funnel"]["into_nhs"]["value"], 1, "{results}");
        assert_eq!(results["funnel"]["engaged"]["value"], 3);
        assert_eq!(results["funnel"]["engaged"]["exact"], true);
        // Band 3 2025-26 entry £24,937 × (55% − 25%) = £7,481.10 a year.
        assert_eq!(
            results["savings"]["per_year_conservative"]["value"],
            748_110
        );

        // The placements list filters, sorts and downloads like every list,
        // and each read of it (it names people) is audited.
        let name = if chosen == a {
            "Amal Haddad"
        } else {
            "Samir Aziz"
        };
        for (query, total) in [
            ("", 1),
            ("?status=started", 1),
            ("?status=current", 1),
            ("?status=withdrawn", 0),
            ("?q=haddad", usize::from(chosen == a)),
            ("?q=healthcare&sort=score&dir=desc", 1),
            ("?q=nobody", 0),
        ] {
            let (status, list) =
                call(&mut c, Method::GET, &format!("/placements{query}"), None).await;
            assert_eq!(status, StatusCode::OK, "{query}: {list}");
            assert_eq!(list["total"], total, "{query}: {list}");
        }
        let (_, list) = call(&mut c, Method::GET, "/placements", None).await;
        assert_eq!(list["items"][0]["person_name"], name, "{list}");
        assert_eq!(list["items"][0]["status"], "started", "{list}");
        let res = c.get(&format!("{API}/placements.csv?status=started")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let csv = res.text().await.unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 2, "{csv}");
        assert!(
            rows[0].starts_with("placement_id,person_id,person,"),
            "{csv}"
        );
        assert!(
            rows[1].contains(name) && rows[1].contains(",started,") && rows[1].contains(pid),
            "{csv}"
        );
        let res = c
            .get(&format!("{API}/placements.csv?status=withdrawn"))
            .await;
        assert_eq!(res.text().await.unwrap().lines().count(), 1, "header only");
        let reads = reads_audited(app, "talent_placement", None).await;
        assert!(
            reads.iter().any(|e| e.summary.contains("CSV download"))
                && reads.iter().any(|e| e.summary.contains("API")),
            "placement reads not audited: {reads:?}"
        );
        // The page: filters, sort links and the download link.
        let mut page = app.signed_in(&email(Role::EmploymentCaseworker)).await;
        // A move the placement cannot make: the error leads to its own row.
        let res = page
            .post_form(
                &format!("/p/alpha/talent/placements/{pid}"),
                &[("status", "offered"), ("on", "2026-11-03")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("href=\"#status-{pid}\""))
                && html.contains(&format!("id=\"status-{pid}\"")),
            "{html}"
        );
        let (status, html) = page
            .get_text("/p/alpha/talent/matching?status=withdrawn")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("No placements match these filters."),
            "{html}"
        );
        let (_, html) = page.get_text("/p/alpha/talent/matching?sort=score").await;
        assert!(
            html.contains(name)
                && html.contains("placements.csv?")
                && html.contains("aria-sort=\"ascending\""),
            "{html}"
        );
    }
);

both!(
    erasure_keeps_the_counts_and_leaves_no_name,
    async |app: &TestApp| {
        let mut cw = api(app, &email(Role::EmploymentCaseworker)).await;
        let id = create(&mut cw, "Leila Mansour", "pharmacist").await;
        let (status, _) = call(
            &mut cw,
            Method::POST,
            &format!("/people/{id}/records"),
            Some(json!({"action": "note", "note": "Lives with her brother in Smethwick"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, sar) = call(&mut cw, Method::GET, &format!("/people/{id}/export"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(sar["person"]["draft"]["full_name"], "Leila Mansour");
        assert_eq!(
            sar["records"]["notes"][0]["body"],
            "Lives with her brother in Smethwick"
        );
        let exports = app
            .store
            .audit_list(
                &AuditFilter {
                    programme_id: Some(app.fx.a),
                    action: Some(AuditAction::Export),
                    subject_id: Some(id.clone()),
                    ..Default::default()
                },
                PageRequest::all(),
            )
            .await
            .unwrap();
        assert_eq!(exports.total, 1, "the subject access export is audited");

        let (status, _) = call(&mut cw, Method::DELETE, &format!("/people/{id}"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a caseworker cannot erase");
        let mut manager = api(app, &email(Role::ProgrammeManager)).await;
        let (status, _) = call(&mut manager, Method::DELETE, &format!("/people/{id}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, after) = call(&mut manager, Method::GET, &format!("/people/{id}"), None).await;
        let text = after.to_string();
        for secret in ["Leila", "Mansour", "B66", "brother", "07700"] {
            assert!(!text.contains(secret), "{secret} survived erasure: {text}");
        }
        let (_, results) = call(&mut manager, Method::GET, "/results", None).await;
        assert_eq!(
            results["funnel"]["engaged"]["value"], 2,
            "the erased person still counts"
        );
        let csv = manager
            .get(&format!("{API}/people.csv"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!csv.contains("Leila"));
    }
);

both!(
    the_people_csv_imports_back_unchanged,
    async |app: &TestApp| {
        let mut c = api(app, &email(Role::ProgrammeManager)).await;
        create(&mut c, "Omar Saleh", "dentist").await;
        create(&mut c, "=cmd|' /C calc'!A0", "nurse").await;
        let csv = c
            .get(&format!("{API}/people.csv"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            csv.contains("'=cmd"),
            "formula-looking names are defused: {csv}"
        );
        let (status, o) = post_csv(&mut c, "/people.csv", &csv).await;
        assert_eq!(status, StatusCode::OK, "{o}");
        assert_eq!(
            (o["created"].as_u64(), o["unchanged"].as_u64()),
            (Some(0), Some(3)),
            "{o}"
        );
        let changed = csv.replace("Omar Saleh", "Omar Salih");
        let (_, o) = post_csv(&mut c, "/people.csv", &changed).await;
        assert_eq!(
            (o["updated"].as_u64(), o["unchanged"].as_u64()),
            (Some(1), Some(2)),
            "{o}"
        );
        let bad = format!("{csv}\n,Nobody,,,,astronaut,Syria,,,,,,consent,2026-01-01,,,\n");
        let (status, problem) = post_csv(&mut c, "/people.csv", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["problems"][0]["column"], 6, "{problem}");
    }
);

both!(
    a_person_added_twice_is_found_and_merged,
    async |app: &TestApp| {
        let mut c = api(app, &email(Role::EmploymentCaseworker)).await;
        let a = create(&mut c, "Hodan Jama", "midwife").await;
        let mut twice = person("Hodan Jama-Warsame", "midwife");
        twice["email"] = json!("hodan.other@example.org");
        let (status, body) = call(&mut c, Method::POST, "/people", Some(twice)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let b = body["person"]["id"].as_str().unwrap().to_string();
        let (_, pairs) = call(&mut c, Method::GET, "/people/duplicates", None).await;
        let pairs = pairs.as_array().unwrap();
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!(pairs[0]["reason"], "same_phone");
        let (status, merged) = call(
            &mut c,
            Method::POST,
            "/people/merge",
            Some(json!({"keep": a, "other": b})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{merged}");
        assert_eq!(merged["person"]["draft"]["full_name"], "Hodan Jama");
        let (status, _) = call(&mut c, Method::GET, &format!("/people/{b}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, pairs) = call(&mut c, Method::GET, "/people/duplicates", None).await;
        assert_eq!(pairs, json!([]));
        // The fixture's person is outside this caseload: not offered, not mergeable.
        let (status, _) = call(
            &mut c,
            Method::POST,
            "/people/merge",
            Some(json!({"keep": a, "other": app.fx.a_person.to_string()})),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let mut page = app.signed_in(&email(Role::EmploymentCaseworker)).await;
        let (status, html) = page.get_text("/p/alpha/talent/people/duplicates").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("No possible duplicates"), "{html}");
    }
);

/// Every figure object (`{"value": …}`) in an answer whose value is a count
/// from 1 to k − 1.
fn small_values(v: &Value, k: u64, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(n) = m.get("value").and_then(Value::as_u64)
                && (1..k).contains(&n)
                && m.get("exact").is_none()
            {
                out.push(format!("{path} = {n}"));
            }
            for (key, x) in m {
                small_values(x, k, &format!("{path}/{key}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                small_values(x, k, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

both!(
    a_funder_sees_no_count_under_the_threshold,
    async |app: &TestApp| {
        let mut manager = api(app, &email(Role::ProgrammeManager)).await;
        let mut ids = Vec::new();
        for i in 0..7 {
            ids.push(create(&mut manager, &format!("Person Number{i}"), "nurse").await);
        }
        // Six held back by one employer rule, two by the cost of an exam.
        for (i, id) in ids.iter().enumerate() {
            if i < 6 {
                let (status, body) = call(
                    &mut manager,
                    Method::POST,
                    &format!("/people/{id}/records"),
                    Some(json!({"action": "barrier", "barrier": "employer_rule",
                        "rule": "Two UK references", "raised_on": "2026-03-01"})),
                )
                .await;
                assert!(status.is_success(), "{body}");
            }
            if i >= 5 {
                let (status, body) = call(
                    &mut manager,
                    Method::POST,
                    &format!("/people/{id}/records"),
                    Some(json!({"action": "barrier", "barrier": "exam_cost", "raised_on": "2026-04-01"})),
                )
                .await;
                assert!(status.is_success(), "{body}");
            }
        }
        // The manager may see the people: exact figures, labelled so.
        let (_, exact) = call(&mut manager, Method::GET, "/results", None).await;
        assert_eq!(exact["exact"], true);
        let lines = exact["barriers"]["lines"].as_array().unwrap();
        let exam = lines.iter().find(|l| l["barrier"] == "exam_cost").unwrap();
        assert_eq!(exam["people"]["value"], 2, "{exact}");
        assert_eq!(exam["people"]["exact"], true);
        assert_eq!(exam["open"], 2);

        for role in [Role::FunderViewer, Role::CommunityMember] {
            let mut c = api(app, &email(role)).await;
            let (status, r) = call(&mut c, Method::GET, "/results", None).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                (r["exact"].clone(), r["threshold"].clone()),
                (json!(false), json!(5))
            );
            let mut small = Vec::new();
            small_values(&r, 5, "", &mut small);
            assert!(small.is_empty(), "{role:?} sees {small:?} in {r}");
            let lines = r["barriers"]["lines"].as_array().unwrap();
            let exam = lines.iter().find(|l| l["barrier"] == "exam_cost").unwrap();
            assert_eq!(exam["people"]["value"], Value::Null, "{r}");
            assert_eq!(exam["people"]["suppressed"], "fewer_than");
            assert_eq!(
                exam["open"],
                Value::Null,
                "records of single people are not shown"
            );
            // 7 with any and 6 with the rule leave the exam's from 1 to 4:
            // nothing more need be hidden.
            assert_eq!(r["barriers"]["people_with_any"]["value"], 7, "{r}");
            // The page says the same, with no bare number under 5 for the exam.
            let mut page = app.signed_in(&email(role)).await;
            let (_, html) = page.get_text("/p/alpha/talent").await;
            assert!(html.contains("fewer than 5"), "{html}");
        }

        // A manager raises the threshold; the API, the answer and the
        // funder's view follow.
        let res = manager
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/disclosure",
                Some(json!({"k": "8"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = manager
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/disclosure",
                Some(json!({"k": "2"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let mut funder = api(app, &email(Role::FunderViewer)).await;
        let res = funder
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/disclosure",
                Some(json!({"k": "3"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let (_, r) = call(&mut funder, Method::GET, "/results", None).await;
        assert_eq!(r["threshold"], 8);
        let mut small = Vec::new();
        small_values(&r, 8, "", &mut small);
        assert!(small.is_empty(), "{small:?} in {r}");
        assert_eq!(r["funnel"]["engaged"]["value"], 8, "8 is not under 8: {r}");
    }
);

both!(
    an_indicator_links_to_exactly_the_people_it_counts,
    async |app: &TestApp| {
        let mut m = api(app, &email(Role::ProgrammeManager)).await;
        // (name, consent day, work and the day it started); counted by hand
        // over the targets' period, April 2025 to March 2026:
        // on a pathway (engaged in the period and past engaged or in work):
        // Amal and Rania; into work (started in the period): Amal, Samir
        // and Leila, whose record is erased but still counted.
        let people = [
            ("Amal Haddad", "2025-05-01", Some(("nhs", "2025-09-01"))),
            (
                "Samir Aziz",
                "2024-01-10",
                Some(("care_sector", "2025-10-01")),
            ),
            ("Rania Khalil", "2025-06-01", Some(("other", "2026-06-01"))),
            ("Omar Nasser", "2025-07-01", None),
            ("Leila Mansour", "2025-08-01", Some(("nhs", "2025-11-01"))),
        ];
        let mut ids = Vec::new();
        for (name, consent, work) in people {
            let mut body = person(name, "nurse");
            body["consent_given_on"] = json!(consent);
            let (status, created) = call(&mut m, Method::POST, "/people", Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{created}");
            let id = created["person"]["id"].as_str().unwrap().to_string();
            if let Some((work, on)) = work {
                let (status, body) = call(
                    &mut m,
                    Method::POST,
                    &format!("/people/{id}/records"),
                    Some(json!({"action": "work", "work": work, "work_on": on})),
                )
                .await;
                assert_eq!(status, StatusCode::CREATED, "{body}");
            }
            ids.push(id);
        }
        let (status, _) = call(&mut m, Method::DELETE, &format!("/people/{}", ids[4]), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let period = |i: &str| json!({"indicator": i, "value": "10", "from": "2025-04-01", "to": "2026-03-31"});
        let res = m
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/targets",
                Some(json!({"targets": [period("talent_on_pathway"), period("talent_into_work")]})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);

        let res = m
            .json(Method::GET, "/api/v1/programmes/alpha/indicators", None)
            .await;
        let ind: Value = res.json().await.unwrap();
        let mut page = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (_, home) = page.get_text("/p/alpha").await;
        // The page's attribute as written, its ampersands unescaped.
        let home = home.replace("&#38;", "&").replace("&amp;", "&");
        for (slug, expected) in [("talent_on_pathway", 2u64), ("talent_into_work", 3)] {
            let f = ind["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["indicator"] == slug)
                .unwrap();
            assert_eq!(f["text"], expected.to_string(), "{f}");
            let href = f["href"].as_str().unwrap().to_string();
            assert_eq!(
                href,
                format!("/p/alpha/talent/people?counted={slug}&from=2025-04-01&to=2026-03-31")
            );
            // The home page shows the figure linked to that list ...
            assert!(
                home.contains(&format!("href=\"{href}\">{expected}</a>")),
                "{slug}: no link to {href} on the home page"
            );
            // ... whose rows are exactly the figure: the page's count and
            // the API's rows for the same filter.
            let (status, list) = page.get_text(&href).await;
            assert_eq!(status, StatusCode::OK);
            assert!(
                list.contains(&useit_core::i18n::tn("talent.people.caption", expected)),
                "{slug}: {expected} rows expected"
            );
            let api_path = href.replace("/p/alpha/talent", API);
            let res = m.json(Method::GET, &api_path, None).await;
            let rows: Value = res.json().await.unwrap();
            assert_eq!(rows["total"], expected, "{rows}");
            assert_eq!(rows["items"].as_array().unwrap().len() as u64, expected);
        }
        // A caseworker's list is their own caseload, not the programme's
        // count: their figure links to the results, not to the list.
        let mut cw = api(app, &email(Role::EmploymentCaseworker)).await;
        let res = cw
            .json(Method::GET, "/api/v1/programmes/alpha/indicators", None)
            .await;
        let theirs: Value = res.json().await.unwrap();
        let f = theirs["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["indicator"] == "talent_on_pathway")
            .unwrap();
        assert_eq!(f["href"], "/p/alpha/talent");
        // The caseworker's home page says which counts are exact for them:
        // residents, not researchers (theirs are suppressed).
        let mut page = app.signed_in(&email(Role::EmploymentCaseworker)).await;
        let (_, home) = page.get_text("/p/alpha").await;
        assert!(home.contains("Counts of residents on the talent strand are exact"));
        assert!(!home.contains("Counts of people are exact"));
    }
);
