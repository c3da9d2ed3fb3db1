//! The harvest and its synthesis: notes taken at a table in a round (or in
//! individual reflection), the organiser's grouping of them into success
//! factors, obstacles and transferability factors, the actions cities could
//! take, and the tally of "would you transfer".

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::workshop::{Question, WorkshopDraft, choice};
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

choice!(
    /// The answer to "would you consider transferring (parts of) this
    /// approach to your city?".
    Answer, "workshops.answer", [
        Yes = "yes",
        No = "no",
        Maybe = "maybe",
    ]
);

choice!(
    /// Where the organiser puts a note in the synthesis: the seed's
    /// expected outcomes are factors of these three kinds.
    Group, "workshops.group", [
        SuccessFactor = "success_factor",
        Obstacle = "obstacle",
        Transferability = "transferability",
    ]
);

impl Group {
    /// The group a note of this question most likely belongs to, so a
    /// harvest starts sorted and the organiser only moves the exceptions.
    pub fn suggested(q: Question) -> Option<Group> {
        match q {
            Question::WhatWorked => Some(Group::SuccessFactor),
            Question::WhatDidnt => Some(Group::Obstacle),
            Question::Transferable => Some(Group::Transferability),
            Question::Learning | Question::WouldTransfer => None,
        }
    }
}

/// A note as typed on a phone. A blank `table` is individual reflection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NoteInput {
    /// The table number, or blank for individual reflection.
    pub table: String,
    /// The round at that table (1, 2, 3 …); blank for individual reflection.
    pub round: String,
    /// The question answered; blank at a table means the table's question.
    pub question: String,
    /// What was said (for "would you transfer": the reason).
    pub text: String,
    /// For "would you transfer": `yes`, `no` or `maybe`.
    pub answer: String,
    /// The city the note's author comes from (optional).
    pub city: String,
}

/// A note checked against its workshop's tables and rounds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDraft {
    /// `None`: individual reflection.
    pub table: Option<u8>,
    pub round: Option<u8>,
    pub question: Question,
    pub text: String,
    pub answer: Option<Answer>,
    pub city: Option<String>,
}

impl NoteInput {
    pub fn validate(&self, w: &WorkshopDraft) -> Result<NoteDraft, Invalid> {
        let mut e = Errors::new();
        let table = match self.table.trim() {
            "" | "reflection" => None,
            raw => match raw.parse::<u8>().ok().and_then(|n| w.table(n)) {
                Some(t) => Some(t),
                None => {
                    e.add(
                        "table",
                        Message::new("workshops.note.table_bad")
                            .arg("value", raw)
                            .arg("tables", w.tables.len()),
                    );
                    None
                }
            },
        };
        let round = match (self.round.trim(), table.is_some()) {
            ("", true) => {
                e.add("round", Message::new("workshops.note.round_required"));
                None
            }
            ("", false) => None,
            (raw, _) => match raw.parse::<u8>() {
                Ok(n) if (1..=w.rounds).contains(&n) => Some(n),
                _ => {
                    e.add(
                        "round",
                        Message::new("workshops.note.round_bad")
                            .arg("value", raw)
                            .arg("rounds", w.rounds),
                    );
                    None
                }
            },
        };
        let question = match (self.question.trim(), table) {
            ("", Some(t)) => Some(t.question),
            ("", None) => {
                e.add("question", Message::new("workshops.note.question_required"));
                None
            }
            (raw, _) => {
                let q = Question::parse(raw);
                if q.is_none() {
                    e.add(
                        "question",
                        Message::new("workshops.question_bad").arg("value", raw),
                    );
                }
                q
            }
        };
        let answer = match self.answer.trim() {
            "" => None,
            raw => {
                let a = Answer::parse(raw);
                if a.is_none() {
                    e.add(
                        "answer",
                        Message::new("workshops.note.answer_bad").arg("value", raw),
                    );
                }
                a
            }
        };
        match (question, answer, self.answer.trim().is_empty()) {
            (Some(Question::WouldTransfer), None, true) => {
                e.add("answer", Message::new("workshops.note.answer_required"))
            }
            (Some(q), Some(_), _) if q != Question::WouldTransfer => e.add(
                "answer",
                Message::new("workshops.note.answer_only_transfer"),
            ),
            _ => {}
        }
        let text = super::required(
            &mut e,
            "text",
            &self.text,
            2000,
            if question == Some(Question::WouldTransfer) {
                "workshops.note.reason_required"
            } else {
                "workshops.note.text_required"
            },
        );
        let city = e.optional("city", &self.city, 100);
        match question {
            Some(question) => e.finish(|| NoteDraft {
                table: table.map(|t| t.number),
                round,
                question,
                text,
                answer,
                city,
            }),
            None => Err(Invalid(e.into_vec())),
        }
    }
}

