//! What a re-spend survey says about LM3's third round (issue 19 item 3):
//! the share of their income that the anchor's staff and its suppliers
//! re-spend locally, each as a low–high range with the number of responses
//! it rests on.
//!
//! A questionnaire is a re-spend survey when it asks who answers
//! ([`RESPONDENT`], one choice of which `staff` and `supplier` are two) and
//! what share of their spending stays local ([`SHARE`], a whole or decimal
//! number of per cent). The demo's questionnaire and the template below ask
//! both. Each group's range is the 95% confidence interval of its mean
//! share (Student's t for small groups), kept within 0–100%: the more the
//! answers agree and the more there are, the narrower the range.

use serde::Serialize;

use super::questionnaire::{Answer, Answers, QuestionKind, Questionnaire};
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// The question saying who answers.
pub const RESPONDENT: &str = "respondent";
/// Its choice for the anchor's own staff.
pub const STAFF: &str = "staff";
/// Its choice for a supplier (or a supplier's staff).
pub const SUPPLIER: &str = "supplier";
/// The question asking what share (per cent) of spending stays local.
pub const SHARE: &str = "share_local";
/// The fewest answers a group's range may rest on.
pub const MIN_RESPONSES: u64 = 5;

/// One group's re-spend share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ShareRange {
    /// The answers it rests on.
    pub responses: u64,
    /// The mean share, in basis points (4,540 = 45.4%).
    pub mean_bp: i64,
    pub low_bp: i64,
    pub high_bp: i64,
}

/// What a re-spend survey says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Respend {
    pub staff: ShareRange,
    pub suppliers: ShareRange,
    /// Responses left out: no group, another group, or no share between 0
    /// and 100%.
    pub left_out: u64,
}

/// Student's t at 97.5% for 1 to 30 degrees of freedom.
const T_975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];

fn t_975(degrees: usize) -> f64 {
    match degrees {
        0 => f64::INFINITY,
        1..=30 => T_975[degrees - 1],
        31..=60 => 2.000,
        61..=120 => 1.980,
        _ => 1.960,
    }
}

/// The mean's 95% interval of shares given in per cent.
fn range(shares: &[f64]) -> ShareRange {
    let n = shares.len();
    let mean = shares.iter().sum::<f64>() / n as f64;
    let spread = if n > 1 {
        let var = shares.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        t_975(n - 1) * (var / n as f64).sqrt()
    } else {
        f64::INFINITY
    };
    let bp = |p: f64| ((p.clamp(0.0, 100.0) * 100.0).round()) as i64;
    ShareRange {
        responses: n as u64,
        mean_bp: bp(mean),
        low_bp: bp(mean - spread),
        high_bp: bp(mean + spread),
    }
}

/// The share answered, when it is a number from 0 to 100.
fn share(a: Option<&Answer>) -> Option<f64> {
    let v = match a? {
        Answer::Integer(n) => *n as f64,
        Answer::Decimal(d) => *d,
        _ => return None,
    };
    (v.is_finite() && (0.0..=100.0).contains(&v)).then_some(v)
}

/// Checks that `q` asks what a re-spend survey needs; returns the paths of
/// the two questions.
pub fn questions(q: &Questionnaire) -> Result<(String, String), Invalid> {
    let mut e = Errors::new();
    let respondent = q.questions.iter().find(|x| x.name == RESPONDENT);
    match respondent {
        Some(x)
            if x.kind == QuestionKind::SelectOne
                && x.choice(STAFF).is_some()
                && x.choice(SUPPLIER).is_some() => {}
        _ => e.add(
            RESPONDENT,
            Message::new("research.respend.no_respondent")
                .arg("question", RESPONDENT)
                .arg("staff", STAFF)
                .arg("supplier", SUPPLIER),
        ),
    }
    let share_q = q.questions.iter().find(|x| x.name == SHARE);
    match share_q {
        Some(x) if matches!(x.kind, QuestionKind::Integer | QuestionKind::Decimal) => {}
        _ => e.add(
            SHARE,
            Message::new("research.respend.no_share").arg("question", SHARE),
        ),
    }
    e.finish(|| {
        (
            respondent.map(|x| x.path()).unwrap_or_default(),
            share_q.map(|x| x.path()).unwrap_or_default(),
        )
    })
}

