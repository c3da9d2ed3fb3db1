//! Talent stories on SQLite and PostgreSQL: a caseworker reaches only their
//! own caseload and every read of a person is audited; erasure leaves no
//! personal data but keeps the anonymous counts; a vacancy file imports
//! once; a vacancy's posts are never over-filled.

use std::sync::Arc;

use time::macros::date;
use useit_core::audit::{Actor, AuditAction, AuditFilter};
use useit_core::auth::{NewUser, Role};
use useit_core::listing::PageRequest;
use useit_core::programme::NewProgramme;
use useit_core::talent::casework::{
    Barrier, FunnelStage, LawfulBasis, PersonDraft, PlacementStatus, RightToWork, WorkOutcome,
};
use useit_core::talent::person::*;
use useit_core::talent::results::funnel;
use useit_core::talent::vacancy::VacancyInput;
use useit_core::{ProgrammeId, UserId};
use useit_store::Store;
use useit_store::talent::{PersonChange, PersonImportRow, Proposal};
use useit_testkit::story;

fn actor() -> Actor {
    Actor::system("test")
}

async fn setup(store: &Arc<dyn Store>) -> (ProgrammeId, UserId, UserId) {
    let p = store
        .create_programme(
            &NewProgramme {
                slug: "talent".into(),
                name: "Talent".into(),
                description: String::new(),
            },
            None,
            &actor(),
        )
        .await
        .unwrap();
    let mut users = Vec::new();
    for name in ["ana", "ben"] {
        let u = store
            .create_user(
                &NewUser {
                    email: format!("{name}@example.org"),
                    display_name: name.into(),
                    password_hash: "x".into(),
                    is_admin: false,
                },
                Some((p.id, Role::EmploymentCaseworker)),
                &actor(),
            )
            .await
            .unwrap();
        users.push(u.id);
    }
    (p.id, users[0], users[1])
}

fn draft(name: &str) -> PersonDraft {
    PersonDraft {
        full_name: name.into(),
        email: Some(format!(
            "{}@example.org",
            name.to_lowercase().replace(' ', ".")
        )),
        phone: Some("07700 900123".into()),
        postcode: Some("B66 2QT".into()),
        profession: "doctor".into(),
        qualification_country: "Syria".into(),
        qualification_year: Some(2010),
        qualifications: "MBBS".into(),
        experience_years: 6,
        right_to_work: Some(RightToWork::Yes),
        available_from: None,
        lawful_basis: Some(LawfulBasis::Consent),
        consent_given_on: Some(date!(2026 - 03 - 01)),
    }
}

fn proposal(person: uuid::Uuid, vacancy: uuid::Uuid, score: i64) -> Proposal {
    Proposal {
        person,
        vacancy,
        score,
        reasons: "[]".into(),
    }
}

fn vacancy(reference: &str, posts: u32) -> VacancyInput {
    VacancyInput {
        reference: reference.into(),
        anchor_slug: None,
        title: "Healthcare assistant, wards".into(),
        role: "healthcare_assistant".into(),
        band: "3".into(),
        site_postcode: Some("B18 7QH".into()),
        posts,
        opens_on: date!(2026 - 12 - 01),
        closes_on: None,
        requirements: String::new(),
    }
}

