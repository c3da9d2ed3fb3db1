//! A French city from files alone, on SQLite and PostgreSQL: INSEE's
//! Filosofi income file by IRIS (`;`, decimal commas, a title block) loads
//! with its ranks computed from the low-income rate, the national deciles
//! come out as counted by hand (16 of Lille's 92 ranked IRIS in decile 1),
//! the IRIS boundaries place suppliers known only by their coordinates,
//! and a programme in euros and French shows its own local shares.

use std::sync::Arc;

use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::ledger::{self, Ledgers};
use useit_app::anchors::register::load_organisations;
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_app::auth::Operator;
use useit_app::place::area_of_benefit::save_area_of_benefit;
use useit_app::place::geographies::indices;
use useit_app::place::reference::{ReferenceFile, load_reference};
use useit_app::programme::programmes::{create_programme, programme_by_slug, set_programme_locale};
use useit_app::{Caller, Error, Store};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::import::ImportOptions;
use useit_core::anchors::measures::{Geography as Local, SupplierKind};
use useit_core::anchors::register::OrganisationInput;
use useit_core::audit::Actor;
use useit_core::i18n::Language;
use useit_core::money::{Currency, format_money};
use useit_core::place::Location;
use useit_core::place::input::SelectionInput;
use useit_core::place::load::{LoadSpec, preset, read_text};
use useit_core::programme::{ProgrammeInput, ProgrammeLocaleInput};
use useit_testkit::story;

const LILLE: &str = "59350";

