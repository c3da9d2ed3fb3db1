//! A small real sample of the shipped West Midlands geography, for tests
//! that need places but not the whole region: the small areas of two wards
//! either side of the new hospital (Soho and Victoria in Sandwell, Soho &
//! Jewellery Quarter in Birmingham), with their IoD2019 ranks, boundaries,
//! postcodes and names. Parsed once per test process.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use useit_core::csv_import::Report;
use useit_core::place::load::{LoadSpec, ReferenceLoad, prepare, preset, read_text};

/// The wards the sample covers.
pub const WARDS: [&str; 2] = ["E05001278", "E05011168"];

fn data(path: &str) -> String {
    let p = format!("{}/../../data/{path}", env!("CARGO_MANIFEST_DIR"));
    read_text(
        &p,
        &std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}")),
    )
    .unwrap()
}

/// Reads a shipped file through its preset.
pub fn prepared(preset_name: &str, path: &str) -> ReferenceLoad {
    let mut report = Report::new(path);
    let load = prepare(
        &LoadSpec::from(preset(preset_name).unwrap()),
        &data(path),
        &mut report,
    );
    assert!(!report.has_errors(), "{report}");
    load
}

static SAMPLE: LazyLock<Vec<ReferenceLoad>> = LazyLock::new(|| {
    let mut wards = prepared(
        "lsoa11-wards",
        "place/lsoa11_ward19_west_midlands_ca.csv.gz",
    );
    wards
        .areas
        .retain(|a| a.ward_code.as_deref().is_some_and(|w| WARDS.contains(&w)));
    let codes: BTreeSet<String> = wards.areas.iter().map(|a| a.code.clone()).collect();
    let mut iod = prepared("iod2019", "place/iod2019_lsoa11_west_midlands_ca.csv.gz");
    iod.areas.retain(|a| codes.contains(&a.code));
    iod.deprivation.retain(|d| codes.contains(&d.area_code));
    let mut bounds = prepared(
        "lsoa11-boundaries",
        "place/lsoa11_bsc_west_midlands_ca.geojson.gz",
    );
    bounds.boundaries.retain(|b| codes.contains(&b.code));
    let mut postcodes = prepared(
        "ons-postcodes",
        "place/postcodes_b_ws_wv_dy_cv_lsoa11.csv.gz",
    );
    postcodes
        .postcodes
        .retain(|p| p.area_in("lsoa11").is_some_and(|a| codes.contains(a)));
    let mut ward_names = prepared(
        "codepoint-wards",
        "place/wards_codepoint2025_birmingham_sandwell.csv.gz",
    );
    ward_names
        .names
        .retain(|n| WARDS.contains(&n.code.as_str()));
    let mut la_names = prepared("lad-names", "place/lad_codes_names_2016_2024.csv.gz");
    la_names
        .names
        .retain(|n| n.code == "E08000025" || n.code == "E08000028");
    vec![la_names, ward_names, wards, iod, bounds, postcodes]
});

/// The sample, in load order.
pub fn sample() -> &'static [ReferenceLoad] {
    &SAMPLE
}
