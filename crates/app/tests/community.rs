//! Community and CED plan workflows on SQLite and PostgreSQL: a manager
//! names a community by ward and decile (the area-of-benefit selection,
//! versioned the same way), makes an account a member; that member edits
//! their community's plan and actions but is refused another community's;
//! progress follows the actions' statuses; the adopted plan counts in the
//! programme's indicator; member lists are for managers only and audited;
//! another programme sees none of it.

use std::sync::Arc;

use useit_app::community::{
    add_community, add_member, communities, community, community_areas, edit_community, members,
    remove_member, save_action, save_plan,
};
use useit_app::enterprise::profiles::add_enterprise;
use useit_app::{Caller, Error, Store};
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::community::plan::{ActionInput, ActionStatus, PlanInput, PlanStatus};
use useit_core::community::record::{CommunityInput, MemberInput};
use useit_core::enterprise::profile::NewEnterpriseInput;
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
