//! What the workshop pages share: the context's address, the choices its
//! forms offer and how a note reads, in the catalogue's words.

use useit_core::clock;
use useit_core::i18n::{t, tf};
use useit_core::workshops::note::{Answer, Group, Note};
use useit_core::workshops::workshop::{MAX_TABLES, Question, Workshop, WorkshopInput};

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::http::views::Choice;

pub fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/workshops", ctx.programme()?.slug))
}

pub fn questions(blank: Option<&str>) -> Vec<Choice> {
    let mut v: Vec<Choice> = blank.map(|b| Choice::new("", t(b))).into_iter().collect();
    v.extend(
        Question::ALL
            .iter()
            .map(|q| Choice::new(q.slug(), t(&q.label_key()))),
    );
    v
}

pub fn answers() -> Vec<Choice> {
    let mut v = vec![Choice::new("", t("workshops.answer.none"))];
    v.extend(
        Answer::ALL
            .iter()
            .map(|a| Choice::new(a.slug(), t(&a.label_key()))),
    );
    v
}

pub fn groups() -> Vec<Choice> {
    let mut v = vec![Choice::new("", t("workshops.group.none"))];
    v.extend(
        Group::ALL
            .iter()
            .map(|g| Choice::new(g.slug(), t(&g.label_key()))),
    );
    v
}

/// Where a note was taken, for people.
pub fn where_taken(table: Option<u8>, round: Option<u8>) -> String {
    match (table, round) {
        (Some(t), Some(r)) => tf(
            "workshops.note.at_table",
            &[("table", &t.to_string()), ("round", &r.to_string())],
        ),
        _ => t("workshops.note.reflection").into(),
    }
}

/// A note as the pages show it.
pub struct NoteLine {
    pub id: String,
    pub place: String,
    pub question: String,
    pub text: String,
    pub answer: String,
    pub city: String,
    pub group_slug: String,
}

pub fn note_line(n: &Note) -> NoteLine {
    let d = &n.draft;
    NoteLine {
        id: n.id.to_string(),
        place: where_taken(d.table, d.round),
        question: t(&d.question.label_key()).into(),
        text: d.text.clone(),
        answer: d
            .answer
            .map(|a| t(&a.label_key()).to_string())
            .unwrap_or_default(),
        city: d.city.clone().unwrap_or_default(),
        group_slug: n.group.map(|g| g.slug().to_string()).unwrap_or_default(),
    }
}

/// A workshop as lists show it.
pub struct WorkshopLine {
    pub href: String,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub shape: String,
    pub notes: String,
}

pub fn workshop_line(base: &str, w: &Workshop) -> WorkshopLine {
    WorkshopLine {
        href: format!("{base}/{}", w.id),
        title: w.draft.title.clone(),
        held_on: clock::display_date(w.draft.held_on),
        place: w.draft.place.clone(),
        shape: shape(w),
        notes: w.notes.to_string(),
    }
}

/// "3 tables × 3 rounds".
pub fn shape(w: &Workshop) -> String {
    tf(
        "workshops.shape",
        &[
            ("tables", &w.draft.tables.len().to_string()),
            ("rounds", &w.draft.rounds.to_string()),
        ],
    )
}

/// One table's row in the plan form.
pub struct PlanRow {
    pub number: u8,
    pub host_field: String,
    pub host: String,
    pub question_field: String,
    pub question: String,
}

/// The plan form's table rows: as many as the tables typed (so a changed
/// count shows its boxes on the next page, no script needed).
pub fn plan_rows(input: &WorkshopInput) -> Vec<PlanRow> {
    let n = input
        .tables
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=MAX_TABLES).contains(n))
        .unwrap_or(3);
    (1..=n)
        .map(|number| {
            let i = usize::from(number - 1);
            PlanRow {
                number,
                host_field: format!("host_{number}"),
                host: input.hosts.get(i).cloned().unwrap_or_default(),
                question_field: format!("question_{number}"),
                question: input
                    .questions
                    .get(i)
                    .cloned()
                    .filter(|q| !q.is_empty())
                    .unwrap_or_else(|| Question::default_for_table(number).slug().into()),
            }
        })
        .collect()
}

/// How long a new guest link may stay open.
pub fn link_hours() -> Vec<Choice> {
    [2, 4, 8, 24, 72, 168, 336]
        .iter()
        .map(|h| {
            Choice::new(
                h.to_string(),
                tf("workshops.link.hours_choice", &[("hours", &h.to_string())]),
            )
        })
        .collect()
}
