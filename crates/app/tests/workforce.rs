//! Workforce workflows on SQLite and PostgreSQL, on the real West Midlands
//! sample: a file of one row per employee is summed into the cells a person
//! works out by hand, and no stored row holds an employee id or a postcode;
//! the same file twice changes nothing; a bad file writes nothing and names
//! line and column; the measures split staff and pay by where they live,
//! with small counts hidden from roles without personal-data rights.

use std::collections::BTreeSet;
use std::sync::Arc;

use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::workforce::{
    WorkforceQuery, WorkforceUpload, import_workforce, workforce_files, workforce_measures,
};
use useit_app::place::area_of_benefit::save_area_of_benefit;
use useit_app::{Caller, Error, Store};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::workforce::Year;
use useit_core::audit::{Actor, Channel};
use useit_core::auth::Role;
use useit_core::disclosure::Cell;
use useit_core::place::input::SelectionInput;
use useit_core::programme::NewProgramme;
use useit_core::{ProgrammeId, UserId};
use useit_testkit::place::{WARDS, sample};
use useit_testkit::story;

fn actor() -> Actor {
    Actor::system("test")
}

async fn programme(store: &Arc<dyn Store>, slug: &str) -> ProgrammeId {
    store
        .create_programme(
            &NewProgramme {
                slug: slug.into(),
                name: slug.into(),
                description: String::new(),
            },
            None,
            &actor(),
        )
        .await
        .unwrap()
        .id
}

/// The sample loaded, a programme whose area of benefit is the Sandwell
/// ward's small areas, and its trust. Returns the caller and the area of
/// benefit's codes.
async fn setup(store: &Arc<dyn Store>) -> (Caller, BTreeSet<String>) {
    for load in sample() {
        store.load_reference(load, &|_| {}, &actor()).await.unwrap();
    }
    let c = Caller::system(programme(store, "alpha").await, "test");
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
    (c, aob.codes)
}

/// A sample postcode in the given small areas (or outside them) and its area.
fn postcode(aob: &BTreeSet<String>, inside: bool) -> (String, String) {
    sample()
        .iter()
        .flat_map(|l| l.postcodes.iter())
        .filter(|p| p.terminated.is_none())
        .find_map(|p| {
            let (_, area) = p.areas.iter().find(|(s, _)| s == "lsoa11")?;
            (aob.contains(area) == inside).then(|| (p.postcode.clone(), area.clone()))
        })
        .expect("a sample postcode")
}

async fn upload(
    store: &Arc<dyn Store>,
    c: &Caller,
    name: &str,
    text: &str,
) -> Result<useit_app::Imported<useit_store::anchors::workforce::WorkforceOutcome>, Error> {
    import_workforce(
        store.as_ref(),
        c,
        WorkforceUpload {
            anchor: "trust",
            year: Year(2024),
            file_name: name,
            bytes: text.as_bytes(),
        },
    )
    .await
}

