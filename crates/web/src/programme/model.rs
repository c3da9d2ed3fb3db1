//! The transfer kit on pages: the programme's model downloaded from its
//! settings page, and a deployment administrator starting a programme from
//! a model file on the new city's geography.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::programme::model::{NewFromModel, create_from_model, export_model};
use useit_core::i18n::{Message, t, tf};
use useit_core::programme::model::Geography;
use useit_core::programme::{ProgrammeInput, ProgrammeLocaleInput};
use useit_core::validation::FieldError;

use super::view::model_download;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::views::{
    Choice, FormErrors, Layout, currency_choices, language_choices, render_status,
};
use crate::i18n::filters;
use crate::state::AppState;

/// `GET /p/{programme}/model.json`: the same file as the API's.
pub async fn download(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let model = export_model(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(model_download(&ctx.programme()?.slug, model.to_file()))
}

/// The form as typed: the programme's fields and the new city's geography.
#[derive(Clone, Debug, Default)]
pub struct FromModelForm {
    pub programme: ProgrammeInput,
    pub index: String,
    /// Local authority codes, separated by commas or spaces.
    pub local_authorities: String,
    /// A site's postcode.
    pub site: String,
    /// The new city's currency and language; blank keeps the model's.
    pub locale: ProgrammeLocaleInput,
}

impl FromModelForm {
    fn of(up: &Upload) -> FromModelForm {
        let f = |n: &str| up.field(n).unwrap_or("").to_string();
        FromModelForm {
            programme: ProgrammeInput {
                slug: f("slug"),
                name: f("name"),
                description: f("description"),
                administrator_email: f("administrator_email"),
            },
            index: f("index"),
            local_authorities: f("local_authorities"),
            site: f("site"),
            locale: ProgrammeLocaleInput {
                currency: f("currency"),
                language: f("language"),
            },
        }
    }

    fn geography(&self) -> Geography {
        Geography {
            index: self.index.trim().to_string(),
            local_authorities: self
                .local_authorities
                .split([',', ' ', '\n'])
                .map(|c| c.trim().to_uppercase())
                .filter(|c| !c.is_empty())
                .collect(),
            sites: if self.site.trim().is_empty() {
                Vec::new()
            } else {
                vec![useit_core::place::input::RadiusInput {
                    postcode: self.site.trim().to_string(),
                    ..Default::default()
                }]
            },
            note: tf(
                "programme.model.first_note",
                &[("name", &self.programme.name)],
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "programme/from_model.html")]
struct FromModelPage {
    layout: Layout,
    errors: FormErrors,
    form: FromModelForm,
    currencies: Vec<Choice>,
    languages: Vec<Choice>,
}

/// The choices with "as in the model" first, chosen when nothing is.
fn as_in_model(choices: Vec<Choice>) -> Vec<Choice> {
    let mut all = vec![Choice::new("", t("programme.model.as_in_model"))];
    all.extend(choices);
    all
}

async fn page(
    app: &AppState,
    ctx: &Ctx,
    form: FromModelForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let status = errors.status();
    let layout = Layout::new(app, ctx, t("programme.model.new_title"), "admin")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &FromModelPage {
            layout,
            errors,
            form,
            currencies: as_in_model(currency_choices()),
            languages: as_in_model(language_choices()),
        },
    )
}

pub async fn form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(page(&app, &ctx, FromModelForm::default(), FormErrors::default()).await?)
}

/// The model's and the geography's fields have no input of their own on
/// this page: a model's problem is shown at the file, naming its field;
/// the geography's at the input it came from.
fn on_page(errs: Vec<FieldError>) -> Vec<FieldError> {
    errs.into_iter()
        .map(|e| {
            if let Some(field) = e.field.strip_prefix("model/") {
                FieldError {
                    field: "file".into(),
                    message: Message::new("programme.model.problem_at")
                        .arg("field", field)
                        .arg("problem", e.message.to_string()),
                }
            } else if let Some(field) = e.field.strip_prefix("locale/") {
                FieldError {
                    field: field.into(),
                    message: e.message,
                }
            } else if let Some(field) = e.field.strip_prefix("geography/") {
                let input = match field.split('/').next().unwrap_or("") {
                    "local_authorities" => "local_authorities",
                    "sites" => "site",
                    _ => "index",
                };
                FieldError {
                    field: input.into(),
                    message: e.message,
                }
            } else {
                e
            }
        })
        .collect()
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    let form = FromModelForm::of(&up);
    let geography = form.geography();
    let new = NewFromModel {
        programme: &form.programme,
        model: &up.bytes,
        geography: &geography,
        locale: Some(&form.locale),
    };
    match create_from_model(app.store.as_ref(), &ctx.operator()?, &new).await {
        Ok(p) => {
            ctx.flash(tf("programme.model.started", &[("name", &p.name)]))
                .await;
            Ok(Redirect::to(&format!("/p/{}", p.slug)).into_response())
        }
        Err(useit_app::Error::Invalid(errs)) => {
            let errors = FormErrors::from_fields(&on_page(errs), &[]);
            Ok(page(&app, &ctx, form, errors).await?)
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(page(&app, &ctx, form, errors).await?)
        }
    }
}
