//! `useit programme …` and `useit partners …`, and the programme part of the demo.

pub mod demo;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use useit_core::audit::Actor;
use useit_core::clock;
use useit_core::csv_import::{Report, decode};
use useit_core::programme::partner_csv;
use useit_core::programme::{NewProgramme, PartnerQuery};

use crate::auth::{field_errors, store_error};
use crate::progress;
use crate::{fail, say};

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
                        .ok_or_else(|| fail!("cli.no_account", "email" => &email))?
                        .user
                        .id,
                ),
                None => None,
            };
            let p = store
                .create_programme(&new, admin, &Actor::console())
                .await
                .map_err(store_error)?;
            println!(
                "{}",
                say(
                    "cli.programme_added",
                    &[("slug", &p.slug), ("name", &p.name)]
                )
            );
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
                .ok_or_else(|| fail!("cli.no_programme", "slug" => &programme))?;
            let bytes = std::fs::read(&file)
                .map_err(|e| fail!("cli.cannot_read", "file" => file.display(), "reason" => e))?;
            let name = file.display().to_string();
            let bar = progress::bar(3, useit_core::i18n::t("cli.progress.import"));
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
                    "{}",
                    say(
                        "cli.import_failed",
                        &[("file", &name), ("count", &report.errors().count())]
                    )
                );
                ExitCode::FAILURE
            } else {
                let key = if outcome.applied {
                    "cli.imported"
                } else {
                    "cli.import_dry_run"
                };
                println!(
                    "{}",
                    say(
                        key,
                        &[
                            ("file", &name),
                            ("created", &outcome.created),
                            ("updated", &outcome.updated),
                            ("unchanged", &outcome.unchanged),
                            ("warnings", &report.warnings().count()),
                        ]
                    )
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
                .ok_or_else(|| fail!("cli.no_programme", "slug" => &programme))?;
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
                    std::fs::write(&path, csv).map_err(
                        |e| fail!("cli.cannot_write", "file" => path.display(), "reason" => e),
                    )?;
                    eprintln!(
                        "{}",
                        say(
                            "cli.partners_written",
                            &[("count", &rows.len()), ("file", &path.display())]
                        )
                    );
                }
                None => print!("{csv}"),
            }
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}
