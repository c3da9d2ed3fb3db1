//! Communities and their CED plans through the API and the pages: a
//! manager names two communities and makes the community member a member
//! of one; that member edits its plan and actions, through the pages (no
//! script) and the API, and is refused the other community's plan both
//! ways, as is a role that may edit plans but is no member; progress
//! follows the actions' statuses; the printable plan shows it; member
//! lists are the manager's alone.

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

fn community(name: &str, ward: &str) -> Value {
    json!({"name": name, "description": "", "area": {"index": "imd2019", "wards": [ward]}})
}

both!(
    a_community_member_edits_only_their_communitys_plan_by_page_and_api,
    async |app: &TestApp| {
        let mut manager = app.client();
        manager.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let (status, a) = call(
            &mut manager,
            Method::POST,
            API,
            Some(community("Soho and Victoria", "E05001278")),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
        assert_eq!(a["area"]["version"], 1);
        let (_, b) = call(
            &mut manager,
            Method::POST,
            API,
            Some(community("Jewellery Quarter", "E05011168")),
        )
        .await;
        let (a, b) = (
            a["id"].as_str().unwrap().to_string(),
            b["id"].as_str().unwrap().to_string(),
        );
        // A bad area is named under `area/`, as problem JSON.
        let (status, p) = call(
            &mut manager,
            Method::POST,
            API,
            Some(community("Nowhere", "E05999999")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(p.to_string().contains("area/wards"), "{p}");
        let (status, _) = call(
            &mut manager,
            Method::POST,
            &format!("{API}/{a}/members"),
            Some(json!({"email": email(Role::CommunityMember)})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, listed) = call(
            &mut manager,
            Method::GET,
            &format!("{API}/{a}/members"),
            None,
        )
        .await;
        assert_eq!(listed[0]["email"], email(Role::CommunityMember));

        // The member, through the pages: their community's plan form opens
        // and saves; the other's is refused, to look at and to post.
        let mut page = app.signed_in(&email(Role::CommunityMember)).await;
        let (status, body) = page
            .get_text(&format!("/p/alpha/communities/{a}/plan"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("name=\"aspirations\""));
        let res = page
            .post_form(
                &format!("/p/alpha/communities/{a}/plan"),
                &[
                    ("aspirations", "A community hub"),
                    ("priorities", "A cleaning co-operative"),
                    ("status", "in_delivery"),
                    ("adopted_on", "14/03/2026"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), format!("/p/alpha/communities/{a}"));
        assert_eq!(
            page.get(&format!("/p/alpha/communities/{b}/plan"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        let res = page
            .post_form(
                &format!("/p/alpha/communities/{b}/plan"),
                &[("aspirations", "Hijacked"), ("status", "drafting")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = page
            .post_form(
                &format!("/p/alpha/communities/{b}/actions"),
                &[("title", "Hijacked"), ("owner", "Me")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // An action added through the page, with a bad date named.
        let res = page
            .post_form(
                &format!("/p/alpha/communities/{a}/actions"),
                &[
                    ("title", "Open the hub"),
                    ("owner", "Residents"),
                    ("due_on", "31/02/2026"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = page
            .post_form(
                &format!("/p/alpha/communities/{a}/actions"),
                &[
                    ("title", "Open the hub"),
                    ("owner", "Residents"),
                    ("status", "in_progress"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        // No member list for them.
        assert_eq!(
            page.get(&format!("/p/alpha/communities/{a}/edit"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );

        // The member, through the API: the same answers.
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::CommunityMember), "alpha").await);
        let (status, p) = call(
            &mut api,
            Method::PUT,
            &format!("{API}/{b}/plan"),
            Some(json!({"aspirations": "Hijacked", "status": "drafting"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{p}");
        let (status, _) = call(
            &mut api,
            Method::POST,
            &format!("{API}/{b}/actions"),
            Some(json!({"title": "Hijacked", "owner": "Me"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, done) = call(
            &mut api,
            Method::POST,
            &format!("{API}/{a}/actions"),
            Some(json!({"title": "Form the co-operative", "owner": "Residents", "status": "done"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{done}");
        let (_, view) = call(&mut api, Method::GET, &format!("{API}/{a}"), None).await;
        assert_eq!(view["progress_share"], 0.5);
        assert_eq!(view["progress_text"], "1 of 2 actions done (50%)");
        // Dropping the other action: 1 of 1.
        let hub = view["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["draft"]["title"] == "Open the hub")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, _) = call(
            &mut api,
            Method::PUT,
            &format!("{API}/{a}/actions/{hub}"),
            Some(json!({"title": "Open the hub", "owner": "Residents", "status": "dropped"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (_, all) = call(&mut api, Method::GET, API, None).await;
        let row = all
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == a.as_str())
            .unwrap();
        assert_eq!(row["progress_share"], 1.0);
        assert_eq!(row["plan_status"], "in_delivery");
        let (status, _) = call(&mut api, Method::GET, &format!("{API}/{a}/members"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A role that may edit plans but is no member is refused too.
        let mut analyst = app.client();
        analyst.bearer = Some(app.token(&email(Role::AnchorAnalyst), "alpha").await);
        let (status, _) = call(
            &mut analyst,
            Method::PUT,
            &format!("{API}/{a}/plan"),
            Some(json!({"aspirations": "Hijacked", "status": "drafting"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Everyone reads the plan, and the printable view shows it.
        let mut funder = app.signed_in(&email(Role::FunderViewer)).await;
        let (status, body) = funder.get_text("/p/alpha/communities").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Soho and Victoria") && body.contains("1 of 1 action done (100%)"));
        assert!(!body.contains("Add a community"));
        let (status, body) = funder
            .get_text(&format!("/p/alpha/communities/{a}/print"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("A community hub") && body.contains("app-print-summary"));
        assert!(
            body.contains("In delivery, adopted on 14 March 2026"),
            "{body}"
        );
        assert!(
            !body.contains(&email(Role::CommunityMember)),
            "no member shown"
        );
        assert!(!body.contains("Edit the plan"));
    }
);