story!(a_caseworker_reaches_only_their_caseload, |store: Arc<
    dyn Store,
>| async move {
    let (p, ana, ben) = setup(&store).await;
    let mine = store
        .create_person(
            p,
            &PersonChange {
                draft: draft("Amal Haddad"),
                caseworker: Some(ana),
                home: HomePlace::default(),
            },
            &actor(),
        )
        .await
        .unwrap();
    let theirs = store
        .create_person(
            p,
            &PersonChange {
                draft: draft("Samir Aziz"),
                caseworker: Some(ben),
                home: HomePlace::default(),
            },
            &actor(),
        )
        .await
        .unwrap();
    let as_ana = Caseload::Of(ana);
    let list = store
        .list_people(
            p,
            as_ana,
            &PeopleQuery::default(),
            PageRequest::new(None, None),
            &actor(),
        )
        .await
        .unwrap();
    assert_eq!(
        list.items
            .iter()
            .map(|x| x.draft.full_name.as_str())
            .collect::<Vec<_>>(),
        ["Amal Haddad"]
    );
    assert!(store.person(p, as_ana, mine.id, &actor()).await.is_ok());
    for result in [
        store
            .person(p, as_ana, theirs.id, &actor())
            .await
            .map(|_| ()),
        store
            .change_records(
                p,
                as_ana,
                theirs.id,
                &RecordChange::Note { body: "x".into() },
                &actor(),
            )
            .await,
        store.erase_person(p, as_ana, theirs.id, &actor()).await,
    ] {
        assert!(
            matches!(result, Err(useit_store::StoreError::NotFound)),
            "{result:?}"
        );
    }
    let all = store
        .list_people(
            p,
            Caseload::All,
            &PeopleQuery::default(),
            PageRequest::new(None, None),
            &actor(),
        )
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    // Every read of a person is in the audit log.
    let reads = store
        .audit_list(
            &AuditFilter {
                programme_id: Some(p),
                action: Some(AuditAction::Read),
                subject_type: Some("talent_person".into()),
                subject_id: Some(mine.id.to_string()),
                ..Default::default()
            },
            PageRequest::new(None, None),
        )
        .await
        .unwrap();
    assert_eq!(reads.total, 1);
});

