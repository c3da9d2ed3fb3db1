//! Tenant isolation: an administrator of programme `alpha` (every capability
//! there) tries every programme route against programme `beta`, both by
//! naming `beta` and by putting `beta`'s ids into `alpha`'s routes, through
//! the pages and with an API token. None of it may read or change a row of
//! `beta`.

use reqwest::{Method, StatusCode};
use useit_core::auth::Role;
use useit_core::clock;
use useit_core::listing::PageRequest;
use useit_core::programme::PartnerQuery;
use useit_web::routes::{Surface, describe};

use crate::both;
use crate::helpers::*;

fn form(fx: &Fixture) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Hijacked".into()),
        ("kind", "vcse".into()),
        ("joined_on_day", "1".into()),
        ("joined_on_month", "1".into()),
        ("joined_on_year", "2020".into()),
        ("contact_name", "Hijacker".into()),
        ("role", "funder_viewer".into()),
        ("keep", fx.b_partner.to_string()),
        ("other", fx.b_partner.to_string()),
        ("email", "nobody-here@example.org".into()),
        ("index", "imd2019".into()),
        ("wards", "E05001278".into()),
        ("action", "save".into()),
        ("full_name", "Hijacked Researcher".into()),
        ("channel", "event".into()),
        ("recruited_on", "2024-01-01".into()),
        ("lawful_basis", "public_task".into()),
        ("title", "Hijacked project".into()),
        ("commissioner_kind", "social_lab".into()),
        ("question", "Hijacked?".into()),
        ("scheme", "london".into()),
        ("pay_from", "announcement".into()),
        ("held_on", "2019-03-26".into()),
        ("place", "Glasgow".into()),
        ("case_study", "Hijacked".into()),
        ("host_1", "H".into()),
        ("host_2", "H".into()),
        ("host_3", "H".into()),
        ("city", "Hijack City".into()),
        ("talent_engaged_value", "99".into()),
        ("k", "3".into()),
        ("suppliers", "beta secret supplier".into()),
        ("decision", "no_match".into()),
        ("organisation", fx.b_enterprise.to_string()),
        ("received_on", "2024-01-01".into()),
        ("amount", "99".into()),
        ("label", "Hijacked question".into()),
        ("kind", "text".into()),
        // The bulk changes (issue 15): beta's person and placement named
        // in alpha's lists, confirmed.
        ("people", fx.b_person.to_string()),
        ("placements", fx.b_placement.to_string()),
        ("confirmed", "yes".into()),
        ("note", "Hijacked note".into()),
        ("status", "withdrawn".into()),
        ("themes", "Hijacked theme".into()),
        ("starts_on", "2024-01-01".into()),
        ("ends_on", "2024-12-31".into()),
    ]
}

fn json(fx: &Fixture) -> serde_json::Value {
    let mut v = serde_json::json!({
        "name": "Hijacked", "kind": "vcse", "joined_on": "2020-01-01", "role": "funder_viewer",
        "other": fx.b_partner.to_string(), "email": "nobody-here@example.org",
        "contact": { "name": "Hijacker" },
        "index": "imd2019", "wards": ["E05001278"], "postcodes": ["B66 2QT"],
        "full_name": "Hijacked Researcher", "channel": "event", "recruited_on": "2024-01-01",
        "lawful_basis": "public_task", "title": "Hijacked project", "commissioner_kind": "social_lab",
        "question": "Hijacked?", "scheme": "london", "pay_from": "announcement",
        "held_on": "2019-03-26", "place": "Glasgow", "case_study": "Hijacked",
        "hosts": ["H", "H", "H"], "city": "Hijack City",
        "targets": [{ "indicator": "talent_engaged", "value": "99" }],
        "k": "3",
        "suppliers": ["beta secret supplier"], "decision": "no_match",
        "organisation": fx.b_enterprise.to_string(), "received_on": "2024-01-01", "amount": "99",
        "keep": fx.b_enterprise.to_string(), "first": fx.b_enterprise.to_string(),
        "second": fx.b_partner.to_string(),
        "questions": [{ "name": "hijacked", "label": "Hijacked?", "kind": "text" }],
        "people": [fx.b_person.to_string()], "placements": [fx.b_placement.to_string()],
        "record": { "note": "Hijacked note" }, "status": "withdrawn", "action": "note"
    });
    v["themes"] = serde_json::json!(["Hijacked theme"]);
    v["starts_on"] = serde_json::json!("2024-01-01");
    v["ends_on"] = serde_json::json!("2024-12-31");
    v
}

