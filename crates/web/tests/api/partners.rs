//! Partners through the pages and the API: forms with errors, CSV out and
//! back in, imports that are all-or-nothing and idempotent, duplicates and merges.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

both!(
    a_form_with_errors_keeps_what_was_typed,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
        let res = c
            .post_form(
                "/p/alpha/partners",
                &[
                    ("name", "Half Typed Org"),
                    ("kind", ""),
                    ("org_id", "oops"),
                    ("joined_on_day", "31"),
                    ("joined_on_month", "2"),
                    ("joined_on_year", "2019"),
                    ("contact_email", "not-an-email"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("govuk-error-summary"));
        for anchor in ["#kind", "#org_id", "#joined_on_day", "#contact_email"] {
            assert!(
                html.contains(&format!("href=\"{anchor}\"")),
                "summary links to {anchor}"
            );
        }
        assert!(
            html.contains("value=\"Half Typed Org\"") && html.contains("value=\"oops\""),
            "input kept"
        );
        assert!(html.contains("govuk-form-group--error"));
        let (_, list) = c.get_text("/p/alpha/partners").await;
        assert!(!list.contains("Half Typed Org"), "nothing saved");
    }
);

both!(
    add_change_and_find_a_partner_on_the_pages,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
        let res = c
            .post_form(
                "/p/alpha/partners",
                &[
                    ("name", "Ladywood Food Co-op"),
                    ("kind", "social_enterprise"),
                    ("postcode", "b16 8sl"),
                    ("joined_on_day", "5"),
                    ("joined_on_month", "6"),
                    ("joined_on_year", "2017"),
                    ("contact_name", "Kiran Gill"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let page = location(&res);
        let (_, html) = c.get_text(&page).await;
        assert!(
            html.contains("Ladywood Food Co-op has been added"),
            "flash message"
        );
        assert!(
            html.contains("B16 8SL") && html.contains("5 June 2017") && html.contains("Kiran Gill")
        );
        let res = c
            .post_form(
                &page,
                &[
                    ("name", "Ladywood Food Co-operative"),
                    ("kind", "social_enterprise"),
                    ("joined_on_day", "5"),
                    ("joined_on_month", "6"),
                    ("joined_on_year", "2017"),
                    ("left_on_day", "1"),
                    ("left_on_month", "1"),
                    ("left_on_year", "2019"),
                ],
            )
            .await;
        assert_eq!(location(&res), page);
        let (_, html) = c
            .get_text("/p/alpha/partners?status=former&q=co-operative")
            .await;
        assert!(html.contains("Ladywood Food Co-operative") && html.contains("1 January 2019"));
        let (_, html) = c
            .get_text("/p/alpha/partners?status=current&q=co-operative")
            .await;
        assert!(html.contains("No partners match"));
    }
);

both!(csv_export_imports_back_unchanged, async |app: &TestApp| {
    let mut c = app.signed_in(&email(Role::Administrator)).await;
    let (status, csv) = c.get_text("/p/alpha/partners.csv?contacts=yes").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("id,name,kind,org_id,website,postcode,description,joined_on,left_on,contact_name,contact_email,contact_phone"));
    let res = c
        .post_upload(
            "/p/alpha/partners/import",
            "partners.csv",
            csv.clone().into_bytes(),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("0 added, 0 changed, 1 unchanged"), "{html}");

    // Edited in a spreadsheet: one change, one new row, Windows-1252 with a £.
    let mut edited = csv.replace("Alpha Community Hub", "Alpha Community Hub Ltd");
    edited.push_str(",Caf\u{e9} Sol \u{a3}5 lunches,social_enterprise,,,,,01/04/2018,,,,\n");
    let (bytes, _, _) = encoding_rs_like::encode_1252(&edited);
    let res = c
        .post_upload(
            "/p/alpha/partners/import",
            "edited.csv",
            bytes,
            &[("dry_run", "yes")],
        )
        .await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Would add 1, change 1 and leave 0 unchanged")
    );
    let res = c
        .post_upload(
            "/p/alpha/partners/import",
            "edited.csv",
            encoding_rs_like::encode_1252(&edited).0,
            &[],
        )
        .await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("1 added, 1 changed, 0 unchanged")
    );
    let (_, list) = c.get_text("/p/alpha/partners").await;
    assert!(list.contains("Café Sol £5 lunches") && list.contains("Alpha Community Hub Ltd"));
    // The same file again changes nothing.
    let res = c
        .post_upload(
            "/p/alpha/partners/import",
            "edited.csv",
            encoding_rs_like::encode_1252(&edited).0,
            &[],
        )
        .await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("0 added, 0 changed, 2 unchanged")
    );
});

