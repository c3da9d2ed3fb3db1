//! Research workflows on SQLite and PostgreSQL: pay for approved hours at
//! the rate in force on each day (a rate change inside one timesheet), no
//! paid hours before accreditation, a researcher sees only their own
//! record and timesheets, and erasing a researcher keeps the counts.

use std::sync::Arc;

use useit_app::research::assignments::{
    assign, end_assignment, project_assignments, researcher_assignments, time_projects,
};
use useit_app::research::income::{income, researcher_income};
use useit_app::research::projects::save_project;
use useit_app::research::researchers::{
    create_researcher, erase_researcher, my_record, researcher, researchers, subject_access,
    update_researcher,
};
use useit_app::research::summary::summary;
use useit_app::research::work::{decide_time, pay_run, save_pay_rule, submit_time, time_entries};
use useit_app::{Caller, Error, Store};
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::programme::NewProgramme;
use useit_core::research::assignment::{AssignmentInput, EndInput};
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

/// Assigns a researcher to a project from 1 January 2024, open.
async fn on_project(s: &dyn Store, t: &Team, researcher: Uuid, project: Uuid) {
    assign(
        s,
        &t.coordinator,
        project,
        &AssignmentInput {
            researcher: researcher.to_string(),
            starts_on: "2024-01-01".into(),
            ends_on: String::new(),
        },
    )
    .await
    .unwrap();
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
    on_project(s, &t, amina.id, t.project).await;
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
    let amina = create_researcher(
        s,
        &t.coordinator,
        &researcher_input("Amina Khan", "2024-03-01"),
    )
    .await
    .unwrap();
    let bilal = create_researcher(s, &t.coordinator, &researcher_input("Bilal Ahmed", ""))
        .await
        .unwrap();
    on_project(s, &t, amina.id, t.project).await;
    on_project(s, &t, bilal.id, t.project).await;
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
    on_project(s, &t, amina.id, t.project).await;
    on_project(s, &t, bilal.id, t.project).await;
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
    // A subject access request: her own record whole, not Bilal's, and
    // the export in the audit log as an export, naming her record.
    let sar = subject_access(s, &t.amina, amina.id).await.unwrap();
    assert_eq!(
        (sar.id, sar.draft.full_name.as_str()),
        (amina.id, "Amina Khan")
    );
    assert!(matches!(
        subject_access(s, &t.amina, bilal.id).await,
        Err(Error::NotFound)
    ));
    let exports = s
        .audit_list(
            &useit_core::audit::AuditFilter {
                programme_id: Some(t.coordinator.programme),
                subject_type: Some("research_researcher".into()),
                action: Some(useit_core::audit::AuditAction::Export),
                ..Default::default()
            },
            useit_core::listing::PageRequest::all(),
        )
        .await
        .unwrap();
    assert_eq!(exports.total, 1, "one export, hers");
    assert_eq!(
        exports.items[0].subject_id.as_deref(),
        Some(amina.id.to_string().as_str())
    );
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
    on_project(s, &t, amina.id, t.project).await;
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

// Questionnaires, responses and the Social Lab (issue 19 items 3 and 4).

const UCL_FORM: &[u8] = include_bytes!("../../../data/research/xlsform/UCL_Biomass_Plot_Form.xlsx");

/// A KoboToolbox export of the UCL form: Kobo's default `;`, group paths,
/// a 0/1 column per choice of `disturbance`, the location's extra columns
/// and the metadata. Lines 4 and 5 are bad until `fixed`.
fn ucl_export(fixed: bool) -> String {
    let header = "start;end;info/leader_name;info/leader_name_other;info/leader_number;location/region_id;\
        location/district_id;location/village;location/plant_phase;location/plot_id;location/canopy_cover;\
        location/center_point;_location/center_point_latitude;_location/center_point_longitude;\
        location/center_image;location/monumented;location/slope;any_trees;stumps_in_plot;regen_in_subplot1;\
        regen_in_subplot2;disturbance;disturbance/burning;disturbance/grazing;disturbance/cutting;\
        disturbance/farming;disturbance/charcoal_making;disturbance/traps;disturbance/none;remarks;deviceid;\
        _id;_uuid;_submission_time;_validation_status;_notes;_status;_submitted_by;__version__;_tags;_index";
    let row = |i: u32, leader: &str, canopy: &str, slope: &str| {
        format!(
            "2024-06-0{i}T08:00:00.000+03:00;2024-06-0{i}T09:10:00.000+03:00;{leader};;0712345678;12;1204;Mwanza;2024;P-{i};\
             {canopy};-2.5 32.9 1130 4;-2.5;32.9;;yes;{slope};yes;no;no;yes;grazing cutting;0;1;1;0;0;0;0;\
             Steep on the east side;enketo.org:abc{i};{};c0ffee00-0000-4000-8000-00000000000{i};2024-06-0{i}T07:12:01;;[];\
             submitted_via_web;ucl;v1;[];{i}",
            3000 + i
        )
    };
    let mut out = vec![
        header.to_string(),
        row(1, "Aloyce", "60", "12"),
        row(2, "Andrea", "45", "8"),
    ];
    if fixed {
        out.push(row(3, "other", "70", "15"));
        out.push(row(4, "Aloyce", "55", "9"));
    } else {
        out.push(row(3, "Juma", "70", "15"));
        out.push(row(4, "Aloyce", "sixty", "9.5"));
    }
    out.push(row(5, "Andrea", "30", "4"));
    out.join("\n") + "\n"
}

story!(
    a_kobo_export_imports_with_line_numbered_errors,
    |store: Arc<dyn Store>| async move {
        use useit_app::research::survey::{import_responses, import_xlsform, results};
        use useit_core::csv_import::Severity;
        let t = team(&store).await;
        let s = store.as_ref();
        // Responses need a questionnaire first.
        let none = import_responses(s, &t.coordinator, t.project, "x.csv", b"a;_uuid\n1;u\n").await;
        assert!(matches!(none, Err(Error::Invalid(_))));
        // A researcher may answer, not define the questionnaire.
        assert!(matches!(
            import_xlsform(
                s,
                &t.amina,
                t.project,
                "UCL_Biomass_Plot_Form.xlsx",
                UCL_FORM
            )
            .await,
            Err(Error::Refused)
        ));
        let form = import_xlsform(
            s,
            &t.coordinator,
            t.project,
            "UCL_Biomass_Plot_Form.xlsx",
            UCL_FORM,
        )
        .await
        .unwrap();
        assert!(form.outcome.changed);
        assert_eq!(form.outcome.questionnaire.questions.len(), 13);
        assert_eq!(form.report.warning_count(), 10, "{}", form.report);
        let again = import_xlsform(
            s,
            &t.coordinator,
            t.project,
            "UCL_Biomass_Plot_Form.xlsx",
            UCL_FORM,
        )
        .await
        .unwrap();
        assert!(
            !again.outcome.changed,
            "the same form twice changes nothing"
        );

        // Bad rows: nothing is imported, each error by line and column.
        let Err(Error::Rejected(report)) = import_responses(
            s,
            &t.coordinator,
            t.project,
            "ucl.csv",
            ucl_export(false).as_bytes(),
        )
        .await
        else {
            panic!("a file with bad rows is rejected")
        };
        let errors: Vec<(u64, usize, String, &str)> = report
            .errors()
            .map(|p| {
                let c = p.column.clone().unwrap();
                (p.line, c.number, c.name, p.message.key.as_str())
            })
            .collect();
        assert_eq!(
            errors,
            [
                (
                    4,
                    3,
                    "info/leader_name".to_string(),
                    "research.answer.not_a_choice"
                ),
                (
                    5,
                    11,
                    "location/canopy_cover".to_string(),
                    "research.answer.not_whole"
                ),
                (
                    5,
                    17,
                    "location/slope".to_string(),
                    "research.answer.not_whole"
                ),
            ]
        );
        assert!(
            report
                .errors()
                .next()
                .unwrap()
                .message
                .text()
                .contains("Juma")
        );
        // The questions the app left out are columns it warns about, not errors.
        assert!(report.problems.iter().any(|p| {
            p.severity == Severity::Warning
                && p.column
                    .as_ref()
                    .is_some_and(|c| c.name == "location/center_point")
        }));
        let r = results(s, &t.coordinator, t.project)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.responses.value(), Some(0), "all or nothing");

        // Fixed: five responses; the same file again adds nothing.
        let done = import_responses(
            s,
            &t.coordinator,
            t.project,
            "ucl.csv",
            ucl_export(true).as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!((done.outcome.added, done.outcome.unchanged), (5, 0));
        let twice = import_responses(
            s,
            &t.coordinator,
            t.project,
            "ucl.csv",
            ucl_export(true).as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!((twice.outcome.added, twice.outcome.unchanged), (0, 5));
        let r = results(s, &t.coordinator, t.project)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.responses.value(), Some(5));
        let disturbance = r
            .lines
            .iter()
            .find(|l| l.question.name == "disturbance")
            .unwrap();
        let counts: Vec<(&str, Option<u64>)> = disturbance
            .choices
            .iter()
            .map(|(c, n)| (c.name.as_str(), n.value()))
            .collect();
        assert_eq!(counts[1], ("grazing", Some(5)));
        let canopy = r
            .lines
            .iter()
            .find(|l| l.question.name == "canopy_cover")
            .unwrap();
        assert_eq!(canopy.numbers, Some((30.0, 52.0, 70.0)));
        // Once answered, a form that drops an answered question is refused.
        let mut smaller = r.questionnaire.clone();
        smaller.questions.retain(|q| q.name != "slope");
        assert!(matches!(
            useit_app::research::survey::save_questionnaire(s, &t.coordinator, t.project, &smaller)
                .await,
            Err(Error::Conflict { .. })
        ));
    }
);

story!(
    free_text_and_personal_answers_are_the_coordinators,
    |store: Arc<dyn Store>| async move {
        use useit_app::research::survey::{add_question, import_responses, respond, results};
        use useit_core::research::questionnaire::QuestionInput;
        let t = team(&store).await;
        let s = store.as_ref();
        let q = |name: &str, kind: &str, choices: &str, personal: &str| QuestionInput {
            name: name.into(),
            label: format!("{name}?"),
            kind: kind.into(),
            choices: choices.into(),
            personal: personal.into(),
            required: if name == "day" {
                "yes".into()
            } else {
                String::new()
            },
            ..Default::default()
        };
        for input in [
            q("day", "date", "", ""),
            q("shop", "select_one", "local\ncity", ""),
            q("comment", "text", "", ""),
            q("home", "select_one", "b66\nb67", "yes"),
        ] {
            add_question(s, &t.coordinator, t.project, &input)
                .await
                .unwrap();
        }
        // The phone form names each bad answer by its question.
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let Err(Error::Invalid(bad)) = respond(
            s,
            &t.amina,
            t.project,
            &pairs(&[("day", "31/02/2025"), ("shop", "market")]),
        )
        .await
        else {
            panic!("bad answers are refused")
        };
        let fields: Vec<&str> = bad.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["day", "shop"]);
        respond(
            s,
            &t.amina,
            t.project,
            &pairs(&[
                ("day", "2025-03-04"),
                ("shop", "local"),
                ("comment", "More benches"),
                ("home", "b66"),
            ]),
        )
        .await
        .unwrap();
        // A bad date in an export: its line and column.
        let csv = "day,shop,comment,home,_uuid\n2025-03-05,city,,b67,k1\n2025-13-01,local,,,k2\n";
        let Err(Error::Rejected(report)) =
            import_responses(s, &t.coordinator, t.project, "kobo.csv", csv.as_bytes()).await
        else {
            panic!("a bad date rejects the file")
        };
        let e = report.errors().next().unwrap();
        assert_eq!((e.line, e.column.as_ref().unwrap().number), (3, 1));
        assert_eq!(e.message.key, "research.answer.bad_date");

        let coordinator = results(s, &t.coordinator, t.project)
            .await
            .unwrap()
            .unwrap();
        let comment = coordinator
            .lines
            .iter()
            .find(|l| l.question.name == "comment")
            .unwrap();
        assert_eq!(comment.texts, Some(vec!["More benches".to_string()]));
        let home = coordinator
            .lines
            .iter()
            .find(|l| l.question.name == "home")
            .unwrap();
        assert_eq!(home.texts, Some(vec!["b66".to_string()]));
        // Anyone else: no free text, no personal answers, small counts hidden.
        let funder = results(s, &t.funder, t.project).await.unwrap().unwrap();
        assert!(!funder.exact);
        for l in &funder.lines {
            assert_eq!(l.texts, None, "{}", l.question.name);
        }
        assert!(
            funder.responses.is_hidden(),
            "one response is under the threshold"
        );
        assert!(matches!(
            respond(s, &t.funder, t.project, &pairs(&[("day", "2025-03-04")])).await,
            Err(Error::Refused)
        ));
    }
);

