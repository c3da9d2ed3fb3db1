//! The demo's skills strand: a cohort of about 200 invented residents with
//! health qualifications from abroad (USE-IT! engaged almost 200 against a
//! target of 60, and 22 went into NHS jobs), their English results, exams,
//! barriers (the trust's own rules among them), support, the trust's
//! vacancies, and the placements that followed, all written through the same
//! store calls the pages use, so every stage and figure is computed.
//!
//! Names are invented combinations; postcodes are real ones from the shipped
//! geography, in the area of benefit and the rest of Sandwell.

use std::sync::Arc;

use indicatif::ProgressBar;
use time::{Date, Duration};
use useit_app::place::home_place;
use useit_core::audit::Actor;
use useit_core::clock;
use useit_core::talent::casework::{
    Barrier, LawfulBasis, PersonDraft, PlacementStatus, RightToWork, Support, WorkOutcome,
};
use useit_core::talent::pathway::{EnglishTest, LanguageResult};
use useit_core::talent::person::{Caseload, RecordChange};
use useit_core::talent::profession::Professions;
use useit_core::talent::vacancy::VacancyInput;
use useit_store::Store;

use crate::demo::Seeded;

pub const STEPS: u64 = 2;

pub const COHORT: usize = 200;

const GIVEN: &[&str] = &[
    "Amal", "Samir", "Rania", "Omar", "Leila", "Yusuf", "Huda", "Karim", "Mariam", "Tariq",
    "Nadia", "Bashir", "Farah", "Hassan", "Zainab", "Ali", "Aisha", "Mohammed", "Fatima",
    "Ibrahim", "Selam", "Dawit", "Hiwot", "Tesfaye", "Chidi", "Ngozi", "Tendai", "Rudo", "Parisa",
    "Reza", "Shirin", "Farid", "Maryam", "Ahmad", "Halima", "Abdi", "Hodan", "Grace", "Joseph",
    "Lina",
];
const FAMILY: &[&str] = &[
    "Haddad", "Aziz", "Khalil", "Nasser", "Saleh", "Darwish", "Hamdan", "Mansour", "Rahimi",
    "Karimi", "Hosseini", "Ahmadi", "Osman", "Abdullah", "Mahmoud", "Tesfay", "Gebre", "Okafor",
    "Eze", "Moyo", "Ncube", "Yousef", "Farouk", "Jama", "Warsame", "Ibrahim", "Qasim", "Sultani",
    "Noori", "Bakr",
];
const COUNTRIES: &[(&str, u64)] = &[
    ("Syria", 30),
    ("Iraq", 12),
    ("Iran", 12),
    ("Afghanistan", 10),
    ("Sudan", 10),
    ("Eritrea", 6),
    ("Yemen", 5),
    ("Somalia", 4),
    ("Nigeria", 5),
    ("Zimbabwe", 4),
    ("Egypt", 2),
];
/// (profession, weight, typical qualification)
const PROFESSIONS: &[(&str, u64, &str)] = &[
    ("doctor", 36, "MBBS / MD"),
    ("nurse", 28, "BSc Nursing"),
    ("midwife", 5, "Diploma in Midwifery"),
    ("pharmacist", 10, "BPharm"),
    ("dentist", 8, "BDS"),
    ("physiotherapist", 6, "BSc Physiotherapy"),
    ("radiographer", 4, "BSc Radiography"),
    ("occupational_therapist", 3, "BSc Occupational Therapy"),
];
const EMPLOYER_RULES: &[&str] = &[
    "Immunisation records required before a healthcare assistant offer",
    "Two UK references required",
    "UK work experience required for band 3 roles",
    "Occupational health will not accept overseas vaccination certificates",
    "DBS certificate must be less than three months old",
];
const NOTES: &[&str] = &[
    "Met at the Brushstrokes drop-in; keen to start IELTS classes.",
    "Writing is the weakest component; booked onto the practice group.",
    "Asked about PLAB fees and the refugee concession.",
    "Childcare on class days is difficult; looking at a later session.",
    "Clinical attachment at City Hospital discussed with the ward manager.",
    "Reference from previous employer requested; awaiting reply.",
];

