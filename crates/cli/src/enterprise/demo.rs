//! The demo's social enterprises, built through the app functions (so they
//! pass the rules users meet): invented names at real postcodes of
//! Sandwell and west Birmingham, profiles for the register's social
//! enterprises from the spend demo too (and an adviser's entry for a
//! supplier the spend register holds, so the duplicates page has a pair),
//! three years of income and support,
//! and three lots from the demo trust, the last of which only a consortium
//! can meet, and more imported from an OCDS release package (demo data in
//! the real package's shape), one of them won in 2024 by a consortium the
//! spend demo's social enterprises formed.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::Caller;
use useit_app::enterprise::formed::{add_bid, save_consortium};
use useit_app::enterprise::lots::{import_ocds, lots, save_lot};
use useit_app::enterprise::profiles::{add_enterprise, directory, save_profile};
use useit_app::enterprise::records::{add_support, save_income};
use useit_app::place::lookup::postcode_points;
use useit_core::audit::Actor;
use useit_core::clock;
use useit_core::enterprise::formed::{BidInput, ConsortiumInput};
use useit_core::enterprise::income::IncomeInput;
use useit_core::enterprise::lot::LotInput;
use useit_core::enterprise::profile::{EnterpriseQuery, NewEnterpriseInput, ProfileInput};
use useit_core::enterprise::support::{PlanStage, SupportInput, SupportKind};
use useit_store::Store;

pub const STEPS: u64 = 1;

/// Invented enterprises: (name, legal form, services).
const ENTERPRISES: &[(&str, &str, &str)] = &[
    ("Smethwick Sparkle CIC", "cic", "cleaning"),
    (
        "Cape Hill Kitchen Co-operative",
        "registered_society",
        "catering, events",
    ),
    ("Soho Road Laundry CIC", "cic", "laundry"),
    ("Black Patch Growers CIC", "cic", "grounds"),
    (
        "Rood End Community Cleaners",
        "guarantee",
        "cleaning, building repairs and maintenance",
    ),
    ("Ladywood Print Works CIC", "cic", "printing and design"),
    ("Winson Green Wheels", "cio", "community transport"),
    (
        "Oldbury Reuse Furniture CIC",
        "cic",
        "furniture supply and reuse",
    ),
    (
        "Tipton Tech Reboot CIC",
        "cic",
        "IT equipment reuse and recycling",
    ),
    (
        "West Brom Care Collective",
        "registered_society",
        "home care",
    ),
    (
        "Sandwell Wellbeing Partnership",
        "charitable_company",
        "community health and wellbeing",
    ),
    (
        "Rowley Regis Skills Hub",
        "cio",
        "training, employment support",
    ),
    (
        "Langley Language Link CIC",
        "cic",
        "translation and interpreting",
    ),
    ("Bearwood Bakehouse CIC", "cic", "catering"),
    (
        "Handsworth Handy Repairs",
        "guarantee",
        "building repairs and maintenance",
    ),
    ("Dudley Port Guardians CIC", "cic", "security"),
    ("Spon Lane Green Spaces", "cio", "grounds"),
    (
        "Warley Woods Events Co-op",
        "registered_society",
        "events, catering",
    ),
    ("Great Bridge Wash House CIC", "cic", "laundry, cleaning"),
    ("Brandhall Bright Starts CIC", "cic", "training"),
    ("Londonderry Lunch Club", "other_charity", "catering"),
    ("Summerfield Shine CIC", "cic", "cleaning"),
    ("Edgbaston Reservoir Rangers", "cio", "grounds"),
    ("Hill Top Care at Home CIC", "cic", "home care"),
];

fn accreditations(i: usize) -> String {
    let mut a = vec![];
    if i.is_multiple_of(2) {
        a.push("Real Living Wage employer accreditation".to_string());
    }
    if i % 3 != 1 {
        a.push(format!(
            "CHAS health and safety accreditation, 28/0{}/2028",
            1 + i % 9
        ));
    }
    if i.is_multiple_of(4) {
        a.push("Social Enterprise Mark, 30/09/2027".to_string());
    }
    if i % 5 == 2 {
        a.push("ISO 9001 quality management, 31/12/2025".to_string());
    }
    a.join("\n")
}

