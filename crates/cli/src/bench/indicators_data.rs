//! What `useit bench indicators` adds beyond spend, people, researchers and
//! enterprises, so that every indicator is computed rather than "not
//! known": the demo's West Midlands geography and an area of benefit, a
//! register giving the generated suppliers real postcodes (inside the area
//! of benefit, elsewhere in the anchor's local authority, or elsewhere in
//! the region), five years of the trust's workforce, interactions with the
//! organisations it pays, communities with adopted plans, and researchers'
//! approved hours. Everything goes through the use cases the pages call.

use std::collections::BTreeSet;
use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::Caller;
use useit_app::anchors::interactions::add_interaction;
use useit_app::anchors::register::load_organisations;
use useit_app::anchors::workforce::{WorkforceUpload, import_workforce};
use useit_app::community::{add_community, save_plan};
use useit_app::place::area_of_benefit::save_area_of_benefit;
use useit_app::place::lookup::postcode_points;
use useit_app::research::projects::save_project;
use useit_app::research::work::{decide_time, submit_time};
use useit_core::anchors::interactions::InteractionInput;
use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::register::OrganisationInput;
use useit_core::anchors::workforce::Year;
use useit_core::audit::Actor;
use useit_core::community::plan::PlanInput;
use useit_core::community::record::CommunityInput;
use useit_core::place::input::SelectionInput;
use useit_core::research::project::ProjectInput;
use useit_core::research::researcher::Researcher;
use useit_core::research::work::TimeInput;
use useit_store::Store;

use crate::demo::Seeded;

/// The trust's local authority (Sandwell), for LM3 and the local staff.
pub(super) const LOCAL_AUTHORITY: &str = "E08000028";

/// The wards of the demo's area of benefit (the board's decision): four in
/// Sandwell and six in Birmingham around the new hospital.
const WARDS: [&str; 10] = [
    "E05001260",
    "E05001276",
    "E05001277",
    "E05001278",
    "E05011168",
    "E05011157",
    "E05011151",
    "E05011142",
    "E05011147",
    "E05011153",
];

/// Real postcodes: in the area of benefit, elsewhere in Sandwell, elsewhere
/// in the region.
pub(super) struct Places {
    inside: Vec<String>,
    borough: Vec<String>,
    region: Vec<String>,
}

impl Places {
    fn pick(&self, rng: &mut Seeded, inside: bool) -> String {
        let from = if inside {
            &self.inside
        } else if rng.below(3) == 0 {
            &self.borough
        } else {
            &self.region
        };
        from[rng.below(from.len() as u64) as usize].clone()
    }
}

/// Loads the demo's geography and saves the area of benefit.
pub(super) async fn geography(store: &Arc<dyn Store>, caller: &Caller) -> anyhow::Result<Places> {
    crate::place::demo::load_reference(store, &Actor::system("bench"), &ProgressBar::hidden())
        .await?;
    let s = store.as_ref();
    let aob = save_area_of_benefit(
        s,
        caller,
        &SelectionInput {
            index: "imd2019".into(),
            wards: WARDS.iter().map(|w| w.to_string()).collect(),
            note: "Bench: the demo's wards around the new hospital".into(),
            ..Default::default()
        },
    )
    .await?;
    let codes: BTreeSet<String> = aob.codes;
    let mut places = Places {
        inside: Vec::new(),
        borough: Vec::new(),
        region: Vec::new(),
    };
    for p in postcode_points(s, caller, "lsoa11").await? {
        let Some(area) = p.area.as_ref().filter(|_| p.live) else {
            continue;
        };
        if codes.contains(area) {
            places.inside.push(p.postcode);
        } else if ["B66", "B67", "B70"]
            .iter()
            .any(|x| p.postcode.starts_with(x))
        {
            places.borough.push(p.postcode);
        } else {
            places.region.push(p.postcode);
        }
    }
    anyhow::ensure!(
        !places.inside.is_empty() && !places.borough.is_empty() && !places.region.is_empty(),
        "the demo geography has no postcodes to place the bench's suppliers"
    );
    Ok(places)
}

/// The org-id the register gives the `i`th generated supplier.
pub(super) fn org_id(i: usize) -> String {
    format!("GB-COH-BN{i:06}")
}

/// The register: each generated supplier the spend benchmark puts in it,
/// at a postcode in the area of benefit where it says so.
pub(super) async fn register(
    s: &dyn Store,
    caller: &Caller,
    orgs: &[(String, u8, bool)],
    places: &Places,
) -> anyhow::Result<u64> {
    let mut rng = Seeded::new(4_242);
    let entries: Vec<OrganisationInput> = orgs
        .iter()
        .enumerate()
        .map(|(i, (name, _, inside))| OrganisationInput {
            org_id: org_id(i),
            name: name.clone(),
            kind: SupplierKind::Sme,
            company_number: None,
            postcode: Some(places.pick(&mut rng, *inside)),
            trading_postcode: None,
            source: "bench".into(),
            details: Default::default(),
            location: None,
        })
        .collect();
    Ok(load_organisations(s, caller, &entries).await?)
}

