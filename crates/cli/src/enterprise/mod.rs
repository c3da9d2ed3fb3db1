//! `useit enterprise …`: the directory, the anchors' lots and, per lot, who
//! can bid alone and the best consortia, from the command line.

pub mod demo;
pub mod demo_more;
pub mod duplicates;
pub mod files;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::Caller;
use useit_app::enterprise::consortium::consortium;
use useit_app::enterprise::formed::{add_bid, consortia, save_consortium};
use useit_app::enterprise::lots::{import_lots, import_ocds, lots};
use useit_app::enterprise::profiles::directory;
use useit_core::enterprise::formed::{BidInput, ConsortiumInput};
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
    /// Imports OCDS release packages (Contracts Finder, Find a Tender): each
    /// tender's lots, linked to the anchor buying; all or nothing per file.
    ImportOcds(ImportOcdsArgs),
    /// Lists the consortia formed, with their bids and the money after a win.
    Consortia(ProgrammeArgs),
    /// Records a consortium formed (members and lead by org-id or id).
    FormConsortium(FormConsortiumArgs),
    /// Records a bid's outcome for a consortium.
    Bid(BidArgs),
    /// Imports a 360Giving file (JSON, CSV or Excel) as grant income: all or nothing.
    ImportGrants(ImportGrantsArgs),
    /// Without a file: prints the directory as CSV (every profile field with
    /// the org-id). With one: imports it back, all or nothing.
    Directory(DirectoryArgs),
    /// Lists the likely duplicate organisations of the register (suppliers'
    /// and the directory's alike), in pairs (the one suggested to keep first).
    Duplicates(duplicates::DuplicatesArgs),
    /// Merges OTHER into KEEP (org-ids or ids): everything that pointed at
    /// OTHER moves to KEEP, in one transaction. With --not-duplicate, says
    /// the two are not one organisation instead.
    Merge(duplicates::MergeArgs),
}

#[derive(Args)]
pub struct ProgrammeArgs {
    #[arg(long)]
    pub programme: String,
}

#[derive(Args)]
pub struct FormConsortiumArgs {
    #[arg(long)]
    pub programme: String,
    #[arg(long)]
    pub name: String,
    /// The lead: an org-id or organisation id.
    #[arg(long)]
    pub lead: String,
    /// The other members: org-ids or organisation ids, separated by commas.
    #[arg(long)]
    pub members: String,
    /// The lot bid for: its buyer's reference or id.
    #[arg(long, default_value = "")]
    pub lot: String,
    /// The day it formed, YYYY-MM-DD.
    #[arg(long)]
    pub formed_on: String,
}

#[derive(Args)]
pub struct BidArgs {
    #[arg(long)]
    pub programme: String,
    /// The consortium: its id or name.
    #[arg(long)]
    pub consortium: String,
    /// The day of the outcome, YYYY-MM-DD (for a win, the award).
    #[arg(long)]
    pub on: String,
    /// submitted, won, lost or withdrawn.
    #[arg(long)]
    pub outcome: String,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Args)]
pub struct ImportOcdsArgs {
    #[arg(long)]
    pub programme: String,
    /// Release package JSON files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
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
        EnterpriseCommand::ImportOcds(a) => import_ocds_cmd(&store, a).await?,
        EnterpriseCommand::Consortia(a) => consortia_cmd(&store, a).await?,
        EnterpriseCommand::FormConsortium(a) => form_consortium_cmd(&store, a).await?,
        EnterpriseCommand::Bid(a) => bid_cmd(&store, a).await?,
        EnterpriseCommand::ImportGrants(a) => files::import_grants_cmd(&store, a).await?,
        EnterpriseCommand::Directory(a) => files::import_directory_cmd(&store, a).await?,
        EnterpriseCommand::Duplicates(a) => duplicates::duplicates_cmd(&store, a).await?,
        EnterpriseCommand::Merge(a) => duplicates::merge_cmd(&store, a).await?,
    };
    store.close().await;
    Ok(code)
}

