//! Stories and the funder report on SQLite and PostgreSQL: a story is shown
//! only while its consent stands (list, CSV, subject access export, report,
//! PDF), goes with the person or researcher it names when they are erased,
//! and cannot name another programme's people; the PDF holds the period's
//! figures, read back from its text, with small counts suppressed for a
//! funder.

use std::sync::Arc;

use uuid::Uuid;

use useit_app::anchors::Ledgers;
use useit_app::programme::CsvUpload;
use useit_app::programme::report::{report, report_pdf, save_report_texts};
use useit_app::programme::stories::{
    import_stories, person_export, researcher_export, save_story, stories, stories_file, story,
    withdraw_consent,
};
use useit_app::research::researchers::{create_researcher, erase_researcher};
use useit_app::talent::people::{create_person, erase_person};
use useit_app::{Caller, Error, Store};
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::i18n::t;
use useit_core::listing::PageRequest;
use useit_core::pdf::extract_text;
use useit_core::programme::NewProgramme;
use useit_core::programme::indicators::Indicator;
use useit_core::programme::report::{ReportQuery, ReportTexts};
use useit_core::programme::stories::{StoryInput, StoryQuery};
use useit_core::research::researcher::ResearcherInput;
use useit_core::talent::casework::PersonInput;
use useit_testkit::story;

