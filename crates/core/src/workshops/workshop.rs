//! A workshop as the seed's ran: one case study, individual reflection,
//! then world-café rounds at tables, each table with a host and one of the
//! five reflection questions.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, [$($(#[$vdoc:meta])* $variant:ident = $slug:literal),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.slug() == s.trim())
            }
            pub fn label_key(self) -> String {
                format!(concat!($prefix, ".{}"), self.slug())
            }
        }
    };
}
pub(crate) use choice;

choice!(
    /// The five questions for reflection every workshop starts with, in
    /// the seed's order.
    Question, "workshops.question", [
        /// What can you learn from this case study? Its added value.
        Learning = "learning",
        /// What worked well and why (success factors).
        WhatWorked = "what_worked",
        /// What didn't work so well and why (obstacles).
        WhatDidnt = "what_didnt",
        /// Which elements can be transferred to your city.
        Transferable = "transferable",
        /// Would you consider transferring (parts of) it: yes, no or maybe.
        WouldTransfer = "would_transfer",
    ]
);

impl Question {
    /// The questions the café's tables take by default: the three the
    /// seed's expected outcomes come from (success factors, obstacles,
    /// transferability), then learning, round and round for more tables.
    pub fn default_for_table(table: u8) -> Question {
        const CYCLE: [Question; 4] = [
            Question::WhatWorked,
            Question::WhatDidnt,
            Question::Transferable,
            Question::Learning,
        ];
        CYCLE[(usize::from(table.max(1)) - 1) % CYCLE.len()]
    }
}

/// Most tables and rounds a workshop may have (a room, not a conference).
pub const MAX_TABLES: u8 = 12;
pub const MAX_ROUNDS: u8 = 6;

/// A workshop as typed. `hosts` and `questions` are per table, in order;
/// a blank question takes the table's default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct WorkshopInput {
    pub title: String,
    /// The day it is held, `2019-03-26` or `26/03/2019`.
    pub held_on: String,
    pub place: String,
    /// The event or programme it is part of (e.g. a social innovation lab).
    pub part_of: String,
    /// The case study it discusses, as text.
    pub case_study: String,
    /// Where the case study can be read (http or https).
    pub case_study_url: String,
    /// How many tables (blank: 3).
    pub tables: String,
    /// How many rounds (blank: 3).
    pub rounds: String,
    /// The host of each table.
    pub hosts: Vec<String>,
    /// The question of each table (`learning`, `what_worked`, `what_didnt`,
    /// `transferable`, `would_transfer`); blank for the default.
    pub questions: Vec<String>,
}

/// One café table: who hosts it and the question it discusses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Table {
    /// 1, 2, 3 …
    pub number: u8,
    pub host: String,
    pub question: Question,
}

/// A workshop checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopDraft {
    pub title: String,
    #[serde(with = "crate::iso_date")]
    pub held_on: Date,
    pub place: String,
    pub part_of: Option<String>,
    pub case_study: String,
    pub case_study_url: Option<String>,
    pub rounds: u8,
    pub tables: Vec<Table>,
}

