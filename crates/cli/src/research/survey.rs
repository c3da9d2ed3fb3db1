//! `useit research import-responses`: a KoboToolbox / ODK survey's XLSForm
//! and submissions export into a project, over the same use cases as the
//! questionnaire page, with a progress bar and every problem by file, line
//! and column.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use useit_app::research::projects::projects;
use useit_app::research::survey::{import_responses, import_xlsform};
use useit_app::{Caller, Store};
use useit_core::i18n::{format_count, t};
use uuid::Uuid;

use super::ImportResponsesArgs;
use crate::input::{programme, read};
use crate::{fail, progress, say};

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn refused(name: &str, report: &useit_core::csv_import::Report) -> ExitCode {
    eprint!("{report}");
    eprintln!(
        "{}",
        say(
            "cli.import_failed",
            &[("file", &name), ("count", &report.error_count())]
        )
    );
    ExitCode::FAILURE
}

/// The programme's project by its id or its title.
pub async fn find_project(
    s: &dyn Store,
    caller: &Caller,
    wanted: &str,
) -> anyhow::Result<useit_core::research::project::Project> {
    let wanted = wanted.trim();
    projects(s, caller)
        .await?
        .into_iter()
        .find(|p| {
            Uuid::parse_str(wanted).is_ok_and(|id| id == p.id)
                || p.draft.title.eq_ignore_ascii_case(wanted)
        })
        .ok_or_else(|| fail!("cli.research.no_project", "project" => wanted))
}

pub async fn import(store: &Arc<dyn Store>, a: ImportResponsesArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let s = store.as_ref();
    let project = find_project(s, &caller, &a.project).await?;
    let (form_name, csv_name) = (name_of(&a.form), name_of(&a.submissions));
    let form = read(&a.form)?;
    let csv = read(&a.submissions)?;
    let bar = progress::bar(2, t("cli.progress.research_responses"));
    let read_form = import_xlsform(s, &caller, project.id, &form_name, &form).await;
    bar.inc(1);
    let read_form = match read_form {
        Err(useit_app::Error::Rejected(report)) => {
            bar.finish_and_clear();
            return Ok(refused(&form_name, &report));
        }
        other => other,
    };
    let read_form = match read_form {
        Ok(f) => f,
        Err(e) => {
            bar.finish_and_clear();
            return Err(e.into());
        }
    };
    let imported = import_responses(s, &caller, project.id, &csv_name, &csv).await;
    bar.finish_and_clear();
    eprint!("{}", read_form.report);
    println!(
        "{form_name}: {}",
        if read_form.outcome.changed {
            say(
                "cli.research.form_read",
                &[(
                    "count",
                    &format_count(read_form.outcome.questionnaire.questions.len() as u64),
                )],
            )
        } else {
            t("research.xlsform.unchanged").to_string()
        }
    );
    match imported {
        Err(useit_app::Error::Rejected(report)) => Ok(refused(&csv_name, &report)),
        Err(e) => Err(e.into()),
        Ok(i) => {
            eprint!("{}", i.report);
            println!(
                "{csv_name}: {}",
                say(
                    "research.import.done",
                    &[
                        ("added", &format_count(i.outcome.added)),
                        ("unchanged", &format_count(i.outcome.unchanged)),
                    ],
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
