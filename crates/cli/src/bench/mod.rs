//! `useit bench`: the performance goals, measured on this machine and
//! compared with a peer tool in the same run (the machine is shared and
//! noisy, so only ratios from one run mean anything).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use clap::Subcommand;
use useit_core::place::index::{PostcodeIndex, from_csv, key_bytes, unkey};

use crate::demo::Seeded;

mod consortium;
mod duplicates;
mod import_lock;
mod indicators;
mod indicators_data;
mod matching;
mod registers;
mod resolve;
mod spend;
mod web;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Builds the postcode index from a national postcode file and resolves
    /// N postcodes; then the same in DuckDB; prints both and the ratio.
    Place {
        /// The ONS postcode lookup with coordinates (CSV, gzipped or not).
        #[arg(
            long,
            default_value = "../shared/data/postcodes/postcodes_england_lsoa11.csv.gz"
        )]
        postcodes: PathBuf,
        /// How many look-ups.
        #[arg(long, short = 'n', default_value_t = 10_000_000)]
        lookups: usize,
        /// The Python with duckdb installed; by default bench/.venv, created if missing.
        #[arg(long)]
        python: Option<PathBuf>,
        /// Skip the DuckDB run.
        #[arg(long)]
        no_duckdb: bool,
    },
    /// Places people in vacancies with posts (5,000 × 5,000 and 10,000 ×
    /// 2,000) and checks the optimum against SciPy's linear_sum_assignment.
    Match {
        /// The Python with scipy installed; by default bench/.venv, created if missing.
        #[arg(long)]
        python: Option<PathBuf>,
        /// Skip the SciPy run.
        #[arg(long)]
        no_scipy: bool,
    },
    /// Builds the best consortium for a lot of 20 requirements with the
    /// combined-capacity rule among N generated enterprises; then the same
    /// MILP in HiGHS; checks the optima agree and prints both and the ratio.
    Consortium {
        /// How many enterprises.
        #[arg(long, default_value_t = 500)]
        enterprises: usize,
        /// The generator's seed.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Runs of each solver; the median time counts.
        #[arg(long, default_value_t = 5)]
        repeat: usize,
        /// Also time this many alternatives (1: only the best).
        #[arg(long, default_value_t = 5)]
        alternatives: usize,
        /// Also solve the MILP with good_lp and microlp (pure Rust).
        #[arg(long)]
        microlp: bool,
        /// The Python with highspy installed; by default bench/.venv, created if missing.
        #[arg(long)]
        python: Option<PathBuf>,
        /// Skip the HiGHS run.
        #[arg(long)]
        no_highs: bool,
    },
    /// Loads a register of N organisations (a few hundred entered twice)
    /// into a throw-away database and times a page of the enterprise
    /// duplicates list as every request worked it out before (the whole
    /// register read and paired) and as now (the pairs kept per revision);
    /// checks both list the same pairs.
    Duplicates {
        /// How many organisations (twins come on top: one in 100 and one in 250).
        #[arg(long, default_value_t = 50_000)]
        organisations: usize,
        /// Timed requests of each kind; the median counts.
        #[arg(long, default_value_t = 10)]
        repeat: usize,
        /// An empty database to load into (PostgreSQL, say); a throw-away
        /// SQLite file by default.
        #[arg(long)]
        into: Option<String>,
    },
    /// Generates N spend lines shaped like NHS trusts' monthly files, reads
    /// and validates them, resolves suppliers against a register and computes
    /// the measures; then the same aggregates in DuckDB; prints both and the ratio.
    Spend {
        /// How many spend lines.
        #[arg(long, default_value_t = 1_000_000)]
        lines: usize,
        /// How many distinct suppliers.
        #[arg(long, default_value_t = 20_000)]
        suppliers: usize,
        /// Also import the files through `useit anchors import`'s path into this
        /// (empty, throw-away) database and time it.
        #[arg(long)]
        import_into: Option<String>,
        /// The Python with duckdb installed; by default bench/.venv, created if missing.
        #[arg(long)]
        python: Option<PathBuf>,
        /// Skip the DuckDB run.
        #[arg(long)]
        no_duckdb: bool,
    },
    /// Streams a Companies House sample, served --repeat times in one file,
    /// into a throw-away programme's register the way `useit anchors
    /// register` does; prints rows/s and peak memory.
    Registers {
        /// A Companies House "Basic Company Data" file or sample (gzipped or not).
        #[arg(
            long,
            default_value = "../shared/data/companies_house/kamranafridi/companies_sample.csv.gz"
        )]
        file: PathBuf,
        /// How many times the sample's rows are served.
        #[arg(long, default_value_t = 100)]
        repeat: u64,
        /// Instead of the sample: this many generated companies in the
        /// published layout (55 quoted columns, prefixed numbers, each
        /// company once), made as they are read (`5000000` is the national
        /// file).
        #[arg(long)]
        rows: Option<u64>,
        /// Keep the organisations of these postcode areas (as `--postcode-area`).
        #[arg(long = "postcode-area")]
        postcode_areas: Vec<String>,
    },
    /// Builds a programme with N spend lines (imported through the import
    /// path), 10,000 residents, researchers and enterprises over five years
    /// in a throw-away SQLite database, then times the home page's figures:
    /// the first computation (reading and placing the ledger) and then each
    /// request's (the placed ledger kept while the data stands, as the server does).
    Indicators {
        /// How many spend lines.
        #[arg(long, default_value_t = 1_000_000)]
        lines: usize,
        /// How many residents in the talent strand.
        #[arg(long, default_value_t = 10_000)]
        people: usize,
        /// How many timed requests after the first; the median counts.
        #[arg(long, default_value_t = 20)]
        repeat: usize,
    },
    /// Resolves 1,814 real NHS supplier names to the charities auditors
    /// matched them to (crahal/NHSSpend), reports precision, recall and F1 of
    /// the matches accepted unasked and the review queue; then rapidfuzz on
    /// the same names and register; prints both and the speed ratio.
    Resolve {
        /// The folder holding nhs_supplier_charity_matches_crahal.csv and
        /// charity_company_lookups/.
        #[arg(long, default_value = "../shared/data/orgs")]
        orgs: PathBuf,
        /// The Python with rapidfuzz installed; by default bench/.venv, created if missing.
        #[arg(long)]
        python: Option<PathBuf>,
        /// Skip the rapidfuzz run.
        #[arg(long)]
        no_rapidfuzz: bool,
        /// List useit's wrong acceptances and its misses.
        #[arg(long)]
        show_errors: bool,
    },
    /// Serves the demo's data here and measures, signed in over keep-alive
    /// connections: requests/s, p50 and p99 and bytes for the programme
    /// home page, the spend dashboard and a 100-row JSON list at each
    /// concurrency. Goals: JSON ≥ 5,000/s, pages ≥ 1,000/s, p99 ≤ 50 ms,
    /// no errors.
    Web {
        /// Seconds per measurement.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Concurrent connections, one measurement each.
        #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
        concurrency: Vec<usize>,
        /// An empty database to build the demo into (PostgreSQL, say);
        /// a throw-away SQLite file by default.
        #[arg(long)]
        into: Option<String>,
    },
    /// Imports one spend file of N lines while another user adds a person
    /// and reads them back every 50 ms; prints the import's lines/s and the
    /// slowest answer the other user got (goal: about a second at most, none
    /// refused as busy).
    ImportLock {
        /// How many spend lines in the one file.
        #[arg(long, default_value_t = 900_000)]
        lines: usize,
        /// An empty database to import into (PostgreSQL, say); a throw-away
        /// SQLite file by default.
        #[arg(long)]
        into: Option<String>,
    },
}

