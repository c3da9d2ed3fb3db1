//! Stories: the programme's case studies, each about one resident on the
//! talent pathway, one community researcher or one organisation, and each
//! told only with that subject's consent. Consent is recorded with the day
//! it was given, how it was given and the account that recorded it; once it
//! is withdrawn the story's text is blanked and it is never shown again (no
//! page, API answer, report or download reads a withdrawn story).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::csv_import::{Column, Problem, Report};
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// Who a story is about: a row of the talent, research or register tables
/// of the same programme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Person(Uuid),
    Researcher(Uuid),
    Organisation(Uuid),
}

impl Subject {
    pub const KINDS: [&'static str; 3] = ["person", "researcher", "organisation"];

    pub fn kind(&self) -> &'static str {
        match self {
            Subject::Person(_) => "person",
            Subject::Researcher(_) => "researcher",
            Subject::Organisation(_) => "organisation",
        }
    }

    pub fn id(&self) -> Uuid {
        match self {
            Subject::Person(i) | Subject::Researcher(i) | Subject::Organisation(i) => *i,
        }
    }

    pub fn of(kind: &str, id: Uuid) -> Option<Subject> {
        match kind {
            "person" => Some(Subject::Person(id)),
            "researcher" => Some(Subject::Researcher(id)),
            "organisation" => Some(Subject::Organisation(id)),
            _ => None,
        }
    }

    pub fn label_key(kind: &str) -> String {
        format!("stories.subject.{kind}")
    }
}

/// How the subject gave consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// A signed consent form.
    SignedForm,
    /// By e-mail or letter.
    InWriting,
    /// Said aloud and noted by the person recording it.
    Spoken,
    /// An online form.
    OnlineForm,
}

impl ConsentMethod {
    pub const ALL: [ConsentMethod; 4] = [
        ConsentMethod::SignedForm,
        ConsentMethod::InWriting,
        ConsentMethod::Spoken,
        ConsentMethod::OnlineForm,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            ConsentMethod::SignedForm => "signed_form",
            ConsentMethod::InWriting => "in_writing",
            ConsentMethod::Spoken => "spoken",
            ConsentMethod::OnlineForm => "online_form",
        }
    }

    pub fn parse(s: &str) -> Option<ConsentMethod> {
        Self::ALL.into_iter().find(|m| m.slug() == s.trim())
    }

    pub fn label_key(self) -> String {
        format!("stories.consent_method.{}", self.slug())
    }
}

/// A story as typed into the form, the API or a CSV row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryInput {
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub title: String,
    /// How the story names its subject where it is shown, such as
    /// "Amira, a doctor trained in Sudan" (never more than they agreed to).
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub shown_as: String,
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 20000)
    )]
    pub body: String,
    /// The day the story was told (it falls in a report's period by this day).
    #[cfg_attr(feature = "openapi", schema(required = true, format = Date))]
    pub told_on: String,
    /// `person`, `researcher` or `organisation`.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = subject_kinds)
    )]
    pub subject_kind: String,
    /// The id of the person, researcher or organisation in this programme
    /// (another is a 404).
    #[cfg_attr(feature = "openapi", schema(required = true, format = Uuid))]
    pub subject_id: String,
    /// The day consent was given, not in the future.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = crate::openapi::past_day)
    )]
    pub consent_given_on: String,
    /// `signed_form`, `in_writing`, `spoken` or `online_form`.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = consent_methods)
    )]
    pub consent_method: String,
    /// What they agreed to, or where the form is kept.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub consent_note: String,
}

#[cfg(feature = "openapi")]
fn subject_kinds() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(Subject::KINDS, false)
}

#[cfg(feature = "openapi")]
fn consent_methods() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(ConsentMethod::ALL.iter().map(|m| m.slug()), false)
}

/// A story's checked fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoryDraft {
    pub title: String,
    pub shown_as: String,
    pub body: String,
    #[serde(with = "crate::iso_date")]
    pub told_on: Date,
    pub subject: Subject,
    pub consent: Consent,
}

/// The consent a story stands on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Consent {
    #[serde(with = "crate::iso_date")]
    pub given_on: Date,
    pub method: ConsentMethod,
    pub note: String,
}

