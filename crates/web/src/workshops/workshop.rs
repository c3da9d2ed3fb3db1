//! One workshop: its plan and case study, the harvest by table and round
//! and from individual reflection, the tally, and for the organiser the
//! guest links, a note form and the plan form.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::workshops::{
    Summary, add_note, guest_links, open_guest_link, revoke_guest_link, save_workshop, summary,
};
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::{t, tf};
use useit_core::workshops::guest::{GuestLink, GuestLinkInput};
use useit_core::workshops::note::NoteInput;
use useit_core::workshops::workshop::WorkshopInput;
use uuid::Uuid;

use super::guest::NoteForm;
use super::view::{NoteLine, PlanRow, base, link_hours, note_line, plan_rows, questions, shape};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// One table's harvest, round by round.
pub struct TableHarvest {
    pub heading: String,
    pub question: String,
    pub rounds: Vec<(String, Vec<NoteLine>)>,
}

pub fn harvest(s: &Summary) -> Vec<TableHarvest> {
    s.workshop
        .draft
        .tables
        .iter()
        .map(|table| TableHarvest {
            heading: tf(
                "workshops.table_heading",
                &[("table", &table.number.to_string()), ("host", &table.host)],
            ),
            question: t(&table.question.label_key()).into(),
            rounds: (1..=s.workshop.draft.rounds)
                .map(|r| {
                    (
                        tf("workshops.round", &[("round", &r.to_string())]),
                        s.at(table.number, r).into_iter().map(note_line).collect(),
                    )
                })
                .collect(),
        })
        .collect()
}

pub struct LinkLine {
    pub revoke: String,
    pub hint: String,
    pub expires: String,
    pub state: String,
    pub open: bool,
}

fn link_line(base: &str, l: &GuestLink) -> LinkLine {
    let now = clock::now();
    let open = l.is_open_at(now);
    LinkLine {
        revoke: format!("{base}/{}/links/{}/revoke", l.workshop_id, l.id),
        hint: format!("…{}", l.hint),
        expires: clock::display(l.expires_at),
        state: t(match (open, l.revoked_at.is_some()) {
            (true, _) => "workshops.link.open",
            (false, true) => "workshops.link.revoked",
            (false, false) => "workshops.link.expired",
        })
        .into(),
        open,
    }
}

#[derive(Template)]
#[template(path = "workshops/workshop.html")]
struct WorkshopPage {
    layout: Layout,
    base: String,
    here: String,
    title: String,
    held_on: String,
    place: String,
    part_of: String,
    case_study: String,
    case_study_url: String,
    shape: String,
    tables: Vec<(String, String, String)>,
    harvest: Vec<TableHarvest>,
    reflections: Vec<NoteLine>,
    tally: Vec<(String, String)>,
    /// The notes' answers are left out for this role (see the tally).
    answers_withheld: bool,
    organise: bool,
    links: Vec<LinkLine>,
    hours: Vec<Choice>,
    note: NoteForm,
    errors: FormErrors,
    form: WorkshopInput,
    rows: Vec<PlanRow>,
    questions: Vec<Choice>,
    /// A guest link just opened: shown once.
    opened: Option<String>,
}

/// What may be shown again after a refused form.
#[derive(Default)]
pub struct Refill {
    pub plan: Option<WorkshopInput>,
    pub note: Option<NoteInput>,
    pub errors: FormErrors,
    pub opened: Option<String>,
}

pub fn tally_rows(s: &Summary) -> Vec<(String, String)> {
    vec![
        (t("workshops.answer.yes").into(), s.tally.yes.text()),
        (t("workshops.answer.no").into(), s.tally.no.text()),
        (t("workshops.answer.maybe").into(), s.tally.maybe.text()),
        (t("workshops.tally.total").into(), s.tally.total.text()),
    ]
}

