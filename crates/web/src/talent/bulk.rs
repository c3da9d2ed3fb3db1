//! Bulk changes from the lists: the people list's ticked rows get one
//! change (a step, a barrier, support, a note, a work outcome or a
//! caseworker), the placements' ticked rows one move. Each is two plain
//! forms: the list sends the ticks and the action to a confirmation page
//! that names everyone it will change and asks for the change's fields;
//! that page sends them back with `confirmed=yes` and everything is
//! written in one transaction, or nothing is.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::talent::bulk::{change_people, chosen, move_many, plan_moves};
use useit_core::clock;
use useit_core::i18n::{Message, t};
use useit_core::talent::bulk::{BulkAction, BulkMoveInput, BulkPeopleInput};
use useit_core::talent::casework::{Barrier, PlacementStatus, Support, WorkOutcome};
use useit_core::talent::person::{PeopleParams, Person};
use useit_core::talent::placement::PlacementParams;
use useit_core::talent::record::RecordInput;

use super::people::{caseworker_choices, list_query, list_view};
use super::view::{base, choices, profession_name, professions, stage_label};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

type Pairs = Vec<(String, String)>;

fn one(pairs: &Pairs, key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn all(pairs: &Pairs, key: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

fn confirmed(pairs: &Pairs) -> bool {
    one(pairs, "confirmed") == "yes"
}

/// The bulk change a form sends: the ticked `people`, the `action`, the
/// `caseworker`, and the record's fields under the names the person page
/// uses.
fn people_input(pairs: &Pairs) -> BulkPeopleInput {
    let skip = ["people", "action", "caseworker", "confirmed", "_csrf"];
    let fields: BTreeMap<&str, &str> = pairs
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let record: RecordInput = serde_json::to_value(fields)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    BulkPeopleInput {
        people: all(pairs, "people"),
        action: one(pairs, "action"),
        caseworker: one(pairs, "caseworker"),
        record,
    }
}

pub struct ChosenPerson {
    pub id: String,
    pub name: String,
    pub profession: String,
    pub stage: String,
}

#[derive(Template)]
#[template(path = "talent/bulk_people.html")]
struct BulkPeoplePage {
    layout: Layout,
    base: String,
    back: String,
    errors: FormErrors,
    action: String,
    action_label: String,
    count: u64,
    people: Vec<ChosenPerson>,
    form: RecordInput,
    caseworker: String,
    step_choices: Vec<Choice>,
    barrier_choices: Vec<Choice>,
    support_choices: Vec<Choice>,
    work_choices: Vec<Choice>,
    caseworker_choices: Vec<Choice>,
}

/// The steps of every chosen person's pathway today, each once, in
/// pathway order.
fn step_choices(people: &[Person]) -> Vec<Choice> {
    let today = clock::today();
    let mut out = vec![Choice::new("", t("talent.record.choose_step"))];
    let mut seen: Vec<String> = Vec::new();
    for p in people {
        let Some(prof) = professions().get(&p.draft.profession) else {
            continue;
        };
        for s in &prof.rules_at(today).steps {
            if !seen.contains(&s.code) {
                seen.push(s.code.clone());
                out.push(Choice::new(s.code.clone(), s.name.clone()));
            }
        }
    }
    out
}

async fn confirm_page(
    app: &AppState,
    ctx: &Ctx,
    back: String,
    action: BulkAction,
    people: Vec<Person>,
    input: &BulkPeopleInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let caseworker_choices = if action == BulkAction::Caseworker {
        caseworker_choices(app, ctx, "talent.person.no_caseworker").await?
    } else {
        Vec::new()
    };
    let mut form = input.record.clone();
    if form.work.is_empty() {
        form.work = WorkOutcome::Nhs.slug().into();
    }
    let title = Message::new("talent.bulk.title")
        .arg("count", people.len())
        .text();
    let page = BulkPeoplePage {
        layout: Layout::new(app, ctx, title, "talent")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        back,
        action: action.slug().into(),
        action_label: t(action.label_key()).into(),
        step_choices: step_choices(&people),
        count: people.len() as u64,
        people: people
            .iter()
            .map(|p| ChosenPerson {
                id: p.id.to_string(),
                name: p.draft.full_name.clone(),
                profession: profession_name(&p.draft.profession),
                stage: stage_label(p.stage),
            })
            .collect(),
        form,
        caseworker: input.caseworker.clone(),
        barrier_choices: choices(
            Barrier::ALL,
            |b| (b.slug().into(), b.label_key()),
            Some("talent.barrier.choose"),
        ),
        support_choices: choices(
            Support::ALL,
            |s| (s.slug().into(), s.label_key()),
            Some("talent.support.choose"),
        ),
        work_choices: choices(WorkOutcome::ALL, |w| (w.slug().into(), w.label_key()), None),
        caseworker_choices,
        errors,
    };
    render_status(page.errors.status(), &page)
}

/// `POST /p/{p}/talent/people/bulk`: from the list, the confirmation page
/// (or the list again with what is wrong with the ticks); from the
/// confirmation page, the change, then the list with a message.
pub async fn people_bulk(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PeopleParams>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    let input = people_input(&pairs);
    let store = app.store.as_ref();
    let caller = ctx.caller()?;
    let back = list_query(&p);
    let mut errors = FormErrors::default();
    if confirmed(&pairs) {
        match change_people(store, &caller, &input, &|_| {}).await {
            Ok(done) => {
                let said = Message::new(done.action.done_key())
                    .arg("count", done.people.len())
                    .text();
                ctx.flash(said).await;
                let to = format!("{}/people{back}", base(&ctx)?);
                return Ok(Redirect::to(&to).into_response());
            }
            Err(e) => errors = FormErrors::from_error(e.into(), &[])?,
        }
    }
    match chosen(store, &caller, &input).await {
        Ok((asked, people)) => {
            Ok(confirm_page(&app, &ctx, back, asked.action, people, &input, errors).await?)
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(list_view(&app, &ctx, p, errors, &input).await?)
        }
    }
}

pub struct ChosenPlacement {
    pub id: String,
    pub person: String,
    pub vacancy: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "talent/bulk_placements.html")]
struct BulkPlacementsPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    status: String,
    lead: String,
    on: String,
    count: u64,
    placements: Vec<ChosenPlacement>,
}

