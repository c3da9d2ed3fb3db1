//! Talent workflows on SQLite and PostgreSQL. The people import is one path
//! for the page, the API and the console, and these stories pin its rule for
//! a blank caseworker: a caseworker's import stays in their own caseload; an
//! unknown caseworker e-mail rejects the file at its line and writes nothing;
//! the same file twice changes nothing; the console follows the same rule as
//! the page, with nobody importing. And a placement is only ever a pair the
//! matcher proposes.

use std::sync::Arc;

use useit_app::talent::import::{PeopleUpload, import_people};
use useit_app::talent::matching::{confirm, move_placement, proposals};
use useit_app::talent::people::{create_person, people, people_file};
use useit_app::talent::vacancies::{VacancyUpload, import_vacancies};
use useit_app::{Caller, Error, Store};
use useit_core::UserId;
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::listing::PageRequest;
use useit_core::programme::NewProgramme;
use useit_core::talent::casework::{PersonInput, WorkOutcome};
use useit_core::talent::person::{ImportCounts, PeopleQuery, Person};
use useit_core::talent::placement::{ConfirmInput, MoveInput};
use useit_testkit::story;

const HEADER: &str = "id,full_name,email,profession,qualification_country,lawful_basis,consent_given_on,caseworker_email\n";

struct Team {
    console: Caller,
    manager: Caller,
    ana: Caller,
    ben: Caller,
}

impl Team {
    fn id(c: &Caller) -> UserId {
        c.user.expect("a member")
    }
}

async fn team(store: &Arc<dyn Store>) -> Team {
    let actor = Actor::system("test");
    let p = store
        .create_programme(
            &NewProgramme {
                slug: "talent".into(),
                name: "Talent".into(),
                description: String::new(),
            },
            None,
            &actor,
        )
        .await
        .unwrap();
    let member = async |name: &str, role: Role| {
        let email = format!("{name}@example.org");
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
    };
    let manager = member("mona", Role::ProgrammeManager).await;
    let ana = member("ana", Role::EmploymentCaseworker).await;
    let ben = member("ben", Role::EmploymentCaseworker).await;
    member("fay", Role::FunderViewer).await;
    Team {
        console: Caller::console(p.id),
        manager,
        ana,
        ben,
    }
}

async fn import(
    store: &Arc<dyn Store>,
    caller: &Caller,
    file: &str,
) -> Result<ImportCounts, Error> {
    let upload = PeopleUpload {
        file_name: "people.csv",
        bytes: file.as_bytes(),
    };
    import_people(store.as_ref(), caller, upload, &|_| {})
        .await
        .map(|i| i.outcome)
}

fn counts(r: Result<ImportCounts, Error>) -> (u64, u64, u64) {
    match r {
        Ok(o) => (o.created, o.updated, o.unchanged),
        Err(e) => panic!("not imported: {e:?}"),
    }
}

/// Everyone in the programme, by name, with their caseworker.
async fn everyone(store: &Arc<dyn Store>, t: &Team) -> Vec<(String, Option<UserId>)> {
    let all = people(
        store.as_ref(),
        &t.manager,
        &PeopleQuery::default(),
        PageRequest::all(),
    )
    .await
    .unwrap();
    all.items
        .into_iter()
        .map(|p| (p.draft.full_name, p.caseworker_id))
        .collect()
}

fn row(id: &str, name: &str, caseworker: &str) -> String {
    let email = format!("{}@example.net", name.to_lowercase().replace(' ', "."));
    format!("{id},{name},{email},nurse,Syria,consent,2026-01-10,{caseworker}\n")
}

