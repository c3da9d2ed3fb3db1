//! Reading an XLSForm (the spreadsheet KoboToolbox and ODK define forms
//! in): its `survey` sheet's questions, with their groups, and its
//! `choices` sheet's lists. The six kinds the app keeps are read; notes,
//! calculations and the device's metadata (`start`, `deviceid`…) are not
//! questions and are passed over; any other kind (a photo, a location, a
//! choice from a file) and the questions of a repeat (exported to other
//! sheets, not the submissions file) are warned about and left out. Every
//! problem names the sheet's row and its column.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::questionnaire::{ChoiceOption, Question, QuestionKind, Questionnaire, is_name};
use crate::anchors::spreadsheet::{MAX_CELLS, MAX_UNPACKED_BYTES, unpacked_size};
use crate::csv_import::{Column, Problem, Report};
use crate::i18n::Message;

/// Types that are not questions: what the phone records by itself, notes
/// shown to the person asking, and values the form works out.
const NOT_QUESTIONS: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "note",
    "calculate",
    "hidden",
];

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("{e}"),
    }
}

/// A sheet as text: its header (lower case, trimmed) and rows, each with
/// its row number in the sheet.
struct Sheet {
    name: String,
    headers: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

impl Sheet {
    fn column(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.headers.iter().position(|h| h == n))
    }

    /// The label column: `label`, else the English one of a translated
    /// form (`label::English (en)`), else the first translation.
    fn label_column(&self) -> Option<usize> {
        self.column(&["label"])
            .or_else(|| {
                self.headers.iter().position(|h| {
                    (h.starts_with("label::") || h.starts_with("label:"))
                        && (h.contains("english") || h.contains("(en)"))
                })
            })
            .or_else(|| {
                self.headers
                    .iter()
                    .position(|h| h.starts_with("label::") || h.starts_with("label:"))
            })
    }

    fn at(&self, number: usize) -> Column {
        Column {
            number: number + 1,
            name: format!("{}: {}", self.name, self.headers[number]),
        }
    }
}

fn get(row: &[String], i: Option<usize>) -> &str {
    i.and_then(|i| row.get(i)).map(String::as_str).unwrap_or("")
}

fn read_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, Message> {
    let unreadable = |e: String| Message::new("research.xlsform.unreadable").arg("reason", e);
    if unpacked_size(bytes).is_some_and(|n| n > MAX_UNPACKED_BYTES) {
        return Err(Message::new("anchors.spend.spreadsheet_too_big"));
    }
    if !bytes.starts_with(b"PK") {
        return Err(Message::new("research.xlsform.not_xlsx"));
    }
    let read = || -> Result<Vec<Sheet>, Message> {
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
            .map_err(|e| unreadable(e.to_string()))?;
        let mut out = Vec::new();
        for name in book.sheet_names().to_vec() {
            let range = book
                .worksheet_range(&name)
                .map_err(|e| unreadable(e.to_string()))?;
            let (rows, columns) = range.get_size();
            if (rows as u64).saturating_mul(columns as u64) > MAX_CELLS {
                return Err(Message::new("anchors.spend.spreadsheet_too_big"));
            }
            let first = range.start().map(|(r, _)| u64::from(r)).unwrap_or(0);
            let mut it = range.rows().enumerate();
            let mut headers = Vec::new();
            for (_, row) in it.by_ref() {
                let cells: Vec<String> = row.iter().map(cell_text).collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    headers = cells.iter().map(|h| h.trim().to_lowercase()).collect();
                    break;
                }
            }
            let mut body = Vec::new();
            for (i, row) in it {
                let cells: Vec<String> = row.iter().map(cell_text).collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    body.push((first + i as u64 + 1, cells));
                }
            }
            out.push(Sheet {
                name: name.trim().to_lowercase(),
                headers,
                rows: body,
            });
        }
        Ok(out)
    };
    // calamine panics on some damaged workbooks: a damaged file to report.
    std::panic::catch_unwind(read)
        .unwrap_or_else(|_| Err(unreadable("the workbook is damaged".to_string())))
}

/// The kind a `type` cell names, with the list it chooses from.
enum Kind {
    Question(QuestionKind, Option<String>),
    BeginGroup,
    EndGroup,
    BeginRepeat,
    EndRepeat,
    Skip,
    Unsupported,
}

