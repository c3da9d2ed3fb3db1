//! Adding and changing an anchor institution and its sites.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::anchors::anchor::{anchor, anchors, save_anchor};
use useit_core::anchors::anchor::{AnchorInput, AnchorKind};
use useit_core::i18n::{t, tf};

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "anchors/anchor_form.html")]
struct AnchorPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: AnchorInput,
    kinds: Vec<Choice>,
    editing: bool,
}

fn kinds() -> Vec<Choice> {
    let mut v = vec![Choice::new("", t("anchors.anchor.choose_kind"))];
    v.extend(
        AnchorKind::ALL
            .iter()
            .map(|k| Choice::new(k.slug(), t(&format!("anchors.anchor.kind.{}", k.slug())))),
    );
    v
}

async fn anchor_page(
    app: &AppState,
    ctx: &Ctx,
    form: AnchorInput,
    errors: FormErrors,
    editing: bool,
) -> Result<AnchorPage, AppError> {
    let title = if editing {
        tf("anchors.anchor.edit.title", &[("name", &form.name)])
    } else {
        t("anchors.anchor.new.title").into()
    };
    Ok(AnchorPage {
        layout: Layout::new(app, ctx, title, "anchors")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        errors,
        form,
        kinds: kinds(),
        editing,
    })
}

pub async fn anchor_new(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &anchor_page(
            &app,
            &ctx,
            AnchorInput::default(),
            FormErrors::default(),
            false,
        )
        .await?,
    )?)
}

pub async fn anchor_edit(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, slug)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let a = anchor(app.store.as_ref(), &ctx.caller()?, &slug).await?;
    Ok(render(
        &anchor_page(&app, &ctx, AnchorInput::of(&a), FormErrors::default(), true).await?,
    )?)
}

pub async fn anchor_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AnchorInput>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    match save_anchor(app.store.as_ref(), &caller, &f).await {
        Ok(a) => {
            ctx.flash(tf("anchors.anchor.saved", &[("name", &a.name)]))
                .await;
            Ok(Redirect::to(&base(&ctx)?).into_response())
        }
        Err(e) => {
            let editing = anchors(app.store.as_ref(), &caller)
                .await?
                .iter()
                .any(|a| a.slug == f.slug.trim());
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = anchor_page(&app, &ctx, f, errors, editing).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}
