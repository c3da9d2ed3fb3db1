//! The demo's re-spend survey and Social Lab (issue 19 items 3 and 4).
//! The re-spend questionnaire (where the hospital's staff and suppliers
//! spend their income) is typed in question by question as on the page;
//! its 120 invented responses arrive as a KoboToolbox export would (`;`
//! separated, group paths, a 0/1 column per choice, `start`, `_uuid`,
//! `_submission_time` and the other metadata) and are imported through the
//! same use case as the upload. A Social Lab CIC joins the register and is
//! marked as the programme's Social Lab; its projects receive payments in
//! 2024 and 2025 and a second project of its own pays researchers in 2025.

use useit_app::research::projects::save_project;
use useit_app::research::researchers::researchers;
use useit_app::research::social_lab::{add_income, candidates, set_social_lab};
use useit_app::research::survey::{add_question, import_responses};
use useit_app::research::work::{decide_time, submit_time};
use useit_app::{Caller, Store};
use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::register::OrganisationInput;
use useit_core::research::project::ProjectInput;
use useit_core::research::questionnaire::QuestionInput;
use useit_core::research::researcher::ResearcherParams;
use useit_core::research::social_lab::IncomeInput;
use useit_core::research::work::TimeInput;
use uuid::Uuid;

use crate::demo::Seeded;

/// The Social Lab's name as the register spells it (invented).
pub const SOCIAL_LAB: &str = "SMETHWICK SOCIAL LAB CIC";
pub const RESPONSES: usize = 120;

fn q(name: &str, group: &str, label: &str, kind: &str, choices: &str) -> QuestionInput {
    QuestionInput {
        name: name.into(),
        group: group.into(),
        label: label.into(),
        kind: kind.into(),
        choices: choices.into(),
        required: String::new(),
        personal: String::new(),
    }
}

fn questions() -> Vec<QuestionInput> {
    vec![
        QuestionInput {
            required: "yes".into(),
            ..q("interviewed_on", "", "Day of the interview", "date", "")
        },
        QuestionInput {
            required: "yes".into(),
            ..q(
                "respondent",
                "",
                "Do you work at the hospital or for one of its suppliers?",
                "select_one",
                "staff = Hospital staff\nsupplier = A supplier's staff",
            )
        },
        q(
            "live_near",
            "",
            "Do you live within three miles of the hospital?",
            "select_one",
            "yes = Yes\nno = No",
        ),
        q(
            "weekly_local",
            "spend",
            "Roughly how much do you spend each week within three miles of the hospital (£)?",
            "decimal",
            "",
        ),
        q(
            "share_local",
            "spend",
            "What share of your weekly spending is within three miles (%)?",
            "integer",
            "",
        ),
        q(
            "where",
            "spend",
            "Where do you spend it?",
            "select_multiple",
            "food_shop = Food shops\nlunch = Cafés and lunch\npharmacy = Pharmacy\nhair_beauty = Hair and beauty\npub_restaurant = Pubs and restaurants\ntransport = Buses and taxis",
        ),
        q(
            "barriers",
            "",
            "What stops you spending more near the hospital?",
            "select_multiple",
            "nothing_near = Nothing I need nearby\nparking = Parking\nhours = Opening hours\nprices = Prices\nsafety = Feeling unsafe",
        ),
        q(
            "suggestion",
            "",
            "What would make you spend more locally?",
            "text",
            "",
        ),
        QuestionInput {
            personal: "yes".into(),
            ..q(
                "postcode_district",
                "",
                "Home postcode district (for example B66)",
                "text",
                "",
            )
        },
    ]
}

const WHERE: &[&str] = &[
    "food_shop",
    "lunch",
    "pharmacy",
    "hair_beauty",
    "pub_restaurant",
    "transport",
];
const BARRIERS: &[&str] = &["nothing_near", "parking", "hours", "prices", "safety"];
const SUGGESTIONS: &[&str] = &[
    "A proper sit-down café on Grove Lane",
    "Somewhere to buy a decent lunch after 2pm",
    "Late opening on the high street for night-shift staff",
    "A market on the new square",
    "",
    "",
    "Safer walking routes to Cape Hill",
];
const DISTRICTS: &[&str] = &["B66", "B67", "B18", "B21", "B68", "B70", "B16", "WS10"];

