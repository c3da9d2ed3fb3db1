//! The programme's indicators on SQLite and PostgreSQL: a new programme has
//! no targets, nothing judged and every "get started" step; on a small data
//! set counted by hand each indicator equals the hand count (with its trend
//! by year and its target); a funder sees small counts of people suppressed
//! but organisations in full, and cannot set targets.

use std::sync::Arc;

use useit_app::anchors::Ledgers;
use useit_app::enterprise::profiles::{add_enterprise, save_profile};
use useit_app::enterprise::records::{add_support, save_income};
use useit_app::programme::indicators::{home, indicators, save_targets, targets};
use useit_app::research::projects::save_project;
use useit_app::research::researchers::create_researcher;
use useit_app::research::work::{decide_time, submit_time};
use useit_app::talent::people::create_person;
use useit_app::{Caller, Error, Store};
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::disclosure::{Cell, DisclosureSettingsInput};
use useit_core::enterprise::income::IncomeInput;
use useit_core::enterprise::profile::{NewEnterpriseInput, ProfileInput};
use useit_core::enterprise::support::SupportInput;
use useit_core::programme::indicators::{Figure, Indicator, Published, Step};
use useit_core::programme::targets::{TargetInput, TargetsInput};
use useit_core::programme::{NewProgramme, PartnerInput};
use useit_core::research::project::ProjectInput;
use useit_core::research::researcher::ResearcherInput;
use useit_core::research::work::TimeInput;
use useit_core::talent::casework::PersonInput;
use useit_testkit::story;

async fn programme(store: &Arc<dyn Store>) -> (Caller, Caller) {
    let actor = Actor::system("test");
    let p = store
        .create_programme(
            &NewProgramme {
                slug: "home".into(),
                name: "Home".into(),
                description: String::new(),
            },
            None,
            &actor,
        )
        .await
        .unwrap();
    let u = store
        .create_user(
            &NewUser {
                email: "fay@example.org".into(),
                display_name: "Fay".into(),
                password_hash: "x".into(),
                is_admin: false,
            },
            Some((p.id, Role::FunderViewer)),
            &actor,
        )
        .await
        .unwrap();
    let funder = Caller::member(
        p.id,
        u.id,
        Role::FunderViewer,
        Actor::user(u.id, "fay@example.org", Channel::Web),
    );
    (Caller::system(p.id, "test"), funder)
}

fn figure(all: &[Published], i: Indicator) -> &Published {
    all.iter().find(|p| p.indicator == i).unwrap()
}

fn count(all: &[Published], i: Indicator) -> Cell {
    match figure(all, i).figure {
        Figure::Count { value } => value,
        ref other => panic!("{i:?}: {other:?}"),
    }
}

fn trend(all: &[Published], i: Indicator) -> Vec<(i32, Cell)> {
    figure(all, i)
        .trend
        .iter()
        .map(|p| match p.figure {
            Figure::Count { value } => (p.year, value),
            ref other => panic!("{other:?}"),
        })
        .collect()
}

fn person(name: &str, consent_given_on: &str) -> PersonInput {
    PersonInput {
        full_name: name.into(),
        profession: "nurse".into(),
        qualification_country: "Syria".into(),
        right_to_work: "yes".into(),
        lawful_basis: "consent".into(),
        consent_given_on: consent_given_on.into(),
        ..Default::default()
    }
}

fn researcher(name: &str, accredited_on: &str) -> ResearcherInput {
    let accredited = !accredited_on.is_empty();
    let or_blank = |s: &str| {
        if accredited {
            s.to_string()
        } else {
            String::new()
        }
    };
    ResearcherInput {
        full_name: name.into(),
        channel: "event".into(),
        recruited_on: "2024-01-10".into(),
        lawful_basis: "consent".into(),
        consent_given_on: "2024-01-10".into(),
        qualification: or_blank("Community research"),
        level: or_blank("2"),
        awarding_body: or_blank("Open College Network"),
        accredited_on: accredited_on.into(),
        ..Default::default()
    }
}

fn profile() -> ProfileInput {
    ProfileInput {
        legal_form: "cic".into(),
        social_purpose: "yes".into(),
        reinvests_profits: "yes".into(),
        mission_ownership: "yes".into(),
        ..Default::default()
    }
}

