//! `useit bench resolve`: how well the supplier matcher resolves real NHS
//! supplier names to the charities auditors matched them to, and how fast,
//! against rapidfuzz on the same names and the same register in the same run.
//!
//! The ground truth is crahal/NHSSpend's `supplier_charity_final.csv`
//! (`../shared/data/orgs/nhs_supplier_charity_matches_crahal.csv`): 1,814
//! suppliers from NHS trusts' and CCGs' £25k files, each with the charity
//! number a person confirmed. The register is every charity name the file
//! and its folder offer: the audited charities' names, the charity names of
//! the charity↔company lookup, and the names the authors' search index
//! proposed beside them (Charity Commission and Companies House names,
//! mostly near misses: "MENCAP" branches beside the Royal Mencap Society).
//! A proposed name with the same words (the order, "The" and
//! "Ltd"/"Limited" aside) as one charity's name is taken to be that
//! charity's: its registered name, its name in the lookup, or the
//! supplier's own name where the audit says the charity register holds it
//! for that charity (codes 1, 2 and 4: "perfect name match", often a
//! working or former name, such as "ACTION ON HEARING LOSS" for the Royal
//! National Institute for Deaf People). A Scottish or Northern Irish entry
//! of the lookup with such a name is the same charity registered there
//! too. Every other name is an organisation that is not the audited match,
//! so accepting it is wrong.
//!
//! Every supplier in the file has a match, and a matcher that always takes
//! the nearest name would look precise. In practice most suppliers are in
//! no register. So the run has two folds: each withholds half the audited
//! charities (by a hash of the number) from the register, and every
//! supplier is asked twice, once with its charity in the register (the right
//! answer is that charity) and once without (the right answer is "none").
//! Precision counts every accepted match that is wrong, recall every
//! supplier whose charity was there and not accepted.
//!
//! useit's rule for accepting is fixed ([`Candidate::is_sure`]); each
//! rapidfuzz scorer gets the threshold with its best F1 on these same
//! answers, and the best scorer is compared. Times are of one thread, the
//! register's preparation included on both sides, on CPU time (the machine
//! is shared) and wall-clock.
//!
//! [`Candidate::is_sure`]: useit_core::anchors::supplier::Candidate::is_sure

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use useit_core::anchors::supplier::{Matcher, RegisterEntry};

use super::{Scratch, secs};

/// Candidates kept per supplier for the review queue (as many as the
/// supplier page shows and then some).
const LIMIT: usize = 5;
/// rapidfuzz's scorers tried; its best (by F1 at its best threshold) is the one compared.
const SCORERS: [&str; 5] = [
    "WRatio",
    "QRatio",
    "token_sort_ratio",
    "token_set_ratio",
    "ratio",
];
/// Timed runs of each side; the fastest counts (the machine is shared).
const REPEATS: usize = 3;

/// One supplier of the file and the charity a person matched it to.
struct Audited {
    supplier: String,
    charity: String,
    charity_name: String,
}

/// One name of the register and the charity it is, when known.
#[derive(Clone)]
struct Entry {
    name: String,
    charity: Option<String>,
}

/// One fold: the register with half the audited charities withheld, and
/// each supplier's right answer in it.
struct Fold {
    register: Vec<Entry>,
    truth: Vec<Option<String>>,
}

/// What a matcher said about one supplier in one fold: its candidates
/// (register index, score), best first, and the one it accepted unasked.
struct Answer {
    candidates: Vec<(usize, f64)>,
    accepted: Option<usize>,
}

