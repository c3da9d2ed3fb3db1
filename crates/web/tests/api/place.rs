//! Place through the pages and the API: choosing, previewing and saving an
//! area of benefit (with every kind of bad input), its profile and map, the
//! areas list and CSV, one area, and postcode look-ups one at a time and in
//! bulk — on the real West Midlands sample in the fixture.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

const SANDWELL_WARD: &str = "E05001278";

both!(
    an_area_of_benefit_is_chosen_previewed_and_saved_in_the_editor,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (status, page) = c.get_text("/p/alpha/place").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("has not chosen its area of benefit yet"),
            "{page}"
        );
        assert!(page.contains("/p/alpha/place/area-of-benefit/edit"));

        let (status, form) = c.get_text("/p/alpha/place/area-of-benefit/edit").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            form.contains("Soho and Victoria")
                && form.contains("English Index of Multiple Deprivation 2019")
        );

        // Bad input: a postcode with O for 0, a distance that is not a number, an unknown area.
        let res = c
            .post_form(
                "/p/alpha/place/area-of-benefit",
                &[
                    ("index", "imd2019"),
                    ("radius_postcode_0", "B66 OQT"),
                    ("radius_km_0", "two"),
                    ("areas", "E01010063 E0199999X"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("govuk-error-summary"));
        assert!(
            html.contains("href=\"#radius_postcode_0\"")
                && html.contains("letter O where a zero (0) is expected"),
            "{html}"
        );
        assert!(
            html.contains("href=\"#radius_km_0\"")
                && html.contains("Enter a distance greater than 0")
        );
        assert!(html.contains("href=\"#areas\"") && html.contains("E0199999X"));
        assert!(html.contains("value=\"B66 OQT\""), "the input is kept");
        assert_eq!(
            app.store
                .area_of_benefit_versions(app.fx.a)
                .await
                .unwrap()
                .len(),
            0,
            "nothing saved"
        );

        // Nothing chosen at all.
        let res = c
            .post_form(
                "/p/alpha/place/area-of-benefit",
                &[("index", "imd2019"), ("action", "save")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("Choose at least one local authority")
        );

        // Preview: one ward, most deprived two deciles.
        let fields = [
            ("index", "imd2019"),
            ("wards", SANDWELL_WARD),
            ("deciles", "1"),
            ("deciles", "2"),
            ("note", "Soho and Victoria first"),
        ];
        let mut preview = fields.to_vec();
        preview.push(("action", "preview"));
        let res = c
            .post_form("/p/alpha/place/area-of-benefit", &preview)
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        let facts = app
            .store
            .area_facts("lsoa11", Some("imd2019"))
            .await
            .unwrap();
        let expected: Vec<&str> = facts
            .iter()
            .filter(|f| {
                f.ward_code.as_deref() == Some(SANDWELL_WARD) && f.decile.is_some_and(|d| d <= 2)
            })
            .map(|f| f.code.as_str())
            .collect();
        assert!(
            expected.len() >= 5,
            "the ward has deprived areas: {expected:?}"
        );
        assert!(
            html.contains(&format!(
                "These choices come to {} small areas",
                expected.len()
            )),
            "{html}"
        );
        assert_eq!(
            app.store
                .area_of_benefit_versions(app.fx.a)
                .await
                .unwrap()
                .len(),
            0,
            "a preview saves nothing"
        );

        // Save.
        let mut save = fields.to_vec();
        save.push(("action", "save"));
        let res = c.post_form("/p/alpha/place/area-of-benefit", &save).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/p/alpha/place");
        let (status, page) = c.get_text("/p/alpha/place").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&format!(
            "Version 1 of the area of benefit saved: {} small areas",
            expected.len()
        )));
        assert!(page.contains("Soho and Victoria first"));
        assert!(page.contains("<svg class=\"app-map\""), "the map is drawn");
        for code in &expected {
            assert!(
                page.contains(&format!("/p/alpha/place/areas/{code}\"")),
                "{code} is on the map and in its table"
            );
        }
        assert!(page.contains("100.0%"), "everyone is in deciles 1–2");
        let aob = app
            .store
            .area_of_benefit(app.fx.a, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(aob.area_count as usize, expected.len());

        // The map on its own is an SVG image.
        let res = c.get("/p/alpha/place/map.svg").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()["content-type"],
            "image/svg+xml; charset=utf-8"
        );
        assert!(
            res.text()
                .await
                .unwrap()
                .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );

        // The editor opens on what was saved.
        let (_, form) = c.get_text("/p/alpha/place/area-of-benefit/edit").await;
        assert!(form.contains(&format!("id=\"ward-{SANDWELL_WARD}\" name=\"wards\" type=\"checkbox\" value=\"{SANDWELL_WARD}\" checked")), "{form}");
    }
);

