//! The storage contract: the same stories run on SQLite and on PostgreSQL.
//!
//! PostgreSQL runs when `USEIT_TEST_PG_URL` names a server where the tests may
//! create databases (the test script starts a throw-away cluster). Under CI
//! (`CI` set) a missing server is a failure, not a skip.

use std::collections::HashSet;

use time::macros::date;
use useit_core::audit::{Actor, AuditAction, AuditFilter};
use useit_core::auth::{
    MemberQuery, MemberSort, NewApiToken, NewUser, Role, UserQuery, UserSort, token,
};
use useit_core::clock;
use useit_core::csv_import::Report;
use useit_core::listing::{PageRequest, SortDir};
use useit_core::programme::partner_csv;
use useit_core::programme::{
    NewProgramme, PartnerContact, PartnerInput, PartnerKind, PartnerQuery, PartnerSort,
    PartnerStatus,
};
use useit_core::{ApiTokenId, PartnerId, ProgrammeId, UserId};
use useit_store::auth::SessionRecord;
use useit_store::{Store, StoreError};
use useit_testkit::TestDb;

macro_rules! contract {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let db = TestDb::sqlite().await;
                ($body)(db.store.clone(), db.clone()).await;
                db.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = TestDb::postgres().await else {
                    return;
                };
                ($body)(db.store.clone(), db.clone()).await;
                db.finish().await;
            }
        }
    };
}

fn actor() -> Actor {
    Actor::system("contract-test")
}

async fn programme(store: &dyn Store, slug: &str) -> ProgrammeId {
    let p = NewProgramme::validate(slug, &format!("Programme {slug}"), "").unwrap();
    store.create_programme(&p, None, &actor()).await.unwrap().id
}

async fn user(store: &dyn Store, email: &str) -> UserId {
    let u = NewUser::validate(email, "Test Person", "a long test password", false).unwrap();
    store.create_user(&u, None, &actor()).await.unwrap().id
}

fn partner_input(name: &str, kind: &str, joined: &str, left: &str) -> PartnerInput {
    PartnerInput {
        name: name.into(),
        kind: kind.into(),
        joined_on: joined.into(),
        left_on: left.into(),
        ..Default::default()
    }
}

contract!(
    programmes_have_unique_slugs,
    |store: std::sync::Arc<dyn Store>, _db| async move {
        let id = programme(&*store, "west-birmingham").await;
        let again = NewProgramme::validate("west-birmingham", "Another", "").unwrap();
        match store.create_programme(&again, None, &actor()).await {
            Err(StoreError::Conflict { field, .. }) => assert_eq!(field, "slug"),
            other => panic!("expected a slug conflict, got {other:?}"),
        }
        let p = store
            .programme_by_slug("west-birmingham")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.id, id);
        assert_eq!(
            store.programme(id).await.unwrap().unwrap().slug,
            "west-birmingham"
        );
        assert!(store.programme_by_slug("nowhere").await.unwrap().is_none());
        let p = store
            .update_programme(id, "West Birmingham & Smethwick", "About", &actor())
            .await
            .unwrap();
        assert_eq!(p.name, "West Birmingham & Smethwick");
        assert_eq!(store.programmes().await.unwrap().len(), 1);
        let first = user(&*store, "first@example.org").await;
        let with_admin = NewProgramme::validate("with-admin", "With admin", "").unwrap();
        let q = store
            .create_programme(&with_admin, Some(first), &actor())
            .await
            .unwrap();
        assert_eq!(
            store.role_in(first, q.id).await.unwrap(),
            Some(Role::Administrator)
        );
    }
);