pub fn run(
    orgs: &Path,
    python: Option<PathBuf>,
    no_rapidfuzz: bool,
    show_errors: bool,
) -> anyhow::Result<ExitCode> {
    let (audited, register, counts) = load(orgs)?;
    let queries: Vec<String> = audited.iter().map(|a| a.supplier.clone()).collect();
    let folds: Vec<Fold> = (0..2)
        .map(|f| {
            let withheld = |c: &str| fold_of(c) == f;
            Fold {
                register: register
                    .iter()
                    .filter(|e| e.charity.as_deref().is_none_or(|c| !withheld(c)))
                    .cloned()
                    .collect(),
                truth: audited
                    .iter()
                    .map(|a| (!withheld(&a.charity)).then(|| a.charity.clone()))
                    .collect(),
            }
        })
        .collect();
    let asked = queries.len() * folds.len();
    let with_answer: usize = folds.iter().map(|f| f.truth.iter().flatten().count()).sum();
    println!(
        "useit bench resolve: {} NHS suppliers with audited charity matches (crahal/NHSSpend)",
        audited.len()
    );
    println!(
        "  register: {} names ({} of the audited charities, {} of the charity-company lookup, {} others the audit's search proposed)",
        register.len(),
        counts.audited,
        counts.lookup,
        counts.proposed
    );
    println!(
        "  two folds, each withholding half the audited charities: {asked} questions, {with_answer} with the charity in the register, {} without",
        asked - with_answer
    );

    // useit: the index built and every supplier asked, per fold.
    let (mut ours_s, mut ours_cpu) = (f64::INFINITY, f64::INFINITY);
    let mut ours: Vec<Vec<Answer>> = Vec::new();
    let entries: Vec<Vec<RegisterEntry>> = folds
        .iter()
        .map(|f| {
            f.register
                .iter()
                .map(|e| RegisterEntry {
                    name: e.name.clone(),
                    company_number: None,
                })
                .collect()
        })
        .collect();
    for _ in 0..REPEATS {
        let (t, cpu) = (Instant::now(), thread_cpu_secs());
        let answers: Vec<Vec<Answer>> = entries
            .iter()
            .map(|register| {
                let m = Matcher::new(register);
                queries
                    .iter()
                    .map(|q| {
                        let c = m.candidates(q, None, LIMIT);
                        Answer {
                            accepted: c.first().filter(|c| c.is_sure()).map(|c| c.org),
                            candidates: c.iter().map(|c| (c.org, c.score as f64)).collect(),
                        }
                    })
                    .collect()
            })
            .collect();
        ours_s = ours_s.min(secs(t));
        ours_cpu = ours_cpu.min(thread_cpu_secs() - cpu);
        ours = answers;
    }
    println!("useit (sure matches accepted, the rest to the review queue):");
    let ours_fig = figures(&folds, &ours, |a| a.accepted);
    ours_fig.print();
    println!(
        "  {ours_cpu:.4} s of CPU ({ours_s:.4} s wall-clock) for both folds: index built + {LIMIT} candidates per supplier, 1 thread, fastest of {REPEATS}; {:.1} µs of CPU a supplier",
        ours_cpu / asked as f64 * 1e6
    );
    let (t, sweep) = best_threshold(&folds, &ours);
    println!(
        "  for comparison, accepting useit's best candidate at score ≥ {t} (the best F1 over every threshold) instead of the sure rule: {}",
        sweep.summary()
    );
    if show_errors {
        print_errors(&queries, &audited, &folds, &ours);
    }
    if no_rapidfuzz {
        return Ok(ExitCode::SUCCESS);
    }

    let py = python_pinned(python)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/resolve_rapidfuzz.py");
    let dir =
        Scratch(std::env::temp_dir().join(format!("useit-bench-resolve-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0)?;
    let job_folds: Vec<serde_json::Value> = folds
        .iter()
        .map(|f| {
            serde_json::json!({
                "register": f.register.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
                "queries": queries,
            })
        })
        .collect();
    let call = |mode: &str, job: serde_json::Value| -> anyhow::Result<serde_json::Value> {
        let file = dir.0.join(format!("{mode}.json"));
        std::fs::write(&file, serde_json::to_vec(&job)?)?;
        let o = Command::new(&py)
            .arg(&script)
            .arg(mode)
            .arg(&file)
            .output()?;
        anyhow::ensure!(
            o.status.success(),
            "rapidfuzz run failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        Ok(serde_json::from_slice(&o.stdout)?)
    };
    let v = call(
        "candidates",
        serde_json::json!({"folds": job_folds, "scorers": SCORERS, "limit": LIMIT}),
    )?;
    let version = v["version"].as_str().unwrap_or("?").to_string();
    // Each scorer at its own best threshold; the best of those is compared.
    let mut best: Option<(&str, f64, Figures, Vec<Vec<Answer>>)> = None;
    println!(
        "rapidfuzz {version} (process.extract, utils.default_process, 1 thread), each scorer at its best threshold:"
    );
    for scorer in SCORERS {
        let answers = parse_answers(&v["scorers"][scorer]["folds"])?;
        let (t, fig) = best_threshold(&folds, &answers);
        println!(
            "  {scorer:<17} ≥ {t:>6.2}: {}   ({:.2} s of CPU with {LIMIT} candidates each)",
            fig.summary(),
            v["scorers"][scorer]["cpu_seconds"]
                .as_f64()
                .unwrap_or(f64::NAN)
        );
        if best.as_ref().is_none_or(|b| fig.f1() > b.2.f1()) {
            best = Some((scorer, t, fig, answers));
        }
    }
    let Some((scorer, t, theirs_fig, theirs)) = best else {
        anyhow::bail!("no rapidfuzz scorer ran");
    };
    println!(
        "rapidfuzz: {scorer}, best candidate accepted at score ≥ {t:.2} (the threshold with the best F1 over every score it gave, chosen on these same answers: an advantage useit's fixed rule does not get), the rest to the review queue:"
    );
    theirs_fig.print();
    let timed = call(
        "accept",
        serde_json::json!({"folds": job_folds, "scorer": scorer, "cutoff": t, "repeats": REPEATS}),
    )?;
    let theirs_s = timed["seconds"].as_f64().unwrap_or(f64::NAN);
    let theirs_cpu = timed["cpu_seconds"].as_f64().unwrap_or(f64::NAN);
    // The timed run must take the same names the evaluated one accepted.
    let mut differ = 0;
    for (f, fold) in theirs.iter().enumerate() {
        for (q, a) in fold.iter().enumerate() {
            let took = timed["folds"][f][q].as_u64().map(|i| i as usize);
            let would = a.candidates.first().filter(|c| c.1 >= t).map(|c| c.0);
            if took.map(|i| &folds[f].register[i].charity)
                != would.map(|i| &folds[f].register[i].charity)
            {
                differ += 1;
            }
        }
    }
    println!(
        "  {theirs_cpu:.3} s of CPU ({theirs_s:.3} s wall-clock) for both folds: process.extractOne with score_cutoff {t:.2}, register processed inside, fastest of {REPEATS}; {:.1} µs of CPU a supplier{}",
        theirs_cpu / asked as f64 * 1e6,
        if differ > 0 {
            format!(" ({differ} answers differ from the evaluated run)")
        } else {
            String::new()
        }
    );
    println!("useit against rapidfuzz:");
    println!(
        "  F1 of the accepted matches: useit {:.1}%, rapidfuzz {:.1}% (goal: useit ≥ rapidfuzz)",
        ours_fig.f1() * 100.0,
        theirs_fig.f1() * 100.0
    );
    println!(
        "  precision: useit {:.1}%, rapidfuzz {:.1}%; recall: useit {:.1}%, rapidfuzz {:.1}%",
        ours_fig.precision() * 100.0,
        theirs_fig.precision() * 100.0,
        ours_fig.recall() * 100.0,
        theirs_fig.recall() * 100.0
    );
    println!(
        "  speed: useit {} rapidfuzz's on CPU time (its / useit's; goal ≥ 100×), {} on wall-clock time",
        times(theirs_cpu / ours_cpu),
        times(theirs_s / ours_s)
    );
    Ok(ExitCode::SUCCESS)
}

/// A folder removed when the run ends, however it ends.
/// A ratio as "N×", or "not known" where a time could not be read.
fn times(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.0}×")
    } else {
        "not known".into()
    }
}

/// CPU time this thread has run, in seconds (Linux; not a number
/// elsewhere): on a shared machine the wall clock also counts the time
/// other programs had the cores.
fn thread_cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

/// How many register names came from each source.
#[derive(Default)]
struct Sources {
    audited: usize,
    lookup: usize,
    proposed: usize,
}

/// The file, its folder's charity names and the register made of them.
fn load(orgs: &Path) -> anyhow::Result<(Vec<Audited>, Vec<Entry>, Sources)> {
    let path = orgs.join("nhs_supplier_charity_matches_crahal.csv");
    let mut r = csv::Reader::from_path(&path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let headers = r.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow::anyhow!("{} has no column {name}", path.display()))
    };
    let (supplier, number, name) = (
        col("query_string_n")?,
        col("CharityRegNo")?,
        col("CharityName")?,
    );
    let audit = col("audit_type")?;
    let proposed = [col("match_0_n")?, col("match_1_n")?, col("match_2_n")?];
    let mut audited = Vec::new();
    let mut others: Vec<String> = Vec::new();
    // The supplier's own name, where the audit says the charity register
    // holds it for the matched charity (a working or former name).
    let mut its_names: Vec<(String, String)> = Vec::new();
    for row in r.records() {
        let row = row?;
        // Numbers are written as floats ("1074622.0").
        let n = row[number].trim();
        let charity = n.strip_suffix(".0").unwrap_or(n).to_string();
        anyhow::ensure!(
            !charity.is_empty() && charity.bytes().all(|b| b.is_ascii_digit()),
            "{}: charity number {n:?} is not a number",
            path.display()
        );
        // "2: CC: 1 existing perfect name match", "2: CC: 2 existing perfect
        // except 'LTD/LIMITED'", "2: CC: 4 corrected now perf name match".
        let code = row[audit]
            .strip_prefix("2: CC: ")
            .and_then(|r| r.split(' ').next());
        if matches!(code, Some("1" | "2" | "4")) {
            its_names.push((row[supplier].trim().to_string(), charity.clone()));
        }
        audited.push(Audited {
            supplier: row[supplier].trim().to_string(),
            charity,
            charity_name: row[name].trim().to_string(),
        });
        for c in proposed {
            let p = row[c].trim();
            if !p.is_empty() {
                others.push(p.to_string());
            }
        }
    }

    let mut register: Vec<Entry> = Vec::new();
    let mut seen: HashSet<(String, Option<String>)> = HashSet::new();
    let mut add = |register: &mut Vec<Entry>, name: &str, charity: Option<String>| {
        seen.insert((name.to_string(), charity.clone()))
            .then(|| {
                register.push(Entry {
                    name: name.to_string(),
                    charity,
                })
            })
            .is_some()
    };
    let mut counts = Sources::default();
    for a in &audited {
        counts.audited += add(&mut register, &a.charity_name, Some(a.charity.clone())) as usize;
    }
    // A name's words → the charities with such a name.
    let mut by_words: HashMap<String, HashSet<String>> = HashMap::new();
    let note = |by_words: &mut HashMap<String, HashSet<String>>, name: &str, charity: &str| {
        by_words
            .entry(same_words(name))
            .or_default()
            .insert(charity.to_string());
    };
    for a in &audited {
        note(&mut by_words, &a.charity_name, &a.charity);
    }
    for (name, charity) in &its_names {
        note(&mut by_words, name, charity);
    }
    let path = orgs.join("charity_company_lookups/charity-company-numbers.csv");
    let mut r = csv::Reader::from_path(&path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut lookup: Vec<(String, String)> = Vec::new();
    for row in r.records() {
        let row = row?;
        let (id, name) = (row[0].trim(), row[2].trim());
        // GB-CHC-1000611 is charity 1000611 of England and Wales. A Scottish
        // or Northern Irish number under one audited charity's name is that
        // charity registered there too (Macmillan Cancer Support, Combat
        // Stress…); any other keeps its own number.
        let charity = match id.strip_prefix("GB-CHC-") {
            Some(n) => n.to_string(),
            None => match by_words.get(&same_words(name)) {
                Some(ids) if ids.len() == 1 => ids.iter().next().cloned().unwrap_or_default(),
                _ => id.to_string(),
            },
        };
        counts.lookup += add(&mut register, name, Some(charity.clone())) as usize;
        lookup.push((name.to_string(), charity));
    }
    for (name, charity) in &lookup {
        note(&mut by_words, name, charity);
    }
    for name in others {
        match by_words.get(&same_words(&name)) {
            // Another register's copy of one charity's name.
            Some(ids) if ids.len() == 1 => {
                let id = ids.iter().next().cloned();
                counts.proposed += add(&mut register, &name, id) as usize;
            }
            // A copy of a name two charities share: which one cannot be told.
            Some(_) => {}
            None => counts.proposed += add(&mut register, &name, None) as usize,
        }
    }
    Ok((audited, register, counts))
}

/// A name's words, upper case, without "The", "Ltd" or "Limited", sorted:
/// how the evaluation (not either matcher) decides that a name the search
/// index proposed is an audited charity's own.
fn same_words(name: &str) -> String {
    let upper = name.to_uppercase();
    let mut words: Vec<&str> = upper
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "THE" | "LTD" | "LIMITED"))
        .collect();
    words.sort_unstable();
    words.join(" ")
}