both!(
    a_file_with_one_bad_line_imports_nothing,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::Administrator)).await;
        let file = "name,kind,joined_on\nGood One,vcse,2020-01-01\nBad One,vcse,2020-13-45\nAlso Good,funder,2020-02-02\n";
        let res = c
            .post_upload(
                "/p/alpha/partners/import",
                "new.csv",
                file.as_bytes().to_vec(),
                &[],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Nothing was imported"));
        assert!(
            html.contains("<td class=\"govuk-table__cell govuk-table__cell--numeric\">3</td>"),
            "line 3 named"
        );
        assert!(html.contains("3: joined_on"), "column named");
        let (_, list) = c.get_text("/p/alpha/partners").await;
        assert!(!list.contains("Good One"));

        // The API says the same in problem JSON.
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::Administrator), "alpha").await);
        let res = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/programmes/alpha/partners/import?file_name=new.csv",
                app.base
            ))
            .bearer_auth(api.bearer.clone().unwrap())
            .header("content-type", "text/csv")
            .body(file)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let p: Value = res.json().await.unwrap();
        assert_eq!(
            (
                p["file"].as_str(),
                p["problems"][0]["line"].as_u64(),
                p["problems"][0]["column"].as_u64()
            ),
            (Some("new.csv"), Some(3), Some(3))
        );
        assert_eq!(p["problems"][0]["column_name"], "joined_on");
        let res = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/programmes/alpha/partners/import",
                app.base
            ))
            .bearer_auth(api.bearer.clone().unwrap())
            .body(file.replace("2020-13-45", "2020-12-25"))
            .send()
            .await
            .unwrap();
        let ok: Value = res.json().await.unwrap();
        assert_eq!(
            (ok["created"].as_u64(), ok["applied"].as_bool()),
            (Some(3), Some(true))
        );
    }
);

both!(duplicates_are_found_and_merged, async |app: &TestApp| {
    let mut api = app.client();
    api.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
    let res = api.json(Method::POST, "/api/v1/programmes/alpha/partners", Some(json!({"name": "The Alpha Community Hub CIC", "kind": "social_enterprise", "joined_on": "2016-05-01", "website": "alpha-hub.example.org"}))).await;
    let dup: Value = res.json().await.unwrap();
    let pairs: Value = api
        .get("/api/v1/programmes/alpha/partners/duplicates")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pairs[0]["reason"], "same_name");
    let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
    let (_, html) = c.get_text("/p/alpha/partners/duplicates").await;
    assert!(html.contains("The Alpha Community Hub CIC") && html.contains("Same name"));
    let keep = app.fx.a_partner.to_string();
    let other = dup["id"].as_str().unwrap();
    let res = c
        .post_form(
            &format!("/p/alpha/partners/{keep}/merge"),
            &[("other", other)],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "which to keep must be chosen"
    );
    let res = c
        .post_form(
            &format!("/p/alpha/partners/{keep}/merge"),
            &[("other", other), ("keep", &keep)],
        )
        .await;
    assert_eq!(location(&res), format!("/p/alpha/partners/{keep}"));
    let merged: Value = api
        .get(&format!("/api/v1/programmes/alpha/partners/{keep}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (merged["joined_on"].as_str(), merged["website"].as_str()),
        (Some("2016-05-01"), Some("https://alpha-hub.example.org"))
    );
    // The merged-away partner's page leads to the one kept.
    let res = c.get(&format!("/p/alpha/partners/{other}")).await;
    assert_eq!(
        (res.status(), location(&res)),
        (
            StatusCode::PERMANENT_REDIRECT,
            format!("/p/alpha/partners/{keep}")
        )
    );
    let pairs: Value = api
        .get("/api/v1/programmes/alpha/partners/duplicates")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pairs.as_array().unwrap().len(), 0);
});

