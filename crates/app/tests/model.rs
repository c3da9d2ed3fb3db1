//! The transfer kit on SQLite and PostgreSQL: a programme full of people
//! exports a model that holds, field by field, only rules, settings,
//! targets and shapes (no person, no code of its geography); a bad model
//! is refused naming every field and writes nothing; a good one starts a
//! Glasgow programme on SIMD data zones, whose spend file with Glasgow
//! postcodes gives its own local shares.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;
use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::ledger::{self, Ledgers};
use useit_app::anchors::register::load_organisations;
use useit_app::anchors::settings::{save_spend_settings, spend_settings};
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_app::auth::Operator;
use useit_app::place::area_of_benefit::{area_of_benefit, save_area_of_benefit};
use useit_app::place::reference::{ReferenceFile, load_reference};
use useit_app::programme::disclosure::{disclosure_settings, save_disclosure_settings};
use useit_app::programme::indicators::{save_targets, targets};
use useit_app::programme::model::{NewFromModel, create_from_model, export_model, started_from};
use useit_app::programme::partners::create_partner;
use useit_app::programme::programmes::{create_programme, programme_by_slug};
use useit_app::talent::people::create_person;
use useit_app::talent::settings::save_talent_settings;
use useit_app::{Caller, Error, Store};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::import::ImportOptions;
use useit_core::anchors::measures::{Geography as Local, SupplierKind};
use useit_core::anchors::register::OrganisationInput;
use useit_core::anchors::settings::SpendSettingsInput;
use useit_core::audit::Actor;
use useit_core::disclosure::DisclosureSettingsInput;
use useit_core::i18n::Language;
use useit_core::money::Currency;
use useit_core::place::input::{RadiusInput, SelectionInput};
use useit_core::place::load::{LoadSpec, preset, read_text};
use useit_core::programme::indicators::{Coverage, Figure, Indicator, figure_text};
use useit_core::programme::model::{Geography, ProgrammeModel};
use useit_core::programme::targets::{TargetInput, TargetsInput};
use useit_core::programme::{ContactInput, PartnerInput, ProgrammeInput, ProgrammeLocaleInput};
use useit_core::talent::casework::PersonInput;
use useit_core::talent::settings::TalentSettingsInput;
use useit_testkit::story;

const GLASGOW: &str = "S12000049";

fn actor() -> Actor {
    Actor::system("test")
}

