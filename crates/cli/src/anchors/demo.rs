//! The demo's spend: the hospital trust and the council, a register of the
//! organisations they pay, and a year of spend files in the shapes the
//! real ones have, imported through the same path a person's files take.
//!
//! Organisations are invented (names, not real firms), but their postcodes
//! are real ones from the shipped geography, chosen from the area of
//! benefit, the rest of the local authority, the rest of the city region,
//! or outside it (London), so the measures tell a story: a little spend in
//! the most deprived neighbourhoods, more in the city, most leaving it.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::Caller;
use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::register::load_organisations;
use useit_app::anchors::settings::save_spend_settings;
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_app::place::area_of_benefit::{area_of_benefit, codes};
use useit_app::place::lookup::postcode_points;
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::import::ImportOptions;
use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::register::OrganisationInput;
use useit_core::anchors::settings::{SpendSettings, SpendSettingsInput};
use useit_core::audit::Actor;
use useit_core::place::postcode::Postcode;
use useit_store::Store;

use crate::demo::Seeded;

pub const STEPS: u64 = 3;

/// Where an organisation is.
#[derive(Clone, Copy, PartialEq)]
enum Where {
    /// In the area of benefit (deciles 1–2 near the hospital).
    Aob,
    /// Elsewhere in Sandwell.
    Borough,
    /// Elsewhere in the West Midlands.
    Region,
    /// London head office.
    London,
}

/// One organisation the anchors pay.
struct Org {
    /// How the ledger spells it.
    ledger: &'static str,
    /// How the register spells it (`None`: not in the register).
    register: Option<&'static str>,
    kind: SupplierKind,
    at: Where,
    /// A branch somewhere else, for the registered/trading band.
    branch: Option<Where>,
    category: &'static str,
    /// Typical payment in pounds, and payments a year.
    typical: u64,
    per_year: u64,
    trust: bool,
    council: bool,
}

const fn o(
    ledger: &'static str,
    register: Option<&'static str>,
    kind: SupplierKind,
    at: Where,
    category: &'static str,
    (typical, per_year): (u64, u64),
    (trust, council): (bool, bool),
) -> Org {
    Org {
        ledger,
        register,
        kind,
        at,
        branch: None,
        category,
        typical,
        per_year,
        trust,
        council,
    }
}

use SupplierKind::*;
use Where::*;

