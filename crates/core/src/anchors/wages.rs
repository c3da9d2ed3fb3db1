//! The wage round of LM3: what the anchors pay their staff, and what of it
//! is paid to staff living locally — in the anchor's local authority, the
//! area LM3's supplier round is measured in, so the multiplier is about one
//! area.
//!
//! LM3 counts wages as money the anchor spends (R1) and wages paid to local
//! staff as money that reaches the area (R2), re-spent there in part (R3).
//! Where an anchor sent a workforce file for the years of the period, the
//! wages are **computed** from it (pay of staff by home small area); the
//! one figure typed in the spend settings is used only where no workforce
//! file covers the period, and the figure says which it stood on. Where
//! neither exists the wage round is "not known" — never 0 presented as a
//! fact.
//!
//! A workforce file is for a financial year; a spend period that covers
//! part of one takes the year's pay spread evenly over its days, because a
//! year's pay is paid month by month, not on one day.

use serde::Serialize;
use time::Date;

use super::measures::Lm3Inputs;
use super::workforce::Year;
use crate::i18n::{t, tf};
use crate::money::Pence;

/// One anchor's pay in one workforce year, from its workforce file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnchorPay {
    /// The anchor's short name (as spend lines carry it).
    pub anchor: String,
    /// The anchor's name, for people.
    pub anchor_name: String,
    pub year: Year,
    /// All pay in the year.
    pub all: Pence,
    /// Pay of staff whose home small area is in the anchor's local authority.
    pub local: Pence,
}

/// A workforce year the wages were computed from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WageYear {
    pub anchor: String,
    pub anchor_name: String,
    /// `2024/25`.
    pub year: String,
}

/// Where LM3's wages came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum WageSource {
    /// Computed from the anchors' workforce files for these years.
    Workforce {
        years: Vec<WageYear>,
        /// Some year reaches outside the period: only its share of days counted.
        partial: bool,
        /// Anchors in scope with no workforce file for the period, or the
        /// years of the period an anchor has none for ("Trust 2019/20"):
        /// their staff's wages are left out, not guessed.
        missing: Vec<String>,
    },
    /// The figure typed in the spend settings (no workforce file covers the period).
    Typed,
    /// Neither: the wage round is not known.
    NotKnown,
}

/// LM3's wages for a scope: the amounts and where they came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Wages {
    pub source: WageSource,
    /// All pay over the period (part of R1); 0 when not known.
    pub all: Pence,
    /// Pay to staff living in the local authority (part of R2); 0 when not known.
    pub local: Pence,
}

impl Wages {
    pub fn known(&self) -> bool {
        self.source != WageSource::NotKnown
    }

    pub fn text(&self) -> String {
        self.source.text()
    }
}

impl WageSource {
    /// "wages: from the workforce file for 2024/25", "wages: typed in the
    /// spend settings" or "wages: not known (…)": shown wherever LM3 is.
    pub fn text(&self) -> String {
        match self {
            WageSource::Workforce {
                years,
                partial,
                missing,
            } => {
                let one_anchor = years
                    .iter()
                    .all(|y| years.first().is_some_and(|f| f.anchor == y.anchor));
                let list: Vec<String> = years
                    .iter()
                    .map(|y| {
                        if one_anchor {
                            y.year.clone()
                        } else {
                            format!("{} {}", y.anchor_name, y.year)
                        }
                    })
                    .collect();
                let key = if years.len() == 1 {
                    "wages.lm3.workforce_one"
                } else {
                    "wages.lm3.workforce_many"
                };
                let mut s = tf(key, &[("years", &list.join(", "))]);
                if *partial {
                    s = tf("wages.lm3.partial", &[("text", &s)]);
                }
                if !missing.is_empty() {
                    s = tf(
                        "wages.lm3.missing",
                        &[("text", &s), ("anchors", &missing.join(", "))],
                    );
                }
                s
            }
            WageSource::Typed => t("wages.lm3.typed").to_string(),
            WageSource::NotKnown => t("wages.lm3.not_known").to_string(),
        }
    }
}

/// The scope LM3 is worked out for: the anchors in it (short name, name)
/// and the days the spend covers.
pub struct WageScope<'a> {
    pub anchors: Vec<(&'a str, &'a str)>,
    pub from: Date,
    pub to: Date,
}

/// The financial year a day falls in.
fn year_of(d: Date) -> Year {
    if d.month() >= time::Month::April {
        Year(d.year())
    } else {
        Year(d.year() - 1)
    }
}

