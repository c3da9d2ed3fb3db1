//! `useit workshops …`: the programme's workshops, one workshop's summary
//! (the synthesis, actions and the tally, as the printable page has them),
//! a guest link for the participants' phones, and the lineage; over the
//! same use cases as the pages.

pub mod demo;

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::workshops::lineage::replications;
use useit_app::workshops::{open_guest_link, summary, workshops};
use useit_app::{Caller, Store};
use useit_core::clock;
use useit_core::i18n::t;
use useit_core::workshops::guest::GuestLinkInput;
use useit_core::workshops::lineage::layout;
use useit_core::workshops::note::Group;
use useit_core::workshops::workshop::Workshop;

use crate::input::programme;
use crate::{fail, say};

#[derive(Subcommand)]
pub enum WorkshopsCommand {
    /// Lists the programme's workshops, latest first.
    List(ProgrammeArgs),
    /// Prints a workshop's summary: success factors, obstacles,
    /// transferability factors, actions and the tally of "would you transfer".
    Summary(WorkshopArgs),
    /// Opens a guest link for a workshop and prints it (shown this once).
    Link(LinkArgs),
    /// Prints the lineage of replications as an indented tree.
    Lineage(ProgrammeArgs),
}

#[derive(Args)]
pub struct ProgrammeArgs {
    #[arg(long)]
    pub programme: String,
}

#[derive(Args)]
pub struct WorkshopArgs {
    #[arg(long)]
    pub programme: String,
    /// The workshop's id or its title.
    #[arg(long)]
    pub workshop: String,
}

#[derive(Args)]
pub struct LinkArgs {
    #[arg(long)]
    pub programme: String,
    /// The workshop's id or its title.
    #[arg(long)]
    pub workshop: String,
    /// How many hours the link stays open (1 to 336).
    #[arg(long, default_value = "8")]
    pub hours: String,
    /// The address the server is reached at, for the printed link.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub base_url: String,
}

/// The workshop an argument names, by id or by title.
async fn find(store: &Arc<dyn Store>, caller: &Caller, which: &str) -> anyhow::Result<Workshop> {
    let which = which.trim();
    workshops(store.as_ref(), caller)
        .await?
        .into_iter()
        .find(|w| w.id.to_string() == which || w.draft.title.eq_ignore_ascii_case(which))
        .ok_or_else(|| fail!("cli.workshops.not_found", "workshop" => which))
}

pub async fn run(url: &str, cmd: WorkshopsCommand) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    let s = store.as_ref();
    match cmd {
        WorkshopsCommand::List(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let all = workshops(s, &caller).await?;
            if all.is_empty() {
                println!("{}", t("workshops.none"));
            }
            for w in all {
                println!(
                    "{}",
                    say(
                        "cli.workshops.line",
                        &[
                            ("date", &clock::iso_date(w.draft.held_on)),
                            ("title", &w.draft.title),
                            ("tables", &w.draft.tables.len()),
                            ("rounds", &w.draft.rounds),
                            ("notes", &w.notes),
                            ("id", &w.id),
                        ],
                    )
                );
            }
        }
        WorkshopsCommand::Summary(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let id = find(&store, &caller, &a.workshop).await?.id;
            let sum = summary(s, &caller, id).await?;
            let d = &sum.workshop.draft;
            println!("{}", d.title);
            println!(
                "{}",
                say(
                    "cli.workshops.held",
                    &[
                        ("date", &clock::display_date(d.held_on)),
                        ("place", &d.place)
                    ],
                )
            );
            for g in Group::ALL {
                println!();
                println!("{}", t(&format!("workshops.summary.{}", g.slug())));
                let notes = sum.grouped(*g);
                if notes.is_empty() {
                    println!("  {}", t("workshops.no_notes"));
                }
                for n in notes {
                    println!("  - {}", n.draft.text);
                }
            }
            println!();
            println!("{}", t("workshops.action.title"));
            if sum.actions.is_empty() {
                println!("  {}", t("workshops.action.none"));
            }
            for act in &sum.actions {
                println!(
                    "  - {}",
                    say(
                        "cli.workshops.action",
                        &[
                            ("action", &act.draft.action),
                            ("owner", &act.draft.owner),
                            ("city", &act.draft.city),
                        ],
                    )
                );
            }
            println!();
            println!(
                "{}",
                say(
                    "cli.workshops.tally",
                    &[
                        ("yes", &sum.tally.yes.text()),
                        ("no", &sum.tally.no.text()),
                        ("maybe", &sum.tally.maybe.text()),
                        ("total", &sum.tally.total.text()),
                    ],
                )
            );
        }
        WorkshopsCommand::Link(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let id = find(&store, &caller, &a.workshop).await?.id;
            let o = open_guest_link(s, &caller, id, &GuestLinkInput { hours: a.hours }).await?;
            println!(
                "{}/guest/workshops/{}",
                a.base_url.trim_end_matches('/'),
                o.secret
            );
            eprintln!(
                "{}",
                say(
                    "cli.workshops.link_closes",
                    &[("closes", &clock::display(o.link.expires_at))],
                )
            );
        }
        WorkshopsCommand::Lineage(a) => {
            let caller = Caller::console(programme(&store, &a.programme).await?);
            let all = replications(s, &caller).await?;
            if all.is_empty() {
                println!("{}", t("workshops.lineage.none"));
            }
            for p in layout(&all) {
                if let Some(r) = all.iter().find(|r| r.id == p.id) {
                    println!(
                        "{}{} ({})",
                        "  ".repeat(p.depth),
                        r.draft.name,
                        r.draft.city
                    );
                }
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
