//! Every count on the programme's home page links to a list of exactly what
//! it counts (issue 20 item 1): the enterprise, research and community
//! figures, each to its list filtered by `?counted=…&from=…&to=…` over the
//! figure's target period, whose rows are the figure (on the page and in the
//! API); the funder report's figures link to the same lists; a role that
//! cannot open a list gets no link to it.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use useit_app::Caller;
use useit_core::auth::Role;
use useit_core::i18n::tn;

use crate::both;
use crate::helpers::*;

const PERIOD: &str = "from=2025-04-01&to=2026-03-31";

/// A figure's short name, its hand count, its list page and API, and the
/// page's words for that many rows (none: the list has no count line).
type Figure = (
    &'static str,
    u64,
    &'static str,
    &'static str,
    Option<fn(u64) -> String>,
);

/// The programme's records, made through the use cases: counted by hand
/// over April 2025 to March 2026 in [`every_count_links_to_exactly_what_it_counts`].
async fn records(app: &TestApp) {
    use useit_app::community::{add_community, save_plan};
    use useit_app::enterprise::profiles::add_enterprise;
    use useit_app::enterprise::records::{add_support, save_income};
    use useit_app::programme::indicators::save_targets;
    use useit_app::research::assignments::assign;
    use useit_app::research::projects::save_project;
    use useit_app::research::researchers::{create_researcher, erase_researcher};
    use useit_app::research::work::{decide_time, submit_time};
    use useit_core::community::plan::PlanInput;
    use useit_core::community::record::CommunityInput;
    use useit_core::enterprise::income::IncomeInput;
    use useit_core::enterprise::profile::NewEnterpriseInput;
    use useit_core::enterprise::support::SupportInput;
    use useit_core::place::input::SelectionInput;
    use useit_core::programme::targets::{TargetInput, TargetsInput};
    use useit_core::research::assignment::AssignmentInput;
    use useit_core::research::project::ProjectInput;
    use useit_core::research::researcher::ResearcherInput;
    use useit_core::research::work::TimeInput;

    let s = app.store.as_ref();
    let c = Caller::system(app.fx.a, "test");

    // Enterprises: Cook and Blue supported in the period, Green before it;
    // in 2025–26 Cook earned most of its income, Blue lived on grants.
    let mut ids = Vec::new();
    for name in ["Cook CIC", "Blue CIC", "Green CIC"] {
        let e = add_enterprise(
            s,
            &c,
            &NewEnterpriseInput {
                name: name.into(),
                postcode: String::new(),
            },
        )
        .await
        .unwrap();
        ids.push(e.id);
    }
    for (id, day) in [
        (ids[0], "2025-06-01"),
        (ids[1], "2025-05-01"),
        (ids[2], "2024-05-01"),
    ] {
        add_support(
            s,
            &c,
            id,
            &SupportInput {
                given_on: day.into(),
                kind: "bid_writing".into(),
                hours: "2".into(),
                outcome: "Bid drafted".into(),
                plan_stage: "drafting".into(),
            },
        )
        .await
        .unwrap();
    }
    for (id, grants, trading) in [(ids[0], "10000", "90000"), (ids[1], "90000", "10000")] {
        save_income(
            s,
            &c,
            id,
            &IncomeInput {
                year: "2025".into(),
                grants: grants.into(),
                trading: trading.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }

    // Researchers: Amina accredited in May 2025 and paid for hours in June;
    // Bilal accredited in 2024; Chloe accredited in July 2025, then erased
    // (still counted, as the figure counts her).
    let researcher = |name: &str, accredited_on: &str| ResearcherInput {
        full_name: name.into(),
        channel: "event".into(),
        recruited_on: "2024-01-10".into(),
        lawful_basis: "consent".into(),
        consent_given_on: "2024-01-10".into(),
        qualification: "Community research".into(),
        level: "2".into(),
        awarding_body: "Open College Network".into(),
        accredited_on: accredited_on.into(),
        ..Default::default()
    };
    let amina = create_researcher(s, &c, &researcher("Amina Khan", "2025-05-01"))
        .await
        .unwrap();
    create_researcher(s, &c, &researcher("Bilal Ahmed", "2024-03-01"))
        .await
        .unwrap();
    let chloe = create_researcher(s, &c, &researcher("Chloe Okafor", "2025-07-01"))
        .await
        .unwrap();
    erase_researcher(s, &c, chloe.id).await.unwrap();
    let project = save_project(
        s,
        &c,
        None,
        &ProjectInput {
            title: "Where staff spend".into(),
            commissioner_kind: "anchor".into(),
            commissioner: "The hospital trust".into(),
            question: "Where do hospital staff spend their income?".into(),
            status: "fieldwork".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Hours are taken only on days the researcher is assigned to the project.
    assign(
        s,
        &c,
        project.id,
        &AssignmentInput {
            researcher: amina.id.to_string(),
            starts_on: "2025-06-01".into(),
            ends_on: String::new(),
        },
    )
    .await
    .unwrap();
    let entry = submit_time(
        s,
        &c,
        &TimeInput {
            researcher: amina.id.to_string(),
            project: project.id.to_string(),
            worked_on: "2025-06-10".into(),
            hours: "3".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    decide_time(s, &c, entry.id, "approve").await.unwrap();

    // Communities: Soho's plan adopted in September 2025, Jewellery
    // Quarter's still being written.
    for (name, ward, adopted) in [
        ("Soho", useit_testkit::place::WARDS[0], Some("2025-09-01")),
        ("Jewellery Quarter", useit_testkit::place::WARDS[1], None),
    ] {
        let community = add_community(
            s,
            &c,
            &CommunityInput {
                name: name.into(),
                description: String::new(),
                area: SelectionInput {
                    index: "imd2019".into(),
                    wards: vec![ward.into()],
                    note: "First version".into(),
                    ..Default::default()
                },
            },
        )
        .await
        .unwrap();
        save_plan(
            s,
            &c,
            community.id,
            &PlanInput {
                aspirations: "A community hub".into(),
                priorities: "A cleaning co-operative".into(),
                status: if adopted.is_some() {
                    "adopted".into()
                } else {
                    "drafting".into()
                },
                adopted_on: adopted.unwrap_or_default().into(),
            },
        )
        .await
        .unwrap();
    }

    let target = |i: &str| TargetInput {
        indicator: i.into(),
        value: "60".into(),
        from: "2025-04-01".into(),
        to: "2026-03-31".into(),
    };
    save_targets(
        s,
        &c,
        &TargetsInput {
            targets: [
                "enterprises_supported",
                "enterprises_trading_led",
                "researchers_accredited",
                "researchers_paid",
                "communities_with_adopted_plan",
            ]
            .into_iter()
            .map(target)
            .collect(),
        },
    )
    .await
    .unwrap();
}

fn unescaped(html: &str) -> String {
    html.replace("&#38;", "&").replace("&amp;", "&")
}

both!(
    every_count_links_to_exactly_what_it_counts,
    async |app: &TestApp| {
        records(app).await;
        let mut page = app.signed_in(&email(Role::ProgrammeManager)).await;
        let (status, home) = page.get_text("/p/alpha").await;
        assert_eq!(status, StatusCode::OK);
        let home = unescaped(&home);
        let token = app.token(&email(Role::ProgrammeManager), "alpha").await;
        let mut api = app.client();
        api.bearer = Some(token);
        // (figure, hand count, list page, its API, the page's words for n rows)
        let enterprises = |n: u64| tn("enterprise.directory.count", n);
        let researchers = |n: u64| tn("research.researchers.caption", n);
        let figures: [Figure; 5] = [
            (
                "enterprises_supported",
                2,
                "/p/alpha/enterprise",
                "/api/v1/programmes/alpha/enterprise/enterprises",
                Some(enterprises),
            ),
            (
                "enterprises_trading_led",
                1,
                "/p/alpha/enterprise",
                "/api/v1/programmes/alpha/enterprise/enterprises",
                Some(enterprises),
            ),
            (
                "researchers_accredited",
                2,
                "/p/alpha/research/researchers",
                "/api/v1/programmes/alpha/research/researchers",
                Some(researchers),
            ),
            (
                "researchers_paid",
                1,
                "/p/alpha/research/researchers",
                "/api/v1/programmes/alpha/research/researchers",
                Some(researchers),
            ),
            (
                "communities_with_adopted_plan",
                1,
                "/p/alpha/communities",
                "/api/v1/programmes/alpha/communities",
                None,
            ),
        ];
        let res = api
            .json(Method::GET, "/api/v1/programmes/alpha/indicators", None)
            .await;
        let ind: Value = res.json().await.unwrap();
        for (slug, expected, list, list_api, words) in figures {
            let href = format!("{list}?counted={slug}&{PERIOD}");
            // The API's figure and link, and the home page's linked figure.
            let f = ind["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["indicator"] == slug)
                .unwrap();
            assert_eq!(f["text"], expected.to_string(), "{slug}: {f}");
            assert_eq!(f["href"], href, "{slug}");
            assert!(
                home.contains(&format!("href=\"{href}\">{expected}</a>")),
                "{slug}: no link to {href} on the home page"
            );
            // The list it links to holds exactly that many rows ...
            let (status, html) = page.get_text(&href).await;
            assert_eq!(status, StatusCode::OK, "{href}");
            assert!(html.contains(r#"id="counted""#), "{slug}: no note");
            if let Some(words) = words {
                assert!(html.contains(&words(expected)), "{slug}: {expected} rows");
            }
            // ... and so does the API for the same filter.
            let res = api
                .json(
                    Method::GET,
                    &format!("{list_api}?counted={slug}&{PERIOD}"),
                    None,
                )
                .await;
            assert_eq!(res.status(), StatusCode::OK, "{slug}");
            let rows: Value = res.json().await.unwrap();
            let items = rows["items"].as_array().or(rows.as_array()).unwrap();
            assert_eq!(items.len() as u64, expected, "{slug}: {rows}");
        }
        // The organisations a figure counts are said as organisations, not
        // enterprises (the directory lists every kind for them).
        for slug in ["organisations_worked_with", "local_partners"] {
            let (status, html) = page
                .get_text(&format!("/p/alpha/enterprise?counted={slug}&{PERIOD}"))
                .await;
            assert_eq!(status, StatusCode::OK, "{slug}");
            if html.contains(useit_core::i18n::t(
                "enterprise.directory.none_organisations",
            )) {
                assert!(!html.contains(useit_core::i18n::t("enterprise.directory.none")));
                continue;
            }
            let caption = html
                .split("govuk-table__caption--m\">")
                .nth(1)
                .and_then(|c| c.split("</caption>").next())
                .unwrap_or_default()
                .trim();
            let n: u64 = caption
                .split_whitespace()
                .next()
                .and_then(|n| n.replace(',', "").parse().ok())
                .unwrap_or(u64::MAX);
            assert_eq!(
                caption,
                tn("enterprise.directory.count_organisations", n),
                "{slug}: the caption should count organisations"
            );
        }
        // Which rows: the erased researcher listed without a name, Bilal
        // (accredited before the period) not at all; Green not supported in it.
        let (_, html) = page
            .get_text(&format!(
                "/p/alpha/research/researchers?counted=researchers_accredited&{PERIOD}"
            ))
            .await;
        assert!(html.contains("Amina Khan") && !html.contains("Bilal Ahmed"));
        assert!(html.contains(useit_core::i18n::t("research.researcher.erased_row")));
        let (_, html) = page
            .get_text(&format!(
                "/p/alpha/enterprise?counted=enterprises_supported&{PERIOD}"
            ))
            .await;
        assert!(html.contains("Cook CIC") && html.contains("Blue CIC"));
        assert!(!html.contains("Green CIC"));
        let (_, html) = page
            .get_text(&format!(
                "/p/alpha/communities?counted=communities_with_adopted_plan&{PERIOD}"
            ))
            .await;
        // (Both are ward names too, in the form that adds a community.)
        assert!(html.contains(">Soho</a>") && !html.contains(">Jewellery Quarter</a>"));

        // The funder report over the same period links its figures to the
        // same lists.
        let (status, report) = page.get_text(&format!("/p/alpha/report?{PERIOD}")).await;
        assert_eq!(status, StatusCode::OK);
        let report = unescaped(&report);
        for (slug, n, list) in [
            ("enterprises_supported", 2, "/p/alpha/enterprise"),
            ("researchers_paid", 1, "/p/alpha/research/researchers"),
            ("communities_with_adopted_plan", 1, "/p/alpha/communities"),
        ] {
            assert!(
                report.contains(&format!("href=\"{list}?counted={slug}&{PERIOD}\">{n}</a>")),
                "{slug}: the report's figure is not linked"
            );
        }

        // A funder may not open the researchers' list: neither the home page
        // nor the report links to it (the figures stay, suppressed).
        let mut funder = app.signed_in(&email(Role::FunderViewer)).await;
        let (_, home) = funder.get_text("/p/alpha").await;
        let (_, report) = funder.get_text(&format!("/p/alpha/report?{PERIOD}")).await;
        for html in [home, report] {
            assert!(
                !html.contains("/research/researchers"),
                "a link the funder cannot open"
            );
            assert!(unescaped(&html).contains("/p/alpha/enterprise?counted=enterprises_supported"));
        }
        let (status, _) = funder
            .get_text(&format!(
                "/p/alpha/research/researchers?counted=researchers_accredited&{PERIOD}"
            ))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);