/// A harvested note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub id: Uuid,
    pub draft: NoteDraft,
    /// The organiser's grouping (starts as the question suggests).
    pub group: Option<Group>,
    /// Whether a guest wrote it through a link (rather than the organiser).
    pub by_guest: bool,
    pub created_at: OffsetDateTime,
}

/// The organiser's grouping of one note, as a form or the API sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GroupInput {
    pub note: String,
    /// `success_factor`, `obstacle`, `transferability`, or blank for none.
    pub group: String,
}

/// Checks a grouping against the workshop's notes: every note named must be
/// one of them.
pub fn validate_groups(
    inputs: &[GroupInput],
    notes: &[Note],
) -> Result<Vec<(Uuid, Option<Group>)>, Invalid> {
    let mut e = Errors::new();
    let mut out = Vec::new();
    for (i, g) in inputs.iter().enumerate() {
        let field = format!("groups/{i}");
        let id = Uuid::parse_str(g.note.trim())
            .ok()
            .filter(|id| notes.iter().any(|n| n.id == *id));
        let group = match g.group.trim() {
            "" | "none" => Some(None),
            raw => Group::parse(raw).map(Some),
        };
        match (id, group) {
            (Some(id), Some(group)) => out.push((id, group)),
            (None, _) => e.add(
                &field,
                Message::new("workshops.group.note_unknown").arg("value", g.note.trim()),
            ),
            (_, None) => e.add(
                &field,
                Message::new("workshops.group.bad").arg("value", g.group.trim()),
            ),
        }
    }
    e.finish(|| out)
}

/// An action some city could take to transfer the approach.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActionInput {
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 1000)
    )]
    pub action: String,
    /// Who will take it.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub owner: String,
    /// In which city.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 100)
    )]
    pub city: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDraft {
    pub action: String,
    pub owner: String,
    pub city: String,
}