async fn programme(store: &Arc<dyn Store>, slug: &str) -> (Caller, Caller) {
    let actor = Actor::system("test");
    let p = store
        .create_programme(
            &NewProgramme {
                slug: slug.into(),
                name: format!("Programme {slug}"),
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
                email: format!("funder@{slug}.example.org"),
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
        Actor::user(u.id, "fay", Channel::Web),
    );
    (Caller::system(p.id, "test"), funder)
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

fn researcher(name: &str) -> ResearcherInput {
    ResearcherInput {
        full_name: name.into(),
        channel: "event".into(),
        recruited_on: "2024-01-10".into(),
        lawful_basis: "consent".into(),
        consent_given_on: "2024-01-10".into(),
        ..Default::default()
    }
}

fn tale(title: &str, kind: &str, id: Uuid, told_on: &str) -> StoryInput {
    StoryInput {
        title: title.into(),
        shown_as: "Amal, a nurse".into(),
        body: format!("{title}: the whole story."),
        told_on: told_on.into(),
        subject_kind: kind.into(),
        subject_id: id.to_string(),
        consent_given_on: "2024-05-01".into(),
        consent_method: "signed_form".into(),
        consent_note: "First name only.".into(),
    }
}

fn period(from: &str, to: &str) -> ReportQuery {
    ReportQuery {
        from: Some(from.into()),
        to: Some(to.into()),
    }
}

story!(
    a_story_is_shown_only_while_its_consent_stands,
    |store: Arc<dyn Store>| async move {
        let (manager, funder) = programme(&store, "a").await;
        let s = store.as_ref();
        let amal = create_person(s, &manager, &person("Amal Haddad", "2024-01-10"))
            .await
            .unwrap();
        let aisha = create_researcher(s, &manager, &researcher("Aisha Begum"))
            .await
            .unwrap();
        let kept = save_story(
            s,
            &manager,
            None,
            &tale("Back on the wards", "person", amal.id, "2024-06-01"),
        )
        .await
        .unwrap();
        assert_eq!(kept.subject_name, "Amal Haddad");
        assert_eq!(kept.consent_recorded_by, manager.actor.label);
        let gone = save_story(
            s,
            &manager,
            None,
            &tale(
                "Counting the corner shops",
                "researcher",
                aisha.id,
                "2024-07-01",
            ),
        )
        .await
        .unwrap();
        let all = stories(s, &manager, &StoryQuery::default(), PageRequest::default())
            .await
            .unwrap();
        assert_eq!(all.total, 2);

        withdraw_consent(s, &manager, gone.id).await.unwrap();
        // Withdrawn twice: it is no longer there to withdraw.
        assert!(matches!(
            withdraw_consent(s, &manager, gone.id).await,
            Err(Error::NotFound)
        ));
        let all = stories(s, &manager, &StoryQuery::default(), PageRequest::default())
            .await
            .unwrap();
        assert_eq!(
            all.items.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![kept.id]
        );
        assert!(matches!(
            story(s, &manager, gone.id).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            save_story(
                s,
                &manager,
                Some(gone.id),
                &tale("Counting again", "researcher", aisha.id, "2024-07-01")
            )
            .await,
            Err(Error::NotFound)
        ));
        let csv = stories_file(s, &manager, &StoryQuery::default())
            .await
            .unwrap();
        assert!(csv.contains("Back on the wards"));
        assert!(!csv.contains("corner shops"));
        let (_, aisha_stories) = researcher_export(s, &manager, aisha.id).await.unwrap();
        assert!(aisha_stories.is_empty());
        let (_, _, amal_stories) = person_export(s, &manager, amal.id).await.unwrap();
        assert_eq!(amal_stories.len(), 1);

        let ledgers = Ledgers::new(0);
        let q = period("2024-01-01", "2024-12-31");
        for caller in [&manager, &funder] {
            let r = report(s, caller, &ledgers, &q).await.unwrap();
            let titles: Vec<&str> = r.stories.iter().map(|x| x.title.as_str()).collect();
            assert_eq!(titles, vec!["Back on the wards"]);
            let text = extract_text(&report_pdf(s, caller, &ledgers, &q).await.unwrap()).join("\n");
            assert!(text.contains("Back on the wards"));
            assert!(!text.contains("corner shops"));
            // The report tells the story as its subject agreed, never by
            // the name the records hold.
            assert!(!text.contains("Haddad"));
        }
        // A story told outside the period is not in that period's report.
        let r = report(s, &manager, &ledgers, &period("2025-01-01", "2025-12-31"))
            .await
            .unwrap();
        assert!(r.stories.is_empty());

        // A funder reads the report, not the stories and who they name.
        assert!(matches!(
            stories(s, &funder, &StoryQuery::default(), PageRequest::default()).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            save_story(
                s,
                &funder,
                None,
                &tale("x", "person", amal.id, "2024-06-01")
            )
            .await,
            Err(Error::Refused)
        ));
    }
);

story!(
    stories_go_with_the_person_or_researcher_they_name,
    |store: Arc<dyn Store>| async move {
        let (manager, _) = programme(&store, "a").await;
        let s = store.as_ref();
        let amal = create_person(s, &manager, &person("Amal Haddad", "2024-01-10"))
            .await
            .unwrap();
        let aisha = create_researcher(s, &manager, &researcher("Aisha Begum"))
            .await
            .unwrap();
        save_story(
            s,
            &manager,
            None,
            &tale("One", "person", amal.id, "2024-06-01"),
        )
        .await
        .unwrap();
        save_story(
            s,
            &manager,
            None,
            &tale("Two", "researcher", aisha.id, "2024-06-01"),
        )
        .await
        .unwrap();
        erase_person(s, &manager, amal.id).await.unwrap();
        let left = stories(s, &manager, &StoryQuery::default(), PageRequest::default())
            .await
            .unwrap();
        assert_eq!(left.items.len(), 1);
        assert_eq!(left.items[0].draft.title, "Two");
        erase_researcher(s, &manager, aisha.id).await.unwrap();
        let left = stories(s, &manager, &StoryQuery::default(), PageRequest::default())
            .await
            .unwrap();
        assert!(left.items.is_empty());
        // An erased person cannot be the subject of a new story.
        assert!(matches!(
            save_story(
                s,
                &manager,
                None,
                &tale("Three", "person", amal.id, "2024-06-01")
            )
            .await,
            Err(Error::Unknown(_))
        ));
    }
);

story!(
    another_programme_cannot_name_or_read_these_stories,
    |store: Arc<dyn Store>| async move {
        let (a, _) = programme(&store, "a").await;
        let (b, _) = programme(&store, "b").await;
        let s = store.as_ref();
        let amal = create_person(s, &a, &person("Amal Haddad", "2024-01-10"))
            .await
            .unwrap();
        let mine = save_story(s, &a, None, &tale("Mine", "person", amal.id, "2024-06-01"))
            .await
            .unwrap();
        let err = save_story(
            s,
            &b,
            None,
            &tale("Theirs", "person", amal.id, "2024-06-01"),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, Error::Unknown(ref f) if f[0].field == "subject_id"),
            "{err:?}"
        );
        assert!(matches!(story(s, &b, mine.id).await, Err(Error::NotFound)));
        assert!(matches!(
            withdraw_consent(s, &b, mine.id).await,
            Err(Error::NotFound)
        ));
        assert!(
            stories(s, &b, &StoryQuery::default(), PageRequest::default())
                .await
                .unwrap()
                .items
                .is_empty()
        );
        let r = report(s, &b, &Ledgers::new(0), &period("2024-01-01", "2024-12-31"))
            .await
            .unwrap();
        assert!(r.stories.is_empty());
    }
);

story!(
    the_pdf_holds_the_period_figures,
    |store: Arc<dyn Store>| async move {
        let (manager, funder) = programme(&store, "a").await;
        let s = store.as_ref();
        for (name, day) in [
            ("Amal Haddad", "2024-01-10"),
            ("Samir Aziz", "2024-02-01"),
            ("Rania Khalil", "2025-03-01"),
        ] {
            create_person(s, &manager, &person(name, day))
                .await
                .unwrap();
        }
        save_report_texts(
            s,
            &manager,
            &ReportTexts {
                challenge: "Doctors trained abroad drive taxis.".into(),
                what_worked: "Paying researchers\nCo-designed bid".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let ledgers = Ledgers::new(0);
        let engaged = t(&Indicator::TalentEngaged.label_key()).to_string();
        let chart = format!("{engaged}: reached by the end of each year");
        let texts = |pdf: Vec<u8>| extract_text(&pdf);

        // Both years: the figure to date, and each year's bar with its year.
        let all = texts(
            report_pdf(s, &manager, &ledgers, &period("2024-01-01", "2025-12-31"))
                .await
                .unwrap(),
        );
        assert!(
            all.iter()
                .any(|x| x.contains("From 1 January 2024 to 31 December 2025"))
        );
        assert!(all.contains(&format!("{engaged}: 3")), "{all:?}");
        let bars: Vec<&String> = all[all.iter().position(|x| *x == chart).unwrap() + 1..][..4]
            .iter()
            .collect();
        assert_eq!(bars, ["2", "2024", "3", "2025"]);
        assert!(
            all.iter()
                .any(|x| x == "Doctors trained abroad drive taxis.")
        );
        assert!(all.iter().any(|x| x == "Paying researchers"));

        // 2025 alone: the headline and the bar count only who was engaged
        // in 2025 (one resident), not everyone to date.
        let all = texts(
            report_pdf(s, &manager, &ledgers, &period("2025-01-01", "2025-12-31"))
                .await
                .unwrap(),
        );
        assert!(all.contains(&format!("{engaged}: 1")), "{all:?}");
        assert!(!all.contains(&format!("{engaged}: 3")), "{all:?}");
        let bars: Vec<&String> = all[all.iter().position(|x| *x == chart).unwrap() + 1..][..2]
            .iter()
            .collect();
        assert_eq!(bars, ["1", "2025"]);
        assert!(!all.iter().any(|x| x == "2024"));
        // A period before anyone was engaged counts nobody.
        let r = report(s, &manager, &ledgers, &period("2010-01-01", "2010-12-31"))
            .await
            .unwrap();
        let row = r
            .results
            .iter()
            .find(|x| x.indicator == Indicator::TalentEngaged.slug())
            .unwrap();
        assert_eq!(row.value, "0");

        // A funder sees the small counts suppressed, in the table and the chart.
        let all = texts(
            report_pdf(s, &funder, &ledgers, &period("2024-01-01", "2025-12-31"))
                .await
                .unwrap(),
        );
        assert!(
            all.iter()
                .any(|x| x.starts_with(&format!("{engaged}: fewer than"))),
            "{all:?}"
        );
        let at = all.iter().position(|x| *x == chart).unwrap();
        assert!(
            !all[at + 1..at + 5].iter().any(|x| x == "2" || x == "3"),
            "{:?}",
            &all[at..at + 5]
        );

        // A bad period names its field.
        assert!(matches!(
            report(s, &manager, &ledgers, &period("2025-01-01", "2024-01-01")).await,
            Err(Error::Invalid(ref f)) if f[0].field == "from"
        ));
    }
);

story!(
    the_stories_csv_imports_back_and_twice_changes_nothing,
    |store: Arc<dyn Store>| async move {
        let (manager, _) = programme(&store, "a").await;
        let s = store.as_ref();
        let amal = create_person(s, &manager, &person("Amal Haddad", "2024-01-10"))
            .await
            .unwrap();
        save_story(
            s,
            &manager,
            None,
            &tale("One", "person", amal.id, "2024-06-01"),
        )
        .await
        .unwrap();
        let csv = stories_file(s, &manager, &StoryQuery::default())
            .await
            .unwrap();
        let upload = |bytes: &'static [u8]| CsvUpload {
            file_name: "stories.csv",
            bytes,
            dry_run: false,
        };
        let bytes: &'static [u8] = Box::leak(csv.clone().into_bytes().into_boxed_slice());
        let done = import_stories(s, &manager, upload(bytes)).await.unwrap();
        assert_eq!((done.added, done.changed, done.unchanged), (0, 0, 1));
        let changed = csv.replace("One: the whole story.", "One told again.");
        let bytes: &'static [u8] = Box::leak(changed.into_bytes().into_boxed_slice());
        let done = import_stories(s, &manager, upload(bytes)).await.unwrap();
        assert_eq!((done.added, done.changed, done.unchanged), (0, 1, 0));
        let done = import_stories(s, &manager, upload(bytes)).await.unwrap();
        assert_eq!((done.added, done.changed, done.unchanged), (0, 0, 1));
        let bad: &'static [u8] = Box::leak(
            csv.replace("signed_form", "a nod")
                .into_bytes()
                .into_boxed_slice(),
        );
        assert!(matches!(
            import_stories(s, &manager, upload(bad)).await,
            Err(Error::Rejected(_))
        ));
    }
);

/// A member of the programme with `role`, as a caller.
async fn member(store: &Arc<dyn Store>, of: &Caller, role: Role, name: &str) -> Caller {
    let u = store
        .create_user(
            &NewUser {
                email: format!("{name}@example.org"),
                display_name: name.into(),
                password_hash: "x".into(),
                is_admin: false,
            },
            Some((of.programme, role)),
            &Actor::system("test"),
        )
        .await
        .unwrap();
    Caller::member(
        of.programme,
        u.id,
        role,
        Actor::user(u.id, name, Channel::Web),
    )
}

story!(
    stories_name_only_whom_the_reader_may_see_in_their_own_lists,
    |store: Arc<dyn Store>| async move {
        let (manager, _) = programme(&store, "a").await;
        let s = store.as_ref();
        let caseworker = member(&store, &manager, Role::EmploymentCaseworker, "cas").await;
        let adviser = member(&store, &manager, Role::EnterpriseAdviser, "adv").await;
        let coordinator = member(&store, &manager, Role::ResearchCoordinator, "coo").await;
        // Amal is in the caseworker's caseload; Samir in nobody's.
        let amal = create_person(s, &caseworker, &person("Amal Haddad", "2024-01-10"))
            .await
            .unwrap();
        let samir = create_person(s, &manager, &person("Samir Aziz", "2024-01-10"))
            .await
            .unwrap();
        let aisha = create_researcher(s, &manager, &researcher("Aisha Begum"))
            .await
            .unwrap();
        for (title, kind, id) in [
            ("A", "person", amal.id),
            ("B", "person", samir.id),
            ("C", "researcher", aisha.id),
        ] {
            save_story(s, &manager, None, &tale(title, kind, id, "2024-06-01"))
                .await
                .unwrap();
        }
        let hidden = t("stories.subject.not_shown").to_string();
        let names = |caller: Caller, q: Option<&'static str>| async move {
            let mut v: Vec<(String, String)> = stories(
                s,
                &caller,
                &StoryQuery {
                    q: q.map(str::to_string),
                    ..StoryQuery::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|x| (x.draft.title, x.subject_name))
            .collect();
            v.sort();
            v
        };
        let row = |t: &str, n: &str| (t.to_string(), n.to_string());
        assert_eq!(
            names(manager.clone(), None).await,
            [
                row("A", "Amal Haddad"),
                row("B", "Samir Aziz"),
                row("C", "Aisha Begum")
            ]
        );
        assert_eq!(
            names(caseworker.clone(), None).await,
            [
                row("A", "Amal Haddad"),
                row("B", &hidden),
                row("C", &hidden)
            ]
        );
        assert_eq!(
            names(adviser.clone(), None).await,
            [row("A", &hidden), row("B", &hidden), row("C", &hidden)]
        );
        assert_eq!(
            names(coordinator.clone(), None).await,
            [
                row("A", &hidden),
                row("B", &hidden),
                row("C", "Aisha Begum")
            ]
        );
        // A search by a name the reader may not see finds nothing.
        assert!(names(adviser.clone(), Some("Haddad")).await.is_empty());
        assert_eq!(names(manager.clone(), Some("Haddad")).await.len(), 1);
        // One story, read alone, hides the name the same way.
        let one = stories(s, &manager, &StoryQuery::default(), PageRequest::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .find(|x| x.draft.title == "A")
            .unwrap();
        assert_eq!(
            story(s, &adviser, one.id).await.unwrap().subject_name,
            hidden
        );
        assert_eq!(
            story(s, &caseworker, one.id).await.unwrap().subject_name,
            "Amal Haddad"
        );
    }
);

story!(
    a_stories_file_with_an_unknown_id_is_refused_at_its_line_and_saves_nothing,
    |store: Arc<dyn Store>| async move {
        let (manager, _) = programme(&store, "a").await;
        let s = store.as_ref();
        let amal = create_person(s, &manager, &person("Amal Haddad", "2024-01-10"))
            .await
            .unwrap();
        let one = save_story(
            s,
            &manager,
            None,
            &tale("One", "person", amal.id, "2024-06-01"),
        )
        .await
        .unwrap();
        let csv = stories_file(s, &manager, &StoryQuery::default())
            .await
            .unwrap();
        let mut lines = csv.lines();
        let header = lines.next().unwrap();
        let row = lines.next().unwrap();
        let unknown = Uuid::now_v7().to_string();
        // Line 2: a new story (no id); line 3: an id no story has.
        let file = format!(
            "{header}\n{}\n{}\n",
            row.replacen(&one.id.to_string(), "", 1)
                .replace("One", "New"),
            row.replacen(&one.id.to_string(), &unknown, 1)
        );
        let bytes: &'static [u8] = Box::leak(file.into_bytes().into_boxed_slice());
        let err = import_stories(
            s,
            &manager,
            CsvUpload {
                file_name: "stories.csv",
                bytes,
                dry_run: false,
            },
        )
        .await
        .unwrap_err();
        let Error::Rejected(report) = err else {
            panic!("{err:?}")
        };
        let p = report.errors().next().unwrap();
        assert_eq!(
            (p.line, p.column.as_ref().unwrap().name.as_str()),
            (3, "id")
        );
        assert_eq!(report.errors().count(), 1);
        // Nothing was saved: the new story on line 2 is not there.
        let all = stories(s, &manager, &StoryQuery::default(), PageRequest::default())
            .await
            .unwrap();
        assert_eq!(
            all.items
                .iter()
                .map(|x| x.draft.title.as_str())
                .collect::<Vec<_>>(),
            ["One"]
        );
        // A subject erased since the file was written is named at its line too.
        let samir = create_person(s, &manager, &person("Samir Aziz", "2024-01-10"))
            .await
            .unwrap();
        let file = format!(
            "{header}\n{}\n",
            row.replacen(&one.id.to_string(), "", 1)
                .replace(&amal.id.to_string(), &samir.id.to_string())
        );
        erase_person(s, &manager, samir.id).await.unwrap();
        let bytes: &'static [u8] = Box::leak(file.into_bytes().into_boxed_slice());
        let err = import_stories(
            s,
            &manager,
            CsvUpload {
                file_name: "stories.csv",
                bytes,
                dry_run: false,
            },
        )
        .await
        .unwrap_err();
        let Error::Rejected(report) = err else {
            panic!("{err:?}")
        };
        let p = report.errors().next().unwrap();
        assert_eq!(
            (p.line, p.column.as_ref().unwrap().name.as_str()),
            (2, "subject_id")
        );
    }
);

/// A sample postcode in the area of benefit (or outside it), from the
/// testkit's two wards: the first ward is in Sandwell, the anchor's local
/// authority; the second in Birmingham.
fn sample_postcode(aob: &std::collections::BTreeSet<String>, inside: bool) -> String {
    useit_testkit::place::sample()
        .iter()
        .flat_map(|l| l.postcodes.iter())
        .filter(|p| p.terminated.is_none())
        .find_map(|p| {
            let (_, area) = p.areas.iter().find(|(s, _)| s == "lsoa11")?;
            (aob.contains(area) == inside).then(|| p.postcode.clone())
        })
        .expect("a sample postcode")
}

story!(
    the_report_s_spend_figures_follow_its_period,
    |store: Arc<dyn Store>| async move {
        use useit_app::anchors::anchor::save_anchor;
        use useit_app::anchors::register::load_organisations;
        use useit_app::anchors::{SpendUpload, import_spend_file};
        use useit_app::place::area_of_benefit::save_area_of_benefit;
        use useit_core::anchors::anchor::AnchorInput;
        use useit_core::anchors::import::ImportOptions;
        use useit_core::anchors::measures::SupplierKind;
        use useit_core::anchors::register::OrganisationInput;
        use useit_core::place::input::SelectionInput;

        for load in useit_testkit::place::sample() {
            store
                .load_reference(load, &|_| {}, &Actor::system("test"))
                .await
                .unwrap();
        }
        let (manager, _) = programme(&store, "spend").await;
        let s = store.as_ref();
        let aob = save_area_of_benefit(
            s,
            &manager,
            &SelectionInput {
                index: "imd2019".into(),
                wards: vec![useit_testkit::place::WARDS[0].to_string()],
                note: "test".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .codes;
        save_anchor(
            s,
            &manager,
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
        let org = |id: &str, name: &str, pc: String| OrganisationInput {
            org_id: id.into(),
            name: name.into(),
            kind: SupplierKind::Sme,
            company_number: None,
            postcode: Some(pc),
            trading_postcode: None,
            source: "test".into(),
            details: Default::default(),
            location: None,
        };
        load_organisations(
            s,
            &manager,
            &[
                org(
                    "GB-COH-00000001",
                    "INSIDE BAKERY LIMITED",
                    sample_postcode(&aob, true),
                ),
                org(
                    "GB-COH-00000002",
                    "OUTSIDE PRINTERS LIMITED",
                    sample_postcode(&aob, false),
                ),
            ],
        )
        .await
        .unwrap();
        // Two lines in the report's year (April 2024 to March 2025) and one
        // each side of it, each in its own file.
        for (name, text) in [
            (
                "2023.csv",
                "Date,Supplier,Amount,Expense Type\n02/05/2023,Inside Bakery Limited,1000.00,Catering\n",
            ),
            (
                "2024.csv",
                "Date,Supplier,Amount,Expense Type\n02/05/2024,Inside Bakery Limited,600.00,Catering\n03/02/2025,Outside Printers Limited,400.00,Printing\n",
            ),
            (
                "2025.csv",
                "Date,Supplier,Amount,Expense Type\n01/06/2025,Outside Printers Limited,3000.00,Printing\n",
            ),
        ] {
            import_spend_file(
                s,
                &manager,
                SpendUpload {
                    anchor: "trust",
                    file_name: name,
                    bytes: text.as_bytes(),
                    options: ImportOptions::default(),
                },
                &|_| {},
            )
            .await
            .unwrap();
        }
        let ledgers = Ledgers::new(0);
        let row = |r: &useit_core::programme::report::Report, i: Indicator| {
            r.results
                .iter()
                .find(|x| x.indicator == i.slug())
                .unwrap()
                .clone()
        };
        let year = period("2024-04-01", "2025-03-31");
        // Counted by hand over the year's two lines: £600 of £1,000 is with
        // the bakery in the area of benefit, 60.0 % (every file held would
        // give £1,600 of £5,000, 32.0 %). Both suppliers are placed; only
        // the bakery is in Sandwell, the trust's local authority, so LM3 is
        // (1,000 + 600 + 600 × 25 %…40 % re-spent by suppliers, the default
        // assumption) / 1,000 = 1.75 to 1.84 (every file would give
        // (5,000 + 1,600 + 400…640) / 5,000 = 1.40 to 1.45).
        let r = report(s, &manager, &ledgers, &year).await.unwrap();
        assert_eq!(row(&r, Indicator::LocalSpendShare).value, "60.0%");
        assert_eq!(row(&r, Indicator::Lm3).value, "1.75 to 1.84");
        let all = extract_text(&report_pdf(s, &manager, &ledgers, &year).await.unwrap());
        assert!(all.iter().any(|x| x.contains("60.0%")), "{all:?}");
        assert!(all.iter().any(|x| x.contains("1.75 to 1.84")), "{all:?}");
        assert!(!all.iter().any(|x| x.contains("1.40 to 1.45")), "{all:?}");
        assert!(!all.iter().any(|x| x.contains("32.0%")), "{all:?}");
        // The home page's figure is still over every line held.
        let home = useit_app::programme::indicators::indicators(s, &manager, &ledgers)
            .await
            .unwrap();
        let share = home
            .figures
            .iter()
            .find(|p| p.indicator == Indicator::LocalSpendShare)
            .unwrap();
        assert_eq!(
            useit_core::programme::indicators::figure_text(&share.figure),
            "32.0%"
        );
        // A period with no line paid in it: not known, with the step that
        // fixes it, never 0.
        let r = report(s, &manager, &ledgers, &period("2010-01-01", "2010-12-31"))
            .await
            .unwrap();
        for i in [Indicator::LocalSpendShare, Indicator::Lm3] {
            let x = row(&r, i);
            assert_eq!(x.value, t("indicators.not_known"), "{i:?}");
            assert!(
                x.fix.contains(t("indicators.step.spend_in_period")),
                "{i:?}: {}",
                x.fix
            );
        }
    }
);
