//! Dates as spend files write them, and which of day and month comes first.
//!
//! UK publishers write `30/04/2020`, but the same publisher's December file
//! may say `12/31/2020` (a finance system set to US order). One ambiguous
//! value (`02/04/2020`) cannot tell the two apart, so the order is decided
//! once per file from the values that can: a first number over 12 is a day
//! (day first), a second number over 12 is a day (month first). A file
//! whose every value is ambiguous follows the anchor's last file, or day
//! first (the UK way) when there is none, and says so.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::i18n::Message;

/// Which number comes first in a date like `02/04/2020`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `30/04/2020`: the UK's order.
    #[default]
    DayFirst,
    /// `12/31/2020`: the US order, which some finance systems export.
    MonthFirst,
}

impl DateOrder {
    pub fn slug(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day_first",
            DateOrder::MonthFirst => "month_first",
        }
    }

    pub fn parse(s: &str) -> Option<DateOrder> {
        [DateOrder::DayFirst, DateOrder::MonthFirst]
            .into_iter()
            .find(|o| o.slug() == s.trim())
    }

    /// The order in people's words, from the catalogue.
    pub fn words(self) -> &'static str {
        crate::i18n::t(match self {
            DateOrder::DayFirst => "anchors.spend.date_order.day_first",
            DateOrder::MonthFirst => "anchors.spend.date_order.month_first",
        })
    }

    pub fn other(self) -> DateOrder {
        match self {
            DateOrder::DayFirst => DateOrder::MonthFirst,
            DateOrder::MonthFirst => DateOrder::DayFirst,
        }
    }
}

/// How a file's date order was decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrderBasis {
    /// The file's own dates show it (a number over 12 in first or second place).
    Inferred,
    /// Every date could be read either way: the caller's hint (the anchor's
    /// last file) was followed.
    Hint,
    /// Every date could be read either way and there was no hint: day
    /// first, as UK publishers write dates.
    #[default]
    Assumed,
    /// No date in the file depends on it (`2020-04-02`, `05-Apr-20`, none).
    NotNeeded,
}

/// The order a file was read in and why: the import report says so, and
/// the caller remembers an inferred order for the anchor's next file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DateOrderChoice {
    pub order: DateOrder,
    pub basis: DateOrderBasis,
    /// Values seen that only one order reads (in the part of the file looked at).
    pub day_first_values: u64,
    pub month_first_values: u64,
    /// The first value showing the order chosen, and its line.
    pub example: Option<(u64, String)>,
}

impl DateOrderChoice {
    /// The order to pass as the hint for the anchor's next file: only one
    /// the file itself showed (a hint followed or a guess proves nothing).
    pub fn to_remember(&self) -> Option<DateOrder> {
        (self.basis == DateOrderBasis::Inferred).then_some(self.order)
    }
}

/// What one value says about the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// Only day first reads it (`30/04/2020`).
    DayFirst,
    /// Only month first reads it (`12/31/2020`).
    MonthFirst,
    /// Both read it (`02/04/2020`).
    Either,
    /// Not a day-month-year of numbers (`2020-04-02`, `05-Apr-20`, blank,
    /// or no date under either order).
    Neither,
}

/// The two leading numbers of a `d/m/y`-shaped value (`/`, `-` or `.`
/// between, year of two or four digits last, a time of day allowed after).
fn leading_pair(raw: &str) -> Option<(u32, u32)> {
    let b = raw.trim().as_bytes();
    // `02/04/2020`, most files' every line, without splitting.
    if let [d1, d2, s1, m1, m2, s2, y1, y2, y3, y4] = *b
        && s1 == s2
        && matches!(s1, b'/' | b'-' | b'.')
        && [d1, d2, m1, m2, y1, y2, y3, y4]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let n = |a: u8, b: u8| (a - b'0') as u32 * 10 + (b - b'0') as u32;
        return Some((n(d1, d2), n(m1, m2)));
    }
    let s = std::str::from_utf8(b).ok()?;
    let date = s.split([' ', 'T']).next()?;
    let mut parts = date.split(['/', '-', '.']);
    let (a, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let num = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit());
    let year = (y.len() == 2 || y.len() == 4) && y.bytes().all(|c| c.is_ascii_digit());
    (num(a) && num(m) && year).then(|| (a.parse().unwrap_or(0), m.parse().unwrap_or(0)))
}

