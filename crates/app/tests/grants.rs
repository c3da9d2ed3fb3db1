//! Grants from a real 360Giving file (the Nominet Trust's) as income, on
//! SQLite and PostgreSQL: each grant placed by org-id, company number or
//! name, the rest listed; the same file twice changes nothing; a bad file
//! writes nothing and names its cells; imported grants join the income of
//! the years recorded. And the first-anchor-contract milestone from the
//! spend lines resolved to an organisation.

use std::sync::Arc;

use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::register::load_organisations;
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_app::enterprise::grants::{grants_held, import_grants};
use useit_app::enterprise::milestones::milestones;
use useit_app::enterprise::profiles::{add_enterprise, enterprise};
use useit_app::enterprise::records::{save_income, sustainability};
use useit_app::{Caller, Error, Store};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::import::ImportOptions;
use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::register::OrganisationInput;
use useit_core::audit::Actor;
use useit_core::auth::Role;
use useit_core::enterprise::income::IncomeInput;
use useit_core::enterprise::profile::NewEnterpriseInput;
use useit_core::programme::NewProgramme;
use useit_testkit::story;
use uuid::Uuid;

async fn setup(store: &Arc<dyn Store>) -> Caller {
    let p = store
        .create_programme(
            &NewProgramme {
                slug: "grants".into(),
                name: "Grants".into(),
                description: String::new(),
            },
            None,
            &Actor::system("test"),
        )
        .await
        .unwrap();
    Caller::system(p.id, "test")
}

fn org(org_id: &str, name: &str, company: Option<&str>, pc: &str) -> OrganisationInput {
    OrganisationInput {
        org_id: org_id.into(),
        name: name.into(),
        kind: SupplierKind::SocialEnterprise,
        company_number: company.map(Into::into),
        postcode: Some(pc.into()),
        trading_postcode: None,
        source: "test".into(),
        details: Default::default(),
        location: None,
    }
}

async fn id_of(store: &Arc<dyn Store>, c: &Caller, org_id: &str) -> Uuid {
    store
        .organisation_ids(c.programme)
        .await
        .unwrap()
        .into_iter()
        .find(|(o, _)| o == org_id)
        .unwrap()
        .1
}

fn nominet() -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../data/enterprise/grants_360giving/nominet.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

