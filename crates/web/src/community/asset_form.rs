//! One asset: its page (where it is, who can use it, the organisation and,
//! for a space, the anchor interaction that unlocked it) and the form to
//! add or change it, a plain form that works without JavaScript.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use useit_app::community::assets::{AssetChoices, asset, asset_choices, save_asset};
use useit_core::auth::Capability;
use useit_core::community::asset::{AssetInput, AssetKind, AssetLayer};
use useit_core::i18n::{t, tf};

use super::assets::{assets_base, place_text};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// The register's organisations offered as a select up to this many.
const ORGANISATION_CHOICES: usize = 500;

/// A row of the asset's summary.
struct Row {
    key: String,
    value: String,
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "community/asset.html")]
struct AssetPage {
    layout: Layout,
    base: String,
    name: String,
    description: String,
    rows: Vec<Row>,
    edit_href: Option<String>,
}

fn row(key: &str, value: impl Into<String>) -> Row {
    Row {
        key: t(key).to_string(),
        value: value.into(),
        href: None,
    }
}

pub async fn asset_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let v = asset(app.store.as_ref(), &ctx.caller()?, id).await?;
    let base = assets_base(&ctx)?;
    let slug = ctx.programme()?.slug.clone();
    let d = &v.asset.draft;
    let mut rows = vec![
        row("community.asset.col.kind", t(&d.kind.label_key())),
        row(
            "community.asset.field.layer",
            t(&d.kind.layer().label_key()),
        ),
        row(
            "community.asset.field.community",
            v.asset
                .community_name
                .clone()
                .unwrap_or_else(|| t("community.asset.programme_wide").to_string()),
        ),
        row("community.asset.field.place", place_text(&v)),
    ];
    if let Some(o) = &v.asset.organisation {
        rows.push(row("community.asset.field.organisation", o.name.clone()));
    }
    if !d.who_can_use.is_empty() {
        rows.push(row(
            "community.asset.field.who_can_use",
            d.who_can_use.clone(),
        ));
    }
    if let Some(p) = &v.people_text {
        rows.push(row("community.asset.field.people", p.clone()));
    }
    for (key, value) in [
        ("community.asset.field.contact_email", &d.contact_email),
        ("community.asset.field.contact_phone", &d.contact_phone),
        ("community.asset.field.url", &d.url),
        ("community.asset.field.eligibility", &d.eligibility),
        ("community.asset.field.schedule", &d.schedule),
    ] {
        if !value.is_empty() {
            rows.push(row(key, value.clone()));
        }
    }
    if let Some(i) = &v.asset.interaction {
        rows.push(Row {
            key: t("community.asset.field.interaction").to_string(),
            value: tf(
                "community.asset.interaction_line",
                &[
                    ("anchor", &i.anchor_name),
                    ("organisation", &i.organisation_name),
                    ("kind", t(i.kind.label_key())),
                    ("date", &useit_core::clock::display_date(i.started_on)),
                ],
            ),
            href: ctx
                .can(Capability::ViewSpend)
                .then(|| format!("/p/{slug}/anchors/interactions/{}", i.id)),
        });
    }
    let dates = match (d.started_on, d.ended_on) {
        (None, None) => t("community.asset.dates_not_known").to_string(),
        (s, e) => tf(
            "community.asset.dates",
            &[
                (
                    "from",
                    &s.map(useit_core::clock::display_date)
                        .unwrap_or_else(|| t("community.asset.date_not_known").to_string()),
                ),
                (
                    "to",
                    &e.map(useit_core::clock::display_date)
                        .unwrap_or_else(|| t("community.asset.still_open").to_string()),
                ),
            ],
        ),
    };
    rows.push(row("community.asset.field.dates", dates));
    Ok(render(&AssetPage {
        layout: Layout::new(&app, &ctx, d.name.clone(), "communities").await?,
        edit_href: v.may_edit.then(|| format!("{base}/{id}/edit")),
        name: d.name.clone(),
        description: d.description.clone(),
        rows,
        base,
    })?)
}

