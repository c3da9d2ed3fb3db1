//! `useit talent …`: professions files, people and vacancy imports, and the
//! strand's results, from the command line.

pub mod demo;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::place::home_place;
use useit_core::audit::Actor;
use useit_core::auth::{Capability, MemberQuery};
use useit_core::clock;
use useit_core::csv_import::{Report, decode};
use useit_core::i18n::t;
use useit_core::listing::PageRequest;
use useit_core::money::format_pence;
use useit_core::talent::person::{Caseload, ImportCounts};
use useit_core::talent::profession::{Professions, parse_profession};
use useit_core::talent::{person_csv, results, vacancy};
use useit_store::Store;
use useit_store::talent::PersonImportRow;

use crate::input::{programme, read};
use crate::{fail, progress, say};

#[derive(Subcommand)]
pub enum TalentCommand {
    /// Lists the shipped professions, or checks profession files before they are added.
    Professions(ProfessionsArgs),
    /// Imports vacancies from CSV (all or nothing; a reference already held is updated).
    Vacancies(ImportArgs),
    /// Imports people from CSV (all or nothing; an id from an export updates that person).
    People(ImportArgs),
    /// Prints the funnel, the barrier report and the savings.
    Results(ResultsArgs),
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
    let pid = programme(store, &a.programme).await?;
    let name = a.file.display().to_string();
    let (text, _) = decode(&read(&a.file)?);
    let mut report = Report::new(&name);
    let actor = Actor::console();
    let outcome: Option<ImportCounts> = if people {
        let rows =
            person_csv::parse_csv(&text, Professions::shipped(), clock::today(), &mut report);
        let members = store
            .members(
                pid,
                &MemberQuery::default(),
                PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE)),
            )
            .await?;
        let bar = progress::bar(rows.len() as u64, t("cli.progress.talent_people"));
        let mut out = Vec::new();
        for r in rows {
            bar.inc(1);
            let caseworker = match &r.caseworker_email {
                None => None,
                Some(email) => match members.items.iter().find(|m| {
                    m.user.email.eq_ignore_ascii_case(email) && m.role.can(Capability::EditPeople)
                }) {
                    Some(m) => Some(m.user.id),
                    None => {
                        report.push(useit_core::csv_import::Problem::error(
                            r.line,
                            None,
                            useit_core::i18n::Message::new(
                                "talent.person.unknown_caseworker_email",
                            )
                            .arg("email", email),
                        ));
                        continue;
                    }
                },
            };
            let home = home_place(store.as_ref(), pid, r.draft.postcode.as_deref()).await?;
            out.push(PersonImportRow {
                id: r.id,
                draft: r.draft,
                caseworker,
                home,
            });
        }
        bar.finish_and_clear();
        if report.has_errors() {
            None
        } else {
            Some(
                store
                    .import_people(pid, Caseload::All, &out, &actor)
                    .await?,
            )
        }
    } else {
        let rows = vacancy::parse_csv(&text, Professions::shipped(), &mut report);
        if report.has_errors() {
            None
        } else {
            let bar = progress::bar(rows.len() as u64, t("cli.progress.talent_vacancies"));
            let o = store.import_vacancies(pid, &rows, &actor).await?;
            bar.set_position(rows.len() as u64);
            bar.finish_and_clear();
            Some(o)
        }
    };
    eprint!("{report}");
    match outcome {
        Some(o) => {
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
        None => {
            eprintln!(
                "{}",
                say(
                    "cli.import_failed",
                    &[("file", &name), ("count", &report.error_count())]
                )
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

async fn print_results(store: &Arc<dyn Store>, a: ResultsArgs) -> anyhow::Result<ExitCode> {
    let pid = programme(store, &a.programme).await?;
    let today = clock::today();
    let settings = store.talent_settings(pid).await?;
    let f = results::funnel(&store.funnel_facts(pid).await?);
    println!("{}", t("talent.funnel.title"));
    for (key, n) in [
        ("talent.funnel.engaged", f.engaged),
        ("talent.funnel.on_pathway", f.on_pathway),
        ("talent.funnel.registered", f.registered),
        ("talent.funnel.into_nhs", f.into_nhs),
        ("talent.funnel.into_care", f.into_care),
        ("talent.funnel.into_other", f.into_other),
    ] {
        println!("  {:<32} {n:>6}", t(key));
    }
    println!(
        "{}",
        say(
            "cli.talent.targets",
            &[
                ("engaged", &settings.target_engaged),
                ("work", &settings.target_into_work)
            ]
        )
    );
    println!("{}", t("talent.barriers.title"));
    for b in results::barrier_report(&store.barrier_facts(pid).await?, today)
        .iter()
        .take(10)
    {
        let label = b
            .rule
            .clone()
            .unwrap_or_else(|| t(&b.barrier.label_key()).to_string());
        println!("  {label:<70} {:>4} {:>5}", b.people, b.median_days);
    }
    let s = results::savings(&store.filled_posts(pid).await?, &settings.savings, today);
    println!(
        "{}",
        say(
            "cli.talent.savings",
            &[
                ("low", &format_pence(s.per_year_conservative_pence)),
                ("central", &format_pence(s.per_year_central_pence)),
                ("not_costed", &s.posts_not_costed),
            ]
        )
    );
    Ok(ExitCode::SUCCESS)
}
