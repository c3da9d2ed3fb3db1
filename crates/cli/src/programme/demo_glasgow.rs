//! The demo's second city: Glasgow, started from files alone through the
//! application layer, as any city would start. Its geography is loaded
//! from the shipped files (data zones, SIMD 2020v2, postcodes) with the
//! Scottish presets; its programme is started from the model of West
//! Birmingham & Smethwick, laid on Glasgow's own most deprived fifth; then
//! an anchor, a small register of invented suppliers at real Glasgow
//! postcodes and a quarter of spend give it local shares of its own.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::Caller;
use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::register::load_organisations;
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_app::auth::Operator;
use useit_app::place::reference::{ReferenceFile, load_reference};
use useit_app::programme::model::{NewFromModel, create_from_model, export_model};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::import::ImportOptions;
use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::register::OrganisationInput;
use useit_core::audit::Actor;
use useit_core::place::input::RadiusInput;
use useit_core::place::load::{LoadSpec, preset, read_text};
use useit_core::programme::ProgrammeInput;
use useit_core::programme::model::Geography;
use useit_store::Store;

pub const PROGRAMME: &str = "glasgow";

/// (preset, file name, bytes), in load order.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "simd2020",
        "simd2020v2_glasgow.csv.gz",
        include_bytes!("../../../../data/place/glasgow/simd2020v2_glasgow.csv.gz"),
    ),
    (
        "dz11-boundaries",
        "glasgow_datazones_2011.geojson.gz",
        include_bytes!("../../../../data/place/glasgow/glasgow_datazones_2011.geojson.gz"),
    ),
    (
        "ons-postcodes-scotland",
        "postcodes_glasgow_datazone2011.csv.gz",
        include_bytes!("../../../../data/place/glasgow/postcodes_glasgow_datazone2011.csv.gz"),
    ),
];

/// Progress steps: one per file, the programme, and its anchor and spend.
pub const STEPS: u64 = FILES.len() as u64 + 2;

/// Invented suppliers at real Glasgow postcodes (data zone, SIMD decile).
const SUPPLIERS: &[(&str, SupplierKind, &str)] = &[
    // Braidfauld, decile 1.
    (
        "SHETTLESTON COMMUNITY CATERING CIC",
        SupplierKind::SocialEnterprise,
        "G32 8PP",
    ),
    // Craigend and Ruchazie, decile 1.
    ("RUCHAZIE FACILITIES LIMITED", SupplierKind::Sme, "G33 5QG"),
    // Sighthill, decile 1.
    (
        "SIGHTHILL LAUNDRY SERVICES LIMITED",
        SupplierKind::Sme,
        "G21 2QQ",
    ),
    // Castlemilk, decile 2.
    ("CASTLEMILK GREENSPACE TRUST", SupplierKind::Vcse, "G45 9AQ"),
    // Drumoyne and Shieldhall, decile 2, beside the hospital.
    (
        "SHIELDHALL MEDICAL SUPPLIES LIMITED",
        SupplierKind::Sme,
        "G51 4TW",
    ),
    // Maryhill West, decile 3.
    ("MARYHILL PRINT WORKS LIMITED", SupplierKind::Sme, "G20 0LR"),
    // Kelvindale, decile 7.
    (
        "KELVINDALE CONSULTING LIMITED",
        SupplierKind::Sme,
        "G12 0JG",
    ),
    // Kelvinside and Jordanhill, decile 10.
    (
        "JORDANHILL ESTATES LIMITED",
        SupplierKind::LargeCompany,
        "G13 1NU",
    ),
];

/// Loads a city's shipped reference files (preset, file name, bytes)
/// through the app layer, as `useit place load` would: each demo city
/// starts from files alone.
pub(super) async fn load_shipped(
    store: &Arc<dyn Store>,
    actor: &Actor,
    bar: &ProgressBar,
    files: &[(&str, &str, &[u8])],
) -> anyhow::Result<()> {
    for (name, file, bytes) in files {
        let text = read_text(file, bytes)?;
        let spec = LoadSpec::from(preset(name).expect("a shipped preset"));
        let f = ReferenceFile {
            name: file,
            text: &text,
            spec: &spec,
        };
        match load_reference(store.as_ref(), actor, f, &|_| {}).await {
            Err(useit_app::Error::Rejected(report)) => anyhow::bail!("{report}"),
            other => other?,
        };
        bar.inc(1);
    }
    Ok(())
}

