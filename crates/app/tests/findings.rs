//! Research findings and the re-spend survey on SQLite and PostgreSQL
//! (issue 19 item 3): findings carry a theme from the programme's list,
//! anonymised quotes (personal data refused with the field named) and
//! neighbourhoods shown by name; the CSV goes out and comes back unchanged;
//! the themes view suppresses small counts of respondents for roles
//! without personal-data rights; another programme sees none of it. A
//! project's own themes are offered first and the programme's still apply;
//! the neighbourhoods on offer are the programme's communities and its area
//! of benefit's wards. A
//! re-spend survey's responses set LM3's re-spend inputs, with the survey
//! and the shares before kept as their source.

use std::sync::Arc;

use useit_app::anchors::settings::{save_spend_settings, spend_settings};
use useit_app::community::add_community;
use useit_app::place::area_of_benefit::save_area_of_benefit;
use useit_app::research::findings::{
    delete_finding, finding, findings, findings_csv, import_findings, neighbourhood_offer,
    project_themes, save_finding, save_project_themes, save_themes, themes_view,
};
use useit_app::research::projects::save_project;
use useit_app::research::respend::{respend_preview, use_respend};
use useit_app::research::survey::{add_question, import_responses};
use useit_app::{Caller, Error, Store};
use useit_core::anchors::settings::SpendSettingsInput;
use useit_core::audit::{Actor, Channel};
use useit_core::auth::{NewUser, Role};
use useit_core::community::record::CommunityInput;
use useit_core::place::input::SelectionInput;
use useit_core::programme::NewProgramme;
use useit_core::research::finding::{FindingFilter, FindingInput, NeighbourhoodKind, QuoteInput};
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

story!(
    a_projects_own_themes_are_offered_first_and_the_programmes_still_apply,
    |store: Arc<dyn Store>| async move {
        let s = store.as_ref();
        let cora = member(&store, "alpha", "cora", Role::ResearchCoordinator).await;
        let fay = member(&store, "alpha", "fay", Role::FunderViewer).await;
        let zed = member(&store, "beta", "zed", Role::ResearchCoordinator).await;
        save_themes(s, &cora, "Safety\nFood and shops")
            .await
            .unwrap();
        let own = project(s, &cora, "Young carers in Ladywood").await;
        let other = project(s, &cora, "Where staff spend").await;

        // Only those who edit findings give a project its themes; another
        // programme's coordinator does not find the project.
        assert!(matches!(
            save_project_themes(s, &fay, own, "Young carers").await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            save_project_themes(s, &zed, own, "Young carers").await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            project_themes(s, &zed, own).await,
            Err(Error::NotFound)
        ));
        assert_eq!(
            fields(
                save_project_themes(s, &cora, own, "Carers\ncarers")
                    .await
                    .unwrap_err()
            ),
            ["themes"]
        );
        let t = save_project_themes(s, &cora, own, "Young carers\nSAFETY")
            .await
            .unwrap();
        assert_eq!(t.own, ["Young carers", "SAFETY"]);
        assert_eq!(t.programme, ["Safety", "Food and shops"]);
        assert_eq!(t.offered, ["Young carers", "SAFETY", "Food and shops"]);
        assert_eq!(project_themes(s, &fay, own).await.unwrap(), t);
        assert!(project_themes(s, &fay, other).await.unwrap().own.is_empty());

        let input = |theme: &str, summary: &str| FindingInput {
            theme: theme.into(),
            summary: summary.into(),
            ..Default::default()
        };
        // The project's own theme, the project's spelling of a shared
        // one, and the programme's list still applies.
        let carers = save_finding(
            s,
            &cora,
            own,
            None,
            &input("young carers", "Caring starts at 11."),
        )
        .await
        .unwrap();
        assert_eq!(carers.draft.theme, "Young carers");
        let safety = save_finding(s, &cora, own, None, &input("safety", "The park is dark."))
            .await
            .unwrap();
        assert_eq!(safety.draft.theme, "SAFETY");
        let food = save_finding(
            s,
            &cora,
            own,
            None,
            &input("Food and shops", "Shops close early."),
        )
        .await
        .unwrap();
        assert_eq!(food.draft.theme, "Food and shops");
        // Another project's findings are not offered this project's themes.
        assert_eq!(
            fields(
                save_finding(s, &cora, other, None, &input("Young carers", "Not here."))
                    .await
                    .unwrap_err()
            ),
            ["theme"]
        );

        // The CSV comes back unchanged, each row checked against its own
        // project's themes; a row moved to the other project is refused
        // at its theme.
        let csv = findings_csv(s, &fay, &FindingFilter::default())
            .await
            .unwrap();
        let again = import_findings(s, &cora, "findings.csv", csv.as_bytes())
            .await
            .unwrap();
        assert_eq!((again.outcome.added, again.outcome.unchanged), (0, 3));
        let moved = format!(
            "{}\n,Where staff spend,Young carers,Caring at 12 too.,,,,\n",
            csv.trim_end()
        );
        let Err(Error::Rejected(report)) =
            import_findings(s, &cora, "findings.csv", moved.as_bytes()).await
        else {
            panic!("another project's theme rejects the file")
        };
        let e = report.errors().next().unwrap();
        assert_eq!(
            (e.line, e.column.as_ref().unwrap().name.as_str()),
            (5, "theme")
        );

        // Taking a theme off the list leaves its findings as they are, and
        // the list's filter still offers it while findings have it.
        save_project_themes(s, &cora, own, "SAFETY").await.unwrap();
        assert_eq!(
            finding(s, &fay, carers.id)
                .await
                .unwrap()
                .finding
                .draft
                .theme,
            "Young carers"
        );
        let list = findings(s, &fay, &FindingFilter::default()).await.unwrap();
        assert!(list.themes.contains(&"Young carers".to_string()));

        // Each change is audited; the same list again writes nothing.
        let audited = || async {
            s.audit_list(
                &useit_core::audit::AuditFilter {
                    programme_id: Some(cora.programme),
                    subject_type: Some("research_project_themes".into()),
                    ..Default::default()
                },
                useit_core::listing::PageRequest {
                    page: 1,
                    per_page: 25,
                },
            )
            .await
            .unwrap()
            .items
            .len()
        };
        assert_eq!(audited().await, 2);
        save_project_themes(s, &cora, own, "SAFETY").await.unwrap();
        assert_eq!(audited().await, 2, "unchanged: not written again");
    }
);

