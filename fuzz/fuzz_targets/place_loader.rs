//! The place loader on any file, read as each preset reads its reference
//! file (areas, deprivation indices, boundaries, postcodes, names), the
//! preset chosen by the first byte; a gzip file is unpacked first.

#![no_main]

use libfuzzer_sys::fuzz_target;
use useit_core::csv_import::Report;
use useit_core::place::deprivation::RankOrder;
use useit_core::place::load::{self, Kind, LoadSpec};

mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let presets = load::presets();
    let preset = presets[choice as usize % presets.len()].clone();
    let kind = preset.kind;
    let mut spec = LoadSpec::from(preset);
    if choice & 0x80 != 0 {
        spec.order = RankOrder::LeastDeprivedFirst;
    }
    let Ok(text) = load::read_text("reference.csv", bytes) else {
        return;
    };
    let mut report = Report::new("reference.csv");
    let loaded = load::prepare(&spec, &text, &mut report);
    let mut lines = common::line_count(&text);
    if kind == Kind::Boundaries {
        // Features have no lines: their problems name the feature, from 1.
        let features = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("features")?.as_array().map(|a| a.len() as u64));
        lines = lines.max(features.unwrap_or(0));
    }
    common::check_report(&report, lines);
    for d in &loaded.deprivation {
        assert!((1..=10).contains(&d.decile), "{d:?}");
        assert!(d.domains.iter().all(|r| (1..=10).contains(&r.decile)));
    }
    for p in &loaded.postcodes {
        assert!(useit_core::place::postcode::Postcode::parse(&p.postcode).is_ok());
    }
    for b in &loaded.boundaries {
        assert!(serde_json::from_str::<serde_json::Value>(&b.geometry).is_ok());
    }
    assert_eq!(
        loaded.rows(),
        (loaded.areas.len()
            + loaded.boundaries.len()
            + loaded.deprivation.len()
            + loaded.postcodes.len()
            + loaded.names.len()) as u64
    );
});
