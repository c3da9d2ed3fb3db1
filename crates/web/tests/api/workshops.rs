//! Workshops through the API and the pages: an organiser plans two
//! workshops and opens a guest link for one; a guest with no account adds
//! notes through the link's page (no script) and its API, reaching that
//! workshop only: not the other, not the programme's pages or API, and not
//! another programme's workshop; the link stops working when it expires or
//! is revoked; the synthesis and the printable summary show the harvest.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::Duration;
use useit_core::audit::Actor;
use useit_core::auth::Role;
use useit_core::clock;
use useit_core::workshops::guest::issue;
use useit_core::workshops::workshop::WorkshopInput;
use useit_store::workshops::NewGuestLink;

use crate::both;
use crate::helpers::*;

const API: &str = "/api/v1/programmes/alpha/workshops";

async fn call(
    c: &mut Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let res = c.json(method, path, body).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn plan(title: &str) -> Value {
    json!({"title": title, "held_on": "2019-03-26",
        "place": "Grand Central Hotel, 99 Gordon Street, Glasgow",
        "part_of": "EUROCITIES Social Innovation Lab",
        "case_study": "Unlocking Social and Economic Innovation Together in Birmingham",
        "hosts": ["Ana", "Ben", "Chiara"]})
}

both!(
    a_guest_link_reaches_only_its_workshop_and_stops_when_it_expires,
    async |app: &TestApp| {
        let mut organiser = app.client();
        organiser.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let (status, a) = call(&mut organiser, Method::POST, API, Some(plan("Workshop A"))).await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
        let (_, b) = call(&mut organiser, Method::POST, API, Some(plan("Workshop B"))).await;
        let (a, b) = (
            a["id"].as_str().unwrap().to_string(),
            b["id"].as_str().unwrap().to_string(),
        );
        assert_eq!(
            call(
                &mut organiser,
                Method::POST,
                &format!("{API}/{a}/links"),
                Some(json!({"hours": "0"}))
            )
            .await
            .0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let (status, link) = call(
            &mut organiser,
            Method::POST,
            &format!("{API}/{a}/links"),
            Some(json!({"hours": "4"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{link}");
        let secret = link["secret"].as_str().unwrap().to_string();
        assert!(
            link["url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/guest/workshops/{secret}"))
        );
        let (_, links) = call(
            &mut organiser,
            Method::GET,
            &format!("{API}/{a}/links"),
            None,
        )
        .await;
        assert!(
            !links.to_string().contains(&secret),
            "the secret is never listed"
        );

        // The guest: no account. The page is a plain form.
        let mut guest = app.client();
        let page = format!("/guest/workshops/{secret}");
        let (status, html) = guest.get_text(&page).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Workshop A") && !html.contains("Workshop B"));
        assert!(html.contains("name=\"viewport\"") && html.contains("<form method=\"post\""));
        assert!(
            html.contains("Table 2 (Ben)"),
            "tables named with their host"
        );
        let res = guest
            .post_form(
                &page,
                &[
                    ("table", "1"),
                    ("round", "2"),
                    ("text", "Paying researchers' time"),
                    ("workshop", &b),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), format!("{page}?added=yes"));
        let res = guest
            .post_form(&page, &[("table", "9"), ("text", "x")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("There is no table ‘9’"),
            "the error names the field"
        );
        let (status, body) = call(
            &mut guest,
            Method::POST,
            &format!("/api/v1/guest/workshops/{secret}/notes"),
            Some(json!({"question": "would_transfer", "answer": "maybe", "text": "With the council", "city": "Lille", "workshop_id": b})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, w) = call(
            &mut guest,
            Method::GET,
            &format!("/api/v1/guest/workshops/{secret}"),
            None,
        )
        .await;
        assert_eq!(
            (status, w["title"].as_str()),
            (StatusCode::OK, Some("Workshop A"))
        );

        // Nothing else: not workshop B, not the programme's pages or API.
        let (_, sa) = call(&mut organiser, Method::GET, &format!("{API}/{a}"), None).await;
        let (_, sb) = call(&mut organiser, Method::GET, &format!("{API}/{b}"), None).await;
        assert_eq!(sa["notes"].as_array().unwrap().len(), 2);
        assert_eq!(sb["notes"].as_array().unwrap().len(), 0);
        // The organiser reads the tally exactly (a count of people: each
        // cell is `{"value": …}` as every published count is).
        let value = |k: &str| sa["tally"][k]["value"].clone();
        assert_eq!(
            [value("yes"), value("no"), value("maybe"), value("total")],
            [json!(0), json!(0), json!(1), json!(1)],
            "{}",
            sa["tally"]
        );
        for path in [
            format!("/p/alpha/workshops/{a}"),
            format!("/p/alpha/workshops/{a}/summary"),
            "/p/alpha".to_string(),
        ] {
            let res = guest.get(&path).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
            assert!(location(&res).starts_with("/sign-in"), "{path}");
        }
        let mut as_bearer = app.client();
        as_bearer.bearer = Some(secret.clone());
        for path in [
            format!("{API}/{a}"),
            API.to_string(),
            "/api/v1/me".to_string(),
        ] {
            assert_eq!(
                as_bearer.get(&path).await.status(),
                StatusCode::UNAUTHORIZED,
                "{path}"
            );
        }

        // Another programme's workshop and link: neither link crosses over.
        let beta = app.store.as_ref();
        let actor = Actor::system("test");
        let bw = useit_app::workshops::save_workshop(
            beta,
            &useit_app::Caller::system(app.fx.b, "test"),
            None,
            &WorkshopInput {
                title: "Beta secret workshop".into(),
                held_on: "2020-01-01".into(),
                place: "Beta".into(),
                case_study: "Beta".into(),
                hosts: vec!["X".into(), "Y".into(), "Z".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let beta_secret = issue();
        beta.create_guest_link(
            app.fx.b,
            bw.id,
            &NewGuestLink {
                token_hash: beta_secret.hash.clone(),
                hint: beta_secret.hint.clone(),
                expires_at: clock::now() + Duration::hours(1),
            },
            &actor,
        )
        .await
        .unwrap();
        let (_, html) = guest.get_text(&page).await;
        assert!(!html.contains("Beta secret workshop"));
        let (_, html) = guest
            .get_text(&format!("/guest/workshops/{}", beta_secret.secret))
            .await;
        assert!(html.contains("Beta secret workshop") && !html.contains("Workshop A"));
        let (status, _) = call(
            &mut organiser,
            Method::GET,
            &format!("{API}/{}", bw.id),
            None,
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "alpha cannot read beta's workshop"
        );

        // An expired link: page, form and API all refuse, nothing written.
        let old = issue();
        beta.create_guest_link(
            app.fx.a,
            a.parse().unwrap(),
            &NewGuestLink {
                token_hash: old.hash.clone(),
                hint: old.hint.clone(),
                expires_at: clock::now() - Duration::minutes(1),
            },
            &actor,
        )
        .await
        .unwrap();
        let expired = format!("/guest/workshops/{}", old.secret);
        let (status, html) = guest.get_text(&expired).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(html.contains("This link has closed"));
        assert_eq!(
            guest
                .post_form(
                    &expired,
                    &[("table", "1"), ("round", "1"), ("text", "late")]
                )
                .await
                .status(),
            StatusCode::CONFLICT
        );
        let (status, _) = call(
            &mut guest,
            Method::POST,
            &format!("/api/v1/guest/workshops/{}/notes", old.secret),
            Some(json!({"question": "learning", "text": "late"})),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(
            guest
                .get("/guest/workshops/useit_guest_unknown")
                .await
                .status(),
            StatusCode::NOT_FOUND
        );

        // Revoked: stops at once.
        let link_id = link["id"].as_str().unwrap();
        let (status, _) = call(
            &mut organiser,
            Method::POST,
            &format!("{API}/{a}/links/{link_id}/revoke"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(guest.get(&page).await.status(), StatusCode::CONFLICT);
        let (_, sa) = call(&mut organiser, Method::GET, &format!("{API}/{a}"), None).await;
        assert_eq!(
            sa["notes"].as_array().unwrap().len(),
            2,
            "nothing written after expiry or revoking"
        );
    }
);

both!(
    the_synthesis_and_the_printable_summary_show_the_harvest,
    async |app: &TestApp| {
        let mut organiser = app.client();
        organiser.bearer = Some(app.token(&email(Role::ResearchCoordinator), "alpha").await);
        let mut funder = app.client();
        funder.bearer = Some(app.token(&email(Role::FunderViewer), "alpha").await);
        let (_, w) = call(&mut organiser, Method::POST, API, Some(plan("Glasgow"))).await;
        let id = w["id"].as_str().unwrap().to_string();
        let (status, n) = call(
            &mut organiser,
            Method::POST,
            &format!("{API}/{id}/notes"),
            Some(json!({"table": "2", "round": "1", "text": "Funding ended too soon"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{n}");
        assert_eq!(n["group"], "obstacle");
        let note = n["id"].as_str().unwrap();
        let (status, s) = call(
            &mut organiser,
            Method::PUT,
            &format!("{API}/{id}/groups"),
            Some(json!({"groups": [{"note": note, "group": "transferability"}]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(s["notes"][0]["group"], "transferability");
        let (status, _) = call(
            &mut organiser,
            Method::POST,
            &format!("{API}/{id}/actions"),
            Some(json!({"action": "Map anchor spend", "owner": "Council", "city": "Lille"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(
            call(
                &mut funder,
                Method::POST,
                &format!("{API}/{id}/actions"),
                Some(json!({"action": "x", "owner": "y", "city": "z"}))
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
        let (status, l) = call(
            &mut organiser,
            Method::POST,
            &format!("{API}/lineage"),
            Some(json!({"name": "USE-IT!", "city": "Birmingham"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{l}");
        let (status, _) = call(
            &mut organiser,
            Method::POST,
            &format!("{API}/lineage"),
            Some(json!({"name": "HOP", "city": "Black Country", "modelled_on": "USE-IT!"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, tree) = call(&mut funder, Method::GET, &format!("{API}/lineage"), None).await;
        assert_eq!(tree[1]["depth"], 1);

        // One answer to "would you transfer": the funder sees the tally's
        // small numbers suppressed, so no note tells them the answer (API,
        // workshop page and printable summary alike); the organiser sees it.
        let (status, n) = call(
            &mut organiser,
            Method::POST,
            &format!("{API}/{id}/notes"),
            Some(json!({"question": "would_transfer", "answer": "maybe", "text": "If the council leads"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{n}");
        let answer = |s: &Value| {
            s["notes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["draft"]["question"] == "would_transfer")
                .map(|n| n["draft"]["answer"].clone())
                .unwrap()
        };
        let (_, theirs) = call(&mut funder, Method::GET, &format!("{API}/{id}"), None).await;
        assert_eq!(answer(&theirs), Value::Null, "{theirs}");
        assert_eq!(theirs["answers_withheld"], true);
        let (_, mine) = call(&mut organiser, Method::GET, &format!("{API}/{id}"), None).await;
        assert_eq!(answer(&mine), "maybe", "{mine}");
        let mut page = app.signed_in(&email(Role::FunderViewer)).await;
        for path in [
            format!("/p/alpha/workshops/{id}"),
            format!("/p/alpha/workshops/{id}/summary"),
        ] {
            let (_, html) = page.get_text(&path).await;
            assert!(html.contains("If the council leads"), "{path}");
            assert!(html.contains(r#"id="answers-withheld""#), "{path}");
            assert!(
                !html.contains("</strong> Maybe:"),
                "{path} shows the answer"
            );
        }
        let mut own = app.signed_in(&email(Role::ResearchCoordinator)).await;
        let (_, html) = own.get_text(&format!("/p/alpha/workshops/{id}")).await;
        assert!(
            html.contains("</strong> Maybe:"),
            "the organiser reads the answer"
        );
        assert!(!html.contains(r#"id="answers-withheld""#));
        let (status, html) = page
            .get_text(&format!("/p/alpha/workshops/{id}/summary"))
            .await;
        assert_eq!(status, StatusCode::OK);
        for want in [
            "Transferability factors",
            "Funding ended too soon",
            "Map anchor spend",
            "Lille",
            "Would you consider transferring",
        ] {
            assert!(html.contains(want), "the summary shows {want}");
        }
        let (_, html) = page.get_text("/p/alpha/workshops/lineage").await;
        assert!(html.contains("<svg") && html.contains("<table") && html.contains("HOP"));
        let (status, _) = page
            .get_text(&format!("/p/alpha/workshops/{id}/synthesis"))
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "a funder reads, does not organise"
        );
        let (_, doc) = page.get_text("/api/openapi.json").await;
        assert!(doc.contains("/api/v1/guest/workshops/{guest_token}/notes"));
    }
);
