//! The programme's communities with their plans' status and progress, and
//! (for those who manage communities) the form to add one.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::community::{add_community, area_choices, communities_in};
use useit_core::auth::Capability;
use useit_core::community::record::CommunityInput;
use useit_core::i18n::{t, tf};
use useit_core::programme::indicators::{CountedQuery, Indicator};

use super::view::{
    AreaFields, CommunityLine, area_fields, base, community_input, community_line, form_errors,
};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "community/list.html")]
struct ListPage {
    layout: Layout,
    communities: Vec<CommunityLine>,
    /// What a home page figure counts, when the list is filtered to it.
    counted: String,
    manage: bool,
    errors: FormErrors,
    form: CommunityInput,
    area: AreaFields,
    show_area: bool,
    action: String,
}

async fn list_view(
    app: &AppState,
    ctx: &Ctx,
    form: CommunityInput,
    errors: FormErrors,
    query: &CountedQuery,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let base = base(ctx)?;
    let lines = communities_in(app.store.as_ref(), &caller, query)
        .await?
        .iter()
        .map(|c| community_line(&base, c))
        .collect();
    let manage = ctx.can(Capability::ManageCommunities);
    let area = if manage {
        let choices = area_choices(app.store.as_ref(), &caller, &form.area.index).await?;
        area_fields(&choices, &form.area)
    } else {
        AreaFields::default()
    };
    render_status(
        errors.status(),
        &ListPage {
            layout: Layout::new(app, ctx, t("community.title"), "communities")
                .await?
                .with_errors(&errors),
            action: base,
            communities: lines,
            counted: query
                .filter(&[Indicator::CommunitiesWithAdoptedPlan])
                .map(|c| c.note())
                .unwrap_or_default(),
            manage,
            errors,
            form,
            area,
            show_area: manage,
        },
    )
}

pub async fn list_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(query): Query<CountedQuery>,
) -> Result<Response, PageError> {
    Ok(list_view(
        &app,
        &ctx,
        CommunityInput::default(),
        FormErrors::default(),
        &query,
    )
    .await?)
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = community_input(&pairs);
    match add_community(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(c) => {
            ctx.flash(tf("community.saved", &[("name", &c.name)])).await;
            Ok(Redirect::to(&format!("{}/{}", base(&ctx)?, c.id)).into_response())
        }
        Err(e) => {
            let errors = form_errors(e)?;
            Ok(list_view(&app, &ctx, f, errors, &CountedQuery::default()).await?)
        }
    }
}
