//! The interactions' figures through the API: the same numbers as the
//! figures page (each anchor's count at each month's end, by kind, the
//! organisations by decile, the network).

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use useit_app::anchors::interactions::{interaction_figures, neighbourhoods};
use useit_core::clock::iso_date;
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct SeriesJson {
    pub anchor: String,
    pub anchor_name: String,
    /// In force at each month's end, in the order of `months`.
    pub counts: Vec<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct KindJson {
    pub kind: String,
    /// In force today.
    pub count: u64,
}

/// Named apart from the area of benefit's `DecileJson` (areas and people
/// by decile): one name for two shapes made the served description wrong.
#[derive(Serialize, ToSchema)]
#[schema(as = InteractionDecileJson)]
pub struct DecileJson {
    /// 1 (most deprived) to 10.
    pub decile: u8,
    pub organisations: u64,
}

#[derive(Serialize, ToSchema)]
pub struct PlacedJson {
    pub organisation: String,
    pub name: String,
    pub postcode: Option<String>,
    pub area_code: Option<String>,
    /// Null: not known (no postcode, or not in the loaded geography).
    pub decile: Option<u8>,
    /// Null when the programme has no area of benefit yet.
    pub in_area_of_benefit: Option<bool>,
    pub anchors: Vec<String>,
    pub interactions: u64,
}

#[derive(Serialize, ToSchema)]
pub struct LinkJson {
    pub anchor: String,
    pub organisation: String,
    pub kinds: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FiguresJson {
    pub today: String,
    /// The last day of each month, from the month before the first
    /// interaction (so every count starts at 0) to this month.
    pub months: Vec<String>,
    pub series: Vec<SeriesJson>,
    pub by_kind: Vec<KindJson>,
    /// Organisations anchors work with today, by the decile of their
    /// neighbourhood; those that could not be placed are `not_placed`.
    pub by_decile: Vec<DecileJson>,
    pub not_placed: u64,
    pub organisations: Vec<PlacedJson>,
    /// Who works with whom today.
    pub network: Vec<LinkJson>,
}

/// Each anchor's count of interactions in force at each month's end (the
/// "0 → 30"), those in force today by kind, the organisations by the
/// deprivation decile of their neighbourhood, and who works with whom.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/interactions/figures", tag = "interactions",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = FiguresJson)))]
pub async fn figures(State(app): State<AppState>, ctx: Ctx) -> Result<Json<FiguresJson>, ApiError> {
    let caller = ctx.caller()?;
    let f = interaction_figures(app.store.as_ref(), &caller).await?;
    let n = neighbourhoods(app.store.as_ref(), &caller).await?;
    Ok(Json(FiguresJson {
        today: iso_date(f.today),
        months: f.months.iter().map(|m| iso_date(*m)).collect(),
        series: f
            .series
            .into_iter()
            .map(|s| SeriesJson {
                anchor: s.anchor,
                anchor_name: s.anchor_name,
                counts: s.counts,
            })
            .collect(),
        by_kind: f
            .by_kind
            .iter()
            .map(|(k, c)| KindJson {
                kind: k.slug().into(),
                count: *c,
            })
            .collect(),
        by_decile: n
            .by_decile
            .iter()
            .map(|(d, c)| DecileJson {
                decile: *d,
                organisations: *c,
            })
            .collect(),
        not_placed: n.unplaced,
        organisations: n
            .organisations
            .into_iter()
            .map(|o| PlacedJson {
                organisation: o.organisation,
                name: o.name,
                postcode: o.postcode,
                area_code: o.area_code,
                decile: o.decile,
                in_area_of_benefit: o.in_area_of_benefit,
                anchors: o.anchors,
                interactions: o.interactions,
            })
            .collect(),
        network: f
            .links
            .iter()
            .map(|l| LinkJson {
                anchor: l.anchor.clone(),
                organisation: l.organisation.clone(),
                kinds: l.kinds.iter().map(|k| k.slug().to_string()).collect(),
            })
            .collect(),
    }))
}