/// Five financial years of the trust's staff: `staff` people, a third at
/// home in the area of benefit, a tenth of each year's file starters.
pub(super) async fn workforce(
    s: &dyn Store,
    caller: &Caller,
    anchor: &str,
    years: &[i32],
    staff: usize,
    places: &Places,
) -> anyhow::Result<()> {
    let mut rng = Seeded::new(1_848);
    // (home, first year, pay in pounds)
    let people: Vec<(String, i32, u64)> = (0..staff)
        .map(|_| {
            let inside = rng.below(3) == 0;
            let first = if rng.below(10) == 0 {
                years[rng.below(years.len() as u64) as usize]
            } else {
                years[0] - 1 - rng.below(10) as i32
            };
            (
                places.pick(&mut rng, inside),
                first,
                21_000 + rng.below(40_000),
            )
        })
        .collect();
    for &y in years {
        let mut text = String::from(
            "employee_id,home_postcode,staff_group,band,start_date,leaving_date,pay\n",
        );
        for (i, (home, first, pay)) in people.iter().enumerate().filter(|(_, p)| p.1 <= y) {
            text.push_str(&format!("E{i:06},{home},Nursing,5,{first}-06-01,,{pay}\n"));
        }
        let name = format!("trust-workforce-{y}.csv");
        let upload = WorkforceUpload {
            anchor,
            year: Year(y),
            file_name: &name,
            bytes: text.as_bytes(),
        };
        match import_workforce(s, caller, upload).await {
            Ok(_) => {}
            Err(useit_app::Error::Rejected(r)) => anyhow::bail!("{r}"),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The trust's interactions with `n` of the organisations it pays, begun
/// over the five years, a few of them ended.
pub(super) async fn interactions(
    s: &dyn Store,
    caller: &Caller,
    anchor: &str,
    orgs: usize,
    n: usize,
    years: &[i32],
) -> anyhow::Result<()> {
    const KINDS: [&str; 7] = [
        "referral",
        "volunteering",
        "supply",
        "co_delivery",
        "community_use",
        "research",
        "employment_pathway",
    ];
    let mut rng = Seeded::new(30);
    for k in 0..n.min(orgs) {
        let y = years[rng.below(years.len() as u64) as usize];
        let ended = rng.below(6) == 0;
        add_interaction(
            s,
            caller,
            &InteractionInput {
                anchor: anchor.into(),
                organisation: org_id(k * (orgs / n.min(orgs)).max(1) % orgs),
                kind: KINDS[k % KINDS.len()].into(),
                started_on: format!("{y}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
                ended_on: if ended {
                    format!("{}-12-31", years[years.len() - 1])
                } else {
                    String::new()
                },
                evidence: "Bench: an agreement on file".into(),
            },
        )
        .await?;
    }
    Ok(())
}

/// Three communities in the area of benefit's wards, two with an adopted
/// plan (the seed's target is three).
pub(super) async fn communities(s: &dyn Store, caller: &Caller) -> anyhow::Result<()> {
    for (k, (name, adopted)) in [
        ("Smethwick", Some("2023-03-14")),
        ("Soho and Victoria", Some("2024-09-30")),
        ("Ladywood", None),
    ]
    .into_iter()
    .enumerate()
    {
        let c = add_community(
            s,
            caller,
            &CommunityInput {
                name: name.into(),
                description: "Bench: residents and groups writing their plan".into(),
                area: SelectionInput {
                    index: "imd2019".into(),
                    wards: vec![WARDS[k].into()],
                    note: "Bench".into(),
                    ..Default::default()
                },
            },
        )
        .await?;
        save_plan(
            s,
            caller,
            c.id,
            &PlanInput {
                aspirations: "Jobs at the new hospital for local people".into(),
                priorities: "A community café in the hospital's spaces".into(),
                status: if adopted.is_some() {
                    "adopted"
                } else {
                    "drafting"
                }
                .into(),
                adopted_on: adopted.unwrap_or_default().into(),
            },
        )
        .await?;
    }
    Ok(())
}

/// Approved hours for the researchers: `entries` days of fieldwork each
/// for every other accredited researcher, after their accreditation.
pub(super) async fn research_hours(
    s: &dyn Store,
    caller: &Caller,
    researchers: &[Researcher],
    entries: usize,
    years: &[i32],
) -> anyhow::Result<u64> {
    let project = save_project(
        s,
        caller,
        None,
        &ProjectInput {
            title: "Where hospital staff spend".into(),
            commissioner_kind: "anchor".into(),
            commissioner: "Bench Trust".into(),
            question: "Where do hospital staff spend their income?".into(),
            status: "fieldwork".into(),
            ..Default::default()
        },
    )
    .await?;
    let mut rng = Seeded::new(77);
    let mut approved = 0;
    let last = time::Date::from_calendar_date(years[years.len() - 1], time::Month::December, 31)?;
    // Paid research starts on the day of accreditation: every other
    // accredited researcher, on days after it up to the last year's end.
    for (r, from) in researchers
        .iter()
        .filter_map(|r| r.accredited_on().map(|d| (r, d)))
        .step_by(2)
    {
        // Hours only on days an assignment to the project covers.
        useit_app::research::assignments::assign(
            s,
            caller,
            project.id,
            &useit_core::research::assignment::AssignmentInput {
                researcher: r.id.to_string(),
                starts_on: useit_core::clock::iso_date(from),
                ends_on: String::new(),
            },
        )
        .await?;
        let span = (last - from).whole_days().max(0) as u64;
        // Distinct days (one entry a day and project): spread over the span.
        let days: BTreeSet<u64> = (0..entries as u64)
            .map(|k| (k * (span + 1) / entries as u64 + rng.below(2)).min(span))
            .collect();
        for d in days {
            let worked_on = from + time::Duration::days(d as i64);
            let entry = submit_time(
                s,
                caller,
                &TimeInput {
                    researcher: r.id.to_string(),
                    project: project.id.to_string(),
                    worked_on: useit_core::clock::iso_date(worked_on),
                    hours: (2 + rng.below(5)).to_string(),
                    note: String::new(),
                },
            )
            .await?;
            decide_time(s, caller, entry.id, "approve").await?;
            approved += 1;
        }
    }
    Ok(approved)
}
