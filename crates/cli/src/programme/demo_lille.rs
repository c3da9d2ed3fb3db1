//! The demo's third city and its first outside the UK: Lille, started from
//! files alone through the application layer, as Glasgow is. Its geography
//! is INSEE's Filosofi 2019 income file by IRIS (ranked here by the share
//! of people below 60 % of the median income) and the IGN IRIS boundaries
//! of Lille; its programme is started from West Birmingham & Smethwick's
//! model on Lille's own most deprived fifth, and shows money in euros and
//! its pages in French. France has no postcode-to-IRIS table, so its
//! suppliers are placed by their coordinates: the IRIS polygon around them.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::Caller;
use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::register::load_organisations;
use useit_app::auth::Operator;
use useit_app::programme::model::{NewFromModel, create_from_model};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::register::OrganisationInput;
use useit_core::audit::Actor;
use useit_core::place::Location;
use useit_core::place::input::RadiusInput;
use useit_core::programme::model::Geography;
use useit_core::programme::{ProgrammeInput, ProgrammeLocaleInput};
use useit_store::Store;

pub const PROGRAMME: &str = "lille";

/// Lille's INSEE commune code: the IRIS of the area of benefit are Lille's.
pub const COMMUNE: &str = "59350";

/// (preset, file name, bytes), in load order: the income file makes the
/// areas and their ranks, the boundaries give them shapes.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "filosofi2019-iris",
        "BASE_TD_FILO_DEC_IRIS_2019.csv.gz",
        include_bytes!("../../../../data/place/lille/BASE_TD_FILO_DEC_IRIS_2019.csv.gz"),
    ),
    (
        "iris-boundaries",
        "iris_lille_59350.geojson.gz",
        include_bytes!("../../../../data/place/lille/iris_lille_59350.geojson.gz"),
    ),
];

/// Progress steps: one per file, the programme, and its anchor and spend.
pub const STEPS: u64 = FILES.len() as u64 + 2;

/// Invented suppliers at real places in Lille (IRIS, national decile of
/// the low-income rate), and one beyond the loaded boundaries.
pub const SUPPLIERS: &[(&str, SupplierKind, f64, f64)] = &[
    // Croisette A, Lille-Sud, decile 1.
    (
        "REGIE DE QUARTIER LILLE SUD",
        SupplierKind::SocialEnterprise,
        50.60384,
        3.05292,
    ),
    // Seclin, Moulins, decile 1.
    (
        "TRAITEUR DES MOULINS SARL",
        SupplierKind::Sme,
        50.61888,
        3.06295,
    ),
    // Entrée Lille Fives, decile 1.
    (
        "BLANCHISSERIE DE FIVES SAS",
        SupplierKind::Sme,
        50.6321,
        3.08714,
    ),
    // Sarrazins, Wazemmes, decile 1.
    (
        "ATELIERS DE WAZEMMES",
        SupplierKind::Vcse,
        50.62368,
        3.04773,
    ),
    // Faubourg des Postes A, decile 2, beside the hospital.
    (
        "FOURNITURES MEDICALES DU FAUBOURG SAS",
        SupplierKind::Sme,
        50.61211,
        3.0435,
    ),
    // Faubourg de Douai, decile 3.
    (
        "IMPRIMERIE DE DOUAI SARL",
        SupplierKind::Sme,
        50.61073,
        3.0704,
    ),
    // Vieux Lille 1, decile 9.
    (
        "CONSEIL VIEUX LILLE SAS",
        SupplierKind::Sme,
        50.64878,
        3.05393,
    ),
    // Buisson, decile 10.
    (
        "GROUPE IMMOBILIER DU BUISSON SA",
        SupplierKind::LargeCompany,
        50.65329,
        3.08714,
    ),
    // Roubaix: outside Lille's boundaries, so its IRIS is not known.
    (
        "TRANSPORTS ROUBAISIENS SAS",
        SupplierKind::Sme,
        50.6942,
        3.1746,
    ),
];

pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    super::demo_glasgow::load_shipped(store, actor, bar, FILES).await?;
    let model = super::demo_glasgow::first_programmes_model(store, actor).await?;
    let input = ProgrammeInput {
        slug: PROGRAMME.into(),
        name: "Lille".into(),
        description: "Lancé à partir du modèle de West Birmingham & Smethwick sur les IRIS \
            de Lille : le cinquième le plus défavorisé selon le taux de bas revenus \
            (Filosofi 2019)."
            .into(),
        administrator_email: crate::demo::USERS[0].email.into(),
    };
    let geography = Geography {
        index: "filosofi2019".into(),
        local_authorities: vec![COMMUNE.into()],
        // CHU de Lille, by position: France has no postcode look-up.
        sites: vec![RadiusInput {
            lat: Some(50.6099),
            lon: Some(3.03493),
            ..Default::default()
        }],
        note: "Déciles 1–2 du taux de bas revenus à Lille, comme le modèle".into(),
    };
    let file = model.to_file();
    let operator = Operator::system("demo");
    let p = create_from_model(
        store.as_ref(),
        &operator,
        &NewFromModel {
            programme: &input,
            model: file.as_bytes(),
            geography: &geography,
            // The model is Birmingham's (pounds, English): Lille chooses
            // euros and French as it starts.
            locale: Some(&ProgrammeLocaleInput {
                currency: "EUR".into(),
                language: "fr".into(),
            }),
        },
    )
    .await?;
    bar.inc(1);

    let caller = Caller::system(p.id, &actor.label);
    let anchor = save_anchor(
        store.as_ref(),
        &caller,
        &AnchorInput {
            slug: "chu-lille".into(),
            name: "CHU de Lille".into(),
            kind: "other".into(),
            official_code: String::new(),
            local_authority_code: COMMUNE.into(),
            sites: String::new(),
            column_mapping: String::new(),
        },
    )
    .await?;
    let register: Vec<OrganisationInput> = SUPPLIERS
        .iter()
        .enumerate()
        .map(|(i, (name, kind, lat, lon))| OrganisationInput {
            org_id: format!("FR-RCS-DEMOLI{:03}", i + 1),
            name: name.to_string(),
            kind: *kind,
            company_number: None,
            postcode: None,
            trading_postcode: None,
            source: "useit demo register (invented organisations, real places)".into(),
            details: Default::default(),
            location: Location::new(*lat, *lon),
        })
        .collect();
    load_organisations(store.as_ref(), &caller, &register).await?;
    // A quarter of payments, April to June 2026, in euros.
    let mut file = String::from("Date,Supplier,Amount,Expense Type\n");
    let mut rng = crate::demo::Seeded::new(59350);
    for month in 4..=6 {
        for (name, _, _, _) in SUPPLIERS {
            let euros = 25_000 + rng.below(90_000);
            let day = 1 + rng.below(27);
            file.push_str(&format!(
                "{day:02}/{month:02}/2026,{},{euros}.00,Biens et services\n",
                crate::programme::demo_glasgow::title_case(name)
            ));
        }
    }
    super::demo_glasgow::import_demo_spend(
        store,
        &caller,
        &anchor.slug,
        "chu-lille-2026-t2.csv",
        &file,
    )
    .await?;
    bar.inc(1);
    Ok(())
}
