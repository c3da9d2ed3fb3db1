//! `useit bench indicators`: the time to compute the programme home page's
//! figures for a programme with large data. A throw-away SQLite database is
//! filled through the use cases the pages call: the demo's geography and
//! an area of benefit, N spend lines (the spend benchmark's generated
//! NHS-shaped files, imported through the import path, their suppliers in
//! a register with real postcodes), residents in the talent strand (one
//! people file, some in work), community researchers with approved hours,
//! enterprises with support and income over five years, the trust's
//! workforce for five years, its interactions with the organisations it
//! pays, and communities with adopted plans (`indicators_data`), so that
//! every indicator is computed and none is "not known".
//! Then `programme::indicators::indicators` runs once cold (the ledger read
//! from the database and placed) and `repeat` times warm (the placed ledger
//! kept while the store's revision stands, as the server keeps it), and
//! then the funder report is written as a PDF for the five years.

use std::process::ExitCode;
use std::time::Instant;

use useit_app::Caller;
use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::{Ledgers, SpendUpload, import_spend_file};
use useit_app::enterprise::profiles::{add_enterprise, save_profile};
use useit_app::enterprise::records::{add_support, save_income};
use useit_app::programme::indicators::{indicators, save_targets};
use useit_app::programme::report::report_pdf;
use useit_app::research::researchers::create_researcher;
use useit_app::talent::import::{PeopleUpload, import_people};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::audit::Actor;
use useit_core::enterprise::income::IncomeInput;
use useit_core::enterprise::profile::{NewEnterpriseInput, ProfileInput};
use useit_core::enterprise::support::SupportInput;
use useit_core::programme::indicators::{Figure, figure_text};
use useit_core::programme::targets::{TargetInput, TargetsInput};
use useit_core::research::researcher::ResearcherInput;

use super::spend::{generate, peak_mib};
use super::{Scratch, secs};
use crate::demo::Seeded;

use super::indicators_data as data;

const RESEARCHERS: usize = 300;
/// The trust's staff in the generated workforce files.
const STAFF: usize = 5_000;
/// The organisations the trust works with, of those it pays.
const INTERACTIONS: usize = 40;
const ENTERPRISES: usize = 200;
const YEARS: [i32; 5] = [2021, 2022, 2023, 2024, 2025];

