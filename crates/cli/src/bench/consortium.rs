//! `useit bench consortium`: the consortium builder on 500 enterprises and a
//! lot of 20 requirements with the combined-capacity rule, against HiGHS
//! (highspy) solving the same MILP in the same run.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use time::macros::date;
use useit_core::enterprise::consortium::{Model, Options, solve};
use useit_core::enterprise::offer::{
    Accreditation, AccreditationKind, AccreditationNeed, AccreditationScope, EnterpriseOffer,
    InsuranceCover, LotRequirements, MinimumTurnover,
};

use super::{python_with, secs};
use crate::demo::Seeded;

const SERVICES: usize = 40;
const AREAS: usize = 30;

/// Pounds in pence.
const fn gbp(pounds: i64) -> i64 {
    pounds * 100
}

/// Enterprises shaped like a city's social enterprises: most offer one to
/// three services (some services far more common than others), work in one
/// to four neighbourhoods, and few hold each accreditation; turnovers from
/// £20,000 to a few million, spread evenly on a log scale.
fn enterprises(n: usize, rng: &mut Seeded) -> Vec<EnterpriseOffer> {
    let deadline = date!(2026 - 09 - 30);
    (0..n)
        .map(|i| {
            let count = match rng.below(100) {
                0..50 => 1,
                50..85 => 2,
                _ => 3,
            };
            let mut services = Vec::new();
            while services.len() < count {
                // Skewed: service s is picked about 1/(s+4) as often.
                let s = loop {
                    let s = rng.below(SERVICES as u64) as usize;
                    if rng.below((s + 4) as u64) < 4 {
                        break s;
                    }
                };
                let code = format!("s{s:02}");
                if !services.contains(&code) {
                    services.push(code);
                }
            }
            let home = rng.below(AREAS as u64) as usize;
            let reach = 1 + rng.below(4) as usize;
            let areas = (0..reach)
                .map(|k| {
                    format!(
                        "Area {:02}",
                        (home + k * (1 + rng.below(3) as usize)) % AREAS
                    )
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut accreditations = Vec::new();
            let mut hold = |kind: AccreditationKind, per_cent: u64, rng: &mut Seeded| {
                if rng.below(100) < per_cent {
                    // One in five has lapsed or lapses before the deadline.
                    let days = if rng.below(5) == 0 {
                        -(rng.below(300) as i64) - 1
                    } else {
                        rng.below(700) as i64
                    };
                    accreditations.push(Accreditation {
                        kind,
                        expires_on: Some(deadline + time::Duration::days(days)),
                    });
                }
            };
            hold(AccreditationKind::SocialEnterpriseMark, 40, rng);
            hold(AccreditationKind::RealLivingWage, 25, rng);
            hold(AccreditationKind::Cqc, 20, rng);
            hold(AccreditationKind::Iso9001, 12, rng);
            hold(AccreditationKind::Iso14001, 6, rng);
            let insurance = InsuranceCover {
                public_liability: match rng.below(10) {
                    0 => None,
                    1..4 => Some(gbp(2_000_000)),
                    4..8 => Some(gbp(5_000_000)),
                    _ => Some(gbp(10_000_000)),
                },
                employers_liability: (rng.below(10) < 8).then_some(gbp(10_000_000)),
                professional_indemnity: (rng.below(10) < 3).then_some(gbp(1_000_000)),
            };
            // £20,000 × 10^(0..2.3): up to about £4m, most under £300,000.
            let exponent = rng.below(2300) as f64 / 1000.0;
            let turnover = (20_000.0 * 10f64.powf(exponent)).round() as i64 / 1000 * 1000;
            let largest = turnover * (20 + rng.below(31) as i64) / 100 / 1000 * 1000;
            let decile = 1 + (rng.below(10) * rng.below(10) / 9) as u8;
            EnterpriseOffer {
                id: format!("{:032x}", 0xC0_0000 + i)
                    .parse()
                    .expect("32 hex digits are a UUID"),
                name: format!("Enterprise {i:03}"),
                services,
                accreditations,
                insurance,
                turnover: (rng.below(20) != 0).then_some(gbp(turnover)),
                staff: Some(1 + rng.below(60) as u32),
                largest_contract: (rng.below(20) != 0).then_some(gbp(largest)),
                areas,
                decile: Some(decile),
                in_area_of_benefit: rng.below(100) < 40,
            }
        })
        .collect()
}

/// 20 requirements: eight services (two care services that need CQC
/// registration, one that needs ISO 9001), nine areas, the Real Living Wage
/// held by at least one member, public and employer's liability insurance
/// for every member; and turnover of twice the £1.5m value between them.
fn lot() -> LotRequirements {
    let services = [0, 1, 2, 4, 6, 8, 11, 14];
    let mut accreditations = vec![AccreditationNeed {
        kind: AccreditationKind::RealLivingWage,
        scope: AccreditationScope::AnyMember,
    }];
    for (s, kind) in [
        (1, AccreditationKind::Cqc),
        (4, AccreditationKind::Cqc),
        (2, AccreditationKind::Iso9001),
    ] {
        accreditations.push(AccreditationNeed {
            kind,
            scope: AccreditationScope::Service(format!("s{s:02}")),
        });
    }
    LotRequirements {
        services: services.iter().map(|s| format!("s{s:02}")).collect(),
        accreditations,
        minimum_insurance: InsuranceCover {
            public_liability: Some(gbp(5_000_000)),
            employers_liability: Some(gbp(5_000_000)),
            professional_indemnity: None,
        },
        minimum_turnover: Some(MinimumTurnover::TimesValue { percent: 200 }),
        areas: (0..9).map(|a| format!("Area {:02}", a * 3 + 1)).collect(),
        value: gbp(1_500_000),
        deadline: date!(2026 - 09 - 30),
    }
}

/// The model as HiGHS reads it: costs, covering rows and the two sums.
fn model_json(model: &Model) -> serde_json::Value {
    let n = model.candidates.len();
    let weight = model.member_weight();
    serde_json::json!({
        "cost": (0..n).map(|c| weight - i64::from(model.locality[c])).collect::<Vec<_>>(),
        "rows": model.rows.iter().map(|r| &r.met_by).collect::<Vec<_>>(),
        "sums": [
            {"coef": &model.turnover, "at_least": model.turnover_required},
            {"coef": &model.capacity, "at_least": model.value},
        ],
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub fn run(
    enterprises_n: usize,
    seed: u64,
    repeat: usize,
    alternatives: usize,
    microlp: bool,
    python: Option<PathBuf>,
    no_highs: bool,
) -> anyhow::Result<ExitCode> {
    let repeat = repeat.max(1);
    let mut rng = Seeded::new(seed);
    let offers = enterprises(enterprises_n, &mut rng);
    let lot = lot();
    let best = Options {
        alternatives: 1,
        ..Options::default()
    };

    // Ours: from the offers (the per-member rules, the covering rows) to the
    // best consortium.
    let mut times = Vec::new();
    let mut found = Vec::new();
    for _ in 0..repeat {
        let t = Instant::now();
        let model = Model::new(&lot, &offers);
        let sets = solve(&model, best).map_err(anyhow::Error::msg)?;
        times.push(secs(t));
        found = sets;
    }
    let ours = median(times);
    let model = Model::new(&lot, &offers);
    anyhow::ensure!(model.blockers.is_empty(), "the generated lot cannot be met");
    let set = found
        .first()
        .ok_or_else(|| anyhow::anyhow!("no consortium found"))?;
    anyhow::ensure!(
        model.minimal(set),
        "the consortium found does not meet the lot"
    );
    let objective = model.cost(set);
    let locality: u32 = set.iter().map(|&c| model.locality[c as usize]).sum();
    println!(
        "useit bench consortium: {enterprises_n} enterprises (seed {seed}), {} meet every member's rules; \
         {} requirements ({} met between members, {} by every member) and the combined-capacity rule",
        model.candidates.len(),
        model.rows.len() + model.per_member.len(),
        model.rows.len(),
        model.per_member.len(),
    );
    println!(
        "  useit  branch and bound  {ours:>8.4} s  (median of {repeat}; model built from the offers included)  \
         best: {} members, locality {locality}, objective {objective}",
        set.len()
    );
    if alternatives > 1 {
        let t = Instant::now();
        let sets = solve(
            &model,
            Options {
                alternatives,
                ..Options::default()
            },
        )
        .map_err(anyhow::Error::msg)?;
        let took = secs(t);
        let sizes: Vec<String> = sets
            .iter()
            .map(|s| {
                let l: u32 = s.iter().map(|&c| model.locality[c as usize]).sum();
                format!("{}/{l}", s.len())
            })
            .collect();
        println!(
            "  useit  {alternatives} alternatives     {took:>8.4} s  (members/locality: {})",
            sizes.join(", ")
        );
    }
    if microlp {
        let t = Instant::now();
        let sets = useit_core::enterprise::milp::best(&model, best)
            .map_err(|e| anyhow::anyhow!("microlp: {e}"))?;
        let took = secs(t);
        let theirs = sets.first().map(|s| model.cost(s));
        println!(
            "  good_lp + microlp         {took:>8.4} s  objective {}",
            theirs.map_or("none".to_string(), |o| o.to_string())
        );
        anyhow::ensure!(
            theirs == Some(objective),
            "microlp's optimum differs: {theirs:?}, useit {objective}"
        );
    }
    if no_highs {
        return Ok(ExitCode::SUCCESS);
    }

    let py = python_with("highspy", python)?;
    let dir = std::env::temp_dir().join(format!("useit-bench-consortium-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("model.json");
    std::fs::write(&file, serde_json::to_vec(&model_json(&model))?)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/consortium_highs.py");
    let o = Command::new(&py)
        .arg(&script)
        .arg(&file)
        .arg(repeat.to_string())
        .output()?;
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(
        o.status.success(),
        "HiGHS run failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // HiGHS prints its banner to standard output before options apply: the
    // answer is the last line.
    let stdout = String::from_utf8_lossy(&o.stdout);
    let last = stdout.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(last)?;
    let theirs = v["seconds"].as_f64().unwrap_or(f64::NAN);
    let their_objective = v["objective"].as_f64().unwrap_or(f64::NAN);
    println!(
        "  HiGHS {} MILP          {theirs:>8.4} s  (median of {repeat}; solve only)  objective {their_objective:.0}, {} members",
        v["version"].as_str().unwrap_or("?"),
        v["members"]
    );
    anyhow::ensure!(
        (their_objective - objective as f64).abs() < 0.5,
        "the optima differ: HiGHS {their_objective}, useit {objective}"
    );
    println!(
        "  the optima agree; ratio (useit's time / HiGHS's; goal ≤ 1.0, and under 1 s): {:.3}×",
        ours / theirs
    );
    Ok(ExitCode::SUCCESS)
}