story!(
    a_360giving_file_counts_as_grant_income_once,
    |store: Arc<dyn Store>| async move {
        let c = setup(&store).await;
        load_organisations(
            store.as_ref(),
            &c,
            &[
                org(
                    "GB-CHC-216215",
                    "Walsall Deaf People's Centre",
                    None,
                    "WS4 2BX",
                ),
                // Held under a local id, with its company number.
                org("GB-USEIT-PODNOSH", "Podnosh", Some("07029099"), "B5 5SE"),
            ],
        )
        .await
        .unwrap();
        // Only the name is known.
        let memrica = add_enterprise(
            store.as_ref(),
            &c,
            &NewEnterpriseInput {
                name: "Memrica Limited".into(),
                postcode: "B7 4BB".into(),
            },
        )
        .await
        .unwrap();
        let podnosh = id_of(&store, &c, "GB-USEIT-PODNOSH").await;
        // Podnosh's 2011–12 income as typed: trading only.
        save_income(
            store.as_ref(),
            &c,
            podnosh,
            &IncomeInput {
                year: "2011".into(),
                trading: "£120,000".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

        // A year saved again is corrected, not refused (SQLite: no upsert
        // under the record counter's trigger).
        save_income(
            store.as_ref(),
            &c,
            podnosh,
            &IncomeInput {
                year: "2011".into(),
                trading: "£120,000".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let before = store.revision(c.programme).await.unwrap().records;
        let ticks = std::sync::atomic::AtomicU64::new(0);
        let i = import_grants(store.as_ref(), &c, "nominet.json", &nominet(), &|d, t| {
            assert!(d <= t);
            ticks.store(d, std::sync::atomic::Ordering::Relaxed);
        })
        .await
        .unwrap()
        .outcome;
        assert_eq!(ticks.into_inner(), 270);
        // The file's 270 grants sum to £18,303,977.01 (its SOURCE.md): the
        // three West Midlands recipients are placed (£190,258), the other
        // 267 listed, not dropped.
        assert_eq!(
            (i.matched, i.by_org_id, i.by_company_number, i.by_name),
            (3, 1, 1, 1)
        );
        assert_eq!(i.matched_total, 19_025_800);
        assert_eq!(i.unmatched.len(), 267);
        assert_eq!(i.matched_total + i.unmatched_total, 1_830_397_701);
        assert_eq!((i.saved.new, i.saved.changed, i.saved.unchanged), (3, 0, 0));
        // The home page's indicators count income: the records moved.
        assert!(store.revision(c.programme).await.unwrap().records > before);
        let memrica_grants = grants_held(store.as_ref(), &c, Some(memrica.id))
            .await
            .unwrap();
        assert_eq!(memrica_grants.len(), 1);
        assert_eq!(memrica_grants[0].grant.identifier, "360G-nominettrust-142");
        // 06/2014: the 2014–15 financial year.
        assert_eq!(memrica_grants[0].grant.year(), 2014);
        assert_eq!(memrica_grants[0].source, "nominet.json");

        // Twice: nothing changes.
        let again = import_grants(store.as_ref(), &c, "nominet.json", &nominet(), &|_, _| {})
            .await
            .unwrap()
            .outcome;
        assert_eq!(
            (again.saved.new, again.saved.changed, again.saved.unchanged),
            (0, 0, 3)
        );
        assert_eq!(
            grants_held(store.as_ref(), &c, None).await.unwrap().len(),
            3
        );

        // The grant of 02/2012 joins Podnosh's recorded 2011–12 income:
        // £99,100 given against £120,000 earned.
        let d = enterprise(store.as_ref(), &c, podnosh).await.unwrap();
        let y2011 = d
            .income
            .iter()
            .find(|h| h.year == 2011)
            .and_then(|h| h.income)
            .unwrap();
        assert_eq!((y2011.grants, y2011.trading), (9_910_000, 12_000_000));
        // Memrica has no income recorded for 2014: still not known.
        let t = sustainability(store.as_ref(), &c, 2011, 2014)
            .await
            .unwrap();
        assert_eq!((t[0].mostly_earned, t[0].mostly_given), (1, 0));
        assert_eq!(t[3].not_known, 3);

        // A bad file writes nothing and names its cells.
        let bad = "Identifier,Amount Awarded,Award Date,Recipient Org:Name\n\
                   360G-new-1,100,2024-05-01,Podnosh\n\
                   360G-new-2,a lot,2024-13-01,Podnosh\n";
        match import_grants(store.as_ref(), &c, "bad.csv", bad.as_bytes(), &|_, _| {}).await {
            Err(Error::Rejected(r)) => {
                let at: Vec<(u64, usize)> = r
                    .errors()
                    .map(|p| (p.line, p.column.as_ref().unwrap().number))
                    .collect();
                assert_eq!(at, [(3, 2), (3, 3)]);
            }
            other => panic!("not rejected: {other:?}"),
        }
        assert_eq!(
            grants_held(store.as_ref(), &c, None).await.unwrap().len(),
            3
        );

        // A funder reads but cannot import.
        let funder = Caller::member(
            c.programme,
            useit_core::UserId(Uuid::now_v7()),
            Role::FunderViewer,
            Actor::system("funder"),
        );
        assert_eq!(
            grants_held(store.as_ref(), &funder, None)
                .await
                .unwrap()
                .len(),
            3
        );
        assert!(matches!(
            import_grants(store.as_ref(), &funder, "n.json", &nominet(), &|_, _| {}).await,
            Err(Error::Refused)
        ));
    }
);

async fn anchor(store: &Arc<dyn Store>, c: &Caller, slug: &str, kind: &str) {
    save_anchor(
        store.as_ref(),
        c,
        &AnchorInput {
            slug: slug.into(),
            name: format!("The {slug}"),
            kind: kind.into(),
            official_code: String::new(),
            local_authority_code: String::new(),
            sites: "Main, B18 7QH".into(),
            column_mapping: String::new(),
        },
    )
    .await
    .unwrap();
}

async fn spend(store: &Arc<dyn Store>, c: &Caller, slug: &str, name: &str, text: &str) {
    import_spend_file(
        store.as_ref(),
        c,
        SpendUpload {
            anchor: slug,
            file_name: name,
            bytes: text.as_bytes(),
            options: ImportOptions::default(),
        },
        &|_| {},
    )
    .await
    .unwrap();
}

story!(
    the_first_anchor_contract_milestone_comes_from_the_spend_lines,
    |store: Arc<dyn Store>| async move {
        let c = setup(&store).await;
        anchor(&store, &c, "council", "council").await;
        anchor(&store, &c, "homes", "housing_association").await;
        load_organisations(
            store.as_ref(),
            &c,
            &[org(
                "GB-COH-12345678",
                "LADYWOOD COMMUNITY KITCHEN CIC",
                Some("12345678"),
                "B16 8HA",
            )],
        )
        .await
        .unwrap();
        let kitchen = id_of(&store, &c, "GB-COH-12345678").await;
        let none = milestones(store.as_ref(), &c, kitchen).await.unwrap();
        assert_eq!(none.first_anchor_contract, None);

        // The council paid it in June, after a refund in December; the
        // housing association in February; someone else is not it.
        spend(
            &store,
            &c,
            "council",
            "council.csv",
            "Date,Supplier,Amount\n15/12/2023,Ladywood Community Kitchen CIC,-100.00\n21/06/2024,Ladywood Community Kitchen CIC,5000.00\n13/01/2024,Nobody Anywhere Ltd,50.00\n",
        )
        .await;
        let m = milestones(store.as_ref(), &c, kitchen).await.unwrap();
        let first = m.first_anchor_contract.unwrap();
        assert_eq!(
            (
                first.anchor_name.as_str(),
                first.paid_on.to_string(),
                first.amount
            ),
            ("The council", "2024-06-21".to_string(), 500_000)
        );
        assert_eq!(first.line_no, 3);
        spend(
            &store,
            &c,
            "homes",
            "homes.csv",
            "Date,Supplier,Amount\n14/02/2024,Ladywood Community Kitchen CIC,900.00\n",
        )
        .await;
        let m = milestones(store.as_ref(), &c, kitchen).await.unwrap();
        let first = m.first_anchor_contract.unwrap();
        assert_eq!(
            (first.anchor_name.as_str(), first.paid_on.to_string()),
            ("The homes", "2024-02-14".to_string())
        );
        // A housing association is no public body.
        assert_eq!(
            m.first_public_contract.unwrap().paid_on.to_string(),
            "2024-06-21"
        );
        assert_eq!(m.first_trading_year, None);

        // Its 2024–25 income as typed: trading only. The contracts the
        // council paid that year (June 2024) count as contract income with
        // nobody typing them; 2023–24 (the refund and February's payment)
        // has no record, so it stays not known.
        save_income(
            store.as_ref(),
            &c,
            kitchen,
            &IncomeInput {
                year: "2024".into(),
                trading: "£1,000".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let years = enterprise(store.as_ref(), &c, kitchen)
            .await
            .unwrap()
            .income;
        let y2024 = years
            .iter()
            .find(|h| h.year == 2024)
            .and_then(|h| h.income)
            .expect("2024 recorded");
        assert_eq!((y2024.trading, y2024.contracts), (100_000, 500_000));
        assert!(
            years
                .iter()
                .find(|h| h.year == 2023)
                .is_none_or(|h| h.income.is_none())
        );
        // A typed figure larger than the lines is kept, never added to them.
        save_income(
            store.as_ref(),
            &c,
            kitchen,
            &IncomeInput {
                year: "2024".into(),
                trading: "£1,000".into(),
                contracts: "£6,000".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let years = enterprise(store.as_ref(), &c, kitchen)
            .await
            .unwrap()
            .income;
        let y2024 = years.iter().find(|h| h.year == 2024).and_then(|h| h.income);
        assert_eq!(y2024.map(|y| y.contracts), Some(600_000));
    }
);

story!(
    the_directory_download_imports_back_all_or_nothing,
    |store: Arc<dyn Store>| async move {
        use useit_app::enterprise::directory_csv::{directory_file, import_directory};
        use useit_app::enterprise::profiles::save_profile;
        use useit_core::enterprise::profile::{EnterpriseQuery, ProfileInput};
        let c = setup(&store).await;
        let mut ids = Vec::new();
        for (name, turnover) in [
            ("Smethwick Sparkle CIC", "£120,000"),
            ("Cape Hill Kitchen", ""),
        ] {
            let e = add_enterprise(
                store.as_ref(),
                &c,
                &NewEnterpriseInput {
                    name: name.into(),
                    postcode: "B66 2QT".into(),
                },
            )
            .await
            .unwrap();
            save_profile(
                store.as_ref(),
                &c,
                e.id,
                &ProfileInput {
                    legal_form: "cic".into(),
                    social_purpose: "yes".into(),
                    services: "cleaning".into(),
                    accreditations: "Real Living Wage employer accreditation\nCHAS health and safety accreditation, 28/02/2028".into(),
                    turnover: turnover.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            ids.push(e.id);
        }
        let file = directory_file(store.as_ref(), &c, &EnterpriseQuery::default())
            .await
            .unwrap();
        // Back as it came: nothing changes.
        let i = import_directory(store.as_ref(), &c, "d.csv", file.as_bytes())
            .await
            .unwrap();
        assert_eq!((i.outcome.changed, i.outcome.unchanged), (0, 2));
        assert!(i.report.problems.is_empty());
        // A bad value anywhere: nothing is written.
        let sparkle = enterprise(store.as_ref(), &c, ids[0])
            .await
            .unwrap()
            .enterprise;
        let kitchen = enterprise(store.as_ref(), &c, ids[1])
            .await
            .unwrap()
            .enterprise;
        let bad = format!(
            "org_id,name,turnover,staff\n{},Smethwick Sparkle CIC,£200000,9\n{},Cape Hill Kitchen,,lots\n",
            sparkle.org_id, kitchen.org_id
        );
        match import_directory(store.as_ref(), &c, "bad.csv", bad.as_bytes()).await {
            Err(Error::Rejected(r)) => {
                let at: Vec<(u64, usize)> = r
                    .errors()
                    .map(|p| (p.line, p.column.as_ref().unwrap().number))
                    .collect();
                assert_eq!(at, [(3, 4)]);
            }
            other => panic!("not rejected: {other:?}"),
        }
        let held = enterprise(store.as_ref(), &c, ids[0])
            .await
            .unwrap()
            .enterprise;
        assert_eq!(held.profile.unwrap().turnover, Some(12_000_000));
        // Fixed: the first changes, the columns left out are kept.
        let good = bad.replace(",lots", ",4");
        let i = import_directory(store.as_ref(), &c, "good.csv", good.as_bytes())
            .await
            .unwrap();
        assert_eq!((i.outcome.changed, i.outcome.unchanged), (2, 0));
        let p = enterprise(store.as_ref(), &c, ids[0])
            .await
            .unwrap()
            .enterprise
            .profile
            .unwrap();
        assert_eq!(
            (p.turnover, p.staff, p.accreditations.len()),
            (Some(20_000_000), Some(9), 2)
        );
    }
);
