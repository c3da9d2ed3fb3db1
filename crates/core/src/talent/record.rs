//! A change to a person's records (a step passed, an English result, a
//! barrier, support, a note, consent withdrawn, work) as typed on the
//! person's page or sent to the API, checked into a [`RecordChange`].

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::casework::{Barrier, Support, WorkOutcome};
use super::pathway::{EnglishTest, LanguageResult};
use super::person::RecordChange;
use super::profession::{Professions, oet_grade_score};
use crate::i18n::Message;
use crate::money::parse_pence;
use crate::validation::{Errors, Invalid};

/// Every sub-form on a person's page, as typed: `action` says which.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RecordInput {
    /// `step`, `language`, `barrier`, `resolve_barrier`, `support`, `note`, `withdraw_consent` or `work`.
    pub action: String,
    pub step: String,
    pub passed_on: String,
    pub evidence: String,
    /// `ielts` or `oet`.
    pub test: String,
    pub taken_on: String,
    /// IELTS bands (7.5) or OET scores (350) or grades (B).
    pub overall: String,
    pub listening: String,
    pub reading: String,
    pub writing: String,
    pub speaking: String,
    pub barrier: String,
    pub rule: String,
    pub raised_on: String,
    pub barrier_note: String,
    pub barrier_id: String,
    pub resolved_on: String,
    pub support: String,
    pub given_on: String,
    pub cost: String,
    pub support_note: String,
    pub note: String,
    pub withdrawn_on: String,
    pub work: String,
    pub work_on: String,
}

fn score(
    e: &mut Errors,
    field: &str,
    raw: &str,
    test: Option<EnglishTest>,
    required: bool,
) -> Option<u16> {
    let raw = raw.trim();
    if raw.is_empty() {
        if required {
            e.add(field, Message::new("talent.language.score_needed"));
        }
        return None;
    }
    let v = match test {
        Some(EnglishTest::Ielts) => crate::i18n::typed_number(raw)
            .parse::<f64>()
            .ok()
            .filter(|v| (0.0..=9.0).contains(v) && ((v * 2.0).fract() == 0.0))
            .map(|v| (v * 10.0).round() as u16),
        Some(EnglishTest::Oet) => {
            oet_grade_score(raw).or_else(|| raw.parse::<u16>().ok().filter(|v| *v <= 500))
        }
        None => return None,
    };
    if v.is_none() {
        e.add(
            field,
            Message::new("talent.language.bad_score").arg("value", raw),
        );
    }
    v
}

