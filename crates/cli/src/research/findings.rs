//! `useit research findings export|import|delete`: the findings CSV out
//! and back in, over the same use cases as the findings page; and `useit
//! research themes`, the programme's and a project's own themes.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use useit_app::research::findings::{
    delete_finding, findings_csv, import_findings, project_themes, save_project_themes,
    save_themes, themes as programme_themes,
};
use useit_app::{Caller, Store};
use useit_core::i18n::{format_count, t};
use useit_core::research::finding::FindingFilter;

use super::{
    FindingsCommand, FindingsDeleteArgs, FindingsExportArgs, FindingsImportArgs, ThemesArgs,
};
use crate::input::{programme, read};
use crate::{fail, progress, say};

pub async fn run(store: &Arc<dyn Store>, cmd: FindingsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        FindingsCommand::Export(a) => export(store, a).await,
        FindingsCommand::Import(a) => import(store, a).await,
        FindingsCommand::Delete(a) => delete(store, a).await,
    }
}

async fn delete(store: &Arc<dyn Store>, a: FindingsDeleteArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    delete_finding(store.as_ref(), &caller, a.id).await?;
    println!(
        "{}",
        say("cli.research.finding_deleted", &[("id", &a.id.to_string())])
    );
    Ok(ExitCode::SUCCESS)
}

async fn export(store: &Arc<dyn Store>, a: FindingsExportArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let filter = FindingFilter {
        project: a.project,
        theme: a.theme,
        ..Default::default()
    };
    let csv = findings_csv(store.as_ref(), &caller, &filter).await?;
    match &a.out {
        Some(path) => {
            let name = path.display().to_string();
            std::fs::write(path, &csv)
                .map_err(|e| fail!("cli.cannot_write", "file" => &name, "reason" => e))?;
            let rows = csv.lines().count().saturating_sub(1) as u64;
            eprintln!(
                "{}",
                say(
                    "cli.research.findings_written",
                    &[("file", &name), ("count", &format_count(rows))]
                )
            );
        }
        None => print!("{csv}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

async fn import(store: &Arc<dyn Store>, a: FindingsImportArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let name = name_of(&a.file);
    let bytes = read(&a.file)?;
    let bar = progress::bar(1, t("cli.progress.research_findings"));
    let done = import_findings(store.as_ref(), &caller, &name, &bytes).await;
    bar.finish_and_clear();
    match done {
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
                "{name}: {}",
                say(
                    "research.finding.imported",
                    &[
                        ("added", &format_count(i.outcome.added)),
                        ("changed", &format_count(i.outcome.changed)),
                        ("unchanged", &format_count(i.outcome.unchanged)),
                    ],
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `useit research themes`: prints (and with `--set` first replaces) the
/// programme's theme list or a project's own themes.
pub async fn themes(store: &Arc<dyn Store>, a: ThemesArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let s = store.as_ref();
    let text = match &a.set {
        Some(path) => Some(String::from_utf8_lossy(&read(path)?).into_owned()),
        None => None,
    };
    match &a.project {
        Some(wanted) => {
            let project = super::survey::find_project(s, &caller, wanted).await?;
            let themes = match text {
                Some(text) => save_project_themes(s, &caller, project.id, &text).await?,
                None => project_themes(s, &caller, project.id).await?,
            };
            for theme in &themes.offered {
                println!("{theme}");
            }
            eprintln!(
                "{}",
                say(
                    "cli.research.project_themes",
                    &[
                        ("project", &project.draft.title),
                        ("own", &format_count(themes.own.len() as u64)),
                        (
                            "programme",
                            &format_count((themes.offered.len() - themes.own.len()) as u64)
                        ),
                    ],
                )
            );
        }
        None => {
            let list = match text {
                Some(text) => save_themes(s, &caller, &text).await?,
                None => programme_themes(s, &caller).await?,
            };
            for theme in &list {
                println!("{theme}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
