//! The workbook reader (.xls and .xlsx through calamine) on any bytes, and
//! what it makes of a workbook read on as a spend file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use useit_core::anchors::spend_file::{self, ReadOptions};
use useit_core::anchors::spreadsheet;
use useit_core::csv_import::Report;

mod common;

/// calamine panics on some damaged workbooks, and `to_csv` catches that
/// (see its regression test); libfuzzer-sys aborts on every panic before it
/// can be caught. So a panic inside calamine unwinds to `to_csv`'s catch;
/// any other panic still aborts, as a crash.
fn let_calamine_panics_unwind() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info
            .location()
            .is_some_and(|l| l.file().contains("/calamine-"))
        {
            abort(info);
        }
    }));
}

fuzz_target!(init: let_calamine_panics_unwind(), |bytes: &[u8]| {
    let _ = spreadsheet::is_spreadsheet(bytes);
    let _ = spreadsheet::unpacked_size(bytes);
    let Ok(text) = spreadsheet::to_csv(bytes) else {
        return;
    };
    let mut report = Report::new("spend.xlsx");
    let file = spend_file::read(&text, &ReadOptions::default(), &mut report);
    let lines = common::line_count(&text);
    common::check_report(&report, lines);
    assert!(file.lines.iter().all(|l| l.line <= lines));
});
