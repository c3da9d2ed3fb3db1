//! The demo's communities, built through the use cases (so they pass the
//! rules people meet): three neighbourhoods around the new Midland
//! Metropolitan University Hospital in Smethwick and Ladywood, chosen from
//! the demo's own ward and deprivation data, with Community Economic
//! Development plans at the three stages — one in delivery with an action
//! in each status, one adopted, one still drafting — and the demo's
//! community member made a member of the first, so they may edit its plan
//! and no other.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::community::{
    add_community, add_member, communities, enterprise_choices, organisation_choices, save_action,
    save_plan,
};
use useit_app::{Caller, Store};
use useit_core::audit::Actor;
use useit_core::clock;
use useit_core::community::plan::{ActionInput, PlanInput};
use useit_core::community::record::{CommunityInput, MemberInput};
use useit_core::place::input::SelectionInput;

pub const STEPS: u64 = 1;

/// The demo's community member, who may edit Soho and Victoria's plan.
pub const MEMBER: &str = "community@demo.useit.example";

struct Demo {
    name: &'static str,
    description: &'static str,
    wards: &'static [&'static str],
    deciles: &'static [u8],
    note: &'static str,
}

const COMMUNITIES: [Demo; 3] = [
    Demo {
        name: "Soho and Victoria",
        description: "Residents of the streets around the new hospital on the Smethwick side of the boundary, who came together through the community researchers' work on where local money goes.",
        // Sandwell: Soho and Victoria.
        wards: &["E05001278"],
        deciles: &[1, 2],
        note: "The most deprived fifth of the ward, next to the hospital site",
    },
    Demo {
        name: "Ladywood",
        description: "Tenants' and residents' groups of the Ladywood estates, east of the hospital across the canal.",
        // Birmingham: Ladywood.
        wards: &["E05011151"],
        deciles: &[1],
        note: "The ward's most deprived tenth: the estates the residents' groups cover",
    },
    Demo {
        name: "Lozells",
        description: "A community newly formed around the Lozells Road shops and the faith groups that share halls there.",
        // Birmingham: Lozells.
        wards: &["E05011153"],
        deciles: &[],
        note: "The whole ward, while the community decides its own edge",
    },
];

/// The first organisation whose name contains `words` (case ignored).
fn named(list: &[(uuid::Uuid, String)], words: &str) -> Option<uuid::Uuid> {
    let w = words.to_lowercase();
    list.iter()
        .find(|(_, n)| n.to_lowercase().contains(&w))
        .map(|(id, _)| *id)
}

pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller {
        actor: actor.clone(),
        ..Caller::system(p.id, "demo")
    };
    let s = store.as_ref();
    let today = clock::today();
    let day = |days_ago: i64| clock::iso_date(today - time::Duration::days(days_ago));
    let ahead = |days: i64| clock::iso_date(today + time::Duration::days(days));
    let mut ids = Vec::new();
    for c in &COMMUNITIES {
        let added = add_community(
            s,
            &caller,
            &CommunityInput {
                name: c.name.into(),
                description: c.description.into(),
                area: SelectionInput {
                    index: "imd2019".into(),
                    wards: c.wards.iter().map(|w| w.to_string()).collect(),
                    deciles: c.deciles.to_vec(),
                    note: c.note.into(),
                    ..Default::default()
                },
            },
        )
        .await?;
        ids.push(added.id);
    }
    let (soho, ladywood, lozells) = (ids[0], ids[1], ids[2]);
    add_member(
        s,
        &caller,
        soho,
        &MemberInput {
            email: MEMBER.into(),
        },
    )
    .await?;

    // In delivery since its adoption eight months ago, with an action in
    // each status.
    save_plan(
        s,
        &caller,
        soho,
        &PlanInput {
            aspirations: "Money spent at the hospital stays in Soho and Victoria\n\
                          A community hub run by and for residents\n\
                          Young people see a job at the hospital as theirs to take"
                .into(),
            priorities: "A residents' cleaning and catering co-operative able to bid for the hospital's contracts\n\
                         Open the hub in the empty shop units on Cape Hill\n\
                         Better relationships with local businesses and services"
                .into(),
            status: "in_delivery".into(),
            adopted_on: day(240),
        },
    )
    .await?;
    let orgs = organisation_choices(s, &caller, 100_000)
        .await?
        .unwrap_or_default();
    let enterprises = enterprise_choices(s, &caller).await?;
    let org = |words: &str| {
        named(&orgs, words)
            .map(|id| id.to_string())
            .unwrap_or_default()
    };
    let ent = |names: &[&str]| {
        names
            .iter()
            .filter_map(|w| named(&enterprises, w))
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
    };
    let actions = [
        (
            "Form the cleaning and catering co-operative",
            "Soho and Victoria residents' group",
            org("sandwell wellbeing partnership"),
            day(60),
            "done",
            ent(&["cape hill kitchen", "cape hill cleaning"]),
        ),
        (
            "Bid for the hospital's catering lot as a consortium",
            "Co-operative steering group",
            org("nhs supply chain"),
            ahead(90),
            "in_progress",
            ent(&["cape hill kitchen", "smethwick sparkle"]),
        ),
        (
            "Open the community hub on Cape Hill",
            "Hub working group",
            org("sandwell carers centre"),
            ahead(180),
            "not_started",
            Vec::new(),
        ),
        (
            "Run a market stall on Soho Road",
            "Soho and Victoria residents' group",
            String::new(),
            day(30),
            "dropped",
            ent(&["soho road kitchen"]),
        ),
        (
            "Map the businesses and services within walking distance",
            "Community researchers",
            String::new(),
            day(120),
            "done",
            Vec::new(),
        ),
    ];
    for (title, owner, partner, due_on, status, enterprises) in actions {
        save_action(
            s,
            &caller,
            soho,
            None,
            &ActionInput {
                title: title.into(),
                owner: owner.into(),
                partner,
                due_on,
                status: status.into(),
                enterprises,
            },
        )
        .await?;
    }

    // Adopted last month; its actions not started yet.
    save_plan(
        s,
        &caller,
        ladywood,
        &PlanInput {
            aspirations: "Every estate has a place to meet\nLocal people build and repair their own homes".into(),
            priorities: "A repairs social enterprise trained with the council's housing teams\nA tenants' meeting room in each block".into(),
            status: "adopted".into(),
            adopted_on: day(30),
        },
    )
    .await?;
    for (title, owner, partner, due_on, enterprises) in [
        (
            "Train twelve residents in building repairs",
            "Ladywood tenants' federation",
            org("birmingham city council"),
            ahead(120),
            ent(&["handsworth handy repairs"]),
        ),
        (
            "Agree a meeting room with each block's landlord",
            "Ladywood tenants' federation",
            org("birmingham city council"),
            ahead(60),
            ent(&["ladywood community kitchen"]),
        ),
    ] {
        save_action(
            s,
            &caller,
            ladywood,
            None,
            &ActionInput {
                title: title.into(),
                owner: owner.into(),
                partner,
                due_on,
                status: "not_started".into(),
                enterprises,
            },
        )
        .await?;
    }

    // Still drafting: aspirations only, no actions (progress not known).
    save_plan(
        s,
        &caller,
        lozells,
        &PlanInput {
            aspirations: "Shops on Lozells Road that local people own".into(),
            status: "drafting".into(),
            ..Default::default()
        },
    )
    .await?;
    debug_assert_eq!(communities(s, &caller).await?.len(), 3);
    bar.inc(1);
    Ok(())
}