fn kind_of(raw: &str) -> Kind {
    let t = raw.split_whitespace().collect::<Vec<_>>();
    let lower: Vec<String> = t.iter().map(|s| s.to_lowercase()).collect();
    let words: Vec<&str> = lower.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["begin", "group"] | ["begin_group"] => Kind::BeginGroup,
        ["end", "group"] | ["end_group"] => Kind::EndGroup,
        ["begin", "repeat"] | ["begin_repeat"] => Kind::BeginRepeat,
        ["end", "repeat"] | ["end_repeat"] => Kind::EndRepeat,
        ["text"] | ["string"] => Kind::Question(QuestionKind::Text, None),
        ["integer"] | ["int"] => Kind::Question(QuestionKind::Integer, None),
        ["decimal"] => Kind::Question(QuestionKind::Decimal, None),
        ["date"] => Kind::Question(QuestionKind::Date, None),
        ["select_one", _] | ["select1", _] => {
            Kind::Question(QuestionKind::SelectOne, Some(t[1].to_string()))
        }
        ["select_multiple", _] | ["select_all_that_apply", _] => {
            Kind::Question(QuestionKind::SelectMultiple, Some(t[1].to_string()))
        }
        [one] if NOT_QUESTIONS.contains(one) => Kind::Skip,
        _ => Kind::Unsupported,
    }
}

