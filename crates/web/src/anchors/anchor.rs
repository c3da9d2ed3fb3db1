//! Adding and changing an anchor institution and its sites.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::anchors::anchor::{anchor, anchors, find_organisations, save_anchor};
use useit_core::anchors::anchor::{AnchorInput, AnchorKind};
use useit_core::anchors::directory::Candidate;
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
    /// The spend fields a column mapping names, shown as the codes typed.
    fields: Vec<&'static str>,
    /// What the person looked for, and what was found.
    find: String,
    found: Vec<Found>,
    searched: bool,
}

/// An organisation found by name, with the link that fills the form.
struct Found {
    name: String,
    kind: String,
    detail: String,
    href: String,
}

/// `?find=sandwell` lists the NHS trusts and councils by that name;
/// `?pick=RXK` fills the form with the one picked.
#[derive(Deserialize, Default)]
pub struct FindQuery {
    pub find: Option<String>,
    pub pick: Option<String>,
}

/// A short name for web addresses from the organisation's name: its words'
/// first letters ("swbhnt" is hard to read, so the first three words).
fn slug_for(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !["and", "of", "the"].contains(&w.to_lowercase().as_str()))
        .take(3)
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

fn filled(c: &Candidate) -> AnchorInput {
    AnchorInput {
        slug: slug_for(&c.name),
        name: c.name.clone(),
        kind: c.kind.slug().into(),
        official_code: c.code.clone(),
        local_authority_code: c.local_authority_code.clone().unwrap_or_default(),
        sites: c
            .postcode
            .as_ref()
            .map(|p| format!("{}, {p}", c.name))
            .unwrap_or_default(),
        column_mapping: String::new(),
    }
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
        fields: vec![
            "paid_on",
            "supplier",
            "amount",
            "expense_type",
            "expense_area",
            "reference",
            "supplier_id",
        ],
        find: String::new(),
        found: Vec::new(),
        searched: false,
    })
}

pub async fn anchor_new(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FindQuery>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let base = base(&ctx)?;
    let find = q.find.unwrap_or_default().trim().to_string();
    let mut form = AnchorInput::default();
    if let Some(code) = q.pick.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let picked = find_organisations(app.store.as_ref(), &caller, code).await?;
        if let Some(c) = picked.iter().find(|c| c.code.eq_ignore_ascii_case(code)) {
            form = filled(c);
        }
    }
    let found = if find.is_empty() {
        Vec::new()
    } else {
        find_organisations(app.store.as_ref(), &caller, &find).await?
    };
    let mut page = anchor_page(&app, &ctx, form, FormErrors::default(), false).await?;
    page.searched = !find.is_empty();
    page.found = found
        .iter()
        .map(|c| Found {
            name: c.name.clone(),
            kind: t(&format!("anchors.anchor.kind.{}", c.kind.slug())).to_string(),
            detail: match &c.postcode {
                Some(p) => tf(
                    "anchors.anchor.find.code_and_postcode",
                    &[("code", &c.code), ("postcode", p)],
                ),
                None => tf("anchors.anchor.find.code", &[("code", &c.code)]),
            },
            href: format!(
                "{base}/new?pick={}",
                crate::http::forms::url_encode(&c.code)
            ),
        })
        .collect();
    page.find = find;
    Ok(render(&page)?)
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
