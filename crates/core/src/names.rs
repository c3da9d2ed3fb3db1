//! Organisation names: normalising them so that "The Smith & Sons Ltd." and
//! "SMITH AND SONS LIMITED" meet, and scoring how alike two names are.
//!
//! Used to find duplicate partners and, in the anchors module, to resolve the
//! suppliers in spend files against an organisation register.

use std::collections::HashSet;

/// Organisations as a person picks them: by name, with the postcode beside
/// a name two or more of them share ("Acme Ltd (B66 3JY)"), and a number
/// where even that does not tell them apart; never their register ids.
pub fn distinguish<K>(rows: Vec<(K, String, Option<String>)>) -> Vec<(K, String)> {
    use std::collections::HashMap;
    let key = |n: &str| n.trim().to_lowercase();
    let mut names: HashMap<String, usize> = HashMap::new();
    for (_, n, _) in &rows {
        *names.entry(key(n)).or_default() += 1;
    }
    let mut labels: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<(K, String)> = rows
        .into_iter()
        .map(|(k, n, postcode)| {
            let label = match (names[&key(&n)], postcode) {
                (1, _) => n,
                (_, Some(p)) if !p.trim().is_empty() => {
                    format!("{n} ({})", crate::words::postcode(&p))
                }
                _ => n,
            };
            *labels.entry(key(&label)).or_default() += 1;
            (k, label)
        })
        .collect();
    // The same name and postcode (or no postcode): numbered in list order.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (_, label) in &mut out {
        let k = key(label);
        if labels[&k] > 1 {
            let n = seen.entry(k).or_default();
            *n += 1;
            *label = format!("{label} ({n})");
        }
    }
    out
}

/// Legal-form words that say nothing about which organisation it is.
const LEGAL_FORMS: &[&str] = &[
    "limited",
    "ltd",
    "plc",
    "llp",
    "lp",
    "cic",
    "cio",
    "inc",
    "incorporated",
    "co",
    "company",
];

/// A name reduced to its identifying words: lower case, accents folded,
/// `&`/`+` read as "and", punctuation dropped, a leading "the" and trailing
/// legal forms (Ltd, Limited, PLC, LLP, CIC…) removed.
pub fn normalise(name: &str) -> String {
    let folded = fold(name);
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if words.first() == Some(&"the") && words.len() > 1 {
        words.remove(0);
    }
    while words.len() > 1 && LEGAL_FORMS.contains(words.last().unwrap()) {
        words.pop();
    }
    words.join(" ")
}

/// The legal name and, if given, the trading name of "X Ltd t/a Y", each
/// normalised. A name without "t/a" gives one variant.
pub fn variants(name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    for sep in [" t/a ", " t / a ", " trading as ", " ta "] {
        if let Some(i) = lower.find(sep) {
            let (a, b) = (&name[..i], &name[i + sep.len()..]);
            let mut out = vec![normalise(a), normalise(b)];
            out.retain(|s| !s.is_empty());
            out.dedup();
            if !out.is_empty() {
                return out;
            }
        }
    }
    vec![normalise(name)]
}

/// Lower-cases, folds common accented letters, turns `&` and `+` into "and",
/// and replaces every other non-alphanumeric character with a space (except
/// apostrophes, which are dropped so "Barnardo's" matches "Barnardos").
fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match c {
            '&' | '+' => out.push_str(" and "),
            '\'' | '\u{2019}' | '`' => {}
            c if c.is_alphanumeric() => {
                for l in c.to_lowercase() {
                    out.push(fold_accent(l));
                }
            }
            _ => out.push(' '),
        }
    }
    out
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'ş' | 'š' => 's',
        'ț' | 'ţ' | 'ť' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        c => c,
    }
}

/// Character trigrams of a normalised name, with word-boundary padding.
pub fn trigrams(normalised: &str) -> HashSet<[char; 3]> {
    let mut set = HashSet::new();
    for word in normalised.split_whitespace() {
        let chars: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        if chars.len() < 3 {
            continue;
        }
        for w in chars.windows(3) {
            set.insert([w[0], w[1], w[2]]);
        }
    }
    set
}

/// How alike two names are, from 0 (nothing shared) to 1 (the same once
/// normalised): the Dice coefficient of their trigram sets.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (na, nb) = (normalise(a), normalise(b));
    if na == nb {
        return if na.is_empty() { 0.0 } else { 1.0 };
    }
    dice(&trigrams(&na), &trigrams(&nb))
}

/// Dice coefficient of two trigram sets.
pub fn dice(a: &HashSet<[char; 3]>, b: &HashSet<[char; 3]>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations_are_told_apart_by_name_then_postcode_never_by_id() {
        let rows = vec![
            (
                "GB-USEIT-01a2",
                "Acme Ltd".to_string(),
                Some("b663jy".to_string()),
            ),
            (
                "GB-USEIT-01a3",
                "ACME LTD".to_string(),
                Some("B1 1AA".to_string()),
            ),
            ("GB-USEIT-01a4", "Brindley Care".to_string(), None),
            ("GB-USEIT-01a5", "Cole Trust".to_string(), None),
            ("GB-USEIT-01a6", "Cole Trust".to_string(), None),
        ];
        let labels: Vec<String> = distinguish(rows).into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            labels,
            vec![
                "Acme Ltd (B66 3JY)",
                "ACME LTD (B1 1AA)",
                "Brindley Care",
                "Cole Trust (1)",
                "Cole Trust (2)"
            ]
        );
        assert!(labels.iter().all(|l| !l.contains("GB-")));
    }

    #[test]
    fn legal_forms_punctuation_and_articles_go() {
        assert_eq!(normalise("The Smith & Sons Ltd."), "smith and sons");
        assert_eq!(normalise("SMITH AND SONS LIMITED"), "smith and sons");
        assert_eq!(normalise("Acme Widgets PLC"), "acme widgets");
        assert_eq!(normalise("Barnardo's"), "barnardos");
        assert_eq!(normalise("Café Nérō C.I.C."), "cafe nero c i c");
        assert_eq!(normalise("Ltd"), "ltd");
        assert_eq!(normalise("The"), "the");
    }

    #[test]
    fn trading_names() {
        assert_eq!(
            variants("J Bloggs Ltd t/a Bloggs Catering"),
            vec!["j bloggs".to_string(), "bloggs catering".to_string()]
        );
        assert_eq!(variants("Plain Name Ltd"), vec!["plain name".to_string()]);
    }

    #[test]
    fn similarity_orders_sensibly() {
        let exact = similarity("Sandwell Council", "SANDWELL COUNCIL LTD");
        let close = similarity(
            "Sandwell Metropolitan Borough Council",
            "Sandwell Metropolitan Boro Council",
        );
        let far = similarity("Sandwell Council", "Oxford Bakery");
        assert_eq!(exact, 1.0);
        assert!(close > 0.7, "{close}");
        assert!(far < 0.2, "{far}");
        assert_eq!(similarity("", ""), 0.0);
    }
}
