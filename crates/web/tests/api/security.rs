//! Headers, CSRF, and what each role may see of personal data.

use reqwest::StatusCode;
use useit_core::audit::{AuditAction, AuditFilter};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

both!(
    every_response_carries_the_security_headers,
    async |app: &TestApp| {
        let mut c = app.client();
        for path in [
            "/sign-in",
            "/static/app.css",
            "/api/openapi.json",
            "/nowhere",
        ] {
            let res = c.get(path).await;
            let h = res.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
                "{path}: {csp}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        }
        let res = c.get("/sign-in").await;
        assert_eq!(res.headers()["cache-control"], "no-store");
        let html = res.text().await.unwrap();
        assert!(
            !html.contains("style=\"") && !html.contains("<script>"),
            "no inline style or script"
        );
    }
);

both!(
    unsafe_requests_need_same_origin_and_the_token,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let fields = [
            ("name", "Forged"),
            ("kind", "vcse"),
            ("joined_on_day", "1"),
            ("joined_on_month", "1"),
            ("joined_on_year", "2020"),
        ];
        let post = |origin: Option<&str>, csrf: Option<&str>| {
            let mut f: Vec<(&str, &str)> = fields.to_vec();
            if let Some(t) = csrf {
                f.push(("_csrf", t));
            }
            let mut req = http
                .post(format!("{}/p/alpha/partners", app.base))
                .header("cookie", c.cookie.clone().unwrap())
                .form(&f);
            if let Some(o) = origin {
                req = req.header("origin", o);
            }
            req.send()
        };
        assert_eq!(
            post(None, Some(&c.csrf)).await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "no origin"
        );
        assert_eq!(
            post(Some("https://evil.example"), Some(&c.csrf))
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN,
            "another site"
        );
        assert_eq!(
            post(Some(&app.base), None).await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "no token"
        );
        assert_eq!(
            post(Some(&app.base), Some("forged"))
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN,
            "wrong token"
        );
        let ok = post(Some(&app.base), Some(&c.csrf)).await.unwrap();
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        // Only the accepted request wrote anything.
        let (_, html) = c.get_text("/p/alpha/partners?q=Forged").await;
        assert!(
            html.contains("1 partner"),
            "exactly one partner called Forged"
        );
        // Uploads check the token inside the form.
        c.csrf = "forged".into();
        let res = c
            .post_upload(
                "/p/alpha/partners/import",
                "p.csv",
                b"name,kind,joined_on\nX,vcse,2020-01-01\n".to_vec(),
                &[],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);

both!(
    contact_people_only_for_roles_that_need_them,
    async |app: &TestApp| {
        let partner = format!("/p/alpha/partners/{}", app.fx.a_partner);
        for role in Role::ALL {
            let mut c = app.signed_in(&email(role)).await;
            let (status, html) = c.get_text(&partner).await;
            assert_eq!(status, StatusCode::OK, "{role}");
            let sees = html.contains("ali@alpha.example");
            assert_eq!(
                sees,
                role.can(useit_core::auth::Capability::ViewPartnerContacts),
                "{role} sees contact: {sees}"
            );
            let (status, csv) = c.get_text("/p/alpha/partners.csv?contacts=yes").await;
            if sees {
                assert!(csv.contains("ali@alpha.example"), "{role}");
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{role} cannot export contacts"
                );
            }
            let (_, plain) = c.get_text("/p/alpha/partners.csv").await;
            assert!(
                !plain.contains("ali@alpha.example") && plain.contains("Alpha Community Hub"),
                "{role}"
            );
        }
        // Each look was written down: who, which record, which fields.
        let log = app
            .store
            .audit_list(
                &AuditFilter {
                    programme_id: Some(app.fx.a),
                    subject_type: Some("partner_contact".into()),
                    action: Some(AuditAction::Read),
                    ..Default::default()
                },
                Default::default(),
            )
            .await
            .unwrap();
        let readers: std::collections::BTreeSet<String> =
            log.items.iter().map(|e| e.actor_label.clone()).collect();
        let expected: std::collections::BTreeSet<String> = [
            Role::Administrator,
            Role::ProgrammeManager,
            Role::EnterpriseAdviser,
        ]
        .iter()
        .map(|r| email(*r))
        .collect();
        assert_eq!(readers, expected);
        assert!(
            log.items
                .iter()
                .all(|e| e.subject_id == Some(app.fx.a_partner.to_string())
                    && e.summary == "fields: contact_name, contact_email")
        );
        let exports = app
            .store
            .audit_list(
                &AuditFilter {
                    programme_id: Some(app.fx.a),
                    action: Some(AuditAction::Export),
                    subject_type: Some("partner_contact".into()),
                    ..Default::default()
                },
                Default::default(),
            )
            .await
            .unwrap();
        assert_eq!(
            exports.total, 3,
            "three exports with contacts, each recorded"
        );
    }
);

both!(looking_at_people_is_recorded, async |app: &TestApp| {
    let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
    let (_, html) = c.get_text("/p/alpha/members").await;
    assert!(html.contains(&email(Role::CommunityResearcher)));
    let log = app
        .store
        .audit_list(
            &AuditFilter {
                programme_id: Some(app.fx.a),
                subject_type: Some("member_list".into()),
                ..Default::default()
            },
            Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        (log.total, log.items[0].actor_label.clone()),
        (1, email(Role::ProgrammeManager))
    );
});

/// Pages link assets by a digest of their bytes, so browsers keep them for
/// a year; text assets are sent gzipped to a browser that accepts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_are_linked_by_digest_kept_long_and_compressed() {
    let app = TestApp::spawn(Db::Sqlite, useit_web::Config::default()).await;
    let html = app.client().get("/sign-in").await.text().await.unwrap();
    let href = html
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/static/v-") && h.ends_with("/govuk/govuk-frontend.css"))
        .expect("the stylesheet is linked by digest")
        .to_string();
    let http = reqwest::Client::new();
    let res = http
        .get(format!("{}{href}", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let sent = res.bytes().await.unwrap().len();
    let whole = include_bytes!("../../static/govuk/govuk-frontend.css").len();
    assert!(sent * 4 < whole, "{sent} of {whole} bytes sent");
    // An old digest (a page cached before a release) still gets the file,
    // but only for an hour.
    let res = http
        .get(format!("{}/static/v-0000000000000000/app.css", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600");
    app.finish().await;
}
