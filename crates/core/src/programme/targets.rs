//! A programme's targets: a number to reach for a counted indicator, over a
//! period (or the programme's whole life). A programme starts with none; the
//! programme manager sets them on the targets page, through the API or with
//! `useit programme targets`. The form rule lives here so all three agree.

use serde::{Deserialize, Serialize};

use super::indicators::{Indicator, Period, Target};
use crate::clock;
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// The largest target accepted: more than any programme could count.
pub const MAX_TARGET: u64 = 10_000_000;

/// One target as a person types it. A blank value means no target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TargetInput {
    /// The indicator's short name, e.g. `researchers_accredited`.
    pub indicator: String,
    /// A whole number; blank for no target.
    pub value: String,
    /// The first day of the period (2024-04-01 or 01/04/2024); blank for open.
    pub from: String,
    /// The last day of the period; blank for open.
    pub to: String,
}

/// Every target of the programme, as typed: saving replaces them all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TargetsInput {
    pub targets: Vec<TargetInput>,
}

impl TargetInput {
    /// The form shows a target back as it was saved.
    pub fn of(t: &Target) -> TargetInput {
        TargetInput {
            indicator: t.indicator.slug().to_string(),
            value: t.value.to_string(),
            from: t.period.from.map(clock::iso_date).unwrap_or_default(),
            to: t.period.to.map(clock::iso_date).unwrap_or_default(),
        }
    }

    /// The form fields of one indicator's row: `{indicator}_value` and so on.
    pub fn field(indicator: &str, part: &str) -> String {
        format!("{indicator}_{part}")
    }
}

impl TargetsInput {
    /// Checks every row, naming each bad field (`researchers_paid_value`).
    /// Rows with a blank value are left out: that indicator has no target.
    pub fn validate(&self) -> Result<Vec<Target>, Invalid> {
        let mut e = Errors::new();
        let mut out: Vec<Target> = Vec::new();
        for row in &self.targets {
            let slug = row.indicator.trim();
            let Some(indicator) = Indicator::parse(slug) else {
                e.add(
                    "indicator",
                    Message::new("targets.unknown_indicator").arg("indicator", slug),
                );
                continue;
            };
            let field = |part: &str| TargetInput::field(slug, part);
            let from = e.optional_date(&field("from"), &row.from);
            let to = e.optional_date(&field("to"), &row.to);
            if let (Some(f), Some(t)) = (from, to)
                && t < f
            {
                e.add(&field("to"), Message::new("targets.to_before_from"));
            }
            let raw = row.value.trim().replace(',', "");
            if raw.is_empty() {
                if !row.from.trim().is_empty() || !row.to.trim().is_empty() {
                    e.add(&field("value"), Message::new("targets.value_needed"));
                }
                continue;
            }
            if !indicator.is_count() {
                e.add(&field("value"), Message::new("targets.not_a_count"));
                continue;
            }
            match crate::i18n::typed_number(&raw).parse::<u64>() {
                Ok(n) if (1..=MAX_TARGET).contains(&n) => {
                    if out.iter().any(|t| t.indicator == indicator) {
                        e.add(&field("value"), Message::new("targets.twice"));
                    } else {
                        out.push(Target {
                            indicator,
                            value: n,
                            period: Period { from, to },
                        });
                    }
                }
                _ => e.add(
                    &field("value"),
                    Message::new("targets.bad_value")
                        .arg("max", crate::i18n::format_count(MAX_TARGET)),
                ),
            }
        }
        out.sort_by_key(|t| t.indicator);
        e.finish(|| out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn row(indicator: &str, value: &str, from: &str, to: &str) -> TargetInput {
        TargetInput {
            indicator: indicator.into(),
            value: value.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn blank_rows_are_no_target_and_periods_are_read() {
        let input = TargetsInput {
            targets: vec![
                row("talent_engaged", "60", "", ""),
                row(
                    "researchers_accredited",
                    " 1,060 ",
                    "2016-04-01",
                    "31/03/2019",
                ),
                row("enterprises_supported", "", "", ""),
            ],
        };
        let got = input.validate().unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].indicator, Indicator::TalentEngaged);
        assert_eq!(got[1].value, 1_060);
        assert_eq!(
            got[1].period,
            Period {
                from: Some(date!(2016 - 04 - 01)),
                to: Some(date!(2019 - 03 - 31))
            }
        );
        assert_eq!(TargetInput::of(&got[1]).from, "2016-04-01");
    }

    #[test]
    fn every_bad_field_is_named() {
        let Invalid(errs) = TargetsInput {
            targets: vec![
                row("talent_engaged", "-3", "", ""),
                row("researchers_paid", "", "2019-01-01", ""),
                row("lm3", "2", "", ""),
                row("enterprises_supported", "120", "2019-01-01", "2018-01-01"),
                row("no_such_thing", "1", "", ""),
            ],
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "talent_engaged_value",
                "researchers_paid_value",
                "lm3_value",
                "enterprises_supported_to",
                "indicator"
            ]
        );
    }
}
