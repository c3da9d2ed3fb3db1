//! Streams a national-sized Companies House file through `read_register`
//! and prints rows per second (peak memory: run it under `/usr/bin/time -v`).
//!
//! ```text
//! cargo run --release -p useit-core --example registers_bench -- bench 5000000
//! cargo run --release -p useit-core --example registers_bench -- generate /tmp/ch.csv 5000000
//! cargo run --release -p useit-core --example registers_bench -- read /tmp/ch.csv [B,WS,WV,DY] [--live]
//! cargo run --release -p useit-core --example registers_bench -- links FILE
//! ```
//!
//! `read` recognises any register (Companies House, Charity Commission, as
//! text or JSON), gzipped or not.

use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use useit_core::anchors::registers::bench::{bench_rows, write_companies_house};
use useit_core::anchors::registers::{RegisterFilter, read_any_register, read_links};
use useit_core::csv_import::Report;

fn open(path: &str) -> Box<dyn Read> {
    let f = File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    if path.ends_with(".gz") {
        Box::new(flate2::read::GzDecoder::new(f))
    } else {
        Box::new(f)
    }
}

fn generate(path: &Path, rows: u64) {
    let start = Instant::now();
    let bytes = write_companies_house(
        rows,
        20_261_206,
        BufWriter::new(File::create(path).unwrap()),
    )
    .unwrap();
    println!(
        "generated {rows} rows, {:.2} GB, in {:.1} s: {}",
        bytes as f64 / 1e9,
        start.elapsed().as_secs_f64(),
        path.display()
    );
}

fn bench(path: &str, filter: &RegisterFilter) {
    let (result, report) = bench_rows(open(path), filter);
    let s = &result.summary;
    println!(
        "read {} rows ({:.2} GB) in {:.2} s: {:.0} rows/s, {:.0} MB/s; {} records, {} filtered out, {} refused, {} with a postcode; {} errors, {} warnings",
        s.rows,
        s.bytes as f64 / 1e9,
        result.seconds,
        result.rows_per_second(),
        result.megabytes_per_second(),
        s.records,
        s.filtered_out,
        s.refused,
        result.with_postcode,
        report.error_count(),
        report.warning_count()
    );
}

fn filter_from(args: &[String]) -> RegisterFilter {
    let mut filter = RegisterFilter::everything();
    for a in args {
        if a == "--live" {
            filter.live_only = true;
        } else {
            filter.postcode_areas = a.split(',').map(|s| s.trim().to_uppercase()).collect();
        }
    }
    filter
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") if args.len() >= 2 => {
            let rows = args.get(2).map_or(5_000_000, |n| n.parse().unwrap());
            generate(Path::new(&args[1]), rows);
        }
        Some("read") if args.len() >= 2 => {
            let filter = filter_from(&args[2..]);
            let mut report = Report::new(&args[1]);
            let start = Instant::now();
            match read_any_register(open(&args[1]), &filter, &mut report, |_| {}) {
                Some((format, s)) => {
                    let seconds = start.elapsed().as_secs_f64();
                    println!(
                        "{}: {} lines, {} rows, {} records, {} filtered out, {} refused, {} linked charities in {seconds:.2} s ({:.0} rows/s; balances: {})",
                        format.slug(),
                        s.lines,
                        s.rows,
                        s.records,
                        s.filtered_out,
                        s.refused,
                        s.linked_charities,
                        s.rows as f64 / seconds.max(1e-9),
                        s.balances()
                    )
                }
                None => println!("not a register"),
            }
            print!("{report}");
        }
        Some("links") if args.len() >= 2 => {
            let mut report = Report::new(&args[1]);
            let (mut kinds, mut named) = (std::collections::BTreeMap::new(), 0u64);
            let s = read_links(open(&args[1]), &mut report, |l| {
                *kinds.entry(format!("{:?}", l.legal_form)).or_insert(0u64) += 1;
                named += l.name.is_some() as u64;
            });
            println!(
                "{}: {} rows, {} links ({named} named), {} refused; legal forms {kinds:?}",
                args[1], s.rows, s.records, s.refused
            );
            print!("{report}");
        }
        Some("bench") => {
            let rows = args.get(1).map_or(5_000_000, |n| n.parse().unwrap());
            let path = std::env::temp_dir()
                .join(format!("useit-registers-bench-{}.csv", std::process::id()));
            generate(&path, rows);
            let p = path.to_string_lossy().to_string();
            bench(&p, &RegisterFilter::everything());
            bench(
                &p,
                &filter_from(&["B,WS,WV,DY".to_string(), "--live".to_string()]),
            );
            std::fs::remove_file(&path).unwrap();
        }
        _ => {
            eprintln!(
                "usage: registers_bench bench [ROWS] | generate PATH [ROWS] | read PATH [AREAS] [--live] | links PATH"
            );
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
