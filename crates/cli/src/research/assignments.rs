//! `useit research assign|end-assignment|assignments|add-time|income`:
//! researchers assigned to projects, hours entered (refused, naming the
//! field, on a day no assignment covers) and each researcher's income by
//! year, over the same use cases as the pages.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use useit_app::research::assignments::{
    assign, end_assignment, project_assignments, researcher_assignments,
};
use useit_app::research::income::{income, researcher_income};
use useit_app::research::work::submit_time;
use useit_app::{Caller, Store};
use useit_core::i18n::t;
use useit_core::research::assignment::{Assignment, AssignmentInput, EndInput};
use useit_core::research::income::PayerYear;
use useit_core::research::work::{TimeInput, hours_text};
use uuid::Uuid;

use super::survey::find_project;
use crate::input::programme;
use crate::say;

#[derive(Args)]
pub struct AssignArgs {
    #[arg(long)]
    pub programme: String,
    /// The project: its id or its title.
    #[arg(long)]
    pub project: String,
    /// The researcher's id.
    #[arg(long)]
    pub researcher: Uuid,
    /// The first day (YYYY-MM-DD or 1/10/2024).
    #[arg(long)]
    pub from: String,
    /// The last day (none: open).
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Args)]
pub struct EndAssignmentArgs {
    #[arg(long)]
    pub programme: String,
    /// The assignment's id.
    #[arg(long)]
    pub id: Uuid,
    /// The last day the researcher is on the project.
    #[arg(long)]
    pub to: String,
}

#[derive(Args)]
pub struct AssignmentsArgs {
    #[arg(long)]
    pub programme: String,
    /// A project (its id or its title): its researchers.
    #[arg(long, conflicts_with = "researcher")]
    pub project: Option<String>,
    /// A researcher's id: their projects.
    #[arg(long)]
    pub researcher: Option<Uuid>,
}

#[derive(Args)]
pub struct AddTimeArgs {
    #[arg(long)]
    pub programme: String,
    /// The researcher's id.
    #[arg(long)]
    pub researcher: Uuid,
    /// The project: its id or its title.
    #[arg(long)]
    pub project: String,
    /// The day worked.
    #[arg(long)]
    pub day: String,
    /// Hours that day (`3.5` or `3:30`).
    #[arg(long)]
    pub hours: String,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Args)]
pub struct IncomeArgs {
    #[arg(long)]
    pub programme: String,
    /// One researcher's (their id); every researcher's without it.
    #[arg(long)]
    pub researcher: Option<Uuid>,
}

fn line(a: &Assignment) -> String {
    let researcher = a
        .researcher_name
        .clone()
        .unwrap_or_else(|| t("research.researcher.erased_title").into());
    match a.ends_on {
        Some(to) => say(
            "cli.research.assignment_line",
            &[
                ("id", &a.id),
                ("project", &a.project_title),
                ("researcher", &researcher),
                ("from", &a.starts_on),
                ("to", &to),
            ],
        ),
        // No last day: "from … with no end set", not "to Open".
        None => say(
            "cli.research.assignment_line_open",
            &[
                ("id", &a.id),
                ("project", &a.project_title),
                ("researcher", &researcher),
                ("from", &a.starts_on),
            ],
        ),
    }
}

fn cell(c: Option<PayerYear>) -> String {
    match c {
        None => t("research.income_of.nothing").into(),
        Some(PayerYear {
            pence: Some(p),
            minutes,
            ..
        }) => say(
            "cli.research.income_amount",
            &[
                ("pay", &useit_core::money::format_pence(p)),
                ("hours", &hours_text(minutes)),
            ],
        ),
        Some(c) => say(
            "cli.research.income_unpriced",
            &[
                ("hours", &hours_text(c.unpriced_minutes)),
                ("total", &hours_text(c.minutes)),
            ],
        ),
    }
}

fn print_years(name: &str, years: &[useit_core::research::income::IncomeYear]) {
    if years.is_empty() {
        println!(
            "{}",
            say("cli.research.income_none", &[("researcher", &name)])
        );
    }
    for y in years {
        println!(
            "{}",
            say(
                "cli.research.income_line",
                &[
                    ("researcher", &name),
                    ("year", &y.year),
                    ("programme", &cell(y.programme)),
                    ("social_lab", &cell(y.social_lab)),
                ],
            )
        );
    }
}

pub async fn run_assign(store: &Arc<dyn Store>, a: AssignArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let s = store.as_ref();
    let project = find_project(s, &caller, &a.project).await?;
    let done = assign(
        s,
        &caller,
        project.id,
        &AssignmentInput {
            researcher: a.researcher.to_string(),
            starts_on: a.from,
            ends_on: a.to.unwrap_or_default(),
        },
    )
    .await?;
    println!("{}", line(&done));
    Ok(ExitCode::SUCCESS)
}

pub async fn run_end(store: &Arc<dyn Store>, a: EndAssignmentArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let done = end_assignment(store.as_ref(), &caller, a.id, &EndInput { ends_on: a.to }).await?;
    println!("{}", line(&done));
    Ok(ExitCode::SUCCESS)
}

pub async fn run_list(store: &Arc<dyn Store>, a: AssignmentsArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let s = store.as_ref();
    let list = match (&a.project, a.researcher) {
        (Some(p), _) => {
            let project = find_project(s, &caller, p).await?;
            project_assignments(s, &caller, project.id).await?
        }
        (None, Some(r)) => researcher_assignments(s, &caller, r).await?,
        (None, None) => {
            let mut all = Vec::new();
            for p in useit_app::research::projects::projects(s, &caller).await? {
                all.extend(project_assignments(s, &caller, p.id).await?);
            }
            all
        }
    };
    for a in &list {
        println!("{}", line(a));
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run_add_time(store: &Arc<dyn Store>, a: AddTimeArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let s = store.as_ref();
    let project = find_project(s, &caller, &a.project).await?;
    let e = submit_time(
        s,
        &caller,
        &TimeInput {
            researcher: a.researcher.to_string(),
            project: project.id.to_string(),
            worked_on: a.day,
            hours: a.hours,
            note: a.note,
        },
    )
    .await?;
    println!(
        "{}",
        say(
            "cli.research.time_added",
            &[
                ("id", &e.id),
                ("hours", &hours_text(u64::from(e.minutes))),
                ("day", &e.worked_on),
                ("project", &e.project_title),
            ],
        )
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn run_income(store: &Arc<dyn Store>, a: IncomeArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let s = store.as_ref();
    match a.researcher {
        Some(r) => {
            let got = researcher_income(s, &caller, r).await?;
            let name = got.name.unwrap_or_else(|| r.to_string());
            print_years(&name, &got.years);
        }
        None => {
            let v = income(s, &caller).await?;
            for r in &v.researchers {
                let name = r.name.clone().unwrap_or_else(|| r.researcher.to_string());
                print_years(&name, &r.years);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
