//! The demo's interactions: the hospital trust going from no working
//! relationship with local organisations to about thirty over two years
//! (the seed's "0 → 30"), the council with a few, and the practice changes
//! some of them prompted. Organisations are the demo's own (its register
//! and the social enterprises), found by name; everything goes through the
//! same use cases a person's form takes. Dates count back from today, so
//! the chart always ends with the last two years.

use std::sync::Arc;

use indicatif::ProgressBar;
use time::{Date, Duration};
use useit_app::Caller;
use useit_app::anchors::interactions::{
    add_interaction, add_practice_change, interactions, organisation_choices,
};
use useit_core::anchors::interactions::{InteractionInput, InteractionQuery};
use useit_core::anchors::practice::PracticeInput;
use useit_core::audit::Actor;
use useit_core::clock::{iso_date, today};
use useit_store::Store;

pub const STEPS: u64 = 1;

/// (anchor, organisation as named, kind, began this many weeks ago, ended
/// this many weeks ago, evidence).
type Entry = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<i64>,
    &'static str,
);

const ENTRIES: &[Entry] = &[
    (
        "swbh",
        "Lozells Youth Trust",
        "community_use",
        100,
        None,
        "Room booking agreement for the education centre",
    ),
    (
        "swbh",
        "Sandwell Carers Centre",
        "referral",
        96,
        None,
        "Referral protocol signed by the discharge team",
    ),
    (
        "swbh",
        "Handsworth Community Transport",
        "supply",
        92,
        None,
        "Patient transport call-off contract",
    ),
    (
        "swbh",
        "Soho Road Kitchen CIC",
        "supply",
        88,
        None,
        "Catering purchase order for staff events",
    ),
    (
        "swbh",
        "Cape Hill Cleaning Co-operative Limited",
        "supply",
        84,
        None,
        "Cleaning lot 3 contract award",
    ),
    (
        "swbh",
        "Ladywood Community Kitchen CIC",
        "volunteering",
        80,
        Some(40),
        "Staff volunteering rota",
    ),
    (
        "swbh",
        "Sandwell Wellbeing Partnership",
        "co_delivery",
        76,
        None,
        "Social prescribing service agreement",
    ),
    (
        "swbh",
        "Lozells Youth Trust",
        "employment_pathway",
        72,
        None,
        "Work experience placements log",
    ),
    (
        "swbh",
        "Smethwick Sparkle CIC",
        "supply",
        68,
        None,
        "Window cleaning purchase orders",
    ),
    (
        "swbh",
        "Winson Green Wheels",
        "referral",
        64,
        None,
        "Transport referral log",
    ),
    (
        "swbh",
        "Sandwell Carers Centre",
        "co_delivery",
        60,
        None,
        "Carers' clinic on the outpatients floor",
    ),
    (
        "swbh",
        "Black Patch Growers CIC",
        "community_use",
        56,
        None,
        "Licence for the hospital garden",
    ),
    (
        "swbh",
        "Cape Hill Kitchen Co-operative",
        "supply",
        52,
        None,
        "Catering framework call-off",
    ),
    (
        "swbh",
        "Soho Road Laundry CIC",
        "supply",
        50,
        None,
        "Laundry trial contract",
    ),
    (
        "swbh",
        "Rood End Community Cleaners",
        "employment_pathway",
        48,
        None,
        "Healthcare support worker pathway agreement",
    ),
    (
        "swbh",
        "Tipton Tech Reboot CIC",
        "supply",
        46,
        None,
        "IT equipment reuse agreement",
    ),
    (
        "swbh",
        "Sandwell Wellbeing Partnership",
        "research",
        44,
        None,
        "Community research protocol",
    ),
    (
        "swbh",
        "Ladywood Print Works CIC",
        "supply",
        42,
        None,
        "Print purchase orders",
    ),
    (
        "swbh",
        "Oldbury Reuse Furniture CIC",
        "supply",
        40,
        None,
        "Furniture reuse contract",
    ),
    (
        "swbh",
        "West Brom Care Collective",
        "referral",
        38,
        None,
        "Discharge to home care referral log",
    ),
    (
        "swbh",
        "Handsworth Community Transport",
        "volunteering",
        36,
        Some(12),
        "Volunteer drivers' rota",
    ),
    (
        "swbh",
        "West Brom Care Collective",
        "employment_pathway",
        34,
        None,
        "Care academy placements",
    ),
    (
        "swbh",
        "Black Patch Growers CIC",
        "volunteering",
        32,
        None,
        "Staff gardening days",
    ),
    (
        "swbh",
        "Soho Road Kitchen CIC",
        "community_use",
        30,
        None,
        "Kitchen use agreement",
    ),
    (
        "swbh",
        "Winson Green Wheels",
        "supply",
        28,
        None,
        "Outpatient shuttle contract",
    ),
    (
        "swbh",
        "Lozells Youth Trust",
        "research",
        24,
        None,
        "Young people's research partnership",
    ),
    (
        "swbh",
        "Rood End Community Cleaners",
        "supply",
        20,
        None,
        "Cleaning lot 2 contract award",
    ),
    (
        "swbh",
        "Smethwick Sparkle CIC",
        "employment_pathway",
        16,
        None,
        "Pre-employment programme agreement",
    ),
    (
        "swbh",
        "Tipton Tech Reboot CIC",
        "co_delivery",
        12,
        None,
        "Digital inclusion sessions",
    ),
    (
        "swbh",
        "Ladywood Print Works CIC",
        "community_use",
        9,
        None,
        "Exhibition space agreement",
    ),
    (
        "swbh",
        "Oldbury Reuse Furniture CIC",
        "volunteering",
        6,
        None,
        "Staff volunteering rota",
    ),
    (
        "swbh",
        "Cape Hill Kitchen Co-operative",
        "employment_pathway",
        3,
        None,
        "Kitchen apprenticeships agreement",
    ),
    (
        "sandwell-council",
        "Sandwell Carers Centre",
        "co_delivery",
        90,
        None,
        "Carers' support grant agreement",
    ),
    (
        "sandwell-council",
        "Winson Green Wheels",
        "supply",
        70,
        None,
        "Community transport contract",
    ),
    (
        "sandwell-council",
        "Black Patch Growers CIC",
        "community_use",
        50,
        None,
        "Allotment lease",
    ),
    (
        "sandwell-council",
        "Smethwick Sparkle CIC",
        "supply",
        30,
        None,
        "Cleaning purchase orders",
    ),
];

