//! The demo's skills strand: a cohort of about 200 invented residents with
//! health qualifications from abroad (USE-IT! engaged almost 200 against a
//! target of 60, and 22 went into NHS jobs), their English results, exams,
//! barriers (the trust's own rules among them), support, the trust's
//! vacancies, and the placements that followed. Everything goes through the
//! same use cases the pages call (`useit_app::talent`), as typed into the
//! forms, so the demo's people pass the rules a caseworker meets, every
//! stage and figure is computed, and each placement is a pair the matcher
//! proposed.
//!
//! Names are invented combinations; postcodes are real ones from the shipped
//! geography, in the area of benefit and the rest of Sandwell.

use std::collections::HashMap;
use std::sync::Arc;

use indicatif::ProgressBar;
use time::{Date, Duration};
use useit_app::Caller;
use useit_app::Store;
use useit_app::place::lookup::postcode_points;
use useit_app::talent::caseworkers::caseworkers;
use useit_app::talent::matching::{confirm, move_placement, proposals};
use useit_app::talent::people::{create_person, person};
use useit_app::talent::records::change_records;
use useit_app::talent::vacancies::{VacancyUpload, import_vacancies};
use useit_core::audit::Actor;
use useit_core::clock;
use useit_core::talent::casework::{Barrier, PersonInput, PlacementStatus, RightToWork, Support};
use useit_core::talent::placement::{ConfirmInput, MoveInput};
use useit_core::talent::profession::Professions;
use useit_core::talent::record::RecordInput;
use useit_core::talent::vacancy::{self, VacancyInput};

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

/// People the demo puts into NHS posts, as USE-IT! did.
const INTO_NHS: usize = 22;

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

/// An IELTS band as a person types it (`7.5`), from tenths of a band.
fn band(tenths: u16) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A record form as typed on a person's page.
fn record(action: &str, fields: &[(&str, String)]) -> anyhow::Result<RecordInput> {
    let mut v = serde_json::json!({ "action": action });
    for (k, val) in fields {
        v[*k] = serde_json::Value::String(val.clone());
    }
    Ok(serde_json::from_value(v)?)
}

/// A file of vacancies as the trust would upload it.
async fn upload_vacancies(
    store: &dyn Store,
    caller: &Caller,
    rows: &[VacancyInput],
) -> anyhow::Result<()> {
    let text = vacancy::write_csv(rows);
    let upload = VacancyUpload {
        file_name: "swbh-vacancies.csv",
        bytes: text.as_bytes(),
    };
    import_vacancies(store, caller, upload).await?;
    Ok(())
}

