//! The audit log in words (issue 15): an entry says what was done and to
//! whom, in the reader's language, never a record's id or a code.

use reqwest::StatusCode;
use useit_core::audit::Actor;
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

/// The id of the fixture's member with `role` in alpha.
async fn member(app: &TestApp, role: Role) -> useit_core::UserId {
    app.store
        .credentials_by_email(&email(role))
        .await
        .unwrap()
        .expect("the fixture's member")
        .user
        .id
}

both!(
    a_membership_change_names_the_member_not_their_id,
    async |app: &TestApp| {
        let analyst = member(app, Role::AnchorAnalyst).await;
        app.store
            .set_role(
                app.fx.a,
                analyst,
                Role::ResearchCoordinator,
                &Actor::system("test"),
            )
            .await
            .unwrap();
        let mut pm = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (status, html) = pm.get_text("/p/alpha/audit?subject_type=membership").await;
        assert_eq!(status, StatusCode::OK);
        let name = format!("Person {}", email(Role::AnchorAnalyst));
        assert!(
            html.contains(&format!(
                "{name}&#39;s role changed from anchor analyst to research coordinator"
            )) || html.contains(&format!(
                "{name}'s role changed from anchor analyst to research coordinator"
            )),
            "{html}"
        );
        assert!(
            !html.contains(&analyst.to_string()),
            "the member's id is shown"
        );
        // The old summary's codes are not what it says.
        assert!(!html.contains("role: "), "{html}");
        // The API says the same, with the name beside the codes it keeps.
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let res = api
            .get("/api/v1/programmes/alpha/audit?subject_type=membership&action=update")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let log: serde_json::Value = res.json().await.unwrap();
        let e = &log["items"][0];
        assert_eq!(e["subject_name"], name.as_str(), "{log}");
        assert!(e["summary_text"].as_str().unwrap().contains(&name), "{log}");
        // A member who left is no longer named in the programme's log.
        app.store
            .remove_member(app.fx.a, analyst, &Actor::system("test"))
            .await
            .unwrap();
        let (_, html) = pm.get_text("/p/alpha/audit?subject_type=membership").await;
        assert!(!html.contains(&name), "a former member is named");
        assert!(html.contains("no longer a member"), "{html}");
        assert!(!html.contains(&analyst.to_string()));
        // The deployment's administrators see every account by name,
        // sign-ins too.
        let mut admin = app.signed_in(ADMIN_EMAIL).await;
        let (status, html) = admin.get_text("/admin/audit?action=sign_in").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Person root@deployment.test"), "{html}");
    }
);

both!(
    a_french_programme_reads_its_audit_log_in_french,
    async |app: &TestApp| {
        let mut admin = app.signed_in(ADMIN_EMAIL).await;
        admin.speak_french_in_alpha().await;
        let analyst = member(app, Role::AnchorAnalyst).await;
        app.store
            .set_role(
                app.fx.a,
                analyst,
                Role::FunderViewer,
                &Actor::system("test"),
            )
            .await
            .unwrap();
        let mut pm = app.signed_in(&email(Role::ProgrammeManager)).await;
        // Looked at once, so the log has its own reading to say.
        pm.get_text("/p/alpha/audit").await;
        let (status, html) = pm.get_text("/p/alpha/audit").await;
        assert_eq!(status, StatusCode::OK);
        let name = format!("Person {}", email(Role::AnchorAnalyst));
        assert!(
            html.contains(&format!(
                "Rôle de {name} modifié\u{a0}: était analyste des institutions d&#39;ancrage, devient financeur ou lecteur"
            )) || html.contains(&format!(
                "Rôle de {name} modifié\u{a0}: était analyste des institutions d'ancrage, devient financeur ou lecteur"
            )),
            "{html}"
        );
        // What the log said of itself reads in French too, and the
        // programme's own id is not shown.
        assert!(html.contains("Consultation de"), "{html}");
        assert!(!html.contains(&app.fx.a.to_string()), "{html}");
        for english in ["role changed", "Looked at", "joined the programme as"] {
            assert!(!html.contains(english), "{english} in a French log");
        }
        // The log's CSV says the same in French, beside the stored summary.
        let (status, csv) = pm.get_text("/p/alpha/audit.csv").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            csv.lines().next().unwrap().contains(",what,summary,"),
            "{csv}"
        );
        assert!(csv.contains(&format!("Rôle de {name} modifié")), "{csv}");
    }
);

