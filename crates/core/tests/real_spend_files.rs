//! Every published spend file shipped in `data/test/spend/` reads with the
//! row count and total its SOURCE.md table gives: the publisher's own rows,
//! to the penny.

use std::io::Read;
use std::path::PathBuf;

use useit_core::anchors::spend_file::{ReadOptions, read};
use useit_core::csv_import::{Report, decode};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/test/spend")
}

/// (file, rows, total pence) from the SOURCE.md table rows naming files
/// ending `ext`, the rows and total in the given columns.
fn expected(ext: &str, rows_at: usize, total_at: usize) -> Vec<(String, usize, i64)> {
    let source = std::fs::read_to_string(dir().join("SOURCE.md")).unwrap();
    source
        .lines()
        .filter(|l| l.starts_with("| `") && l.contains(&format!("{ext}`")))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].trim_matches('`').to_string(),
                cells[rows_at].parse().unwrap(),
                cells[total_at].parse().unwrap(),
            )
        })
        .collect()
}

/// A shipped file's bytes, as published (the repository keeps it gzipped).
fn published(name: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(dir().join(format!("{name}.gz"))).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

#[test]
fn every_real_file_reads_with_its_publishers_totals() {
    let files = expected(".csv", 4, 6);
    assert_eq!(files.len(), 69 + 17, "SOURCE.md lists every shipped file");
    for (name, rows, total) in files {
        let (text, _) = decode(&published(&name));
        // This quarter's file carries `00:00:00` for every date.
        let undated_lines_on = name
            .contains("apr-jun-2014")
            .then_some(time::macros::date!(2014 - 04 - 01));
        let mut report = Report::new(&name);
        let f = read(
            &text,
            &ReadOptions {
                undated_lines_on,
                ..Default::default()
            },
            &mut report,
        );
        assert!(!report.has_errors(), "{report}");
        assert_eq!(f.lines.len(), rows, "{name}: rows");
        assert_eq!(f.total(), total, "{name}: total pence");
    }
}

/// Birmingham's purchase-card workbooks (.xls, as published) read through
/// the spreadsheet path with the rows and totals SOURCE.md gives (computed
/// there with xlrd: rows whose amount is a number).
#[test]
fn birminghams_excel_files_read_with_their_totals() {
    let files = expected(".xls", 6, 8);
    assert_eq!(files.len(), 4, "SOURCE.md lists the four workbooks");
    for (name, rows, total) in files {
        let bytes = published(&name);
        assert!(useit_core::anchors::spreadsheet::is_spreadsheet(&bytes));
        let text = useit_core::anchors::spreadsheet::to_csv(&bytes).unwrap();
        let mut report = Report::new(&name);
        let f = read(&text, &ReadOptions::default(), &mut report);
        assert!(!report.has_errors(), "{report}");
        assert_eq!(f.lines.len(), rows, "{name}: rows");
        assert_eq!(f.total(), total, "{name}: total pence");
    }
}
