//! Research through the API and the pages: the coordinator adds a
//! researcher linked to an account, a project and the pay rule; the
//! researcher enters their own hours (refused before accreditation) and
//! sees only their own; the coordinator approves and the payment run prices
//! each day at its own rate; a funder sees figures but no names.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

const API: &str = "/api/v1/programmes/alpha/research";

async fn api(app: &TestApp, role: Role) -> Client {
    let mut c = app.client();
    c.bearer = Some(app.token(&email(role), "alpha").await);
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

both!(
    researchers_are_paid_for_approved_hours_at_the_rate_of_each_day,
    async |app: &TestApp| {
        let mut coordinator = api(app, Role::ResearchCoordinator).await;
        let mut researcher = api(app, Role::CommunityResearcher).await;
        let mut funder = api(app, Role::FunderViewer).await;
        let (status, body) = call(
            &mut coordinator,
            Method::PUT,
            "/settings",
            Some(json!({"scheme": "uk", "pay_from": "announcement"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, project) = call(
            &mut coordinator,
            Method::POST,
            "/projects",
            Some(
                json!({"title": "Where staff spend", "commissioner_kind": "social_lab",
                "question": "Where do staff spend?", "status": "fieldwork"}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{project}");
        let project = project["id"].as_str().unwrap().to_string();
        let (status, r) = call(
            &mut coordinator,
            Method::POST,
            "/researchers",
            Some(json!({"full_name": "Amina Khan", "channel": "leaflet", "recruited_on": "2024-01-10",
                "lawful_basis": "public_task", "qualification": "Community Research", "level": "2",
                "awarding_body": "OCN", "accredited_on": "2024-03-01",
                "account_email": email(Role::CommunityResearcher)})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
        let id = r["id"].as_str().unwrap().to_string();
        // Before accreditation: refused, naming the field.
        let (status, problem) = call(
            &mut researcher,
            Method::POST,
            "/time",
            Some(json!({"project": project, "worked_on": "2024-02-01", "hours": "2"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem.to_string().contains("worked_on"), "{problem}");
        // Not assigned to the project yet: refused, naming the project.
        let (status, problem) = call(
            &mut researcher,
            Method::POST,
            "/time",
            Some(json!({"project": project, "worked_on": "2024-10-22", "hours": "2"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem.to_string().contains("#/project"), "{problem}");
        // The researcher may not assign themself; the coordinator does.
        let assignment = json!({"researcher": id, "starts_on": "2024-10-01"});
        let (status, _) = call(
            &mut researcher,
            Method::POST,
            &format!("/projects/{project}/assignments"),
            Some(assignment.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, a) = call(
            &mut coordinator,
            Method::POST,
            &format!("/projects/{project}/assignments"),
            Some(assignment.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
        let assignment_id = a["id"].as_str().unwrap().to_string();
        // The same days again overlap: refused naming the first day.
        let (status, problem) = call(
            &mut coordinator,
            Method::POST,
            &format!("/projects/{project}/assignments"),
            Some(assignment),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem.to_string().contains("starts_on"), "{problem}");
        let mut entries = Vec::new();
        for (on, h) in [("2024-10-22", "2"), ("2024-10-23", "2")] {
            let (status, e) = call(
                &mut researcher,
                Method::POST,
                "/time",
                Some(json!({"project": project, "worked_on": on, "hours": h})),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{e}");
            entries.push(e["id"].as_str().unwrap().to_string());
        }
        // A researcher may not approve their own hours.
        let (status, _) = call(
            &mut researcher,
            Method::POST,
            &format!("/time/{}/decision", entries[0]),
            Some(json!({"decision": "approve"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        for e in &entries {
            let (status, body) = call(
                &mut coordinator,
                Method::POST,
                &format!("/time/{e}/decision"),
                Some(json!({"decision": "approve"})),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let (status, own) = call(&mut researcher, Method::GET, "/time", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(own.as_array().unwrap().len(), 2);
        let (status, me) = call(
            &mut researcher,
            Method::GET,
            &format!("/researchers/{id}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{me}");
        assert_eq!(me["draft"]["full_name"], "Amina Khan");
        let (status, _) = call(&mut researcher, Method::GET, "/researchers", None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // Ending the assignment before hours it covers is refused.
        let (status, problem) = call(
            &mut coordinator,
            Method::POST,
            &format!("/assignments/{assignment_id}/end"),
            Some(json!({"ends_on": "2024-10-22"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem.to_string().contains("ends_on"), "{problem}");
        // The researcher sees the projects they are assigned to, and their
        // income: from the Social Lab (its project), the programme not known.
        let (status, mine) = call(
            &mut researcher,
            Method::GET,
            &format!("/researchers/{id}/assignments"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{mine}");
        assert_eq!(mine[0]["project_title"], "Where staff spend");
        let (status, earned) = call(
            &mut researcher,
            Method::GET,
            &format!("/researchers/{id}/income"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{earned}");
        assert_eq!(earned["years"][0]["year"], 2024);
        assert_eq!(earned["years"][0]["social_lab"]["pence"], 4920);
        assert_eq!(earned["years"][0]["programme"], Value::Null);
        let res = coordinator
            .get(&format!("{API}/pay-run.csv?from=2024-10-01&to=2024-10-31"))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let csv = res.text().await.unwrap();
        assert!(
            csv.contains("2024-10-22,120,12.00,2023-10-24,24.00"),
            "{csv}"
        );
        assert!(
            csv.contains("2024-10-23,120,12.60,2024-10-23,25.20"),
            "{csv}"
        );
        // A funder sees the figures (small counts suppressed), never names.
        let (status, s) = call(&mut funder, Method::GET, "/summary", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(s["exact"], false);
        assert_eq!(s["approved_minutes"], 240);
        let (status, _) = call(
            &mut funder,
            Method::GET,
            &format!("/researchers/{id}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The funder sees the years' totals with one researcher suppressed
        // (and their pay withheld), never a researcher's own.
        let (status, all) = call(&mut funder, Method::GET, "/income", None).await;
        assert_eq!(status, StatusCode::OK, "{all}");
        assert_eq!(all["exact"], false);
        assert_eq!(all["researchers"], json!([]));
        assert_eq!(
            all["years"][0]["social_lab"]["researchers"]["value"],
            Value::Null
        );
        assert_eq!(all["years"][0]["social_lab"]["pence"], Value::Null);
        let (status, _) = call(
            &mut funder,
            Method::GET,
            &format!("/researchers/{id}/income"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The pages render for the coordinator and the researcher.
        let mut page = app.signed_in(&email(Role::ResearchCoordinator)).await;
        for path in [
            "/p/alpha/research",
            "/p/alpha/research/researchers",
            "/p/alpha/research/time",
        ] {
            let (status, html) = page.get_text(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(
                html.contains("Amina Khan") || path == "/p/alpha/research",
                "{path}"
            );
        }
        let (status, html) = page
            .get_text(&format!("/p/alpha/research/projects/{project}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Amina Khan"),
            "the project lists its researcher"
        );
        let (status, html) = page.get_text("/p/alpha/research/income").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Amina Khan") && html.contains("£49.20"),
            "{html}"
        );
        let mut own_page = app.signed_in(&email(Role::CommunityResearcher)).await;
        let (status, html) = own_page.get_text("/p/alpha/research").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains(&format!("/p/alpha/research/researchers/{id}")),
            "the researcher's way to their own page"
        );
        let (status, html) = own_page.get_text("/p/alpha/research/time").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Where staff spend"));
        let (status, html) = own_page
            .get_text(&format!("/p/alpha/research/researchers/{id}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Where staff spend"), "their projects");
        assert!(html.contains("£49.20"), "their income");
    }
);

const UCL_FORM: &[u8] =
    include_bytes!("../../../../data/research/xlsform/UCL_Biomass_Plot_Form.xlsx");

async fn post_body(
    app: &TestApp,
    token: &str,
    path: &str,
    kind: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(format!("{}{API}{path}", app.base))
        .bearer_auth(token)
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

both!(
    a_kobo_survey_imports_through_the_api_and_is_answered_on_the_phone_form,
    async |app: &TestApp| {
        let token = app.token(&email(Role::ResearchCoordinator), "alpha").await;
        let mut coordinator = api(app, Role::ResearchCoordinator).await;
        let mut funder = api(app, Role::FunderViewer).await;
        let (status, project) = call(
            &mut coordinator,
            Method::POST,
            "/projects",
            Some(
                json!({"title": "Biomass plots", "commissioner_kind": "researchers",
                "question": "How is the forest doing?"}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{project}");
        let p = project["id"].as_str().unwrap().to_string();
        let (status, none) = call(
            &mut funder,
            Method::GET,
            &format!("/projects/{p}/questionnaire"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{none}");
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let (status, form) = post_body(
            app,
            &token,
            &format!("/projects/{p}/questionnaire/xlsform?file_name=UCL_Biomass_Plot_Form.xlsx"),
            xlsx,
            UCL_FORM.to_vec(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{form}");
        assert_eq!(
            form["questionnaire"]["questions"].as_array().unwrap().len(),
            13
        );
        assert_eq!(form["problems"][0]["severity"], "warning");
        // A bad row: 422, nothing imported, the problem by line and column.
        let bad =
            "info/leader_name;location/canopy_cover;remarks;_uuid\nAloyce;60;ok;u1\nJuma;70;;u2\n";
        let (status, problem) = post_body(
            app,
            &token,
            &format!("/projects/{p}/responses.csv"),
            "text/csv",
            bad.into(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        let first = problem["problems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["severity"] == "error")
            .unwrap()
            .clone();
        assert_eq!(
            (first["line"].as_u64(), first["column"].as_u64()),
            (Some(3), Some(1)),
            "{problem}"
        );
        assert_eq!(first["column_name"], "info/leader_name");
        let good = bad.replace("Juma", "Andrea");
        let (status, done) = post_body(
            app,
            &token,
            &format!("/projects/{p}/responses.csv"),
            "text/csv",
            good.clone().into(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!(
            (done["added"].as_u64(), done["unchanged"].as_u64()),
            (Some(2), Some(0))
        );
        let (_, again) = post_body(
            app,
            &token,
            &format!("/projects/{p}/responses.csv"),
            "text/csv",
            good.into(),
        )
        .await;
        assert_eq!(
            (again["added"].as_u64(), again["unchanged"].as_u64()),
            (Some(0), Some(2))
        );

        // The phone form, as a community researcher, without JavaScript.
        let mut phone = app.signed_in(&email(Role::CommunityResearcher)).await;
        let path = format!("/p/alpha/research/projects/{p}/questionnaire/respond");
        let (status, html) = phone.get_text(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("type=\"radio\"") && html.contains("name=\"disturbance\""),
            "radios and checkboxes"
        );
        let res = phone
            .post_form(
                &path,
                &[
                    ("info/leader_name", "Juma"),
                    ("location/canopy_cover", "lots"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("href=\"#info/leader_name\""),
            "the error summary links to the question"
        );
        let res = phone
            .post_form(
                &path,
                &[
                    ("info/leader_name", "Andrea"),
                    ("info/leader_number", "0712345678"),
                    ("location/plant_phase", "2024"),
                    ("location/canopy_cover", "40"),
                    ("location/monumented", "yes"),
                    ("location/slope", "5"),
                    ("any_trees", "no"),
                    ("stumps_in_plot", "no"),
                    ("regen_in_subplot1", "no"),
                    ("regen_in_subplot2", "no"),
                    ("disturbance", "grazing"),
                    ("disturbance", "burning"),
                    ("remarks", "Dry"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        // Results: free text for the coordinator only.
        let (status, results) = call(
            &mut coordinator,
            Method::GET,
            &format!("/projects/{p}/responses"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{results}");
        assert_eq!(results["responses"], "3");
        let remarks = |r: &Value| {
            r["questions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["path"] == "remarks")
                .unwrap()
                .clone()
        };
        assert_eq!(
            remarks(&results)["answers"],
            json!(["ok", "Dry"]),
            "the second row left remarks blank"
        );
        let (_, seen) = call(
            &mut funder,
            Method::GET,
            &format!("/projects/{p}/responses"),
            None,
        )
        .await;
        assert_eq!(remarks(&seen)["answers"], Value::Null);
        let (status, page) = app
            .signed_in(&email(Role::FunderViewer))
            .await
            .get_text(&format!("/p/alpha/research/projects/{p}/questionnaire"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("Dry"), "a funder never reads free text");

        // The Social Lab: none yet; a project's income through the API.
        let (status, lab) = call(&mut funder, Method::GET, "/social-lab", None).await;
        assert_eq!(status, StatusCode::OK, "{lab}");
        assert_eq!(lab["organisation"], Value::Null);
        let (status, bad) = call(
            &mut coordinator,
            Method::PUT,
            "/social-lab",
            Some(json!({"organisation": "0193a0b0-0000-7000-8000-000000000009"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let (status, paid) = call(
            &mut coordinator,
            Method::POST,
            &format!("/projects/{p}/income"),
            Some(json!({"received_on": "2025-04-30", "amount": "£1,250"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{paid}");
        assert_eq!(paid["amount"], 125_000);
    }
);

/// The add-hours form's project list (the `<select id="project">`).
fn project_options(html: &str) -> &str {
    let start = html
        .find(r#"id="project" name="project""#)
        .unwrap_or_else(|| panic!("no project field in {html}"));
    let end = start + html[start..].find("</select>").unwrap();
    &html[start..end]
}

both!(
    the_hours_form_offers_only_the_projects_the_researcher_is_assigned_to,
    async |app: &TestApp| {
        let mut coordinator = api(app, Role::ResearchCoordinator).await;
        let mut ids = Vec::new();
        for title in ["Bus routes to the hospital", "Corner shops survey"] {
            let (status, p) = call(
                &mut coordinator,
                Method::POST,
                "/projects",
                Some(json!({"title": title, "commissioner_kind": "council",
                    "commissioner": "Sandwell Council", "question": "What do residents say?", "status": "fieldwork"})),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{p}");
            ids.push(p["id"].as_str().unwrap().to_string());
        }
        let mut researchers = Vec::new();
        for (name, account) in [
            ("Amina Khan", email(Role::CommunityResearcher)),
            ("Tomasz Nowak", String::new()),
        ] {
            let (status, r) = call(
                &mut coordinator,
                Method::POST,
                "/researchers",
                Some(
                    json!({"full_name": name, "channel": "leaflet", "recruited_on": "2024-01-10",
                    "lawful_basis": "public_task", "qualification": "Community Research",
                    "level": "2", "awarding_body": "OCN", "accredited_on": "2024-03-01",
                    "account_email": account}),
                ),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{r}");
            researchers.push(r["id"].as_str().unwrap().to_string());
        }
        // Amina is on the bus project only.
        let (status, a) = call(
            &mut coordinator,
            Method::POST,
            &format!("/projects/{}/assignments", ids[0]),
            Some(json!({"researcher": researchers[0], "starts_on": "2024-10-01"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
        let assignment = a["id"].as_str().unwrap().to_string();

        // Her own form lists that project, not the other (the list's
        // filter still offers every project).
        let mut own = app.signed_in(&email(Role::CommunityResearcher)).await;
        let (status, html) = own.get_text("/p/alpha/research/time").await;
        assert_eq!(status, StatusCode::OK);
        let options = project_options(&html);
        assert!(options.contains("Bus routes to the hospital"), "{options}");
        assert!(!options.contains("Corner shops survey"), "{options}");
        assert!(html.contains("Corner shops survey"), "the filter's list");
        // The server still refuses hours on the other project.
        let res = own
            .post_form(
                "/p/alpha/research/time",
                &[
                    ("project", ids[1].as_str()),
                    ("worked_on", "2024-10-22"),
                    ("hours", "2"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains(r##"href="#project""##), "{html}");

        // The coordinator first chooses whose hours; then the form offers
        // that researcher's projects.
        let mut page = app.signed_in(&email(Role::ResearchCoordinator)).await;
        let (status, html) = page.get_text("/p/alpha/research/time").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Whose hours are you entering?"), "{html}");
        assert!(!html.contains(r#"id="project" name="project""#));
        let (status, html) = page
            .get_text(&format!(
                "/p/alpha/research/time?researcher={}",
                researchers[0]
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        let options = project_options(&html);
        assert!(options.contains("Bus routes to the hospital"), "{options}");
        assert!(!options.contains("Corner shops survey"), "{options}");
        assert!(html.contains(&format!(r#"name="researcher" value="{}""#, researchers[0])));
        // Tomasz has no assignment: no form, but where to assign him.
        let (status, html) = page
            .get_text(&format!(
                "/p/alpha/research/time?researcher={}",
                researchers[1]
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Tomasz Nowak is not assigned to any project yet"),
            "{html}"
        );
        assert!(!html.contains(r#"id="project" name="project""#));
        assert!(html.contains(&format!(
            "/p/alpha/research/projects/{}#researchers",
            ids[1]
        )));

        // Ending an assignment: a link per row to a page of its own.
        let (status, html) = page
            .get_text(&format!("/p/alpha/research/projects/{}", ids[0]))
            .await;
        assert_eq!(status, StatusCode::OK);
        let end = format!("/p/alpha/research/assignments/{assignment}/end");
        assert!(html.contains(&format!(r#"href="{end}""#)), "{html}");
        let (status, html) = page.get_text(&end).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("End Amina Khan"), "{html}");
        let res = page.post_form(&end, &[("ends_on", "2024-09-01")]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains(r##"href="#ends_on""##), "{html}");
        assert!(html.contains(r#"value="2024-09-01""#), "kept as typed");
        let res = page.post_form(&end, &[("ends_on", "2024-12-31")]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, html) = page
            .get_text(&format!("/p/alpha/research/projects/{}", ids[0]))
            .await;
        assert!(html.contains("Change last day"), "{html}");
        // Its page then holds the last day, to change.
        let (status, html) = page.get_text(&end).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(r#"value="31/12/2024""#), "{html}");
    }
);