pub fn run(cmd: BenchCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCommand::Place {
            postcodes,
            lookups,
            python,
            no_duckdb,
        } => place(&postcodes, lookups, python, no_duckdb),
        BenchCommand::Spend {
            lines,
            suppliers,
            import_into,
            python,
            no_duckdb,
        } => spend::run(lines, suppliers, import_into, python, no_duckdb),
        BenchCommand::Match { python, no_scipy } => matching::run(python, no_scipy),
        BenchCommand::Consortium {
            enterprises,
            seed,
            repeat,
            alternatives,
            microlp,
            python,
            no_highs,
        } => consortium::run(
            enterprises,
            seed,
            repeat,
            alternatives,
            microlp,
            python,
            no_highs,
        ),
        BenchCommand::Duplicates {
            organisations,
            repeat,
            into,
        } => duplicates::run(organisations, repeat, into),
        BenchCommand::Registers {
            file,
            repeat,
            rows,
            postcode_areas,
        } => registers::run(&file, repeat, rows, postcode_areas),
        BenchCommand::Indicators {
            lines,
            people,
            repeat,
        } => indicators::run(lines, people, repeat),
        BenchCommand::Resolve {
            orgs,
            python,
            no_rapidfuzz,
            show_errors,
        } => resolve::run(&orgs, python, no_rapidfuzz, show_errors),
        BenchCommand::Web {
            seconds,
            concurrency,
            into,
        } => web::run(seconds, concurrency, into),
        BenchCommand::ImportLock { lines, into } => import_lock::run(lines, into),
    }
}

