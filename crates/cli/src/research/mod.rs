//! `useit research …`: the payment run for payroll, the researchers file
//! and the strand's figures, over the same use cases as the pages.

pub mod assignments;
pub mod demo;
pub mod demo_findings;
pub mod demo_survey;
pub mod findings;
pub mod survey;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::research::researchers::researchers_file;
use useit_app::research::summary::summary;
use useit_app::research::work::pay_run;
use useit_app::{Caller, Store};
use useit_core::i18n::t;
use useit_core::money::format_pence;
use useit_core::research::researcher::ResearcherParams;
use useit_core::research::work::TimeParams;

use crate::input::programme;
use crate::{fail, progress, say};

#[derive(Subcommand)]
pub enum ResearchCommand {
    /// Writes the payment run (approved hours priced at the Real Living Wage
    /// in force on each day) as CSV for payroll.
    PayRun(PayRunArgs),
    /// Writes the researchers as CSV (personal data: the export is audited).
    Researchers(ProgrammeArgs),
    /// Prints the strand's figures.
    Summary(ProgrammeArgs),
    /// Sets a project's questionnaire from an XLSForm and imports a
    /// KoboToolbox / ODK submissions export (CSV) into its responses, all or
    /// nothing; the same files twice change nothing.
    ImportResponses(ImportResponsesArgs),
    /// Sets the programme's LM3 re-spend shares (staff and suppliers, low
    /// and high) from a project's re-spend survey, dated today, and prints
    /// them beside the shares they replace.
    UseRespend(ProjectArgs),
    /// Findings as CSV: `export` writes the programme's findings (filters
    /// as on the page), `import` reads the same shape back, all or nothing,
    /// every problem by line and column; the same file twice changes nothing.
    #[command(subcommand)]
    Findings(FindingsCommand),
    /// Prints the themes findings take: the programme's list, or with
    /// `--project` what that project's findings are offered (its own
    /// themes first, then the programme's). `--set FILE` first replaces
    /// the list (the project's own with `--project`), one theme a line.
    Themes(ThemesArgs),
    /// Assigns a researcher to a project from a day (to a day, or open).
    Assign(assignments::AssignArgs),
    /// Ends an assignment on a day; refused while hours after it would be
    /// left without one.
    EndAssignment(assignments::EndAssignmentArgs),
    /// Lists assignments: a project's researchers, a researcher's projects,
    /// or every project's.
    Assignments(assignments::AssignmentsArgs),
    /// Enters a researcher's hours on a project (refused before their
    /// accreditation, or on a day no assignment to the project covers).
    AddTime(assignments::AddTimeArgs),
    /// Prints each researcher's income by year, from the programme and
    /// from the Social Lab ("not known" where nothing is recorded).
    Income(assignments::IncomeArgs),
}