story!(
    a_finding_names_the_programmes_communities_and_wards_from_the_picker,
    |store: Arc<dyn Store>| async move {
        for load in sample() {
            store
                .load_reference(load, &|_| {}, &Actor::system("test"))
                .await
                .unwrap();
        }
        let s = store.as_ref();
        let pam = member(&store, "alpha", "pam", Role::ProgrammeManager).await;
        let fay = member(&store, "alpha", "fay", Role::FunderViewer).await;
        let zed = member(&store, "beta", "zed", Role::ResearchCoordinator).await;
        save_themes(s, &pam, "Safety").await.unwrap();
        let p = project(s, &pam, "Where staff spend").await;

        // No area of benefit yet: every loaded ward is on offer.
        let offer = neighbourhood_offer(s, &fay).await.unwrap();
        let mut codes: Vec<&str> = offer.offered.iter().map(|n| n.code.as_str()).collect();
        codes.sort();
        let mut both = WARDS.to_vec();
        both.sort();
        assert_eq!(codes, both);

        // An area of benefit of the first ward, and a community in the
        // second: the community first, then the area of benefit's ward.
        save_area_of_benefit(
            s,
            &pam,
            &SelectionInput {
                index: "imd2019".into(),
                wards: vec![WARDS[0].into()],
                note: "First".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let cape = add_community(
            s,
            &pam,
            &CommunityInput {
                name: "Cape Hill".into(),
                description: String::new(),
                area: SelectionInput {
                    index: "imd2019".into(),
                    wards: vec![WARDS[1].into()],
                    note: "First".into(),
                    ..Default::default()
                },
            },
        )
        .await
        .unwrap();
        let offer = neighbourhood_offer(s, &fay).await.unwrap();
        let got: Vec<(&str, NeighbourhoodKind)> = offer
            .offered
            .iter()
            .map(|n| (n.code.as_str(), n.kind))
            .collect();
        let cape_code = cape.id.to_string();
        assert_eq!(
            got,
            [
                (cape_code.as_str(), NeighbourhoodKind::Community),
                (WARDS[0], NeighbourhoodKind::Ward)
            ]
        );
        assert!(offer.known.iter().any(|n| n.code == WARDS[1]));

        // A finding names the community (by id or by name) and a ward
        // outside the area of benefit; the pages show names.
        let f = save_finding(
            s,
            &pam,
            p,
            None,
            &FindingInput {
                theme: "Safety".into(),
                summary: "The underpass is avoided.".into(),
                areas: vec!["cape hill".into(), WARDS[1].into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let mut want = vec![cape_code.clone(), WARDS[1].to_string()];
        want.sort();
        assert_eq!(f.draft.areas, want);
        let v = finding(s, &fay, f.id).await.unwrap();
        assert!(v.area_names.contains(&"Cape Hill".to_string()));
        assert!(
            !v.area_names.iter().any(|n| n == WARDS[1]),
            "a name, not a code"
        );
        let themes = themes_view(s, &fay).await.unwrap();
        assert!(
            themes
                .areas
                .contains(&(cape_code.clone(), "Cape Hill".into()))
        );

        // The CSV writes names and reads them back to the same codes.
        let csv = findings_csv(s, &fay, &FindingFilter::default())
            .await
            .unwrap();
        assert!(csv.contains("Cape Hill") && !csv.contains(&cape_code));
        let again = import_findings(s, &pam, "findings.csv", csv.as_bytes())
            .await
            .unwrap();
        assert_eq!(again.outcome.unchanged, 1);

        // Another programme cannot name alpha's community.
        let q = project(s, &zed, "Beta's own").await;
        save_themes(s, &zed, "Safety").await.unwrap();
        assert_eq!(
            fields(
                save_finding(
                    s,
                    &zed,
                    q,
                    None,
                    &FindingInput {
                        theme: "Safety".into(),
                        summary: "Elsewhere.".into(),
                        areas: vec![cape_code.clone()],
                        ..Default::default()
                    },
                )
                .await
                .unwrap_err()
            ),
            ["areas"]
        );
    }
);
