//! The demo's workforce: three financial years (2022/23 to 2024/25) of the
//! hospital trust's staff, one row per (invented) employee, and of the
//! council's, as counts by home postcode, imported through the same path a
//! person's files take. The people are invented; their home postcodes are
//! real ones of the shipped geography, drawn from the area of benefit, the
//! rest of Sandwell or the rest of the region. The story the figures tell:
//! lower bands live nearer, and the trust's recruitment from the area of
//! benefit grows after the programme starts in 2023.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::Caller;
use useit_app::anchors::workforce::{WorkforceUpload, import_workforce};
use useit_core::anchors::workforce::Year;
use useit_core::audit::Actor;
use useit_store::Store;

use super::demo::postcodes;
use crate::demo::Seeded;

pub const STEPS: u64 = 1;

/// (staff group, band, annual pay in pounds at the 2024/25 entry point of
/// the band (NHS Employers, Agenda for Change; medical grades from the 2024/25
/// medical pay scales), people, per cent of them living locally by default).
const TRUST_ROLES: &[(&str, &str, u32, u32, u32)] = &[
    ("Nursing and midwifery", "Band 5", 29_969, 900, 22),
    ("Nursing and midwifery", "Band 6", 37_338, 520, 16),
    ("Nursing and midwifery", "Band 7", 46_148, 260, 12),
    ("Nursing and midwifery", "Band 8a", 53_755, 70, 8),
    ("Healthcare support", "Band 2", 23_614, 420, 38),
    ("Healthcare support", "Band 3", 24_071, 480, 34),
    ("Healthcare support", "Band 4", 26_530, 120, 28),
    ("Administrative and clerical", "Band 2", 23_614, 160, 36),
    ("Administrative and clerical", "Band 3", 24_071, 300, 30),
    ("Administrative and clerical", "Band 4", 26_530, 210, 24),
    ("Estates and ancillary", "Band 2", 23_614, 240, 42),
    ("Estates and ancillary", "Band 3", 24_071, 60, 36),
    ("Allied health professionals", "Band 5", 29_969, 150, 12),
    ("Allied health professionals", "Band 6", 37_338, 130, 10),
    ("Allied health professionals", "Band 7", 46_148, 90, 8),
    ("Medical and dental", "Resident doctor", 43_923, 380, 6),
    ("Medical and dental", "Consultant", 99_532, 290, 3),
];

/// Council grades (pounds at the grade's first point, NJC 2024/25) as counts.
const COUNCIL_ROLES: &[(&str, &str, u32, u32, u32)] = &[
    ("Adult social care", "Grade 3", 23_656, 310, 40),
    ("Adult social care", "Grade 5", 26_409, 180, 28),
    ("Children's services", "Grade 6", 29_093, 220, 22),
    ("Children's services", "Grade 9", 39_186, 160, 12),
    ("Neighbourhoods", "Grade 2", 23_500, 260, 44),
    ("Neighbourhoods", "Grade 4", 24_702, 140, 34),
    ("Corporate services", "Grade 4", 24_702, 150, 26),
    ("Corporate services", "Grade 7", 32_654, 120, 14),
    ("Corporate services", "Grade 10", 44_428, 60, 8),
];

const YEARS: [i32; 3] = [2022, 2023, 2024];

/// Pay in a year, from the 2024/25 figure (awards of about 5% a year).
fn pay_in(pounds: u32, year: i32) -> u64 {
    let factor = match year {
        2022 => 90,
        2023 => 95,
        _ => 100,
    };
    u64::from(pounds) * factor / 100
}

struct Person {
    id: u32,
    role: usize,
    home: Option<String>,
    start: (i32, u8),
    leaving: Option<(i32, u8)>,
    fte_tenths: u32,
}

/// Where a person lives: the area of benefit with `local` per cent, else
/// the rest of the borough (half the rest) or the region; 2 in 100 not given.
fn home(r: &mut Seeded, places: &[Vec<String>; 4], local: u64) -> Option<String> {
    let roll = r.below(100);
    let pick = |r: &mut Seeded, v: &Vec<String>| v[r.below(v.len() as u64) as usize].clone();
    if roll < 2 {
        None
    } else if roll < 2 + local {
        Some(pick(r, &places[0]))
    } else if r.below(2) == 0 {
        Some(pick(r, &places[1]))
    } else {
        Some(pick(r, &places[2]))
    }
}

