//! What the talent pages and the API share: whose caseload the caller
//! reaches, the record form, progress and gates for a person, proposals,
//! and the results.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::Date;
use useit_app::place::home_place;
use useit_core::UserId;
use useit_core::auth::{Capability, MemberQuery};
use useit_core::clock;
use useit_core::i18n::{Message, t, tf};
use useit_core::listing::PageRequest;
use useit_core::money::parse_pence;
use useit_core::place::postcode::Postcode;
use useit_core::talent::casework::{Barrier, PersonInput, Support, WorkOutcome};
use useit_core::talent::matching::{self, Candidate, Gate, MatchScore, Opening};
use useit_core::talent::pathway::{EnglishTest, LanguageResult, Progress, progress};
use useit_core::talent::person::{
    Caseload, HomePlace, PeopleQuery, Person, PersonRecords, RecordChange,
};
use useit_core::talent::profession::{Professions, oet_grade_score};
use useit_core::talent::results::{self, Funnel, Savings};
use useit_core::talent::settings::TalentSettings;
use useit_core::talent::vacancy::Vacancy;
use useit_core::validation::{Errors, Invalid};
use uuid::Uuid;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::state::AppState;

/// Whose people the caller reaches.
pub fn caseload(ctx: &Ctx) -> Result<Caseload, AppError> {
    if ctx.can(Capability::ViewAllCaseloads) {
        Ok(Caseload::All)
    } else {
        Ok(Caseload::Of(ctx.user()?.id))
    }
}

pub fn professions() -> &'static Professions {
    Professions::shipped()
}

pub fn progress_of(person: &Person, recs: &PersonRecords, today: Date) -> Option<Progress> {
    let prof = professions().get(&person.draft.profession)?;
    Some(progress(
        prof,
        &recs.step_records(),
        &recs.language_results(),
        today,
    ))
}

/// The members who can hold a caseload: (user id, name, e-mail).
pub async fn caseworkers(
    app: &AppState,
    ctx: &Ctx,
) -> Result<Vec<(UserId, String, String)>, AppError> {
    let page = app
        .store
        .members(
            ctx.programme_id()?,
            &MemberQuery::default(),
            PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE)),
        )
        .await?;
    Ok(page
        .items
        .into_iter()
        .filter(|m| m.role.can(Capability::EditPeople))
        .map(|m| (m.user.id, m.user.display_name, m.user.email))
        .collect())
}

/// The caseworker a form names (blank: `default`). A caseworker who cannot
/// see every caseload keeps people on their own.
pub async fn chosen_caseworker(
    app: &AppState,
    ctx: &Ctx,
    raw: &str,
    default: Option<UserId>,
) -> Result<Option<UserId>, AppError> {
    if !ctx.can(Capability::ViewAllCaseloads) {
        return Ok(Some(ctx.user()?.id));
    }
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(default);
    }
    let all = caseworkers(app, ctx).await?;
    all.iter()
        .find(|(id, _, email)| id.to_string() == raw || email.eq_ignore_ascii_case(raw))
        .map(|(id, _, _)| Some(*id))
        .ok_or_else(|| {
            AppError::Invalid(
                Invalid::one(
                    "caseworker",
                    Message::new("talent.person.unknown_caseworker"),
                )
                .0,
            )
        })
}

/// Checks a person form or body and places its postcode.
pub async fn person_input(
    app: &AppState,
    ctx: &Ctx,
    input: &PersonInput,
    default_caseworker: Option<UserId>,
) -> Result<
    (
        useit_core::talent::casework::PersonDraft,
        Option<UserId>,
        HomePlace,
    ),
    AppError,
> {
    let draft = input
        .validate(professions(), clock::today())
        .map_err(|Invalid(e)| AppError::Invalid(e))?;
    let caseworker = chosen_caseworker(app, ctx, &input.caseworker, default_caseworker).await?;
    let home = home_place(
        app.store.as_ref(),
        ctx.programme_id()?,
        draft.postcode.as_deref(),
    )
    .await?;
    Ok((draft, caseworker, home))
}

/// Every sub-form on a person's page, as typed: `action` says which.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RecordForm {
    /// `step`, `language`, `barrier`, `resolve_barrier`, `support`, `note`, `withdraw_consent` or `work`.
    pub action: String,
    pub step: String,
    pub passed_on: String,
    pub evidence: String,
    /// `ielts` or `oet`.
    pub test: String,
    pub taken_on: String,
    /// IELTS bands (7.5) or OET scores (350) or grades (B).
    pub overall: String,
    pub listening: String,
    pub reading: String,
    pub writing: String,
    pub speaking: String,
    pub barrier: String,
    pub rule: String,
    pub raised_on: String,
    pub barrier_note: String,
    pub barrier_id: String,
    pub resolved_on: String,
    pub support: String,
    pub given_on: String,
    pub cost: String,
    pub support_note: String,
    pub note: String,
    pub withdrawn_on: String,
    pub work: String,
    pub work_on: String,
}

