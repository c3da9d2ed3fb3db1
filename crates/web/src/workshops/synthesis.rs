//! The organiser's synthesis (notes into success factors, obstacles and
//! transferability factors; actions with owners and cities) and the
//! printable summary everyone in the programme may read.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::workshops::{Summary, add_action, group_notes, remove_action, summary};
use useit_core::clock;
use useit_core::i18n::t;
use useit_core::workshops::note::{Action, ActionInput, Group, GroupInput};
use useit_core::workshops::workshop::Question;
use uuid::Uuid;

use super::view::{NoteLine, base, groups, note_line, shape};
use super::workshop::{TableHarvest, harvest, tally_rows};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct ActionLine {
    pub remove: String,
    pub action: String,
    pub owner: String,
    pub city: String,
}

fn action_line(here: &str, a: &Action) -> ActionLine {
    ActionLine {
        remove: format!("{here}/actions/{}/remove", a.id),
        action: a.draft.action.clone(),
        owner: a.draft.owner.clone(),
        city: a.draft.city.clone(),
    }
}

#[derive(Template)]
#[template(path = "workshops/synthesis.html")]
struct SynthesisPage {
    layout: Layout,
    here: String,
    title: String,
    notes: Vec<NoteLine>,
    groups: Vec<Choice>,
    actions: Vec<ActionLine>,
    errors: FormErrors,
    form: ActionInput,
}

async fn synthesis_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    form: ActionInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let s = summary(app.store.as_ref(), &ctx.caller()?, id).await?;
    let here = format!("{}/{id}", base(ctx)?);
    let title = s.workshop.draft.title.clone();
    render_status(
        errors.status(),
        &SynthesisPage {
            layout: Layout::new(
                app,
                ctx,
                format!("{} – {title}", t("workshops.synthesis.title")),
                "workshops",
            )
            .await?
            .with_errors(&errors),
            notes: s.notes.iter().map(note_line).collect(),
            groups: groups(),
            actions: s.actions.iter().map(|a| action_line(&here, a)).collect(),
            here,
            title,
            errors,
            form,
        },
    )
}

pub async fn synthesis_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(synthesis_view(
        &app,
        &ctx,
        id,
        ActionInput::default(),
        FormErrors::default(),
    )
    .await?)
}

/// Saves the grouping: one `group_<note id>` field per note.
pub async fn synthesis_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input: Vec<GroupInput> = pairs
        .iter()
        .filter_map(|(k, v)| {
            Some(GroupInput {
                note: k.strip_prefix("group_")?.to_string(),
                group: v.clone(),
            })
        })
        .collect();
    match group_notes(app.store.as_ref(), &ctx.caller()?, id, &input).await {
        Ok(()) => {
            ctx.flash(t("workshops.synthesis.saved")).await;
            Ok(Redirect::to(&format!("{}/{id}/synthesis", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(synthesis_view(&app, &ctx, id, ActionInput::default(), errors).await?)
        }
    }
}

pub async fn action_add(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<ActionInput>,
) -> Result<Response, PageError> {
    match add_action(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(_) => {
            ctx.flash(t("workshops.action.added")).await;
            Ok(Redirect::to(&format!("{}/{id}/synthesis#actions", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(synthesis_view(&app, &ctx, id, f, errors).await?)
        }
    }
}

pub async fn action_remove(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id, action)): Path<(String, Uuid, Uuid)>,
) -> Result<Response, PageError> {
    remove_action(app.store.as_ref(), &ctx.caller()?, id, action).await?;
    ctx.flash(t("workshops.action.removed")).await;
    Ok(Redirect::to(&format!("{}/{id}/synthesis#actions", base(&ctx)?)).into_response())
}

/// One group of the synthesis, for the summary.
pub struct GroupSection {
    pub heading: String,
    pub notes: Vec<NoteLine>,
}

pub fn sections(s: &Summary) -> Vec<GroupSection> {
    Group::ALL
        .iter()
        .map(|g| GroupSection {
            heading: t(&format!("workshops.summary.{}", g.slug())).into(),
            notes: s.grouped(*g).into_iter().map(note_line).collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "workshops/summary.html")]
struct SummaryPage {
    layout: Layout,
    back: String,
    title: String,
    held_on: String,
    place: String,
    part_of: String,
    case_study: String,
    case_study_url: String,
    shape: String,
    questions: Vec<String>,
    sections: Vec<GroupSection>,
    actions: Vec<ActionLine>,
    tally: Vec<(String, String)>,
    /// The notes' answers are left out for this role (see the tally).
    answers_withheld: bool,
    harvest: Vec<TableHarvest>,
    reflections: Vec<NoteLine>,
}

pub async fn summary_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let s = summary(app.store.as_ref(), &ctx.caller()?, id).await?;
    let back = format!("{}/{id}", base(&ctx)?);
    let d = &s.workshop.draft;
    Ok(render(&SummaryPage {
        layout: Layout::new(
            &app,
            &ctx,
            format!("{} – {}", t("workshops.summary.title"), d.title),
            "workshops",
        )
        .await?,
        title: d.title.clone(),
        held_on: clock::display_date(d.held_on),
        place: d.place.clone(),
        part_of: d.part_of.clone().unwrap_or_default(),
        case_study: d.case_study.clone(),
        case_study_url: d.case_study_url.clone().unwrap_or_default(),
        shape: shape(&s.workshop),
        questions: Question::ALL
            .iter()
            .map(|q| t(&format!("workshops.question_full.{}", q.slug())).to_string())
            .collect(),
        sections: sections(&s),
        actions: s.actions.iter().map(|a| action_line(&back, a)).collect(),
        tally: tally_rows(&s),
        answers_withheld: s.answers_withheld,
        harvest: harvest(&s),
        reflections: s.reflections().into_iter().map(note_line).collect(),
        back,
    })?)
}