/// A project and three hours of the researcher's time on it, submitted
/// (not yet approved).
async fn three_hours(
    s: &dyn Store,
    caller: &Caller,
    researcher: &useit_core::research::researcher::Researcher,
) -> useit_core::research::work::TimeEntry {
    let project = save_project(
        s,
        caller,
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
    useit_app::research::assignments::assign(
        s,
        caller,
        project.id,
        &useit_core::research::assignment::AssignmentInput {
            researcher: researcher.id.to_string(),
            starts_on: "2024-10-01".into(),
            ends_on: String::new(),
        },
    )
    .await
    .unwrap();
    submit_time(
        s,
        caller,
        &TimeInput {
            researcher: researcher.id.to_string(),
            project: project.id.to_string(),
            worked_on: "2024-10-21".into(),
            hours: "3".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap()
}

story!(
    a_new_programme_has_no_targets_and_every_step_to_take,
    |store: Arc<dyn Store>| async move {
        let (manager, funder) = programme(&store).await;
        let s = store.as_ref();
        assert!(targets(s, &manager).await.unwrap().is_empty());
        for caller in [&manager, &funder] {
            let ind = indicators(s, caller, &Ledgers::new(0)).await.unwrap();
            assert_eq!(ind.get_started, Step::GET_STARTED.to_vec());
            assert!(!ind.any_known());
            for p in &ind.figures {
                assert!(
                    matches!(p.figure, Figure::NotKnown { .. }),
                    "{:?} is {:?}, not 'not known'",
                    p.indicator,
                    p.figure
                );
                assert!(p.target.is_none());
            }
        }
        let ind = indicators(s, &manager, &Ledgers::new(0)).await.unwrap();
        assert_eq!(
            figure(&ind.figures, Indicator::LocalSpendShare).figure,
            Figure::NotKnown { fix: Step::Anchors }
        );
        assert_eq!(
            figure(&ind.figures, Indicator::TalentEngaged).figure,
            Figure::NotKnown {
                fix: Step::TalentPeople
            }
        );
    }
);

story!(each_indicator_equals_the_hand_count, |store: Arc<
    dyn Store,
>| async move {
    let (manager, funder) = programme(&store).await;
    let s = store.as_ref();

    // Talent: three residents engaged, two in 2024 and one in 2025.
    for (name, day) in [
        ("Amal Haddad", "2024-01-10"),
        ("Samir Aziz", "2024-02-01"),
        ("Rania Khalil", "2025-03-01"),
    ] {
        create_person(s, &manager, &person(name, day))
            .await
            .unwrap();
    }

    // Research: two researchers, one accredited in March 2024 and paid for
    // approved hours in October; the other neither.
    let amina = create_researcher(s, &manager, &researcher("Amina Khan", "2024-03-01"))
        .await
        .unwrap();
    create_researcher(s, &manager, &researcher("Bilal Ahmed", ""))
        .await
        .unwrap();
    let entry = three_hours(s, &manager, &amina).await;
    decide_time(s, &manager, entry.id, "approve").await.unwrap();

    // Enterprise: two profiles; Cook supported in 2024 and 2025, Green in
    // 2025; Cook earned most of its income in its latest year, Green's
    // income is not recorded.
    let mut ids = Vec::new();
    for name in ["Cook CIC", "Green CIC"] {
        let e = add_enterprise(
            s,
            &manager,
            &NewEnterpriseInput {
                name: name.into(),
                postcode: "B66 2QT".into(),
            },
        )
        .await
        .unwrap();
        save_profile(s, &manager, e.id, &profile()).await.unwrap();
        ids.push(e.id);
    }
    for (id, day) in [
        (ids[0], "2024-05-01"),
        (ids[0], "2025-06-01"),
        (ids[1], "2025-01-15"),
    ] {
        add_support(
            s,
            &manager,
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
    for (year, grants, trading) in [("2024", "80000", "20000"), ("2025", "10000", "90000")] {
        save_income(
            s,
            &manager,
            ids[0],
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

    // Targets, as the seed's: 60 engaged, 60 researchers, 120 enterprises.
    let row = |i: &str, v: &str| TargetInput {
        indicator: i.into(),
        value: v.into(),
        ..Default::default()
    };
    let input = TargetsInput {
        targets: vec![
            row("talent_engaged", "60"),
            row("researchers_accredited", "60"),
            row("enterprises_supported", "120"),
        ],
    };
    assert!(matches!(
        save_targets(s, &funder, &input).await,
        Err(Error::Refused)
    ));
    save_targets(s, &manager, &input).await.unwrap();
    assert_eq!(targets(s, &funder).await.unwrap().len(), 3);

    let ind = indicators(s, &manager, &Ledgers::new(0)).await.unwrap();
    let f = &ind.figures;
    assert_eq!(count(f, Indicator::TalentEngaged), Cell::Exact(3));
    assert_eq!(
        trend(f, Indicator::TalentEngaged),
        [(2024, Cell::Exact(2)), (2025, Cell::Exact(3))]
    );
    assert_eq!(figure(f, Indicator::TalentEngaged).of_target_bp, Some(500));
    assert_eq!(count(f, Indicator::TalentOnPathway), Cell::Exact(0));
    assert_eq!(count(f, Indicator::TalentIntoNhs), Cell::Exact(0));
    assert_eq!(count(f, Indicator::ResearchersAccredited), Cell::Exact(1));
    assert_eq!(
        trend(f, Indicator::ResearchersAccredited),
        [(2024, Cell::Exact(1))]
    );
    assert_eq!(count(f, Indicator::ResearchersPaid), Cell::Exact(1));
    assert_eq!(count(f, Indicator::EnterprisesSupported), Cell::Shown(2));
    assert_eq!(
        trend(f, Indicator::EnterprisesSupported),
        [(2024, Cell::Shown(1)), (2025, Cell::Shown(2))]
    );
    assert_eq!(
        figure(f, Indicator::EnterprisesSupported).of_target_bp,
        Some(167)
    );
    assert_eq!(count(f, Indicator::EnterprisesTradingLed), Cell::Shown(1));
    // Of the two enterprises with a profile, only Cook's income is recorded.
    assert_eq!(
        figure(f, Indicator::EnterprisesTradingLed).coverage,
        Some(useit_core::programme::indicators::Coverage::IncomeKnown { known: 1, of: 2 })
    );
    // Costs per outcome (issue 20 item 1): six hours of support over two
    // enterprises; Amina's three approved hours at the rate in force on 21
    // October 2024, over one researcher paid.
    use useit_core::programme::indicators::Cost;
    assert_eq!(
        figure(f, Indicator::SupportPerEnterprise).figure,
        Figure::PerOutcome {
            per_outcome: Cost::TenthsOfHours(30),
            cost: Cost::TenthsOfHours(60),
            outcomes: Cell::Shown(2),
        }
    );
    let rate = useit_core::research::pay::RateTable::real_living_wage()
        .in_force(
            useit_core::research::DEFAULT_PAY_RULE,
            time::macros::date!(2024 - 10 - 21),
        )
        .unwrap()
        .pence_per_hour;
    assert_eq!(
        figure(f, Indicator::PayPerResearcher).figure,
        Figure::PerOutcome {
            per_outcome: Cost::Pence(3 * rate),
            cost: Cost::Pence(3 * rate),
            outcomes: Cell::Exact(1),
        }
    );
    assert!(matches!(
        figure(f, Indicator::EnterprisesTradingLed).figure,
        Figure::Count { .. }
    ));
    assert_eq!(
        figure(f, Indicator::LocalSpendShare).figure,
        Figure::NotKnown { fix: Step::Anchors }
    );
    assert!(!ind.get_started.contains(&Step::Targets));

    // The funder: people under 5 suppressed (and no share of the target
    // worked out from them), organisations shown.
    let ind = indicators(s, &funder, &Ledgers::new(0)).await.unwrap();
    let f = &ind.figures;
    assert!(!ind.exact_talent && !ind.exact_research);
    assert_eq!(
        count(f, Indicator::TalentEngaged),
        Cell::Suppressed { below: 5 }
    );
    assert!(
        trend(f, Indicator::TalentEngaged)
            .iter()
            .all(|(_, c)| c.is_hidden())
    );
    assert_eq!(figure(f, Indicator::TalentEngaged).of_target_bp, None);
    assert_eq!(
        count(f, Indicator::ResearchersAccredited),
        Cell::Suppressed { below: 5 }
    );
    assert_eq!(count(f, Indicator::EnterprisesSupported), Cell::Shown(2));
    // One researcher's pay is theirs: withheld with the count.
    assert_eq!(
        figure(f, Indicator::PayPerResearcher).figure,
        Figure::Withheld
    );

    // A period: only what happened in 2025 counts towards its target.
    save_targets(
        s,
        &manager,
        &TargetsInput {
            targets: vec![TargetInput {
                indicator: "enterprises_supported".into(),
                value: "120".into(),
                from: "2025-01-01".into(),
                to: "2025-12-31".into(),
            }],
        },
    )
    .await
    .unwrap();
    let ind = indicators(s, &manager, &Ledgers::new(0)).await.unwrap();
    assert_eq!(
        count(&ind.figures, Indicator::EnterprisesSupported),
        Cell::Shown(2)
    );
    assert_eq!(
        trend(&ind.figures, Indicator::EnterprisesSupported),
        [(2025, Cell::Shown(2))]
    );
    assert!(
        figure(&ind.figures, Indicator::TalentEngaged)
            .target
            .is_none()
    );

    // Each count links to a list of exactly what it counts (issue 20 item
    // 1): the list's rows over the figure's period are the figure.
    use useit_app::enterprise::profiles::directory;
    use useit_app::programme::indicators::indicators_in;
    use useit_app::research::researchers::researchers;
    use useit_core::enterprise::profile::EnterpriseQuery;
    use useit_core::programme::indicators::Period;
    use useit_core::research::researcher::ResearcherParams;
    let y2024 = Period {
        from: Some(time::macros::date!(2024 - 01 - 01)),
        to: Some(time::macros::date!(2024 - 12 - 31)),
    };
    for period in [Period::default(), y2024] {
        let day = |d: Option<time::Date>| d.map(useit_core::clock::iso_date).unwrap_or_default();
        let ind = indicators_in(s, &manager, &Ledgers::new(0), Some(period))
            .await
            .unwrap();
        for i in [
            Indicator::EnterprisesSupported,
            Indicator::EnterprisesTradingLed,
        ] {
            let rows = directory(
                s,
                &manager,
                &EnterpriseQuery {
                    counted: i.slug().into(),
                    from: day(period.from),
                    to: day(period.to),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            assert_eq!(
                count(&ind.figures, i).value(),
                Some(rows.len() as u64),
                "{i:?} over {period:?}"
            );
        }
        for i in [Indicator::ResearchersAccredited, Indicator::ResearchersPaid] {
            let page = researchers(
                s,
                &manager,
                &ResearcherParams {
                    counted: Some(i.slug().into()),
                    from: Some(day(period.from)),
                    to: Some(day(period.to)),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            assert_eq!(
                count(&ind.figures, i).value(),
                Some(page.total),
                "{i:?} over {period:?}"
            );
            assert_eq!(page.items.len() as u64, page.total);
        }
    }
    // 2024: Cook supported, Amina accredited (March) and paid (October).
    let ind = indicators_in(s, &manager, &Ledgers::new(0), Some(y2024))
        .await
        .unwrap();
    assert_eq!(
        count(&ind.figures, Indicator::EnterprisesSupported),
        Cell::Shown(1)
    );
    assert_eq!(
        count(&ind.figures, Indicator::ResearchersPaid),
        Cell::Exact(1)
    );
});

story!(
    kept_figures_follow_every_write_to_the_records,
    |store: Arc<dyn Store>| async move {
        // One `Ledgers` for the whole story, as the server keeps it: each
        // write below must show on the next request, not a stale copy.
        let (manager, _) = programme(&store).await;
        let s = store.as_ref();
        let kept = Ledgers::default();
        let engaged = async |k: &Ledgers| indicators(s, &manager, k).await.unwrap().figures.clone();
        assert!(matches!(
            figure(&engaged(&kept).await, Indicator::TalentEngaged).figure,
            Figure::NotKnown { .. }
        ));

        create_person(s, &manager, &person("Amal Haddad", "2024-01-10"))
            .await
            .unwrap();
        let f = engaged(&kept).await;
        assert_eq!(count(&f, Indicator::TalentEngaged), Cell::Exact(1));
        // Read twice with nothing written: the same figures.
        assert_eq!(engaged(&kept).await, f);

        let amina = create_researcher(s, &manager, &researcher("Amina Khan", "2024-03-01"))
            .await
            .unwrap();
        let f = engaged(&kept).await;
        assert_eq!(count(&f, Indicator::ResearchersAccredited), Cell::Exact(1));
        assert_eq!(count(&f, Indicator::ResearchersPaid), Cell::Exact(0));

        let entry = three_hours(s, &manager, &amina).await;
        // Submitted but not approved: not paid yet; approving is an update.
        let f = engaged(&kept).await;
        assert_eq!(count(&f, Indicator::ResearchersPaid), Cell::Exact(0));
        decide_time(s, &manager, entry.id, "approve").await.unwrap();
        let f = engaged(&kept).await;
        assert_eq!(count(&f, Indicator::ResearchersPaid), Cell::Exact(1));

        let cook = add_enterprise(
            s,
            &manager,
            &NewEnterpriseInput {
                name: "Cook CIC".into(),
                postcode: "B66 2QT".into(),
            },
        )
        .await
        .unwrap();
        save_profile(s, &manager, cook.id, &profile())
            .await
            .unwrap();
        add_support(
            s,
            &manager,
            cook.id,
            &SupportInput {
                given_on: "2024-05-01".into(),
                kind: "bid_writing".into(),
                hours: "2".into(),
                outcome: "Bid drafted".into(),
                plan_stage: "drafting".into(),
            },
        )
        .await
        .unwrap();
        let f = engaged(&kept).await;
        assert_eq!(count(&f, Indicator::EnterprisesSupported), Cell::Shown(1));
        assert!(matches!(
            figure(&f, Indicator::EnterprisesTradingLed).figure,
            Figure::NotKnown { .. }
        ));
        save_income(
            s,
            &manager,
            cook.id,
            &IncomeInput {
                year: "2024".into(),
                grants: "1000".into(),
                trading: "9000".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let f = engaged(&kept).await;
        assert_eq!(count(&f, Indicator::EnterprisesTradingLed), Cell::Shown(1));

        // A second person shows at once.
        create_person(s, &manager, &person("Samir Aziz", "2024-02-01"))
            .await
            .unwrap();
        let f = engaged(&kept).await;
        assert_eq!(count(&f, Indicator::TalentEngaged), Cell::Exact(2));
    }
);

story!(
    the_kept_home_page_follows_its_partners_members_targets_and_threshold,
    |store: Arc<dyn Store>| async move {
        // One `Ledgers` for the whole story, as the server keeps it: the
        // home page's figures are kept per role and day while nothing they
        // count moves, and each write below shows on the very next request.
        let (manager, funder) = programme(&store).await;
        let s = store.as_ref();
        let kept = Ledgers::default();
        let home = async |c: &Caller| home(s, c, &kept).await.unwrap();
        let first = home(&manager).await;
        assert_eq!(first.figures.counts.partners_current, 0);
        assert_eq!(first.figures.counts.members, 1, "the funder");
        // Nothing written: the very same figures, not computed again.
        assert!(Arc::ptr_eq(&first, &home(&manager).await));
        // Each role is kept apart: the funder's counts of people are suppressed.
        assert!(!home(&funder).await.indicators.exact_talent);
        assert!(home(&manager).await.indicators.exact_talent);

        useit_app::programme::partners::create_partner(
            s,
            &manager,
            &PartnerInput {
                name: "Sandwell Food Co-op".into(),
                kind: "social_enterprise".into(),
                joined_on: "2024-01-10".into(),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
        assert_eq!(home(&manager).await.figures.counts.partners_current, 1);
        assert_eq!(home(&funder).await.figures.counts.partners_current, 1);

        store
            .create_user(
                &NewUser {
                    email: "gus@example.org".into(),
                    display_name: "Gus".into(),
                    password_hash: "x".into(),
                    is_admin: false,
                },
                Some((manager.programme, Role::AnchorAnalyst)),
                &Actor::system("test"),
            )
            .await
            .unwrap();
        assert_eq!(home(&manager).await.figures.counts.members, 2);

        save_targets(
            s,
            &manager,
            &TargetsInput {
                targets: vec![TargetInput {
                    indicator: "talent_engaged".into(),
                    value: "60".into(),
                    from: String::new(),
                    to: String::new(),
                }],
            },
        )
        .await
        .unwrap();
        let h = home(&manager).await;
        assert_eq!(
            figure(&h.indicators.figures, Indicator::TalentEngaged)
                .target
                .map(|t| t.value),
            Some(60)
        );

        let before = home(&funder).await.indicators.k;
        useit_app::programme::disclosure::save_disclosure_settings(
            s,
            &manager,
            &DisclosureSettingsInput {
                k: (before + 2).to_string(),
            },
        )
        .await
        .unwrap();
        assert_eq!(home(&funder).await.indicators.k, before + 2);
    }
);