/// What a value says about the file's order.
pub fn evidence(raw: &str) -> Evidence {
    match leading_pair(raw) {
        Some((a, b)) if (1..=12).contains(&a) && (1..=12).contains(&b) => Evidence::Either,
        Some((a, b)) if (13..=31).contains(&a) && (1..=12).contains(&b) => Evidence::DayFirst,
        Some((a, b)) if (1..=12).contains(&a) && (13..=31).contains(&b) => Evidence::MonthFirst,
        _ => Evidence::Neither,
    }
}

/// Values read so far for a file's order, then the decision.
#[derive(Clone, Debug, Default)]
pub struct OrderTally {
    day_first: u64,
    month_first: u64,
    either: u64,
    first_day_first: Option<(u64, String)>,
    first_month_first: Option<(u64, String)>,
}

impl OrderTally {
    /// Values that only one order reads, of either order.
    pub fn decisive(&self) -> u64 {
        self.day_first + self.month_first
    }

    pub fn add(&mut self, line: u64, raw: &str) {
        match evidence(raw) {
            Evidence::DayFirst => {
                self.day_first += 1;
                self.first_day_first
                    .get_or_insert_with(|| (line, raw.trim().to_string()));
            }
            Evidence::MonthFirst => {
                self.month_first += 1;
                self.first_month_first
                    .get_or_insert_with(|| (line, raw.trim().to_string()));
            }
            Evidence::Either => self.either += 1,
            Evidence::Neither => {}
        }
    }

    /// The order the values show (the more common, when they disagree:
    /// the lines of the other order are then errors, each naming this
    /// example), else the hint, else day first.
    pub fn decide(&self, hint: Option<DateOrder>) -> DateOrderChoice {
        let (order, basis) = if self.decisive() > 0 {
            let order = if self.month_first > self.day_first {
                DateOrder::MonthFirst
            } else {
                DateOrder::DayFirst
            };
            (order, DateOrderBasis::Inferred)
        } else if self.either == 0 {
            (hint.unwrap_or_default(), DateOrderBasis::NotNeeded)
        } else if let Some(h) = hint {
            (h, DateOrderBasis::Hint)
        } else {
            (DateOrder::DayFirst, DateOrderBasis::Assumed)
        };
        DateOrderChoice {
            order,
            basis,
            day_first_values: self.day_first,
            month_first_values: self.month_first,
            example: match order {
                DateOrder::DayFirst => self.first_day_first.clone(),
                DateOrder::MonthFirst => self.first_month_first.clone(),
            },
        }
    }
}

