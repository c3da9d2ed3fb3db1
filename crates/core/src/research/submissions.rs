//! Reading a KoboToolbox / ODK submissions export (CSV) against a
//! questionnaire. Kobo's default export: `;` separated (`,` is read too,
//! whichever the header uses more), one column per question named by its
//! path (`group/question`; the bare name or the label are matched as
//! well), several choices as their names separated by spaces (the extra
//! `question/choice` columns of 0s and 1s are passed over), and metadata
//! columns that begin with `_`, of which `_uuid` identifies the
//! submission and `_submission_time` dates it.
//!
//! Graded: an answer that cannot be read (a value not among the choices,
//! a non-number, a bad date), a missing or repeated `_uuid` are errors
//! (nothing is imported); a required question left blank (the form may
//! have skipped it), a column no question has and a question no column has
//! are warnings.

use std::collections::HashMap;

use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::questionnaire::{
    Answers, NewResponse, Question, QuestionKind, Questionnaire, ResponseSource,
};
use crate::csv_import::{Column, LineIndex, Problem, Report, find_control_characters};
use crate::i18n::Message;

/// Columns the phone or the server fills in, never answers.
const METADATA: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "audit",
    "meta/instanceid",
    "meta/instancename",
    "meta/rootuuid",
    "meta/deprecatedid",
    "formhub/uuid",
    "instanceid",
];

/// The separator the header line uses most, outside quotes.
pub fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let (mut semi, mut comma, mut quoted) = (0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semi += 1,
            ',' if !quoted => comma += 1,
            _ => {}
        }
    }
    if semi > comma { b';' } else { b',' }
}

/// What a header is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Question(usize),
    Uuid,
    SubmittedAt,
    Ignored,
    Unknown,
}

fn use_of(header: &str, q: &Questionnaire) -> Use {
    let h = header.trim();
    if h == "_uuid" {
        return Use::Uuid;
    }
    if h == "_submission_time" {
        return Use::SubmittedAt;
    }
    if h.starts_with('_') || METADATA.contains(&h.to_ascii_lowercase().as_str()) {
        return Use::Ignored;
    }
    let qs = &q.questions;
    if let Some(i) = qs.iter().position(|x| x.path() == h) {
        return Use::Question(i);
    }
    // Exported without group names, or with labels for headers.
    let by_name: Vec<usize> = (0..qs.len()).filter(|&i| qs[i].name == h).collect();
    if by_name.len() == 1 {
        return Use::Question(by_name[0]);
    }
    let by_label: Vec<usize> = (0..qs.len()).filter(|&i| qs[i].label == h).collect();
    if by_label.len() == 1 {
        return Use::Question(by_label[0]);
    }
    // A select_multiple's column per choice: `path/choice` (or `path.choice`).
    if let Some((path, choice)) = h.rsplit_once('/').or_else(|| h.rsplit_once('.')) {
        let is_choice_column = |x: &Question| {
            x.kind == QuestionKind::SelectMultiple
                && (x.path() == path || x.name == path)
                && x.choice(choice).is_some()
        };
        if qs.iter().any(is_choice_column) {
            return Use::Ignored;
        }
    }
    Use::Unknown
}

/// When Kobo says it was submitted: `2024-05-01T10:12:33` (UTC) or with
/// its offset.
fn submitted_at(raw: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let v = raw.trim();
    if let Ok(t) = OffsetDateTime::parse(v, &Rfc3339) {
        return Some(t.to_offset(UtcOffset::UTC));
    }
    let plain = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let v = v.split('.').next().unwrap_or(v).replace(' ', "T");
    PrimitiveDateTime::parse(&v, plain)
        .ok()
        .map(|p| p.assume_utc())
}

/// One submission read, with the line it is on.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    pub line: u64,
    pub response: NewResponse,
}

/// The longest `_uuid` kept.
pub const MAX_UUID: usize = 100;

