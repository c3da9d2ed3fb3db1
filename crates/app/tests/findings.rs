//! Research findings and the re-spend survey on SQLite and PostgreSQL
//! (issue 19 item 3): findings carry a theme from the programme's list,
//! anonymised quotes (personal data refused with the field named) and
//! neighbourhoods shown by name; the CSV goes out and comes back unchanged;
//! the themes view suppresses small counts of respondents for roles
//! without personal-data rights; another programme sees none of it. A
//! re-spend survey's responses set LM3's re-spend inputs, with the survey
//! and the shares before kept as their source.

use std::sync::Arc;

use useit_app::anchors::settings::{save_spend_settings, spend_settings};
use useit_app::research::findings::{
    delete_finding, finding, findings, findings_csv, import_findings, save_finding, save_themes,
    themes_view,
};
use useit_app::research::projects::save_project;
use useit_app::research::respend::{respend_preview, use_respend};
use useit_app::research::survey::{add_question, import_responses};
use useit_app::{Caller, Error, Store};
use useit_core::anchors::settings::SpendSettingsInput;
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::programme::NewProgramme;
use useit_core::research::finding::{FindingFilter, FindingInput, QuoteInput};
use useit_core::research::project::ProjectInput;
use useit_core::research::questionnaire::QuestionInput;
use useit_testkit::place::{WARDS, sample};
use useit_testkit::story;
use uuid::Uuid;

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

