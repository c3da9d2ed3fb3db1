//! Matching people and vacancies: hard eligibility first (right to work,
//! registration, the steps a role needs such as English), then a score
//! made of named parts a caseworker can read, then the optimal placement
//! that respects each vacancy's number of posts.

use serde::Serialize;
use time::Date;

use super::assignment::{Score, assign};
use super::casework::RightToWork;
use super::pathway::Progress;
use super::person::Person;
use super::profession::Professions;
use super::vacancy::Vacancy;
use crate::place::geometry::haversine_km;

/// What matching needs to know about a person.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub profession: String,
    pub progress: Progress,
    pub right_to_work: Option<RightToWork>,
    pub experience_years: u8,
    pub available_from: Option<Date>,
    pub home: Option<(f64, f64)>,
}

impl Candidate {
    /// A person as matching sees them, with their progress today.
    pub fn of(person: &Person, progress: Progress) -> Candidate {
        Candidate {
            profession: person.draft.profession.clone(),
            progress,
            right_to_work: person.draft.right_to_work,
            experience_years: person.draft.experience_years,
            available_from: person.draft.available_from,
            home: person.home,
        }
    }
}

/// What matching needs to know about a vacancy.
#[derive(Clone, Debug)]
pub struct Opening {
    /// A profession code (the registered role) or an interim role code.
    pub role: String,
    pub posts: u32,
    pub starts_on: Date,
    pub site: Option<(f64, f64)>,
}

impl Opening {
    /// A vacancy's free posts, with its site placed (`None`: not known).
    pub fn of(v: &Vacancy, site: Option<(f64, f64)>) -> Opening {
        Opening {
            role: v.input.role.clone(),
            posts: v.posts_free(),
            starts_on: v.input.opens_on,
            site,
        }
    }
}

