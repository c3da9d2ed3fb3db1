//! `useit community assets …`: the asset map's CSV out and back in, and
//! its services as Open Referral (HSDS) tables in one zip file, the same
//! bytes as the web's `GET …/communities/assets/hsds.zip` (the same app
//! function, `hsds_zip`); over the same use cases as the pages.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use useit_app::community::assets::{assets_file, hsds_services, hsds_zip, import_assets};
use useit_app::programme::CsvUpload;
use useit_app::{Caller, Store};
use useit_core::community::asset::AssetQuery;
use useit_core::i18n::{format_count, t, tn};

use crate::input::programme;
use crate::{fail, progress, say};

#[derive(Subcommand)]
pub enum AssetsCommand {
    /// Writes the programme's assets as CSV (the import reads it back).
    Export {
        #[arg(long)]
        programme: String,
        /// The file to write (standard output when not given).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Adds and changes assets from a CSV file, all or nothing.
    Import {
        file: PathBuf,
        #[arg(long)]
        programme: String,
        /// Checks the file and says what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Writes the services as Open Referral (HSDS 3) CSV tables in one zip
    /// file (organization.csv, service.csv, location.csv, …), as the asset
    /// map's download gives it.
    Hsds {
        #[arg(long)]
        programme: String,
        /// The zip file to write (`hsds.zip`).
        #[arg(long)]
        out: PathBuf,
    },
}

pub async fn run(
    store: &std::sync::Arc<dyn Store>,
    cmd: AssetsCommand,
) -> anyhow::Result<ExitCode> {
    let s = store.as_ref();
    match cmd {
        AssetsCommand::Export {
            programme: p,
            output,
        } => {
            let caller = Caller::console(programme(store, &p).await?);
            let csv = assets_file(s, &caller, &AssetQuery::default()).await?;
            match output {
                Some(path) => std::fs::write(&path, csv).map_err(
                    |e| fail!("cli.cannot_write", "file" => path.display(), "reason" => e),
                )?,
                None => print!("{csv}"),
            }
        }
        AssetsCommand::Import {
            file,
            programme: p,
            dry_run,
        } => {
            let caller = Caller::console(programme(store, &p).await?);
            let bytes = std::fs::read(&file)
                .map_err(|e| fail!("cli.cannot_read", "file" => file.display(), "reason" => e))?;
            let name = file.display().to_string();
            let bar = progress::bar(1, t("cli.community.assets_importing"));
            let result = import_assets(
                s,
                &caller,
                CsvUpload {
                    file_name: &name,
                    bytes: &bytes,
                    dry_run,
                },
            )
            .await;
            bar.finish_and_clear();
            match result {
                Err(useit_app::Error::Rejected(report)) => {
                    eprint!("{report}");
                    eprintln!(
                        "{}",
                        say(
                            "cli.import_failed",
                            &[("file", &name), ("count", &report.errors().count())]
                        )
                    );
                    return Ok(ExitCode::FAILURE);
                }
                Err(e) => return Err(e.into()),
                Ok(i) => {
                    if !i.report.problems.is_empty() {
                        eprint!("{}", i.report);
                    }
                    let key = if dry_run {
                        "cli.import_dry_run"
                    } else {
                        "cli.imported"
                    };
                    println!(
                        "{}",
                        say(
                            key,
                            &[
                                ("file", &name),
                                ("created", &i.outcome.added),
                                ("updated", &i.outcome.changed),
                                ("unchanged", &i.outcome.unchanged),
                                (
                                    "warnings",
                                    &tn("cli.count.warnings", i.report.warning_count())
                                ),
                            ],
                        )
                    );
                }
            }
        }
        AssetsCommand::Hsds { programme: p, out } => {
            let caller = Caller::console(programme(store, &p).await?);
            let bar = progress::bar(1, t("cli.community.hsds_writing"));
            let zip = hsds_zip(s, &caller, &AssetQuery::default()).await;
            bar.finish_and_clear();
            let zip = zip?;
            std::fs::write(&out, &zip)
                .map_err(|e| fail!("cli.cannot_write", "file" => out.display(), "reason" => e))?;
            let services = hsds_services(s, &caller, &AssetQuery::default())
                .await?
                .len();
            println!(
                "{}",
                say(
                    "cli.community.hsds_written",
                    &[
                        ("services", &format_count(services as u64)),
                        ("file", &out.display()),
                        ("bytes", &format_count(zip.len() as u64)),
                    ],
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