impl StoryInput {
    /// Checks every field, naming each bad one; consent cannot be given in
    /// the future nor after the day the story is told about.
    pub fn validate(&self, today: Date) -> Result<StoryDraft, Invalid> {
        let mut e = Errors::new();
        let title = need(&mut e, "title", &self.title, 200);
        let shown_as = need(&mut e, "shown_as", &self.shown_as, 200);
        let body = need(&mut e, "body", &self.body, 20_000);
        let told_on = date(&mut e, "told_on", &self.told_on);
        let kind = self.subject_kind.trim();
        if kind.is_empty() {
            e.add("subject_kind", Message::new("stories.need.subject_kind"));
        } else if !Subject::KINDS.contains(&kind) {
            e.add(
                "subject_kind",
                Message::new("validation.choose").arg("value", kind),
            );
        }
        let id = match self.subject_id.trim() {
            "" => {
                e.add("subject_id", Message::new("stories.need.subject_id"));
                None
            }
            raw => match Uuid::parse_str(raw) {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add(
                        "subject_id",
                        Message::new("stories.bad_subject_id").arg("value", raw),
                    );
                    None
                }
            },
        };
        let given_on = date(&mut e, "consent_given_on", &self.consent_given_on);
        if let Some(g) = given_on
            && g > today
        {
            e.add("consent_given_on", Message::new("stories.consent_future"));
        }
        let method = match self.consent_method.trim() {
            "" => {
                e.add(
                    "consent_method",
                    Message::new("stories.need.consent_method"),
                );
                None
            }
            raw => {
                let m = ConsentMethod::parse(raw);
                if m.is_none() {
                    e.add(
                        "consent_method",
                        Message::new("validation.choose").arg("value", raw),
                    );
                }
                m
            }
        };
        let note = e
            .optional("consent_note", &self.consent_note, 2_000)
            .unwrap_or_default();
        e.finish(|| StoryDraft {
            title,
            shown_as,
            body,
            told_on: told_on.expect("checked"),
            subject: Subject::of(kind, id.expect("checked")).expect("checked"),
            consent: Consent {
                given_on: given_on.expect("checked"),
                method: method.expect("checked"),
                note,
            },
        })
    }
}

fn need(e: &mut Errors, field: &str, v: &str, max: usize) -> String {
    let t = v.trim();
    if t.is_empty() {
        e.add(field, need_key(field));
    } else if t.chars().count() > max {
        e.add(field, Message::new("validation.too_long").arg("max", max));
    }
    t.to_string()
}

/// The message for a missing field, each one spelt out so the catalogue
/// test sees it used.
fn need_key(field: &str) -> Message {
    Message::new(match field {
        "title" => "stories.need.title",
        "shown_as" => "stories.need.shown_as",
        "body" => "stories.need.body",
        "told_on" => "stories.need.told_on",
        _ => "stories.need.consent_given_on",
    })
}

fn date(e: &mut Errors, field: &str, v: &str) -> Option<Date> {
    if v.trim().is_empty() {
        e.add(field, need_key(field));
        return None;
    }
    e.optional_date(field, v)
}

/// A story whose consent stands (the only kind anything reads).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Story {
    pub id: Uuid,
    pub draft: StoryDraft,
    /// The subject's name as held by its strand (personal data for a person
    /// or researcher; empty once they are erased).
    pub subject_name: String,
    /// The account that recorded the consent.
    pub consent_recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Story {
    /// The story as a row of the CSV the import reads back.
    pub fn input(&self) -> StoryInput {
        let d = &self.draft;
        StoryInput {
            title: d.title.clone(),
            shown_as: d.shown_as.clone(),
            body: d.body.clone(),
            told_on: d.told_on.to_string(),
            subject_kind: d.subject.kind().into(),
            subject_id: d.subject.id().to_string(),
            consent_given_on: d.consent.given_on.to_string(),
            consent_method: d.consent.method.slug().into(),
            consent_note: d.consent.note.clone(),
        }
    }
}

/// How the story list may be narrowed and ordered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct StoryQuery {
    /// Words in the title, the name it is shown as or the text.
    pub q: Option<String>,
    /// `person`, `researcher` or `organisation`.
    pub subject: Option<String>,
    /// Told on or after this day.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// Told on or before this day.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
    /// `told_on` (default), `title` or `consent_given_on`.
    pub sort: Option<String>,
    /// `desc` (default) or `asc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
}

/// A checked story query, ready for the store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoryFilter {
    pub search: Option<String>,
    pub subject_kind: Option<&'static str>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// A column the store may sort by.
    pub sort: &'static str,
    pub ascending: bool,
    /// Only the stories about this subject (subject access, erasure).
    pub subject: Option<Subject>,
}

