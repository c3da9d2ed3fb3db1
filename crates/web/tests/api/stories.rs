//! Stories and the funder report through the pages and the API: a story
//! told with consent is on the list, the report page and the PDF, and in
//! the person's subject access export; once its consent is withdrawn (on
//! the page) it is on none of them, and the API answers 404 for it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

const TITLE: &str = "Back on the wards after six years";

both!(
    a_story_without_consent_is_on_no_page_api_answer_or_pdf,
    async |app: &TestApp| {
        let fx = &app.fx;
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/stories",
                Some(json!({
                    "title": TITLE, "shown_as": "Amira, a doctor", "body": "She is a registrar now.",
                    "told_on": "2024-06-01", "subject_kind": "person",
                    "subject_id": fx.a_person.to_string(), "consent_given_on": "2024-05-01",
                    "consent_method": "signed_form", "consent_note": "First name only"
                })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let story: Value = res.json().await.unwrap();
        let id = story["id"].as_str().unwrap().to_string();

        let mut page = app.signed_in(&email(Role::ProgrammeManager)).await;
        let report = "/p/alpha/report?from=2024-01-01&to=2024-12-31";
        let pdf_path = "/p/alpha/report.pdf?from=2024-01-01&to=2024-12-31";
        let export = format!(
            "/api/v1/programmes/alpha/talent/people/{}/export",
            fx.a_person
        );
        let pdf_text = |bytes: &[u8]| useit_core::pdf::extract_text(bytes).join("\n");
        for path in ["/p/alpha/stories", "/p/alpha/stories.csv", report] {
            let (status, body) = page.get_text(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(body.contains(TITLE), "{path} lacks the story");
        }
        let pdf = page.get(pdf_path).await.bytes().await.unwrap();
        assert!(pdf_text(&pdf).contains(TITLE));
        let (_, list) = api.get_text("/api/v1/programmes/alpha/stories").await;
        assert!(list.contains(TITLE));
        let (_, person) = api.get_text(&export).await;
        assert!(
            person.contains(TITLE),
            "the subject access export holds the story"
        );

        // Withdrawn on its confirmation page.
        let (status, body) = page
            .get_text(&format!("/p/alpha/stories/{id}/withdraw"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(TITLE));
        let res = page
            .post_form(&format!("/p/alpha/stories/{id}/withdraw"), &[])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        for path in ["/p/alpha/stories", "/p/alpha/stories.csv", report] {
            let (status, body) = page.get_text(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(!body.contains(TITLE), "{path} still shows the story");
        }
        let pdf = page.get(pdf_path).await.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(!pdf_text(&pdf).contains(TITLE));
        for path in [
            "/api/v1/programmes/alpha/stories".to_string(),
            "/api/v1/programmes/alpha/stories.csv".to_string(),
            "/api/v1/programmes/alpha/report?from=2024-01-01&to=2024-12-31".to_string(),
            export.clone(),
        ] {
            let (status, body) = api.get_text(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(!body.contains(TITLE), "{path} still shows the story");
        }
        let pdf = api
            .get("/api/v1/programmes/alpha/report.pdf?from=2024-01-01&to=2024-12-31")
            .await
            .bytes()
            .await
            .unwrap();
        assert!(!pdf_text(&pdf).contains(TITLE));
        let (status, _) = api
            .get_text(&format!("/api/v1/programmes/alpha/stories/{id}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = page.get_text(&format!("/p/alpha/stories/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A funder reads the report, not the stories list.
        let mut funder = app.signed_in(&email(Role::FunderViewer)).await;
        let (status, _) = funder.get_text(report).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = funder.get_text("/p/alpha/stories").await;
        assert_ne!(status, StatusCode::OK);
    }
);

both!(
    the_home_page_links_the_report_to_everyone_and_the_stories_to_who_may_read_them,
    async |app: &TestApp| {
        for (role, stories) in [
            (Role::FunderViewer, false),
            (Role::ProgrammeManager, true),
            (Role::EnterpriseAdviser, true),
            (Role::CommunityResearcher, false),
        ] {
            let mut c = app.signed_in(&email(role)).await;
            let (status, html) = c.get_text("/p/alpha").await;
            assert_eq!(status, StatusCode::OK, "{role:?}");
            assert!(html.contains("href=\"/p/alpha/report\""), "{role:?}");
            assert_eq!(
                html.contains("href=\"/p/alpha/stories\""),
                stories,
                "{role:?}"
            );
            // Each link opens.
            assert_eq!(c.get_text("/p/alpha/report").await.0, StatusCode::OK);
            if stories {
                assert_eq!(c.get_text("/p/alpha/stories").await.0, StatusCode::OK);
            }
        }
    }
);
