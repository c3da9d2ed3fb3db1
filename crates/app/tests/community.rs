//! Community and CED plan workflows on SQLite and PostgreSQL: a manager
//! names a community by ward and decile (the area-of-benefit selection,
//! versioned the same way), makes an account a member; that member edits
//! their community's plan and actions but is refused another community's;
//! progress follows the actions' statuses; the adopted plan counts in the
//! programme's indicator; member lists are for managers only and audited;
//! another programme sees none of it.

use std::sync::Arc;

use useit_app::community::assets::{
    AssetView, AssetsImported, action_assets, all_assets, asset as asset_of, assets_file,
    hsds_services, hsds_tables, import_assets, link_action_assets, save_asset,
};
use useit_app::community::{
    add_community, add_member, communities, community, community_areas, edit_community, members,
    remove_member, save_action, save_plan,
};
use useit_app::enterprise::profiles::add_enterprise;
use useit_app::programme::CsvUpload;
use useit_app::{Caller, Error, Store};
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::community::asset::{AssetInput, AssetQuery};
use useit_core::community::plan::{ActionInput, ActionStatus, PlanInput, PlanStatus};
use useit_core::community::record::{CommunityInput, MemberInput};
use useit_core::enterprise::profile::NewEnterpriseInput;
use useit_core::place::geometry::parse_geometry_text;
use useit_core::place::input::SelectionInput;
use useit_core::programme::NewProgramme;
use useit_testkit::place::{WARDS, sample};
use useit_testkit::story;

async fn member(store: &Arc<dyn Store>, slug: &str, name: &str, role: Role) -> Caller {
    let actor = Actor::system("test");
    let p = match store.programme_by_slug(slug).await.unwrap() {
        Some(p) => p,
        None => store
            .create_programme(
                &NewProgramme {
                    slug: slug.into(),
                    name: slug.into(),
                    description: String::new(),
                },
                None,
                &actor,
            )
            .await
            .unwrap(),
    };
    let email = format!("{name}@{slug}.example.org");
    let u = store
        .create_user(
            &NewUser {
                email: email.clone(),
                display_name: name.into(),
                password_hash: "x".into(),
                is_admin: false,
            },
            Some((p.id, role)),
            &actor,
        )
        .await
        .unwrap();
    Caller::member(p.id, u.id, role, Actor::user(u.id, email, Channel::Web))
}

fn by_ward(name: &str, ward: &str, deciles: &[u8]) -> CommunityInput {
    CommunityInput {
        name: name.into(),
        description: String::new(),
        area: SelectionInput {
            index: "imd2019".into(),
            wards: vec![ward.into()],
            deciles: deciles.to_vec(),
            note: "First version".into(),
            ..Default::default()
        },
    }
}

fn action(title: &str, status: &str) -> ActionInput {
    ActionInput {
        title: title.into(),
        owner: "Residents' group".into(),
        status: status.into(),
        ..Default::default()
    }
}

