//! Place stories on SQLite and PostgreSQL, with the real open data shipped in
//! `data/`: deciles follow the published formula, real postcodes resolve to
//! their published LSOA and decile, a Scottish index loads through the same
//! generic path, and areas of benefit are versioned per programme.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use useit_core::audit::Actor;
use useit_core::csv_import::Report;
use useit_core::listing::PageRequest;
use useit_core::place::areas::AreaQuery;
use useit_core::place::deprivation::{DeprivationIndex, RankOrder, decile};
use useit_core::place::load::{
    ColumnMap, Kind, LoadSpec, ReferenceLoad, prepare, preset, read_text,
};
use useit_core::place::selection::{AreaSelection, Radius};
use useit_core::programme::NewProgramme;
use useit_store::Store;
use useit_testkit::story;

fn data(path: &str) -> String {
    let p = format!("{}/../../data/{path}", env!("CARGO_MANIFEST_DIR"));
    read_text(
        &p,
        &std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}")),
    )
    .unwrap()
}

fn prepared(preset_name: &str, path: &str) -> ReferenceLoad {
    let mut report = Report::new(path);
    let load = prepare(
        &LoadSpec::from(preset(preset_name).unwrap()),
        &data(path),
        &mut report,
    );
    assert!(!report.has_errors(), "{report}");
    load
}

async fn load(store: &Arc<dyn Store>, l: &ReferenceLoad) {
    store
        .load_reference(l, &|_| {}, &Actor::system("test"))
        .await
        .unwrap();
}

/// The published (MHCLG File 1, ONS lookup) LSOA and IMD 2019 decile of
/// postcodes across the West Midlands, read from the raw files by hand.
const PUBLISHED: &[(&str, &str, u8)] = &[
    ("B18 7QH", "E01009345", 1),
    ("B66 2QT", "E01010063", 1),
    ("B1 1BB", "E01033620", 3),
    ("B69 3DE", "E01010017", 1),
    ("B15 2TT", "E01033631", 7),
    ("B4 7XG", "E01033561", 3),
    ("B21 9ST", "E01009359", 1),
    ("WS1 1TP", "E01010368", 1),
    ("CV1 5FB", "E01009635", 4),
    ("DY1 1HF", "E01009881", 1),
    ("B91 3QB", "E01010198", 10),
    ("WV1 1RG", "E01010521", 2),
];

story!(
    deciles_follow_the_published_formula_for_every_area,
    |store: Arc<dyn Store>| async move {
        let iod = prepared("iod2019", "place/iod2019_lsoa11_west_midlands_ca.csv.gz");
        load(&store, &iod).await;
        load(
            &store,
            &prepared(
                "lsoa11-wards",
                "place/lsoa11_ward19_west_midlands_ca.csv.gz",
            ),
        )
        .await;
        // The published deciles, read straight from the file.
        let text = data("place/iod2019_lsoa11_west_midlands_ca.csv.gz");
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let h = rdr.headers().unwrap().clone();
        let (ci, cr, cd) = (
            h.iter().position(|x| x == "lsoa11cd").unwrap(),
            h.iter().position(|x| x == "imd_rank").unwrap(),
            h.iter().position(|x| x == "imd_decile").unwrap(),
        );
        let published: HashMap<String, (i64, u8)> = rdr
            .records()
            .map(|r| {
                let r = r.unwrap();
                (
                    r[ci].to_string(),
                    (r[cr].parse().unwrap(), r[cd].parse().unwrap()),
                )
            })
            .collect();
        assert_eq!(published.len(), 1680);
        let facts = store.area_facts("lsoa11", Some("imd2019")).await.unwrap();
        assert_eq!(facts.len(), 1680);
        for f in &facts {
            let d = store
                .area_deprivation("imd2019", &f.code)
                .await
                .unwrap()
                .unwrap();
            let (rank, dec) = published[&f.code];
            assert_eq!(d.rank, rank, "{}", f.code);
            assert_eq!(
                d.decile as i64,
                (10 * rank + 32_844 - 1) / 32_844,
                "ceil(10 rank / 32,844) for {}",
                f.code
            );
            assert_eq!(d.decile, dec, "the published decile of {}", f.code);
            assert_eq!(f.decile, Some(dec));
        }
        let a = store.area("lsoa11", "E01009345").await.unwrap().unwrap();
        assert_eq!(
            (
                a.name.as_str(),
                a.local_authority_name.as_deref(),
                a.ward_name.as_deref()
            ),
            (
                "Birmingham 053D",
                Some("Birmingham"),
                Some("Soho & Jewellery Quarter")
            )
        );
        assert_eq!(
            a.population,
            Some(1_996),
            "File 6: total population mid-2015, excluding prisoners"
        );
        let d = store
            .area_deprivation("imd2019", "E01009345")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            d.domains.len(),
            9,
            "seven domains and the two supplementary indices"
        );

        // Loading the same files again changes nothing.
        let before = store
            .list_areas(
                &AreaQuery {
                    scheme: "lsoa11".into(),
                    index: Some("imd2019".into()),
                    deciles: vec![1],
                    ..Default::default()
                },
                PageRequest::all(),
            )
            .await
            .unwrap();
        load(&store, &iod).await;
        let after = store
            .list_areas(
                &AreaQuery {
                    scheme: "lsoa11".into(),
                    index: Some("imd2019".into()),
                    deciles: vec![1],
                    ..Default::default()
                },
                PageRequest::all(),
            )
            .await
            .unwrap();
        assert_eq!(before, after);
        assert_eq!(
            store
                .area_facts("lsoa11", Some("imd2019"))
                .await
                .unwrap()
                .len(),
            1680
        );
    }
);

