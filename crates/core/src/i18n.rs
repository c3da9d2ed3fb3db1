//! The one translation catalogue for every word a person reads.
//!
//! Pages, API problem details and CLI messages look their text up here by key,
//! so a second language is a second catalogue file, not a code change. English
//! is the only catalogue today; a key missing from it is a bug that the
//! catalogue test in the web crate catches.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use serde::Serialize;

const EN: &str = include_str!("../locales/en.txt");

static CATALOGUE: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| parse(EN));

fn parse(src: &'static str) -> HashMap<&'static str, &'static str> {
    let mut map = HashMap::new();
    for line in src.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once(" = ") {
            map.insert(k.trim(), v.trim());
        }
    }
    map
}

/// A programme's language: which catalogue its pages are read from and
/// how its numbers and money are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Fr,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Fr];

    /// The ISO 639-1 code, as stored and as the page's `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
        }
    }

    pub fn parse(s: &str) -> Option<Language> {
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s.trim()))
    }
}

/// Every key in the catalogue, for the completeness tests.
pub fn keys() -> impl Iterator<Item = &'static str> {
    CATALOGUE.keys().copied()
}

/// Whether the catalogue has this key.
pub fn has(key: &str) -> bool {
    CATALOGUE.contains_key(key)
}

/// The text for a key. An unknown key comes back as itself, so a missing
/// entry shows up on the page rather than blanking it.
pub fn t(key: &str) -> &str {
    match CATALOGUE.get(key) {
        Some(v) => v,
        None => key,
    }
}

/// The text for a key with `{name}` placeholders filled in.
pub fn tf(key: &str, args: &[(&str, &str)]) -> String {
    let mut out = t(key).to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Chooses `key.one` or `key.other` by count, and fills `{count}`.
pub fn tn(key: &str, count: u64) -> String {
    let k = if count == 1 {
        format!("{key}.one")
    } else {
        format!("{key}.other")
    };
    tf(&k, &[("count", &format_count(count))])
}

/// 12,345: the thousands separator people expect in UK English.
pub fn format_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `s` cut to [`Message::ARG_CHARS`] characters, with "…" where it was cut.
fn clip(mut s: String) -> String {
    if let Some((at, _)) = s.char_indices().nth(Message::ARG_CHARS) {
        s.truncate(at);
        s.push('…');
    }
    s
}

/// A message to show a person: a catalogue key and its arguments, translated
/// only when it is shown, so the same error reads right on a page, in problem
/// JSON and in a terminal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    pub key: String,
    pub args: Vec<(String, String)>,
}

impl Message {
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            args: Vec::new(),
        }
    }

    /// Adds an argument, clipped to [`Message::ARG_CHARS`] characters: a
    /// message quotes what a person sent (a cell, a header row), and a
    /// 1M-column header or a 30 MB cell must not make a megabyte error.
    pub fn arg(mut self, name: &str, value: impl ToString) -> Self {
        self.args.push((name.to_string(), clip(value.to_string())));
        self
    }

    /// The longest argument kept whole.
    pub const ARG_CHARS: usize = 300;

    /// The message in the catalogue's language. A key written in the
    /// catalogue as `key.one` / `key.other` is chosen by the `count`
    /// argument, so "1 error" and "2 errors" both read right.
    pub fn text(&self) -> String {
        // A count reads with its thousands separators ("1,234 errors").
        let counts: Vec<(String, String)> = self
            .args
            .iter()
            .map(|(k, v)| match (k.as_str(), v.parse::<u64>()) {
                ("count", Ok(n)) => (k.clone(), format_count(n)),
                _ => (k.clone(), v.clone()),
            })
            .collect();
        let args: Vec<(&str, &str)> = counts
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if !has(&self.key) {
            let count = args
                .iter()
                .find(|(k, _)| *k == "count")
                .and_then(|(_, v)| v.replace(',', "").parse::<u64>().ok());
            if let Some(n) = count {
                let plural = format!("{}.{}", self.key, if n == 1 { "one" } else { "other" });
                if has(&plural) {
                    return tf(&plural, &args);
                }
            }
        }
        tf(&self.key, &args)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn arguments_are_clipped_at_a_character_boundary() {
        let m = Message::new("k").arg("v", "é".repeat(Message::ARG_CHARS + 5));
        let v = &m.args[0].1;
        assert_eq!(v.chars().count(), Message::ARG_CHARS + 1);
        assert!(v.ends_with('…'));
        let short = Message::new("k").arg("v", "é".repeat(Message::ARG_CHARS));
        assert_eq!(short.args[0].1.chars().count(), Message::ARG_CHARS);
    }

    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(1234567), "1,234,567");
    }

    #[test]
    fn placeholders_are_filled() {
        let m = Message::new("validation.too_long").arg("max", 120);
        assert_eq!(m.text(), "Must be 120 characters or fewer");
    }

    #[test]
    fn a_message_with_a_count_takes_the_plural_form() {
        let one = Message::new("error.import.detail").arg("count", 1);
        let many = Message::new("error.import.detail").arg("count", "1,200");
        assert_eq!(one.text(), "The file has 1 error; nothing was imported");
        assert_eq!(
            many.text(),
            "The file has 1,200 errors; nothing was imported"
        );
    }

    #[test]
    fn catalogue_has_no_duplicate_keys() {
        let mut seen = std::collections::HashSet::new();
        for line in EN.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, _) = line
                .split_once(" = ")
                .unwrap_or_else(|| panic!("catalogue line without ' = ': {line}"));
            assert!(seen.insert(k.trim()), "duplicate catalogue key {k}");
        }
    }

    /// `Errors::required("field", …)` builds its message key from the
    /// field's name at run time, so the catalogue test that reads string
    /// literals cannot see it: every such field named anywhere in the
    /// workspace's source must have its key, or a person reads a raw code.
    #[test]
    fn every_required_field_has_its_message() {
        let keys: std::collections::HashSet<&str> = EN
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
            .collect();
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        let mut dirs = vec![crates];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() && p.file_name().is_some_and(|n| n != "target") {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files.push(p);
                }
            }
        }
        let mut missing = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for call in [".required(\"", ".required_date(\""] {
                for (at, _) in text.match_indices(call) {
                    let rest = &text[at + call.len()..];
                    let field = &rest[..rest.find('"').unwrap_or(0)];
                    let key = format!("validation.required.{field}");
                    if !field.is_empty() && !keys.contains(key.as_str()) {
                        missing.push(format!("{}: {key}", f.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "missing messages:\n{}",
            missing.join("\n")
        );
    }
}
