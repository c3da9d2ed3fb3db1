//! The translation catalogues for every word a person reads.
//!
//! Pages, API problem details and CLI messages look their text up here by key,
//! so a second language is a second catalogue file, not a code change. English
//! (`locales/en.txt`) is complete by definition; French (`locales/fr.txt`) must
//! hold every English key with the same `{placeholders}` (the catalogue tests
//! below fail otherwise), and a key missing from it at run time reads in
//! English rather than as a code.
//!
//! Which language (and which currency money is shown in) is the *current
//! locale*: English and pounds unless a caller runs its work inside
//! [`scope`] (a future: the web runs every page of a programme inside its
//! programme's locale) or [`with_locale`] (plain code: the CLI, tests).

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;
use std::task::{Context, Poll};

use serde::Serialize;

use crate::money::Currency;

const EN: &str = include_str!("../locales/en.txt");
const FR: &str = include_str!("../locales/fr.txt");

static CATALOGUE: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| parse(EN));
static CATALOGUE_FR: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| parse(FR));

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

fn catalogue(language: Language) -> &'static HashMap<&'static str, &'static str> {
    match language {
        Language::En => &CATALOGUE,
        Language::Fr => &CATALOGUE_FR,
    }
}

/// The language words are read in and the currency money is shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Locale {
    pub language: Language,
    pub currency: Currency,
}

thread_local! {
    static CURRENT: Cell<Locale> = const { Cell::new(Locale {
        language: Language::En,
        currency: Currency::Gbp,
    }) };
}

/// The locale text and money are written in on this thread now.
pub fn current() -> Locale {
    CURRENT.with(Cell::get)
}

/// The current locale's language.
pub fn language() -> Language {
    current().language
}

/// Puts the previous locale back when dropped, even on a panic.
struct Restore(Locale);

impl Drop for Restore {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.0));
    }
}

fn enter(locale: Locale) -> Restore {
    Restore(CURRENT.with(|c| c.replace(locale)))
}

/// Makes `locale` this thread's locale from now on: for a process that works
/// for one programme at a time (a command line), where nothing else shares
/// the thread.
pub fn set_current(locale: Locale) {
    CURRENT.with(|c| c.set(locale));
}

/// Runs `f` with `locale` as the current locale.
pub fn with_locale<R>(locale: Locale, f: impl FnOnce() -> R) -> R {
    let _restore = enter(locale);
    f()
}

/// A future that runs with its own locale: set while it is polled and put
/// back after each poll, so tasks sharing a thread never see each other's.
pub struct Scoped<F> {
    locale: Locale,
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let _restore = enter(this.locale);
        this.inner.as_mut().poll(cx)
    }
}

/// Runs a future with `locale` as the current locale.
pub fn scope<F: Future>(locale: Locale, f: F) -> Scoped<F> {
    Scoped {
        locale,
        inner: Box::pin(f),
    }
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

/// The text for a key in the current language. A key the language lacks
/// reads in English; an unknown key comes back as itself, so a missing
/// entry shows up on the page rather than blanking it.
pub fn t(key: &str) -> &str {
    t_in(language(), key)
}

/// The text for a key in a given language (English where it has none).
pub fn t_in(language: Language, key: &str) -> &str {
    match catalogue(language).get(key).or_else(|| CATALOGUE.get(key)) {
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

/// Which plural form a count takes in a language: `one` or `other`.
/// English says "1 site" but "0 sites"; French says "0 site" and "1 site"
/// (its `one` form covers 0 and 1, as the Unicode plural rules have it).
pub fn plural_form_in(language: Language, count: u64) -> &'static str {
    let one = match language {
        Language::En => count == 1,
        Language::Fr => count <= 1,
    };
    if one { "one" } else { "other" }
}

/// Which plural form a count takes in the current language.
pub fn plural_form(count: u64) -> &'static str {
    plural_form_in(language(), count)
}

/// Chooses `key.one` or `key.other` by count, and fills `{count}`.
pub fn tn(key: &str, count: u64) -> String {
    let k = format!("{key}.{}", plural_form(count));
    tf(&k, &[("count", &format_count(count))])
}

/// Items as a list in a sentence, the current language's way: "A, B and
/// C" in English, "A, B et C" in French (the words from the catalogue).
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let mut head = rest[0].as_ref().to_string();
            for item in &rest[1..] {
                head = tf("list.and.more", &[("a", &head), ("b", item.as_ref())]);
            }
            tf("list.and.last", &[("a", &head), ("b", last.as_ref())])
        }
    }
}