story!(
    erasure_leaves_no_personal_data_but_keeps_the_counts,
    |store: Arc<dyn Store>| async move {
        let (p, ana, _) = setup(&store).await;
        let person = store
            .create_person(
                p,
                &PersonChange {
                    draft: draft("Amal Haddad"),
                    caseworker: Some(ana),
                    home: HomePlace {
                        area_code: Some("E01009999".into()),
                        lat: Some(52.5),
                        lon: Some(-1.9),
                    },
                },
                &actor(),
            )
            .await
            .unwrap();
        let all = Caseload::All;
        for change in [
            RecordChange::Step {
                step: "plab1".into(),
                passed_on: date!(2026 - 05 - 01),
                evidence: "GMC letter ref 12345".into(),
            },
            RecordChange::Barrier {
                barrier: Barrier::EmployerRule,
                rule: Some("Immunisation records".into()),
                raised_on: date!(2026 - 06 - 01),
                note: "Records lost in Aleppo".into(),
            },
            RecordChange::Note {
                body: "Lives with her sister, two children".into(),
            },
            RecordChange::Work {
                work: WorkOutcome::CareSector,
                on: Some(date!(2026 - 09 - 01)),
            },
        ] {
            store
                .change_records(p, all, person.id, &change, &actor())
                .await
                .unwrap();
        }
        let (before, _) = store.person(p, all, person.id, &actor()).await.unwrap();
        assert_eq!(
            before.stage,
            FunnelStage::OnPathway,
            "a passed step puts a person on the pathway"
        );
        store
            .erase_person(p, all, person.id, &actor())
            .await
            .unwrap();

        let (after, recs) = store.person(p, all, person.id, &actor()).await.unwrap();
        assert!(after.erased_at.is_some());
        assert_eq!(after.draft.full_name, "");
        assert_eq!(
            (
                &after.draft.email,
                &after.draft.phone,
                &after.draft.postcode
            ),
            (&None, &None, &None)
        );
        assert_eq!(
            (&after.area_code, after.home, after.caseworker_id),
            (&None, None, None)
        );
        assert!(
            after.draft.qualification_country.is_empty() && after.draft.qualifications.is_empty()
        );
        assert!(recs.notes.is_empty());
        assert!(recs.steps.iter().all(|s| s.evidence.is_empty()));
        assert!(recs.barriers.iter().all(|b| b.note.is_empty()));
        // Nothing the person told us is left in any text column.
        let exported = format!("{after:?} {recs:?}");
        for secret in [
            "Amal", "Haddad", "B66", "Aleppo", "sister", "12345", "07700",
        ] {
            assert!(!exported.contains(secret), "{secret} survived erasure");
        }
        // The anonymous counts stay.
        let f = funnel(&store.funnel_facts(p).await.unwrap());
        assert_eq!((f.engaged, f.on_pathway, f.into_care), (1, 1, 1));
        assert_eq!(store.barrier_facts(p).await.unwrap().len(), 1);
        // An erased person is not listed by default, and cannot be changed.
        let list = store
            .list_people(
                p,
                all,
                &PeopleQuery::default(),
                PageRequest::new(None, None),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(list.total, 0);
        assert!(
            store
                .change_records(
                    p,
                    all,
                    person.id,
                    &RecordChange::Note { body: "x".into() },
                    &actor()
                )
                .await
                .is_err()
        );
    }
);

story!(
    vacancies_import_once_and_posts_are_never_over_filled,
    |store: Arc<dyn Store>| async move {
        let (p, ana, _) = setup(&store).await;
        let rows = vec![vacancy("HCA-1", 1), vacancy("HCA-2", 3)];
        let first = store.import_vacancies(p, &rows, &actor()).await.unwrap();
        assert_eq!((first.created, first.updated, first.unchanged), (2, 0, 0));
        let again = store.import_vacancies(p, &rows, &actor()).await.unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
        let vs = store.vacancies(p).await.unwrap();
        let hca1 = vs.iter().find(|v| v.input.reference == "HCA-1").unwrap().id;

        let a = store
            .create_person(
                p,
                &PersonChange {
                    draft: draft("Amal Haddad"),
                    caseworker: Some(ana),
                    home: HomePlace::default(),
                },
                &actor(),
            )
            .await
            .unwrap();
        let b = store
            .create_person(
                p,
                &PersonChange {
                    draft: draft("Samir Aziz"),
                    caseworker: Some(ana),
                    home: HomePlace::default(),
                },
                &actor(),
            )
            .await
            .unwrap();
        let placed = store
            .confirm_placement(p, Caseload::All, &proposal(a.id, hca1, 80), &actor())
            .await
            .unwrap();
        let full = store
            .confirm_placement(p, Caseload::All, &proposal(b.id, hca1, 70), &actor())
            .await;
        assert!(
            matches!(&full, Err(useit_store::StoreError::Conflict { field, .. }) if field == "vacancy"),
            "{full:?}"
        );
        // A placement moves forward only; starting puts the person in NHS work.
        let bad = store
            .set_placement_status(
                p,
                Caseload::All,
                placed.id,
                PlacementStatus::Started,
                date!(2027 - 01 - 04),
                &actor(),
            )
            .await;
        assert!(bad.is_err());
        for s in [
            PlacementStatus::Applied,
            PlacementStatus::Offered,
            PlacementStatus::Started,
        ] {
            store
                .set_placement_status(
                    p,
                    Caseload::All,
                    placed.id,
                    s,
                    date!(2027 - 01 - 04),
                    &actor(),
                )
                .await
                .unwrap();
        }
        let (person, _) = store
            .person(p, Caseload::All, a.id, &actor())
            .await
            .unwrap();
        assert_eq!(person.work, WorkOutcome::Nhs);
        let posts = store.filled_posts(p).await.unwrap();
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].band, "3");
        // Fewer posts than are held is refused.
        let shrink = store.save_vacancy(p, &vacancy("HCA-1", 1), &actor()).await;
        assert!(shrink.is_ok());
        let mut two = vacancy("HCA-2", 3);
        two.posts = 2;
        store.save_vacancy(p, &two, &actor()).await.unwrap();
        // Withdrawn frees the post.
        let hca2 = vs.iter().find(|v| v.input.reference == "HCA-2").unwrap().id;
        let pb = store
            .confirm_placement(p, Caseload::All, &proposal(b.id, hca2, 70), &actor())
            .await
            .unwrap();
        store
            .set_placement_status(
                p,
                Caseload::All,
                pb.id,
                PlacementStatus::Withdrawn,
                date!(2027 - 01 - 04),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(store.vacancy(p, hca2).await.unwrap().unwrap().posts_held, 0);
    }
);

