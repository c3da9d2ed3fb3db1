//! Matching people and vacancies: how each open vacancy fits one person, the
//! optimal proposals over the caller's caseload, confirming one, moving a
//! placement on, and the placements list.

use std::collections::HashMap;

use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::place::postcode::Postcode;
use useit_core::talent::matching::{self, Candidate, Gate, MatchScore, Opening};
use useit_core::talent::pathway::Progress;
use useit_core::talent::person::{PeopleQuery, Person, Placement};
use useit_core::talent::placement::{ConfirmInput, MoveInput, PlacementParams};
use useit_core::talent::vacancy::Vacancy;
use useit_store::talent::Proposal;

use super::professions;
use crate::{Caller, Error, Result, Store};

/// Each vacancy's site, placed (vacancies whose site is not known are left out).
async fn site_points(
    store: &dyn Store,
    vacancies: &[Vacancy],
) -> Result<HashMap<Uuid, (f64, f64)>> {
    let compact: Vec<(Uuid, String)> = vacancies
        .iter()
        .filter_map(|v| {
            let p = Postcode::parse(v.input.site_postcode.as_deref()?).ok()?;
            Some((v.id, p.compact().to_string()))
        })
        .collect();
    let wanted: Vec<String> = compact.iter().map(|(_, c)| c.clone()).collect();
    let by_compact: HashMap<String, (f64, f64)> = store
        .postcodes(&wanted)
        .await?
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

/// The vacancies a person could be put forward for now, with their sites.
async fn open_vacancies(
    store: &dyn Store,
    programme: ProgrammeId,
) -> Result<(Vec<Vacancy>, HashMap<Uuid, (f64, f64)>)> {
    let today = clock::today();
    let open: Vec<Vacancy> = store
        .vacancies(programme)
        .await?
        .into_iter()
        .filter(|v| v.is_open(today))
        .collect();
    let sites = site_points(store, &open).await?;
    Ok((open, sites))
}

/// One open vacancy as seen from one person: eligible with a score, or the
/// gates that block it.
pub struct Fit {
    pub vacancy: Vacancy,
    pub result: std::result::Result<MatchScore, Vec<Gate>>,
}

/// How each open vacancy fits a person (read for their page, whose read is
/// the audited one).
pub(crate) async fn fits(
    store: &dyn Store,
    programme: ProgrammeId,
    person: &Person,
    progress: &Progress,
) -> Result<Vec<Fit>> {
    let (open, sites) = open_vacancies(store, programme).await?;
    let c = Candidate::of(person, progress.clone());
    Ok(open
        .into_iter()
        .map(|v| {
            let o = Opening::of(&v, sites.get(&v.id).copied());
            let result = matching::eligibility(professions(), &c, &o)
                .map(|fit| matching::score(fit, &c, &o));
            Fit { vacancy: v, result }
        })
        .collect())
}

/// A pair the matcher proposes, with the score's parts.
pub struct Proposed {
    pub person: Person,
    pub vacancy: Vacancy,
    pub score: MatchScore,
}

/// The optimal proposals over the caller's caseload and the open vacancies:
/// the best total score without over-filling any vacancy, highest first.
/// People who cannot be put forward (erased, consent withdrawn, in work, or
/// already holding a post) are left out.
pub async fn proposals(store: &dyn Store, caller: &Caller) -> Result<Vec<Proposed>> {
    caller.require(Capability::EditPeople)?;
    let today = clock::today();
    let people: Vec<(Person, Progress)> = store
        .people_with_records(
            caller.programme,
            caller.caseload(),
            &PeopleQuery::default(),
            true,
            &caller.actor,
            "matching",
        )
        .await?
        .into_iter()
        .filter(|(p, recs)| {
            p.matchable() && !recs.placements.iter().any(|pl| pl.status.holds_post())
        })
        .filter_map(|(p, recs)| {
            let pr = p.progress(&recs, today)?;
            Some((p, pr))
        })
        .collect();
    let (open, sites) = open_vacancies(store, caller.programme).await?;
    let candidates: Vec<Candidate> = people
        .iter()
        .map(|(p, pr)| Candidate::of(p, pr.clone()))
        .collect();
    let openings: Vec<Opening> = open
        .iter()
        .map(|v| Opening::of(v, sites.get(&v.id).copied()))
        .collect();
    let free: Vec<u32> = open.iter().map(Vacancy::posts_free).collect();
    let mut out: Vec<Proposed> = matching::propose(professions(), &candidates, &openings, &free)
        .into_iter()
        .map(|pr| Proposed {
            person: people[pr.candidate].0.clone(),
            vacancy: open[pr.opening].clone(),
            score: pr.score,
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total
            .cmp(&a.score.total)
            .then(a.person.draft.full_name.cmp(&b.person.draft.full_name))
    });
    Ok(out)
}

/// Confirms a proposal: only a pair the matcher proposes now can be
/// confirmed, and it is kept with its score and reasons.
pub async fn confirm(
    store: &dyn Store,
    caller: &Caller,
    input: &ConfirmInput,
) -> Result<Placement> {
    caller.require(Capability::EditPeople)?;
    let (person, vacancy) = input.validate()?;
    let proposed = proposals(store, caller).await?;
    let Some(p) = proposed
        .iter()
        .find(|p| p.person.id == person && p.vacancy.id == vacancy)
    else {
        return Err(Error::Conflict {
            field: "vacancy".into(),
            message: Message::new("talent.placement.not_proposed"),
        });
    };
    let proposal = Proposal {
        person,
        vacancy,
        score: p.score.total,
        reasons: p.score.reasons_json(),
    };
    Ok(store
        .confirm_placement(
            caller.programme,
            caller.caseload(),
            &proposal,
            &caller.actor,
        )
        .await?)
}

/// Moves a placement on, only as far as its status allows; `started` puts
/// the person into NHS work.
pub async fn move_placement(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &MoveInput,
) -> Result<Placement> {
    caller.require(Capability::EditPeople)?;
    let (status, on) = input.validate(clock::today())?;
    Ok(store
        .set_placement_status(
            caller.programme,
            caller.caseload(),
            id,
            status,
            on,
            &caller.actor,
        )
        .await?)
}

/// The caller's caseload's placements as the filters select them. They name
/// people, so the read is in the audit log with its `purpose`.
pub async fn placements(
    store: &dyn Store,
    caller: &Caller,
    params: &PlacementParams,
    purpose: &str,
) -> Result<Vec<Placement>> {
    caller.require(Capability::EditPeople)?;
    let all = store
        .placements(caller.programme, caller.caseload(), &caller.actor, purpose)
        .await?;
    Ok(params.select(all))
}