async fn load_glasgow(store: &Arc<dyn Store>) {
    for (name, file) in [
        ("simd2020", "simd2020v2_glasgow.csv.gz"),
        ("dz11-boundaries", "glasgow_datazones_2011.geojson.gz"),
        ("ons-postcodes-scotland", "postcodes_glasgow_sample.csv.gz"),
    ] {
        let p = format!(
            "{}/../../data/test/glasgow/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = read_text(&p, &std::fs::read(&p).unwrap()).unwrap();
        let spec = LoadSpec::from(preset(name).unwrap());
        let f = ReferenceFile {
            name: file,
            text: &text,
            spec: &spec,
        };
        load_reference(store.as_ref(), &actor(), f, &|_| {})
            .await
            .unwrap();
    }
}

fn programme_input(slug: &str) -> ProgrammeInput {
    ProgrammeInput {
        slug: slug.into(),
        name: slug.to_uppercase(),
        ..Default::default()
    }
}

/// Every personal value put into the first programme, to look for later.
struct People(Vec<String>);

/// A programme set up as a city would, with 24 people on the talent
/// pathway and partners with contact people.
async fn first_city(store: &Arc<dyn Store>) -> (Caller, People) {
    let p = create_programme(
        store.as_ref(),
        &Operator::console(),
        &programme_input("first"),
    )
    .await
    .unwrap();
    let c = Caller::system(p.id, "test");
    let s = store.as_ref();
    save_spend_settings(
        s,
        &c,
        &SpendSettingsInput {
            rules: "supplier_kind is public_body\nexpense_type contains pension".into(),
            city_region: GLASGOW.into(),
            site_radius_km: "3".into(),
            supplier_respend_low: "20".into(),
            supplier_respend_high: "35".into(),
            staff_respend_low: "40".into(),
            staff_respend_high: "45".into(),
            local_wages: "£1,234,567".into(),
            all_wages: "£9,876,543".into(),
        },
    )
    .await
    .unwrap();
    save_talent_settings(
        s,
        &c,
        &TalentSettingsInput {
            on_cost_pct: "27.5".into(),
            cap_premium_pct: "55".into(),
            observed_premium_pct: "80".into(),
        },
    )
    .await
    .unwrap();
    save_disclosure_settings(s, &c, &DisclosureSettingsInput { k: "7".into() })
        .await
        .unwrap();
    let target = |i: &str, v: &str| TargetInput {
        indicator: i.into(),
        value: v.into(),
        ..Default::default()
    };
    save_targets(
        s,
        &c,
        &TargetsInput {
            targets: vec![
                target("researchers_accredited", "60"),
                target("talent_engaged", "60"),
            ],
        },
    )
    .await
    .unwrap();
    save_anchor(
        s,
        &c,
        &AnchorInput {
            slug: "council".into(),
            name: "The Council".into(),
            kind: "council".into(),
            local_authority_code: GLASGOW.into(),
            column_mapping: "paid_on=When\nsupplier=Who\namount=How much".into(),
            sites: "Town hall, G1 1AB".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    save_area_of_benefit(
        s,
        &c,
        &SelectionInput {
            index: "simd2020".into(),
            wards: vec!["S02001955".into()],
            radii: vec![RadiusInput {
                postcode: "G1 1AB".into(),
                km: "2".into(),
                ..Default::default()
            }],
            areas: vec!["S01010394".into()],
            deciles: vec![1, 2],
            note: "the board's choice".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let postcodes = ["G11 7NG", "G11 5AL", "G1 1AB", "G1 1PU"];
    let professions = ["nurse", "doctor", "pharmacist"];
    let mut personal = Vec::new();
    for i in 0..24 {
        let name = format!("Zainab Quixote{i:02}");
        let email = format!("zainab.quixote{i:02}@example.org");
        let phone = format!("07700 900{i:03}");
        let postcode = postcodes[i % postcodes.len()].to_string();
        create_person(
            s,
            &c,
            &PersonInput {
                full_name: name.clone(),
                email: email.clone(),
                phone: phone.clone(),
                postcode: postcode.clone(),
                profession: professions[i % professions.len()].into(),
                qualification_country: "Syria".into(),
                lawful_basis: "consent".into(),
                consent_given_on: "2026-01-10".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        personal.extend([name, email, phone, postcode.replace(' ', ""), postcode]);
    }
    for i in 0..3 {
        let contact = ContactInput {
            contact_name: format!("Ottoline Brackenbury{i}"),
            contact_email: format!("ottoline{i}@partner.example.org"),
            contact_phone: format!("0141 496 0{i:03}"),
        };
        create_partner(
            s,
            &c,
            &PartnerInput {
                name: format!("Partner {i}"),
                kind: "vcse".into(),
                joined_on: "2024-01-01".into(),
                ..Default::default()
            },
            Some(&contact),
        )
        .await
        .unwrap();
        personal.extend([
            contact.contact_name,
            contact.contact_email,
            contact.contact_phone,
        ]);
    }
    // The report's texts, written for publication: the next city's template.
    useit_app::programme::report::save_report_texts(
        s,
        &c,
        &useit_core::programme::report::ReportTexts {
            challenge: "Money left the neighbourhoods that needed it most.".into(),
            solution: "The anchors bought from local enterprises.".into(),
            what_worked: "Paying community researchers".into(),
            what_did_not: "Waiting for national registers".into(),
        },
    )
    .await
    .unwrap();
    (c, People(personal))
}

/// Every leaf of a JSON value with its path, list positions as `[]`.
fn leaves(v: &Value, path: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                leaves(x, p, out);
            }
        }
        Value::Array(a) => {
            for x in a {
                leaves(x, format!("{path}[]"), out);
            }
        }
        other => out.push((path, other.clone())),
    }
}

/// Every field a model may hold: rules, settings, targets, catalogues and
/// shapes. A new field must be added here on purpose.
const MODEL_FIELDS: &[&str] = &[
    "format",
    "version",
    "modelled_on",
    "exported_on",
    "currency",
    "language",
    "spend.rules[]",
    "spend.site_radius_km",
    "spend.supplier_respend_low",
    "spend.supplier_respend_high",
    "spend.staff_respend_low",
    "spend.staff_respend_high",
    "column_mappings[].anchor_kind",
    "column_mappings[].columns[]",
    "column_mappings[].date_order",
    "talent.on_cost_pct",
    "talent.cap_premium_pct",
    "talent.observed_premium_pct",
    "disclosure.k",
    "indicators[]",
    "targets[].indicator",
    "targets[].value",
    "targets[].from",
    "targets[].to",
    "taxonomies.partner_kinds[]",
    "taxonomies.anchor_kinds[]",
    "taxonomies.supplier_kinds[]",
    "taxonomies.barriers[]",
    "taxonomies.support[]",
    "taxonomies.work_outcomes[]",
    "taxonomies.enterprise_services[]",
    "area_of_benefit.deciles[]",
    "area_of_benefit.radius_km[]",
    "area_of_benefit.by_local_authority",
    "area_of_benefit.by_ward",
    "area_of_benefit.by_list",
    "professions[]",
    "report.challenge",
    "report.solution",
    "report.what_worked",
    "report.what_did_not",
];

story!(
    a_model_holds_no_person_and_no_place_field_by_field,
    |store: Arc<dyn Store>| async move {
        load_glasgow(&store).await;
        let (c, people) = first_city(&store).await;
        let model = export_model(store.as_ref(), &c).await.unwrap();
        let json: Value = serde_json::from_str(&model.to_file()).unwrap();
        let mut all = Vec::new();
        leaves(&json, String::new(), &mut all);
        assert!(all.len() > 40, "{all:?}");
        let geography = ["S12000049", "S02001955", "S01010394", "simd2020", "dz11"];
        for (path, value) in &all {
            assert!(
                MODEL_FIELDS.contains(&path.as_str()),
                "{path} is not a model field"
            );
            let text = match value {
                Value::String(s) => s.to_lowercase(),
                other => other.to_string(),
            };
            for p in people.0.iter().chain(
                geography
                    .iter()
                    .map(|g| g.to_string())
                    .collect::<Vec<_>>()
                    .iter(),
            ) {
                assert!(
                    !text.contains(&p.to_lowercase()),
                    "{path} holds {p}: {text}"
                );
            }
            // No money of the first city's (its wages) and no coordinates.
            assert!(
                !text.contains("1234567") && !text.contains("55.8"),
                "{path}: {text}"
            );
        }
        // What it does hold: the rules, settings, targets and shapes.
        assert_eq!(model.spend.rules.len(), 2);
        assert_eq!(model.talent.on_cost_pct, "27.50");
        assert_eq!(model.disclosure.k, "7");
        assert_eq!(model.targets.len(), 2);
        assert_eq!(model.area_of_benefit.deciles, vec![1, 2]);
        assert_eq!(model.area_of_benefit.radius_km, vec![2.0]);
        assert_eq!(model.column_mappings[0].columns.len(), 3);
        assert_eq!(model.professions, vec!["doctor", "nurse", "pharmacist"]);
        // A role that may not change the programme's settings may not export them.
        let viewer = Caller {
            role: Some(useit_core::auth::Role::FunderViewer),
            ..c.clone()
        };
        assert!(matches!(
            export_model(store.as_ref(), &viewer).await,
            Err(Error::Refused)
        ));
    }
);

story!(
    a_programme_started_from_a_model_works_on_glasgow_geography,
    |store: Arc<dyn Store>| async move {
        load_glasgow(&store).await;
        let (first, _) = first_city(&store).await;
        let model = export_model(store.as_ref(), &first).await.unwrap();
        let s = store.as_ref();
        let console = Operator::console();
        let glasgow = Geography {
            index: "simd2020".into(),
            local_authorities: vec![GLASGOW.into()],
            sites: Vec::new(),
            note: "Glasgow's most deprived fifth".into(),
        };

        // A bad model and a bad geography: every field named, nothing written.
        let mut bad = model.clone();
        bad.spend.site_radius_km = "far".into();
        bad.disclosure.k = "1".into();
        bad.professions.push("alchemist".into());
        let bytes = bad.to_file();
        let err = create_from_model(
            s,
            &console,
            &NewFromModel {
                programme: &programme_input("glasgow"),
                model: bytes.as_bytes(),
                geography: &Geography {
                    index: "imd1066".into(),
                    ..glasgow.clone()
                },
                locale: None,
            },
        )
        .await
        .unwrap_err();
        let Error::Invalid(errs) = err else {
            panic!("{err:?}")
        };
        let fields: BTreeSet<String> = errs.into_iter().map(|e| e.field).collect();
        for f in [
            "model/spend/site_radius_km",
            "model/disclosure/k",
            "model/professions/3",
        ] {
            assert!(fields.contains(f), "{f} not in {fields:?}");
        }
        let err = create_from_model(
            s,
            &console,
            &NewFromModel {
                programme: &programme_input("glasgow"),
                model: model.to_file().as_bytes(),
                geography: &Geography {
                    index: "imd1066".into(),
                    ..glasgow.clone()
                },
                locale: None,
            },
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&err, Error::Invalid(e) if e.iter().any(|f| f.field == "geography/index")),
            "{err:?}"
        );
        assert!(matches!(
            programme_by_slug(s, &console, "glasgow").await,
            Err(Error::NotFound)
        ));
        let err = create_from_model(
            s,
            &console,
            &NewFromModel {
                programme: &programme_input("glasgow"),
                model: b"{ not json",
                geography: &glasgow,
                locale: None,
            },
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&err, Error::Invalid(e) if e[0].field == "model/file"),
            "{err:?}"
        );

        // The model on Glasgow's own geography.
        let p = create_from_model(
            s,
            &console,
            &NewFromModel {
                programme: &programme_input("glasgow"),
                model: model.to_file().as_bytes(),
                geography: &glasgow,
                locale: None,
            },
        )
        .await
        .unwrap();
        let c = Caller::system(p.id, "test");
        let settings = spend_settings(s, &c).await.unwrap();
        let theirs = spend_settings(s, &first).await.unwrap();
        assert_eq!(settings.rules, theirs.rules);
        assert_eq!(settings.site_radius_m, 3_000);
        assert_eq!(
            settings.lm3.supplier_respend_bp,
            theirs.lm3.supplier_respend_bp
        );
        assert!(settings.city_region.is_empty());
        assert_eq!(
            settings.lm3.local_wages, 0,
            "the first city's wages stay there"
        );
        assert_eq!(disclosure_settings(s, &c).await.unwrap().k(), 7);
        assert_eq!(targets(s, &c).await.unwrap().len(), 2);
        let (from, kept) = started_from(s, &c).await.unwrap().unwrap();
        assert_eq!((from.as_str(), kept.spend.rules.len()), ("FIRST", 2));
        // The first city's report texts come as a template to read, not as
        // Glasgow's own report.
        assert_eq!(kept.report.what_worked, "Paying community researchers");
        let own = useit_app::programme::report::report_texts(s, &c)
            .await
            .unwrap();
        assert!(own.challenge.is_empty(), "{own:?}");
        // Deciles 1–2 of Glasgow's data zones, counted by hand from the file.
        let aob = area_of_benefit(s, &c, None).await.unwrap().unwrap();
        let facts = store.area_facts("dz11", Some("simd2020")).await.unwrap();
        let expected = facts
            .iter()
            .filter(|f| matches!(f.decile, Some(1 | 2)))
            .count();
        assert_eq!(aob.area_count as usize, expected);
        assert_eq!(aob.selection.deciles, vec![1, 2]);
        assert!(expected > 300, "{expected}");
        // The first city's lineage shows Glasgow below it, started from its
        // model, though nobody typed it in; Glasgow's own shows nothing new.
        let lineage = useit_app::workshops::lineage::replications(s, &first)
            .await
            .unwrap();
        let names: Vec<(&str, Option<uuid::Uuid>)> = lineage
            .iter()
            .map(|r| (r.draft.name.as_str(), r.draft.modelled_on))
            .collect();
        assert_eq!(
            names,
            [("FIRST", None), ("GLASGOW", Some(first.programme.0))],
            "{lineage:?}"
        );
        assert!(
            useit_app::workshops::lineage::replications(s, &c)
                .await
                .unwrap()
                .is_empty()
        );
        // The same model again under the same name: a conflict, nothing twice.
        let again = create_from_model(
            s,
            &console,
            &NewFromModel {
                programme: &programme_input("glasgow"),
                model: model.to_file().as_bytes(),
                geography: &glasgow,
                locale: None,
            },
        )
        .await;
        assert!(again.is_err());

        // The model carries the currency and language: a city started from a
        // model in euros and French starts in them, and its own model says so.
        assert_eq!(
            (model.currency.as_str(), model.language.as_str()),
            ("GBP", "en")
        );
        assert_eq!((p.currency, p.language), (Currency::Gbp, Language::En));
        let mut french = model.clone();
        french.currency = "EUR".into();
        french.language = "fr".into();
        let lyon = create_from_model(
            s,
            &console,
            &NewFromModel {
                programme: &programme_input("lyon"),
                model: french.to_file().as_bytes(),
                geography: &Geography::default(),
                locale: None,
            },
        )
        .await
        .unwrap();
        let stored = programme_by_slug(s, &console, "lyon").await.unwrap();
        assert_eq!(
            (stored.currency, stored.language),
            (Currency::Eur, Language::Fr)
        );
        let back = export_model(s, &Caller::system(lyon.id, "test"))
            .await
            .unwrap();
        assert_eq!(
            (back.currency.as_str(), back.language.as_str()),
            ("EUR", "fr")
        );

        // The new city chooses its own: euros and French over a model in
        // pounds and English, a blank field keeps the model's, and a
        // currency useit cannot show is named under `locale`.
        let choose = |currency: &str, language: &str| ProgrammeLocaleInput {
            currency: currency.into(),
            language: language.into(),
        };
        let chosen = choose("EUR", "");
        let lille = create_from_model(
            s,
            &console,
            &NewFromModel {
                programme: &programme_input("lille"),
                model: model.to_file().as_bytes(),
                geography: &Geography::default(),
                locale: Some(&chosen),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (lille.currency, lille.language),
            (Currency::Eur, Language::En)
        );
        let bad = choose("XYZ", "fr");
        let err = create_from_model(
            s,
            &console,
            &NewFromModel {
                programme: &programme_input("roubaix"),
                model: model.to_file().as_bytes(),
                geography: &Geography::default(),
                locale: Some(&bad),
            },
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&err, Error::Invalid(e) if e.len() == 1 && e[0].field == "locale/currency"),
            "{err:?}"
        );

        // An anchor, a register with Glasgow postcodes, and a spend file.
        let anchor = save_anchor(
            s,
            &c,
            &AnchorInput {
                slug: "nhs-ggc".into(),
                name: "NHS Greater Glasgow and Clyde".into(),
                kind: "nhs_trust".into(),
                local_authority_code: GLASGOW.into(),
                sites: "Queen Elizabeth University Hospital, G51 4TF".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // A council takes the column mapping the first city's council needed.
        let council = save_anchor(
            s,
            &c,
            &AnchorInput {
                slug: "glasgow-city-council".into(),
                name: "Glasgow City Council".into(),
                kind: "council".into(),
                local_authority_code: GLASGOW.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            council.column_mapping.pairs(),
            vec!["paid_on=When", "supplier=Who", "amount=How much"]
        );
        assert!(
            anchor.column_mapping.0.is_empty(),
            "no trust's mapping in the model"
        );
        let org = |id: &str, name: &str, pc: &str| OrganisationInput {
            org_id: id.into(),
            name: name.into(),
            kind: SupplierKind::Sme,
            company_number: None,
            postcode: Some(pc.into()),
            trading_postcode: None,
            source: "test".into(),
            details: Default::default(),
            location: None,
        };
        load_organisations(
            s,
            &c,
            &[
                // Partick, decile 1 (S01010394).
                org("GB-COH-SC000001", "PARTICK BAKERY LIMITED", "G11 7NG"),
                // Broomhill, decile 10 (S01010400).
                org("GB-COH-SC000002", "BROOMHILL PRINTERS LIMITED", "G11 5AL"),
            ],
        )
        .await
        .unwrap();
        let file = "Date,Supplier,Amount,Expense Type\n02/04/2026,Partick Bakery Limited,300.00,Catering\n03/04/2026,Broomhill Printers Limited,100.00,Printing\n";
        import_spend_file(
            s,
            &c,
            SpendUpload {
                anchor: &anchor.slug,
                file_name: "april.csv",
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
        assert_eq!(m.influenceable, 40_000);
        let local = m.local[&Local::AreaOfBenefit];
        assert_eq!((local.low, local.high), (30_000, 30_000));
        assert_eq!(m.judged[&Local::AreaOfBenefit], 40_000);
        let la = m.local[&Local::LocalAuthority];
        assert_eq!((la.low, la.high), (40_000, 40_000));
        assert_eq!((m.deprived_1_2.low, m.deprived_1_2.high), (30_000, 30_000));
        // The home page's figures, counted by hand: £300 of the £400
        // influenceable spend is with the Partick bakery, in the area of
        // benefit (75.0 %); both suppliers are in Glasgow, so LM3 is
        // (400 + 400 + 400 × 20 %…35 % re-spent) / 400 = 2.20–2.35, with no
        // wages carried over from the first city.
        let ind = useit_app::programme::indicators::indicators(s, &c, &Ledgers::default())
            .await
            .unwrap();
        let fig = |i: Indicator| {
            ind.figures
                .iter()
                .find(|p| p.indicator == i)
                .unwrap()
                .figure
                .clone()
        };
        assert_eq!(
            fig(Indicator::LocalSpendShare),
            Figure::Share {
                low_bp: 7_500,
                high_bp: 7_500,
                coverage: Coverage::SpendPlaced { bp: 10_000 },
            }
        );
        assert_eq!(figure_text(&fig(Indicator::LocalSpendShare)), "75.0%");
        let Figure::Multiplier {
            low_hundredths,
            high_hundredths,
            ..
        } = fig(Indicator::Lm3)
        else {
            panic!("{:?}", fig(Indicator::Lm3))
        };
        assert_eq!((low_hundredths, high_hundredths), (220, 235));
        assert_eq!(figure_text(&fig(Indicator::Lm3)), "2.20 to 2.35");
        // The first city's figures are untouched by the second's.
        let theirs = ledger::measures(s, &first, &Ledgers::default(), &LineFilter::default())
            .await
            .unwrap()
            .measures;
        assert_eq!(theirs.lines, 0);
        let _ = ProgrammeModel::default();
    }
);