/// Why a person cannot be put forward for a vacancy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "gate")]
pub enum Gate {
    /// The role is neither their profession nor on its way.
    NotTheirRole,
    RightToWork,
    /// The registered role needs registration.
    NotRegistered,
    /// Steps the interim role needs that do not count now.
    Steps {
        missing: Vec<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleFit {
    /// Their own profession, registered.
    Registered,
    /// An interim role on their own profession's way.
    Interim,
    /// An interim role of an adjacent profession.
    Adjacent,
}

/// One named part of a score, with the fact behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScorePart {
    /// `role`, `experience`, `travel`, `availability`.
    pub part: &'static str,
    pub points: i64,
    pub max: i64,
    /// The fact the points come from (role fit, years, km, days).
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatchScore {
    pub total: i64,
    pub parts: Vec<ScorePart>,
}

impl MatchScore {
    /// The parts as JSON, kept with a placement when it is confirmed.
    pub fn reasons_json(&self) -> String {
        serde_json::to_string(&self.parts).unwrap_or_else(|_| "[]".into())
    }
}

/// The hard gates, in order; `Ok` with how the role fits.
pub fn eligibility(
    professions: &Professions,
    c: &Candidate,
    o: &Opening,
) -> Result<RoleFit, Vec<Gate>> {
    let mut gates = Vec::new();
    let fit = if o.role == c.profession {
        if !c.progress.registered {
            gates.push(Gate::NotRegistered);
        }
        Some(RoleFit::Registered)
    } else {
        let own = professions.get(&c.profession);
        let own_role = own.and_then(|p| p.interim_role(&o.role));
        let adjacent = own.and_then(|p| {
            p.adjacent
                .iter()
                .filter_map(|a| professions.get(a))
                .find_map(|a| a.interim_role(&o.role))
        });
        match (own_role, adjacent) {
            (Some(r), _) | (None, Some(r)) => {
                let missing: Vec<String> = r
                    .requires
                    .iter()
                    .filter(|s| !c.progress.counts(s))
                    .cloned()
                    .collect();
                if !missing.is_empty() {
                    gates.push(Gate::Steps { missing });
                }
                Some(if own_role.is_some() {
                    RoleFit::Interim
                } else {
                    RoleFit::Adjacent
                })
            }
            (None, None) => None,
        }
    };
    let Some(fit) = fit else {
        return Err(vec![Gate::NotTheirRole]);
    };
    if c.right_to_work != Some(RightToWork::Yes) {
        gates.insert(0, Gate::RightToWork);
    }
    if gates.is_empty() {
        Ok(fit)
    } else {
        Err(gates)
    }
}

/// The score of an eligible pair, out of 100.
pub fn score(fit: RoleFit, c: &Candidate, o: &Opening) -> MatchScore {
    let role = match fit {
        RoleFit::Registered => 40,
        RoleFit::Interim => 30,
        RoleFit::Adjacent => 20,
    };
    let experience = (i64::from(c.experience_years) * 2).min(20);
    let (travel, travel_detail) = match (c.home, o.site) {
        (Some(h), Some(s)) => {
            let km = haversine_km(h.0, h.1, s.0, s.1);
            // Full marks within 3 km, nothing beyond 28 km.
            let pts = (25.0 - (km - 3.0).max(0.0)).clamp(0.0, 25.0).round() as i64;
            (pts, format!("{km:.1}"))
        }
        _ => (0, String::new()),
    };
    let (availability, avail_detail) = match c.available_from {
        None => (15, "0".to_string()),
        Some(d) => {
            let late = (d - o.starts_on).whole_days();
            let pts = if late <= 0 {
                15
            } else if late <= 30 {
                8
            } else {
                0
            };
            (pts, late.max(0).to_string())
        }
    };
    let parts = vec![
        ScorePart {
            part: "role",
            points: role,
            max: 40,
            detail: match fit {
                RoleFit::Registered => "registered",
                RoleFit::Interim => "interim",
                RoleFit::Adjacent => "adjacent",
            }
            .into(),
        },
        ScorePart {
            part: "experience",
            points: experience,
            max: 20,
            detail: c.experience_years.to_string(),
        },
        ScorePart {
            part: "travel",
            points: travel,
            max: 25,
            detail: travel_detail,
        },
        ScorePart {
            part: "availability",
            points: availability,
            max: 15,
            detail: avail_detail,
        },
    ];
    MatchScore {
        total: parts.iter().map(|p| p.points).sum(),
        parts,
    }
}

/// A proposed pair: indexes into the candidates and openings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Proposal {
    pub candidate: usize,
    pub opening: usize,
    pub score: MatchScore,
}

/// The placement that maximises the total score, never over-filling an
/// opening's posts (`posts_free` is what is left of each opening's posts).
pub fn propose(
    professions: &Professions,
    candidates: &[Candidate],
    openings: &[Opening],
    posts_free: &[u32],
) -> Vec<Proposal> {
    let scored: Vec<Vec<Option<MatchScore>>> = candidates
        .iter()
        .map(|c| {
            openings
                .iter()
                .map(|o| {
                    eligibility(professions, c, o)
                        .ok()
                        .map(|fit| score(fit, c, o))
                })
                .collect()
        })
        .collect();
    let matrix: Vec<Vec<Score>> = scored
        .iter()
        .map(|row| row.iter().map(|s| s.as_ref().map(|s| s.total)).collect())
        .collect();
    let posts: Vec<usize> = posts_free.iter().map(|p| *p as usize).collect();
    let a = assign(&matrix, &posts);
    let mut out = Vec::new();
    for (ci, v) in a.vacancy_of.iter().enumerate() {
        if let Some(oi) = v
            && let Some(s) = &scored[ci][*oi]
        {
            out.push(Proposal {
                candidate: ci,
                opening: *oi,
                score: s.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::talent::pathway::{StepRecord, progress};
    use proptest::prelude::*;
    use time::macros::date;

    fn candidate(profession: &str, steps: &[&str], rtw: RightToWork) -> Candidate {
        let prof = Professions::shipped().get(profession).unwrap();
        let records: Vec<StepRecord> = steps
            .iter()
            .map(|s| StepRecord {
                step: s.to_string(),
                passed_on: date!(2026 - 06 - 01),
            })
            .collect();
        Candidate {
            profession: profession.into(),
            progress: progress(prof, &records, &[], date!(2026 - 11 - 30)),
            right_to_work: Some(rtw),
            experience_years: 5,
            available_from: None,
            home: Some((52.4990, -1.9670)),
        }
    }

    fn opening(role: &str, posts: u32) -> Opening {
        Opening {
            role: role.into(),
            posts,
            starts_on: date!(2027 - 01 - 04),
            site: Some((52.4973, -1.9463)),
        }
    }

    #[test]
    fn the_gates_say_what_is_missing() {
        let p = Professions::shipped();
        let doc = candidate("doctor", &["english"], RightToWork::Yes);
        assert_eq!(
            eligibility(p, &doc, &opening("doctor", 1)),
            Err(vec![Gate::NotRegistered])
        );
        assert_eq!(
            eligibility(p, &doc, &opening("medical_support_worker", 1)),
            Ok(RoleFit::Interim)
        );
        let no_english = candidate("doctor", &[], RightToWork::PermissionNeeded);
        assert_eq!(
            eligibility(p, &no_english, &opening("medical_support_worker", 1)),
            Err(vec![
                Gate::RightToWork,
                Gate::Steps {
                    missing: vec!["english".into()]
                }
            ])
        );
        assert_eq!(
            eligibility(p, &doc, &opening("pharmacy_assistant", 1)),
            Err(vec![Gate::NotTheirRole])
        );
        let midwife = candidate("midwife", &[], RightToWork::Yes);
        assert_eq!(
            eligibility(p, &midwife, &opening("nurse_pending_osce", 1)),
            Err(vec![Gate::Steps {
                missing: vec!["english".into(), "cbt".into()]
            }])
        );
        let midwife = candidate("midwife", &["english", "cbt"], RightToWork::Yes);
        assert_eq!(
            eligibility(p, &midwife, &opening("nurse_pending_osce", 1)),
            Ok(RoleFit::Adjacent)
        );
    }

    #[test]
    fn a_score_is_the_sum_of_its_named_parts() {
        let doc = candidate("doctor", &["english"], RightToWork::Yes);
        let s = score(
            RoleFit::Interim,
            &doc,
            &opening("medical_support_worker", 1),
        );
        // 1.4 km away: full travel marks; 5 years: 10; available now: 15.
        assert_eq!(
            s.parts.iter().map(|p| p.points).collect::<Vec<_>>(),
            [30, 10, 25, 15]
        );
        assert_eq!(s.total, 80);
        assert_eq!(s.parts[2].detail, "1.4");
        // Kept with the placement as the parts, in order.
        let kept: serde_json::Value = serde_json::from_str(&s.reasons_json()).unwrap();
        assert_eq!(kept[2]["part"], "travel");
        assert_eq!(kept[2]["points"], 25);
    }

    proptest! {
        #[test]
        fn posts_are_never_over_filled(
            people in proptest::collection::vec((0usize..3, 0u8..15, proptest::bool::ANY), 1..25),
            posts in proptest::collection::vec(0u32..4, 1..5),
        ) {
            let p = Professions::shipped();
            let roles = ["healthcare_assistant", "phlebotomist", "medical_support_worker", "nurse_pending_osce", "therapy_support_worker"];
            let professions = ["doctor", "nurse", "physiotherapist"];
            let candidates: Vec<Candidate> = people
                .iter()
                .map(|(prof, years, english)| {
                    let mut c = candidate(professions[*prof], if *english { &["english", "cbt"] } else { &[] }, RightToWork::Yes);
                    c.experience_years = *years;
                    c
                })
                .collect();
            let openings: Vec<Opening> = posts.iter().enumerate().map(|(i, n)| opening(roles[i], *n)).collect();
            let proposals = propose(p, &candidates, &openings, &posts);
            for (oi, n) in posts.iter().enumerate() {
                let filled = proposals.iter().filter(|pr| pr.opening == oi).count();
                prop_assert!(filled <= *n as usize);
            }
            let mut seen = std::collections::HashSet::new();
            for pr in &proposals {
                prop_assert!(seen.insert(pr.candidate), "a person is proposed once");
                prop_assert!(eligibility(p, &candidates[pr.candidate], &openings[pr.opening]).is_ok());
            }
        }
    }
}