impl StoryQuery {
    pub fn validate(&self) -> Result<StoryFilter, Invalid> {
        let mut e = Errors::new();
        let subject_kind = match self.subject.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(k) => match Subject::KINDS.iter().find(|s| **s == k) {
                Some(s) => Some(*s),
                None => {
                    e.add("subject", Message::new("validation.choose").arg("value", k));
                    None
                }
            },
        };
        let from = e.optional_date("from", self.from.as_deref().unwrap_or(""));
        let to = e.optional_date("to", self.to.as_deref().unwrap_or(""));
        let sort = match self.sort.as_deref().unwrap_or("") {
            "" | "told_on" => "told_on",
            "title" => "title",
            "consent_given_on" => "consent_given_on",
            other => {
                e.add(
                    "sort",
                    Message::new("validation.choose").arg("value", other),
                );
                "told_on"
            }
        };
        let ascending = match self.dir.as_deref().unwrap_or("") {
            "" | "desc" => false,
            "asc" => true,
            other => {
                e.add("dir", Message::new("validation.choose").arg("value", other));
                false
            }
        };
        e.finish(|| StoryFilter {
            search: self
                .q
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            subject_kind,
            from,
            to,
            sort,
            ascending,
            subject: None,
        })
    }
}

impl StoryFilter {
    /// Whether a story is in the list this filter asks for.
    pub fn matches(&self, s: &Story) -> bool {
        let d = &s.draft;
        if self.subject_kind.is_some_and(|k| k != d.subject.kind())
            || self.subject.is_some_and(|x| x != d.subject)
            || self.from.is_some_and(|f| d.told_on < f)
            || self.to.is_some_and(|t| d.told_on > t)
        {
            return false;
        }
        match &self.search {
            None => true,
            Some(q) => {
                let q = q.to_lowercase();
                [&d.title, &d.shown_as, &d.body, &s.subject_name]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&q))
            }
        }
    }

    /// Orders stories as asked, the newest story first unless told otherwise.
    pub fn sort(&self, v: &mut [Story]) {
        v.sort_by(|a, b| {
            let o = match self.sort {
                "title" => a
                    .draft
                    .title
                    .to_lowercase()
                    .cmp(&b.draft.title.to_lowercase()),
                "consent_given_on" => a.draft.consent.given_on.cmp(&b.draft.consent.given_on),
                _ => a.draft.told_on.cmp(&b.draft.told_on),
            }
            .then(a.id.cmp(&b.id));
            if self.ascending { o } else { o.reverse() }
        });
    }
}

/// The columns of the stories CSV, in the order the import reads them.
pub const CSV_COLUMNS: [&str; 10] = [
    "id",
    "title",
    "shown_as",
    "body",
    "told_on",
    "subject_kind",
    "subject_id",
    "consent_given_on",
    "consent_method",
    "consent_note",
];