story!(
    a_person_registered_twice_is_merged_into_one,
    |store: Arc<dyn Store>| async move {
        let (p, ana, _) = setup(&store).await;
        let all = Caseload::All;
        let keep = store
            .create_person(
                p,
                &PersonChange {
                    draft: draft("Amal Haddad"),
                    caseworker: Some(ana),
                    home: HomePlace::default(),
                },
                &actor(),
            )
            .await
            .unwrap();
        let mut second = draft("Amal Haddad");
        second.email = None;
        second.postcode = None;
        second.qualifications = String::new();
        let other = store
            .create_person(
                p,
                &PersonChange {
                    draft: second,
                    caseworker: None,
                    home: HomePlace::default(),
                },
                &actor(),
            )
            .await
            .unwrap();
        let step = |d| RecordChange::Step {
            step: "plab1".into(),
            passed_on: d,
            evidence: String::new(),
        };
        store
            .change_records(p, all, keep.id, &step(date!(2026 - 05 - 01)), &actor())
            .await
            .unwrap();
        store
            .change_records(p, all, other.id, &step(date!(2026 - 05 - 01)), &actor())
            .await
            .unwrap();
        store
            .change_records(
                p,
                all,
                other.id,
                &RecordChange::Note {
                    body: "Came through the mosque's drop-in".into(),
                },
                &actor(),
            )
            .await
            .unwrap();
        // A caseworker cannot merge someone outside their caseload.
        let refused = store
            .merge_people(p, Caseload::Of(ana), keep.id, other.id, &actor())
            .await;
        assert!(
            matches!(refused, Err(useit_store::StoreError::NotFound)),
            "{refused:?}"
        );
        let merged = store
            .merge_people(p, all, keep.id, other.id, &actor())
            .await
            .unwrap();
        assert_eq!(merged.draft.email, keep.draft.email);
        let (_, recs) = store.person(p, all, keep.id, &actor()).await.unwrap();
        assert_eq!(recs.steps.len(), 1, "the same step once");
        assert_eq!(recs.notes.len(), 1, "the other record's note moved");
        assert!(
            store.person(p, all, other.id, &actor()).await.is_err(),
            "the other record is gone"
        );
        let f = useit_core::talent::results::funnel(&store.funnel_facts(p).await.unwrap());
        assert_eq!(f.engaged, 1, "one person, counted once");
        assert!(
            store
                .merge_people(p, all, keep.id, keep.id, &actor())
                .await
                .is_err()
        );
    }
);

async fn audit_of(
    store: &Arc<dyn Store>,
    p: ProgrammeId,
    action: AuditAction,
    id: uuid::Uuid,
) -> Vec<useit_core::audit::AuditEntry> {
    store
        .audit_list(
            &AuditFilter {
                programme_id: Some(p),
                action: Some(action),
                subject_type: Some("talent_person".into()),
                subject_id: Some(id.to_string()),
                ..Default::default()
            },
            PageRequest::all(),
        )
        .await
        .unwrap()
        .items
}