async fn load_lille(store: &Arc<dyn Store>) {
    for (name, file) in [
        ("filosofi2019-iris", "BASE_TD_FILO_DEC_IRIS_2019.csv.gz"),
        ("iris-boundaries", "iris_lille_59350.geojson.gz"),
    ] {
        let p = format!(
            "{}/../../data/place/lille/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = read_text(&p, &std::fs::read(&p).unwrap()).unwrap();
        let spec = LoadSpec::from(preset(name).unwrap());
        let f = ReferenceFile {
            name: file,
            text: &text,
            spec: &spec,
        };
        load_reference(store.as_ref(), &Actor::system("test"), f, &|_| {})
            .await
            .unwrap();
    }
}

story!(lille_from_files_alone_in_euros_and_french, |store: Arc<
    dyn Store,
>| async move {
    load_lille(&store).await;
    let s = store.as_ref();
    let filosofi = indices(s)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.code == "filosofi2019")
        .unwrap();
    assert_eq!(
        filosofi.areas_ranked, 10_756,
        "N is every IRIS with a low-income rate, nationally"
    );

    let console = Operator::console();
    let p = create_programme(
        s,
        &console,
        &ProgrammeInput {
            slug: "lille".into(),
            name: "Lille".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (p.currency, p.language),
        (Currency::Gbp, Language::En),
        "pounds and English until told otherwise"
    );
    let err = set_programme_locale(
        s,
        &console,
        p.id,
        &ProgrammeLocaleInput {
            currency: "francs".into(),
            language: "klingon".into(),
        },
    )
    .await
    .unwrap_err();
    let Error::Invalid(errs) = err else {
        panic!("{err:?}")
    };
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["currency", "language"]);
    set_programme_locale(
        s,
        &console,
        p.id,
        &ProgrammeLocaleInput {
            currency: "EUR".into(),
            language: "fr".into(),
        },
    )
    .await
    .unwrap();
    let p = programme_by_slug(s, &console, "lille").await.unwrap();
    assert_eq!((p.currency, p.language), (Currency::Eur, Language::Fr));
    assert_eq!(
        format_money(123_456, p.currency, p.language),
        "1\u{202f}234,56\u{a0}€"
    );

    let c = Caller::system(p.id, "test");
    // Lille's most deprived fifth, nationally: deciles 1 and 2 hold
    // 16 + 14 of its ranked IRIS (SOURCE.md, counted by hand).
    let saved = save_area_of_benefit(
        s,
        &c,
        &SelectionInput {
            index: "filosofi2019".into(),
            local_authorities: vec![LILLE.into()],
            deciles: vec![1, 2],
            note: "Déciles 1–2".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(saved.aob.area_count, 30);
    assert!(saved.codes.contains("593500704"), "Croisette A, decile 1");
    assert!(
        !saved.codes.contains("593500201"),
        "Vieux Lille 1, decile 9"
    );

    let anchor = save_anchor(
        s,
        &c,
        &AnchorInput {
            slug: "chu-lille".into(),
            name: "CHU de Lille".into(),
            kind: "other".into(),
            local_authority_code: LILLE.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let org = |id: &str, name: &str, lat: f64, lon: f64| OrganisationInput {
        org_id: id.into(),
        name: name.into(),
        kind: SupplierKind::Sme,
        company_number: None,
        postcode: None,
        trading_postcode: None,
        source: "test".into(),
        details: Default::default(),
        location: Location::new(lat, lon),
    };
    load_organisations(
        s,
        &c,
        &[
            // Croisette A, Lille-Sud: decile 1.
            org(
                "FR-TEST-1",
                "BOULANGERIE DE LA CROISETTE",
                50.60384,
                3.05292,
            ),
            // Vieux Lille 1: decile 9.
            org("FR-TEST-2", "CONSEIL VIEUX LILLE", 50.64878, 3.05393),
            // Roubaix, outside every loaded boundary.
            org("FR-TEST-3", "TRANSPORTS ROUBAISIENS", 50.6942, 3.1746),
        ],
    )
    .await
    .unwrap();
    let file = "Date,Supplier,Amount,Expense Type\n\
            02/04/2026,Boulangerie De La Croisette,300.00,Restauration\n\
            03/04/2026,Conseil Vieux Lille,100.00,Conseil\n\
            04/04/2026,Transports Roubaisiens,50.00,Transport\n";
    import_spend_file(
        s,
        &c,
        SpendUpload {
            anchor: &anchor.slug,
            file_name: "avril.csv",
            bytes: file.as_bytes(),
            options: ImportOptions::default(),
        },
        &|_| {},
    )
    .await
    .unwrap();
    let m = ledger::measures(s, &c, &Ledgers::default(), &LineFilter::default())
        .await
        .unwrap()
        .measures;
    assert_eq!(m.lines, 3);
    assert_eq!(m.influenceable, 45_000, "cents, as pence");
    let local = m.local[&Local::AreaOfBenefit];
    assert_eq!(
        (local.low, local.high),
        (30_000, 30_000),
        "the bakery, found in Croisette A by its coordinates"
    );
    assert_eq!(
        m.judged[&Local::AreaOfBenefit],
        40_000,
        "the Roubaix supplier lies outside the loaded IRIS: not known, not 'not local'"
    );
    let la = m.local[&Local::LocalAuthority];
    assert_eq!((la.low, la.high), (40_000, 40_000), "both in Lille");
    assert_eq!((m.deprived_1_2.low, m.deprived_1_2.high), (30_000, 30_000));

    // The funder report credits the index Lille's area is drawn on, as
    // INSEE publishes it, and not England's.
    let r = useit_app::programme::report::report(
        s,
        &c,
        &Ledgers::default(),
        &useit_core::programme::report::ReportQuery::default(),
    )
    .await
    .unwrap();
    assert!(
        r.attributions.iter().any(|a| a.contains("Filosofi")),
        "{:?}",
        r.attributions
    );
    assert!(
        !r.attributions.iter().any(|a| a.contains("English Indices")),
        "{:?}",
        r.attributions
    );
    // Lille's places are found by coordinates, not the ONS postcode file.
    assert!(
        !r.attributions
            .iter()
            .any(|a| a.contains("Office for National Statistics")),
        "{:?}",
        r.attributions
    );
    assert!(r.attributions.iter().any(|a| a.contains("IRIS 2020")));
    // Read in French, the index is named in French, and a `;` between two
    // remarks has its no-break space.
    let fr = useit_core::i18n::Locale {
        language: Language::Fr,
        currency: Currency::Eur,
    };
    let r = useit_core::i18n::scope(
        fr,
        useit_app::programme::report::report(
            s,
            &c,
            &Ledgers::default(),
            &useit_core::programme::report::ReportQuery::default(),
        ),
    )
    .await
    .unwrap();
    assert!(
        r.attributions
            .iter()
            .any(|a| a.contains("Taux de pauvreté Filosofi 2019")),
        "{:?}",
        r.attributions
    );
    assert!(
        !r.attributions.iter().any(|a| a.contains("low-income rate")),
        "{:?}",
        r.attributions
    );
    let lm3 = r.results.iter().find(|x| x.indicator == "lm3").unwrap();
    assert!(lm3.coverage.contains("\u{a0}; "), "{}", lm3.coverage);
});
