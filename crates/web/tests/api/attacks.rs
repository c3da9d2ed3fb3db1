//! What an attacker tried (issue 16), each a regression test: guessing
//! passwords concurrently, a token reaching past its programme or outliving
//! a credential change, an open redirect through `next`, and NUL bytes in
//! every kind of text input.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::audit::Actor;
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

both!(
    concurrent_wrong_passwords_are_all_counted,
    async |app: &TestApp| {
        let who = email(Role::CommunityMember);
        let guesses = (0..20).map(|i| {
            let base = app.base.clone();
            let who = who.clone();
            tokio::spawn(async move {
                let mut c = Client::new(&base);
                c.sign_in(&who, &format!("wrong guess number {i}"))
                    .await
                    .status()
            })
        });
        let mut checked = 0;
        let mut throttled = 0;
        for g in guesses {
            match g.await.unwrap() {
                StatusCode::UNAUTHORIZED => checked += 1,
                StatusCode::TOO_MANY_REQUESTS => throttled += 1,
                other => panic!("unexpected {other}"),
            }
        }
        assert_eq!(
            (checked, throttled),
            (5, 15),
            "only the limit of passwords is ever checked"
        );
        let res = app.client().sign_in(&who, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    }
);

/// Behind a proxy only the address it appended counts: rotating the
/// client-chosen first entry of `X-Forwarded-For` does not escape the limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_forwarded_for_does_not_escape_the_address_limit() {
    let config = useit_web::Config {
        trust_proxy: true,
        max_failures_per_address: 3,
        max_failures_per_account: 100,
        ..Default::default()
    };
    let app = TestApp::spawn(Db::Sqlite, config).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut statuses = Vec::new();
    for i in 0..5 {
        let res = http
            .post(format!("{}/sign-in", app.base))
            .header("origin", &app.base)
            .header("x-forwarded-for", format!("10.0.0.{i}, 203.0.113.9"))
            .form(&[("email", "nobody@nowhere.test"), ("password", "guess")])
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 429, 429]);
    // A different real client (the proxy's last entry) is not held up.
    let res = http
        .post(format!("{}/sign-in", app.base))
        .header("origin", &app.base)
        .header("x-forwarded-for", "203.0.113.10")
        .form(&[("email", "nobody@nowhere.test"), ("password", "guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // A success takes its own attempt back: people signing in from behind
    // one office address never lock each other out.
    for _ in 0..4 {
        let res = http
            .post(format!("{}/sign-in", app.base))
            .header("origin", &app.base)
            .header("x-forwarded-for", "203.0.113.11")
            .form(&[("email", ADMIN_EMAIL), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    app.finish().await;
}

async fn status(api: &mut Client, method: Method, path: &str, body: Option<Value>) -> StatusCode {
    api.json(method, path, body).await.status()
}

both!(
    a_token_stays_in_its_programme_and_never_manages_credentials,
    async |app: &TestApp| {
        let who = email(Role::ProgrammeManager);
        // The same person also manages beta.
        let me = app
            .store
            .credentials_by_email(&who)
            .await
            .unwrap()
            .unwrap()
            .user;
        app.store
            .set_role(
                app.fx.b,
                me.id,
                Role::ProgrammeManager,
                &Actor::system("test"),
            )
            .await
            .unwrap();
        let mut api = app.client();
        api.bearer = Some(app.token(&who, "alpha").await);
        assert_eq!(
            status(
                &mut api,
                Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": "escape", "programme": "beta"}))
            )
            .await,
            StatusCode::FORBIDDEN,
            "a token mints no token for another programme"
        );
        assert_eq!(
            status(
                &mut api,
                Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": "copy", "programme": "alpha"}))
            )
            .await,
            StatusCode::FORBIDDEN,
            "nor for its own"
        );
        assert_eq!(
            status(&mut api, Method::GET, "/api/v1/tokens", None).await,
            StatusCode::FORBIDDEN,
            "a token does not list its owner's tokens"
        );
        let other = app.fx.b_token;
        assert_eq!(
            status(
                &mut api,
                Method::DELETE,
                &format!("/api/v1/tokens/{other}"),
                None
            )
            .await,
            StatusCode::FORBIDDEN,
            "nor revoke them"
        );
        assert_eq!(
            status(
                &mut api,
                Method::PUT,
                "/api/v1/me/password",
                Some(
                    json!({"current_password": PASSWORD, "new_password": "taken over by a token"})
                )
            )
            .await,
            StatusCode::FORBIDDEN,
            "nor change the password"
        );
        // Another programme, even one the owner is in, is as missing as
        // one that does not exist.
        for path in [
            "/api/v1/programmes/beta/partners",
            "/api/v1/programmes/nowhere/partners",
        ] {
            assert_eq!(
                status(&mut api, Method::GET, path, None).await,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let mine: Value = api.get("/api/v1/programmes").await.json().await.unwrap();
        assert_eq!(mine.as_array().unwrap().len(), 1);
        assert_eq!(mine[0]["slug"], "alpha");
        assert_eq!(
            api.get("/api/v1/programmes/alpha/partners").await.status(),
            StatusCode::OK
        );
    }
);

both!(
    tokens_end_when_the_password_changes_or_the_account_is_disabled,
    async |app: &TestApp| {
        let who = email(Role::AnchorAnalyst);
        let works = async |secret: &str| {
            let mut api = app.client();
            api.bearer = Some(secret.to_string());
            api.get("/api/v1/programmes/alpha/partners").await.status() == StatusCode::OK
        };

        // A password changed on the web.
        let before = app.token(&who, "alpha").await;
        assert!(works(&before).await);
        let mut web = app.signed_in(&who).await;
        let res = web
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
        assert!(!works(&before).await, "the old token stopped");

        // A password changed through the API (with a session).
        let before = app.token(&who, "alpha").await;
        let res = web
            .json(
                Method::PUT,
                "/api/v1/me/password",
                Some(json!({"current_password": "a brand new passphrase",
                            "new_password": "another new passphrase"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert!(!works(&before).await, "the old token stopped");

        // Disabled, then enabled again: the old token stays revoked.
        let before = app.token(&who, "alpha").await;
        let user = app
            .store
            .credentials_by_email(&who)
            .await
            .unwrap()
            .unwrap()
            .user;
        let actor = Actor::system("test");
        app.store.set_disabled(user.id, true, &actor).await.unwrap();
        assert!(!works(&before).await);
        app.store
            .set_disabled(user.id, false, &actor)
            .await
            .unwrap();
        assert!(!works(&before).await, "enabling brings no token back");

        // The role removed or changed: its token ends with it.
        let before = app.token(&who, "alpha").await;
        assert!(works(&before).await);
        app.store
            .set_role(app.fx.a, user.id, Role::FunderViewer, &actor)
            .await
            .unwrap();
        assert!(!works(&before).await, "a changed role ends the token");
        let before = app.token(&who, "alpha").await;
        app.store
            .remove_member(app.fx.a, user.id, &actor)
            .await
            .unwrap();
        assert!(!works(&before).await, "a removed member's token ends");
    }
);

both!(
    next_is_a_path_on_this_site_or_nothing,
    async |app: &TestApp| {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let who = email(Role::FunderViewer);
        for evil in [
            "/\t/evil.example/",
            "/\n/evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil.example/",
            "/ /evil.example/",
            "https://evil.example/",
        ] {
            let res = http
                .post(format!("{}/sign-in", app.base))
                .header("origin", &app.base)
                .form(&[
                    ("email", who.as_str()),
                    ("password", PASSWORD),
                    ("next", evil),
                ])
                .send()
                .await
                .unwrap();
            // Signed in and sent home, or (for a control character) the
            // form refused: never sent off-site.
            let to = location(&res);
            assert!(
                (res.status() == StatusCode::SEE_OTHER && to == "/p/alpha")
                    || (res.status() == StatusCode::UNPROCESSABLE_ENTITY && to.is_empty()),
                "{evil:?}: {} {to}",
                res.status()
            );
        }
        // Signed in, the sign-in page sends people on: never off-site, and
        // a control character in `next` is no server error.
        let mut c = app.signed_in(&who).await;
        for query in [
            "next=/%09/evil.example/",
            "next=%2F%2Fevil.example",
            "next=/%5Cevil.example",
            "next=/%0D%0ALocation:%20http://evil.example",
        ] {
            let res = c.get(&format!("/sign-in?{query}")).await;
            assert!(
                res.status() == StatusCode::SEE_OTHER
                    || res.status() == StatusCode::UNPROCESSABLE_ENTITY,
                "{query}: {}",
                res.status()
            );
            let to = location(&res);
            assert!(to.is_empty() || to == "/p/alpha", "{query}: {to}");
        }
    }
);

both!(
    nul_bytes_are_refused_naming_the_field,
    async |app: &TestApp| {
        // Unauthenticated: the sign-in form.
        let res = app.client().sign_in("pm\0@alpha.test", PASSWORD).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("email"));

        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let analyst_token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let problem = async |res: reqwest::Response| {
            let status = res.status();
            let ct = res.headers()["content-type"].to_str().unwrap().to_string();
            let body: Value = res.json().await.unwrap();
            assert_eq!(ct, "application/problem+json");
            (status, body)
        };
        let pointer = |p: &Value| p["errors"][0]["pointer"].as_str().unwrap().to_string();

        // A path segment, a query parameter, a JSON field.
        let (status, p) = problem(api.get("/api/v1/programmes/alpha%00/partners").await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(pointer(&p), "#/path");
        let (status, p) = problem(api.get("/api/v1/programmes/alpha/partners?q=a%00b").await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(pointer(&p), "#/q");
        let (status, p) = problem(
            api.json(
                Method::POST,
                "/api/v1/programmes/alpha/partners",
                Some(json!({"name": "Null\u{0}Co", "kind": "vcse", "joined_on": "2019-05-01"})),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(pointer(&p), "#/name");

        // A signed-in form.
        let mut web = app.signed_in(&email(Role::ProgrammeManager)).await;
        let res = web
            .post_form(
                "/p/alpha/partners",
                &[
                    ("name", "Bell\u{7}Co"),
                    ("kind", "vcse"),
                    ("joined_on_day", "1"),
                    ("joined_on_month", "1"),
                    ("joined_on_year", "2020"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // A spend file: an error at its line and column, nothing written.
        let mut analyst = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let res = analyst
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
        let file = b"Date Paid,Supplier Name,Amount\r\n02/04/2024,Acme Ltd,10.00\r\n03/04/2024,Null\0Ltd,5.00\r\n".to_vec();
        let res = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/programmes/alpha/anchors/trust/spend-files?file_name=april.csv",
                app.base
            ))
            .bearer_auth(&analyst_token)
            .header("content-type", "text/csv")
            .body(file)
            .send()
            .await
            .unwrap();
        let (status, p) = problem(res).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(p["problems"][0]["line"], 3);
        assert_eq!(p["problems"][0]["column"], 2);
        assert_eq!(p["problems"][0]["column_name"], "Supplier Name");
        assert!(app.store.ledger(app.fx.a, None).await.unwrap().is_empty());
    }
);

/// Refusals made before a handler runs have the shape of every other error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_refusals_come_back_as_problem_json() {
    let config = useit_web::Config {
        max_upload_bytes: 1024,
        ..Default::default()
    };
    let app = TestApp::spawn(Db::Sqlite, config).await;
    let token = app.token(&email(Role::ProgrammeManager), "alpha").await;
    let http = reqwest::Client::new();
    let send = |method: Method, path: &str, ct: &str, body: Vec<u8>| {
        http.request(method, format!("{}{path}", app.base))
            .bearer_auth(&token)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let cases = [
        (
            send(
                Method::POST,
                "/api/v1/programmes/alpha/partners",
                "text/plain",
                b"x".to_vec(),
            )
            .await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            send(
                Method::PATCH,
                "/api/v1/programmes",
                "application/json",
                b"{}".to_vec(),
            )
            .await,
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            send(
                Method::POST,
                "/api/v1/programmes/alpha/partners",
                "application/json",
                b"{\"name\": 5}".to_vec(),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            send(
                Method::POST,
                "/api/v1/programmes/alpha/partners",
                "application/json",
                vec![b' '; 4096],
            )
            .await,
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (res, expected) in cases {
        let res = res.unwrap();
        assert_eq!(res.status(), expected);
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{expected}"
        );
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["status"], expected.as_u16());
        assert!(!p["title"].as_str().unwrap().is_empty());
    }
    app.finish().await;
}

/// Text bodies are bounded apart from uploads: a JSON body over 4 MiB is
/// refused (413) even where files of 200 MB are allowed, and one field of
/// 30 MB never reaches a handler, however the body is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_bodies_and_fields_are_bounded() {
    let app = TestApp::spawn(Db::Sqlite, useit_web::Config::default()).await;
    let token = app.token(&email(Role::ProgrammeManager), "alpha").await;
    let http = reqwest::Client::new();
    let post = |path: &str, ct: &str, body: Vec<u8>| {
        http.post(format!("{}{path}", app.base))
            .bearer_auth(&token)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let many: Vec<String> = (0..400_000).map(|i| format!("B{i} 1AA")).collect();
    let res = post(
        "/api/v1/programmes/alpha/place/postcodes",
        "application/json",
        serde_json::to_vec(&json!({ "postcodes": many })).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.headers()["content-type"], "application/problem+json");

    let name = "x".repeat(useit_core::validation::MAX_FIELD_CHARS + 1);
    let res = post(
        "/api/v1/programmes/alpha/partners",
        "application/json",
        serde_json::to_vec(&json!({ "name": name })).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["errors"][0]["pointer"], "#/name", "{p}");
    let body = serde_urlencoded::to_string([("name", name.as_str())]).unwrap();
    let res = post(
        "/api/v1/programmes/alpha/partners",
        "application/x-www-form-urlencoded",
        body.into_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.finish().await;
}

/// A client that opens a connection and trickles its headers is cut off
/// after the header read timeout instead of holding the connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = useit_web::Config {
        header_read_timeout: std::time::Duration::from_millis(300),
        ..Default::default()
    };
    let app = TestApp::spawn(Db::Sqlite, config).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 256];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), conn.read(&mut buf))
        .await
        .expect("the server closes the connection, not the test's timeout");
    assert!(matches!(read, Ok(0) | Err(_)) || buf.starts_with(b"HTTP/1.1 408"));
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    // A client that sends its headers at once is served.
    assert_eq!(
        reqwest::get(format!("{}/healthz", app.base))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    app.finish().await;
}