const ORGS: &[Org] = &[
    o(
        "NHS Supply Chain",
        Some("NHS SUPPLY CHAIN"),
        PublicBody,
        Region,
        "Clinical Supplies",
        (180_000, 24),
        (true, false),
    ),
    o(
        "HM Revenue & Customs",
        Some("HM REVENUE AND CUSTOMS"),
        PublicBody,
        London,
        "Tax and National Insurance",
        (900_000, 12),
        (true, true),
    ),
    o(
        "NHS Pension Scheme",
        Some("NHS BUSINESS SERVICES AUTHORITY"),
        PublicBody,
        Region,
        "Pension Contributions",
        (650_000, 12),
        (true, false),
    ),
    o(
        "Birmingham City Council",
        Some("BIRMINGHAM CITY COUNCIL"),
        PublicBody,
        Region,
        "Business Rates",
        (120_000, 4),
        (true, false),
    ),
    o(
        "Meridian Health Systems Ltd",
        Some("MERIDIAN HEALTH SYSTEMS LIMITED"),
        LargeCompany,
        London,
        "Computer Software",
        (95_000, 10),
        (true, false),
    ),
    Org {
        branch: Some(Borough),
        ..o(
            "Fairfield Facilities Services Ltd",
            Some("FAIRFIELD FACILITIES SERVICES LIMITED"),
            LargeCompany,
            London,
            "Catering",
            (48_000, 24),
            (true, true),
        )
    },
    o(
        "Capital Catering Group Plc",
        Some("CAPITAL CATERING GROUP PLC"),
        LargeCompany,
        London,
        "Catering",
        (38_000, 14),
        (true, false),
    ),
    o(
        "Soho Road Kitchen CIC",
        Some("SOHO ROAD KITCHEN CIC"),
        SocialEnterprise,
        Aob,
        "Catering",
        (27_500, 10),
        (true, true),
    ),
    o(
        "Ladywood Comm. Kitchen",
        Some("LADYWOOD COMMUNITY KITCHEN CIC"),
        SocialEnterprise,
        Aob,
        "Catering",
        (26_000, 6),
        (true, false),
    ),
    o(
        "Cape Hill Cleaning Co-operative Ltd",
        Some("CAPE HILL CLEANING CO-OPERATIVE LIMITED"),
        SocialEnterprise,
        Aob,
        "Cleaning",
        (31_000, 12),
        (true, true),
    ),
    o(
        "Brightwell Cleaning Services Ltd",
        Some("BRIGHTWELL CLEANING SERVICES LIMITED"),
        LargeCompany,
        London,
        "Cleaning",
        (74_000, 12),
        (true, false),
    ),
    o(
        "Smethwick Builders Ltd",
        Some("SMETHWICK BUILDERS LIMITED"),
        Sme,
        Borough,
        "Building Works",
        (62_000, 8),
        (true, true),
    ),
    o(
        "Northway Construction Plc",
        Some("NORTHWAY CONSTRUCTION PLC"),
        LargeCompany,
        London,
        "Building Works",
        (410_000, 6),
        (true, false),
    ),
    o(
        "Black Country Electrical Contractors Ltd",
        Some("BLACK COUNTRY ELECTRICAL CONTRACTORS LIMITED"),
        Sme,
        Region,
        "Building Works",
        (33_000, 6),
        (true, true),
    ),
    o(
        "Winson Green Print Ltd",
        Some("WINSON GREEN PRINT LIMITED"),
        Sme,
        Aob,
        "Printing and Stationery",
        (25_800, 5),
        (true, true),
    ),
    o(
        "Midland Office Supplies Ltd",
        Some("MIDLAND OFFICE SUPPLIES LIMITED"),
        Sme,
        Region,
        "Printing and Stationery",
        (29_000, 8),
        (true, false),
    ),
    o(
        "Agency Nursing Partners Ltd",
        Some("AGENCY NURSING PARTNERS LIMITED"),
        LargeCompany,
        London,
        "Agency Nursing",
        (120_000, 12),
        (true, false),
    ),
    o(
        "Handsworth Community Transport",
        Some("HANDSWORTH COMMUNITY TRANSPORT"),
        Vcse,
        Aob,
        "Patient Transport",
        (28_000, 12),
        (true, true),
    ),
    o(
        "Swift Patient Transport Ltd",
        Some("SWIFT PATIENT TRANSPORT LIMITED"),
        LargeCompany,
        London,
        "Patient Transport",
        (86_000, 12),
        (true, false),
    ),
    o(
        "Sandwell Carers Centre",
        Some("SANDWELL CARERS CENTRE"),
        Vcse,
        Borough,
        "Grants to Voluntary Organisations",
        (4_500, 8),
        (false, true),
    ),
    o(
        "Lozells Youth Trust",
        Some("LOZELLS YOUTH TRUST"),
        Vcse,
        Aob,
        "Grants to Voluntary Organisations",
        (3_200, 6),
        (false, true),
    ),
    o(
        "Rood End Community Garden",
        None,
        Vcse,
        Aob,
        "Grants to Voluntary Organisations",
        (1_200, 4),
        (false, true),
    ),
    o(
        "Greenline Waste Ltd",
        Some("GREENLINE WASTE LIMITED"),
        LargeCompany,
        Region,
        "Waste Disposal",
        (45_000, 12),
        (true, true),
    ),
    o(
        "Tame Valley Security Ltd",
        None,
        Sme,
        Borough,
        "Security",
        (27_000, 12),
        (true, false),
    ),
    o(
        "Redacted personal data",
        None,
        Unknown,
        Aob,
        "Grants to Individuals",
        (750, 6),
        (false, true),
    ),
];

fn where_of(w: Where) -> usize {
    match w {
        Aob => 0,
        Borough => 1,
        Region => 2,
        London => 3,
    }
}

