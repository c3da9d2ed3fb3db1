//! `useit anchors workforce …`: import anchors' workforce files and print
//! where their staff live, over the same use cases as the pages and the API.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::Caller;
use useit_app::anchors::anchor::anchor as anchor_of;
use useit_app::anchors::workforce::{
    WorkforceQuery, WorkforceUpload, import_workforce, workforce_measures,
};
use useit_core::anchors::workforce::Year;
use useit_core::anchors::workforce_publish::PeoplePay;
use useit_core::i18n::t;
use useit_store::Store;

use crate::input::{programme, read};
use crate::{fail, progress, say};

#[derive(Subcommand)]
pub enum WorkforceCommand {
    /// Imports workforce files for one anchor and year: counts by home area,
    /// or one row per employee (summed on import, never stored).
    Import(ImportArgs),
    /// Prints where each anchor's staff live, year by year.
    Measures(MeasuresArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    #[arg(long)]
    pub programme: String,
    /// The anchor's short name.
    #[arg(long)]
    pub anchor: String,
    /// The financial year: 2024 or 2024/25 (April 2024 to March 2025).
    #[arg(long)]
    pub year: String,
    /// The file (CSV or XLSX).
    pub file: PathBuf,
}

#[derive(Args)]
pub struct MeasuresArgs {
    #[arg(long)]
    pub programme: String,
    #[arg(long)]
    pub anchor: Option<String>,
    #[arg(long)]
    pub year: Option<String>,
}

pub async fn run(store: &Arc<dyn Store>, cmd: WorkforceCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        WorkforceCommand::Import(a) => import(store, a).await,
        WorkforceCommand::Measures(a) => measures(store, a).await,
    }
}

fn year_of(raw: &str) -> anyhow::Result<Year> {
    Year::parse(raw).map_err(|_| fail!("anchors.workforce.year_bad", "value" => raw))
}

async fn import(store: &Arc<dyn Store>, a: ImportArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    anchor_of(store.as_ref(), &caller, &a.anchor).await?;
    let year = year_of(&a.year)?;
    let name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = read(&a.file)?;
    let bar = progress::bar(1, t("cli.progress.workforce_import"));
    let result = import_workforce(
        store.as_ref(),
        &caller,
        WorkforceUpload {
            anchor: &a.anchor,
            year,
            file_name: &name,
            bytes: &bytes,
        },
    )
    .await;
    bar.finish_and_clear();
    match result {
        Err(useit_app::Error::Rejected(report)) => {
            eprint!("{report}");
            eprintln!(
                "{}",
                say(
                    "cli.import_failed",
                    &[("file", &name), ("count", &report.error_count())]
                )
            );
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
        Ok(i) => {
            eprint!("{}", i.report);
            let line = if i.outcome.already_imported {
                t("anchors.workforce.import.already").to_string()
            } else {
                say(
                    "anchors.workforce.import.done",
                    &[("cells", &i.outcome.cells), ("year", &year.label())],
                )
            };
            println!("{name}: {line}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn measures(store: &Arc<dyn Store>, a: MeasuresArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let year = match &a.year {
        Some(y) => Some(year_of(y)?),
        None => None,
    };
    let v = workforce_measures(
        store.as_ref(),
        &caller,
        &WorkforceQuery {
            anchor: a.anchor.clone(),
            year,
        },
    )
    .await?;
    if let Some(label) = v.viewer.label() {
        eprintln!("{}", label.text());
    }
    let pct = |s: Option<f64>, known: bool| match (s, known) {
        (Some(v), true) => useit_core::figures::percent_f64(v, 1),
        _ => t("anchors.workforce.not_known").to_string(),
    };
    println!(
        "anchor\tyear\tstaff\tpay\tarea_of_benefit\tarea_of_benefit_pay\tlocal_authority\tdeciles_1_2\tstarters_local\tstarters"
    );
    for y in &v.years {
        let p = &y.published;
        let total = p
            .area_of_benefit
            .people
            .total
            .map(|c| c.text())
            .unwrap_or_default();
        let pay = p
            .area_of_benefit
            .pay
            .total
            .map(|c| c.text())
            .unwrap_or_default();
        let not_known = || t("anchors.workforce.not_known").to_string();
        let starters_local = match &p.starters {
            Some(s) if v.area_of_benefit_known => s.cells[0].text(),
            _ => not_known(),
        };
        let starters_all = match &p.starters {
            Some(s) => s.total.map(|c| c.text()).unwrap_or_default(),
            None => not_known(),
        };
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            y.anchor_slug,
            y.year.label(),
            total,
            pay,
            pct(p.area_of_benefit.people_share(), v.area_of_benefit_known),
            pct(p.area_of_benefit.pay_share(), v.area_of_benefit_known),
            pct(p.local_authority.people_share(), y.local_authority_known),
            pct(p.deciles_1_2.people_share(), v.deciles_known),
            starters_local,
            starters_all,
        );
    }
    let not_known = || t("anchors.workforce.not_known").to_string();
    if v.area_of_benefit_known {
        println!();
        println!(
            "anchor\tyear\ttable\trow\tarea_of_benefit\tarea_of_benefit_pay\telsewhere\telsewhere_pay\tall\tlocal_authority\tlocal_authority_pay\tdeciles_1_2\tdeciles_1_2_pay"
        );
        for y in &v.years {
            let p = &y.published;
            for (name, tb) in [("band", &p.by_band), ("staff_group", &p.by_staff_group)] {
                for (i, row) in tb.rows.iter().enumerate() {
                    let other = |o: &PeoplePay, known: bool| -> [String; 2] {
                        if !known {
                            return [not_known(), not_known()];
                        }
                        [
                            format!(
                                "{} ({})",
                                o.people.cells[i][0].text(),
                                pct(o.people_share(Some(i)), true)
                            ),
                            format!(
                                "{} ({})",
                                o.pay.cells[i][0].text(),
                                pct(o.pay_share(Some(i)), true)
                            ),
                        ]
                    };
                    let [la, la_pay] = other(&tb.local_authority, y.local_authority_known);
                    let [d, d_pay] = other(&tb.deciles_1_2, v.deciles_known);
                    println!(
                        "{}\t{}\t{name}\t{row}\t{}\t{}\t{}\t{}\t{}\t{la}\t{la_pay}\t{d}\t{d_pay}",
                        y.anchor_slug,
                        y.year.label(),
                        tb.people.cells[i][0].text(),
                        tb.pay.cells[i][0].text(),
                        tb.people.cells[i][1].text(),
                        tb.pay.cells[i][1].text(),
                        tb.people.row_totals[i].text(),
                    );
                }
            }
        }
    }
    println!();
    println!("anchor\tyear\tplaced\tstarters\tplaced_share");
    for p in &v.placed {
        let pp = &p.published;
        println!(
            "{}\t{}\t{}\t{}\t{}",
            p.anchor_slug,
            p.year.label(),
            pp.placed.text(),
            pp.starters.map_or_else(not_known, |c| c.text()),
            pct(pp.share(), pp.starters.is_some()),
        );
    }
    Ok(ExitCode::SUCCESS)
}
