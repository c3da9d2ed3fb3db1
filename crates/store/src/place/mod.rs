//! Reference geography (deployment-wide) and each programme's area of
//! benefit (programme-owned, versioned).

use std::collections::BTreeSet;

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::Actor;
use useit_core::listing::{Page, PageRequest};
use useit_core::place::areas::{AreaQuery, AreaRow, BoundaryRow, NamedAreaCount};
use useit_core::place::deprivation::DeprivationIndex;
use useit_core::place::load::ReferenceLoad;
use useit_core::place::selection::{AreaFacts, AreaOfBenefit, AreaSelection};
use useit_core::place::{
    Area, AreaDeprivation, NamedArea, PostcodePoint, PostcodeRecord, SchemeSummary,
};

use crate::Result;

#[async_trait]
pub trait PlaceStore {
    /// Loads one file's reference data in one transaction. Loading the same
    /// file again changes nothing. `progress` is told the rows written so far.
    async fn load_reference(
        &self,
        load: &ReferenceLoad,
        progress: &(dyn Fn(u64) + Send + Sync),
        actor: &Actor,
    ) -> Result<()>;
    async fn schemes(&self) -> Result<Vec<SchemeSummary>>;
    async fn indices(&self) -> Result<Vec<DeprivationIndex>>;
    /// Every area of a scheme with what resolving an area of benefit needs.
    async fn area_facts(&self, scheme: &str, index: Option<&str>) -> Result<Vec<AreaFacts>>;
    async fn area(&self, scheme: &str, code: &str) -> Result<Option<Area>>;
    async fn area_deprivation(&self, index: &str, code: &str) -> Result<Option<AreaDeprivation>>;
    async fn list_areas(&self, query: &AreaQuery, page: PageRequest) -> Result<Page<AreaRow>>;
    /// Boundaries of the given areas (all loaded ones if `codes` is empty).
    async fn boundaries(
        &self,
        scheme: &str,
        index: Option<&str>,
        codes: &[String],
    ) -> Result<Vec<BoundaryRow>>;
    async fn postcode(&self, compact: &str) -> Result<Option<PostcodeRecord>>;
    /// Many postcodes at once, by compact form; unknown ones are left out.
    async fn postcodes(&self, compacts: &[String]) -> Result<Vec<PostcodeRecord>>;
    /// Every postcode with its area in `scheme`, for building an in-memory index.
    async fn postcode_points(&self, scheme: &str) -> Result<Vec<PostcodePoint>>;
    async fn postcodes_in_area(&self, scheme: &str, code: &str) -> Result<i64>;
    async fn local_authorities(&self, scheme: &str) -> Result<Vec<NamedAreaCount>>;
    async fn wards(&self, scheme: &str) -> Result<Vec<NamedAreaCount>>;
    async fn named_area(&self, code: &str) -> Result<Option<NamedArea>>;

    /// Saves a new version of a programme's area of benefit with the areas it resolved to.
    async fn save_area_of_benefit(
        &self,
        programme: ProgrammeId,
        selection: &AreaSelection,
        codes: &BTreeSet<String>,
        note: &str,
        actor: &Actor,
    ) -> Result<AreaOfBenefit>;
    /// A version, or the current one when `version` is `None`.
    async fn area_of_benefit(
        &self,
        programme: ProgrammeId,
        version: Option<i64>,
    ) -> Result<Option<AreaOfBenefit>>;
    async fn area_of_benefit_versions(&self, programme: ProgrammeId) -> Result<Vec<AreaOfBenefit>>;
    async fn area_of_benefit_codes(
        &self,
        programme: ProgrammeId,
        id: Uuid,
    ) -> Result<BTreeSet<String>>;
}

/// Whose versioned area selection a write is: the programme's area of
/// benefit, or a community's area (`crate::community`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SelectionOwner {
    Programme,
    Community(Uuid),
}

#[derive(sqlx::FromRow)]
pub(crate) struct AreaRowDb {
    pub scheme: String,
    pub code: String,
    pub name: String,
    pub local_authority_code: Option<String>,
    pub local_authority_name: Option<String>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<i64>,
}

impl From<AreaRowDb> for Area {
    fn from(r: AreaRowDb) -> Self {
        Area {
            scheme: r.scheme,
            code: r.code,
            name: r.name,
            local_authority_code: r.local_authority_code,
            local_authority_name: r.local_authority_name,
            ward_code: r.ward_code,
            ward_name: r.ward_name,
            lat: r.lat,
            lon: r.lon,
            population: r.population,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AobRow {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub version: i64,
    pub definition: String,
    pub area_count: i64,
    pub note: String,
    pub created_at: OffsetDateTime,
    pub created_by: String,
}

impl TryFrom<AobRow> for AreaOfBenefit {
    type Error = crate::StoreError;
    fn try_from(r: AobRow) -> Result<Self> {
        Ok(AreaOfBenefit {
            id: r.id,
            programme_id: ProgrammeId(r.programme_id),
            version: r.version,
            selection: serde_json::from_str(&r.definition)
                .map_err(|e| crate::StoreError::Database(sqlx::Error::Decode(Box::new(e))))?,
            area_count: r.area_count,
            note: r.note,
            created_at: r.created_at,
            created_by: r.created_by,
        })
    }
}