/// Real postcodes for each kind of place, from the loaded geography.
pub(crate) async fn postcodes(store: &Arc<dyn Store>) -> anyhow::Result<[Vec<String>; 4]> {
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller::system(p.id, "demo");
    let aob = area_of_benefit(store.as_ref(), &caller, None)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo area of benefit is missing"))?;
    let codes = codes(store.as_ref(), &caller, aob.id).await?;
    let mut out: [Vec<String>; 4] = Default::default();
    for point in postcode_points(store.as_ref(), &caller, "lsoa11").await? {
        if !point.live {
            continue;
        }
        let Some(area) = &point.area else { continue };
        let rec = if codes.contains(area) {
            0
        } else if point.postcode.starts_with("B66")
            || point.postcode.starts_with("B67")
            || point.postcode.starts_with("B70")
        {
            1
        } else if point.postcode.starts_with("WV") || point.postcode.starts_with("CV") {
            2
        } else {
            continue;
        };
        out[rec].push(point.postcode.clone());
    }
    // Head offices in the City of London, outside the shipped geography.
    out[3] = ["EC2V 7HH", "EC4M 7LS", "EC1A 4JA", "SE1 9SG"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for v in out.iter_mut() {
        v.sort();
        v.dedup();
    }
    Ok(out)
}

pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller::system(p.id, &actor.label);
    let trust = save_anchor(
        store.as_ref(),
        &caller,
        &AnchorInput {
            slug: "swbh".into(),
            name: "Sandwell and West Birmingham Hospitals NHS Trust".into(),
            kind: "nhs_trust".into(),
            official_code: "RXK".into(),
            local_authority_code: "E08000028".into(),
            sites: "Midland Metropolitan University Hospital, B66 2QT\nCity Hospital, B18 7QH"
                .into(),
            column_mapping: String::new(),
        },
    )
    .await?;
    let council = save_anchor(
        store.as_ref(),
        &caller,
        &AnchorInput {
            slug: "sandwell-council".into(),
            name: "Sandwell Metropolitan Borough Council".into(),
            kind: "council".into(),
            official_code: "E08000028".into(),
            local_authority_code: "E08000028".into(),
            sites: "Sandwell Council House, B69 3DE".into(),
            column_mapping: "reference=Trans No".into(),
        },
    )
    .await?;
    let settings = SpendSettings {
        // The West Midlands Combined Authority's seven boroughs.
        city_region: [
            "E08000025",
            "E08000026",
            "E08000027",
            "E08000028",
            "E08000029",
            "E08000030",
            "E08000031",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        site_radius_m: 3_000,
        ..SpendSettings::default()
    };
    save_spend_settings(store.as_ref(), &caller, &SpendSettingsInput::of(&settings)).await?;
    bar.inc(1);

    let places = postcodes(store).await?;
    let mut rng = Seeded::new(2024);
    let mut pick = |w: Where| -> String {
        let v = &places[where_of(w)];
        if v.is_empty() {
            "B66 2QT".into()
        } else {
            rng.pick(v).clone()
        }
    };
    let register: Vec<OrganisationInput> = ORGS
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let name = o.register?;
            let prefix = match o.kind {
                PublicBody => "GB-GOV-DEMO",
                Vcse => "GB-CHC-DEMO",
                _ => "GB-COH-DEMO",
            };
            Some(OrganisationInput {
                org_id: format!("{prefix}{:04}", i + 1),
                name: name.to_string(),
                kind: o.kind,
                company_number: None,
                postcode: Some(pick(o.at)),
                trading_postcode: o.branch.map(&mut pick),
                source: "useit demo register (invented organisations, real postcodes)".into(),
                details: Default::default(),
                location: None,
            })
        })
        .collect();
    // Postcodes in the register are display forms; make sure they parse.
    debug_assert!(register.iter().all(|r| {
        r.postcode
            .as_deref()
            .is_none_or(|p| Postcode::parse(p).is_ok())
    }));
    load_organisations(store.as_ref(), &caller, &register).await?;
    bar.inc(1);

    // A year of spend, April 2024 to March 2025: the trust publishes monthly
    // "expenditure over £25,000", the council quarterly "payments over £500".
    let mut rng = Seeded::new(7);
    let months: Vec<(i32, u8)> = (4..=12)
        .map(|m| (2024, m))
        .chain((1..=3).map(|m| (2025, m)))
        .collect();
    let mut trust_files: Vec<(String, String)> = Vec::new();
    let mut council_rows: Vec<Vec<String>> = Vec::new();
    for (mi, (y, m)) in months.iter().enumerate() {
        let mut csv = String::from(
            "Department Family,Entity,Date Paid,Expense Type,Expense Area,Supplier Name,Transaction Reference,Amount\r\n",
        );
        for (oi, org) in ORGS.iter().enumerate() {
            let per_month = org.per_year as f64 / 12.0;
            let n = per_month.floor() as u64
                + u64::from(rng.below(1000) < ((per_month.fract()) * 1000.0) as u64);
            for k in 0..n {
                // Between 60% and 160% of the typical payment, to the penny.
                let pence = org.typical * 100 * (60 + rng.below(100)) / 100 + rng.below(100);
                let day = 1 + rng.below(28) as u8;
                let date = format!("{day:02}/{m:02}/{y}");
                if org.trust && pence >= 2_500_000 {
                    csv.push_str(&format!(
                        "Department of Health,Sandwell and West Birmingham Hospitals NHS Trust,{date},{},{},{},{},\"{}\"\r\n",
                        org.category,
                        if oi % 2 == 0 { "Estates and Facilities" } else { "Clinical Support" },
                        org.ledger,
                        4_100_000 + mi * 1000 + oi * 10 + k as usize,
                        money(pence)
                    ));
                }
                if org.council && (!org.trust || k % 2 == 0) {
                    let council_pence = if org.trust { pence / 4 } else { pence };
                    if council_pence >= 50_000 {
                        council_rows.push(vec![
                            "Sandwell MBC".into(),
                            if org.kind == Vcse {
                                "Communities".into()
                            } else {
                                "Neighbourhoods".into()
                            },
                            org.category.into(),
                            date.clone(),
                            format!("{} - {}", 880_000 + mi * 100 + oi, k + 1),
                            format!("{}", money(council_pence).replace(',', "")),
                            org.ledger.to_uppercase(),
                        ]);
                    }
                }
            }
        }
        // A credit note now and then, as real ledgers have.
        if mi % 4 == 1 {
            csv.push_str(&format!(
                "Department of Health,Sandwell and West Birmingham Hospitals NHS Trust,28/{m:02}/{y},Catering,Estates and Facilities,Capital Catering Group Plc,{},\"-{}\"\r\n",
                4_200_000 + mi,
                money(2_650_000 + rng.below(100_000))
            ));
        }
        trust_files.push((format!("SWBH {:02} - {y}-{m:02}.csv", mi + 1), csv));
    }
    for (name, csv) in &trust_files {
        import(store, &caller, &trust.slug, name, csv.as_bytes()).await?;
    }
    for (q, label) in [
        "apr-jun-2024",
        "jul-sep-2024",
        "oct-dec-2024",
        "jan-mar-2025",
    ]
    .iter()
    .enumerate()
    {
        let mut csv = String::from(
            "Body Name,Service Area,Expenditure Category,Paid Date,Trans No,Amount,Supplier Name\r\n",
        );
        for r in council_rows.iter().filter(|r| {
            let month: u32 = r[3][3..5].parse().unwrap_or(1);
            let quarter = match month {
                4..=6 => 0,
                7..=9 => 1,
                10..=12 => 2,
                _ => 3,
            };
            quarter == q
        }) {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(r)?;
            csv.push_str(&String::from_utf8(w.into_inner()?)?.replace('\n', "\r\n"));
        }
        import(
            store,
            &caller,
            &council.slug,
            &format!("payments-over-500-{label}.csv"),
            csv.as_bytes(),
        )
        .await?;
    }
    bar.inc(1);
    Ok(())
}

fn money(pence: u64) -> String {
    useit_core::money::format_pence(pence as i64)
        .trim_start_matches('£')
        .to_string()
}

async fn import(
    store: &Arc<dyn Store>,
    caller: &Caller,
    anchor: &str,
    name: &str,
    bytes: &[u8],
) -> anyhow::Result<()> {
    let upload = SpendUpload {
        anchor,
        file_name: name,
        bytes,
        options: ImportOptions::default(),
    };
    match import_spend_file(store.as_ref(), caller, upload, &|_| {}).await {
        Ok(_) => Ok(()),
        Err(useit_app::Error::Rejected(report)) => {
            Err(anyhow::anyhow!("demo spend file rejected:\n{report}"))
        }
        Err(e) => Err(e.into()),
    }
}