/// Reads an XLSForm. `None` (with errors in `report`) when it cannot be
/// used; warnings name what was left out.
pub fn read(bytes: &[u8], file_name: &str, report: &mut Report) -> Option<Questionnaire> {
    let sheets = match read_sheets(bytes) {
        Ok(s) => s,
        Err(m) => {
            report.push(Problem::error(0, None, m));
            return None;
        }
    };
    let Some(survey) = sheets.iter().find(|s| s.name == "survey") else {
        report.push(Problem::error(
            0,
            None,
            Message::new("research.xlsform.no_sheet").arg("sheet", "survey"),
        ));
        return None;
    };
    let choices_sheet = sheets.iter().find(|s| s.name == "choices");
    let title = sheets
        .iter()
        .find(|s| s.name == "settings")
        .and_then(|s| {
            s.rows
                .first()
                .map(|(_, r)| get(r, s.column(&["form_title", "title"])).to_string())
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            file_name
                .rsplit_once('.')
                .map(|(stem, _)| stem)
                .unwrap_or(file_name)
                .replace('_', " ")
        });

    // The lists, by name.
    let mut lists: Vec<(String, Vec<ChoiceOption>)> = Vec::new();
    if let Some(c) = choices_sheet {
        let (list_col, name_col, label_col) = (
            c.column(&["list_name", "list name"]),
            c.column(&["name"]),
            c.label_column(),
        );
        for (col, what) in [(list_col, "list_name"), (name_col, "name")] {
            if col.is_none() {
                report.push(Problem::error(
                    1,
                    None,
                    Message::new("research.xlsform.missing_column")
                        .arg("sheet", "choices")
                        .arg("column", what),
                ));
            }
        }
        if list_col.is_some() && name_col.is_some() {
            for (line, row) in &c.rows {
                let list = get(row, list_col);
                let name = get(row, name_col);
                if list.is_empty() && name.is_empty() {
                    continue;
                }
                if list.is_empty() || name.is_empty() {
                    let col = if list.is_empty() { list_col } else { name_col };
                    report.push(Problem::error(
                        *line,
                        col.map(|i| c.at(i)),
                        Message::new("research.xlsform.blank_cell"),
                    ));
                    continue;
                }
                let label = match get(row, label_col) {
                    "" => name.to_string(),
                    l => l.to_string(),
                };
                let entry = match lists.iter_mut().find(|(n, _)| n == list) {
                    Some(e) => e,
                    None => {
                        lists.push((list.to_string(), Vec::new()));
                        lists.last_mut().expect("just pushed")
                    }
                };
                if entry.1.iter().any(|o| o.name == name) {
                    report.push(Problem::error(
                        *line,
                        name_col.map(|i| c.at(i)),
                        Message::new("research.question.choice_twice").arg("value", name),
                    ));
                } else {
                    entry.1.push(ChoiceOption {
                        name: name.to_string(),
                        label,
                    });
                }
            }
        }
    }

    let (type_col, name_col, label_col, required_col, personal_col, relevant_col) = (
        survey.column(&["type"]),
        survey.column(&["name"]),
        survey.label_column(),
        survey.column(&["required"]),
        survey.column(&["personal"]),
        survey.column(&["relevant"]),
    );
    for (col, what) in [(type_col, "type"), (name_col, "name")] {
        if col.is_none() {
            report.push(Problem::error(
                1,
                None,
                Message::new("research.xlsform.missing_column")
                    .arg("sheet", "survey")
                    .arg("column", what),
            ));
        }
    }
    if type_col.is_none() || name_col.is_none() {
        return None;
    }
    let at = |i: Option<usize>| i.map(|i| survey.at(i));
    // Open groups: name, whether a repeat, whether shown only on a condition.
    let mut groups: Vec<(String, bool, bool)> = Vec::new();
    let mut q = Questionnaire {
        title,
        questions: Vec::new(),
    };
    for (line, row) in &survey.rows {
        let line = *line;
        let raw_type = get(row, type_col);
        let name = get(row, name_col).to_string();
        let in_repeat = groups.iter().any(|(_, repeat, _)| *repeat);
        match kind_of(raw_type) {
            Kind::BeginGroup | Kind::BeginRepeat => {
                let repeat = matches!(kind_of(raw_type), Kind::BeginRepeat);
                if repeat && !in_repeat {
                    report.push(Problem::warning(
                        line,
                        at(type_col),
                        Message::new("research.xlsform.repeat_left_out").arg("name", &name),
                    ));
                }
                if !name.is_empty() && !is_name(&name) {
                    report.push(Problem::error(
                        line,
                        at(name_col),
                        Message::new("research.question.bad_group").arg("value", &name),
                    ));
                }
                let conditional = !get(row, relevant_col).is_empty();
                groups.push((name, repeat, conditional));
            }
            Kind::EndGroup | Kind::EndRepeat => {
                if groups.pop().is_none() {
                    report.push(Problem::error(
                        line,
                        at(type_col),
                        Message::new("research.xlsform.unopened_end"),
                    ));
                }
            }
            Kind::Skip => {}
            _ if in_repeat => {}
            Kind::Unsupported => {
                if !raw_type.is_empty() || !name.is_empty() {
                    report.push(Problem::warning(
                        line,
                        at(type_col),
                        Message::new("research.xlsform.kind_left_out")
                            .arg("kind", raw_type)
                            .arg("name", &name),
                    ));
                }
            }
            Kind::Question(kind, list) => {
                if name.is_empty() {
                    report.push(Problem::error(
                        line,
                        at(name_col),
                        Message::new("research.xlsform.blank_cell"),
                    ));
                    continue;
                }
                if !is_name(&name) || name.chars().count() > 100 {
                    report.push(Problem::error(
                        line,
                        at(name_col),
                        Message::new("research.question.bad_name").arg("value", &name),
                    ));
                    continue;
                }
                let choices = match &list {
                    Some(l) => match lists.iter().find(|(n, _)| n == l) {
                        Some((_, c)) => c.clone(),
                        None => {
                            report.push(Problem::error(
                                line,
                                at(type_col),
                                Message::new("research.xlsform.no_list").arg("list", l),
                            ));
                            continue;
                        }
                    },
                    None => Vec::new(),
                };
                let label = match get(row, label_col) {
                    "" => name.clone(),
                    l => l.to_string(),
                };
                let group = groups
                    .iter()
                    .filter(|(g, _, _)| !g.is_empty())
                    .map(|(g, _, _)| g.as_str())
                    .collect::<Vec<_>>()
                    .join("/");
                let question = Question {
                    name: name.clone(),
                    group,
                    label: label.chars().take(500).collect(),
                    kind,
                    choices,
                    // A question the form may skip (a `relevant` condition,
                    // here or on its group) is never required: the app does
                    // not evaluate conditions, and a skipped answer is blank.
                    required: matches!(
                        get(row, required_col).to_ascii_lowercase().as_str(),
                        "yes" | "true" | "true()" | "1"
                    ) && get(row, relevant_col).is_empty()
                        && !groups.iter().any(|(_, _, conditional)| *conditional),
                    personal: matches!(
                        get(row, personal_col).to_ascii_lowercase().as_str(),
                        "yes" | "true" | "1"
                    ),
                };
                if q.question(&question.path()).is_some() {
                    report.push(Problem::error(
                        line,
                        at(name_col),
                        Message::new("research.question.taken").arg("value", question.path()),
                    ));
                    continue;
                }
                q.questions.push(question);
            }
        }
    }
    if !report.has_errors() && q.questions.is_empty() {
        report.push(Problem::error(
            0,
            None,
            Message::new("research.xlsform.no_questions"),
        ));
    }
    if report.has_errors() {
        return None;
    }
    // The names the app would refuse on its own form are refused here too.
    match q.validate() {
        Ok(q) => Some(q),
        Err(invalid) => {
            for f in invalid.0 {
                report.push(Problem::error(0, None, f.message.arg("field", &f.field)));
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UCL: &[u8] =
        include_bytes!("../../../../data/research/xlsform/UCL_Biomass_Plot_Form.xlsx");

    /// A real field form (UCL's biomass plots, in Swahili and English):
    /// its English labels, groups as paths, lists from the choices sheet,
    /// and warnings for what the app does not keep.
    #[test]
    fn a_real_form_reads_with_what_is_left_out_warned() {
        let mut report = Report::new("UCL_Biomass_Plot_Form.xlsx");
        let q = read(UCL, "UCL_Biomass_Plot_Form.xlsx", &mut report).expect("reads");
        assert!(!report.has_errors(), "{report}");
        let paths: Vec<String> = q.questions.iter().map(Question::path).collect();
        assert_eq!(
            paths,
            [
                "info/leader_name",
                "info/leader_name_other",
                "info/leader_number",
                "location/plant_phase",
                "location/canopy_cover",
                "location/monumented",
                "location/slope",
                "any_trees",
                "stumps_in_plot",
                "regen_in_subplot1",
                "regen_in_subplot2",
                "disturbance",
                "remarks",
            ]
        );
        let leader = &q.questions[0];
        assert_eq!(leader.label, "Your Name");
        assert_eq!(leader.kind, QuestionKind::SelectOne);
        assert!(leader.required);
        // Asked only when the leader is "other": never required here.
        assert!(!q.questions[1].required);
        assert_eq!(leader.choices.len(), 3);
        let d = q.question("disturbance").unwrap();
        assert_eq!(d.kind, QuestionKind::SelectMultiple);
        assert_eq!(d.choices.len(), 7);
        assert_eq!(
            q.question("location/plant_phase").unwrap().choices[0].name,
            "2022"
        );
        // Four choices from files, a location, a photo, four repeats.
        let warned: Vec<u64> = report.warnings().map(|p| p.line).collect();
        assert_eq!(warned, [16, 17, 18, 20, 22, 23, 32, 56, 72, 80]);
        assert_eq!(q.title, "UCL Biomass Plot Form");
    }

    /// The XLSForm project's own specification form: every kind of
    /// question inside a group shown on a condition (so none is required),
    /// a repeat, and a question whose name cell is the boolean FALSE.
    #[test]
    fn the_specification_form_reads_with_its_kinds() {
        let bytes = include_bytes!("../../../../data/research/xlsform/xlsform_spec_test.xlsx");
        let mut report = Report::new("xlsform_spec_test.xlsx");
        let q = read(bytes, "xlsform_spec_test.xlsx", &mut report).expect("reads");
        assert!(!report.has_errors(), "{report}");
        assert_eq!(report.warning_count(), 10, "{report}");
        let date = q.question("everything/date_test").unwrap();
        assert_eq!(date.kind, QuestionKind::Date);
        assert!(q.questions.iter().all(|x| !x.required));
        assert_eq!(q.questions.last().unwrap().path(), "launch");
        assert!(q.question("everything/false").is_some());
    }

    /// A name no export could write as a column is refused at its cell.
    #[test]
    fn a_bad_name_is_refused_at_its_cell() {
        let mut report = Report::new("x.xlsx");
        let sheet = Sheet {
            name: "survey".into(),
            headers: vec!["type".into(), "name".into()],
            rows: vec![],
        };
        assert_eq!(sheet.at(1).name, "survey: name");
        assert!(!is_name("2nd visit"));
        assert!(read(b"PK\x03\x04", "x.xlsx", &mut report).is_none());
        assert_eq!(
            report.problems[0].message.key,
            "research.xlsform.unreadable"
        );
    }

    #[test]
    fn what_is_not_a_workbook_is_refused() {
        let mut report = Report::new("x.xlsx");
        assert!(read(b"type,name\ntext,a\n", "x.xlsx", &mut report).is_none());
        assert_eq!(report.problems[0].message.key, "research.xlsform.not_xlsx");
    }
}