contract!(
    accounts_and_memberships,
    |store: std::sync::Arc<dyn Store>, _db| async move {
        let a = programme(&*store, "a-prog").await;
        let b = programme(&*store, "b-prog").await;
        let u = user(&*store, "Amira.Khan@Example.org").await;
        let dup = NewUser::validate(
            "amira.khan@example.org",
            "X",
            "another long password",
            false,
        )
        .unwrap();
        assert!(
            matches!(store.create_user(&dup, None, &actor()).await, Err(StoreError::Conflict { field, .. }) if field == "email")
        );
        let c = store
            .credentials_by_email("AMIRA.KHAN@example.ORG")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.user.id, u);
        assert!(useit_core::auth::password::verify(
            "a long test password",
            &c.password_hash
        ));

        store
            .set_role(a, u, Role::EmploymentCaseworker, &actor())
            .await
            .unwrap();
        store
            .set_role(b, u, Role::FunderViewer, &actor())
            .await
            .unwrap();
        assert_eq!(
            store.role_in(u, a).await.unwrap(),
            Some(Role::EmploymentCaseworker)
        );
        store
            .set_role(a, u, Role::ProgrammeManager, &actor())
            .await
            .unwrap();
        assert_eq!(
            store.role_in(u, a).await.unwrap(),
            Some(Role::ProgrammeManager)
        );
        let ms = store.memberships(u).await.unwrap();
        assert_eq!(ms.len(), 2);

        for i in 0..30 {
            let v = user(&*store, &format!("person{i:02}@example.org")).await;
            store
                .set_role(a, v, Role::CommunityMember, &actor())
                .await
                .unwrap();
        }
        let page = store
            .members(
                a,
                &MemberQuery::default(),
                PageRequest::new(Some(2), Some(25)),
            )
            .await
            .unwrap();
        assert_eq!(page.total, 31);
        assert_eq!(page.items.len(), 6);
        let found = store
            .members(
                a,
                &MemberQuery {
                    q: Some("amira".into()),
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(
            store
                .members(b, &MemberQuery::default(), PageRequest::default())
                .await
                .unwrap()
                .total,
            1
        );

        let managers = store
            .members(
                a,
                &MemberQuery {
                    role: Some(Role::ProgrammeManager),
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!((managers.total, managers.items[0].user.id), (1, u));
        let by_email = store
            .members(
                a,
                &MemberQuery {
                    sort: MemberSort::Email,
                    dir: SortDir::Desc,
                    ..Default::default()
                },
                PageRequest::new(Some(1), Some(2)),
            )
            .await
            .unwrap();
        assert_eq!(by_email.items[0].user.email, "person29@example.org");
        let by_role = store
            .members(
                a,
                &MemberQuery {
                    sort: MemberSort::Role,
                    ..Default::default()
                },
                PageRequest::all(),
            )
            .await
            .unwrap();
        assert_eq!(
            by_role.items[0].role,
            Role::CommunityMember,
            "roles in alphabetical order of their names"
        );
        let newest = store
            .users(
                &UserQuery {
                    sort: UserSort::Created,
                    dir: SortDir::Desc,
                    ..Default::default()
                },
                PageRequest::new(Some(1), Some(1)),
            )
            .await
            .unwrap();
        assert_eq!(newest.items[0].email, "person29@example.org");
        store.remove_member(b, u, &actor()).await.unwrap();
        assert_eq!(store.role_in(u, b).await.unwrap(), None);
        assert!(matches!(
            store.remove_member(b, u, &actor()).await,
            Err(StoreError::NotFound)
        ));

        // The last administrator cannot be removed or demoted, in one change or many.
        let admin = user(&*store, "admin@example.org").await;
        store
            .set_role(a, admin, Role::Administrator, &actor())
            .await
            .unwrap();
        assert!(matches!(
            store.set_role(a, admin, Role::FunderViewer, &actor()).await,
            Err(StoreError::Conflict { .. })
        ));
        assert!(matches!(
            store.remove_member(a, admin, &actor()).await,
            Err(StoreError::Conflict { .. })
        ));
        assert_eq!(
            store.role_in(admin, a).await.unwrap(),
            Some(Role::Administrator),
            "refused change left nothing behind"
        );
        let n = store
            .set_roles(
                a,
                &[(u, Role::Administrator), (admin, Role::ProgrammeManager)],
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(n, 2, "a hand-over in one transaction is fine");
        let created = store
            .create_user(
                &NewUser::validate("new@example.org", "New", "a long test password", false)
                    .unwrap(),
                Some((a, Role::CommunityMember)),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(
            store.role_in(created.id, a).await.unwrap(),
            Some(Role::CommunityMember)
        );

        store.set_disabled(u, true, &actor()).await.unwrap();
        assert!(store.user(u).await.unwrap().unwrap().disabled);
        assert_eq!(
            store
                .users(
                    &UserQuery {
                        q: Some("person1".into()),
                        ..Default::default()
                    },
                    PageRequest::default()
                )
                .await
                .unwrap()
                .total,
            10
        );
    }
);

contract!(
    sessions_expire_and_are_revoked,
    |store: std::sync::Arc<dyn Store>, _db| async move {
        let u = user(&*store, "s@example.org").await;
        let now = clock::now();
        let rec = SessionRecord {
            user_id: Some(u),
            data: "{}".into(),
            created_at: now,
            expires_at: now + time::Duration::hours(1),
        };
        assert!(store.session_create("h1", &rec).await.unwrap());
        assert!(
            !store.session_create("h1", &rec).await.unwrap(),
            "a taken id is refused"
        );
        assert!(store.session_create("h2", &rec).await.unwrap());
        let expired = SessionRecord {
            user_id: None,
            expires_at: now - time::Duration::seconds(1),
            ..rec.clone()
        };
        assert!(store.session_create("old", &expired).await.unwrap());
        assert!(store.session_load("old", now).await.unwrap().is_none());
        assert_eq!(
            store
                .session_load("h1", now)
                .await
                .unwrap()
                .unwrap()
                .user_id,
            Some(u)
        );

        // A password change ends every other session, and a save from a request
        // still in flight does not bring one back.
        store
            .set_password(
                u,
                &useit_core::auth::password::hash("a new long password"),
                Some("h1"),
                &actor(),
            )
            .await
            .unwrap();
        assert!(store.session_load("h1", now).await.unwrap().is_some());
        assert!(store.session_load("h2", now).await.unwrap().is_none());
        store.session_save("h2", &rec).await.unwrap();
        assert!(store.session_load("h2", now).await.unwrap().is_none());

        assert_eq!(store.sessions_purge_expired(now).await.unwrap(), 1);
        assert_eq!(store.sessions_end_for_user(u, None).await.unwrap(), 1);
    }
);

contract!(
    api_tokens_follow_memberships,
    |store: std::sync::Arc<dyn Store>, _db| async move {
        let a = programme(&*store, "tok-a").await;
        let u = user(&*store, "t@example.org").await;
        let other = user(&*store, "o@example.org").await;
        let issued = token::issue();
        let new = |role| NewApiToken {
            programme_id: a,
            user_id: u,
            role,
            name: "reporting".into(),
            token_hash: token::issue().hash,
            hint: "x".into(),
            expires_at: None,
        };
        assert!(matches!(
            store
                .create_token(&new(Role::ProgrammeManager), &actor())
                .await,
            Err(StoreError::NotFound)
        ));
        store
            .set_role(a, u, Role::ProgrammeManager, &actor())
            .await
            .unwrap();
        assert!(matches!(
            store
                .create_token(&new(Role::Administrator), &actor())
                .await,
            Err(StoreError::Conflict { .. })
        ));
        let t = store
            .create_token(
                &NewApiToken {
                    token_hash: issued.hash.clone(),
                    ..new(Role::ProgrammeManager)
                },
                &actor(),
            )
            .await
            .unwrap();
        let found = store.token_by_hash(&issued.hash).await.unwrap().unwrap();
        assert_eq!(found.id, t.id);
        assert!(found.is_usable_at(clock::now()));
        assert!(matches!(
            store.revoke_token(other, t.id, &actor()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.revoke_token(u, ApiTokenId::new(), &actor()).await,
            Err(StoreError::NotFound)
        ));

        // Lowering the role revokes tokens that carry the stronger one.
        store
            .set_role(a, u, Role::FunderViewer, &actor())
            .await
            .unwrap();
        assert!(
            !store
                .token_by_hash(&issued.hash)
                .await
                .unwrap()
                .unwrap()
                .is_usable_at(clock::now())
        );

        let t2 = store
            .create_token(&new(Role::FunderViewer), &actor())
            .await
            .unwrap();
        store.revoke_token(u, t2.id, &actor()).await.unwrap();
        assert_eq!(store.tokens_of_user(u).await.unwrap().len(), 2);
        // Leaving the programme deletes the tokens for it.
        store.remove_member(a, u, &actor()).await.unwrap();
        assert!(store.tokens_of_user(u).await.unwrap().is_empty());
    }
);

contract!(
    failed_sign_ins_are_counted,
    |store: std::sync::Arc<dyn Store>, _db| async move {
        let now = clock::now();
        for i in 0..4 {
            store
                .record_failure("email:x", now - time::Duration::minutes(i * 10))
                .await
                .unwrap();
        }
        assert_eq!(
            store
                .failures_since("email:x", now - time::Duration::minutes(15))
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .failures_since("email:y", now - time::Duration::hours(1))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            store
                .purge_failures_before(now - time::Duration::minutes(25))
                .await
                .unwrap(),
            1
        );
        store.clear_failures("email:x").await.unwrap();
        assert_eq!(
            store
                .failures_since("email:x", now - time::Duration::hours(1))
                .await
                .unwrap(),
            0
        );
    }
);

contract!(
    audit_log_filters_and_refuses_changes,
    |store: std::sync::Arc<dyn Store>, db: TestDb| async move {
        let a = programme(&*store, "aud-a").await;
        let b = programme(&*store, "aud-b").await;
        let u = user(&*store, "auditor@example.org").await;
        let who = Actor::user(u, "auditor@example.org", useit_core::audit::Channel::Web);
        let p = store
            .create_partner(
                a,
                &partner_input("Org", "vcse", "2020-01-01", "")
                    .validate()
                    .unwrap(),
                &PartnerContact {
                    name: Some("N".into()),
                    ..Default::default()
                },
                &who,
            )
            .await
            .unwrap();
        store.partner_contact(a, p.id, &who).await.unwrap();
        store
            .create_partner(
                b,
                &partner_input("Other", "vcse", "2020-01-01", "")
                    .validate()
                    .unwrap(),
                &PartnerContact::default(),
                &who,
            )
            .await
            .unwrap();

        let reads = store
            .audit_list(
                &AuditFilter {
                    programme_id: Some(a),
                    action: Some(AuditAction::Read),
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(reads.total, 1);
        let e = &reads.items[0];
        assert_eq!(
            (e.subject_type.as_str(), e.subject_id.clone()),
            ("partner_contact", Some(p.id.to_string()))
        );
        assert_eq!(e.actor_user_id, Some(u));
        assert_eq!(e.summary, "fields: contact_name");

        let in_a = store
            .audit_list(
                &AuditFilter {
                    programme_id: Some(a),
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert!(in_a.items.iter().all(|e| e.programme_id == Some(a)));
        let by_text = store
            .audit_list(
                &AuditFilter {
                    q: Some("AUDITOR@".into()),
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert!(by_text.total >= 4);
        let by_subject = store
            .audit_list(
                &AuditFilter {
                    subject_id: Some(p.id.to_string()),
                    oldest_first: true,
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        let actions: Vec<_> = by_subject.items.iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            [AuditAction::Create, AuditAction::Create, AuditAction::Read]
        );

        assert!(
            db.execute("UPDATE audit_events SET summary = 'x'")
                .await
                .is_err(),
            "UPDATE must be refused"
        );
        assert!(
            db.execute("DELETE FROM audit_events").await.is_err(),
            "DELETE must be refused"
        );
        // REPLACE deletes the row it replaces without firing SQLite's delete
        // trigger, and an upsert rewrites it: both refused (issue 16).
        for overwrite in [
            "INSERT OR REPLACE INTO audit_events SELECT * FROM audit_events",
            "REPLACE INTO audit_events SELECT * FROM audit_events",
            "INSERT INTO audit_events SELECT * FROM audit_events WHERE true \
             ON CONFLICT (id) DO UPDATE SET summary = 'x'",
        ] {
            assert!(
                db.execute(overwrite).await.is_err(),
                "{overwrite} must be refused"
            );
        }
        let after = store
            .audit_list(&AuditFilter::default(), PageRequest::all())
            .await
            .unwrap();
        assert!(after.items.iter().all(|e| e.summary != "x"));
    }
);

contract!(
    partners_are_scoped_listed_and_counted,
    |store: std::sync::Arc<dyn Store>, _db| async move {
        let a = programme(&*store, "part-a").await;
        let b = programme(&*store, "part-b").await;
        let today = date!(2019 - 03 - 26);
        let specs = [
            (
                "Sandwell and West Birmingham Hospitals NHS Trust",
                "anchor_institution",
                "2016-11-01",
                "",
            ),
            (
                "Birmingham City Council",
                "local_authority",
                "2016-11-01",
                "",
            ),
            (
                "Ladywood Food Co-op",
                "social_enterprise",
                "2017-06-01",
                "2018-12-31",
            ),
            ("Smethwick 100% Youth", "vcse", "2018-02-01", ""),
            ("University of Birmingham", "university", "2016-11-01", ""),
            ("Future Partner", "vcse", "2020-01-01", ""),
        ];
        let mut ids = Vec::new();
        for (n, k, j, l) in specs {
            ids.push(
                store
                    .create_partner(
                        a,
                        &partner_input(n, k, j, l).validate().unwrap(),
                        &PartnerContact::default(),
                        &actor(),
                    )
                    .await
                    .unwrap()
                    .id,
            );
        }
        let secret = store
            .create_partner(
                b,
                &partner_input("B only", "vcse", "2016-01-01", "")
                    .validate()
                    .unwrap(),
                &PartnerContact::default(),
                &actor(),
            )
            .await
            .unwrap();

        // Tenancy: another programme's partner is invisible and unchangeable.
        assert!(store.partner(a, secret.id).await.unwrap().is_none());
        let d = partner_input("Hijacked", "vcse", "2016-01-01", "")
            .validate()
            .unwrap();
        assert!(matches!(
            store.update_partner(a, secret.id, &d, None, &actor()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.partner_contact(a, secret.id, &actor()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.merge_partners(a, ids[0], secret.id, &actor()).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            store.partner(b, secret.id).await.unwrap().unwrap().name,
            "B only"
        );

        let q = |f: fn(&mut PartnerQuery)| {
            let mut q = PartnerQuery::default();
            f(&mut q);
            q
        };
        let all = store
            .list_partners(a, &PartnerQuery::default(), today, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(all.total, 6);
        assert_eq!(
            all.items[0].name, "Birmingham City Council",
            "sorted by name"
        );
        let current = store
            .list_partners(
                a,
                &q(|q| q.status = PartnerStatus::Current),
                today,
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(current.total, 4);
        let former = store
            .list_partners(
                a,
                &q(|q| q.status = PartnerStatus::Former),
                today,
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(former.items[0].name, "Ladywood Food Co-op");
        let vcse = store
            .list_partners(
                a,
                &q(|q| q.kind = Some(PartnerKind::Vcse)),
                today,
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(vcse.total, 2);
        let pct = store
            .list_partners(
                a,
                &q(|q| q.q = Some("100%".into())),
                today,
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(pct.total, 1, "% is matched literally");
        let none = store
            .list_partners(
                a,
                &q(|q| q.q = Some("_".into())),
                today,
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(none.total, 0, "_ is matched literally");
        let by_joined = store
            .list_partners(
                a,
                &q(|q| {
                    q.sort = PartnerSort::JoinedOn;
                    q.dir = SortDir::Desc;
                }),
                today,
                PageRequest::new(Some(1), Some(2)),
            )
            .await
            .unwrap();
        assert_eq!(
            by_joined
                .items
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>(),
            ["Future Partner", "Smethwick 100% Youth"]
        );
        let by_left = store
            .list_partners(
                a,
                &q(|q| q.sort = PartnerSort::LeftOn),
                today,
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(
            by_left.items[0].name, "Ladywood Food Co-op",
            "dated leavers before open-ended partners"
        );

        let counts = store.programme_counts(a, today).await.unwrap();
        assert_eq!((counts.partners_current, counts.partners_former), (4, 1));
        assert_eq!(
            counts.partners_joined_by_year,
            vec![(2016, 3), (2017, 1), (2018, 1), (2020, 1)]
        );
    }
);

contract!(
    partner_contacts_are_personal_data,
    |store: std::sync::Arc<dyn Store>, _db| async move {
        let a = programme(&*store, "contacts").await;
        let contact = PartnerContact {
            name: Some("Grace Obi".into()),
            email: Some("grace@example.org".into()),
            phone: None,
        };
        let p = store
            .create_partner(
                a,
                &partner_input("Hub", "vcse", "2019-01-01", "")
                    .validate()
                    .unwrap(),
                &contact,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(
            store.partner_contact(a, p.id, &actor()).await.unwrap(),
            contact
        );
        let exported = store
            .export_partners(a, &PartnerQuery::default(), clock::today(), true, &actor())
            .await
            .unwrap();
        assert_eq!(exported[0].1.as_ref(), Some(&contact));
        let without = store
            .export_partners(a, &PartnerQuery::default(), clock::today(), false, &actor())
            .await
            .unwrap();
        assert!(without[0].1.is_none());
        let log = store
            .audit_list(
                &AuditFilter {
                    programme_id: Some(a),
                    subject_type: Some("partner_contact".into()),
                    oldest_first: true,
                    ..Default::default()
                },
                PageRequest::all(),
            )
            .await
            .unwrap();
        let actions: Vec<_> = log.items.iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            [AuditAction::Create, AuditAction::Read, AuditAction::Export]
        );
        assert!(
            log.items
                .iter()
                .all(|e| !e.summary.contains("Grace") && !e.summary.contains("grace@")),
            "no personal data in the log"
        );

        // Changing only the contact is recorded as a contact change, by field.
        let new_contact = PartnerContact {
            email: Some("g.obi@example.org".into()),
            ..contact.clone()
        };
        store
            .update_partner(a, p.id, &p.draft(), Some(&new_contact), &actor())
            .await
            .unwrap();
        let last = store
            .audit_list(
                &AuditFilter {
                    programme_id: Some(a),
                    subject_type: Some("partner_contact".into()),
                    ..Default::default()
                },
                PageRequest::new(Some(1), Some(1)),
            )
            .await
            .unwrap();
        assert_eq!(
            (last.items[0].action, last.items[0].summary.as_str()),
            (AuditAction::Update, "fields: contact_email")
        );
    }
);

contract!(
    partner_import_is_all_or_nothing_and_idempotent,
    |store: std::sync::Arc<dyn Store>, _db| async move {
        let a = programme(&*store, "import").await;
        let existing = store
            .create_partner(
                a,
                &partner_input("Smethwick Food Bank", "vcse", "2018-01-01", "")
                    .validate()
                    .unwrap(),
                &PartnerContact::default(),
                &actor(),
            )
            .await
            .unwrap();
        let bad = "name,kind,joined_on,contact_email\nNew One,vcse,2020-01-01,\nNew Two,vcse,2020-13-01,\n";
        let mut report = Report::new("bad.csv");
        let rows = partner_csv::parse(bad, &mut report);
        let out = store
            .import_partners(a, rows, &mut report, false, &actor())
            .await
            .unwrap();
        assert!(!out.applied);
        assert_eq!(report.errors().next().unwrap().line, 3);
        assert_eq!(
            store
                .list_partners(
                    a,
                    &PartnerQuery::default(),
                    clock::today(),
                    PageRequest::default()
                )
                .await
                .unwrap()
                .total,
            1,
            "nothing written"
        );

        let good = "name,kind,joined_on,contact_name,contact_email\nSMETHWICK FOOD BANK LTD,vcse,2018-01-01,Ali Rahman,ali@example.org\nNew One,vcse,2020-01-01,,\n";
        let mut report = Report::new("good.csv");
        let dry = store
            .import_partners(
                a,
                partner_csv::parse(good, &mut report),
                &mut report,
                true,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!((dry.created, dry.updated, dry.applied), (1, 1, false));
        assert_eq!(
            store
                .list_partners(
                    a,
                    &PartnerQuery::default(),
                    clock::today(),
                    PageRequest::default()
                )
                .await
                .unwrap()
                .total,
            1,
            "dry run writes nothing"
        );
        let mut report = Report::new("good.csv");
        let out = store
            .import_partners(
                a,
                partner_csv::parse(good, &mut report),
                &mut report,
                false,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(
            (out.created, out.updated, out.unchanged, out.applied),
            (1, 1, 0, true)
        );
        assert_eq!(
            store
                .partner_contact(a, existing.id, &actor())
                .await
                .unwrap()
                .name
                .as_deref(),
            Some("Ali Rahman")
        );

        // The same file again, and the exported file, change nothing.
        let mut report = Report::new("good.csv");
        let again = store
            .import_partners(
                a,
                partner_csv::parse(good, &mut report),
                &mut report,
                false,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
        let rows = store
            .export_partners(a, &PartnerQuery::default(), clock::today(), true, &actor())
            .await
            .unwrap();
        let csv = partner_csv::export(&rows, true);
        let mut report = Report::new("export.csv");
        let round = store
            .import_partners(
                a,
                partner_csv::parse(&csv, &mut report),
                &mut report,
                false,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(
            (round.created, round.updated, round.unchanged),
            (0, 0, 2),
            "{report}"
        );
    }
);

contract!(
    partners_merge_and_old_ids_follow,
    |store: std::sync::Arc<dyn Store>, _db| async move {
        let a = programme(&*store, "merge").await;
        let keep = store
            .create_partner(
                a,
                &partner_input("Ladywood Community Hub", "vcse", "2018-01-01", "")
                    .validate()
                    .unwrap(),
                &PartnerContact {
                    name: Some("K".into()),
                    ..Default::default()
                },
                &actor(),
            )
            .await
            .unwrap();
        let mut other_input = partner_input(
            "Ladywood Comunity Hub CIC",
            "social_enterprise",
            "2017-01-01",
            "",
        );
        other_input.org_id = "GB-COH-12345678".into();
        let other = store
            .create_partner(
                a,
                &other_input.validate().unwrap(),
                &PartnerContact {
                    email: Some("hub@example.org".into()),
                    ..Default::default()
                },
                &actor(),
            )
            .await
            .unwrap();
        let m = store
            .merge_partners(a, keep.id, other.id, &actor())
            .await
            .unwrap();
        assert_eq!(m.name, "Ladywood Community Hub");
        assert_eq!(m.org_id.as_deref(), Some("GB-COH-12345678"));
        assert_eq!(m.joined_on, date!(2017 - 01 - 01));
        let c = store.partner_contact(a, keep.id, &actor()).await.unwrap();
        assert_eq!(
            (c.name.as_deref(), c.email.as_deref()),
            (Some("K"), Some("hub@example.org"))
        );
        assert!(store.partner(a, other.id).await.unwrap().is_none());
        assert_eq!(
            store.partner_merged_into(a, other.id).await.unwrap(),
            Some(keep.id)
        );
        assert!(matches!(
            store.merge_partners(a, keep.id, keep.id, &actor()).await,
            Err(StoreError::Conflict { .. })
        ));

        // An old export naming the merged-away id updates the partner that stands.
        let csv = format!(
            "id,name,kind,joined_on\n{},Ladywood Community Hub,vcse,2017-01-01\n",
            other.id
        );
        let mut report = Report::new("old.csv");
        let out = store
            .import_partners(
                a,
                partner_csv::parse(&csv, &mut report),
                &mut report,
                false,
                &actor(),
            )
            .await
            .unwrap();
        assert!(out.applied, "{report}");
        assert_eq!(out.unchanged + out.updated, 1);

        // The org-id is unique among partners that stand.
        let mut dup = partner_input("Someone Else", "vcse", "2019-01-01", "");
        dup.org_id = "GB-COH-12345678".into();
        assert!(matches!(
            store.create_partner(a, &dup.validate().unwrap(), &PartnerContact::default(), &actor()).await,
            Err(StoreError::Conflict { field, .. }) if field == "org_id"
        ));
        let _: HashSet<PartnerId> = HashSet::new();
    }
);

contract!(
    backup_is_consistent_and_restore_is_careful,
    |store: std::sync::Arc<dyn Store>, db: TestDb| async move {
        let a = programme(&*store, "backup").await;
        store
            .create_partner(
                a,
                &partner_input("Kept", "vcse", "2019-01-01", "")
                    .validate()
                    .unwrap(),
                &PartnerContact::default(),
                &actor(),
            )
            .await
            .unwrap();
        let dir = tempdir();
        let file = dir.join("backup.bin");
        store.backup_to(&file).await.unwrap();
        assert!(
            store.backup_to(&file).await.is_err(),
            "never overwrites a backup"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "a backup is its owner's alone");
        }

        // Restoring over a database that holds data needs --force.
        let err = useit_store::restore(&db.url, &file, false)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("--force"), "{err}");

        let target = db.sibling().await;
        useit_store::restore(&target.url, &file, false)
            .await
            .unwrap();
        let restored = useit_store::connect(&target.url).await.unwrap();
        let p = restored.programme_by_slug("backup").await.unwrap().unwrap();
        let list = restored
            .list_partners(
                p.id,
                &PartnerQuery::default(),
                clock::today(),
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(list.items[0].name, "Kept");
        restored.close().await;
        target.finish().await;
        let _ = std::fs::remove_dir_all(dir);
    }
);

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("useit-contract-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn postgres_is_required_under_ci() {
    if std::env::var_os("CI").is_some() {
        assert!(
            std::env::var_os("USEIT_TEST_PG_URL").is_some(),
            "CI must run the contract tests on PostgreSQL: set USEIT_TEST_PG_URL (scripts/test does)"
        );
    }
}

// The hash chain (issue 16.8): entries sealed in order verify; an entry
// rewritten by someone who can get past the triggers breaks the chain at
// that entry; a second sealer working from an old head writes nothing.
contract!(
    the_audit_chain_shows_a_rewritten_entry,
    |store: std::sync::Arc<dyn Store>, db: TestDb| async move {
        use useit_core::audit::chain::{self, Break, Verifier};
        let actor = Actor::system("chain-test");
        let mut ids = Vec::new();
        for i in 0..5 {
            let e = useit_core::audit::AuditEntry::new(
                &actor,
                None,
                AuditAction::Read,
                "talent_person",
                Some(format!("p{i}")),
                format!("fields: {i}"),
            );
            ids.push(e.id);
            store.audit_append(&e).await.unwrap();
        }
        let seal_all = async |store: &dyn Store| {
            let (seq, hash) = store
                .audit_chain_head()
                .await
                .unwrap()
                .unwrap_or((0, chain::GENESIS.into()));
            let entries = store.audit_unsealed(1000).await.unwrap();
            let seals = chain::seal((seq, &hash), &entries);
            (seq, seals)
        };
        let (after, seals) = seal_all(&*store).await;
        assert_eq!((after, seals.len()), (0, 5));
        assert!(store.audit_seal(after, &seals).await.unwrap());
        assert_eq!(store.audit_unsealed_count().await.unwrap(), 0);
        // A sealer still holding the old head writes nothing.
        assert!(!store.audit_seal(0, &seals[..1]).await.unwrap_or(false));

        let verify = async |store: &dyn Store| {
            let mut v = Verifier::default();
            loop {
                let page = store.audit_sealed(v.head().0, 2).await.unwrap();
                if page.is_empty() || v.broken.is_some() {
                    break;
                }
                v.check(&page);
            }
            v
        };
        let v = verify(&*store).await;
        assert_eq!((v.checked, v.broken.clone()), (5, None));

        // Someone with the database's keys turns entry 3's read into
        // something else, past the append-only triggers.
        let bypass = [
            "DROP TRIGGER audit_events_no_update",
            "ALTER TABLE audit_events DISABLE TRIGGER USER",
        ];
        let mut bypassed = false;
        for sql in bypass {
            bypassed |= db.execute(sql).await.is_ok();
        }
        assert!(bypassed);
        db.execute("UPDATE audit_events SET summary = 'nothing' WHERE subject_id = 'p2'")
            .await
            .unwrap();
        let v = verify(&*store).await;
        assert_eq!(v.checked, 2);
        assert_eq!(
            v.broken,
            Some(Break::Changed {
                seq: 3,
                event_id: ids[2]
            })
        );
    }
);
