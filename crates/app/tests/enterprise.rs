//! Enterprise workflows on SQLite and PostgreSQL: an enterprise added
//! without a register entry gets a local identifier; a profile meeting the
//! criteria recognises it as a social enterprise; a lot one enterprise can
//! meet alone and one only a consortium can, with the reasons; a lots file
//! imported twice changes nothing and a bad one names its cells; support
//! and income make "supported" and the earned-share trend; a funder can
//! read but not change.

use std::sync::Arc;

use useit_app::enterprise::consortium::consortium;
use useit_app::enterprise::lots::{import_lots, import_ocds, lots, save_lot};
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

/// The real Contracts Finder release package in `data/enterprise/`.
const TELFORD: &[u8] =
    include_bytes!("../../../data/enterprise/contracts_finder_telford_security_2015.json");

story!(ocds_import_of_a_real_release_package, |store: Arc<
    dyn Store,
>| async move {
    let c = setup(&store).await;
    let s = store.as_ref();
    // Without the buyer among the anchors: an error naming release and field.
    match import_ocds(s, &c, "telford.json", TELFORD).await {
        Err(Error::Rejected(r)) => {
            let e: Vec<_> = r.errors().collect();
            assert_eq!(e.len(), 1, "{r}");
            assert_eq!(e[0].column.as_ref().unwrap().name, "releases[0].buyer.name");
            assert!(e[0].message.text().contains("2015-s-27-45594"));
        }
        other => panic!("{other:?}"),
    }
    assert!(lots(s, &c).await.unwrap().is_empty(), "nothing written");
    useit_app::anchors::anchor::save_anchor(
        s,
        &c,
        &useit_core::anchors::anchor::AnchorInput {
            slug: "telford".into(),
            name: "Telford and Wrekin Council".into(),
            kind: "council".into(),
            official_code: "E06000020".into(),
            local_authority_code: "E06000020".into(),
            sites: String::new(),
            column_mapping: String::new(),
        },
    )
    .await
    .unwrap();
    let once = import_ocds(s, &c, "telford.json", TELFORD).await.unwrap();
    assert_eq!(once.outcome.releases, 1);
    assert_eq!((once.outcome.saved.new, once.outcome.saved.changed), (1, 0));
    let all = lots(s, &c).await.unwrap();
    assert_eq!(all.len(), 1);
    let l = &all[0].draft;
    assert_eq!(
        l.reference,
        "ocds-b5fd17-3699858f-adc8-11e6-9901-0019b9f3037b"
    );
    assert_eq!(l.title, "United Kingdom-Telford: Security services");
    assert_eq!(l.anchor.as_deref(), Some("telford"));
    assert_eq!(l.cpv.as_deref(), Some("79710000-4"));
    assert_eq!(l.requirements.services, ["security"]);
    assert_eq!(l.requirements.value, 100_000_000);
    assert_eq!(l.duration_months, None);

    // A requirement added by hand (the lot stays linked to its anchor)
    // survives a second import, which changes nothing.
    let mut edited = LotInput::of(l);
    edited.public_liability = "£10,000,000".into();
    save_lot(s, &c, &edited).await.unwrap();
    let twice = import_ocds(s, &c, "telford.json", TELFORD).await.unwrap();
    assert_eq!(
        (
            twice.outcome.saved.new,
            twice.outcome.saved.changed,
            twice.outcome.saved.unchanged
        ),
        (0, 0, 1)
    );
    let l = &lots(s, &c).await.unwrap()[0].draft;
    assert_eq!(
        l.requirements.minimum_insurance.public_liability,
        Some(1_000_000_000)
    );

    // Not JSON: one error, nothing written.
    assert!(matches!(
        import_ocds(s, &c, "x.json", b"{\"releases\": [").await,
        Err(Error::Rejected(_))
    ));
    let funder = Caller::member(
        c.programme,
        useit_core::UserId(uuid::Uuid::now_v7()),
        Role::FunderViewer,
        Actor::system("funder"),
    );
    assert!(matches!(
        import_ocds(s, &funder, "telford.json", TELFORD).await,
        Err(Error::Refused)
    ));
});

