//! The programme's spend settings: influenceable-spend rules, the city
//! region, the radius around sites and the LM3 inputs.

use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::anchors::settings::{city_region_choices, save_spend_settings, spend_settings};
use useit_core::anchors::settings::{SpendSettingsInput, city_region_in_words};
use useit_core::i18n::t;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "anchors/settings.html")]
struct SettingsPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: SpendSettingsInput,
    /// Each rule as typed and in words, for the rules typed in the box.
    rules: Vec<(String, String)>,
    /// Each supplier kind as a rule writes it, with its name beside it.
    kinds: Vec<(String, String)>,
    /// Where the re-spend shares came from, in words: the survey (with the
    /// shares before it), or typed here.
    respend_source: String,
    /// The saved city region's authorities, by name with their codes, for
    /// whoever needs the codes.
    city_codes: Vec<(String, String)>,
}

fn respend_source(lm3: &useit_core::anchors::measures::Lm3Inputs) -> String {
    use useit_core::figures::percent_bp;
    let range = |bp: (i64, i64)| format!("{}–{}", percent_bp(bp.0), percent_bp(bp.1));
    match &lm3.source {
        Some(s) => useit_core::i18n::tf(
            "anchors.spend.settings.from_survey",
            &[
                ("source", &s.citation()),
                ("supplier_before", &range(s.previous_supplier_bp)),
                ("staff_before", &range(s.previous_staff_bp)),
            ],
        ),
        None => t("anchors.spend.settings.from_typed").to_string(),
    }
}

/// The typed rules that read, each with its words; a line that does not
/// read is left to the form's error.
fn rules_in_words(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(useit_core::anchors::measures::InfluenceRule::parse)
        .map(|r| (r.describe(), r.in_words()))
        .collect()
}

async fn settings_page(
    app: &AppState,
    ctx: &Ctx,
    form: SpendSettingsInput,
    errors: FormErrors,
) -> Result<SettingsPage, AppError> {
    let saved = spend_settings(app.store.as_ref(), &ctx.caller()?).await?;
    let known = city_region_choices(app.store.as_ref(), &ctx.caller()?).await?;
    let city_codes = saved
        .city_region
        .iter()
        .map(|c| {
            let name = known
                .iter()
                .find(|(code, _)| code == c)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| c.clone());
            (name, c.clone())
        })
        .collect();
    Ok(SettingsPage {
        city_codes,
        layout: Layout::new(app, ctx, t("anchors.spend.settings.title"), "anchors")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        errors,
        rules: rules_in_words(&form.rules),
        kinds: useit_core::anchors::measures::SupplierKind::ALL
            .iter()
            .map(|k| {
                (
                    k.slug().to_string(),
                    t(&format!("anchors.supplier.kind.{}", k.slug())).to_string(),
                )
            })
            .collect(),
        respend_source: respend_source(&saved.lm3),
        form,
    })
}

pub async fn settings_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let s = spend_settings(app.store.as_ref(), &ctx.caller()?).await?;
    let known = city_region_choices(app.store.as_ref(), &ctx.caller()?).await?;
    let form = SpendSettingsInput {
        city_region: city_region_in_words(&s.city_region, &known),
        ..SpendSettingsInput::of(&s)
    };
    Ok(render(
        &settings_page(&app, &ctx, form, FormErrors::default()).await?,
    )?)
}

pub async fn settings_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SpendSettingsInput>,
) -> Result<Response, PageError> {
    match save_spend_settings(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(_) => {
            ctx.flash(t("anchors.spend.settings.saved")).await;
            Ok(Redirect::to(&format!("{}/spend", base(&ctx)?)).into_response())
        }
        Err(useit_app::Error::Invalid(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            let page = settings_page(&app, &ctx, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
