//! Paid research work: a researcher's hours on a project, day by day, that
//! the coordinator approves or rejects; a payment run prices the approved
//! hours of a period at the rate in force on each day (`pay.rs`) and writes
//! them as a CSV for payroll.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::pay::{self, PayRule, RateTable, Unpayable, Worked};
use crate::csv_import::write_table;
use crate::i18n::Message;
use crate::money::Pence;
use crate::validation::{Errors, Invalid};

/// Where an entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeStatus {
    Submitted,
    Approved,
    Rejected,
}

impl TimeStatus {
    pub const ALL: [TimeStatus; 3] = [
        TimeStatus::Submitted,
        TimeStatus::Approved,
        TimeStatus::Rejected,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            TimeStatus::Submitted => "submitted",
            TimeStatus::Approved => "approved",
            TimeStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<TimeStatus> {
        TimeStatus::ALL.into_iter().find(|x| x.slug() == s.trim())
    }

    pub fn label_key(self) -> String {
        format!("research.time.status.{}", self.slug())
    }
}

/// Hours as typed: the researcher (blank: the caller's own record), the
/// project, the day and the hours (`3.5` or `3:30`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TimeInput {
    /// The researcher's id; blank for the caller's own record.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::uuid_or_blank)
    )]
    pub researcher: String,
    /// The project's id (one the programme does not have is a 404).
    #[cfg_attr(feature = "openapi", schema(required = true, format = Uuid))]
    pub project: String,
    /// The day worked, not in the future.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = crate::openapi::past_day)
    )]
    pub worked_on: String,
    /// Hours that day, more than none and at most 24: `3.5`, `3,5`, `3:30`
    /// or `3` (described as hours and quarters, `3.25`).
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, pattern = "^([1-9]|1[0-9]|2[0-3])(\\.(25|5|75))?$")
    )]
    pub hours: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: String,
}

/// Hours checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeDraft {
    pub researcher: Option<Uuid>,
    pub project: Uuid,
    #[serde(with = "crate::iso_date")]
    pub worked_on: Date,
    pub minutes: u32,
    pub note: String,
}

/// Minutes of work as the pages and the CLI write them: `3 h`, `3 h 30 min`.
pub fn hours_text(minutes: u64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        format!("{h} h")
    } else {
        format!("{h} h {m} min")
    }
}

/// `3.5`, `3,5`, `3:30` or `3` hours as minutes; `None` when not a time.
pub fn parse_hours(raw: &str) -> Option<u32> {
    let s = raw.trim().replace(',', ".");
    if let Some((h, m)) = s.split_once(':') {
        let h: u32 = h.trim().parse().ok()?;
        let m: u32 = m.trim().parse().ok()?;
        return (m < 60).then_some(h * 60 + m);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let h: u32 = whole.parse().ok()?;
    if frac.is_empty() {
        return Some(h * 60);
    }
    if frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hundredths: u32 = format!("{frac:0<2}").parse().ok()?;
    // Whole minutes only: 0.25 h is 15 minutes, 0.1 h is 6.
    let m = hundredths * 60;
    m.is_multiple_of(100).then_some(h * 60 + m / 100)
}

impl TimeInput {
    pub fn validate(&self, today: Date) -> Result<TimeDraft, Invalid> {
        let mut e = Errors::new();
        let researcher = match self.researcher.trim() {
            "" => None,
            raw => {
                let id = Uuid::parse_str(raw).ok();
                if id.is_none() {
                    e.add("researcher", Message::new("research.time.bad_researcher"));
                }
                id
            }
        };
        let project = Uuid::parse_str(self.project.trim()).ok();
        if project.is_none() {
            e.add("project", Message::new("research.time.project_required"));
        }
        let worked_on = if self.worked_on.trim().is_empty() {
            e.add(
                "worked_on",
                Message::new("research.time.worked_on_required"),
            );
            None
        } else {
            e.optional_date("worked_on", &self.worked_on)
        };
        if let Some(d) = worked_on
            && d > today
        {
            e.add("worked_on", Message::new("research.time.in_future"));
        }
        let minutes = match parse_hours(&self.hours) {
            Some(m) if (1..=24 * 60).contains(&m) => Some(m),
            _ => {
                e.add(
                    "hours",
                    Message::new("research.time.bad_hours").arg("value", self.hours.trim()),
                );
                None
            }
        };
        let note = e.optional("note", &self.note, 500).unwrap_or_default();
        match (project, worked_on, minutes) {
            (Some(project), Some(worked_on), Some(minutes)) => e.finish(|| TimeDraft {
                researcher,
                project,
                worked_on,
                minutes,
                note,
            }),
            _ => Err(Invalid(e.into_vec())),
        }
    }
}

/// Paid research only after accreditation: hours on a day before it (or
/// with no accreditation) are refused, naming the day that would allow them.
pub fn check_accredited(accredited_on: Option<Date>, worked_on: Date) -> Result<(), Invalid> {
    match accredited_on {
        Some(a) if a <= worked_on => Ok(()),
        Some(a) => Err(Invalid::one(
            "worked_on",
            Message::new("research.time.before_accreditation").arg("date", a),
        )),
        None => Err(Invalid::one(
            "researcher",
            Message::new("research.time.not_accredited"),
        )),
    }
}

/// One timesheet entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeEntry {
    pub id: Uuid,
    pub researcher_id: Uuid,
    /// `None` once the researcher is erased.
    pub researcher_name: Option<String>,
    pub project_id: Uuid,
    pub project_title: String,
    #[serde(with = "crate::iso_date")]
    pub worked_on: Date,
    pub minutes: u32,
    pub note: String,
    pub status: TimeStatus,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The timesheet list's filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct TimeParams {
    pub researcher: Option<String>,
    pub project: Option<String>,
    /// `submitted`, `approved` or `rejected`.
    pub status: Option<String>,
    /// First day, inclusive (YYYY-MM-DD).
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// Last day, inclusive.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The filters read: bad values are named, never silently dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeQuery {
    pub researcher: Option<Uuid>,
    pub project: Option<Uuid>,
    pub status: Option<TimeStatus>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().map(str::trim).unwrap_or("")
}