/// The model of the demo's first programme, as its settings page downloads
/// it: what each demo city starts from.
pub(super) async fn first_programmes_model(
    store: &Arc<dyn Store>,
    actor: &Actor,
) -> anyhow::Result<useit_core::programme::model::ProgrammeModel> {
    let birmingham = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    Ok(export_model(store.as_ref(), &Caller::system(birmingham.id, &actor.label)).await?)
}

pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    load_shipped(store, actor, bar, FILES).await?;
    let model = first_programmes_model(store, actor).await?;
    let input = ProgrammeInput {
        slug: PROGRAMME.into(),
        name: "Glasgow".into(),
        description: "Started from West Birmingham & Smethwick's model on Glasgow's own \
            data zones: the most deprived fifth of Glasgow City by SIMD 2020v2."
            .into(),
        administrator_email: crate::demo::USERS[0].email.into(),
    };
    let geography = Geography {
        index: "simd2020".into(),
        local_authorities: vec!["S12000049".into()],
        sites: vec![RadiusInput {
            postcode: "G51 4TF".into(),
            ..Default::default()
        }],
        note: "Deciles 1–2 of SIMD 2020v2 in Glasgow City, as the model's".into(),
    };
    let file = model.to_file();
    let p = create_from_model(
        store.as_ref(),
        &Operator::system("demo"),
        &NewFromModel {
            programme: &input,
            model: file.as_bytes(),
            geography: &geography,
            locale: None,
        },
    )
    .await?;
    bar.inc(1);

    let caller = Caller::system(p.id, &actor.label);
    let anchor = save_anchor(
        store.as_ref(),
        &caller,
        &AnchorInput {
            slug: "nhs-ggc".into(),
            name: "NHS Greater Glasgow and Clyde".into(),
            kind: "nhs_trust".into(),
            official_code: "S08000031".into(),
            local_authority_code: "S12000049".into(),
            sites: "Queen Elizabeth University Hospital, G51 4TF".into(),
            column_mapping: String::new(),
        },
    )
    .await?;
    let register: Vec<OrganisationInput> = SUPPLIERS
        .iter()
        .enumerate()
        .map(|(i, (name, kind, postcode))| OrganisationInput {
            org_id: format!("GB-COH-DEMOSC{:03}", i + 1),
            name: name.to_string(),
            kind: *kind,
            company_number: None,
            postcode: Some(postcode.to_string()),
            trading_postcode: None,
            source: "useit demo register (invented organisations, real postcodes)".into(),
            details: Default::default(),
            location: None,
        })
        .collect();
    load_organisations(store.as_ref(), &caller, &register).await?;
    // A quarter of "expenditure over £25,000", April to June 2026.
    let mut file = String::from("Date,Supplier,Amount,Expense Type\n");
    let mut rng = crate::demo::Seeded::new(2026);
    for month in 4..=6 {
        for (name, _, _) in SUPPLIERS {
            let pounds = 25_000 + rng.below(90_000);
            let day = 1 + rng.below(27);
            file.push_str(&format!(
                "{day:02}/{month:02}/2026,{},{pounds}.00,Goods and services\n",
                title_case(name)
            ));
        }
    }
    import_demo_spend(store, &caller, &anchor.slug, "nhs-ggc-2026-q1.csv", &file).await?;
    bar.inc(1);
    Ok(())
}

/// Imports a demo city's spend file through the app layer, as an upload
/// would; a refused file stops the demo with the import's report.
pub(super) async fn import_demo_spend(
    store: &Arc<dyn Store>,
    caller: &Caller,
    anchor: &str,
    file_name: &str,
    file: &str,
) -> anyhow::Result<()> {
    let upload = SpendUpload {
        anchor,
        file_name,
        bytes: file.as_bytes(),
        options: ImportOptions::default(),
    };
    match import_spend_file(store.as_ref(), caller, upload, &|_| {}).await {
        Ok(_) => Ok(()),
        Err(useit_app::Error::Rejected(report)) => {
            anyhow::bail!("demo spend file rejected:\n{report}")
        }
        Err(e) => Err(e.into()),
    }
}

/// How a finance system prints a registered name: `Castlemilk Greenspace Trust`.
pub(crate) fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_string() + &c.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
