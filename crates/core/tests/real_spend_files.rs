//! Every published spend file shipped in `data/test/spend/` reads with the
//! row count and total its SOURCE.md tables give: the publisher's own rows,
//! to the penny, with no column mapping and no hint of the date order.

use std::io::Read;
use std::path::PathBuf;

use useit_core::anchors::columns::ChosenBy;
use useit_core::anchors::dates::{DateOrder, DateOrderBasis};
use useit_core::anchors::spend_file::{ReadOptions, SpendField, SpendFile, read};
use useit_core::anchors::spreadsheet::{is_spreadsheet, to_csv};
use useit_core::csv_import::{Report, decode};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/test/spend")
}

/// (file, rows, total pence) from every SOURCE.md table that has a file
/// column, a rows column (`rows` or `transaction rows`) and a total column
/// (`total (pence…`), whatever their order.
fn expected() -> Vec<(String, usize, i64)> {
    let source = std::fs::read_to_string(dir().join("SOURCE.md")).unwrap();
    let cells = |l: &str| -> Vec<String> {
        l.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let mut out = Vec::new();
    let mut columns: Option<(usize, usize)> = None;
    for l in source.lines() {
        if !l.starts_with('|') {
            columns = None;
            continue;
        }
        let c = cells(l);
        if c[0] == "file" {
            let rows = c
                .iter()
                .position(|h| h == "rows" || h == "transaction rows");
            let total = c.iter().position(|h| h.starts_with("total (pence"));
            columns = rows.zip(total);
            continue;
        }
        let Some((rows, total)) = columns else {
            continue;
        };
        if !c[0].starts_with('`') {
            continue;
        }
        out.push((
            c[0].trim_matches('`').to_string(),
            c[rows].parse().unwrap(),
            c[total].parse().unwrap(),
        ));
    }
    out
}

/// A shipped file's bytes, as published (the repository keeps it gzipped).
fn published(name: &str) -> Vec<u8> {
    let stored = if name.ends_with(".gz") {
        name.to_string()
    } else {
        format!("{name}.gz")
    };
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(dir().join(stored)).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

/// Reads a shipped file as an import would: a workbook through the
/// spreadsheet path, text decoded; no mapping, no hint.
fn read_shipped(name: &str) -> (SpendFile, Report) {
    let bytes = published(name);
    let text = if is_spreadsheet(&bytes) {
        to_csv(&bytes).unwrap()
    } else {
        decode(&bytes).0
    };
    // This quarter's file carries `00:00:00` for every date.
    let undated_lines_on = name
        .contains("apr-jun-2014")
        .then_some(time::macros::date!(2014 - 04 - 01));
    let mut report = Report::new(name);
    let f = read(
        &text,
        &ReadOptions {
            undated_lines_on,
            ..Default::default()
        },
        &mut report,
    );
    (f, report)
}

#[test]
fn every_real_file_reads_with_its_publishers_totals() {
    let files = expected();
    // 69 NHS trust months, 17 Oxford quarters, 4 Birmingham workbooks,
    // 3 Leeds layouts, 11 London NHS files and Sutton Coldfield.
    assert_eq!(files.len(), 69 + 17 + 4 + 3 + 11 + 1, "{files:?}");
    for (name, rows, total) in files {
        let (f, report) = read_shipped(&name);
        assert!(!report.has_errors(), "{report}");
        assert_eq!(f.lines.len(), rows, "{name}: rows\n{report}");
        assert_eq!(f.total(), total, "{name}: total pence\n{report}");
        assert!(f.guess.certain, "{name}: {:?}", f.guess);
    }
}

/// Havering CCG writes April day first and December month first; Barking
/// and Dagenham's December is month first too. Each file shows its order.
#[test]
fn one_publishers_files_switch_date_order_and_each_is_read_its_own_way() {
    for (name, order, first, last) in [
        (
            "nhs_london_2020-21/NEHV/NEHV 01 - April.csv",
            DateOrder::DayFirst,
            time::macros::date!(2020 - 04 - 30),
            time::macros::date!(2020 - 04 - 30),
        ),
        (
            "nhs_london_2020-21/NEHV/NEHV 09 - December.csv",
            DateOrder::MonthFirst,
            time::macros::date!(2020 - 12 - 31),
            time::macros::date!(2020 - 12 - 31),
        ),
        (
            "nhs_london_2020-21/NEBD/NEBD 09 - December.csv",
            DateOrder::MonthFirst,
            time::macros::date!(2020 - 12 - 31),
            time::macros::date!(2020 - 12 - 31),
        ),
        (
            "council_leeds/2020-06.csv.gz",
            DateOrder::DayFirst,
            // A few late payments of invoices paid from February on.
            time::macros::date!(2020 - 02 - 01),
            time::macros::date!(2020 - 06 - 30),
        ),
    ] {
        let (f, report) = read_shipped(name);
        assert!(!report.has_errors(), "{report}");
        assert_eq!(f.date_order.order, order, "{name}");
        assert_eq!(f.date_order.basis, DateOrderBasis::Inferred, "{name}");
        assert_eq!(f.date_order.to_remember(), Some(order), "{name}");
        assert!(f.first_paid_on.unwrap() >= first, "{name}");
        assert!(f.last_paid_on.unwrap() <= last, "{name}");
        let month_first_said = report
            .warnings()
            .any(|p| p.message.key == "anchors.spend.date_order_month_first");
        assert_eq!(month_first_said, order == DateOrder::MonthFirst, "{report}");
    }
}

/// Leeds 2020 has `Irrecoverable VAT Amount` before `Amount`, Sutton
/// Coldfield's amount is `£ (net)` under an `Inv Date`, Leeds 2013 writes
/// `SupplierName`, Whittington pads ` Amount `: each column is found.
#[test]
fn columns_found_in_every_layout() {
    for (name, field, header, by) in [
        (
            "council_leeds/2020-06.csv.gz",
            SpendField::Amount,
            "Amount",
            ChosenBy::Header,
        ),
        (
            "council_leeds/2020-06.csv.gz",
            SpendField::PaidOn,
            "Payment Date",
            ChosenBy::Header,
        ),
        (
            "council_leeds/2013-10.csv.gz",
            SpendField::Supplier,
            "SupplierName",
            ChosenBy::Header,
        ),
        (
            "town_council_sutton_coldfield/Sutton-Coldfield-2016-17-expenditure.csv",
            SpendField::Amount,
            "£ (net)",
            ChosenBy::Content,
        ),
        (
            "town_council_sutton_coldfield/Sutton-Coldfield-2016-17-expenditure.csv",
            SpendField::PaidOn,
            "Inv Date",
            ChosenBy::Content,
        ),
        (
            "nhs_london_2020-21/WHIT/WHIT 01 - April.csv",
            SpendField::Amount,
            "Amount",
            ChosenBy::Header,
        ),
    ] {
        let (f, report) = read_shipped(name);
        let c = f
            .guess
            .columns
            .iter()
            .find(|c| c.field == Some(field))
            .unwrap_or_else(|| panic!("{name}: no {field:?}\n{report}"));
        assert_eq!(
            (c.header.as_str(), c.chosen_by),
            (header, Some(by)),
            "{name}"
        );
    }
}