#[derive(Args)]
pub struct ThemesArgs {
    #[arg(long)]
    pub programme: String,
    /// A project (its id or its title): its own themes.
    #[arg(long)]
    pub project: Option<String>,
    /// A text file of themes, one a line, to replace the list with.
    #[arg(long)]
    pub set: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum FindingsCommand {
    Export(FindingsExportArgs),
    Import(FindingsImportArgs),
    /// Delete a finding (the deletion is audited).
    Delete(FindingsDeleteArgs),
}

#[derive(Args)]
pub struct FindingsDeleteArgs {
    #[arg(long)]
    pub programme: String,
    /// The finding's id.
    #[arg(long)]
    pub id: uuid::Uuid,
}

#[derive(Args)]
pub struct FindingsExportArgs {
    #[arg(long)]
    pub programme: String,
    /// Only this project's (its id).
    #[arg(long)]
    pub project: Option<String>,
    /// Only this theme's.
    #[arg(long)]
    pub theme: Option<String>,
    /// Where to write the CSV (standard output if not given).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct FindingsImportArgs {
    #[arg(long)]
    pub programme: String,
    /// The findings CSV (the export's shape).
    pub file: PathBuf,
}

#[derive(Args)]
pub struct ProjectArgs {
    #[arg(long)]
    pub programme: String,
    /// The project: its id or its title.
    #[arg(long)]
    pub project: String,
}

#[derive(Args)]
pub struct ImportResponsesArgs {
    #[arg(long)]
    pub programme: String,
    /// The project: its id or its title.
    #[arg(long)]
    pub project: String,
    /// The XLSForm (.xlsx) the survey was built in.
    pub form: PathBuf,
    /// The submissions export (CSV, `;` or `,` separated).
    pub submissions: PathBuf,
}

#[derive(Args)]
pub struct ProgrammeArgs {
    #[arg(long)]
    pub programme: String,
}

#[derive(Args)]
pub struct PayRunArgs {
    #[arg(long)]
    pub programme: String,
    /// First day of the period (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of the period.
    #[arg(long)]
    pub to: Option<String>,
    /// Where to write the CSV (standard output if not given).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub async fn run(url: &str, cmd: ResearchCommand) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    let code = match cmd {
        ResearchCommand::PayRun(a) => run_pay(&store, a).await?,
        ResearchCommand::ImportResponses(a) => survey::import(&store, a).await?,
        ResearchCommand::Findings(c) => findings::run(&store, c).await?,
        ResearchCommand::Themes(a) => findings::themes(&store, a).await?,
        ResearchCommand::Assign(a) => assignments::run_assign(&store, a).await?,
        ResearchCommand::EndAssignment(a) => assignments::run_end(&store, a).await?,
        ResearchCommand::Assignments(a) => assignments::run_list(&store, a).await?,
        ResearchCommand::AddTime(a) => assignments::run_add_time(&store, a).await?,
        ResearchCommand::Income(a) => assignments::run_income(&store, a).await?,
        ResearchCommand::UseRespend(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let s = store.as_ref();
            let project = survey::find_project(s, &caller, &a.project).await?;
            let done = useit_app::research::respend::use_respend(s, &caller, project.id).await?;
            let range = |bp: (i64, i64)| {
                format!(
                    "{}–{}",
                    useit_core::figures::percent_bp(bp.0),
                    useit_core::figures::percent_bp(bp.1)
                )
            };
            for (key, now, before, n) in [
                (
                    "cli.research.respend_staff",
                    done.now.staff_respend_bp,
                    done.previous.staff_respend_bp,
                    done.respend.staff.responses,
                ),
                (
                    "cli.research.respend_suppliers",
                    done.now.supplier_respend_bp,
                    done.previous.supplier_respend_bp,
                    done.respend.suppliers.responses,
                ),
            ] {
                println!(
                    "{}",
                    say(
                        key,
                        &[
                            ("now", &range(now)),
                            ("before", &range(before)),
                            ("responses", &useit_core::i18n::format_count(n)),
                        ],
                    )
                );
            }
            ExitCode::SUCCESS
        }
        ResearchCommand::Researchers(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let csv =
                researchers_file(store.as_ref(), &caller, &ResearcherParams::default()).await?;
            print!("{csv}");
            ExitCode::SUCCESS
        }
        ResearchCommand::Summary(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let s = summary(store.as_ref(), &caller).await?;
            println!(
                "{}",
                say(
                    "cli.research.summary",
                    &[
                        ("researchers", &s.researchers.text()),
                        ("accredited", &s.accredited.text()),
                        ("deciles", &s.deciles_1_2.text()),
                        ("known", &s.decile_known.text()),
                        ("hours", &(s.approved_minutes / 60)),
                        (
                            "pay",
                            &s.approved_pence
                                .map(format_pence)
                                .unwrap_or_else(|| t("research.fig.pay_not_known").into()),
                        ),
                    ],
                )
            );
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}

async fn run_pay(store: &Arc<dyn Store>, a: PayRunArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let bar = progress::bar(1, t("cli.progress.research_pay_run"));
    let params = TimeParams {
        from: a.from,
        to: a.to,
        ..Default::default()
    };
    let run = pay_run(store.as_ref(), &caller, &params).await;
    bar.finish_and_clear();
    let run = run?;
    let csv = run.to_csv();
    match &a.out {
        Some(path) => {
            let name = path.display().to_string();
            std::fs::write(path, csv)
                .map_err(|e| fail!("cli.cannot_write", "file" => &name, "reason" => e))?;
            eprintln!(
                "{}",
                say(
                    "cli.research.pay_run_written",
                    &[
                        ("file", &name),
                        ("lines", &run.lines.len()),
                        ("researchers", &run.totals.len()),
                        ("total", &format_pence(run.pence)),
                    ],
                )
            );
        }
        None => print!("{csv}"),
    }
    Ok(ExitCode::SUCCESS)
}
