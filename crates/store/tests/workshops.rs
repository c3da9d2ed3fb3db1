//! Workshop storage on SQLite and PostgreSQL: a guest link is found by the
//! hash of its secret only, and rows of one programme's workshop cannot be
//! written through another programme (notes, actions, links, regrouping);
//! each write leaves its audit entry.

use std::sync::Arc;

use time::Duration;
use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditFilter};
use useit_core::clock;
use useit_core::listing::PageRequest;
use useit_core::programme::NewProgramme;
use useit_core::workshops::guest::issue;
use useit_core::workshops::lineage::ReplicationDraft;
use useit_core::workshops::note::{ActionDraft, Group, NoteDraft};
use useit_core::workshops::workshop::{Question, WorkshopInput};
use useit_store::workshops::NewGuestLink;
use useit_store::{Store, StoreError};
use useit_testkit::story;

async fn programme(store: &Arc<dyn Store>, slug: &str) -> ProgrammeId {
    store
        .create_programme(
            &NewProgramme {
                slug: slug.into(),
                name: slug.into(),
                description: String::new(),
            },
            None,
            &Actor::system("test"),
        )
        .await
        .unwrap()
        .id
}

story!(workshop_rows_stay_in_their_programme, |store: Arc<
    dyn Store,
>| async move {
    let actor = Actor::system("test");
    let (a, b) = (
        programme(&store, "alpha").await,
        programme(&store, "beta").await,
    );
    let draft = WorkshopInput {
        title: "Glasgow".into(),
        held_on: "2019-03-26".into(),
        place: "Glasgow".into(),
        case_study: "USE-IT!".into(),
        hosts: vec!["A".into(), "B".into(), "C".into()],
        ..Default::default()
    }
    .validate()
    .unwrap();
    let w = store.save_workshop(a, None, &draft, &actor).await.unwrap();
    assert_eq!(store.workshop(a, w.id).await.unwrap().unwrap().draft, draft);
    assert!(matches!(
        store.save_workshop(a, None, &draft, &actor).await,
        Err(StoreError::Conflict { .. })
    ));
    let note = NoteDraft {
        table: Some(2),
        round: Some(1),
        question: Question::WhatDidnt,
        text: "Funding ended".into(),
        answer: None,
        city: None,
    };
    let n = store
        .add_workshop_note(a, w.id, &note, None, &actor)
        .await
        .unwrap();
    assert_eq!(n.group, Some(Group::Obstacle));
    assert_eq!(store.workshop(a, w.id).await.unwrap().unwrap().notes, 1);

    // Through programme beta, alpha's workshop is not there.
    assert!(store.workshop(b, w.id).await.unwrap().is_none());
    assert!(matches!(
        store.add_workshop_note(b, w.id, &note, None, &actor).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .group_workshop_notes(b, w.id, &[(n.id, None)], &actor)
            .await,
        Err(StoreError::NotFound)
    ));
    let action = ActionDraft {
        action: "x".into(),
        owner: "y".into(),
        city: "z".into(),
    };
    assert!(matches!(
        store.add_workshop_action(b, w.id, &action, &actor).await,
        Err(StoreError::NotFound)
    ));
    let secret = issue();
    let link = NewGuestLink {
        token_hash: secret.hash.clone(),
        hint: secret.hint.clone(),
        expires_at: clock::now() + Duration::hours(1),
    };
    assert!(matches!(
        store.create_guest_link(b, w.id, &link, &actor).await,
        Err(StoreError::NotFound)
    ));
    let l = store
        .create_guest_link(a, w.id, &link, &actor)
        .await
        .unwrap();
    assert!(
        store
            .revoke_guest_link(b, w.id, l.id, &actor)
            .await
            .is_err()
    );

    // Found by the hash alone; the secret itself is stored nowhere.
    let found = store
        .guest_link_by_hash(&secret.hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.programme_id, found.workshop_id), (a, w.id));
    assert!(
        store
            .guest_link_by_hash(&secret.secret)
            .await
            .unwrap()
            .is_none()
    );
    let revoked = store
        .revoke_guest_link(a, w.id, l.id, &actor)
        .await
        .unwrap();
    assert!(revoked.revoked_at.is_some());

    // A lineage entry cannot hang below another programme's.
    let root = store
        .add_replication(
            a,
            &ReplicationDraft {
                name: "USE-IT!".into(),
                city: "Birmingham".into(),
                modelled_on: None,
                started: Some(2016),
                note: String::new(),
            },
            &actor,
        )
        .await
        .unwrap();
    assert!(
        store
            .add_replication(
                b,
                &ReplicationDraft {
                    name: "Copy".into(),
                    city: "Glasgow".into(),
                    modelled_on: Some(root.id),
                    started: None,
                    note: String::new(),
                },
                &actor,
            )
            .await
            .is_err(),
        "the foreign key carries the programme"
    );
    let audit = store
        .audit_list(
            &AuditFilter {
                programme_id: Some(a),
                ..Default::default()
            },
            PageRequest::all(),
        )
        .await
        .unwrap();
    assert!(
        audit
            .items
            .iter()
            .any(|e| e.subject_type == "workshop_guest_link")
    );
    assert!(
        audit
            .items
            .iter()
            .any(|e| e.subject_type == "workshop_note")
    );
});