story!(
    real_postcodes_resolve_to_their_published_area_and_decile,
    |store: Arc<dyn Store>| async move {
        load(
            &store,
            &prepared("iod2019", "place/iod2019_lsoa11_west_midlands_ca.csv.gz"),
        )
        .await;
        let mut postcodes = prepared(
            "ons-postcodes",
            "place/postcodes_b_ws_wv_dy_cv_lsoa11.csv.gz",
        );
        assert_eq!(postcodes.postcodes.len(), 135_550);
        let wanted: BTreeSet<&str> = PUBLISHED
            .iter()
            .map(|p| p.0)
            .chain(["B16 8SL", "B70 8DU"])
            .collect();
        postcodes
            .postcodes
            .retain(|p| wanted.contains(p.postcode.as_str()));
        load(&store, &postcodes).await;
        for (pc, lsoa, dec) in PUBLISHED {
            let rec = store
                .postcode(&pc.replace(' ', ""))
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("{pc} not found"));
            assert_eq!(rec.area_in("lsoa11"), Some(*lsoa), "{pc}");
            assert!(rec.is_live(), "{pc} is live");
            let d = store
                .area_deprivation("imd2019", lsoa)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(d.decile, *dec, "{pc} is in decile {dec}");
        }
        for pc in ["B16 8SL", "B70 8DU"] {
            let rec = store.postcode(&pc.replace(' ', "")).await.unwrap().unwrap();
            assert!(!rec.is_live(), "{pc} was terminated");
        }
        let many = store
            .postcodes(&["B187QH".into(), "WV11RG".into(), "ZZ99ZZ".into()])
            .await
            .unwrap();
        assert_eq!(many.len(), 2);
        assert_eq!(store.postcode_points("lsoa11").await.unwrap().len(), 14);
    }
);

story!(
    a_scottish_index_loads_through_the_generic_path,
    |store: Arc<dyn Store>| async move {
        load(
            &store,
            &prepared("simd2020", "test/glasgow/simd2020v2_glasgow.csv.gz"),
        )
        .await;
        load(
            &store,
            &prepared(
                "dz11-boundaries",
                "test/glasgow/glasgow_datazones_2011.geojson.gz",
            ),
        )
        .await;
        load(
            &store,
            &prepared(
                "ons-postcodes-scotland",
                "test/glasgow/postcodes_glasgow_sample.csv.gz",
            ),
        )
        .await;
        let facts = store.area_facts("dz11", Some("simd2020")).await.unwrap();
        assert_eq!(facts.len(), 746);
        assert_eq!(
            facts.iter().filter(|f| f.decile == Some(1)).count(),
            227,
            "30.4% of Glasgow's data zones are in decile 1"
        );
        let with_shapes = store
            .boundaries("dz11", Some("simd2020"), &[])
            .await
            .unwrap();
        assert_eq!(with_shapes.len(), 746);
        let g11 = store.postcode("G11AB").await.unwrap().unwrap();
        let dz = g11.area_in("dz11").unwrap();
        assert!(dz.starts_with("S01"));
        assert!(
            store
                .area_deprivation("simd2020", dz)
                .await
                .unwrap()
                .is_some()
        );

        // The same file through a hand-written mapping, as another country would load its own.
        let spec = LoadSpec {
            kind: Kind::Index,
            scheme: Some(useit_core::place::AreaScheme {
                code: "dz11".into(),
                name: "Data zone 2011".into(),
                country: "Scotland".into(),
                level: "Data zone".into(),
            }),
            areas_map: None,
            index: Some(DeprivationIndex {
                code: "simd-income".into(),
                name: "SIMD income domain".into(),
                scheme: "dz11".into(),
                areas_ranked: 6_976,
                source: "test".into(),
            }),
            map: ColumnMap::parse(&["area_code=dz11_code".into(), "rank=Income_rank".into()])
                .unwrap(),
            names_kind: None,
            order: RankOrder::MostDeprivedFirst,
            format: Default::default(),
            ranking: Default::default(),
        };
        let mut report = Report::new("simd.csv");
        let l = prepare(
            &spec,
            &data("test/glasgow/simd2020v2_glasgow.csv.gz"),
            &mut report,
        );
        assert!(!report.has_errors(), "{report}");
        load(&store, &l).await;
        let d = store
            .area_deprivation("simd-income", "S01010206")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(d.decile, decile(d.rank, 6_976));
        assert_eq!(store.indices().await.unwrap().len(), 2);
    }
);

