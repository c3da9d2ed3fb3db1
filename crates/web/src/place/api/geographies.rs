//! The area schemes and deprivation indices loaded in this deployment.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use useit_app::place::geographies::geographies as loaded;
use utoipa::ToSchema;

use crate::http::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct SchemeJson {
    pub code: String,
    pub name: String,
    pub country: String,
    pub level: String,
    pub areas: i64,
    pub areas_with_boundaries: i64,
    pub postcodes: i64,
}

#[derive(Serialize, ToSchema)]
pub struct IndexJson {
    pub code: String,
    pub name: String,
    pub scheme: String,
    /// The N of the deciles: decile = ceil(10 × rank / N), rank 1 = most deprived.
    pub areas_ranked: i64,
    pub source: String,
}

#[derive(Serialize, ToSchema)]
pub struct GeographiesJson {
    pub schemes: Vec<SchemeJson>,
    pub indices: Vec<IndexJson>,
}

/// The area schemes and deprivation indices loaded in this deployment.
#[utoipa::path(get, path = "/api/v1/place/geographies", tag = "place", responses((status = 200, body = GeographiesJson)))]
pub async fn geographies(State(app): State<AppState>) -> Result<Json<GeographiesJson>, ApiError> {
    let g = loaded(app.store.as_ref()).await?;
    Ok(Json(GeographiesJson {
        schemes: g
            .schemes
            .into_iter()
            .map(|s| SchemeJson {
                code: s.scheme.code,
                name: s.scheme.name,
                country: s.scheme.country,
                level: s.scheme.level,
                areas: s.areas,
                areas_with_boundaries: s.with_boundaries,
                postcodes: s.postcodes,
            })
            .collect(),
        indices: g
            .indices
            .into_iter()
            .map(|i| IndexJson {
                code: i.code,
                name: i.name,
                scheme: i.scheme,
                areas_ranked: i.areas_ranked,
                source: i.source,
            })
            .collect(),
    }))
}
