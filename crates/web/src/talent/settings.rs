//! The strand's settings: targets and how agency savings are costed.

use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::talent::settings::{save_talent_settings, talent_settings};
use useit_core::i18n::t;
use useit_core::talent::settings::TalentSettingsInput;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "talent/settings.html")]
struct SettingsPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: TalentSettingsInput,
}

async fn settings_view(
    app: &AppState,
    ctx: &Ctx,
    form: TalentSettingsInput,
    errors: FormErrors,
) -> Result<SettingsPage, AppError> {
    Ok(SettingsPage {
        layout: Layout::new(app, ctx, t("talent.settings.title"), "talent")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        errors,
        form,
    })
}

pub async fn settings_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let s = talent_settings(app.store.as_ref(), &ctx.caller()?).await?;
    let form = TalentSettingsInput::of(&s);
    Ok(render(
        &settings_view(&app, &ctx, form, FormErrors::default()).await?,
    )?)
}

pub async fn settings_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<TalentSettingsInput>,
) -> Result<Response, PageError> {
    match save_talent_settings(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(_) => {
            ctx.flash(t("talent.settings.saved").to_string()).await;
            Ok(Redirect::to(&base(&ctx)?).into_response())
        }
        Err(useit_app::Error::Invalid(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            let page = settings_view(&app, &ctx, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
