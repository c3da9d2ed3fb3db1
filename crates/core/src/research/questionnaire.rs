//! A research project's questionnaire and its responses (issue 19 item 3):
//! questions of six kinds (text, whole number, decimal, date, one choice,
//! several choices), defined in the app one at a time or read from an
//! XLSForm (`xlsform`), and answers checked against them, whether typed on
//! the phone form or read from a KoboToolbox / ODK export (`submissions`).
//! A question may be marked personal; free-text answers and personal
//! questions are shown only to the coordinator.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::i18n::Message;
use crate::validation::{Errors, FieldError, Invalid, parse_date};

/// What kind of answer a question takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Text,
    Integer,
    Decimal,
    Date,
    SelectOne,
    SelectMultiple,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 6] = [
        QuestionKind::Text,
        QuestionKind::Integer,
        QuestionKind::Decimal,
        QuestionKind::Date,
        QuestionKind::SelectOne,
        QuestionKind::SelectMultiple,
    ];

    /// The XLSForm type name (`select_one` and `select_multiple` take a
    /// list name after it there).
    pub fn slug(self) -> &'static str {
        match self {
            QuestionKind::Text => "text",
            QuestionKind::Integer => "integer",
            QuestionKind::Decimal => "decimal",
            QuestionKind::Date => "date",
            QuestionKind::SelectOne => "select_one",
            QuestionKind::SelectMultiple => "select_multiple",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionKind> {
        Self::ALL.into_iter().find(|k| k.slug() == s.trim())
    }

    pub fn label_key(self) -> String {
        format!("research.question.kind.{}", self.slug())
    }

    pub fn has_choices(self) -> bool {
        matches!(self, QuestionKind::SelectOne | QuestionKind::SelectMultiple)
    }
}

/// One choice of a select question: the name stored and exported, the
/// label people read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceOption {
    pub name: String,
    pub label: String,
}

/// A question as the questionnaire keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// The name answers are stored and exported under (`spend_local`).
    pub name: String,
    /// The groups it sits in, as an export names them (`household/shop`),
    /// or blank.
    #[serde(default)]
    pub group: String,
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "select_one"))]
    pub kind: QuestionKind,
    #[serde(default)]
    pub choices: Vec<ChoiceOption>,
    #[serde(default)]
    pub required: bool,
    /// Answers that say who someone is: only the coordinator sees them.
    #[serde(default)]
    pub personal: bool,
}

impl Question {
    /// The column an export gives it: `group/name`, or the name alone.
    pub fn path(&self) -> String {
        if self.group.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.group, self.name)
        }
    }

    pub fn choice(&self, name: &str) -> Option<&ChoiceOption> {
        self.choices.iter().find(|c| c.name == name)
    }

    /// Whether only the coordinator may read its answers: free text, and
    /// anything marked personal.
    pub fn restricted(&self) -> bool {
        self.personal || self.kind == QuestionKind::Text
    }

    /// Reads one answer as typed or exported; `Ok(None)` when blank.
    pub fn parse_answer(&self, raw: &str) -> Result<Option<Answer>, Message> {
        let v = raw.trim();
        if v.is_empty() {
            return Ok(None);
        }
        let answer = match self.kind {
            QuestionKind::Text => {
                if v.chars().count() > MAX_TEXT_ANSWER {
                    return Err(Message::new("validation.too_long").arg("max", MAX_TEXT_ANSWER));
                }
                Answer::Text(v.to_string())
            }
            QuestionKind::Integer => match crate::i18n::typed_number(v).parse::<i64>() {
                Ok(n) => Answer::Integer(n),
                Err(_) => {
                    return Err(Message::new("research.answer.not_whole").arg("value", v));
                }
            },
            QuestionKind::Decimal => match crate::i18n::typed_number(v).parse::<f64>() {
                Ok(n) if n.is_finite() && !v.contains(['e', 'E']) => Answer::Decimal(n),
                _ => return Err(Message::new("research.answer.not_number").arg("value", v)),
            },
            QuestionKind::Date => match parse_date(v) {
                Some(d) => Answer::Date(d),
                None => return Err(Message::new("research.answer.bad_date").arg("value", v)),
            },
            QuestionKind::SelectOne => {
                if self.choice(v).is_none() {
                    return Err(self.not_a_choice(v));
                }
                Answer::One(v.to_string())
            }
            QuestionKind::SelectMultiple => {
                let mut picked: Vec<String> = Vec::new();
                for c in v.split_whitespace() {
                    if self.choice(c).is_none() {
                        return Err(self.not_a_choice(c));
                    }
                    if !picked.iter().any(|p| p == c) {
                        picked.push(c.to_string());
                    }
                }
                Answer::Many(picked)
            }
        };
        Ok(Some(answer))
    }

    fn not_a_choice(&self, v: &str) -> Message {
        let names: Vec<&str> = self.choices.iter().map(|c| c.name.as_str()).collect();
        Message::new("research.answer.not_a_choice")
            .arg("value", v)
            .arg("choices", names.join(", "))
    }
}