impl WorkshopInput {
    pub fn validate(&self) -> Result<WorkshopDraft, Invalid> {
        let mut e = Errors::new();
        let title = super::required(
            &mut e,
            "title",
            &self.title,
            200,
            "workshops.title_required",
        );
        let held_on = if self.held_on.trim().is_empty() {
            e.add("held_on", Message::new("workshops.held_on_required"));
            None
        } else {
            e.optional_date("held_on", &self.held_on)
        };
        let place = super::required(
            &mut e,
            "place",
            &self.place,
            300,
            "workshops.place_required",
        );
        let part_of = e.optional("part_of", &self.part_of, 200);
        let case_study = super::required(
            &mut e,
            "case_study",
            &self.case_study,
            20_000,
            "workshops.case_study_required",
        );
        let case_study_url = e.optional("case_study_url", &self.case_study_url, 500);
        if let Some(u) = &case_study_url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            e.add("case_study_url", Message::new("workshops.url_bad"));
        }
        let tables = super::count(&mut e, "tables", &self.tables, 1, MAX_TABLES, 3);
        let rounds = super::count(&mut e, "rounds", &self.rounds, 1, MAX_ROUNDS, 3);
        let mut list = Vec::new();
        if let Some(n) = tables {
            if self.hosts.len() > usize::from(n) || self.questions.len() > usize::from(n) {
                e.add(
                    "tables",
                    Message::new("workshops.more_hosts_than_tables").arg("tables", n),
                );
            }
            for number in 1..=n {
                let i = usize::from(number - 1);
                let field = format!("host_{number}");
                let raw = self.hosts.get(i).map(String::as_str).unwrap_or("");
                let host = if raw.trim().is_empty() {
                    e.add(
                        &field,
                        Message::new("workshops.host_required").arg("table", number),
                    );
                    String::new()
                } else {
                    e.required(&field, raw, 120)
                };
                let q = self.questions.get(i).map(|s| s.trim()).unwrap_or("");
                let question = if q.is_empty() {
                    Question::default_for_table(number)
                } else {
                    match Question::parse(q) {
                        Some(q) => q,
                        None => {
                            e.add(
                                &format!("question_{number}"),
                                Message::new("workshops.question_bad").arg("value", q),
                            );
                            Question::default_for_table(number)
                        }
                    }
                };
                list.push(Table {
                    number,
                    host,
                    question,
                });
            }
        }
        match (held_on, rounds) {
            (Some(held_on), Some(rounds)) => e.finish(|| WorkshopDraft {
                title,
                held_on,
                place,
                part_of,
                case_study,
                case_study_url,
                rounds,
                tables: list,
            }),
            _ => Err(Invalid(e.into_vec())),
        }
    }

    /// Reads a page's form: the plain fields, then `host_1`, `question_1`, …
    /// (repeated fields a URL-encoded form cannot put in a list).
    pub fn from_form(pairs: &[(String, String)]) -> WorkshopInput {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let numbered = |prefix: &str| {
            let mut v: Vec<(u32, String)> = pairs
                .iter()
                .filter_map(|(k, val)| {
                    let n = k.strip_prefix(prefix)?.parse::<u32>().ok()?;
                    Some((n, val.clone()))
                })
                .collect();
            v.sort_by_key(|(n, _)| *n);
            v.into_iter().map(|(_, s)| s).collect::<Vec<_>>()
        };
        let mut input = WorkshopInput {
            title: get("title"),
            held_on: get("held_on"),
            place: get("place"),
            part_of: get("part_of"),
            case_study: get("case_study"),
            case_study_url: get("case_study_url"),
            tables: get("tables"),
            rounds: get("rounds"),
            hosts: numbered("host_"),
            questions: numbered("question_"),
        };
        // The page offers as many host boxes as it showed; a count changed
        // in the same post keeps only the boxes that count still has.
        if let Ok(n) = input.tables.trim().parse::<usize>() {
            input.hosts.truncate(n);
            input.questions.truncate(n);
        }
        input
    }
}

impl WorkshopDraft {
    pub fn to_input(&self) -> WorkshopInput {
        WorkshopInput {
            title: self.title.clone(),
            held_on: crate::clock::iso_date(self.held_on),
            place: self.place.clone(),
            part_of: self.part_of.clone().unwrap_or_default(),
            case_study: self.case_study.clone(),
            case_study_url: self.case_study_url.clone().unwrap_or_default(),
            tables: self.tables.len().to_string(),
            rounds: self.rounds.to_string(),
            hosts: self.tables.iter().map(|t| t.host.clone()).collect(),
            questions: self
                .tables
                .iter()
                .map(|t| t.question.slug().to_string())
                .collect(),
        }
    }

    pub fn table(&self, number: u8) -> Option<&Table> {
        self.tables.iter().find(|t| t.number == number)
    }
}

/// A workshop as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Workshop {
    pub id: Uuid,
    pub draft: WorkshopDraft,
    /// Notes harvested so far.
    pub notes: u64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn glasgow() -> WorkshopInput {
        WorkshopInput {
            title: "Tackling urban poverty and new forms of inequality in cities".into(),
            held_on: "26/03/2019".into(),
            place: "Grand Central Hotel, 99 Gordon Street, Glasgow".into(),
            part_of: "EUROCITIES Social Innovation Lab".into(),
            case_study: "Unlocking Social and Economic Innovation Together in Birmingham".into(),
            hosts: vec!["Ana".into(), "Ben".into(), "Chiara".into()],
            ..Default::default()
        }
    }

    #[test]
    fn three_tables_three_rounds_by_default_with_the_seed_questions() {
        let d = glasgow().validate().unwrap();
        assert_eq!(d.rounds, 3);
        assert_eq!(d.tables.len(), 3);
        let qs: Vec<_> = d.tables.iter().map(|t| t.question).collect();
        assert_eq!(
            qs,
            [
                Question::WhatWorked,
                Question::WhatDidnt,
                Question::Transferable
            ]
        );
        assert_eq!(Question::ALL.len(), 5);
        assert_eq!(d.to_input().validate().unwrap(), d);
    }

    #[test]
    fn every_table_needs_a_host_and_counts_stay_in_range() {
        let err = WorkshopInput {
            tables: "4".into(),
            rounds: "9".into(),
            case_study_url: "youtube.com".into(),
            ..glasgow()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["case_study_url", "rounds", "host_4"]);
    }

    #[test]
    fn a_page_form_reads_numbered_hosts_in_order() {
        let pairs: Vec<(String, String)> = [
            ("title", "T"),
            ("tables", "2"),
            ("host_2", "Second"),
            ("host_1", "First"),
            ("host_3", "Dropped"),
            ("question_1", "learning"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let i = WorkshopInput::from_form(&pairs);
        assert_eq!(i.hosts, ["First", "Second"]);
        assert_eq!(i.questions, ["learning"]);
    }
}
