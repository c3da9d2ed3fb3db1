//! Pay for community researchers at the Real Living Wage in force on each
//! day they worked.
//!
//! The Living Wage Foundation announces new UK and London rates each autumn
//! (`data/research/real_living_wage.csv`, embedded at build time), and each
//! employer pays a new rate from a day of its choosing after the
//! announcement: at once, from a fixed day of the year (1 April, with the
//! pay year), or by the Foundation's deadline. The programme's `PayRule`
//! names its scheme and that choice; `pay` then prices each approved
//! (date, minutes) entry at the rate in force on that date. A date for which
//! the rate cannot be known is refused with the reason, never priced at a
//! neighbouring rate.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::clock::display_date;
use crate::csv_import::{Problem, Report, Table};
use crate::i18n::Message;
use crate::money::{Pence, format_pence, parse_pence};
use crate::validation::{Errors, Invalid, parse_date};

const REAL_LIVING_WAGE: &str = include_str!("../../../../data/research/real_living_wage.csv");

/// Which Real Living Wage a programme pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Everywhere outside Greater London.
    Uk,
    London,
}

impl Scheme {
    pub const ALL: [Scheme; 2] = [Scheme::Uk, Scheme::London];

    /// As written in the rates file and forms.
    pub fn slug(self) -> &'static str {
        match self {
            Scheme::Uk => "uk",
            Scheme::London => "london",
        }
    }

    pub fn from_slug(s: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|x| x.slug() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Scheme::Uk => "research.pay.scheme.uk",
            Scheme::London => "research.pay.scheme.london",
        }
    }
}

/// One announced rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub scheme: Scheme,
    #[serde(with = "crate::iso_date")]
    pub announced_on: Date,
    pub pence_per_hour: Pence,
    /// The latest day by which accredited employers had to pay it, where a
    /// source states it.
    #[serde(with = "crate::iso_date::option")]
    pub pay_by: Option<Date>,
    /// Where the rate and its date were published.
    pub source: String,
}

/// Every known rate, in announcement order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateTable {
    rates: Vec<Rate>,
}

const COLUMNS: &[&str] = &[
    "scheme",
    "announced_on",
    "hourly_rate",
    "pay_by",
    "source",
    "pay_by_source",
];
const REQUIRED: &[&str] = &["scheme", "announced_on", "hourly_rate", "source"];

