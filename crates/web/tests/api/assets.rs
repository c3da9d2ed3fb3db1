//! The asset map through the API and the pages: a community's member adds
//! their own community's micro assets and is refused another community's,
//! macro assets and programme-wide ones; they read their own community's
//! and the programme's assets, never another community's; the services
//! come out as Open Referral (HSDS) objects; the CSV goes out and back in
//! through the page, a bad file naming its line; the map page draws with
//! its layers chosen by a plain GET form; an action links its assets.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

const API: &str = "/api/v1/programmes/alpha/communities";

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

both!(
    a_member_maps_their_own_communitys_assets_and_services_export_as_hsds,
    async |app: &TestApp| {
        let mut manager = app.client();
        manager.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let mut ids = Vec::new();
        for (name, ward) in [("Soho", "E05001278"), ("Jewellery Quarter", "E05011168")] {
            let (status, c) = call(
                &mut manager,
                Method::POST,
                API,
                Some(json!({"name": name, "area": {"index": "imd2019", "wards": [ward]}})),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{c}");
            ids.push(c["id"].as_str().unwrap().to_string());
        }
        let (soho, jq) = (ids[0].clone(), ids[1].clone());
        let (status, _) = call(
            &mut manager,
            Method::POST,
            &format!("{API}/{soho}/members"),
            Some(json!({"email": email(Role::CommunityMember)})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, hospital) = call(
            &mut manager,
            Method::POST,
            &format!("{API}/assets"),
            Some(json!({"kind": "anchor_site", "name": "The new hospital", "postcode": "B66 2QT"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{hospital}");
        assert_eq!(hospital["layer"], "macro");
        let (status, jq_group) = call(
            &mut manager,
            Method::POST,
            &format!("{API}/assets"),
            Some(json!({"kind": "group", "name": "JQ makers", "community": jq})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{jq_group}");
        let jq_group = jq_group["id"].as_str().unwrap().to_string();

        // The member, by token: their own community's micro assets only.
        let mut member = app.client();
        member.bearer = Some(app.token(&email(Role::CommunityMember), "alpha").await);
        let (status, advice) = call(
            &mut member,
            Method::POST,
            &format!("{API}/assets"),
            Some(json!({
                "kind": "service", "name": "Advice drop-in", "community": soho,
                "postcode": "B66 2QT", "contact_phone": "0121 000 0000",
                "eligibility": "Soho residents", "schedule": "Tuesdays"
            })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{advice}");
        let advice = advice["id"].as_str().unwrap().to_string();
        for body in [
            json!({"kind": "group", "name": "Not mine", "community": jq}),
            json!({"kind": "estate", "name": "Car park", "community": soho, "postcode": "B66 2QT"}),
            json!({"kind": "group", "name": "Everyone's"}),
        ] {
            let (status, p) = call(
                &mut member,
                Method::POST,
                &format!("{API}/assets"),
                Some(body),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{p}");
        }
        // Bad input names every field, as problem JSON.
        let (status, p) = call(
            &mut member,
            Method::POST,
            &format!("{API}/assets"),
            Some(json!({"kind": "skill", "name": "", "community": soho, "people": "many"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(
            p.to_string().contains("people") && p.to_string().contains("name"),
            "{p}"
        );

        let (status, list) = call(&mut member, Method::GET, &format!("{API}/assets"), None).await;
        assert_eq!(status, StatusCode::OK);
        let names: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["draft"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Advice drop-in", "The new hospital"]);
        let (status, _) = call(
            &mut member,
            Method::GET,
            &format!("{API}/assets/{jq_group}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = call(
            &mut member,
            Method::PUT,
            &format!("{API}/assets/{jq_group}"),
            Some(json!({"kind": "group", "name": "Mine now", "community": soho})),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, all) = call(
            &mut manager,
            Method::GET,
            &format!("{API}/assets?layer=micro&sort=name"),
            None,
        )
        .await;
        assert_eq!(all["total"], 2);

        // HSDS: the one service with its nested objects.
        let (status, hsds) = call(
            &mut member,
            Method::GET,
            &format!("{API}/assets/hsds"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(hsds.as_array().unwrap().len(), 1, "{hsds}");
        assert_eq!(hsds[0]["id"], advice);
        assert_eq!(hsds[0]["status"], "active");
        assert_eq!(hsds[0]["phones"][0]["number"], "0121 000 0000");
        assert_eq!(hsds[0]["eligibility_description"], "Soho residents");
        assert_eq!(
            hsds[0]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"],
            "B66 2QT"
        );
        // The seven HSDS CSV tables in one zip, from the API and the page.
        let mut session = app.signed_in(&email(Role::CommunityMember)).await;
        for (client, path) in [
            (&mut member, format!("{API}/assets/hsds.zip")),
            (
                &mut session,
                "/p/alpha/communities/assets/hsds.zip".to_string(),
            ),
        ] {
            let res = client.get(&path).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_eq!(res.headers()["content-type"], "application/zip");
            let disposition = res.headers()["content-disposition"].to_str().unwrap();
            assert!(
                disposition.starts_with("attachment; filename=\"open-referral-alpha-"),
                "{disposition}"
            );
            let bytes = res.bytes().await.unwrap();
            assert!(bytes.starts_with(b"PK\x03\x04"), "a zip file");
            // Entry names are stored as written in the zip's directory.
            let text = String::from_utf8_lossy(&bytes);
            for table in [
                "organization.csv",
                "service.csv",
                "location.csv",
                "address.csv",
                "service_at_location.csv",
                "phone.csv",
                "schedule.csv",
            ] {
                assert!(text.contains(table), "{table} in the zip");
            }
        }
        let page = session.get_text("/p/alpha/communities/assets").await.1;
        assert!(
            page.contains("/p/alpha/communities/assets/hsds.zip"),
            "the list links it"
        );

        // The CSV is the managers': out through the API, back through the
        // page, a bad row naming its line and column.
        assert_eq!(
            member.get(&format!("{API}/assets.csv")).await.status(),
            StatusCode::FORBIDDEN
        );
        let csv = manager
            .get(&format!("{API}/assets.csv"))
            .await
            .text()
            .await
            .unwrap();
        assert!(csv.starts_with("id,kind,name,"), "{csv}");
        let mut page = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (status, body) = page.get_text("/p/alpha/communities/assets/import").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let res = page
            .post_upload(
                "/p/alpha/communities/assets/import",
                "assets.csv",
                csv.replace("JQ makers", "JQ makers and menders")
                    .into_bytes(),
                &[],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let (_, renamed) = call(
            &mut manager,
            Method::GET,
            &format!("{API}/assets/{jq_group}"),
            None,
        )
        .await;
        assert_eq!(renamed["draft"]["name"], "JQ makers and menders");
        let res = page
            .post_upload(
                "/p/alpha/communities/assets/import",
                "assets.csv",
                format!("{csv},castle,Keep,,,,,,,,,,,,,,,,\n").into_bytes(),
                &[],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("2: kind"),
            "the bad cell is named by its column"
        );

        // The pages, without script: the list, the map with one layer
        // ticked, the asset, and the member's form.
        let mut mpage = app.signed_in(&email(Role::CommunityMember)).await;
        let (status, body) = mpage
            .get_text("/p/alpha/communities/assets?kind=service")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Advice drop-in") && !body.contains("The new hospital"));
        let (status, body) = mpage
            .get_text("/p/alpha/communities/assets/map?layer=service&layer=anchor_site")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Advice drop-in") && body.contains("The new hospital"));
        assert!(body.contains(
            "id=\"layer-service\" name=\"layer\" type=\"checkbox\" value=\"service\" checked"
        ));
        assert!(!body.contains("value=\"group\" checked"));
        assert!(!body.contains("JQ makers"));
        let (status, body) = mpage
            .get_text(&format!("/p/alpha/communities/assets/{advice}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Tuesdays"));
        assert_eq!(
            mpage
                .get(&format!("/p/alpha/communities/assets/{jq_group}/edit"))
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        let res = mpage
            .post_form(
                &format!("/p/alpha/communities/assets/{advice}"),
                &[
                    ("kind", "service"),
                    ("name", "Advice drop-in"),
                    ("community", &soho),
                    ("postcode", "B66 2QT"),
                    ("people", "3"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // A plan action builds on the community's asset.
        let (status, action) = call(
            &mut member,
            Method::POST,
            &format!("{API}/{soho}/actions"),
            Some(json!({"title": "Run the drop-in", "owner": "Residents"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{action}");
        let action = action["id"].as_str().unwrap();
        let (status, _) = call(
            &mut member,
            Method::PUT,
            &format!("{API}/{soho}/actions/{action}/assets"),
            Some(json!({"assets": [advice]})),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, p) = call(
            &mut member,
            Method::PUT,
            &format!("{API}/{soho}/actions/{action}/assets"),
            Some(json!({"assets": [jq_group]})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        let (status, body) = mpage
            .get_text(&format!("/p/alpha/communities/{soho}/actions/{action}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(&format!("value=\"{advice}\" checked")));
    }
);
