//! One member: changing their role and removing them (people join by
//! invitation, `invitation.rs`).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::programme::members::{member, remove_member, set_role};
use useit_core::auth::{Member, RoleInput};
use useit_core::i18n::{t, tf};

use super::view::{members_base, role_choices, user_id};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "programme/member_edit.html")]
struct EditPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    member: Member,
    roles: Vec<Choice>,
}

async fn edit_page(
    app: &AppState,
    ctx: &Ctx,
    member: Member,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let status = errors.status();
    let layout = Layout::new(app, ctx, member.user.display_name.clone(), "members")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &EditPage {
            layout,
            base: members_base(ctx)?,
            errors,
            member,
            roles: role_choices(false),
        },
    )
}

/// The member at this address (the read is audited).
async fn find_member(app: &AppState, ctx: &Ctx, id: &str) -> Result<Member, AppError> {
    Ok(member(app.store.as_ref(), &ctx.caller()?, user_id(id)?).await?)
}

pub async fn edit_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let member = find_member(&app, &ctx, &id).await?;
    Ok(edit_page(&app, &ctx, member, FormErrors::default()).await?)
}

pub async fn change_role(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<RoleInput>,
) -> Result<Response, PageError> {
    let member = find_member(&app, &ctx, &id).await?;
    match set_role(app.store.as_ref(), &ctx.caller()?, member.user.id, &f).await {
        Ok(role) => {
            ctx.flash(tf(
                "members.role_changed",
                &[
                    ("name", &member.user.display_name),
                    ("role", t(&role.label_key())),
                ],
            ))
            .await;
            Ok(Redirect::to(&members_base(&ctx)?).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(edit_page(&app, &ctx, member, errors).await?)
        }
    }
}

pub async fn remove(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let member = find_member(&app, &ctx, &id).await?;
    match remove_member(app.store.as_ref(), &ctx.caller()?, member.user.id).await {
        Ok(()) => {
            ctx.flash(tf(
                "members.removed",
                &[("name", &member.user.display_name)],
            ))
            .await;
            Ok(Redirect::to(&members_base(&ctx)?).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(edit_page(&app, &ctx, member, errors).await?)
        }
    }
}
