//! A person's place on their profession's pathway, computed from what they
//! have passed: which steps count, which are next, which passes are about to
//! expire. Nothing here is typed in by a caseworker.

use serde::{Deserialize, Serialize};
use time::Date;

use super::profession::{Minimums, Profession, RuleSet, add_months};

/// A step passed on a day (with the evidence the caseworker saw).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub step: String,
    #[serde(with = "crate::iso_date")]
    pub passed_on: Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnglishTest {
    Ielts,
    Oet,
}

impl EnglishTest {
    pub const ALL: [EnglishTest; 2] = [EnglishTest::Ielts, EnglishTest::Oet];
    pub fn slug(&self) -> &'static str {
        match self {
            EnglishTest::Ielts => "ielts",
            EnglishTest::Oet => "oet",
        }
    }
    pub fn parse(s: &str) -> Option<EnglishTest> {
        Self::ALL.into_iter().find(|t| t.slug() == s.trim())
    }
}

/// A language test result: IELTS bands in tenths, OET on its 0–500 scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageResult {
    pub test: EnglishTest,
    #[serde(with = "crate::iso_date")]
    pub taken_on: Date,
    pub overall: Option<u16>,
    pub listening: u16,
    pub reading: u16,
    pub writing: u16,
    pub speaking: u16,
}

