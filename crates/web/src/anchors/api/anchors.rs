//! Anchors, their spend files and the organisation register through the API.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::Imported;
use useit_app::anchors::anchor::{anchor, anchors, find_organisations, save_anchor};

use useit_app::anchors::jobs::{BackgroundUpload, goes_to_background};
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_core::anchors::anchor::{Anchor, AnchorInput, AnchorKind};
use useit_core::anchors::import::ImportOptions;
use useit_core::anchors::ledger::ImportOutcome;
use useit_core::csv_import::Report;
use useit_core::i18n::Message;
use useit_core::validation::FieldError;
use utoipa::{IntoParams, ToSchema};

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, ProblemLine, problem_lines};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct SiteJson {
    pub name: String,
    pub postcode: String,
}

#[derive(Serialize, ToSchema)]
pub struct AnchorJson {
    pub slug: String,
    pub name: String,
    /// nhs_trust, council, university, housing_association, other.
    pub kind: String,
    pub official_code: Option<String>,
    pub local_authority_code: Option<String>,
    /// `field=Header` pairs for files whose headers are not recognised.
    pub column_mapping: Vec<String>,
    pub sites: Vec<SiteJson>,
}

fn anchor_json(a: &Anchor) -> AnchorJson {
    AnchorJson {
        slug: a.slug.clone(),
        name: a.name.clone(),
        kind: a.kind.slug().into(),
        official_code: a.official_code.clone(),
        local_authority_code: a.local_authority_code.clone(),
        column_mapping: a.column_mapping.pairs(),
        sites: a
            .sites
            .iter()
            .map(|s| SiteJson {
                name: s.name.clone(),
                postcode: s.postcode.clone(),
            })
            .collect(),
    }
}