/// The current language's thousands separator: `12,345` in English,
/// `12 345` (a narrow no-break space) in French.
pub fn group_separator() -> &'static str {
    match language() {
        Language::En => ",",
        Language::Fr => "\u{202f}",
    }
}

/// The current language's decimal mark: `1.5`, `1,5`.
pub fn decimal_mark() -> char {
    match language() {
        Language::En => '.',
        Language::Fr => ',',
    }
}

/// A number as a person typed it into a form, rewritten the way the
/// readers of numbers expect (`1234.56`): in French `1 234,56`, `1234,56`
/// and `12,5 %` are what people type, so spaces (also the no-break ones a
/// copied figure carries) and a euro sign go and the decimal comma becomes
/// a point. A value typed the English way (`1234.56`, `1,234.56`) reads
/// the same in both languages, so nothing a form read before changes.
/// Files are not read through this: each file says its own format.
pub fn typed_number(raw: &str) -> std::borrow::Cow<'_, str> {
    if decimal_mark() == '.' {
        return std::borrow::Cow::Borrowed(raw);
    }
    let plain: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '€'))
        .collect();
    let plain = plain.strip_suffix("EUR").unwrap_or(&plain).to_string();
    let (comma, point) = (plain.rfind(','), plain.rfind('.'));
    std::borrow::Cow::Owned(match (comma, point) {
        // `1234,56`: the decimal comma.
        (Some(_), None) => plain.replace(',', "."),
        // `1.234,56`: points group the thousands.
        (Some(c), Some(p)) if c > p => plain.replace('.', "").replace(',', "."),
        // `1234.56`, `1,234.56` or no mark at all: as typed.
        _ => plain,
    })
}

/// 12,345: with the thousands separator people expect in the current
/// language (`12 345` in French).
pub fn format_count(n: u64) -> String {
    group_digits(&n.to_string(), group_separator())
}

