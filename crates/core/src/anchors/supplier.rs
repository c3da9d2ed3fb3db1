//! Recognising a supplier across the ways ledgers spell it, and matching it
//! to an organisation register (Companies House, Charity Commission, NHS
//! ODS, social-enterprise lists) with a score and the reason for it.

use std::collections::HashMap;

use serde::Serialize;

/// A name made comparable: case, punctuation, `&`/and, `The`, legal forms
/// (Ltd/Limited, PLC, LLP, CIC…) and "trading as" tails do not matter.
/// `"The Bywest Ltd."` and `"BYWEST LIMITED"` are both `bywest`.
pub fn name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    // "X Ltd t/a Y": the legal entity is X.
    let legal = [" t/a ", " trading as ", " ta "]
        .iter()
        .find_map(|sep| lower.split_once(sep).map(|(a, _)| a.to_string()))
        .unwrap_or(lower);
    let mut cleaned = String::with_capacity(legal.len());
    for c in legal.chars() {
        match c {
            '&' | '+' => cleaned.push_str(" and "),
            c if c.is_alphanumeric() => cleaned.push(c),
            '\'' | '’' => {}
            _ => cleaned.push(' '),
        }
    }
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.first() == Some(&"the") && words.len() > 1 {
        words.remove(0);
    }
    if words.last() == Some(&"the") && words.len() > 1 {
        words.pop();
    }
    // Legal forms at the end, possibly several ("uk ltd" keeps "uk").
    loop {
        let n = words.len();
        if n <= 1 {
            break;
        }
        let two = (n >= 2).then(|| format!("{} {}", words[n - 2], words[n - 1]));
        let three = (n >= 3).then(|| format!("{} {} {}", words[n - 3], words[n - 2], words[n - 1]));
        if three.as_deref().is_some_and(|t| {
            matches!(
                t,
                "public limited company"
                    | "community interest company"
                    | "limited liability partnership"
            )
        }) && n > 3
        {
            words.truncate(n - 3);
        } else if two
            .as_deref()
            .is_some_and(|t| matches!(t, "co ltd" | "and co" | "pvt ltd" | "l l"))
            && n > 2
        {
            words.truncate(n - 2);
        } else if matches!(
            words[n - 1],
            "ltd"
                | "limited"
                | "plc"
                | "llp"
                | "lp"
                | "cic"
                | "inc"
                | "incorporated"
                | "llc"
                | "co"
                | "company"
        ) {
            words.pop();
        } else {
            break;
        }
    }
    // "Cerner Ltd UK": a legal form mid-name says nothing either.
    if words.len() > 1 {
        words.retain(|w| !matches!(*w, "ltd" | "limited" | "plc" | "llp"));
    }
    words
        .iter()
        .map(|w| match *w {
            "and" => "and",
            "centre" | "center" => "centre",
            "organisation" | "organization" => "organisation",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`name_key`] remembered per name: a spend file names a few thousand
/// suppliers over many thousands of lines.
#[derive(Default)]
pub struct NameKeys(HashMap<String, String>);

impl NameKeys {
    pub fn get(&mut self, name: &str) -> &str {
        if !self.0.contains_key(name) {
            self.0.insert(name.to_string(), name_key(name));
        }
        &self.0[name]
    }
}

/// Why a candidate was proposed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum MatchReason {
    /// The ledger gave the company number.
    CompanyNumber,
    /// The normalised names are the same.
    SameName,
    /// The names share most of their letter triples.
    SimilarName { similarity_pct: u8 },
}

impl MatchReason {
    /// The catalogue key saying why.
    pub fn key(&self) -> &'static str {
        match self {
            MatchReason::CompanyNumber => "anchors.supplier.reason.company_number",
            MatchReason::SameName => "anchors.supplier.reason.same_name",
            MatchReason::SimilarName { .. } => "anchors.supplier.reason.similar_name",
        }
    }
}

/// One organisation a supplier may be.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// Index into the register given to [`Matcher::new`].
    pub org: usize,
    /// 0–100.
    pub score: u8,
    pub reason: MatchReason,
}

impl Candidate {
    /// Sure enough to accept without a person: a company number or the same
    /// normalised name. Everything else waits in the review queue.
    pub fn is_sure(&self) -> bool {
        matches!(
            self.reason,
            MatchReason::CompanyNumber | MatchReason::SameName
        )
    }
}

/// An entry of the register as the matcher needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct RegisterEntry {
    pub name: String,
    pub company_number: Option<String>,
}