/// Builds the cohort, the vacancies and the placements.
pub async fn build(store: &Arc<dyn Store>, actor: &Actor, bar: &ProgressBar) -> anyhow::Result<()> {
    let p = crate::demo::programme(store, crate::demo::PROGRAMME).await?;
    let caller = Caller::system(p.id, &actor.label);
    let s = store.as_ref();
    let staff = caseworkers(s, &caller).await?;
    let member = |email: &str| {
        staff
            .iter()
            .find(|c| c.email == email)
            .map(|c| c.id.to_string())
            .unwrap_or_default()
    };
    let caseworker = member("caseworker@demo.useit.example");
    let manager = member("manager@demo.useit.example");
    let today = clock::today();
    let professions = Professions::shipped();
    let mut rng = Seeded::new(2017);
    let points: Vec<String> = postcode_points(s, &caller, "lsoa11")
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
    // The posts filled over the past year were open when people were
    // matched to them; the ones still to come are published afterwards.
    let all_vacancies = vacancies(today);
    let past: Vec<VacancyInput> = all_vacancies
        .iter()
        .filter(|v| v.opens_on < today)
        .map(|v| VacancyInput {
            closes_on: None,
            ..v.clone()
        })
        .collect();
    upload_vacancies(s, &caller, &past).await?;
    bar.inc(1);
    let countries: Vec<(&str, u64)> = COUNTRIES.to_vec();
    let profs: Vec<((&str, &str), u64)> =
        PROFESSIONS.iter().map(|(c, w, q)| ((*c, *q), *w)).collect();
    let mut engaged_on = HashMap::new();
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
        let form = PersonInput {
            full_name: format!("{given} {family}"),
            email: format!(
                "{}.{}{}@example.org",
                given.to_lowercase(),
                family.to_lowercase(),
                i
            ),
            phone: format!("07700 9{:05}", 10_000 + i),
            postcode: postcode.unwrap_or_default(),
            profession: profession.into(),
            qualification_country: country.into(),
            qualification_year: (1995 + rng.below(25)).to_string(),
            qualifications: format!("{qualification}, {country}"),
            experience_years: (1 + rng.below(15)).to_string(),
            right_to_work: rtw.slug().into(),
            available_from: (engaged + Duration::days(30 + rng.below(120) as i64)).to_string(),
            lawful_basis: "consent".into(),
            consent_given_on: engaged.to_string(),
            caseworker: if rng.below(3) < 2 {
                caseworker.clone()
            } else {
                manager.clone()
            },
        };
        let id = create_person(s, &caller, &form).await?.id;
        engaged_on.insert(id, engaged);
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
            let overall = bump(need.overall.unwrap_or(70));
            let listening = bump(need.listening);
            let reading = bump(need.reading);
            let speaking = bump(need.speaking);
            let writing = if passes {
                need.writing
            } else {
                need.writing.saturating_sub(5)
            };
            english_ok = passes;
            let taken_on = when.min(today - Duration::days(1));
            let result = record(
                "language",
                &[
                    ("test", "ielts".into()),
                    ("taken_on", taken_on.to_string()),
                    ("overall", band(overall)),
                    ("listening", band(listening)),
                    ("reading", band(reading)),
                    ("writing", band(writing)),
                    ("speaking", band(speaking)),
                ],
            )?;
            change_records(s, &caller, id, &result).await?;
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
                let passed = record(
                    "step",
                    &[
                        ("step", step.code.clone()),
                        ("passed_on", when.to_string()),
                        (
                            "evidence",
                            format!("Result letter seen ({})", step.code.to_uppercase()),
                        ),
                    ],
                )?;
                change_records(s, &caller, id, &passed).await?;
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
            let rule = if barrier == Barrier::EmployerRule {
                rng.pick(EMPLOYER_RULES).to_string()
            } else {
                String::new()
            };
            let raised = record(
                "barrier",
                &[
                    ("barrier", barrier.slug().into()),
                    ("rule", rule),
                    ("raised_on", raised_on.to_string()),
                ],
            )?;
            change_records(s, &caller, id, &raised).await?;
        }
        let (_, recs) = person(s, &caller, id).await?;
        // Half of the barriers raised more than two months ago are resolved.
        for b in &recs.barriers {
            if (today - b.raised_on).whole_days() > 60
                && rng.below(2) == 0
                && b.barrier != Barrier::EmployerRule
            {
                let resolved_on =
                    (b.raised_on + Duration::days(20 + rng.below(120) as i64)).min(today);
                let resolved = record(
                    "resolve_barrier",
                    &[
                        ("barrier_id", b.id.to_string()),
                        ("resolved_on", resolved_on.to_string()),
                    ],
                )?;
                change_records(s, &caller, id, &resolved).await?;
            }
        }
        if rng.below(3) > 0 {
            let kind = *rng.pick(&[
                Support::EnglishClasses,
                Support::FundedExam,
                Support::Mentoring,
                Support::ClinicalAttachment,
            ]);
            let cost = match kind {
                Support::FundedExam => "255.00",
                Support::EnglishClasses => "120.00",
                _ => "",
            };
            let given = record(
                "support",
                &[
                    ("support", kind.slug().into()),
                    ("given_on", day(&mut rng, engaged, today).to_string()),
                    ("cost", cost.into()),
                ],
            )?;
            change_records(s, &caller, id, &given).await?;
        }
        if rng.below(2) == 0 {
            let note = record("note", &[("note", rng.pick(NOTES).to_string())])?;
            change_records(s, &caller, id, &note).await?;
        }
        // Some who could take an interim post are put forward by the matcher
        // below; of the rest, a few find care work on their own.
        let looking_for_nhs_work = english_ok && rtw == RightToWork::Yes && rng.below(3) == 0;
        if !looking_for_nhs_work && english_ok && rng.below(12) == 0 {
            let work = record(
                "work",
                &[
                    ("work", "care_sector".into()),
                    ("work_on", day(&mut rng, engaged, today).to_string()),
                ],
            )?;
            change_records(s, &caller, id, &work).await?;
        }
    }
    // Into NHS posts: the matcher's best proposals over the cohort and the
    // vacancies then open, confirmed and followed to a start. Confirming one
    // leaves the rest of an optimal placement optimal; should the matcher
    // break a tie the other way, the proposals are read again.
    let (mut placed, mut reread) = (0, 0);
    let mut batch = proposals(s, &caller).await?.into_iter();
    while placed < INTO_NHS {
        let Some(proposed) = batch.next() else {
            break;
        };
        let pair = ConfirmInput {
            person: proposed.person.id.to_string(),
            vacancy: proposed.vacancy.id.to_string(),
        };
        let placement = match confirm(s, &caller, &pair).await {
            Ok(p) => p,
            Err(useit_app::Error::Conflict { .. }) if reread < INTO_NHS => {
                reread += 1;
                batch = proposals(s, &caller).await?.into_iter();
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        placed += 1;
        let engaged = engaged_on[&proposed.person.id];
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
            let step = MoveInput {
                status: status.slug().into(),
                on: start.to_string(),
            };
            move_placement(s, &caller, placement.id, &step).await?;
        }
    }
    // The vacancies as they stand today: the past ones closed, the next ones open.
    upload_vacancies(s, &caller, &all_vacancies).await?;
    bar.inc(1);
    Ok(())
}
