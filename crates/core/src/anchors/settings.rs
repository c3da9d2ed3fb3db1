//! A programme's settings for the spend measures: which spend the anchors
//! can influence, the city region, the radius around sites and the LM3
//! re-spend inputs.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::measures::{InfluenceRule, Lm3Inputs};
use crate::i18n::Message;
use crate::money::plain_pence;
use crate::validation::{Errors, Invalid};

/// A programme's settings for the spend measures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpendSettings {
    pub rules: Vec<InfluenceRule>,
    /// Local authority codes making up the city region.
    pub city_region: Vec<String>,
    pub site_radius_m: i64,
    pub lm3: Lm3Inputs,
}

impl Default for SpendSettings {
    fn default() -> Self {
        SpendSettings {
            rules: crate::anchors::measures::default_rules(),
            city_region: Vec::new(),
            site_radius_m: 5_000,
            lm3: Lm3Inputs::default(),
        }
    }
}

/// Where the LM3 re-spend shares came from when a re-spend survey set them
/// (`app::research::respend`): the survey, the day, the responses each
/// share rests on, and the shares they replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RespendSource {
    /// The research project whose questionnaire it was.
    pub project: Uuid,
    /// The project's title.
    pub project_title: String,
    /// The questionnaire's title.
    pub survey: String,
    /// The day its results were taken as the inputs.
    #[serde(with = "crate::iso_date")]
    pub applied_on: Date,
    pub staff_responses: u64,
    pub supplier_responses: u64,
    /// The shares before (basis points, low and high).
    pub previous_supplier_bp: (i64, i64),
    pub previous_staff_bp: (i64, i64),
}

impl RespendSource {
    /// "Where staff spend" (12 March 2026, 119 responses): as the settings
    /// page and the dashboard cite it.
    pub fn citation(&self) -> String {
        // A questionnaire started in the app takes its project's title.
        let key = if self.survey == self.project_title {
            "anchors.spend.lm3.respend_source_project"
        } else {
            "anchors.spend.lm3.respend_source"
        };
        crate::i18n::tf(
            key,
            &[
                ("survey", &self.survey),
                ("project", &self.project_title),
                ("day", &crate::clock::display_date(self.applied_on)),
                (
                    "responses",
                    &crate::i18n::tn(
                        "anchors.spend.lm3.responses",
                        self.staff_responses + self.supplier_responses,
                    ),
                ),
            ],
        )
    }
}

impl SpendSettings {
    /// Keeps the survey as the source of the re-spend shares when `self`
    /// (typed) has the same shares as `before`: saving the form for another
    /// setting does not forget where they came from.
    pub fn keep_source(mut self, before: &SpendSettings) -> SpendSettings {
        if self.lm3.supplier_respend_bp == before.lm3.supplier_respend_bp
            && self.lm3.staff_respend_bp == before.lm3.staff_respend_bp
        {
            self.lm3.source = before.lm3.source.clone();
        }
        self
    }
}

/// The spend settings as a person types them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SpendSettingsInput {
    /// One rule per line, e.g. `expense_type contains pension`.
    pub rules: String,
    /// Local authority codes, separated by commas or new lines.
    pub city_region: String,
    pub site_radius_km: String,
    pub supplier_respend_low: String,
    pub supplier_respend_high: String,
    pub staff_respend_low: String,
    pub staff_respend_high: String,
    pub local_wages: String,
    pub all_wages: String,
}

/// A form's optional amount: blank for none.
pub fn optional_pence(p: i64) -> String {
    if p == 0 {
        String::new()
    } else {
        plain_pence(p)
    }
}

impl SpendSettingsInput {
    pub fn of(s: &SpendSettings) -> SpendSettingsInput {
        // Exact, so a form saved unchanged keeps every figure.
        let pct = crate::figures::bp_exact;
        SpendSettingsInput {
            rules: s
                .rules
                .iter()
                .map(|r| r.describe())
                .collect::<Vec<_>>()
                .join("\n"),
            city_region: s.city_region.join(", "),
            site_radius_km: format!("{}", s.site_radius_m as f64 / 1000.0),
            supplier_respend_low: pct(s.lm3.supplier_respend_bp.0),
            supplier_respend_high: pct(s.lm3.supplier_respend_bp.1),
            staff_respend_low: pct(s.lm3.staff_respend_bp.0),
            staff_respend_high: pct(s.lm3.staff_respend_bp.1),
            local_wages: optional_pence(s.lm3.local_wages),
            all_wages: optional_pence(s.lm3.all_wages),
        }
    }