fn score(
    e: &mut Errors,
    field: &str,
    raw: &str,
    test: Option<EnglishTest>,
    required: bool,
) -> Option<u16> {
    let raw = raw.trim();
    if raw.is_empty() {
        if required {
            e.add(field, Message::new("talent.language.score_needed"));
        }
        return None;
    }
    let v = match test {
        Some(EnglishTest::Ielts) => raw
            .parse::<f64>()
            .ok()
            .filter(|v| (0.0..=9.0).contains(v) && ((v * 2.0).fract() == 0.0))
            .map(|v| (v * 10.0).round() as u16),
        Some(EnglishTest::Oet) => {
            oet_grade_score(raw).or_else(|| raw.parse::<u16>().ok().filter(|v| *v <= 500))
        }
        None => return None,
    };
    if v.is_none() {
        e.add(
            field,
            Message::new("talent.language.bad_score").arg("value", raw),
        );
    }
    v
}

impl RecordForm {
    /// The change the form asks for, for a person of `profession`.
    pub fn validate(&self, profession: &str, today: Date) -> Result<RecordChange, Invalid> {
        let mut e = Errors::new();
        let not_future = |e: &mut Errors, field: &str, d: Option<Date>| {
            if d.is_some_and(|d| d > today) {
                e.add(field, Message::new("talent.record.date_in_future"));
            }
            d
        };
        let change = match self.action.as_str() {
            "step" => {
                let known = professions()
                    .get(profession)
                    .map(|p| p.rules.iter().any(|r| r.step(self.step.trim()).is_some()))
                    .unwrap_or(false);
                if !known {
                    e.add("step", Message::new("talent.record.unknown_step"));
                }
                let passed_on = e.required_date("passed_on", &self.passed_on);
                let passed_on = not_future(&mut e, "passed_on", passed_on);
                let evidence = e
                    .optional("evidence", &self.evidence, 500)
                    .unwrap_or_default();
                passed_on.map(|passed_on| RecordChange::Step {
                    step: self.step.trim().to_string(),
                    passed_on,
                    evidence,
                })
            }
            "language" => {
                let test = EnglishTest::parse(&self.test);
                if test.is_none() {
                    e.add("test", Message::new("talent.language.choose_test"));
                }
                let taken_on = e.required_date("taken_on", &self.taken_on);
                let taken_on = not_future(&mut e, "taken_on", taken_on);
                let overall = score(
                    &mut e,
                    "overall",
                    &self.overall,
                    test,
                    test == Some(EnglishTest::Ielts),
                );
                let l = score(&mut e, "listening", &self.listening, test, true);
                let r = score(&mut e, "reading", &self.reading, test, true);
                let w = score(&mut e, "writing", &self.writing, test, true);
                let s = score(&mut e, "speaking", &self.speaking, test, true);
                match (test, taken_on, l, r, w, s) {
                    (
                        Some(test),
                        Some(taken_on),
                        Some(listening),
                        Some(reading),
                        Some(writing),
                        Some(speaking),
                    ) => Some(RecordChange::Language(LanguageResult {
                        test,
                        taken_on,
                        overall,
                        listening,
                        reading,
                        writing,
                        speaking,
                    })),
                    _ => None,
                }
            }
            "barrier" => {
                let barrier = Barrier::parse(&self.barrier);
                if barrier.is_none() {
                    e.add("barrier", Message::new("talent.barrier.choose"));
                }
                let rule = e.optional("rule", &self.rule, 200);
                if barrier == Some(Barrier::EmployerRule) && rule.is_none() {
                    e.add("rule", Message::new("talent.barrier.rule_needed"));
                }
                let raised_on = e.required_date("raised_on", &self.raised_on);
                let raised_on = not_future(&mut e, "raised_on", raised_on);
                let note = e
                    .optional("barrier_note", &self.barrier_note, 1000)
                    .unwrap_or_default();
                barrier
                    .zip(raised_on)
                    .map(|(barrier, raised_on)| RecordChange::Barrier {
                        barrier,
                        rule,
                        raised_on,
                        note,
                    })
            }
            "resolve_barrier" => {
                let id = Uuid::parse_str(self.barrier_id.trim()).ok();
                if id.is_none() {
                    e.add("barrier_id", Message::new("talent.barrier.choose"));
                }
                let resolved_on = e.required_date("resolved_on", &self.resolved_on);
                let resolved_on = not_future(&mut e, "resolved_on", resolved_on);
                id.zip(resolved_on)
                    .map(|(id, resolved_on)| RecordChange::ResolveBarrier { id, resolved_on })
            }
            "support" => {
                let kind = Support::parse(&self.support);
                if kind.is_none() {
                    e.add("support", Message::new("talent.support.choose"));
                }
                let given_on = e.required_date("given_on", &self.given_on);
                let cost_pence = match self.cost.trim() {
                    "" => 0,
                    c => match parse_pence(c) {
                        Ok(p) if p >= 0 => p,
                        _ => {
                            e.add(
                                "cost",
                                Message::new("talent.support.bad_cost").arg("value", c),
                            );
                            0
                        }
                    },
                };
                let note = e
                    .optional("support_note", &self.support_note, 1000)
                    .unwrap_or_default();
                kind.zip(given_on)
                    .map(|(kind, given_on)| RecordChange::Support {
                        kind,
                        given_on,
                        cost_pence,
                        note,
                    })
            }
            "note" => {
                let body = e.required("note", &self.note, 5000);
                Some(RecordChange::Note { body })
            }
            "withdraw_consent" => {
                let on = e.required_date("withdrawn_on", &self.withdrawn_on);
                let on = not_future(&mut e, "withdrawn_on", on);
                on.map(|on| RecordChange::WithdrawConsent { on })
            }
            "work" => {
                let work = WorkOutcome::parse(&self.work);
                if work.is_none() {
                    e.add("work", Message::new("talent.work.choose"));
                }
                let on = e.optional_date("work_on", &self.work_on);
                if work.is_some_and(|w| w != WorkOutcome::NoneYet)
                    && on.is_none()
                    && self.work_on.trim().is_empty()
                {
                    e.add("work_on", Message::new("talent.work.date_needed"));
                }
                work.map(|work| RecordChange::Work { work, on })
            }
            _ => {
                e.add("action", Message::new("talent.record.unknown_action"));
                None
            }
        };
        e.finish(|| change.expect("no errors means a change"))
    }
}