impl RateTable {
    /// The rates shipped in `data/research/real_living_wage.csv`.
    pub fn real_living_wage() -> &'static RateTable {
        static T: OnceLock<RateTable> = OnceLock::new();
        T.get_or_init(|| {
            RateTable::read(REAL_LIVING_WAGE, "real_living_wage.csv")
                .unwrap_or_else(|r| panic!("the shipped rates read:\n{r}"))
        })
    }

    /// Reads a rates file (the shipped one, or a newer one a deployment
    /// loads before a release has it), every problem by line and column.
    pub fn read(text: &str, file: &str) -> Result<RateTable, Report> {
        let mut report = Report::new(file);
        let Some(table) = Table::parse(text, COLUMNS, REQUIRED, &mut report) else {
            return Err(report);
        };
        let mut rates: Vec<(u64, Rate)> = Vec::new();
        for row in &table.rows {
            let error = |report: &mut Report, column: &str, message: Message| {
                report.push(Problem::error(row.line, table.column(column), message));
            };
            let raw = table.get(row, "scheme").trim();
            let scheme = Scheme::from_slug(&raw.to_lowercase());
            if scheme.is_none() {
                error(
                    &mut report,
                    "scheme",
                    Message::new("research.rates.bad_scheme").arg("value", raw),
                );
            }
            let date = |report: &mut Report, column: &str| {
                let raw = table.get(row, column).trim();
                match parse_date(raw) {
                    Some(d) => Some(d),
                    None if raw.is_empty() && column == "pay_by" => None,
                    None => {
                        error(
                            report,
                            column,
                            Message::new("validation.date").arg("value", raw),
                        );
                        None
                    }
                }
            };
            let announced_on = date(&mut report, "announced_on");
            let pay_by = date(&mut report, "pay_by");
            let raw = table.get(row, "hourly_rate");
            let pence = match parse_pence(raw) {
                Ok(p) if p > 0 => Some(p),
                Ok(_) => {
                    error(
                        &mut report,
                        "hourly_rate",
                        Message::new("research.rates.bad_rate").arg("value", raw.trim()),
                    );
                    None
                }
                Err(m) => {
                    error(&mut report, "hourly_rate", m);
                    None
                }
            };
            let source = table.get(row, "source").trim().to_string();
            if source.is_empty() {
                error(
                    &mut report,
                    "source",
                    Message::new("research.rates.no_source"),
                );
            }
            if let (Some(a), Some(b)) = (announced_on, pay_by)
                && b < a
            {
                error(
                    &mut report,
                    "pay_by",
                    Message::new("research.rates.pay_by_before"),
                );
            }
            if let (Some(scheme), Some(announced_on), Some(pence_per_hour)) =
                (scheme, announced_on, pence)
            {
                if let Some((line, _)) = rates
                    .iter()
                    .find(|(_, r)| r.scheme == scheme && r.announced_on == announced_on)
                {
                    error(
                        &mut report,
                        "announced_on",
                        Message::new("research.rates.twice").arg("line", line),
                    );
                }
                rates.push((
                    row.line,
                    Rate {
                        scheme,
                        announced_on,
                        pence_per_hour,
                        pay_by,
                        source,
                    },
                ));
            }
        }
        if report.has_errors() {
            return Err(report);
        }
        let mut rates: Vec<Rate> = rates.into_iter().map(|(_, r)| r).collect();
        rates.sort_by_key(|r| (r.scheme, r.announced_on));
        Ok(RateTable { rates })
    }

    /// One scheme's rates, oldest first.
    pub fn rates(&self, scheme: Scheme) -> impl DoubleEndedIterator<Item = &Rate> {
        self.rates.iter().filter(move |r| r.scheme == scheme)
    }

    /// The rate an employer with `rule` pays on `on`: of the rates announced
    /// by then, the latest whose first day under the rule has come. If the
    /// first day of a later announced rate is not known, whether it is in
    /// force cannot be told, and that is the answer.
    pub fn in_force(&self, rule: PayRule, on: Date) -> Result<&Rate, PayError> {
        let announced = self.rates(rule.scheme).filter(|r| r.announced_on <= on);
        for r in announced.rev() {
            match rule.pay_from.first_day(r) {
                Some(first) if first <= on => return Ok(r),
                Some(_) => continue,
                None => {
                    return Err(PayError::FirstDayNotKnown {
                        scheme: rule.scheme,
                        on,
                        announced_on: r.announced_on,
                    });
                }
            }
        }
        Err(PayError::BeforeFirstRate {
            scheme: rule.scheme,
            on,
            first_announced_on: self.rates(rule.scheme).next().map(|r| r.announced_on),
        })
    }
}

/// From which day an employer pays a newly announced rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PayFrom {
    /// From the day it is announced.
    Announcement,
    /// From the first given day of the year on or after the announcement
    /// (1 April, to move with the pay year).
    DayOfYear { month: Month, day: u8 },
    /// From the latest day the Living Wage Foundation allowed accredited
    /// employers (1 May 2025 for the rates announced on 23 October 2024).
    FoundationDeadline,
}

impl PayFrom {
    /// The first day a rate is paid under this rule; `None` when it depends
    /// on a deadline no source states.
    pub fn first_day(self, rate: &Rate) -> Option<Date> {
        match self {
            PayFrom::Announcement => Some(rate.announced_on),
            PayFrom::DayOfYear { month, day } => {
                let a = rate.announced_on;
                let this_year = Date::from_calendar_date(a.year(), month, day).ok()?;
                if this_year >= a {
                    Some(this_year)
                } else {
                    Date::from_calendar_date(a.year() + 1, month, day).ok()
                }
            }
            PayFrom::FoundationDeadline => rate.pay_by,
        }
    }
}

