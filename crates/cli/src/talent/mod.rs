//! `useit talent …`: professions files, people and vacancy imports, and the
//! strand's results, from the command line.

pub mod bulk;
pub mod demo;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::Store;
use useit_app::talent::import::{PeopleUpload, import_people};
use useit_app::talent::results::{Results, results};
use useit_app::talent::vacancies::{VacancyUpload, import_vacancies};
use useit_app::{Caller, Imported};
use useit_core::clock;
use useit_core::i18n::{format_count, t};
use useit_core::talent::profession::{Professions, parse_profession};

use crate::input::{programme, read};
use crate::{fail, progress, say};

#[derive(Subcommand)]
pub enum TalentCommand {
    /// Lists the shipped professions, or checks profession files before they are added.
    Professions(ProfessionsArgs),
    /// Imports vacancies from CSV (all or nothing; a reference already held is updated).
    Vacancies(ImportArgs),
    /// Imports people from CSV (all or nothing; an id from an export updates that person).
    ///
    /// The same rule as the page's import: a `caseworker_email` names the
    /// caseworker. A blank one on a new row leaves the person with no
    /// caseworker (the console is nobody's caseload), waiting in the list
    /// a manager sees; on an exported row (with an id) it means none.
    People(ImportArgs),
    /// Prints the funnel, the barrier report and the savings.
    Results(ResultsArgs),
    /// Records one change for many people at once (all or nothing, an
    /// audit entry each): a step passed, a barrier, support, a note, a
    /// work outcome or a caseworker.
    BulkPeople(bulk::BulkPeopleArgs),
    /// Moves many placements on to one status at once (all or nothing).
    BulkPlacements(bulk::BulkPlacementsArgs),
}

#[derive(Args)]
pub struct ProfessionsArgs {
    /// Profession files (TOML) to check; none lists the shipped ones.
    pub files: Vec<PathBuf>,
}

#[derive(Args)]
pub struct ImportArgs {
    #[arg(long)]
    pub programme: String,
    pub file: PathBuf,
}

#[derive(Args)]
pub struct ResultsArgs {
    #[arg(long)]
    pub programme: String,
}

pub async fn run(url: &str, cmd: TalentCommand) -> anyhow::Result<ExitCode> {
    if let TalentCommand::Professions(a) = cmd {
        return professions(a);
    }
    let store = useit_store::connect(url).await?;
    let code = match cmd {
        TalentCommand::Professions(_) => unreachable!("handled above"),
        TalentCommand::Vacancies(a) => import(&store, a, false).await?,
        TalentCommand::People(a) => import(&store, a, true).await?,
        TalentCommand::Results(a) => print_results(&store, a).await?,
        TalentCommand::BulkPeople(a) => bulk::bulk_people(&store, a).await?,
        TalentCommand::BulkPlacements(a) => bulk::bulk_placements(&store, a).await?,
    };
    store.close().await;
    Ok(code)
}

fn professions(a: ProfessionsArgs) -> anyhow::Result<ExitCode> {
    if a.files.is_empty() {
        for p in Professions::shipped().all() {
            let today = clock::today();
            let steps: Vec<&str> = p
                .rules_at(today)
                .steps
                .iter()
                .map(|s| s.code.as_str())
                .collect();
            println!("{:<24} {:<40} {}", p.code, p.regulator, steps.join(" → "));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut failed = false;
    for f in &a.files {
        let name = f.display().to_string();
        let text = std::fs::read_to_string(f)
            .map_err(|e| fail!("cli.cannot_read", "file" => &name, "reason" => e))?;
        match parse_profession(&name, &text) {
            Ok(p) => println!(
                "{}",
                say(
                    "cli.talent.profession_ok",
                    &[
                        ("file", &name),
                        ("name", &p.name),
                        ("rules", &p.rules.len())
                    ]
                )
            ),
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

async fn import(store: &Arc<dyn Store>, a: ImportArgs, people: bool) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let name = a.file.display().to_string();
    let bytes = read(&a.file)?;
    let result = if people {
        // Rows a line each, near enough for the bar (quoted line breaks aside).
        let rows = bytes
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            .saturating_sub(1);
        let bar = progress::bar(rows as u64, t("cli.progress.talent_people"));
        let upload = PeopleUpload {
            file_name: &name,
            bytes: &bytes,
        };
        let r = import_people(store.as_ref(), &caller, upload, &|n| bar.set_position(n)).await;
        bar.finish_and_clear();
        r
    } else {
        let bar = progress::bar(1, t("cli.progress.talent_vacancies"));
        let upload = VacancyUpload {
            file_name: &name,
            bytes: &bytes,
        };
        let r = import_vacancies(store.as_ref(), &caller, upload).await;
        bar.finish_and_clear();
        r
    };
    match result {
        Ok(Imported { outcome: o, report }) => {
            eprint!("{report}");
            println!(
                "{}: {}",
                name,
                say(
                    "talent.import.summary",
                    &[
                        ("created", &o.created),
                        ("updated", &o.updated),
                        ("unchanged", &o.unchanged)
                    ]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
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
    }
}

/// A target as the terminal shows it: the number, or "none set".
fn target_or_none(target: Option<u64>) -> String {
    target
        .map(format_count)
        .unwrap_or_else(|| t("cli.talent.no_target").to_string())
}

async fn print_results(store: &Arc<dyn Store>, a: ResultsArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let Results {
        settings: _,
        target_engaged,
        target_into_work,
        viewer,
        funnel: f,
        barriers,
        savings: s,
    } = results(store.as_ref(), &caller).await?;
    if let Some(label) = viewer.label() {
        println!("{}", label.text());
    }
    println!("{}", t("talent.funnel.title"));
    for (key, n) in [
        ("talent.funnel.engaged", f.engaged),
        ("talent.funnel.on_pathway", f.on_pathway),
        ("talent.funnel.registered", f.registered),
        ("talent.funnel.into_nhs", f.into_nhs),
        ("talent.funnel.into_care", f.into_care),
        ("talent.funnel.into_other", f.into_other),
    ] {
        println!("  {:<32} {:>6}", t(key), n.text());
    }
    println!(
        "{}",
        say(
            "cli.talent.targets",
            &[
                ("engaged", &target_or_none(target_engaged)),
                ("work", &target_or_none(target_into_work))
            ]
        )
    );
    println!("{}", t("talent.barriers.title"));
    for b in barriers.lines.iter().take(10) {
        let label = b
            .line
            .rule
            .clone()
            .unwrap_or_else(|| t(&b.line.barrier.label_key()).to_string());
        let days = b
            .line
            .median_days
            .map(|d| d.to_string())
            .unwrap_or_default();
        println!("  {label:<70} {:>4} {days:>5}", b.people.text());
    }
    println!(
        "{}",
        say(
            "cli.talent.savings",
            &[
                ("low", &s.per_year_conservative.text()),
                ("central", &s.per_year_central.text()),
                ("not_costed", &s.posts_not_costed.text()),
            ]
        )
    );
    Ok(ExitCode::SUCCESS)
}