story!(
    areas_of_benefit_are_versioned_and_belong_to_one_programme,
    |store: Arc<dyn Store>| async move {
        load(
            &store,
            &prepared("iod2019", "place/iod2019_lsoa11_west_midlands_ca.csv.gz"),
        )
        .await;
        load(
            &store,
            &prepared(
                "lsoa11-wards",
                "place/lsoa11_ward19_west_midlands_ca.csv.gz",
            ),
        )
        .await;
        let actor = Actor::system("test");
        let a = store
            .create_programme(
                &NewProgramme::validate("aob-a", "A", "").unwrap(),
                None,
                &actor,
            )
            .await
            .unwrap()
            .id;
        let b = store
            .create_programme(
                &NewProgramme::validate("aob-b", "B", "").unwrap(),
                None,
                &actor,
            )
            .await
            .unwrap()
            .id;
        let facts = store.area_facts("lsoa11", Some("imd2019")).await.unwrap();
        let sel = AreaSelection {
            scheme: "lsoa11".into(),
            index: "imd2019".into(),
            local_authorities: vec!["E08000028".into()],
            deciles: vec![1, 2],
            ..Default::default()
        };
        sel.validate(&facts).unwrap();
        let r = sel.resolve(&facts);
        let v1 = store
            .save_area_of_benefit(a, &sel, &r.codes, "Sandwell, deciles 1-2", &actor)
            .await
            .unwrap();
        assert_eq!(v1.version, 1);
        let sel2 = AreaSelection {
            radii: vec![Radius {
                label: "B66 2QT".into(),
                lat: 52.491243,
                lon: -1.949852,
                km: 1.5,
            }],
            ..sel.clone()
        };
        let r2 = sel2.resolve(&facts);
        let v2 = store
            .save_area_of_benefit(
                a,
                &sel2,
                &r2.codes,
                "with the hospital's neighbours",
                &actor,
            )
            .await
            .unwrap();
        assert_eq!(v2.version, 2);
        let current = store.area_of_benefit(a, None).await.unwrap().unwrap();
        assert_eq!((current.version, current.selection.radii.len()), (2, 1));
        assert_eq!(
            store
                .area_of_benefit(a, Some(1))
                .await
                .unwrap()
                .unwrap()
                .area_count as usize,
            r.codes.len()
        );
        assert_eq!(
            store.area_of_benefit_codes(a, v2.id).await.unwrap(),
            r2.codes
        );
        assert_eq!(store.area_of_benefit_versions(a).await.unwrap().len(), 2);
        // Another programme has none, and cannot read this one's areas.
        assert!(store.area_of_benefit(b, None).await.unwrap().is_none());
        assert!(
            store
                .area_of_benefit_codes(b, v2.id)
                .await
                .unwrap()
                .is_empty()
        );
        // The list of areas can be narrowed to the area of benefit.
        let within = store
            .list_areas(
                &AreaQuery {
                    scheme: "lsoa11".into(),
                    index: Some("imd2019".into()),
                    within: Some(v2.id),
                    ..Default::default()
                },
                PageRequest::all(),
            )
            .await
            .unwrap();
        assert_eq!(within.total as usize, r2.codes.len());
        assert!(
            within
                .items
                .iter()
                .all(|a| a.decile.is_some_and(|d| d <= 2))
        );
        let las = store.local_authorities("lsoa11").await.unwrap();
        assert_eq!(las.len(), 7);
        assert_eq!(
            las.iter().find(|l| l.code == "E08000028").unwrap().areas,
            186
        );
        assert_eq!(
            store
                .wards("lsoa11")
                .await
                .unwrap()
                .iter()
                .filter(|w| w.parent_code.as_deref() == Some("E08000025"))
                .count(),
            69
        );
    }
);

story!(
    loading_areas_of_an_unknown_scheme_is_refused,
    |store: Arc<dyn Store>| async move {
        let mut l = prepared(
            "lsoa11-wards",
            "place/lsoa11_ward19_west_midlands_ca.csv.gz",
        );
        l.scheme = None;
        let err = store
            .load_reference(&l, &|_| {}, &Actor::system("test"))
            .await
            .unwrap_err();
        assert!(matches!(err, useit_store::StoreError::Invalid(_)), "{err}");
        assert!(
            store.area_facts("lsoa11", None).await.unwrap().is_empty(),
            "nothing half-written"
        );
    }
);
