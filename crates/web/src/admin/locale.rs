//! A programme's currency and language, set by a deployment administrator:
//! a city outside the UK (Lille) shows its money in euros the French way.
//! Amounts are never converted; they were always in its own currency.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::programme::programmes::{programme_by_slug, set_programme_locale};
use useit_core::i18n::{t, tf};
use useit_core::programme::{Programme, ProgrammeLocaleInput};

use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{
    Choice, FormErrors, Layout, currency_choices, language_choices, render_status,
};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/programme_locale.html")]
struct LocalePage {
    layout: Layout,
    errors: FormErrors,
    programme: Programme,
    currencies: Vec<Choice>,
    languages: Vec<Choice>,
    form: ProgrammeLocaleInput,
    example: String,
}

async fn page(
    app: &AppState,
    ctx: &Ctx,
    programme: Programme,
    form: ProgrammeLocaleInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let status = errors.status();
    let layout = Layout::new(app, ctx, t("admin.locale.title"), "admin")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &LocalePage {
            layout,
            errors,
            example: programme.money_style().show(123_456),
            currencies: currency_choices(),
            languages: language_choices(),
            programme,
            form,
        },
    )
}

pub async fn locale_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let p = programme_by_slug(app.store.as_ref(), &ctx.operator()?, &slug).await?;
    let form = ProgrammeLocaleInput {
        currency: p.currency.code().into(),
        language: p.language.code().into(),
    };
    Ok(page(&app, &ctx, p, form, FormErrors::default()).await?)
}

pub async fn save_locale(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<ProgrammeLocaleInput>,
) -> Result<Response, PageError> {
    let operator = ctx.operator()?;
    let p = programme_by_slug(app.store.as_ref(), &operator, &slug).await?;
    match set_programme_locale(app.store.as_ref(), &operator, p.id, &f).await {
        Ok(p) => {
            ctx.flash(tf(
                "admin.locale.saved",
                &[
                    ("name", &p.name),
                    ("example", &p.money_style().show(123_456)),
                ],
            ))
            .await;
            Ok(Redirect::to("/admin").into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(page(&app, &ctx, p, f, errors).await?)
        }
    }
}
