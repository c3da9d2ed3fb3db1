//! The guest's note form: what a participant without an account reaches
//! through the link the organiser shared. It shows one workshop's title,
//! case study and note form, nothing else; the link's secret in the path is
//! the whole of the guest's right, checked by the app on every request.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::workshops::guest;
use useit_core::clock;
use useit_core::i18n::{t, tf};
use useit_core::workshops::note::NoteInput;
use useit_core::workshops::workshop::WorkshopDraft;

use super::view::{answers, questions};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// The note form's fields and choices, for a guest or the organiser.
pub struct NoteForm {
    pub form: NoteInput,
    pub places: Vec<Choice>,
    pub rounds: Vec<Choice>,
    pub questions: Vec<Choice>,
    pub answers: Vec<Choice>,
}

impl NoteForm {
    pub fn new(w: &WorkshopDraft, form: NoteInput) -> NoteForm {
        let mut places = vec![Choice::new("", t("workshops.note.reflection"))];
        places.extend(w.tables.iter().map(|table| {
            Choice::new(
                table.number.to_string(),
                tf(
                    "workshops.note.table_choice",
                    &[
                        ("table", &table.number.to_string()),
                        ("host", &table.host),
                        ("question", t(&table.question.label_key())),
                    ],
                ),
            )
        }));
        let mut rounds = vec![Choice::new("", t("workshops.note.no_round"))];
        rounds.extend((1..=w.rounds).map(|r| {
            Choice::new(
                r.to_string(),
                tf("workshops.round", &[("round", &r.to_string())]),
            )
        }));
        NoteForm {
            form,
            places,
            rounds,
            questions: questions(Some("workshops.note.table_question")),
            answers: answers(),
        }
    }
}

#[derive(Template)]
#[template(path = "workshops/guest.html")]
struct GuestPage {
    layout: Layout,
    action: String,
    title: String,
    held_on: String,
    place: String,
    case_study: String,
    closes: String,
    added: bool,
    note: NoteForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Added {
    pub added: String,
}

async fn guest_view(
    app: &AppState,
    ctx: &Ctx,
    secret: &str,
    form: NoteInput,
    errors: FormErrors,
    added: bool,
) -> Result<Response, AppError> {
    let v = guest::open(app.store.as_ref(), secret).await?;
    let d = &v.workshop.draft;
    render_status(
        errors.status(),
        &GuestPage {
            layout: Layout::new(app, ctx, d.title.clone(), "")
                .await?
                .with_errors(&errors),
            action: format!("/guest/workshops/{secret}"),
            title: d.title.clone(),
            held_on: clock::display_date(d.held_on),
            place: d.place.clone(),
            case_study: d.case_study.clone(),
            closes: clock::display(v.link.expires_at),
            added,
            note: NoteForm::new(d, form),
            errors,
        },
    )
}

pub async fn guest_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
    Query(q): Query<Added>,
) -> Result<Response, PageError> {
    Ok(guest_view(
        &app,
        &ctx,
        &secret,
        NoteInput::default(),
        FormErrors::default(),
        q.added == "yes",
    )
    .await?)
}

pub async fn guest_note(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
    Form(f): Form<NoteInput>,
) -> Result<Response, PageError> {
    match guest::add_note_from(app.store.as_ref(), &secret, &f, ctx.actor().address).await {
        Ok(_) => Ok(Redirect::to(&format!("/guest/workshops/{secret}?added=yes")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(guest_view(&app, &ctx, &secret, f, errors, false).await?)
        }
    }
}
