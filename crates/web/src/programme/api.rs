//! Programmes, partners and members through the JSON API: the same actions
//! as the pages, with problem JSON for bad input.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_core::auth::{Capability, GRANTS, Member, Role};
use useit_core::listing::{Page, PageRequest};
use useit_core::programme::{ContactInput, Partner, PartnerContact, PartnerInput};
use useit_core::{PartnerId, UserId, clock};
use utoipa::{IntoParams, ToSchema};

use super::members::{self, AddForm, MemberImportOutcome};
use super::partners::{self, ListParams};
use crate::http::ctx::{Access, Ctx, Via};
use crate::http::error::{ApiError, AppError, problem_lines};
use crate::http::route::{Route, api};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    use Capability::*;
    let p = |c| Access::Programme(c);
    vec![
        api(
            Method::GET,
            "/api/v1/programmes",
            Access::SignedIn,
            my_programmes,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}",
            p(ViewProgramme),
            programme,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/roles",
            p(ViewProgramme),
            roles,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners",
            p(ViewPartners),
            list_partners,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/partners",
            p(EditPartners),
            create_partner,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners.csv",
            p(ViewPartners),
            export_partners,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/partners/import",
            p(EditPartners),
            import_partners,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners/duplicates",
            p(EditPartners),
            duplicates,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners/{partner_id}",
            p(ViewPartners),
            get_partner,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/partners/{partner_id}",
            p(EditPartners),
            update_partner,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners/{partner_id}/contact",
            p(ViewPartnerContacts),
            get_contact,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/partners/{partner_id}/contact",
            p(EditPartners),
            put_contact,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/partners/{partner_id}/merge",
            p(EditPartners),
            merge_partner,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/members",
            p(ViewMembers),
            list_members,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/members",
            p(ManageMembers),
            add_member,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/members.csv",
            p(ViewMembers),
            export_members,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/members/import",
            p(ManageMembers),
            import_members,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/members/{user_id}",
            p(ManageMembers),
            set_member_role,
        ),
        api(
            Method::DELETE,
            "/api/v1/programmes/{programme}/members/{user_id}",
            p(ManageMembers),
            remove_member,
        ),
    ]
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeJson {
    pub id: String,
    /// Short name used in paths.
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The caller's role here.
    pub role: String,
}