both!(
    the_area_of_benefit_through_the_api,
    async |app: &TestApp| {
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::ProgrammeManager), "alpha").await);
        let res = api
            .json(
                Method::GET,
                "/api/v1/programmes/alpha/place/area-of-benefit",
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "none chosen yet");

        // Problems name each field with a pointer.
        let res = api
        .json(
            Method::PUT,
            "/api/v1/programmes/alpha/place/area-of-benefit",
            Some(json!({ "index": "imd2019", "radii": [{ "postcode": "B66 2QT", "km": "500" }], "deciles": [11], "exclude": ["NOPE"] })),
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let p: Value = res.json().await.unwrap();
        let pointers: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["pointer"].as_str().unwrap())
            .collect();
        assert!(
            pointers.contains(&"#/radii/0/km")
                && pointers.contains(&"#/deciles")
                && pointers.contains(&"#/exclude"),
            "{p}"
        );

        // A dry run says what a selection comes to and saves nothing.
        let body = json!({ "index": "imd2019", "radii": [{ "postcode": "b66 2qt", "km": "0.8" }], "note": "Around the hospital" });
        let res = api
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/place/area-of-benefit?dry_run=true",
                Some(body.clone()),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let preview: Value = res.json().await.unwrap();
        let codes: Vec<String> = preview["area_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        assert!(
            codes.contains(&"E01010063".to_string()),
            "the hospital's own area: {codes:?}"
        );
        assert_eq!(preview["by_radius"].as_u64().unwrap() as usize, codes.len());
        assert!(
            app.store
                .area_of_benefit(app.fx.a, None)
                .await
                .unwrap()
                .is_none()
        );

        // The radius is the hand-computable one: centres within 0.8 km of B66 2QT.
        let facts = app
            .store
            .area_facts("lsoa11", Some("imd2019"))
            .await
            .unwrap();
        let site = app.store.postcode("B662QT").await.unwrap().unwrap();
        let mut by_hand: Vec<String> = facts
            .iter()
            .filter(|f| {
                let (lat, lon) = (f.lat.unwrap(), f.lon.unwrap());
                useit_core::place::geometry::haversine_km(
                    site.lat.unwrap(),
                    site.lon.unwrap(),
                    lat,
                    lon,
                ) <= 0.8
            })
            .map(|f| f.code.clone())
            .collect();
        by_hand.sort();
        assert_eq!(codes, by_hand);

        let res = api
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/place/area-of-benefit",
                Some(body),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let saved: Value = res.json().await.unwrap();
        assert_eq!(saved["version"], 1);
        assert_eq!(saved["selection"]["radii"][0]["label"], "B66 2QT");
        let res = api
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/place/area-of-benefit",
                Some(json!({ "index": "imd2019", "wards": [SANDWELL_WARD], "deciles": [1] })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let versions: Value = api
            .json(
                Method::GET,
                "/api/v1/programmes/alpha/place/area-of-benefit/versions",
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            versions
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["version"].as_i64().unwrap())
                .collect::<Vec<_>>(),
            vec![2, 1]
        );
        let v1: Value = api
            .json(
                Method::GET,
                "/api/v1/programmes/alpha/place/area-of-benefit?version=1",
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v1["note"], "Around the hospital");
        assert_eq!(
            v1["area_codes"].as_array().unwrap().len(),
            codes.len(),
            "old versions are kept as they were"
        );
        let current: Value = api
            .json(
                Method::GET,
                "/api/v1/programmes/alpha/place/area-of-benefit",
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(current["version"], 2);
        let by_decile = current["profile"]["by_decile"].as_array().unwrap();
        assert_eq!(
            by_decile[0]["areas"], current["profile"]["areas"],
            "only decile 1"
        );

        // A viewer may read but not change it.
        let mut viewer = app.client();
        viewer.bearer = Some(app.token(&email(Role::FunderViewer), "alpha").await);
        let res = viewer
            .json(
                Method::GET,
                "/api/v1/programmes/alpha/place/area-of-benefit",
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = viewer
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/place/area-of-benefit",
                Some(json!({ "index": "imd2019", "wards": [SANDWELL_WARD] })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);

both!(
    postcodes_are_looked_up_with_specific_answers,
    async |app: &TestApp| {
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::CommunityResearcher), "alpha").await);
        let one = |pc: &str| format!("/api/v1/programmes/alpha/place/postcodes/{pc}");

        let res = api.json(Method::GET, &one("b66%202qt"), None).await;
        assert_eq!(res.status(), StatusCode::OK);
        let r: Value = res.json().await.unwrap();
        assert_eq!(
            (
                r["status"].as_str(),
                r["postcode"].as_str(),
                r["area_code"].as_str()
            ),
            (Some("ok"), Some("B66 2QT"), Some("E01010063"))
        );
        assert_eq!(
            (r["decile"].as_u64(), r["rank"].as_u64()),
            (Some(1), Some(882))
        );
        assert_eq!(r["local_authority_name"], "Sandwell");
        assert_eq!(r["ward_name"], "Soho and Victoria");
        assert_eq!(
            r["in_area_of_benefit"],
            Value::Null,
            "alpha has no area of benefit yet"
        );

        let res = api.json(Method::GET, &one("B66%20OQT"), None).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["pointer"], "#/postcode");
        assert!(
            p["errors"][0]["detail"]
                .as_str()
                .unwrap()
                .contains("letter O where a zero (0) is expected"),
            "{p}"
        );

        let res = api.json(Method::GET, &one("B66%209ZZ"), None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let r: Value = res.json().await.unwrap();
        assert_eq!(r["status"], "unknown");
        assert!(
            r["message"]
                .as_str()
                .unwrap()
                .contains("not in the loaded postcode data")
        );

        let r: Value = api
            .json(Method::GET, &one("B18%204AA"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(r["status"], "terminated");
        assert!(
            r["message"]
                .as_str()
                .unwrap()
                .contains("B18 4AA has not been in use since 12/1991"),
            "{r}"
        );
        assert_eq!(r["area_code"], "E01009345", "where it was");

        // Bulk: answers in the order asked, each with its own status.
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/place/postcodes",
                Some(json!({ "postcodes": ["B18 4AA", "nonsense", "b187qh", "B66 9ZZ"] })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let all: Value = res.json().await.unwrap();
        let statuses: Vec<&str> = all
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["terminated", "invalid", "ok", "unknown"]);
        assert_eq!(all[2]["area_code"], "E01009345");
        let too_many: Vec<String> = (0..10_001).map(|_| "B18 7QH".to_string()).collect();
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/place/postcodes",
                Some(json!({ "postcodes": too_many })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // The page: an answer, and an error with the input kept.
        let mut c = app.signed_in(&email(Role::CommunityMember)).await;
        let (status, html) = c.get_text("/p/alpha/place/postcode?postcode=b66+2qt").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Sandwell 026D") && html.contains("Decile 1 (most deprived 10%)"));
        let (status, html) = c.get_text("/p/alpha/place/postcode?postcode=B18+4AA").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("govuk-warning-text")
                && html.contains("has not been in use since 12/1991")
        );
        let (status, html) = c
            .get_text("/p/alpha/place/postcode?postcode=B6%21+2QT")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("govuk-error-summary")
                && html.contains("cannot contain &#39;!&#39;")
                && html.contains("value=\"B6! 2QT\""),
            "{html}"
        );
    }
);