both!(
    a_day_the_filters_cannot_read_is_shown_beside_its_field,
    async |app: &TestApp| {
        let mut pm = app.signed_in(&email(Role::ProgrammeManager)).await;
        for path in [
            "/p/alpha/audit?from=31%2F02%2F2024",
            "/p/alpha/report?from=31%2F02%2F2024",
        ] {
            let (status, html) = pm.get_text(path).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(html.contains("govuk-error-summary"), "{path}: {html}");
            assert!(html.contains("id=\"from-error\""), "{path}: {html}");
            // The form keeps what was typed, to put right.
            assert!(html.contains("value=\"31/02/2024\""), "{path}: {html}");
        }
        let mut coordinator = app.signed_in(&email(Role::ResearchCoordinator)).await;
        let (status, html) = coordinator
            .get_text("/p/alpha/research/time?to=last+tuesday")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("govuk-error-summary"), "{html}");
        assert!(html.contains("id=\"to-error\""), "{html}");
        assert!(html.contains("value=\"last tuesday\""), "{html}");
    }
);

both!(
    help_links_lead_only_to_pages_the_reader_may_open,
    async |app: &TestApp| {
        let mut caseworker = app.signed_in(&email(Role::EmploymentCaseworker)).await;
        for (topic, page) in [("members", "/p/alpha/members"), ("audit", "/p/alpha/audit")] {
            let (status, _) = caseworker.get_text(page).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
            let (status, help) = caseworker.get_text(&format!("/p/alpha/help/{topic}")).await;
            assert_eq!(status, StatusCode::OK);
            assert!(
                !help.contains(&format!("href=\"{page}\"")),
                "{topic}: {help}"
            );
        }
        let mut pm = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (_, help) = pm.get_text("/p/alpha/help/audit").await;
        assert!(help.contains("href=\"/p/alpha/audit\""), "{help}");
        // The deployment's pages link the administrators' help, which the
        // help index lists for administrators alone.
        let mut admin = app.signed_in(ADMIN_EMAIL).await;
        for page in [
            "/admin",
            "/admin/users",
            "/admin/audit",
            "/admin/programmes/new",
        ] {
            let (status, html) = admin.get_text(page).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            assert!(html.contains("href=\"/admin/help\""), "{page}: {html}");
        }
        let (status, html) = admin.get_text("/admin/help").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains(useit_core::i18n::t("help.admin.title"))
                && html.contains(useit_core::i18n::t("help.section.figures")),
            "{html}"
        );
        assert!(html.contains("href=\"/admin\""), "{html}");
        // An administrator who works in the programme finds it in its index.
        let root = app
            .store
            .credentials_by_email(ADMIN_EMAIL)
            .await
            .unwrap()
            .expect("the deployment's administrator")
            .user
            .id;
        app.store
            .set_role(
                app.fx.a,
                root,
                Role::ProgrammeManager,
                &Actor::system("test"),
            )
            .await
            .unwrap();
        let (status, index) = admin.get_text("/p/alpha/help").await;
        assert_eq!(status, StatusCode::OK);
        assert!(index.contains("href=\"/admin/help\""), "{index}");
        let (_, index) = pm.get_text("/p/alpha/help").await;
        assert!(!index.contains("/admin/help"), "{index}");
        let (status, _) = pm.get_text("/admin/help").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The roles and settings pages link their help.
        for page in ["/p/alpha/roles", "/p/alpha/settings"] {
            let (status, html) = pm.get_text(page).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            assert!(html.contains("href=\"/p/alpha/help/members\""), "{page}");
        }
    }
);