async fn workshop_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    refill: Refill,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let s = summary(app.store.as_ref(), &caller, id).await?;
    let base = base(ctx)?;
    let organise = ctx.can(Capability::OrganiseWorkshops);
    let links = if organise {
        guest_links(app.store.as_ref(), &caller, id)
            .await?
            .iter()
            .map(|l| link_line(&base, l))
            .collect()
    } else {
        Vec::new()
    };
    let d = &s.workshop.draft;
    let form = refill.plan.unwrap_or_else(|| d.to_input());
    let errors = refill.errors;
    render_status(
        errors.status(),
        &WorkshopPage {
            layout: Layout::new(app, ctx, d.title.clone(), "workshops")
                .await?
                .with_errors(&errors),
            here: format!("{base}/{id}"),
            base,
            title: d.title.clone(),
            held_on: clock::display_date(d.held_on),
            place: d.place.clone(),
            part_of: d.part_of.clone().unwrap_or_default(),
            case_study: d.case_study.clone(),
            case_study_url: d.case_study_url.clone().unwrap_or_default(),
            shape: shape(&s.workshop),
            tables: d
                .tables
                .iter()
                .map(|t_| {
                    (
                        t_.number.to_string(),
                        t_.host.clone(),
                        t(&t_.question.label_key()).to_string(),
                    )
                })
                .collect(),
            harvest: harvest(&s),
            reflections: s.reflections().into_iter().map(note_line).collect(),
            tally: tally_rows(&s),
            answers_withheld: s.answers_withheld,
            organise,
            links,
            hours: link_hours(),
            note: NoteForm::new(d, refill.note.unwrap_or_default()),
            rows: plan_rows(&form),
            errors,
            form,
            questions: questions(None),
            opened: refill.opened,
        },
    )
}

pub async fn workshop_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(workshop_view(&app, &ctx, id, Refill::default()).await?)
}

pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = WorkshopInput::from_form(&pairs);
    match save_workshop(app.store.as_ref(), &ctx.caller()?, Some(id), &f).await {
        Ok(w) => {
            ctx.flash(tf("workshops.saved", &[("title", &w.draft.title)]))
                .await;
            Ok(Redirect::to(&format!("{}/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let refill = Refill {
                plan: Some(f),
                errors: FormErrors::from_error(e.into(), &[])?,
                ..Default::default()
            };
            Ok(workshop_view(&app, &ctx, id, refill).await?)
        }
    }
}

pub async fn note_add(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<NoteInput>,
) -> Result<Response, PageError> {
    match add_note(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(_) => {
            ctx.flash(t("workshops.note.added")).await;
            Ok(Redirect::to(&format!("{}/{id}#harvest", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let refill = Refill {
                note: Some(f),
                errors: FormErrors::from_error(e.into(), &[])?,
                ..Default::default()
            };
            Ok(workshop_view(&app, &ctx, id, refill).await?)
        }
    }
}

/// The address a guest link opens, on the host the organiser is using.
pub fn guest_url(app: &AppState, headers: &HeaderMap, secret: &str) -> String {
    crate::http::link_on_this_host(&app.config, headers, &format!("/guest/workshops/{secret}"))
}

pub async fn link_open(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<GuestLinkInput>,
) -> Result<Response, PageError> {
    match open_guest_link(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        // The secret is shown on this page only: not a redirect, so it is
        // never in a URL the browser keeps in its history of this page.
        Ok(o) => {
            let refill = Refill {
                opened: Some(guest_url(&app, &headers, &o.secret)),
                ..Default::default()
            };
            Ok(workshop_view(&app, &ctx, id, refill).await?)
        }
        Err(e) => {
            let refill = Refill {
                errors: FormErrors::from_error(e.into(), &[])?,
                ..Default::default()
            };
            Ok(workshop_view(&app, &ctx, id, refill).await?)
        }
    }
}

pub async fn link_revoke(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id, link)): Path<(String, Uuid, Uuid)>,
) -> Result<Response, PageError> {
    revoke_guest_link(app.store.as_ref(), &ctx.caller()?, id, link).await?;
    ctx.flash(t("workshops.link.revoked_flash")).await;
    Ok(Redirect::to(&format!("{}/{id}#links", base(&ctx)?)).into_response())
}