story!(
    a_change_names_the_fields_it_changed_and_an_erased_person_stays_erased,
    |store: Arc<dyn Store>| async move {
        let (p, ana, ben) = setup(&store).await;
        let change = |d: PersonDraft, caseworker| PersonChange {
            draft: d,
            caseworker,
            home: HomePlace::default(),
        };
        let person = store
            .create_person(p, &change(draft("Amal Haddad"), Some(ana)), &actor())
            .await
            .unwrap();
        let mut d = draft("Amal Haddad");
        d.phone = Some("07700 900999".into());
        // Outside the caseload: not found, and nothing written.
        let refused = store
            .update_person(
                p,
                Caseload::Of(ben),
                person.id,
                &change(d.clone(), Some(ben)),
                &actor(),
            )
            .await;
        assert!(
            matches!(refused, Err(useit_store::StoreError::NotFound)),
            "{refused:?}"
        );
        let after = store
            .update_person(
                p,
                Caseload::Of(ana),
                person.id,
                &change(d.clone(), Some(ben)),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(after.draft.phone.as_deref(), Some("07700 900999"));
        assert_eq!(after.caseworker_id, Some(ben));
        let updates = audit_of(&store, p, AuditAction::Update, person.id).await;
        assert_eq!(updates.len(), 1);
        assert_eq!(updates[0].summary, "fields: phone, caseworker");
        assert!(!updates[0].summary.contains("900999"), "never the values");
        store
            .erase_person(p, Caseload::All, person.id, &actor())
            .await
            .unwrap();
        let erased = store
            .update_person(p, Caseload::All, person.id, &change(d, None), &actor())
            .await;
        assert!(
            matches!(&erased, Err(useit_store::StoreError::Conflict { field, .. }) if field == "id"),
            "{erased:?}"
        );
    }
);

story!(
    an_import_updates_by_id_within_the_caseload_and_counts_what_it_did,
    |store: Arc<dyn Store>| async move {
        let (p, ana, ben) = setup(&store).await;
        let row = |id, name: &str, caseworker| PersonImportRow {
            id,
            person: PersonChange {
                draft: draft(name),
                caseworker,
                home: HomePlace::default(),
            },
        };
        let first = store
            .import_people(
                p,
                Caseload::All,
                &[
                    row(None, "Amal Haddad", Some(ana)),
                    row(None, "Samir Aziz", Some(ben)),
                ],
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!((first.created, first.updated, first.unchanged), (2, 0, 0));
        let people = store
            .people_with_records(
                p,
                Caseload::All,
                &PeopleQuery::default(),
                false,
                &actor(),
                "test",
            )
            .await
            .unwrap();
        let id_of = |name: &str| {
            people
                .iter()
                .find(|(x, _)| x.draft.full_name == name)
                .unwrap()
                .0
                .id
        };
        let (amal, samir) = (id_of("Amal Haddad"), id_of("Samir Aziz"));
        // The same rows by id: unchanged; a changed one: updated.
        let again = store
            .import_people(
                p,
                Caseload::All,
                &[
                    row(Some(amal), "Amal Haddad", Some(ana)),
                    row(Some(samir), "Samir Azizi", Some(ben)),
                ],
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 1, 1));
        let updates = audit_of(&store, p, AuditAction::Update, samir).await;
        assert_eq!(updates[0].summary, "import, fields: full_name, email");
        // Ana's import cannot reach Ben's person: that id is a new person in
        // her caseload, and Ben's is untouched.
        let hers = store
            .import_people(
                p,
                Caseload::Of(ana),
                &[row(Some(samir), "Samir Aziz", Some(ana))],
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!((hers.created, hers.updated), (1, 0));
        let (theirs, _) = store
            .person(p, Caseload::All, samir, &actor())
            .await
            .unwrap();
        assert_eq!(
            (theirs.draft.full_name.as_str(), theirs.caseworker_id),
            ("Samir Azizi", Some(ben))
        );
    }
);

story!(
    a_subject_access_export_is_audited_as_an_export,
    |store: Arc<dyn Store>| async move {
        let (p, ana, ben) = setup(&store).await;
        let person = store
            .create_person(
                p,
                &PersonChange {
                    draft: draft("Leila Mansour"),
                    caseworker: Some(ana),
                    home: HomePlace::default(),
                },
                &actor(),
            )
            .await
            .unwrap();
        store
            .change_records(
                p,
                Caseload::All,
                person.id,
                &RecordChange::Note {
                    body: "Prefers Arabic for letters".into(),
                },
                &actor(),
            )
            .await
            .unwrap();
        let outside = store
            .export_person(p, Caseload::Of(ben), person.id, &actor())
            .await;
        assert!(matches!(outside, Err(useit_store::StoreError::NotFound)));
        let (got, recs) = store
            .export_person(p, Caseload::Of(ana), person.id, &actor())
            .await
            .unwrap();
        assert_eq!(got.draft.full_name, "Leila Mansour");
        assert_eq!(recs.notes[0].body, "Prefers Arabic for letters");
        let exports = audit_of(&store, p, AuditAction::Export, person.id).await;
        assert_eq!(exports.len(), 1);
        assert_eq!(exports[0].summary, "subject access export");
    }
);