/// The staff's and the suppliers' re-spend shares from a re-spend survey's
/// responses. Refused, naming the question or the group, when the
/// questionnaire does not ask what is needed or a group has fewer than
/// [`MIN_RESPONSES`] usable answers.
pub fn respend<'a>(
    q: &Questionnaire,
    responses: impl IntoIterator<Item = &'a Answers>,
) -> Result<Respend, Invalid> {
    let (who, what) = questions(q)?;
    let (mut staff, mut suppliers, mut left_out) = (Vec::new(), Vec::new(), 0u64);
    for answers in responses {
        let group = match answers.get(&who) {
            Some(Answer::One(c)) if c == STAFF => Some(&mut staff),
            Some(Answer::One(c)) if c == SUPPLIER => Some(&mut suppliers),
            _ => None,
        };
        match (group, share(answers.get(&what))) {
            (Some(g), Some(s)) => g.push(s),
            _ => left_out += 1,
        }
    }
    let mut e = Errors::new();
    for (field, shares) in [("staff", &staff), ("suppliers", &suppliers)] {
        if (shares.len() as u64) < MIN_RESPONSES {
            e.add(
                field,
                Message::new(format!("research.respend.too_few_{field}"))
                    .arg("count", shares.len())
                    .arg("min", MIN_RESPONSES),
            );
        }
    }
    e.finish(|| Respend {
        staff: range(&staff),
        suppliers: range(&suppliers),
        left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::questionnaire::QuestionInput;

    fn survey() -> Questionnaire {
        let mut q = Questionnaire {
            title: "Where staff and suppliers spend".into(),
            questions: Vec::new(),
        };
        for input in [
            QuestionInput {
                name: RESPONDENT.into(),
                label: "Who are you?".into(),
                kind: "select_one".into(),
                choices: "staff = Hospital staff\nsupplier = A supplier\nvisitor = A visitor"
                    .into(),
                ..Default::default()
            },
            QuestionInput {
                name: SHARE.into(),
                group: "spend".into(),
                label: "Share spent locally (%)".into(),
                kind: "decimal".into(),
                ..Default::default()
            },
        ] {
            let question = input.validate(&q).unwrap();
            q.questions.push(question);
        }
        q
    }

    fn answer(who: &str, share: Option<Answer>) -> Answers {
        let mut a = Answers::new();
        a.insert(RESPONDENT.into(), Answer::One(who.into()));
        if let Some(s) = share {
            a.insert("spend/share_local".into(), s);
        }
        a
    }

    #[test]
    fn shares_by_hand() {
        // Staff: 40, 50, 60, 40, 60 — mean 50, s = 10, t(4) = 2.776:
        // 50 ± 2.776 × 10 / √5 = 50 ± 12.415 → 37.59–62.41%.
        // Suppliers: 20, 20, 20, 20, 20, 30 — mean 21.667, s = 4.082,
        // t(5) = 2.571: ± 4.285 → 17.38–25.95%.
        let mut answers: Vec<Answers> = [40, 50, 60, 40, 60]
            .iter()
            .map(|p| answer(STAFF, Some(Answer::Integer(*p))))
            .collect();
        answers.extend(
            [20.0, 20.0, 20.0, 20.0, 20.0, 30.0]
                .iter()
                .map(|p| answer(SUPPLIER, Some(Answer::Decimal(*p)))),
        );
        // Left out: a visitor, a staff member with no share, one over 100%.
        answers.push(answer("visitor", Some(Answer::Integer(90))));
        answers.push(answer(STAFF, None));
        answers.push(answer(STAFF, Some(Answer::Integer(140))));
        let r = respend(&survey(), &answers).unwrap();
        assert_eq!(
            r.staff,
            ShareRange {
                responses: 5,
                mean_bp: 5_000,
                low_bp: 3_759,
                high_bp: 6_241,
            }
        );
        assert_eq!(
            r.suppliers,
            ShareRange {
                responses: 6,
                mean_bp: 2_167,
                low_bp: 1_738,
                high_bp: 2_595,
            }
        );
        assert_eq!(r.left_out, 3);
    }

    #[test]
    fn a_range_stays_within_0_and_100() {
        let answers: Vec<Answers> = [0, 0, 0, 0, 10, 100, 100, 100, 100, 95]
            .iter()
            .enumerate()
            .map(|(i, p)| {
                answer(
                    if i < 5 { STAFF } else { SUPPLIER },
                    Some(Answer::Integer(*p)),
                )
            })
            .collect();
        let r = respend(&survey(), &answers).unwrap();
        assert_eq!(r.staff.low_bp, 0);
        assert_eq!(r.suppliers.high_bp, 10_000);
        assert!(r.staff.high_bp > r.staff.mean_bp);
    }

    #[test]
    fn too_few_answers_name_the_group() {
        let answers: Vec<Answers> = (0..6)
            .map(|_| answer(STAFF, Some(Answer::Integer(45))))
            .chain((0..2).map(|_| answer(SUPPLIER, Some(Answer::Integer(30)))))
            .collect();
        let err = respend(&survey(), &answers).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].field, "suppliers");
        assert_eq!(err.0[0].message.key, "research.respend.too_few_suppliers");
        // Every answer alike: no spread, the range is the one share.
        let alike: Vec<Answers> = (0..5)
            .map(|_| answer(STAFF, Some(Answer::Integer(45))))
            .chain((0..5).map(|_| answer(SUPPLIER, Some(Answer::Integer(30)))))
            .collect();
        let r = respend(&survey(), &alike).unwrap();
        assert_eq!((r.staff.low_bp, r.staff.high_bp), (4_500, 4_500));
    }

    #[test]
    fn a_questionnaire_without_the_questions_is_named() {
        let mut q = survey();
        q.questions[0].choices.retain(|c| c.name != SUPPLIER);
        q.questions[1].kind = QuestionKind::Text;
        let err = respend(&q, &[]).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, [RESPONDENT, SHARE]);
    }
}
