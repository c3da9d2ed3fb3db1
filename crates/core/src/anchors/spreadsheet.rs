//! Spend files published as Excel workbooks (.xls or .xlsx), such as
//! Birmingham's purchase-card files: the first sheet with data becomes CSV
//! text for the same reader, dates written as dd/mm/yyyy.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use time::{Date, Duration, Month};

use crate::i18n::Message;

/// Whether the bytes are an Excel workbook: the OLE2 header of .xls or the
/// zip header of .xlsx.
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        || bytes.starts_with(b"PK\x03\x04")
}

/// An Excel serial day (days since 1899-12-30) as a date.
pub fn excel_day(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    base.checked_add(Duration::days(serial.floor() as i64))
}

fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month() as u8, d.year())
}

/// The first sheet that has rows, as CSV text.
pub fn to_csv(bytes: &[u8]) -> Result<String, Message> {
    let unreadable =
        |e: String| Message::new("anchors.spend.spreadsheet_unreadable").arg("reason", e);
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| unreadable(e.to_string()))?;
    let names = book.sheet_names().to_vec();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| unreadable(e.to_string()))?;
        if range.is_empty() {
            continue;
        }
        // Columns whose header says date: a plain number there is an Excel day.
        let mut rows = range.rows();
        let Some(header) = rows.next() else { continue };
        let is_date: Vec<bool> = header
            .iter()
            .map(|c| c.to_string().to_lowercase().contains("date"))
            .collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header.iter().map(|c| c.to_string()))
            .map_err(|e| unreadable(e.to_string()))?;
        for row in rows {
            let fields: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    Data::Empty => String::new(),
                    Data::DateTime(d) => excel_day(d.as_f64()).map(dmy).unwrap_or_default(),
                    Data::Float(f) if is_date.get(i).copied().unwrap_or(false) => {
                        excel_day(*f).map(dmy).unwrap_or_else(|| f.to_string())
                    }
                    Data::Float(f) => format!("{f}"),
                    Data::Int(n) => n.to_string(),
                    other => other.to_string(),
                })
                .collect();
            w.write_record(&fields)
                .map_err(|e| unreadable(e.to_string()))?;
        }
        let out = w.into_inner().map_err(|e| unreadable(e.to_string()))?;
        return String::from_utf8(out).map_err(|e| unreadable(e.to_string()));
    }
    Err(Message::new("anchors.spend.spreadsheet_empty"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn excel_days_are_dates() {
        assert_eq!(excel_day(43103.0), Some(date!(2018 - 01 - 03)));
        assert_eq!(excel_day(43103.75), Some(date!(2018 - 01 - 03)));
        assert_eq!(excel_day(-1.0), None);
        assert!(is_spreadsheet(&[
            0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0
        ]));
        assert!(!is_spreadsheet(b"Date,Supplier,Amount\n"));
    }
}