/// Every way of aiming a programme route at `beta`'s data.
/// Beta's workshop, with a note, an action and an open guest link.
struct BetaWorkshop {
    workshop: uuid::Uuid,
    action: uuid::Uuid,
    link: uuid::Uuid,
    /// Beta's story about its person (issue 20).
    story: uuid::Uuid,
    /// Beta's administrator's shared saved filter of the people list.
    filter: uuid::Uuid,
    /// Beta's community, with a plan and an action (issue 19).
    community: uuid::Uuid,
    community_action: uuid::Uuid,
    /// Beta's asset in its community (issue 19 item 5).
    asset: uuid::Uuid,
}

const B_FILTER: &str = "Beta secret filter";
const B_COMMUNITY: &str = "Beta secret community";
const B_ASSET: &str = "Beta secret asset";

const B_STORY: &str = "Beta secret story";

const B_WORKSHOP: &str = "Beta secret workshop";
const B_NOTE: &str = "Beta secret note";

async fn beta_workshop(app: &TestApp) -> BetaWorkshop {
    use useit_core::workshops::guest::GuestLinkInput;
    use useit_core::workshops::note::{ActionInput, NoteInput};
    use useit_core::workshops::workshop::WorkshopInput;
    let s = app.store.as_ref();
    let c = useit_app::Caller::system(app.fx.b, "test");
    let w = useit_app::workshops::save_workshop(
        s,
        &c,
        None,
        &WorkshopInput {
            title: B_WORKSHOP.into(),
            held_on: "2020-01-01".into(),
            place: "Beta".into(),
            case_study: "Beta".into(),
            hosts: vec!["X".into(), "Y".into(), "Z".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let note = NoteInput {
        table: "1".into(),
        round: "1".into(),
        text: B_NOTE.into(),
        ..Default::default()
    };
    useit_app::workshops::add_note(s, &c, w.id, &note)
        .await
        .unwrap();
    let action = ActionInput {
        action: "Beta action".into(),
        owner: "Beta".into(),
        city: "Beta".into(),
    };
    let a = useit_app::workshops::add_action(s, &c, w.id, &action)
        .await
        .unwrap();
    let l =
        useit_app::workshops::open_guest_link(s, &c, w.id, &GuestLinkInput { hours: "2".into() })
            .await
            .unwrap();
    useit_app::workshops::lineage::add_replication(
        s,
        &c,
        &useit_core::workshops::lineage::ReplicationInput {
            name: "Beta original".into(),
            city: "Beta".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let story = useit_app::programme::stories::save_story(
        s,
        &c,
        None,
        &useit_core::programme::stories::StoryInput {
            title: B_STORY.into(),
            shown_as: "Beta".into(),
            body: "Beta".into(),
            told_on: "2024-01-01".into(),
            subject_kind: "person".into(),
            subject_id: app.fx.b_person.to_string(),
            consent_given_on: "2024-01-01".into(),
            consent_method: "spoken".into(),
            consent_note: String::new(),
        },
    )
    .await
    .unwrap();
    let draft = useit_core::programme::saved_filter::SavedFilterInput {
        list: "people".into(),
        name: B_FILTER.into(),
        query: "stage=engaged".into(),
        shared: true,
    }
    .validate()
    .unwrap();
    let filter = s
        .save_filter(app.fx.b, app.fx.b_admin, &draft, &c.actor)
        .await
        .unwrap();
    let community = useit_app::community::add_community(
        s,
        &c,
        &useit_core::community::record::CommunityInput {
            name: B_COMMUNITY.into(),
            description: "Beta".into(),
            area: useit_core::place::input::SelectionInput {
                index: "imd2019".into(),
                wards: vec!["E05001278".into()],
                ..Default::default()
            },
        },
    )
    .await
    .unwrap();
    useit_app::community::save_plan(
        s,
        &c,
        community.id,
        &useit_core::community::plan::PlanInput {
            aspirations: "Beta secret aspiration".into(),
            status: "drafting".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let community_action = useit_app::community::save_action(
        s,
        &c,
        community.id,
        None,
        &useit_core::community::plan::ActionInput {
            title: "Beta secret plan action".into(),
            owner: "Beta".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let asset = useit_app::community::assets::save_asset(
        s,
        &c,
        None,
        &useit_core::community::asset::AssetInput {
            kind: "service".into(),
            name: B_ASSET.into(),
            community: community.id.to_string(),
            postcode: "B66 2QT".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    BetaWorkshop {
        asset: asset.id,
        workshop: w.id,
        action: a.id,
        link: l.link.id,
        story: story.id,
        filter: filter.id,
        community: community.id,
        community_action: community_action.id,
    }
}

async fn check_beta_workshop_untouched(app: &TestApp, bw: &BetaWorkshop) {
    let filters = app
        .store
        .saved_filters(
            app.fx.b,
            app.fx.b_admin,
            useit_core::programme::saved_filter::SavedList::People,
        )
        .await
        .unwrap();
    assert_eq!(
        filters
            .iter()
            .map(|f| (f.id, f.query.as_str()))
            .collect::<Vec<_>>(),
        [(bw.filter, "stage=engaged")],
        "beta's saved filter unchanged"
    );
    let told = app
        .store
        .story(
            app.fx.b,
            bw.story,
            &useit_core::audit::Actor::system("check"),
        )
        .await
        .expect("beta's story still stands");
    assert_eq!(told.draft.title, B_STORY, "beta's story unchanged");
    let s = &app.store;
    let w = s
        .workshop(app.fx.b, bw.workshop)
        .await
        .unwrap()
        .expect("beta's workshop");
    assert_eq!(w.draft.title, B_WORKSHOP, "beta's workshop unchanged");
    let notes = s.workshop_notes(app.fx.b, bw.workshop).await.unwrap();
    assert_eq!(notes.len(), 1, "no note added to beta's workshop");
    assert_eq!(
        notes[0].group,
        Some(useit_core::workshops::note::Group::SuccessFactor)
    );
    assert_eq!(
        s.workshop_actions(app.fx.b, bw.workshop)
            .await
            .unwrap()
            .len(),
        1
    );
    let links = s.guest_links(app.fx.b, bw.workshop).await.unwrap();
    assert!(
        links.len() == 1 && links[0].revoked_at.is_none(),
        "no link opened or revoked on beta's workshop"
    );
    assert_eq!(s.replications(app.fx.b).await.unwrap().len(), 1);
    let community = s
        .community(app.fx.b, bw.community)
        .await
        .unwrap()
        .expect("beta's community");
    assert_eq!(
        (community.name.as_str(), community.area.map(|a| a.version)),
        (B_COMMUNITY, Some(1)),
        "beta's community unchanged"
    );
    let plan = s
        .community_plan(app.fx.b, bw.community)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        plan.aspirations,
        ["Beta secret aspiration"],
        "beta's plan unchanged"
    );
    let assets = s.community_assets(app.fx.b).await.unwrap();
    assert_eq!(
        assets
            .iter()
            .map(|a| (a.id, a.draft.name.as_str()))
            .collect::<Vec<_>>(),
        [(bw.asset, B_ASSET)],
        "beta's assets unchanged"
    );
    let actions = s.community_actions(app.fx.b, bw.community).await.unwrap();
    assert_eq!(
        actions
            .iter()
            .map(|a| (a.draft.title.as_str(), a.draft.status))
            .collect::<Vec<_>>(),
        [(
            "Beta secret plan action",
            useit_core::community::plan::ActionStatus::NotStarted
        )],
        "beta's plan actions unchanged"
    );
    assert!(
        s.community_members(
            app.fx.b,
            bw.community,
            &useit_core::audit::Actor::system("check")
        )
        .await
        .unwrap()
        .is_empty(),
        "nobody made a member of beta's community"
    );
}

fn attacks(path: &str, fx: &Fixture, bw: &BetaWorkshop) -> Vec<String> {
    let with_b_ids = |p: &str| {
        p.replace("{partner_id}", &fx.b_partner.to_string())
            .replace("{user_id}", &fx.b_admin.to_string())
            .replace("{token_id}", &fx.b_token.to_string())
            .replace("{area_code}", "E01010063")
            .replace("{postcode}", "B662QT")
            .replace("{anchor}", "trust")
            .replace("{supplier}", B_SUPPLIER_KEY)
            .replace("{job}", "0193a0b0-0000-7000-8000-000000000000")
            .replace("{person_id}", &fx.b_person.to_string())
            .replace("{placement_id}", &fx.b_placement.to_string())
            .replace("{organisation_id}", &fx.b_enterprise.to_string())
            .replace("{lot_id}", &fx.b_lot.to_string())
            .replace("{consortium_id}", &fx.b_consortium.to_string())
            .replace("{researcher_id}", "0193a0b0-0000-7000-8000-000000000002")
            .replace("{project_id}", "0193a0b0-0000-7000-8000-000000000003")
            .replace("{finding_id}", "0193a0b0-0000-7000-8000-00000000000a")
            .replace("{entry_id}", "0193a0b0-0000-7000-8000-000000000004")
            .replace("{assignment_id}", "0193a0b0-0000-7000-8000-000000000006")
            .replace("{workshop_id}", &bw.workshop.to_string())
            .replace("{link_id}", &bw.link.to_string())
            .replace(
                "{action_id}",
                &if p.contains("/communities/") {
                    bw.community_action
                } else {
                    bw.action
                }
                .to_string(),
            )
            .replace("{community_id}", &bw.community.to_string())
            .replace("{asset_id}", &bw.asset.to_string())
            .replace("{file}", "0193a0b0-0000-7000-8000-000000000005")
            .replace("{interaction_id}", &fx.b_interaction.to_string())
            .replace("{story_id}", &bw.story.to_string())
            .replace("{filter_id}", &bw.filter.to_string())
    };
    let mut v = vec![with_b_ids(&path.replace("{programme}", "beta"))];
    // Bulk routes name beta's ids in their bodies.
    if path.contains("_id}") || path.ends_with("/bulk") {
        v.push(with_b_ids(&path.replace("{programme}", "alpha")));
    }
    v
}

async fn check_beta_untouched(app: &TestApp) {
    let s = &app.store;
    let p = s
        .partner(app.fx.b, app.fx.b_partner)
        .await
        .unwrap()
        .expect("beta's partner still there");
    assert_eq!(p.name, B_PARTNER_NAME);
    let c = s
        .partner_contact(
            app.fx.b,
            app.fx.b_partner,
            &useit_core::audit::Actor::system("check"),
        )
        .await
        .unwrap();
    assert_eq!(c.email.as_deref(), Some(B_CONTACT_EMAIL));
    assert_eq!(c.name.as_deref(), Some("Bea Secret"));
    assert_eq!(
        s.role_in(app.fx.b_admin, app.fx.b).await.unwrap(),
        Some(Role::Administrator)
    );
    let all = s
        .list_partners(
            app.fx.b,
            &PartnerQuery::default(),
            clock::today(),
            PageRequest::all(),
        )
        .await
        .unwrap();
    assert_eq!(all.total, 1, "nothing added to beta");
    let members = s
        .members(app.fx.b, &Default::default(), PageRequest::all())
        .await
        .unwrap();
    assert_eq!(members.total, 1, "nobody added to beta");
    let versions = s.area_of_benefit_versions(app.fx.b).await.unwrap();
    assert_eq!(versions.len(), 1, "no area of benefit saved for beta");
    assert_eq!(versions[0].note, BETA_AOB_NOTE);
    let ledger = s.ledger(app.fx.b, None).await.unwrap();
    assert_eq!(ledger.len(), 1, "beta's spend unchanged");
    assert_eq!(ledger[0].amount, 9_999_999);
    let anchor = s
        .anchor(app.fx.b, "trust")
        .await
        .unwrap()
        .expect("beta's anchor");
    assert_eq!(anchor.name, "Beta Trust");
    let supplier = s
        .supplier(app.fx.b, "beta secret supplier")
        .await
        .unwrap()
        .expect("beta's supplier");
    assert_eq!(
        supplier.status,
        useit_core::anchors::resolution::SupplierStatus::Unresolved
    );
    assert_eq!(
        s.spend_settings(app.fx.b).await.unwrap(),
        Default::default()
    );
    let actor = useit_core::audit::Actor::system("check");
    let (person, recs) = s
        .person(
            app.fx.b,
            useit_core::talent::person::Caseload::All,
            app.fx.b_person,
            &actor,
        )
        .await
        .expect("beta's person still there");
    assert_eq!(person.draft.full_name, B_PERSON, "beta's person unchanged");
    assert!(person.erased_at.is_none() && person.consent_withdrawn_on.is_none());
    assert!(recs.steps.is_empty() && recs.notes.is_empty() && recs.barriers.is_empty());
    assert_eq!(
        recs.placements[0].status,
        useit_core::talent::casework::PlacementStatus::Proposed,
        "beta's placement unmoved"
    );
    assert_eq!(
        s.vacancies(app.fx.b).await.unwrap().len(),
        1,
        "no vacancy added to beta"
    );
    assert_eq!(
        s.talent_settings(app.fx.b).await.unwrap(),
        Default::default()
    );
    assert!(
        s.workforce_files(app.fx.b).await.unwrap().is_empty(),
        "no workforce file imported into beta"
    );
    let e = s
        .enterprise(app.fx.b, app.fx.b_enterprise)
        .await
        .unwrap()
        .expect("beta's enterprise");
    let p = e.profile.expect("beta's profile");
    assert_eq!(
        (e.name.as_str(), p.services.len(), p.turnover),
        (B_ENTERPRISE, 1, Some(10_000_000)),
        "beta's enterprise unchanged"
    );
    assert!(
        s.support(app.fx.b, None).await.unwrap().is_empty(),
        "no support added to beta"
    );
    assert!(
        s.merges(app.fx.b).await.unwrap().is_empty()
            && s.not_duplicates(app.fx.b).await.unwrap().is_empty(),
        "no organisation of beta merged or marked not a duplicate"
    );
    assert!(
        s.grants(app.fx.b, None).await.unwrap().is_empty(),
        "no grant imported into beta"
    );
    assert!(
        s.income(app.fx.b, None).await.unwrap().is_empty(),
        "no income added to beta"
    );
    let consortia = s.consortia(app.fx.b).await.unwrap();
    assert_eq!(
        (
            consortia.len(),
            consortia[0].draft.name.as_str(),
            consortia[0].bids.len()
        ),
        (1, B_CONSORTIUM, 1),
        "beta's consortium unchanged"
    );
    let lots = s.lots(app.fx.b).await.unwrap();
    assert_eq!(
        (lots.len(), lots[0].draft.title.as_str()),
        (1, "Beta secret lot"),
        "beta's lots unchanged"
    );
    assert!(
        s.researcher_facts(app.fx.b).await.unwrap().is_empty(),
        "no researcher added to beta"
    );
    assert!(
        s.projects(app.fx.b).await.unwrap().is_empty(),
        "no research project added to beta"
    );
    assert_eq!(
        s.pay_rule(app.fx.b).await.unwrap(),
        None,
        "beta's pay rule unchanged"
    );
    assert_eq!(
        s.social_lab(app.fx.b).await.unwrap(),
        None,
        "no Social Lab marked for beta"
    );
    assert!(
        s.research_income(app.fx.b).await.unwrap().is_empty(),
        "no project income added to beta"
    );
    assert!(
        s.research_project_themes(app.fx.b)
            .await
            .unwrap()
            .is_empty(),
        "no project themes given to beta"
    );
    assert!(
        s.research_themes(app.fx.b).await.unwrap().is_empty(),
        "beta's theme list unchanged"
    );
    assert!(
        s.assignments(
            app.fx.b,
            Default::default(),
            &useit_core::audit::Actor::system("check"),
            "check"
        )
        .await
        .unwrap()
        .is_empty(),
        "no researcher assigned in beta"
    );
    assert_ne!(
        s.social_lab(app.fx.a).await.unwrap(),
        Some(app.fx.b_enterprise),
        "alpha's Social Lab is not beta's organisation"
    );
    assert!(
        s.programme_targets(app.fx.b).await.unwrap().is_empty(),
        "no target set for beta"
    );
    let tokens = s.tokens_of_user(app.fx.b_admin).await.unwrap();
    assert!(
        tokens.iter().all(|t| t.revoked_at.is_none()),
        "beta's token not revoked"
    );
    assert_eq!(
        s.disclosure_settings(app.fx.b).await.unwrap(),
        Default::default(),
        "beta's disclosure threshold unchanged"
    );
    let interactions = s.interactions(app.fx.b).await.unwrap();
    assert_eq!(
        interactions
            .iter()
            .map(|i| (i.id, i.ended_on, i.evidence.as_str()))
            .collect::<Vec<_>>(),
        [(app.fx.b_interaction, None, "Beta referral log")],
        "beta's interactions unchanged"
    );
    let changes = s.practice_changes(app.fx.b).await.unwrap();
    assert_eq!(changes.len(), 1, "no practice change added to beta");
}

both!(
    a_programme_cannot_reach_another_programme,
    async |app: &TestApp| {
        let fx = &app.fx;
        let bw = beta_workshop(app).await;
        let mut session = app.signed_in(&email(Role::Administrator)).await;
        let mut api = app.client();
        api.bearer = Some(app.token(&email(Role::Administrator), "alpha").await);
        let mut leaks = Vec::new();
        let mut calls = 0;
        for r in describe()
            .into_iter()
            .filter(|r| r.path.contains("{programme}"))
        {
            for path in attacks(r.path, fx, &bw) {
                let clients: Vec<&mut Client> = if r.surface == Surface::Api {
                    vec![&mut session, &mut api]
                } else {
                    vec![&mut session]
                };
                for c in clients {
                    let res = if r.method == Method::GET {
                        c.get(&path).await
                    } else if r.surface == Surface::Page {
                        let f = form(fx);
                        let fields: Vec<(&str, &str)> =
                            f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        c.post_form(&path, &fields).await
                    } else {
                        c.json(r.method.clone(), &path, Some(json(fx))).await
                    };
                    calls += 1;
                    let status = res.status();
                    let body = res.text().await.unwrap();
                    if status.is_success() || status == StatusCode::SEE_OTHER {
                        leaks.push(format!("{} {path}: {status}", r.method));
                    }
                    if body.contains(B_ENTERPRISE)
                        || body.contains("Beta secret lot")
                        || body.contains(B_CONSORTIUM)
                        || body.contains(B_PARTNER_NAME)
                        || body.contains(B_CONTACT_EMAIL)
                        || body.contains(B_ADMIN_EMAIL)
                        || body.contains(BETA_AOB_NOTE)
                        || body.contains(B_SUPPLIER)
                        || body.contains(B_PERSON)
                        || body.contains(B_WORKSHOP)
                        || body.contains(B_NOTE)
                        || body.contains(B_ORGANISATION)
                        || body.contains("Beta secret practice change")
                        || body.contains(B_STORY)
                        || body.contains(B_FILTER)
                        || body.contains(B_COMMUNITY)
                        || body.contains(B_ASSET)
                        || body.contains("Beta secret plan action")
                    {
                        leaks.push(format!("{} {path}: body shows beta's data", r.method));
                    }
                }
            }
        }
        assert!(calls > 60, "only {calls} attacks tried");
        assert!(
            leaks.is_empty(),
            "programme alpha reached beta:\n{}",
            leaks.join("\n")
        );
        check_beta_untouched(app).await;
        check_beta_workshop_untouched(app, &bw).await;

        // alpha's own lists and exports hold none of beta's rows.
        for path in [
            "/p/alpha/partners",
            "/p/alpha/partners.csv?contacts=yes",
            "/p/alpha/members",
            "/p/alpha/members.csv",
            "/p/alpha/audit",
            "/p/alpha/audit.csv",
            "/p/alpha/anchors",
            "/p/alpha/anchors/spend",
            "/p/alpha/anchors/spend/lines.csv",
            "/p/alpha/anchors/suppliers",
            "/api/v1/programmes/alpha/anchors/suppliers",
            "/api/v1/programmes/alpha/organisations?q=beta%20secret",
            "/api/v1/programmes/alpha/anchors/spend/measures",
            "/p/alpha/anchors/workforce",
            "/p/alpha/anchors/workforce.csv",
            "/api/v1/programmes/alpha/anchors/workforce",
            "/api/v1/programmes/alpha/anchors/workforce/files",
            "/p/alpha/workshops",
            "/p/alpha/workshops/lineage",
            "/api/v1/programmes/alpha/workshops",
            "/api/v1/programmes/alpha/workshops/lineage",
            "/p/alpha",
            "/p/alpha/targets",
            "/api/v1/programmes/alpha/indicators",
            "/api/v1/programmes/alpha/targets",
            "/p/alpha/model.json",
            "/api/v1/programmes/alpha/model",
            "/p/alpha/anchors/interactions",
            "/p/alpha/anchors/interactions.csv",
            "/p/alpha/anchors/interactions/figures",
            "/p/alpha/anchors/practice",
            "/api/v1/programmes/alpha/anchors/interactions",
            "/api/v1/programmes/alpha/anchors/interactions/figures",
            "/api/v1/programmes/alpha/anchors/practice-changes",
            "/p/alpha/stories",
            "/p/alpha/stories.csv",
            "/api/v1/programmes/alpha/stories",
            "/p/alpha/communities",
            "/api/v1/programmes/alpha/communities",
            "/p/alpha/report?from=2020-01-01&to=2026-12-31",
            "/api/v1/programmes/alpha/report?from=2020-01-01&to=2026-12-31",
            "/p/alpha/enterprise/lots",
            "/p/alpha/enterprise/gaps",
            "/p/alpha/enterprise/consortia",
            "/api/v1/programmes/alpha/enterprise/gaps",
            "/api/v1/programmes/alpha/enterprise/consortia",
            // The home page figures' lists (issue 20 item 1).
            "/p/alpha/enterprise?counted=enterprises_supported",
            "/p/alpha/enterprise?counted=enterprises_trading_led",
            "/p/alpha/enterprise?counted=organisations_worked_with",
            "/api/v1/programmes/alpha/enterprise/enterprises?counted=organisations_worked_with",
            "/p/alpha/research/researchers?counted=researchers_accredited",
            "/api/v1/programmes/alpha/research/researchers?counted=researchers_paid",
            "/p/alpha/communities?counted=communities_with_adopted_plan",
            "/p/alpha/talent/people",
            "/api/v1/programmes/alpha/filters?list=people",
        ] {
            let (status, body) = session.get_text(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            for secret in [
                B_PARTNER_NAME,
                B_CONTACT_EMAIL,
                B_ADMIN_EMAIL,
                B_SUPPLIER,
                &fx.b_partner.to_string(),
                B_WORKSHOP,
                "Beta original",
                B_ORGANISATION,
                "Beta secret practice change",
                B_STORY,
                B_CONSORTIUM,
                B_ENTERPRISE,
                "Beta secret lot",
                B_FILTER,
                B_COMMUNITY,
                B_ASSET,
            ] {
                assert!(!body.contains(secret), "{path} shows {secret}");
            }
        }

        // An import naming beta's partner id is refused, naming the line.
        let csv = format!(
            "id,name,kind,joined_on\n{},Hijacked,vcse,2020-01-01\n",
            fx.b_partner
        );
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/partners/import",
                None,
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "an empty import is refused"
        );
        let res = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/programmes/alpha/partners/import",
                app.base
            ))
            .bearer_auth(api.bearer.clone().unwrap())
            .body(csv)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(problem["problems"][0]["line"], 2);
        check_beta_untouched(app).await;
    }
);
