//! The spend file reader on any bytes, decoded as an upload is, read with
//! the default options and with a few saved mappings, date orders and
//! undated-line dates (chosen by the first byte).

#![no_main]

use libfuzzer_sys::fuzz_target;
use time::macros::date;
use useit_core::anchors::dates::DateOrder;
use useit_core::anchors::spend_file::{self, ColumnMapping, ReadOptions, SpendField};
use useit_core::csv_import::{self, Report};

mod common;

fn options(choice: u8) -> ReadOptions {
    let mapping = match choice % 4 {
        0 => ColumnMapping::default(),
        1 => ColumnMapping(vec![
            (SpendField::PaidOn, "When".into()),
            (SpendField::Supplier, "Who".into()),
            (SpendField::Amount, "Net".into()),
        ]),
        2 => ColumnMapping(vec![
            (SpendField::PaidOn, "Date".into()),
            (SpendField::Supplier, "Supplier Name".into()),
            (SpendField::Amount, "Amount".into()),
            (SpendField::ExpenseType, "Expense Type".into()),
            (SpendField::ExpenseArea, "Service".into()),
            (SpendField::Reference, "Transaction Number".into()),
            (SpendField::SupplierId, "Supplier ID".into()),
        ]),
        _ => ColumnMapping(vec![(SpendField::Amount, "a".into())]),
    };
    ReadOptions {
        mapping,
        undated_lines_on: (choice & 4 != 0).then_some(date!(2024 - 04 - 01)),
        date_order: match (choice >> 3) % 3 {
            0 => None,
            1 => Some(DateOrder::DayFirst),
            _ => Some(DateOrder::MonthFirst),
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let (text, _) = csv_import::decode(bytes);
    let options = options(choice);
    let lines = common::line_count(&text);

    let mut report = Report::new("spend.csv");
    let file = spend_file::read(&text, &options, &mut report);
    common::check_report(&report, lines);
    assert!(file.header_line <= lines);
    let mut fingerprints = std::collections::HashSet::new();
    for l in &file.lines {
        // On or after the header's line: a lone `\r` ends the header but
        // not its line.
        assert!(
            l.line >= file.header_line && l.line <= lines,
            "payment on line {} (header {}, {lines} lines)",
            l.line,
            file.header_line
        );
        assert!(fingerprints.insert(&l.fingerprint), "fingerprint twice");
        assert!(file.first_paid_on.is_some_and(|d| d <= l.paid_on));
        assert!(file.last_paid_on.is_some_and(|d| d >= l.paid_on));
    }
    // In file order; two records can share a line (a lone `\r` ends a
    // record, only `\n` a line).
    assert!(file.lines.windows(2).all(|w| w[0].line <= w[1].line));
    if !file.lines.is_empty() {
        assert!(!file.columns.is_empty());
    }

    // Inspecting reads the same lines to the same total.
    let seen = spend_file::inspect(&text, &options);
    assert_eq!(seen.lines, file.lines.len() as u64);
    assert_eq!(seen.total, file.total());
    assert_eq!(seen.report.problems.len(), report.problems.len());
    for (a, b) in seen.first_lines.iter().zip(&file.lines) {
        assert_eq!(a, b);
    }
    if let (false, Some(guess)) = (
        file.columns.is_empty(),
        spend_file::guess_columns(&text, &options.mapping),
    ) {
        assert_eq!(guess, file.guess);
    }
});