/// Reads the dates spend files use, in the file's order of day and month:
/// `02/04/2020`, `2/4/2020`, `02/04/20`, `05-Apr-20`, `05-Apr-2020`,
/// `5 April 2020`, `2020-04-02` (with or without a time after it).
/// `Ok(None)` when there is no date at all (blank, or a bare `00:00:00`).
pub fn parse_date(raw: &str, order: DateOrder) -> Result<Option<Date>, Message> {
    let s = raw.trim();
    // `02/04/2020`, most files' every line, read without splitting.
    if let [a1, a2, b'/', b1, b2, b'/', y1, y2, y3, y4] = *s.as_bytes() {
        let n = |ds: &[u8]| -> Option<u32> {
            ds.iter().try_fold(0u32, |n, d| {
                d.is_ascii_digit().then(|| n * 10 + (d - b'0') as u32)
            })
        };
        if let (Some(a), Some(b), Some(y)) = (n(&[a1, a2]), n(&[b1, b2]), n(&[y1, y2, y3, y4])) {
            let (d, m) = match order {
                DateOrder::DayFirst => (a, b),
                DateOrder::MonthFirst => (b, a),
            };
            return Month::try_from(m as u8)
                .ok()
                .and_then(|m| Date::from_calendar_date(y as i32, m, d as u8).ok())
                .map(Some)
                .ok_or_else(|| Message::new("anchors.spend.date_bad").arg("value", s));
        }
    }
    let bad = || Message::new("anchors.spend.date_bad").arg("value", s);
    if s.is_empty()
        || (s.contains(':')
            && !s.contains(['/', '-', '.'])
            && !s.chars().any(|c| c.is_alphabetic()))
    {
        return Ok(None);
    }
    // Drop a time of day: `2020-04-02 00:00:00`, `2020-04-02T00:00`.
    let s = s
        .split(['T', ' '])
        .next()
        .filter(|d| d.contains(['/', '-', '.']))
        .unwrap_or(s);
    let mut parts = [""; 3];
    let mut found = 0;
    for p in s.split(['/', '-', '.', ' ']).filter(|p| !p.is_empty()) {
        if found == 3 {
            return Err(bad());
        }
        parts[found] = p;
        found += 1;
    }
    if found != 3 {
        return Err(bad());
    }
    let num = |p: &str| {
        p.parse::<i32>()
            .ok()
            .filter(|_| p.bytes().all(|b| b.is_ascii_digit()))
    };
    let month_num = |p: &str| num(p).and_then(|m| Month::try_from(m as u8).ok());
    let year = |p: &str| -> Option<i32> {
        let y = num(p)?;
        match p.len() {
            4 => Some(y),
            2 => Some(if y < 70 { 2000 + y } else { 1900 + y }),
            _ => None,
        }
    };
    let (y, m, d) = if parts[0].len() == 4 {
        (year(parts[0]), month_num(parts[1]), num(parts[2]))
    } else if let Some(m) = month_name(parts[1]) {
        // `05-Apr-20`: the name says which is the month.
        (year(parts[2]), Some(m), num(parts[0]))
    } else if let Some(m) = month_name(parts[0]) {
        // `Apr 05 2020`.
        (year(parts[2]), Some(m), num(parts[1]))
    } else {
        let (d, m) = match order {
            DateOrder::DayFirst => (parts[0], parts[1]),
            DateOrder::MonthFirst => (parts[1], parts[0]),
        };
        (year(parts[2]), month_num(m), num(d))
    };
    match (y, m, d) {
        (Some(y), Some(m), Some(d)) if (1..=31).contains(&d) => {
            Date::from_calendar_date(y, m, d as u8)
                .map(Some)
                .map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

fn month_name(s: &str) -> Option<Month> {
    if s.len() < 3 || !s.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let s = s.to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let i = months.iter().position(|m| s.starts_with(m))?;
    // "Sept" is the one abbreviation of four letters people use.
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if s.len() == 3 || full[i].starts_with(&s) || s == "sept" {
        Month::try_from(i as u8 + 1).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_as_published_in_either_order() {
        use DateOrder::*;
        for (raw, order, want) in [
            ("02/04/2020", DayFirst, Some(date!(2020 - 04 - 02))),
            ("02/04/2020", MonthFirst, Some(date!(2020 - 02 - 04))),
            ("12/31/2020", MonthFirst, Some(date!(2020 - 12 - 31))),
            ("2/4/2020", DayFirst, Some(date!(2020 - 04 - 02))),
            ("2/4/2020", MonthFirst, Some(date!(2020 - 02 - 04))),
            ("12-31-20", MonthFirst, Some(date!(2020 - 12 - 31))),
            ("05-Apr-20", DayFirst, Some(date!(2020 - 04 - 05))),
            ("05-Apr-20", MonthFirst, Some(date!(2020 - 04 - 05))),
            ("Apr 05 2020", MonthFirst, Some(date!(2020 - 04 - 05))),
            ("05-Sept-2020", DayFirst, Some(date!(2020 - 09 - 05))),
            ("5 April 2020", DayFirst, Some(date!(2020 - 04 - 05))),
            ("2020-04-02", MonthFirst, Some(date!(2020 - 04 - 02))),
            ("2020-04-02 00:00:00", DayFirst, Some(date!(2020 - 04 - 02))),
            ("2020-04-02T00:00", DayFirst, Some(date!(2020 - 04 - 02))),
            ("02/04/20", DayFirst, Some(date!(2020 - 04 - 02))),
            ("31.12.2020", DayFirst, Some(date!(2020 - 12 - 31))),
            // US exports carry a time of day with AM/PM.
            (
                "12/31/2020 12:00:00 AM",
                MonthFirst,
                Some(date!(2020 - 12 - 31)),
            ),
            ("00:00:00", DayFirst, None),
            ("", MonthFirst, None),
        ] {
            assert_eq!(parse_date(raw, order), Ok(want), "{raw} {order:?}");
        }
        for (bad, order) in [
            ("31/02/2020", DayFirst),
            ("13/13/2020", DayFirst),
            ("30/04/2020", MonthFirst),
            ("12/31/2020", DayFirst),
            ("April", DayFirst),
            ("2020", DayFirst),
            ("05-Apx-20", DayFirst),
            ("1/2/345", DayFirst),
            ("0/4/2020", DayFirst),
        ] {
            assert!(parse_date(bad, order).is_err(), "{bad} {order:?}");
        }
    }

    #[test]
    fn each_value_says_what_it_can() {
        for (raw, want) in [
            ("30/04/2020", Evidence::DayFirst),
            ("12/31/2020", Evidence::MonthFirst),
            ("02/04/2020", Evidence::Either),
            ("2/4/20", Evidence::Either),
            ("13-1-2021 00:00", Evidence::DayFirst),
            ("1.13.2021", Evidence::MonthFirst),
            ("12/31/2020 12:00:00 AM", Evidence::MonthFirst),
            ("2020-04-30", Evidence::Neither),
            ("30-Apr-20", Evidence::Neither),
            ("31/31/2020", Evidence::Neither),
            ("", Evidence::Neither),
        ] {
            assert_eq!(evidence(raw), want, "{raw}");
        }
    }

    #[test]
    fn the_more_common_order_wins_then_the_hint_then_day_first() {
        let mut t = OrderTally::default();
        t.add(2, "02/04/2020");
        assert_eq!(t.decide(None).basis, DateOrderBasis::Assumed);
        assert_eq!(t.decide(None).order, DateOrder::DayFirst);
        let hinted = t.decide(Some(DateOrder::MonthFirst));
        assert_eq!(
            (hinted.order, hinted.basis),
            (DateOrder::MonthFirst, DateOrderBasis::Hint)
        );
        assert_eq!(hinted.to_remember(), None);
        t.add(3, "12/13/2020");
        t.add(4, "12/14/2020");
        t.add(5, "14/12/2020");
        let c = t.decide(Some(DateOrder::DayFirst));
        assert_eq!(
            (c.order, c.basis, c.day_first_values, c.month_first_values),
            (DateOrder::MonthFirst, DateOrderBasis::Inferred, 1, 2)
        );
        assert_eq!(c.example, Some((3, "12/13/2020".to_string())));
        assert_eq!(c.to_remember(), Some(DateOrder::MonthFirst));
        let mut iso = OrderTally::default();
        iso.add(2, "2020-04-02");
        assert_eq!(iso.decide(None).basis, DateOrderBasis::NotNeeded);
        assert_eq!(DateOrder::parse("month_first"), Some(DateOrder::MonthFirst));
        assert_eq!(DateOrder::parse("sideways"), None);
    }
}
