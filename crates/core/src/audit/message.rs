//! What an audit entry says, kept as a catalogue key and its arguments and
//! said in words only when someone reads it: in the reader's language,
//! with counts grouped and pluralised, and with the people it names looked
//! up then (so an entry never holds a person's name, and a reader sees a
//! name only where they may see that person).
//!
//! Entries written before messages were kept have only their summary,
//! which [`crate::words::in_words`] says in words.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::{format_count, has, t, tn};
use crate::money::{Currency, Pence, format_money};
use crate::words;

/// One argument of an audit message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    /// Text as it was (a file's, an anchor's or an organisation's name).
    Text(String),
    /// A number, with the reader's thousands separators.
    Number(u64),
    /// A count said with its noun from `audit.n.<noun>.one/.other`
    /// ("1 line", "12,345 lines").
    Counted(String, u64),
    /// A catalogue key, said as it reads inside a sentence ("programme
    /// manager").
    Word(String),
    /// A person's account, named when read where the reader may see them.
    Person(Uuid),
    /// Codes (the fields a change touched, say) said in words as a list
    /// ("name, e-mail address and postcode").
    Codes(Vec<String>),
    /// A day, said the reader's way ("14 December 2026", "14 décembre 2026").
    Date(time::Date),
    /// An amount of money in whole minor units (pence, cents) and the
    /// currency it is in, written the reader's way ("£1,234.56",
    /// "1 234,56 £").
    Money(i64, Currency),
}

/// A catalogue key (`audit.msg.*`) and its arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditMessage {
    pub key: String,
    #[serde(default)]
    pub args: Vec<(String, Arg)>,
}

impl AuditMessage {
    pub fn new(key: &str) -> Self {
        Self {
            key: key.to_string(),
            args: Vec::new(),
        }
    }

    fn with(mut self, name: &str, arg: Arg) -> Self {
        self.args.push((name.to_string(), arg));
        self
    }

    pub fn text(self, name: &str, value: impl Into<String>) -> Self {
        self.with(name, Arg::Text(value.into()))
    }

    pub fn number(self, name: &str, n: u64) -> Self {
        self.with(name, Arg::Number(n))
    }

    /// `n` of `noun` (`audit.n.<noun>`), e.g. `counted("lines", "line", 12)`.
    pub fn counted(self, name: &str, noun: &str, n: u64) -> Self {
        self.with(name, Arg::Counted(noun.to_string(), n))
    }

    /// A catalogue key said in words, e.g. `word("role", "role.employment_caseworker")`.
    pub fn word(self, name: &str, key: impl Into<String>) -> Self {
        self.with(name, Arg::Word(key.into()))
    }

    pub fn person(self, name: &str, id: Uuid) -> Self {
        self.with(name, Arg::Person(id))
    }

    pub fn date(self, name: &str, d: time::Date) -> Self {
        self.with(name, Arg::Date(d))
    }

    /// An amount in `currency`'s minor units, written when read in the
    /// reader's language.
    pub fn money(self, name: &str, pence: Pence, currency: Currency) -> Self {
        self.with(name, Arg::Money(pence, currency))
    }

