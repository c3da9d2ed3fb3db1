//! The programme's targets page: one row per counted indicator, a number and
//! an optional period; a blank number is no target. Only the programme
//! manager and the administrator reach it.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::programme::indicators::{save_targets, targets};
use useit_core::auth::Capability;
use useit_core::i18n::t;
use useit_core::programme::indicators::Indicator;
use useit_core::programme::targets::{TargetInput, TargetsInput};

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::route::{Route, page};
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let manage = Access::Programme(Capability::ManageTargets);
    vec![
        page(Method::GET, "/p/{programme}/targets", manage, targets_page),
        page(Method::POST, "/p/{programme}/targets", manage, targets_save),
    ]
}

/// One indicator's row of the form.
struct TargetRow {
    label: String,
    definition: String,
    value_field: String,
    from_field: String,
    to_field: String,
    value: String,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "programme/targets.html")]
struct TargetsPage {
    layout: Layout,
    back: String,
    errors: FormErrors,
    rows: Vec<TargetRow>,
}

/// Every counted indicator, with what was typed (or saved) for it.
fn rows(input: &TargetsInput) -> Vec<TargetRow> {
    Indicator::ALL
        .into_iter()
        .filter(|i| i.is_count())
        .map(|i| {
            let slug = i.slug();
            let typed = input
                .targets
                .iter()
                .find(|r| r.indicator == slug)
                .cloned()
                .unwrap_or_default();
            TargetRow {
                label: t(&i.label_key()).to_string(),
                definition: t(&i.definition_key()).to_string(),
                value_field: TargetInput::field(slug, "value"),
                from_field: TargetInput::field(slug, "from"),
                to_field: TargetInput::field(slug, "to"),
                value: typed.value,
                from: typed.from,
                to: typed.to,
            }
        })
        .collect()
}

async fn view(
    app: &AppState,
    ctx: &Ctx,
    input: &TargetsInput,
    errors: FormErrors,
) -> Result<TargetsPage, AppError> {
    Ok(TargetsPage {
        layout: Layout::new(app, ctx, t("targets.title"), "home")
            .await?
            .with_errors(&errors),
        back: format!("/p/{}", ctx.programme()?.slug),
        errors,
        rows: rows(input),
    })
}

async fn targets_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let saved = targets(app.store.as_ref(), &ctx.caller()?).await?;
    let input = TargetsInput {
        targets: saved.iter().map(TargetInput::of).collect(),
    };
    Ok(render(
        &view(&app, &ctx, &input, FormErrors::default()).await?,
    )?)
}

/// The form's flat fields (`talent_engaged_value`, …) as the rows the rule reads.
fn from_form(fields: &HashMap<String, String>) -> TargetsInput {
    let get = |slug: &str, part: &str| {
        fields
            .get(&TargetInput::field(slug, part))
            .cloned()
            .unwrap_or_default()
    };
    TargetsInput {
        targets: Indicator::ALL
            .into_iter()
            .filter(|i| i.is_count())
            .map(|i| TargetInput {
                indicator: i.slug().to_string(),
                value: get(i.slug(), "value"),
                from: get(i.slug(), "from"),
                to: get(i.slug(), "to"),
            })
            .collect(),
    }
}

async fn targets_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let input = from_form(&fields);
    match save_targets(app.store.as_ref(), &ctx.caller()?, &input).await {
        Ok(_) => {
            ctx.flash(t("targets.saved").to_string()).await;
            Ok(Redirect::to(&format!("/p/{}#achieved", ctx.programme()?.slug)).into_response())
        }
        Err(useit_app::Error::Invalid(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            let page = view(&app, &ctx, &input, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
