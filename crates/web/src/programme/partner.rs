//! One partner: its page (with its contact person for those who may see
//! it), and adding or changing one through the form.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::programme::partners::{
    Found, contact, create_partner, find_partner, update_partner,
};
use useit_core::auth::Capability;
use useit_core::i18n::{t, tf};
use useit_core::programme::{ContactInput, Partner, PartnerContact, PartnerDraft, PartnerInput};
use useit_core::{PartnerId, clock};

use super::view::{kind_choices, partner_id, partners_base};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::DateParts;
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// The dates are three boxes each: their errors lead to the day box.
const DATE_FIELDS: &[&str] = &["joined_on", "left_on"];

/// The partner form as posted.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PartnerForm {
    name: String,
    kind: String,
    org_id: String,
    website: String,
    postcode: String,
    description: String,
    joined_on_day: String,
    joined_on_month: String,
    joined_on_year: String,
    left_on_day: String,
    left_on_month: String,
    left_on_year: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
}

impl PartnerForm {
    fn joined(&self) -> DateParts {
        DateParts {
            day: self.joined_on_day.clone(),
            month: self.joined_on_month.clone(),
            year: self.joined_on_year.clone(),
        }
    }

    fn left(&self) -> DateParts {
        DateParts {
            day: self.left_on_day.clone(),
            month: self.left_on_month.clone(),
            year: self.left_on_year.clone(),
        }
    }

    fn input(&self) -> PartnerInput {
        PartnerInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            org_id: self.org_id.clone(),
            website: self.website.clone(),
            postcode: self.postcode.clone(),
            description: self.description.clone(),
            joined_on: self.joined().iso(),
            left_on: self.left().iso(),
        }
    }

    /// The contact person, when the editor may see (and so change) it.
    fn contact(&self, ctx: &Ctx) -> Option<ContactInput> {
        ctx.can(Capability::ViewPartnerContacts)
            .then(|| ContactInput {
                contact_name: self.contact_name.clone(),
                contact_email: self.contact_email.clone(),
                contact_phone: self.contact_phone.clone(),
            })
    }

    fn from_partner(p: &PartnerDraft, c: &PartnerContact) -> Self {
        let j = DateParts::from_date(Some(p.joined_on));
        let l = DateParts::from_date(p.left_on);
        PartnerForm {
            name: p.name.clone(),
            kind: p.kind.slug().into(),
            org_id: p.org_id.clone().unwrap_or_default(),
            website: p.website.clone().unwrap_or_default(),
            postcode: p.postcode.clone().unwrap_or_default(),
            description: p.description.clone(),
            joined_on_day: j.day,
            joined_on_month: j.month,
            joined_on_year: j.year,
            left_on_day: l.day,
            left_on_month: l.month,
            left_on_year: l.year,
            contact_name: c.name.clone().unwrap_or_default(),
            contact_email: c.email.clone().unwrap_or_default(),
            contact_phone: c.phone.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "programme/partner_form.html")]
struct FormPage {
    layout: Layout,
    errors: FormErrors,
    form: PartnerForm,
    joined: DateParts,
    left: DateParts,
    kinds: Vec<Choice>,
    action: String,
    cancel: String,
    heading: String,
    with_contact: bool,
}

async fn form_page(
    app: &AppState,
    ctx: &Ctx,
    form: PartnerForm,
    errors: FormErrors,
    editing: Option<PartnerId>,
) -> Result<FormPage, AppError> {
    let base = partners_base(ctx)?;
    let (heading, action, cancel) = match editing {
        Some(id) => (
            t("partner.edit.title").to_string(),
            format!("{base}/{id}"),
            format!("{base}/{id}"),
        ),
        None => (
            t("partner.new.title").to_string(),
            base.clone(),
            base.clone(),
        ),
    };
    let layout = Layout::new(app, ctx, heading.clone(), "partners")
        .await?
        .with_errors(&errors);
    Ok(FormPage {
        layout,
        errors,
        joined: form.joined(),
        left: form.left(),
        form,
        kinds: {
            let mut k = vec![Choice::new("", t("partner.kind.choose"))];
            k.extend(kind_choices(false));
            k
        },
        action,
        cancel,
        heading,
        with_contact: ctx.can(Capability::ViewPartnerContacts),
    })
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let page = form_page(
        &app,
        &ctx,
        PartnerForm::default(),
        FormErrors::default(),
        None,
    )
    .await?;
    Ok(render(&page)?)
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PartnerForm>,
) -> Result<Response, PageError> {
    let contact = f.contact(&ctx);
    match create_partner(
        app.store.as_ref(),
        &ctx.caller()?,
        &f.input(),
        contact.as_ref(),
    )
    .await
    {
        Ok(p) => {
            ctx.flash(tf("partner.created", &[("name", &p.name)])).await;
            Ok(Redirect::to(&format!("{}/{}", partners_base(&ctx)?, p.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), DATE_FIELDS)?;
            let page = form_page(&app, &ctx, f, errors, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

/// The partner at this address, with its contact person for those who may
/// see it (that read is audited); a merged-away partner's address sends
/// people on to the one that stands.
async fn load(
    app: &AppState,
    ctx: &Ctx,
    id: &str,
) -> Result<Result<(Partner, Option<PartnerContact>), Response>, AppError> {
    let caller = ctx.caller()?;
    let partner = match find_partner(app.store.as_ref(), &caller, partner_id(id)?).await? {
        Found::Partner(p) => p,
        Found::MergedInto(to) => {
            let to = format!("{}/{to}", partners_base(ctx)?);
            return Ok(Err(Redirect::permanent(&to).into_response()));
        }
    };
    let contact = if ctx.can(Capability::ViewPartnerContacts) {
        Some(contact(app.store.as_ref(), &caller, partner.id).await?)
    } else {
        None
    };
    Ok(Ok((partner, contact)))
}

#[derive(Template)]
#[template(path = "programme/partner.html")]
struct ShowPage {
    layout: Layout,
    base: String,
    partner: Partner,
    contact: Option<PartnerContact>,
    can_edit: bool,
    current: bool,
}

pub async fn show(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (partner, contact) = match load(&app, &ctx, &id).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let layout = Layout::new(&app, &ctx, partner.name.clone(), "partners").await?;
    Ok(render(&ShowPage {
        layout,
        base: partners_base(&ctx)?,
        current: partner.is_current_on(clock::today()),
        partner,
        contact,
        can_edit: ctx.can(Capability::EditPartners),
    })?)
}

pub async fn edit_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (partner, contact) = match load(&app, &ctx, &id).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let form = PartnerForm::from_partner(&partner.draft(), &contact.unwrap_or_default());
    let page = form_page(&app, &ctx, form, FormErrors::default(), Some(partner.id)).await?;
    Ok(render(&page)?)
}

pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<PartnerForm>,
) -> Result<Response, PageError> {
    let id = partner_id(&id)?;
    let contact = f.contact(&ctx);
    let updated = update_partner(
        app.store.as_ref(),
        &ctx.caller()?,
        id,
        &f.input(),
        contact.as_ref(),
    )
    .await;
    match updated {
        Ok(p) => {
            ctx.flash(tf("partner.updated", &[("name", &p.name)])).await;
            Ok(Redirect::to(&format!("{}/{}", partners_base(&ctx)?, p.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), DATE_FIELDS)?;
            let page = form_page(&app, &ctx, f, errors, Some(id)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}