impl TimeParams {
    pub fn validate(&self) -> Result<TimeQuery, Invalid> {
        let mut e = Errors::new();
        let mut id = |field: &str, raw: &str| match raw {
            "" => None,
            raw => {
                let v = Uuid::parse_str(raw).ok();
                if v.is_none() {
                    e.add(field, Message::new("research.time.bad_filter"));
                }
                v
            }
        };
        let researcher = id("researcher", opt(&self.researcher));
        let project = id("project", opt(&self.project));
        let status = match opt(&self.status) {
            "" => None,
            raw => {
                let s = TimeStatus::parse(raw);
                if s.is_none() {
                    e.add("status", Message::new("research.time.bad_filter"));
                }
                s
            }
        };
        let from = e.optional_date("from", opt(&self.from));
        let to = e.optional_date("to", opt(&self.to));
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("to", Message::new("research.payrun.to_before_from"));
        }
        e.finish(|| TimeQuery {
            researcher,
            project,
            status,
            from,
            to,
        })
    }
}

/// One priced line of a payment run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PayLine {
    pub entry: Uuid,
    pub researcher_id: Uuid,
    pub researcher_name: Option<String>,
    pub project_title: String,
    #[serde(with = "crate::iso_date")]
    pub worked_on: Date,
    pub minutes: u32,
    pub pence_per_hour: Pence,
    #[serde(with = "crate::iso_date")]
    pub rate_announced_on: Date,
    pub pence: Pence,
}

/// A payment run: every approved entry of a period priced, and each
/// researcher's total.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PayRun {
    #[serde(with = "crate::iso_date::option")]
    pub from: Option<Date>,
    #[serde(with = "crate::iso_date::option")]
    pub to: Option<Date>,
    pub lines: Vec<PayLine>,
    pub totals: Vec<(Uuid, Option<String>, u64, Pence)>,
    pub minutes: u64,
    pub pence: Pence,
}

/// Prices approved entries (others are left out) at the rate in force on
/// each day; every entry that cannot be priced is reported at once.
pub fn pay_run(
    table: &RateTable,
    rule: PayRule,
    query: &TimeQuery,
    entries: &[TimeEntry],
) -> Result<PayRun, Unpayable> {
    let approved: Vec<&TimeEntry> = entries
        .iter()
        .filter(|e| e.status == TimeStatus::Approved)
        .collect();
    let worked: Vec<Worked> = approved
        .iter()
        .map(|e| Worked {
            on: e.worked_on,
            minutes: e.minutes,
        })
        .collect();
    let priced = pay::pay(table, rule, &worked)?;
    let mut totals: BTreeMap<Uuid, (Option<String>, u64, Pence)> = BTreeMap::new();
    let lines: Vec<PayLine> = approved
        .iter()
        .zip(priced.entries)
        .map(|(e, p)| {
            let t = totals
                .entry(e.researcher_id)
                .or_insert_with(|| (e.researcher_name.clone(), 0, 0));
            t.1 += u64::from(p.minutes);
            t.2 += p.pence;
            PayLine {
                entry: e.id,
                researcher_id: e.researcher_id,
                researcher_name: e.researcher_name.clone(),
                project_title: e.project_title.clone(),
                worked_on: e.worked_on,
                minutes: p.minutes,
                pence_per_hour: p.pence_per_hour,
                rate_announced_on: p.rate_announced_on,
                pence: p.pence,
            }
        })
        .collect();
    Ok(PayRun {
        from: query.from,
        to: query.to,
        lines,
        totals: totals
            .into_iter()
            .map(|(id, (n, m, p))| (id, n, m, p))
            .collect(),
        minutes: priced.minutes,
        pence: priced.pence,
    })
}