#[derive(Template)]
#[template(path = "community/asset_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel: String,
    errors: FormErrors,
    form: AssetInput,
    kinds: Vec<Choice>,
    communities: Vec<Choice>,
    organisations: Option<Vec<Choice>>,
    interactions: Vec<Choice>,
}

fn choices(c: &AssetChoices, form: &AssetInput) -> (Vec<Choice>, Vec<Choice>) {
    let mut kinds = vec![Choice::new("", t("community.asset.choose_kind"))];
    kinds.extend(
        AssetKind::ALL
            .iter()
            .filter(|k| c.macro_kinds || k.layer() == AssetLayer::Micro || k.slug() == form.kind)
            .map(|k| {
                Choice::new(
                    k.slug(),
                    format!("{} ({})", t(&k.label_key()), t(&k.layer().label_key())),
                )
            }),
    );
    let mut communities = Vec::new();
    if c.programme_wide || c.communities.is_empty() {
        communities.push(Choice::new("", t("community.asset.programme_wide")));
    }
    communities.extend(
        c.communities
            .iter()
            .map(|(id, n)| Choice::new(id.to_string(), n.clone())),
    );
    (kinds, communities)
}

async fn form_page(
    app: &AppState,
    ctx: &Ctx,
    id: Option<Uuid>,
    form: AssetInput,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let c = asset_choices(app.store.as_ref(), &ctx.caller()?, ORGANISATION_CHOICES).await?;
    let base = assets_base(ctx)?;
    let heading = if id.is_some() {
        t("community.asset.edit")
    } else {
        t("community.asset.add")
    };
    let (kinds, communities) = choices(&c, &form);
    let organisations = c.organisations.as_ref().map(|o| {
        let mut v = vec![Choice::new("", t("community.asset.no_organisation"))];
        v.extend(
            o.iter()
                .map(|(id, n)| Choice::new(id.to_string(), n.clone())),
        );
        v
    });
    let mut interactions = vec![Choice::new("", t("community.asset.no_interaction"))];
    interactions.extend(c.interactions.iter().map(|i| {
        Choice::new(
            i.id.to_string(),
            tf(
                "community.asset.interaction_line",
                &[
                    ("anchor", &i.anchor_name),
                    ("organisation", &i.organisation_name),
                    ("kind", t(i.kind.label_key())),
                    ("date", &useit_core::clock::display_date(i.started_on)),
                ],
            ),
        )
    }));
    Ok(FormPage {
        layout: Layout::new(app, ctx, heading, "communities")
            .await?
            .with_errors(&errors),
        heading: heading.to_string(),
        action: match id {
            Some(i) => format!("{base}/{i}"),
            None => base.clone(),
        },
        cancel: match id {
            Some(i) => format!("{base}/{i}"),
            None => base,
        },
        errors,
        form,
        kinds,
        communities,
        organisations,
        interactions,
    })
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &form_page(
            &app,
            &ctx,
            None,
            AssetInput::default(),
            FormErrors::default(),
        )
        .await?,
    )?)
}

pub async fn edit_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let v = asset(app.store.as_ref(), &ctx.caller()?, id).await?;
    if !v.may_edit {
        return Err(AppError::from(useit_app::Error::Refused).into());
    }
    Ok(render(
        &form_page(
            &app,
            &ctx,
            Some(id),
            v.asset.draft.to_input(),
            FormErrors::default(),
        )
        .await?,
    )?)
}

async fn save(
    app: &AppState,
    ctx: &Ctx,
    id: Option<Uuid>,
    form: AssetInput,
) -> Result<Response, PageError> {
    match save_asset(app.store.as_ref(), &ctx.caller()?, id, &form).await {
        Ok(a) => {
            ctx.flash(tf("community.asset.saved", &[("name", &a.draft.name)]))
                .await;
            Ok(Redirect::to(&format!("{}/{}", assets_base(ctx)?, a.id)).into_response())
        }
        Err(useit_app::Error::Invalid(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            let page = form_page(app, ctx, id, form, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(form): Form<AssetInput>,
) -> Result<Response, PageError> {
    save(&app, &ctx, None, form).await
}

pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(form): Form<AssetInput>,
) -> Result<Response, PageError> {
    save(&app, &ctx, Some(id), form).await
}
