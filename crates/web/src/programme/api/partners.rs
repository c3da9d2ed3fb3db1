//! Partners through the API: the list, one partner, adding and changing
//! one, and its contact person (personal data: reading it is audited).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::programme::partners::{
    contact, create_partner as create, partner, partners_kept, set_contact,
    update_partner as update,
};
use useit_core::clock;
use useit_core::listing::Page;
use useit_core::programme::{
    ContactInput, Partner, PartnerContact, PartnerInput, PartnerKind, PartnerListQuery,
};
use useit_core::validation::FieldError;
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::programme::view::partner_id;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct PartnerJson {
    pub id: String,
    pub name: String,
    /// anchor_institution, local_authority, university, vcse, social_enterprise, funder, private_sector or other.
    pub kind: String,
    pub org_id: Option<String>,
    pub website: Option<String>,
    pub postcode: Option<String>,
    pub description: String,
    /// YYYY-MM-DD
    pub joined_on: String,
    pub left_on: Option<String>,
    pub current: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Partner> for PartnerJson {
    fn from(p: &Partner) -> Self {
        PartnerJson::on(p, clock::today())
    }
}

impl PartnerJson {
    /// The partner as it stands on `today` (current or not).
    fn on(p: &Partner, today: time::Date) -> Self {
        PartnerJson {
            id: p.id.to_string(),
            name: p.name.clone(),
            kind: p.kind.slug().into(),
            org_id: p.org_id.clone(),
            website: p.website.clone(),
            postcode: p.postcode.clone(),
            description: p.description.clone(),
            joined_on: clock::iso_date(p.joined_on),
            left_on: p.left_on.map(clock::iso_date),
            current: p.is_current_on(today),
            created_at: clock::rfc3339(p.created_at),
            updated_at: clock::rfc3339(p.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerPageJson {
    pub items: Vec<PartnerJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
}

impl PartnerPageJson {
    fn on(p: Page<Partner>, today: time::Date) -> Self {
        PartnerPageJson {
            total_pages: p.total_pages(),
            items: p.items.iter().map(|x| PartnerJson::on(x, today)).collect(),
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        }
    }
}

/// Partners, filtered, searched, sorted and paged. The page is kept
/// serialised while the programme's partners stand (any write to them,
/// from any process, moves the counter it is kept under).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/partners", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), PartnerListQuery),
    responses((status = 200, body = PartnerPageJson)))]
pub async fn list_partners(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PartnerListQuery>,
) -> Result<Response, ApiError> {
    let body = partners_kept(
        app.store.as_ref(),
        &ctx.caller()?,
        &p.query(),
        p.page(),
        &app.partner_pages,
        |page, today| {
            // Strings, numbers and booleans only: it cannot fail.
            serde_json::to_vec(&PartnerPageJson::on(page, today))
                .unwrap_or_default()
                .into()
        },
    )
    .await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ContactJson {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl From<&ContactJson> for ContactInput {
    fn from(c: &ContactJson) -> Self {
        ContactInput {
            contact_name: c.name.clone().unwrap_or_default(),
            contact_email: c.email.clone().unwrap_or_default(),
            contact_phone: c.phone.clone().unwrap_or_default(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ContactOutJson {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl From<PartnerContact> for ContactOutJson {
    fn from(c: PartnerContact) -> Self {
        ContactOutJson {
            name: c.name,
            email: c.email,
            phone: c.phone,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct PartnerInputJson {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(schema_with = partner_kinds)]
    pub kind: String,
    /// The organisation's identifier (`GB-CHC-1234567`, `GB-COH-01234567`).
    #[schema(pattern = "^[A-Za-z]{2}-[A-Za-z]{2,6}-[A-Za-z0-9-]+$", max_length = 60)]
    pub org_id: Option<String>,
    /// A web address with a dot in its host (`https://` is added if missing).
    #[schema(
        pattern = "^[^\\s\\u0000-\\u001F\\u007F]*\\.[^\\s\\u0000-\\u001F\\u007F]*$",
        max_length = 300
    )]
    pub website: Option<String>,
    /// A UK postcode.
    #[schema(
        pattern = "^[A-PR-UWYZ]([0-9]{1,2}|[A-Z][0-9]{1,2}|[0-9][A-Z]|[A-Z][0-9][A-Z]) [0-9][ABD-HJLNP-UW-Z]{2}$"
    )]
    pub postcode: Option<String>,
    #[schema(max_length = 4000)]
    pub description: Option<String>,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub joined_on: String,
    /// YYYY-MM-DD, not before it joined.
    #[schema(format = Date)]
    pub left_on: Option<String>,
    /// Only with the capability to see contacts; omit to leave it as it is.
    pub contact: Option<ContactJson>,
}

fn partner_kinds() -> utoipa::openapi::schema::Object {
    useit_core::openapi::choice(PartnerKind::ALL.iter().map(|k| k.slug()), false)
}

impl PartnerInputJson {
    fn input(&self) -> PartnerInput {
        PartnerInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            org_id: self.org_id.clone().unwrap_or_default(),
            website: self.website.clone().unwrap_or_default(),
            postcode: self.postcode.clone().unwrap_or_default(),
            description: self.description.clone().unwrap_or_default(),
            joined_on: self.joined_on.clone(),
            left_on: self.left_on.clone().unwrap_or_default(),
        }
    }

    fn contact(&self) -> Option<ContactInput> {
        self.contact.as_ref().map(ContactInput::from)
    }
}

/// The contact's fields as the JSON names them: `contact_name` is `name`
/// in a contact body, and `contact/name` inside a partner's.
fn contact_pointers(e: AppError, prefix: &str) -> AppError {
    match e {
        AppError::Invalid(errs) => AppError::Invalid(
            errs.into_iter()
                .map(|f| match f.field.strip_prefix("contact_") {
                    Some(name) => FieldError {
                        field: format!("{prefix}{name}"),
                        message: f.message,
                    },
                    None => f,
                })
                .collect(),
        ),
        other => other,
    }
}

/// Adds a partner.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/partners", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = PartnerInputJson,
    responses((status = 201, body = PartnerJson), (status = 422, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn create_partner(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(body): Json<PartnerInputJson>,
) -> Result<Response, ApiError> {
    let contact = body.contact();
    let p = create(
        app.store.as_ref(),
        &ctx.caller()?,
        &body.input(),
        contact.as_ref(),
    )
    .await
    .map_err(|e| contact_pointers(e.into(), "contact/"))?;
    Ok((StatusCode::CREATED, Json(PartnerJson::from(&p))).into_response())
}

/// One partner.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/partners/{partner_id}", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), ("partner_id" = String, Path, description = "Partner id")),
    responses((status = 200, body = PartnerJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_partner(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Json<PartnerJson>, ApiError> {
    let id = path.1;
    let p = partner(app.store.as_ref(), &ctx.caller()?, partner_id(&id)?).await?;
    Ok(Json(PartnerJson::from(&p)))
}

/// Changes a partner (all fields; `contact` only if given).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/partners/{partner_id}", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), ("partner_id" = String, Path, description = "Partner id")),
    request_body = PartnerInputJson,
    responses((status = 200, body = PartnerJson), (status = 404, body = crate::http::error::Problem), (status = 409, description = "Another partner already has this name or identifier", body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn update_partner(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(body): Json<PartnerInputJson>,
) -> Result<Json<PartnerJson>, ApiError> {
    let id = path.1;
    let id = partner_id(&id)?;
    let contact = body.contact();
    let p = update(
        app.store.as_ref(),
        &ctx.caller()?,
        id,
        &body.input(),
        contact.as_ref(),
    )
    .await
    .map_err(|e| contact_pointers(e.into(), "contact/"))?;
    Ok(Json(PartnerJson::from(&p)))
}

/// The partner's contact person (personal data; the read is audited).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/partners/{partner_id}/contact", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), ("partner_id" = String, Path, description = "Partner id")),
    responses((status = 200, body = ContactOutJson), (status = 403, body = crate::http::error::Problem)))]
pub async fn get_contact(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Json<ContactOutJson>, ApiError> {
    let id = path.1;
    let c = contact(app.store.as_ref(), &ctx.caller()?, partner_id(&id)?).await?;
    Ok(Json(c.into()))
}

/// Replaces the partner's contact person.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/partners/{partner_id}/contact", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), ("partner_id" = String, Path, description = "Partner id")),
    request_body = ContactJson,
    responses((status = 200, body = ContactOutJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_contact(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(body): Json<ContactJson>,
) -> Result<Json<ContactOutJson>, ApiError> {
    let id = path.1;
    let id = partner_id(&id)?;
    let c = set_contact(
        app.store.as_ref(),
        &ctx.caller()?,
        id,
        &ContactInput::from(&body),
    )
    .await
    .map_err(|e| contact_pointers(e.into(), ""))?;
    Ok(Json(c.into()))
}