story!(
    a_caseworkers_import_stays_in_their_own_caseload,
    |store: Arc<dyn Store>| async move {
        let t = team(&store).await;
        let samir = create_person(
            store.as_ref(),
            &t.ben,
            &PersonInput {
                full_name: "Samir Aziz".into(),
                profession: "doctor".into(),
                qualification_country: "Iraq".into(),
                lawful_basis: "legitimate_interests".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // Ana's file: a new row, one naming Ben, and Ben's person's id.
        let file = format!(
            "{HEADER}{}{}{}",
            row("", "Amal Haddad", ""),
            row("", "Rania Khalil", "ben@example.org"),
            row(&samir.id.to_string(), "Samir Aziz", "ben@example.org"),
        );
        assert_eq!(counts(import(&store, &t.ana, &file).await), (3, 0, 0));
        let ana = Some(Team::id(&t.ana));
        let ben = Some(Team::id(&t.ben));
        let mut all = everyone(&store, &t).await;
        all.sort();
        assert_eq!(
            all,
            [
                ("Amal Haddad".to_string(), ana),
                ("Rania Khalil".to_string(), ana),
                ("Samir Aziz".to_string(), ana),
                ("Samir Aziz".to_string(), ben),
            ],
            "everything Ana imports is hers, and Ben's person is untouched"
        );
        let bens = people(
            store.as_ref(),
            &t.ben,
            &PeopleQuery::default(),
            PageRequest::all(),
        )
        .await
        .unwrap();
        assert_eq!(bens.total, 1);
    }
);

story!(
    an_unknown_caseworker_email_rejects_the_file_at_its_line,
    |store: Arc<dyn Store>| async move {
        let t = team(&store).await;
        let file = format!(
            "{HEADER}{}{}{}",
            row("", "Amal Haddad", "ana@example.org"),
            row("", "Omar Saleh", "nobody@example.org"),
            // A member who cannot hold a caseload is not a caseworker either.
            row("", "Leila Mansour", "fay@example.org"),
        );
        for who in [&t.manager, &t.ana, &t.console] {
            match import(&store, who, &file).await {
                Err(Error::Rejected(report)) => {
                    let lines: Vec<String> =
                        report.errors().map(|p| p.describe("people.csv")).collect();
                    assert_eq!(lines.len(), 2, "{lines:?}");
                    assert!(lines[0].starts_with("people.csv:3: error:"), "{lines:?}");
                    assert!(lines[0].contains("nobody@example.org"), "{lines:?}");
                    assert!(lines[1].starts_with("people.csv:4: error:"), "{lines:?}");
                }
                other => panic!("an unknown caseworker must reject the file: {other:?}"),
            }
        }
        assert!(everyone(&store, &t).await.is_empty(), "nothing written");
    }
);

story!(the_same_file_twice_changes_nothing, |store: Arc<
    dyn Store,
>| async move {
    let t = team(&store).await;
    let file = format!(
        "{HEADER}{}{}",
        row("", "Amal Haddad", ""),
        row("", "Rania Khalil", "ana@example.org"),
    );
    assert_eq!(counts(import(&store, &t.manager, &file).await), (2, 0, 0));
    let before = everyone(&store, &t).await;
    assert_eq!(counts(import(&store, &t.manager, &file).await), (0, 0, 2));
    assert_eq!(everyone(&store, &t).await, before, "no one added twice");
    // The export (with ids and caseworkers' e-mails) imports back unchanged,
    // once and again.
    let exported = people_file(store.as_ref(), &t.manager, &PeopleQuery::default())
        .await
        .unwrap();
    assert_eq!(
        counts(import(&store, &t.manager, &exported).await),
        (0, 0, 2)
    );
    assert_eq!(
        counts(import(&store, &t.manager, &exported).await),
        (0, 0, 2)
    );
    assert_eq!(everyone(&store, &t).await, before);
});

story!(
    the_console_follows_the_pages_rule_with_nobody_importing,
    |store: Arc<dyn Store>| async move {
        let t = team(&store).await;
        let file = format!(
            "{HEADER}{}{}",
            row("", "Amal Haddad", ""),
            row("", "Rania Khalil", "ana@example.org"),
        );
        // The page, for a manager: a blank new row is the manager's.
        assert_eq!(counts(import(&store, &t.manager, &file).await), (2, 0, 0));
        // The console: the same file means the same, except that nobody
        // imports it, so the blank new row joins no caseload.
        let other = file
            .replace("Amal Haddad", "Hodan Jama")
            .replace("Rania Khalil", "Yusuf Osman");
        assert_eq!(counts(import(&store, &t.console, &other).await), (2, 0, 0));
        let mut all = everyone(&store, &t).await;
        all.sort();
        let (manager, ana) = (Some(Team::id(&t.manager)), Some(Team::id(&t.ana)));
        assert_eq!(
            all,
            [
                ("Amal Haddad".to_string(), manager),
                ("Hodan Jama".to_string(), None),
                ("Rania Khalil".to_string(), ana),
                ("Yusuf Osman".to_string(), ana),
            ]
        );
        // A blank caseworker on an exported row means none, at the console
        // as on the page: the export imports back unchanged, and blanking
        // Amal's caseworker takes her off the manager's caseload.
        let exported = people_file(store.as_ref(), &t.console, &PeopleQuery::default())
            .await
            .unwrap();
        assert_eq!(
            counts(import(&store, &t.console, &exported).await),
            (0, 0, 4)
        );
        let blanked = exported.replace(",mona@example.org,", ",,");
        assert_ne!(blanked, exported);
        assert_eq!(
            counts(import(&store, &t.console, &blanked).await),
            (0, 1, 3)
        );
        let all = everyone(&store, &t).await;
        assert!(all.iter().any(|(n, c)| n == "Amal Haddad" && c.is_none()));
    }
);

fn nurse(name: &str) -> PersonInput {
    PersonInput {
        full_name: name.into(),
        postcode: "B66 2QT".into(),
        profession: "nurse".into(),
        qualification_country: "Syria".into(),
        experience_years: "6".into(),
        right_to_work: "yes".into(),
        lawful_basis: "consent".into(),
        consent_given_on: "2026-01-10".into(),
        ..Default::default()
    }
}

story!(
    a_placement_is_only_ever_a_pair_the_matcher_proposes,
    |store: Arc<dyn Store>| async move {
        let t = team(&store).await;
        let s = store.as_ref();
        let vacancies = "reference,title,role,posts,opens_on,site_postcode\n\
                         HCA-1,Healthcare assistant,healthcare_assistant,1,2026-01-05,B18 7QH\n";
        let upload = VacancyUpload {
            file_name: "vacancies.csv",
            bytes: vacancies.as_bytes(),
        };
        import_vacancies(s, &t.ana, upload).await.unwrap();
        let a: Person = create_person(s, &t.ana, &nurse("Amal Haddad"))
            .await
            .unwrap();
        let b: Person = create_person(s, &t.ana, &nurse("Samir Aziz"))
            .await
            .unwrap();
        let found = proposals(s, &t.ana).await.unwrap();
        assert_eq!(found.len(), 1, "one post, one proposal");
        let chosen = found[0].person.id;
        let other = if chosen == a.id { b.id } else { a.id };
        let vacancy = found[0].vacancy.id;
        let pair = |person: uuid::Uuid| ConfirmInput {
            person: person.to_string(),
            vacancy: vacancy.to_string(),
        };
        match confirm(s, &t.ana, &pair(other)).await {
            Err(Error::Conflict { field, .. }) => assert_eq!(field, "vacancy"),
            r => panic!("a pair not proposed was confirmed: {r:?}"),
        }
        // A funder may not confirm at all; Ben cannot reach Ana's people.
        let fay = Caller {
            role: Some(Role::FunderViewer),
            ..t.ben.clone()
        };
        assert!(matches!(
            confirm(s, &fay, &pair(chosen)).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            confirm(s, &t.ben, &pair(chosen)).await,
            Err(Error::Conflict { .. })
        ));
        let placed = confirm(s, &t.ana, &pair(chosen)).await.unwrap();
        assert_eq!(placed.score, found[0].score.total);
        assert!(placed.reasons.contains("\"travel\""), "{}", placed.reasons);
        assert!(
            proposals(s, &t.ana).await.unwrap().is_empty(),
            "the post is held"
        );
        let step = |status: &str| MoveInput {
            status: status.into(),
            on: "2026-11-02".into(),
        };
        assert!(matches!(
            move_placement(s, &t.ana, placed.id, &step("started")).await,
            Err(Error::Invalid(_))
        ));
        for status in ["applied", "offered", "started"] {
            move_placement(s, &t.ana, placed.id, &step(status))
                .await
                .unwrap();
        }
        let (person, _) = useit_app::talent::people::person(s, &t.manager, chosen)
            .await
            .unwrap();
        assert_eq!(
            person.work,
            WorkOutcome::Nhs,
            "a start puts the person into NHS work"
        );
    }
);

story!(many_people_are_changed_at_once_or_none_is, |store: Arc<
    dyn Store,
>| async move {
    use useit_app::talent::bulk::{change_people, move_many, plan_people};
    use useit_core::audit::{AuditAction, AuditFilter};
    use useit_core::talent::bulk::{BulkMoveInput, BulkPeopleInput};
    use useit_core::talent::record::RecordInput;

    let t = team(&store).await;
    let s = store.as_ref();
    let amal = create_person(s, &t.ana, &nurse("Amal Haddad"))
        .await
        .unwrap();
    let samir = create_person(s, &t.ana, &nurse("Samir Aziz"))
        .await
        .unwrap();
    let yusuf = create_person(s, &t.ben, &nurse("Yusuf Osman"))
        .await
        .unwrap();
    let barrier = |people: &[uuid::Uuid]| BulkPeopleInput {
        people: people.iter().map(|p| p.to_string()).collect(),
        action: "barrier".into(),
        record: RecordInput {
            barrier: "dbs_check".into(),
            raised_on: "2026-11-02".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    // An id of no one the caller can reach is unknown (a 404 naming the
    // field); the other refusals are invalid input.
    let fields = |e: Error| match e {
        Error::Invalid(errs) | Error::Unknown(errs) => errs
            .into_iter()
            .map(|f| (f.field, f.message.key))
            .collect::<Vec<_>>(),
        e => panic!("not invalid: {e:?}"),
    };
    let barriers = async || store.barrier_facts(t.ana.programme).await.unwrap().len();

    // Ana cannot reach Ben's Yusuf: one id she cannot reach and nobody
    // is changed, as for an id of no one (or of another programme).
    let e = change_people(s, &t.ana, &barrier(&[amal.id, samir.id, yusuf.id]), &|_| {})
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Unknown(_)), "{e:?}");
    assert_eq!(fields(e), [("people".into(), "talent.bulk.unknown".into())]);
    let e = change_people(
        s,
        &t.manager,
        &barrier(&[amal.id, uuid::Uuid::now_v7()]),
        &|_| {},
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Unknown(_)), "{e:?}");
    assert_eq!(fields(e), [("people".into(), "talent.bulk.unknown".into())]);
    assert_eq!(barriers().await, 0, "nothing was written");

    // A bad field for everyone is named as on the person's page.
    let mut no_date = barrier(&[amal.id, samir.id]);
    no_date.record.raised_on.clear();
    let e = change_people(s, &t.ana, &no_date, &|_| {})
        .await
        .unwrap_err();
    assert_eq!(fields(e)[0].0, "raised_on");

    // The plan names whom it will change; nothing is written yet.
    let plan = plan_people(s, &t.ana, &barrier(&[samir.id, amal.id]), &|_| {})
        .await
        .unwrap();
    let names: Vec<&str> = plan
        .people
        .iter()
        .map(|p| p.draft.full_name.as_str())
        .collect();
    assert_eq!(names, ["Samir Aziz", "Amal Haddad"]);
    assert_eq!(barriers().await, 0);

    // Done: both, each with their own audit entry.
    let ticks = std::sync::Mutex::new(0u64);
    let done = change_people(s, &t.ana, &barrier(&[amal.id, samir.id]), &|n| {
        *ticks.lock().unwrap() = n;
    })
    .await
    .unwrap();
    assert_eq!(done.people.len(), 2);
    assert_eq!(*ticks.lock().unwrap(), 2, "progress told of each person");
    assert_eq!(barriers().await, 2);
    let audit = store
        .audit_list(
            &AuditFilter {
                programme_id: Some(t.ana.programme),
                action: Some(AuditAction::Create),
                subject_type: Some("talent_barrier".into()),
                ..Default::default()
            },
            PageRequest::new(None, None),
        )
        .await
        .unwrap();
    let mut whom: Vec<String> = audit
        .items
        .iter()
        .filter_map(|e| e.subject_id.clone())
        .collect();
    whom.sort();
    let mut want = vec![amal.id.to_string(), samir.id.to_string()];
    want.sort();
    assert_eq!(whom, want, "one audit entry per person");

    // Only roles that change people; a caseworker may not hand people on.
    let fay = Caller {
        role: Some(Role::FunderViewer),
        ..t.ben.clone()
    };
    assert!(matches!(
        change_people(s, &fay, &barrier(&[yusuf.id]), &|_| {}).await,
        Err(Error::Refused)
    ));
    let hand_on = BulkPeopleInput {
        people: vec![amal.id.to_string(), samir.id.to_string()],
        action: "caseworker".into(),
        caseworker: "ben@example.org".into(),
        ..Default::default()
    };
    assert!(matches!(
        change_people(s, &t.ana, &hand_on, &|_| {}).await,
        Err(Error::Refused)
    ));
    change_people(s, &t.manager, &hand_on, &|_| {})
        .await
        .unwrap();
    let all = everyone(&store, &t).await;
    let ben = Some(Team::id(&t.ben));
    assert!(all.iter().all(|(_, c)| *c == ben), "{all:?}");

    // A step: one not on someone's pathway names them and stops all.
    let step = |people: &[uuid::Uuid], step: &str| BulkPeopleInput {
        people: people.iter().map(|p| p.to_string()).collect(),
        action: "step".into(),
        record: RecordInput {
            step: step.into(),
            passed_on: "2026-10-01".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let e = change_people(s, &t.ben, &step(&[amal.id], "plab1"), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(fields(e)[0].0, "step");

    // Placements: moved together, or none when one may not move.
    let vacancies = "reference,title,role,posts,opens_on,site_postcode\n\
                         HCA-1,Healthcare assistant,healthcare_assistant,2,2026-01-05,B18 7QH\n";
    let upload = VacancyUpload {
        file_name: "vacancies.csv",
        bytes: vacancies.as_bytes(),
    };
    import_vacancies(s, &t.ben, upload).await.unwrap();
    let mut placed = Vec::new();
    for p in proposals(s, &t.ben).await.unwrap() {
        let pair = ConfirmInput {
            person: p.person.id.to_string(),
            vacancy: p.vacancy.id.to_string(),
        };
        placed.push(confirm(s, &t.ben, &pair).await.unwrap().id);
    }
    assert_eq!(placed.len(), 2);
    let bulk_move = |ids: &[uuid::Uuid], status: &str| BulkMoveInput {
        placements: ids.iter().map(|p| p.to_string()).collect(),
        status: status.into(),
        on: "2026-11-03".into(),
    };
    move_placement(
        s,
        &t.ben,
        placed[0],
        &MoveInput {
            status: "applied".into(),
            on: "2026-11-02".into(),
        },
    )
    .await
    .unwrap();
    let e = move_many(s, &t.ben, &bulk_move(&placed, "applied"))
        .await
        .unwrap_err();
    assert_eq!(
        fields(e),
        [("status".into(), "talent.bulk.cannot_move".into())]
    );
    let e = move_many(s, &t.ana, &bulk_move(&placed, "withdrawn"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Unknown(_)), "{e:?}");
    assert_eq!(
        fields(e),
        [("placements".into(), "talent.bulk.unknown".into())]
    );
    let moved = move_many(s, &t.ben, &bulk_move(&placed, "withdrawn"))
        .await
        .unwrap();
    assert_eq!(moved.len(), 2);
    assert!(moved.iter().all(|p| p.status.slug() == "withdrawn"));
});

story!(a_saved_filter_is_its_owners_unless_shared, |store: Arc<
    dyn Store,
>| async move {
    use useit_app::programme::saved_filters::{delete_filter, save_filter, saved_filters};
    use useit_core::programme::saved_filter::{SavedFilterInput, SavedList};

    let t = team(&store).await;
    let s = store.as_ref();
    let input = |name: &str, query: &str, shared: bool| SavedFilterInput {
        list: "people".into(),
        name: name.into(),
        query: query.into(),
        shared,
    };
    let names = async |c: &Caller| {
        saved_filters(s, c, SavedList::People)
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.name, f.query))
            .collect::<Vec<_>>()
    };

    // Saved: the page number is no part of it.
    let mine = save_filter(
        s,
        &t.ana,
        &input("Nurses", "?profession=nurse&page=3", false),
    )
    .await
    .unwrap();
    assert_eq!(mine.query, "profession=nurse");
    assert_eq!(
        mine.href("/p/talent"),
        "/p/talent/talent/people?profession=nurse"
    );
    // Private to Ana; Ben sees only what is shared.
    assert_eq!(
        names(&t.ana).await,
        [("Nurses".into(), "profession=nurse".into())]
    );
    assert!(names(&t.ben).await.is_empty());
    save_filter(s, &t.ben, &input("Engaged", "stage=engaged", true))
        .await
        .unwrap();
    assert_eq!(names(&t.ana).await.len(), 2);
    // The same name again replaces it; nobody else may remove it.
    save_filter(
        s,
        &t.ana,
        &input("Nurses", "profession=nurse&sort=name", false),
    )
    .await
    .unwrap();
    assert_eq!(
        names(&t.ana).await,
        [
            ("Engaged".into(), "stage=engaged".into()),
            ("Nurses".into(), "profession=nurse&sort=name".into())
        ]
    );
    assert!(matches!(
        delete_filter(s, &t.ben, mine.id).await,
        Err(Error::NotFound)
    ));
    // Those who may not see the list keep no filter of it; nor does the
    // console, which is nobody.
    let fay = Caller {
        role: Some(Role::FunderViewer),
        ..t.ben.clone()
    };
    assert!(matches!(
        save_filter(s, &fay, &input("Mine", "stage=engaged", false)).await,
        Err(Error::Refused)
    ));
    assert!(matches!(
        saved_filters(s, &fay, SavedList::People).await,
        Err(Error::Refused)
    ));
    assert!(matches!(
        save_filter(s, &t.console, &input("Mine", "stage=engaged", false)).await,
        Err(Error::Refused)
    ));
    // Another programme: Ana's filters are not there, nor hers to remove.
    let other = store
        .create_programme(
            &NewProgramme {
                slug: "elsewhere".into(),
                name: "Elsewhere".into(),
                description: String::new(),
            },
            None,
            &Actor::system("test"),
        )
        .await
        .unwrap();
    store
        .set_role(
            other.id,
            Team::id(&t.ana),
            Role::EmploymentCaseworker,
            &Actor::system("test"),
        )
        .await
        .unwrap();
    let ana_elsewhere = Caller {
        programme: other.id,
        ..t.ana.clone()
    };
    assert!(names(&ana_elsewhere).await.is_empty());
    assert!(matches!(
        delete_filter(s, &ana_elsewhere, mine.id).await,
        Err(Error::NotFound)
    ));
    delete_filter(s, &t.ana, mine.id).await.unwrap();
    assert_eq!(
        names(&t.ana).await,
        [("Engaged".into(), "stage=engaged".into())]
    );
});
