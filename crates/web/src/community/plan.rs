//! Editing a community's CED plan (aspirations, priorities, status) and
//! its actions, by those who manage communities or the community's own
//! members: the app refuses anyone else, whatever their role.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::Error;
use useit_app::community::assets::{action_asset_choices, action_assets, link_action_assets};
use useit_app::community::{
    CommunityView, action, community, enterprise_choices, organisation_choices, save_action,
    save_plan,
};
use useit_core::community::plan::{ActionInput, PlanInput};
use useit_core::i18n::{t, tf};
use uuid::Uuid;

use super::view::{action_statuses, base, plan_statuses};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// Organisations offered in a select before the form asks for an id.
const PARTNERS_LISTED: usize = 500;

/// An enterprise checkbox.
pub struct EnterpriseItem {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The action form's choices.
pub struct ActionForm {
    pub input: ActionInput,
    /// `None`: the register is too large to list; the partner is typed as an id.
    pub partners: Option<Vec<Choice>>,
    pub statuses: Vec<Choice>,
    pub enterprises: Vec<EnterpriseItem>,
    /// The community's and the programme's assets the action may build on.
    pub assets: Vec<EnterpriseItem>,
    /// Whether any asset is ticked (its list then starts open).
    pub assets_ticked: bool,
}

/// The asset ids a form's repeated `assets` checkboxes name.
fn chosen_assets(pairs: &[(String, String)]) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == "assets")
        .map(|(_, v)| v.trim().to_string())
        .collect()
}

/// Links the assets the form ticked to a saved action.
async fn link_assets(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    action_id: Uuid,
    pairs: &[(String, String)],
) -> Result<(), AppError> {
    let ids: Vec<Uuid> = chosen_assets(pairs)
        .iter()
        .filter_map(|v| Uuid::parse_str(v).ok())
        .collect();
    link_action_assets(app.store.as_ref(), &ctx.caller()?, id, action_id, &ids).await?;
    Ok(())
}

async fn action_form(
    app: &AppState,
    ctx: &Ctx,
    community_id: Uuid,
    input: ActionInput,
    assets: Vec<String>,
) -> Result<ActionForm, AppError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let assets: Vec<EnterpriseItem> = action_asset_choices(s, &caller, community_id)
        .await?
        .into_iter()
        .map(|(id, name)| EnterpriseItem {
            checked: assets.iter().any(|a| *a == id.to_string()),
            value: id.to_string(),
            label: name,
        })
        .collect();
    let partners = organisation_choices(s, &caller, PARTNERS_LISTED)
        .await?
        .map(|list| {
            let mut v = vec![Choice::new("", t("community.partner_none"))];
            v.extend(
                list.into_iter()
                    .map(|(id, name)| Choice::new(id.to_string(), name)),
            );
            v
        });
    let enterprises = enterprise_choices(s, &caller)
        .await?
        .into_iter()
        .map(|(id, name)| EnterpriseItem {
            checked: input.enterprises.iter().any(|e| e.trim() == id.to_string()),
            value: id.to_string(),
            label: name,
        })
        .collect();
    Ok(ActionForm {
        input,
        partners,
        statuses: action_statuses(),
        enterprises,
        assets_ticked: assets.iter().any(|a: &EnterpriseItem| a.checked),
        assets,
    })
}

/// Refuses a caller who may not edit this plan with the guard's answer
/// (403), before a form is shown.
fn editable(v: &CommunityView) -> Result<(), AppError> {
    if v.may_edit {
        Ok(())
    } else {
        Err(Error::Refused.into())
    }
}

#[derive(Template)]
#[template(path = "community/plan.html")]
struct PlanPage {
    layout: Layout,
    back: String,
    action: String,
    name: String,
    errors: FormErrors,
    plan: PlanInput,
    statuses: Vec<Choice>,
    action_errors: FormErrors,
    form: ActionForm,
}

