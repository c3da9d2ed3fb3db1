//! The deployment's programmes, and starting one.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::programme::programmes::{create_programme as create, programmes as all};
use useit_core::i18n::{t, tf};
use useit_core::programme::{Programme, ProgrammeInput};

use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/programmes.html")]
struct ProgrammesPage {
    layout: Layout,
    programmes: Vec<Programme>,
}

pub async fn programmes(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let programmes = all(app.store.as_ref(), &ctx.operator()?).await?;
    let layout = Layout::new(&app, &ctx, t("admin.programmes.title"), "admin").await?;
    Ok(render(&ProgrammesPage { layout, programmes })?)
}

#[derive(Template)]
#[template(path = "admin/programme_new.html")]
struct NewProgrammePage {
    layout: Layout,
    errors: FormErrors,
    form: ProgrammeInput,
}

async fn new_programme_page(
    app: &AppState,
    ctx: &Ctx,
    form: ProgrammeInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let status = errors.status();
    let layout = Layout::new(app, ctx, t("admin.programmes.new"), "admin")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &NewProgrammePage {
            layout,
            errors,
            form,
        },
    )
}

pub async fn new_programme_form(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let (form, errors) = (ProgrammeInput::default(), FormErrors::default());
    Ok(new_programme_page(&app, &ctx, form, errors).await?)
}

pub async fn create_programme(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ProgrammeInput>,
) -> Result<Response, PageError> {
    match create(app.store.as_ref(), &ctx.operator()?, &f).await {
        Ok(p) => {
            ctx.flash(tf("admin.programmes.created", &[("name", &p.name)]))
                .await;
            // Its first administrator is the one who started it unless
            // someone else was named: then it is theirs to open.
            let mine = f.administrator().is_none();
            Ok(Redirect::to(&if mine {
                format!("/p/{}", p.slug)
            } else {
                "/admin".to_string()
            })
            .into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(new_programme_page(&app, &ctx, f, errors).await?)
        }
    }
}