/// An index over a register: exact keys, company numbers and letter triples.
///
/// Similar names are found by prefix filtering on both sides (Bayardo et
/// al., "Scaling up all pairs similarity search", 2007): trigrams are
/// ranked rarest first across the register; each entry is indexed under
/// only the first `len - ⌈t·len⌉ + 1` of its trigrams in that order, and a
/// query looks up only as many of its own. Two names at least `t` similar
/// always share a trigram within both of those prefixes. The first shared
/// one is where an entry is first met, so its positions on both sides bound
/// what the rest can share (the positional filter of Xiao et al.'s PPJoin,
/// 2008): most entries met are dropped before their trigrams are compared.
pub struct Matcher {
    keys: Vec<String>,
    by_key: HashMap<String, Vec<usize>>,
    by_number: HashMap<String, usize>,
    /// Each trigram's rank: 0 is the rarest in the register.
    rank: HashMap<[u8; 3], u32>,
    /// Entries indexed under each trigram (by rank), from their prefixes,
    /// with the trigram's place among the entry's own.
    by_trigram: Vec<Vec<(u32, u32)>>,
    /// Each entry's distinct trigrams as ranks, ascending, to verify a candidate.
    grams: Vec<Vec<u32>>,
}

/// Below this similarity a name is not proposed at all.
pub const MIN_SIMILARITY_PCT: u8 = 60;

impl Matcher {
    pub fn new(register: &[RegisterEntry]) -> Matcher {
        let keys: Vec<String> = register.iter().map(|e| name_key(&e.name)).collect();
        let texts: Vec<Vec<[u8; 3]>> = keys.iter().map(|k| trigrams(k)).collect();
        let mut count: HashMap<[u8; 3], u32> = HashMap::new();
        for g in texts.iter().flatten() {
            *count.entry(*g).or_default() += 1;
        }
        let mut order: Vec<([u8; 3], u32)> = count.into_iter().collect();
        order.sort_unstable_by_key(|(g, n)| (*n, *g));
        let rank: HashMap<[u8; 3], u32> = order
            .iter()
            .enumerate()
            .map(|(r, (g, _))| (*g, r as u32))
            .collect();
        let mut m = Matcher {
            keys: Vec::with_capacity(register.len()),
            by_key: HashMap::new(),
            by_number: HashMap::new(),
            by_trigram: vec![Vec::new(); order.len()],
            grams: Vec::with_capacity(register.len()),
            rank,
        };
        for (i, (e, (key, text))) in register.iter().zip(keys.into_iter().zip(texts)).enumerate() {
            let mut grams: Vec<u32> = text.iter().map(|g| m.rank[g]).collect();
            grams.sort_unstable();
            for (at, r) in grams[..prefix_len(grams.len())].iter().enumerate() {
                m.by_trigram[*r as usize].push((i as u32, at as u32));
            }
            m.grams.push(grams);
            m.by_key.entry(key.clone()).or_default().push(i);
            if let Some(n) = &e.company_number {
                m.by_number.insert(n.trim().to_uppercase(), i);
            }
            m.keys.push(key);
        }
        m
    }