/// A programme's choice: which rate, and from when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PayRule {
    pub scheme: Scheme,
    pub pay_from: PayFrom,
}

/// The pay rule as typed on the programme's research settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PayRuleInput {
    /// `uk` or `london`.
    pub scheme: String,
    /// `announcement`, `day_of_year` or `foundation_deadline`.
    pub pay_from: String,
    /// For `day_of_year`: `01/04` (day/month).
    pub from_day: String,
}

impl PayRuleInput {
    pub fn validate(&self) -> Result<PayRule, Invalid> {
        let mut e = Errors::new();
        let scheme = match self.scheme.trim() {
            "" => {
                e.add("scheme", Message::new("research.pay.scheme_required"));
                None
            }
            s => {
                let found = Scheme::from_slug(s);
                if found.is_none() {
                    e.add(
                        "scheme",
                        Message::new("research.pay.bad_scheme").arg("value", s),
                    );
                }
                found
            }
        };
        let pay_from = match self.pay_from.trim() {
            "announcement" => Some(PayFrom::Announcement),
            "foundation_deadline" => Some(PayFrom::FoundationDeadline),
            "day_of_year" => day_of_year(&mut e, self.from_day.trim()),
            "" => {
                e.add("pay_from", Message::new("research.pay.pay_from_required"));
                None
            }
            other => {
                e.add(
                    "pay_from",
                    Message::new("research.pay.bad_pay_from").arg("value", other),
                );
                None
            }
        };
        match (scheme, pay_from) {
            (Some(scheme), Some(pay_from)) => e.finish(|| PayRule { scheme, pay_from }),
            _ => Err(Invalid(e.into_vec())),
        }
    }
}

/// `01/04` or `1/4`: a day of every year. 29 February is refused: most
/// years would have no such day.
fn day_of_year(e: &mut Errors, raw: &str) -> Option<PayFrom> {
    if raw.is_empty() {
        e.add("from_day", Message::new("research.pay.from_day_required"));
        return None;
    }
    let parsed = raw.split_once('/').and_then(|(d, m)| {
        let day: u8 = d.trim().parse().ok()?;
        let month = Month::try_from(m.trim().parse::<u8>().ok()?).ok()?;
        // 2023 has no 29 February, so only days every year has pass.
        Date::from_calendar_date(2023, month, day).ok()?;
        Some(PayFrom::DayOfYear { month, day })
    });
    if parsed.is_none() {
        e.add(
            "from_day",
            Message::new("research.pay.bad_from_day").arg("value", raw),
        );
    }
    parsed
}

/// An approved timesheet entry: minutes worked on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worked {
    #[serde(with = "crate::iso_date")]
    pub on: Date,
    pub minutes: u32,
}

/// One entry priced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryPay {
    #[serde(with = "crate::iso_date")]
    pub on: Date,
    pub minutes: u32,
    pub pence_per_hour: Pence,
    /// Which announcement the rate is.
    #[serde(with = "crate::iso_date")]
    pub rate_announced_on: Date,
    pub pence: Pence,
}

/// A timesheet priced: its entries in the order given, and their sum.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Pay {
    pub entries: Vec<EntryPay>,
    pub minutes: u64,
    pub pence: Pence,
}

/// Why an entry cannot be priced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PayError {
    /// No rate of the scheme had been announced and paid by then.
    BeforeFirstRate {
        scheme: Scheme,
        on: Date,
        first_announced_on: Option<Date>,
    },
    /// The rule pays from the Foundation's deadline, and the deadline of the
    /// latest rate announced by then is not known.
    FirstDayNotKnown {
        scheme: Scheme,
        on: Date,
        announced_on: Date,
    },
    /// More minutes than a day has.
    MoreThanADay { on: Date, minutes: u32 },
}

