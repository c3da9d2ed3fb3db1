//! Programme, partner, member, account and audit workflows on SQLite and
//! PostgreSQL: a programme starts with its first administrator (or names
//! the e-mail that has no account); a partner's contact person is read and
//! written only by those allowed, and every read is audited; a partners
//! file imports all or nothing and once; duplicates merge and their old
//! address leads on; members are added (with a new account when needed),
//! change role and leave, and a programme keeps its last administrator; a
//! sign-in is checked and throttled; a person changes their password and
//! issues and revokes tokens; the audit log is read within its programme
//! and the reading itself is recorded.

use std::sync::Arc;
use std::time::Duration;

use useit_app::audit::{Reading, deployment_log, programme_log};
use useit_app::auth::Operator;
use useit_app::auth::account::{change_password, create_token, memberships, revoke_token, tokens};
use useit_app::auth::sign_in::{SignIn, sign_in, signed_in};
use useit_app::auth::users::{create_user, set_disabled, set_password, user_by_email, users};
use useit_app::programme::CsvUpload;
use useit_app::programme::duplicates::{duplicates, merge_partners};
use useit_app::programme::invitations::{
    accept, accept_with_new_account, invitations, invite, open, withdraw,
};
use useit_app::programme::member_csv::{export_members, import_members};
use useit_app::programme::members::{add_member, member, members, remove_member, set_role};
use useit_app::programme::partner_csv::{export_partners, import_partners};
use useit_app::programme::partners::{
    Found, KeptPartnerPages, contact, create_partner, find_partner, partner, partners,
    partners_kept, set_contact, update_partner,
};
use useit_app::programme::programmes::{
    create_programme, figures, programme_by_slug, programmes, update_programme,
};
use useit_app::{Caller, Error, Store};
use useit_core::audit::{Actor, AuditAction, AuditFilter, Channel};
use useit_core::auth::invitation::InvitationInput;
use useit_core::auth::password::PasswordChange;
use useit_core::auth::sign_in::{SignInInput, Throttle};
use useit_core::auth::token::TokenInput;
use useit_core::auth::{MemberInput, MemberQuery, Role, RoleInput, User, UserInput, UserQuery};
use useit_core::listing::PageRequest;
use useit_core::programme::{
    ContactInput, PartnerInput, PartnerQuery, Programme, ProgrammeChange, ProgrammeInput,
};
use useit_testkit::story;

const PASSWORD: &str = "a long enough passphrase";

fn console() -> Operator {
    Operator::console()
}

async fn account(store: &Arc<dyn Store>, email: &str, admin: bool) -> User {
    create_user(
        store.as_ref(),
        &console(),
        &UserInput {
            email: email.into(),
            display_name: email.split('@').next().unwrap().into(),
            password: PASSWORD.into(),
            is_admin: admin,
        },
        None,
    )
    .await
    .unwrap()
}

async fn programme(store: &Arc<dyn Store>, slug: &str, admin: &str) -> Programme {
    create_programme(
        store.as_ref(),
        &console(),
        &ProgrammeInput {
            slug: slug.into(),
            name: slug.to_uppercase(),
            description: String::new(),
            administrator_email: admin.into(),
        },
    )
    .await
    .unwrap()
}

/// A member of `p` acting on the web with their role there.
fn as_member(p: &Programme, u: &User, role: Role) -> Caller {
    Caller::member(
        p.id,
        u.id,
        role,
        Actor::user(u.id, u.email.clone(), Channel::Web),
    )
}

fn partner_input(name: &str, kind: &str, joined: &str) -> PartnerInput {
    PartnerInput {
        name: name.into(),
        kind: kind.into(),
        joined_on: joined.into(),
        ..Default::default()
    }
}