/// `POST /p/{p}/talent/placements/bulk`: the ticked placements of the
/// matching page and one move, confirmed on a page that lists them.
pub async fn placements_bulk(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    let input = BulkMoveInput {
        placements: all(&pairs, "placements"),
        status: one(&pairs, "status"),
        on: one(&pairs, "on"),
    };
    let store = app.store.as_ref();
    let caller = ctx.caller()?;
    let mut errors = FormErrors::default();
    if confirmed(&pairs) {
        match move_many(store, &caller, &input).await {
            Ok(done) => {
                let said = Message::new("talent.bulk.done.moved")
                    .arg("count", done.len())
                    .text();
                ctx.flash(said).await;
                let to = format!("{}/matching#placements", base(&ctx)?);
                return Ok(Redirect::to(&to).into_response());
            }
            Err(e) => errors = FormErrors::from_error(e.into(), &[])?,
        }
    }
    let plan = match plan_moves(store, &caller, &input).await {
        Ok(plan) => plan,
        Err(e) => {
            // The matching page has a status and a date on every row: the
            // bulk form's own are `bulk_status` and `bulk_on`.
            let mut errors = FormErrors::from_error(e.into(), &[])?;
            for e in &mut errors.items {
                if e.field == "status" || e.field == "on" {
                    e.field = format!("bulk_{}", e.field);
                }
                e.anchor = e.field.clone();
            }
            let params = PlacementParams::default();
            return Ok(super::matching::matching_view(&app, &ctx, params, errors).await?);
        }
    };
    let title = Message::new("talent.bulk.move_title")
        .arg("count", plan.placements.len())
        .text();
    let page = BulkPlacementsPage {
        layout: Layout::new(&app, &ctx, title, "talent")
            .await?
            .with_errors(&errors),
        base: base(&ctx)?,
        status: plan.status.slug().into(),
        lead: Message::new("talent.bulk.move_lead")
            .arg("status", t(&plan.status.label_key()))
            .arg("on", clock::display_date(plan.on))
            .text(),
        on: plan.on.to_string(),
        count: plan.placements.len() as u64,
        placements: plan
            .placements
            .iter()
            .map(|pl| ChosenPlacement {
                id: pl.id.to_string(),
                person: pl
                    .person_name
                    .clone()
                    .unwrap_or_else(|| t("talent.person.erased_title").to_string()),
                vacancy: pl.vacancy_title.clone(),
                status: t(&pl.status.label_key()).into(),
            })
            .collect(),
        errors,
    };
    Ok(render_status(page.errors.status(), &page)?)
}

/// The statuses a bulk move can go to (every one but the first).
pub fn move_choices() -> Vec<Choice> {
    let mut v = vec![Choice::new("", t("talent.placement.choose_status"))];
    v.extend(
        PlacementStatus::ALL
            .iter()
            .filter(|s| **s != PlacementStatus::Proposed)
            .map(|s| Choice::new(s.slug(), t(&s.label_key()))),
    );
    v
}
