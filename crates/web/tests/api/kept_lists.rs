//! Issue 16 item 11: the server keeps each page of the partners' JSON list
//! serialised while the programme's list counter stands (moved by a
//! trigger on every write to the partners). Every write shows on the very
//! next request, whether this server made it or another process did (here:
//! the store written directly, as a CLI command or a second server would,
//! so this server is told nothing).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::audit::Actor;
use useit_core::auth::Role;
use useit_core::programme::PartnerInput;

use crate::both;
use crate::helpers::*;

const LIST: &str = "/api/v1/programmes/alpha/partners?per_page=100";

/// The list, asked for three times (the first reads and keeps it, the
/// others are served what was kept): all three alike.
async fn list(c: &mut Client, path: &str) -> Value {
    let mut seen = Vec::new();
    for _ in 0..3 {
        let res = c.get(path).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "application/json"
        );
        seen.push(res.json::<Value>().await.unwrap());
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "kept as it was read");
    seen.pop().unwrap()
}

fn names(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

fn input(name: &str) -> PartnerInput {
    PartnerInput {
        name: name.into(),
        kind: "vcse".into(),
        description: "Added behind the server's back.".into(),
        joined_on: "2020-01-01".into(),
        ..Default::default()
    }
}

both!(
    partner_writes_show_on_the_very_next_request,
    async |app: &TestApp| {
        let actor = Actor::system("test");
        let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
        let before = list(&mut c, LIST).await;
        let total = before["total"].as_u64().unwrap();
        let searched = "/api/v1/programmes/alpha/partners?q=quiet%20harbour";
        assert_eq!(list(&mut c, searched).await["total"], 0);

        // Added by another process: on the next request, in both pages.
        let added = app
            .store
            .create_partner(
                app.fx.a,
                &input("Quiet Harbour Trust").validate().unwrap(),
                &Default::default(),
                &actor,
            )
            .await
            .unwrap();
        let after = list(&mut c, LIST).await;
        assert_eq!(after["total"].as_u64().unwrap(), total + 1);
        assert!(names(&after).contains(&"Quiet Harbour Trust".to_string()));
        assert_eq!(list(&mut c, searched).await["total"], 1);

        // Renamed, and its leaving date set (no longer current).
        let mut changed = input("Quiet Harbour Trust Renamed");
        changed.left_on = "2021-01-01".into();
        app.store
            .update_partner(
                app.fx.a,
                added.id,
                &changed.validate().unwrap(),
                None,
                &actor,
            )
            .await
            .unwrap();
        let after = list(&mut c, LIST).await;
        let row = after["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == added.id.to_string())
            .unwrap()
            .clone();
        assert_eq!(row["name"], "Quiet Harbour Trust Renamed");
        assert_eq!(row["current"], false);
        assert_eq!(row["left_on"], "2021-01-01");

        // Merged into the fixture's partner: gone from the list.
        app.store
            .merge_partners(app.fx.a, app.fx.a_partner, added.id, &actor)
            .await
            .unwrap();
        let after = list(&mut c, LIST).await;
        assert_eq!(after["total"].as_u64().unwrap(), total);
        assert!(!names(&after).iter().any(|n| n.starts_with("Quiet Harbour")));
        assert_eq!(list(&mut c, searched).await["total"], 0);

        // Through this server's own API: the same.
        let res = c
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/partners",
                Some(json!({"name": "Second Harbour Co-op", "kind": "vcse",
                            "joined_on": "2020-02-02"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert!(names(&list(&mut c, LIST).await).contains(&"Second Harbour Co-op".to_string()));

        // Another programme's write leaves alpha's list as it was, and
        // beta's own list never shows alpha's rows.
        let alpha = list(&mut c, LIST).await;
        app.store
            .create_partner(
                app.fx.b,
                &input("Beta Harbour Ltd").validate().unwrap(),
                &Default::default(),
                &actor,
            )
            .await
            .unwrap();
        assert_eq!(list(&mut c, LIST).await, alpha);
        let mut boss = app.signed_in(B_ADMIN_EMAIL).await;
        let beta = list(&mut boss, "/api/v1/programmes/beta/partners?per_page=100").await;
        assert!(names(&beta).contains(&"Beta Harbour Ltd".to_string()));
        assert!(!names(&beta).contains(&"Second Harbour Co-op".to_string()));
    }
);

/// The same with nothing kept: every request reads the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_nothing_kept_the_list_is_read_each_time() {
    let app = TestApp::spawn(
        Db::Sqlite,
        useit_web::Config {
            kept_lists: 0,
            ..Default::default()
        },
    )
    .await;
    let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
    let total = list(&mut c, LIST).await["total"].as_u64().unwrap();
    app.store
        .create_partner(
            app.fx.a,
            &input("Unkept Harbour Trust").validate().unwrap(),
            &Default::default(),
            &Actor::system("test"),
        )
        .await
        .unwrap();
    assert_eq!(
        list(&mut c, LIST).await["total"].as_u64().unwrap(),
        total + 1
    );
    app.finish().await;
}

/// The figure shown above `label` on the home page.
fn stat_before(page: &str, label: &str) -> u64 {
    let at = page
        .find(label)
        .unwrap_or_else(|| panic!("{label} not on the page"));
    let open = "app-stat__value\">";
    let start = page[..at].rfind(open).unwrap() + open.len();
    let end = start + page[start..].find('<').unwrap();
    page[start..end]
        .replace([',', '\u{202f}'], "")
        .parse()
        .unwrap()
}

both!(
    the_kept_home_page_shows_writes_on_the_very_next_request,
    async |app: &TestApp| {
        // The home page's figures are kept under the programme's counters,
        // which a kept session reads with its own in one statement: a write
        // by another process (the store written directly) still shows on
        // the very next request.
        let actor = Actor::system("test");
        let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
        let home = async |c: &mut Client| {
            let res = c.get("/p/alpha").await;
            assert_eq!(res.status(), StatusCode::OK);
            res.text().await.unwrap()
        };
        let first = home(&mut c).await;
        assert_eq!(home(&mut c).await, first, "kept as it was read");
        let partners = stat_before(&first, "status=current\">Current partners");
        let members = stat_before(&first, "/members\">People using useit");

        app.store
            .create_partner(
                app.fx.a,
                &input("Quiet Harbour Trust").validate().unwrap(),
                &Default::default(),
                &actor,
            )
            .await
            .unwrap();
        let page = home(&mut c).await;
        assert_eq!(
            stat_before(&page, "status=current\">Current partners"),
            partners + 1
        );

        app.store
            .create_user(
                &useit_core::auth::NewUser {
                    email: "late.joiner@example.org".into(),
                    display_name: "Late Joiner".into(),
                    password_hash: "x".into(),
                    is_admin: false,
                },
                Some((app.fx.a, Role::FunderViewer)),
                &actor,
            )
            .await
            .unwrap();
        let page = home(&mut c).await;
        assert_eq!(
            stat_before(&page, "/members\">People using useit"),
            members + 1
        );
    }
);