async fn project(s: &dyn Store, c: &Caller, title: &str) -> Uuid {
    save_project(
        s,
        c,
        None,
        &ProjectInput {
            title: title.into(),
            commissioner_kind: "researchers".into(),
            question: "Where do people spend?".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

fn fields(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(errs) => errs.into_iter().map(|f| f.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

story!(
    findings_carry_themes_quotes_and_neighbourhoods,
    |store: Arc<dyn Store>| async move {
        for load in sample() {
            store
                .load_reference(load, &|_| {}, &Actor::system("test"))
                .await
                .unwrap();
        }
        let s = store.as_ref();
        let cora = member(&store, "alpha", "cora", Role::ResearchCoordinator).await;
        let fay = member(&store, "alpha", "fay", Role::FunderViewer).await;
        let zed = member(&store, "beta", "zed", Role::ResearchCoordinator).await;
        let p = project(s, &cora, "Where staff spend").await;
        add_question(
            s,
            &cora,
            p,
            &QuestionInput {
                name: "barriers".into(),
                label: "What stops you?".into(),
                kind: "text".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(matches!(
            save_themes(s, &fay, "Safety").await,
            Err(Error::Refused)
        ));
        save_themes(s, &cora, "Safety\nFood and shops")
            .await
            .unwrap();

        // Personal data in a quote, a name for a role, an unknown ward:
        // every field named, nothing written.
        let bad = FindingInput {
            theme: "Safety".into(),
            summary: "Night-shift staff avoid the walk.".into(),
            quotes: vec![QuoteInput {
                text: "Call me on 07700 900123".into(),
                role: "Mary Smith".into(),
                age_band: String::new(),
            }],
            areas: vec!["Atlantis".into()],
            questions: vec!["nothing".into()],
            ..Default::default()
        };
        assert_eq!(
            fields(save_finding(s, &cora, p, None, &bad).await.unwrap_err()),
            ["quotes/1/text", "quotes/1/role", "areas", "questions"]
        );
        let good = FindingInput {
            quotes: vec![QuoteInput {
                text: "I'd walk if the route was lit.".into(),
                role: "night-shift nurse".into(),
                age_band: "45_54".into(),
            }],
            areas: vec![WARDS[0].into()],
            questions: vec!["barriers".into()],
            respondents: "3".into(),
            ..bad
        };
        let f = save_finding(s, &cora, p, None, &good).await.unwrap();
        assert!(matches!(
            save_finding(s, &fay, p, None, &good).await,
            Err(Error::Refused)
        ));
        let second = save_finding(
            s,
            &cora,
            p,
            None,
            &FindingInput {
                theme: "food and shops".into(),
                summary: "Most of the weekly shop is local.".into(),
                areas: vec![WARDS[0].into(), WARDS[1].into()],
                respondents: "40".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(second.draft.theme, "Food and shops");

        // Neighbourhoods are shown by name.
        let v = finding(s, &fay, f.id).await.unwrap();
        assert_eq!(v.area_names.len(), 1);
        assert_ne!(v.area_names[0], WARDS[0], "a name, not the code");
        // Filters and search.
        let by = |theme: &str, area: &str, q: &str| FindingFilter {
            theme: (!theme.is_empty()).then(|| theme.to_string()),
            area: (!area.is_empty()).then(|| area.to_string()),
            q: (!q.is_empty()).then(|| q.to_string()),
            ..Default::default()
        };
        let n = |l: useit_app::research::findings::FindingList| l.items.len();
        assert_eq!(n(findings(s, &fay, &by("", "", "")).await.unwrap()), 2);
        assert_eq!(
            n(findings(s, &fay, &by("safety", "", "")).await.unwrap()),
            1
        );
        assert_eq!(
            n(findings(s, &fay, &by("", WARDS[1], "")).await.unwrap()),
            1
        );
        assert_eq!(n(findings(s, &fay, &by("", "", "ROUTE")).await.unwrap()), 1);

        // The CSV comes back unchanged; an edited row changes one finding.
        let csv = findings_csv(s, &fay, &FindingFilter::default())
            .await
            .unwrap();
        let again = import_findings(s, &cora, "findings.csv", csv.as_bytes())
            .await
            .unwrap();
        assert_eq!(
            (
                again.outcome.added,
                again.outcome.changed,
                again.outcome.unchanged
            ),
            (0, 0, 2)
        );
        let edited = csv.replace("Most of the weekly shop", "Nearly all of the weekly shop");
        let done = import_findings(s, &cora, "findings.csv", edited.as_bytes())
            .await
            .unwrap();
        assert_eq!((done.outcome.changed, done.outcome.unchanged), (1, 1));
        // A bad row: its line and column, and nothing written.
        let bad_csv = format!(
            "{}\n,Where staff spend,Safety,Seen near B66 3JY,,,,\n",
            edited.trim_end()
        );
        let Err(Error::Rejected(report)) =
            import_findings(s, &cora, "findings.csv", bad_csv.as_bytes()).await
        else {
            panic!("a full postcode rejects the file")
        };
        let e = report.errors().next().unwrap();
        assert_eq!(e.line, 4);
        assert_eq!(e.column.as_ref().unwrap().name, "summary");
        assert_eq!(e.message.key, "research.finding.personal.postcode");
        assert_eq!(
            n(findings(s, &fay, &FindingFilter::default()).await.unwrap()),
            2
        );

        // The themes view: 3 respondents under k = 5 are hidden from the
        // funder, exact for the coordinator.
        let funder = themes_view(s, &fay).await.unwrap();
        let coordinator = themes_view(s, &cora).await.unwrap();
        assert!(!funder.exact && coordinator.exact);
        let col = funder
            .areas
            .iter()
            .position(|(c, _)| c == WARDS[0])
            .unwrap();
        let safety = |v: &useit_app::research::findings::ThemesView| {
            v.rows.iter().find(|r| r.theme == "Safety").unwrap().cells[col]
        };
        assert!(safety(&funder).1.is_hidden());
        assert_eq!(safety(&coordinator).1.value(), Some(3));
        assert_eq!(safety(&funder).0, 1, "findings are not people: shown");

        // Another programme sees none of it.
        assert!(matches!(finding(s, &zed, f.id).await, Err(Error::NotFound)));
        assert!(
            findings(s, &zed, &FindingFilter::default())
                .await
                .unwrap()
                .items
                .is_empty()
        );
        assert!(matches!(
            save_finding(s, &zed, p, Some(f.id), &good).await,
            Err(Error::NotFound)
        ));
    }
);

async fn respend_survey(s: &dyn Store, c: &Caller, title: &str, csv: &str) -> Uuid {
    let p = project(s, c, title).await;
    for q in [
        QuestionInput {
            name: "respondent".into(),
            label: "Who are you?".into(),
            kind: "select_one".into(),
            choices: "staff = Hospital staff\nsupplier = A supplier".into(),
            ..Default::default()
        },
        QuestionInput {
            name: "share_local".into(),
            label: "Share spent locally (%)".into(),
            kind: "integer".into(),
            ..Default::default()
        },
    ] {
        add_question(s, c, p, &q).await.unwrap();
    }
    import_responses(s, c, p, "kobo.csv", csv.as_bytes())
        .await
        .unwrap();
    p
}

story!(a_respend_survey_sets_the_lm3_inputs, |store: Arc<
    dyn Store,
>| async move {
    let s = store.as_ref();
    let cora = member(&store, "alpha", "cora", Role::ResearchCoordinator).await;
    let priya = member(&store, "alpha", "priya", Role::ProgrammeManager).await;
    let mut csv = String::from("respondent,share_local,_uuid\n");
    for (i, (who, share)) in [
        ("staff", 40),
        ("staff", 50),
        ("staff", 60),
        ("staff", 40),
        ("staff", 60),
        ("supplier", 20),
        ("supplier", 20),
        ("supplier", 20),
        ("supplier", 20),
        ("supplier", 20),
        ("supplier", 30),
    ]
    .iter()
    .enumerate()
    {
        csv.push_str(&format!("{who},{share},r{i}\n"));
    }
    let p = respend_survey(s, &cora, "Where staff spend", &csv).await;
    // Spend managers set LM3's inputs; the research coordinator cannot.
    assert!(matches!(
        use_respend(s, &cora, p).await,
        Err(Error::Refused)
    ));
    let before = spend_settings(s, &priya).await.unwrap().lm3;
    let preview = respend_preview(s, &priya, p).await.unwrap();
    let r = preview.computed.clone().unwrap();
    assert_eq!((r.staff.responses, r.suppliers.responses), (5, 6));
    assert_eq!((r.staff.low_bp, r.staff.high_bp), (3_759, 6_241));
    assert_eq!((r.suppliers.low_bp, r.suppliers.high_bp), (1_738, 2_595));
    assert_eq!(preview.current, before);

    let done = use_respend(s, &priya, p).await.unwrap();
    assert_eq!(done.previous, before);
    let now = spend_settings(s, &priya).await.unwrap();
    assert_eq!(now.lm3.staff_respend_bp, (3_759, 6_241));
    assert_eq!(now.lm3.supplier_respend_bp, (1_738, 2_595));
    let source = now.lm3.source.clone().unwrap();
    assert_eq!(source.project, p);
    assert_eq!((source.staff_responses, source.supplier_responses), (5, 6));
    assert_eq!(source.previous_staff_bp, before.staff_respend_bp);
    assert_eq!(source.previous_supplier_bp, before.supplier_respend_bp);
    // Applied twice: the shares before the survey stay "before".
    use_respend(s, &priya, p).await.unwrap();
    let twice = spend_settings(s, &priya).await.unwrap().lm3.source.unwrap();
    assert_eq!(twice.previous_staff_bp, before.staff_respend_bp);

    // The form saved for another setting keeps the source; other
    // shares typed drop it.
    let mut form = SpendSettingsInput::of(&now);
    form.site_radius_km = "3".into();
    let kept = save_spend_settings(s, &priya, &form).await.unwrap();
    assert_eq!(kept.lm3.source.as_ref().map(|x| x.project), Some(p));
    form.staff_respend_low = "41".into();
    let typed = save_spend_settings(s, &priya, &form).await.unwrap();
    assert_eq!(typed.lm3.source, None);

    // Too few suppliers: refused with the group named.
    let few = respend_survey(
            s,
            &cora,
            "A small survey",
            "respondent,share_local,_uuid\nstaff,40,a\nstaff,41,b\nstaff,42,c\nstaff,43,d\nstaff,44,e\nsupplier,10,f\n",
        )
        .await;
    assert_eq!(
        fields(use_respend(s, &priya, few).await.unwrap_err()),
        ["suppliers"]
    );
    // The audit log says what changed, with the shares before.
    let page = s
        .audit_list(
            &useit_core::audit::AuditFilter {
                programme_id: Some(priya.programme),
                subject_type: Some("spend_settings".into()),
                ..Default::default()
            },
            useit_core::listing::PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(
        page.items
            .iter()
            .any(|e| e.summary.contains("LM3 re-spend") && e.summary.contains("was")),
        "the change is audited"
    );
});

story!(
    a_finding_is_deleted_by_those_who_edit_findings_and_the_deletion_is_audited,
    |store: Arc<dyn Store>| async move {
        let s = store.as_ref();
        let cora = member(&store, "alpha", "cora", Role::ResearchCoordinator).await;
        let fay = member(&store, "alpha", "fay", Role::FunderViewer).await;
        let zed = member(&store, "beta", "zed", Role::ResearchCoordinator).await;
        let p = project(s, &cora, "Where staff spend").await;
        save_themes(s, &cora, "Safety").await.unwrap();
        let input = |summary: &str| FindingInput {
            theme: "Safety".into(),
            summary: summary.into(),
            ..Default::default()
        };
        let keep = save_finding(s, &cora, p, None, &input("Well lit"))
            .await
            .unwrap();
        let gone = save_finding(s, &cora, p, None, &input("A mistake"))
            .await
            .unwrap();

        // A reader may not; another programme's coordinator finds nothing.
        assert!(matches!(
            delete_finding(s, &fay, gone.id).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            delete_finding(s, &zed, gone.id).await,
            Err(Error::NotFound)
        ));
        delete_finding(s, &cora, gone.id).await.unwrap();
        assert!(matches!(
            finding(s, &cora, gone.id).await,
            Err(Error::NotFound)
        ));
        assert!(
            matches!(
                delete_finding(s, &cora, gone.id).await,
                Err(Error::NotFound)
            ),
            "deleted once"
        );
        let left = findings(s, &cora, &FindingFilter::default()).await.unwrap();
        assert_eq!(left.total, 1);
        assert_eq!(left.items[0].finding.id, keep.id);

        // The deletion is in the audit log, by whom.
        let log = s
            .audit_list(
                &useit_core::audit::AuditFilter {
                    programme_id: Some(cora.programme),
                    action: Some(useit_core::audit::AuditAction::Delete),
                    subject_type: Some("research_finding".into()),
                    ..Default::default()
                },
                useit_core::listing::PageRequest {
                    page: 1,
                    per_page: 25,
                },
            )
            .await
            .unwrap();
        assert_eq!(log.items.len(), 1);
        assert_eq!(
            log.items[0].subject_id.as_deref(),
            Some(gone.id.to_string().as_str())
        );
        assert_eq!(log.items[0].actor_user_id, cora.user);
    }
);
