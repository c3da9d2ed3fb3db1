//! Adding, changing and ending an interaction: one form, checked by
//! `InteractionInput::validate` (every bad field named) and saved through
//! the same use cases as the API and the import.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::anchors::anchor::anchors;
use useit_app::anchors::interactions::{
    add_interaction, edit_interaction, end_interaction, input_of, interaction, organisation_choices,
};
use useit_core::anchors::interactions::InteractionInput;
use useit_core::i18n::{t, tf};
use useit_core::validation::parse_date;
use uuid::Uuid;

use super::interactions::kind_choices;
use super::view::{anchor_choices, base};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::DateParts;
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// Above this many organisations in the register the form asks for the
/// identifier instead of offering a list too long to scroll.
const MOST_TO_LIST: usize = 300;

#[derive(Template)]
#[template(path = "anchors/interaction_form.html")]
struct FormPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    action: String,
    anchors: Vec<Choice>,
    /// Empty when the register is too long to list: a text box instead.
    organisations: Vec<Choice>,
    kinds: Vec<Choice>,
    form: InteractionInput,
    started_on: DateParts,
    ended_on: DateParts,
}

/// The form as posted: dates in GOV.UK's three boxes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InteractionForm {
    anchor: String,
    organisation: String,
    kind: String,
    started_on_day: String,
    started_on_month: String,
    started_on_year: String,
    ended_on_day: String,
    ended_on_month: String,
    ended_on_year: String,
    evidence: String,
}

fn parts(day: &str, month: &str, year: &str) -> DateParts {
    DateParts {
        day: day.into(),
        month: month.into(),
        year: year.into(),
    }
}

impl InteractionForm {
    fn input(&self) -> InteractionInput {
        InteractionInput {
            anchor: self.anchor.clone(),
            organisation: self.organisation.clone(),
            kind: self.kind.clone(),
            started_on: parts(
                &self.started_on_day,
                &self.started_on_month,
                &self.started_on_year,
            )
            .iso(),
            ended_on: parts(
                &self.ended_on_day,
                &self.ended_on_month,
                &self.ended_on_year,
            )
            .iso(),
            evidence: self.evidence.clone(),
        }
    }
}

const DATES: &[&str] = &["started_on", "ended_on"];

async fn form_page(
    app: &AppState,
    ctx: &Ctx,
    editing: Option<Uuid>,
    form: InteractionInput,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let caller = ctx.caller()?;
    let base = base(ctx)?;
    let list = anchors(app.store.as_ref(), &caller).await?;
    let orgs = organisation_choices(app.store.as_ref(), &caller, MOST_TO_LIST).await?;
    let organisations = if let Some(orgs) = orgs {
        let mut v = vec![Choice::new(
            "",
            t("anchors.interactions.choose_organisation"),
        )];
        v.extend(orgs.into_iter().map(|(id, name)| Choice::new(id, name)));
        v
    } else {
        Vec::new()
    };
    let (title, action) = match editing {
        Some(id) => (
            t("anchors.interactions.edit.title"),
            format!("{base}/interactions/{id}"),
        ),
        None => (
            t("anchors.interactions.new.title"),
            format!("{base}/interactions"),
        ),
    };
    let layout = Layout::new(app, ctx, title, "interactions")
        .await?
        .with_errors(&errors);
    let date = |s: &str| -> DateParts {
        match parse_date(s.trim()) {
            Some(d) => DateParts::from_date(Some(d)),
            None => {
                let mut bits = s.split('/');
                let day = bits.next().unwrap_or("").to_string();
                let month = bits.next().unwrap_or("").to_string();
                let year = bits.next().unwrap_or("").to_string();
                DateParts { day, month, year }
            }
        }
    };
    Ok(FormPage {
        layout,
        errors,
        action,
        anchors: anchor_choices(&list, "anchors.spend.import.choose_anchor"),
        organisations,
        kinds: kind_choices("anchors.interactions.choose_kind"),
        started_on: date(&form.started_on),
        ended_on: date(&form.ended_on),
        form,
        base,
    })
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let page = form_page(&app, &ctx, None, Default::default(), FormErrors::default()).await?;
    Ok(render_status(StatusCode::OK, &page)?)
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<InteractionForm>,
) -> Result<Response, PageError> {
    let input = f.input();
    match add_interaction(app.store.as_ref(), &ctx.caller()?, &input).await {
        Ok(_) => {
            ctx.flash(t("anchors.interactions.saved")).await;
            Ok(Redirect::to(&format!("{}/interactions", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), DATES)?;
            let page = form_page(&app, &ctx, None, input, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

fn id_of(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

pub async fn edit_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, raw)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = id_of(&raw)?;
    let held = interaction(app.store.as_ref(), &ctx.caller()?, id).await?;
    let page = form_page(&app, &ctx, Some(id), input_of(&held), FormErrors::default()).await?;
    Ok(render_status(StatusCode::OK, &page)?)
}

pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, raw)): Path<(String, String)>,
    Form(f): Form<InteractionForm>,
) -> Result<Response, PageError> {
    let id = id_of(&raw)?;
    let input = f.input();
    match edit_interaction(app.store.as_ref(), &ctx.caller()?, id, &input).await {
        Ok(_) => {
            ctx.flash(t("anchors.interactions.saved")).await;
            Ok(Redirect::to(&format!("{}/interactions", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), DATES)?;
            let page = form_page(&app, &ctx, Some(id), input, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

#[derive(Template)]
#[template(path = "anchors/interaction_end.html")]
struct EndPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    action: String,
    summary: String,
    ended_on: DateParts,
}

async fn end_page(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    ended_on: DateParts,
    errors: FormErrors,
) -> Result<EndPage, AppError> {
    let held = interaction(app.store.as_ref(), &ctx.caller()?, id).await?;
    let base = base(ctx)?;
    let layout = Layout::new(
        app,
        ctx,
        t("anchors.interactions.end.title"),
        "interactions",
    )
    .await?
    .with_errors(&errors);
    Ok(EndPage {
        layout,
        errors,
        action: format!("{base}/interactions/{id}/end"),
        summary: tf(
            "anchors.interactions.end.summary",
            &[
                ("anchor", &held.anchor_name),
                ("organisation", &held.organisation_name),
                ("kind", t(held.kind.label_key())),
                ("started", &useit_core::clock::display_date(held.started_on)),
            ],
        ),
        ended_on,
        base,
    })
}

pub async fn end_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, raw)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = id_of(&raw)?;
    let page = end_page(&app, &ctx, id, DateParts::default(), FormErrors::default()).await?;
    Ok(render_status(StatusCode::OK, &page)?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EndForm {
    ended_on_day: String,
    ended_on_month: String,
    ended_on_year: String,
}

pub async fn end(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, raw)): Path<(String, String)>,
    Form(f): Form<EndForm>,
) -> Result<Response, PageError> {
    let id = id_of(&raw)?;
    let date = parts(&f.ended_on_day, &f.ended_on_month, &f.ended_on_year);
    match end_interaction(app.store.as_ref(), &ctx.caller()?, id, &date.iso()).await {
        Ok(_) => {
            ctx.flash(t("anchors.interactions.ended")).await;
            Ok(Redirect::to(&format!("{}/interactions", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), DATES)?;
            let page = end_page(&app, &ctx, id, date, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}
