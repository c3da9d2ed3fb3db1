//! `useit anchors …`: anchor institutions, their spend files, the
//! organisation register and the spend measures, from the command line.

pub mod demo;
pub mod demo_interactions;
pub mod demo_workforce;
pub mod inspect;
pub mod interactions;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod suppliers;
pub mod workforce;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use useit_app::Caller;
use useit_app::anchors::anchor::{anchor as anchor_of, save_anchor};
use useit_app::anchors::files::spend_file_page;
use useit_app::anchors::ledger::{self, Ledgers};
use useit_app::anchors::register::{RegisterOptions, RegisterUpload, load_register};
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::anchors::coverage;
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::import::{ImportOptions, estimated_lines};
use useit_core::anchors::measures::Geography;
use useit_core::anchors::register::RegisterFormat;
use useit_core::i18n::t;
use useit_core::listing::PageRequest;
use useit_core::money::format_pence;
use useit_store::Store;

use crate::input::{open, programme, read};
use crate::{fail, progress, say};

#[derive(Subcommand)]
pub enum AnchorsCommand {
    /// Adds an anchor institution, or changes the one with this short name.
    Add(AnchorArgs),
    /// Imports spend files as published, for one anchor: all or nothing per file.
    Import(ImportArgs),
    /// Shows what a spend file would import as (columns, date order, first
    /// lines, total) without writing anything.
    Inspect(inspect::InspectArgs),
    /// Loads organisation-register entries suppliers are matched against.
    Register(RegisterArgs),
    /// Prints the measures for an anchor (or all anchors).
    Measures(MeasuresArgs),
    /// Lists the spend files imported, newest first, with the id that
    /// `undo-import` takes.
    Files(FilesArgs),
    /// Undoes an import: the file's lines are removed and the measures
    /// worked out again without them (audited).
    UndoImport(UndoImportArgs),
    /// Gives many suppliers of the review queue one decision at once (all
    /// or none, each audited): the named ones, or the queue's matches.
    DecideSuppliers(suppliers::DecideArgs),
    /// Searches the organisation register by name, company or charity
    /// number, org-id or postcode.
    SearchRegister(suppliers::SearchRegisterArgs),
    /// Links a supplier to an organisation of the register (its decision,
    /// audited; run again to change it).
    LinkSupplier(suppliers::LinkSupplierArgs),
    /// Anchors' workforce by home area: import files, print the measures.
    #[command(subcommand)]
    Workforce(workforce::WorkforceCommand),
    /// Which organisations each anchor works with: list, import, practice changes.
    #[command(subcommand)]
    Interactions(interactions::InteractionsCommand),
    /// Writes every spend line with the measures' inputs as Parquet (built with `--features parquet`).
    #[cfg(feature = "parquet")]
    Parquet(parquet::ParquetArgs),
}

#[derive(Args)]
pub struct AnchorArgs {
    #[arg(long)]
    pub programme: String,
    /// Short name, used in web addresses and `anchors import --anchor`.
    #[arg(long)]
    pub slug: String,
    #[arg(long)]
    pub name: String,
    /// nhs_trust, council, university, housing_association or other.
    #[arg(long)]
    pub kind: String,
    /// ODS code, GSS code or UKPRN.
    #[arg(long)]
    pub official_code: Option<String>,
    /// GSS code of the local authority the anchor serves.
    #[arg(long)]
    pub local_authority: Option<String>,
    /// A site as "name, postcode"; repeat for more.
    #[arg(long = "site")]
    pub sites: Vec<String>,
    /// field=Header for files whose headers are not recognised; repeat.
    #[arg(long = "map")]
    pub map: Vec<String>,
}