fn fields(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(errs) => errs.into_iter().map(|f| f.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

async fn audited(
    store: &Arc<dyn Store>,
    p: &Programme,
    action: AuditAction,
    subject: &str,
) -> usize {
    store
        .audit_list(
            &AuditFilter {
                programme_id: Some(p.id),
                action: Some(action),
                subject_type: Some(subject.into()),
                ..Default::default()
            },
            PageRequest::all(),
        )
        .await
        .unwrap()
        .items
        .len()
}

story!(
    a_programme_starts_with_its_first_administrator,
    |store: Arc<dyn Store>| async move {
        let admin = account(&store, "admin@example.org", true).await;
        // An e-mail without an account is named beside the other problems.
        let bad = create_programme(
            store.as_ref(),
            &console(),
            &ProgrammeInput {
                slug: "Not A Slug".into(),
                name: "Ladywood".into(),
                description: String::new(),
                administrator_email: "nobody@example.org".into(),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(fields(bad), ["slug", "administrator_email"]);
        assert!(
            programmes(store.as_ref(), &console())
                .await
                .unwrap()
                .is_empty()
        );

        let p = programme(&store, "ladywood", "ADMIN@example.org").await;
        let me = Operator::signed_in(
            admin.id,
            Actor::user(admin.id, "admin@example.org", Channel::Web),
            false,
        );
        let mine = memberships(store.as_ref(), &me).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            (mine[0].programme.id, mine[0].role),
            (p.id, Role::Administrator)
        );
        // The same short name twice is a conflict on it.
        match create_programme(
            store.as_ref(),
            &console(),
            &ProgrammeInput {
                slug: "ladywood".into(),
                name: "Again".into(),
                ..Default::default()
            },
        )
        .await
        {
            Err(Error::Conflict { field, .. }) => assert_eq!(field, "slug"),
            other => panic!("{other:?}"),
        }
        // Only administrators administer: a signed-in person who is not one is refused.
        assert!(matches!(
            programmes(store.as_ref(), &me).await,
            Err(Error::Refused)
        ));
        let renamed = update_programme(
            store.as_ref(),
            &console(),
            p.id,
            &ProgrammeChange {
                name: "Ladywood and Soho".into(),
                description: "Two wards.".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (renamed.slug.as_str(), renamed.name.as_str()),
            ("ladywood", "Ladywood and Soho")
        );
        assert_eq!(
            programme_by_slug(store.as_ref(), &console(), "ladywood")
                .await
                .unwrap()
                .description,
            "Two wards."
        );
        assert!(matches!(
            programme_by_slug(store.as_ref(), &console(), "elsewhere").await,
            Err(Error::NotFound)
        ));

        // The home page counts from the rows: partners current and former, members.
        let c = Caller::console(p.id);
        for (name, kind, joined, left) in [
            ("Hub", "vcse", "2017-01-01", ""),
            ("Kitchen", "social_enterprise", "2018-01-01", "2019-01-01"),
        ] {
            let input = PartnerInput {
                left_on: left.into(),
                ..partner_input(name, kind, joined)
            };
            create_partner(store.as_ref(), &c, &input, None)
                .await
                .unwrap();
        }
        let f = figures(store.as_ref(), &c).await.unwrap();
        assert_eq!(
            (
                f.counts.partners_current,
                f.counts.partners_former,
                f.counts.members
            ),
            (1, 1, 1)
        );
    }
);

story!(
    a_contact_person_is_seen_only_by_those_allowed_and_every_read_is_audited,
    |store: Arc<dyn Store>| async move {
        let admin = account(&store, "admin@example.org", false).await;
        let analyst = account(&store, "analyst@example.org", false).await;
        let p = programme(&store, "smethwick", "admin@example.org").await;
        let manager = as_member(&p, &admin, Role::ProgrammeManager);
        let viewer = as_member(&p, &analyst, Role::AnchorAnalyst);
        let kiran = ContactInput {
            contact_name: "Kiran Gill".into(),
            contact_email: "kiran@example.org".into(),
            contact_phone: String::new(),
        };
        let input = partner_input("Ladywood Food Co-op", "social_enterprise", "2017-06-05");
        // Every bad field at once, the contact's among them.
        let bad = create_partner(
            store.as_ref(),
            &manager,
            &PartnerInput {
                kind: "spaceship".into(),
                ..input.clone()
            },
            Some(&ContactInput {
                contact_email: "not-an-email".into(),
                ..kiran.clone()
            }),
        )
        .await
        .unwrap_err();
        assert_eq!(fields(bad), ["kind", "contact_email"]);
        // Who may not see contacts may not write one either, nor edit partners.
        assert!(matches!(
            create_partner(store.as_ref(), &viewer, &input, None).await,
            Err(Error::Refused)
        ));
        let coop = create_partner(store.as_ref(), &manager, &input, Some(&kiran))
            .await
            .unwrap();
        assert!(matches!(
            contact(store.as_ref(), &viewer, coop.id).await,
            Err(Error::Refused)
        ));
        assert_eq!(
            partner(store.as_ref(), &viewer, coop.id)
                .await
                .unwrap()
                .name,
            coop.name
        );
        let before = audited(&store, &p, AuditAction::Read, "partner_contact").await;
        let c = contact(store.as_ref(), &manager, coop.id).await.unwrap();
        assert_eq!(c.name.as_deref(), Some("Kiran Gill"));
        assert_eq!(
            audited(&store, &p, AuditAction::Read, "partner_contact").await,
            before + 1
        );

        // Changing the partner without a contact leaves the contact alone.
        let changed = update_partner(
            store.as_ref(),
            &manager,
            coop.id,
            &PartnerInput {
                name: "Ladywood Food Co-operative".into(),
                left_on: "2019-01-01".into(),
                ..input.clone()
            },
            None,
        )
        .await
        .unwrap();
        assert_eq!(changed.name, "Ladywood Food Co-operative");
        assert_eq!(
            contact(store.as_ref(), &manager, coop.id)
                .await
                .unwrap()
                .email
                .as_deref(),
            Some("kiran@example.org")
        );
        let amira = ContactInput {
            contact_name: "Amira Khan".into(),
            ..Default::default()
        };
        let set = set_contact(store.as_ref(), &manager, coop.id, &amira)
            .await
            .unwrap();
        assert_eq!((set.name.as_deref(), set.email), (Some("Amira Khan"), None));
        let former = partners(
            store.as_ref(),
            &viewer,
            &PartnerQuery {
                status: useit_core::programme::PartnerStatus::Former,
                ..Default::default()
            },
            PageRequest::new(None, None),
        )
        .await
        .unwrap();
        assert_eq!(former.total, 1);

        // A download with contacts takes the right to see them, and is audited.
        assert!(matches!(
            export_partners(store.as_ref(), &viewer, &PartnerQuery::default(), true).await,
            Err(Error::Refused)
        ));
        let plain = export_partners(store.as_ref(), &viewer, &PartnerQuery::default(), false)
            .await
            .unwrap();
        assert!(!plain.text.contains("Amira"));
        let full = export_partners(store.as_ref(), &manager, &PartnerQuery::default(), true)
            .await
            .unwrap();
        assert!(full.text.contains("Amira Khan") && full.partners == 1);
        assert_eq!(
            audited(&store, &p, AuditAction::Export, "partner_contact").await,
            1
        );
    }
);

story!(
    a_partners_file_imports_all_or_nothing_and_once,
    |store: Arc<dyn Store>| async move {
        account(&store, "admin@example.org", false).await;
        let p = programme(&store, "smethwick", "admin@example.org").await;
        let c = Caller::console(p.id);
        let upload = |bytes: &'static [u8], dry_run| CsvUpload {
            file_name: "partners.csv",
            bytes,
            dry_run,
        };
        let bad = b"name,kind,joined_on\nGood,vcse,2019-01-01\nBad,spaceship,2019-02-30\n";
        match import_partners(store.as_ref(), &c, upload(bad, false)).await {
            Err(Error::Rejected(report)) => {
                let text = report.to_string();
                assert!(text.contains("partners.csv:3:2: error:"), "{text}");
                assert!(text.contains("partners.csv:3:3: error:"), "{text}");
            }
            other => panic!("{other:?}"),
        }
        let all = |s: &Arc<dyn Store>| {
            let s = s.clone();
            let c = c.clone();
            async move {
                partners(s.as_ref(), &c, &PartnerQuery::default(), PageRequest::all())
                    .await
                    .unwrap()
                    .total
            }
        };
        assert_eq!(all(&store).await, 0, "nothing was written");
        let good = b"name,kind,joined_on\nGood,vcse,2019-01-01\nAlso Good,funder,28/02/2019\n";
        let dry = import_partners(store.as_ref(), &c, upload(good, true))
            .await
            .unwrap();
        assert_eq!((dry.outcome.created, dry.outcome.applied), (2, false));
        assert_eq!(all(&store).await, 0, "a dry run writes nothing");
        let done = import_partners(store.as_ref(), &c, upload(good, false))
            .await
            .unwrap();
        assert_eq!((done.outcome.created, done.outcome.applied), (2, true));
        let again = import_partners(store.as_ref(), &c, upload(good, false))
            .await
            .unwrap();
        assert_eq!((again.outcome.created, again.outcome.unchanged), (0, 2));
        // The export imports back unchanged.
        let csv = export_partners(store.as_ref(), &c, &PartnerQuery::default(), true)
            .await
            .unwrap();
        let back = import_partners(
            store.as_ref(),
            &c,
            CsvUpload {
                file_name: "export.csv",
                bytes: csv.text.as_bytes(),
                dry_run: false,
            },
        )
        .await
        .unwrap();
        assert_eq!((back.outcome.updated, back.outcome.unchanged), (0, 2));
        assert_eq!(audited(&store, &p, AuditAction::Import, "partner").await, 3);
    }
);

story!(
    duplicates_merge_and_the_old_address_leads_on,
    |store: Arc<dyn Store>| async move {
        account(&store, "admin@example.org", false).await;
        let p = programme(&store, "smethwick", "admin@example.org").await;
        let c = Caller::console(p.id);
        let cic = create_partner(
            store.as_ref(),
            &c,
            &partner_input(
                "Smethwick Community Kitchen CIC",
                "social_enterprise",
                "2017-05-15",
            ),
            None,
        )
        .await
        .unwrap();
        let twice = create_partner(
            store.as_ref(),
            &c,
            &partner_input("Smethwick Community Kitchen", "vcse", "2016-01-10"),
            Some(&ContactInput {
                contact_name: "Rosa Delgado".into(),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
        create_partner(
            store.as_ref(),
            &c,
            &partner_input("Winson Green Youth Forum", "vcse", "2018-02-01"),
            None,
        )
        .await
        .unwrap();
        let pairs = duplicates(store.as_ref(), &c).await.unwrap();
        assert_eq!(pairs.len(), 1);
        let ids = [pairs[0].a.id, pairs[0].b.id];
        assert!(ids.contains(&cic.id) && ids.contains(&twice.id));

        let kept = merge_partners(store.as_ref(), &c, cic.id, twice.id)
            .await
            .unwrap();
        assert_eq!(kept.joined_on, twice.joined_on, "the earlier joining date");
        assert_eq!(
            contact(store.as_ref(), &c, cic.id)
                .await
                .unwrap()
                .name
                .as_deref(),
            Some("Rosa Delgado"),
            "the kept partner takes the other's contact"
        );
        assert!(duplicates(store.as_ref(), &c).await.unwrap().is_empty());
        assert_eq!(
            find_partner(store.as_ref(), &c, twice.id).await.unwrap(),
            Found::MergedInto(cic.id)
        );
        assert!(matches!(
            partner(store.as_ref(), &c, twice.id).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            merge_partners(store.as_ref(), &c, cic.id, cic.id).await,
            Err(Error::Conflict { .. })
        ));
    }
);

story!(
    members_join_change_role_and_leave_and_the_last_administrator_stays,
    |store: Arc<dyn Store>| async move {
        let admin = account(&store, "admin@example.org", false).await;
        account(&store, "pm@example.org", false).await;
        let p = programme(&store, "smethwick", "admin@example.org").await;
        let a = as_member(&p, &admin, Role::Administrator);
        let invitation = |email: &str, role: &str| InvitationInput {
            email: email.into(),
            role: role.into(),
            days: String::new(),
        };
        // Inviting answers alike whether or not the e-mail has an account
        // (issue 16 item 9): same shape, no name.
        let to_pm = invite(
            store.as_ref(),
            &a,
            &invitation("PM@example.org", "programme_manager"),
        )
        .await
        .unwrap();
        let to_new = invite(
            store.as_ref(),
            &a,
            &invitation("new@example.org", "funder_viewer"),
        )
        .await
        .unwrap();
        assert_eq!(to_pm.invitation.email, "PM@example.org");
        assert_eq!(to_new.invitation.email, "new@example.org");
        assert_ne!(to_pm.secret, to_new.secret);
        assert_eq!(
            fields(
                invite(store.as_ref(), &a, &invitation("", "boss"))
                    .await
                    .unwrap_err()
            ),
            ["email", "role"]
        );
        // Nobody joins until they accept; someone else's account cannot.
        assert_eq!(
            members(
                store.as_ref(),
                &a,
                &MemberQuery::default(),
                PageRequest::all()
            )
            .await
            .unwrap()
            .total,
            1
        );
        let pm_user = store
            .credentials_by_email("pm@example.org")
            .await
            .unwrap()
            .unwrap()
            .user;
        let web = |u: &User| Actor::user(u.id, &u.email, Channel::Web);
        assert_eq!(
            fields(
                accept(store.as_ref(), &admin, &to_pm.secret, &web(&admin))
                    .await
                    .unwrap_err()
            ),
            ["invitation"]
        );
        accept(store.as_ref(), &pm_user, &to_pm.secret, &web(&pm_user))
            .await
            .unwrap();
        assert_eq!(
            store.role_in(pm_user.id, p.id).await.unwrap(),
            Some(Role::ProgrammeManager)
        );
        // An invitation works once.
        assert_eq!(
            fields(
                accept(store.as_ref(), &pm_user, &to_pm.secret, &web(&pm_user))
                    .await
                    .unwrap_err()
            ),
            ["invitation"]
        );
        // The invited person creates their own account; an existing e-mail
        // must sign in instead.
        let (_, new_user) = accept_with_new_account(
            store.as_ref(),
            &to_new.secret,
            "New Person",
            PASSWORD,
            Actor::system("test"),
        )
        .await
        .unwrap();
        assert_eq!(new_user.email, "new@example.org");
        let again = invite(
            store.as_ref(),
            &a,
            &invitation("admin@example.org", "funder_viewer"),
        )
        .await
        .unwrap();
        assert_eq!(
            fields(
                accept_with_new_account(
                    store.as_ref(),
                    &again.secret,
                    "Someone",
                    PASSWORD,
                    Actor::system("test"),
                )
                .await
                .unwrap_err()
            ),
            ["display_name"]
        );
        // A withdrawn invitation's link stops working.
        withdraw(store.as_ref(), &a, again.invitation.id)
            .await
            .unwrap();
        assert_eq!(
            fields(
                accept(store.as_ref(), &admin, &again.secret, &web(&admin))
                    .await
                    .unwrap_err()
            ),
            ["invitation"]
        );
        assert!(matches!(
            open(store.as_ref(), "useit_invite_nothing").await,
            Err(Error::NotFound)
        ));
        // A programme manager may see members but neither invite nor add.
        let manager = as_member(&p, &pm_user, Role::ProgrammeManager);
        assert!(matches!(
            invite(
                store.as_ref(),
                &manager,
                &invitation("x@example.org", "funder_viewer")
            )
            .await,
            Err(Error::Refused)
        ));
        // Only the console adds directly; even an administrator invites.
        let direct = MemberInput {
            email: "x@example.org".into(),
            role: "funder_viewer".into(),
            display_name: "X".into(),
            password: PASSWORD.into(),
        };
        assert!(matches!(
            add_member(store.as_ref(), &a, &direct).await,
            Err(Error::Refused)
        ));
        let listed = invitations(store.as_ref(), &a).await.unwrap();
        assert_eq!(listed.len(), 3);
        assert_eq!(
            audited(&store, &p, AuditAction::Read, "invitation_list").await,
            1
        );
        let reads = audited(&store, &p, AuditAction::Read, "member_list").await;
        let list = members(
            store.as_ref(),
            &manager,
            &MemberQuery::default(),
            PageRequest::all(),
        )
        .await
        .unwrap();
        assert_eq!(list.total, 3);
        assert_eq!(
            audited(&store, &p, AuditAction::Read, "member_list").await,
            reads + 1
        );
        let one = member(store.as_ref(), &a, new_user.id).await.unwrap();
        assert_eq!(one.role, Role::FunderViewer);
        assert_eq!(
            audited(&store, &p, AuditAction::Read, "membership").await,
            1
        );

        let role = |r: &str| RoleInput { role: r.into() };
        assert_eq!(
            set_role(store.as_ref(), &a, new_user.id, &role("community_member"))
                .await
                .unwrap(),
            Role::CommunityMember
        );
        assert_eq!(
            fields(
                set_role(store.as_ref(), &a, new_user.id, &role("boss"))
                    .await
                    .unwrap_err()
            ),
            ["role"]
        );
        // The last administrator can neither step down nor leave.
        assert!(matches!(
            set_role(store.as_ref(), &a, admin.id, &role("funder_viewer")).await,
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(
            remove_member(store.as_ref(), &a, admin.id).await,
            Err(Error::Conflict { .. })
        ));
        remove_member(store.as_ref(), &a, new_user.id)
            .await
            .unwrap();
        assert!(matches!(
            member(store.as_ref(), &a, new_user.id).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            set_role(store.as_ref(), &a, new_user.id, &role("funder_viewer")).await,
            Err(Error::NotFound)
        ));
    }
);

story!(a_members_file_sets_roles_all_or_nothing, |store: Arc<
    dyn Store,
>| async move {
    let admin = account(&store, "admin@example.org", false).await;
    account(&store, "pm@example.org", false).await;
    let p = programme(&store, "smethwick", "admin@example.org").await;
    let a = as_member(&p, &admin, Role::Administrator);
    let upload = |bytes: &'static [u8], dry_run| CsvUpload {
        file_name: "members.csv",
        bytes,
        dry_run,
    };
    add_member(
        store.as_ref(),
        &Caller::console(p.id),
        &MemberInput {
            email: "pm@example.org".into(),
            role: "funder_viewer".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    account(&store, "elsewhere@example.org", false).await;
    // An e-mail of nobody in the programme rejects the whole file, whether
    // or not it has an account elsewhere (the file cannot tell who has one).
    let unknown = b"email,role\npm@example.org,programme_manager\nnobody@example.org,funder_viewer\nelsewhere@example.org,funder_viewer\n";
    match import_members(store.as_ref(), &a, upload(unknown, false)).await {
        Err(Error::Rejected(report)) => {
            assert_eq!(report.errors().map(|p| p.line).collect::<Vec<_>>(), [3, 4]);
            let texts: Vec<String> = report.errors().map(|p| p.message.text()).collect();
            assert_eq!(texts[0], texts[1]);
        }
        other => panic!("{other:?}"),
    }
    let count = |s: Arc<dyn Store>, a: Caller| async move {
        members(s.as_ref(), &a, &MemberQuery::default(), PageRequest::all())
            .await
            .unwrap()
            .total
    };
    assert_eq!(
        count(store.clone(), a.clone()).await,
        2,
        "nothing was written"
    );
    let good = b"email,role\npm@example.org,programme_manager\nadmin@example.org,administrator\n";
    let dry = import_members(store.as_ref(), &a, upload(good, true))
        .await
        .unwrap();
    assert_eq!(
        (
            dry.outcome.changed,
            dry.outcome.unchanged,
            dry.outcome.applied
        ),
        (1, 1, false)
    );
    assert_eq!(count(store.clone(), a.clone()).await, 2);
    let done = import_members(store.as_ref(), &a, upload(good, false))
        .await
        .unwrap();
    assert!(done.outcome.applied);
    assert_eq!(count(store.clone(), a.clone()).await, 2);
    // Leaving the programme without an administrator rejects the file.
    let demote = b"email,role\nadmin@example.org,funder_viewer\n";
    match import_members(store.as_ref(), &a, upload(demote, false)).await {
        Err(Error::Rejected(report)) => assert_eq!(report.error_count(), 1),
        other => panic!("{other:?}"),
    }
    let csv = export_members(store.as_ref(), &a, &MemberQuery::default())
        .await
        .unwrap();
    assert!(csv.starts_with("email,display_name,role,member_since"));
    assert!(csv.contains("pm@example.org,pm,programme_manager"));
    assert_eq!(
        audited(&store, &p, AuditAction::Export, "member_list").await,
        1
    );
});

story!(a_sign_in_is_checked_throttled_and_recorded, |store: Arc<
    dyn Store,
>| async move {
    let user = account(&store, "pm@example.org", false).await;
    let throttle = Throttle {
        max_per_account: 3,
        max_per_address: 100,
        window: Duration::from_secs(15 * 60),
    };
    let actor = Actor {
        user_id: None,
        label: "anonymous".into(),
        channel: Channel::Web,
        address: None,
    };
    let attempt = |email: &str, password: &str| SignInInput {
        email: email.into(),
        password: password.into(),
    };
    let try_ = |input: SignInInput, client: &'static str| {
        let store = store.clone();
        let actor = actor.clone();
        async move {
            sign_in(store.as_ref(), &input, client, &throttle, &actor)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        fields(
            sign_in(
                store.as_ref(),
                &attempt("", ""),
                "10.0.0.1",
                &throttle,
                &actor
            )
            .await
            .unwrap_err()
        ),
        ["email", "password"]
    );
    let welcome = try_(attempt("PM@example.org", PASSWORD), "10.0.0.1").await;
    assert_eq!(welcome, SignIn::Welcome(user.clone()));
    assert_eq!(
        try_(attempt("pm@example.org", "wrong"), "10.0.0.1").await,
        SignIn::Refused
    );
    assert_eq!(
        try_(attempt("nobody@example.org", "x"), "10.0.0.2").await,
        SignIn::Refused
    );
    let failed = store
        .audit_list(
            &AuditFilter {
                action: Some(AuditAction::SignInFailed),
                ..Default::default()
            },
            PageRequest::all(),
        )
        .await
        .unwrap();
    let why: Vec<&str> = failed.items.iter().map(|e| e.summary.as_str()).collect();
    assert!(why.contains(&"wrong password") && why.contains(&"unknown account"));
    // Three failures for the account: even the right password waits now.
    try_(attempt("pm@example.org", "wrong"), "10.0.0.3").await;
    assert_eq!(
        try_(attempt("pm@example.org", "wrong"), "10.0.0.4").await,
        SignIn::Refused
    );
    assert_eq!(
        try_(attempt("pm@example.org", PASSWORD), "10.0.0.5").await,
        SignIn::Throttled { minutes: 15 }
    );
    // Once signed in, the account's failures are forgiven.
    let ok = attempt("pm@example.org", PASSWORD);
    signed_in(
        store.as_ref(),
        &ok,
        &user,
        &Actor::user(user.id, user.email.clone(), Channel::Web),
    )
    .await
    .unwrap();
    match try_(ok.clone(), "10.0.0.5").await {
        SignIn::Welcome(u) => {
            assert_eq!(u.id, user.id);
            assert!(u.last_sign_in_at.is_some(), "the sign-in is recorded");
        }
        other => panic!("{other:?}"),
    }
    // A disabled account is refused like a wrong password.
    set_disabled(store.as_ref(), &console(), user.id, true)
        .await
        .unwrap();
    assert_eq!(try_(ok, "10.0.0.6").await, SignIn::Refused);
});

story!(
    a_person_changes_their_password_and_manages_their_tokens,
    |store: Arc<dyn Store>| async move {
        let user = account(&store, "pm@example.org", false).await;
        account(&store, "admin@example.org", false).await;
        let p = programme(&store, "smethwick", "admin@example.org").await;
        let other = programme(&store, "elsewhere", "admin@example.org").await;
        let a = Caller::console(p.id);
        add_member(
            store.as_ref(),
            &a,
            &MemberInput {
                email: "pm@example.org".into(),
                role: "anchor_analyst".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let me = Operator::signed_in(
            user.id,
            Actor::user(user.id, "pm@example.org", Channel::Web),
            false,
        );
        let change = |current: &str, new: &str| PasswordChange {
            current_password: current.into(),
            new_password: new.into(),
            confirm_password: Some(new.into()),
        };
        assert_eq!(
            fields(
                change_password(
                    store.as_ref(),
                    &me,
                    &change("wrong", "another long passphrase"),
                    None
                )
                .await
                .unwrap_err()
            ),
            ["current_password"]
        );
        change_password(
            store.as_ref(),
            &me,
            &change(PASSWORD, "another long passphrase"),
            None,
        )
        .await
        .unwrap();
        let creds = store.credentials(user.id).await.unwrap().unwrap();
        assert!(useit_core::auth::password::verify(
            "another long passphrase",
            &creds.password_hash
        ));
        // The console cannot change "its own" password: it has no account.
        assert!(matches!(
            change_password(store.as_ref(), &console(), &change(PASSWORD, "x"), None).await,
            Err(Error::Refused)
        ));

        // A token acts in one of the person's programmes, with their role there.
        let not_theirs = TokenInput {
            name: "laptop".into(),
            programme: Some(other.id),
            expires_in_days: Some(30),
        };
        assert_eq!(
            fields(
                create_token(store.as_ref(), &me, &not_theirs)
                    .await
                    .unwrap_err()
            ),
            ["programme"]
        );
        let (token, secret) = create_token(
            store.as_ref(),
            &me,
            &TokenInput {
                programme: Some(p.id),
                ..not_theirs
            },
        )
        .await
        .unwrap();
        assert_eq!(token.role, Role::AnchorAnalyst);
        assert!(secret.starts_with(&token.hint));
        assert_eq!(tokens(store.as_ref(), &me).await.unwrap().len(), 1);
        // Another person's token is not found, and so not revoked.
        let admin = user_by_email(store.as_ref(), &console(), "admin@example.org")
            .await
            .unwrap();
        let them = Operator::signed_in(
            admin.id,
            Actor::user(admin.id, "admin@example.org", Channel::Web),
            false,
        );
        assert!(matches!(
            revoke_token(store.as_ref(), &them, token.id).await,
            Err(Error::NotFound)
        ));
        revoke_token(store.as_ref(), &me, token.id).await.unwrap();
        assert!(
            tokens(store.as_ref(), &me).await.unwrap()[0]
                .revoked_at
                .is_some()
        );
    }
);

story!(
    tokens_end_with_the_credentials_they_were_made_under,
    |store: Arc<dyn Store>| async move {
        let user = account(&store, "pm@example.org", false).await;
        account(&store, "admin@example.org", false).await;
        let p = programme(&store, "smethwick", "admin@example.org").await;
        add_member(
            store.as_ref(),
            &Caller::console(p.id),
            &MemberInput {
                email: "pm@example.org".into(),
                role: "anchor_analyst".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let me = Operator::signed_in(
            user.id,
            Actor::user(user.id, "pm@example.org", Channel::Web),
            false,
        );
        let issue = async || {
            create_token(
                store.as_ref(),
                &me,
                &TokenInput {
                    name: "laptop".into(),
                    programme: Some(p.id),
                    expires_in_days: None,
                },
            )
            .await
            .unwrap()
            .0
        };
        let usable = async |id| {
            tokens(store.as_ref(), &me)
                .await
                .unwrap()
                .iter()
                .any(|t| t.id == id && t.revoked_at.is_none())
        };

        // Through a token, the person manages no credentials.
        let t = issue().await;
        let via_token = me.clone().through_token(p.id);
        for refused in [
            create_token(
                store.as_ref(),
                &via_token,
                &TokenInput {
                    name: "copy".into(),
                    programme: Some(p.id),
                    expires_in_days: None,
                },
            )
            .await
            .err(),
            tokens(store.as_ref(), &via_token).await.err(),
            revoke_token(store.as_ref(), &via_token, t.id).await.err(),
        ] {
            assert!(matches!(refused, Some(Error::Refused)), "{refused:?}");
        }
        assert!(usable(t.id).await);

        // The console's set-password (the CLI) signs out everywhere: tokens too.
        set_password(store.as_ref(), &console(), user.id, "a new long passphrase")
            .await
            .unwrap();
        assert!(!usable(t.id).await);

        // Disabled, then enabled: the old token does not come back.
        let t = issue().await;
        set_disabled(store.as_ref(), &console(), user.id, true)
            .await
            .unwrap();
        set_disabled(store.as_ref(), &console(), user.id, false)
            .await
            .unwrap();
        assert!(!usable(t.id).await);
    }
);

story!(
    administrators_manage_accounts_but_not_their_own_disabling,
    |store: Arc<dyn Store>| async move {
        let admin = account(&store, "admin@example.org", true).await;
        let me = Operator::signed_in(
            admin.id,
            Actor::user(admin.id, "admin@example.org", Channel::Web),
            true,
        );
        match create_user(
            store.as_ref(),
            &me,
            &UserInput {
                email: "ADMIN@example.org".into(),
                display_name: "Again".into(),
                password: PASSWORD.into(),
                is_admin: false,
            },
            None,
        )
        .await
        {
            Err(Error::Conflict { field, .. }) => assert_eq!(field, "email"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            set_disabled(store.as_ref(), &me, admin.id, true).await,
            Err(Error::Conflict { .. })
        ));
        let pm = account(&store, "pm@example.org", false).await;
        assert!(
            set_disabled(store.as_ref(), &me, pm.id, true)
                .await
                .unwrap()
                .disabled
        );
        assert!(
            !set_disabled(store.as_ref(), &me, pm.id, false)
                .await
                .unwrap()
                .disabled
        );
        assert_eq!(
            fields(
                set_password(store.as_ref(), &me, pm.id, "short")
                    .await
                    .unwrap_err()
            ),
            ["password"]
        );
        set_password(store.as_ref(), &me, pm.id, "a new long passphrase")
            .await
            .unwrap();
        let list = users(
            store.as_ref(),
            &me,
            &UserQuery::default(),
            PageRequest::all(),
        )
        .await
        .unwrap();
        assert_eq!(list.total, 2);
        let reads = store
            .audit_list(
                &AuditFilter {
                    subject_type: Some("user_list".into()),
                    ..Default::default()
                },
                PageRequest::all(),
            )
            .await
            .unwrap();
        assert_eq!(reads.total, 1, "reading the accounts is audited");
        let not_admin = Operator::signed_in(
            pm.id,
            Actor::user(pm.id, "pm@example.org", Channel::Web),
            false,
        );
        assert!(matches!(
            users(
                store.as_ref(),
                &not_admin,
                &UserQuery::default(),
                PageRequest::all()
            )
            .await,
            Err(Error::Refused)
        ));
    }
);

story!(
    the_audit_log_is_read_within_its_programme_and_the_reading_recorded,
    |store: Arc<dyn Store>| async move {
        let admin = account(&store, "admin@example.org", false).await;
        let p = programme(&store, "smethwick", "admin@example.org").await;
        let q = programme(&store, "elsewhere", "admin@example.org").await;
        create_partner(
            store.as_ref(),
            &Caller::console(q.id),
            &partner_input("Elsewhere Hub", "vcse", "2019-01-01"),
            None,
        )
        .await
        .unwrap();
        let a = as_member(&p, &admin, Role::Administrator);
        // Whatever programme the filter names, the caller's own is read.
        let seen = programme_log(
            store.as_ref(),
            &a,
            AuditFilter {
                programme_id: Some(q.id),
                ..Default::default()
            },
            PageRequest::all(),
            Reading::Look,
        )
        .await
        .unwrap();
        assert!(seen.items.iter().all(|e| e.programme_id == Some(p.id)));
        assert!(!seen.items.is_empty());
        assert_eq!(audited(&store, &p, AuditAction::Read, "audit_log").await, 1);
        programme_log(
            store.as_ref(),
            &a,
            AuditFilter::default(),
            PageRequest::all(),
            Reading::Export,
        )
        .await
        .unwrap();
        assert_eq!(
            audited(&store, &p, AuditAction::Export, "audit_log").await,
            1
        );
        // A programme manager reads their programme's log; a role without
        // the log is refused; the deployment's log is for administrators.
        let manager = as_member(&p, &admin, Role::ProgrammeManager);
        assert!(
            programme_log(
                store.as_ref(),
                &manager,
                AuditFilter::default(),
                PageRequest::all(),
                Reading::Look
            )
            .await
            .is_ok()
        );
        let caseworker = as_member(&p, &admin, Role::EmploymentCaseworker);
        assert!(matches!(
            programme_log(
                store.as_ref(),
                &caseworker,
                AuditFilter::default(),
                PageRequest::all(),
                Reading::Look
            )
            .await,
            Err(Error::Refused)
        ));
        let me = Operator::signed_in(
            admin.id,
            Actor::user(admin.id, "admin@example.org", Channel::Web),
            false,
        );
        assert!(matches!(
            deployment_log(
                store.as_ref(),
                &me,
                AuditFilter::default(),
                PageRequest::all(),
                Reading::Look
            )
            .await,
            Err(Error::Refused)
        ));
        let all = deployment_log(
            store.as_ref(),
            &console(),
            AuditFilter::default(),
            PageRequest::all(),
            Reading::Look,
        )
        .await
        .unwrap();
        assert!(all.items.iter().any(|e| e.programme_id == Some(q.id)));
        assert!(
            all.items.iter().any(|e| e.programme_id.is_none()),
            "accounts too"
        );
    }
);

story!(
    a_kept_page_of_partners_lasts_until_a_partner_is_written,
    |store: Arc<dyn Store>| async move {
        use std::sync::atomic::{AtomicUsize, Ordering};
        account(&store, "admin@example.org", false).await;
        let p = programme(&store, "ladywood", "admin@example.org").await;
        let other = programme(&store, "soho", "admin@example.org").await;
        let c = Caller::console(p.id);
        let kept = KeptPartnerPages::<Arc<Vec<String>>>::new(8);
        let reads = AtomicUsize::new(0);
        // The page as the API shapes it (here: the names), counting reads.
        let page = |q: PartnerQuery| {
            let (store, c, kept, reads) = (store.clone(), c.clone(), &kept, &reads);
            async move {
                partners_kept(
                    store.as_ref(),
                    &c,
                    &q,
                    PageRequest::all(),
                    kept,
                    |page, _today| {
                        reads.fetch_add(1, Ordering::SeqCst);
                        Arc::new(page.items.into_iter().map(|p| p.name).collect())
                    },
                )
                .await
                .unwrap()
            }
        };
        let all = PartnerQuery::default;
        let hub = create_partner(
            store.as_ref(),
            &c,
            &partner_input("Hub", "vcse", "2017-01-01"),
            None,
        )
        .await
        .unwrap();
        assert_eq!(*page(all()).await, ["Hub"]);
        assert_eq!(*page(all()).await, ["Hub"]);
        assert_eq!(reads.load(Ordering::SeqCst), 1, "read once, then kept");

        // Each write to the partners, by any use case, is seen next time.
        update_partner(
            store.as_ref(),
            &c,
            hub.id,
            &partner_input("Hub Renamed", "vcse", "2017-01-01"),
            None,
        )
        .await
        .unwrap();
        assert_eq!(*page(all()).await, ["Hub Renamed"]);
        let upload = CsvUpload {
            file_name: "partners.csv",
            bytes: b"name,kind,joined_on\nKitchen,social_enterprise,2018-01-01\n",
            dry_run: false,
        };
        import_partners(store.as_ref(), &c, upload).await.unwrap();
        assert_eq!(*page(all()).await, ["Hub Renamed", "Kitchen"]);
        let kitchen = partner_input("Kitchen Twice", "social_enterprise", "2019-01-01");
        let twice = create_partner(store.as_ref(), &c, &kitchen, None)
            .await
            .unwrap();
        assert_eq!(page(all()).await.len(), 3);
        merge_partners(store.as_ref(), &c, hub.id, twice.id)
            .await
            .unwrap();
        assert_eq!(*page(all()).await, ["Hub Renamed", "Kitchen"]);
        let n = reads.load(Ordering::SeqCst);

        // Another programme's partners, or another query, leave it kept.
        create_partner(
            store.as_ref(),
            &Caller::console(other.id),
            &partner_input("Elsewhere", "vcse", "2017-01-01"),
            None,
        )
        .await
        .unwrap();
        assert_eq!(*page(all()).await, ["Hub Renamed", "Kitchen"]);
        assert_eq!(reads.load(Ordering::SeqCst), n);
        let kitchens = || PartnerQuery {
            q: Some("kitchen".into()),
            ..Default::default()
        };
        assert_eq!(*page(kitchens()).await, ["Kitchen"]);
        assert_eq!(*page(kitchens()).await, ["Kitchen"]);
        assert_eq!(*page(all()).await, ["Hub Renamed", "Kitchen"]);
        assert_eq!(reads.load(Ordering::SeqCst), n + 1);
    }
);
