//! Changing a community (its name, description and area — a new version
//! of the area only when the selection changed) and its members: who they
//! are is personal data, shown only to those who manage communities.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::community::{
    add_member, area_choices, community, edit_community, members, remove_member,
};
use useit_core::UserId;
use useit_core::clock;
use useit_core::community::record::{CommunityInput, MemberInput};
use useit_core::i18n::{t, tf};
use uuid::Uuid;

use super::view::{AreaFields, area_fields, base, community_input, form_errors, input_of};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct MemberLine {
    pub name: String,
    pub email: String,
    pub added: String,
    pub remove: String,
}

#[derive(Template)]
#[template(path = "community/edit.html")]
struct EditPage {
    layout: Layout,
    back: String,
    action: String,
    name: String,
    errors: FormErrors,
    form: CommunityInput,
    area: AreaFields,
    show_area: bool,
    members: Vec<MemberLine>,
    member_errors: FormErrors,
    member_email: String,
}

async fn edit_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    form: Option<CommunityInput>,
    errors: FormErrors,
    member_email: String,
    member_errors: FormErrors,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let v = community(s, &caller, id).await?;
    let form = form.unwrap_or_else(|| input_of(&v.community));
    let choices = area_choices(s, &caller, &form.area.index).await?;
    let href = format!("{}/{id}", base(ctx)?);
    let members = members(s, &caller, id)
        .await?
        .into_iter()
        .map(|m| MemberLine {
            remove: format!("{href}/members/{}/remove", m.user_id.0),
            name: m.display_name,
            email: m.email,
            added: clock::display(m.added_at),
        })
        .collect();
    let status = if errors.is_empty() {
        member_errors.status()
    } else {
        errors.status()
    };
    let mut all = FormErrors::default();
    for e in errors.items.iter().chain(member_errors.items.iter()) {
        all.items.push(e.clone());
    }
    render_status(
        status,
        &EditPage {
            layout: Layout::new(
                app,
                ctx,
                tf("community.edit_title", &[("name", &v.community.name)]),
                "communities",
            )
            .await?
            .with_errors(&all),
            name: v.community.name.clone(),
            action: href.clone(),
            back: href,
            area: area_fields(&choices, &form.area),
            show_area: true,
            errors,
            form,
            members,
            member_errors,
            member_email,
        },
    )
}

pub async fn edit_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(edit_view(
        &app,
        &ctx,
        id,
        None,
        FormErrors::default(),
        String::new(),
        FormErrors::default(),
    )
    .await?)
}

pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = community_input(&pairs);
    match edit_community(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(c) => {
            ctx.flash(tf("community.saved", &[("name", &c.name)])).await;
            Ok(Redirect::to(&format!("{}/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = form_errors(e)?;
            Ok(edit_view(
                &app,
                &ctx,
                id,
                Some(f),
                errors,
                String::new(),
                FormErrors::default(),
            )
            .await?)
        }
    }
}

pub async fn member_add(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<MemberInput>,
) -> Result<Response, PageError> {
    match add_member(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(_) => {
            ctx.flash(t("community.member_added").to_string()).await;
            Ok(Redirect::to(&format!("{}/{id}/edit", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(edit_view(&app, &ctx, id, None, FormErrors::default(), f.email, errors).await?)
        }
    }
}

pub async fn member_remove(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id, user)): Path<(String, Uuid, Uuid)>,
) -> Result<Response, PageError> {
    remove_member(app.store.as_ref(), &ctx.caller()?, id, UserId(user)).await?;
    ctx.flash(t("community.member_removed").to_string()).await;
    Ok(Redirect::to(&format!("{}/{id}/edit", base(&ctx)?)).into_response())
}
