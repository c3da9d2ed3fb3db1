//! Place workflows on SQLite and PostgreSQL, on the real West Midlands
//! sample (`useit_testkit::place`): an area of benefit is previewed, saved
//! as versions and read back per programme; bad choices name every field
//! and save nothing; only those who may edit choose it; the areas list and
//! one area follow it; postcodes get the same answers from the database and
//! from the in-memory table; reference files load once, and a bad one loads
//! nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use useit_app::place::area_of_benefit::{
    area_of_benefit, editor, preview_area_of_benefit, save_area_of_benefit, versions,
};
use useit_app::place::areas::{area, areas, local_authorities, wards};
use useit_app::place::geographies::{geographies, indices};
use useit_app::place::lookup::{lookup, lookup_table, postcode};
use useit_app::place::reference::{ReferenceFile, load_reference};
use useit_app::{Caller, Error, Store};
use useit_core::audit::{Actor, Channel};
use useit_core::auth::Role;
use useit_core::listing::PageRequest;
use useit_core::place::areas::AreaListQuery;
use useit_core::place::deprivation::{DeprivationIndex, RankOrder};
use useit_core::place::input::{RadiusInput, SelectionInput};
use useit_core::place::load::{ColumnMap, Kind, LoadSpec, preset, read_text};
use useit_core::place::lookup::{LookupStatus, MAX_BULK};
use useit_core::place::{Area, AreaScheme};
use useit_core::programme::NewProgramme;
use useit_core::{ProgrammeId, UserId};
use useit_testkit::place::{WARDS, sample};
use useit_testkit::story;

const SANDWELL_WARD: &str = WARDS[0];
const BIRMINGHAM_WARD: &str = WARDS[1];

fn actor() -> Actor {
    Actor::system("test")
}

async fn programme(store: &Arc<dyn Store>, slug: &str) -> ProgrammeId {
    store
        .create_programme(
            &NewProgramme {
                slug: slug.into(),
                name: slug.into(),
                description: String::new(),
            },
            None,
            &actor(),
        )
        .await
        .unwrap()
        .id
}

/// Two programmes over the loaded sample.
async fn setup(store: &Arc<dyn Store>) -> (Caller, Caller) {
    for load in sample() {
        store.load_reference(load, &|_| {}, &actor()).await.unwrap();
    }
    (
        Caller::system(programme(store, "alpha").await, "test"),
        Caller::system(programme(store, "beta").await, "test"),
    )
}

/// The sample's small areas.
fn sample_areas() -> Vec<Area> {
    sample()
        .iter()
        .flat_map(|l| l.areas.iter())
        .filter(|a| a.ward_code.is_some())
        .cloned()
        .collect()
}

/// Each sample area's IMD 2019 decile, from the published file.
fn deciles() -> BTreeMap<String, u8> {
    sample()
        .iter()
        .flat_map(|l| l.deprivation.iter())
        .map(|d| (d.area_code.clone(), d.decile))
        .collect()
}

/// The areas of a ward, in the deciles given (all when empty).
fn in_ward(ward: &str, keep: &[u8]) -> BTreeSet<String> {
    let d = deciles();
    sample_areas()
        .into_iter()
        .filter(|a| a.ward_code.as_deref() == Some(ward))
        .filter(|a| keep.is_empty() || keep.contains(&d[&a.code]))
        .map(|a| a.code)
        .collect()
}

fn by_ward(wards: &[&str], deciles: &[u8], note: &str) -> SelectionInput {
    SelectionInput {
        index: "imd2019".into(),
        wards: wards.iter().map(|w| w.to_string()).collect(),
        deciles: deciles.to_vec(),
        note: note.into(),
        ..Default::default()
    }
}