/// The link an invitation page shows, as a path on this site.
fn invitation_link(page: &str) -> String {
    let at = page.find("/invitations/useit_invite_").expect("a link");
    let end = page[at..].find('<').unwrap();
    page[at..at + end].to_string()
}

both!(
    members_are_invited_changed_and_exported,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::Administrator)).await;
        let res = c.post_form("/p/alpha/members", &[("role", "boss")]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // An invitation answers alike for any e-mail: a link to pass on.
        let res = c
            .post_form(
                "/p/alpha/members",
                &[
                    ("email", "new.person@example.org"),
                    ("role", "community_researcher"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let link = invitation_link(&res.text().await.unwrap());
        // The person opens it without an account and creates theirs.
        let mut newcomer = app.client();
        let (status, html) = newcomer.get_text(&link).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("new.person@example.org"));
        let res = newcomer
            .post_form(
                &format!("{link}/account"),
                &[
                    ("display_name", "New Person"),
                    ("password", "their first password"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/sign-in?next=/p/alpha");
        assert_eq!(
            app.client()
                .sign_in("new.person@example.org", "their first password")
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        // The link works once.
        let (_, html) = newcomer.get_text(&link).await;
        assert!(html.contains("already been accepted"));
        // An existing account from another programme accepts signed in.
        let res = c
            .post_form(
                "/p/alpha/members",
                &[("email", B_ADMIN_EMAIL), ("role", "funder_viewer")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let link = invitation_link(&res.text().await.unwrap());
        let mut b = app.signed_in(B_ADMIN_EMAIL).await;
        let res = b.post_form(&link, &[]).await;
        assert_eq!(location(&res), "/p/alpha");
        // The last administrator cannot step down.
        let me = app
            .store
            .credentials_by_email(&email(Role::Administrator))
            .await
            .unwrap()
            .unwrap()
            .user
            .id;
        let res = c
            .post_form(
                &format!("/p/alpha/members/{me}"),
                &[("role", "funder_viewer")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("at least one administrator")
        );
        // CSV out, edited, back in: one role changed, all or nothing.
        let (_, csv) = c.get_text("/p/alpha/members.csv").await;
        assert!(csv.contains("new.person@example.org,New Person,community_researcher"));
        let edited = csv.replace(
            "new.person@example.org,New Person,community_researcher",
            "new.person@example.org,New Person,research_coordinator",
        );
        let bad = format!("{edited}ghost@example.org,,funder_viewer,\n");
        let res = c
            .post_upload(
                "/p/alpha/members/import",
                "members.csv",
                bad.into_bytes(),
                &[],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = c
            .post_upload(
                "/p/alpha/members/import",
                "members.csv",
                edited.clone().into_bytes(),
                &[],
            )
            .await;
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("1 role changed, 10 already right")
        );
        let res = c
            .post_upload(
                "/p/alpha/members/import",
                "members.csv",
                edited.into_bytes(),
                &[],
            )
            .await;
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("0 roles changed, 11 already right")
        );
    }
);

/// Windows-1252 encoding for the few characters the tests use.
mod encoding_rs_like {
    pub fn encode_1252(s: &str) -> (Vec<u8>, (), ()) {
        let bytes = s
            .chars()
            .map(|c| match c {
                '£' => 0xA3,
                'é' => 0xE9,
                c if (c as u32) < 0x80 => c as u8,
                c => panic!("no Windows-1252 byte for {c}"),
            })
            .collect();
        (bytes, (), ())
    }
}