/// (anchor, weeks ago, kind, what changed, the interaction that prompted it
/// by organisation and kind, the barrier it answers).
type Change = (
    &'static str,
    i64,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
    &'static str,
);

const CHANGES: &[Change] = &[
    (
        "swbh",
        82,
        "space_opened",
        "Education centre rooms free to community groups in the evenings",
        Some(("Lozells Youth Trust", "community_use")),
        "",
    ),
    (
        "swbh",
        66,
        "procurement",
        "Cleaning contract let in three lots small enough for local co-operatives",
        Some(("Cape Hill Cleaning Co-operative Limited", "supply")),
        "",
    ),
    (
        "swbh",
        45,
        "employer_rule",
        "Overseas references accepted for healthcare support worker posts",
        Some(("Rood End Community Cleaners", "employment_pathway")),
        "references",
    ),
    (
        "swbh",
        20,
        "employer_rule",
        "Clinical attachments offered to overseas-qualified doctors on the pathway",
        None,
        "clinical_attachment",
    ),
];

fn weeks_ago(now: Date, weeks: i64) -> Date {
    now - Duration::weeks(weeks)
}

pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller::system(p.id, &actor.label);
    // The demo's register is small: every organisation, by name.
    let orgs = organisation_choices(store.as_ref(), &caller, usize::MAX)
        .await?
        .unwrap_or_default();
    let org_id = |name: &str| -> anyhow::Result<String> {
        orgs.iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(id, _)| id.clone())
            .ok_or_else(|| anyhow::anyhow!("the demo has no organisation named {name:?}"))
    };
    let now = today();
    for (anchor, org, kind, began, ended, evidence) in ENTRIES {
        let input = InteractionInput {
            anchor: (*anchor).into(),
            organisation: org_id(org)?,
            kind: (*kind).into(),
            started_on: iso_date(weeks_ago(now, *began)),
            ended_on: ended
                .map(|e| iso_date(weeks_ago(now, e)))
                .unwrap_or_default(),
            evidence: (*evidence).into(),
        };
        add_interaction(store.as_ref(), &caller, &input).await?;
    }
    let held = interactions(store.as_ref(), &caller, &InteractionQuery::default()).await?;
    for (anchor, ago, kind, summary, prompted, barrier) in CHANGES {
        let interaction = match prompted {
            Some((org, k)) => held
                .iter()
                .find(|i| {
                    i.anchor == *anchor
                        && i.organisation_name.eq_ignore_ascii_case(org)
                        && i.kind.slug() == *k
                })
                .map(|i| i.id.to_string())
                .ok_or_else(|| anyhow::anyhow!("no demo interaction with {org:?} ({k})"))?,
            None => String::new(),
        };
        let input = PracticeInput {
            anchor: (*anchor).into(),
            changed_on: iso_date(weeks_ago(now, *ago)),
            kind: (*kind).into(),
            summary: (*summary).into(),
            interaction,
            barrier: (*barrier).into(),
        };
        add_practice_change(store.as_ref(), &caller, &input).await?;
    }
    bar.inc(1);
    Ok(())
}
