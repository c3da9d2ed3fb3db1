//! `useit bench spend`: N generated spend lines shaped like NHS trusts'
//! monthly files, read and validated, suppliers resolved against a register,
//! the measures computed — and the same aggregates in DuckDB over the same
//! CSVs in the same run. Optionally, the import into the database too.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use useit_core::anchors::measures::{
    Geography, Judged, LedgerLine, Supplier, SupplierKind, SupplierPlace, default_rules, measure,
};
use useit_core::anchors::spend_file::{ReadOptions, read_each};
use useit_core::anchors::supplier::{Matcher, RegisterEntry};
use useit_core::csv_import::{Report, decode_borrowed};
use useit_core::parallel::on_threads;

use super::{python_with, secs};
use crate::demo::Seeded;

const CATEGORIES: usize = 200;
const MONTHS: usize = 12;

/// The peak resident memory of this process so far, in MiB (Linux).
pub(super) fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Numbers for distinct texts, in the order first seen.
#[derive(Default)]
struct Ids {
    ids: rustc_hash::FxHashMap<String, u32>,
    list: Vec<String>,
}

impl Ids {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(i) = self.ids.get(text) {
            return *i;
        }
        self.list.push(text.to_string());
        self.ids
            .insert(text.to_string(), self.list.len() as u32 - 1);
        self.list.len() as u32 - 1
    }
}

/// CPU seconds this process has used so far (user + system, Linux): beside
/// the wall-clock times, it shows whether the threads really ran at once
/// on a shared machine.
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(f64::NAN)
}

pub(super) struct Generated {
    pub(super) files: Vec<PathBuf>,
    register: PathBuf,
    /// Register entries: name, decile, in the area of benefit.
    pub(super) orgs: Vec<(String, u8, bool)>,
}

/// Imports the generated files the way `useit anchors import` does: each file
/// read, checked, its suppliers resolved and its lines written in one
/// transaction (COPY on PostgreSQL).
fn import(url: &str, g: &Generated) -> anyhow::Result<()> {
    use useit_app::Caller;
    use useit_app::anchors::anchor::save_anchor;
    use useit_app::anchors::{SpendUpload, import_spend_file};
    use useit_core::anchors::anchor::AnchorInput;
    use useit_core::audit::Actor;
    let rt = tokio::runtime::Handle::current();
    rt.block_on(async {
        let store = useit_store::connect(url).await?;
        let actor = Actor::system("bench");
        let p = store
            .create_programme(
                &useit_core::programme::NewProgramme::validate("bench-spend", "Bench", "")
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                None,
                &actor,
            )
            .await?;
        let caller = Caller::system(p.id, "bench");
        let anchor = AnchorInput {
            slug: "trust".into(),
            name: "Bench Trust".into(),
            kind: "nhs_trust".into(),
            ..Default::default()
        };
        save_anchor(store.as_ref(), &caller, &anchor).await?;
        let t = Instant::now();
        let mut n = 0u64;
        for f in &g.files {
            let bytes = std::fs::read(f)?;
            let name = f
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let upload = SpendUpload {
                anchor: &anchor.slug,
                file_name: &name,
                bytes: &bytes,
                options: Default::default(),
            };
            match import_spend_file(store.as_ref(), &caller, upload, &|_| {}).await {
                Ok(i) => n += i.outcome.lines_new,
                Err(useit_app::Error::Rejected(r)) => anyhow::bail!("{r}"),
                Err(e) => return Err(e.into()),
            }
        }
        let s = secs(t);
        println!(
            "import into {} ({}): {n} lines in {s:.2} s ({:.0} lines/s), one transaction per file",
            store.backend().name(),
            useit_store::redact_url(url),
            n as f64 / s
        );
        store.close().await;
        Ok(())
    })
}