/// Which fold withholds a charity: a hash of its number (FNV-1a), so the
/// halves do not follow the numbering.
fn fold_of(charity: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in charity.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h >> 32) as usize % 2
}

/// The counts behind precision, recall and the review queue.
#[derive(Default)]
struct Figures {
    asked: usize,
    with_answer: usize,
    accepted: usize,
    accepted_right: usize,
    /// Accepted although the supplier's charity was withheld.
    accepted_withheld: usize,
    review: usize,
    review_with_answer: usize,
    /// In the review queue with the right charity among its candidates.
    review_found: usize,
    unresolved: usize,
    unresolved_with_answer: usize,
}

impl Figures {
    fn precision(&self) -> f64 {
        self.accepted_right as f64 / self.accepted.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.accepted_right as f64 / self.with_answer.max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn summary(&self) -> String {
        format!(
            "precision {:.1}%, recall {:.1}%, F1 {:.1}% ({} accepted, {} wrong)",
            self.precision() * 100.0,
            self.recall() * 100.0,
            self.f1() * 100.0,
            self.accepted,
            self.accepted - self.accepted_right
        )
    }
    fn print(&self) {
        println!(
            "  accepted unasked: {} of {} — {} right, {} wrong ({} of them while the supplier's charity was withheld)",
            self.accepted,
            self.asked,
            self.accepted_right,
            self.accepted - self.accepted_right,
            self.accepted_withheld
        );
        println!(
            "  precision {:.1}%, recall {:.1}% (of the {} with the charity in the register), F1 {:.1}%",
            self.precision() * 100.0,
            self.recall() * 100.0,
            self.with_answer,
            self.f1() * 100.0
        );
        println!(
            "  review queue: {}; {} of them with the charity in the register, {} of those with it among the candidates",
            self.review, self.review_with_answer, self.review_found
        );
        println!(
            "  no candidate: {}; {} of them with the charity in the register",
            self.unresolved, self.unresolved_with_answer
        );
    }
}

/// Scores a matcher's answers, `accept` saying which candidate it takes unasked.
fn figures(
    folds: &[Fold],
    answers: &[Vec<Answer>],
    accept: impl Fn(&Answer) -> Option<usize>,
) -> Figures {
    let mut f = Figures::default();
    for (fold, answers) in folds.iter().zip(answers) {
        for (truth, a) in fold.truth.iter().zip(answers) {
            let is_right = |i: usize| truth.is_some() && fold.register[i].charity == *truth;
            f.asked += 1;
            f.with_answer += truth.is_some() as usize;
            if let Some(i) = accept(a) {
                f.accepted += 1;
                f.accepted_right += is_right(i) as usize;
                f.accepted_withheld += truth.is_none() as usize;
            } else if a.candidates.is_empty() {
                f.unresolved += 1;
                f.unresolved_with_answer += truth.is_some() as usize;
            } else {
                f.review += 1;
                f.review_with_answer += truth.is_some() as usize;
                f.review_found += a.candidates.iter().any(|c| is_right(c.0)) as usize;
            }
        }
    }
    f
}

/// The threshold on the best candidate's score with the best F1 (the
/// higher on a tie: fewer wrong matches), over every score given.
fn best_threshold(folds: &[Fold], answers: &[Vec<Answer>]) -> (f64, Figures) {
    let mut scores: Vec<f64> = answers
        .iter()
        .flatten()
        .filter_map(|a| a.candidates.first().map(|c| c.1))
        .collect();
    scores.sort_by(|a, b| b.total_cmp(a));
    scores.dedup();
    let mut best: Option<(f64, Figures)> = None;
    for t in scores {
        let f = figures(folds, answers, |a| {
            a.candidates.first().filter(|c| c.1 >= t).map(|c| c.0)
        });
        if best.as_ref().is_none_or(|b| f.f1() > b.1.f1()) {
            best = Some((t, f));
        }
    }
    best.unwrap_or((f64::NAN, Figures::default()))
}

fn parse_answers(v: &serde_json::Value) -> anyhow::Result<Vec<Vec<Answer>>> {
    let bad = || anyhow::anyhow!("rapidfuzz's answers are not as expected");
    v.as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|fold| {
            fold.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(|q| {
                    let candidates = q
                        .as_array()
                        .ok_or_else(bad)?
                        .iter()
                        .map(|c| Some((c[0].as_u64()? as usize, c[1].as_f64()?)))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(bad)?;
                    Ok(Answer {
                        candidates,
                        accepted: None,
                    })
                })
                .collect()
        })
        .collect()
}