story!(consortia_formed_bids_and_money_after_a_win, |store: Arc<
    dyn Store,
>| async move {
    use useit_app::anchors::ledger::Ledgers;
    use useit_app::enterprise::formed::{add_bid, consortia, save_consortium};
    use useit_app::enterprise::gaps::supply_chain_gaps;
    use useit_core::enterprise::formed::{BidInput, BidOutcome, ConsortiumInput};
    let c = setup(&store).await;
    let s = store.as_ref();
    let trust = useit_app::anchors::anchor::save_anchor(
        s,
        &c,
        &useit_core::anchors::anchor::AnchorInput {
            slug: "trust".into(),
            name: "Sandwell and West Birmingham NHS Trust".into(),
            kind: "nhs_trust".into(),
            official_code: "RXK".into(),
            local_authority_code: String::new(),
            sites: String::new(),
            column_mapping: String::new(),
        },
    )
    .await
    .unwrap();
    let cape = add(
        &store,
        &c,
        "Cape Hill Cleaning CIC",
        profile("cleaning", "£500,000", "£200,000"),
    )
    .await;
    let soho = add(
        &store,
        &c,
        "Soho Road Kitchen CIC",
        profile("catering", "£300,000", "£100,000"),
    )
    .await;
    let other = add(
        &store,
        &c,
        "Elsewhere Laundry CIC",
        profile("laundry", "£90,000", "£30,000"),
    )
    .await;
    // The trust's spend: the members' names resolve to their register
    // entries; one payment before the award, two after, one to someone else.
    let file = "Date,Supplier,Amount,Expense Type\n\
                    01/07/2024,Cape Hill Cleaning CIC,1000.00,Cleaning\n\
                    15/08/2024,Cape Hill Cleaning CIC,2000.00,Cleaning\n\
                    20/09/2024,Soho Road Kitchen CIC,500.00,Catering\n\
                    20/09/2024,Elsewhere Laundry CIC,9999.00,Laundry\n\
                    21/09/2024,Big Facilities Plc,4000.00,Security\n";
    useit_app::anchors::import_spend_file(
        s,
        &c,
        useit_app::anchors::SpendUpload {
            anchor: &trust.slug,
            file_name: "trust.csv",
            bytes: file.as_bytes(),
            options: Default::default(),
        },
        &|_| {},
    )
    .await
    .unwrap();
    let lot = save_lot(
        s,
        &c,
        &LotInput {
            buyer: "Sandwell & West Birmingham NHS Trust".into(),
            deadline: "28/06/2024".into(),
            ..lot("K-2024", "cleaning, catering", "£120,000")
        },
    )
    .await
    .unwrap();

    // Bad input: members not of the register, one member, a future day.
    let bad = save_consortium(
        s,
        &c,
        None,
        &ConsortiumInput {
            name: "Kitchens".into(),
            lead: cape.id.to_string(),
            members: uuid::Uuid::now_v7().to_string(),
            lot: lot.id.to_string(),
            formed_on: "2024-05-20".into(),
        },
    )
    .await;
    // A member the register does not have is unknown (a 404 in the API).
    assert!(
        matches!(&bad, Err(Error::Unknown(f)) if f[0].field == "members"),
        "{bad:?}"
    );
    let input = ConsortiumInput {
        name: "Cape Hill and Soho Road Kitchens".into(),
        lead: cape.id.to_string(),
        members: soho.id.to_string(),
        lot: lot.id.to_string(),
        formed_on: "2024-05-20".into(),
    };
    let formed = save_consortium(s, &c, None, &input).await.unwrap();
    assert_eq!(formed.draft.members, [cape.id, soho.id]);
    let early = add_bid(
        s,
        &c,
        formed.id,
        &BidInput {
            on: "2024-05-01".into(),
            outcome: "submitted".into(),
            note: String::new(),
        },
    )
    .await;
    assert!(
        matches!(&early, Err(Error::Invalid(f)) if f[0].field == "on"),
        "{early:?}"
    );

    // Before a win: no money shown, not a zero.
    let ledgers = Ledgers::new(0);
    let v = consortia(s, &c, &ledgers).await.unwrap();
    assert_eq!((v.len(), v[0].won_spend), (1, None));
    for (on, outcome) in [("2024-06-26", "submitted"), ("2024-08-01", "won")] {
        add_bid(
            s,
            &c,
            formed.id,
            &BidInput {
                on: on.into(),
                outcome: outcome.into(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
    }
    let v = consortia(s, &c, &ledgers).await.unwrap();
    let w = &v[0];
    assert_eq!(w.consortium.outcome(), Some(BidOutcome::Won));
    assert_eq!(w.won_on, Some(time::macros::date!(2024 - 08 - 01)));
    assert_eq!(w.anchor.as_ref().map(|a| a.0.as_str()), Some("trust"));
    assert_eq!(
        w.member_names,
        ["Cape Hill Cleaning CIC", "Soho Road Kitchen CIC"]
    );
    // After the award: 2,000 to the lead and 500 to a member; the
    // payment before it and the one to a non-member are not counted.
    let spend = w.won_spend.unwrap();
    assert_eq!((spend.amount, spend.lines), (250_000, 2));
    let _ = other;

    // Every change is in the audit log.
    for (kind, n) in [("enterprise_consortium", 1), ("enterprise_bid", 2)] {
        let log = s
            .audit_list(
                &useit_core::audit::AuditFilter {
                    programme_id: Some(c.programme),
                    subject_type: Some(kind.into()),
                    ..Default::default()
                },
                useit_core::listing::PageRequest {
                    page: 1,
                    per_page: 100,
                },
            )
            .await
            .unwrap();
        assert_eq!(log.total, n, "{kind}");
    }

    // Gaps: no area of benefit, so no supplier is placed: nothing is
    // known to leave, and the money is said to be not placed.
    let g = supply_chain_gaps(s, &c, &ledgers).await.unwrap();
    let t = &g.anchors[0];
    assert!(t.gaps.gaps.is_empty() && t.gaps.not_known.is_empty());
    assert_eq!((t.gaps.leaving, t.gaps.not_placed), (0, t.influenceable));
    assert!(t.influenceable > 0);

    // A funder reads, but cannot record.
    let funder = Caller::member(
        c.programme,
        useit_core::UserId(uuid::Uuid::now_v7()),
        Role::FunderViewer,
        Actor::system("funder"),
    );
    assert_eq!(consortia(s, &funder, &ledgers).await.unwrap().len(), 1);
    assert!(matches!(
        save_consortium(s, &funder, None, &input).await,
        Err(Error::Refused)
    ));
});
