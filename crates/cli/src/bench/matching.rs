//! `useit bench match`: the optimal placement of people in vacancies with
//! posts, 5,000 × 5,000 and 10,000 people × 2,000 vacancies, against
//! SciPy's `linear_sum_assignment` on the same matrices in the same run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use useit_core::talent::assignment::{Score, assign};

use super::{python_with, secs};
use crate::demo::Seeded;

/// One case: people × vacancies, posts per vacancy (cycling 1..=max_posts).
fn case(
    people: usize,
    vacancies: usize,
    max_posts: usize,
    seed: u64,
) -> (Vec<Vec<Score>>, Vec<usize>) {
    let mut rng = Seeded::new(seed);
    let scores = (0..people)
        .map(|_| {
            (0..vacancies)
                .map(|_| Some(rng.below(1000) as i64))
                .collect()
        })
        .collect();
    let posts = (0..vacancies).map(|v| 1 + v % max_posts).collect();
    (scores, posts)
}

pub fn run(python: Option<PathBuf>, no_scipy: bool) -> anyhow::Result<ExitCode> {
    let py = if no_scipy {
        None
    } else {
        Some(python_with("scipy", python)?)
    };
    let dir = std::env::temp_dir().join(format!("useit-bench-match-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    println!("useit bench match (1 thread each):");
    for (people, vacancies, max_posts, seed) in [(5_000, 5_000, 1, 1), (10_000, 2_000, 4, 2)] {
        let (scores, posts) = case(people, vacancies, max_posts, seed);
        let slots: usize = posts.iter().sum();
        let t = Instant::now();
        let a = assign(&scores, &posts);
        let ours = secs(t);
        let placed = a.vacancy_of.iter().filter(|v| v.is_some()).count();
        println!(
            "  {people} people × {vacancies} vacancies ({slots} posts): useit {ours:.2} s, {placed} placed, total score {}",
            a.total
        );
        let Some(py) = &py else { continue };
        // The same matrix with each vacancy repeated once per post, as i64 little-endian.
        let file = dir.join("m.bin");
        {
            let mut w = std::io::BufWriter::new(std::fs::File::create(&file)?);
            for row in &scores {
                for (v, k) in posts.iter().enumerate() {
                    let s = row[v].unwrap_or(0);
                    for _ in 0..*k {
                        w.write_all(&s.to_le_bytes())?;
                    }
                }
            }
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/match_scipy.py");
        let o = Command::new(py)
            .arg(&script)
            .arg(&file)
            .arg(people.to_string())
            .arg(slots.to_string())
            .output()?;
        anyhow::ensure!(
            o.status.success(),
            "SciPy run failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)?;
        let theirs = v["seconds"].as_f64().unwrap_or(f64::NAN);
        let total = v["total"].as_i64().unwrap_or(i64::MIN);
        println!(
            "  SciPy {} linear_sum_assignment: {theirs:.2} s, total score {total}",
            v["version"].as_str().unwrap_or("?")
        );
        anyhow::ensure!(
            total == a.total,
            "the optima differ: SciPy {total}, useit {}",
            a.total
        );
        println!(
            "  the optima agree; ratio (useit's time / SciPy's; goal ≤ 1.0): {:.2}×",
            ours / theirs
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ExitCode::SUCCESS)
}