/// The programmes the caller belongs to (with a token, just its programme).
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes", responses((status = 200, body = Vec<ProgrammeJson>)))]
pub async fn my_programmes(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<ProgrammeJson>>, ApiError> {
    let ms = app.store.memberships(ctx.user()?.id).await?;
    Ok(Json(
        ms.into_iter()
            .filter(|m| !matches!(&ctx.via, Via::Token { programme, .. } if *programme != m.programme.id))
            .map(|m| ProgrammeJson {
                id: m.programme.id.to_string(),
                slug: m.programme.slug,
                name: m.programme.name,
                description: m.programme.description,
                role: m.role.slug().into(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct KindCount {
    pub kind: String,
    pub count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct YearCount {
    pub year: i32,
    pub count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeSummaryJson {
    pub programme: ProgrammeJson,
    /// All counted from the rows today.
    pub as_of: String,
    pub partners_current: u64,
    pub partners_former: u64,
    pub members: u64,
    pub partners_by_kind: Vec<KindCount>,
    pub partners_joined_by_year: Vec<YearCount>,
}

/// The programme and the counts on its home page.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}", tag = "programmes",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = ProgrammeSummaryJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn programme(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<ProgrammeSummaryJson>, ApiError> {
    let p = ctx.programme()?.clone();
    let today = clock::today();
    let c = app.store.programme_counts(p.id, today).await?;
    Ok(Json(ProgrammeSummaryJson {
        programme: ProgrammeJson {
            id: p.id.to_string(),
            slug: p.slug,
            name: p.name,
            description: p.description,
            role: ctx.role.map(|r| r.slug().to_string()).unwrap_or_default(),
        },
        as_of: clock::iso_date(today),
        partners_current: c.partners_current,
        partners_former: c.partners_former,
        members: c.members,
        partners_by_kind: c
            .partners_by_kind
            .iter()
            .map(|(k, n)| KindCount {
                kind: k.slug().into(),
                count: *n,
            })
            .collect(),
        partners_joined_by_year: c
            .partners_joined_by_year
            .iter()
            .map(|(y, n)| YearCount {
                year: *y,
                count: *n,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RoleJson {
    pub role: String,
    pub capabilities: Vec<String>,
}

/// Roles and what each may do (the permission table).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/roles", tag = "programmes",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<RoleJson>)))]
pub async fn roles() -> Json<Vec<RoleJson>> {
    let _ = GRANTS;
    Json(
        Role::ALL
            .iter()
            .map(|r| RoleJson {
                role: r.slug().into(),
                capabilities: r
                    .capabilities()
                    .iter()
                    .map(|c| c.slug().to_string())
                    .collect(),
            })
            .collect(),
    )
}

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
            current: p.is_current_on(clock::today()),
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

impl From<Page<Partner>> for PartnerPageJson {
    fn from(p: Page<Partner>) -> Self {
        PartnerPageJson {
            total_pages: p.total_pages(),
            items: p.items.iter().map(PartnerJson::from).collect(),
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        }
    }
}

/// Query parameters of the partner list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PartnerListQuery {
    /// Free text over name, identifier and description.
    q: Option<String>,
    /// A partner kind, e.g. `vcse`.
    kind: Option<String>,
    /// `all` (default), `current` or `former`.
    status: Option<String>,
    /// `name` (default), `kind`, `joined_on` or `left_on`.
    sort: Option<String>,
    /// `asc` (default) or `desc`.
    dir: Option<String>,
    page: Option<u32>,
    /// 1 to 500; default 25.
    per_page: Option<u32>,
    /// CSV only: `yes` to include contact people (needs the capability; audited).
    contacts: Option<String>,
}

/// Partners, filtered, searched, sorted and paged.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/partners", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), PartnerListQuery),
    responses((status = 200, body = PartnerPageJson)))]
pub async fn list_partners(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ListParams>,
) -> Result<Json<PartnerPageJson>, ApiError> {
    let page = app
        .store
        .list_partners(ctx.programme_id()?, &p.query(), clock::today(), p.page())
        .await?;
    Ok(Json(page.into()))
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
    pub name: String,
    pub kind: String,
    pub org_id: Option<String>,
    pub website: Option<String>,
    pub postcode: Option<String>,
    pub description: Option<String>,
    /// YYYY-MM-DD
    pub joined_on: String,
    pub left_on: Option<String>,
    /// Only with the capability to see contacts; omit to leave it as it is.
    pub contact: Option<ContactJson>,
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

    /// Validates everything, naming each bad field (contact fields as `contact/...`).
    fn validate(
        &self,
        ctx: &Ctx,
    ) -> Result<(useit_core::programme::PartnerDraft, Option<PartnerContact>), AppError> {
        if self.contact.is_some() && !ctx.can(Capability::ViewPartnerContacts) {
            return Err(AppError::Forbidden);
        }
        let d = self.input().validate();
        let c = self
            .contact
            .as_ref()
            .map(|c| ContactInput::from(c).validate());
        let mut errs = d.as_ref().err().map(|e| e.0.clone()).unwrap_or_default();
        if let Some(Err(e)) = &c {
            errs.extend(e.0.iter().map(|f| useit_core::validation::FieldError {
                field: format!("contact/{}", f.field.trim_start_matches("contact_")),
                message: f.message.clone(),
            }));
        }
        if !errs.is_empty() {
            return Err(AppError::Invalid(errs));
        }
        Ok((d.expect("checked"), c.map(|c| c.expect("checked"))))
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
    let (draft, contact) = body.validate(&ctx)?;
    let p = app
        .store
        .create_partner(
            ctx.programme_id()?,
            &draft,
            &contact.unwrap_or_default(),
            &ctx.actor(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(PartnerJson::from(&p))).into_response())
}

fn partner_id(s: &str) -> Result<PartnerId, AppError> {
    s.parse().map_err(|_| AppError::NotFound)
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
    let p = app
        .store
        .partner(ctx.programme_id()?, partner_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(PartnerJson::from(&p)))
}

/// Changes a partner (all fields; `contact` only if given).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/partners/{partner_id}", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), ("partner_id" = String, Path, description = "Partner id")),
    request_body = PartnerInputJson,
    responses((status = 200, body = PartnerJson), (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn update_partner(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(body): Json<PartnerInputJson>,
) -> Result<Json<PartnerJson>, ApiError> {
    let id = path.1;
    let (draft, contact) = body.validate(&ctx)?;
    let p = app
        .store
        .update_partner(
            ctx.programme_id()?,
            partner_id(&id)?,
            &draft,
            contact.as_ref(),
            &ctx.actor(),
        )
        .await?;
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
    let c = app
        .store
        .partner_contact(ctx.programme_id()?, partner_id(&id)?, &ctx.actor())
        .await?;
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
    let pid = ctx.programme_id()?;
    let id = partner_id(&id)?;
    let contact = ContactInput::from(&body).validate().map_err(|e| {
        AppError::Invalid(
            e.0.into_iter()
                .map(|f| useit_core::validation::FieldError {
                    field: f.field.trim_start_matches("contact_").to_string(),
                    message: f.message,
                })
                .collect(),
        )
    })?;
    let p = app
        .store
        .partner(pid, id)
        .await?
        .ok_or(AppError::NotFound)?;
    app.store
        .update_partner(pid, id, &p.draft(), Some(&contact), &ctx.actor())
        .await?;
    Ok(Json(contact.into()))
}

/// The partner list as CSV, in the format the import takes back.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/partners.csv", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), PartnerListQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_partners(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ListParams>,
) -> Result<Response, ApiError> {
    Ok(partners::export_csv(&app, &ctx, &p).await?)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check the file and report what would change, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResultJson {
    pub file: String,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// False on a dry run.
    pub applied: bool,
    /// Warnings (errors come back as a 422 problem instead).
    pub problems: Vec<crate::http::error::ProblemLine>,
}

/// Imports partners from CSV (the export's format): all or nothing, and
/// importing the same file twice changes nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/partners/import", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportResultJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_partners(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportResultJson>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "upload.csv".into());
    let (report, outcome) = partners::import_csv(&app, &ctx, &name, &body, q.dry_run).await?;
    if report.has_errors() {
        return Err(AppError::ImportRejected(report).into());
    }
    Ok(Json(ImportResultJson {
        file: report.file.clone(),
        created: outcome.created,
        updated: outcome.updated,
        unchanged: outcome.unchanged,
        applied: outcome.applied,
        problems: problem_lines(&report),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct DuplicateJson {
    pub a: PartnerJson,
    pub b: PartnerJson,
    /// same_identifier, same_name or similar_name
    pub reason: String,
    pub score: f64,
}

/// Pairs of partners that may be the same organisation.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/partners/duplicates", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<DuplicateJson>)))]
pub async fn duplicates(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<DuplicateJson>>, ApiError> {
    let pairs = partners::duplicate_pairs(&app, &ctx).await?;
    Ok(Json(
        pairs
            .iter()
            .map(|v| DuplicateJson {
                a: PartnerJson::from(&v.a),
                b: PartnerJson::from(&v.b),
                reason: serde_json::to_value(v.pair.reason)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                score: (v.pair.score * 1000.0).round() / 1000.0,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct MergeJson {
    /// The partner to merge into this one; it is hidden afterwards.
    pub other: String,
}

/// Merges another partner into this one.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/partners/{partner_id}/merge", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), ("partner_id" = String, Path, description = "The partner to keep")),
    request_body = MergeJson,
    responses((status = 200, body = PartnerJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn merge_partner(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(body): Json<MergeJson>,
) -> Result<Json<PartnerJson>, ApiError> {
    let id = path.1;
    let p = app
        .store
        .merge_partners(
            ctx.programme_id()?,
            partner_id(&id)?,
            partner_id(&body.other)?,
            &ctx.actor(),
        )
        .await?;
    Ok(Json(PartnerJson::from(&p)))
}

#[derive(Serialize, ToSchema)]
pub struct MemberJson {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub since: String,
    pub disabled: bool,
}

impl From<&Member> for MemberJson {
    fn from(m: &Member) -> Self {
        MemberJson {
            user_id: m.user.id.to_string(),
            email: m.user.email.clone(),
            display_name: m.user.display_name.clone(),
            role: m.role.slug().into(),
            since: clock::rfc3339(m.since),
            disabled: m.user.disabled,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberPageJson {
    pub items: Vec<MemberJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct MemberListQuery {
    /// Free text over name, e-mail and role.
    q: Option<String>,
    /// Only this role, e.g. `programme_manager`.
    role: Option<String>,
    /// `name` (default), `email`, `role` or `since`.
    sort: Option<String>,
    /// `asc` (default) or `desc`.
    dir: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Members and their roles (personal data; the read is audited).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/members", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), MemberListQuery),
    responses((status = 200, body = MemberPageJson)))]
pub async fn list_members(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<members::ListParams>,
) -> Result<Json<MemberPageJson>, ApiError> {
    let page =
        members::members_page(&app, &ctx, &p.query(), PageRequest::new(p.page, p.per_page)).await?;
    Ok(Json(MemberPageJson {
        total_pages: page.total_pages(),
        items: page.items.iter().map(MemberJson::from).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewMemberJson {
    pub email: String,
    pub role: String,
    /// For a new account only.
    pub display_name: Option<String>,
    /// For a new account only: its first password.
    pub password: Option<String>,
}

/// Adds a person: gives an existing account a role, or creates the account.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/members", tag = "members",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = NewMemberJson,
    responses((status = 201, body = MemberJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn add_member(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(body): Json<NewMemberJson>,
) -> Result<Response, ApiError> {
    let form = AddForm {
        email: body.email,
        role: body.role,
        display_name: body.display_name.unwrap_or_default(),
        password: body.password.unwrap_or_default(),
    };
    let (id, _) = members::add_member(&app, &ctx, &form).await?;
    let user = app.store.user(id).await?.ok_or(AppError::NotFound)?;
    let role = app
        .store
        .role_in(id, ctx.programme_id()?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(MemberJson::from(&Member {
            user,
            role,
            since: clock::now(),
        })),
    )
        .into_response())
}

/// Members as CSV (audited as an export).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/members.csv", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), MemberListQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_members(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<members::ListParams>,
) -> Result<Response, ApiError> {
    Ok(members::export_csv(&app, &ctx, &p.query()).await?)
}

#[derive(Serialize, ToSchema)]
pub struct MemberImportJson {
    pub file: String,
    #[serde(flatten)]
    pub outcome: MemberImportOutcome,
}

/// Sets the roles a members CSV lists (existing accounts only), all or nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/members/import", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = MemberImportJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_members(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<MemberImportJson>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "upload.csv".into());
    let (report, outcome) = members::import_csv(&app, &ctx, &name, &body, q.dry_run).await?;
    if report.has_errors() {
        return Err(AppError::ImportRejected(report).into());
    }
    Ok(Json(MemberImportJson {
        file: report.file,
        outcome,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct RoleChangeJson {
    pub role: String,
}

fn user_id(s: &str) -> Result<UserId, AppError> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// Changes a member's role (a programme keeps at least one administrator).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/members/{user_id}", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), ("user_id" = String, Path, description = "The member's user id")),
    request_body = RoleChangeJson,
    responses((status = 204), (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn set_member_role(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(body): Json<RoleChangeJson>,
) -> Result<Response, ApiError> {
    let uid = path.1;
    let pid = ctx.programme_id()?;
    let uid = user_id(&uid)?;
    app.store
        .role_in(uid, pid)
        .await?
        .ok_or(AppError::NotFound)?;
    let role: Role = body.role.parse().map_err(|_| {
        AppError::Invalid(vec![useit_core::validation::FieldError {
            field: "role".into(),
            message: useit_core::i18n::Message::new("import.member.bad_role")
                .arg("value", &body.role),
        }])
    })?;
    app.store.set_role(pid, uid, role, &ctx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Removes a member from the programme.
#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/members/{user_id}", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), ("user_id" = String, Path, description = "The member's user id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn remove_member(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let uid = path.1;
    app.store
        .remove_member(ctx.programme_id()?, user_id(&uid)?, &ctx.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The context's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    my_programmes,
    programme,
    roles,
    list_partners,
    create_partner,
    export_partners,
    import_partners,
    duplicates,
    get_partner,
    update_partner,
    get_contact,
    put_contact,
    merge_partner,
    list_members,
    add_member,
    export_members,
    import_members,
    set_member_role,
    remove_member,
))]
pub struct Doc;