    pub fn validate(&self) -> Result<SpendSettings, Invalid> {
        let mut e = Errors::new();
        let mut rules = Vec::new();
        for (i, line) in self
            .rules
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            match InfluenceRule::parse(line) {
                Some(r) => rules.push(r),
                None => e.add(
                    "rules",
                    Message::new("anchors.spend.settings.rule_bad")
                        .arg("line", i + 1)
                        .arg("rule", line.trim()),
                ),
            }
        }
        let city_region: Vec<String> = self
            .city_region
            .split([',', '\n', ' '])
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        let site_radius_m = match crate::i18n::typed_number(&self.site_radius_km)
            .trim()
            .parse::<f64>()
        {
            Ok(km) if km > 0.0 && km <= 100.0 => (km * 1000.0).round() as i64,
            _ => {
                e.add(
                    "site_radius_km",
                    Message::new("anchors.spend.settings.radius"),
                );
                5_000
            }
        };
        let mut pct = |field: &str, v: &str| -> i64 {
            match crate::i18n::typed_number(v)
                .trim()
                .trim_end_matches('%')
                .parse::<f64>()
            {
                Ok(p) if (0.0..=100.0).contains(&p) => (p * 100.0).round() as i64,
                _ => {
                    e.add(field, Message::new("anchors.spend.settings.percent"));
                    0
                }
            }
        };
        let sl = pct("supplier_respend_low", &self.supplier_respend_low);
        let sh = pct("supplier_respend_high", &self.supplier_respend_high);
        let tl = pct("staff_respend_low", &self.staff_respend_low);
        let th = pct("staff_respend_high", &self.staff_respend_high);
        if sh < sl {
            e.add(
                "supplier_respend_high",
                Message::new("anchors.spend.settings.high_below_low"),
            );
        }
        if th < tl {
            e.add(
                "staff_respend_high",
                Message::new("anchors.spend.settings.high_below_low"),
            );
        }
        let mut money = |field: &str, v: &str| -> i64 {
            if v.trim().is_empty() {
                return 0;
            }
            match crate::money::parse_pence(&crate::i18n::typed_number(v)) {
                Ok(p) if p >= 0 => p,
                Ok(_) => {
                    e.add(field, Message::new("anchors.spend.settings.negative"));
                    0
                }
                Err(m) => {
                    e.add(field, m);
                    0
                }
            }
        };
        let local_wages = money("local_wages", &self.local_wages);
        let all_wages = money("all_wages", &self.all_wages);
        if local_wages > all_wages {
            e.add(
                "local_wages",
                Message::new("anchors.spend.settings.local_wages_above_all"),
            );
        }
        e.finish(|| SpendSettings {
            rules,
            city_region,
            site_radius_m,
            lm3: Lm3Inputs {
                supplier_respend_bp: (sl, sh),
                staff_respend_bp: (tl, th),
                local_wages,
                all_wages,
                source: None,
            },
        })
    }
}

/// A local authority the place data names: its code and its name.
pub type Authority = (String, String);