async fn list(store: &Arc<dyn Store>, a: ListArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let q = EnterpriseQuery {
        q: a.search,
        service: a.service,
        ..Default::default()
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
            Ok(i) => bar.suspend(|| {
                println!(
                    "{}",
                    say(
                        "cli.enterprise.lots_imported",
                        &[
                            ("file", &name),
                            ("new", &i.outcome.new),
                            ("changed", &i.outcome.changed),
                            ("unchanged", &i.outcome.unchanged),
                        ],
                    )
                )
            }),
            Err(useit_app::Error::Rejected(report)) => {
                bar.suspend(|| eprint!("{report}"));
                code = ExitCode::FAILURE;
            }
            Err(e) => return Err(e.into()),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(code)
}

async fn import_ocds_cmd(store: &Arc<dyn Store>, a: ImportOcdsArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let bar = progress::bar(a.files.len() as u64, t("cli.enterprise.importing_ocds"));
    let mut code = ExitCode::SUCCESS;
    for f in &a.files {
        let bytes = read(f)?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        match import_ocds(store.as_ref(), &caller, &name, &bytes).await {
            Ok(i) => {
                for w in i.report.warnings() {
                    bar.suspend(|| eprintln!("{}", w.describe(&name)));
                }
                let done = useit_core::i18n::Message::new("enterprise.ocds.imported")
                    .arg("file", &name)
                    .arg("count", i.outcome.releases)
                    .arg("new", useit_core::i18n::format_count(i.outcome.saved.new))
                    .arg(
                        "changed",
                        useit_core::i18n::format_count(i.outcome.saved.changed),
                    )
                    .arg(
                        "unchanged",
                        useit_core::i18n::format_count(i.outcome.saved.unchanged),
                    )
                    .text();
                bar.suspend(|| println!("{done}"));
            }
            Err(useit_app::Error::Rejected(report)) => {
                bar.suspend(|| eprint!("{report}"));
                code = ExitCode::FAILURE;
            }
            Err(e) => return Err(e.into()),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(code)
}

async fn consortia_cmd(store: &Arc<dyn Store>, a: ProgrammeArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let ledgers = useit_app::anchors::Ledgers::new(0);
    for v in consortia(store.as_ref(), &caller, &ledgers).await? {
        let c = &v.consortium;
        println!("{}\t{}\t{}", c.id, c.draft.name, v.member_names.join(", "));
        if let Some(l) = &v.lot {
            println!("  {}: {}", t("enterprise.consortia.lot"), l.draft.title);
        }
        for b in &c.bids {
            println!(
                "  {} {}{}",
                b.on,
                t(b.outcome.label_key()),
                if b.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", b.note)
                }
            );
        }
        if let Some(day) = v.won_on {
            let text = match (&v.won_spend, &v.anchor) {
                (Some(w), Some((_, anchor))) => {
                    useit_core::i18n::Message::new("enterprise.consortia.won_spend")
                        .arg("amount", format_pence(w.amount))
                        .arg("count", useit_core::i18n::format_count(w.lines))
                        .arg("anchor", anchor)
                        .arg("date", useit_core::clock::display_date(day))
                }
                _ => useit_core::i18n::Message::new("enterprise.consortia.won_not_known")
                    .arg("date", useit_core::clock::display_date(day)),
            };
            println!("  {}", text.text());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An organisation by its org-id or id, among the enterprises.
fn organisation_id(rows: &[useit_app::enterprise::profiles::DirectoryRow], s: &str) -> String {
    let s = s.trim();
    rows.iter()
        .find(|r| r.enterprise.org_id.eq_ignore_ascii_case(s))
        .map(|r| r.enterprise.id.to_string())
        .unwrap_or_else(|| s.to_string())
}

async fn form_consortium_cmd(
    store: &Arc<dyn Store>,
    a: FormConsortiumArgs,
) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let rows = directory(store.as_ref(), &caller, &EnterpriseQuery::default()).await?;
    let lot = if a.lot.trim().is_empty() {
        String::new()
    } else {
        lots(store.as_ref(), &caller)
            .await?
            .into_iter()
            .find(|l| l.draft.reference == a.lot || l.id.to_string() == a.lot)
            .map(|l| l.id.to_string())
            .unwrap_or_else(|| a.lot.clone())
    };
    let input = ConsortiumInput {
        name: a.name,
        lead: organisation_id(&rows, &a.lead),
        members: a
            .members
            .split(',')
            .map(|m| organisation_id(&rows, m))
            .collect::<Vec<_>>()
            .join(", "),
        lot,
        formed_on: a.formed_on,
    };
    let c = save_consortium(store.as_ref(), &caller, None, &input).await?;
    println!(
        "{}",
        say(
            "cli.enterprise.consortium_saved",
            &[("name", &c.draft.name), ("id", &c.id)]
        )
    );
    Ok(ExitCode::SUCCESS)
}

async fn bid_cmd(store: &Arc<dyn Store>, a: BidArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let ledgers = useit_app::anchors::Ledgers::new(0);
    let Some(c) = consortia(store.as_ref(), &caller, &ledgers)
        .await?
        .into_iter()
        .map(|v| v.consortium)
        .find(|c| c.id.to_string() == a.consortium || c.draft.name == a.consortium)
    else {
        return Err(crate::fail!("cli.enterprise.no_consortium", "consortium" => &a.consortium));
    };
    add_bid(
        store.as_ref(),
        &caller,
        c.id,
        &BidInput {
            on: a.on,
            outcome: a.outcome,
            note: a.note,
        },
    )
    .await?;
    println!(
        "{}",
        say("cli.enterprise.bid_saved", &[("name", &c.draft.name)])
    );
    Ok(ExitCode::SUCCESS)
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