    /// Codes said as a list of words, e.g. `codes("fields", ["email", "postcode"])`.
    pub fn codes<S: AsRef<str>>(self, name: &str, codes: impl IntoIterator<Item = S>) -> Self {
        let codes = codes
            .into_iter()
            .map(|c| c.as_ref().trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        self.with(name, Arg::Codes(codes))
    }

    /// The message as stored beside its entry (and sealed with it).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored message; `None` for text that is not one.
    pub fn parse(stored: &str) -> Option<Self> {
        serde_json::from_str(stored).ok()
    }

    /// The people it names.
    pub fn people(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.args.iter().filter_map(|(_, a)| match a {
            Arg::Person(id) => Some(*id),
            _ => None,
        })
    }

    /// The message in the current language; `name` says who a person is
    /// (`None` where the reader may not see them).
    pub fn render(&self, name: &dyn Fn(Uuid) -> Option<String>) -> String {
        let count = self.args.iter().find_map(|(k, a)| match (k.as_str(), a) {
            ("count", Arg::Number(n)) => Some(*n),
            _ => None,
        });
        let key = match count {
            Some(n) => {
                let plural = format!("{}.{}", self.key, crate::i18n::plural_form(n));
                if has(&plural) {
                    plural
                } else {
                    self.key.clone()
                }
            }
            None => self.key.clone(),
        };
        let mut out = t(&key).to_string();
        for (k, a) in &self.args {
            let said = match a {
                Arg::Text(s) => s.clone(),
                Arg::Number(n) => format_count(*n),
                Arg::Counted(noun, n) => tn(&format!("audit.n.{noun}"), *n),
                Arg::Word(key) if has(key) => words::mid_sentence(t(key)),
                Arg::Word(key) => words::code(key.rsplit('.').next().unwrap_or(key)),
                Arg::Person(id) => name(*id).unwrap_or_else(|| t("audit.person_unnamed").into()),
                Arg::Date(d) => crate::clock::display_date(*d),
                Arg::Money(p, c) => format_money(*p, *c, crate::i18n::language()),
                Arg::Codes(codes) if codes.is_empty() => t("audit.no_fields").to_string(),
                Arg::Codes(codes) => crate::i18n::and_list(
                    &codes
                        .iter()
                        .map(|c| match has(c) {
                            true => words::mid_sentence(t(c)),
                            false => words::mid_sentence(&words::code(c)),
                        })
                        .collect::<Vec<_>>(),
                ),
            };
            out = out.replace(&format!("{{{k}}}"), &said);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, Locale, with_locale};

    #[test]
    fn a_message_is_said_in_the_readers_words_when_read() {
        let ana = Uuid::from_u128(7);
        let m = AuditMessage::new("audit.msg.role_changed")
            .person("member", ana)
            .word("from", "role.employment_caseworker")
            .word("role", "role.programme_manager");
        let stored = m.to_json();
        let back = AuditMessage::parse(&stored).unwrap();
        assert_eq!(back, m);
        let named = |id: Uuid| (id == ana).then(|| "Ana Silva".to_string());
        let en = back.render(&named);
        assert!(en.contains("Ana Silva"), "{en}");
        assert!(en.contains("programme manager"), "{en}");
        assert!(!en.contains('_') && !en.contains('{'), "{en}");
        // Someone the reader may not see is not named.
        let unnamed = back.render(&|_| None);
        assert!(
            !unnamed.contains("Ana") && !unnamed.contains("0000"),
            "{unnamed}"
        );
        let fr = with_locale(
            Locale {
                language: Language::Fr,
                ..Default::default()
            },
            || back.render(&named),
        );
        assert_ne!(fr, en);
        assert!(fr.contains("Ana Silva"), "{fr}");
    }

    #[test]
    fn counts_are_grouped_and_pluralised() {
        let m = AuditMessage::new("audit.msg.spend_imported")
            .text("file", "swbh-2024-04.csv")
            .text("anchor", "Sandwell and West Birmingham")
            .counted("lines", "line", 12_345)
            .counted("new", "new_line", 1);
        let s = m.render(&|_| None);
        assert!(s.contains("12,345 lines"), "{s}");
        assert!(s.ends_with(": 12,345 lines, 1 not held before"), "{s}");
        let one = AuditMessage::new("audit.msg.log_read").number("count", 1);
        assert_eq!(one.render(&|_| None), t("audit.msg.log_read.one"));
        assert!(AuditMessage::parse("fields: email").is_none());
    }

    /// Money is kept as its minor units and currency, and written the
    /// reader's way when read, not the way of whoever wrote the entry.
    #[test]
    fn money_is_written_the_reader_s_way() {
        let d = time::macros::date!(2026 - 12 - 07);
        let m = AuditMessage::new("audit.msg.research_income_added")
            .money("amount", 123_456, Currency::Gbp)
            .date("on", d)
            .text("title", "Hospital jobs");
        let stored = with_locale(
            Locale {
                language: Language::Fr,
                currency: Currency::Eur,
            },
            || m.to_json(),
        );
        let back = AuditMessage::parse(&stored).unwrap();
        assert_eq!(back, m);
        let en = back.render(&|_| None);
        assert!(
            en.starts_with("£1,234.56 received on 7 December 2026"),
            "{en}"
        );
        let fr = with_locale(
            Locale {
                language: Language::Fr,
                currency: Currency::Eur,
            },
            || back.render(&|_| None),
        );
        assert!(
            fr.starts_with("1\u{202f}234,56\u{a0}£ reçus le 7 décembre 2026"),
            "{fr}"
        );
        assert!(!fr.contains('{') && !fr.contains('€'), "{fr}");
    }
}