fn fields(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(errs) | Error::Unknown(errs) => errs.into_iter().map(|f| f.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

story!(
    a_community_member_edits_only_their_own_communitys_plan,
    |store: Arc<dyn Store>| async move {
        for load in sample() {
            store
                .load_reference(load, &|_| {}, &Actor::system("test"))
                .await
                .unwrap();
        }
        let s = store.as_ref();
        let manager = member(&store, "alpha", "priya", Role::ProgrammeManager).await;
        let resident = member(&store, "alpha", "ana", Role::CommunityMember).await;
        let other = member(&store, "alpha", "ben", Role::CommunityMember).await;
        let funder = member(&store, "alpha", "fay", Role::FunderViewer).await;
        let stranger = member(&store, "beta", "zed", Role::ProgrammeManager).await;

        // Every bad field at once, the area's named under `area/`.
        let bad = CommunityInput {
            name: " ".into(),
            area: SelectionInput {
                index: "imd2019".into(),
                wards: vec!["E05999999".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            fields(add_community(s, &manager, &bad).await.unwrap_err()),
            ["name", "area/wards"]
        );
        // Only managers add communities.
        assert!(matches!(
            add_community(s, &resident, &by_ward("Soho", WARDS[0], &[])).await,
            Err(Error::Refused)
        ));

        let soho = add_community(
            s,
            &manager,
            &by_ward("Soho and Victoria", WARDS[0], &[1, 2]),
        )
        .await
        .unwrap();
        let jq = add_community(s, &manager, &by_ward("Jewellery Quarter", WARDS[1], &[]))
            .await
            .unwrap();
        let area = soho.area.clone().unwrap();
        assert_eq!(area.version, 1);
        let codes = community_areas(s, &resident, soho.id).await.unwrap();
        assert_eq!(codes.len() as i64, area.area_count);
        assert!(area.area_count > 0);
        // The same name again is a conflict on the name.
        assert!(matches!(
            add_community(s, &manager, &by_ward("soho  AND victoria", WARDS[0], &[])).await,
            Err(Error::Conflict { ref field, .. }) if field == "name"
        ));
        // A changed selection is a new version; an unchanged one is not.
        let wider = edit_community(
            s,
            &manager,
            soho.id,
            &by_ward("Soho and Victoria", WARDS[0], &[]),
        )
        .await
        .unwrap();
        assert_eq!(wider.area.as_ref().unwrap().version, 2);
        assert!(wider.area.as_ref().unwrap().area_count >= area.area_count);
        let same = edit_community(
            s,
            &manager,
            soho.id,
            &by_ward("Soho and Victoria", WARDS[0], &[]),
        )
        .await
        .unwrap();
        assert_eq!(same.area.as_ref().unwrap().version, 2);

        // Ana becomes a member of Soho and Victoria; a funder cannot be one.
        add_member(
            s,
            &manager,
            soho.id,
            &MemberInput {
                email: "ana@alpha.example.org".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            fields(
                add_member(
                    s,
                    &manager,
                    soho.id,
                    &MemberInput {
                        email: "fay@alpha.example.org".into()
                    }
                )
                .await
                .unwrap_err()
            ),
            ["email"]
        );
        // An account of another programme is unknown here.
        let e = add_member(
            s,
            &manager,
            soho.id,
            &MemberInput {
                email: "zed@beta.example.org".into(),
            },
        )
        .await
        .unwrap_err();
        assert!(matches!(e, Error::Unknown(_)), "{e:?}");
        assert_eq!(fields(e), ["email"]);
        // Member lists: managers only, and the read is audited.
        let listed = members(s, &manager, soho.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].display_name, "ana");
        assert!(matches!(
            members(s, &resident, soho.id).await,
            Err(Error::Refused)
        ));

        // Ana writes her community's plan and its actions…
        let plan = PlanInput {
            aspirations: "A community hub".into(),
            priorities: "A cleaning co-operative".into(),
            status: "drafting".into(),
            adopted_on: String::new(),
        };
        save_plan(s, &resident, soho.id, &plan).await.unwrap();
        let view = community(s, &resident, soho.id).await.unwrap();
        assert!(view.may_edit && !view.may_manage);
        assert_eq!(view.progress.percent(), None, "no actions: not known");

        // …but not Jewellery Quarter's, nor does Ben edit hers, nor a funder.
        assert!(matches!(
            save_plan(s, &resident, jq.id, &plan).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            save_action(s, &resident, jq.id, None, &action("Nope", "")).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            save_plan(s, &other, soho.id, &plan).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            save_plan(s, &funder, soho.id, &plan).await,
            Err(Error::Refused)
        ));
        assert!(!community(s, &other, soho.id).await.unwrap().may_edit);
        // The manager edits every plan.
        save_plan(s, &manager, jq.id, &plan).await.unwrap();

        // Progress follows the actions' statuses.
        let ent = add_enterprise(
            s,
            &Caller::system(manager.programme, "test"),
            &NewEnterpriseInput {
                name: "Cape Hill Kitchen Co-operative".into(),
                postcode: "B66 3JY".into(),
            },
        )
        .await
        .unwrap();
        let mut with_enterprise = action("Form the co-operative", "in_progress");
        with_enterprise.enterprises = vec![ent.id.to_string()];
        with_enterprise.partner = ent.id.to_string();
        let a1 = save_action(s, &resident, soho.id, None, &with_enterprise)
            .await
            .unwrap();
        assert_eq!(a1.enterprises[0].name, "Cape Hill Kitchen Co-operative");
        assert_eq!(a1.partner.as_ref().unwrap().id, ent.id);
        let a2 = save_action(s, &resident, soho.id, None, &action("Open the hub", ""))
            .await
            .unwrap();
        assert_eq!(a2.draft.status, ActionStatus::NotStarted);
        let progress = |c: &Caller| {
            let c = c.clone();
            let store = store.clone();
            async move {
                community(store.as_ref(), &c, soho.id)
                    .await
                    .unwrap()
                    .progress
            }
        };
        assert_eq!(progress(&resident).await.percent(), Some(0));
        let mut done = with_enterprise.clone();
        done.status = "done".into();
        save_action(s, &resident, soho.id, Some(a1.id), &done)
            .await
            .unwrap();
        assert_eq!(progress(&resident).await.percent(), Some(50));
        save_action(
            s,
            &resident,
            soho.id,
            Some(a2.id),
            &action("Open the hub", "dropped"),
        )
        .await
        .unwrap();
        let p = progress(&funder).await;
        assert_eq!((p.done, p.counted(), p.percent()), (1, 1, Some(100)));
        // The list reads the same progress.
        let listed = communities(s, &funder).await.unwrap();
        let row = listed.iter().find(|c| c.id == soho.id).unwrap();
        assert_eq!(row.progress, p);
        assert_eq!(row.plan_status, Some(PlanStatus::Drafting));
        // An organisation of another programme is not a partner here.
        let mut foreign = action("Foreign partner", "");
        foreign.partner = uuid::Uuid::now_v7().to_string();
        assert_eq!(
            fields(
                save_action(s, &resident, soho.id, None, &foreign)
                    .await
                    .unwrap_err()
            ),
            ["partner"]
        );
        // An action of one community cannot be changed through another.
        assert!(matches!(
            save_action(s, &manager, jq.id, Some(a1.id), &done).await,
            Err(Error::NotFound)
        ));

        // Adoption: the date is required, and the indicator counts it.
        assert_eq!(
            fields(
                save_plan(
                    s,
                    &resident,
                    soho.id,
                    &PlanInput {
                        status: "adopted".into(),
                        ..plan.clone()
                    }
                )
                .await
                .unwrap_err()
            ),
            ["adopted_on"]
        );
        save_plan(
            s,
            &resident,
            soho.id,
            &PlanInput {
                status: "in_delivery".into(),
                adopted_on: "2026-03-14".into(),
                ..plan.clone()
            },
        )
        .await
        .unwrap();
        let ledgers = useit_app::anchors::ledger::Ledgers::default();
        let ind = useit_app::programme::indicators::indicators(s, &funder, &ledgers)
            .await
            .unwrap();
        let fig = ind
            .figures
            .iter()
            .find(|f| {
                f.indicator
                    == useit_core::programme::indicators::Indicator::CommunitiesWithAdoptedPlan
            })
            .unwrap();
        assert_eq!(
            useit_core::programme::indicators::figure_text(&fig.figure),
            "1"
        );
        // The figure links to the communities filtered to exactly it: Soho
        // (renamed above),
        // and none over a period before the plan was adopted.
        use useit_core::programme::indicators::CountedQuery;
        let counted = |from: &str, to: &str| CountedQuery {
            counted: "communities_with_adopted_plan".into(),
            from: from.into(),
            to: to.into(),
        };
        let listed = useit_app::community::communities_in(s, &funder, &counted("", ""))
            .await
            .unwrap();
        assert_eq!(
            listed.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["Soho and Victoria"]
        );
        assert!(
            useit_app::community::communities_in(s, &funder, &counted("2025-04-01", "2026-03-13"))
                .await
                .unwrap()
                .is_empty()
        );
        // Any other short name is no filter at all.
        assert_eq!(
            useit_app::community::communities_in(
                s,
                &funder,
                &CountedQuery {
                    counted: "researchers_paid".into(),
                    ..Default::default()
                }
            )
            .await
            .unwrap()
            .len(),
            2
        );

        // Removing Ana ends her right to edit.
        remove_member(s, &manager, soho.id, resident.user.unwrap())
            .await
            .unwrap();
        assert!(matches!(
            save_plan(s, &resident, soho.id, &plan).await,
            Err(Error::Refused)
        ));

        // Another programme sees none of it, and a beta manager cannot
        // edit alpha's community.
        assert!(communities(s, &stranger).await.unwrap().is_empty());
        assert!(matches!(
            community(s, &stranger, soho.id).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            save_plan(s, &stranger, soho.id, &plan).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            members(s, &stranger, soho.id).await,
            Err(Error::NotFound)
        ));

        // Every change and the member list's read are in the audit log.
        for want in [
            "community",
            "community_area",
            "community_member",
            "community_members",
            "ced_plan",
            "ced_action",
        ] {
            let log = s
                .audit_list(
                    &useit_core::audit::AuditFilter {
                        programme_id: Some(manager.programme),
                        subject_type: Some(want.into()),
                        ..Default::default()
                    },
                    useit_core::listing::PageRequest {
                        page: 1,
                        per_page: 25,
                    },
                )
                .await
                .unwrap();
            assert!(!log.items.is_empty(), "no audit entry for {want}");
        }
    }
);

fn asset(kind: &str, name: &str, community: Option<uuid::Uuid>) -> AssetInput {
    AssetInput {
        kind: kind.into(),
        name: name.into(),
        community: community.map(|c| c.to_string()).unwrap_or_default(),
        ..Default::default()
    }
}

story!(
    the_asset_map_is_scoped_to_a_members_own_community_and_exports_hsds,
    |store: Arc<dyn Store>| async move {
        for load in sample() {
            store
                .load_reference(load, &|_| {}, &Actor::system("test"))
                .await
                .unwrap();
        }
        let s = store.as_ref();
        let manager = member(&store, "alpha", "priya", Role::ProgrammeManager).await;
        let resident = member(&store, "alpha", "ana", Role::CommunityMember).await;
        let outsider = member(&store, "alpha", "ben", Role::CommunityMember).await;
        let stranger = member(&store, "beta", "zed", Role::ProgrammeManager).await;
        let soho = add_community(s, &manager, &by_ward("Soho", WARDS[0], &[]))
            .await
            .unwrap();
        let jq = add_community(s, &manager, &by_ward("Jewellery Quarter", WARDS[1], &[]))
            .await
            .unwrap();
        add_member(
            s,
            &manager,
            soho.id,
            &MemberInput {
                email: "ana@alpha.example.org".into(),
            },
        )
        .await
        .unwrap();
        let org = add_enterprise(
            s,
            &Caller::system(manager.programme, "test"),
            &NewEnterpriseInput {
                name: "Cape Hill Advice".into(),
                postcode: "B66 3JY".into(),
            },
        )
        .await
        .unwrap();

        // Every bad field at once; a community of another programme is
        // named, not a foreign-key failure.
        let mut bad = asset("space", "", Some(uuid::Uuid::now_v7()));
        bad.people = "4".into();
        assert_eq!(
            fields(save_asset(s, &manager, None, &bad).await.unwrap_err()),
            ["name", "postcode", "people"]
        );
        assert_eq!(
            fields(
                save_asset(
                    s,
                    &manager,
                    None,
                    &asset("group", "G", Some(uuid::Uuid::now_v7()))
                )
                .await
                .unwrap_err()
            ),
            ["community"]
        );

        // A resident adds micro assets to their own community only; macro
        // assets and programme-wide ones are the managers'.
        let mut advice = asset("service", "Cape Hill advice drop-in", Some(soho.id));
        advice.postcode = "b66 3jy".into();
        advice.organisation = org.id.to_string();
        advice.contact_phone = "0121 000 0000".into();
        advice.schedule = "Tuesdays 10am to 1pm".into();
        advice.eligibility = "Anyone living in Soho".into();
        let advice = save_asset(s, &resident, None, &advice).await.unwrap();
        assert_eq!(
            advice.organisation.as_ref().unwrap().name,
            "Cape Hill Advice"
        );
        let mut skill = asset("skill", "Bookkeeping", Some(soho.id));
        skill.people = "3".into();
        save_asset(s, &resident, None, &skill).await.unwrap();
        let mut hospital = asset("anchor_site", "The new hospital", None);
        hospital.lat = "52.5052".into();
        hospital.lon = "-1.9445".into();
        for (who, input) in [
            (&resident, asset("group", "Elsewhere", Some(jq.id))),
            (&resident, asset("group", "Everywhere", None)),
            (&resident, hospital.clone()),
            (&outsider, asset("group", "Not mine", Some(soho.id))),
        ] {
            assert!(
                matches!(save_asset(s, who, None, &input).await, Err(Error::Refused)),
                "{}",
                input.name
            );
        }
        save_asset(s, &manager, None, &hospital).await.unwrap();
        let jq_group = save_asset(s, &manager, None, &asset("group", "JQ makers", Some(jq.id)))
            .await
            .unwrap();
        // …nor change another community's.
        assert!(matches!(
            save_asset(
                s,
                &resident,
                Some(jq_group.id),
                &asset("group", "Mine now", Some(soho.id))
            )
            .await,
            Err(Error::NotFound)
        ));

        // A member reads their own community's and the programme's assets;
        // managers read all; listing by community narrows it.
        let names = |v: Vec<AssetView>| {
            v.into_iter()
                .map(|a| a.asset.draft.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(
                all_assets(s, &resident, &AssetQuery::default())
                    .await
                    .unwrap()
            ),
            [
                "Bookkeeping",
                "Cape Hill advice drop-in",
                "The new hospital"
            ]
        );
        assert_eq!(
            names(
                all_assets(s, &outsider, &AssetQuery::default())
                    .await
                    .unwrap()
            ),
            ["The new hospital"]
        );
        assert_eq!(
            names(
                all_assets(
                    s,
                    &manager,
                    &AssetQuery {
                        community: Some(jq.id.to_string()),
                        ..Default::default()
                    }
                )
                .await
                .unwrap()
            ),
            ["JQ makers"]
        );
        assert!(matches!(
            asset_of(s, &outsider, advice.id).await,
            Err(Error::NotFound)
        ));
        assert!(
            all_assets(s, &stranger, &AssetQuery::default())
                .await
                .unwrap()
                .is_empty()
        );

        // The postcode is placed in its small area and decile; a skill's
        // small count is suppressed for a member, exact for a manager.
        let seen = asset_of(s, &resident, advice.id).await.unwrap();
        let place = seen.place.clone().unwrap();
        assert!(
            place.area_code.is_some() && place.decile.is_some(),
            "{place:?}"
        );
        let bookkeeping = |v: &[AssetView]| {
            v.iter()
                .find(|a| a.asset.draft.name == "Bookkeeping")
                .map(|a| (a.people, a.people_text.clone().unwrap()))
                .unwrap()
        };
        let (n, text) = bookkeeping(
            &all_assets(s, &resident, &AssetQuery::default())
                .await
                .unwrap(),
        );
        assert_eq!(n, None);
        assert!(text.contains('5'), "{text}");
        let (n, _) = bookkeeping(
            &all_assets(s, &manager, &AssetQuery::default())
                .await
                .unwrap(),
        );
        assert_eq!(n, Some(3));

        // HSDS: the one service, with its organisation, location and
        // service-at-location, phone and schedule.
        let tables = hsds_tables(s, &manager, &AssetQuery::default())
            .await
            .unwrap();
        let table = |n: &str| tables.iter().find(|(f, _)| *f == n).unwrap().1.clone();
        assert_eq!(table("service.csv").lines().count(), 2);
        assert!(table("service.csv").contains(&advice.id.to_string()));
        assert!(table("organization.csv").contains("Cape Hill Advice"));
        assert!(table("address.csv").contains("B66 3JY"));
        assert_eq!(table("service_at_location.csv").lines().count(), 2);
        let json = hsds_services(s, &resident, &AssetQuery::default())
            .await
            .unwrap();
        assert_eq!(json.len(), 1);
        assert_eq!(json[0]["status"], "active");
        assert_eq!(json[0]["organization"]["id"], org.id.to_string());
        assert!(json[0]["service_at_locations"][0]["location"]["latitude"].is_number());
        assert!(
            hsds_services(s, &outsider, &AssetQuery::default())
                .await
                .unwrap()
                .is_empty()
        );

        // The CSV imports back unchanged; a changed row changes its asset;
        // bad cells are errors at their line and column and nothing is
        // written; an unknown postcode is a warning.
        assert!(matches!(
            assets_file(s, &resident, &AssetQuery::default()).await,
            Err(Error::Refused)
        ));
        let file = assets_file(s, &manager, &AssetQuery::default())
            .await
            .unwrap();
        let upload = |bytes: &[u8], dry_run: bool| CsvUpload {
            file_name: "assets.csv",
            bytes: Box::leak(bytes.to_vec().into_boxed_slice()),
            dry_run,
        };
        let again = import_assets(s, &manager, upload(file.as_bytes(), false))
            .await
            .unwrap();
        assert_eq!(
            again.outcome,
            AssetsImported {
                added: 0,
                changed: 0,
                unchanged: 4
            }
        );
        let changed = file.replace("JQ makers", "JQ makers and menders")
            + ",group,Soho allotments,,"
            + &soho.id.to_string()
            + ",B99 9ZZ,,,,,,,,,,,,,\n";
        let out = import_assets(s, &manager, upload(changed.as_bytes(), false))
            .await
            .unwrap();
        assert_eq!((out.outcome.added, out.outcome.changed), (1, 1));
        // The unknown postcode, and the hospital's point, outside the
        // sample's areas: both kept, their areas not known.
        let warned: Vec<_> = out
            .report
            .warnings()
            .map(|p| p.column.as_ref().map(|c| c.name.clone()))
            .collect();
        assert_eq!(out.report.warning_count(), 2, "{warned:?}");
        assert!(
            out.report
                .warnings()
                .any(|p| p.line == 6 && p.column.as_ref().is_some_and(|c| c.name == "postcode"))
        );
        assert!(warned.contains(&Some("lat".to_string())), "{warned:?}");
        let broken =
            changed.replace("JQ makers and menders", "") + ",castle,Keep,,,,,,,,,,,,,,,,\n";
        match import_assets(s, &manager, upload(broken.as_bytes(), false)).await {
            Err(Error::Rejected(r)) => {
                let at: Vec<_> = r
                    .errors()
                    .map(|p| (p.line, p.column.as_ref().map(|c| c.name.clone())))
                    .collect();
                assert!(at.contains(&(7, Some("kind".into()))), "{at:?}");
                assert!(
                    at.iter().any(|(_, c)| c.as_deref() == Some("name")),
                    "{at:?}"
                );
            }
            other => panic!("expected a rejected file, got {other:?}"),
        }
        assert_eq!(
            all_assets(s, &manager, &AssetQuery::default())
                .await
                .unwrap()
                .len(),
            5,
            "nothing written from the rejected file"
        );

        // A plan action builds on the community's assets, not another's.
        let act = save_action(s, &resident, soho.id, None, &action("Run the drop-in", ""))
            .await
            .unwrap();
        link_action_assets(s, &resident, soho.id, act.id, &[advice.id])
            .await
            .unwrap();
        assert_eq!(
            action_assets(s, &resident, soho.id).await.unwrap()[&act.id],
            [(advice.id, "Cape Hill advice drop-in".to_string())]
        );
        assert_eq!(
            fields(
                link_action_assets(s, &resident, soho.id, act.id, &[jq_group.id])
                    .await
                    .unwrap_err()
            ),
            ["assets"]
        );
        assert!(matches!(
            link_action_assets(s, &outsider, soho.id, act.id, &[]).await,
            Err(Error::Refused)
        ));
    }
);

story!(
    an_asset_placed_by_a_point_takes_the_area_whose_boundary_holds_it,
    |store: Arc<dyn Store>| async move {
        for load in sample() {
            store
                .load_reference(load, &|_| {}, &Actor::system("test"))
                .await
                .unwrap();
        }
        let s = store.as_ref();
        let manager = member(&store, "alpha", "priya", Role::ProgrammeManager).await;
        // Two sample areas and a point inside each (its centroid, when the
        // boundary holds it: a concave shape's may lie outside).
        let inside: Vec<(String, Option<u8>, f64, f64)> = s
            .boundaries("lsoa11", Some("imd2019"), &[])
            .await
            .unwrap()
            .into_iter()
            .filter_map(|b| {
                let shape = parse_geometry_text(&b.geometry).ok()?;
                let (lon, lat) = shape.centroid()?;
                shape
                    .contains(lon, lat)
                    .then_some((b.code, b.decile, lat, lon))
            })
            .take(2)
            .collect();
        assert_eq!(inside.len(), 2, "the sample has boundaries");
        let (code, decile, lat, lon) = inside[0].clone();
        assert!(decile.is_some(), "the sample's areas are ranked");
        let mut hall = asset("space", "Church hall", None);
        hall.lat = lat.to_string();
        hall.lon = lon.to_string();

        // Placed on create: the area and decile of the boundary around it.
        let made = save_asset(s, &manager, None, &hall).await.unwrap();
        let place = asset_of(s, &manager, made.id).await.unwrap().place.unwrap();
        assert_eq!(place.area_code.as_deref(), Some(code.as_str()));
        assert_eq!(place.decile, decile);
        assert!(place.area_name.is_some(), "{place:?}");

        // Placed again on update: moved into the other area.
        let (code2, decile2, lat2, lon2) = inside[1].clone();
        hall.lat = lat2.to_string();
        hall.lon = lon2.to_string();
        save_asset(s, &manager, Some(made.id), &hall).await.unwrap();
        let place = asset_of(s, &manager, made.id).await.unwrap().place.unwrap();
        assert_eq!(
            (place.area_code.as_deref(), place.decile),
            (Some(code2.as_str()), decile2)
        );

        // A point outside every loaded boundary keeps its position, its
        // area not known (never a made-up one).
        let mut far = asset("space", "Seaside hut", None);
        far.lat = "50.7".into();
        far.lon = "-3.5".into();
        let far = save_asset(s, &manager, None, &far).await.unwrap();
        let place = asset_of(s, &manager, far.id).await.unwrap().place.unwrap();
        assert_eq!((place.area_code, place.decile), (None, None));
        assert_eq!((place.lat, place.lon), (Some(50.7), Some(-3.5)));

        // Placed on import: a row with a point inside an area is placed
        // without a word; one outside every area is a warning at its `lat`
        // cell, the asset kept.
        let cols = useit_core::community::asset::CSV_COLUMNS;
        let row = |name: &str, lat: &str, lon: &str| {
            cols.iter()
                .map(|c| match *c {
                    "kind" => "space",
                    "name" => name,
                    "lat" => lat,
                    "lon" => lon,
                    _ => "",
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        let file = format!(
            "{}\n{}\n{}\n",
            cols.join(","),
            row("Scout hut", &lat.to_string(), &lon.to_string()),
            row("Lighthouse", "50.2", "-5.0")
        );
        let out = import_assets(
            s,
            &manager,
            CsvUpload {
                file_name: "points.csv",
                bytes: file.as_bytes(),
                dry_run: false,
            },
        )
        .await
        .unwrap();
        assert_eq!(out.outcome.added, 2);
        let warnings: Vec<_> = out
            .report
            .warnings()
            .map(|p| (p.line, p.column.as_ref().map(|c| c.name.clone())))
            .collect();
        assert_eq!(warnings, [(3, Some("lat".to_string()))]);
        let all = all_assets(s, &manager, &AssetQuery::default())
            .await
            .unwrap();
        let scout = all
            .iter()
            .find(|a| a.asset.draft.name == "Scout hut")
            .unwrap();
        assert_eq!(
            scout.place.as_ref().unwrap().area_code.as_deref(),
            Some(code.as_str())
        );
    }
);