/// Up to `most` picks of `from`, each once, in `from`'s order.
fn several<'a>(rng: &mut Seeded, from: &[&'a str], most: u64) -> Vec<&'a str> {
    let n = 1 + rng.below(most);
    let mut picked: Vec<usize> = Vec::new();
    for _ in 0..n {
        let i = rng.below(from.len() as u64) as usize;
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.sort_unstable();
    picked.into_iter().map(|i| from[i]).collect()
}

/// The export a Kobo project of this form would give: 120 submissions in
/// March 2025, one with a required answer skipped.
pub fn kobo_export(rng: &mut Seeded) -> String {
    let mut header: Vec<String> = vec![
        "start".into(),
        "end".into(),
        "interviewed_on".into(),
        "respondent".into(),
        "live_near".into(),
        "spend/weekly_local".into(),
        "spend/share_local".into(),
        "spend/where".into(),
    ];
    header.extend(WHERE.iter().map(|w| format!("spend/where/{w}")));
    header.push("barriers".into());
    header.extend(BARRIERS.iter().map(|b| format!("barriers/{b}")));
    header.extend(
        [
            "suggestion",
            "postcode_district",
            "_id",
            "_uuid",
            "_submission_time",
            "_validation_status",
            "_notes",
            "_status",
            "_submitted_by",
            "__version__",
            "_tags",
            "_index",
        ]
        .map(String::from),
    );
    let mut out = String::new();
    out.push_str(&header.join(";"));
    out.push('\n');
    for i in 0..RESPONSES {
        let day = 3 + (i % 26) as u8;
        let hour = 8 + rng.below(9);
        let minute = rng.below(50);
        let staff = rng.below(4) != 0;
        let near = rng.below(3) != 0;
        let weekly = if near {
            40 + rng.below(90)
        } else {
            5 + rng.below(30)
        };
        let share = if near {
            35 + rng.below(50)
        } else {
            3 + rng.below(20)
        };
        let places = several(rng, WHERE, 3);
        let barriers = several(rng, BARRIERS, 2);
        let mut row: Vec<String> = vec![
            format!("2025-03-{day:02}T{hour:02}:{minute:02}:00.000+00:00"),
            format!("2025-03-{day:02}T{hour:02}:{:02}:00.000+00:00", minute + 7),
            format!("2025-03-{day:02}"),
            if staff { "staff" } else { "supplier" }.into(),
            if near { "yes" } else { "no" }.into(),
            format!("{weekly}.{:02}", rng.below(100)),
            share.to_string(),
            places.join(" "),
        ];
        row.extend(
            WHERE
                .iter()
                .map(|w| u8::from(places.contains(w)).to_string()),
        );
        row.push(barriers.join(" "));
        row.extend(
            BARRIERS
                .iter()
                .map(|b| u8::from(barriers.contains(b)).to_string()),
        );
        let suggestion = *rng.pick(SUGGESTIONS);
        row.push(suggestion.into());
        row.push(rng.pick(DISTRICTS).to_string());
        // The tablet lost the respondent question once; Kobo kept the rest.
        if i == 57 {
            row[3] = String::new();
        }
        row.push((41_000_000 + i).to_string());
        row.push(
            Uuid::from_u128(0x5e5f_0000_0000_4000_8000_0000_0000_0000 + i as u128).to_string(),
        );
        row.push(format!(
            "2025-03-{day:02}T{:02}:{minute:02}:41",
            (hour + 1).min(23)
        ));
        row.extend([
            String::new(),
            "[]".into(),
            "submitted_via_web".into(),
            "smethwick_researchers".into(),
            "vGsnM7ZRtBWMHXwPkyh2Sz".into(),
            "[]".into(),
            (i + 1).to_string(),
        ]);
        out.push_str(&row.join(";"));
        out.push('\n');
    }
    out
}