fn weighted<'a, T>(rng: &mut Seeded, items: &'a [(T, u64)]) -> &'a T {
    let total: u64 = items.iter().map(|(_, w)| w).sum();
    let mut n = rng.below(total);
    for (item, w) in items {
        if n < *w {
            return item;
        }
        n -= w;
    }
    &items[0].0
}

fn day(rng: &mut Seeded, from: Date, to: Date) -> Date {
    let span = (to - from).whole_days().max(1) as u64;
    from + Duration::days(rng.below(span) as i64)
}

/// The trust's vacancies and interim roles at its two sites.
fn vacancies(today: Date) -> Vec<VacancyInput> {
    let v = |reference: &str,
             title: &str,
             role: &str,
             band: &str,
             site: &str,
             posts: u32,
             opens: i64| VacancyInput {
        reference: reference.into(),
        anchor_slug: Some("swbh".into()),
        title: title.into(),
        role: role.into(),
        band: band.into(),
        site_postcode: Some(site.into()),
        posts,
        opens_on: today + Duration::days(opens),
        closes_on: Some(today + Duration::days(opens + 60)),
        requirements: String::new(),
    };
    vec![
        v(
            "SWB-HCA-2411",
            "Healthcare assistant, acute medicine",
            "healthcare_assistant",
            "3",
            "B66 2QT",
            12,
            -400,
        ),
        v(
            "SWB-PHL-2502",
            "Phlebotomist, outpatients",
            "phlebotomist",
            "2",
            "B18 7QH",
            5,
            -300,
        ),
        v(
            "SWB-MSW-2503",
            "Medical support worker",
            "medical_support_worker",
            "6",
            "B66 2QT",
            4,
            -250,
        ),
        v(
            "SWB-IEN-2505",
            "Internationally educated nurse (pre-OSCE)",
            "nurse_pending_osce",
            "3",
            "B66 2QT",
            6,
            -200,
        ),
        v(
            "SWB-RN-2506",
            "Staff nurse, emergency department",
            "nurse",
            "5",
            "B66 2QT",
            4,
            -180,
        ),
        v(
            "SWB-PA-2507",
            "Pharmacy assistant",
            "pharmacy_assistant",
            "2",
            "B18 7QH",
            3,
            -150,
        ),
        v(
            "SWB-TSW-2509",
            "Therapy support worker",
            "therapy_support_worker",
            "3",
            "B18 7QH",
            2,
            -90,
        ),
        v(
            "SWB-HCA-2612",
            "Healthcare assistant, community wards",
            "healthcare_assistant",
            "3",
            "B18 7QH",
            8,
            10,
        ),
        v(
            "SWB-MSW-2612",
            "Medical support worker, surgery",
            "medical_support_worker",
            "6",
            "B66 2QT",
            3,
            20,
        ),
        v(
            "SWB-PHY-2701",
            "Physiotherapist",
            "physiotherapist",
            "5",
            "B18 7QH",
            1,
            35,
        ),
    ]
}

