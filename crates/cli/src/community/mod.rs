//! `useit community …`: the programme's communities with their plans'
//! status and progress, adding a community with its area, and a
//! community's plan (printed, or its status and contents changed); over
//! the same use cases as the pages.

pub mod assets;
pub mod demo;

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::community::{add_community, communities, community, save_plan};
use useit_app::{Caller, Store};
use useit_core::community::plan::PlanInput;
use useit_core::community::record::{Community, CommunityInput};
use useit_core::i18n::t;
use useit_core::place::input::SelectionInput;

use crate::input::programme;
use crate::{fail, say};

#[derive(Subcommand)]
pub enum CommunityCommand {
    /// Lists the programme's communities with their plan's status and progress.
    List(ProgrammeArgs),
    /// Adds a community with its area (wards, small areas, deciles).
    Add(AddArgs),
    /// Prints a community's plan; with --status, writes it first.
    Plan(PlanArgs),
    /// The asset map: export, import, and the services as HSDS tables.
    #[command(subcommand)]
    Assets(assets::AssetsCommand),
}

#[derive(Args)]
pub struct ProgrammeArgs {
    #[arg(long)]
    pub programme: String,
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    pub programme: String,
    #[arg(long)]
    pub name: String,
    #[arg(long, default_value = "")]
    pub description: String,
    /// The deprivation index the area is chosen with.
    #[arg(long, default_value = "imd2019")]
    pub index: String,
    /// A ward code (repeat for more).
    #[arg(long = "ward")]
    pub wards: Vec<String>,
    /// A small area's code (repeat for more).
    #[arg(long = "area")]
    pub areas: Vec<String>,
    /// Keep only this deprivation decile (repeat for more).
    #[arg(long = "decile")]
    pub deciles: Vec<u8>,
    /// Why the area is what it is.
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Args)]
pub struct PlanArgs {
    #[arg(long)]
    pub programme: String,
    /// The community's id or its name.
    #[arg(long)]
    pub community: String,
    /// Writes the plan with this status: drafting, adopted or in_delivery.
    #[arg(long)]
    pub status: Option<String>,
    /// The day it was adopted (2026-03-14 or 14/03/2026).
    #[arg(long, default_value = "")]
    pub adopted_on: String,
    /// An aspiration (repeat; none keeps the plan's).
    #[arg(long = "aspiration")]
    pub aspirations: Vec<String>,
    /// A priority (repeat; none keeps the plan's).
    #[arg(long = "priority")]
    pub priorities: Vec<String>,
}

/// The community an argument names, by id or by name.
async fn find(store: &Arc<dyn Store>, caller: &Caller, which: &str) -> anyhow::Result<Community> {
    let which = which.trim();
    communities(store.as_ref(), caller)
        .await?
        .into_iter()
        .find(|c| c.id.to_string() == which || c.name.eq_ignore_ascii_case(which))
        .ok_or_else(|| fail!("cli.community.not_found", "community" => which))
}

fn status_text(c: &Community) -> String {
    match c.plan_status {
        Some(s) => t(&s.label_key()).to_string(),
        None => t("community.plan_none").to_string(),
    }
}

pub async fn run(url: &str, cmd: CommunityCommand) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    let s = store.as_ref();
    match cmd {
        CommunityCommand::Assets(c) => return assets::run(&store, c).await,
        CommunityCommand::List(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let all = communities(s, &caller).await?;
            if all.is_empty() {
                println!("{}", t("community.none"));
            }
            for c in all {
                println!(
                    "{}",
                    say(
                        "cli.community.line",
                        &[
                            ("name", &c.name),
                            ("status", &status_text(&c)),
                            ("progress", &c.progress.text()),
                            ("areas", &c.area.as_ref().map(|a| a.area_count).unwrap_or(0)),
                            ("id", &c.id),
                        ],
                    )
                );
            }
        }
        CommunityCommand::Add(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let input = CommunityInput {
                name: a.name,
                description: a.description,
                area: SelectionInput {
                    index: a.index,
                    wards: a.wards,
                    areas: a.areas,
                    deciles: a.deciles,
                    note: a.note,
                    ..Default::default()
                },
            };
            let c = add_community(s, &caller, &input).await?;
            println!(
                "{}",
                say(
                    "cli.community.added",
                    &[
                        ("name", &c.name),
                        ("areas", &c.area.as_ref().map(|a| a.area_count).unwrap_or(0)),
                        ("id", &c.id),
                    ],
                )
            );
        }
        CommunityCommand::Plan(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let id = find(&store, &caller, &a.community).await?.id;
            if let Some(status) = a.status {
                let before = community(s, &caller, id).await?.plan;
                let keep = |given: Vec<String>, had: Option<&Vec<String>>| {
                    if given.is_empty() {
                        had.map(|v| v.join("\n")).unwrap_or_default()
                    } else {
                        given.join("\n")
                    }
                };
                let input = PlanInput {
                    aspirations: keep(a.aspirations, before.as_ref().map(|p| &p.aspirations)),
                    priorities: keep(a.priorities, before.as_ref().map(|p| &p.priorities)),
                    status,
                    adopted_on: a.adopted_on,
                };
                save_plan(s, &caller, id, &input).await?;
            }
            let v = community(s, &caller, id).await?;
            println!("{}", v.community.name);
            println!("{}", status_text(&v.community));
            println!("{}", v.progress.text());
            if let Some(p) = &v.plan {
                println!("{}", t("community.aspirations"));
                for x in &p.aspirations {
                    println!("  - {x}");
                }
                println!("{}", t("community.priorities"));
                for x in &p.priorities {
                    println!("  - {x}");
                }
            }
            println!("{}", t("community.actions"));
            for act in &v.actions {
                println!(
                    "{}",
                    say(
                        "cli.community.action",
                        &[
                            ("title", &act.draft.title),
                            ("owner", &act.draft.owner),
                            ("status", &t(&act.draft.status.label_key())),
                        ],
                    )
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
