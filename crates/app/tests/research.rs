//! Research workflows on SQLite and PostgreSQL: pay for approved hours at
//! the rate in force on each day (a rate change inside one timesheet), no
//! paid hours before accreditation, a researcher sees only their own
//! record and timesheets, and erasing a researcher keeps the counts.

use std::sync::Arc;

use useit_app::research::projects::save_project;
use useit_app::research::researchers::{
    create_researcher, erase_researcher, my_record, researcher, researchers,
};
use useit_app::research::summary::summary;
use useit_app::research::work::{decide_time, pay_run, save_pay_rule, submit_time, time_entries};
use useit_app::{Caller, Error, Store};
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::programme::NewProgramme;
use useit_core::research::pay::PayRuleInput;
use useit_core::research::project::ProjectInput;
use useit_core::research::researcher::{ResearcherInput, ResearcherParams};
use useit_core::research::work::{TimeInput, TimeParams, TimeStatus};
use useit_testkit::story;
use uuid::Uuid;

struct Team {
    coordinator: Caller,
    amina: Caller,
    bilal: Caller,
    funder: Caller,
    project: Uuid,
}

async fn team(store: &Arc<dyn Store>) -> Team {
    let actor = Actor::system("test");
    let p = store
        .create_programme(
            &NewProgramme {
                slug: "research".into(),
                name: "Research".into(),
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
    let coordinator = member("cora", Role::ResearchCoordinator).await;
    let amina = member("amina", Role::CommunityResearcher).await;
    let bilal = member("bilal", Role::CommunityResearcher).await;
    let funder = member("fay", Role::FunderViewer).await;
    let project = save_project(
        store.as_ref(),
        &coordinator,
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
    .unwrap()
    .id;
    Team {
        coordinator,
        amina,
        bilal,
        funder,
        project,
    }
}

fn researcher_input(name: &str, accredited_on: &str) -> ResearcherInput {
    let first = name.split(' ').next().unwrap().to_lowercase();
    ResearcherInput {
        full_name: name.into(),
        channel: "word_of_mouth".into(),
        recruited_on: "2024-01-10".into(),
        lawful_basis: "consent".into(),
        consent_given_on: "2024-01-10".into(),
        languages: "Urdu, English".into(),
        qualification: if accredited_on.is_empty() {
            String::new()
        } else {
            "Community research".into()
        },
        level: if accredited_on.is_empty() {
            String::new()
        } else {
            "2".into()
        },
        awarding_body: if accredited_on.is_empty() {
            String::new()
        } else {
            "Open College Network".into()
        },
        accredited_on: accredited_on.into(),
        account_email: format!("{first}@example.org"),
        ..Default::default()
    }
}

fn hours(researcher: &str, project: Uuid, on: &str, hours: &str) -> TimeInput {
    TimeInput {
        researcher: researcher.into(),
        project: project.to_string(),
        worked_on: on.into(),
        hours: hours.into(),
        note: String::new(),
    }
}

story!(pay_follows_the_rate_in_force_on_each_day, |store: Arc<
    dyn Store,
>| async move {
    let t = team(&store).await;
    let s = store.as_ref();
    let amina = create_researcher(
        s,
        &t.coordinator,
        &researcher_input("Amina Khan", "2024-03-01"),
    )
    .await
    .unwrap();
    save_pay_rule(
        s,
        &t.coordinator,
        &PayRuleInput {
            scheme: "uk".into(),
            pay_from: "announcement".into(),
            from_day: String::new(),
        },
    )
    .await
    .unwrap();
    // One timesheet across the announcement of 23 October 2024
    // (£12.00 → £12.60 an hour), entered by Amina herself.
    let mut ids = Vec::new();
    for (on, h) in [
        ("2024-10-21", "2"),
        ("2024-10-22", "3.5"),
        ("2024-10-23", "4"),
        ("2024-10-24", "1:30"),
    ] {
        ids.push(
            submit_time(s, &t.amina, &hours("", t.project, on, h))
                .await
                .unwrap()
                .id,
        );
    }
    for id in &ids[..3] {
        decide_time(s, &t.coordinator, *id, "approve")
            .await
            .unwrap();
    }
    decide_time(s, &t.coordinator, ids[3], "reject")
        .await
        .unwrap();
    assert!(matches!(
        decide_time(s, &t.coordinator, ids[3], "approve").await,
        Err(Error::Conflict { .. })
    ));
    let run = pay_run(
        s,
        &t.coordinator,
        &TimeParams {
            from: Some("2024-10-01".into()),
            to: Some("2024-10-31".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let pence: Vec<i64> = run.lines.iter().map(|l| l.pence).collect();
    // 2 h and 3.5 h at £12.00, 4 h at £12.60; the rejected day is not paid.
    assert_eq!(pence, vec![2400, 4200, 5040]);
    assert_eq!(run.pence, 11_640);
    assert_eq!(
        run.totals,
        vec![(amina.id, Some("Amina Khan".into()), 570, 11_640)]
    );
    let csv = run.to_csv();
    assert!(
        csv.contains("2024-10-23,240,12.60,2024-10-23,50.40"),
        "{csv}"
    );
    // A researcher cannot run payroll.
    assert!(matches!(
        pay_run(s, &t.amina, &TimeParams::default()).await,
        Err(Error::Refused)
    ));
});

story!(no_paid_hours_before_accreditation, |store: Arc<
    dyn Store,
>| async move {
    let t = team(&store).await;
    let s = store.as_ref();
    create_researcher(
        s,
        &t.coordinator,
        &researcher_input("Amina Khan", "2024-03-01"),
    )
    .await
    .unwrap();
    let bilal = create_researcher(s, &t.coordinator, &researcher_input("Bilal Ahmed", ""))
        .await
        .unwrap();
    let before = submit_time(s, &t.amina, &hours("", t.project, "2024-02-29", "2")).await;
    match before {
        Err(Error::Invalid(f)) => assert_eq!(f[0].field, "worked_on"),
        other => panic!("hours before accreditation accepted: {other:?}"),
    }
    assert!(
        submit_time(s, &t.amina, &hours("", t.project, "2024-03-01", "2"))
            .await
            .is_ok()
    );
    // Not accredited at all: refused, even by the coordinator.
    let never = submit_time(
        s,
        &t.coordinator,
        &hours(&bilal.id.to_string(), t.project, "2024-03-01", "2"),
    )
    .await;
    match never {
        Err(Error::Invalid(f)) => assert_eq!(f[0].field, "researcher"),
        other => panic!("hours without accreditation accepted: {other:?}"),
    }
});

story!(a_researcher_sees_only_their_own_timesheets, |store: Arc<
    dyn Store,
>| async move {
    let t = team(&store).await;
    let s = store.as_ref();
    let amina = create_researcher(
        s,
        &t.coordinator,
        &researcher_input("Amina Khan", "2024-03-01"),
    )
    .await
    .unwrap();
    let bilal = create_researcher(
        s,
        &t.coordinator,
        &researcher_input("Bilal Ahmed", "2024-03-01"),
    )
    .await
    .unwrap();
    submit_time(s, &t.amina, &hours("", t.project, "2024-04-01", "2"))
        .await
        .unwrap();
    submit_time(s, &t.bilal, &hours("", t.project, "2024-04-01", "3"))
        .await
        .unwrap();
    // Amina naming Bilal's record is as if it did not exist.
    assert!(matches!(
        submit_time(
            s,
            &t.amina,
            &hours(&bilal.id.to_string(), t.project, "2024-04-02", "1")
        )
        .await,
        Err(Error::NotFound)
    ));
    let own = time_entries(s, &t.amina, &TimeParams::default())
        .await
        .unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].researcher_id, amina.id);
    assert_eq!(own[0].status, TimeStatus::Submitted);
    let asked_for_bilal = TimeParams {
        researcher: Some(bilal.id.to_string()),
        ..Default::default()
    };
    assert!(
        time_entries(s, &t.amina, &asked_for_bilal)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        time_entries(s, &t.coordinator, &TimeParams::default())
            .await
            .unwrap()
            .len(),
        2
    );
    // Her own record, not Bilal's; and no list of researchers at all.
    assert_eq!(my_record(s, &t.amina).await.unwrap().unwrap().id, amina.id);
    assert_eq!(
        researcher(s, &t.amina, amina.id)
            .await
            .unwrap()
            .draft
            .full_name,
        "Amina Khan"
    );
    assert!(matches!(
        researcher(s, &t.amina, bilal.id).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        researchers(s, &t.amina, &ResearcherParams::default()).await,
        Err(Error::Refused)
    ));
    // Every read of a researcher's record is in the audit log.
    let log = s
        .audit_list(
            &useit_core::audit::AuditFilter {
                programme_id: Some(t.coordinator.programme),
                subject_type: Some("research_researcher".into()),
                action: Some(useit_core::audit::AuditAction::Read),
                ..Default::default()
            },
            useit_core::listing::PageRequest::all(),
        )
        .await
        .unwrap();
    assert!(log.total > 0, "reads of researchers are audited");
});

story!(erasing_a_researcher_keeps_the_counts, |store: Arc<
    dyn Store,
>| async move {
    let t = team(&store).await;
    let s = store.as_ref();
    let amina = create_researcher(
        s,
        &t.coordinator,
        &researcher_input("Amina Khan", "2024-03-01"),
    )
    .await
    .unwrap();
    let e = submit_time(s, &t.amina, &hours("", t.project, "2024-04-01", "2"))
        .await
        .unwrap();
    decide_time(s, &t.coordinator, e.id, "approve")
        .await
        .unwrap();
    let before = summary(s, &t.coordinator).await.unwrap();
    erase_researcher(s, &t.coordinator, amina.id).await.unwrap();
    let after = summary(s, &t.coordinator).await.unwrap();
    assert_eq!(before.researchers, after.researchers);
    assert_eq!(before.accredited, after.accredited);
    assert_eq!(after.approved_minutes, 120);
    assert_eq!(before.approved_pence, after.approved_pence);
    let gone = researcher(s, &t.coordinator, amina.id).await.unwrap();
    assert!(gone.erased_at.is_some());
    assert_eq!(gone.draft.full_name, "");
    assert_eq!(gone.draft.email, None);
    assert!(gone.user_id.is_none(), "the account is unlinked");
    assert!(my_record(s, &t.amina).await.unwrap().is_none());
    // The payment run still pays the hours, with no name.
    let run = pay_run(s, &t.coordinator, &TimeParams::default())
        .await
        .unwrap();
    assert_eq!(run.lines.len(), 1);
    assert_eq!(run.lines[0].researcher_name, None);
    // A funder sees the figures, never a researcher.
    assert!(summary(s, &t.funder).await.is_ok());
    assert!(matches!(
        researcher(s, &t.funder, amina.id).await,
        Err(Error::Refused)
    ));
});