impl PayError {
    pub fn message(&self) -> Message {
        match self {
            PayError::BeforeFirstRate {
                scheme,
                on,
                first_announced_on,
            } => match first_announced_on {
                Some(first) => Message::new("research.pay.before_first_rate")
                    .arg("scheme", crate::i18n::t(scheme.label_key()))
                    .arg("on", display_date(*on))
                    .arg("first", display_date(*first)),
                None => Message::new("research.pay.no_rates")
                    .arg("scheme", crate::i18n::t(scheme.label_key())),
            },
            PayError::FirstDayNotKnown {
                scheme,
                on,
                announced_on,
            } => Message::new("research.pay.first_day_not_known")
                .arg("scheme", crate::i18n::t(scheme.label_key()))
                .arg("on", display_date(*on))
                .arg("announced", display_date(*announced_on)),
            PayError::MoreThanADay { on, minutes } => Message::new("research.pay.more_than_a_day")
                .arg("on", display_date(*on))
                .arg("minutes", minutes),
        }
    }
}

/// The entries that could not be priced, by their position in the
/// timesheet: all of them, so a coordinator fixes them at once.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} entries cannot be priced: {}", .0.len(), .0.iter().map(|(i, e)| format!("{}: {}", i + 1, e.message())).collect::<Vec<_>>().join("; "))]
pub struct Unpayable(pub Vec<(usize, PayError)>);

/// Pay for `minutes` at `pence_per_hour`, rounded **up** to the penny.
///
/// A Living Wage commitment is a floor: rounding half-up (or down) would pay
/// some entries a fraction of a penny below the rate. Rounding up costs
/// under a penny an entry and never underpays.
pub fn entry_pence(minutes: u32, pence_per_hour: Pence) -> Pence {
    (i64::from(minutes) * pence_per_hour + 59).div_euclid(60)
}