/// A vacancy's site, placed.
async fn site_points(
    app: &AppState,
    vacancies: &[Vacancy],
) -> Result<HashMap<Uuid, (f64, f64)>, AppError> {
    let compact: Vec<(Uuid, String)> = vacancies
        .iter()
        .filter_map(|v| {
            let p = Postcode::parse(v.input.site_postcode.as_deref()?).ok()?;
            Some((v.id, p.compact().to_string()))
        })
        .collect();
    let wanted: Vec<String> = compact.iter().map(|(_, c)| c.clone()).collect();
    let recs = app.store.postcodes(&wanted).await?;
    let by_compact: HashMap<String, (f64, f64)> = recs
        .into_iter()
        .filter_map(|r| {
            let c = Postcode::parse(&r.postcode).ok()?.compact().to_string();
            Some((c, (r.lat?, r.lon?)))
        })
        .collect();
    Ok(compact
        .into_iter()
        .filter_map(|(id, c)| by_compact.get(&c).map(|p| (id, *p)))
        .collect())
}

/// Vacancies a person could be put forward for now: open and with posts free.
pub fn open_vacancies(all: Vec<Vacancy>, today: Date) -> Vec<Vacancy> {
    all.into_iter()
        .filter(|v| v.posts_free() > 0 && v.input.closes_on.is_none_or(|c| c >= today))
        .collect()
}

pub fn candidate(person: &Person, progress: Progress) -> Candidate {
    Candidate {
        profession: person.draft.profession.clone(),
        progress,
        right_to_work: person.draft.right_to_work,
        experience_years: person.draft.experience_years,
        available_from: person.draft.available_from,
        home: person.home,
    }
}

pub fn opening(v: &Vacancy, sites: &HashMap<Uuid, (f64, f64)>) -> Opening {
    Opening {
        role: v.input.role.clone(),
        posts: v.posts_free(),
        starts_on: v.input.opens_on,
        site: sites.get(&v.id).copied(),
    }
}

/// One vacancy as seen from one person: eligible with a score, or the gates.
pub struct Fit {
    pub vacancy: Vacancy,
    pub result: Result<MatchScore, Vec<Gate>>,
}

/// How each open vacancy fits a person.
pub async fn fits(
    app: &AppState,
    ctx: &Ctx,
    person: &Person,
    progress: &Progress,
) -> Result<Vec<Fit>, AppError> {
    let today = clock::today();
    let vacancies = open_vacancies(app.store.vacancies(ctx.programme_id()?).await?, today);
    let sites = site_points(app, &vacancies).await?;
    let c = candidate(person, progress.clone());
    Ok(vacancies
        .into_iter()
        .map(|v| {
            let o = opening(&v, &sites);
            let result = matching::eligibility(professions(), &c, &o)
                .map(|fit| matching::score(fit, &c, &o));
            Fit { vacancy: v, result }
        })
        .collect())
}