/// useit's wrong acceptances and the suppliers whose charity it did not
/// propose, for whoever improves the matcher.
fn print_errors(queries: &[String], audited: &[Audited], folds: &[Fold], answers: &[Vec<Answer>]) {
    println!("useit's wrong acceptances (supplier → accepted [the audited charity]):");
    for (f, fold) in folds.iter().enumerate() {
        for (q, a) in answers[f].iter().enumerate() {
            if let Some(i) = a.accepted
                && (fold.truth[q].is_none() || fold.register[i].charity != fold.truth[q])
            {
                let truth = match &fold.truth[q] {
                    Some(_) => audited[q].charity_name.clone(),
                    None => format!("withheld: {}", audited[q].charity_name),
                };
                println!("  {} → {} [{truth}]", queries[q], fold.register[i].name);
            }
        }
    }
    println!(
        "useit's misses with the charity in the register (supplier → best candidate [the audited charity]):"
    );
    for (f, fold) in folds.iter().enumerate() {
        for (q, a) in answers[f].iter().enumerate() {
            if fold.truth[q].is_some() && a.accepted.is_none() {
                let best = a
                    .candidates
                    .first()
                    .map(|c| format!("{} ({})", fold.register[c.0].name, c.1))
                    .unwrap_or_else(|| "none".into());
                println!("  {} → {best} [{}]", queries[q], audited[q].charity_name);
            }
        }
    }
}

