//! Recognising a supplier across the ways ledgers spell it, and matching it
//! to an organisation register (Companies House, Charity Commission, NHS
//! ODS, social-enterprise lists) with a score and the reason for it.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

/// Where a ledger's "X t/a Y" starts naming the trade rather than the
/// legal entity: " t/a ", " t/as ", " trading as ", " ta ", "(t/a ",
/// "(trading as ", in any case, in one pass over the name.
fn trading_as(name: &str) -> Option<usize> {
    let b = name.as_bytes();
    let at = |i: usize, what: &[u8]| {
        b.get(i..i + what.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(what))
    };
    (1..b.len())
        .find(|&i| {
            matches!(b[i], b't' | b'T')
                && matches!(b[i - 1], b' ' | b'(')
                && (at(i, b"t/a ")
                    || at(i, b"t/as ")
                    || at(i, b"trading as ")
                    || (b[i - 1] == b' ' && at(i, b"ta ")))
        })
        .map(|i| i - 1)
}

/// A name made comparable: case, punctuation, `&`/and, `The`, legal forms
/// (Ltd/Limited, PLC, LLP, CIC, CIO…), "trading as" tails, "Saint"/"St" and
/// an acronym of the other words do not matter.
/// `"The Bywest Ltd."` and `"BYWEST LIMITED"` are both `bywest`.
pub fn name_key(name: &str) -> String {
    // "X Ltd t/a Y": the legal entity is X.
    let legal = trading_as(name)
        .map(|at| &name[..at])
        .filter(|x| x.chars().any(char::is_alphanumeric))
        .unwrap_or(name);
    let mut cleaned = String::with_capacity(legal.len() + 8);
    for c in legal.chars() {
        match c {
            'A'..='Z' => cleaned.push(c.to_ascii_lowercase()),
            'a'..='z' | '0'..='9' => cleaned.push(c),
            '&' | '+' => cleaned.push_str(" and "),
            '\'' | '’' => {}
            c if c.is_alphanumeric() => cleaned.extend(c.to_lowercase()),
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
        let cut = if n > 3
            && matches!(
                words[n - 3..],
                ["public", "limited", "company"]
                    | ["community", "interest", "company"]
                    | ["limited", "liability", "partnership"]
                    | [
                        "charitable",
                        "incorporated",
                        "organisation" | "organization"
                    ]
            ) {
            3
        } else if n > 2
            && matches!(
                words[n - 2..],
                ["co" | "pvt", "ltd"] | ["and", "co"] | ["l", "l"]
            )
        {
            2
        } else if n > 1
            && matches!(
                words[n - 1],
                "ltd"
                    | "limited"
                    | "plc"
                    | "llp"
                    | "lp"
                    | "cic"
                    | "cio"
                    | "scio"
                    | "inc"
                    | "incorporated"
                    | "llc"
                    | "co"
                    | "company"
            )
        {
            1
        } else {
            break;
        };
        words.truncate(n - cut);
    }
    // "Cerner Ltd UK": a legal form mid-name says nothing either.
    if words.len() > 1 {
        words.retain(|w| !matches!(*w, "ltd" | "limited" | "plc" | "llp"));
    }
    drop_acronym(&mut words);
    let mut key = String::with_capacity(cleaned.len());
    for w in words {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(match w {
            "centre" | "center" => "centre",
            "organisation" | "organization" => "organisation",
            "saint" => "st",
            w => w,
        });
    }
    key
}

/// Words an acronym may leave out: "Royal National Institute of Blind
/// People" is RNIB.
fn is_small_word(w: &str) -> bool {
    matches!(w, "of" | "and" | "the" | "for" | "in" | "on" | "to" | "at")
}

/// Whether `acronym` is the initials of `words`, with or without their
/// small words.
fn spells(acronym: &str, words: &[&str]) -> bool {
    let initials = |skip_small: bool| {
        words
            .iter()
            .filter(move |w| !(skip_small && is_small_word(w)))
            .filter_map(|w| w.chars().next())
    };
    acronym.chars().count() >= 2
        && acronym.chars().all(char::is_alphabetic)
        && (acronym.chars().eq(initials(false)) || acronym.chars().eq(initials(true)))
}

/// "Change Grow Live (CGL)", "CGL Change Grow Live", "Healthcare Quality
/// Improvement Partnership HQIP": an acronym of the other words, first or
/// last, says nothing they do not.
fn drop_acronym(words: &mut Vec<&str>) {
    let n = words.len();
    if n < 3 {
        return;
    }
    if spells(words[n - 1], &words[..n - 1]) {
        words.pop();
    } else if spells(words[0], &words[1..]) {
        words.remove(0);
    }
}

/// A hash of a key without its spaces: "Home Start" and "Homestart",
/// "Community 360" and "Community360", "C I T E E" and "CITEE" are one name.
fn compact_hash(key: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for b in key.bytes().filter(|b| *b != b' ') {
        h.write_u8(b);
    }
    h.finish()
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
    /// normalised name (spaces aside: "Home Start", "Homestart"). Everything
    /// else waits in the review queue: on 1,814 real NHS suppliers (`useit
    /// bench resolve`), also accepting names equal once "Trust", "Charity"
    /// or "Foundation" is dropped took three wrong organisations for each
    /// right one, and the same words in another order nearly one for one.
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
    /// The first entry with each key without its spaces (by its
    /// [`compact_hash`]), and for
    /// each entry the next with the same hash: the same name several times
    /// costs no list of its own.
    by_key: FxHashMap<u64, u32>,
    same_key: Vec<u32>,
    by_number: FxHashMap<String, usize>,
    /// Each trigram's rank: 0 is the rarest in the register.
    rank: PerGram,
    /// Entries indexed under each trigram (by rank), from their prefixes,
    /// with the trigram's place among the entry's own: those of rank `r`
    /// are `postings[starts[r]..starts[r + 1]]`.
    starts: Vec<u32>,
    postings: Vec<(u32, u32)>,
    /// Each entry's distinct trigrams as ranks, ascending, to verify a
    /// candidate: entry `i`'s are `grams[gram_at[i]..gram_at[i + 1]]`.
    gram_at: Vec<u32>,
    grams: Vec<u32>,
}

/// No entry (the end of a chain in [`Matcher::same_key`]), no number.
const NONE: u32 = u32::MAX;

/// Trigram codes: the 37 symbols keys mostly use (space, a–z, 0–9) give
/// 37³ codes, numbered in a table; a trigram with any other byte gets a
/// code above them, kept in a map.
const DENSE: u32 = 37 * 37 * 37;

fn symbol(b: u8) -> Option<u32> {
    match b {
        b' ' => Some(0),
        b'a'..=b'z' => Some(1 + u32::from(b - b'a')),
        b'0'..=b'9' => Some(27 + u32::from(b - b'0')),
        _ => None,
    }
}

/// The codes of the letter triples of ` key ` (padded so short words
/// count), repeats included.
fn trigram_codes(key: &str) -> impl Iterator<Item = u32> + '_ {
    let b = key.as_bytes();
    let at = move |i: usize| {
        if i == 0 || i > b.len() {
            b' '
        } else {
            b[i - 1]
        }
    };
    (0..b.len()).map(move |i| {
        let (x, y, z) = (at(i), at(i + 1), at(i + 2));
        match (symbol(x), symbol(y), symbol(z)) {
            (Some(x), Some(y), Some(z)) => x * 37 * 37 + y * 37 + z,
            _ => DENSE + ((u32::from(x) << 16) | (u32::from(y) << 8) | u32::from(z)),
        }
    })
}