#[derive(Args)]
pub struct ImportArgs {
    #[arg(long)]
    pub programme: String,
    /// The anchor's short name.
    #[arg(long)]
    pub anchor: String,
    /// Import the good lines of files with bad ones, listing what was skipped.
    #[arg(long)]
    pub skip_bad_lines: bool,
    /// YYYY-MM-DD: the date for lines that have none (the period's first day).
    #[arg(long)]
    pub undated_lines_on: Option<String>,
    /// The files, in any order; each is one transaction.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Args)]
pub struct RegisterArgs {
    #[arg(long)]
    pub programme: String,
    /// useit (org_id,name,kind,company_number,postcode,trading_postcode,lat,lon),
    /// nhs-ods (ODS etr/eccg extracts), charity-lookup (drkane/charity-lookups),
    /// companies-house (Basic Company Data, as published), charity-commission
    /// (the register extract, text), charity-commission-json or links
    /// (charity↔company and mutual society lookups, joining and marking the
    /// organisations already held).
    #[arg(long, default_value = "useit")]
    pub format: String,
    /// Load the good rows of a file with bad ones, listing what was refused.
    #[arg(long)]
    pub skip_bad_lines: bool,
    /// A postcode area or district (B, WS10) whose organisations a national
    /// register keeps, besides those of the anchors' sites; repeat for more.
    #[arg(long = "postcode-area")]
    pub postcode_areas: Vec<String>,
    /// The file (gzip-compressed files are read as they are).
    pub file: PathBuf,
}

#[derive(Args)]
pub struct FilesArgs {
    #[arg(long)]
    pub programme: String,
    /// Which page of 25 (from 1).
    #[arg(long, default_value_t = 1)]
    pub page: u32,
}

#[derive(Args)]
pub struct UndoImportArgs {
    #[arg(long)]
    pub programme: String,
    /// The file's id, as `useit anchors files` lists it.
    pub file: String,
}

#[derive(Args)]
pub struct MeasuresArgs {
    #[arg(long)]
    pub programme: String,
    #[arg(long)]
    pub anchor: Option<String>,
}

pub async fn run(url: &str, cmd: AnchorsCommand) -> anyhow::Result<ExitCode> {
    let cmd = match cmd {
        // A file alone needs no database.
        AnchorsCommand::Inspect(a) if !a.needs_database() => return inspect::run(None, a).await,
        cmd => cmd,
    };
    let store = useit_store::connect(url).await?;
    let code = match cmd {
        AnchorsCommand::Inspect(a) => inspect::run(Some(&store), a).await?,
        AnchorsCommand::Add(a) => anchor(&store, a).await?,
        AnchorsCommand::Import(a) => import(&store, a).await?,
        AnchorsCommand::Register(a) => register(&store, a).await?,
        AnchorsCommand::Measures(a) => measures(&store, a).await?,
        AnchorsCommand::Files(a) => files(&store, a).await?,
        AnchorsCommand::UndoImport(a) => undo_import(&store, a).await?,
        AnchorsCommand::DecideSuppliers(a) => suppliers::decide(&store, a).await?,
        AnchorsCommand::SearchRegister(a) => suppliers::search(&store, a).await?,
        AnchorsCommand::LinkSupplier(a) => suppliers::link(&store, a).await?,
        AnchorsCommand::Workforce(c) => workforce::run(&store, c).await?,
        AnchorsCommand::Interactions(c) => interactions::run(&store, c).await?,
        #[cfg(feature = "parquet")]
        AnchorsCommand::Parquet(a) => parquet::run(&store, a).await?,
    };
    store.close().await;
    Ok(code)
}

async fn anchor(store: &Arc<dyn Store>, a: AnchorArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let input = AnchorInput {
        slug: a.slug,
        name: a.name,
        kind: a.kind,
        official_code: a.official_code.unwrap_or_default(),
        local_authority_code: a.local_authority.unwrap_or_default(),
        sites: a.sites.join("\n"),
        column_mapping: a.map.join("\n"),
    };
    let saved = save_anchor(store.as_ref(), &caller, &input).await?;
    println!("{}", say("anchors.anchor.saved", &[("name", &saved.name)]));
    Ok(ExitCode::SUCCESS)
}

async fn import(store: &Arc<dyn Store>, a: ImportArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    // An unknown anchor stops before any file is read.
    anchor_of(store.as_ref(), &caller, &a.anchor).await?;
    let undated_lines_on = match &a.undated_lines_on {
        None => None,
        Some(s) => Some(
            time::Date::parse(s, &time::format_description::well_known::Iso8601::DATE)
                .map_err(|_| fail!("cli.bad_day", "flag" => "undated-lines-on", "value" => s))?,
        ),
    };
    let mut failed = false;
    for file in &a.files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = name.trim_end_matches(".gz").to_string();
        let bytes = read(file)?;
        // A workbook's rows are not known before it is opened: a count.
        let bar = match estimated_lines(&bytes) {
            Some(lines) => progress::bar(lines, t("cli.progress.spend_import")),
            None => progress::counter(t("cli.progress.spend_import")),
        };
        let upload = SpendUpload {
            anchor: &a.anchor,
            file_name: &name,
            bytes: &bytes,
            options: ImportOptions {
                skip_bad_lines: a.skip_bad_lines,
                undated_lines_on,
            },
        };
        let result =
            import_spend_file(store.as_ref(), &caller, upload, &|n| bar.set_position(n)).await;
        bar.finish_and_clear();
        match result {
            Err(useit_app::Error::Rejected(report)) => {
                eprint!("{report}");
                eprintln!(
                    "{}",
                    say(
                        "cli.import_failed",
                        &[("file", &name), ("count", &report.error_count())]
                    )
                );
                failed = true;
            }
            Err(e) => return Err(e.into()),
            Ok(i) => {
                eprint!("{}", i.report);
                println!("{}: {}", name, i.outcome.message());
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

async fn register(store: &Arc<dyn Store>, a: RegisterArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let format = RegisterFormat::parse(&a.format)
        .ok_or_else(|| fail!("cli.anchors.register_format", "value" => &a.format))?;
    let name = a.file.display().to_string();
    let bar = progress::bar(0, t("cli.progress.register"));
    let (source, size) = open(&a.file, {
        let bar = bar.clone();
        move |n: u64| bar.set_position(n)
    })?;
    bar.set_length(size);
    let upload = RegisterUpload {
        format,
        file_name: name.clone(),
        source,
        options: RegisterOptions {
            skip_bad_lines: a.skip_bad_lines,
            postcode_areas: a.postcode_areas,
        },
    };
    let result = load_register(store.as_ref(), &caller, upload, Arc::new(|_| {})).await;
    bar.finish_and_clear();
    match result {
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
        Ok(loaded) => {
            eprint!("{}", loaded.report);
            let o = loaded.outcome;
            // Each count with its noun in its own plural form ("1 register
            // entry, 1 new").
            println!(
                "{}",
                useit_core::i18n::Message::new("cli.anchors.registered")
                    .arg("file", &name)
                    .counted("entries", "cli.anchors.n.entries", o.entries)
                    .counted("new", "cli.anchors.n.new", o.new)
                    .text()
            );
            if o.left_out > 0 || o.rechecked > 0 {
                println!(
                    "{}",
                    say(
                        "cli.anchors.register_kept",
                        &[("left_out", &o.left_out), ("rechecked", &o.rechecked)]
                    )
                );
            }
            if o.joined > 0 || o.marked > 0 {
                println!(
                    "{}",
                    say(
                        "cli.anchors.register_linked",
                        &[("joined", &o.joined), ("marked", &o.marked)]
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn files(store: &Arc<dyn Store>, a: FilesArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let page = spend_file_page(
        store.as_ref(),
        &caller,
        PageRequest::new(Some(a.page), None),
    )
    .await?;
    println!("id\tanchor\tfile\tlines_new\tlines_read\ttotal\timported_at");
    for f in &page.items {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            f.id,
            f.anchor_slug,
            f.file_name,
            f.lines_new,
            f.lines_read,
            format_pence(f.total),
            useit_core::clock::rfc3339(f.imported_at)
        );
    }
    eprintln!(
        "{}",
        say(
            "cli.anchors.files_page",
            &[
                ("page", &page.page),
                ("pages", &page.total_pages()),
                ("total", &page.total)
            ]
        )
    );
    Ok(ExitCode::SUCCESS)
}

async fn undo_import(store: &Arc<dyn Store>, a: UndoImportArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let id = uuid::Uuid::parse_str(a.file.trim())
        .map_err(|_| fail!("cli.anchors.bad_file_id", "value" => &a.file))?;
    let f = useit_app::anchors::files::undo_import(store.as_ref(), &caller, id).await?;
    println!(
        "{}",
        say(
            "cli.anchors.import_undone",
            &[("file", &f.file_name), ("lines", &f.lines_new)]
        )
    );
    Ok(ExitCode::SUCCESS)
}

async fn measures(store: &Arc<dyn Store>, a: MeasuresArgs) -> anyhow::Result<ExitCode> {
    let p = crate::input::programme_record(store, &a.programme).await?;
    // Money in the programme's own currency, written its language's way.
    let money = p.money_style();
    let caller = Caller::console(p.id);
    let filter = LineFilter {
        anchor: a.anchor.clone(),
        ..Default::default()
    };
    // One answer, nothing to keep between requests.
    let spend = ledger::measures(store.as_ref(), &caller, &Ledgers::new(0), &filter).await?;
    let (m, l) = (&spend.measures, &spend.lm3);
    let setup = &spend.ledger.setup;
    let not_known = || t("anchors.coverage.not_known").to_string();
    // The share as the page shows it, the money, how much of the money
    // could be judged, and the step that would judge more.
    let row = |name: &str, j: coverage::Judged| {
        let money = if j.band.low == j.band.high {
            money.show(j.band.low)
        } else {
            format!("{} – {}", money.show(j.band.low), money.show(j.band.high))
        };
        let placed = j.coverage().map_or_else(not_known, |c| {
            say(
                "anchors.coverage.placed",
                &[
                    ("share", &c),
                    ("of", &t("anchors.coverage.of_influenceable")),
                ],
            )
        });
        let gap = j.gap.map(|g| t(g.message_key()).to_string());
        println!(
            "{name}\t{}\t{money}\t{placed}{}",
            j.share().unwrap_or_else(not_known),
            gap.map(|g| format!("\t{g}")).unwrap_or_default()
        );
    };
    println!("lines\t{}", m.lines);
    println!("total\t{}", money.show(m.total));
    println!("influenceable\t{}", money.show(m.influenceable));
    for g in Geography::ALL {
        row(&format!("local_{}", g.slug()), coverage::local(m, setup, g));
    }
    row("deciles_1_2", coverage::deciles(m, setup));
    println!("social_economy\t{}", money.show(m.social_economy));
    if coverage::lm3_known(m, setup) {
        println!("lm3\t{}", l.text());
    } else {
        println!("lm3\t{}", not_known());
    }
    // Where LM3's wages came from, as the dashboard says it.
    println!("lm3_wages\t{}", l.wages.text());
    Ok(ExitCode::SUCCESS)
}
