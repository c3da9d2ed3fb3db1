//! A researcher's income, year by year, split by who paid: the programme
//! (its payment runs: approved hours on projects commissioned by anchors,
//! the council, charities or the researchers themselves) and, after it,
//! the Social Lab (approved hours on the projects it commissioned). Each
//! hour is priced at the Real Living Wage in force on its day. A year with
//! no hours recorded for a payer is "not known", never £0; a year whose
//! hours cannot all be priced is "not known" too, with the hours it rests
//! on.

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;
use uuid::Uuid;

use super::pay::{self, PayRule, RateTable, Worked};
use crate::money::Pence;

/// Who paid for an hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    Programme,
    SocialLab,
}

impl Payer {
    pub const ALL: [Payer; 2] = [Payer::Programme, Payer::SocialLab];

    pub fn slug(self) -> &'static str {
        match self {
            Payer::Programme => "programme",
            Payer::SocialLab => "social_lab",
        }
    }

    pub fn label_key(self) -> String {
        format!("research.income_of.payer.{}", self.slug())
    }
}

/// An approved hour as the income counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaidWork {
    pub researcher: Uuid,
    pub payer: Payer,
    pub on: Date,
    pub minutes: u32,
}

/// One payer's year: the approved minutes and their pay (`None` when some
/// of them cannot be priced: `unpriced_minutes` says how many).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PayerYear {
    pub minutes: u64,
    pub pence: Option<Pence>,
    pub unpriced_minutes: u64,
}

/// One year of a researcher's income; a payer with nothing recorded that
/// year is `None` ("not known").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct IncomeYear {
    pub year: i32,
    pub programme: Option<PayerYear>,
    pub social_lab: Option<PayerYear>,
}

impl IncomeYear {
    pub fn payer(&self, p: Payer) -> Option<PayerYear> {
        match p {
            Payer::Programme => self.programme,
            Payer::SocialLab => self.social_lab,
        }
    }
}

/// Each researcher's years, from their first recorded year to their last
/// (a year between with nothing recorded is listed, both payers not
/// known), oldest first.
pub fn income_by_year(
    table: &RateTable,
    rule: PayRule,
    work: &[PaidWork],
) -> BTreeMap<Uuid, Vec<IncomeYear>> {
    let mut acc: BTreeMap<Uuid, BTreeMap<i32, BTreeMap<Payer, PayerYear>>> = BTreeMap::new();
    for w in work {
        let cell = acc
            .entry(w.researcher)
            .or_default()
            .entry(w.on.year())
            .or_default()
            .entry(w.payer)
            .or_insert(PayerYear {
                minutes: 0,
                pence: Some(0),
                unpriced_minutes: 0,
            });
        cell.minutes += u64::from(w.minutes);
        let priced = pay::pay(
            table,
            rule,
            &[Worked {
                on: w.on,
                minutes: w.minutes,
            }],
        );
        match priced {
            Ok(p) => cell.pence = cell.pence.map(|x| x + p.pence),
            Err(_) => {
                cell.pence = None;
                cell.unpriced_minutes += u64::from(w.minutes);
            }
        }
    }
    acc.into_iter()
        .map(|(r, years)| {
            let first = years.keys().next().copied().unwrap_or_default();
            let last = years.keys().next_back().copied().unwrap_or_default();
            let list = (first..=last)
                .map(|year| {
                    let y = years.get(&year);
                    IncomeYear {
                        year,
                        programme: y.and_then(|m| m.get(&Payer::Programme).copied()),
                        social_lab: y.and_then(|m| m.get(&Payer::SocialLab).copied()),
                    }
                })
                .collect();
            (r, list)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::pay::{PayFrom, Scheme};
    use time::macros::date;

    const RULE: PayRule = PayRule {
        scheme: Scheme::Uk,
        pay_from: PayFrom::Announcement,
    };

    #[test]
    fn income_splits_by_payer_and_year_and_never_reads_nothing_as_nought() {
        let r = Uuid::from_u128(1);
        let w = |payer, on, minutes| PaidWork {
            researcher: r,
            payer,
            on,
            minutes,
        };
        let all = income_by_year(
            RateTable::real_living_wage(),
            RULE,
            &[
                // £12.00 then £12.60 an hour (23 October 2024).
                w(Payer::Programme, date!(2024 - 10 - 22), 60),
                w(Payer::Programme, date!(2024 - 10 - 23), 60),
                w(Payer::SocialLab, date!(2026 - 03 - 02), 120),
            ],
        );
        let years = &all[&r];
        assert_eq!(
            years.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2024, 2025, 2026]
        );
        assert_eq!(years[0].programme.unwrap().pence, Some(2460));
        assert_eq!(years[0].social_lab, None);
        assert_eq!(years[1].programme, None);
        assert_eq!(years[1].social_lab, None);
        assert_eq!(years[2].programme, None);
        assert_eq!(years[2].social_lab.unwrap().minutes, 120);
        assert!(years[2].social_lab.unwrap().pence.is_some());
    }

    #[test]
    fn an_hour_that_cannot_be_priced_makes_its_year_not_known() {
        let r = Uuid::from_u128(1);
        let all = income_by_year(
            RateTable::real_living_wage(),
            RULE,
            &[
                PaidWork {
                    researcher: r,
                    payer: Payer::Programme,
                    on: date!(1990 - 01 - 01),
                    minutes: 60,
                },
                PaidWork {
                    researcher: r,
                    payer: Payer::Programme,
                    on: date!(1990 - 01 - 02),
                    minutes: 30,
                },
            ],
        );
        let y = all[&r][0].programme.unwrap();
        assert_eq!(y.pence, None);
        assert_eq!(y.minutes, 90);
        assert_eq!(y.unpriced_minutes, 90);
    }
}