impl LanguageResult {
    /// The components below the minimums, by name.
    pub fn shortfalls(&self, min: &Minimums) -> Vec<&'static str> {
        let mut v = Vec::new();
        if let Some(o) = min.overall
            && self.overall.is_none_or(|s| s < o)
        {
            v.push("overall");
        }
        for (name, got, need) in [
            ("listening", self.listening, min.listening),
            ("reading", self.reading, min.reading),
            ("writing", self.writing, min.writing),
            ("speaking", self.speaking, min.speaking),
        ] {
            if got < need {
                v.push(name);
            }
        }
        v
    }

    /// Whether it meets the English requirement of `rules` (the rules in
    /// force on the day of the test).
    pub fn meets(&self, rules: &RuleSet) -> bool {
        let Some(req) = &rules.english else {
            return false;
        };
        let min = match self.test {
            EnglishTest::Ielts => req.ielts.as_ref(),
            EnglishTest::Oet => req.oet.as_ref(),
        };
        min.is_some_and(|m| self.shortfalls(m).is_empty())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum StepState {
    /// Passed and counting (`expires_on` when it lapses).
    Passed {
        passed_on: Date,
        expires_on: Option<Date>,
    },
    /// Passed, but lapsed before the steps that need it were passed.
    Expired { passed_on: Date, expired_on: Date },
    /// Not passed; every prerequisite counts: this is a next step.
    Next,
    /// Not passed, waiting for the listed prerequisites.
    Waiting { missing: Vec<String> },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepProgress {
    pub code: String,
    pub name: String,
    pub cost_pence: Option<i64>,
    pub typical_weeks: Option<u32>,
    pub state: StepState,
}

/// A pass that lapses soon while a step that needs it is still to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpiryWarning {
    pub step: String,
    #[serde(with = "crate::iso_date")]
    pub expires_on: Date,
    pub days_left: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub profession: String,
    #[serde(with = "crate::iso_date")]
    pub rules_from: Date,
    pub steps: Vec<StepProgress>,
    pub registered: bool,
    /// Codes of the steps that can be taken now.
    pub next: Vec<String>,
    pub warnings: Vec<ExpiryWarning>,
    /// The furthest step passed and counting, if any.
    pub current_stage: Option<String>,
    /// Fees of the steps still to pass, at today's rules (known fees only).
    pub remaining_cost_pence: i64,
    pub remaining_weeks: u32,
}

impl Progress {
    pub fn counts(&self, step: &str) -> bool {
        self.registered
            || self
                .steps
                .iter()
                .any(|s| s.code == step && matches!(s.state, StepState::Passed { .. }))
    }
    pub fn started(&self) -> bool {
        self.steps.iter().any(|s| {
            matches!(
                s.state,
                StepState::Passed { .. } | StepState::Expired { .. }
            )
        })
    }
}

/// Days before a pass lapses that a warning shows.
pub const WARN_DAYS: i64 = 90;

/// Where a person stands on `profession`'s pathway on `today`.
///
/// The steps are today's rules; each pass keeps the validity of the rules in
/// force on the day it was passed. A prerequisite's expiry matters only while
/// a step that needs it is still to do. An English step is met by the
/// latest test that reached the thresholds in force on its day, or by a
/// recorded pass (other evidence).
pub fn progress(
    profession: &Profession,
    records: &[StepRecord],
    tests: &[LanguageResult],
    today: Date,
) -> Progress {
    let rules = profession.rules_at(today);
    let last_pass = |step: &super::profession::Step| -> Option<Date> {
        let recorded = records
            .iter()
            .filter(|r| r.step == step.code && r.passed_on <= today)
            .map(|r| r.passed_on)
            .max();
        let by_test = if step.english {
            tests
                .iter()
                .filter(|t| t.taken_on <= today && t.meets(profession.rules_at(t.taken_on)))
                .map(|t| t.taken_on)
                .max()
        } else {
            None
        };
        recorded.max(by_test)
    };
    let expiry = |code: &str, passed_on: Date| -> Option<Date> {
        let months = profession
            .rules_at(passed_on)
            .step(code)
            .or_else(|| rules.step(code))
            .and_then(|s| s.valid_months)?;
        Some(add_months(passed_on, months))
    };
    let passes: Vec<Option<Date>> = rules.steps.iter().map(last_pass).collect();
    let registered = rules
        .steps
        .iter()
        .zip(&passes)
        .any(|(s, p)| s.registration && p.is_some());
    // Later steps first: a pass's expiry matters only while a later step
    // that needs it is not passed and counting.
    let mut states: Vec<StepState> = vec![StepState::Next; rules.steps.len()];
    for i in (0..rules.steps.len()).rev() {
        let s = &rules.steps[i];
        let Some(passed_on) = passes[i] else { continue };
        let needed = !registered
            && rules.steps[i + 1..]
                .iter()
                .zip(&states[i + 1..])
                .any(|(later, st)| {
                    !matches!(st, StepState::Passed { .. }) && later.requires.contains(&s.code)
                });
        let expires_on = expiry(&s.code, passed_on).filter(|_| needed);
        states[i] = match expires_on {
            Some(e) if e <= today => StepState::Expired {
                passed_on,
                expired_on: e,
            },
            _ => StepState::Passed {
                passed_on,
                expires_on,
            },
        };
    }
    let counting = |code: &str, states: &[StepState]| {
        rules
            .steps
            .iter()
            .zip(states)
            .any(|(s, st)| s.code == code && matches!(st, StepState::Passed { .. }))
    };
    let mut resolved = states.clone();
    for (i, s) in rules.steps.iter().enumerate() {
        if matches!(states[i], StepState::Next | StepState::Expired { .. }) {
            let missing: Vec<String> = s
                .requires
                .iter()
                .filter(|q| !counting(q, &states))
                .cloned()
                .collect();
            if !missing.is_empty() && matches!(states[i], StepState::Next) {
                resolved[i] = StepState::Waiting { missing };
            }
        }
    }
    let steps: Vec<StepProgress> = rules
        .steps
        .iter()
        .zip(resolved)
        .map(|(s, state)| StepProgress {
            code: s.code.clone(),
            name: s.name.clone(),
            cost_pence: s.cost_pence,
            typical_weeks: s.typical_weeks,
            state,
        })
        .collect();
    let next: Vec<String> = if registered {
        Vec::new()
    } else {
        steps
            .iter()
            .filter(|s| match &s.state {
                StepState::Next => true,
                StepState::Expired { .. } => rules
                    .step(&s.code)
                    .is_some_and(|d| d.requires.iter().all(|q| counting(q, &states))),
                _ => false,
            })
            .map(|s| s.code.clone())
            .collect()
    };
    let warnings = steps
        .iter()
        .filter_map(|s| match s.state {
            StepState::Passed {
                expires_on: Some(e),
                ..
            } => {
                let days_left = (e - today).whole_days();
                (days_left <= WARN_DAYS).then(|| ExpiryWarning {
                    step: s.code.clone(),
                    expires_on: e,
                    days_left,
                })
            }
            _ => None,
        })
        .collect();
    let current_stage = steps
        .iter()
        .rev()
        .find(|s| matches!(s.state, StepState::Passed { .. }))
        .map(|s| s.code.clone());
    let todo = steps
        .iter()
        .filter(|s| !matches!(s.state, StepState::Passed { .. }) && !registered);
    let (remaining_cost_pence, remaining_weeks) = todo.fold((0, 0), |(c, w), s| {
        (
            c + s.cost_pence.unwrap_or(0),
            w + s.typical_weeks.unwrap_or(0),
        )
    });
    Progress {
        profession: profession.code.clone(),
        rules_from: rules.from,
        steps,
        registered,
        next,
        warnings,
        current_stage,
        remaining_cost_pence,
        remaining_weeks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::talent::profession::{Professions, parse_profession};
    use time::macros::date;

    /// A made-up profession whose exam pass counted for 24 months until the
    /// end of 2022 and for 36 months from 2023.
    fn made_up() -> Profession {
        let text = r#"
code = "made_up"
name = "Made up"
regulator = "R"
registered_band = "5"
[[rules]]
from = "2020-01-01"
to = "2022-12-31"
[rules.english]
valid_months = 24
ielts = { overall = 7.0, each = 6.5 }
[[rules.steps]]
code = "english"
name = "English"
english = true
[[rules.steps]]
code = "exam"
name = "Exam"
requires = ["english"]
cost = "100"
valid_months = 24
[[rules.steps]]
code = "registration"
name = "Registration"
requires = ["exam"]
cost = "50"
registration = true
[[rules]]
from = "2023-01-01"
[rules.english]
valid_months = 24
ielts = { overall = 7.5, each = 7.0 }
[[rules.steps]]
code = "english"
name = "English"
english = true
[[rules.steps]]
code = "exam"
name = "Exam"
requires = ["english"]
cost = "120"
valid_months = 36
[[rules.steps]]
code = "registration"
name = "Registration"
requires = ["exam"]
cost = "60"
registration = true
"#;
        parse_profession("made_up.toml", text).unwrap()
    }

    fn rec(step: &str, d: Date) -> StepRecord {
        StepRecord {
            step: step.into(),
            passed_on: d,
        }
    }

    fn ielts(d: Date, overall: u16, each: u16) -> LanguageResult {
        LanguageResult {
            test: EnglishTest::Ielts,
            taken_on: d,
            overall: Some(overall),
            listening: each,
            reading: each,
            writing: each,
            speaking: each,
        }
    }

    #[test]
    fn nothing_passed_means_the_first_step_is_next() {
        let p = progress(&made_up(), &[], &[], date!(2024 - 01 - 01));
        assert_eq!(p.next, vec!["english"]);
        assert!(!p.registered && !p.started());
        assert_eq!(p.remaining_cost_pence, 18000);
        assert_eq!(
            p.steps[1].state,
            StepState::Waiting {
                missing: vec!["english".into()]
            }
        );
    }

    #[test]
    fn a_test_meets_english_by_the_thresholds_of_its_own_day() {
        let prof = made_up();
        // 7.0 / 6.5 met the 2022 thresholds but not the 2023 ones.
        let old = ielts(date!(2022 - 10 - 01), 70, 65);
        let new = ielts(date!(2023 - 02 - 01), 70, 65);
        let p = progress(
            &prof,
            &[],
            std::slice::from_ref(&old),
            date!(2023 - 06 - 01),
        );
        assert_eq!(p.next, vec!["exam"]);
        let p = progress(
            &prof,
            std::slice::from_ref(&rec("x", date!(2020 - 01 - 01))),
            &[new],
            date!(2023 - 06 - 01),
        );
        assert_eq!(p.next, vec!["english"]);
    }

    #[test]
    fn a_pass_keeps_the_validity_of_the_rules_on_its_day() {
        let prof = made_up();
        let english = ielts(date!(2022 - 01 - 10), 75, 70);
        // Passed under the 2022 rules: counts for 24 months, to 2024-06-01.
        let before = [rec("exam", date!(2022 - 06 - 01))];
        // Passed under the 2023 rules: counts for 36 months, to 2026-02-01.
        let after = [rec("exam", date!(2023 - 02 - 01))];
        let day = date!(2024 - 05 - 01);
        let p = progress(&prof, &before, std::slice::from_ref(&english), day);
        assert_eq!(p.next, vec!["registration"]);
        assert_eq!(
            p.warnings,
            vec![ExpiryWarning {
                step: "exam".into(),
                expires_on: date!(2024 - 06 - 01),
                days_left: 31
            }]
        );
        let p = progress(&prof, &after, std::slice::from_ref(&english), day);
        assert!(p.warnings.is_empty());
        // After 2024-06-01 the old pass has lapsed and the exam is next again.
        let later = date!(2024 - 07 - 01);
        let p = progress(&prof, &before, std::slice::from_ref(&english), later);
        // English (24 months from 2022-01-10) lapsed too: it comes first.
        assert_eq!(p.next, vec!["english"]);
        assert!(
            matches!(p.steps[1].state, StepState::Expired { expired_on, .. } if expired_on == date!(2024 - 06 - 01))
        );
        let p = progress(&prof, &after, std::slice::from_ref(&english), later);
        assert_eq!(p.next, vec!["registration"]);
        assert_eq!(p.remaining_cost_pence, 6000, "today's fee");
    }

    #[test]
    fn registration_ends_the_pathway_and_its_warnings() {
        let prof = made_up();
        let english = ielts(date!(2022 - 01 - 10), 75, 70);
        let recs = [
            rec("exam", date!(2022 - 06 - 01)),
            rec("registration", date!(2022 - 09 - 01)),
        ];
        let p = progress(&prof, &recs, &[english], date!(2025 - 01 - 01));
        assert!(p.registered);
        assert!(p.next.is_empty() && p.warnings.is_empty());
        assert_eq!(p.current_stage.as_deref(), Some("registration"));
        assert!(p.counts("exam"));
    }

    #[test]
    fn a_doctor_half_way() {
        let doctor = Professions::shipped().get("doctor").unwrap().clone();
        let oet = LanguageResult {
            test: EnglishTest::Oet,
            taken_on: date!(2024 - 03 - 01),
            overall: None,
            listening: 360,
            reading: 350,
            writing: 350,
            speaking: 400,
        };
        let recs = [rec("plab1", date!(2024 - 09 - 01))];
        let p = progress(
            &doctor,
            &recs,
            std::slice::from_ref(&oet),
            date!(2026 - 07 - 01),
        );
        assert_eq!(p.next, vec!["english", "plab2"]);
        assert_eq!(p.current_stage.as_deref(), Some("plab1"));
        // PLAB 1 lapses on 2026-09-01 (24 months): warned 62 days ahead.
        assert_eq!(p.warnings[0].step, "plab1");
        assert_eq!(p.warnings[0].days_left, 62);
        // English is needed for registration too, and lapsed on 2026-03-01.
        assert!(matches!(p.steps[0].state, StepState::Expired { .. }));
        let mut weak = oet;
        weak.writing = 300;
        assert_eq!(
            weak.shortfalls(
                doctor
                    .rules_at(weak.taken_on)
                    .english
                    .as_ref()
                    .unwrap()
                    .oet
                    .as_ref()
                    .unwrap()
            ),
            vec!["writing"]
        );
    }
}