story!(
    the_social_lab_earns_and_pays_its_researchers,
    |store: Arc<dyn Store>| async move {
        use useit_app::research::social_lab::{add_income, candidates, set_social_lab, social_lab};
        use useit_core::anchors::measures::SupplierKind;
        use useit_core::anchors::register::OrganisationInput;
        use useit_core::research::social_lab::IncomeInput;
        let t = team(&store).await;
        let s = store.as_ref();
        let lab = social_lab(s, &t.funder).await.unwrap();
        assert_eq!(lab.organisation, None);
        assert!(lab.years.is_empty());
        let system = Caller::system(t.coordinator.programme, "test");
        useit_app::anchors::register::load_organisations(
            s,
            &system,
            &[OrganisationInput {
                org_id: "GB-COH-LAB1".into(),
                name: "SMETHWICK SOCIAL LAB CIC".into(),
                kind: SupplierKind::SocialEnterprise,
                company_number: None,
                postcode: Some("B66 3JY".into()),
                trading_postcode: None,
                source: "test".into(),
                details: Default::default(),
                location: None,
            }],
        )
        .await
        .unwrap();
        let found = candidates(s, &t.coordinator, "social lab").await.unwrap();
        assert_eq!(found.len(), 1);
        assert!(matches!(
            set_social_lab(s, &t.funder, Some(found[0].id)).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            set_social_lab(s, &t.coordinator, Some(Uuid::now_v7())).await,
            Err(Error::Invalid(_))
        ));
        set_social_lab(s, &t.coordinator, Some(found[0].id))
            .await
            .unwrap();
        let own = save_project(
            s,
            &t.coordinator,
            None,
            &ProjectInput {
                title: "Community needs".into(),
                commissioner_kind: "social_lab".into(),
                question: "What do households need?".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
        let pay = |day: &str, amount: &str| IncomeInput {
            received_on: day.into(),
            amount: amount.into(),
            note: "Council".into(),
        };
        add_income(s, &t.coordinator, own, &pay("2024-11-15", "£1,250"))
            .await
            .unwrap();
        add_income(s, &t.coordinator, own, &pay("2025-05-02", "£4,000"))
            .await
            .unwrap();
        // Income on another commissioner's project is not the Social Lab's.
        add_income(s, &t.coordinator, t.project, &pay("2025-05-02", "£9,999"))
            .await
            .unwrap();
        // The audit log keeps each amount as pence in the programme's
        // currency, written the reader's way when read, not the writer's.
        let log = s
            .audit_list(
                &useit_core::audit::AuditFilter {
                    programme_id: Some(t.coordinator.programme),
                    subject_type: Some("research_income".into()),
                    ..Default::default()
                },
                useit_core::listing::PageRequest {
                    page: 1,
                    per_page: 25,
                },
            )
            .await
            .unwrap();
        let said: Vec<String> = log
            .items
            .iter()
            .map(|e| e.said_in_words(&|_| None))
            .collect();
        assert!(
            said.iter()
                .any(|e| e.starts_with("£1,250.00 received on 15 November 2024")),
            "{said:?}"
        );
        let fr = useit_core::i18n::Locale {
            language: useit_core::i18n::Language::Fr,
            ..Default::default()
        };
        let said: Vec<String> = useit_core::i18n::with_locale(fr, || {
            log.items
                .iter()
                .map(|e| e.said_in_words(&|_| None))
                .collect()
        });
        assert!(
            said.iter()
                .any(|e| e.starts_with("1\u{202f}250,00\u{a0}£ reçus le 15 novembre 2024")),
            "{said:?}"
        );
        assert!(matches!(
            add_income(s, &t.coordinator, own, &pay("2025-05-02", "-3")).await,
            Err(Error::Invalid(_))
        ));
        let amina = create_researcher(
            s,
            &t.coordinator,
            &researcher_input("Amina Khan", "2024-03-01"),
        )
        .await
        .unwrap();
        on_project(s, &t, amina.id, own).await;
        on_project(s, &t, amina.id, t.project).await;
        for (day, h) in [("2024-10-14", "2"), ("2025-05-06", "3")] {
            let e = submit_time(s, &t.amina, &hours("", own, day, h))
                .await
                .unwrap();
            decide_time(s, &t.coordinator, e.id, "approve")
                .await
                .unwrap();
        }
        // Hours on the anchor's project are not paid by the Social Lab.
        let e = submit_time(s, &t.amina, &hours("", t.project, "2025-05-07", "4"))
            .await
            .unwrap();
        decide_time(s, &t.coordinator, e.id, "approve")
            .await
            .unwrap();

        let lab = social_lab(s, &t.coordinator).await.unwrap();
        assert_eq!(
            lab.organisation.as_ref().unwrap().name,
            "SMETHWICK SOCIAL LAB CIC"
        );
        assert_eq!(lab.projects.len(), 1);
        assert_eq!(lab.income_total, 525_000);
        let years: Vec<(i32, i64, Option<u64>, u64)> = lab
            .years
            .iter()
            .map(|y| (y.year, y.income, y.researchers.value(), y.minutes))
            .collect();
        assert_eq!(
            years,
            [(2024, 125_000, Some(1), 120), (2025, 400_000, Some(1), 180)]
        );
        assert_eq!(lab.researchers_paid.value(), Some(1));
        // Paid at the UK Real Living Wage in force each day (from its
        // announcement): £12.00 on 14 October 2024, £12.60 from 23 October 2024.
        assert_eq!(lab.pay_total, Some(2 * 1200 + 3 * 1260));
        assert_eq!(lab.years[0].pay, Some(2400));
        // A funder sees the money and the years; one researcher is hidden.
        let seen = social_lab(s, &t.funder).await.unwrap();
        assert_eq!(seen.income_total, 525_000);
        assert!(seen.researchers_paid.is_hidden());
        // Amina's income, by year and payer: 2024 from the Social Lab only
        // (the programme paid nothing recorded: not known, not £0); 2025
        // from both.
        let earned = researcher_income(s, &t.amina, amina.id).await.unwrap();
        let cells: Vec<_> = earned
            .years
            .iter()
            .map(|y| {
                (
                    y.year,
                    y.programme.map(|c| c.pence),
                    y.social_lab.map(|c| c.pence),
                )
            })
            .collect();
        assert_eq!(
            cells,
            [
                (2024, None, Some(Some(2400))),
                (2025, Some(Some(4 * 1260)), Some(Some(3 * 1260)))
            ]
        );
        // The coordinator sees everyone's; a funder the totals, one
        // researcher suppressed and their pay withheld.
        let all = income(s, &t.coordinator).await.unwrap();
        assert_eq!(all.researchers.len(), 1);
        assert_eq!(all.years[0].social_lab.pence, Some(2400));
        assert!(!all.years[0].programme.recorded);
        let seen = income(s, &t.funder).await.unwrap();
        assert!(seen.researchers.is_empty());
        assert!(seen.years[1].programme.researchers.is_hidden());
        assert_eq!(seen.years[1].programme.pence, None);
        // Bilal's account has no record: Amina's income is not his to see.
        assert!(matches!(
            researcher_income(s, &t.bilal, amina.id).await,
            Err(Error::NotFound)
        ));
        // Unmarked: the page says there is none.
        set_social_lab(s, &t.coordinator, None).await.unwrap();
        assert!(
            social_lab(s, &t.coordinator)
                .await
                .unwrap()
                .organisation
                .is_none()
        );
    }
);

story!(hours_only_on_days_an_assignment_covers, |store: Arc<
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
    // Not assigned: refused, naming the project.
    match submit_time(s, &t.amina, &hours("", t.project, "2024-10-01", "2")).await {
        Err(Error::Invalid(f)) => assert_eq!(f[0].field, "project"),
        other => panic!("hours without an assignment accepted: {other:?}"),
    }
    let input = |r: Uuid, from: &str, to: &str| AssignmentInput {
        researcher: r.to_string(),
        starts_on: from.into(),
        ends_on: to.into(),
    };
    // Only the coordinator assigns.
    assert!(matches!(
        assign(s, &t.amina, t.project, &input(amina.id, "2024-10-01", "")).await,
        Err(Error::Refused)
    ));
    let a = assign(
        s,
        &t.coordinator,
        t.project,
        &input(amina.id, "2024-10-01", "2024-10-31"),
    )
    .await
    .unwrap();
    assign(
        s,
        &t.coordinator,
        t.project,
        &input(bilal.id, "2024-10-01", ""),
    )
    .await
    .unwrap();
    // A period sharing a day with hers is refused naming the first day; an
    // unknown researcher names the researcher.
    match assign(
        s,
        &t.coordinator,
        t.project,
        &input(amina.id, "2024-10-31", ""),
    )
    .await
    {
        Err(Error::Invalid(f)) => assert_eq!(f[0].field, "starts_on"),
        other => panic!("overlap accepted: {other:?}"),
    }
    match assign(
        s,
        &t.coordinator,
        t.project,
        &input(Uuid::now_v7(), "2024-10-01", ""),
    )
    .await
    {
        Err(Error::Unknown(f)) => assert_eq!(f[0].field, "researcher"),
        other => panic!("unknown researcher assigned: {other:?}"),
    }
    // Inside the period: accepted; after it: refused.
    submit_time(s, &t.amina, &hours("", t.project, "2024-10-14", "2"))
        .await
        .unwrap();
    match submit_time(s, &t.amina, &hours("", t.project, "2024-11-01", "2")).await {
        Err(Error::Invalid(f)) => assert_eq!(f[0].field, "project"),
        other => panic!("hours after the assignment accepted: {other:?}"),
    }
    // Ending it before hours it covers is refused; on that day it holds.
    match end_assignment(
        s,
        &t.coordinator,
        a.id,
        &EndInput {
            ends_on: "2024-10-13".into(),
        },
    )
    .await
    {
        Err(Error::Invalid(f)) => assert_eq!(f[0].field, "ends_on"),
        other => panic!("hours left without an assignment: {other:?}"),
    }
    let ended = end_assignment(
        s,
        &t.coordinator,
        a.id,
        &EndInput {
            ends_on: "2024-10-14".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(ended.ends_on, Some(time::macros::date!(2024 - 10 - 14)));
    // Each researcher sees their own projects, never another's.
    let mine = researcher_assignments(s, &t.amina, amina.id).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].project_title, "Where staff spend");
    assert!(matches!(
        researcher_assignments(s, &t.amina, bilal.id).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        project_assignments(s, &t.amina, t.project).await,
        Err(Error::Refused)
    ));
    assert_eq!(
        project_assignments(s, &t.coordinator, t.project)
            .await
            .unwrap()
            .len(),
        2
    );
    // Every change is audited.
    let audit = s
        .audit_list(
            &useit_core::audit::AuditFilter {
                programme_id: Some(t.coordinator.programme),
                subject_type: Some("research_assignment".into()),
                ..Default::default()
            },
            useit_core::listing::PageRequest::all(),
        )
        .await
        .unwrap();
    let actions: Vec<_> = audit.items.iter().map(|e| e.action).collect();
    assert!(actions.contains(&useit_core::audit::AuditAction::Create));
    assert!(actions.contains(&useit_core::audit::AuditAction::Update));
});

story!(
    the_hours_form_offers_the_researcher_s_own_projects,
    |store: Arc<dyn Store>| async move {
        let t = team(&store).await;
        let s = store.as_ref();
        let other = save_project(
            s,
            &t.coordinator,
            None,
            &ProjectInput {
                title: "Corner shops".into(),
                commissioner_kind: "council".into(),
                commissioner: "Sandwell Council".into(),
                question: "Which corner shops take the local card?".into(),
                status: "fieldwork".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
        let ended = save_project(
            s,
            &t.coordinator,
            None,
            &ProjectInput {
                title: "An old audit".into(),
                commissioner_kind: "council".into(),
                commissioner: "Sandwell Council".into(),
                question: "Which halls are free?".into(),
                status: "reported".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
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
        // Nothing assigned yet: the form has nothing to offer her.
        let mine = time_projects(s, &t.amina, None).await.unwrap().unwrap();
        assert_eq!(mine.researcher, amina.id);
        assert!(mine.projects.is_empty());
        on_project(s, &t, amina.id, t.project).await;
        assign(
            s,
            &t.coordinator,
            ended,
            &AssignmentInput {
                researcher: amina.id.to_string(),
                starts_on: "2024-01-01".into(),
                ends_on: "2024-02-01".into(),
            },
        )
        .await
        .unwrap();
        on_project(s, &t, bilal.id, other).await;
        // Hers, today's first (the open one), the ended one after; never
        // the project only Bilal is on.
        let mine = time_projects(s, &t.amina, None).await.unwrap().unwrap();
        let offered: Vec<(&str, bool)> = mine
            .projects
            .iter()
            .map(|p| (p.title.as_str(), p.today))
            .collect();
        assert_eq!(
            offered,
            [("Where staff spend", true), ("An old audit", false)]
        );
        // The coordinator names whose; a researcher cannot see another's.
        let his = time_projects(s, &t.coordinator, Some(bilal.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(his.name, "Bilal Ahmed");
        assert_eq!(his.projects.len(), 1);
        assert_eq!(his.projects[0].id, other);
        assert!(matches!(
            time_projects(s, &t.amina, Some(bilal.id)).await,
            Err(Error::NotFound)
        ));
        // A coordinator who has not chosen, an account with no record: no one.
        assert!(
            time_projects(s, &t.coordinator, None)
                .await
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            time_projects(s, &t.funder, None).await,
            Err(Error::Refused)
        ));
        // The server still refuses her hours on his project.
        match submit_time(s, &t.amina, &hours("", other, "2024-10-01", "2")).await {
            Err(Error::Invalid(f)) => assert_eq!(f[0].field, "project"),
            other => panic!("hours on a project she is not on accepted: {other:?}"),
        }
    }
);

story!(training_completions_carry_their_days, |store: Arc<
    dyn Store,
>| async move {
    let t = team(&store).await;
    let s = store.as_ref();
    let mut input = researcher_input("Amina Khan", "2024-03-01");
    input.training = "Research ethics | 12/02/2024; Interviewing | 2024-02-19".into();
    let amina = create_researcher(s, &t.coordinator, &input).await.unwrap();
    let days: Vec<_> = amina
        .draft
        .training
        .iter()
        .map(|c| (c.module.as_str(), c.completed_on))
        .collect();
    assert_eq!(
        days,
        [
            ("Research ethics", Some(time::macros::date!(2024 - 02 - 12))),
            ("Interviewing", Some(time::macros::date!(2024 - 02 - 19)))
        ]
    );
    // Read back from the store the same.
    let again = researcher(s, &t.coordinator, amina.id).await.unwrap();
    assert_eq!(again.draft.training, amina.draft.training);
    // A new module without its day is refused, naming the field.
    input.training.push_str("; First aid");
    match update_researcher(s, &t.coordinator, amina.id, &input).await {
        Err(Error::Invalid(f)) => assert_eq!(f[0].field, "training"),
        other => panic!("an undated completion accepted: {other:?}"),
    }
    // A module held from before completions were dated (as the migration
    // keeps them) may stay undated: written as the store keeps old rows.
    let mut old = again.clone();
    old.draft.training[1].completed_on = None;
    s.update_researcher(
        t.coordinator.programme,
        useit_core::research::researcher::Reach::All,
        amina.id,
        &useit_store::research::ResearcherChange {
            draft: old.draft.clone(),
            user: old.user_id,
            area_code: None,
            decile: None,
        },
        &t.coordinator.actor,
    )
    .await
    .unwrap();
    input.training = "Research ethics | 12/02/2024; Interviewing".into();
    let kept = update_researcher(s, &t.coordinator, amina.id, &input)
        .await
        .unwrap();
    assert_eq!(kept.draft.training[1].completed_on, None);
});