    /// Up to `limit` candidates, best first.
    pub fn candidates(
        &self,
        name: &str,
        company_number: Option<&str>,
        limit: usize,
    ) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::new();
        if let Some(i) = company_number.and_then(|n| self.by_number.get(&n.trim().to_uppercase())) {
            out.push(Candidate {
                org: *i,
                score: 100,
                reason: MatchReason::CompanyNumber,
            });
        }
        let key = name_key(name);
        for i in self.by_key.get(&key).into_iter().flatten() {
            if !out.iter().any(|c| c.org == *i) {
                out.push(Candidate {
                    org: *i,
                    score: 95,
                    reason: MatchReason::SameName,
                });
            }
        }
        // A sure match needs no similar names beside it.
        if out.iter().any(Candidate::is_sure) {
            out.truncate(limit);
            return out;
        }
        let text = trigrams(&key);
        if !text.is_empty() {
            // The query's trigrams the register has, as ranks; the others
            // count towards its size but can match nothing.
            let size = text.len();
            let mut grams: Vec<u32> = text
                .iter()
                .filter_map(|g| self.rank.get(g).copied())
                .collect();
            grams.sort_unstable();
            let unknown = size - grams.len();
            // Unknown trigrams rank before every known one (rarer than
            // rare), so they fill the start of the query's prefix.
            let probe = prefix_len(size).saturating_sub(unknown).min(grams.len());
            // Each entry once (a bit per entry), then the length filter, then
            // the overlap, abandoned as soon as it can no longer reach the
            // similarity: s / (|A| + |B| - s) >= t  <=>  s >= t (|A| + |B|) / (1 + t).
            let mut seen = vec![0u64; self.keys.len().div_ceil(64)];
            let t = MIN_SIMILARITY_PCT as usize;
            let mut similar: Vec<(usize, u8)> = Vec::new();
            for (mine, r) in grams[..probe].iter().enumerate() {
                for &(i, at) in &self.by_trigram[*r as usize] {
                    let (word, bit) = (i as usize / 64, 1u64 << (i % 64));
                    if seen[word] & bit != 0 {
                        continue;
                    }
                    seen[word] |= bit;
                    let theirs = &self.grams[i as usize];
                    // Length filter: a set this much larger or smaller cannot be similar enough.
                    if theirs.len() * t > size * 100 || size * t > theirs.len() * 100 {
                        continue;
                    }
                    let need = (t * (size + theirs.len())).div_ceil(100 + t);
                    // Nothing before this trigram is shared (the entry would
                    // have been met there), so only what follows it can be.
                    let (mine, at) = (mine + 1, at as usize + 1);
                    if 1 + (grams.len() - mine).min(theirs.len() - at) < need {
                        continue;
                    }
                    let Some(rest) =
                        overlap_at_least(&grams[mine..], &theirs[at..], need.saturating_sub(1))
                    else {
                        continue;
                    };
                    let shared = rest + 1;
                    let union = size + theirs.len() - shared;
                    let pct = (shared * 100 / union.max(1)) as u8;
                    if pct >= MIN_SIMILARITY_PCT {
                        similar.push((i as usize, pct));
                    }
                }
            }
            similar.sort_by(|a, b| b.1.cmp(&a.1).then(self.keys[a.0].cmp(&self.keys[b.0])));
            for (i, pct) in similar {
                if out.len() >= limit {
                    break;
                }
                if !out.iter().any(|c| c.org == i) {
                    out.push(Candidate {
                        org: i,
                        score: pct.min(90),
                        reason: MatchReason::SimilarName {
                            similarity_pct: pct,
                        },
                    });
                }
            }
        }
        out.truncate(limit);
        out
    }
}

/// How many of a name's trigrams (rarest first) to index or look up: one
/// more than it can fail to share with a name at least
/// [`MIN_SIMILARITY_PCT`] similar, which shares at least ⌈t·len⌉.
fn prefix_len(len: usize) -> usize {
    (len + 1)
        .saturating_sub((len * MIN_SIMILARITY_PCT as usize).div_ceil(100))
        .min(len)
}