/// A scratch folder that goes however the run ends.
pub struct Scratch(pub PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

/// A Python with `module` importable: the one given, or bench/.venv (made
/// and filled from PyPI the first time).
pub fn python_with(module: &str, given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p);
    }
    let venv = Path::new("bench/.venv");
    let py = venv.join("bin/python");
    let has = |py: &Path| {
        Command::new(py)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if py.exists() && has(&py) {
        return Ok(py);
    }
    eprintln!("setting up {} with {module} from PyPI…", venv.display());
    if !py.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(venv)
            .status()?
            .success();
        anyhow::ensure!(ok, "python3 -m venv {} failed", venv.display());
    }
    let ok = Command::new(venv.join("bin/pip"))
        .args(["install", "-q", module])
        .status()?
        .success();
    anyhow::ensure!(
        ok && has(&py),
        "could not install {module} into {}",
        venv.display()
    );
    Ok(py)
}

fn place(
    file: &Path,
    n: usize,
    python: Option<PathBuf>,
    no_duckdb: bool,
) -> anyhow::Result<ExitCode> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let name = file.display().to_string();

    // Load: read and gunzip, then parse and build the index.
    let t = Instant::now();
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
    let text = if name.ends_with(".gz") {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)?;
        out
    } else {
        bytes
    };
    let t_read = secs(t);
    let t = Instant::now();
    let (index, skipped) = from_csv(
        &text,
        "pcds",
        "lsoa11cd",
        "lat",
        "long",
        Some("in_codepoint_2025"),
        Some("doterm"),
    )
    .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let t_build = secs(t);

    // Queries: 95% known postcodes written as people write them, 5% unknown.
    let known: Vec<u64> = index.keys().collect();
    let mut rng = Seeded::new(2026);
    let mut queries: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        if rng.below(20) == 0 {
            queries.push(format!("ZZ{} {}XX", rng.below(90) + 10, rng.below(10)));
        } else {
            let pc = unkey(known[rng.below(known.len() as u64) as usize]);
            let (out, inw) = pc.split_at(pc.len() - 3);
            queries.push(format!("{out} {inw}"));
        }
    }

    // One core: normalise each string to a key, then resolve.
    let t = Instant::now();
    let keys: Vec<u64> = queries
        .iter()
        .map(|q| key_bytes(q.as_bytes()).unwrap_or(0))
        .collect();
    let t_keys = secs(t);
    let mut out = vec![0u32; n];
    let t = Instant::now();
    index.lookup_many(&keys, &mut out);
    let t_one = secs(t);
    let matched = out.iter().filter(|&&e| e != u32::MAX).count();
    let mut out2 = vec![0u32; n];
    let t = Instant::now();
    index.lookup_many_parallel(&keys, &mut out2, threads);
    let t_par = secs(t);
    anyhow::ensure!(
        out == out2,
        "the parallel look-up disagrees with the single-core one"
    );
    check_answers(&index, &queries, &out);
    // Every core: each normalises its share of the strings and resolves them.
    let mut out3 = vec![0u32; n];
    let t = Instant::now();
    let chunk = n.div_ceil(threads).max(1);
    std::thread::scope(|s| {
        for (qc, oc) in queries.chunks(chunk).zip(out3.chunks_mut(chunk)) {
            let index = &index;
            s.spawn(move || {
                let keys: Vec<u64> = qc
                    .iter()
                    .map(|q| key_bytes(q.as_bytes()).unwrap_or(0))
                    .collect();
                index.lookup_many(&keys, oc);
            });
        }
    });
    let t_all = secs(t);
    anyhow::ensure!(
        out == out3,
        "the parallel normalise-and-look-up disagrees with the single-core one"
    );

    let rate = |s: f64| format!("{:.1} M/s", n as f64 / s / 1e6);
    let row = |who: &str, what: &str, s: f64, note: &str| {
        println!("  {who:<7}{what:<38}{s:>8.3} s  {note}")
    };
    println!(
        "useit bench place: {} postcodes in {name} ({skipped} rows skipped), {n} look-ups, {threads} cores",
        index.len()
    );
    row("useit", "read + gunzip", t_read, "");
    row(
        "useit",
        "parse + build index",
        t_build,
        &format!("(load {:.3} s in all; goal ≤ 10 s)", t_read + t_build),
    );
    row(
        "useit",
        "normalise the strings, 1 core",
        t_keys,
        &rate(t_keys),
    );
    row(
        "useit",
        "look up the keys, 1 core",
        t_one,
        &format!("{} (goal ≥ 10 M/s)", rate(t_one)),
    );
    row(
        "useit",
        &format!("look up the keys, {threads} threads"),
        t_par,
        &rate(t_par),
    );
    row(
        "useit",
        "normalise + look up, 1 core",
        t_keys + t_one,
        &rate(t_keys + t_one),
    );
    row(
        "useit",
        &format!("normalise + look up, {threads} threads"),
        t_all,
        &rate(t_all),
    );
    println!("  matched {matched} of {n}");
    if no_duckdb {
        return Ok(ExitCode::SUCCESS);
    }

    let py = python_with("duckdb", python)?;
    let dir = std::env::temp_dir().join(format!("useit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let qfile = dir.join("queries.csv");
    {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(&qfile)?);
        writeln!(w, "postcode")?;
        for q in &queries {
            writeln!(w, "{q}")?;
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/place_duckdb.py");
    let o = Command::new(&py)
        .arg(&script)
        .arg(file)
        .arg(&qfile)
        .output()?;
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(
        o.status.success(),
        "DuckDB run failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)?;
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let (d_load, d_join, d_matched) =
        (f("load_s"), f("join_s"), v["matched"].as_u64().unwrap_or(0));
    let duck = format!(
        "DuckDB {} on {} threads",
        v["version"].as_str().unwrap_or("?"),
        v["threads"]
    );
    println!("  {duck}");
    row("DuckDB", "read the CSV into a table", d_load, "");
    row("DuckDB", "left join the postcodes", d_join, &rate(d_join));
    println!("  matched {d_matched} of {n}");
    anyhow::ensure!(
        d_matched as usize == matched,
        "DuckDB matched {d_matched}, useit {matched}: the answers differ"
    );
    println!("ratios (DuckDB's time / useit's; above 1 means useit is faster):");
    let ratio = |what: &str, x: f64, note: &str| println!("  {what:<46}{x:>6.1}×  {note}");
    ratio("load", d_load / (t_read + t_build), "");
    ratio(
        "look-ups on 1 core vs the join",
        d_join / t_one,
        "(goal ≥ 5×)",
    );
    ratio(
        "normalise + look up on 1 core vs the join",
        d_join / (t_keys + t_one),
        "",
    );
    ratio(
        &format!("normalise + look up on {threads} threads vs the join"),
        d_join / t_all,
        "(the same job on the same cores)",
    );
    Ok(ExitCode::SUCCESS)
}

/// Spot-checks that the index answers what it was built from.
fn check_answers(index: &PostcodeIndex, queries: &[String], out: &[u32]) {
    for (q, &e) in queries.iter().zip(out).step_by(9973) {
        let direct = index.get(q).map(|x| x as *const _);
        let batch = (e != u32::MAX).then(|| &index.entries[e as usize] as *const _);
        assert_eq!(direct, batch, "{q}");
    }
}