/// Writes `lines` spend lines over twelve monthly files, `suppliers` distinct
/// suppliers (two in three in the register, a Zipf-like spread of payments),
/// and the register as CSV.
pub(super) fn generate(dir: &Path, lines: usize, suppliers: usize) -> anyhow::Result<Generated> {
    let mut rng = Seeded::new(25_000);
    let names: Vec<String> = (0..suppliers)
        .map(|i| {
            let a = [
                "NORTH", "SOHO", "CAPE", "MIDLAND", "UNITED", "ALPHA", "CITY", "ROYAL", "GREEN",
                "SWIFT",
            ][i % 10];
            let b = [
                "CARE",
                "SUPPLIES",
                "FACILITIES",
                "MEDICAL",
                "SERVICES",
                "SYSTEMS",
                "CLEANING",
                "BUILDERS",
            ][(i / 10) % 8];
            format!("{a} {b} {i} LTD")
        })
        .collect();
    let mut orgs = Vec::new();
    let mut reg = std::io::BufWriter::new(std::fs::File::create(dir.join("register.csv"))?);
    writeln!(reg, "name,decile,in_aob")?;
    for (i, n) in names.iter().enumerate() {
        if i % 3 != 2 {
            let decile = 1 + (rng.below(10) as u8);
            let aob = decile <= 2 && rng.below(2) == 0;
            writeln!(reg, "{n},{decile},{aob}")?;
            orgs.push((n.clone(), decile, aob));
        }
    }
    reg.flush()?;
    let mut files = Vec::new();
    let per = lines.div_ceil(MONTHS);
    let mut written = 0;
    for m in 0..MONTHS {
        let path = dir.join(format!("TRUST {:02}.csv", m + 1));
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
        write!(
            w,
            "Department Family,Entity,Date Paid,Expense Type,Expense Area,Supplier Name,Transaction Reference,Amount\r\n"
        )?;
        let (y, mo) = if m < 9 { (2024, m + 4) } else { (2025, m - 8) };
        for k in 0..per.min(lines - written) {
            // Skewed towards the first suppliers, as real ledgers are.
            let r = rng.below(suppliers as u64 * suppliers as u64);
            let s = (r as f64).sqrt() as usize % suppliers;
            let pence = 2_500_000 + rng.below(50_000_000);
            let neg = if rng.below(200) == 0 { "-" } else { "" };
            let pounds = pence / 100;
            let amount = if pounds >= 1000 {
                format!(
                    "{neg}{},{:03}.{:02}",
                    pounds / 1000,
                    pounds % 1000,
                    pence % 100
                )
            } else {
                format!("{neg}{pounds}.{:02}", pence % 100)
            };
            write!(
                w,
                "Department of Health,Bench Trust,{:02}/{mo:02}/{y},Category {},Area {},{},{},\"{amount}\"\r\n",
                1 + rng.below(28),
                rng.below(CATEGORIES as u64),
                rng.below(40),
                names[s],
                4_000_000 + written + k
            )?;
        }
        written += per.min(lines - written);
        w.flush()?;
        files.push(path);
    }
    Ok(Generated {
        files,
        register: dir.join("register.csv"),
        orgs,
    })
}