/// How many items two sorted lists share, if at least `need`: the merge
/// stops once what is left of the shorter side cannot make up the rest.
fn overlap_at_least(a: &[u32], b: &[u32], need: usize) -> Option<usize> {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if n + (a.len() - i).min(b.len() - j) < need {
            return None;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (n >= need).then_some(n)
}

/// The distinct letter triples of ` key ` (padded so short words count).
fn trigrams(key: &str) -> Vec<[u8; 3]> {
    let padded = format!(" {key} ");
    let b = padded.as_bytes();
    let mut out: Vec<[u8; 3]> = b.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A first guess at what kind of body a supplier is, from its name alone,
/// for suppliers no register knows. Public bodies are the ones that matter:
/// they leave influenceable spend.
pub fn kind_from_name(name: &str) -> Option<super::measures::SupplierKind> {
    use super::measures::SupplierKind;
    let spaced: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let k = format!(
        " {} ",
        spaced.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let any = |words: &[&str]| words.iter().any(|w| k.contains(&format!(" {w} ")));
    if any(&[
        "nhs",
        "hmrc",
        "council",
        "borough",
        "police",
        "fire and rescue",
        "university",
        "hm revenue",
        "ministry",
        "department for",
        "clinical commissioning",
    ]) {
        Some(SupplierKind::PublicBody)
    } else if any(&[
        "cic",
        "community interest company",
        "social enterprise",
        "co operative",
        "cooperative",
    ]) {
        Some(SupplierKind::SocialEnterprise)
    } else if any(&["charity", "charitable", "foundation", "hospice", "trust"]) {
        Some(SupplierKind::Vcse)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The pruned search finds exactly the names a brute-force
        /// comparison with every register entry finds.
        #[test]
        fn similar_names_are_found_exactly(
            register in proptest::collection::vec("[a-d ]{3,14}", 1..60),
            query in "[a-d ]{3,14}",
        ) {
            let entries: Vec<RegisterEntry> = register
                .iter()
                .map(|n| RegisterEntry { name: n.clone(), company_number: None })
                .collect();
            let m = Matcher::new(&entries);
            let key = name_key(&query);
            let q = trigrams(&key);
            let mut expected: Vec<usize> = (0..entries.len())
                .filter(|i| {
                    let theirs = trigrams(&m.keys[*i]);
                    let shared = theirs.iter().filter(|g| q.contains(g)).count();
                    let union = q.len() + theirs.len() - shared;
                    !q.is_empty() && m.keys[*i] != key && shared * 100 / union.max(1) >= MIN_SIMILARITY_PCT as usize
                })
                .collect();
            expected.sort_unstable();
            let mut found: Vec<usize> = m
                .candidates(&query, None, usize::MAX)
                .into_iter()
                .filter(|c| matches!(c.reason, MatchReason::SimilarName { .. }))
                .map(|c| c.org)
                .collect();
            found.sort_unstable();
            if m.by_key.contains_key(&key) {
                // A sure same-name match stops the search for similar names.
                prop_assert!(found.is_empty());
            } else {
                prop_assert_eq!(found, expected);
            }
        }
    }

    use super::*;

    #[test]
    fn names_compare_as_people_mean_them() {
        for (a, b) in [
            ("The Bywest Ltd.", "BYWEST LIMITED"),
            ("Deloitte And Touche Llp", "DELOITTE & TOUCHE LLP"),
            (
                "3m United Kingdom Plc",
                "3M UNITED KINGDOM PUBLIC LIMITED COMPANY",
            ),
            (
                "St Mark'S Hospital Foundation",
                "ST MARKS HOSPITAL FOUNDATION",
            ),
            ("Acme Ltd t/a Acme Catering", "ACME LIMITED"),
            (
                "Ladywood Community Kitchen CIC",
                "LADYWOOD COMMUNITY KITCHEN COMMUNITY INTEREST COMPANY",
            ),
            ("Nhs Supply Chain", "NHS SUPPLY CHAIN"),
        ] {
            assert_eq!(name_key(a), name_key(b), "{a} / {b}");
        }
        assert_eq!(name_key("The Company"), "company");
        assert_ne!(name_key("Bywest Ltd"), name_key("Bywest Holdings Ltd"));
    }

    #[test]
    fn candidates_with_scores_and_reasons() {
        let register = vec![
            RegisterEntry {
                name: "KINGS COLLEGE LONDON".into(),
                company_number: Some("03529700".into()),
            },
            RegisterEntry {
                name: "BYWEST LIMITED".into(),
                company_number: Some("01234567".into()),
            },
            RegisterEntry {
                name: "BYWEST HOLDINGS LIMITED".into(),
                company_number: None,
            },
            RegisterEntry {
                name: "CERNER LIMITED".into(),
                company_number: None,
            },
        ];
        let m = Matcher::new(&register);
        let c = m.candidates("Kings College London", Some("03529700"), 3);
        assert_eq!(c[0].org, 0);
        assert_eq!(c[0].reason, MatchReason::CompanyNumber);
        let c = m.candidates("Bywest Ltd", None, 3);
        assert_eq!((c[0].org, c[0].score), (1, 95));
        assert!(c[0].is_sure());
        // A different company with a longer name is not proposed.
        assert!(c.iter().all(|x| x.org != 2), "{c:?}");
        let c = m.candidates("Cerner Ltd Uk", None, 3);
        assert_eq!(c[0].org, 3);
        assert!(
            matches!(c[0].reason, MatchReason::SimilarName { similarity_pct } if similarity_pct >= 60)
        );
        assert!(m.candidates("Zebra Crossings", None, 3).is_empty());
    }

    #[test]
    fn kinds_from_names() {
        use crate::anchors::measures::SupplierKind;
        assert_eq!(kind_from_name("HMRC"), Some(SupplierKind::PublicBody));
        assert_eq!(
            kind_from_name("Sandwell Metropolitan Borough Council"),
            Some(SupplierKind::PublicBody)
        );
        assert_eq!(
            kind_from_name("Ladywood Kitchen CIC"),
            Some(SupplierKind::SocialEnterprise)
        );
        assert_eq!(kind_from_name("Bywest Ltd"), None);
    }
}