/// The re-spend survey on the re-spend project, and the Social Lab.
pub async fn build(
    s: &dyn Store,
    caller: &Caller,
    respend_project: Uuid,
    lab_project: Uuid,
) -> anyhow::Result<()> {
    for input in questions() {
        add_question(s, caller, respend_project, &input).await?;
    }
    let mut rng = Seeded::new(2025);
    let export = kobo_export(&mut rng);
    import_responses(
        s,
        caller,
        respend_project,
        "Re-spend survey, March 2025.csv",
        export.as_bytes(),
    )
    .await?;

    useit_app::anchors::register::load_organisations(
        s,
        caller,
        &[OrganisationInput {
            org_id: "GB-COH-DEMO0900".into(),
            name: SOCIAL_LAB.into(),
            kind: SupplierKind::SocialEnterprise,
            company_number: None,
            postcode: Some("B66 3JY".into()),
            trading_postcode: None,
            source: "useit demo register (invented organisations, real postcodes)".into(),
            details: Default::default(),
            location: None,
        }],
    )
    .await?;
    let lab = candidates(s, caller, "social lab")
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("the demo's Social Lab is not in the register"))?;
    set_social_lab(s, caller, Some(lab.id)).await?;

    // A second project of the Social Lab's own, after the first.
    let needs = save_project(
        s,
        caller,
        None,
        &ProjectInput {
            title: "Community needs survey 2025".into(),
            commissioner_kind: "social_lab".into(),
            commissioner: String::new(),
            question: "What do households in Smethwick and Soho need most from local services?"
                .into(),
            method: "Door-to-door survey on tablets (KoboToolbox)".into(),
            status: "fieldwork".into(),
            budget: "£8,000".into(),
            findings: String::new(),
        },
    )
    .await?;
    for (project, day, amount, note) in [
        (
            lab_project,
            "2024-11-15",
            "£1,250",
            "Sandwell Council Voluntary Sector Fund, first half",
        ),
        (
            lab_project,
            "2025-03-31",
            "£1,250",
            "Sandwell Council Voluntary Sector Fund, second half",
        ),
        (
            needs.id,
            "2025-05-02",
            "£4,000",
            "Sandwell and West Birmingham Hospitals NHS Trust, on commission",
        ),
        (
            needs.id,
            "2025-09-30",
            "£3,000",
            "Sandwell and West Birmingham Hospitals NHS Trust, on delivery",
        ),
    ] {
        add_income(
            s,
            caller,
            project,
            &IncomeInput {
                received_on: day.into(),
                amount: amount.into(),
                note: note.into(),
            },
        )
        .await?;
    }
    // Twelve accredited researchers on the needs survey in May 2025.
    let team = researchers(
        s,
        caller,
        &ResearcherParams {
            accredited: Some("yes".into()),
            per_page: Some(12),
            ..Default::default()
        },
    )
    .await?;
    for (i, r) in team.items.iter().enumerate() {
        // Assigned to the survey for May 2025.
        useit_app::research::assignments::assign(
            s,
            caller,
            needs.id,
            &useit_core::research::assignment::AssignmentInput {
                researcher: r.id.to_string(),
                starts_on: "2025-05-01".into(),
                ends_on: "2025-05-31".into(),
            },
        )
        .await?;
        for day in [6, 13] {
            let e = submit_time(
                s,
                caller,
                &TimeInput {
                    researcher: r.id.to_string(),
                    project: needs.id.to_string(),
                    worked_on: format!("2025-05-{:02}", day + (i % 3)),
                    hours: format!("{}", 3 + rng.below(3)),
                    note: String::new(),
                },
            )
            .await?;
            decide_time(s, caller, e.id, "approve").await?;
        }
    }
    Ok(())
}
