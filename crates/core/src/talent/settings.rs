//! A programme's talent settings: how agency savings are costed. (Its
//! targets are the programme's: `crate::programme::targets`.) The form rule
//! lives here so the page, the API and the CLI agree.

use serde::{Deserialize, Serialize};

use super::results::SavingsSettings;
use crate::i18n::Message;
use crate::validation::Invalid;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TalentSettings {
    pub savings: SavingsSettings,
}

/// The talent settings as a person types them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TalentSettingsInput {
    /// Percentages from 0 to 500, e.g. 25 or 27.5.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^(500|([1-4][0-9]{2}|[1-9]?[0-9])(\\.[0-9])?)$"
        )
    )]
    pub on_cost_pct: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^(500|([1-4][0-9]{2}|[1-9]?[0-9])(\\.[0-9])?)$"
        )
    )]
    pub cap_premium_pct: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^(500|([1-4][0-9]{2}|[1-9]?[0-9])(\\.[0-9])?)$"
        )
    )]
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
    match crate::i18n::typed_number(raw)
        .trim()
        .trim_end_matches('%')
        .parse::<f64>()
    {
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
            on_cost_pct: bp_pct(s.savings.on_cost_bp),
            cap_premium_pct: bp_pct(s.savings.cap_premium_bp),
            observed_premium_pct: bp_pct(s.savings.observed_premium_bp),
        }
    }

    pub fn validate(&self) -> Result<TalentSettings, Invalid> {
        let mut e = crate::validation::Errors::new();
        let on_cost_bp = parse_bp(&mut e, "on_cost_pct", &self.on_cost_pct);
        let cap_premium_bp = parse_bp(&mut e, "cap_premium_pct", &self.cap_premium_pct);
        let observed_premium_bp =
            parse_bp(&mut e, "observed_premium_pct", &self.observed_premium_pct);
        e.finish(|| TalentSettings {
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
            on_cost_pct: "27.5%".into(),
            cap_premium_pct: "55".into(),
            observed_premium_pct: "90.05".into(),
        };
        let s = typed.validate().unwrap();
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
            on_cost_pct: "501".into(),
            cap_premium_pct: String::new(),
            observed_premium_pct: "55".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["on_cost_pct", "cap_premium_pct"]);
    }
}
