//! LM3's wages (issue 17 item 3) on SQLite and PostgreSQL: where an anchor
//! sent a workforce file for the period, LM3 stands on the pay it computes
//! (all pay, and pay of staff living in its local authority), never on the
//! figure typed in the spend settings; without one, the typed figure is
//! used and labelled so; without either, the wage round is "not known".
//! The spend dashboard's measures and the home page's indicator read the
//! same computation.

use std::collections::BTreeSet;
use std::sync::Arc;

use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::ledger::{self, Ledgers};
use useit_app::anchors::settings::{save_spend_settings, spend_settings};
use useit_app::anchors::workforce::{WorkforceUpload, import_workforce};
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_app::place::area_of_benefit::save_area_of_benefit;
use useit_app::{Caller, Store};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::import::ImportOptions;
use useit_core::anchors::settings::SpendSettingsInput;
use useit_core::anchors::wages::WageSource;
use useit_core::anchors::workforce::Year;
use useit_core::audit::Actor;
use useit_core::place::input::SelectionInput;
use useit_core::programme::NewProgramme;
use useit_core::programme::indicators::spend_facts;
use useit_testkit::place::{WARDS, sample};
use useit_testkit::story;

fn actor() -> Actor {
    Actor::system("test")
}

/// The sample geography, a programme whose area of benefit is one ward's
/// small areas, its trust, and a year of the trust's spend (2024/25).
async fn setup(store: &Arc<dyn Store>) -> (Caller, BTreeSet<String>) {
    for load in sample() {
        store.load_reference(load, &|_| {}, &actor()).await.unwrap();
    }
    let p = store
        .create_programme(
            &NewProgramme {
                slug: "alpha".into(),
                name: "alpha".into(),
                description: String::new(),
            },
            None,
            &actor(),
        )
        .await
        .unwrap()
        .id;
    let c = Caller::system(p, "test");
    let aob = save_area_of_benefit(
        store.as_ref(),
        &c,
        &SelectionInput {
            index: "imd2019".into(),
            wards: vec![WARDS[0].to_string()],
            note: "test".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    save_anchor(
        store.as_ref(),
        &c,
        &AnchorInput {
            slug: "trust".into(),
            name: "The Trust".into(),
            kind: "nhs_trust".into(),
            local_authority_code: "E08000028".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let file = "Date,Supplier,Amount,Expense Type\n\
                02/05/2024,Acme Ltd,1000.00,Building\n\
                03/02/2025,Bywest Ltd,500.00,Catering\n";
    import_spend_file(
        store.as_ref(),
        &c,
        SpendUpload {
            anchor: "trust",
            file_name: "spend-2024.csv",
            bytes: file.as_bytes(),
            options: ImportOptions::default(),
        },
        &|_| {},
    )
    .await
    .unwrap();
    (c, aob.codes)
}

/// Types a wage bill in the spend settings (blank: none typed).
async fn type_wages(store: &Arc<dyn Store>, c: &Caller, all: &str, local: &str) {
    let mut input = SpendSettingsInput::of(&spend_settings(store.as_ref(), c).await.unwrap());
    input.all_wages = all.into();
    input.local_wages = local.into();
    save_spend_settings(store.as_ref(), c, &input)
        .await
        .unwrap();
}

/// A sample postcode in the area of benefit (or outside it).
fn postcode(aob: &BTreeSet<String>, inside: bool) -> String {
    sample()
        .iter()
        .flat_map(|l| l.postcodes.iter())
        .filter(|p| p.terminated.is_none())
        .find_map(|p| {
            let (_, area) = p.areas.iter().find(|(s, _)| s == "lsoa11")?;
            (aob.contains(area) == inside).then(|| p.postcode.clone())
        })
        .expect("a sample postcode")
}

fn year_2024() -> LineFilter {
    LineFilter {
        anchor: Some("trust".into()),
        from: Some("2024-04-01".into()),
        to: Some("2025-03-31".into()),
        ..Default::default()
    }
}

story!(lm3_uses_the_computed_wages_when_present, |store: Arc<
    dyn Store,
>| async move {
    let (c, aob) = setup(&store).await;
    // Typed figures no workforce file could give: if LM3 used them, the
    // amounts below would be these.
    type_wages(&store, &c, "9000000.00", "8000000.00").await;
    // Two staff at home in the Sandwell ward (£30,000 each), one in the
    // Birmingham ward (£20,000): £80,000 in all, £60,000 paid into the
    // trust's local authority, Sandwell.
    let (inside, outside) = (postcode(&aob, true), postcode(&aob, false));
    let text = format!(
        "employee_id,home_postcode,staff_group,band,start_date,leaving_date,pay\n\
             A1,{inside},Nursing,5,2019-01-01,,30000\n\
             A2,{inside},Nursing,5,2019-01-01,,30000\n\
             B1,{outside},Estates,2,2019-01-01,,20000\n"
    );
    import_workforce(
        store.as_ref(),
        &c,
        WorkforceUpload {
            anchor: "trust",
            year: Year(2024),
            file_name: "staff-2024.csv",
            bytes: text.as_bytes(),
        },
    )
    .await
    .unwrap();
    let ledgers = Ledgers::default();
    let s = ledger::measures(store.as_ref(), &c, &ledgers, &year_2024())
        .await
        .unwrap();
    let w = &s.lm3.wages;
    assert_eq!((w.all, w.local), (8_000_000, 6_000_000), "{w:?}");
    assert!(
        matches!(&w.source, WageSource::Workforce { years, partial: false, missing }
                if years.len() == 1 && years[0].year == "2024/25" && missing.is_empty()),
        "{w:?}"
    );
    assert_eq!(w.text(), "wages: from the workforce file for 2024/25");
    // R1 is the influenceable spend and the computed pay, R2 holds the
    // local pay.
    assert_eq!(s.lm3.r1, s.measures.influenceable + 8_000_000);
    assert!(s.lm3.r2.low >= 6_000_000);
    // The same computation for the home page's indicator: the spend
    // covers only May 2024 to February 2025, so the open period takes
    // those days of the year's pay, from the same file.
    let placed = ledger::ledger(store.as_ref(), &c, &ledgers).await.unwrap();
    let facts = spend_facts(&placed);
    assert!(
        matches!(
            &facts.lm3_wages,
            WageSource::Workforce { partial: true, .. }
        ),
        "{:?}",
        facts.lm3_wages
    );
    assert!(
        facts
            .lm3_wages
            .text()
            .starts_with("wages: from the workforce file for 2024/25 (only the days"),
        "{}",
        facts.lm3_wages.text()
    );
    // A period the file does not cover falls back, labelled.
    let s = ledger::measures(
        store.as_ref(),
        &c,
        &ledgers,
        &LineFilter {
            from: Some("2025-04-01".into()),
            to: Some("2026-03-31".into()),
            ..year_2024()
        },
    )
    .await
    .unwrap();
    assert_eq!(s.lm3.wages.source, WageSource::Typed);
});

story!(
    lm3_falls_back_to_the_typed_wages_labelled_and_else_not_known,
    |store: Arc<dyn Store>| async move {
        let (c, _) = setup(&store).await;
        let ledgers = Ledgers::new(0);
        // Nothing typed and no workforce file: not known, never 0.
        let s = ledger::measures(store.as_ref(), &c, &ledgers, &year_2024())
            .await
            .unwrap();
        assert_eq!(s.lm3.wages.source, WageSource::NotKnown);
        assert!(s.lm3.wages.text().starts_with("wages: not known"));
        type_wages(&store, &c, "50000.00", "20000.00").await;
        let s = ledger::measures(store.as_ref(), &c, &ledgers, &year_2024())
            .await
            .unwrap();
        let w = &s.lm3.wages;
        assert_eq!(w.source, WageSource::Typed);
        assert_eq!((w.all, w.local), (5_000_000, 2_000_000));
        assert_eq!(w.text(), "wages: typed in the spend settings");
        assert_eq!(s.lm3.r1, s.measures.influenceable + 5_000_000);
    }
);

story!(
    organisations_and_local_partners_are_counted_from_the_interactions,
    |store: Arc<dyn Store>| async move {
        use useit_app::anchors::interactions::import_interactions;
        use useit_app::anchors::register::{RegisterOptions, RegisterUpload, load_register};
        use useit_app::programme::indicators::indicators;
        use useit_core::anchors::register::RegisterFormat;
        use useit_core::disclosure::Cell;
        use useit_core::programme::indicators::{
            AnchorCount, Figure, Indicator, Step, published_coverage_text,
        };
        let (c, aob) = setup(&store).await;
        let none = indicators(store.as_ref(), &c, &Ledgers::new(0))
            .await
            .unwrap();
        let fig = |ind: &useit_app::programme::indicators::Indicators, i: Indicator| {
            ind.figures
                .iter()
                .find(|p| p.indicator == i)
                .unwrap()
                .clone()
        };
        // No interaction recorded: not known, with the step, never 0.
        for i in [Indicator::OrganisationsWorkedWith, Indicator::LocalPartners] {
            assert_eq!(
                fig(&none, i).figure,
                Figure::NotKnown {
                    fix: Step::Interactions
                }
            );
        }
        save_anchor(
            store.as_ref(),
            &c,
            &AnchorInput {
                slug: "council".into(),
                name: "The Council".into(),
                kind: "council".into(),
                local_authority_code: "E08000028".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // A centre in the area of benefit, a charity outside it, a
        // co-operative with no address.
        let (inside, outside) = (postcode(&aob, true), postcode(&aob, false));
        let register = format!(
            "org_id,name,kind,company_number,postcode,trading_postcode\n\
             GB-CHC-1000001,Community Centre,vcse,,{inside},\n\
             GB-CHC-1000002,Refugee Action,vcse,,{outside},\n\
             GB-COH-01000003,Cleaning Co-operative,social_enterprise,01000003,,\n"
        );
        load_register(
            store.as_ref(),
            &c,
            RegisterUpload {
                format: RegisterFormat::parse("useit").unwrap(),
                file_name: "register.csv".into(),
                source: Box::new(std::io::Cursor::new(register.into_bytes())),
                options: RegisterOptions::default(),
            },
            Arc::new(|_| {}),
        )
        .await
        .unwrap();
        // In force today: the centre (with both anchors) and the
        // co-operative; the charity's referral ended in 2025.
        let file = "anchor,organisation,kind,started_on,ended_on,evidence\n\
            trust,GB-CHC-1000001,community_use,2024-01-15,,Room hire agreement\n\
            trust,GB-CHC-1000002,referral,2024-02-28,2025-04-10,Referral log\n\
            trust,GB-COH-01000003,supply,2025-03-01,,Contract award\n\
            council,GB-CHC-1000001,volunteering,2025-05-01,,Volunteering record\n";
        import_interactions(store.as_ref(), &c, "i.csv", file.as_bytes())
            .await
            .unwrap();
        let ledgers = Ledgers::default();
        let ind = indicators(store.as_ref(), &c, &ledgers).await.unwrap();
        let orgs = fig(&ind, Indicator::OrganisationsWorkedWith);
        assert_eq!(
            orgs.figure,
            Figure::Count {
                value: Cell::Shown(2)
            }
        );
        assert_eq!(
            orgs.by_anchor,
            [
                AnchorCount {
                    anchor: "The Council".into(),
                    count: 1
                },
                AnchorCount {
                    anchor: "The Trust".into(),
                    count: 2
                }
            ]
        );
        // At each year's end: two in 2024, two in 2025 (the charity gone,
        // the co-operative come), two now.
        let trend: Vec<(i32, Option<u64>)> = orgs
            .trend
            .iter()
            .map(|p| match &p.figure {
                Figure::Count { value } => (p.year, value.value()),
                _ => (p.year, None),
            })
            .collect();
        assert_eq!(trend[0], (2024, Some(2)));
        assert_eq!(trend[1], (2025, Some(2)));
        assert!(!orgs.cumulative);
        let local = fig(&ind, Indicator::LocalPartners);
        assert_eq!(
            local.figure,
            Figure::Count {
                value: Cell::Shown(1)
            }
        );
        assert_eq!(
            local.by_anchor,
            [
                AnchorCount {
                    anchor: "The Council".into(),
                    count: 1
                },
                AnchorCount {
                    anchor: "The Trust".into(),
                    count: 1
                }
            ]
        );
        // The co-operative has no address: judged for neither side.
        assert_eq!(
            published_coverage_text(&local),
            "Place known for 1 of 2 organisations"
        );
        // Each figure links to the directory filtered to exactly the
        // organisations it counts (issue 20 item 1).
        let listed = async |i: Indicator| -> Vec<String> {
            use useit_core::enterprise::profile::EnterpriseQuery;
            useit_app::enterprise::profiles::directory(
                store.as_ref(),
                &c,
                &EnterpriseQuery {
                    counted: i.slug().into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.enterprise.name)
            .collect()
        };
        assert_eq!(
            listed(Indicator::OrganisationsWorkedWith).await,
            ["Cleaning Co-operative", "Community Centre"]
        );
        assert_eq!(listed(Indicator::LocalPartners).await, ["Community Centre"]);
        // Ending the centre's interactions moves the kept figures at once.
        let kept = indicators(store.as_ref(), &c, &ledgers).await.unwrap();
        assert_eq!(fig(&kept, Indicator::LocalPartners).figure, local.figure);
        let file = "anchor,organisation,kind,started_on,ended_on,evidence\n\
            trust,GB-CHC-1000001,community_use,2024-01-15,2026-01-31,Room hire agreement\n\
            council,GB-CHC-1000001,volunteering,2025-05-01,2026-01-31,Volunteering record\n";
        import_interactions(store.as_ref(), &c, "ended.csv", file.as_bytes())
            .await
            .unwrap();
        let after = indicators(store.as_ref(), &c, &ledgers).await.unwrap();
        assert_eq!(
            fig(&after, Indicator::LocalPartners).figure,
            Figure::Count {
                value: Cell::Shown(0)
            }
        );
        assert!(listed(Indicator::LocalPartners).await.is_empty());
        assert_eq!(
            listed(Indicator::OrganisationsWorkedWith).await,
            ["Cleaning Co-operative"]
        );
    }
);
