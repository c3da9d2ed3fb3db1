//! What every reader's report must hold, whatever the file.

use useit_core::csv_import::Report;

/// Lines of `text` as the readers count them: one more than its line
/// ends (`\n`, `\r\n` or a lone `\r`, as old Mac files end their lines).
pub fn line_count(text: &str) -> u64 {
    useit_core::csv_import::line_ends(text.as_bytes(), 0, text.len()) + 1
}

/// Every problem names a line within the file (0 for the file as a
/// whole) and a column from 1, and says something.
pub fn check_report(report: &Report, lines: u64) {
    for p in &report.problems {
        assert!(
            p.line <= lines,
            "problem on line {} of a {lines}-line file: {p:?}",
            p.line
        );
        if let Some(c) = &p.column {
            assert!(c.number >= 1, "column 0 in {p:?}");
        }
        assert!(!p.describe("f").is_empty());
    }
}
