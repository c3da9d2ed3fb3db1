//! Self-sustainability: an enterprise's income by year, split by where it
//! came from, and how much of it is earned (trading and contracts) rather
//! than given (grants and donations). The programme's aim is enterprises
//! that earn most of their income: "breaking from funding dependency".

use serde::{Deserialize, Serialize};

use super::profile::optional_money;
use crate::i18n::Message;
use crate::money::Pence;
use crate::validation::{Errors, Invalid};

/// One financial year's income (the year it starts in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeYear {
    pub year: i32,
    pub grants: Pence,
    pub donations: Pence,
    pub trading: Pence,
    pub contracts: Pence,
}

impl IncomeYear {
    pub fn total(&self) -> Pence {
        self.grants + self.donations + self.trading + self.contracts
    }

    /// Earned income: trading and contracts.
    pub fn earned(&self) -> Pence {
        self.trading + self.contracts
    }

    /// The earned share in basis points; None when there was no income
    /// (a share of nothing cannot be judged).
    pub fn earned_share_bp(&self) -> Option<u32> {
        let total = self.total();
        (total > 0).then(|| {
            u32::try_from(i128::from(self.earned()) * 10_000 / i128::from(total)).unwrap_or(0)
        })
    }

    /// Earns more than half its income.
    pub fn mostly_earned(&self) -> Option<bool> {
        self.earned_share_bp().map(|bp| bp > 5_000)
    }
}

/// The anchors' payments to an enterprise (its resolved spend lines, by
/// day) summed per financial year, as [`with_contracts`] takes them.
pub fn paid_by_year(days: &[(time::Date, Pence)]) -> Vec<(i32, Pence)> {
    let mut out: std::collections::BTreeMap<i32, Pence> = std::collections::BTreeMap::new();
    for (day, amount) in days {
        *out.entry(super::grants::financial_year(*day)).or_default() += amount;
    }
    out.into_iter().collect()
}

/// The recorded income years with each year's contract income at least
/// what the anchors' published spend lines paid the enterprise that year:
/// the larger of the typed figure and the paid lines, never their sum (a
/// typed figure may already hold those payments), so a contract an anchor
/// paid counts without anyone typing it, and never twice. A year with
/// payments but no record stays out, as with imported grants: what else it
/// earned is not known.
pub fn with_contracts(years: &[IncomeYear], paid: &[(i32, Pence)]) -> Vec<IncomeYear> {
    years
        .iter()
        .map(|y| {
            let mut y = *y;
            let from_lines: Pence = paid
                .iter()
                .filter(|(year, _)| *year == y.year)
                .map(|(_, p)| p)
                .sum();
            y.contracts = y.contracts.max(from_lines);
            y
        })
        .collect()
}

/// A year's income as a person types it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncomeInput {
    /// The year the financial year starts in (2025 for 2025–26), 1990 to 2100.
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = years))]
    pub year: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::money_or_blank)
    )]
    pub grants: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::money_or_blank)
    )]
    pub donations: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::money_or_blank)
    )]
    pub trading: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::money_or_blank)
    )]
    pub contracts: String,
}

#[cfg(feature = "openapi")]
fn years() -> utoipa::openapi::schema::Object {
    crate::openapi::whole_number_text(1990, 2100, false)
}

impl IncomeInput {
    pub fn validate(&self) -> Result<IncomeYear, Invalid> {
        let mut e = Errors::new();
        let year = match self.year.trim().parse::<i32>() {
            Ok(y) if (1990..=2100).contains(&y) => Some(y),
            _ => {
                e.add(
                    "year",
                    Message::new("enterprise.validation.year").arg("value", self.year.trim()),
                );
                None
            }
        };
        let grants = optional_money(&mut e, "grants", &self.grants).unwrap_or(0);
        let donations = optional_money(&mut e, "donations", &self.donations).unwrap_or(0);
        let trading = optional_money(&mut e, "trading", &self.trading).unwrap_or(0);
        let contracts = optional_money(&mut e, "contracts", &self.contracts).unwrap_or(0);
        e.finish(|| IncomeYear {
            year: year.unwrap_or(0),
            grants,
            donations,
            trading,
            contracts,
        })
    }
}