/// A number per trigram code: a table for the common codes, a map for the rest.
struct PerGram {
    dense: Vec<u32>,
    other: FxHashMap<u32, u32>,
}

impl PerGram {
    fn new(fill: u32) -> PerGram {
        PerGram {
            dense: vec![fill; DENSE as usize],
            other: FxHashMap::default(),
        }
    }
    fn get(&self, g: u32) -> Option<u32> {
        match self.dense.get(g as usize) {
            Some(&v) => (v != NONE).then_some(v),
            None => self.other.get(&g).copied(),
        }
    }
    fn slot(&mut self, g: u32, fill: u32) -> &mut u32 {
        match self.dense.get_mut(g as usize) {
            Some(v) => v,
            None => self.other.entry(g).or_insert(fill),
        }
    }
}

/// Below this similarity a name is not proposed at all.
pub const MIN_SIMILARITY_PCT: u8 = 60;

impl Matcher {
    pub fn new(register: &[RegisterEntry]) -> Matcher {
        let keys: Vec<String> = register.iter().map(|e| name_key(&e.name)).collect();
        // Each entry's distinct trigram codes (the last entry to have a
        // code is noted, so a repeat is known at once), and how many entries
        // have each code.
        let mut grams: Vec<u32> = Vec::with_capacity(keys.iter().map(String::len).sum());
        let mut gram_at: Vec<u32> = Vec::with_capacity(keys.len() + 1);
        gram_at.push(0);
        let mut count = PerGram::new(0);
        let mut last = PerGram::new(NONE);
        for (i, k) in keys.iter().enumerate() {
            for g in trigram_codes(k) {
                let seen = last.slot(g, NONE);
                if *seen != i as u32 {
                    *seen = i as u32;
                    *count.slot(g, 0) += 1;
                    grams.push(g);
                }
            }
            gram_at.push(grams.len() as u32);
        }
        // Rarest first; ties by code.
        let mut order: Vec<(u32, u32)> = (0..DENSE)
            .map(|g| (count.dense[g as usize], g))
            .filter(|(n, _)| *n > 0)
            .chain(count.other.iter().map(|(g, n)| (*n, *g)))
            .collect();
        order.sort_unstable();
        let mut rank = PerGram::new(NONE);
        for (r, (_, g)) in order.iter().enumerate() {
            *rank.slot(*g, NONE) = r as u32;
        }
        let span = |i: usize| gram_at[i] as usize..gram_at[i + 1] as usize;
        let mut starts = vec![0u32; order.len() + 1];
        for i in 0..keys.len() {
            let gs = &mut grams[span(i)];
            for g in gs.iter_mut() {
                *g = rank.get(*g).unwrap_or(NONE);
            }
            gs.sort_unstable();
            for r in &gs[..prefix_len(gs.len())] {
                starts[*r as usize + 1] += 1;
            }
        }
        for r in 1..starts.len() {
            starts[r] += starts[r - 1];
        }
        let mut postings = vec![(0u32, 0u32); starts[order.len()] as usize];
        let mut fill = starts.clone();
        for i in 0..keys.len() {
            let gs = &grams[span(i)];
            for (at, r) in gs[..prefix_len(gs.len())].iter().enumerate() {
                postings[fill[*r as usize] as usize] = (i as u32, at as u32);
                fill[*r as usize] += 1;
            }
        }
        // Chained backwards so each chain runs in register order.
        let mut by_key: FxHashMap<u64, u32> = FxHashMap::default();
        let mut same_key = vec![NONE; keys.len()];
        for (i, key) in keys.iter().enumerate().rev() {
            if let Some(next) = by_key.insert(compact_hash(key), i as u32) {
                same_key[i] = next;
            }
        }
        let mut by_number: FxHashMap<String, usize> = FxHashMap::default();
        for (i, e) in register.iter().enumerate() {
            if let Some(n) = &e.company_number {
                by_number.insert(n.trim().to_uppercase(), i);
            }
        }
        Matcher {
            keys,
            by_key,
            same_key,
            by_number,
            rank,
            starts,
            postings,
            gram_at,
            grams,
        }
    }

