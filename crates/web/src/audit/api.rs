//! The audit log through the JSON API.

use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;
use useit_app::audit::Reading;
use useit_core::audit::{AuditEntry, AuditQuery};
use useit_core::clock;
use useit_core::listing::Page;
use utoipa::{OpenApi, ToSchema};

use super::view::{Whose, namer, names, read};
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;
use useit_app::audit::Names;

#[derive(Serialize, ToSchema)]
pub struct AuditJson {
    pub id: String,
    pub at: String,
    pub programme_id: Option<String>,
    pub actor: String,
    pub actor_user_id: Option<String>,
    pub channel: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub summary: String,
    /// The client's network address as the server trusted it (behind
    /// `--trust-proxy`, the address the proxy saw); null from the command
    /// line and for entries written before addresses were kept.
    pub client_address: Option<String>,
    /// Who acted, in words ("The demo set-up" for `system:demo`).
    pub actor_text: String,
    /// The kind of record in words ("Person" for `talent_person`).
    pub subject_text: String,
    /// What the entry says, in words and in the programme's language
    /// (naming the people it is about where the caller may see them).
    pub summary_text: String,
    /// The person a membership or account entry is about, where the
    /// caller may see them.
    pub subject_name: Option<String>,
    /// What the entry says as a catalogue key and its arguments (JSON),
    /// null for entries written before these were kept.
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPageJson {
    pub items: Vec<AuditJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
}

fn page_json(p: Page<AuditEntry>, names: &Names) -> AuditPageJson {
    AuditPageJson {
        total_pages: p.total_pages(),
        items: p
            .items
            .iter()
            .map(|e| AuditJson {
                id: e.id.to_string(),
                at: clock::rfc3339(e.at),
                programme_id: e.programme_id.map(|p| p.to_string()),
                actor: e.actor_label.clone(),
                actor_user_id: e.actor_user_id.map(|u| u.to_string()),
                channel: e.channel.slug().into(),
                action: e.action.slug().into(),
                subject_type: e.subject_type.clone(),
                subject_id: e.subject_id.clone(),
                summary: e.summary.clone(),
                client_address: e.address.clone(),
                actor_text: useit_core::words::actor(&e.actor_label),
                subject_text: useit_core::words::record_kind(&e.subject_type),
                summary_text: e.said_in_words(&namer(names)),
                subject_name: match e.subject_type.as_str() {
                    "user" | "membership" => {
                        e.people().first().and_then(|id| names.get(id).cloned())
                    }
                    _ => None,
                },
                message: e.message.clone(),
            })
            .collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }
}

/// The programme's audit log, newest first.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/audit", tag = "audit",
    params(("programme" = String, Path, description = "Programme short name"), AuditQuery),
    responses((status = 200, body = AuditPageJson)))]
pub async fn api_programme_log(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AuditQuery>,
) -> Result<Json<AuditPageJson>, ApiError> {
    let entries = read(&app, &ctx, &Whose::Programme, &p, p.page(), Reading::Look).await?;
    let names = names(&app, &ctx, &Whose::Programme, &entries.items).await?;
    Ok(Json(page_json(entries, &names)))
}

/// The whole deployment's audit log (deployment administrators).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(AuditQuery),
    responses((status = 200, body = AuditPageJson)))]
pub async fn api_deployment_log(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AuditQuery>,
) -> Result<Json<AuditPageJson>, ApiError> {
    let entries = read(&app, &ctx, &Whose::Deployment, &p, p.page(), Reading::Look).await?;
    let names = names(&app, &ctx, &Whose::Deployment, &entries.items).await?;
    Ok(Json(page_json(entries, &names)))
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(api_programme_log, api_deployment_log))]
pub struct Doc;