/// The anchors of the programme and their sites.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<AnchorJson>)))]
pub async fn list_anchors(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<AnchorJson>>, ApiError> {
    Ok(Json(
        anchors(app.store.as_ref(), &ctx.caller()?)
            .await?
            .iter()
            .map(anchor_json)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct AnchorInputJson {
    #[schema(min_length = 1)]
    pub name: String,
    /// nhs_trust, council, university, housing_association or other.
    #[schema(schema_with = anchor_kinds)]
    pub kind: String,
    #[serde(default)]
    pub official_code: Option<String>,
    #[serde(default)]
    pub local_authority_code: Option<String>,
    #[serde(default)]
    pub column_mapping: Vec<String>,
    #[serde(default)]
    pub sites: Vec<SiteInputJson>,
}

fn anchor_kinds() -> utoipa::openapi::schema::Object {
    useit_core::openapi::choice(AnchorKind::ALL.iter().map(|k| k.slug()), false)
}

#[derive(Deserialize, ToSchema)]
pub struct SiteInputJson {
    pub name: String,
    pub postcode: String,
}

/// Creates the anchor with this short name, or changes it (sites are replaced).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/anchors/{anchor}", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("anchor" = String, Path, description = "Anchor short name")),
    request_body = AnchorInputJson,
    responses((status = 200, body = AnchorJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_anchor(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(j): Json<AnchorInputJson>,
) -> Result<Json<AnchorJson>, ApiError> {
    let slug = path.1;
    let form = AnchorInput {
        slug,
        name: j.name,
        kind: j.kind,
        official_code: j.official_code.unwrap_or_default(),
        local_authority_code: j.local_authority_code.unwrap_or_default(),
        sites: j
            .sites
            .iter()
            .map(|s| format!("{}, {}", s.name, s.postcode))
            .collect::<Vec<_>>()
            .join("\n"),
        column_mapping: j.column_mapping.join("\n"),
    };
    let a = save_anchor(app.store.as_ref(), &ctx.caller()?, &form).await?;
    Ok(Json(anchor_json(&a)))
}

/// What to look for among the organisations an anchor can be.
#[derive(Deserialize, IntoParams)]
pub struct FindOrganisations {
    /// Words of the name (every one must appear, any case), or the code;
    /// nothing finds nothing.
    #[serde(default)]
    pub find: String,
}

/// An organisation an anchor can be, with the codes that fill its form.
#[derive(Serialize, ToSchema)]
pub struct OrganisationJson {
    /// nhs_trust, council or university.
    pub kind: String,
    /// The ODS code of a trust, the GSS code of a council, the UKPRN of a
    /// university.
    pub official_code: String,
    pub name: String,
    /// Its headquarters' postcode, when the list gives one.
    pub postcode: Option<String>,
    /// Its local authority, when known from its postcode or as a council.
    pub local_authority_code: Option<String>,
}

/// The NHS trusts, universities and councils whose names hold every word
/// looked for (at most 20), to create an anchor without looking codes up.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchor-organisations", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), FindOrganisations),
    responses((status = 200, body = Vec<OrganisationJson>)))]
pub async fn list_organisations(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FindOrganisations>,
) -> Result<Json<Vec<OrganisationJson>>, ApiError> {
    Ok(Json(
        find_organisations(app.store.as_ref(), &ctx.caller()?, &q.find)
            .await?
            .into_iter()
            .map(|c| OrganisationJson {
                kind: c.kind.slug().into(),
                official_code: c.code,
                name: c.name,
                postcode: c.postcode,
                local_authority_code: c.local_authority_code,
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpendImportQuery {
    /// The file's name, for the report.
    pub file_name: Option<String>,
    /// Import the good lines of a file with bad ones, listing what was skipped.
    #[serde(default)]
    pub skip_bad_lines: bool,
    /// YYYY-MM-DD: the date for lines without one (the start of the file's period).
    pub undated_lines_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SpendImportJson {
    pub file: String,
    pub file_id: Option<String>,
    pub lines_read: u64,
    pub lines_new: u64,
    pub total_new_pence: i64,
    pub new_suppliers: u64,
    pub matched: u64,
    pub to_review: u64,
    pub already_imported: bool,
    /// Warnings and, with skip_bad_lines, the skipped lines.
    pub problems: Vec<ProblemLine>,
}

/// Imports a spend file as published (CSV body): all or nothing unless
/// `skip_bad_lines`; the same file twice changes nothing; lines already held
/// from an overlapping file are not counted again. A file over 20,000 lines
/// (or a workbook over 1 MiB) imports in the background: the answer is 202
/// with its status address in `Location`.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/anchors/{anchor}/spend-files", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("anchor" = String, Path, description = "Anchor short name"), SpendImportQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 201, body = SpendImportJson), (status = 200, body = SpendImportJson, description = "Already imported"),
        (status = 202, body = super::imports::ImportJobJson, description = "A large file: importing in the background; its status is at the Location"),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn import_file(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Query(q): Query<SpendImportQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let slug = path.1;
    // An unknown anchor is a missing resource here, not a bad field.
    let found = anchor(app.store.as_ref(), &ctx.caller()?, &slug).await?;
    let undated_lines_on = match q
        .undated_lines_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(
            time::Date::parse(s, &time::format_description::well_known::Iso8601::DATE).map_err(
                |_| {
                    AppError::Invalid(vec![FieldError {
                        field: "undated_lines_on".into(),
                        message: Message::new("validation.date").arg("value", s),
                    }])
                },
            )?,
        ),
    };
    let name = q.file_name.unwrap_or_else(|| "upload.csv".into());
    let upload = SpendUpload {
        anchor: &slug,
        file_name: &name,
        bytes: &body,
        options: ImportOptions {
            skip_bad_lines: q.skip_bad_lines,
            undated_lines_on,
        },
    };
    if goes_to_background(&body) {
        return Ok(super::imports::accepted(
            &app,
            &ctx,
            BackgroundUpload {
                anchor: slug.clone(),
                anchor_name: found.name,
                file_name: name.clone(),
                bytes: body.to_vec(),
                options: upload.options,
            },
        )?);
    }
    let Imported { outcome: o, report } =
        import_spend_file(app.store.as_ref(), &ctx.caller()?, upload, &|_| {}).await?;
    let status = if o.already_imported {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(SpendImportJson::new(&o, &report))).into_response())
}

impl SpendImportJson {
    pub fn new(o: &ImportOutcome, report: &Report) -> SpendImportJson {
        SpendImportJson {
            file: report.file.clone(),
            file_id: o.file_id.map(|i| i.to_string()),
            lines_read: o.lines_read,
            lines_new: o.lines_new,
            total_new_pence: o.total_new,
            new_suppliers: o.new_suppliers,
            matched: o.matched,
            to_review: o.to_review,
            already_imported: o.already_imported,
            problems: problem_lines(report),
        }
    }
}