fn profile(i: usize, legal_form: &str, services: &str) -> ProfileInput {
    // Turnovers from £60,000 to £900,000; the largest contract a third of it.
    let turnover = 60_000 + (i * 137_000) % 840_000;
    ProfileInput {
        legal_form: legal_form.into(),
        social_purpose: "yes".into(),
        reinvests_profits: "yes".into(),
        mission_ownership: if i % 7 == 3 {
            String::new()
        } else {
            "yes".into()
        },
        services: services.into(),
        accreditations: accreditations(i),
        public_liability: if i % 6 == 5 {
            "£2,000,000".into()
        } else {
            "£5,000,000".into()
        },
        employers_liability: "£10,000,000".into(),
        professional_indemnity: if i.is_multiple_of(3) {
            "£1,000,000".into()
        } else {
            String::new()
        },
        turnover: if i % 11 == 10 {
            String::new()
        } else {
            turnover.to_string()
        },
        staff: (3 + turnover / 30_000).to_string(),
        largest_contract: (turnover / 3).to_string(),
        areas: if i % 3 == 2 {
            "Birmingham".into()
        } else {
            "Sandwell, Birmingham".into()
        },
    }
}

pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller::system(p.id, &actor.label);
    let s = store.as_ref();
    let postcodes: Vec<String> = postcode_points(s, &caller, "lsoa11")
        .await?
        .into_iter()
        .map(|pt| pt.postcode)
        .filter(|pc| {
            ["B66", "B67", "B68", "B69", "B70", "B18", "B21"]
                .iter()
                .any(|d| pc.starts_with(d))
        })
        .step_by(37)
        .collect();
    let pick = |i: usize| {
        postcodes
            .get((i * 7) % postcodes.len().max(1))
            .cloned()
            .unwrap_or_else(|| "B66 2QT".into())
    };
    for (i, (name, form, services)) in ENTERPRISES.iter().enumerate() {
        let e = add_enterprise(
            s,
            &caller,
            &NewEnterpriseInput {
                name: (*name).into(),
                postcode: pick(i),
            },
        )
        .await?;
        save_profile(s, &caller, e.id, &profile(i, form, services)).await?;
    }
    // An adviser's entry for a printer the spend register already holds as
    // a supplier's organisation: the duplicates page offers the pair.
    let twin = add_enterprise(
        s,
        &caller,
        &NewEnterpriseInput {
            name: "Winson Green Print CIC".into(),
            postcode: "B66 1EU".into(),
        },
    )
    .await?;
    save_profile(
        s,
        &caller,
        twin.id,
        &profile(ENTERPRISES.len(), "cic", "printing and design"),
    )
    .await?;
    // The spend demo's social enterprises get profiles too.
    let tx = useit_core::enterprise::services::taxonomy();
    let all = directory(s, &caller, &EnterpriseQuery::default()).await?;
    for (j, row) in all.iter().enumerate() {
        if row.enterprise.profile.is_none() {
            let service = &tx.services[j % tx.services.len()].name;
            save_profile(s, &caller, row.enterprise.id, &profile(j + 3, "", service)).await?;
        }
    }
    // More invented enterprises, so the directory holds the seed's ~120.
    let have: Vec<String> = directory(s, &caller, &EnterpriseQuery::default())
        .await?
        .into_iter()
        .map(|r| r.enterprise.name)
        .collect();
    super::demo_more::grow(s, &caller, &have, &pick, profile).await?;
    // Three years of income, moving from grants towards trading for most,
    // a missing year for some; support for two in three.
    let this_year = clock::today().year();
    let all = directory(s, &caller, &EnterpriseQuery::default()).await?;
    for (j, row) in all.iter().enumerate() {
        let id = row.enterprise.id;
        for (k, year) in (this_year - 3..this_year).enumerate() {
            if j % 5 == 4 && k == 1 {
                continue;
            }
            let base = 40_000 + (j as i64 * 23_000) % 400_000;
            let trading_share = (20 + 15 * k as i64 + (j as i64 * 7) % 40).min(95);
            save_income(
                s,
                &caller,
                id,
                &IncomeInput {
                    year: year.to_string(),
                    grants: (base * (100 - trading_share) * 8 / 1000).to_string(),
                    donations: (base * (100 - trading_share) * 2 / 1000).to_string(),
                    trading: (base * trading_share * 6 / 1000).to_string(),
                    contracts: (base * trading_share * 4 / 1000).to_string(),
                },
            )
            .await?;
        }
        if j % 3 != 2 {
            for k in 0..(1 + j % 3) {
                let kind = SupportKind::ALL[(j + k) % SupportKind::ALL.len()];
                let stage = PlanStage::ALL[(j + k) % PlanStage::ALL.len()];
                add_support(
                    s,
                    &caller,
                    id,
                    &SupportInput {
                        given_on: clock::iso_date(
                            clock::today() - time::Duration::days(30 + 97 * (j + k) as i64 % 1_000),
                        ),
                        kind: kind.slug().into(),
                        hours: format!("{}.5", 1 + (j + k) % 4),
                        outcome: "Next steps agreed with the enterprise".into(),
                        plan_stage: stage.slug().into(),
                    },
                )
                .await?;
            }
        }
    }
    let deadline = clock::iso_date(clock::today() + time::Duration::days(75));
    let lot = |reference: &str, title: &str, services: &str, value: &str| LotInput {
        reference: reference.into(),
        buyer: "Sandwell and West Birmingham Hospitals NHS Trust".into(),
        title: title.into(),
        services: services.into(),
        value: value.into(),
        duration_months: "24".into(),
        deadline: deadline.clone(),
        public_liability: "£5,000,000".into(),
        employers_liability: "£10,000,000".into(),
        ..Default::default()
    };
    save_lot(
        s,
        &caller,
        &LotInput {
            cpv: "90911200-8".into(),
            accreditations: "Real Living Wage employer accreditation".into(),
            minimum_turnover: "£100,000".into(),
            areas: "Birmingham".into(),
            ..lot(
                "SWBH-FM-2027/1",
                "Outpatient clinic cleaning, City Hospital",
                "cleaning",
                "£60,000",
            )
        },
    )
    .await?;
    save_lot(
        s,
        &caller,
        &LotInput {
            cpv: "55520000-1".into(),
            minimum_turnover: "150%".into(),
            areas: "Sandwell".into(),
            ..lot(
                "SWBH-FM-2027/2",
                "Staff restaurant, Midland Metropolitan University Hospital",
                "catering, events",
                "£90,000",
            )
        },
    )
    .await?;
    // Only a consortium can meet this one: four services, more than any
    // one enterprise can take.
    save_lot(
        s,
        &caller,
        &LotInput {
            accreditations: "CHAS health and safety accreditation: every member; Real Living Wage employer accreditation".into(),
            minimum_turnover: "200%".into(),
            areas: "Sandwell".into(),
            ..lot(
                "SWBH-FM-2027/3",
                "Soft facilities management, Midland Metropolitan University Hospital",
                "cleaning, catering, laundry, grounds maintenance",
                "£450,000",
            )
        },
    )
    .await?;
    // Two more lots as an OCDS release package: demo data in the shape of
    // the real Contracts Finder package in data/enterprise/, with lots as
    // Find a Tender publishes them; the buyer is the demo trust, by its ODS
    // code. It goes through the same import as an uploaded package.
    let package = demo_package(clock::today());
    import_ocds(
        s,
        &caller,
        "demo-ocds-release-package.json",
        package.as_bytes(),
    )
    .await?;
    // One consortium formed from the spend demo's social enterprises: it
    // won the 2024 kitchens lot, and the trust's spend lines since the award
    // show what it has been paid (computed, never typed).
    let rows = directory(s, &caller, &EnterpriseQuery::default()).await?;
    let id_of = |register_name: &str| {
        let key = useit_core::anchors::supplier::name_key(register_name);
        rows.iter()
            .find(|r| useit_core::anchors::supplier::name_key(&r.enterprise.name) == key)
            .map(|r| r.enterprise.id.to_string())
            .ok_or_else(|| anyhow::anyhow!("the spend demo has no {register_name}"))
    };
    let kitchens = lots(s, &caller)
        .await?
        .into_iter()
        .find(|l| l.draft.reference == KITCHENS_OCID)
        .ok_or_else(|| anyhow::anyhow!("the demo package has no {KITCHENS_OCID}"))?;
    let c = save_consortium(
        s,
        &caller,
        None,
        &ConsortiumInput {
            name: "Cape Hill and Soho Road Kitchens Partnership".into(),
            lead: id_of("CAPE HILL CLEANING CO-OPERATIVE LIMITED")?,
            members: [
                id_of("SOHO ROAD KITCHEN CIC")?,
                id_of("LADYWOOD COMMUNITY KITCHEN CIC")?,
            ]
            .join(", "),
            lot: kitchens.id.to_string(),
            formed_on: "2024-05-20".into(),
        },
    )
    .await?;
    for (on, outcome, note) in [
        (
            "2024-06-26",
            "submitted",
            "Joint bid: cleaning by the lead, meals by the two kitchens",
        ),
        ("2024-07-31", "won", "Contract awarded from 1 August 2024"),
    ] {
        add_bid(
            s,
            &caller,
            c.id,
            &BidInput {
                on: on.into(),
                outcome: outcome.into(),
                note: note.into(),
            },
        )
        .await?;
    }
    bar.inc(1);
    Ok(())
}