#[allow(clippy::too_many_arguments)]
async fn plan_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    plan: Option<PlanInput>,
    errors: FormErrors,
    act: ActionInput,
    action_errors: FormErrors,
    chosen: Vec<String>,
) -> Result<Response, AppError> {
    let v = community(app.store.as_ref(), &ctx.caller()?, id).await?;
    editable(&v)?;
    let plan = plan.unwrap_or_else(|| match &v.plan {
        Some(p) => p.to_input(),
        None => PlanInput {
            status: "drafting".into(),
            ..Default::default()
        },
    });
    let href = format!("{}/{id}", base(ctx)?);
    let status = if errors.is_empty() {
        action_errors.status()
    } else {
        errors.status()
    };
    let mut all = FormErrors::default();
    for e in errors.items.iter().chain(action_errors.items.iter()) {
        all.items.push(e.clone());
    }
    render_status(
        status,
        &PlanPage {
            layout: Layout::new(
                app,
                ctx,
                tf("community.plan_title", &[("name", &v.community.name)]),
                "communities",
            )
            .await?
            .with_errors(&all),
            name: v.community.name.clone(),
            action: href.clone(),
            back: href,
            errors,
            plan,
            statuses: plan_statuses(),
            action_errors,
            form: action_form(app, ctx, id, act, chosen).await?,
        },
    )
}

pub async fn plan_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(plan_view(
        &app,
        &ctx,
        id,
        None,
        FormErrors::default(),
        ActionInput::default(),
        FormErrors::default(),
        Vec::new(),
    )
    .await?)
}

pub async fn plan_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<PlanInput>,
) -> Result<Response, PageError> {
    match save_plan(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(_) => {
            ctx.flash(t("community.plan_saved").to_string()).await;
            Ok(Redirect::to(&format!("{}/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(plan_view(
                &app,
                &ctx,
                id,
                Some(f),
                errors,
                ActionInput::default(),
                FormErrors::default(),
                Vec::new(),
            )
            .await?)
        }
    }
}

pub async fn action_add(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = ActionInput::from_form(&pairs);
    match save_action(app.store.as_ref(), &ctx.caller()?, id, None, &f).await {
        Ok(a) => {
            link_assets(&app, &ctx, id, a.id, &pairs).await?;
            ctx.flash(tf("community.action_saved", &[("title", &a.draft.title)]))
                .await;
            Ok(Redirect::to(&format!("{}/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(plan_view(
                &app,
                &ctx,
                id,
                None,
                FormErrors::default(),
                f,
                errors,
                chosen_assets(&pairs),
            )
            .await?)
        }
    }
}

#[derive(Template)]
#[template(path = "community/action.html")]
struct ActionPage {
    layout: Layout,
    back: String,
    action: String,
    name: String,
    title: String,
    action_errors: FormErrors,
    form: ActionForm,
}

async fn action_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    action_id: Uuid,
    input: Option<ActionInput>,
    action_errors: FormErrors,
    chosen: Option<Vec<String>>,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let v = community(app.store.as_ref(), &caller, id).await?;
    editable(&v)?;
    let a = action(app.store.as_ref(), &caller, id, action_id).await?;
    let input = input.unwrap_or_else(|| a.draft.to_input());
    let chosen = match chosen {
        Some(c) => c,
        None => action_assets(app.store.as_ref(), &caller, id)
            .await?
            .remove(&action_id)
            .unwrap_or_default()
            .into_iter()
            .map(|(asset, _)| asset.to_string())
            .collect(),
    };
    let href = format!("{}/{id}", base(ctx)?);
    render_status(
        action_errors.status(),
        &ActionPage {
            layout: Layout::new(
                app,
                ctx,
                tf("community.action_title", &[("title", &a.draft.title)]),
                "communities",
            )
            .await?
            .with_errors(&action_errors),
            name: v.community.name.clone(),
            title: a.draft.title.clone(),
            action: format!("{href}/actions/{action_id}"),
            back: href,
            action_errors,
            form: action_form(app, ctx, id, input, chosen).await?,
        },
    )
}

pub async fn action_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id, action_id)): Path<(String, Uuid, Uuid)>,
) -> Result<Response, PageError> {
    Ok(action_view(&app, &ctx, id, action_id, None, FormErrors::default(), None).await?)
}

pub async fn action_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id, action_id)): Path<(String, Uuid, Uuid)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = ActionInput::from_form(&pairs);
    match save_action(app.store.as_ref(), &ctx.caller()?, id, Some(action_id), &f).await {
        Ok(a) => {
            link_assets(&app, &ctx, id, a.id, &pairs).await?;
            ctx.flash(tf("community.action_saved", &[("title", &a.draft.title)]))
                .await;
            Ok(Redirect::to(&format!("{}/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(action_view(
                &app,
                &ctx,
                id,
                action_id,
                Some(f),
                errors,
                Some(chosen_assets(&pairs)),
            )
            .await?)
        }
    }
}
