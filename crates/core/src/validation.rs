//! Field-level validation shared by forms, the API and CSV imports.
//!
//! Each check names the field it is about, so the web form can put the error
//! beside the input, the API can return a JSON pointer, and an import can name
//! the column.

use serde::Serialize;
use time::Date;

use crate::i18n::Message;

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: Message,
}

/// The input was not accepted; each entry names a field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: &str, message: Message) -> Self {
        Self(vec![FieldError {
            field: field.to_string(),
            message,
        }])
    }

    /// Every field's problem as one message (see [`message_of`]).
    pub fn message(&self) -> Message {
        message_of(&self.0)
    }
}

/// Every field's problem as one message, each said in its reader's words
/// when read ("full_name: Enter the person's full name; …"), so a message
/// kept to say later (a failed job's reason) is not English text fixed
/// when it was written.
pub fn message_of(errs: &[FieldError]) -> Message {
    let each: Vec<Message> = errs
        .iter()
        .map(|e| {
            Message::new("store.field")
                .arg("field", &e.field)
                .said("message", &e.message)
        })
        .collect();
    Message::new("store.invalid").said_each("detail", &each)
}

/// Collects field errors while a whole input is checked, so a person sees
/// every problem at once rather than one per attempt.
#[derive(Clone, Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: Message) {
        self.0.push(FieldError {
            field: field.to_string(),
            message,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    /// `Ok(value)` when nothing was wrong.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Invalid> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(Invalid(self.0))
        }
    }

    /// A required text field: trimmed, not empty, at most `max` characters.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.add(field, Message::new(format!("validation.required.{field}")));
        } else if v.chars().count() > max {
            self.add(field, Message::new("validation.too_long").arg("max", max));
        }
        v.to_string()
    }

    /// An optional text field: trimmed, blank becomes `None`.
    pub fn optional(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        if v.chars().count() > max {
            self.add(field, Message::new("validation.too_long").arg("max", max));
        }
        Some(v.to_string())
    }

    /// A required calendar date.
    pub fn required_date(&mut self, field: &str, value: &str) -> Option<Date> {
        if value.trim().is_empty() {
            self.add(field, Message::new(format!("validation.required.{field}")));
            return None;
        }
        self.optional_date(field, value)
    }

    /// An optional calendar date as people type it (see [`parse_date`]).
    /// One that cannot be read names its field: `validation.date.{field}`
    /// when the catalogue has it ("The start date ... is not a date"),
    /// else the general message.
    pub fn optional_date(&mut self, field: &str, value: &str) -> Option<Date> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        match parse_date(v) {
            Some(d) => Some(d),
            None => {
                let named = format!("validation.date.{field}");
                let key = if crate::i18n::has(&named) {
                    named
                } else {
                    "validation.date".into()
                };
                self.add(field, Message::new(key).arg("value", v));
                None
            }
        }
    }

    /// An optional e-mail address.
    pub fn optional_email(&mut self, field: &str, value: &str) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        if !is_plausible_email(v) {
            self.add(field, Message::new("validation.email"));
        }
        Some(v.to_string())
    }
}

