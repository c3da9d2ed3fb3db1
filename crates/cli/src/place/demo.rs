//! The demo's geography: the West Midlands reference files that ship in
//! `data/place/`, and each demo programme's area of benefit.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::Caller;
use useit_app::place::area_of_benefit::save_area_of_benefit;
use useit_app::place::reference::{ReferenceFile, load_reference as load_file};
use useit_core::audit::Actor;
use useit_core::place::input::{RadiusInput, SelectionInput};
use useit_core::place::load::{LoadSpec, preset, read_text};
use useit_store::Store;

/// (preset, file name, bytes), in load order: areas before what refers to them.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "lad-names",
        "lad_codes_names_2016_2024.csv.gz",
        include_bytes!("../../../../data/place/lad_codes_names_2016_2024.csv.gz"),
    ),
    (
        "codepoint-wards",
        "wards_codepoint2025_birmingham_sandwell.csv.gz",
        include_bytes!("../../../../data/place/wards_codepoint2025_birmingham_sandwell.csv.gz"),
    ),
    (
        "lsoa11-wards",
        "lsoa11_ward19_west_midlands_ca.csv.gz",
        include_bytes!("../../../../data/place/lsoa11_ward19_west_midlands_ca.csv.gz"),
    ),
    (
        "iod2019",
        "iod2019_lsoa11_west_midlands_ca.csv.gz",
        include_bytes!("../../../../data/place/iod2019_lsoa11_west_midlands_ca.csv.gz"),
    ),
    (
        "iod2025",
        "iod2025_lsoa21_west_midlands_ca.csv.gz",
        include_bytes!("../../../../data/place/iod2025_lsoa21_west_midlands_ca.csv.gz"),
    ),
    (
        "lsoa11-boundaries",
        "lsoa11_bsc_west_midlands_ca.geojson.gz",
        include_bytes!("../../../../data/place/lsoa11_bsc_west_midlands_ca.geojson.gz"),
    ),
    (
        "ons-postcodes",
        "postcodes_b_ws_wv_dy_cv_lsoa11.csv.gz",
        include_bytes!("../../../../data/place/postcodes_b_ws_wv_dy_cv_lsoa11.csv.gz"),
    ),
];

/// Progress steps: one per file and one for the areas of benefit.
pub const STEPS: u64 = FILES.len() as u64 + 1;

pub async fn load_reference(
    store: &Arc<dyn Store>,
    actor: &Actor,
    bar: &ProgressBar,
) -> anyhow::Result<()> {
    for (name, file, bytes) in FILES {
        let text = read_text(file, bytes)?;
        let spec = LoadSpec::from(preset(name).expect("a shipped preset"));
        let f = ReferenceFile {
            name: file,
            text: &text,
            spec: &spec,
        };
        match load_file(store.as_ref(), actor, f, &|_| {}).await {
            Err(useit_app::Error::Rejected(report)) => anyhow::bail!("{report}"),
            other => other?,
        };
        bar.inc(1);
    }
    Ok(())
}

/// An area of benefit as the demo's programme boards chose it.
struct Choice {
    wards: &'static [&'static str],
    sites: &'static [(&'static str, f64)],
    deciles: &'static [u8],
    note: &'static str,
}

/// Saves a choice through the editor's own checks, so the demo's areas of
/// benefit are ones a person could have saved.
async fn save(
    store: &Arc<dyn Store>,
    programme: &str,
    c: &Choice,
    actor: &Actor,
) -> anyhow::Result<()> {
    let p = crate::demo::programme(store, programme).await?;
    let input = SelectionInput {
        index: "imd2019".into(),
        wards: c.wards.iter().map(|w| w.to_string()).collect(),
        radii: c
            .sites
            .iter()
            .map(|(pc, km)| RadiusInput {
                postcode: pc.to_string(),
                km: km.to_string(),
                ..Default::default()
            })
            .collect(),
        deciles: c.deciles.to_vec(),
        note: c.note.into(),
        ..Default::default()
    };
    // The demo's own actor, so its versions say "by system:demo".
    let caller = Caller {
        actor: actor.clone(),
        ..Caller::system(p.id, "demo")
    };
    save_area_of_benefit(store.as_ref(), &caller, &input).await?;
    Ok(())
}

/// Two versions for West Birmingham & Smethwick (a first draft, then the
/// board's decision) and one for East Birmingham.
pub async fn areas_of_benefit(
    store: &Arc<dyn Store>,
    actor: &Actor,
    bar: &ProgressBar,
) -> anyhow::Result<()> {
    let draft = Choice {
        wards: &[],
        sites: &[("B66 2QT", 3.0)],
        deciles: &[],
        note: "First draft: everyone within 3 km of the new hospital",
    };
    let decided = Choice {
        wards: &[
            // Sandwell: Abbey, St Pauls, Smethwick, Soho and Victoria.
            "E05001260",
            "E05001276",
            "E05001277",
            "E05001278",
            // Birmingham: Soho & Jewellery Quarter, North Edgbaston, Ladywood, Handsworth, Holyhead, Lozells.
            "E05011168",
            "E05011157",
            "E05011151",
            "E05011142",
            "E05011147",
            "E05011153",
        ],
        sites: &[("B66 2QT", 2.0)],
        deciles: &[1, 2],
        note: "Board decision: the most deprived 20% in the hospital's wards and within 2 km of it",
    };
    let east = Choice {
        // Alum Rock, Bordesley Green, Heartlands, Ward End, Bromford & Hodge Hill, Small Heath.
        wards: &[
            "E05011120",
            "E05011127",
            "E05011145",
            "E05011183",
            "E05011131",
            "E05011167",
        ],
        sites: &[("B9 5SS", 2.0)],
        deciles: &[1, 2],
        note: "The most deprived 20% of east Birmingham's inner wards and around Heartlands Hospital",
    };
    save(store, crate::demo::PROGRAMME, &draft, actor).await?;
    save(store, crate::demo::PROGRAMME, &decided, actor).await?;
    save(store, "east-birmingham", &east, actor).await?;
    bar.inc(1);
    Ok(())
}
