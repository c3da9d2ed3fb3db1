//! `useit`: the server, the demo, and every batch job, from one binary.

mod anchors;
mod audit;
mod auth;
mod bench;
mod community;
mod demo;
mod enterprise;
mod input;
mod place;
mod programme;
mod progress;
mod research;
mod serve;
mod talent;
mod workshops;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use useit_core::i18n::Message;

/// mimalloc rather than the system's: a page view makes and drops thousands
/// of small strings, and under load glibc's malloc and free were a sixth of
/// the server's time (`useit bench web`, issue 16.11).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE: &str = "sqlite://useit.db";

/// An error in the catalogue's words: `fail!("cli.no_account", "email" => e)`.
#[macro_export]
macro_rules! fail {
    ($key:expr $(, $name:expr => $value:expr)* $(,)?) => {
        anyhow::Error::msg(useit_core::i18n::Message::new($key)$(.arg($name, $value))*)
    };
}

/// A line of output in the catalogue's words.
/// A key written as `key.one` / `key.other` is chosen by its `count`.
pub fn say(key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    args.iter()
        .fold(useit_core::i18n::Message::new(key), |m, (k, v)| m.arg(k, v))
        .text()
}

#[derive(Parser)]
#[command(
    name = "useit",
    version,
    about = "See and change how anchor institutions' spending, hiring and partnerships reach local people."
)]
struct Cli {
    /// Database URL: sqlite://FILE or postgres://USER:PASSWORD@HOST/DB.
    /// Falls back to DATABASE_URL, then to a SQLite file useit.db here.
    #[arg(long, global = true, env = "USEIT_DATABASE_URL")]
    database_url: Option<String>,

    /// A folder of profession files (TOML) to use beside the shipped ones;
    /// a file with a shipped profession's code replaces it.
    #[arg(long, global = true, env = "USEIT_PROFESSIONS_DIR")]
    professions_dir: Option<std::path::PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the web application and API.
    Serve(serve::ServeArgs),
    /// Builds (or refreshes) a demo West Birmingham & Smethwick programme and serves it.
    Demo(demo::DemoArgs),
    /// Creates or updates the database schema, then exits.
    Migrate,
    /// Accounts: add, set a password, list.
    #[command(subcommand)]
    User(auth::UserCommand),
    /// Programmes (tenants): add, list.
    #[command(subcommand)]
    Programme(programme::ProgrammeCommand),
    /// A programme's partner organisations: import and export CSV.
    #[command(subcommand)]
    Partners(programme::PartnersCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Geography: load reference files, look up postcodes in bulk.
    #[command(subcommand)]
    Place(place::PlaceCommand),
    /// Anchors' spend: anchors, spend-file imports, the organisation register, measures.
    #[command(subcommand)]
    Anchors(anchors::AnchorsCommand),
    /// Talent: professions files, people and vacancy imports, results.
    #[command(subcommand)]
    Talent(talent::TalentCommand),
    /// Social enterprises: the directory, the anchors' lots, consortia per lot.
    #[command(subcommand)]
    Enterprise(enterprise::EnterpriseCommand),
    /// Research: the payment run, the researchers file, the strand's figures.
    #[command(subcommand)]
    Research(research::ResearchCommand),
    /// Co-learning workshops: list, a workshop's summary, a guest link, the lineage.
    #[command(subcommand)]
    Workshops(workshops::WorkshopsCommand),
    /// Communities and their economic development plans: list, add, a plan.
    #[command(subcommand)]
    Community(community::CommunityCommand),
    /// Benchmarks against peer tools, in one run.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Writes a consistent copy of the database to FILE while the server runs.
    Backup {
        /// Where to write the copy (must not exist yet).
        file: PathBuf,
    },
    /// Replaces the database with a backup (stop the server first).
    Restore {
        /// A file written by `useit backup`.
        file: PathBuf,
        /// Replace a database that already holds data.
        #[arg(long)]
        force: bool,
    },
}

/// The database URL from the flag, USEIT_DATABASE_URL, DATABASE_URL, or the default.
pub fn database_url(flag: Option<String>, default: &str) -> String {
    flag.or_else(|| std::env::var("DATABASE_URL").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| default.to_string())
}

/// Output piped into a reader that stops early (`useit … | head -1`)
/// ends the command quietly, as other command-line tools do, rather than
/// with a panic and a backtrace: `println!` panics when stdout's reader has
/// gone (Rust ignores SIGPIPE), and this hook ends the process instead.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if payload.contains("failed printing to stdout") && payload.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// Whether an error is a write to a reader that went away.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("USEIT_LOG").unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("warn,useit=info,useit_web=info")
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        // The reader went away (`useit … | head -1`): what it wanted it has.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Store errors in the catalogue's words; others as they are.
            let message = if let Some(a) = e.downcast_ref::<useit_app::Error>() {
                if let useit_app::Error::Rejected(report) = a {
                    eprint!("{report}");
                }
                a.message().text()
            } else if let Some(s) = e.downcast_ref::<useit_store::StoreError>() {
                s.message().text()
            } else {
                format!("{e:#}")
            };
            eprintln!("{}", Message::new("cli.error").arg("message", message));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &cli.professions_dir {
        useit_core::talent::profession::Professions::install_folder(dir)?;
    }
    let url = |default: &str| database_url(cli.database_url.clone(), default);
    match cli.command {
        Command::Serve(args) => serve::run(&url(DEFAULT_DATABASE), args).await,
        Command::Demo(args) => demo::run(cli.database_url.clone(), args).await,
        Command::Migrate => {
            let u = url(DEFAULT_DATABASE);
            let store = useit_store::connect(&u).await?;
            store.close().await;
            println!(
                "{}",
                say("cli.migrated", &[("url", &useit_store::redact_url(&u))])
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::User(c) => auth::run(&url(DEFAULT_DATABASE), c).await,
        Command::Programme(c) => programme::run_programme(&url(DEFAULT_DATABASE), c).await,
        Command::Partners(c) => programme::run_partners(&url(DEFAULT_DATABASE), c).await,
        Command::Audit(c) => audit::run(&url(DEFAULT_DATABASE), c).await,
        Command::Place(c) => place::run(&url(DEFAULT_DATABASE), c).await,
        Command::Anchors(c) => anchors::run(&url(DEFAULT_DATABASE), c).await,
        Command::Talent(c) => talent::run(&url(DEFAULT_DATABASE), c).await,
        Command::Enterprise(c) => enterprise::run(&url(DEFAULT_DATABASE), c).await,
        Command::Research(c) => research::run(&url(DEFAULT_DATABASE), c).await,
        Command::Workshops(c) => workshops::run(&url(DEFAULT_DATABASE), c).await,
        Command::Community(c) => community::run(&url(DEFAULT_DATABASE), c).await,
        Command::Bench(c) => tokio::task::spawn_blocking(move || bench::run(c)).await?,
        Command::Backup { file } => {
            let u = url(DEFAULT_DATABASE);
            let store = useit_store::connect(&u).await?;
            // The copy holds every entry sealed, so it can be verified alone.
            useit_app::audit::seal(store.as_ref()).await?;
            store.backup_to(&file).await?;
            store.close().await;
            println!(
                "{}",
                say(
                    "cli.backed_up",
                    &[
                        ("url", &useit_store::redact_url(&u)),
                        ("file", &file.display())
                    ]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file, force } => {
            let u = url(DEFAULT_DATABASE);
            useit_store::restore(&u, &file, force).await?;
            println!(
                "{}",
                say(
                    "cli.restored",
                    &[
                        ("file", &file.display()),
                        ("url", &useit_store::redact_url(&u))
                    ]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