/// A day as people type it, day first the way it is written in the UK:
/// `7/12/2026`, `07-12-2026`, `7.12.2026`, `7 December 2026`, `7 Dec 2026`,
/// `7-Dec-2026`, and ISO `2026-12-07`. The year has four digits (a
/// two-digit year is not guessed at) and the day must exist. Every list
/// filter and form that takes a date reads it here.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let parts: Vec<&str> = s
        .split(['/', '-', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    let (y, m, d) = if a.len() == 4 && a.bytes().all(|x| x.is_ascii_digit()) {
        (a, b, c)
    } else {
        (c, b, a)
    };
    let digits = |t: &str, max: usize| {
        !t.is_empty() && t.len() <= max && t.bytes().all(|x| x.is_ascii_digit())
    };
    if y.len() != 4 || !digits(y, 4) || !digits(d, 2) {
        return None;
    }
    let month = if digits(m, 2) {
        time::Month::try_from(m.parse::<u8>().ok()?).ok()?
    } else {
        month_named(m)?
    };
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// `December`, `Dec`, `Sept` (any case), in English or French.
fn month_named(name: &str) -> Option<time::Month> {
    const NAMES: [&[&str]; 12] = [
        &["january", "janvier", "janv"],
        &["february", "février", "fevrier", "févr", "fevr"],
        &["march", "mars"],
        &["april", "avril", "avr"],
        &["may", "mai"],
        &["june", "juin"],
        &["july", "juillet", "juil"],
        &["august", "août", "aout"],
        &["september", "sept", "septembre"],
        &["october", "octobre"],
        &["november", "novembre"],
        &["december", "décembre", "decembre", "déc"],
    ];
    let n = name.to_lowercase();
    let n = n.trim_end_matches('.');
    let i = NAMES.iter().position(|names| {
        names.contains(&n) || (n.chars().count() == 3 && names[0].starts_with(n))
    })?;
    time::Month::try_from(i as u8 + 1).ok()
}

/// A deliberately loose check: one `@`, something either side, a dot in the
/// domain, no spaces. Deliverability is the mail server's business.
pub fn is_plausible_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(char::is_whitespace) {
        return false;
    }
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_in_iso_and_uk_forms() {
        assert_eq!(parse_date("2024-03-01"), Some(date!(2024 - 03 - 01)));
        assert_eq!(parse_date("01/03/2024"), Some(date!(2024 - 03 - 01)));
        assert_eq!(parse_date("1/3/2024"), Some(date!(2024 - 03 - 01)));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("03/01/24"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn dates_as_people_type_them() {
        let day = Some(date!(2026 - 12 - 07));
        for typed in [
            "7/12/2026",
            "07/12/2026",
            "07-12-2026",
            "7-12-2026",
            "7.12.2026",
            "7 12 2026",
            "7 December 2026",
            "7 december 2026",
            "7 Dec 2026",
            "7 DEC 2026",
            "7-Dec-2026",
            "07 Dec. 2026",
            "  7 December 2026 ",
            "7 décembre 2026",
            "2026-12-07",
            "2026/12/07",
        ] {
            assert_eq!(parse_date(typed), day, "{typed:?}");
        }
        assert_eq!(parse_date("1 Sept 2025"), Some(date!(2025 - 09 - 01)));
        assert_eq!(parse_date("29 Feb 2024"), Some(date!(2024 - 02 - 29)));
        for bad in [
            "",
            "7 December",
            "December 2026",
            "7/12/26",
            "31 June 2026",
            "29 Feb 2025",
            "7 Decembar 2026",
            "7 De 2026",
            "13/13/2026",
            "7/12/2026/1",
            "2026-12",
            "1e3/12/2026",
            "+7/12/2026",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_unreadable_date_names_its_field() {
        let mut e = Errors::new();
        e.optional_date("from", "7 Smarch 2026");
        e.optional_date("joined_on", "soon");
        let err = e.finish(|| ()).unwrap_err();
        assert_eq!(err.0[0].field, "from");
        assert_eq!(err.0[0].message.key, "validation.date.from");
        assert!(
            err.0[0].message.text().contains("start date"),
            "{}",
            err.0[0].message.text()
        );
        assert!(err.0[0].message.text().contains("7 Smarch 2026"));
        assert_eq!(err.0[1].message.key, "validation.date");
    }

    #[test]
    fn emails() {
        assert!(is_plausible_email("a.person@example.org"));
        assert!(!is_plausible_email("a person@example.org"));
        assert!(!is_plausible_email("nobody"));
        assert!(!is_plausible_email("a@b"));
        assert!(!is_plausible_email("a@@b.org"));
    }

    #[test]
    fn collects_every_error() {
        let mut e = Errors::new();
        e.required("name", "  ", 10);
        e.optional_date("joined_on", "31/02/2020");
        let err = e.finish(|| ()).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "joined_on"]);
    }
}

/// The first character no text from outside may hold: NUL (PostgreSQL
/// refuses it where SQLite would quietly keep it, so the two would differ),
/// the other C0 controls except tab, line feed and carriage return, and
/// DEL. None of these is typed by a person; they arrive from a tampered
/// request or a damaged file, and are refused where the text enters.
pub fn control_character(text: &str) -> Option<char> {
    text.chars().find(
        |c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'),
    )
}

/// The longest text one field of a form, query or JSON body may hold.
/// Long enough for a research brief or a case study pasted whole; short
/// enough that no field (a supplier's name sent as 30 MB) can make every
/// list that shows it megabytes long. Fields with a tighter rule of their
/// own (names, postcodes) check it in their `validate`.
pub const MAX_FIELD_CHARS: usize = 65_536;

/// Refuses text holding a control character, or longer than
/// [`MAX_FIELD_CHARS`], naming its field.
pub fn plain_text(field: &str, text: &str) -> Result<(), Invalid> {
    if text.len() > MAX_FIELD_CHARS && text.chars().count() > MAX_FIELD_CHARS {
        return Err(Invalid::one(
            field,
            Message::new("validation.field_too_long").arg("field", field),
        ));
    }
    match control_character(text) {
        Some(_) => Err(Invalid::one(
            field,
            Message::new("validation.control_character").arg("field", field),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod control_character_tests {
    use super::*;

    #[test]
    fn null_bytes_and_controls_are_refused_but_line_breaks_and_tabs_kept() {
        assert_eq!(control_character("Ladywood\0"), Some('\0'));
        assert_eq!(control_character("a\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(control_character("a\u{7f}"), Some('\u{7f}'));
        assert_eq!(control_character("line one\r\nline two\tend"), None);
        assert_eq!(control_character("Café – ☕"), None);
        let err = plain_text("email", "a\0@b").unwrap_err();
        assert_eq!(err.0[0].field, "email");
        assert!(plain_text("email", "a@b").is_ok());
    }

    #[test]
    fn a_field_longer_than_the_limit_is_refused_by_name() {
        let long = "é".repeat(MAX_FIELD_CHARS);
        assert!(
            plain_text("name", &long).is_ok(),
            "the limit counts characters"
        );
        let err = plain_text("name", &format!("{long}x")).unwrap_err();
        assert_eq!(err.0[0].field, "name");
        assert_eq!(err.0[0].message.key, "validation.field_too_long");
    }
}