/// A proposed pair, with the score's parts in words.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ProposalView {
    pub person_id: Uuid,
    pub person_name: String,
    pub profession: String,
    pub vacancy_id: Uuid,
    pub vacancy_title: String,
    pub vacancy_reference: String,
    pub score: i64,
    pub why: Vec<String>,
    /// The parts as JSON, stored with the placement when it is confirmed.
    #[serde(skip)]
    pub reasons_json: String,
}

/// A score part in words: "Role: interim role on their pathway (30 of 40)".
pub fn part_text(p: &matching::ScorePart) -> String {
    let detail = match p.part {
        "role" => t(&format!("talent.fit.{}", p.detail)).to_string(),
        "experience" => tf("talent.score.years", &[("years", &p.detail)]),
        "travel" if p.detail.is_empty() => t("talent.score.travel_unknown").to_string(),
        "travel" => tf("talent.score.km", &[("km", &p.detail)]),
        "availability" if p.detail == "0" => t("talent.score.available").to_string(),
        "availability" => tf("talent.score.days_late", &[("days", &p.detail)]),
        _ => p.detail.clone(),
    };
    tf(
        "talent.score.part",
        &[
            ("part", t(&format!("talent.score.{}", p.part))),
            ("detail", &detail),
            ("points", &p.points.to_string()),
            ("max", &p.max.to_string()),
        ],
    )
}

pub fn gate_text(g: &Gate) -> String {
    match g {
        Gate::NotTheirRole => t("talent.gate.not_their_role").to_string(),
        Gate::RightToWork => t("talent.gate.right_to_work").to_string(),
        Gate::NotRegistered => t("talent.gate.not_registered").to_string(),
        Gate::Steps { missing } => tf("talent.gate.steps", &[("steps", &missing.join(", "))]),
    }
}

/// The optimal proposals over the caller's caseload and the open vacancies.
pub async fn proposals(app: &AppState, ctx: &Ctx) -> Result<Vec<ProposalView>, AppError> {
    let today = clock::today();
    let programme = ctx.programme_id()?;
    let people = app
        .store
        .people_with_records(
            programme,
            caseload(ctx)?,
            &PeopleQuery::default(),
            true,
            &ctx.actor(),
            "matching",
        )
        .await?;
    let people: Vec<(Person, Progress)> = people
        .into_iter()
        .filter(|(p, recs)| {
            p.matchable() && !recs.placements.iter().any(|pl| pl.status.holds_post())
        })
        .filter_map(|(p, recs)| {
            let pr = progress_of(&p, &recs, today)?;
            Some((p, pr))
        })
        .collect();
    let vacancies = open_vacancies(app.store.vacancies(programme).await?, today);
    let sites = site_points(app, &vacancies).await?;
    let candidates: Vec<Candidate> = people
        .iter()
        .map(|(p, pr)| candidate(p, pr.clone()))
        .collect();
    let openings: Vec<Opening> = vacancies.iter().map(|v| opening(v, &sites)).collect();
    let free: Vec<u32> = vacancies.iter().map(|v| v.posts_free()).collect();
    let mut out: Vec<ProposalView> =
        matching::propose(professions(), &candidates, &openings, &free)
            .into_iter()
            .map(|pr| {
                let (p, _) = &people[pr.candidate];
                let v = &vacancies[pr.opening];
                ProposalView {
                    person_id: p.id,
                    person_name: p.draft.full_name.clone(),
                    profession: professions()
                        .get(&p.draft.profession)
                        .map(|x| x.name.clone())
                        .unwrap_or_default(),
                    vacancy_id: v.id,
                    vacancy_title: v.input.title.clone(),
                    vacancy_reference: v.input.reference.clone(),
                    score: pr.score.total,
                    why: pr.score.parts.iter().map(part_text).collect(),
                    reasons_json: serde_json::to_string(&pr.score.parts)
                        .unwrap_or_else(|_| "[]".into()),
                }
            })
            .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.person_name.cmp(&b.person_name))
    });
    Ok(out)
}

/// The results of the strand, from the records.
pub struct Results {
    pub settings: TalentSettings,
    pub funnel: Funnel,
    pub barriers: Vec<results::BarrierLine>,
    pub savings: Savings,
}

pub async fn results(app: &AppState, ctx: &Ctx) -> Result<Results, AppError> {
    let programme = ctx.programme_id()?;
    let today = clock::today();
    let settings = app.store.talent_settings(programme).await?;
    let funnel = results::funnel(&app.store.funnel_facts(programme).await?);
    let barriers = results::barrier_report(&app.store.barrier_facts(programme).await?, today);
    let savings = results::savings(
        &app.store.filled_posts(programme).await?,
        &settings.savings,
        today,
    );
    Ok(Results {
        settings,
        funnel,
        barriers,
        savings,
    })
}