/// Digits grouped in threes from the right with `sep`.
pub fn group_digits(digits: &str, sep: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Message {
    pub key: String,
    pub args: Vec<(String, String)>,
}

/// The marker after an argument's name that says the argument is a count
/// to be said with a noun's plural form (see [`Message::counted`]).
const NOUN: &str = "#noun";
/// The marker after an argument's name that says the argument is a message
/// of its own, kept as its key and arguments and said in words when the
/// message around it is read (see [`Message::said`]).
const SAID: &str = "#said";
/// The marker after an argument's name that says the argument is a list of
/// messages, each said in words and joined by "; " when read (see
/// [`Message::said_each`]).
const EACH: &str = "#each";

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

    /// Adds a count said with its noun when the message is read, in the
    /// reader's language and plural form: `counted("rechecked",
    /// "anchors.registers.n.rechecked", 1)` reads "1 supplier … checked
    /// again" where `{rechecked}` stands, from `<noun>.one` / `.other`.
    pub fn counted(mut self, name: &str, noun: &str, n: u64) -> Self {
        self.args.push((name.to_string(), n.to_string()));
        self.args.push((format!("{name}{NOUN}"), noun.to_string()));
        self
    }

    /// Adds a message of its own, said in words where `{name}` stands only
    /// when this one is read: a stored job's failure keeps its cause ("the
    /// database is busy") as a key, so a French reader reads it in French.
    pub fn said(mut self, name: &str, inner: &Message) -> Self {
        self.args.push((format!("{name}{SAID}"), inner.to_json()));
        self
    }

    /// Adds messages of their own, each said in words and joined by "; "
    /// where `{name}` stands, only when this one is read: a form's field
    /// errors kept inside a stored job's failure.
    pub fn said_each<'a>(
        mut self,
        name: &str,
        inner: impl IntoIterator<Item = &'a Message>,
    ) -> Self {
        let inner: Vec<&Message> = inner.into_iter().collect();
        let stored = serde_json::to_string(&inner).unwrap_or_default();
        self.args.push((format!("{name}{EACH}"), stored));
        self
    }

    /// The message as stored, to be said in words when read (a background
    /// job's outcome, read in whichever language its reader reads).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Stored text in words: a stored message in the current language, or
    /// the text as it is (what was stored before messages were kept).
    pub fn stored_in_words(stored: &str) -> String {
        match serde_json::from_str::<Message>(stored) {
            Ok(m) if stored.starts_with('{') => m.text(),
            _ => stored.to_string(),
        }
    }

    /// The message in the catalogue's language. A key written in the
    /// catalogue as `key.one` / `key.other` is chosen by the `count`
    /// argument, so "1 error" and "2 errors" both read right.
    pub fn text(&self) -> String {
        // A count reads with its thousands separators ("1,234 errors"),
        // and a counted argument with its noun ("1 supplier", "2 suppliers").
        let noun = |name: &str| {
            self.args
                .iter()
                .find(|(k, _)| k.strip_suffix(NOUN) == Some(name))
                .map(|(_, v)| v.as_str())
        };
        let counts: Vec<(String, String)> = self
            .args
            .iter()
            .filter(|(k, _)| !k.ends_with(NOUN))
            .map(|(k, v)| match (k.as_str(), v.parse::<u64>(), noun(k)) {
                (said, _, _) if said.ends_with(SAID) => (
                    said.trim_end_matches(SAID).to_string(),
                    Message::stored_in_words(v),
                ),
                (each, _, _) if each.ends_with(EACH) => (
                    each.trim_end_matches(EACH).to_string(),
                    serde_json::from_str::<Vec<Message>>(v)
                        .map(|all| all.iter().map(Message::text).collect::<Vec<_>>().join("; "))
                        .unwrap_or_default(),
                ),
                (_, Ok(n), Some(noun)) => (k.clone(), tn(noun, n)),
                ("count", Ok(n), None) => (k.clone(), format_count(n)),
                _ => (k.clone(), v.clone()),
            })
            .collect();
        let args: Vec<(&str, &str)> = counts
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if !has(&self.key) {
            let count = args.iter().find(|(k, _)| *k == "count").and_then(|(_, v)| {
                v.replace([',', '\u{202f}', '\u{a0}'], "")
                    .parse::<u64>()
                    .ok()
            });
            if let Some(n) = count {
                let plural = format!("{}.{}", self.key, plural_form(n));
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
    fn lists_are_joined_with_the_language_s_own_words() {
        let fr = Locale {
            language: Language::Fr,
            currency: Currency::Eur,
        };
        let three = ["Smethwick", "Lille", "Glasgow"];
        assert_eq!(and_list(&three), "Smethwick, Lille and Glasgow");
        assert_eq!(and_list(&three[..2]), "Smethwick and Lille");
        assert_eq!(and_list(&three[..1]), "Smethwick");
        assert_eq!(and_list::<&str>(&[]), "");
        with_locale(fr, || {
            assert_eq!(and_list(&three), "Smethwick, Lille et Glasgow");
            assert_eq!(and_list(&three[..2]), "Smethwick et Lille");
        });
    }

    #[test]
    fn numbers_typed_in_french_read_like_numbers_typed_in_english() {
        let fr = Locale {
            language: Language::Fr,
            currency: Currency::Eur,
        };
        with_locale(fr, || {
            assert_eq!(typed_number("1 234,56"), "1234.56");
            assert_eq!(typed_number("1\u{202f}234,56 €"), "1234.56");
            assert_eq!(typed_number("12,5"), "12.5");
            assert_eq!(typed_number("1.234,56"), "1234.56");
            assert_eq!(typed_number("1234.56"), "1234.56");
            assert_eq!(typed_number("1,234.56"), "1,234.56");
            assert_eq!(typed_number("12"), "12");
            assert_eq!(typed_number("1 000"), "1000");
        });
        assert_eq!(typed_number("1,234"), "1,234");
        assert_eq!(typed_number(" 12.5 "), " 12.5 ");
    }
    #[test]
    fn a_message_inside_a_message_is_said_when_read() {
        let m = Message::new("anchors.job.failed").said("reason", &Message::new("store.busy"));
        let back: Message = serde_json::from_str(&m.to_json()).unwrap();
        let en = back.text();
        assert!(en.contains(t_in(Language::En, "store.busy")), "{en}");
        assert!(!en.contains('{') && !en.contains("#said"), "{en}");
        let fr = with_locale(
            Locale {
                language: Language::Fr,
                ..Default::default()
            },
            || back.text(),
        );
        assert!(fr.contains("La base de données est occupée"), "{fr}");
        assert!(!fr.contains("database"), "{fr}");
    }

    #[test]
    fn messages_inside_a_message_are_each_said_when_read() {
        let fields = [
            Message::new("validation.required.full_name"),
            Message::new("validation.too_long").arg("max", 120),
        ];
        let m = Message::new("store.invalid").said_each("detail", &fields);
        let back: Message = serde_json::from_str(&m.to_json()).unwrap();
        let en = back.text();
        assert_eq!(
            en,
            format!(
                "{}; {}",
                t_in(Language::En, "validation.required.full_name"),
                fields[1].text()
            )
        );
        let fr = with_locale(
            Locale {
                language: Language::Fr,
                ..Default::default()
            },
            || back.text(),
        );
        assert!(
            fr.starts_with(t_in(Language::Fr, "validation.required.full_name")),
            "{fr}"
        );
        assert!(fr.contains("120 caractères"), "{fr}");
        assert!(!fr.contains("validation.") && !fr.contains("#each"), "{fr}");
    }

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
    fn french_says_zero_and_one_in_the_singular() {
        use Language::{En, Fr};
        assert_eq!(plural_form_in(En, 0), "other");
        assert_eq!(plural_form_in(En, 1), "one");
        assert_eq!(plural_form_in(En, 2), "other");
        assert_eq!(plural_form_in(Fr, 0), "one");
        assert_eq!(plural_form_in(Fr, 1), "one");
        assert_eq!(plural_form_in(Fr, 2), "other");
        let fr = Locale {
            language: Fr,
            currency: Currency::Eur,
        };
        let sites = with_locale(fr, || {
            crate::audit::AuditMessage::new("audit.msg.anchor_saved")
                .text("name", "CHU de Lille")
                .counted("sites", "site", 0)
                .render(&|_| None)
        });
        assert_eq!(sites, "CHU de Lille, avec 0 site");
        // Every French `one` text says the count it is given, so 0 never reads as 1.
        let none = with_locale(fr, || {
            Message::new("error.import.detail").arg("count", 0).text()
        });
        assert!(none.contains("0 erreur") && !none.contains('1'), "{none}");
        assert_eq!(with_locale(fr, || tn("audit.n.site", 0)), "0 site");
        for (k, v) in CATALOGUE_FR.iter() {
            if k.ends_with(".one") && v.contains('1') && !v.contains("{count}") {
                panic!("{k} says 1 whatever its count: {v}");
            }
        }
    }

    /// A counted argument is said with its noun in the reader's plural form
    /// when the message is read, also from a stored message.
    #[test]
    fn a_stored_message_says_its_counts_in_the_readers_words() {
        let m = Message::new("audit.msg.area_saved")
            .arg("version", 2)
            .counted("areas", "audit.n.area", 1);
        let stored = m.to_json();
        assert_eq!(Message::stored_in_words(&stored), "Version 2, 1 area");
        let fr = Locale {
            language: Language::Fr,
            currency: Currency::Eur,
        };
        let said = with_locale(fr, || Message::stored_in_words(&stored));
        assert!(
            said.contains("1 zone") || said.contains("1 petite zone"),
            "{said}"
        );
        assert_eq!(Message::stored_in_words("12 lines read"), "12 lines read");
    }

    /// The `{name}` slots of a catalogue text.
    fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
        let mut out = std::collections::BTreeSet::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    out.insert(&after[..close]);
                    rest = &after[close + 1..];
                }
                None => break,
            }
        }
        out
    }

    /// Every English key has its French text, with the same `{placeholders}`;
    /// French has no key English lacks (a renamed key left behind); and a
    /// plural keeps its pair (`.one` and `.other` both or neither).
    #[test]
    fn french_catalogue_is_complete_and_keeps_the_placeholders() {
        let (en, fr) = (&*CATALOGUE, &*CATALOGUE_FR);
        let mut problems = Vec::new();
        let mut missing: Vec<&str> = en
            .keys()
            .filter(|k| !fr.contains_key(*k))
            .copied()
            .collect();
        missing.sort();
        if !missing.is_empty() {
            problems.push(format!(
                "{} English keys missing from fr.txt:\n  {}",
                missing.len(),
                missing.join("\n  ")
            ));
        }
        let mut extra: Vec<&str> = fr
            .keys()
            .filter(|k| !en.contains_key(*k))
            .copied()
            .collect();
        extra.sort();
        if !extra.is_empty() {
            problems.push(format!(
                "keys in fr.txt but not en.txt: {}",
                extra.join(", ")
            ));
        }
        let mut keys: Vec<&str> = en.keys().copied().collect();
        keys.sort();
        for k in keys {
            if let Some(f) = fr.get(k) {
                let (pe, mut pf) = (placeholders(en[k]), placeholders(f));
                // French says 0 with its `one` form too, so its `one` text
                // names the count where English may write "1".
                if k.ends_with(".one") && !pe.contains("count") {
                    pf.remove("count");
                }
                if pe != pf {
                    problems.push(format!("{k}: English has {pe:?}, French {pf:?}"));
                }
                if f.trim().is_empty() {
                    problems.push(format!("{k}: French text is empty"));
                }
            }
        }
        for (lang, cat) in [("en", en), ("fr", fr)] {
            for k in cat.keys() {
                for (this, other) in [(".one", ".other"), (".other", ".one")] {
                    if let Some(stem) = k.strip_suffix(this)
                        && !cat.contains_key(format!("{stem}{other}").as_str())
                        && (en.contains_key(format!("{stem}{other}").as_str())
                            || fr.contains_key(format!("{stem}{other}").as_str()))
                    {
                        problems.push(format!("{lang}: {k} has no {stem}{other}"));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_page_reads_its_locale_s_catalogue_and_falls_back_to_english() {
        let fr = Locale {
            language: Language::Fr,
            currency: Currency::Eur,
        };
        let english = t("validation.too_long").to_string();
        let french = with_locale(fr, || t("validation.too_long").to_string());
        assert_ne!(english, french);
        assert_eq!(french, t_in(Language::Fr, "validation.too_long"));
        assert_eq!(t_in(Language::Fr, "no.such.key"), "no.such.key");
        with_locale(fr, || {
            assert!(tn("error.import.detail", 1234).contains("1\u{202f}234"));
            assert_eq!(
                crate::money::format_pence(123_456),
                "1\u{202f}234,56\u{a0}€"
            );
        });
        assert_eq!(crate::money::format_pence(123_456), "£1,234.56");
    }

    #[test]
    fn a_scoped_future_keeps_its_locale_across_polls() {
        let fr = Locale {
            language: Language::Fr,
            currency: Currency::Eur,
        };
        // A future that yields once, then reads the locale.
        struct Twice(bool);
        impl Future for Twice {
            type Output = Language;
            fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Language> {
                if self.0 {
                    Poll::Ready(language())
                } else {
                    self.0 = true;
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            }
        }
        let mut f = Box::pin(scope(fr, Twice(false)));
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        assert!(f.as_mut().poll(&mut cx).is_pending());
        // Between polls, the thread is back in English.
        assert_eq!(language(), Language::En);
        assert_eq!(f.as_mut().poll(&mut cx), Poll::Ready(Language::Fr));
    }

    #[test]
    fn catalogue_has_no_duplicate_keys() {
        for (name, src) in [("en.txt", EN), ("fr.txt", FR)] {
            catalogue_file_has_no_duplicates(name, src);
        }
    }

    fn catalogue_file_has_no_duplicates(name: &str, src: &str) {
        let mut seen = std::collections::HashSet::new();
        for line in src.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, _) = line
                .split_once(" = ")
                .unwrap_or_else(|| panic!("{name}: catalogue line without ' = ': {line}"));
            assert!(seen.insert(k.trim()), "{name}: duplicate catalogue key {k}");
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
