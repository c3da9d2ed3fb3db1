//! A programme's talent settings: its targets and how agency savings are
//! costed. The form rule lives here so the page, the API and the CLI agree.

use serde::{Deserialize, Serialize};

use super::results::SavingsSettings;
use crate::i18n::Message;
use crate::validation::Invalid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TalentSettings {
    pub target_engaged: i64,
    pub target_into_work: i64,
    pub savings: SavingsSettings,
}

impl Default for TalentSettings {
    /// The USE-IT! target: 60 people engaged (it engaged almost 200).
    fn default() -> Self {
        TalentSettings {
            target_engaged: 60,
            target_into_work: 20,
            savings: SavingsSettings::default(),
        }
    }
}

/// The talent settings as a person types them.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TalentSettingsInput {
    pub target_engaged: String,
    pub target_into_work: String,
    /// Percentages, e.g. 25 or 27.5.
    pub on_cost_pct: String,
    pub cap_premium_pct: String,
    pub observed_premium_pct: String,
}

pub fn bp_pct(bp: i64) -> String {
    let whole = bp / 100;
    let frac = (bp % 100).abs();
    if frac == 0 {
        format!("{whole}")
    } else {
        format!("{whole}.{frac:02}")
    }
}

fn parse_bp(e: &mut crate::validation::Errors, field: &str, raw: &str) -> i64 {
    match raw.trim().trim_end_matches('%').parse::<f64>() {
        Ok(v) if (0.0..=500.0).contains(&v) => (v * 100.0).round() as i64,
        _ => {
            e.add(field, Message::new("talent.settings.bad_pct"));
            0
        }
    }
}

impl TalentSettingsInput {
    pub fn of(s: &TalentSettings) -> TalentSettingsInput {
        TalentSettingsInput {
            target_engaged: s.target_engaged.to_string(),
            target_into_work: s.target_into_work.to_string(),
            on_cost_pct: bp_pct(s.savings.on_cost_bp),
            cap_premium_pct: bp_pct(s.savings.cap_premium_bp),
            observed_premium_pct: bp_pct(s.savings.observed_premium_bp),
        }
    }

    pub fn validate(&self) -> Result<TalentSettings, Invalid> {
        let mut e = crate::validation::Errors::new();
        let count = |e: &mut crate::validation::Errors, field: &str, raw: &str| match raw
            .trim()
            .parse::<i64>()
        {
            Ok(n) if (0..=100_000).contains(&n) => n,
            _ => {
                e.add(field, Message::new("talent.settings.bad_count"));
                0
            }
        };
        let target_engaged = count(&mut e, "target_engaged", &self.target_engaged);
        let target_into_work = count(&mut e, "target_into_work", &self.target_into_work);
        let on_cost_bp = parse_bp(&mut e, "on_cost_pct", &self.on_cost_pct);
        let cap_premium_bp = parse_bp(&mut e, "cap_premium_pct", &self.cap_premium_pct);
        let observed_premium_bp =
            parse_bp(&mut e, "observed_premium_pct", &self.observed_premium_pct);
        e.finish(|| TalentSettings {
            target_engaged,
            target_into_work,
            savings: crate::talent::results::SavingsSettings {
                on_cost_bp,
                cap_premium_bp,
                observed_premium_bp,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_kept_as_basis_points_and_shown_back() {
        let s = TalentSettings::default();
        let form = TalentSettingsInput::of(&s);
        assert_eq!(form.validate(), Ok(s));
        let typed = TalentSettingsInput {
            target_engaged: " 200 ".into(),
            target_into_work: "22".into(),
            on_cost_pct: "27.5%".into(),
            cap_premium_pct: "55".into(),
            observed_premium_pct: "90.05".into(),
        };
        let s = typed.validate().unwrap();
        assert_eq!((s.target_engaged, s.target_into_work), (200, 22));
        assert_eq!(
            (
                s.savings.on_cost_bp,
                s.savings.cap_premium_bp,
                s.savings.observed_premium_bp
            ),
            (2750, 5500, 9005)
        );
        assert_eq!(bp_pct(2750), "27.50");
        assert_eq!(bp_pct(5500), "55");
    }

    #[test]
    fn every_bad_field_is_named() {
        let Invalid(errs) = TalentSettingsInput {
            target_engaged: "-1".into(),
            target_into_work: "lots".into(),
            on_cost_pct: "501".into(),
            cap_premium_pct: String::new(),
            observed_premium_pct: "55".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "target_engaged",
                "target_into_work",
                "on_cost_pct",
                "cap_premium_pct"
            ]
        );
    }
}
