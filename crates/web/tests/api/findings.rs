//! Research findings and the re-spend survey through the API and the pages
//! (issue 19 item 3): a quote with a phone number is refused with its field
//! named, neighbourhoods come back with names, the CSV goes out and back
//! unchanged, the themes view hides small counts of respondents from a
//! funder; a programme manager takes a re-spend survey's results as LM3's
//! inputs and the spend settings cite the survey.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;
use useit_testkit::place::WARDS;

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

async fn csv_post(app: &TestApp, token: &str, path: &str, body: String) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(format!("{}{API}{path}", app.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

both!(
    findings_are_anonymised_named_by_place_and_round_trip_as_csv,
    async |app: &TestApp| {
        let token = app.token(&email(Role::ResearchCoordinator), "alpha").await;
        let mut cora = api(app, Role::ResearchCoordinator).await;
        let mut fay = api(app, Role::FunderViewer).await;
        let (status, _) = call(
            &mut fay,
            Method::PUT,
            "/themes",
            Some(json!({"themes": ["Safety"]})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, themes) = call(
            &mut cora,
            Method::PUT,
            "/themes",
            Some(json!({"themes": ["Safety", "Food and shops"]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{themes}");
        let (status, project) = call(
            &mut cora,
            Method::POST,
            "/projects",
            Some(
                json!({"title": "Where staff spend", "commissioner_kind": "researchers",
                "question": "Where do staff spend?"}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{project}");
        let p = project["id"].as_str().unwrap().to_string();
        let finding = |text: &str| {
            json!({"theme": "Safety", "summary": "Night-shift staff avoid the walk.",
                "quotes": [{"text": text, "role": "night-shift nurse", "age_band": "45_54"}],
                "areas": [WARDS[0]], "respondents": "3"})
        };
        let (status, problem) = call(
            &mut cora,
            Method::POST,
            &format!("/projects/{p}/findings"),
            Some(finding("Ring me on 0121 496 0000")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(
            problem["errors"][0]["pointer"], "#/quotes/1/text",
            "{problem}"
        );
        let (status, f) = call(
            &mut cora,
            Method::POST,
            &format!("/projects/{p}/findings"),
            Some(finding("I'd walk if the route was lit.")),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{f}");
        assert_eq!(f["neighbourhoods"][0]["code"], WARDS[0]);
        assert_ne!(f["neighbourhoods"][0]["name"], WARDS[0], "{f}");
        let (status, list) = call(
            &mut fay,
            Method::GET,
            "/findings?theme=safety&q=route",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");

        // The CSV out and back: nothing changes.
        let res = cora.get(&format!("{API}/findings.csv")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let csv = res.text().await.unwrap();
        let (status, again) = csv_post(app, &token, "/findings.csv", csv).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(
            (again["added"].as_u64(), again["unchanged"].as_u64()),
            (Some(0), Some(1))
        );

        // The themes view: 3 respondents are hidden from a funder.
        let (status, view) = call(&mut fay, Method::GET, "/themes", None).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        assert_eq!(view["exact"], false);
        let cell = &view["rows"][0]["cells"][0];
        assert_eq!(cell["findings"], 1, "{view}");
        assert_eq!(cell["respondents"], Value::Null, "{view}");
        let (_, exact) = call(&mut cora, Method::GET, "/themes", None).await;
        assert_eq!(exact["rows"][0]["cells"][0]["respondents"], 3, "{exact}");

        // The pages: the list, the finding, the project, the themes view.
        let mut page = app.signed_in(&email(Role::ResearchCoordinator)).await;
        for path in [
            "/p/alpha/research/findings".to_string(),
            format!("/p/alpha/research/findings/{}", f["id"].as_str().unwrap()),
            format!("/p/alpha/research/projects/{p}"),
            format!("/p/alpha/research/projects/{p}/findings"),
            "/p/alpha/research/themes".to_string(),
        ] {
            let (status, html) = page.get_text(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            // The picker's checkboxes carry the code as their value; what
            // a person reads is the name.
            let read = html.replace(&format!("value=\"{}\"", WARDS[0]), "");
            assert!(
                !read.contains(WARDS[0]) || path.ends_with("/findings"),
                "names, not codes: {path}"
            );
        }
        let (_, html) = page.get_text("/p/alpha/research/findings").await;
        assert!(html.contains("route was lit"), "the quote is listed");
        // The page form refuses a full postcode, naming the quote's field.
        let (_, form) = page
            .get_text(&format!("/p/alpha/research/projects/{p}/findings"))
            .await;
        let token = csrf_in(&form).unwrap();
        let res = page
            .post_form(
                &format!("/p/alpha/research/projects/{p}/findings"),
                &[
                    ("_csrf", &token),
                    ("theme", "Safety"),
                    ("summary", "Seen often."),
                    ("areas", ""),
                    ("respondents", ""),
                    ("quote_text_1", "We live at B66 3JY"),
                    ("quote_role_1", "parent"),
                    ("quote_age_1", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("href=\"#quotes/1/text\""),
            "the summary links to the quote"
        );

        // Deleting on the page: the finding's page offers it, a plain
        // confirmation page asks, the POST deletes and returns to the list.
        let fid = f["id"].as_str().unwrap().to_string();
        let delete = format!("/p/alpha/research/findings/{fid}/delete");
        let (_, html) = page
            .get_text(&format!("/p/alpha/research/findings/{fid}"))
            .await;
        assert!(html.contains(&delete), "the finding's page offers deletion");
        let (status, confirm) = page.get_text(&delete).await;
        assert_eq!(status, StatusCode::OK);
        assert!(confirm.contains("route was lit"), "it shows what goes");
        let token = csrf_in(&confirm).unwrap();
        let res = page.post_form(&delete, &[("_csrf", &token)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            res.headers()["location"],
            "/p/alpha/research/findings",
            "back to the list"
        );
        let (status, _) = call(&mut cora, Method::GET, &format!("/findings/{fid}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // The API: a funder may not delete; a coordinator may, once.
        let (status, other) = call(
            &mut cora,
            Method::POST,
            &format!("/projects/{p}/findings"),
            Some(finding("A second one.")),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{other}");
        let other = format!("/findings/{}", other["id"].as_str().unwrap());
        let (status, _) = call(&mut fay, Method::DELETE, &other, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(&mut cora, Method::DELETE, &other, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = call(&mut cora, Method::DELETE, &other, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
);

both!(
    a_respend_survey_sets_the_lm3_inputs_and_the_settings_cite_it,
    async |app: &TestApp| {
        let token = app.token(&email(Role::ResearchCoordinator), "alpha").await;
        let mut cora = api(app, Role::ResearchCoordinator).await;
        let mut priya = api(app, Role::ProgrammeManager).await;
        let (_, project) = call(
            &mut cora,
            Method::POST,
            "/projects",
            Some(
                json!({"title": "Re-spend survey", "commissioner_kind": "researchers",
                "question": "Where do staff and suppliers spend?"}),
            ),
        )
        .await;
        let p = project["id"].as_str().unwrap().to_string();
        let (status, q) = call(
            &mut cora,
            Method::PUT,
            &format!("/projects/{p}/questionnaire"),
            Some(json!({"title": "Where staff spend", "questions": [
                {"name": "respondent", "label": "Who are you?", "kind": "select_one",
                 "choices": [{"name": "staff", "label": "Staff"}, {"name": "supplier", "label": "Supplier"}],
                 "required": false, "personal": false, "group": ""},
                {"name": "share_local", "label": "Share spent locally (%)", "kind": "integer",
                 "choices": [], "required": false, "personal": false, "group": ""}]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{q}");
        // Too few suppliers yet: 422 naming the group.
        let mut csv = String::from("respondent,share_local,_uuid\n");
        for i in 0..6 {
            csv.push_str(&format!("staff,{},s{i}\n", 40 + i));
        }
        let (status, _) = csv_post(
            app,
            &token,
            &format!("/projects/{p}/responses.csv"),
            csv.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, problem) = call(
            &mut priya,
            Method::GET,
            &format!("/projects/{p}/respend"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["pointer"], "#/suppliers", "{problem}");
        for i in 0..5 {
            csv.push_str(&format!("supplier,{},u{i}\n", 20 + i));
        }
        csv_post(app, &token, &format!("/projects/{p}/responses.csv"), csv).await;
        let (status, r) = call(
            &mut priya,
            Method::GET,
            &format!("/projects/{p}/respend"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{r}");
        assert_eq!(
            (
                r["staff"]["responses"].as_u64(),
                r["suppliers"]["responses"].as_u64()
            ),
            (Some(6), Some(5))
        );
        // The coordinator may not change the spend settings.
        let (status, _) = call(
            &mut cora,
            Method::POST,
            &format!("/projects/{p}/respend"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, used) = call(
            &mut priya,
            Method::POST,
            &format!("/projects/{p}/respend"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{used}");
        assert_eq!(used["previous"]["source"], Value::Null);
        let res = priya
            .json(
                Method::GET,
                "/api/v1/programmes/alpha/anchors/spend/settings",
                None,
            )
            .await;
        let settings: Value = res.json().await.unwrap();
        assert_eq!(
            settings["respend_source"]["survey"], "Where staff spend",
            "{settings}"
        );
        assert_eq!(settings["respend_source"]["staff_responses"], 6);
        assert_eq!(
            settings["staff_respend_pct"],
            used["now"]["staff_respend_pct"]
        );
        // The settings page says where the shares came from.
        let mut page = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (status, html) = page.get_text("/p/alpha/anchors/settings").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Where staff spend"),
            "the settings cite the survey"
        );
        let (status, html) = page
            .get_text(&format!("/p/alpha/research/projects/{p}/respend"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("respend-shares"));
    }
);

both!(
    a_project_proposes_its_own_themes_and_the_form_picks_neighbourhoods_by_name,
    async |app: &TestApp| {
        let mut cora = api(app, Role::ResearchCoordinator).await;
        let mut fay = api(app, Role::FunderViewer).await;
        let (status, _) = call(
            &mut cora,
            Method::PUT,
            "/themes",
            Some(json!({"themes": ["Safety"]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let project = |title: &str| {
            json!({"title": title, "commissioner_kind": "researchers",
                "question": "What do young carers need?"})
        };
        let (_, own) = call(
            &mut cora,
            Method::POST,
            "/projects",
            Some(project("Young carers")),
        )
        .await;
        let (_, other) = call(
            &mut cora,
            Method::POST,
            "/projects",
            Some(project("Elsewhere")),
        )
        .await;
        let p = own["id"].as_str().unwrap().to_string();
        let q = other["id"].as_str().unwrap().to_string();

        // The project's own themes: the coordinator's to set, everyone's
        // to read; offered first, the programme's after.
        let themes = format!("/projects/{p}/themes");
        let body = json!({"themes": ["Young carers", "Young carers"]});
        let (status, problem) = call(&mut cora, Method::PUT, &themes, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        let body = json!({"themes": ["Young carers"]});
        let (status, _) = call(&mut fay, Method::PUT, &themes, Some(body.clone())).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, t) = call(&mut cora, Method::PUT, &themes, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{t}");
        assert_eq!(t["offered"], json!(["Young carers", "Safety"]));
        let (status, t) = call(&mut fay, Method::GET, &themes, None).await;
        assert_eq!(
            (status, &t["own"]),
            (StatusCode::OK, &json!(["Young carers"]))
        );
        let (status, _) = call(
            &mut fay,
            Method::GET,
            "/projects/0193a0b0-0000-7000-8000-000000000003/themes",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A finding takes the project's theme; another project's does not.
        let finding = |theme: &str| json!({"theme": theme, "summary": "Caring starts young.", "areas": [WARDS[0]]});
        let (status, f) = call(
            &mut cora,
            Method::POST,
            &format!("/projects/{p}/findings"),
            Some(finding("young carers")),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{f}");
        assert_eq!(f["theme"], "Young carers");
        let (status, problem) = call(
            &mut cora,
            Method::POST,
            &format!("/projects/{q}/findings"),
            Some(finding("Young carers")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["pointer"], "#/theme", "{problem}");

        // What the picker offers, for API clients: codes with names.
        let (status, hoods) = call(&mut fay, Method::GET, "/neighbourhoods", None).await;
        assert_eq!(status, StatusCode::OK, "{hoods}");
        let ward = hoods
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["code"] == WARDS[0])
            .expect("the ward on offer");
        assert_eq!(ward["kind"], "ward");
        assert_ne!(ward["name"], WARDS[0]);

        // The pages: the project page lists and edits its themes; the
        // finding form groups the themes and ticks the finding's ward by
        // name; a search narrows the picker, keeping what is ticked.
        let mut page = app.signed_in(&email(Role::ResearchCoordinator)).await;
        let project_page = format!("/p/alpha/research/projects/{p}");
        let (_, html) = page.get_text(&project_page).await;
        assert!(html.contains("Young carers") && html.contains(&format!("{project_page}/themes")));
        let token = csrf_in(&html).unwrap();
        let res = page
            .post_form(
                &format!("{project_page}/themes"),
                &[("_csrf", &token), ("themes", "Young carers\nSiblings")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, t) = call(&mut fay, Method::GET, &themes, None).await;
        assert_eq!(t["own"], json!(["Young carers", "Siblings"]));
        let fid = f["id"].as_str().unwrap();
        let finding_page = format!("/p/alpha/research/findings/{fid}");
        let (_, html) = page.get_text(&finding_page).await;
        // The project's own themes in a group of their own, first.
        let own_group = html
            .find("<optgroup label=\"This project")
            .expect("a group of its own");
        let programme_group = html.find("<optgroup label=\"The programme").unwrap();
        assert!(own_group < programme_group);
        assert!(
            html.contains(&format!(
                "name=\"areas\" type=\"checkbox\" value=\"{}\" checked",
                WARDS[0]
            )),
            "the finding's ward ticked"
        );
        let (_, narrowed) = page.get_text(&format!("{finding_page}?q=zzzz")).await;
        assert!(narrowed.contains("checked"), "what is ticked stays");
        assert!(narrowed.contains("more is not shown") || narrowed.contains("more are not shown"));
        let token = csrf_in(&html).unwrap();
        let res = page
            .post_form(
                &finding_page,
                &[
                    ("_csrf", &token),
                    ("theme", "Siblings"),
                    ("summary", "Caring starts young."),
                    ("areas", WARDS[0]),
                    ("areas", WARDS[1]),
                    ("respondents", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, after) = call(&mut fay, Method::GET, &format!("/findings/{fid}"), None).await;
        assert_eq!(after["theme"], "Siblings");
        assert_eq!(
            after["neighbourhoods"].as_array().unwrap().len(),
            2,
            "{after}"
        );
    }
);