/// The wages for a scope: computed from the workforce years that overlap
/// the period for the anchors in scope, when there is any; else the typed
/// figure, when one was typed; else not known. The typed figure is one
/// number for the whole programme and cannot be split by anchor, so it is
/// never mixed with computed wages: an anchor without a file is named as
/// left out instead.
pub fn wages(pay: &[AnchorPay], scope: &WageScope, typed: &Lm3Inputs) -> Wages {
    let mut years = Vec::new();
    let mut partial = false;
    let mut missing = Vec::new();
    let scope_anchors: &[(&str, &str)] = if scope.from <= scope.to {
        &scope.anchors
    } else {
        &[]
    };
    for (slug, name) in scope_anchors {
        let mut without = Vec::new();
        for y in year_of(scope.from).0..=year_of(scope.to).0 {
            let Some(p) = pay.iter().find(|p| p.anchor == *slug && p.year.0 == y) else {
                without.push(Year(y).label());
                continue;
            };
            let (first, last) = (p.year.first_day(), p.year.last_day());
            let from = first.max(scope.from);
            let to = last.min(scope.to);
            let days = (to - from).whole_days() as i128 + 1;
            let of = (last - first).whole_days() as i128 + 1;
            partial |= days < of;
            years.push((
                WageYear {
                    anchor: p.anchor.clone(),
                    anchor_name: p.anchor_name.clone(),
                    year: p.year.label(),
                },
                days,
                of,
                p.all,
                p.local,
            ));
        }
        if without.len() as i32 == year_of(scope.to).0 - year_of(scope.from).0 + 1 {
            missing.push(name.to_string());
        } else if !without.is_empty() {
            missing.push(format!("{name} {}", without.join(", ")));
        }
    }
    if !years.is_empty() {
        // Each year's share of days, rounded half up.
        let part = |amount: Pence, days: i128, of: i128| -> Pence {
            ((amount as i128 * days * 2 + of) / (2 * of)) as Pence
        };
        let all = years.iter().map(|(_, d, o, a, _)| part(*a, *d, *o)).sum();
        let local = years.iter().map(|(_, d, o, _, l)| part(*l, *d, *o)).sum();
        return Wages {
            source: WageSource::Workforce {
                years: years.into_iter().map(|y| y.0).collect(),
                partial,
                missing,
            },
            all,
            local,
        };
    }
    if typed.all_wages > 0 || typed.local_wages > 0 {
        Wages {
            source: WageSource::Typed,
            all: typed.all_wages,
            local: typed.local_wages,
        }
    } else {
        Wages {
            source: WageSource::NotKnown,
            all: 0,
            local: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn pay(anchor: &str, year: i32, all: Pence, local: Pence) -> AnchorPay {
        AnchorPay {
            anchor: anchor.into(),
            anchor_name: format!("{anchor} name"),
            year: Year(year),
            all,
            local,
        }
    }

    fn typed(all: Pence, local: Pence) -> Lm3Inputs {
        Lm3Inputs {
            all_wages: all,
            local_wages: local,
            ..Lm3Inputs::default()
        }
    }

    fn scope(anchors: &[&'static str], from: Date, to: Date) -> WageScope<'static> {
        WageScope {
            anchors: anchors.iter().map(|a| (*a, *a)).collect(),
            from,
            to,
        }
    }

    #[test]
    fn a_workforce_file_wins_over_the_typed_figure() {
        let p = [pay("trust", 2024, 36_500_000, 7_300_000)];
        let w = wages(
            &p,
            &scope(&["trust"], date!(2024 - 04 - 01), date!(2025 - 03 - 31)),
            &typed(1, 1),
        );
        assert_eq!((w.all, w.local), (36_500_000, 7_300_000));
        assert_eq!(w.text(), "wages: from the workforce file for 2024/25");
    }

    #[test]
    fn part_of_a_year_takes_its_share_of_days() {
        // 1 April to 30 June 2024: 91 of the year's 365 days.
        let p = [pay("trust", 2024, 36_500_000, 3_650_000)];
        let w = wages(
            &p,
            &scope(&["trust"], date!(2024 - 04 - 01), date!(2024 - 06 - 30)),
            &typed(0, 0),
        );
        assert_eq!((w.all, w.local), (9_100_000, 910_000));
        assert!(matches!(
            w.source,
            WageSource::Workforce { partial: true, .. }
        ));
    }

    #[test]
    fn anchors_and_years_without_a_file_are_named_not_filled_in() {
        let p = [pay("trust", 2024, 100, 10)];
        let w = wages(
            &p,
            &scope(
                &["trust", "council"],
                date!(2023 - 04 - 01),
                date!(2025 - 03 - 31),
            ),
            &typed(999, 99),
        );
        assert_eq!((w.all, w.local), (100, 10));
        assert_eq!(
            w.source,
            WageSource::Workforce {
                years: vec![WageYear {
                    anchor: "trust".into(),
                    anchor_name: "trust name".into(),
                    year: "2024/25".into()
                }],
                partial: false,
                missing: vec!["trust 2023/24".into(), "council".into()],
            }
        );
    }

    #[test]
    fn typed_only_without_a_file_and_not_known_without_either() {
        let s = scope(&["trust"], date!(2024 - 04 - 01), date!(2025 - 03 - 31));
        let p = [pay("trust", 2020, 100, 10)];
        let w = wages(&p, &s, &typed(500, 50));
        assert_eq!(
            (w.source.clone(), w.all, w.local),
            (WageSource::Typed, 500, 50)
        );
        assert_eq!(w.text(), "wages: typed in the spend settings");
        let w = wages(&p, &s, &typed(0, 0));
        assert_eq!(w.source, WageSource::NotKnown);
        assert!(w.text().starts_with("wages: not known"));
    }
}