fn fields(e: Error) -> Vec<(String, String)> {
    match e {
        Error::Invalid(errs) => errs.into_iter().map(|f| (f.field, f.message.key)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

story!(
    an_area_of_benefit_is_previewed_saved_as_versions_and_kept_to_its_programme,
    |store: Arc<dyn Store>| async move {
        let (alpha, beta) = setup(&store).await;
        let s = store.as_ref();
        let first = in_ward(SANDWELL_WARD, &[1, 2]);
        assert!(!first.is_empty() && first.len() < in_ward(SANDWELL_WARD, &[]).len());

        // A preview says what it comes to and saves nothing.
        let input = by_ward(&[SANDWELL_WARD], &[2, 1], "  The board's first choice ");
        let p = preview_area_of_benefit(s, &alpha, &input).await.unwrap();
        assert_eq!(p.resolution.codes, first);
        assert_eq!(p.selection.deciles, vec![1, 2]);
        assert_eq!(
            p.resolution.dropped_by_decile,
            in_ward(SANDWELL_WARD, &[]).len() - first.len()
        );
        assert_eq!(p.profile.total_areas, first.len() as u64);
        assert_eq!(p.profile.areas[2..].iter().sum::<u64>(), 0);
        assert!(versions(s, &alpha).await.unwrap().is_empty());
        assert!(
            useit_app::place::profile(s, &alpha, None)
                .await
                .unwrap()
                .is_none()
        );

        // Saved: version 1, with its note trimmed and its areas.
        let v1 = save_area_of_benefit(s, &alpha, &input).await.unwrap();
        assert_eq!(
            (v1.aob.version, v1.aob.note.as_str(), v1.aob.area_count),
            (1, "The board's first choice", first.len() as i64)
        );
        assert_eq!(v1.codes, first);
        assert_eq!(v1.aob.created_by, "system:test");

        // A second version over both wards, every decile.
        let both: BTreeSet<String> = in_ward(SANDWELL_WARD, &[])
            .into_iter()
            .chain(in_ward(BIRMINGHAM_WARD, &[]))
            .collect();
        let v2 = save_area_of_benefit(
            s,
            &alpha,
            &by_ward(&[BIRMINGHAM_WARD, SANDWELL_WARD], &[], "Both wards"),
        )
        .await
        .unwrap();
        assert_eq!((v2.aob.version, v2.codes.clone()), (2, both.clone()));
        assert_eq!(
            v2.aob.selection.wards,
            vec![SANDWELL_WARD.to_string(), BIRMINGHAM_WARD.to_string()],
            "kept sorted"
        );
        assert_eq!(
            versions(s, &alpha)
                .await
                .unwrap()
                .iter()
                .map(|v| v.version)
                .collect::<Vec<_>>(),
            [2, 1]
        );
        let now = useit_app::place::profile(s, &alpha, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((now.aob.version, now.codes), (2, both));
        assert_eq!(now.index.unwrap().code, "imd2019");
        let then = useit_app::place::profile(s, &alpha, Some(1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(then.codes, first);
        assert_eq!(
            area_of_benefit(s, &alpha, Some(1))
                .await
                .unwrap()
                .unwrap()
                .note,
            "The board's first choice"
        );
        assert!(area_of_benefit(s, &alpha, Some(3)).await.unwrap().is_none());

        // The other programme has chosen nothing and sees none of it.
        assert!(versions(s, &beta).await.unwrap().is_empty());
        assert!(
            useit_app::place::profile(s, &beta, Some(1))
                .await
                .unwrap()
                .is_none()
        );
    }
);

story!(
    bad_choices_name_every_field_and_save_nothing,
    |store: Arc<dyn Store>| async move {
        let (alpha, _) = setup(&store).await;
        let s = store.as_ref();
        let unknown_index = SelectionInput {
            index: "imd1066".into(),
            ..by_ward(&[SANDWELL_WARD], &[], "")
        };
        assert_eq!(
            fields(
                preview_area_of_benefit(s, &alpha, &unknown_index)
                    .await
                    .unwrap_err()
            ),
            [("index".to_string(), "aob.index_required".to_string())]
        );
        // A postcode with O for 0, a distance that is not a number, a site
        // that is not in the postcode data, an area that does not exist.
        let bad = SelectionInput {
            index: "imd2019".into(),
            radii: vec![
                RadiusInput {
                    postcode: "B66 OQT".into(),
                    km: "two".into(),
                    ..Default::default()
                },
                RadiusInput {
                    postcode: "ZZ9 9ZZ".into(),
                    km: "1".into(),
                    ..Default::default()
                },
            ],
            areas: vec!["E0199999X".into()],
            ..Default::default()
        };
        let found = fields(save_area_of_benefit(s, &alpha, &bad).await.unwrap_err());
        assert_eq!(
            found.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
            [
                "radii/0/km",
                "radii/0/postcode",
                "radii/1/postcode",
                "areas"
            ]
        );
        assert_eq!(found[2].1, "aob.postcode_not_placed");

        // Everything chosen is excluded: a preview says so, a save refuses.
        let code = in_ward(SANDWELL_WARD, &[]).into_iter().next().unwrap();
        let empty = SelectionInput {
            areas: vec![code.clone()],
            exclude: vec![code],
            ..by_ward(&[], &[], "")
        };
        let p = preview_area_of_benefit(s, &alpha, &empty).await.unwrap();
        assert!(p.resolution.codes.is_empty());
        assert_eq!(p.resolution.excluded, 1);
        assert_eq!(
            fields(save_area_of_benefit(s, &alpha, &empty).await.unwrap_err()),
            [("local_authorities".to_string(), "aob.empty".to_string())]
        );
        assert!(versions(s, &alpha).await.unwrap().is_empty());

        // A site placed by its postcode takes the areas around it.
        let site = SelectionInput {
            index: "imd2019".into(),
            radii: vec![RadiusInput {
                postcode: "b66 2qt".into(),
                km: "0.5".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let p = preview_area_of_benefit(s, &alpha, &site).await.unwrap();
        assert_eq!(p.selection.radii[0].label, "B66 2QT");
        assert!(p.resolution.by_radius > 0);
        assert!(p.resolution.codes.contains("E01010063"), "its own area");
    }
);

story!(
    only_those_who_may_edit_choose_the_area_of_benefit,
    |store: Arc<dyn Store>| async move {
        let (alpha, _) = setup(&store).await;
        let s = store.as_ref();
        let user = UserId(uuid::Uuid::now_v7());
        let caseworker = Caller::member(
            alpha.programme,
            user,
            Role::EmploymentCaseworker,
            Actor::user(user, "cw@example.org", Channel::Web),
        );
        let input = by_ward(&[SANDWELL_WARD], &[], "");
        assert!(matches!(
            preview_area_of_benefit(s, &caseworker, &input).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            save_area_of_benefit(s, &caseworker, &input).await,
            Err(Error::Refused)
        ));
        assert!(matches!(
            editor(s, &caseworker, "").await,
            Err(Error::Refused)
        ));
        assert!(versions(s, &alpha).await.unwrap().is_empty());
        // Everyone sees it once it is chosen.
        save_area_of_benefit(s, &alpha, &input).await.unwrap();
        assert_eq!(versions(s, &caseworker).await.unwrap().len(), 1);
        assert!(
            postcode(s, &caseworker, "B66 2QT")
                .await
                .unwrap()
                .in_area_of_benefit
                .is_some()
        );

        // The editor offers the indices, and the districts and wards of the
        // chosen index's scheme (the first index when none is asked for).
        let ed = editor(s, &alpha, "").await.unwrap();
        assert_eq!(ed.index, "imd2019");
        assert_eq!(
            ed.indices
                .iter()
                .map(|i| i.code.as_str())
                .collect::<Vec<_>>(),
            ["imd2019"]
        );
        let la_names: Vec<&str> = ed
            .local_authorities
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(la_names, ["Birmingham", "Sandwell"]);
        let ward_codes: BTreeSet<&str> = ed.wards.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(ward_codes, WARDS.into_iter().collect());
        assert_eq!(
            ed.local_authorities.iter().map(|l| l.areas).sum::<i64>(),
            sample_areas().len() as i64
        );
        assert_eq!(
            local_authorities(s, &alpha, "lsoa11").await.unwrap(),
            ed.local_authorities
        );
        assert_eq!(wards(s, &alpha, "lsoa11").await.unwrap(), ed.wards);
        assert!(editor(s, &alpha, "imd1066").await.unwrap().wards.is_empty());
    }
);

story!(
    the_areas_list_and_one_area_follow_the_area_of_benefit,
    |store: Arc<dyn Store>| async move {
        let (alpha, _) = setup(&store).await;
        let s = store.as_ref();
        let all = sample_areas();
        let list = areas(s, &alpha, &AreaListQuery::default(), PageRequest::all())
            .await
            .unwrap();
        assert_eq!(list.areas.total, all.len() as u64);
        assert_eq!(
            (list.query.scheme.as_str(), list.query.index.as_deref()),
            ("lsoa11", Some("imd2019")),
            "the first index loaded, before an area of benefit is chosen"
        );
        assert!(list.area_of_benefit.is_none() && list.in_area_of_benefit.is_empty());
        let code = in_ward(SANDWELL_WARD, &[1]).into_iter().next().unwrap();
        assert_eq!(area(s, &alpha, &code).await.unwrap().in_aob, None);

        let chosen = in_ward(SANDWELL_WARD, &[1, 2]);
        save_area_of_benefit(s, &alpha, &by_ward(&[SANDWELL_WARD], &[1, 2], ""))
            .await
            .unwrap();
        let only = AreaListQuery {
            in_aob: Some("yes".into()),
            sort: Some("rank".into()),
            ..Default::default()
        };
        let list = areas(s, &alpha, &only, PageRequest::new(Some(1), Some(2)))
            .await
            .unwrap();
        assert_eq!(list.areas.total, chosen.len() as u64);
        assert_eq!(list.areas.items.len(), 2.min(chosen.len()));
        assert_eq!(list.in_area_of_benefit, chosen);
        let everything = areas(s, &alpha, &only, PageRequest::all()).await.unwrap();
        let ranks: Vec<i64> = everything
            .areas
            .items
            .iter()
            .map(|r| r.rank.unwrap())
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "sorted by rank");
        assert_eq!(
            everything
                .areas
                .items
                .iter()
                .map(|r| r.area.code.clone())
                .collect::<BTreeSet<_>>(),
            chosen
        );
        let worst = AreaListQuery {
            decile: Some("1".into()),
            ..Default::default()
        };
        let d = deciles();
        let ones = areas(s, &alpha, &worst, PageRequest::all()).await.unwrap();
        assert_eq!(
            ones.areas.total as usize,
            all.iter().filter(|a| d[&a.code] == 1).count()
        );

        // One area: its rank, whether it is chosen, its live postcodes.
        let a = area(s, &alpha, &code).await.unwrap();
        assert_eq!(a.in_aob, Some(true));
        assert_eq!(a.deprivation.as_ref().unwrap().decile, 1);
        assert_eq!(a.index.as_ref().unwrap().areas_ranked, 32_844);
        let live = sample()
            .iter()
            .flat_map(|l| l.postcodes.iter())
            .filter(|p| p.is_live() && p.area_in("lsoa11") == Some(code.as_str()))
            .count();
        assert_eq!(a.live_postcodes, live as i64);
        let outside = in_ward(BIRMINGHAM_WARD, &[]).into_iter().next().unwrap();
        assert_eq!(area(s, &alpha, &outside).await.unwrap().in_aob, Some(false));
        assert!(matches!(
            area(s, &alpha, "E0199999X").await,
            Err(Error::NotFound)
        ));
    }
);

story!(
    postcodes_get_the_same_answer_from_the_database_and_the_table,
    |store: Arc<dyn Store>| async move {
        let (alpha, beta) = setup(&store).await;
        let s = store.as_ref();
        save_area_of_benefit(s, &alpha, &by_ward(&[SANDWELL_WARD], &[1, 2], ""))
            .await
            .unwrap();
        let mut inputs: Vec<String> = sample()
            .iter()
            .flat_map(|l| l.postcodes.iter())
            .map(|p| p.postcode.to_lowercase())
            .collect();
        assert!(inputs.len() > 100);
        inputs.extend(["B66 OQT", "ZZ9 9ZZ", ""].map(String::from));
        let table = lookup_table(s, Some(&alpha)).await.unwrap().unwrap();
        let from_db = lookup(s, &alpha, &inputs).await.unwrap();
        assert_eq!(
            from_db.len(),
            inputs.len(),
            "one answer per input, in order"
        );
        let aob = in_ward(SANDWELL_WARD, &[1, 2]);
        for (input, db) in inputs.iter().zip(&from_db) {
            let t = table.answer(input);
            assert_eq!(
                (
                    &db.input,
                    db.status,
                    &db.postcode,
                    &db.area_code,
                    db.decile,
                    &db.ward_name,
                    db.in_area_of_benefit
                ),
                (
                    &t.input,
                    t.status,
                    &t.postcode,
                    &t.area_code,
                    t.decile,
                    &t.ward_name,
                    t.in_area_of_benefit
                ),
                "{input}"
            );
            if let Some(code) = &db.area_code {
                assert_eq!(db.in_area_of_benefit, Some(aob.contains(code)), "{input}");
            }
        }
        for status in [
            LookupStatus::Ok,
            LookupStatus::Terminated,
            LookupStatus::Invalid,
            LookupStatus::Unknown,
        ] {
            assert!(
                from_db.iter().any(|r| r.status == status),
                "the inputs cover {status:?}"
            );
        }

        // One at a time: input that is not a postcode is invalid, an
        // unknown postcode is an answer.
        let ok = postcode(s, &alpha, "b66 2qt").await.unwrap();
        assert_eq!(
            (ok.postcode.as_deref(), ok.area_code.as_deref(), ok.decile),
            (Some("B66 2QT"), Some("E01010063"), Some(1))
        );
        let e = postcode(s, &alpha, "B66 OQT").await.unwrap_err();
        assert_eq!(
            fields(e),
            [("postcode".to_string(), "raw.text".to_string())]
        );
        assert_eq!(
            postcode(s, &alpha, "ZZ9 9ZZ").await.unwrap().status,
            LookupStatus::Unknown
        );
        // Another programme's answers know nothing of this area of benefit.
        assert_eq!(
            postcode(s, &beta, "B66 2QT")
                .await
                .unwrap()
                .in_area_of_benefit,
            None
        );
        assert!(
            lookup_table(s, None)
                .await
                .unwrap()
                .unwrap()
                .basis
                .area_of_benefit
                .is_none()
        );

        let too_many = vec!["B66 2QT".to_string(); MAX_BULK + 1];
        assert_eq!(
            fields(lookup(s, &alpha, &too_many).await.unwrap_err()),
            [("postcodes".to_string(), "lookup.too_many".to_string())]
        );
        assert_eq!(
            lookup(s, &alpha, &too_many[..MAX_BULK])
                .await
                .unwrap()
                .len(),
            MAX_BULK
        );
    }
);

fn shipped(file: &str) -> String {
    let p = format!("{}/../../data/place/{file}", env!("CARGO_MANIFEST_DIR"));
    read_text(&p, &std::fs::read(&p).unwrap()).unwrap()
}

story!(
    reference_files_load_once_and_a_bad_one_loads_nothing,
    |store: Arc<dyn Store>| async move {
        let s = store.as_ref();
        assert!(lookup_table(s, None).await.unwrap().is_none());
        let g = geographies(s).await.unwrap();
        assert!(g.schemes.is_empty() && g.indices.is_empty());

        let text = shipped("iod2019_lsoa11_west_midlands_ca.csv.gz");
        let spec = LoadSpec::from(preset("iod2019").unwrap());
        let file = ReferenceFile {
            name: "iod2019.csv",
            text: &text,
            spec: &spec,
        };
        let seen = std::sync::Mutex::new(Vec::new());
        let first = load_reference(s, &actor(), file, &|n| seen.lock().unwrap().push(n))
            .await
            .unwrap();
        assert_eq!(first.outcome, 2 * 1680, "the areas and their ranks");
        assert_eq!(first.report.error_count(), 0);
        assert_eq!(seen.lock().unwrap().last(), Some(&3360));
        let again = load_reference(s, &actor(), file, &|_| {}).await.unwrap();
        assert_eq!(again.outcome, first.outcome);
        let g = geographies(s).await.unwrap();
        assert_eq!(g.schemes.len(), 1);
        assert_eq!(
            (g.schemes[0].scheme.code.as_str(), g.schemes[0].areas),
            ("lsoa11", 1680),
            "loading again changed nothing"
        );
        assert_eq!(indices(s).await.unwrap(), g.indices);
        assert_eq!(g.indices[0].code, "imd2019");

        // A bad rank stops the whole file, named by line and column.
        let bad = LoadSpec {
            kind: Kind::Index,
            scheme: Some(AreaScheme {
                code: "dz11".into(),
                name: "Data zone 2011".into(),
                country: "Scotland".into(),
                level: "Data zone".into(),
            }),
            areas_map: None,
            index: Some(DeprivationIndex {
                code: "simd".into(),
                name: "SIMD".into(),
                scheme: "dz11".into(),
                areas_ranked: 6976,
                source: String::new(),
            }),
            map: ColumnMap::parse(&["area_code=dz".into(), "rank=rank".into()]).unwrap(),
            names_kind: None,
            order: RankOrder::MostDeprivedFirst,
            format: Default::default(),
            ranking: Default::default(),
        };
        let file = ReferenceFile {
            name: "simd.csv",
            text: "dz,rank\nS01000001,17\nS01000002,many\n",
            spec: &bad,
        };
        match load_reference(s, &actor(), file, &|_| {}).await {
            Err(Error::Rejected(report)) => {
                assert_eq!(report.file, "simd.csv");
                assert_eq!(report.error_count(), 1);
                assert_eq!(report.problems[0].line, 3);
            }
            other => panic!("expected the file rejected, got {other:?}"),
        }
        let g = geographies(s).await.unwrap();
        assert_eq!(
            (g.schemes.len(), g.indices.len()),
            (1, 1),
            "nothing of the bad file was loaded"
        );
    }
);
