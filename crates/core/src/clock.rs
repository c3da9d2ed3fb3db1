//! Time as the rest of the system sees it.
//!
//! Timestamps are kept in UTC and truncated to whole seconds: SQLite stores
//! them as RFC 3339 text, and a fixed-width text only sorts in time order when
//! no value carries a fractional part.

use time::{Date, OffsetDateTime, UtcOffset};

/// Now, in UTC, to the second.
pub fn now() -> OffsetDateTime {
    truncate(OffsetDateTime::now_utc())
}

/// Today in the UK calendar sense (UTC date; close enough for dates people type).
pub fn today() -> Date {
    now().date()
}

/// Normalises a timestamp to UTC whole seconds.
pub fn truncate(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .expect("zero nanoseconds is always valid")
}

/// `2026-11-25 14:03` for people; RFC 3339 is for machines.
pub fn display(t: OffsetDateTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.format(&fmt).unwrap_or_default()
}

/// `25 November 2026`, the GOV.UK date style.
pub fn display_date(d: Date) -> String {
    format!("{} {} {}", d.day(), d.month(), d.year())
}

/// ISO 8601 calendar date, as used in CSV files and the API.
pub fn iso_date(d: Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

/// RFC 3339, as used in CSV exports and the API.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_timestamps_sort_as_text() {
        let a = truncate(time::macros::datetime!(2026-01-01 10:00:00.9 UTC));
        let b = truncate(time::macros::datetime!(2026-01-01 10:00:01.1 UTC));
        assert!(rfc3339(a) < rfc3339(b));
        assert_eq!(rfc3339(a), "2026-01-01T10:00:00Z");
    }

    #[test]
    fn gov_uk_date_style() {
        assert_eq!(
            display_date(time::macros::date!(2026 - 11 - 05)),
            "5 November 2026"
        );
    }
}
