//! `useit anchors interactions …`: which organisations each anchor works
//! with, over the same use cases as the API; and the practice changes log.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::Caller;
use useit_app::anchors::interactions::{
    import_interactions, interaction_figures, interactions, practice_changes,
};
use useit_core::anchors::interactions::{InteractionQuery, export};
use useit_core::clock::iso_date;
use useit_core::i18n::t;
use useit_store::Store;

use crate::input::{programme, read};
use crate::{progress, say};

#[derive(Subcommand)]
pub enum InteractionsCommand {
    /// Writes the interactions as CSV (the file `import` takes back), or
    /// with --counts each anchor's count in force at each month's end.
    List(ListArgs),
    /// Imports an interactions file, all or nothing; the same file twice
    /// changes nothing; errors as file:line:column.
    Import(ImportArgs),
    /// Lists the practice changes, newest first.
    Practice(PracticeArgs),
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub programme: String,
    #[arg(long)]
    pub anchor: Option<String>,
    /// referral, volunteering, supply, co_delivery, community_use, research
    /// or employment_pathway.
    #[arg(long)]
    pub kind: Option<String>,
    /// current or ended.
    #[arg(long)]
    pub status: Option<String>,
    /// Print each anchor's count at each month's end instead.
    #[arg(long)]
    pub counts: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    #[arg(long)]
    pub programme: String,
    pub file: PathBuf,
}

#[derive(Args)]
pub struct PracticeArgs {
    #[arg(long)]
    pub programme: String,
    #[arg(long)]
    pub anchor: Option<String>,
}

pub async fn run(store: &Arc<dyn Store>, cmd: InteractionsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        InteractionsCommand::List(a) => list(store, a).await,
        InteractionsCommand::Import(a) => import(store, a).await,
        InteractionsCommand::Practice(a) => practice(store, a).await,
    }
}

async fn list(store: &Arc<dyn Store>, a: ListArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    if a.counts {
        let f = interaction_figures(store.as_ref(), &caller).await?;
        for s in f
            .series
            .iter()
            .filter(|s| a.anchor.as_deref().is_none_or(|x| x == s.anchor))
        {
            println!("{}", s.anchor_name);
            for (m, n) in f.months.iter().zip(&s.counts) {
                println!("  {} {n:>4}", iso_date(*m));
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let query = InteractionQuery {
        anchor: a.anchor,
        kind: a.kind,
        status: a.status,
        ..Default::default()
    };
    let items = interactions(store.as_ref(), &caller, &query)
        .await
        .map_err(crate::auth::app_error)?;
    print!("{}", export(&items));
    Ok(ExitCode::SUCCESS)
}

async fn import(store: &Arc<dyn Store>, a: ImportArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let name = a.file.display().to_string();
    let bytes = read(&a.file)?;
    let bar = progress::bar(1, t("cli.progress.interactions_import"));
    let result = import_interactions(store.as_ref(), &caller, &name, &bytes).await;
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
            println!(
                "{}",
                say(
                    "cli.anchors.interactions.imported",
                    &[
                        ("file", &name),
                        ("created", &i.outcome.created),
                        ("updated", &i.outcome.updated),
                        ("unchanged", &i.outcome.unchanged)
                    ]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn practice(store: &Arc<dyn Store>, a: PracticeArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    for c in practice_changes(store.as_ref(), &caller, a.anchor.as_deref()).await? {
        let prompted = c.interaction_organisation.clone().unwrap_or_default();
        println!(
            "{}  {:<24} {:<40} {}  {}",
            iso_date(c.changed_on),
            c.anchor_name,
            t(c.kind.label_key()),
            c.summary,
            prompted
        );
    }
    Ok(ExitCode::SUCCESS)
}