fn trust_people(places: &[Vec<String>; 4]) -> Vec<Person> {
    let mut r = Seeded::new(17);
    let mut out = Vec::new();
    let mut id = 100_000;
    for (i, role) in TRUST_ROLES.iter().enumerate() {
        for _ in 0..role.3 {
            id += 1 + r.below(7) as u32;
            // Start dates over twenty years; a tenth start in each demo year.
            let start = if r.below(10) < 3 {
                (YEARS[r.below(3) as usize], 4 + r.below(9) as u8)
            } else {
                (2004 + r.below(18) as i32, 1 + r.below(12) as u8)
            };
            // Since the programme began (2023), the trust recruits locally.
            let local = u64::from(role.4) + if start.0 >= 2023 { 14 } else { 0 };
            let leaving =
                (r.below(100) < 12).then(|| (YEARS[r.below(3) as usize] + 1, 1 + r.below(3) as u8));
            let leaving = leaving.filter(|l| *l > start);
            out.push(Person {
                id,
                role: i,
                home: home(&mut r, places, local),
                start,
                leaving,
                fte_tenths: if r.below(4) == 0 {
                    6 + r.below(4) as u32
                } else {
                    10
                },
            });
        }
    }
    out
}

/// One year's file for the trust: everyone employed at some point in the year.
fn trust_file(people: &[Person], year: i32) -> String {
    let mut s = String::from(
        "employee_id,home_postcode,staff_group,band,contract,start_date,leaving_date,fte,pay\n",
    );
    for p in people {
        let starts_after = p.start > (year + 1, 3);
        let left_before = p.leaving.is_some_and(|l| l < (year, 4));
        if starts_after || left_before {
            continue;
        }
        let (group, band, pounds, _, _) = TRUST_ROLES[p.role];
        let pay = pay_in(pounds, year) * u64::from(p.fte_tenths) / 10;
        s.push_str(&format!(
            "{},{},{},{},{},{}-{:02}-01,{},{}.{},{}\n",
            p.id,
            p.home.as_deref().unwrap_or(""),
            group,
            band,
            if p.fte_tenths == 10 {
                "Permanent"
            } else {
                "Part time"
            },
            p.start.0,
            p.start.1,
            p.leaving
                .map(|(y, m)| format!("{y}-{m:02}-15"))
                .unwrap_or_default(),
            p.fte_tenths / 10,
            p.fte_tenths % 10,
            pay,
        ));
    }
    s
}

/// One year's counts for the council: staff by home postcode, group and grade.
fn council_file(places: &[Vec<String>; 4], year: i32) -> String {
    let mut r = Seeded::new(1_000 + year as u64);
    let mut rows: std::collections::BTreeMap<(String, usize), (u64, u64, u64)> = Default::default();
    for (i, role) in COUNCIL_ROLES.iter().enumerate() {
        for _ in 0..role.3 {
            let home = home(&mut r, places, u64::from(role.4)).unwrap_or_default();
            let e = rows.entry((home, i)).or_default();
            e.0 += 1;
            e.1 += pay_in(role.2, year);
            e.2 += u64::from(r.below(100) < 9);
        }
    }
    let mut s =
        String::from("home_postcode,staff_group,band,contract,headcount,fte,pay,starters\n");
    for ((home, i), (n, pay, starters)) in rows {
        let (group, band, _, _, _) = COUNCIL_ROLES[i];
        s.push_str(&format!(
            "{home},{group},{band},Permanent,{n},{n},{pay},{starters}\n"
        ));
    }
    s
}

pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller::system(p.id, &actor.label);
    let places = postcodes(store).await?;
    let people = trust_people(&places);
    for year in YEARS {
        let files = [
            (
                "swbh",
                format!("swbh-workforce-{year}.csv"),
                trust_file(&people, year),
            ),
            (
                "sandwell-council",
                format!("sandwell-council-workforce-{year}.csv"),
                council_file(&places, year),
            ),
        ];
        for (anchor, name, text) in files {
            let upload = WorkforceUpload {
                anchor,
                year: Year(year),
                file_name: &name,
                bytes: text.as_bytes(),
            };
            match import_workforce(store.as_ref(), &caller, upload).await {
                Ok(_) => {}
                Err(useit_app::Error::Rejected(report)) => {
                    return Err(anyhow::anyhow!("demo workforce file rejected:\n{report}"));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    bar.inc(1);
    Ok(())
}
