//! `useit audit export`: the audit log as CSV or JSON lines; `useit audit
//! verify`: the log's hash chain checked from its first entry.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use useit_app::Caller;
use useit_app::audit::{Reading, deployment_log, deployment_names, programme_log, programme_names};
use useit_app::auth::Operator;
use useit_core::audit::AuditFilter;
use useit_core::listing::PageRequest;
use useit_core::validation::parse_date;

use crate::programme::programme_id;
use crate::{fail, say};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Only this programme (its short name); all programmes otherwise.
    #[arg(long)]
    programme: Option<String>,
    /// From this day (7 December 2026, 7/12/2026 or 2026-12-07).
    #[arg(long)]
    since: Option<String>,
    /// Up to and including this day, written the same ways.
    #[arg(long)]
    until: Option<String>,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Writes audit entries, oldest first.
    Export(ExportArgs),
    /// Seals new entries into the hash chain, then checks every sealed
    /// entry is as it was sealed. Prints the chain's head: keep it
    /// elsewhere, and a later rewrite of the whole log shows. Ends with
    /// status 1 where the chain breaks.
    Verify,
}

fn day(s: &Option<String>, what: &str) -> anyhow::Result<Option<time::Date>> {
    match s {
        None => Ok(None),
        Some(v) => parse_date(v)
            .map(Some)
            .ok_or_else(|| fail!("cli.bad_day", "flag" => what, "value" => v)),
    }
}

pub async fn run(url: &str, cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        AuditCommand::Verify => verify(url).await,
        AuditCommand::Export(args) => export(url, args).await,
    }
}

async fn verify(url: &str) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    let bar = crate::progress::bar(0, &say("cli.audit.verifying", &[]));
    let report = useit_app::audit::verify(store.as_ref(), &Operator::console(), |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await;
    bar.finish_and_clear();
    store.close().await;
    let report = report?;
    let (seq, hash) = &report.head;
    println!(
        "{}",
        say(
            "cli.audit.head",
            &[("checked", &report.checked), ("seq", seq), ("hash", hash)]
        )
    );
    use useit_core::audit::chain::Break;
    let broken = match &report.broken {
        None => return Ok(ExitCode::SUCCESS),
        Some(Break::Changed { seq, event_id }) => {
            say("cli.audit.changed", &[("seq", seq), ("id", event_id)])
        }
        Some(Break::Missing { seq, event_id }) => {
            say("cli.audit.missing", &[("seq", seq), ("id", event_id)])
        }
        Some(Break::Gap { expected, found }) => {
            say("cli.audit.gap", &[("expected", expected), ("found", found)])
        }
    };
    eprintln!("{broken}");
    Ok(ExitCode::FAILURE)
}

async fn export(url: &str, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let ExportArgs {
        programme,
        since,
        until,
        format,
        output,
    } = args;
    let store = useit_store::connect(url).await?;
    let programme = match &programme {
        Some(slug) => Some(programme_id(store.as_ref(), slug).await?),
        None => None,
    };
    let filter = AuditFilter {
        since: day(&since, "since")?.map(|d| d.midnight().assume_utc()),
        until: day(&until, "until")?.map(|d| (d + time::Duration::days(1)).midnight().assume_utc()),
        oldest_first: true,
        ..Default::default()
    };
    let (all, reading) = (PageRequest::all(), Reading::Export);
    let (entries, names) = match programme {
        Some(p) => {
            let caller = Caller::console(p);
            let e = programme_log(store.as_ref(), &caller, filter, all, reading).await?;
            let names = programme_names(store.as_ref(), &caller, &e.items).await?;
            (e.items, names)
        }
        None => {
            let operator = Operator::console();
            let e = deployment_log(store.as_ref(), &operator, filter, all, reading).await?;
            let names = deployment_names(store.as_ref(), &operator, &e.items).await?;
            (e.items, names)
        }
    };
    let mut out: Box<dyn Write> = match &output {
        Some(p) => Box::new(
            std::fs::File::create(p)
                .map_err(|e| fail!("cli.cannot_write", "file" => p.display(), "reason" => e))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    match format {
        Format::Csv => out.write_all(
            useit_core::audit::to_csv(&entries, &|id| names.get(&id).cloned()).as_bytes(),
        )?,
        Format::Jsonl => {
            for e in &entries {
                serde_json::to_writer(&mut out, e)?;
                writeln!(out)?;
            }
        }
    }
    if let Some(p) = &output {
        eprintln!(
            "{}",
            say(
                "cli.audit_written",
                &[("count", &entries.len()), ("file", &p.display())]
            )
        );
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
