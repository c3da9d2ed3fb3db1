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
