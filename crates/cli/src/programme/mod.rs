//! `useit programme …` and `useit partners …`, and the programme part of the demo.

pub mod demo;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use useit_core::audit::Actor;
use useit_core::clock;
use useit_core::csv_import::{Report, decode};
use useit_core::programme::partner_csv;
use useit_core::programme::{NewProgramme, PartnerQuery};

use crate::auth::{field_errors, store_error};
use crate::progress;

#[derive(Subcommand)]
pub enum ProgrammeCommand {
    /// Starts a programme.
    Add {
        /// Short name for web addresses, e.g. east-birmingham.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        description: String,
        /// E-mail of an existing account to make its first administrator.
        #[arg(long)]
        admin: Option<String>,
    },
    /// Lists programmes.
    List,
}

#[derive(Subcommand)]
pub enum PartnersCommand {
    /// Imports partners from a CSV file (the export's format); all or nothing.
    Import {
        file: PathBuf,
        /// The programme's short name.
        #[arg(long)]
        programme: String,
        /// Check the file and say what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Writes the partners as CSV.
    Export {
        #[arg(long)]
        programme: String,
        /// Include contact people (personal data; the export is audited).
        #[arg(long)]
        contacts: bool,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

pub async fn run_programme(url: &str, cmd: ProgrammeCommand) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    match cmd {
        ProgrammeCommand::Add {
            slug,
            name,
            description,
            admin,
        } => {
            let new = NewProgramme::validate(&slug, &name, &description).map_err(field_errors)?;
            let admin = match admin {
                Some(email) => Some(
                    store
                        .credentials_by_email(&email)
                        .await?
                        .with_context(|| format!("there is no account for {email}"))?
                        .user
                        .id,
                ),
                None => None,
            };
            let p = store
                .create_programme(&new, admin, &Actor::console())
                .await
                .map_err(store_error)?;
            println!("added programme {} ({})", p.slug, p.name);
        }
        ProgrammeCommand::List => {
            for p in store.programmes().await? {
                println!("{:<32}  {}", p.slug, p.name);
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn run_partners(url: &str, cmd: PartnersCommand) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    let actor = Actor::console();
    let code = match cmd {
        PartnersCommand::Import {
            file,
            programme,
            dry_run,
        } => {
            let p = store
                .programme_by_slug(&programme)
                .await?
                .with_context(|| format!("there is no programme '{programme}'"))?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.display().to_string();
            let bar = progress::bar(3, "importing partners");
            let (text, _) = decode(&bytes);
            bar.inc(1);
            let mut report = Report::new(&name);
            let rows = partner_csv::parse(&text, &mut report);
            bar.inc(1);
            let outcome = store
                .import_partners(p.id, rows, &mut report, dry_run, &actor)
                .await?;
            bar.finish_and_clear();
            eprint!("{report}");
            if report.has_errors() {
                eprintln!(
                    "{name}: {} error(s); nothing was imported",
                    report.errors().count()
                );
                ExitCode::FAILURE
            } else {
                let verb = if outcome.applied {
                    "imported"
                } else {
                    "dry run, would import"
                };
                println!(
                    "{name}: {verb}: {} added, {} changed, {} unchanged ({} warning(s))",
                    outcome.created,
                    outcome.updated,
                    outcome.unchanged,
                    report.warnings().count()
                );
                ExitCode::SUCCESS
            }
        }
        PartnersCommand::Export {
            programme,
            contacts,
            output,
        } => {
            let p = store
                .programme_by_slug(&programme)
                .await?
                .with_context(|| format!("there is no programme '{programme}'"))?;
            let rows = store
                .export_partners(
                    p.id,
                    &PartnerQuery::default(),
                    clock::today(),
                    contacts,
                    &actor,
                )
                .await?;
            let csv = partner_csv::export(&rows, contacts);
            match output {
                Some(path) => {
                    std::fs::write(&path, csv)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("wrote {} partners to {}", rows.len(), path.display());
                }
                None => print!("{csv}"),
            }
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}