pub const PAY_RUN_COLUMNS: [&str; 9] = [
    "entry_id",
    "researcher_id",
    "researcher",
    "project",
    "worked_on",
    "minutes",
    "hourly_rate",
    "rate_announced_on",
    "pay",
];

/// `1234.56`: payroll systems read plain decimals, no £ or commas.
pub fn pounds(p: Pence) -> String {
    let sign = if p < 0 { "-" } else { "" };
    let a = p.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

impl PayRun {
    /// The payroll file: one line per approved entry, amounts in pounds.
    pub fn to_csv(&self) -> String {
        write_table(
            &PAY_RUN_COLUMNS,
            self.lines.iter().map(|l| {
                vec![
                    l.entry.to_string(),
                    l.researcher_id.to_string(),
                    l.researcher_name.clone().unwrap_or_default(),
                    l.project_title.clone(),
                    l.worked_on.to_string(),
                    l.minutes.to_string(),
                    pounds(l.pence_per_hour),
                    l.rate_announced_on.to_string(),
                    pounds(l.pence),
                ]
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::pay::{PayFrom, Scheme};
    use time::macros::date;

    #[test]
    fn minutes_written_as_hours_and_minutes() {
        assert_eq!(hours_text(0), "0 h");
        assert_eq!(hours_text(180), "3 h");
        assert_eq!(hours_text(210), "3 h 30 min");
        assert_eq!(hours_text(5), "0 h 5 min");
    }

    #[test]
    fn hours_read_as_typed() {
        assert_eq!(parse_hours("3"), Some(180));
        assert_eq!(parse_hours("3.5"), Some(210));
        assert_eq!(parse_hours("3,25"), Some(195));
        assert_eq!(parse_hours("2:45"), Some(165));
        assert_eq!(parse_hours("0.1"), Some(6));
        assert_eq!(parse_hours("0.01"), None);
        assert_eq!(parse_hours("2:75"), None);
        assert_eq!(parse_hours("lots"), None);
    }

    #[test]
    fn no_paid_hours_before_accreditation() {
        let a = date!(2018 - 03 - 01);
        assert!(check_accredited(Some(a), a).is_ok());
        let err = check_accredited(Some(a), date!(2018 - 02 - 28)).unwrap_err();
        assert_eq!(err.0[0].field, "worked_on");
        assert!(check_accredited(None, a).is_err());
    }

    fn entry(on: Date, minutes: u32, status: TimeStatus) -> TimeEntry {
        TimeEntry {
            id: Uuid::now_v7(),
            researcher_id: Uuid::nil(),
            researcher_name: Some("R".into()),
            project_title: "P".into(),
            project_id: Uuid::nil(),
            worked_on: on,
            minutes,
            note: String::new(),
            status,
            decided_at: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_pay_run_prices_approved_hours_at_the_rate_of_each_day() {
        let rule = PayRule {
            scheme: Scheme::Uk,
            pay_from: PayFrom::Announcement,
        };
        // The UK rate moved from £12.00 to £12.60 on 23 October 2024.
        let entries = [
            entry(date!(2024 - 10 - 22), 60, TimeStatus::Approved),
            entry(date!(2024 - 10 - 23), 60, TimeStatus::Approved),
            entry(date!(2024 - 10 - 24), 600, TimeStatus::Submitted),
        ];
        let run = pay_run(
            RateTable::real_living_wage(),
            rule,
            &TimeQuery::default(),
            &entries,
        )
        .unwrap();
        assert_eq!(run.lines.len(), 2);
        assert_eq!(run.lines[0].pence, 1200);
        assert_eq!(run.lines[1].pence, 1260);
        assert_eq!(run.pence, 2460);
        assert_eq!(run.totals[0].3, 2460);
        assert!(run.to_csv().contains("12.60"));
    }
}
