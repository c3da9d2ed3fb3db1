//! The demo's research strand: about 60 invented community researchers
//! (recruited in 2024 by leaflet, event, social media and word of mouth,
//! from real postcodes in and around the area of benefit), most of them
//! accredited; four projects from different commissioners; hours across
//! the Real Living Wage rise of 23 October 2024, most approved, some
//! waiting, one rejected. Everything goes through the use cases the pages
//! call, as typed into the forms. The demo's community researcher account
//! is linked to the first researcher, so it sees its own record and hours.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::Caller;
use useit_app::Store;
use useit_app::place::lookup::postcode_points;
use useit_app::research::assignments::assign;
use useit_app::research::projects::save_project;
use useit_app::research::researchers::create_researcher;
use useit_app::research::work::{decide_time, save_pay_rule, submit_time};
use useit_core::audit::Actor;
use useit_core::research::assignment::AssignmentInput;
use useit_core::research::pay::PayRuleInput;
use useit_core::research::project::ProjectInput;
use useit_core::research::researcher::ResearcherInput;
use useit_core::research::work::TimeInput;

use crate::demo::Seeded;

pub const STEPS: u64 = 3;
pub const RESEARCHERS: usize = 60;

const FIRST: &[&str] = &[
    "Amina",
    "Bilal",
    "Chantelle",
    "Darnell",
    "Esther",
    "Farhan",
    "Grace",
    "Hassan",
    "Imani",
    "Jaspreet",
    "Kemi",
    "Liam",
    "Mariam",
    "Nadia",
    "Omar",
    "Priya",
    "Rukhsana",
    "Samuel",
    "Tendai",
    "Usman",
    "Viktoria",
    "Winston",
    "Yasmin",
    "Zainab",
];
const LAST: &[&str] = &[
    "Ahmed", "Begum", "Campbell", "Dhillon", "Evans", "Farah", "Gordon", "Hussain", "Iqbal",
    "Johnson", "Khan", "Lewis", "Mensah", "Nowak", "Okafor", "Patel", "Rahman", "Singh",
];
const LANGUAGES: &[&str] = &[
    "English",
    "Urdu, English",
    "Punjabi, English",
    "Bengali, English",
    "Somali, English",
    "Polish, English",
    "Arabic, English",
    "Kurdish, Arabic, English",
];
const CHANNELS: &[&str] = &["leaflet", "event", "social_media", "word_of_mouth"];

fn projects() -> Vec<ProjectInput> {
    let p = |title: &str,
             kind: &str,
             who: &str,
             q: &str,
             method: &str,
             status: &str,
             budget: &str,
             findings: &str| ProjectInput {
        title: title.into(),
        commissioner_kind: kind.into(),
        commissioner: who.into(),
        question: q.into(),
        method: method.into(),
        status: status.into(),
        budget: budget.into(),
        findings: findings.into(),
    };
    vec![
        p(
            "Where hospital staff spend their pay",
            "anchor",
            "Sandwell and West Birmingham Hospitals NHS Trust",
            "How much of what the new hospital's staff earn is spent with businesses near it?",
            "Street and workplace survey (the re-spend questionnaire), 400 responses",
            "reported",
            "£6,000",
            "Staff living within 3 miles spend most of their weekly shop locally; staff commuting in spend little beyond lunch. Quote: \"There's nowhere to sit down and eat near the site.\" (Smethwick)",
        ),
        p(
            "Getting to work at the new hospital",
            "council",
            "Sandwell Metropolitan Borough Council",
            "What stops residents of Soho and Victoria from applying for hospital jobs?",
            "Interviews and two focus groups",
            "analysis",
            "£4,500",
            "",
        ),
        p(
            "Young carers in Ladywood",
            "researchers",
            "",
            "What support do young carers in Ladywood know of, and use?",
            "Peer interviews",
            "fieldwork",
            "",
            "",
        ),
        p(
            "Community spaces audit",
            "social_lab",
            "",
            "Which rooms and halls can community groups use, at what cost?",
            "Walkabouts and a phone survey of venues",
            "commissioned",
            "£2,500",
            "",
        ),
    ]
}

pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller::system(p.id, &actor.label);
    let s = store.as_ref();
    let mut rng = Seeded::new(2019);
    save_pay_rule(
        s,
        &caller,
        &PayRuleInput {
            scheme: "uk".into(),
            pay_from: "announcement".into(),
            from_day: String::new(),
        },
    )
    .await?;
    let mut project_ids = Vec::new();
    for input in projects() {
        project_ids.push(save_project(s, &caller, None, &input).await?.id);
    }
    let points: Vec<String> = postcode_points(s, &caller, "lsoa11")
        .await?
        .into_iter()
        .filter(|pt| {
            pt.live
                && ["B66", "B67", "B18", "B16", "B1 "]
                    .iter()
                    .any(|prefix| pt.postcode.starts_with(prefix))
        })
        .map(|pt| pt.postcode)
        .collect();
    bar.inc(1);
    for i in 0..RESEARCHERS {
        let first = FIRST[i % FIRST.len()];
        let last = rng.pick(LAST);
        let recruited = format!("2024-{:02}-{:02}", 1 + rng.below(3), 1 + rng.below(28));
        // About four in five accredited, in spring 2024.
        let accredited = rng.below(5) != 0;
        let input = ResearcherInput {
            full_name: format!("{first} {last}"),
            email: format!(
                "{}.{}.{i}@example.net",
                first.to_lowercase(),
                last.to_lowercase()
            ),
            postcode: if points.is_empty() {
                String::new()
            } else {
                rng.pick(&points).clone()
            },
            channel: rng.pick(CHANNELS).to_string(),
            recruited_on: recruited,
            languages: rng.pick(LANGUAGES).to_string(),
            lawful_basis: "consent".into(),
            consent_given_on: "2024-04-02".into(),
            training: "Research ethics | 2024-04-09; Interviewing | 2024-04-16; Data protection | 2024-04-23"
                .into(),
            qualification: if accredited {
                "Community Research".into()
            } else {
                String::new()
            },
            level: if accredited {
                "2".into()
            } else {
                String::new()
            },
            awarding_body: if accredited {
                "Open College Network West Midlands".into()
            } else {
                String::new()
            },
            accredited_on: if accredited {
                "2024-05-01".into()
            } else {
                String::new()
            },
            account_email: if i == 0 {
                "researcher@demo.useit.example".into()
            } else {
                String::new()
            },
        };
        let input = if i == 0 {
            // The researcher the demo's community researcher account is
            // linked to is that person: their name, not a generated one.
            let account = crate::demo::USERS
                .iter()
                .find(|u| u.email == "researcher@demo.useit.example")
                .expect("the demo has a community researcher account");
            ResearcherInput {
                full_name: account.name.into(),
                qualification: "Community Research".into(),
                level: "2".into(),
                awarding_body: "Open College Network West Midlands".into(),
                accredited_on: "2024-05-01".into(),
                ..input
            }
        } else {
            input
        };
        let r = create_researcher(s, &caller, &input).await?;
        if r.accredited_on().is_none() {
            continue;
        }
        // Days either side of the rate rise of 23 October 2024, on the
        // projects the researcher is assigned to from 1 October (assigned
        // on the first day they work on one).
        let mut assigned = std::collections::BTreeSet::new();
        for day in [14, 21, 28] {
            let project_id = *rng.pick(&project_ids);
            if assigned.insert(project_id) {
                assign(
                    s,
                    &caller,
                    project_id,
                    &AssignmentInput {
                        researcher: r.id.to_string(),
                        starts_on: "2024-10-01".into(),
                        ends_on: String::new(),
                    },
                )
                .await?;
            }
            let project = project_id.to_string();
            let worked_on = format!("2024-10-{day:02}");
            let hours = format!(
                "{}.{}",
                2 + rng.below(4),
                if rng.below(2) == 0 { 0 } else { 5 }
            );
            let e = submit_time(
                s,
                &caller,
                &TimeInput {
                    researcher: r.id.to_string(),
                    project,
                    worked_on,
                    hours,
                    note: String::new(),
                },
            )
            .await;
            let e = e?;
            match rng.below(10) {
                0 => {}
                1 => {
                    decide_time(s, &caller, e.id, "reject").await?;
                }
                _ => {
                    decide_time(s, &caller, e.id, "approve").await?;
                }
            }
        }
    }
    bar.inc(1);
    // The re-spend survey (the first project) and the Social Lab (whose
    // project is the fourth).
    super::demo_survey::build(s, &caller, project_ids[0], project_ids[3]).await?;
    // Findings on the four projects, and the survey's re-spend shares as
    // LM3's inputs.
    super::demo_findings::build(s, &caller, &project_ids).await?;
    bar.inc(1);
    Ok(())
}