both!(
    areas_are_listed_filtered_downloaded_and_shown,
    async |app: &TestApp| {
        let mut c = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let (status, html) = c
            .get_text("/p/alpha/place/areas?local_authority=E08000028&decile=1&sort=rank")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("E01010063") && html.contains("Sandwell 026D"));
        assert!(
            !html.contains("Birmingham 053D"),
            "Birmingham areas are filtered out"
        );
        let (_, html) = c.get_text("/p/alpha/place/areas?q=053D").await;
        assert!(
            html.contains("E01009345") && !html.contains("E01010063"),
            "search by name"
        );

        let res = c
            .get("/p/alpha/place/areas.csv?local_authority=E08000028")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("areas-alpha-")
        );
        let csv = res.text().await.unwrap();
        let mut rdr = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(rdr.headers().unwrap().get(0), Some("code"));
        let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 8, "the sample's eight Sandwell areas");
        let hospital = rows.iter().find(|r| &r[0] == "E01010063").unwrap();
        assert_eq!(
            (&hospital[3], &hospital[6], &hospital[7]),
            ("Sandwell", "882", "1")
        );

        // The CSV's codes are what an area of benefit's list takes.
        let codes: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::Administrator), "alpha").await);
        let res = api
            .json(
                Method::PUT,
                "/api/v1/programmes/alpha/place/area-of-benefit",
                Some(json!({ "index": "imd2019", "areas": codes })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let (_, html) = c.get_text("/p/alpha/place/areas?in_aob=yes").await;
        assert!(html.contains("8 areas"), "{html}");

        let (status, html) = c.get_text("/p/alpha/place/areas/E01010063").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Rank 882 of 32,844")
                && html.contains("Income deprivation affecting children")
        );
        assert!(
            html.contains("app-map__area--highlight"),
            "the area is outlined on its map"
        );
        let (status, _) = c.get_text("/p/alpha/place/areas/E01999999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let d: Value = api
            .json(
                Method::GET,
                "/api/v1/programmes/alpha/place/areas/E01010063",
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (
                d["area"]["decile"].as_u64(),
                d["areas_ranked"].as_u64(),
                d["in_area_of_benefit"].as_bool()
            ),
            (Some(1), Some(32_844), Some(true))
        );
        let list: Value = api
            .json(
                Method::GET,
                "/api/v1/programmes/alpha/place/areas?decile=1-2&per_page=5&sort=rank",
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list["items"].as_array().unwrap().len(), 5);
        let ranks: Vec<i64> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["rank"].as_i64().unwrap())
            .collect();
        assert!(
            ranks.windows(2).all(|w| w[0] <= w[1]),
            "sorted by rank: {ranks:?}"
        );
        let g: Value = api
            .json(Method::GET, "/api/v1/place/geographies", None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(g["indices"][0]["areas_ranked"], 32_844);
    }
);