    /// The entries whose key is `key` but for spaces, in register order.
    fn same_name<'a>(&'a self, key: &'a str) -> impl Iterator<Item = usize> + 'a {
        let mut at = self.by_key.get(&compact_hash(key)).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            while at != NONE {
                let i = at as usize;
                at = self.same_key[i];
                let theirs = self.keys[i].bytes().filter(|b| *b != b' ');
                if theirs.eq(key.bytes().filter(|b| *b != b' ')) {
                    return Some(i);
                }
            }
            None
        })
    }

    /// Entry `i`'s trigrams as ranks, ascending.
    fn grams_of(&self, i: usize) -> &[u32] {
        &self.grams[self.gram_at[i] as usize..self.gram_at[i + 1] as usize]
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
        for i in self.same_name(&key) {
            if !out.iter().any(|c| c.org == i) {
                out.push(Candidate {
                    org: i,
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
            let mut grams: Vec<u32> = text.iter().filter_map(|g| self.rank.get(*g)).collect();
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
                let postings = &self.postings
                    [self.starts[*r as usize] as usize..self.starts[*r as usize + 1] as usize];
                for &(i, at) in postings {
                    let (word, bit) = (i as usize / 64, 1u64 << (i % 64));
                    if seen[word] & bit != 0 {
                        continue;
                    }
                    seen[word] |= bit;
                    let theirs = self.grams_of(i as usize);
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

/// The distinct letter triples of ` key ` (padded so short words count),
/// as codes, ascending.
fn trigrams(key: &str) -> Vec<u32> {
    let mut out: Vec<u32> = trigram_codes(key).collect();
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

    /// The pruned search finds exactly the names a brute-force comparison
    /// with every register entry finds.
    fn pruned_is_brute_force(register: &[String], query: &str) -> Result<(), TestCaseError> {
        let entries: Vec<RegisterEntry> = register
            .iter()
            .map(|n| RegisterEntry {
                name: n.clone(),
                company_number: None,
            })
            .collect();
        let m = Matcher::new(&entries);
        let key = name_key(query);
        let q = trigrams(&key);
        let mut expected: Vec<usize> = (0..entries.len())
            .filter(|i| {
                let theirs = trigrams(&m.keys[*i]);
                let shared = theirs.iter().filter(|g| q.contains(g)).count();
                let union = q.len() + theirs.len() - shared;
                !q.is_empty()
                    && m.keys[*i] != key
                    && shared * 100 / union.max(1) >= MIN_SIMILARITY_PCT as usize
            })
            .collect();
        expected.sort_unstable();
        let mut found: Vec<usize> = m
            .candidates(query, None, usize::MAX)
            .into_iter()
            .filter(|c| matches!(c.reason, MatchReason::SimilarName { .. }))
            .map(|c| c.org)
            .collect();
        found.sort_unstable();
        if m.same_name(&key).next().is_some() {
            // A sure same-name match stops the search for similar names.
            prop_assert!(found.is_empty());
        } else {
            prop_assert_eq!(found, expected);
        }
        Ok(())
    }

    proptest! {
        /// The pruned search finds exactly the names a brute-force
        /// comparison with every register entry finds.
        #[test]
        fn similar_names_are_found_exactly(
            register in proptest::collection::vec("[a-d ]{3,14}", 1..60),
            query in "[a-d ]{3,14}",
        ) {
            pruned_is_brute_force(&register, &query)?;
        }

        /// The same with capitals, digits, `&` and letters outside a–z
        /// (whose trigrams are kept in a map, not the table).
        #[test]
        fn similar_names_are_found_exactly_in_any_alphabet(
            register in proptest::collection::vec("[a-cA-C1é& ]{3,14}", 1..60),
            query in "[a-cA-C1é& ]{3,14}",
        ) {
            pruned_is_brute_force(&register, &query)?;
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
    fn trading_as_in_any_case_or_in_brackets() {
        for name in [
            "Acme Ltd t/a Acme Catering",
            "ACME LTD T/A ACME CATERING",
            "Acme Limited (t/a Acme Catering)",
            "Acme Ltd (Trading as Acme Catering)",
            "Acme Limited trading as Acme Catering",
            "ACME LTD TA ACME CATERING",
        ] {
            assert_eq!(name_key(name), "acme", "{name}");
        }
        // Words that merely begin like the markers stay.
        assert_eq!(name_key("Acme Taxis"), "acme taxis");
        assert_eq!(name_key("Acme (Tamworth) Ltd"), "acme tamworth");
        // A name that is all trade keeps it.
        assert_eq!(name_key("t/a Acme Catering"), "t a acme catering");
    }

    #[test]
    fn charitable_incorporated_organisations_are_a_legal_form() {
        assert_eq!(name_key("Washington Mind CIO"), "washington mind");
        assert_eq!(name_key("Falkirk Carers SCIO"), "falkirk carers");
        assert_eq!(
            name_key("Action Together Charitable Incorporated Organisation"),
            "action together"
        );
        // Alone it is a name.
        assert_eq!(name_key("CIO"), "cio");
    }

    #[test]
    fn saint_is_st() {
        assert_eq!(name_key("Saint Luke's Hospice"), "st lukes hospice");
        assert_eq!(name_key("St. Lukes Hospice"), "st lukes hospice");
        assert_eq!(name_key("ST LUKES HOSPICE"), "st lukes hospice");
    }

    #[test]
    fn an_acronym_of_the_other_words_says_nothing() {
        for (a, b) in [
            ("Change Grow Live (CGL)", "CHANGE GROW LIVE"),
            ("CGL Change Grow Live", "CHANGE GROW LIVE"),
            (
                "Healthcare Quality Improvement Partnership Ltd (HQIP)",
                "HEALTHCARE QUALITY IMPROVEMENT PARTNERSHIP",
            ),
            // Initials of every word, or of all but the small ones.
            (
                "ROYAL NATIONAL INSTITUTE OF THE BLIND RNIB",
                "Royal National Institute of the Blind",
            ),
            (
                "British Institute of Learning Disabilities (BILD)",
                "BRITISH INSTITUTE OF LEARNING DISABILITIES",
            ),
        ] {
            assert_eq!(name_key(a), name_key(b), "{a} / {b}");
        }
        // A word that is not the initials stays, as does one of two words.
        assert_eq!(name_key("Age UK"), "age uk");
        assert_eq!(name_key("Birmingham Focus BX"), "birmingham focus bx");
        assert_eq!(name_key("HQ Holdings"), "hq holdings");
        assert_eq!(name_key("BHI Black Health"), "bhi black health");
        // Digits are no acronym.
        assert_eq!(name_key("Centre 33 C3"), "centre 33 c3");
    }

    #[test]
    fn spaces_inside_a_name_do_not_matter() {
        let register: Vec<RegisterEntry> = [
            "HOMESTART STROUD DISTRICT",
            "COMMUNITY360",
            "C I T E E LIMITED",
        ]
        .iter()
        .map(|n| RegisterEntry {
            name: n.to_string(),
            company_number: None,
        })
        .collect();
        let m = Matcher::new(&register);
        for (query, org) in [
            ("Home Start Stroud District", 0),
            ("COMMUNITY 360", 1),
            ("Citee Ltd", 2),
        ] {
            let c = m.candidates(query, None, 3);
            assert_eq!(
                (c[0].org, &c[0].reason),
                (org, &MatchReason::SameName),
                "{query}"
            );
            assert!(c[0].is_sure());
        }
        // The key itself keeps its words.
        assert_eq!(
            name_key("Home Start Stroud District"),
            "home start stroud district"
        );
    }

    /// Real NHS suppliers and the charities auditors matched them to, from
    /// crahal/NHSSpend `data/data_final/supplier_charity_final.csv` (commit
    /// dcbf54a, Charles Rahal et al., GPL-3.0), with near misses from the
    /// same file beside them. `useit bench resolve` runs all 1,814; these
    /// pin what the matcher does with each kind of difference.
    #[test]
    fn resolves_real_nhs_supplier_names() {
        let names = [
            "THE ABBEYFIELD SOCIETY",
            "ABBEYFIELD BAMBURGH SOCIETY",
            "BRITISH RED CROSS",
            "AGE UK ESSEX",
            "AGE UK SUFFOLK",
            "HOMESTART ASHFIELD",
            "HOMESTART STROUD DISTRICT",
            "CHANGE GROW LIVE",
            "CHANGE GROW LIVE SERVICES LIMITED",
            "THE BRITISH INSTITUTE OF LEARNING DISABILITIES",
            "BARNET REFUGEE SERVICE",
            "ANTHONY NOLAN",
            "KHIDMAT CENTRES",
            "BRADFORD TRIDENT LIMITED",
            "ST CLARE HOSPICE",
        ];
        let register: Vec<RegisterEntry> = names
            .iter()
            .map(|n| RegisterEntry {
                name: n.to_string(),
                company_number: None,
            })
            .collect();
        let m = Matcher::new(&register);
        let org = |n: &str| names.iter().position(|x| *x == n).unwrap();
        // Accepted without a person: only the same name, however written.
        for (supplier, charity) in [
            ("ABBEYFIELD SOCIETY", "THE ABBEYFIELD SOCIETY"),
            ("BRITISH RED CROSS THE", "BRITISH RED CROSS"),
            ("AGE UK ESSEX LIMITED", "AGE UK ESSEX"),
            ("HOME START STROUD DISTRICT", "HOMESTART STROUD DISTRICT"),
            ("CGL CHANGE GROW LIVE", "CHANGE GROW LIVE"),
            ("CHANGE GROW LIVE CGL LIMITED", "CHANGE GROW LIVE"),
            (
                "BRITISH INSTITUTE OF LEARNING DISABILITIES BILD",
                "THE BRITISH INSTITUTE OF LEARNING DISABILITIES",
            ),
        ] {
            let c = m.candidates(supplier, None, 5);
            assert_eq!(c[0].org, org(charity), "{supplier}: {c:?}");
            assert!(c[0].is_sure(), "{supplier}: {c:?}");
        }
        // To the review queue with the audited charity first: another word
        // order, a plural, a typo, a "Trust" the register does not have.
        for (supplier, charity) in [
            ("ASHFIELD HOMESTART", "HOMESTART ASHFIELD"),
            ("BARNET REFUGEE SERVICES", "BARNET REFUGEE SERVICE"),
            ("KHIDMAT CENTRE", "KHIDMAT CENTRES"),
            ("ANTHONY NOLAN TRUST", "ANTHONY NOLAN"),
            ("ST CLARES HOSPICE", "ST CLARE HOSPICE"),
        ] {
            let c = m.candidates(supplier, None, 5);
            assert_eq!(
                c.first().map(|c| c.org),
                Some(org(charity)),
                "{supplier}: {c:?}"
            );
            assert!(!c[0].is_sure(), "{supplier}: {c:?}");
        }
        // Never accepted for another organisation: a branch is not the
        // national body, a county not another county.
        for supplier in ["AGE UK", "AGE UK NORFOLK", "ABBEYFIELD WEY VALLEY SOCIETY"] {
            let c = m.candidates(supplier, None, 5);
            assert!(c.iter().all(|c| !c.is_sure()), "{supplier}: {c:?}");
        }
        // A working name the register does not hold finds nothing.
        assert!(m.candidates("BETTER START BRADFORD", None, 5).is_empty());
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
