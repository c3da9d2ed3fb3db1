//! Self-sustainability as charts, each beside a table with the same
//! numbers: across the programme, how many enterprises earned most of their
//! income each year (of those whose income is known); for one enterprise,
//! its earned share by year. A year not known is drawn empty and says so.

use useit_core::enterprise::income::{HistoryYear, YearCount};
use useit_core::figures::percent_bp;
use useit_core::i18n::{format_count, t, tf};

use super::grants::year_text;
use crate::http::charts::{Bar, column_chart};

/// The programme's enterprises that earned most of their income, by year.
pub fn programme_chart(trend: &[YearCount]) -> String {
    let bars: Vec<Bar> = trend
        .iter()
        .map(|y| {
            let known = y.mostly_earned + y.mostly_given;
            Bar {
                label: year_text(y.year),
                value: f64::from(y.mostly_earned),
                display: tf(
                    "enterprise.chart.of_known",
                    &[
                        ("count", &format_count(u64::from(y.mostly_earned))),
                        ("known", &format_count(u64::from(known))),
                    ],
                ),
            }
        })
        .collect();
    column_chart(
        "enterprise-trend",
        t("enterprise.trend.title"),
        t("enterprise.chart.trend_desc"),
        &bars,
    )
}

/// One enterprise's earned share by year (trading and contracts as a share
/// of all income).
pub fn enterprise_chart(history: &[HistoryYear]) -> String {
    let bars: Vec<Bar> = history
        .iter()
        .map(|h| {
            let bp = h.income.and_then(|i| i.earned_share_bp());
            Bar {
                label: year_text(h.year),
                value: f64::from(bp.unwrap_or(0)),
                display: bp
                    .map(|bp| percent_bp(i64::from(bp)))
                    .unwrap_or_else(|| t("enterprise.not_known").to_string()),
            }
        })
        .collect();
    column_chart(
        "enterprise-earned",
        t("enterprise.chart.earned_title"),
        t("enterprise.chart.earned_desc"),
        &bars,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use useit_core::enterprise::income::IncomeYear;

    #[test]
    fn a_year_not_known_is_drawn_empty_and_says_so() {
        let y = |year, grants, trading| HistoryYear {
            year,
            income: Some(IncomeYear {
                year,
                grants,
                donations: 0,
                trading,
                contracts: 0,
            }),
        };
        let svg = enterprise_chart(&[
            y(2023, 800, 200),
            HistoryYear {
                year: 2024,
                income: None,
            },
            y(2025, 200, 800),
        ]);
        assert!(svg.contains(&format!(">{}<", percent_bp(2_000))), "{svg}");
        assert!(svg.contains(&format!(">{}<", percent_bp(8_000))), "{svg}");
        assert!(
            svg.contains(&format!(">{}<", t("enterprise.not_known"))),
            "{svg}"
        );
        assert!(svg.contains(r#"height="0.0""#), "{svg}");
    }
}
