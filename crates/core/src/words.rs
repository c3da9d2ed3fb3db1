//! Codes said in words (issue 15 item 2).
//!
//! The system keeps short codes (`talent_person`, `public_body`,
//! `system:demo`) because they are stable and machines compare them; a person
//! reads the catalogue's words for them. Stored text that already holds codes
//! (audit summaries written before this module, which cannot be rewritten
//! because the log refuses changes) is said in words when it is shown: each
//! code is looked up in the catalogue families it could belong to, and one
//! that no family knows is at least written with spaces, never as a code.

use crate::i18n::{has, t, tf};

/// The catalogue families a code in stored text can belong to, most
/// specific first. `audit.field.` names the fields a change touched.
const FAMILIES: &[&str] = &[
    "audit.subject.",
    "audit.field.",
    "talent.field.",
    "role.",
    "partner_kind.",
    "talent.barrier.",
    "talent.support.",
    "talent.work.",
    "talent.basis.",
    "talent.rtw.",
    "anchors.supplier.kind.",
    "anchors.anchor.kind.",
];

/// One code in words: its catalogue text, a pathway step's name, or the
/// code with spaces for underscores.
pub fn code(code: &str) -> String {
    for f in FAMILIES {
        let key = format!("{f}{code}");
        if has(&key) {
            return t(&key).to_string();
        }
    }
    if let Some(name) = crate::talent::profession::Professions::shipped().step_name(code) {
        return name;
    }
    code.replace('_', " ")
}

/// Pathway steps named by their codes, in words ("English language test,
/// CBT"), for text that has the codes but not the profession's rules.
pub fn steps(codes: &[String]) -> String {
    let all = crate::talent::profession::Professions::shipped();
    codes
        .iter()
        .map(|c| all.step_name(c).unwrap_or_else(|| c.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The kind of record an audit entry is about, in words ("Person",
/// "Spend file").
pub fn record_kind(subject_type: &str) -> String {
    let key = format!("audit.subject.{subject_type}");
    if has(&key) {
        t(&key).to_string()
    } else {
        sentence_case(&subject_type.replace('_', " "))
    }
}

/// Who acted, in words: a person's label as it is, the demo builder, the
/// console (with the account that ran it) or another part of the system.
pub fn actor(label: &str) -> String {
    let mut rest = label;
    let mut system = false;
    while let Some(r) = rest.strip_prefix("system:") {
        rest = r;
        system = true;
    }
    if system {
        return match rest {
            "demo" => t("words.actor.demo").to_string(),
            "system" | "" => t("words.actor.system").to_string(),
            other => tf("words.actor.named", &[("name", &sentence_case(other))]),
        };
    }
    if let Some(who) = label.strip_prefix("console:") {
        return tf("words.actor.console", &[("who", who)]);
    }
    label.to_string()
}

/// Stored text with every `snake_case` code in it said in words.
pub fn in_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('_') && word.chars().any(|c| c.is_ascii_lowercase()) {
            out.push_str(&mid_sentence(&code(word)));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Catalogue text as it reads inside a sentence: "programme manager", but
/// "ORE Part 1" and "VCSE" keep their capitals.
pub fn mid_sentence(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(f), Some(n)) if n.is_lowercase() => {
            f.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_string(),
    }
}

/// "Public body" from "public body".
pub fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A UK postcode with its space before the inward code ("B66 3JY"), however
/// it was typed or stored; text that is not a postcode comes back as it was.
pub fn postcode(p: &str) -> String {
    let compact: String = p
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let n = compact.len();
    let inward = compact.get(n.saturating_sub(3)..).unwrap_or("");
    let looks = (5..=7).contains(&n)
        && compact.is_ascii()
        && inward.starts_with(|c: char| c.is_ascii_digit())
        && inward[1..].chars().all(|c| c.is_ascii_alphabetic())
        && compact.starts_with(|c: char| c.is_ascii_alphabetic());
    if looks {
        format!("{} {}", &compact[..n - 3], inward)
    } else {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_summaries_read_in_words() {
        assert_eq!(
            in_words("role: programme_manager"),
            "role: programme manager"
        );
        assert_eq!(
            in_words("kind: anchor_institution"),
            "kind: anchor institution"
        );
        assert_eq!(
            in_words("barrier exam_cost"),
            "barrier cost of exams or fees"
        );
        assert_eq!(
            in_words("fields: email, display_name"),
            "fields: email, name"
        );
        assert_eq!(in_words("step ore_part1"), "step ORE Part 1");
        assert!(!in_words("step some_new_code").contains('_'));
        assert_eq!(in_words("list of 25 people"), "list of 25 people");
    }

    #[test]
    fn actors_in_words() {
        assert_eq!(actor("system:demo"), t("words.actor.demo"));
        assert_eq!(actor("system:system:demo"), t("words.actor.demo"));
        assert_eq!(actor("console:ana"), "The command line (ana)");
        assert_eq!(actor("ana@example.org"), "ana@example.org");
        assert!(!actor("system:guest link …512d").contains("system:"));
    }

    #[test]
    fn record_kinds_in_words() {
        assert_eq!(record_kind("talent_person"), "Person");
        assert_eq!(record_kind("something_new"), "Something new");
    }

    #[test]
    fn postcodes_keep_their_space() {
        assert_eq!(postcode("B663JY"), "B66 3JY");
        assert_eq!(postcode("b66 3jy"), "B66 3JY");
        assert_eq!(postcode("WV156PB"), "WV15 6PB");
        assert_eq!(postcode("B66ET"), "B6 6ET");
        assert_eq!(postcode("not one"), "not one");
        assert_eq!(postcode(""), "");
    }
}
