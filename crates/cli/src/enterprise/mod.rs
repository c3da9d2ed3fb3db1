//! `useit enterprise …`: the directory, the anchors' lots and, per lot, who
//! can bid alone and the best consortia, from the command line.

pub mod demo;
pub mod demo_more;
pub mod files;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::Caller;
use useit_app::enterprise::consortium::consortium;
use useit_app::enterprise::lots::{import_lots, lots};
use useit_app::enterprise::profiles::directory;
use useit_core::enterprise::profile::EnterpriseQuery;
use useit_core::enterprise::services::taxonomy;
use useit_core::i18n::t;
use useit_core::money::format_pence;
use useit_store::Store;

use crate::input::{programme, read};
use crate::{progress, say};

#[derive(Subcommand)]
pub enum EnterpriseCommand {
    /// Lists the programme's social enterprises.
    List(ListArgs),
    /// Imports lots files (the columns of the lots download): all or nothing per file.
    Lots(LotsArgs),
    /// For one lot: who can bid alone, why the others cannot, the best consortia.
    Consortium(ConsortiumArgs),
    /// Imports a 360Giving file (JSON, CSV or Excel) as grant income: all or nothing.
    ImportGrants(ImportGrantsArgs),
    /// Without a file: prints the directory as CSV (every profile field with
    /// the org-id). With one: imports it back, all or nothing.
    Directory(DirectoryArgs),
}

#[derive(Args)]
pub struct DirectoryArgs {
    #[arg(long)]
    pub programme: String,
    /// The directory CSV to import.
    pub file: Option<PathBuf>,
}

#[derive(Args)]
pub struct ImportGrantsArgs {
    #[arg(long)]
    pub programme: String,
    /// The 360Giving file.
    pub file: PathBuf,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub programme: String,
    /// Words in the name or identifier.
    #[arg(long, default_value = "")]
    pub search: String,
    /// A service, by name or code.
    #[arg(long, default_value = "")]
    pub service: String,
}

#[derive(Args)]
pub struct LotsArgs {
    #[arg(long)]
    pub programme: String,
    /// Lots CSV files; none: list the lots.
    pub files: Vec<PathBuf>,
}

#[derive(Args)]
pub struct ConsortiumArgs {
    #[arg(long)]
    pub programme: String,
    /// The lot: its buyer's reference or its id.
    #[arg(long)]
    pub lot: String,
    /// How many consortia to propose.
    #[arg(long, default_value_t = 5)]
    pub alternatives: usize,
    /// Print JSON (what the API answers) instead of text.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(url: &str, cmd: EnterpriseCommand) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    let code = match cmd {
        EnterpriseCommand::List(a) => list(&store, a).await?,
        EnterpriseCommand::Lots(a) => lots_cmd(&store, a).await?,
        EnterpriseCommand::Consortium(a) => consortium_cmd(&store, a).await?,
        EnterpriseCommand::ImportGrants(a) => files::import_grants_cmd(&store, a).await?,
        EnterpriseCommand::Directory(a) => files::import_directory_cmd(&store, a).await?,
    };
    store.close().await;
    Ok(code)
}

async fn list(store: &Arc<dyn Store>, a: ListArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let q = EnterpriseQuery {
        q: a.search,
        service: a.service,
        sort: String::new(),
    };
    for r in directory(store.as_ref(), &caller, &q).await? {
        let e = &r.enterprise;
        let services = e
            .profile
            .as_ref()
            .map(|p| {
                p.services
                    .iter()
                    .map(|s| taxonomy().name(s).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        println!("{}\t{}\t{}", e.org_id, e.name, services);
    }
    Ok(ExitCode::SUCCESS)
}

async fn lots_cmd(store: &Arc<dyn Store>, a: LotsArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    if a.files.is_empty() {
        for l in lots(store.as_ref(), &caller).await? {
            println!(
                "{}\t{}\t{}\t{}",
                l.draft.reference,
                l.draft.title,
                format_pence(l.draft.requirements.value),
                l.draft.requirements.deadline
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let bar = progress::bar(a.files.len() as u64, t("cli.enterprise.importing_lots"));
    let mut code = ExitCode::SUCCESS;
    for f in &a.files {
        let bytes = read(f)?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        match import_lots(store.as_ref(), &caller, &name, &bytes).await {
            Ok(i) => bar.println(say(
                "cli.enterprise.lots_imported",
                &[
                    ("file", &name),
                    ("new", &i.outcome.new),
                    ("changed", &i.outcome.changed),
                    ("unchanged", &i.outcome.unchanged),
                ],
            )),
            Err(useit_app::Error::Rejected(report)) => {
                bar.println(report.to_string());
                code = ExitCode::FAILURE;
            }
            Err(e) => return Err(e.into()),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(code)
}

async fn consortium_cmd(store: &Arc<dyn Store>, a: ConsortiumArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let all = lots(store.as_ref(), &caller).await?;
    let Some(lot) = all
        .iter()
        .find(|l| l.draft.reference == a.lot || l.id.to_string() == a.lot)
    else {
        return Err(crate::fail!("cli.enterprise.no_lot", "lot" => &a.lot));
    };
    let answer = consortium(store.as_ref(), &caller, lot.id, a.alternatives).await?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(ExitCode::SUCCESS);
    }
    let tx = taxonomy();
    println!(
        "{} ({})",
        answer.lot.draft.title, answer.lot.draft.reference
    );
    println!("\n{}", t("enterprise.lot.alone"));
    if answer.eligibility.qualify.is_empty() {
        println!("  {}", t("enterprise.lot.alone_none"));
    }
    for id in &answer.eligibility.qualify {
        println!("  {}", answer.name(*id));
    }
    println!("\n{}", t("enterprise.lot.consortia"));
    for b in &answer.consortia.blockers {
        println!("  {}", b.message(&tx).text());
    }
    for (i, p) in answer.consortia.proposals.iter().enumerate() {
        let names: Vec<&str> = p.members.iter().map(|m| m.name.as_str()).collect();
        println!(
            "  {}. {} ({} {})",
            i + 1,
            names.join(", "),
            t("enterprise.lot.lead"),
            p.members[p.lead].name
        );
        for e in &p.explanation {
            println!("       {}", e.message(p, &tx).text());
        }
    }
    println!("\n{}", t("enterprise.lot.not_alone"));
    for n in &answer.eligibility.not_alone {
        let reasons: Vec<String> = n.unmet.iter().map(|u| u.message(&tx).text()).collect();
        println!("  {}: {}", answer.name(n.id), reasons.join("; "));
    }
    Ok(ExitCode::SUCCESS)
}
