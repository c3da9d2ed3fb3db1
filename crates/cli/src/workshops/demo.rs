//! The demo's co-learning workshop, as the seed's ran: workshop 1 of the
//! EUROCITIES Social Innovation Lab in Glasgow on 26 March 2019, discussing
//! the USE-IT! case study, with three tables × three rounds (invented
//! hosts), notes harvested at every table and round through a guest link
//! (the same path a phone takes), individual reflections answering "would
//! you transfer", the synthesis and the actions; and the lineage the seed
//! tells of: USE-IT! → HOP in the Black Country, → the URBACT transfer
//! network REMIX, → East Birmingham.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::Caller;
use useit_app::Store;
use useit_app::workshops::lineage::add_replication;
use useit_app::workshops::{
    add_action, group_notes, guest, open_guest_link, revoke_guest_link, save_workshop, summary,
};
use useit_core::audit::Actor;
use useit_core::workshops::guest::GuestLinkInput;
use useit_core::workshops::lineage::ReplicationInput;
use useit_core::workshops::note::{ActionInput, GroupInput, NoteInput};
use useit_core::workshops::workshop::WorkshopInput;

pub const STEPS: u64 = 2;

/// The demo workshop's title, as the seed names it.
pub const TITLE: &str = "Tackling urban poverty and new forms of inequality in cities";

/// What was said at each table in each round (table 1: what worked, 2:
/// what didn't, 3: transferable), and the city of who said it.
const HARVEST: &[(u8, u8, &str, &str)] = &[
    (
        1,
        1,
        "The partnership was co-designed: every partner wrote its own part of the bid, so nobody was there because they were told to be",
        "Glasgow",
    ),
    (
        1,
        1,
        "Starting from the anchor institution's own spending and hiring, not from a new fund",
        "Lille",
    ),
    (
        1,
        2,
        "Paying community researchers for their time rather than relying on volunteers",
        "Gdańsk",
    ),
    (
        1,
        2,
        "The hospital changed how it recruits: overseas-qualified professionals got interim roles on the way to registration",
        "Birmingham",
    ),
    (
        1,
        3,
        "Measuring from the trust's own data: from no local organisations to thirty in two years",
        "Milan",
    ),
    (
        1,
        3,
        "Building trust in the communities first, before matching anyone to a job",
        "Glasgow",
    ),
    (
        2,
        1,
        "Managing fifteen partners who would never have worked together without the funding takes a lot of time",
        "Lille",
    ),
    (
        2,
        1,
        "Registration rules (English tests, exam fees) block people for years",
        "Birmingham",
    ),
    (
        2,
        2,
        "Social enterprises were too small to bid for the hospital's lots on their own",
        "Milan",
    ),
    (
        2,
        2,
        "Unlocking community spaces was never budgeted",
        "Gdańsk",
    ),
    (
        2,
        3,
        "The social lab has to pay its way once the European funding ends",
        "Glasgow",
    ),
    (
        2,
        3,
        "Universal Credit and in-work poverty leave people little time to take part",
        "Birmingham",
    ),
    (
        3,
        1,
        "Community research with accreditation could start in any city with a university partner",
        "Lille",
    ),
    (
        3,
        1,
        "Spend analysis of the anchors' published payments: the data is public in most cities",
        "Glasgow",
    ),
    (
        3,
        2,
        "Consortia of small social enterprises bidding together for one lot",
        "Milan",
    ),
    (
        3,
        2,
        "The pathway for overseas-qualified doctors and nurses depends on national rules that differ by country",
        "Gdańsk",
    ),
    (
        3,
        3,
        "Community Economic Development plans written by the communities themselves",
        "Lille",
    ),
    (
        3,
        3,
        "The anchor's procurement team as a partner, not a target",
        "Glasgow",
    ),
];

/// Individual reflection: what people learnt, and whether they would transfer it.
const REFLECTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "learning",
        "",
        "Anchor institutions can change how they spend and hire when someone shows them their own numbers",
        "Glasgow",
    ),
    (
        "learning",
        "",
        "Top-down and bottom-up regeneration only work when someone builds the bridges between them",
        "Lille",
    ),
    (
        "would_transfer",
        "yes",
        "Our university hospital is building a new site next to the poorest district",
        "Lille",
    ),
    (
        "would_transfer",
        "yes",
        "The community research strand, with our university",
        "Glasgow",
    ),
    (
        "would_transfer",
        "maybe",
        "If the national health service accepts interim roles for overseas-qualified staff",
        "Gdańsk",
    ),
    (
        "would_transfer",
        "yes",
        "The spend analysis first, the rest when we have partners",
        "Milan",
    ),
    (
        "would_transfer",
        "no",
        "Our hospitals are private and their spending is not published",
        "Porto",
    ),
    (
        "would_transfer",
        "maybe",
        "Only with funding for the partnership's coordination",
        "Utrecht",
    ),
];

