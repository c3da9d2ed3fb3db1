//! `useit enterprise import-grants FILE`: a 360Giving file as grant income,
//! with a bar while the grants are placed on the register;
//! `useit enterprise directory [FILE]`: the directory as CSV, or that file
//! imported back.

use std::process::ExitCode;
use std::sync::Arc;

use useit_app::Caller;
use useit_app::enterprise::directory_csv::{directory_file, import_directory};
use useit_app::enterprise::grants::import_grants;
use useit_core::enterprise::profile::EnterpriseQuery;
use useit_core::i18n::t;
use useit_core::money::format_pence;
use useit_store::Store;

use super::{DirectoryArgs, ImportGrantsArgs};
use crate::input::{programme, read};
use crate::{progress, say};

pub async fn import_grants_cmd(
    store: &Arc<dyn Store>,
    a: ImportGrantsArgs,
) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let bytes = read(&a.file)?;
    let name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let bar = progress::bar(0, t("cli.enterprise.importing_grants"));
    let tick = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let result = import_grants(store.as_ref(), &caller, &name, &bytes, &tick).await;
    bar.finish_and_clear();
    match result {
        Ok(i) => {
            for g in &i.outcome.unmatched {
                println!(
                    "{}",
                    say(
                        "cli.enterprise.grant_unmatched",
                        &[
                            ("line", &g.line),
                            ("name", &g.recipient_name),
                            ("id", &g.recipient_id.clone().unwrap_or_default()),
                            ("amount", &format_pence(g.amount)),
                        ],
                    )
                );
            }
            println!(
                "{}",
                useit_core::i18n::tf(
                    "cli.enterprise.grants_imported",
                    &[("file", &name), ("summary", &i.outcome.summary())],
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(useit_app::Error::Rejected(report)) => {
            eprintln!("{report}");
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn import_directory_cmd(
    store: &Arc<dyn Store>,
    a: DirectoryArgs,
) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let Some(file) = a.file else {
        print!(
            "{}",
            directory_file(store.as_ref(), &caller, &EnterpriseQuery::default()).await?
        );
        return Ok(ExitCode::SUCCESS);
    };
    let bytes = read(&file)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let bar = progress::bar(1, t("cli.enterprise.importing_directory"));
    let result = import_directory(store.as_ref(), &caller, &name, &bytes).await;
    bar.inc(1);
    bar.finish_and_clear();
    match result {
        Ok(i) => {
            if !i.report.problems.is_empty() {
                eprintln!("{}", i.report);
            }
            println!(
                "{}",
                say(
                    "cli.enterprise.directory_imported",
                    &[
                        ("file", &name),
                        ("created", &i.outcome.created),
                        ("changed", &i.outcome.changed),
                        ("unchanged", &i.outcome.unchanged),
                    ],
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(useit_app::Error::Rejected(report)) => {
            eprintln!("{report}");
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}
