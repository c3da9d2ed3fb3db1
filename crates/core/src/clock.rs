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

/// `25 November 2026, 2:03pm GMT`: UK local time with its zone, the way
/// people in the UK read a time; RFC 3339 (UTC) is for machines.
pub fn display(t: OffsetDateTime) -> String {
    let (local, zone) = uk_time(t);
    if crate::i18n::language() == crate::i18n::Language::Fr {
        return format!(
            "{}, {}\u{a0}h\u{a0}{:02} ({zone})",
            display_date(local.date()),
            local.hour(),
            local.minute()
        );
    }
    let hour = match local.hour() % 12 {
        0 => 12,
        h => h,
    };
    let half = if local.hour() < 12 { "am" } else { "pm" };
    format!(
        "{}, {hour}:{:02}{half} {zone}",
        display_date(local.date()),
        local.minute()
    )
}

/// The time in the UK and its zone: British Summer Time (UTC+1) from 01:00
/// UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
/// October, Greenwich Mean Time otherwise.
pub fn uk_time(t: OffsetDateTime) -> (OffsetDateTime, &'static str) {
    let t = t.to_offset(UtcOffset::UTC);
    let change = |month: time::Month| {
        let last =
            Date::from_calendar_date(t.year(), month, 31).expect("March and October have 31 days");
        let back = last.weekday().number_days_from_sunday();
        (last - time::Duration::days(back.into()))
            .with_hms(1, 0, 0)
            .expect("01:00 is a time")
            .assume_utc()
    };
    if t >= change(time::Month::March) && t < change(time::Month::October) {
        (
            t.to_offset(UtcOffset::from_hms(1, 0, 0).expect("one hour")),
            "BST",
        )
    } else {
        (t, "GMT")
    }
}

/// `November 2026` from `2026-11`, the way a person reads a month (a
/// chart's bar, a table's row); anything else is given back as it came.
pub fn display_month(year_month: &str) -> String {
    let parsed = year_month.split_once('-').and_then(|(y, m)| {
        let year: i32 = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        (y.len() == 4 && (1..=12).contains(&month)).then_some((year, month))
    });
    let Some((year, month)) = parsed else {
        return year_month.to_string();
    };
    match crate::i18n::language() {
        crate::i18n::Language::En => format!(
            "{} {year}",
            time::Month::try_from(month).expect("1 to 12 is a month")
        ),
        crate::i18n::Language::Fr => format!("{} {year}", MOIS[usize::from(month) - 1]),
    }
}

/// French month names, lower case as French writes them.
const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `25 November 2026`, the GOV.UK date style.
pub fn display_date(d: Date) -> String {
    match crate::i18n::language() {
        crate::i18n::Language::En => format!("{} {} {}", d.day(), d.month(), d.year()),
        crate::i18n::Language::Fr => {
            let day = match d.day() {
                1 => "1er".to_string(),
                n => n.to_string(),
            };
            format!("{day} {} {}", MOIS[d.month() as usize - 1], d.year())
        }
    }
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
    fn dates_in_french() {
        use crate::i18n::{Language, Locale, with_locale};
        let fr = Locale {
            language: Language::Fr,
            ..Locale::default()
        };
        with_locale(fr, || {
            assert_eq!(
                display_date(time::macros::date!(2026 - 08 - 01)),
                "1er août 2026"
            );
            assert_eq!(
                display(time::macros::datetime!(2026-11-25 14:03:00 UTC)),
                "25 novembre 2026, 14\u{a0}h\u{a0}03 (GMT)"
            );
            assert_eq!(display_month("2026-08"), "août 2026");
        });
        assert_eq!(display_month("2024-04"), "April 2024");
        assert_eq!(display_month("2024-12"), "December 2024");
        // Not a month: given back, never a panic.
        for odd in ["2024-13", "2024", "24-04", "", "2024-00", "abcd-04"] {
            assert_eq!(display_month(odd), odd);
        }
        assert_eq!(
            display_date(time::macros::date!(2026 - 08 - 01)),
            "1 August 2026"
        );
    }

    #[test]
    fn truncated_timestamps_sort_as_text() {
        let a = truncate(time::macros::datetime!(2026-01-01 10:00:00.9 UTC));
        let b = truncate(time::macros::datetime!(2026-01-01 10:00:01.1 UTC));
        assert!(rfc3339(a) < rfc3339(b));
        assert_eq!(rfc3339(a), "2026-01-01T10:00:00Z");
    }

    #[test]
    fn times_are_shown_in_uk_time_with_the_zone() {
        use time::macros::datetime;
        assert_eq!(
            display(datetime!(2026-11-25 14:03:00 UTC)),
            "25 November 2026, 2:03pm GMT"
        );
        assert_eq!(
            display(datetime!(2026-07-01 23:30:00 UTC)),
            "2 July 2026, 12:30am BST"
        );
        // 2026's clocks go forward on 29 March and back on 25 October, at 01:00 UTC.
        assert_eq!(
            display(datetime!(2026-03-29 00:59:00 UTC)),
            "29 March 2026, 12:59am GMT"
        );
        assert_eq!(
            display(datetime!(2026-03-29 01:00:00 UTC)),
            "29 March 2026, 2:00am BST"
        );
        assert_eq!(
            display(datetime!(2026-10-25 00:59:00 UTC)),
            "25 October 2026, 1:59am BST"
        );
        assert_eq!(
            display(datetime!(2026-10-25 01:00:00 UTC)),
            "25 October 2026, 1:00am GMT"
        );
        assert_eq!(
            display(datetime!(2026-12-07 12:00:00 UTC)),
            "7 December 2026, 12:00pm GMT"
        );
    }

    #[test]
    fn gov_uk_date_style() {
        assert_eq!(
            display_date(time::macros::date!(2026 - 11 - 05)),
            "5 November 2026"
        );
    }
}
