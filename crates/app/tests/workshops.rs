//! Workshop workflows on SQLite and PostgreSQL: an organiser plans the
//! seed's world café (3 tables × 3 rounds), opens a guest link, guests add
//! notes per table and round and answer "would you transfer"; the link
//! stops working when it expires or is revoked and reaches only its own
//! workshop; the organiser groups the notes, lists actions and the tally
//! counts the answers; another programme sees none of it; the lineage
//! hangs replications below their original.

use std::sync::Arc;

use time::Duration;
use useit_app::workshops::lineage::{add_replication, replications};
use useit_app::workshops::{
    add_action, group_notes, guest, open_guest_link, open_guest_link_at, revoke_guest_link,
    save_workshop, summary, workshop, workshops,
};
use useit_app::{Caller, Error, Store};
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::clock;
use useit_core::disclosure::Cell;
use useit_core::programme::NewProgramme;
use useit_core::workshops::guest::GuestLinkInput;
use useit_core::workshops::lineage::{ReplicationInput, layout};
use useit_core::workshops::note::{ActionInput, Group, GroupInput, NoteInput};
use useit_core::workshops::workshop::{Question, WorkshopInput};
use useit_testkit::story;

async fn member(store: &Arc<dyn Store>, slug: &str, name: &str, role: Role) -> Caller {
    let actor = Actor::system("test");
    let p = match store.programme_by_slug(slug).await.unwrap() {
        Some(p) => p,
        None => store
            .create_programme(
                &NewProgramme {
                    slug: slug.into(),
                    name: slug.into(),
                    description: String::new(),
                },
                None,
                &actor,
            )
            .await
            .unwrap(),
    };
    let email = format!("{name}@{slug}.example.org");
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
}

fn glasgow(title: &str) -> WorkshopInput {
    WorkshopInput {
        title: title.into(),
        held_on: "2019-03-26".into(),
        place: "Grand Central Hotel, 99 Gordon Street, Glasgow".into(),
        part_of: "EUROCITIES Social Innovation Lab".into(),
        case_study: "Unlocking Social and Economic Innovation Together in Birmingham".into(),
        hosts: vec!["Ana".into(), "Ben".into(), "Chiara".into()],
        ..Default::default()
    }
}

fn at(table: u8, round: u8, text: &str) -> NoteInput {
    NoteInput {
        table: table.to_string(),
        round: round.to_string(),
        text: text.into(),
        ..Default::default()
    }
}

fn transfer(answer: &str, city: &str) -> NoteInput {
    NoteInput {
        question: "would_transfer".into(),
        answer: answer.into(),
        text: format!("Said in {city}"),
        city: city.into(),
        ..Default::default()
    }
}

