//! `useit programme stories …` and `useit programme report`: the stories
//! and the funder report from the same use cases as the pages and the API.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Subcommand;
use uuid::Uuid;

use useit_app::anchors::Ledgers;
use useit_app::programme::CsvUpload;
use useit_app::programme::report::report;
use useit_app::programme::stories::{
    import_stories, save_story, stories, stories_file, withdraw_consent,
};
use useit_app::{Caller, Store};
use useit_core::clock::display_date;
use useit_core::i18n::{t, tn};
use useit_core::listing::PageRequest;
use useit_core::programme::report::{ReportQuery, pdf};
use useit_core::programme::stories::{StoryInput, StoryQuery};

use super::programme_id;
use crate::auth::app_error;
use crate::{fail, progress, say};

#[derive(Subcommand)]
pub enum StoriesCommand {
    /// Lists the stories whose consent stands (the read is audited).
    List {
        #[arg(long)]
        programme: String,
        /// Words in the title, the text or the name.
        #[arg(long)]
        search: Option<String>,
    },
    /// Adds a story with the consent it stands on.
    Add {
        #[arg(long)]
        programme: String,
        #[arg(long)]
        title: String,
        /// How the story names who it is about, e.g. "Amira, a doctor".
        #[arg(long)]
        shown_as: String,
        #[arg(long)]
        body: String,
        /// The day it was told (2019-02-13).
        #[arg(long)]
        told_on: String,
        /// person, researcher or organisation.
        #[arg(long)]
        about: String,
        /// Their identifier in useit.
        #[arg(long)]
        id: String,
        /// The day consent was given.
        #[arg(long)]
        consent_given_on: String,
        /// signed_form, in_writing, spoken or online_form.
        #[arg(long)]
        consent_method: String,
        #[arg(long, default_value = "")]
        consent_note: String,
    },
    /// Withdraws a story's consent: its text is deleted and it is never
    /// shown again.
    Withdraw {
        #[arg(long)]
        programme: String,
        story: Uuid,
    },
    /// Writes the stories as CSV (the import's format); to standard output
    /// unless --output names a file.
    Export {
        #[arg(long)]
        programme: String,
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Imports stories from a CSV file (the export's format); all or nothing.
    Import {
        file: PathBuf,
        #[arg(long)]
        programme: String,
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn run(store: &dyn Store, cmd: StoriesCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        StoriesCommand::List { programme, search } => {
            let caller = Caller::console(programme_id(store, &programme).await?);
            let q = StoryQuery {
                q: search,
                ..StoryQuery::default()
            };
            let page = stories(store, &caller, &q, PageRequest::all())
                .await
                .map_err(app_error)?;
            for s in page.items {
                let d = &s.draft;
                println!(
                    "{}  {}  {}  {} ({})",
                    s.id,
                    display_date(d.told_on),
                    d.title,
                    d.shown_as,
                    t(&useit_core::programme::stories::Subject::label_key(
                        d.subject.kind()
                    ))
                );
            }
        }
        StoriesCommand::Add {
            programme,
            title,
            shown_as,
            body,
            told_on,
            about,
            id,
            consent_given_on,
            consent_method,
            consent_note,
        } => {
            let caller = Caller::console(programme_id(store, &programme).await?);
            let input = StoryInput {
                title,
                shown_as,
                body,
                told_on,
                subject_kind: about,
                subject_id: id,
                consent_given_on,
                consent_method,
                consent_note,
            };
            let s = save_story(store, &caller, None, &input)
                .await
                .map_err(app_error)?;
            println!("{}", say("cli.stories.added", &[("id", &s.id)]));
        }
        StoriesCommand::Withdraw { programme, story } => {
            let caller = Caller::console(programme_id(store, &programme).await?);
            withdraw_consent(store, &caller, story)
                .await
                .map_err(app_error)?;
            println!("{}", t("stories.withdraw.done"));
        }
        StoriesCommand::Export { programme, output } => {
            let caller = Caller::console(programme_id(store, &programme).await?);
            let csv = stories_file(store, &caller, &StoryQuery::default())
                .await
                .map_err(app_error)?;
            match output {
                Some(path) => std::fs::write(&path, csv).map_err(
                    |e| fail!("cli.cannot_write", "file" => path.display(), "reason" => e),
                )?,
                None => print!("{csv}"),
            }
        }
        StoriesCommand::Import {
            file,
            programme,
            dry_run,
        } => {
            let caller = Caller::console(programme_id(store, &programme).await?);
            let bytes = std::fs::read(&file)
                .map_err(|e| fail!("cli.cannot_read", "file" => file.display(), "reason" => e))?;
            let name = file.display().to_string();
            let bar = progress::bar(1, t("cli.progress.import"));
            let result = import_stories(
                store,
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
                Err(e) => return Err(app_error(e)),
                Ok(o) => {
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
                                ("created", &o.added),
                                ("updated", &o.changed),
                                ("unchanged", &o.unchanged),
                                ("warnings", &tn("cli.count.warnings", 0)),
                            ]
                        )
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the funder report for the period to `out`: a PDF, or one HTML
/// file when the name ends in `.html`.
pub async fn write_report(
    store: &dyn Store,
    programme: &str,
    from: String,
    to: String,
    out: PathBuf,
) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme_id(store, programme).await?);
    let q = ReportQuery {
        from: Some(from).filter(|s| !s.is_empty()),
        to: Some(to).filter(|s| !s.is_empty()),
    };
    let started = Instant::now();
    let r = report(store, &caller, &Ledgers::new(0), &q)
        .await
        .map_err(app_error)?;
    let html = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    let bytes = if html {
        useit_web::programme_report_html(r)?.into_bytes()
    } else {
        pdf(&r)
    };
    std::fs::write(&out, &bytes)
        .map_err(|e| fail!("cli.cannot_write", "file" => out.display(), "reason" => e))?;
    eprintln!(
        "{}",
        say(
            "cli.report.written",
            &[
                ("file", &out.display()),
                ("ms", &started.elapsed().as_millis())
            ]
        )
    );
    Ok(ExitCode::SUCCESS)
}