pub fn run(
    lines: usize,
    suppliers: usize,
    import_into: Option<String>,
    python: Option<PathBuf>,
    no_duckdb: bool,
) -> anyhow::Result<ExitCode> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let dir = std::env::temp_dir().join(format!("useit-bench-spend-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let t = Instant::now();
    let g = generate(&dir, lines, suppliers)?;
    let bytes: u64 = g
        .files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "useit bench spend: {lines} lines in {MONTHS} files ({:.0} MB), {suppliers} suppliers, {} in the register; generated in {:.1} s",
        bytes as f64 / 1e6,
        g.orgs.len(),
        secs(t)
    );

    // 1. Read and validate every file, on every core.
    let t_all = Instant::now();
    let t = Instant::now();
    let cpu = cpu_secs();
    // Threads take the next file as they finish one: on a shared machine
    // one may be slowed, and the other then reads more.
    let next_file = std::sync::atomic::AtomicUsize::new(0);
    // Each thread numbers suppliers and categories in its own tables and
    // keeps its lines compact; the tables are merged afterwards and the
    // ledger lines built on every core.
    type Compact = (u32, u32, i64, time::Date);
    type Read = (Vec<Compact>, Vec<String>, Vec<String>);
    let parsed: Vec<anyhow::Result<Read>> = on_threads(0..threads, |_| {
        // About 110 bytes a line, the files shared out evenly.
        let mut out: Vec<Compact> = Vec::with_capacity(bytes as usize / 100 / threads);
        let (mut names, mut cats) = (Ids::default(), Ids::default());
        // One buffer for every file a thread reads: fresh memory for each
        // would be faulted in page by page.
        let mut raw = Vec::new();
        loop {
            let i = next_file.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(f) = g.files.get(i) else { break };
            raw.clear();
            std::io::Read::read_to_end(&mut std::fs::File::open(f)?, &mut raw)?;
            let (text, _) = decode_borrowed(&raw);
            let mut report = Report::new(f.display().to_string());
            read_each(&text, &ReadOptions::default(), &mut report, |l| {
                out.push((
                    names.id(&l.supplier),
                    cats.id(&l.expense_type),
                    l.amount,
                    l.paid_on,
                ));
            });
            anyhow::ensure!(!report.has_errors(), "{report}");
        }
        Ok((out, names.list, cats.list))
    });
    // Merge the threads' supplier tables into one, then build the ledger
    // lines, each thread its own part (with its own shared texts: two
    // threads counting references to one copy would fight over it).
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut distinct: Vec<String> = Vec::new();
    let mut compact: Vec<(Vec<Compact>, Vec<usize>, Vec<String>)> = Vec::new();
    for p in parsed {
        let (rows, names, cats) = p?;
        let global: Vec<usize> = names
            .into_iter()
            .map(|n| {
                *index.entry(n.clone()).or_insert_with(|| {
                    distinct.push(n);
                    distinct.len() - 1
                })
            })
            .collect();
        compact.push((rows, global, cats));
    }
    let mut first_id = 0;
    let numbered: Vec<(i64, _)> = compact
        .into_iter()
        .map(|part| {
            let from = first_id;
            first_id += part.0.len() as i64;
            (from, part)
        })
        .collect();
    let parts: Vec<Vec<LedgerLine>> = on_threads(numbered, |(from, (rows, global, cats))| {
        let anchor: std::sync::Arc<str> = std::sync::Arc::from("trust");
        let cats: Vec<std::sync::Arc<str>> =
            cats.iter().map(|c| std::sync::Arc::from(&**c)).collect();
        rows.into_iter()
            .enumerate()
            .map(|(i, (supplier, cat, amount, paid_on))| LedgerLine {
                id: from + i as i64,
                anchor: anchor.clone(),
                paid_on,
                amount,
                expense_type: cats[cat as usize].clone(),
                supplier: global[supplier as usize],
            })
            .collect()
    });
    let mut parts = parts.into_iter();
    let mut ledger = parts.next().unwrap_or_default();
    for mut rows in parts {
        ledger.append(&mut rows);
    }
    let t_read = secs(t);
    let cpu_read = cpu_secs() - cpu;

    // 2. Resolve each distinct supplier against the register, on every core.
    let t = Instant::now();
    let register: Vec<RegisterEntry> = g
        .orgs
        .iter()
        .map(|(n, _, _)| RegisterEntry {
            name: n.clone(),
            company_number: None,
        })
        .collect();
    let matcher = Matcher::new(&register);
    let per = distinct.len().div_ceil(threads).max(1);
    let places: Vec<Option<SupplierPlace>> = on_threads(distinct.chunks(per), |names| {
        names
            .iter()
            .map(|n| {
                let found = matcher.candidates(n, None, 3);
                found.first().filter(|c| c.is_sure()).map(|c| {
                    let (_, decile, aob) = &g.orgs[c.org];
                    SupplierPlace {
                        decile: Some(*decile),
                        area_of_benefit: *aob,
                        judged: Judged::ALL,
                        ..Default::default()
                    }
                })
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    let resolved = places.iter().filter(|p| p.is_some()).count();
    let suppliers_v: Vec<Supplier> = distinct
        .iter()
        .zip(places)
        .map(|(n, place)| Supplier {
            key: n.to_string(),
            name: n.to_string(),
            kind: SupplierKind::Sme,
            registered: place,
            trading: None,
            organisation: None,
        })
        .collect();
    let t_resolve = secs(t);

    // 3. The measures.
    let t = Instant::now();
    let m = measure(
        &ledger,
        &ledger,
        &suppliers_v,
        &default_rules(),
        Geography::AreaOfBenefit,
        10,
    );
    let t_measure = secs(t);
    let t_useit = secs(t_all);
    let cpu_all = cpu_secs() - cpu;
    let peak = peak_mib();
    let aob = m
        .local
        .get(&Geography::AreaOfBenefit)
        .copied()
        .unwrap_or_default();

    println!("useit ({threads} threads to read, resolve and measure):");
    let row = |what: &str, s: f64| println!("  {what:<52}{s:>8.3} s");
    row(
        "read + validate every line (amounts, dates, headers)",
        t_read,
    );
    println!(
        "  {:<52}{cpu_read:>8.2} s",
        "  of which CPU time, all threads"
    );
    row(
        &format!(
            "resolve {} suppliers ({resolved} in the register)",
            suppliers_v.len()
        ),
        t_resolve,
    );
    row(
        "measures (local, deciles 1-2, categories, months, top)",
        t_measure,
    );
    row("pipeline", t_useit);
    println!(
        "  {:<52}{cpu_all:>8.2} s",
        "  of which CPU time, all threads"
    );
    println!("  peak memory {peak:.0} MiB (goal ≤ 2048)");
    println!(
        "  total {} pence, area of benefit {} pence, deciles 1-2 {} pence, {} months",
        m.total,
        aob.low,
        m.deprived_1_2.low,
        m.months.len()
    );

    if let Some(url) = import_into {
        import(&url, &g)?;
    }
    if no_duckdb {
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(ExitCode::SUCCESS);
    }
    let py = python_with("duckdb", python)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/spend_duckdb.py");
    let o = Command::new(&py)
        .arg(&script)
        .arg(dir.join("TRUST *.csv"))
        .arg(&g.register)
        .output()?;
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(
        o.status.success(),
        "DuckDB run failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)?;
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let n = |k: &str| v[k].as_i64().unwrap_or(i64::MIN);
    println!(
        "DuckDB {} on {} threads:",
        v["version"].as_str().unwrap_or("?"),
        v["threads"]
    );
    row("read the CSVs into a table (amounts parsed)", f("load_s"));
    row("join the register, the same aggregates", f("aggregate_s"));
    row("pipeline", f("load_s") + f("aggregate_s"));
    println!(
        "  total {} pence, area of benefit {} pence, deciles 1-2 {} pence",
        n("total"),
        n("aob"),
        n("deciles_1_2")
    );
    anyhow::ensure!(
        (n("total"), n("aob"), n("deciles_1_2"), n("lines") as u64)
            == (m.total, aob.low, m.deprived_1_2.low, m.lines),
        "DuckDB's figures differ from useit's"
    );
    println!("the figures agree to the penny.");
    println!(
        "ratio (useit's time / DuckDB's; goal ≤ 1.0): {:.2}×",
        t_useit / (f("load_s") + f("aggregate_s"))
    );
    Ok(ExitCode::SUCCESS)
}
