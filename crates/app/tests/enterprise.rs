//! Enterprise workflows on SQLite and PostgreSQL: an enterprise added
//! without a register entry gets a local identifier; a profile meeting the
//! criteria recognises it as a social enterprise; a lot one enterprise can
//! meet alone and one only a consortium can, with the reasons; a lots file
//! imported twice changes nothing and a bad one names its cells; support
//! and income make "supported" and the earned-share trend; a funder can
//! read but not change.

use std::sync::Arc;

use useit_app::enterprise::consortium::consortium;
use useit_app::enterprise::lots::{import_lots, lots, save_lot};
use useit_app::enterprise::profiles::{add_enterprise, directory, enterprise, save_profile};
use useit_app::enterprise::records::{add_support, save_income, sustainability};
use useit_app::{Caller, Error, Store};
use useit_core::anchors::measures::SupplierKind;
use useit_core::audit::Actor;
use useit_core::auth::Role;
use useit_core::enterprise::income::IncomeInput;
use useit_core::enterprise::lot::{LotInput, export};
use useit_core::enterprise::profile::{
    Enterprise, EnterpriseQuery, LOCAL_ID_PREFIX, NewEnterpriseInput, ProfileInput,
};
use useit_core::enterprise::support::SupportInput;
use useit_core::programme::NewProgramme;
use useit_testkit::story;

async fn setup(store: &Arc<dyn Store>) -> Caller {
    let p = store
        .create_programme(
            &NewProgramme {
                slug: "se".into(),
                name: "Social enterprise".into(),
                description: String::new(),
            },
            None,
            &Actor::system("test"),
        )
        .await
        .unwrap();
    Caller::system(p.id, "test")
}

async fn add(store: &Arc<dyn Store>, c: &Caller, name: &str, profile: ProfileInput) -> Enterprise {
    let e = add_enterprise(
        store.as_ref(),
        c,
        &NewEnterpriseInput {
            name: name.into(),
            postcode: "B66 2QT".into(),
        },
    )
    .await
    .unwrap();
    save_profile(store.as_ref(), c, e.id, &profile)
        .await
        .unwrap()
}

fn profile(services: &str, turnover: &str, largest: &str) -> ProfileInput {
    ProfileInput {
        legal_form: "cic".into(),
        social_purpose: "yes".into(),
        reinvests_profits: "yes".into(),
        mission_ownership: "yes".into(),
        services: services.into(),
        accreditations: "Real Living Wage employer accreditation, 31/12/2099".into(),
        public_liability: "£5,000,000".into(),
        turnover: turnover.into(),
        largest_contract: largest.into(),
        areas: "Rowley Regis Hospital".into(),
        ..Default::default()
    }
}

fn lot(reference: &str, services: &str, value: &str) -> LotInput {
    LotInput {
        reference: reference.into(),
        buyer: "Sandwell and West Birmingham NHS Trust".into(),
        title: format!("Lot {reference}"),
        services: services.into(),
        value: value.into(),
        deadline: "30/04/2099".into(),
        accreditations: "Real Living Wage employer accreditation".into(),
        public_liability: "£5,000,000".into(),
        minimum_turnover: "200%".into(),
        areas: "Rowley Regis Hospital".into(),
        ..Default::default()
    }
}