/// Reads the export. Submissions come back even when `report` has errors
/// (the caller refuses the file then); lines are the file's own.
pub fn read(text: &str, q: &Questionnaire, report: &mut Report) -> Vec<Submission> {
    let mut out = Vec::new();
    if find_control_characters(text, report) {
        return out;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    let lines = LineIndex::new(text.as_bytes());
    let line_of =
        |p: Option<&csv::Position>| p.map(|p| lines.line_of_record(p.byte())).unwrap_or(0);
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            report.push(Problem::error(
                1,
                None,
                Message::new("import.unreadable").arg("reason", e),
            ));
            return out;
        }
        None => {
            report.push(Problem::error(0, None, Message::new("import.empty_file")));
            return out;
        }
    };
    let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let column = |i: usize| Column {
        number: i + 1,
        name: headers[i].clone(),
    };
    let uses: Vec<Use> = headers.iter().map(|h| use_of(h, q)).collect();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for (i, u) in uses.iter().enumerate() {
        match u {
            Use::Question(k) if seen.insert(*k, i).is_some() => {
                report.push(Problem::error(
                    1,
                    Some(column(i)),
                    Message::new("import.duplicate_column"),
                ));
            }
            Use::Unknown if !headers[i].is_empty() => {
                report.push(Problem::warning(
                    1,
                    Some(column(i)),
                    Message::new("research.import.column_not_asked"),
                ));
            }
            _ => {}
        }
    }
    for (k, question) in q.questions.iter().enumerate() {
        if !seen.contains_key(&k) {
            report.push(Problem::warning(
                1,
                None,
                Message::new("research.import.question_not_in_file")
                    .arg("question", question.path()),
            ));
        }
    }
    let Some(uuid_col) = uses.iter().position(|u| *u == Use::Uuid) else {
        report.push(Problem::error(
            1,
            None,
            Message::new("import.missing_column").arg("column", "_uuid"),
        ));
        return out;
    };
    let time_col = uses.iter().position(|u| *u == Use::SubmittedAt);
    let mut uuids: HashMap<String, u64> = HashMap::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                report.push(Problem::error(
                    line_of(e.position()),
                    None,
                    Message::new("import.unreadable").arg("reason", e),
                ));
                continue;
            }
        };
        let line = line_of(rec.position());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() > headers.len() {
            report.push(Problem::error(
                line,
                None,
                Message::new("import.too_many_fields")
                    .arg("found", rec.len())
                    .arg("expected", headers.len()),
            ));
            continue;
        }
        let uuid = rec.get(uuid_col).unwrap_or("").trim().to_string();
        if uuid.is_empty() {
            report.push(Problem::error(
                line,
                Some(column(uuid_col)),
                Message::new("research.import.uuid_required"),
            ));
        } else if uuid.chars().count() > MAX_UUID {
            report.push(Problem::error(
                line,
                Some(column(uuid_col)),
                Message::new("validation.too_long").arg("max", MAX_UUID),
            ));
        } else if let Some(first) = uuids.insert(uuid.clone(), line) {
            report.push(Problem::error(
                line,
                Some(column(uuid_col)),
                Message::new("research.import.uuid_twice").arg("line", first),
            ));
        }
        let when = time_col.and_then(|c| {
            let raw = rec.get(c).unwrap_or("").trim();
            if raw.is_empty() {
                return None;
            }
            let t = submitted_at(raw);
            if t.is_none() {
                report.push(Problem::warning(
                    line,
                    Some(column(c)),
                    Message::new("research.import.bad_time").arg("value", raw),
                ));
            }
            t
        });
        let mut answers = Answers::new();
        for (k, question) in q.questions.iter().enumerate() {
            let Some(&i) = seen.get(&k) else { continue };
            let raw = rec.get(i).unwrap_or("");
            match question.parse_answer(raw) {
                Ok(Some(a)) => {
                    answers.insert(question.path(), a);
                }
                Ok(None) if question.required => report.push(Problem::warning(
                    line,
                    Some(column(i)),
                    Message::new("research.import.required_blank"),
                )),
                Ok(None) => {}
                Err(m) => report.push(Problem::error(line, Some(column(i)), m)),
            }
        }
        out.push(Submission {
            line,
            response: NewResponse {
                uuid,
                submitted_at: when,
                answers,
                source: ResponseSource::Import,
            },
        });
    }
    if out.is_empty() && !report.has_errors() {
        report.push(Problem::error(
            0,
            None,
            Message::new("research.import.no_rows"),
        ));
    }
    out
}

