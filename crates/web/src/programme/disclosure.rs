//! The programme's settings page: the disclosure threshold every published
//! count of people is held to.

use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::programme::disclosure::{disclosure_settings, save_disclosure_settings};
use useit_core::auth::Capability;
use useit_core::disclosure::{DEFAULT_K, DisclosureSettingsInput, MAX_K, MIN_K};
use useit_core::i18n::{t, tf};

use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "programme/settings.html")]
struct SettingsPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: DisclosureSettingsInput,
    hint: String,
    can_edit: bool,
    can_export: bool,
    /// The programme whose model this one was started from.
    modelled_on: Option<String>,
}

async fn view(
    app: &AppState,
    ctx: &Ctx,
    form: DisclosureSettingsInput,
    errors: FormErrors,
) -> Result<SettingsPage, AppError> {
    Ok(SettingsPage {
        // Small numbers hidden from roles without personal data are
        // explained with the roles, on the members' help page.
        layout: Layout::new(app, ctx, t("programme.settings.title"), "programme")
            .await?
            .help_topic("members")
            .with_errors(&errors),
        base: format!("/p/{}", ctx.programme()?.slug),
        errors,
        form,
        hint: tf(
            "programme.settings.k_hint",
            &[
                ("min", &MIN_K.to_string()),
                ("max", &MAX_K.to_string()),
                ("default", &DEFAULT_K.to_string()),
            ],
        ),
        can_edit: ctx.can(Capability::ManageDisclosure),
        can_export: ctx.can(Capability::ExportModel),
        modelled_on: useit_app::programme::model::started_from(app.store.as_ref(), &ctx.caller()?)
            .await?
            .map(|(name, _)| name),
    })
}

pub async fn settings_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let s = disclosure_settings(app.store.as_ref(), &ctx.caller()?).await?;
    let form = DisclosureSettingsInput {
        k: s.k().to_string(),
    };
    Ok(render(
        &view(&app, &ctx, form, FormErrors::default()).await?,
    )?)
}

pub async fn settings_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<DisclosureSettingsInput>,
) -> Result<Response, PageError> {
    match save_disclosure_settings(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(s) => {
            ctx.flash(tf("programme.settings.saved", &[("k", &s.k().to_string())]))
                .await;
            Ok(Redirect::to(&format!("/p/{}/settings", ctx.programme()?.slug)).into_response())
        }
        Err(useit_app::Error::Invalid(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            let page = view(&app, &ctx, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
