//! The Social Lab (issue 19 item 4): the legal entity, one organisation of
//! the programme's register, that lets community researchers earn after
//! the funding ends. Its projects are those it commissioned; its income is
//! what those projects received (each payment dated, recorded on the
//! project); the researchers it pays are those with approved hours on its
//! projects. Income against pay, year by year, is the strand's
//! sustainability measure.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::work::PayLine;
use crate::i18n::Message;
use crate::money::{Pence, parse_pence};
use crate::validation::{Errors, Invalid};

/// A payment a project received, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
// Named apart from the enterprise's `IncomeInput` in the API description
// (the last of two schemas of one name would hide the first).
#[cfg_attr(feature = "openapi", schema(as = ProjectIncomeInput))]
pub struct IncomeInput {
    /// The day it was received (`2025-04-30`), not in the future.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = crate::openapi::past_day)
    )]
    pub received_on: String,
    /// The amount in pounds (`£1,250.00`), more than £0.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, pattern = "^[1-9][0-9]{0,8}(\\.[0-9]{2})?$")
    )]
    pub amount: String,
    /// Who paid, or what for.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: String,
}

/// A payment checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IncomeDraft {
    #[serde(with = "crate::iso_date")]
    pub received_on: Date,
    pub amount: Pence,
    pub note: String,
}

impl IncomeInput {
    pub fn validate(&self, today: Date) -> Result<IncomeDraft, Invalid> {
        let mut e = Errors::new();
        let received_on = if self.received_on.trim().is_empty() {
            e.add("received_on", Message::new("research.income.day_required"));
            None
        } else {
            e.optional_date("received_on", &self.received_on)
        };
        if received_on.is_some_and(|d| d > today) {
            e.add("received_on", Message::new("research.income.in_future"));
        }
        let amount = match self.amount.trim() {
            "" => {
                e.add("amount", Message::new("research.income.amount_required"));
                None
            }
            raw => match parse_pence(&crate::i18n::typed_number(raw)) {
                Ok(p) if p > 0 => Some(p),
                Ok(_) => {
                    e.add("amount", Message::new("research.income.amount_positive"));
                    None
                }
                Err(m) => {
                    e.add("amount", m);
                    None
                }
            },
        };
        let note = e.optional("note", &self.note, 500).unwrap_or_default();
        match (received_on, amount) {
            (Some(received_on), Some(amount)) => e.finish(|| IncomeDraft {
                received_on,
                amount,
                note,
            }),
            _ => Err(Invalid(e.into_vec())),
        }
    }
}

/// A payment kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Income {
    pub id: Uuid,
    pub project_id: Uuid,
    pub project_title: String,
    #[serde(with = "crate::iso_date")]
    pub received_on: Date,
    pub amount: Pence,
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// One year of the Social Lab: income received, and the approved hours on
/// its projects with their pay and how many researchers were paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabYear {
    pub year: i32,
    pub income: Pence,
    pub researchers: u64,
    pub minutes: u64,
    pub pay: Pence,
}

/// The years with income or paid hours, oldest first, and how many
/// researchers were paid in all (each counted once).
pub fn by_year(income: &[Income], pay: &[PayLine]) -> (Vec<LabYear>, u64) {
    #[derive(Default)]
    struct Acc {
        income: Pence,
        researchers: BTreeSet<Uuid>,
        minutes: u64,
        pay: Pence,
    }
    let mut years: BTreeMap<i32, Acc> = BTreeMap::new();
    for i in income {
        years.entry(i.received_on.year()).or_default().income += i.amount;
    }
    let mut everyone = BTreeSet::new();
    for l in pay {
        let a = years.entry(l.worked_on.year()).or_default();
        a.researchers.insert(l.researcher_id);
        a.minutes += u64::from(l.minutes);
        a.pay += l.pence;
        everyone.insert(l.researcher_id);
    }
    (
        years
            .into_iter()
            .map(|(year, a)| LabYear {
                year,
                income: a.income,
                researchers: a.researchers.len() as u64,
                minutes: a.minutes,
                pay: a.pay,
            })
            .collect(),
        everyone.len() as u64,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn income_is_a_positive_amount_on_a_past_day() {
        let today = date!(2026 - 12 - 07);
        let err = IncomeInput {
            received_on: "2027-01-01".into(),
            amount: "-5".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["received_on", "amount"]);
        let ok = IncomeInput {
            received_on: "30/04/2025".into(),
            amount: "£1,250".into(),
            note: "Sandwell Council".into(),
        }
        .validate(today)
        .unwrap();
        assert_eq!(ok.amount, 125_000);
    }

    #[test]
    fn years_sum_income_and_pay_and_count_researchers_once() {
        let inc = |d: Date, amount| Income {
            id: Uuid::nil(),
            project_id: Uuid::nil(),
            project_title: String::new(),
            received_on: d,
            amount,
            note: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        };
        let line = |r: u128, d: Date, minutes, pence| PayLine {
            entry: Uuid::nil(),
            researcher_id: Uuid::from_u128(r),
            researcher_name: None,
            project_title: String::new(),
            worked_on: d,
            minutes,
            pence_per_hour: 1270,
            rate_announced_on: date!(2023 - 10 - 24),
            pence,
        };
        let (years, paid) = by_year(
            &[
                inc(date!(2024 - 11 - 01), 250_000),
                inc(date!(2025 - 02 - 01), 100_000),
            ],
            &[
                line(1, date!(2024 - 10 - 14), 120, 2540),
                line(1, date!(2025 - 01 - 10), 60, 1320),
                line(2, date!(2025 - 01 - 11), 60, 1320),
            ],
        );
        assert_eq!(paid, 2);
        assert_eq!(
            years,
            [
                LabYear {
                    year: 2024,
                    income: 250_000,
                    researchers: 1,
                    minutes: 120,
                    pay: 2540
                },
                LabYear {
                    year: 2025,
                    income: 100_000,
                    researchers: 2,
                    minutes: 120,
                    pay: 2640
                },
            ]
        );
    }
}