fn day(rng: &mut Seeded) -> String {
    let y = YEARS[rng.below(5) as usize];
    format!("{y}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28))
}

pub fn run(lines: usize, people: usize, repeat: usize) -> anyhow::Result<ExitCode> {
    let dir = Scratch(
        std::env::temp_dir().join(format!("useit-bench-indicators-{}", std::process::id())),
    );
    std::fs::create_dir_all(&dir.0)?;
    let url = format!("sqlite://{}", dir.0.join("bench.db").display());
    let t = Instant::now();
    let g = generate(&dir.0, lines, 20_000)?;
    println!(
        "generated {lines} spend lines in 12 files in {:.1} s",
        secs(t)
    );
    let rt = tokio::runtime::Handle::current();
    rt.block_on(async {
        let store = useit_store::connect(&url).await?;
        let s = store.as_ref();
        let p = store
            .create_programme(
                &useit_core::programme::NewProgramme::validate("bench-indicators", "Bench", "")
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                None,
                &Actor::system("bench"),
            )
            .await?;
        let caller = Caller::system(p.id, "bench");
        let mut rng = Seeded::new(2020);

        let t = Instant::now();
        let places = data::geography(&store, &caller).await?;
        let anchor = AnchorInput {
            slug: "trust".into(),
            name: "Bench Trust".into(),
            kind: "nhs_trust".into(),
            local_authority_code: data::LOCAL_AUTHORITY.into(),
            ..Default::default()
        };
        save_anchor(s, &caller, &anchor).await?;
        let registered = data::register(s, &caller, &g.orgs, &places).await?;
        println!(
            "loaded the demo geography, an area of benefit and {registered} register entries with real postcodes in {:.1} s",
            secs(t)
        );

        let t = Instant::now();
        for f in &g.files {
            let bytes = std::fs::read(f)?;
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let upload = SpendUpload {
                anchor: &anchor.slug,
                file_name: &name,
                bytes: &bytes,
                options: Default::default(),
            };
            match import_spend_file(s, &caller, upload, &|_| {}).await {
                Ok(_) => {}
                Err(useit_app::Error::Rejected(r)) => anyhow::bail!("{r}"),
                Err(e) => return Err(e.into()),
            }
        }
        println!("imported the spend files in {:.1} s", secs(t));

        let t = Instant::now();
        let mut csv = String::from(
            "full_name,email,profession,qualification_country,lawful_basis,consent_given_on\n",
        );
        for i in 0..people {
            csv.push_str(&format!(
                "Resident {i},resident{i}@example.net,nurse,Syria,consent,{}\n",
                day(&mut rng)
            ));
        }
        let upload = PeopleUpload {
            file_name: "people.csv",
            bytes: csv.as_bytes(),
        };
        match import_people(s, &caller, upload, &|_| {}).await {
            Ok(_) => {}
            Err(useit_app::Error::Rejected(r)) => anyhow::bail!("{r}"),
            Err(e) => return Err(e.into()),
        }
        // One in five in work (NHS, care or other), from a day of the five
        // years, recorded as a caseworker records it.
        let everyone = useit_app::talent::people::people(
            s,
            &caller,
            &useit_core::talent::person::PeopleQuery::default(),
            useit_core::listing::PageRequest::all(),
        )
        .await?;
        let mut in_work = 0;
        for (i, person) in everyone.items.iter().enumerate().filter(|(i, _)| i % 5 == 0) {
            let input = useit_core::talent::record::RecordInput {
                action: "work".into(),
                work: ["nhs", "care_sector", "other"][(i / 5) % 3].into(),
                work_on: day(&mut rng),
                ..Default::default()
            };
            useit_app::talent::records::change_records(s, &caller, person.id, &input).await?;
            in_work += 1;
        }
        println!(
            "imported {people} residents ({in_work} of them into work) in {:.1} s",
            secs(t)
        );

        let t = Instant::now();
        let mut made = Vec::with_capacity(RESEARCHERS);
        for i in 0..RESEARCHERS {
            let accredited = rng.below(5) != 0;
            let on = day(&mut rng);
            let or_blank = |v: &str| if accredited { v.to_string() } else { String::new() };
            let r = create_researcher(
                s,
                &caller,
                &ResearcherInput {
                    full_name: format!("Researcher {i}"),
                    channel: "event".into(),
                    recruited_on: "2021-01-04".into(),
                    lawful_basis: "consent".into(),
                    consent_given_on: "2021-01-04".into(),
                    qualification: or_blank("Community research"),
                    level: or_blank("2"),
                    awarding_body: or_blank("Open College Network"),
                    accredited_on: or_blank(&on),
                    ..Default::default()
                },
            )
            .await?;
            made.push(r);
        }
        let hours = data::research_hours(s, &caller, &made, 4, &YEARS).await?;
        for i in 0..ENTERPRISES {
            let e = add_enterprise(
                s,
                &caller,
                &NewEnterpriseInput {
                    name: format!("Enterprise {i} CIC"),
                    postcode: String::new(),
                },
            )
            .await?;
            save_profile(
                s,
                &caller,
                e.id,
                &ProfileInput {
                    legal_form: "cic".into(),
                    social_purpose: "yes".into(),
                    reinvests_profits: "yes".into(),
                    mission_ownership: "yes".into(),
                    ..Default::default()
                },
            )
            .await?;
            for _ in 0..5 {
                add_support(
                    s,
                    &caller,
                    e.id,
                    &SupportInput {
                        given_on: day(&mut rng),
                        kind: "bid_writing".into(),
                        hours: "2".into(),
                        outcome: "Bid drafted".into(),
                        plan_stage: "drafting".into(),
                    },
                )
                .await?;
            }
            for y in YEARS {
                save_income(
                    s,
                    &caller,
                    e.id,
                    &IncomeInput {
                        year: y.to_string(),
                        grants: (10_000 + rng.below(90_000)).to_string(),
                        trading: (10_000 + rng.below(90_000)).to_string(),
                        ..Default::default()
                    },
                )
                .await?;
            }
        }
        let target = |i: &str, v: &str| TargetInput {
            indicator: i.into(),
            value: v.into(),
            ..Default::default()
        };
        save_targets(
            s,
            &caller,
            &TargetsInput {
                targets: vec![
                    target("researchers_accredited", "60"),
                    target("talent_engaged", "60"),
                    target("enterprises_supported", "120"),
                ],
            },
        )
        .await?;
        println!(
            "added {RESEARCHERS} researchers ({hours} days of approved hours) and {ENTERPRISES} enterprises (support and income over {} years) in {:.1} s",
            YEARS.len(),
            secs(t)
        );
        let t = Instant::now();
        data::workforce(s, &caller, &anchor.slug, &YEARS, STAFF, &places).await?;
        data::interactions(s, &caller, &anchor.slug, g.orgs.len(), INTERACTIONS, &YEARS).await?;
        data::communities(s, &caller).await?;
        println!(
            "added {} years of the trust's workforce ({STAFF} staff), {INTERACTIONS} interactions and 3 communities (2 plans adopted) in {:.1} s",
            YEARS.len(),
            secs(t)
        );

        let ledgers = Ledgers::default();
        let t = Instant::now();
        let first = indicators(s, &caller, &ledgers).await?;
        let cold = secs(t);
        let mut times = Vec::with_capacity(repeat);
        for _ in 0..repeat.max(1) {
            let t = Instant::now();
            let again = indicators(s, &caller, &ledgers).await?;
            times.push(secs(t));
            anyhow::ensure!(
                again.figures == first.figures,
                "the figures changed between runs"
            );
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        for p in &first.figures {
            println!(
                "  {:<30} {}",
                p.indicator.slug(),
                figure_text(&p.figure)
            );
        }
        let unknown: Vec<&str> = first
            .figures
            .iter()
            .filter(|p| matches!(p.figure, Figure::NotKnown { .. }))
            .map(|p| p.indicator.slug())
            .collect();
        anyhow::ensure!(
            unknown.is_empty(),
            "indicators not computed from the generated data: {}",
            unknown.join(", ")
        );
        println!(
            "home page figures, {lines} spend lines, {people} residents: first {:.0} ms (ledger read and placed), then median {:.1} ms over {} requests (min {:.1}, max {:.1}); goal ≤ 50 ms; peak memory {:.0} MiB",
            cold * 1000.0,
            median * 1000.0,
            times.len(),
            times[0] * 1000.0,
            times[times.len() - 1] * 1000.0,
            peak_mib()
        );

        // The funder report as a PDF over the five years, with the ledger
        // already placed (as the server holds it): the indicators, the
        // stories, partners and workshops read, then laid out and written.
        let query = useit_core::programme::report::ReportQuery {
            from: Some(format!("{}-01-01", YEARS[0])),
            to: Some(format!("{}-12-31", YEARS[YEARS.len() - 1])),
        };
        let mut pdf_times = Vec::with_capacity(repeat.max(1));
        let mut size = 0;
        for _ in 0..repeat.max(1) {
            let t = Instant::now();
            let pdf = report_pdf(s, &caller, &ledgers, &query).await?;
            pdf_times.push(secs(t));
            size = pdf.len();
        }
        pdf_times.sort_by(f64::total_cmp);
        println!(
            "funder report PDF, {lines} spend lines, {people} residents: median {:.0} ms over {} (min {:.0}, max {:.0}), {} KiB; goal ≤ 2 s",
            pdf_times[pdf_times.len() / 2] * 1000.0,
            pdf_times.len(),
            pdf_times[0] * 1000.0,
            pdf_times[pdf_times.len() - 1] * 1000.0,
            size / 1024
        );
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