impl RecordInput {
    /// The change the form asks for, for a person of `profession`.
    pub fn validate(&self, profession: &str, today: Date) -> Result<RecordChange, Invalid> {
        let mut e = Errors::new();
        let not_future = |e: &mut Errors, field: &str, d: Option<Date>| {
            if d.is_some_and(|d| d > today) {
                e.add(field, Message::new("talent.record.date_in_future"));
            }
            d
        };
        let change = match self.action.as_str() {
            "step" => {
                let known = Professions::shipped()
                    .get(profession)
                    .map(|p| p.rules.iter().any(|r| r.step(self.step.trim()).is_some()))
                    .unwrap_or(false);
                if !known {
                    e.add("step", Message::new("talent.record.unknown_step"));
                }
                let passed_on = e.required_date("passed_on", &self.passed_on);
                let passed_on = not_future(&mut e, "passed_on", passed_on);
                let evidence = e
                    .optional("evidence", &self.evidence, 500)
                    .unwrap_or_default();
                passed_on.map(|passed_on| RecordChange::Step {
                    step: self.step.trim().to_string(),
                    passed_on,
                    evidence,
                })
            }
            "language" => {
                let test = EnglishTest::parse(&self.test);
                if test.is_none() {
                    e.add("test", Message::new("talent.language.choose_test"));
                }
                let taken_on = e.required_date("taken_on", &self.taken_on);
                let taken_on = not_future(&mut e, "taken_on", taken_on);
                let overall = score(
                    &mut e,
                    "overall",
                    &self.overall,
                    test,
                    test == Some(EnglishTest::Ielts),
                );
                let l = score(&mut e, "listening", &self.listening, test, true);
                let r = score(&mut e, "reading", &self.reading, test, true);
                let w = score(&mut e, "writing", &self.writing, test, true);
                let s = score(&mut e, "speaking", &self.speaking, test, true);
                match (test, taken_on, l, r, w, s) {
                    (
                        Some(test),
                        Some(taken_on),
                        Some(listening),
                        Some(reading),
                        Some(writing),
                        Some(speaking),
                    ) => Some(RecordChange::Language(LanguageResult {
                        test,
                        taken_on,
                        overall,
                        listening,
                        reading,
                        writing,
                        speaking,
                    })),
                    _ => None,
                }
            }
            "barrier" => {
                let barrier = Barrier::parse(&self.barrier);
                if barrier.is_none() {
                    e.add("barrier", Message::new("talent.barrier.choose"));
                }
                let rule = e.optional("rule", &self.rule, 200);
                if barrier == Some(Barrier::EmployerRule) && rule.is_none() {
                    e.add("rule", Message::new("talent.barrier.rule_needed"));
                }
                let raised_on = e.required_date("raised_on", &self.raised_on);
                let raised_on = not_future(&mut e, "raised_on", raised_on);
                let note = e
                    .optional("barrier_note", &self.barrier_note, 1000)
                    .unwrap_or_default();
                barrier
                    .zip(raised_on)
                    .map(|(barrier, raised_on)| RecordChange::Barrier {
                        barrier,
                        rule,
                        raised_on,
                        note,
                    })
            }
            "resolve_barrier" => {
                let id = Uuid::parse_str(self.barrier_id.trim()).ok();
                if id.is_none() {
                    e.add("barrier_id", Message::new("talent.barrier.choose"));
                }
                let resolved_on = e.required_date("resolved_on", &self.resolved_on);
                let resolved_on = not_future(&mut e, "resolved_on", resolved_on);
                id.zip(resolved_on)
                    .map(|(id, resolved_on)| RecordChange::ResolveBarrier { id, resolved_on })
            }
            "support" => {
                let kind = Support::parse(&self.support);
                if kind.is_none() {
                    e.add("support", Message::new("talent.support.choose"));
                }
                let given_on = e.required_date("given_on", &self.given_on);
                let cost_pence = match self.cost.trim() {
                    "" => 0,
                    c => match parse_pence(&crate::i18n::typed_number(c)) {
                        Ok(p) if p >= 0 => p,
                        _ => {
                            e.add(
                                "cost",
                                Message::new("talent.support.bad_cost").arg("value", c),
                            );
                            0
                        }
                    },
                };
                let note = e
                    .optional("support_note", &self.support_note, 1000)
                    .unwrap_or_default();
                kind.zip(given_on)
                    .map(|(kind, given_on)| RecordChange::Support {
                        kind,
                        given_on,
                        cost_pence,
                        note,
                    })
            }
            "note" => {
                let body = e.required("note", &self.note, 5000);
                Some(RecordChange::Note { body })
            }
            "withdraw_consent" => {
                let on = e.required_date("withdrawn_on", &self.withdrawn_on);
                let on = not_future(&mut e, "withdrawn_on", on);
                on.map(|on| RecordChange::WithdrawConsent { on })
            }
            "work" => {
                let work = WorkOutcome::parse(&self.work);
                if work.is_none() {
                    e.add("work", Message::new("talent.work.choose"));
                }
                let on = e.optional_date("work_on", &self.work_on);
                if work.is_some_and(|w| w != WorkOutcome::NoneYet)
                    && on.is_none()
                    && self.work_on.trim().is_empty()
                {
                    e.add("work_on", Message::new("talent.work.date_needed"));
                }
                work.map(|work| RecordChange::Work { work, on })
            }
            _ => {
                e.add("action", Message::new("talent.record.unknown_action"));
                None
            }
        };
        e.finish(|| change.expect("no errors means a change"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 30);

    fn input(action: &str, fields: &[(&str, &str)]) -> RecordInput {
        let mut v = serde_json::json!({ "action": action });
        for (k, val) in fields {
            v[*k] = serde_json::json!(val);
        }
        serde_json::from_value(v).unwrap()
    }

    fn fields(r: Result<RecordChange, Invalid>) -> Vec<String> {
        match r {
            Ok(c) => panic!("accepted: {c:?}"),
            Err(Invalid(errs)) => errs.into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn a_step_must_be_on_the_persons_pathway_and_not_in_the_future() {
        let ok = input(
            "step",
            &[
                ("step", " plab1 "),
                ("passed_on", "2026-09-01"),
                ("evidence", "GMC letter"),
            ],
        );
        assert_eq!(
            ok.validate("doctor", TODAY),
            Ok(RecordChange::Step {
                step: "plab1".into(),
                passed_on: date!(2026 - 09 - 01),
                evidence: "GMC letter".into()
            })
        );
        let other = input("step", &[("step", "osce"), ("passed_on", "2099-01-01")]);
        assert_eq!(
            fields(other.validate("doctor", TODAY)),
            ["step", "passed_on"]
        );
    }

    #[test]
    fn english_scores_are_read_as_each_test_writes_them() {
        let ielts = input(
            "language",
            &[
                ("test", "ielts"),
                ("taken_on", "2026-06-01"),
                ("overall", "7.5"),
                ("listening", "7.5"),
                ("reading", "7"),
                ("writing", "7"),
                ("speaking", "8"),
            ],
        );
        let Ok(RecordChange::Language(r)) = ielts.validate("doctor", TODAY) else {
            panic!("IELTS not accepted");
        };
        assert_eq!((r.overall, r.listening, r.speaking), (Some(75), 75, 80));
        // OET takes grades or scores, and needs no overall.
        let oet = input(
            "language",
            &[
                ("test", "oet"),
                ("taken_on", "2026-06-01"),
                ("listening", "B"),
                ("reading", "350"),
                ("writing", "C+"),
                ("speaking", "400"),
            ],
        );
        let Ok(RecordChange::Language(r)) = oet.validate("nurse", TODAY) else {
            panic!("OET not accepted");
        };
        assert_eq!((r.overall, r.listening, r.reading), (None, 350, 350));
        // A band between halves, and a missing component, are named.
        let bad = input(
            "language",
            &[
                ("test", "ielts"),
                ("taken_on", "2026-06-01"),
                ("overall", "7.3"),
                ("listening", "7"),
                ("reading", "7"),
                ("writing", "7"),
            ],
        );
        assert_eq!(
            fields(bad.validate("doctor", TODAY)),
            ["overall", "speaking"]
        );
    }

    #[test]
    fn an_employer_rule_barrier_names_the_rule() {
        let bad = input(
            "barrier",
            &[("barrier", "employer_rule"), ("raised_on", "2026-01-01")],
        );
        assert_eq!(fields(bad.validate("doctor", TODAY)), ["rule"]);
        let ok = input(
            "barrier",
            &[
                ("barrier", "employer_rule"),
                ("rule", "Two UK references required"),
                ("raised_on", "2026-01-01"),
            ],
        );
        assert!(matches!(
            ok.validate("doctor", TODAY),
            Ok(RecordChange::Barrier { rule: Some(_), .. })
        ));
    }

    #[test]
    fn support_costs_are_money_and_work_needs_its_day() {
        let s = input(
            "support",
            &[
                ("support", "funded_exam"),
                ("given_on", "2026-02-01"),
                ("cost", "£255.00"),
            ],
        );
        assert!(matches!(
            s.validate("doctor", TODAY),
            Ok(RecordChange::Support {
                cost_pence: 25_500,
                ..
            })
        ));
        let bad = input(
            "support",
            &[
                ("support", "funded_exam"),
                ("given_on", "2026-02-01"),
                ("cost", "-5"),
            ],
        );
        assert_eq!(fields(bad.validate("doctor", TODAY)), ["cost"]);
        let work = input("work", &[("work", "care_sector")]);
        assert_eq!(fields(work.validate("doctor", TODAY)), ["work_on"]);
        let none = input("work", &[("work", "none")]);
        assert_eq!(
            none.validate("doctor", TODAY),
            Ok(RecordChange::Work {
                work: WorkOutcome::NoneYet,
                on: None
            })
        );
    }

    #[test]
    fn an_unknown_action_is_refused() {
        assert_eq!(
            fields(input("dance", &[]).validate("doctor", TODAY)),
            ["action"]
        );
        assert_eq!(
            fields(input("note", &[]).validate("doctor", TODAY)),
            ["note"]
        );
    }
}