/// The longest free-text answer kept.
pub const MAX_TEXT_ANSWER: usize = 5000;
/// The most questions a questionnaire holds.
pub const MAX_QUESTIONS: usize = 300;

/// One answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Text(String),
    Integer(i64),
    Decimal(f64),
    Date(#[serde(with = "crate::iso_date")] Date),
    One(String),
    Many(Vec<String>),
}

impl Answer {
    /// As an export writes it: choice names, several separated by spaces.
    pub fn export_text(&self) -> String {
        match self {
            Answer::Text(s) | Answer::One(s) => s.clone(),
            Answer::Integer(n) => n.to_string(),
            Answer::Decimal(n) => n.to_string(),
            Answer::Date(d) => crate::clock::iso_date(*d),
            Answer::Many(v) => v.join(" "),
        }
    }
}

/// A response's answers by question path.
pub type Answers = BTreeMap<String, Answer>;

/// A questionnaire: its title and questions in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Questionnaire {
    pub title: String,
    pub questions: Vec<Question>,
}

impl Questionnaire {
    pub fn question(&self, path: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.path() == path)
    }

    /// Checks a whole questionnaire (one sent to the API, or read from a
    /// file): every question as the one-at-a-time form would check it,
    /// each bad field named `questions/3/name`.
    pub fn validate(&self) -> Result<Questionnaire, Invalid> {
        let mut e = Errors::new();
        let title = e.required("title", &self.title, 200);
        if self.questions.len() > MAX_QUESTIONS {
            e.add(
                "questions",
                Message::new("research.question.too_many").arg("max", MAX_QUESTIONS),
            );
        }
        let mut out = Questionnaire {
            title,
            questions: Vec::new(),
        };
        let mut bad: Vec<FieldError> = e.into_vec();
        for (i, q) in self.questions.iter().enumerate() {
            match QuestionInput::of(q).validate(&out) {
                Ok(q) => out.questions.push(q),
                Err(Invalid(errs)) => bad.extend(errs.into_iter().map(|f| FieldError {
                    field: format!("questions/{i}/{}", f.field),
                    message: f.message,
                })),
            }
        }
        if bad.is_empty() {
            Ok(out)
        } else {
            Err(Invalid(bad))
        }
    }

    /// Checks a response typed on the phone form: `fields` are the form's
    /// pairs (a checkbox question sends its name once per box ticked).
    /// Each bad answer is named by its question's path.
    pub fn check_response(&self, fields: &[(String, String)]) -> Result<Answers, Invalid> {
        let mut e = Errors::new();
        let mut answers = Answers::new();
        for q in &self.questions {
            let path = q.path();
            let given: Vec<&str> = fields
                .iter()
                .filter(|(k, _)| *k == path)
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.trim().is_empty())
                .collect();
            let raw = if q.kind == QuestionKind::SelectMultiple {
                given.join(" ")
            } else {
                given.first().copied().unwrap_or("").to_string()
            };
            match q.parse_answer(&raw) {
                Ok(Some(a)) => {
                    answers.insert(path, a);
                }
                Ok(None) if q.required => {
                    e.add(&path, Message::new("research.answer.required"));
                }
                Ok(None) => {}
                Err(m) => e.add(&path, m),
            }
        }
        if answers.is_empty() && e.is_empty() {
            e.add(
                self.questions
                    .first()
                    .map(|q| q.path())
                    .as_deref()
                    .unwrap_or("questions"),
                Message::new("research.answer.empty"),
            );
        }
        e.finish(|| answers)
    }
}