impl ActionInput {
    pub fn validate(&self) -> Result<ActionDraft, Invalid> {
        let mut e = Errors::new();
        let action = super::required(
            &mut e,
            "action",
            &self.action,
            1000,
            "workshops.action.action_required",
        );
        let owner = super::required(
            &mut e,
            "owner",
            &self.owner,
            200,
            "workshops.action.owner_required",
        );
        let city = super::required(
            &mut e,
            "city",
            &self.city,
            100,
            "workshops.action.city_required",
        );
        e.finish(|| ActionDraft {
            action,
            owner,
            city,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Action {
    pub id: Uuid,
    pub draft: ActionDraft,
    pub created_at: OffsetDateTime,
}

/// The answers to "would you transfer", counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    pub maybe: u32,
}

impl Tally {
    pub fn total(&self) -> u32 {
        self.yes + self.no + self.maybe
    }

    /// The tally as `viewer` may see it: each answer is a person's, so
    /// small numbers are suppressed (with whatever would give them away
    /// through the total) for roles that do not read the notes behind them,
    /// as every count of people is.
    pub fn publish(&self, viewer: &crate::disclosure::Viewer) -> PublishedTally {
        use crate::disclosure::{Cell, Total};
        let values = [self.yes, self.no, self.maybe].map(u64::from);
        match viewer.list(&values, Total::Sum) {
            Ok(l) if l.cells.len() == 3 => PublishedTally {
                yes: l.cells[0],
                no: l.cells[1],
                maybe: l.cells[2],
                total: l.total.unwrap_or(Cell::Withheld { below: viewer.k() }),
            },
            // A list with its sum always has a shape; hide all rather than
            // show a figure unchecked.
            _ => {
                let hidden = Cell::Withheld { below: viewer.k() };
                PublishedTally {
                    yes: hidden,
                    no: hidden,
                    maybe: hidden,
                    total: hidden,
                }
            }
        }
    }
}

/// The answers to "would you transfer" as published for one viewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedTally {
    pub yes: crate::disclosure::Cell,
    pub no: crate::disclosure::Cell,
    pub maybe: crate::disclosure::Cell,
    pub total: crate::disclosure::Cell,
}

/// Counts every answer to the transfer question, whether given in
/// reflection or at a table.
pub fn tally(notes: &[Note]) -> Tally {
    let mut t = Tally::default();
    for n in notes {
        match n.draft.answer {
            Some(Answer::Yes) => t.yes += 1,
            Some(Answer::No) => t.no += 1,
            Some(Answer::Maybe) => t.maybe += 1,
            None => {}
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshops::workshop::WorkshopInput;

    fn workshop() -> WorkshopDraft {
        WorkshopInput {
            title: "W".into(),
            held_on: "2019-03-26".into(),
            place: "Glasgow".into(),
            case_study: "USE-IT!".into(),
            hosts: vec!["A".into(), "B".into(), "C".into()],
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    fn note(answer: Option<Answer>) -> Note {
        Note {
            id: Uuid::now_v7(),
            draft: NoteDraft {
                table: None,
                round: None,
                question: if answer.is_some() {
                    Question::WouldTransfer
                } else {
                    Question::Learning
                },
                text: "because".into(),
                answer,
                city: None,
            },
            group: None,
            by_guest: true,
            created_at: crate::clock::now(),
        }
    }

    #[test]
    fn the_tally_equals_a_hand_count() {
        use Answer::*;
        // By hand: 4 yes, 2 no, 3 maybe, and 3 notes that answer nothing.
        let answers = [
            Some(Yes),
            Some(Maybe),
            None,
            Some(Yes),
            Some(No),
            Some(Yes),
            None,
            Some(Maybe),
            Some(No),
            Some(Yes),
            None,
            Some(Maybe),
        ];
        let notes: Vec<_> = answers.into_iter().map(note).collect();
        let t = tally(&notes);
        assert_eq!(
            t,
            Tally {
                yes: 4,
                no: 2,
                maybe: 3
            }
        );
        assert_eq!(t.total(), 9);
        assert_eq!(tally(&[]), Tally::default());
    }

    #[test]
    fn a_table_note_takes_its_table_question_and_needs_a_round() {
        let w = workshop();
        let d = NoteInput {
            table: "2".into(),
            round: "3".into(),
            text: "Funding ended before the social lab could pay its way".into(),
            ..Default::default()
        }
        .validate(&w)
        .unwrap();
        assert_eq!(
            (d.table, d.round, d.question),
            (Some(2), Some(3), Question::WhatDidnt)
        );
        let err = NoteInput {
            table: "4".into(),
            round: "".into(),
            text: "x".into(),
            ..Default::default()
        }
        .validate(&w)
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["table", "question"]);
        let err = NoteInput {
            table: "1".into(),
            round: "4".into(),
            text: "x".into(),
            ..Default::default()
        }
        .validate(&w)
        .unwrap_err();
        assert_eq!(err.0[0].field, "round");
    }

    #[test]
    fn would_you_transfer_needs_an_answer_and_a_reason() {
        let w = workshop();
        let err = NoteInput {
            question: "would_transfer".into(),
            ..Default::default()
        }
        .validate(&w)
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["answer", "text"]);
        let ok = NoteInput {
            question: "would_transfer".into(),
            answer: "maybe".into(),
            text: "If the council leads it".into(),
            city: "Lille".into(),
            ..Default::default()
        }
        .validate(&w)
        .unwrap();
        assert_eq!(ok.answer, Some(Answer::Maybe));
        let err = NoteInput {
            question: "learning".into(),
            answer: "yes".into(),
            text: "x".into(),
            ..Default::default()
        }
        .validate(&w)
        .unwrap_err();
        assert_eq!(err.0[0].field, "answer");
    }

    #[test]
    fn a_grouping_names_only_the_workshops_notes() {
        let notes = vec![note(None)];
        let ok = validate_groups(
            &[GroupInput {
                note: notes[0].id.to_string(),
                group: "obstacle".into(),
            }],
            &notes,
        )
        .unwrap();
        assert_eq!(ok, [(notes[0].id, Some(Group::Obstacle))]);
        let err = validate_groups(
            &[GroupInput {
                note: Uuid::now_v7().to_string(),
                group: "obstacle".into(),
            }],
            &notes,
        )
        .unwrap_err();
        assert_eq!(err.0[0].field, "groups/0");
    }
}
