//! Signing in and out, sessions, and the pages a person sees first.

use reqwest::StatusCode;
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

both!(sign_in_and_out, async |app: &TestApp| {
    let mut c = app.client();
    let res = c.get("/").await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, "/sign-in".to_string())
    );

    // A wrong password: the form again, with an error and the e-mail kept.
    let res = c
        .sign_in(&email(Role::ProgrammeManager), "not the password")
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.unwrap();
    assert!(html.contains("govuk-error-summary"));
    assert!(html.contains("Enter a correct email address and password"));
    assert!(html.contains(&format!("value=\"{}\"", email(Role::ProgrammeManager))));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<title>Error: Sign in"));

    // Empty fields name each field.
    let res = c.sign_in("", "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#email\"") && html.contains("href=\"#password\""));

    // The right password: a new session cookie, then the programme's home.
    let res = c.sign_in(&email(Role::ProgrammeManager), PASSWORD).await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, "/p/alpha".to_string())
    );
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let (status, html) = c.get_text("/p/alpha").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Current partners"));

    // Signing out ends the session on the server, not just in the browser.
    let old = c.cookie.clone();
    let res = c.post_form("/sign-out", &[]).await;
    assert_eq!(location(&res), "/sign-in?signed_out=1");
    let mut replay = app.client();
    replay.cookie = old;
    let res = replay.get("/p/alpha").await;
    assert_eq!(location(&res), "/sign-in?next=/p/alpha");
});

