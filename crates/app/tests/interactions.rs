//! Anchor interactions and practice changes (issue 17.4, 17.5), on both
//! databases: the count over time is what the dates entered say; an
//! interactions file imports all or nothing, once; a practice change links
//! only to its own anchor's interaction; another programme sees none of it.

use std::sync::Arc;

use time::Date;
use time::macros::date;
use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::interactions::{
    add_interaction, add_practice_change, edit_interaction, end_interaction, import_interactions,
    input_of, interaction_figures, interactions, neighbourhoods, organisation_choices,
    practice_changes,
};
use useit_app::anchors::register::{RegisterOptions, RegisterUpload, load_register};
use useit_app::{Caller, Error, Store};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::interactions::{
    InteractionInput, InteractionQuery, count_over_time, export, month_ends,
};
use useit_core::anchors::practice::PracticeInput;
use useit_core::anchors::register::RegisterFormat;
use useit_core::audit::Actor;
use useit_core::programme::NewProgramme;
use useit_testkit::story;

async fn programme(store: &Arc<dyn Store>, slug: &str) -> Caller {
    let p = store
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
        .unwrap();
    let c = Caller::system(p.id, "test");
    for (slug, name) in [("trust", "The Trust"), ("council", "The Council")] {
        save_anchor(
            store.as_ref(),
            &c,
            &AnchorInput {
                slug: slug.into(),
                name: name.into(),
                kind: if slug == "trust" {
                    "nhs_trust"
                } else {
                    "council"
                }
                .into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let register = "org_id,name,kind,company_number,postcode,trading_postcode\n\
        GB-CHC-1000001,Soho Road Community Centre,vcse,,B21 9NH,\n\
        GB-CHC-1000002,Refugee Action Birmingham,vcse,,B5 4QG,\n\
        GB-COH-01000003,Sandwell Cleaning Co-operative,social_enterprise,01000003,B66 2QT,\n";
    load_register(
        store.as_ref(),
        &c,
        RegisterUpload {
            format: RegisterFormat::parse("useit").unwrap(),
            file_name: "register.csv".into(),
            source: Box::new(std::io::Cursor::new(register.as_bytes().to_vec())),
            options: RegisterOptions::default(),
        },
        Arc::new(|_| {}),
    )
    .await
    .unwrap();
    c
}

const FILE: &str = "anchor,organisation,kind,started_on,ended_on,evidence\n\
    trust,GB-CHC-1000001,community_use,2025-01-15,,Room hire agreement\n\
    trust,GB-CHC-1000002,referral,2025-02-28,2025-04-10,Referral log\n\
    trust,GB-COH-01000003,supply,2025-03-01,,Contract award\n\
    trust,GB-CHC-1000002,employment_pathway,2025-03-02,2025-03-31,Steering group minutes\n\
    council,GB-CHC-1000001,volunteering,2025-05-01,,Volunteering record\n";

story!(the_count_over_time_is_what_the_dates_say, |store: Arc<
    dyn Store,
>| async move {
    let c = programme(&store, "alpha").await;
    let done = import_interactions(store.as_ref(), &c, "i.csv", FILE.as_bytes())
        .await
        .unwrap();
    assert_eq!(done.outcome.created, 5);
    let again = import_interactions(store.as_ref(), &c, "i.csv", FILE.as_bytes())
        .await
        .unwrap();
    assert_eq!(
        (
            again.outcome.created,
            again.outcome.updated,
            again.outcome.unchanged
        ),
        (0, 0, 5),
        "the same file twice changes nothing"
    );
    let f = interaction_figures(store.as_ref(), &c).await.unwrap();
    let trust = f.series.iter().find(|s| s.anchor == "trust").unwrap();
    let at = |d: Date| trust.counts[f.months.iter().position(|m| *m == d).unwrap()];
    // By the dates entered: 0 before, 1 in January, 2 in February, 4 at
    // the end of March (one ends that day), 2 from April.
    assert_eq!(f.months[0], date!(2024 - 12 - 31));
    assert_eq!(
        [
            at(date!(2024 - 12 - 31)),
            at(date!(2025 - 01 - 31)),
            at(date!(2025 - 02 - 28)),
            at(date!(2025 - 03 - 31)),
            at(date!(2025 - 04 - 30))
        ],
        [0, 1, 2, 4, 2]
    );
    // and the same as counting the list by hand
    let list = interactions(
        store.as_ref(),
        &c,
        &InteractionQuery {
            anchor: Some("trust".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(trust.counts, count_over_time(&list, &f.months));
    assert_eq!(
        f.links.len(),
        3,
        "trust–centre, trust–co-op, council–centre today"
    );

    // The download imports back unchanged.
    let all = interactions(store.as_ref(), &c, &InteractionQuery::default())
        .await
        .unwrap();
    let back = import_interactions(store.as_ref(), &c, "back.csv", export(&all).as_bytes())
        .await
        .unwrap();
    assert_eq!(back.outcome.unchanged, 5);

    // A bad file writes nothing and names line and column.
    let bad = "anchor,organisation,kind,started_on,ended_on,evidence\n\
            trust,GB-CHC-1000001,research,2025-06-01,,Study protocol\n\
            trust,GB-CHC-9999999,referral,2025-06-01,,Log\n\
            hospital,GB-CHC-1000001,referral,2025-06-01,,Log\n";
    match import_interactions(store.as_ref(), &c, "bad.csv", bad.as_bytes()).await {
        Err(Error::Rejected(r)) => {
            let at: Vec<(u64, String)> = r
                .errors()
                .map(|p| (p.line, p.column.as_ref().unwrap().name.clone()))
                .collect();
            assert_eq!(
                at,
                [(3, "organisation".to_string()), (4, "anchor".to_string())]
            );
        }
        other => panic!("{:?}", other.map(|o| o.outcome)),
    }
    let after = interactions(store.as_ref(), &c, &InteractionQuery::default())
        .await
        .unwrap();
    assert_eq!(after.len(), 5, "all or nothing");

    // The form: an unknown organisation is named.
    let err = add_interaction(
        store.as_ref(),
        &c,
        &InteractionInput {
            anchor: "trust".into(),
            organisation: "GB-CHC-0".into(),
            kind: "research".into(),
            started_on: "2025-06-01".into(),
            ended_on: String::new(),
            evidence: "x".into(),
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Unknown(ref e) if e[0].field == "organisation"));
    // One typed on the form: the audit log names who works with whom.
    add_interaction(
        store.as_ref(),
        &c,
        &InteractionInput {
            anchor: "council".into(),
            organisation: "GB-COH-01000003".into(),
            kind: "supply".into(),
            started_on: "2025-06-01".into(),
            ended_on: String::new(),
            evidence: "Purchase order".into(),
        },
    )
    .await
    .unwrap();
    let entry = useit_app::audit::programme_log(
        store.as_ref(),
        &c,
        useit_core::audit::AuditFilter {
            subject_type: Some("anchor_interactions".into()),
            ..Default::default()
        },
        useit_core::listing::PageRequest::all(),
        useit_app::audit::Reading::Look,
    )
    .await
    .unwrap()
    .items
    .remove(0);
    let said = entry.said_in_words(&|_| None);
    assert!(
        said.contains("Sandwell Cleaning Co-operative") && said.contains("The Council"),
        "{said}"
    );

    // A practice change links to its own anchor's interaction only.
    let council_one = after.iter().find(|i| i.anchor == "council").unwrap().id;
    let trust_one = after
        .iter()
        .find(|i| i.anchor == "trust" && i.kind.slug() == "community_use")
        .unwrap()
        .id;
    let change = |interaction: uuid::Uuid| PracticeInput {
        anchor: "trust".into(),
        changed_on: "2025-02-01".into(),
        kind: "space_opened".into(),
        summary: "Education centre opened to community groups free of charge".into(),
        interaction: interaction.to_string(),
        barrier: String::new(),
    };
    let err = add_practice_change(store.as_ref(), &c, &change(council_one))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unknown(ref e) if e[0].field == "interaction"));
    add_practice_change(store.as_ref(), &c, &change(trust_one))
        .await
        .unwrap();
    let log = practice_changes(store.as_ref(), &c, Some("trust"))
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0].interaction_organisation.as_deref(),
        Some("Soho Road Community Centre")
    );

    // Another programme sees none of it, and cannot use alpha's ids.
    let b = programme(&store, "beta").await;
    assert!(
        interactions(store.as_ref(), &b, &InteractionQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        practice_changes(store.as_ref(), &b, None)
            .await
            .unwrap()
            .is_empty()
    );
    let err = add_practice_change(store.as_ref(), &b, &change(trust_one))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unknown(ref e) if e[0].field == "interaction"));
    assert_eq!(
        month_ends(date!(2025 - 01 - 01), date!(2025 - 01 - 31)).len(),
        1
    );
});

story!(an_interaction_is_changed_ended_and_placed, |store: Arc<
    dyn Store,
>| async move {
    let c = programme(&store, "alpha").await;
    import_interactions(store.as_ref(), &c, "i.csv", FILE.as_bytes())
        .await
        .unwrap();
    let all = interactions(store.as_ref(), &c, &InteractionQuery::default())
        .await
        .unwrap();
    let centre = all
        .iter()
        .find(|i| i.kind.slug() == "community_use")
        .unwrap()
        .clone();

    // Any field may change; the list and the counts follow.
    let moved = InteractionInput {
        started_on: "2025-01-20".into(),
        evidence: "Room hire agreement, signed copy".into(),
        ..input_of(&centre)
    };
    let changed = edit_interaction(store.as_ref(), &c, centre.id, &moved)
        .await
        .unwrap();
    assert_eq!(changed.started_on, date!(2025 - 01 - 20));
    assert_eq!(changed.evidence, "Room hire agreement, signed copy");
    // Made the same as another one: a conflict naming the start.
    let referral = all.iter().find(|i| i.kind.slug() == "referral").unwrap();
    let clash = InteractionInput {
        organisation: referral.organisation.clone(),
        kind: "referral".into(),
        started_on: "2025-02-28".into(),
        ..input_of(&centre)
    };
    let err = edit_interaction(store.as_ref(), &c, centre.id, &clash)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Conflict { ref field, .. } if field == "started_on"),
        "{err:?}"
    );

    // Ending keeps everything else; an end before the start is refused.
    let err = end_interaction(store.as_ref(), &c, centre.id, "2025-01-01")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(ref e) if e[0].field == "ended_on"));
    let ended = end_interaction(store.as_ref(), &c, centre.id, "31/05/2025")
        .await
        .unwrap();
    assert_eq!(
        (ended.ended_on, ended.evidence.as_str()),
        (
            Some(date!(2025 - 05 - 31)),
            "Room hire agreement, signed copy"
        )
    );
    let f = interaction_figures(store.as_ref(), &c).await.unwrap();
    let trust = f.series.iter().find(|s| s.anchor == "trust").unwrap();
    let at = |d: Date| trust.counts[f.months.iter().position(|m| *m == d).unwrap()];
    assert_eq!(
        [
            at(date!(2025 - 01 - 31)),
            at(date!(2025 - 05 - 31)),
            at(date!(2025 - 06 - 30))
        ],
        [1, 2, 1],
        "in force on its last day, gone the month after"
    );
    let on_day = interactions(
        store.as_ref(),
        &c,
        &InteractionQuery {
            on: Some("2025-06-15".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        on_day.len(),
        2,
        "the co-operative's supply and the council's volunteering"
    );

    // Another programme's interaction cannot be reached by its id.
    let b = programme(&store, "beta").await;
    assert!(matches!(
        end_interaction(store.as_ref(), &b, centre.id, "2025-06-01").await,
        Err(Error::NotFound)
    ));

    // The register offers its organisations; today's are placed (no
    // geography loaded here: their decile is not known, never 0).
    let choices = organisation_choices(store.as_ref(), &c, 3)
        .await
        .unwrap()
        .expect("three fit in a list of three");
    assert_eq!(choices.len(), 3);
    assert_eq!(choices[0].1, "Refugee Action Birmingham");
    assert_eq!(
        organisation_choices(store.as_ref(), &c, 2).await.unwrap(),
        None,
        "more than a form lists: it asks for the org-id"
    );
    let n = neighbourhoods(store.as_ref(), &c).await.unwrap();
    let names: Vec<&str> = n.organisations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Sandwell Cleaning Co-operative",
            "Soho Road Community Centre"
        ]
    );
    assert!(n.organisations.iter().all(|o| o.decile.is_none()));
    assert_eq!(n.unplaced, 2);
    assert!(n.by_decile.iter().all(|(_, c)| *c == 0));
    assert_eq!(
        n.organisations[1].anchors,
        ["The Council"],
        "the trust's room hire has ended; the council still volunteers there"
    );
});
