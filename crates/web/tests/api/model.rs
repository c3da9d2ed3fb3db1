//! The transfer kit over HTTP: a programme's model downloaded from the
//! settings page and the API (only by those who may), and a programme
//! started from a model by a deployment administrator, on the page and
//! through the API, with every bad field named.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

both!(
    a_model_is_downloaded_and_a_programme_started_from_it,
    async |app: &TestApp| {
        let mut manager = app.signed_in(&email(Role::ProgrammeManager)).await;
        let res = manager.get("/api/v1/programmes/alpha/model").await;
        assert_eq!(res.status(), StatusCode::OK);
        let disposition = res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.starts_with("attachment; filename=\"model-alpha-"),
            "{disposition}"
        );
        let model: Value = res.json().await.unwrap();
        assert_eq!(model["format"], "useit-programme-model");
        assert_eq!(model["modelled_on"], "Alpha");
        let (status, page_file) = manager.get_text("/p/alpha/model.json").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page_file.contains("\"useit-programme-model\""));
        let (_, settings) = manager.get_text("/p/alpha/settings").await;
        assert!(
            settings.contains("/p/alpha/model.json"),
            "the settings page links the model"
        );
        let mut funder = app.signed_in(&email(Role::FunderViewer)).await;
        let (_, settings) = funder.get_text("/p/alpha/settings").await;
        assert!(!settings.contains("/p/alpha/model.json"));

        // Through the API: a bad model names each field as a pointer.
        let mut admin = app.signed_in(ADMIN_EMAIL).await;
        let mut bad = model.clone();
        bad["disclosure"]["k"] = json!("1");
        bad["spend"]["site_radius_km"] = json!("far");
        let res = admin
            .json(
                Method::POST,
                "/api/v1/admin/programmes/from-model",
                Some(
                    json!({ "programme": { "slug": "", "name": "Gamma" }, "model": bad, "locale": { "currency": "francs" } }),
                ),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = res.json().await.unwrap();
        let pointers: Vec<String> = problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{problem}"))
            .iter()
            .map(|f| f["pointer"].as_str().unwrap().to_string())
            .collect();
        for p in [
            "#/programme/slug",
            "#/model/disclosure/k",
            "#/model/spend/site_radius_km",
            "#/locale/currency",
        ] {
            assert!(pointers.iter().any(|x| x == p), "{p} not in {pointers:?}");
        }
        let res = admin
            .json(
                Method::POST,
                "/api/v1/admin/programmes/from-model",
                Some(json!({ "programme": { "slug": "gamma", "name": "Gamma" }, "model": model })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let started: Value = res.json().await.unwrap();
        assert_eq!(
            (started["slug"].as_str(), started["modelled_on"].as_str()),
            (Some("gamma"), Some("Alpha"))
        );

        // On the page: the file is uploaded with the programme's fields.
        let (status, form) = admin.get_text("/admin/programmes/from-model").await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("enctype=\"multipart/form-data\""));
        let res = admin
            .post_upload(
                "/admin/programmes/from-model",
                "model.json",
                serde_json::to_vec(&bad).unwrap(),
                &[("slug", "delta"), ("name", "Delta")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("In the model, disclosure/k"), "{body}");
        let res = admin
            .post_upload(
                "/admin/programmes/from-model",
                "model.json",
                serde_json::to_vec(&model).unwrap(),
                &[
                    ("slug", "delta"),
                    ("name", "Delta"),
                    ("currency", "EUR"),
                    ("language", "fr"),
                    ("administrator_email", ADMIN_EMAIL),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/p/delta");
        // Delta chose euros and French over the model's pounds and English.
        let (_, home) = admin.get_text("/p/delta").await;
        assert!(home.contains("<html lang=\"fr\""), "{home}");
    }
);

both!(
    a_programme_takes_its_own_currency_and_language,
    async |app: &TestApp| {
        let mut admin = app.signed_in(ADMIN_EMAIL).await;
        let path = "/api/v1/admin/programmes/alpha/locale";
        let res = admin
            .json(
                Method::PUT,
                path,
                Some(json!({ "currency": "francs", "language": "klingon" })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = res.json().await.unwrap();
        let pointers: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{problem}"))
            .iter()
            .map(|f| f["pointer"].as_str().unwrap())
            .collect();
        assert_eq!(pointers, ["#/currency", "#/language"]);
        let res = admin
            .json(
                Method::PUT,
                path,
                Some(json!({ "currency": "EUR", "language": "fr" })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let p: Value = res.json().await.unwrap();
        assert_eq!(
            (p["currency"].as_str(), p["language"].as_str()),
            (Some("EUR"), Some("fr"))
        );

        // Its money is written in euros, the French way.
        let (_, list) = admin.get_text("/admin").await;
        assert!(list.contains("1\u{202f}234,56\u{a0}€"), "{list}");

        // On the page, back to pounds; a bad choice is named beside its field.
        let (status, form) = admin.get_text("/admin/programmes/alpha/locale").await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("<option value=\"EUR\" selected>"), "{form}");
        let res = admin
            .post_form(
                "/admin/programmes/alpha/locale",
                &[("currency", "USD"), ("language", "en")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = admin
            .post_form(
                "/admin/programmes/alpha/locale",
                &[("currency", "GBP"), ("language", "en")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, list) = admin.get_text("/admin").await;
        assert!(list.contains("£1,234.56"), "{list}");
    }
);

both!(
    a_programme_s_pages_are_in_its_language,
    async |app: &TestApp| {
        let mut admin = app.signed_in(ADMIN_EMAIL).await;
        admin.speak_french_in_alpha().await;

        // Alpha is now French: its pages, their headings, menus and counts.
        let mut alpha = app.signed_in(&email(Role::Administrator)).await;
        let (status, home) = alpha.get_text("/p/alpha").await;
        assert_eq!(status, StatusCode::OK);
        assert!(home.contains("<html lang=\"fr\""), "{home}");
        assert!(home.contains("Le partenariat"), "{home}");
        assert!(home.contains(">Accueil<"), "{home}");
        assert!(!home.contains("The partnership"), "{home}");
        let (_, partners) = alpha.get_text("/p/alpha/partners").await;
        assert!(partners.contains("Ajouter un partenaire"), "{partners}");
        // A missing page inside the programme says so in French.
        let (status, missing) = alpha
            .get_text("/p/alpha/partners/00000000-0000-0000-0000-000000000000")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(missing.contains("Page introuvable"), "{missing}");

        // A page outside any programme stays English, and so does beta.
        let (_, account) = alpha.get_text("/account").await;
        assert!(account.contains("<html lang=\"en\""), "{account}");
        let mut beta = app.signed_in(B_ADMIN_EMAIL).await;
        let (status, home) = beta.get_text("/p/beta").await;
        assert_eq!(status, StatusCode::OK);
        assert!(home.contains("<html lang=\"en\""), "{home}");
        assert!(home.contains("The partnership"), "{home}");
        assert!(!home.contains("Le partenariat"), "{home}");

        // The API keeps English words for its clients.
        let res = alpha
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/partners",
                Some(json!({ "name": "" })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = res.json().await.unwrap();
        assert_eq!(
            problem["title"], "There is a problem with what you sent",
            "{problem}"
        );
    }
);