/// The stories as CSV, one per row; the import reads the same file back
/// (a row with an id changes that story, one without adds it).
pub fn write_csv(stories: &[Story]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).expect("in memory");
    for s in stories {
        let i = s.input();
        w.write_record([
            s.id.to_string(),
            i.title,
            i.shown_as,
            i.body,
            i.told_on,
            i.subject_kind,
            i.subject_id,
            i.consent_given_on,
            i.consent_method,
            i.consent_note,
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
}

/// One checked row of a stories CSV, with where it is in the file, so
/// what only the records can judge (whether its id names a story, whether
/// its subject is still held) is reported at its line and column too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvStory {
    pub line: u64,
    pub id: Option<Uuid>,
    pub draft: StoryDraft,
    id_column: Option<Column>,
    subject_column: Option<Column>,
}

impl CsvStory {
    /// The row's id names no story of the programme whose consent stands.
    pub fn unknown_id(&self) -> Problem {
        Problem::error(
            self.line,
            self.id_column.clone(),
            Message::new("stories.csv.unknown_id")
                .arg("value", self.id.map(|i| i.to_string()).unwrap_or_default()),
        )
    }

    /// The row's subject is not a person, researcher or organisation the
    /// programme holds.
    pub fn unknown_subject(&self) -> Problem {
        Problem::error(
            self.line,
            self.subject_column.clone(),
            Message::new("stories.unknown_subject"),
        )
    }
}

/// Reads a stories CSV (the download's columns, in any order): each row's
/// story checked as the form checks it, every bad cell an error at its line
/// and column. A row with an id changes that story; one without adds it.
pub fn parse_csv(file: &str, bytes: &[u8], today: Date) -> (Vec<CsvStory>, Report) {
    let mut report = Report::new(file);
    let text = String::from_utf8_lossy(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h == name);
    let column = |name: &str| {
        col(name).map(|i| Column {
            number: i + 1,
            name: name.to_string(),
        })
    };
    for name in CSV_COLUMNS {
        if col(name).is_none() {
            report.push(Problem::error(
                1,
                None,
                Message::new("stories.csv.missing_column").arg("column", name),
            ));
        }
    }
    let mut rows = Vec::new();
    if report.has_errors() {
        return (rows, report);
    }
    for (n, record) in reader.records().enumerate() {
        // Where the record starts: a story's text may run over several lines.
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(n as u64 + 2, |p| p.line());
        let Ok(r) = record else {
            report.push(Problem::error(
                line,
                None,
                Message::new("stories.csv.bad_line"),
            ));
            continue;
        };
        let cell = |name: &str| col(name).and_then(|i| r.get(i)).unwrap_or("").to_string();
        let id = match cell("id").trim() {
            "" => None,
            raw => match Uuid::parse_str(raw) {
                Ok(u) => Some(u),
                Err(_) => {
                    report.push(Problem::error(
                        line,
                        column("id"),
                        Message::new("stories.csv.bad_id").arg("value", raw),
                    ));
                    continue;
                }
            },
        };
        let input = StoryInput {
            title: cell("title"),
            shown_as: cell("shown_as"),
            body: cell("body"),
            told_on: cell("told_on"),
            subject_kind: cell("subject_kind"),
            subject_id: cell("subject_id"),
            consent_given_on: cell("consent_given_on"),
            consent_method: cell("consent_method"),
            consent_note: cell("consent_note"),
        };
        match input.validate(today) {
            Ok(draft) => rows.push(CsvStory {
                line,
                id,
                draft,
                id_column: column("id"),
                subject_column: column("subject_id"),
            }),
            Err(invalid) => {
                for f in invalid.0 {
                    report.push(Problem::error(line, column(&f.field), f.message));
                }
            }
        }
    }
    (rows, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> StoryInput {
        StoryInput {
            title: "From Khartoum to the wards".into(),
            shown_as: "Amira, a doctor".into(),
            body: "She passed PLAB 2 and started as a clinical fellow.".into(),
            told_on: "2019-02-13".into(),
            subject_kind: "person".into(),
            subject_id: Uuid::now_v7().to_string(),
            consent_given_on: "2019-02-01".into(),
            consent_method: "signed_form".into(),
            consent_note: "May be named by first name.".into(),
        }
    }

    #[test]
    fn a_whole_story_is_checked_into_a_draft() {
        let d = input().validate(date!(2020 - 01 - 01)).unwrap();
        assert_eq!(d.subject.kind(), "person");
        assert_eq!(d.consent.method, ConsentMethod::SignedForm);
        assert_eq!(d.told_on, date!(2019 - 02 - 13));
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = StoryInput {
            subject_kind: "cat".into(),
            subject_id: "x".into(),
            consent_method: "nod".into(),
            consent_given_on: "2030-01-01".into(),
            ..StoryInput::default()
        };
        let err = bad.validate(date!(2020 - 01 - 01)).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "title",
            "shown_as",
            "body",
            "told_on",
            "subject_kind",
            "subject_id",
            "consent_given_on",
            "consent_method",
        ] {
            assert!(fields.contains(&f), "{f} not named in {fields:?}");
        }
    }

    #[test]
    fn the_csv_round_trips_through_the_form() {
        let d = input().validate(date!(2020 - 01 - 01)).unwrap();
        let s = Story {
            id: Uuid::now_v7(),
            draft: d.clone(),
            subject_name: "A".into(),
            consent_recorded_by: "B".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        };
        let text = write_csv(std::slice::from_ref(&s));
        let (rows, report) = parse_csv("s.csv", text.as_bytes(), date!(2020 - 01 - 01));
        assert!(!report.has_errors());
        assert_eq!(
            rows.iter()
                .map(|r| (r.line, r.id, &r.draft))
                .collect::<Vec<_>>(),
            vec![(2, Some(s.id), &d)]
        );
        assert_eq!(rows[0].unknown_id().column.unwrap().number, 1);
        let bad = text.replace("signed_form", "nod");
        let (_, report) = parse_csv("s.csv", bad.as_bytes(), date!(2020 - 01 - 01));
        let p = report.errors().next().unwrap();
        assert_eq!((p.line, p.column.as_ref().unwrap().number), (2, 9));
    }
}