/// A question as typed on the "add a question" form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct QuestionInput {
    pub name: String,
    pub group: String,
    pub label: String,
    /// `text`, `integer`, `decimal`, `date`, `select_one` or `select_multiple`.
    pub kind: String,
    /// For a select question: one choice a line, `name = Label` or just
    /// the label (its name is then made from it).
    pub choices: String,
    /// `yes` when an answer is needed.
    pub required: String,
    /// `yes` when the answers say who someone is.
    pub personal: String,
}

pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A choice's name: what an export writes for it, so without spaces
/// (several choices are separated by them) and without `=`.
pub(crate) fn is_choice_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= 100
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '=' || c.is_control())
}

/// A name made from a label: `Food & drink` → `food_drink`.
pub fn name_from_label(label: &str) -> String {
    let mut out = String::new();
    for c in label.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("_{out}"),
        _ => out,
    }
}

fn yes(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "yes" | "true" | "true()" | "1" | "on"
    )
}

impl QuestionInput {
    /// The form a kept question would show.
    pub fn of(q: &Question) -> QuestionInput {
        QuestionInput {
            name: q.name.clone(),
            group: q.group.clone(),
            label: q.label.clone(),
            kind: q.kind.slug().into(),
            choices: q
                .choices
                .iter()
                .map(|c| format!("{} = {}", c.name, c.label))
                .collect::<Vec<_>>()
                .join("\n"),
            required: if q.required { "yes" } else { "" }.into(),
            personal: if q.personal { "yes" } else { "" }.into(),
        }
    }

    /// Checks the question against those already in `questionnaire` (a
    /// path may be used once).
    pub fn validate(&self, questionnaire: &Questionnaire) -> Result<Question, Invalid> {
        let mut e = Errors::new();
        let name = e.required("name", &self.name, 100);
        if !name.is_empty() && !is_name(&name) {
            e.add(
                "name",
                Message::new("research.question.bad_name").arg("value", &name),
            );
        }
        let group = e
            .optional("group", &self.group, 200)
            .unwrap_or_default()
            .trim_matches('/')
            .to_string();
        if !group.is_empty() && !group.split('/').all(is_name) {
            e.add(
                "group",
                Message::new("research.question.bad_group").arg("value", &group),
            );
        }
        let label = super::required(
            &mut e,
            "label",
            &self.label,
            500,
            "research.question.label_required",
        );
        let kind = QuestionKind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", Message::new("research.question.kind_required"));
        }
        let mut choices: Vec<ChoiceOption> = Vec::new();
        let mut choice_error = false;
        if kind.is_some_and(QuestionKind::has_choices) {
            for line in self
                .choices
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                let (n, l) = match line.split_once('=') {
                    Some((n, l)) if is_choice_name(n.trim()) => {
                        (n.trim().to_string(), l.trim().to_string())
                    }
                    _ => (
                        name_from_label(line).trim_start_matches('_').to_string(),
                        line.to_string(),
                    ),
                };
                if !is_choice_name(&n) {
                    choice_error = true;
                    e.add(
                        "choices",
                        Message::new("research.question.bad_choice").arg("value", line),
                    );
                } else if choices.iter().any(|c| c.name == n) {
                    choice_error = true;
                    e.add(
                        "choices",
                        Message::new("research.question.choice_twice").arg("value", &n),
                    );
                } else {
                    let label = if l.is_empty() { n.clone() } else { l };
                    choices.push(ChoiceOption { name: n, label });
                }
            }
            if choices.len() < 2 && !choice_error {
                e.add(
                    "choices",
                    Message::new("research.question.choices_required"),
                );
            }
        }
        let q = Question {
            name,
            group,
            label,
            kind: kind.unwrap_or(QuestionKind::Text),
            choices,
            required: yes(&self.required),
            personal: yes(&self.personal),
        };
        if e.is_empty() && questionnaire.question(&q.path()).is_some() {
            e.add(
                "name",
                Message::new("research.question.taken").arg("value", q.path()),
            );
        }
        if e.is_empty() && questionnaire.questions.len() >= MAX_QUESTIONS {
            e.add(
                "name",
                Message::new("research.question.too_many").arg("max", MAX_QUESTIONS),
            );
        }
        e.finish(|| q)
    }
}

/// Where a response came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseSource {
    /// Typed on the phone form.
    Form,
    /// Read from a KoboToolbox or ODK export.
    Import,
}

