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

pub const STEPS: u64 = 2;

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

/// One demo asset: kind, name, description, community (index into
/// `COMMUNITIES`, none for the programme's), the nth live postcode of the
/// community's area (or a fixed postcode), and what only some kinds hold.
struct DemoAsset {
    kind: &'static str,
    name: &'static str,
    description: &'static str,
    community: Option<usize>,
    place: Place,
    who_can_use: &'static str,
    /// An organisation of the register, by words of its name.
    organisation: &'static str,
    people: &'static str,
    /// A service's phone, eligibility and schedule.
    service: Option<(&'static str, &'static str, &'static str)>,
    /// For a space: words of the organisation of the anchor's community-use
    /// interaction that unlocked it.
    unlocked_by: &'static str,
    started_days_ago: Option<i64>,
}

enum Place {
    None,
    /// The nth live postcode of the community's area.
    Nth(usize),
    Postcode(&'static str),
    LatLon(&'static str, &'static str),
}

const fn asset(
    kind: &'static str,
    name: &'static str,
    community: Option<usize>,
    place: Place,
) -> DemoAsset {
    DemoAsset {
        kind,
        name,
        description: "",
        community,
        place,
        who_can_use: "",
        organisation: "",
        people: "",
        service: None,
        unlocked_by: "",
        started_days_ago: None,
    }
}

const ASSETS: [DemoAsset; 21] = [
    DemoAsset {
        description: "Meets monthly in the Cape Hill library; runs the community researchers' feedback evenings.",
        who_can_use: "Anyone living in Soho and Victoria",
        started_days_ago: Some(900),
        ..asset(
            "group",
            "Soho and Victoria residents' group",
            Some(0),
            Place::Nth(3),
        )
    },
    DemoAsset {
        description: "Two empty shop units the residents want as the community hub.",
        who_can_use: "Residents' groups, by booking",
        ..asset("space", "Cape Hill shop units", Some(0), Place::Nth(11))
    },
    DemoAsset {
        description: "The hospital's kitchen, used by the co-operative on weekday evenings.",
        who_can_use: "Soho Road Kitchen CIC, by agreement",
        unlocked_by: "soho road kitchen",
        started_days_ago: Some(30),
        ..asset(
            "space",
            "Hospital kitchen (evenings)",
            Some(0),
            Place::Postcode("B66 2QT"),
        )
    },
    DemoAsset {
        description: "Help with carers' allowance, respite and the hospital's discharge process.",
        who_can_use: "Unpaid carers and the people they care for",
        organisation: "sandwell carers centre",
        service: Some((
            "0121 558 7003",
            "Unpaid carers living in Sandwell",
            "Tuesdays and Thursdays, 10am to 2pm",
        )),
        started_days_ago: Some(400),
        ..asset("service", "Carers' advice clinic", Some(0), Place::Nth(7))
    },
    DemoAsset {
        description: "Meals and training for residents starting out in catering.",
        organisation: "cape hill kitchen",
        ..asset(
            "business",
            "Cape Hill Kitchen Co-operative",
            Some(0),
            Place::Nth(15),
        )
    },
    DemoAsset {
        description: "Residents with food hygiene certificates, counted at the residents' skills audit.",
        people: "14",
        ..asset("skill", "Food hygiene (level 2)", Some(0), Place::None)
    },
    DemoAsset {
        description: "Residents who keep the accounts of a club, a church or a small business.",
        people: "3",
        ..asset("skill", "Bookkeeping", Some(0), Place::None)
    },
    DemoAsset {
        description: "Tenants' and residents' associations of the Ladywood estates.",
        who_can_use: "Tenants of the Ladywood estates",
        started_days_ago: Some(2000),
        ..asset(
            "group",
            "Ladywood tenants' federation",
            Some(1),
            Place::Nth(2),
        )
    },
    DemoAsset {
        description: "A ground-floor room the federation may book for meetings.",
        who_can_use: "Tenants' associations, by booking",
        ..asset("space", "Tenants' meeting room", Some(1), Place::Nth(9))
    },
    DemoAsset {
        description: "Small repairs and decorating by local tradespeople.",
        organisation: "handsworth handy repairs",
        ..asset("business", "Handy repairs", Some(1), Place::Nth(5))
    },
    DemoAsset {
        description: "Residents who have worked in building trades.",
        people: "23",
        ..asset("skill", "Building trades", Some(1), Place::None)
    },
    DemoAsset {
        description: "Free hot lunches and a benefits advice desk.",
        who_can_use: "Anyone",
        organisation: "ladywood community kitchen",
        service: Some((
            "0121 464 0000",
            "Anyone; no referral needed",
            "Weekdays, 12 noon to 2pm",
        )),
        ..asset(
            "service",
            "Community lunch and advice",
            Some(1),
            Place::Nth(12),
        )
    },
    DemoAsset {
        description: "Youth club and homework club for 11 to 18 year olds.",
        who_can_use: "Young people aged 11 to 18",
        organisation: "lozells youth trust",
        service: Some((
            "0121 523 0000",
            "Young people aged 11 to 18 living in Lozells",
            "Monday to Thursday, 4pm to 8pm",
        )),
        ..asset("service", "Lozells youth club", Some(2), Place::Nth(4))
    },
    DemoAsset {
        description: "The hospital education centre's rooms, booked by the youth trust.",
        who_can_use: "Lozells Youth Trust, by agreement",
        unlocked_by: "lozells youth trust",
        started_days_ago: Some(100),
        ..asset(
            "space",
            "Education centre rooms",
            Some(2),
            Place::Postcode("B18 7QH"),
        )
    },
    DemoAsset {
        description: "Halls shared by the faith groups along Lozells Road.",
        who_can_use: "Community groups, by booking",
        ..asset(
            "space",
            "Faith groups' shared halls",
            Some(2),
            Place::Nth(8),
        )
    },
    DemoAsset {
        description: "Independent shops on Lozells Road, counted together.",
        ..asset("business", "Lozells Road shops", Some(2), Place::Nth(1))
    },
    DemoAsset {
        description: "The new acute hospital, opened in 2024: the programme's anchor site.",
        who_can_use: "Patients and visitors; community use by agreement",
        started_days_ago: Some(800),
        ..asset(
            "anchor_site",
            "Midland Metropolitan University Hospital",
            None,
            Place::Postcode("B66 2QT"),
        )
    },
    DemoAsset {
        description: "The old City Hospital site, partly vacated as services moved to the new hospital.",
        ..asset(
            "anchor_site",
            "City Hospital",
            None,
            Place::Postcode("B18 7QH"),
        )
    },
    DemoAsset {
        description: "The hospital garden, licensed to a growers' community interest company.",
        ..asset(
            "estate",
            "Hospital garden",
            None,
            Place::LatLon("52.5038", "-1.9502"),
        )
    },
    DemoAsset {
        description: "Homes planned on the land City Hospital leaves.",
        ..asset(
            "development",
            "City Hospital site housing",
            None,
            Place::LatLon("52.4917", "-1.9357"),
        )
    },
    DemoAsset {
        description: "New homes by the canal at Soho Loop.",
        ..asset(
            "development",
            "Soho Loop homes",
            None,
            Place::LatLon("52.4899", "-1.9283"),
        )
    },
];

/// The demo's asset map, built through the use cases after the anchors'
/// interactions (a space names the interaction that unlocked it).
pub async fn assets(
    store: &Arc<dyn Store>,
    actor: &Actor,
    bar: &ProgressBar,
) -> anyhow::Result<()> {
    use useit_app::community::assets::save_asset;
    use useit_core::community::asset::AssetInput;
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller {
        actor: actor.clone(),
        ..Caller::system(p.id, "demo")
    };
    let s = store.as_ref();
    let found = communities(s, &caller).await?;
    let ids: Vec<uuid::Uuid> = COMMUNITIES
        .iter()
        .filter_map(|c| found.iter().find(|f| f.name == c.name).map(|f| f.id))
        .collect();
    let points = useit_app::place::lookup::postcode_points(s, &caller, "lsoa11").await?;
    let mut in_area = Vec::new();
    for id in &ids {
        let codes = useit_app::community::community_areas(s, &caller, *id).await?;
        let mut v: Vec<String> = points
            .iter()
            .filter(|pt| pt.live && pt.area.as_ref().is_some_and(|a| codes.contains(a)))
            .map(|pt| pt.postcode.clone())
            .collect();
        v.sort();
        in_area.push(v);
    }
    let orgs = organisation_choices(s, &caller, 100_000)
        .await?
        .unwrap_or_default();
    let interactions = useit_app::community::assets::asset_choices(s, &caller, 0)
        .await?
        .interactions;
    let today = clock::today();
    for a in &ASSETS {
        let (postcode, lat, lon) = match a.place {
            Place::None => (String::new(), String::new(), String::new()),
            Place::Nth(n) => (
                a.community
                    .and_then(|c| in_area.get(c))
                    .filter(|v| !v.is_empty())
                    .map(|v| v[(n * 37) % v.len()].clone())
                    .unwrap_or_default(),
                String::new(),
                String::new(),
            ),
            Place::Postcode(pc) => (pc.into(), String::new(), String::new()),
            Place::LatLon(lat, lon) => (String::new(), lat.into(), lon.into()),
        };
        let (phone, eligibility, schedule) = a.service.unwrap_or_default();
        let unlocked = if a.unlocked_by.is_empty() {
            None
        } else {
            let w = a.unlocked_by.to_lowercase();
            interactions
                .iter()
                .find(|i| {
                    i.organisation_name.to_lowercase().contains(&w)
                        && i.kind
                            == useit_core::anchors::interactions::InteractionKind::CommunityUse
                })
                .map(|i| i.id)
        };
        save_asset(
            s,
            &caller,
            None,
            &AssetInput {
                kind: a.kind.into(),
                name: a.name.into(),
                description: a.description.into(),
                community: a
                    .community
                    .and_then(|c| ids.get(c))
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                postcode,
                lat,
                lon,
                organisation: if a.organisation.is_empty() {
                    String::new()
                } else {
                    named(&orgs, a.organisation)
                        .map(|id| id.to_string())
                        .unwrap_or_default()
                },
                who_can_use: a.who_can_use.into(),
                contact_phone: phone.into(),
                eligibility: eligibility.into(),
                schedule: schedule.into(),
                people: a.people.into(),
                interaction: unlocked.map(|i| i.to_string()).unwrap_or_default(),
                started_on: a
                    .started_days_ago
                    .map(|d| clock::iso_date(today - time::Duration::days(d)))
                    .unwrap_or_default(),
                ..Default::default()
            },
        )
        .await?;
    }
    bar.inc(1);
    Ok(())
}