/// The ocid of the demo package's 2024 tender, the one the demo
/// consortium won.
const KITCHENS_OCID: &str = "ocds-demo-swbh-2024-kitchens";

/// The demo's OCDS release package (invented: its publisher says so).
pub fn demo_package(today: time::Date) -> String {
    let day = |d: i64| {
        format!(
            "{}T12:00:00Z",
            clock::iso_date(today + time::Duration::days(d))
        )
    };
    let start = clock::iso_date(today + time::Duration::days(150));
    let end = clock::iso_date(today + time::Duration::days(150 + 3 * 365 - 1));
    serde_json::json!({
        "uri": "https://example.org/useit-demo/ocds/swbh-2027-grounds.json",
        "publishedDate": day(-10),
        "publisher": {"name": "useit demo data (invented, not a real notice)"},
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "version": "1.1",
        "releases": [{
            "ocid": "ocds-demo-swbh-2027-grounds",
            "id": "ocds-demo-swbh-2027-grounds-tender-1",
            "date": day(-10),
            "tag": ["tender"],
            "initiationType": "tender",
            "buyer": {"id": "GB-NHS-RXK", "name": "Sandwell and West Birmingham Hospitals NHS Trust"},
            "parties": [{
                "id": "GB-NHS-RXK",
                "name": "Sandwell and West Birmingham Hospitals NHS Trust",
                "identifier": {"scheme": "GB-NHS", "id": "RXK"},
                "roles": ["buyer"]
            }],
            "tender": {
                "id": "SWBH-EST-2027-04",
                "title": "Green spaces and patient transport, Midland Metropolitan University Hospital",
                "status": "active",
                "tenderPeriod": {"startDate": day(-10), "endDate": day(60)},
                "contractPeriod": {"startDate": format!("{start}T00:00:00Z"), "endDate": format!("{end}T23:59:59Z")},
                "lots": [
                    {"id": "1", "title": "Grounds maintenance and planting",
                     "value": {"amount": 140000, "currency": "GBP"}},
                    {"id": "2", "title": "Community patient transport",
                     "value": {"amount": 95000, "currency": "GBP"}}
                ],
                "items": [
                    {"id": "1", "relatedLot": "1",
                     "classification": {"scheme": "CPV", "id": "77310000", "description": "Planting and maintenance services of green areas"}},
                    {"id": "2", "relatedLot": "2",
                     "classification": {"scheme": "CPV", "id": "60130000", "description": "Special-purpose road passenger-transport services"}}
                ]
            }
        }, {
            "ocid": KITCHENS_OCID,
            "id": "ocds-demo-swbh-2024-kitchens-tender-1",
            "date": "2024-05-13T09:00:00Z",
            "tag": ["tender"],
            "initiationType": "tender",
            "buyer": {"id": "GB-NHS-RXK", "name": "Sandwell and West Birmingham Hospitals NHS Trust"},
            "tender": {
                "id": "SWBH-FM-2024-11",
                "title": "Staff and patient meals with kitchen cleaning, City Hospital",
                "status": "complete",
                "value": {"amount": 120000, "currency": "GBP"},
                "tenderPeriod": {"startDate": "2024-05-13T09:00:00Z", "endDate": "2024-06-28T12:00:00Z"},
                "contractPeriod": {"startDate": "2024-08-01T00:00:00Z", "endDate": "2026-07-31T23:59:59Z"},
                "items": [
                    {"id": "1", "classification": {"scheme": "CPV", "id": "55320000", "description": "Meal-serving services"}},
                    {"id": "2", "classification": {"scheme": "CPV", "id": "90911200", "description": "Building-cleaning services"}}
                ]
            }
        }]
    })
    .to_string()
}