/// Builds the cohort, the vacancies and the placements.
pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    let p = store
        .programme_by_slug(crate::demo::PROGRAMME)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo programme is missing"))?;
    let caseworker = store
        .credentials_by_email("caseworker@demo.useit.example")
        .await?
        .map(|c| c.user.id);
    let manager = store
        .credentials_by_email("manager@demo.useit.example")
        .await?
        .map(|c| c.user.id);
    let today = clock::today();
    let professions = Professions::shipped();
    let mut rng = Seeded::new(2017);
    let points: Vec<String> = store
        .postcode_points("lsoa11")
        .await?
        .into_iter()
        .filter(|pt| {
            pt.live
                && (pt.postcode.starts_with("B66")
                    || pt.postcode.starts_with("B67")
                    || pt.postcode.starts_with("B18")
                    || pt.postcode.starts_with("B21"))
        })
        .map(|pt| pt.postcode)
        .collect();
    let all = Caseload::All;
    let vacancy_rows = vacancies(today);
    store.import_vacancies(p.id, &vacancy_rows, actor).await?;
    let vacancy_ids: std::collections::HashMap<String, _> = store
        .vacancies(p.id)
        .await?
        .into_iter()
        .map(|v| (v.input.reference.clone(), v.id))
        .collect();
    bar.inc(1);
    let countries: Vec<(&str, u64)> = COUNTRIES.to_vec();
    let profs: Vec<((&str, &str), u64)> =
        PROFESSIONS.iter().map(|(c, w, q)| ((*c, *q), *w)).collect();
    let mut into_nhs = 0;
    for i in 0..COHORT {
        let (profession, qualification) = *weighted(&mut rng, &profs);
        let country = *weighted(&mut rng, &countries);
        let given = *rng.pick(GIVEN);
        let family = *rng.pick(FAMILY);
        let engaged = day(
            &mut rng,
            today - Duration::days(900),
            today - Duration::days(20),
        );
        let postcode = (!points.is_empty()).then(|| rng.pick(&points).clone());
        let rtw = match rng.below(10) {
            0 => RightToWork::PermissionNeeded,
            1 => RightToWork::Unknown,
            _ => RightToWork::Yes,
        };
        let draft = PersonDraft {
            full_name: format!("{given} {family}"),
            email: Some(format!(
                "{}.{}{}@example.org",
                given.to_lowercase(),
                family.to_lowercase(),
                i
            )),
            phone: Some(format!("07700 9{:05}", 10_000 + i)),
            postcode: postcode.clone(),
            profession: profession.into(),
            qualification_country: country.into(),
            qualification_year: Some(1995 + rng.below(25) as i32),
            qualifications: format!("{qualification}, {country}"),
            experience_years: (1 + rng.below(15)) as u8,
            right_to_work: Some(rtw),
            available_from: Some(engaged + Duration::days(30 + rng.below(120) as i64)),
            lawful_basis: Some(LawfulBasis::Consent),
            consent_given_on: Some(engaged),
        };
        let home = home_place(store.as_ref(), p.id, postcode.as_deref()).await?;
        let owner = if rng.below(3) < 2 {
            caseworker
        } else {
            manager
        };
        let person = store
            .create_person(p.id, &draft, owner, &home, actor)
            .await?;
        let id = person.id;
        let rules = professions
            .get(profession)
            .expect("shipped")
            .rules_at(today);
        // How far this person got: most are early on, a few registered.
        let reach = match rng.below(100) {
            0..=24 => 0,
            25..=54 => 1,
            55..=74 => 2,
            75..=86 => 3,
            _ => rules.steps.len(),
        }
        .min(rules.steps.len());
        let mut when = engaged + Duration::days(30);
        let mut english_ok = false;
        if reach >= 1 || rng.below(2) == 0 {
            // IELTS: some reach the requirement, some miss on writing.
            let passes = reach >= 1;
            let need = rules
                .english
                .as_ref()
                .and_then(|e| e.ielts.clone())
                .unwrap_or_default();
            let mut bump = |v: u16| (v + 5 * rng.below(2) as u16).min(90);
            let mut result = LanguageResult {
                test: EnglishTest::Ielts,
                taken_on: when.min(today - Duration::days(1)),
                overall: Some(bump(need.overall.unwrap_or(70))),
                listening: bump(need.listening),
                reading: bump(need.reading),
                writing: need.writing,
                speaking: bump(need.speaking),
            };
            if !passes {
                result.writing = need.writing.saturating_sub(5);
            }
            english_ok = passes;
            store
                .change_records(p.id, all, id, &RecordChange::Language(result), actor)
                .await?;
            when += Duration::days(60 + rng.below(90) as i64);
        }
        if english_ok {
            for step in rules
                .steps
                .iter()
                .filter(|s| !s.english)
                .take(reach.saturating_sub(1))
            {
                if when >= today {
                    break;
                }
                store
                    .change_records(
                        p.id,
                        all,
                        id,
                        &RecordChange::Step {
                            step: step.code.clone(),
                            passed_on: when,
                            evidence: format!("Result letter seen ({})", step.code.to_uppercase()),
                        },
                        actor,
                    )
                    .await?;
                when += Duration::days(
                    i64::from(step.typical_weeks.unwrap_or(12)) * 7 + rng.below(60) as i64,
                );
            }
        }
        // Barriers: most people meet one or two; the trust's rules among them.
        for _ in 0..(1 + rng.below(2)) {
            let barrier = *weighted(
                &mut rng,
                &[
                    (Barrier::EnglishScore, 30),
                    (Barrier::ExamCost, 25),
                    (Barrier::ClinicalAttachment, 12),
                    (Barrier::EmployerRule, 14),
                    (Barrier::CaringDuties, 8),
                    (Barrier::DocumentsLost, 6),
                    (Barrier::RightToWork, 5),
                ],
            );
            let raised_on = day(&mut rng, engaged, today);
            let rule =
                (barrier == Barrier::EmployerRule).then(|| rng.pick(EMPLOYER_RULES).to_string());
            store
                .change_records(
                    p.id,
                    all,
                    id,
                    &RecordChange::Barrier {
                        barrier,
                        rule,
                        raised_on,
                        note: String::new(),
                    },
                    actor,
                )
                .await?;
        }
        let (person, recs) = store.person(p.id, all, id, actor).await?;
        // Half of the barriers raised more than two months ago are resolved.
        for b in &recs.barriers {
            if (today - b.raised_on).whole_days() > 60
                && rng.below(2) == 0
                && b.barrier != Barrier::EmployerRule
            {
                let resolved_on =
                    (b.raised_on + Duration::days(20 + rng.below(120) as i64)).min(today);
                store
                    .change_records(
                        p.id,
                        all,
                        id,
                        &RecordChange::ResolveBarrier {
                            id: b.id,
                            resolved_on,
                        },
                        actor,
                    )
                    .await?;
            }
        }
        if rng.below(3) > 0 {
            let kind = *rng.pick(&[
                Support::EnglishClasses,
                Support::FundedExam,
                Support::Mentoring,
                Support::ClinicalAttachment,
            ]);
            let cost_pence = match kind {
                Support::FundedExam => 25_500,
                Support::EnglishClasses => 12_000,
                _ => 0,
            };
            store
                .change_records(
                    p.id,
                    all,
                    id,
                    &RecordChange::Support {
                        kind,
                        given_on: day(&mut rng, engaged, today),
                        cost_pence,
                        note: String::new(),
                    },
                    actor,
                )
                .await?;
        }
        if rng.below(2) == 0 {
            store
                .change_records(
                    p.id,
                    all,
                    id,
                    &RecordChange::Note {
                        body: rng.pick(NOTES).to_string(),
                    },
                    actor,
                )
                .await?;
        }
        // Work: 22 into NHS posts through the trust's vacancies; some into care.
        let eligible_interim = english_ok && rtw == RightToWork::Yes;
        if eligible_interim && into_nhs < 22 && rng.below(3) == 0 {
            let reference = match profession {
                "doctor" if !recs.steps.is_empty() => "SWB-MSW-2503",
                "nurse" | "midwife" if recs.steps.iter().any(|s| s.record.step == "cbt") => {
                    "SWB-IEN-2505"
                }
                "pharmacist" => "SWB-PA-2507",
                "physiotherapist" | "radiographer" | "occupational_therapist" => "SWB-TSW-2509",
                "doctor" => "SWB-PHL-2502",
                _ => "SWB-HCA-2411",
            };
            let vacancy = vacancy_ids[reference];
            let free = store
                .vacancy(p.id, vacancy)
                .await?
                .map(|v| v.posts_free())
                .unwrap_or(0);
            if free > 0 && person.matchable() {
                let pl = store
                    .confirm_placement(
                        p.id,
                        all,
                        id,
                        vacancy,
                        60 + rng.below(30) as i64,
                        "[]",
                        actor,
                    )
                    .await?;
                let start = day(
                    &mut rng,
                    (today - Duration::days(330)).max(engaged),
                    today - Duration::days(7),
                );
                for status in [
                    PlacementStatus::Applied,
                    PlacementStatus::Interviewed,
                    PlacementStatus::Offered,
                    PlacementStatus::Started,
                ] {
                    store
                        .set_placement_status(p.id, all, pl.id, status, start, actor)
                        .await?;
                }
                into_nhs += 1;
            }
        } else if english_ok && rng.below(12) == 0 {
            store
                .change_records(
                    p.id,
                    all,
                    id,
                    &RecordChange::Work {
                        work: WorkOutcome::CareSector,
                        on: Some(day(&mut rng, engaged, today)),
                    },
                    actor,
                )
                .await?;
        }
    }
    bar.inc(1);
    Ok(())
}