/// One year of the history: the income recorded, or None ("not known").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryYear {
    pub year: i32,
    pub income: Option<IncomeYear>,
}

/// Every year from `first` to `last`, a missing year as not known (never
/// as nothing earned).
pub fn history(years: &[IncomeYear], first: i32, last: i32) -> Vec<HistoryYear> {
    (first..=last)
        .map(|y| HistoryYear {
            year: y,
            income: years.iter().find(|i| i.year == y).copied(),
        })
        .collect()
}

/// Across enterprises, per year: how many earned most of their income,
/// how many earned less, and how many are not known that year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct YearCount {
    pub year: i32,
    pub mostly_earned: u32,
    pub mostly_given: u32,
    pub not_known: u32,
}

pub fn trend(enterprises: &[Vec<IncomeYear>], first: i32, last: i32) -> Vec<YearCount> {
    (first..=last)
        .map(|y| {
            let mut c = YearCount {
                year: y,
                ..Default::default()
            };
            for e in enterprises {
                match e
                    .iter()
                    .find(|i| i.year == y)
                    .and_then(|i| i.mostly_earned())
                {
                    Some(true) => c.mostly_earned += 1,
                    Some(false) => c.mostly_given += 1,
                    None => c.not_known += 1,
                }
            }
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(year: i32, grants: i64, trading: i64, contracts: i64) -> IncomeYear {
        IncomeYear {
            year,
            grants,
            donations: 0,
            trading,
            contracts,
        }
    }

    #[test]
    fn the_trading_share_trend_counts_a_missing_year_as_not_known() {
        // A: grant-dependent, then trading; B: always trading, 2025 missing;
        // C: nothing recorded in 2024 (no income: not judged).
        let a = vec![
            y(2024, 800, 200, 0),
            y(2025, 500, 300, 200),
            y(2026, 200, 300, 500),
        ];
        let b = vec![y(2024, 0, 900, 100), y(2026, 100, 900, 0)];
        let c = vec![y(2024, 0, 0, 0), y(2025, 600, 400, 0)];
        let t = trend(&[a.clone(), b, c], 2024, 2026);
        let counts: Vec<(u32, u32, u32)> = t
            .iter()
            .map(|c| (c.mostly_earned, c.mostly_given, c.not_known))
            .collect();
        // 2025: A is exactly half (not most), C 40%: both mostly given.
        assert_eq!(counts, [(1, 1, 1), (0, 2, 1), (2, 0, 1)]);
        assert_eq!(a[1].earned_share_bp(), Some(5_000));
        assert_eq!(a[2].earned_share_bp(), Some(8_000));
        let h = history(&a[..1], 2024, 2025);
        assert_eq!(h[1].income, None);
    }

    #[test]
    fn income_names_each_bad_field() {
        let err = IncomeInput {
            year: "last year".into(),
            grants: "lots".into(),
            trading: "-4".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["year", "grants", "trading"]);
    }

    /// Contract income from the anchors' payments: per financial year
    /// (April to March), the larger of the typed figure and the paid lines,
    /// so a typed year that already holds them is not counted twice, and a
    /// year nobody recorded stays not known.
    #[test]
    fn contracts_are_at_least_what_the_anchors_paid_that_year() {
        use time::macros::date;
        let paid = paid_by_year(&[
            (date!(2024 - 04 - 01), 30_000),
            (date!(2025 - 03 - 31), 20_000),
            (date!(2025 - 04 - 01), 5_000),
            (date!(2026 - 06 - 01), 99_000),
        ]);
        assert_eq!(paid, [(2024, 50_000), (2025, 5_000), (2026, 99_000)]);
        let typed = [
            IncomeYear {
                year: 2024,
                grants: 100_000,
                donations: 0,
                trading: 10_000,
                contracts: 0,
            },
            IncomeYear {
                year: 2025,
                grants: 0,
                donations: 0,
                trading: 0,
                contracts: 8_000,
            },
        ];
        let years = with_contracts(&typed, &paid);
        assert_eq!(years[0].contracts, 50_000, "the paid lines, none typed");
        assert_eq!(
            years[1].contracts, 8_000,
            "the typed figure already holds them"
        );
        assert_eq!(years.len(), 2, "2026 has no record: not known");
        assert_eq!(years[0].earned_share_bp(), Some(3_750));
    }
}