/// The city region as a person reads it: each authority by name, one a
/// line (a code the place data does not name stays as it is).
pub fn city_region_in_words(codes: &[String], known: &[Authority]) -> String {
    codes
        .iter()
        .map(|c| {
            known
                .iter()
                .find(|(code, _)| code.eq_ignore_ascii_case(c))
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| c.clone())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The city region as typed, read as codes: one authority a line (or
/// several separated by commas), each by its name as the place data has it
/// or by its code. Text with a digit in it is taken as a code (the place
/// data need not be loaded to name a city region by codes); a name the
/// place data does not hold is returned among the `Err` entries.
pub fn read_city_region(text: &str, known: &[Authority]) -> Result<Vec<String>, Vec<String>> {
    let by_name = |s: &str| {
        let s = s.trim();
        known
            .iter()
            .find(|(code, name)| name.eq_ignore_ascii_case(s) || code.eq_ignore_ascii_case(s))
            .map(|(code, _)| code.clone())
    };
    let (mut codes, mut unknown) = (Vec::new(), Vec::new());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        // A whole line that is a name ("Bristol, City of") before its parts.
        if let Some(code) = by_name(line) {
            codes.push(code);
            continue;
        }
        for part in line
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if let Some(code) = by_name(part) {
                codes.push(code);
            } else if part.chars().any(|c| c.is_ascii_digit()) {
                codes.extend(part.split_whitespace().map(str::to_uppercase));
            } else {
                unknown.push(part.to_string());
            }
        }
    }
    if unknown.is_empty() {
        codes.dedup();
        Ok(codes)
    } else {
        Err(unknown)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_city_region_is_typed_and_shown_by_name() {
        use super::{city_region_in_words, read_city_region};
        let known = vec![
            ("E08000025".to_string(), "Birmingham".to_string()),
            ("E06000023".to_string(), "Bristol, City of".to_string()),
            ("E08000028".to_string(), "Sandwell".to_string()),
        ];
        let codes = vec![
            "E08000025".to_string(),
            "E08000028".to_string(),
            "E09000001".to_string(),
        ];
        let words = city_region_in_words(&codes, &known);
        assert_eq!(words, "Birmingham\nSandwell\nE09000001");
        assert_eq!(read_city_region(&words, &known), Ok(codes));
        assert_eq!(
            read_city_region("birmingham, Bristol, City of\ne08000028 E09000001", &known),
            Err(vec!["Bristol".to_string(), "City of".to_string()])
        );
        assert_eq!(
            read_city_region("Bristol, City of\nbirmingham, e08000028 E09000001", &known),
            Ok(vec![
                "E06000023".to_string(),
                "E08000025".to_string(),
                "E08000028".to_string(),
                "E09000001".to_string()
            ])
        );
        assert_eq!(
            read_city_region("Birmingham\nAtlantis", &known),
            Err(vec!["Atlantis".to_string()])
        );
    }

    use super::*;

    fn typed() -> SpendSettingsInput {
        SpendSettingsInput {
            rules: "supplier_kind is public_body\nexpense_type contains pension".into(),
            city_region: "e08000025, E08000028\nE08000029".into(),
            site_radius_km: "2.5".into(),
            supplier_respend_low: "20".into(),
            supplier_respend_high: "40%".into(),
            staff_respend_low: "30".into(),
            staff_respend_high: "55.5".into(),
            local_wages: "£1,000,000".into(),
            all_wages: "3000000".into(),
        }
    }

    #[test]
    fn a_french_form_reads_numbers_typed_the_french_way() {
        let fr = crate::i18n::Locale {
            language: crate::i18n::Language::Fr,
            currency: crate::money::Currency::Eur,
        };
        let s = crate::i18n::with_locale(fr, || {
            SpendSettingsInput {
                site_radius_km: "2,5".into(),
                staff_respend_high: "55,5 %".into(),
                local_wages: "1 000 000,00 €".into(),
                all_wages: "3\u{202f}000\u{202f}000".into(),
                ..typed()
            }
            .validate()
            .unwrap()
        });
        assert_eq!(s, typed().validate().unwrap());
    }

    #[test]
    fn typed_settings_are_read_exactly() {
        let s = typed().validate().unwrap();
        assert_eq!(s.rules.len(), 2);
        assert_eq!(s.city_region, vec!["E08000025", "E08000028", "E08000029"]);
        assert_eq!(s.site_radius_m, 2_500);
        assert_eq!(s.lm3.supplier_respend_bp, (2_000, 4_000));
        assert_eq!(s.lm3.staff_respend_bp, (3_000, 5_550));
        assert_eq!(
            (s.lm3.local_wages, s.lm3.all_wages),
            (100_000_000, 300_000_000)
        );
        // What the form shows reads back to the same settings.
        assert_eq!(SpendSettingsInput::of(&s).validate().unwrap(), s);
    }

    #[test]
    fn every_bad_setting_is_named_at_once() {
        let bad = SpendSettingsInput {
            rules: "supplier_kind is public_body\nmoon phase is full".into(),
            site_radius_km: "0".into(),
            supplier_respend_low: "60".into(),
            supplier_respend_high: "40".into(),
            staff_respend_low: "120".into(),
            local_wages: "5000000".into(),
            all_wages: "-1".into(),
            ..typed()
        };
        let errs = bad.validate().unwrap_err().0;
        let has = |field: &str, key: &str| {
            errs.iter()
                .any(|e| e.field == field && e.message.key == key)
        };
        assert!(has("rules", "anchors.spend.settings.rule_bad"), "{errs:?}");
        assert!(has("site_radius_km", "anchors.spend.settings.radius"));
        assert!(has(
            "supplier_respend_high",
            "anchors.spend.settings.high_below_low"
        ));
        assert!(has("staff_respend_low", "anchors.spend.settings.percent"));
        assert!(has("all_wages", "anchors.spend.settings.negative"));
        // The bad rule is named by its line.
        let rule = errs.iter().find(|e| e.field == "rules").unwrap();
        assert!(
            rule.message
                .args
                .iter()
                .any(|(k, v)| k == "line" && v == "2")
        );
    }

    #[test]
    fn local_wages_cannot_exceed_the_wage_bill() {
        let errs = SpendSettingsInput {
            local_wages: "4000000".into(),
            ..typed()
        }
        .validate()
        .unwrap_err()
        .0;
        assert!(
            errs.iter()
                .any(|e| e.message.key == "anchors.spend.settings.local_wages_above_all")
        );
    }
}