/// A Python with the pinned rapidfuzz: the one given, or bench/.venv
/// (made and filled from bench/requirements-resolve.txt the first time).
fn python_pinned(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let requirements = root.join("bench/requirements-resolve.txt");
    let pinned = std::fs::read_to_string(&requirements)?
        .lines()
        .find_map(|l| l.trim().strip_prefix("rapidfuzz==").map(str::to_string))
        .ok_or_else(|| anyhow::anyhow!("{} pins no rapidfuzz", requirements.display()))?;
    let venv = Path::new("bench/.venv");
    let py = venv.join("bin/python");
    let has = |py: &Path| {
        Command::new(py)
            .args([
                "-c",
                &format!("import rapidfuzz, sys; sys.exit(rapidfuzz.__version__ != {pinned:?})"),
            ])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if py.exists() && has(&py) {
        return Ok(py);
    }
    eprintln!(
        "setting up {} with rapidfuzz {pinned} from PyPI…",
        venv.display()
    );
    if !py.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(venv)
            .status()?
            .success();
        anyhow::ensure!(ok, "python3 -m venv {} failed", venv.display());
    }
    let ok = Command::new(venv.join("bin/pip"))
        .args(["install", "-q", "-r"])
        .arg(&requirements)
        .status()?
        .success();
    anyhow::ensure!(
        ok && has(&py),
        "could not install rapidfuzz {pinned} into {}",
        venv.display()
    );
    Ok(py)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, charity: Option<&str>) -> Entry {
        Entry {
            name: name.into(),
            charity: charity.map(str::to_string),
        }
    }

    fn answer(candidates: &[(usize, f64)], accepted: Option<usize>) -> Answer {
        Answer {
            candidates: candidates.to_vec(),
            accepted,
        }
    }

    /// Six suppliers counted by hand: three accepted rightly, two false
    /// matches (one to another charity, one while the supplier's charity
    /// was not in the register), one left with no candidate although its
    /// charity was there. Precision 3 of 5 accepted = 60%; recall 3 of the
    /// 5 whose charity was in the register = 60%; F1 60%.
    #[test]
    fn precision_and_recall_are_counted_as_by_hand() {
        let fold = Fold {
            register: vec![
                entry("ALPHA TRUST", Some("1")),
                entry("BETA CARE", Some("2")),
                entry("ALPHA TRUST TRADING", None),
                entry("DELTA HOUSE", Some("4")),
            ],
            truth: vec![
                Some("1".into()), // accepted 0: right
                Some("2".into()), // accepted 1: right
                Some("4".into()), // accepted 3: right
                Some("1".into()), // accepted 2: wrong (a near miss)
                None,             // accepted 0: wrong (its charity withheld)
                Some("2".into()), // no candidate
            ],
        };
        let answers = vec![vec![
            answer(&[(0, 100.0)], Some(0)),
            answer(&[(1, 98.0)], Some(1)),
            answer(&[(3, 97.0)], Some(3)),
            answer(&[(2, 95.0), (0, 90.0)], Some(2)),
            answer(&[(0, 92.0)], Some(0)),
            answer(&[], None),
        ]];
        let f = figures(std::slice::from_ref(&fold), &answers, |a| a.accepted);
        assert_eq!(
            (f.asked, f.with_answer, f.accepted, f.accepted_right),
            (6, 5, 5, 3)
        );
        assert_eq!((f.accepted_withheld, f.review, f.unresolved), (1, 0, 1));
        assert!((f.precision() - 0.6).abs() < 1e-12);
        assert!((f.recall() - 0.6).abs() < 1e-12);
        assert_eq!(
            f.summary(),
            "precision 60.0%, recall 60.0%, F1 60.0% (5 accepted, 2 wrong)"
        );
        // Without the withheld supplier's false match and with the last one
        // only reviewed: precision 3 of 4, recall 3 of 5.
        let g = figures(std::slice::from_ref(&fold), &answers, |a| {
            a.accepted.filter(|&i| i != 0 || a.candidates[0].1 == 100.0)
        });
        assert_eq!((g.accepted, g.accepted_right, g.review), (4, 3, 1));
        assert!((g.precision() - 0.75).abs() < 1e-12);
        assert!((g.recall() - 0.6).abs() < 1e-12);
        let f1 = 2.0 * 0.75 * 0.6 / (0.75 + 0.6);
        assert!((g.f1() - f1).abs() < 1e-12, "{}", g.f1());
    }
}