/// Prices approved entries at the rate in force on each day. Each entry is
/// rounded once (`entry_pence`), so each line of a payment run is what a
/// researcher can check with a calculator, and the lines add up to the
/// total exactly.
pub fn pay(table: &RateTable, rule: PayRule, worked: &[Worked]) -> Result<Pay, Unpayable> {
    let mut out = Pay::default();
    let mut problems = Vec::new();
    for (i, w) in worked.iter().enumerate() {
        if w.minutes > 24 * 60 {
            problems.push((
                i,
                PayError::MoreThanADay {
                    on: w.on,
                    minutes: w.minutes,
                },
            ));
            continue;
        }
        match table.in_force(rule, w.on) {
            Ok(rate) => {
                let pence = entry_pence(w.minutes, rate.pence_per_hour);
                out.minutes += u64::from(w.minutes);
                out.pence += pence;
                out.entries.push(EntryPay {
                    on: w.on,
                    minutes: w.minutes,
                    pence_per_hour: rate.pence_per_hour,
                    rate_announced_on: rate.announced_on,
                    pence,
                });
            }
            Err(e) => problems.push((i, e)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Unpayable(problems))
    }
}

/// `£12.60 an hour`, for the rate shown beside each entry.
pub fn hourly(pence_per_hour: Pence) -> Message {
    Message::new("research.pay.hourly").arg("rate", format_pence(pence_per_hour))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const UK_AT_ONCE: PayRule = PayRule {
        scheme: Scheme::Uk,
        pay_from: PayFrom::Announcement,
    };

    fn rates() -> &'static RateTable {
        RateTable::real_living_wage()
    }

    fn rate_on(rule: PayRule, on: Date) -> Pence {
        rates().in_force(rule, on).unwrap().pence_per_hour
    }

    #[test]
    fn the_shipped_rates_read_and_are_in_order() {
        let uk: Vec<&Rate> = rates().rates(Scheme::Uk).collect();
        let london: Vec<&Rate> = rates().rates(Scheme::London).collect();
        assert_eq!((uk.len(), london.len()), (14, 15));
        assert_eq!(
            (london[0].announced_on, london[0].pence_per_hour),
            (date!(2011 - 05 - 02), 830)
        );
        assert_eq!(
            (uk[0].announced_on, uk[0].pence_per_hour),
            (date!(2012 - 11 - 05), 745)
        );
        let last = uk.last().unwrap();
        assert_eq!(
            (last.announced_on, last.pence_per_hour, last.pay_by),
            (date!(2025 - 10 - 22), 1345, Some(date!(2026 - 05 - 01)))
        );
        for scheme in Scheme::ALL {
            let rs: Vec<&Rate> = rates().rates(scheme).collect();
            for w in rs.windows(2) {
                assert!(w[0].announced_on < w[1].announced_on);
                assert!(w[0].pence_per_hour < w[1].pence_per_hour, "rates only rose");
            }
            assert!(rs.iter().all(|r| r.source.starts_with("https://")));
        }
    }

    #[test]
    fn a_rate_is_in_force_from_the_day_the_rule_says() {
        // Announced 23 October 2024; the Foundation's deadline 1 May 2025.
        assert_eq!(rate_on(UK_AT_ONCE, date!(2024 - 10 - 22)), 1200);
        assert_eq!(rate_on(UK_AT_ONCE, date!(2024 - 10 - 23)), 1260);
        let deadline = PayRule {
            scheme: Scheme::Uk,
            pay_from: PayFrom::FoundationDeadline,
        };
        assert_eq!(rate_on(deadline, date!(2024 - 10 - 23)), 1200);
        assert_eq!(rate_on(deadline, date!(2025 - 04 - 30)), 1200);
        assert_eq!(rate_on(deadline, date!(2025 - 05 - 01)), 1260);
        let april = PayRule {
            scheme: Scheme::London,
            pay_from: PayFrom::DayOfYear {
                month: Month::April,
                day: 1,
            },
        };
        assert_eq!(rate_on(april, date!(2025 - 03 - 31)), 1315);
        assert_eq!(rate_on(april, date!(2025 - 04 - 01)), 1385);
        // Announced on the day itself: paid that day.
        let first_of_may = PayRule {
            scheme: Scheme::London,
            pay_from: PayFrom::DayOfYear {
                month: Month::May,
                day: 2,
            },
        };
        assert_eq!(rate_on(first_of_may, date!(2011 - 05 - 02)), 830);
    }

    #[test]
    fn a_rate_change_mid_timesheet_prices_each_day_at_its_rate() {
        let worked = [
            Worked {
                on: date!(2024 - 10 - 21),
                minutes: 90,
            },
            Worked {
                on: date!(2024 - 10 - 22),
                minutes: 60,
            },
            Worked {
                on: date!(2024 - 10 - 23),
                minutes: 45,
            },
            Worked {
                on: date!(2024 - 10 - 24),
                minutes: 450,
            },
        ];
        let p = pay(rates(), UK_AT_ONCE, &worked).unwrap();
        let lines: Vec<(Pence, Pence)> = p
            .entries
            .iter()
            .map(|e| (e.pence_per_hour, e.pence))
            .collect();
        // 1½ h and 1 h at £12.00, then ¾ h and 7½ h at £12.60.
        assert_eq!(
            lines,
            [(1200, 1800), (1200, 1200), (1260, 945), (1260, 9450)]
        );
        assert_eq!(p.pence, 13_395);
        assert_eq!(p.minutes, 645);
        assert_eq!(p.entries[2].rate_announced_on, date!(2024 - 10 - 23));
        // The same days for an employer paying from the Foundation's
        // deadline: all at £12.00.
        let deadline = PayRule {
            scheme: Scheme::Uk,
            pay_from: PayFrom::FoundationDeadline,
        };
        assert_eq!(pay(rates(), deadline, &worked).unwrap().pence, 12_900);
    }

    #[test]
    fn minutes_that_are_not_whole_hours_round_up_once_per_entry() {
        // £13.45 an hour is 22.41…p a minute.
        assert_eq!(entry_pence(1, 1345), 23);
        assert_eq!(entry_pence(7, 1345), 157); // 156.92p
        assert_eq!(entry_pence(20, 1345), 449); // 448.33p
        assert_eq!(entry_pence(60, 1345), 1345);
        assert_eq!(entry_pence(0, 1345), 0);
        let twenty = Worked {
            on: date!(2025 - 11 - 03),
            minutes: 20,
        };
        let p = pay(rates(), UK_AT_ONCE, &[twenty, twenty]).unwrap();
        // Each entry is rounded, not the sum (40 minutes would be 897p).
        assert_eq!(p.pence, 898);
        assert_eq!(p.pence, p.entries.iter().map(|e| e.pence).sum::<Pence>());
    }

    #[test]
    fn before_the_first_known_rate_pay_is_refused_not_guessed() {
        let early = Worked {
            on: date!(2012 - 11 - 04),
            minutes: 60,
        };
        let err = pay(rates(), UK_AT_ONCE, &[early]).unwrap_err();
        assert_eq!(
            err.0,
            [(
                0,
                PayError::BeforeFirstRate {
                    scheme: Scheme::Uk,
                    on: date!(2012 - 11 - 04),
                    first_announced_on: Some(date!(2012 - 11 - 05)),
                }
            )]
        );
        assert_eq!(
            err.0[0].1.message().text(),
            "No UK (outside London) Real Living Wage rate is known for 4 November 2012: the first known rate was announced on 5 November 2012"
        );
        // London's first known rate is older.
        let london = PayRule {
            scheme: Scheme::London,
            pay_from: PayFrom::Announcement,
        };
        assert_eq!(pay(rates(), london, &[early]).unwrap().pence, 830);
        // Under a rule whose first day comes later, the gap is longer.
        let april = PayRule {
            scheme: Scheme::Uk,
            pay_from: PayFrom::DayOfYear {
                month: Month::April,
                day: 1,
            },
        };
        assert!(rates().in_force(april, date!(2013 - 03 - 31)).is_err());
        assert_eq!(rate_on(april, date!(2013 - 04 - 01)), 745);
    }

    #[test]
    fn an_unknown_deadline_is_said_so() {
        // The deadline for the rates of 9 November 2020 is in no source.
        let deadline = PayRule {
            scheme: Scheme::Uk,
            pay_from: PayFrom::FoundationDeadline,
        };
        let e = rates()
            .in_force(deadline, date!(2020 - 12 - 01))
            .unwrap_err();
        assert_eq!(
            e,
            PayError::FirstDayNotKnown {
                scheme: Scheme::Uk,
                on: date!(2020 - 12 - 01),
                announced_on: date!(2020 - 11 - 09),
            }
        );
        assert_eq!(e.message().key, "research.pay.first_day_not_known");
    }

    #[test]
    fn every_unpriceable_entry_is_listed() {
        let worked = [
            Worked {
                on: date!(2025 - 01 - 06),
                minutes: 1441,
            },
            Worked {
                on: date!(2025 - 01 - 07),
                minutes: 30,
            },
            Worked {
                on: date!(2010 - 01 - 07),
                minutes: 30,
            },
        ];
        let err = pay(rates(), UK_AT_ONCE, &worked).unwrap_err();
        let at: Vec<usize> = err.0.iter().map(|(i, _)| *i).collect();
        assert_eq!(at, [0, 2]);
        assert!(matches!(
            err.0[0].1,
            PayError::MoreThanADay { minutes: 1441, .. }
        ));
        assert!(pay(rates(), UK_AT_ONCE, &worked[1..2]).is_ok());
        assert_eq!(pay(rates(), UK_AT_ONCE, &[]).unwrap(), Pay::default());
    }

    #[test]
    fn a_rates_file_is_checked_by_line_and_column() {
        let text = "scheme,announced_on,hourly_rate,pay_by,source\n\
                    uk,2024-10-23,12.60,2025-05-01,https://example.org/a\n\
                    wales,2024-10-23,12.60,,https://example.org/b\n\
                    uk,23rd October,12.60,,https://example.org/c\n\
                    london,2024-10-23,-1,,https://example.org/d\n\
                    london,2024-10-23,13.85,2024-01-01,\n\
                    uk,2024-10-23,12.61,,https://example.org/e\n";
        let report = RateTable::read(text, "rates.csv").unwrap_err();
        let found: Vec<(u64, String, String)> = report
            .problems
            .iter()
            .map(|p| {
                (
                    p.line,
                    p.column
                        .as_ref()
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    p.message.key.clone(),
                )
            })
            .collect();
        let want = [
            (3, "scheme", "research.rates.bad_scheme"),
            (4, "announced_on", "validation.date"),
            (5, "hourly_rate", "research.rates.bad_rate"),
            (6, "source", "research.rates.no_source"),
            (6, "pay_by", "research.rates.pay_by_before"),
            (7, "announced_on", "research.rates.twice"),
        ];
        let want: Vec<(u64, String, String)> = want
            .iter()
            .map(|(l, c, k)| (*l, c.to_string(), k.to_string()))
            .collect();
        assert_eq!(found, want);
        assert!(RateTable::read("", "rates.csv").is_err());
        let ok = RateTable::read(
            "scheme,announced_on,hourly_rate,source\nLondon,22/10/2025,£14.80,https://example.org\n",
            "rates.csv",
        )
        .unwrap();
        assert_eq!(
            ok.rates(Scheme::London).next().unwrap().pence_per_hour,
            1480
        );
    }

    #[test]
    fn the_pay_rule_is_checked_like_a_form() {
        let input = |scheme: &str, pay_from: &str, from_day: &str| {
            PayRuleInput {
                scheme: scheme.into(),
                pay_from: pay_from.into(),
                from_day: from_day.into(),
            }
            .validate()
        };
        assert_eq!(
            input("london", "day_of_year", "01/04").unwrap(),
            PayRule {
                scheme: Scheme::London,
                pay_from: PayFrom::DayOfYear {
                    month: Month::April,
                    day: 1
                }
            }
        );
        assert_eq!(
            input("uk", "foundation_deadline", "").unwrap().pay_from,
            PayFrom::FoundationDeadline
        );
        let fields = |r: Result<PayRule, Invalid>| -> Vec<(String, String)> {
            r.unwrap_err()
                .0
                .into_iter()
                .map(|f| (f.field, f.message.key))
                .collect()
        };
        assert_eq!(
            fields(input("", "", "")),
            [
                ("scheme".into(), "research.pay.scheme_required".into()),
                ("pay_from".into(), "research.pay.pay_from_required".into())
            ]
        );
        assert_eq!(
            fields(input("wales", "day_of_year", "29/02")),
            [
                ("scheme".into(), "research.pay.bad_scheme".into()),
                ("from_day".into(), "research.pay.bad_from_day".into())
            ]
        );
        assert_eq!(
            fields(input("uk", "day_of_year", "")),
            [("from_day".into(), "research.pay.from_day_required".into())]
        );
        assert_eq!(
            fields(input("uk", "whenever", "")),
            [("pay_from".into(), "research.pay.bad_pay_from".into())]
        );
    }

    proptest! {
        #[test]
        fn an_entry_is_never_paid_below_the_rate_nor_a_penny_above(
            minutes in 0u32..=1440,
            rate in 1i64..=5000,
        ) {
            let p = entry_pence(minutes, rate);
            let exact_times_60 = i64::from(minutes) * rate;
            prop_assert!(p * 60 >= exact_times_60);
            prop_assert!((p - 1) * 60 < exact_times_60);
        }
    }
}