impl ResponseSource {
    pub fn slug(self) -> &'static str {
        match self {
            ResponseSource::Form => "form",
            ResponseSource::Import => "import",
        }
    }
    pub fn parse(s: &str) -> Option<ResponseSource> {
        match s {
            "form" => Some(ResponseSource::Form),
            "import" => Some(ResponseSource::Import),
            _ => None,
        }
    }
}

/// A response to be kept: the export's `_uuid` (or a new one for the
/// form), when it was submitted, and its answers.
#[derive(Clone, Debug, PartialEq)]
pub struct NewResponse {
    pub uuid: String,
    pub submitted_at: Option<OffsetDateTime>,
    pub answers: Answers,
    pub source: ResponseSource,
}

/// A response kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub id: Uuid,
    pub uuid: String,
    pub submitted_at: Option<OffsetDateTime>,
    pub answers: Answers,
    pub source: ResponseSource,
    pub created_at: OffsetDateTime,
}

/// What one question's answers come to.
#[derive(Clone, Debug, PartialEq)]
pub enum Tally {
    /// How many chose each choice, in the questionnaire's order.
    Choices(Vec<(ChoiceOption, u64)>),
    /// Numbers: the smallest, the mean and the largest.
    Numbers { min: f64, mean: f64, max: f64 },
    /// Dates: the first and the last.
    Dates { first: Date, last: Date },
    /// Free text (or a personal question): the answers themselves, for
    /// the coordinator only; others see only how many answered.
    Texts(Vec<String>),
}

/// A question with its tally and how many answered it.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionResult {
    pub question: Question,
    pub answered: u64,
    pub tally: Option<Tally>,
}