story!(
    profiles_lots_and_consortia,
    |store: Arc<dyn Store>| async move {
        let c = setup(&store).await;
        let big = add(
            &store,
            &c,
            "Bright Clean CIC",
            profile("cleaning, catering", "£500,000", "£200,000"),
        )
        .await;
        assert!(big.org_id.starts_with(LOCAL_ID_PREFIX));
        assert_eq!(big.kind, SupplierKind::SocialEnterprise);
        assert_eq!(big.legal_form(), Some("cic"));
        let wash = add(
            &store,
            &c,
            "Soap Box Laundry Co-op",
            profile("laundry", "£250,000", "£150,000"),
        )
        .await;
        let cook = add(
            &store,
            &c,
            "Kitchen Table Catering",
            profile("catering", "£100,000", "£60,000"),
        )
        .await;
        // Adding the same again finds the one already there.
        let again = add_enterprise(
            store.as_ref(),
            &c,
            &NewEnterpriseInput {
                name: "BRIGHT CLEAN CIC ".into(),
                postcode: "B66 2QT".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(again.id, big.id);

        let alone = save_lot(store.as_ref(), &c, &lot("L1", "cleaning", "£100,000"))
            .await
            .unwrap();
        let together = save_lot(
            store.as_ref(),
            &c,
            &lot("L2", "cleaning, laundry", "£300,000"),
        )
        .await
        .unwrap();
        let a = consortium(store.as_ref(), &c, alone.id, 5).await.unwrap();
        assert_eq!(a.eligibility.qualify, vec![big.id]);
        let why: Vec<String> = a
            .eligibility
            .not_alone
            .iter()
            .find(|n| n.id == cook.id)
            .unwrap()
            .unmet
            .iter()
            .map(|u| {
                u.message(&useit_core::enterprise::services::taxonomy())
                    .text()
            })
            .collect();
        assert_eq!(
            why,
            [
                "does not offer cleaning services",
                "turnover £100,000 below the £200,000 required (twice the lot value)",
                "largest contract it can take £60,000 below the £100,000 lot value"
            ]
        );

        let b = consortium(store.as_ref(), &c, together.id, 5)
            .await
            .unwrap();
        assert!(b.eligibility.qualify.is_empty());
        let best = &b.consortia.proposals[0];
        let mut ids: Vec<_> = best.members.iter().map(|m| m.id).collect();
        ids.sort();
        let mut want = vec![big.id, wash.id];
        want.sort();
        assert_eq!(ids, want, "{:?}", b.consortia);
        assert_eq!(
            best.members[best.lead].id, big.id,
            "the lead can take the largest contract"
        );

        // The lots file round trips, twice changes nothing, a bad one names its cells.
        let all = lots(store.as_ref(), &c).await.unwrap();
        let csv = export(&all);
        let once = import_lots(store.as_ref(), &c, "lots.csv", csv.as_bytes())
            .await
            .unwrap();
        assert_eq!(
            (
                once.outcome.new,
                once.outcome.changed,
                once.outcome.unchanged
            ),
            (0, 0, 2)
        );
        let bad = format!("{csv}L3,Trust,Thing,,rockets,£5,,30/04/2099,,,,,,\n");
        match import_lots(store.as_ref(), &c, "bad.csv", bad.as_bytes()).await {
            Err(Error::Rejected(r)) => {
                let p: Vec<_> = r
                    .errors()
                    .map(|p| (p.line, p.column.as_ref().map(|c| c.name.clone())))
                    .collect();
                assert_eq!(p, [(4, Some("services".to_string()))]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(lots(store.as_ref(), &c).await.unwrap().len(), 2);

        // Support and income.
        add_support(
            store.as_ref(),
            &c,
            cook.id,
            &SupportInput {
                given_on: useit_core::clock::iso_date(useit_core::clock::today()),
                kind: "bid_writing".into(),
                hours: "2.5".into(),
                outcome: "Catering bid drafted".into(),
                plan_stage: "drafting".into(),
            },
        )
        .await
        .unwrap();
        for (year, grants, trading) in [("2024", "80000", "20000"), ("2026", "10000", "90000")] {
            save_income(
                store.as_ref(),
                &c,
                cook.id,
                &IncomeInput {
                    year: year.into(),
                    grants: grants.into(),
                    trading: trading.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let d = enterprise(store.as_ref(), &c, cook.id).await.unwrap();
        assert_eq!(d.support.len(), 1);
        assert_eq!(
            d.income
                .iter()
                .map(|h| h.income.is_some())
                .collect::<Vec<_>>(),
            [true, false, true]
        );
        let rows = directory(
            store.as_ref(),
            &c,
            &EnterpriseQuery {
                service: "catering".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(rows.len(), 2);
        let kt = rows.iter().find(|r| r.enterprise.id == cook.id).unwrap();
        assert!(kt.supported);
        assert_eq!(kt.earned_share_bp, Some(9_000));
        let t = sustainability(store.as_ref(), &c, 2024, 2026)
            .await
            .unwrap();
        assert_eq!(
            t.iter()
                .map(|y| (y.mostly_earned, y.mostly_given, y.not_known))
                .collect::<Vec<_>>(),
            [(0, 1, 2), (0, 0, 3), (1, 0, 2)]
        );

        // A funder reads but cannot change.
        let funder = Caller::member(
            c.programme,
            useit_core::UserId(uuid::Uuid::now_v7()),
            Role::FunderViewer,
            Actor::system("funder"),
        );
        assert!(
            directory(store.as_ref(), &funder, &EnterpriseQuery::default())
                .await
                .is_ok()
        );
        assert!(matches!(
            save_profile(store.as_ref(), &funder, cook.id, &ProfileInput::default()).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            save_lot(store.as_ref(), &funder, &lot("L9", "cleaning", "£1")).await,
            Err(Error::Refused)
        ));
    }
);