/// Writes responses as Kobo would export them (`;` separated, paths as
/// headers, then `_uuid` and `_submission_time`), so a file the app wrote
/// imports back, and the demo can build its export.
pub fn write(q: &Questionnaire, responses: &[NewResponse]) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let mut header: Vec<String> = q.questions.iter().map(Question::path).collect();
    header.push("_uuid".into());
    header.push("_submission_time".into());
    let _ = w.write_record(&header);
    for r in responses {
        let mut row: Vec<String> = q
            .questions
            .iter()
            .map(|x| {
                r.answers
                    .get(&x.path())
                    .map(|a| crate::csv_import::safe_field(&a.export_text()))
                    .unwrap_or_default()
            })
            .collect();
        row.push(r.uuid.clone());
        row.push(
            r.submitted_at
                .and_then(|t| {
                    t.format(time::macros::format_description!(
                        "[year]-[month]-[day]T[hour]:[minute]:[second]"
                    ))
                    .ok()
                })
                .unwrap_or_default(),
        );
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_import::Severity;
    use crate::research::questionnaire::{Answer, QuestionInput};

    fn form() -> Questionnaire {
        let mut q = Questionnaire {
            title: "Re-spend".into(),
            questions: Vec::new(),
        };
        for i in [
            QuestionInput {
                name: "interviewed_on".into(),
                label: "Day".into(),
                kind: "date".into(),
                required: "yes".into(),
                ..Default::default()
            },
            QuestionInput {
                name: "shop".into(),
                group: "spend".into(),
                label: "Shop".into(),
                kind: "select_one".into(),
                choices: "local\ncity\nonline".into(),
                ..Default::default()
            },
            QuestionInput {
                name: "lunch".into(),
                group: "spend".into(),
                label: "Lunch".into(),
                kind: "select_multiple".into(),
                choices: "canteen\ncafe\nhome".into(),
                ..Default::default()
            },
            QuestionInput {
                name: "people".into(),
                label: "People at home".into(),
                kind: "integer".into(),
                ..Default::default()
            },
        ] {
            let x = i.validate(&q).unwrap();
            q.questions.push(x);
        }
        q
    }

    #[test]
    fn a_kobo_export_reads_with_its_metadata_passed_over() {
        let text = "start;end;interviewed_on;spend/shop;spend/lunch;spend/lunch/canteen;spend/lunch/cafe;spend/lunch/home;people;_id;_uuid;_submission_time;_validation_status;__version__\n\
            2025-03-04T09:00:00.000+00:00;2025-03-04T09:05:00.000+00:00;2025-03-04;local;canteen cafe;1;1;0;3;1;a1;2025-03-04T09:06:01;;v1\n\
            ;;2025-03-05;online;;0;0;0;;2;a2;2025-03-05T10:00:00;;v1\n";
        let mut report = Report::new("kobo.csv");
        let subs = read(text, &form(), &mut report);
        assert!(!report.has_errors(), "{report}");
        assert_eq!(report.problems.len(), 0, "{report}");
        assert_eq!(subs.len(), 2);
        assert_eq!(subs[1].line, 3);
        let a = &subs[0].response.answers;
        assert_eq!(
            a["spend/lunch"],
            Answer::Many(vec!["canteen".into(), "cafe".into()])
        );
        assert_eq!(a["people"], Answer::Integer(3));
        assert_eq!(subs[0].response.uuid, "a1");
        assert!(subs[0].response.submitted_at.is_some());
        // Written back and read again: the same answers.
        let responses: Vec<NewResponse> = subs.iter().map(|s| s.response.clone()).collect();
        let again = read(&write(&form(), &responses), &form(), &mut Report::new("x"));
        assert_eq!(
            again.iter().map(|s| &s.response).collect::<Vec<_>>(),
            responses.iter().collect::<Vec<_>>()
        );
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column() {
        let text = "interviewed_on,spend/shop,spend/lunch,people,extra,_uuid\n\
            2025-03-04,local,cafe,2,x,a1\n\
            \n\
            31/02/2025,market,cafe pub,two,,a2\n\
            ,city,,,,a1\n";
        let mut report = Report::new("kobo.csv");
        read(text, &form(), &mut report);
        let got: Vec<(Severity, u64, usize, &str)> = report
            .problems
            .iter()
            .map(|p| {
                (
                    p.severity,
                    p.line,
                    p.column.as_ref().map_or(0, |c| c.number),
                    p.message.key.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Severity::Warning, 1, 5, "research.import.column_not_asked"),
                (Severity::Error, 4, 1, "research.answer.bad_date"),
                (Severity::Error, 4, 2, "research.answer.not_a_choice"),
                (Severity::Error, 4, 3, "research.answer.not_a_choice"),
                (Severity::Error, 4, 4, "research.answer.not_whole"),
                (Severity::Error, 5, 6, "research.import.uuid_twice"),
                (Severity::Warning, 5, 1, "research.import.required_blank"),
            ]
        );
    }

    #[test]
    fn the_separator_is_the_header_s() {
        assert_eq!(separator("a;b;\"c,d\"\n"), b';');
        assert_eq!(separator("a,b;c,d\n"), b',');
    }
}