/// Sums the responses question by question. Restricted questions (free
/// text, personal) get their answers listed only when `coordinator`.
pub fn tally(q: &Questionnaire, responses: &[Response], coordinator: bool) -> Vec<QuestionResult> {
    q.questions
        .iter()
        .map(|question| {
            let path = question.path();
            let answers: Vec<&Answer> = responses
                .iter()
                .filter_map(|r| r.answers.get(&path))
                .collect();
            let answered = answers.len() as u64;
            let tally = if question.restricted() {
                coordinator.then(|| Tally::Texts(answers.iter().map(|a| a.export_text()).collect()))
            } else if answers.is_empty() {
                None
            } else {
                match question.kind {
                    QuestionKind::SelectOne | QuestionKind::SelectMultiple => Some(Tally::Choices(
                        question
                            .choices
                            .iter()
                            .map(|c| {
                                let n = answers
                                    .iter()
                                    .filter(|a| match a {
                                        Answer::One(s) => *s == c.name,
                                        Answer::Many(v) => v.contains(&c.name),
                                        _ => false,
                                    })
                                    .count() as u64;
                                (c.clone(), n)
                            })
                            .collect(),
                    )),
                    QuestionKind::Integer | QuestionKind::Decimal => {
                        let v: Vec<f64> = answers
                            .iter()
                            .filter_map(|a| match a {
                                Answer::Integer(n) => Some(*n as f64),
                                Answer::Decimal(n) => Some(*n),
                                _ => None,
                            })
                            .collect();
                        (!v.is_empty()).then(|| Tally::Numbers {
                            min: v.iter().copied().fold(f64::INFINITY, f64::min),
                            mean: v.iter().sum::<f64>() / v.len() as f64,
                            max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                        })
                    }
                    QuestionKind::Date => {
                        let v: Vec<Date> = answers
                            .iter()
                            .filter_map(|a| match a {
                                Answer::Date(d) => Some(*d),
                                _ => None,
                            })
                            .collect();
                        match (v.iter().min(), v.iter().max()) {
                            (Some(first), Some(last)) => Some(Tally::Dates {
                                first: *first,
                                last: *last,
                            }),
                            _ => None,
                        }
                    }
                    QuestionKind::Text => None,
                }
            };
            QuestionResult {
                question: question.clone(),
                answered,
                tally,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn respend() -> Questionnaire {
        let mut q = Questionnaire {
            title: "Where staff spend".into(),
            questions: Vec::new(),
        };
        for input in [
            QuestionInput {
                name: "interviewed_on".into(),
                label: "Day of the interview".into(),
                kind: "date".into(),
                required: "yes".into(),
                ..Default::default()
            },
            QuestionInput {
                name: "shop".into(),
                group: "spend".into(),
                label: "Where do you do your weekly shop?".into(),
                kind: "select_one".into(),
                choices: "local = Near home or work\ncity = Elsewhere in the city\nOnline".into(),
                ..Default::default()
            },
            QuestionInput {
                name: "lunch".into(),
                group: "spend".into(),
                label: "Where do you buy lunch?".into(),
                kind: "select_multiple".into(),
                choices: "canteen = The canteen\ncafe = A café nearby\nhome = I bring it".into(),
                ..Default::default()
            },
            QuestionInput {
                name: "weekly".into(),
                group: "spend".into(),
                label: "Spent near work each week (£)".into(),
                kind: "decimal".into(),
                ..Default::default()
            },
            QuestionInput {
                name: "comment".into(),
                label: "Anything else?".into(),
                kind: "text".into(),
                ..Default::default()
            },
        ] {
            let question = input.validate(&q).unwrap();
            q.questions.push(question);
        }
        q
    }

    #[test]
    fn a_question_names_every_bad_field() {
        let err = QuestionInput {
            name: "1st".into(),
            kind: "select_one".into(),
            choices: "yes = Yes".into(),
            ..Default::default()
        }
        .validate(&Questionnaire::default())
        .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "label", "choices"]);
        let q = respend();
        assert_eq!(q.questions[1].path(), "spend/shop");
        assert_eq!(q.questions[1].choices[2].name, "online");
        let again = QuestionInput::of(&q.questions[1]).validate(&q).unwrap_err();
        assert_eq!(again.0[0].field, "name");
        assert_eq!(q.validate().unwrap(), q);
    }

    #[test]
    fn answers_are_checked_against_the_question() {
        let q = respend();
        let shop = &q.questions[1];
        assert_eq!(
            shop.parse_answer("city"),
            Ok(Some(Answer::One("city".into())))
        );
        let e = shop.parse_answer("market").unwrap_err();
        assert_eq!(e.key, "research.answer.not_a_choice");
        let lunch = &q.questions[2];
        assert_eq!(
            lunch.parse_answer("cafe  home cafe"),
            Ok(Some(Answer::Many(vec!["cafe".into(), "home".into()])))
        );
        assert!(lunch.parse_answer("cafe pub").is_err());
        assert_eq!(
            q.questions[3].parse_answer(" 12.5 "),
            Ok(Some(Answer::Decimal(12.5)))
        );
        assert!(q.questions[3].parse_answer("twelve").is_err());
        assert!(q.questions[3].parse_answer("1e9").is_err());
        assert!(q.questions[0].parse_answer("2024-02-30").is_err());
        assert_eq!(q.questions[0].parse_answer(""), Ok(None));
    }

    #[test]
    fn the_phone_form_is_checked_whole() {
        let q = respend();
        let f = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let err = q
            .check_response(&f(&[("spend/shop", "market"), ("spend/weekly", "x")]))
            .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["interviewed_on", "spend/shop", "spend/weekly"]);
        let ok = q
            .check_response(&f(&[
                ("interviewed_on", "2025-03-04"),
                ("spend/lunch", "cafe"),
                ("spend/lunch", "home"),
            ]))
            .unwrap();
        assert_eq!(
            ok.get("spend/lunch"),
            Some(&Answer::Many(vec!["cafe".into(), "home".into()]))
        );
    }

    #[test]
    fn free_text_is_tallied_for_the_coordinator_only() {
        let q = respend();
        let mut answers = Answers::new();
        answers.insert("comment".into(), Answer::Text("More benches".into()));
        answers.insert("spend/shop".into(), Answer::One("local".into()));
        let r = Response {
            id: Uuid::nil(),
            uuid: "a".into(),
            submitted_at: None,
            answers,
            source: ResponseSource::Form,
            created_at: OffsetDateTime::UNIX_EPOCH,
        };
        let for_all = tally(&q, std::slice::from_ref(&r), false);
        assert_eq!(for_all[4].answered, 1);
        assert_eq!(for_all[4].tally, None);
        let Some(Tally::Choices(c)) = &for_all[1].tally else {
            panic!()
        };
        assert_eq!(c[0].1, 1);
        let coord = tally(&q, &[r], true);
        assert_eq!(
            coord[4].tally,
            Some(Tally::Texts(vec!["More benches".into()]))
        );
        assert_eq!(name_from_label("Food & drink "), "food_drink");
        assert_eq!(name_from_label("2 or more"), "_2_or_more");
    }
}