const ACTIONS: &[(&str, &str, &str)] = &[
    (
        "Analyse the university hospital's published payments for local and social-enterprise suppliers",
        "Economic development team",
        "Lille",
    ),
    (
        "Propose an accredited community researchers course with the university",
        "Social innovation lab",
        "Glasgow",
    ),
    (
        "Ask the health ministry about interim roles for overseas-qualified nurses",
        "City health department",
        "Gdańsk",
    ),
    (
        "Bring two social enterprises together to bid for one lot of the hospital's catering tender",
        "Social economy office",
        "Milan",
    ),
];

pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller::system(p.id, &actor.label);
    let s = store.as_ref();
    let w = save_workshop(
        s,
        &caller,
        None,
        &WorkshopInput {
            title: TITLE.into(),
            held_on: "2019-03-26".into(),
            place: "Grand Central Hotel, 99 Gordon Street, Glasgow".into(),
            part_of: "EUROCITIES Social Innovation Lab, co-learning workshop 1".into(),
            case_study: "Unlocking Social and Economic Innovation Together in Birmingham (USE-IT!): building bridges between the anchor institutions around the new hospital and the skills, enterprises and community groups of the neighbourhoods around it, and measuring what changed.".into(),
            case_study_url: "https://www.uia-initiative.eu/en/uia-cities/birmingham".into(),
            tables: "3".into(),
            rounds: "3".into(),
            hosts: vec!["Fiona Campbell".into(), "Marek Nowak".into(), "Inès Durand".into()],
            questions: Vec::new(),
        },
    )
    .await?;
    // The harvest goes through a guest link, as the participants' phones did.
    let link = open_guest_link(s, &caller, w.id, &GuestLinkInput { hours: "4".into() }).await?;
    for (table, round, text, city) in HARVEST {
        guest::add_note(
            s,
            &link.secret,
            &NoteInput {
                table: table.to_string(),
                round: round.to_string(),
                text: (*text).into(),
                city: (*city).into(),
                ..Default::default()
            },
        )
        .await?;
    }
    for (question, answer, text, city) in REFLECTIONS {
        guest::add_note(
            s,
            &link.secret,
            &NoteInput {
                question: (*question).into(),
                answer: (*answer).into(),
                text: (*text).into(),
                city: (*city).into(),
                ..Default::default()
            },
        )
        .await?;
    }
    // The workshop is over: its link no longer works.
    revoke_guest_link(s, &caller, w.id, link.link.id).await?;
    bar.inc(1);

    // The synthesis: a note from the "what didn't work" table is really a
    // transferability factor; one from "what worked" is too.
    let sum = summary(s, &caller, w.id).await?;
    let moved: Vec<GroupInput> = sum
        .notes
        .iter()
        .filter(|n| {
            n.draft
                .text
                .starts_with("Social enterprises were too small")
                || n.draft.text.starts_with("Paying community researchers")
        })
        .map(|n| GroupInput {
            note: n.id.to_string(),
            group: "transferability".into(),
        })
        .collect();
    group_notes(s, &caller, w.id, &moved).await?;
    for (action, owner, city) in ACTIONS {
        add_action(
            s,
            &caller,
            w.id,
            &ActionInput {
                action: (*action).into(),
                owner: (*owner).into(),
                city: (*city).into(),
            },
        )
        .await?;
    }

    for (name, city, on, started, note) in [
        (
            "USE-IT!",
            "Birmingham and Smethwick",
            "",
            "2016",
            "Unlocking Social and Economic Innovation Together, funded by Urban Innovative Actions",
        ),
        (
            "HOP",
            "Black Country",
            "USE-IT!",
            "",
            "The hospital's work with overseas-qualified professionals, replicated by the Black Country NHS trusts",
        ),
        (
            "URBACT Transfer Network REMIX",
            "European cities",
            "USE-IT!",
            "",
            "Elements of the USE-IT! model described as the network's good practice",
        ),
        (
            "East Birmingham",
            "East Birmingham",
            "USE-IT!",
            "",
            "The whole USE-IT! model, in discussion",
        ),
    ] {
        add_replication(
            s,
            &caller,
            &ReplicationInput {
                name: name.into(),
                city: city.into(),
                modelled_on: on.into(),
                started: started.into(),
                note: note.into(),
            },
        )
        .await?;
    }
    bar.inc(1);
    Ok(())
}