both!(
    sign_in_returns_to_the_page_asked_for,
    async |app: &TestApp| {
        let mut c = app.client();
        let res = c.get("/p/alpha/partners?kind=vcse").await;
        assert_eq!(
            location(&res),
            "/sign-in?next=/p/alpha/partners%3Fkind%3Dvcse"
        );
        let res = c.json(reqwest::Method::POST, "/sign-in", None).await;
        assert_eq!(
            res.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a sign-in without a form body is refused"
        );
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let res = http
            .post(format!("{}/sign-in", app.base))
            .header("origin", &app.base)
            .form(&[
                ("email", email(Role::FunderViewer).as_str()),
                ("password", PASSWORD),
                ("next", "/p/alpha/partners?kind=vcse"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&res), "/p/alpha/partners?kind=vcse");
        let res = http
            .post(format!("{}/sign-in", app.base))
            .header("origin", &app.base)
            .form(&[
                ("email", email(Role::FunderViewer).as_str()),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&res), "/p/alpha", "no open redirect");
    }
);

both!(failed_sign_ins_are_throttled, async |app: &TestApp| {
    let mut c = app.client();
    let who = email(Role::CommunityMember);
    for _ in 0..5 {
        assert_eq!(
            c.sign_in(&who, "wrong password!").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Now even the right password waits.
    let res = c.sign_in(&who, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("too many failed attempts")
    );
    // Another account from the same address is not locked out by this one.
    assert_eq!(
        c.sign_in(&email(Role::FunderViewer), PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // Every failure is in the audit log.
    let log = app
        .store
        .audit_list(
            &useit_core::audit::AuditFilter {
                action: Some(useit_core::audit::AuditAction::SignInFailed),
                ..Default::default()
            },
            Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(log.total, 5);
});

both!(
    a_password_change_ends_other_sessions,
    async |app: &TestApp| {
        let who = email(Role::AnchorAnalyst);
        let mut laptop = app.signed_in(&who).await;
        let mut phone = app.signed_in(&who).await;
        let fields = |new: &str| {
            [
                ("current_password", PASSWORD.to_string()),
                ("new_password", new.to_string()),
                ("confirm_password", new.to_string()),
            ]
        };
        // Too short; long enough but the person's own address with a digit.
        for (new, said) in [
            ("short".to_string(), "at least 12 characters"),
            (format!("{who}1"), "would be guessed quickly"),
        ] {
            let f = fields(&new);
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = laptop.post_form("/account/password", &pairs).await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(res.text().await.unwrap().contains(said), "{new}");
        }
        let res = laptop
            .post_form(
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "a brand new passphrase"),
                    ("confirm_password", "a brand new passphrase"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/account");
        assert_eq!(
            laptop.get("/p/alpha").await.status(),
            StatusCode::OK,
            "the session that changed it stays"
        );
        assert_eq!(
            location(&phone.get("/p/alpha").await),
            "/sign-in?next=/p/alpha",
            "the other session ended"
        );
        assert_eq!(
            app.client().sign_in(&who, PASSWORD).await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.client()
                .sign_in(&who, "a brand new passphrase")
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
    }
);

both!(disabled_accounts_lose_access, async |app: &TestApp| {
    let who = email(Role::ResearchCoordinator);
    let mut c = app.signed_in(&who).await;
    let mut admin = app.signed_in(ADMIN_EMAIL).await;
    let user = app
        .store
        .credentials_by_email(&who)
        .await
        .unwrap()
        .unwrap()
        .user;
    let res = admin
        .post_form(&format!("/admin/users/{}/disable", user.id), &[])
        .await;
    assert_eq!(location(&res), "/admin/users");
    assert_eq!(location(&c.get("/p/alpha").await), "/sign-in?next=/p/alpha");
    assert_eq!(
        app.client().sign_in(&who, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
});

both!(unknown_pages_get_a_proper_404, async |app: &TestApp| {
    let mut c = app.client();
    let (status, html) = c.get_text("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found") && html.contains("govuk-template"));
    let res = c.get("/api/v1/nothing-here").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let mut m = app.signed_in(&email(Role::Administrator)).await;
    assert_eq!(
        m.get("/p/no-such-programme").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        m.get("/p/alpha/partners/not-an-id").await.status(),
        StatusCode::NOT_FOUND
    );
});

both!(
    home_page_counts_come_from_the_rows,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::FunderViewer)).await;
        let (_, html) = c.get_text("/p/alpha").await;
        // The fixture has one partner and nine members in alpha.
        assert!(
            html.contains("<p class=\"app-stat__value\">1</p>"),
            "one current partner"
        );
        assert!(
            html.contains("<p class=\"app-stat__value\">9</p>"),
            "nine people"
        );
        assert!(
            html.contains("role=\"img\"") && html.contains("<table"),
            "a chart with a table alternative"
        );
        let mut m = app.signed_in(&email(Role::ProgrammeManager)).await;
        let res = m
            .post_form(
                "/p/alpha/partners",
                &[
                    ("name", "Second Org"),
                    ("kind", "university"),
                    ("joined_on_day", "2"),
                    ("joined_on_month", "3"),
                    ("joined_on_year", "2018"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, html) = c.get_text("/p/alpha").await;
        assert!(
            html.contains("<p class=\"app-stat__value\">2</p>"),
            "two current partners now"
        );
    }
);

/// Sessions end after the idle limit and after the absolute limit, on the
/// server, whatever the browser keeps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_when_idle_and_after_the_absolute_limit() {
    use std::time::Duration;
    let idle = useit_web::Config {
        idle_timeout: Duration::from_secs(1),
        ..Default::default()
    };
    let app = TestApp::spawn(Db::Sqlite, idle).await;
    let mut c = app.signed_in(&email(Role::FunderViewer)).await;
    assert_eq!(c.get("/p/alpha").await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(
        location(&c.get("/p/alpha").await),
        "/sign-in?next=/p/alpha",
        "idle too long"
    );
    app.finish().await;

    let absolute = useit_web::Config {
        absolute_timeout: Duration::from_secs(1),
        ..Default::default()
    };
    let app = TestApp::spawn(Db::Sqlite, absolute).await;
    let mut c = app.signed_in(&email(Role::FunderViewer)).await;
    for _ in 0..3 {
        // Busy, but not for ever.
        assert_eq!(c.get("/p/alpha").await.status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        location(&c.get("/p/alpha").await),
        "/sign-in?next=/p/alpha",
        "signed in too long"
    );
    app.finish().await;
}