story!(
    employee_rows_become_cells_by_small_area_and_are_never_stored,
    |store: Arc<dyn Store>| async move {
        let (c, aob) = setup(&store).await;
        let (inside, inside_area) = postcode(&aob, true);
        let (outside, outside_area) = postcode(&aob, false);
        // Six nurses at home in the area of benefit (two started this
        // year), one who left before the year, three estates staff elsewhere
        // and one whose home is not given.
        let mut text = String::from(
            "employee_id,home_postcode,staff_group,band,start_date,leaving_date,pay\n",
        );
        for i in 0..6 {
            let start = if i < 2 { "2024-06-01" } else { "2019-01-01" };
            text.push_str(&format!("N{i},{inside},Nursing,5,{start},,30000\n"));
        }
        text.push_str(&format!(
            "N9,{inside},Nursing,5,2015-01-01,2024-03-31,30000\n"
        ));
        for i in 0..3 {
            text.push_str(&format!("S{i},{outside},Estates,2,2020-01-01,,20000\n"));
        }
        text.push_str("U1,,Estates,2,2024-09-01,,10000\n");
        let first = upload(&store, &c, "staff-2024.csv", &text).await.unwrap();
        assert!(!first.outcome.already_imported);
        assert_eq!(first.outcome.cells, 3);
        assert_eq!(first.report.warning_count(), 1, "{:?}", first.report);

        // The cells are the hand-computed ones, and hold no id or postcode.
        let stored = store.workforce_cells(c.programme, None).await.unwrap();
        // Area, band, headcount, pay and starters of each stored cell.
        type Got = (Option<String>, String, u64, i64, Option<u64>);
        let got: Vec<Got> = stored
            .iter()
            .map(|s| {
                (
                    s.cell.area_code.clone(),
                    s.cell.band.clone(),
                    s.cell.headcount,
                    s.cell.pay,
                    s.cell.starters,
                )
            })
            .collect();
        let mut want = vec![
            (None, "Band 2".to_string(), 1, 1_000_000, Some(1)),
            (
                Some(inside_area.clone()),
                "Band 5".to_string(),
                6,
                18_000_000,
                Some(2),
            ),
            (
                Some(outside_area.clone()),
                "Band 2".to_string(),
                3,
                6_000_000,
                Some(0),
            ),
        ];
        want.sort();
        let mut got = got;
        got.sort();
        assert_eq!(got, want);
        let dump = format!("{stored:?}");
        for secret in ["N0", "N9", "S1", "U1", inside.as_str(), outside.as_str()] {
            assert!(!dump.contains(&format!("\"{secret}\"")), "{secret} stored");
        }
        assert!(!dump.contains(&inside.replace(' ', "")));

        // The same file again changes nothing.
        let again = upload(&store, &c, "staff-2024.csv", &text).await.unwrap();
        assert!(again.outcome.already_imported);
        assert_eq!(again.outcome.file_id, first.outcome.file_id);
        assert_eq!(
            store.workforce_cells(c.programme, None).await.unwrap(),
            stored
        );

        // A bad file writes nothing and says where.
        let bad = text.replace("N3,", "N2,") + "X1,B18 7QH,Nursing,5,someday,,1\n";
        match upload(&store, &c, "bad.csv", &bad).await {
            Err(Error::Rejected(r)) => {
                let at: Vec<(u64, String)> = r
                    .errors()
                    .map(|p| (p.line, p.column.clone().unwrap().name))
                    .collect();
                assert_eq!(
                    at,
                    vec![(5, "employee_id".into()), (13, "start_date".into())]
                );
            }
            other => panic!(
                "expected a rejected file, got {:?}",
                other.map(|o| o.outcome)
            ),
        }
        assert_eq!(
            store.workforce_cells(c.programme, None).await.unwrap(),
            stored
        );
        let files = workforce_files(store.as_ref(), &c).await.unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!((files[0].rows_read, files[0].year), (10, Year(2024)));

        // The measures: 6 of 10 staff live in the area of benefit.
        let v = workforce_measures(store.as_ref(), &c, &WorkforceQuery::default())
            .await
            .unwrap();
        assert!(v.area_of_benefit_known && v.viewer.exact());
        let y = &v.years[0];
        assert_eq!(y.measures.staff.people, 10);
        assert_eq!(y.measures.area_of_benefit.inside.people, 6);
        assert_eq!(y.measures.area_of_benefit.inside.pay, 18_000_000);
        assert_eq!(y.measures.starters.unwrap().inside.people, 2);
        assert_eq!(y.measures.home_unknown.people, 1);
        assert_eq!(y.published.area_of_benefit.people_share(), Some(60.0));

        // A funder sees the three estates staff and the one unknown home
        // as "fewer than 5"; never a count from 1 to 4.
        let funder = Caller::member(
            c.programme,
            UserId(uuid::Uuid::now_v7()),
            Role::FunderViewer,
            Actor::user(UserId(uuid::Uuid::now_v7()), "funder", Channel::Web),
        );
        let fv = workforce_measures(store.as_ref(), &funder, &WorkforceQuery::default())
            .await
            .unwrap();
        assert!(!fv.viewer.exact());
        let p = &fv.years[0].published;
        assert_eq!(p.home_unknown, Cell::Suppressed { below: 5 });
        for cell in p.all_counts() {
            if let Some(n) = cell.value() {
                assert!(!(1..5).contains(&n), "{n} shown to a funder");
            }
        }
        // The band table's margin and the split agree on what is hidden.
        assert_eq!(
            p.area_of_benefit.people.cells[1].is_hidden(),
            p.by_band.people.column_totals[1].is_hidden()
        );

        // Another programme sees none of it.
        let beta = Caller::system(programme(&store, "beta").await, "test");
        assert!(
            workforce_files(store.as_ref(), &beta)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .workforce_cells(beta.programme, None)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

story!(
    a_counts_file_without_starters_leaves_them_not_known_not_zero,
    |store: Arc<dyn Store>| async move {
        use useit_app::anchors::Ledgers;
        use useit_app::programme::indicators::indicators;
        use useit_core::programme::indicators::{Figure, Indicator};

        let (c, aob) = setup(&store).await;
        let (_, inside) = postcode(&aob, true);
        let (_, outside) = postcode(&aob, false);
        // Headcount and pay by home area, and no `starters` column.
        let text = format!(
            "home_area,staff_group,band,contract,headcount,pay\n\
             {inside},Nursing,5,Permanent,12,336000\n\
             {outside},Nursing,5,Permanent,30,840000\n"
        );
        upload(&store, &c, "counts-2024.csv", &text).await.unwrap();
        let stored = store.workforce_cells(c.programme, None).await.unwrap();
        assert_eq!(stored.len(), 2);
        assert!(
            stored.iter().all(|s| s.cell.starters.is_none()),
            "{stored:?}"
        );
        let v = workforce_measures(store.as_ref(), &c, &WorkforceQuery::default())
            .await
            .unwrap();
        let y = &v.years[0];
        assert_eq!(y.measures.area_of_benefit.inside.people, 12);
        assert_eq!(y.measures.starters, None);
        assert_eq!(y.published.starters, None);
        // The placed-among-starters row says "not known", not 0 starters.
        assert_eq!(v.placed.len(), 1);
        assert_eq!(v.placed[0].starters, None);
        assert_eq!(v.placed[0].published.starters, None);
        // The home page: the staff share is judged, the starters' share is not known.
        let figures = indicators(store.as_ref(), &c, &Ledgers::default())
            .await
            .unwrap()
            .figures
            .clone();
        let of = |i: Indicator| {
            figures
                .iter()
                .find(|p| p.indicator == i)
                .unwrap()
                .figure
                .clone()
        };
        assert!(!matches!(
            of(Indicator::LocalStaffShare),
            Figure::NotKnown { .. }
        ));
        assert!(
            matches!(of(Indicator::LocalStarterShare), Figure::NotKnown { .. }),
            "{:?}",
            of(Indicator::LocalStarterShare)
        );
    }
);

story!(
    the_home_page_figures_follow_a_workforce_file_at_once,
    |store: Arc<dyn Store>| async move {
        use useit_app::anchors::Ledgers;
        use useit_app::programme::indicators::indicators;
        use useit_core::programme::indicators::{Figure, Indicator};

        // One `Ledgers` kept across requests, as the server keeps it.
        let (c, aob) = setup(&store).await;
        let kept = Ledgers::default();
        let staff = async || {
            indicators(store.as_ref(), &c, &kept)
                .await
                .unwrap()
                .figures
                .iter()
                .find(|p| p.indicator == Indicator::LocalStaffShare)
                .unwrap()
                .figure
                .clone()
        };
        assert!(matches!(staff().await, Figure::NotKnown { .. }));
        let (inside, _) = postcode(&aob, true);
        let (outside, _) = postcode(&aob, false);
        let file = |local: usize| {
            let mut text = String::from(
                "employee_id,home_postcode,staff_group,band,start_date,leaving_date,pay\n",
            );
            for i in 0..10 {
                let home = if i < local { &inside } else { &outside };
                text.push_str(&format!("N{i},{home},Nursing,5,2019-01-01,,30000\n"));
            }
            text
        };
        upload(&store, &c, "staff-2024.csv", &file(6))
            .await
            .unwrap();
        // Counted by hand: 6 of the 10 staff live in the area of benefit,
        // and every home is known.
        let six = staff().await;
        let share = |f: &Figure| match f {
            Figure::Share {
                low_bp,
                high_bp,
                coverage,
            } => (*low_bp, *high_bp, *coverage),
            other => panic!("{other:?}"),
        };
        let placed = useit_core::programme::indicators::Coverage::StaffPlaced { bp: 10_000 };
        assert_eq!(share(&six), (6_000, 6_000, placed));
        assert_eq!(
            useit_core::programme::indicators::figure_text(&six),
            "60.0%"
        );
        // The year's file replaced by a corrected one: 3 of 10, at once.
        upload(&store, &c, "staff-2024-corrected.csv", &file(3))
            .await
            .unwrap();
        let three = staff().await;
        assert_eq!(share(&three), (3_000, 3_000, placed));
        assert_eq!(
            useit_core::programme::indicators::figure_text(&three),
            "30.0%"
        );
    }
);

story!(
    residents_placed_through_the_programme_are_counted_among_the_anchors_starters,
    |store: Arc<dyn Store>| async move {
        use useit_app::talent::matching::{confirm, move_placement, proposals};
        use useit_app::talent::people::create_person;
        use useit_app::talent::vacancies::{VacancyUpload, import_vacancies};
        use useit_core::talent::casework::PersonInput;
        use useit_core::talent::placement::{ConfirmInput, MoveInput};

        let (c, aob) = setup(&store).await;
        let s = store.as_ref();
        let (_, inside_area) = postcode(&aob, true);
        // 2024/25: 30 staff, 12 of them new starters.
        let text = format!(
            "home_area,staff_group,band,headcount,pay,starters\n\
             {inside_area},Nursing,5,20,600000,8\n\
             {inside_area},Estates,2,10,200000,4\n"
        );
        upload(&store, &c, "counts-2024.csv", &text).await.unwrap();
        // Three posts with the trust; residents start in two of them in
        // 2024/25 (one on its last day) and in the third in 2025/26, a year
        // with no workforce file.
        let vacancies = "reference,anchor,title,role,posts,opens_on,site_postcode\n\
                         HCA-1,trust,Healthcare assistant,healthcare_assistant,3,2024-04-01,B18 7QH\n";
        import_vacancies(
            s,
            &c,
            VacancyUpload {
                file_name: "vacancies.csv",
                bytes: vacancies.as_bytes(),
            },
        )
        .await
        .unwrap();
        for name in ["Amal Haddad", "Samir Aziz", "Lina Omar"] {
            create_person(
                s,
                &c,
                &PersonInput {
                    full_name: name.into(),
                    postcode: "B66 2QT".into(),
                    profession: "nurse".into(),
                    qualification_country: "Syria".into(),
                    experience_years: "6".into(),
                    right_to_work: "yes".into(),
                    lawful_basis: "consent".into(),
                    consent_given_on: "2024-01-10".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let mut last = None;
        for started in ["2024-06-03", "2025-03-31", "2025-05-01"] {
            let found = proposals(s, &c).await.unwrap();
            let pair = ConfirmInput {
                person: found[0].person.id.to_string(),
                vacancy: found[0].vacancy.id.to_string(),
            };
            let placed = confirm(s, &c, &pair).await.unwrap();
            for status in ["applied", "offered", "started"] {
                let step = MoveInput {
                    status: status.into(),
                    on: started.into(),
                };
                move_placement(s, &c, placed.id, &step).await.unwrap();
            }
            last = Some(placed.id);
        }

        // The home page's savings against agency staff follow a post's
        // leaving day at once: a placement's change moves the record counter
        // the indicators' kept facts are read under.
        let ledgers = useit_app::anchors::ledger::Ledgers::default();
        let saved = || async {
            let all = useit_app::programme::indicators::indicators(s, &c, &ledgers)
                .await
                .unwrap();
            let f = all
                .figures
                .iter()
                .find(|p| {
                    p.indicator == useit_core::programme::indicators::Indicator::AgencySavings
                })
                .unwrap();
            match &f.figure {
                useit_core::programme::indicators::Figure::Saved { high_pence, .. } => *high_pence,
                other => panic!("{other:?}"),
            }
        };
        let before = saved().await;
        assert!(before > 0, "three posts held since 2024 and 2025");
        let left = MoveInput {
            status: "left".into(),
            on: "2025-05-02".into(),
        };
        move_placement(s, &c, last.unwrap(), &left).await.unwrap();
        assert!(
            saved().await < before,
            "the post held one day no longer counts to today"
        );

        let v = workforce_measures(s, &c, &WorkforceQuery::default())
            .await
            .unwrap();
        assert!(v.viewer.exact());
        let rows: Vec<(Year, u64, Option<u64>)> = v
            .placed
            .iter()
            .map(|p| (p.year, p.placed, p.starters))
            .collect();
        assert_eq!(rows, vec![(Year(2024), 2, Some(12)), (Year(2025), 1, None)]);
        let y = &v.placed[0].published;
        assert_eq!(y.placed, Cell::Exact(2));
        assert_eq!(y.starters, Some(Cell::Exact(12)));
        assert_eq!(y.share(), Some(16.7));
        assert_eq!(v.placed[1].published.starters, None, "no file: not known");

        // A funder: 2 is under the threshold, so withheld; the starters stand.
        let funder = Caller::member(
            c.programme,
            UserId(uuid::Uuid::now_v7()),
            Role::FunderViewer,
            Actor::user(UserId(uuid::Uuid::now_v7()), "funder", Channel::Web),
        );
        let fv = workforce_measures(s, &funder, &WorkforceQuery::default())
            .await
            .unwrap();
        let y = &fv.placed[0].published;
        assert_eq!(y.placed, Cell::Suppressed { below: 5 });
        assert_eq!(y.starters, Some(Cell::Shown(12)));
        assert_eq!(y.share(), None);
        assert!(fv.placed[1].published.placed.is_hidden());

        // One year asked for: only its row.
        let one = workforce_measures(
            s,
            &c,
            &WorkforceQuery {
                anchor: Some("trust".into()),
                year: Some(Year(2025)),
            },
        )
        .await
        .unwrap();
        assert_eq!(one.placed.len(), 1);
        assert_eq!(one.placed[0].placed, 1);
    }
);