story!(
    a_world_cafe_is_harvested_by_guests_and_synthesised,
    |store: Arc<dyn Store>| async move {
        let s = store.as_ref();
        let organiser = member(&store, "birmingham", "kasia", Role::ProgrammeManager).await;
        let funder = member(&store, "birmingham", "fay", Role::FunderViewer).await;
        let stranger = member(&store, "glasgow", "gus", Role::Administrator).await;

        assert!(matches!(
            save_workshop(s, &funder, None, &glasgow("Refused")).await,
            Err(Error::Refused)
        ));
        let w = save_workshop(s, &organiser, None, &glasgow("Workshop 1"))
            .await
            .unwrap();
        let other = save_workshop(s, &organiser, None, &glasgow("Workshop 2"))
            .await
            .unwrap();
        assert_eq!((w.draft.tables.len(), w.draft.rounds), (3, 3));

        let link = open_guest_link(s, &organiser, w.id, &GuestLinkInput { hours: "4".into() })
            .await
            .unwrap();
        assert!(link.link.is_open_at(clock::now()));
        // Guests: one note per table and round, and three answers to transfer.
        for t in 1..=3 {
            for r in 1..=3 {
                guest::add_note(s, &link.secret, &at(t, r, &format!("table {t} round {r}")))
                    .await
                    .unwrap();
            }
        }
        for (a, city) in [("yes", "Lille"), ("maybe", "Glasgow"), ("yes", "Gdańsk")] {
            guest::add_note(s, &link.secret, &transfer(a, city))
                .await
                .unwrap();
        }
        let bad = guest::add_note(s, &link.secret, &at(4, 1, "no such table")).await;
        assert!(matches!(bad, Err(Error::Invalid(_))));

        // The link reaches only its workshop: the other has no notes.
        assert_eq!(
            summary(s, &organiser, other.id).await.unwrap().notes.len(),
            0
        );
        let view = guest::open(s, &link.secret).await.unwrap();
        assert_eq!(view.workshop.id, w.id);

        // It stops working when it expires, and when revoked.
        let later = clock::now() + Duration::hours(5);
        assert!(matches!(
            guest::open_at(s, &link.secret, later).await,
            Err(Error::Conflict { .. })
        ));
        let past = open_guest_link_at(
            s,
            &organiser,
            w.id,
            &GuestLinkInput { hours: "1".into() },
            clock::now() - Duration::hours(2),
        )
        .await
        .unwrap();
        assert!(matches!(
            guest::add_note(s, &past.secret, &at(1, 1, "too late")).await,
            Err(Error::Conflict { .. })
        ));
        revoke_guest_link(s, &organiser, w.id, link.link.id)
            .await
            .unwrap();
        assert!(matches!(
            guest::add_note(s, &link.secret, &at(1, 1, "after revoking")).await,
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(
            guest::open(s, "useit_guest_nothing").await,
            Err(Error::NotFound)
        ));

        let sum = summary(s, &funder, w.id).await.unwrap();
        assert_eq!(sum.notes.len(), 12);
        assert_eq!(sum.at(2, 3).len(), 1);
        assert_eq!(sum.at(2, 3)[0].draft.question, Question::WhatDidnt);
        // Three answers are three people's: a funder, who does not read
        // who wrote the notes, sees the small numbers suppressed (0 is
        // shown: nobody to identify) ...
        assert_eq!(
            (
                sum.tally.yes,
                sum.tally.no,
                sum.tally.maybe,
                sum.tally.total
            ),
            (
                Cell::Suppressed { below: 5 },
                Cell::Shown(0),
                Cell::Suppressed { below: 5 },
                Cell::Suppressed { below: 5 }
            )
        );
        // ... and no note's answer, from which the suppressed tally could
        // be counted again (the reasons stay, as every note's text does) ...
        assert!(sum.answers_withheld);
        assert!(sum.notes.iter().all(|n| n.draft.answer.is_none()));
        assert_eq!(
            sum.notes
                .iter()
                .filter(|n| n.draft.question == Question::WouldTransfer)
                .count(),
            3
        );
        // ... and the organiser the answers counted, each note's with it.
        let full = summary(s, &organiser, w.id).await.unwrap();
        assert!(!full.answers_withheld);
        assert_eq!(
            full.notes
                .iter()
                .filter(|n| n.draft.answer.is_some())
                .count(),
            3
        );
        let exact = full.tally;
        assert_eq!(
            (exact.yes, exact.no, exact.maybe, exact.total),
            (
                Cell::Exact(2),
                Cell::Exact(0),
                Cell::Exact(1),
                Cell::Exact(3)
            )
        );
        // Harvest starts grouped as the table's question suggests.
        assert_eq!(sum.grouped(Group::SuccessFactor).len(), 3);
        assert_eq!(sum.grouped(Group::Obstacle).len(), 3);

        // The organiser moves one obstacle to transferability and adds an action.
        let moved = sum.at(2, 1)[0].id;
        group_notes(
            s,
            &organiser,
            w.id,
            &[GroupInput {
                note: moved.to_string(),
                group: "transferability".into(),
            }],
        )
        .await
        .unwrap();
        let bad = group_notes(
            s,
            &organiser,
            other.id,
            &[GroupInput {
                note: moved.to_string(),
                group: "obstacle".into(),
            }],
        )
        .await;
        assert!(
            matches!(bad, Err(Error::Invalid(_))),
            "a note of another workshop"
        );
        add_action(
            s,
            &organiser,
            w.id,
            &ActionInput {
                action: "Map the hospital's spend with local suppliers".into(),
                owner: "Economic development team".into(),
                city: "Lille".into(),
            },
        )
        .await
        .unwrap();
        let sum = summary(s, &organiser, w.id).await.unwrap();
        assert_eq!(sum.grouped(Group::Obstacle).len(), 2);
        assert_eq!(sum.grouped(Group::Transferability).len(), 4);
        assert_eq!(sum.actions.len(), 1);

        // Fewer tables than notes were taken at is refused.
        let fewer = WorkshopInput {
            tables: "2".into(),
            hosts: vec!["Ana".into(), "Ben".into()],
            ..glasgow("Workshop 1")
        };
        assert!(matches!(
            save_workshop(s, &organiser, Some(w.id), &fewer).await,
            Err(Error::Invalid(_))
        ));

        // Another programme sees none of it.
        assert!(workshops(s, &stranger).await.unwrap().is_empty());
        assert!(matches!(
            workshop(s, &stranger, w.id).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            summary(s, &stranger, w.id).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            open_guest_link(s, &stranger, w.id, &GuestLinkInput { hours: "2".into() }).await,
            Err(Error::NotFound)
        ));
    }
);

story!(
    the_lineage_hangs_replications_below_their_original,
    |store: Arc<dyn Store>| async move {
        let s = store.as_ref();
        let organiser = member(&store, "birmingham", "kasia", Role::ProgrammeManager).await;
        let stranger = member(&store, "glasgow", "gus", Role::Administrator).await;
        let add = |name: &str, city: &str, on: &str| ReplicationInput {
            name: name.into(),
            city: city.into(),
            modelled_on: on.into(),
            ..Default::default()
        };
        add_replication(s, &organiser, &add("USE-IT!", "Birmingham", ""))
            .await
            .unwrap();
        add_replication(s, &organiser, &add("HOP", "Black Country", "USE-IT!"))
            .await
            .unwrap();
        add_replication(
            s,
            &organiser,
            &add("East Birmingham", "Birmingham", "USE-IT!"),
        )
        .await
        .unwrap();
        assert!(matches!(
            add_replication(s, &organiser, &add("HOP", "Elsewhere", "")).await,
            Err(Error::Conflict { .. })
        ));
        // Another programme cannot hang its own under ours.
        assert!(matches!(
            add_replication(s, &stranger, &add("Copy", "Glasgow", "USE-IT!")).await,
            Err(Error::Invalid(_))
        ));
        let all = replications(s, &organiser).await.unwrap();
        let placed = layout(&all);
        assert_eq!(
            placed.iter().map(|p| p.depth).collect::<Vec<_>>(),
            [0, 1, 1]
        );
        assert!(replications(s, &stranger).await.unwrap().is_empty());
    }
);
