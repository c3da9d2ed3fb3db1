//! Programmes (tenants) and their partners.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use useit_core::audit::Actor;
use useit_core::csv_import::Report;
use useit_core::i18n::Language;
use useit_core::listing::{Page, PageRequest};
use useit_core::money::Currency;
use useit_core::programme::partner_csv::{ImportOutcome, ParsedRow};
use useit_core::programme::{
    NewProgramme, Partner, PartnerContact, PartnerDraft, PartnerKind, PartnerQuery, Programme,
    ProgrammeCounts, ProgrammeLocale,
};
use useit_core::{PartnerId, ProgrammeId, UserId};

use crate::Result;

pub mod disclosure;
pub mod indicators;
pub mod model;
pub mod saved_filters;
pub mod stories;

#[async_trait]
pub trait ProgrammeStore {
    /// Creates a programme, with its first administrator if given, in one
    /// transaction. A slug already in use is a conflict on `slug`.
    async fn create_programme(
        &self,
        new: &NewProgramme,
        first_administrator: Option<UserId>,
        actor: &Actor,
    ) -> Result<Programme>;
    async fn programme(&self, id: ProgrammeId) -> Result<Option<Programme>>;
    async fn programme_by_slug(&self, slug: &str) -> Result<Option<Programme>>;
    async fn programmes(&self) -> Result<Vec<Programme>>;
    async fn update_programme(
        &self,
        id: ProgrammeId,
        name: &str,
        description: &str,
        actor: &Actor,
    ) -> Result<Programme>;
    /// Sets the currency its money is shown in and the language of its
    /// pages (amounts are not converted: they were always in its currency).
    async fn set_programme_locale(
        &self,
        id: ProgrammeId,
        locale: ProgrammeLocale,
        actor: &Actor,
    ) -> Result<Programme>;
    /// Counted from the rows, as of `today`.
    async fn programme_counts(&self, id: ProgrammeId, today: Date) -> Result<ProgrammeCounts>;
}

#[async_trait]
pub trait PartnerStore {
    async fn create_partner(
        &self,
        programme: ProgrammeId,
        draft: &PartnerDraft,
        contact: &PartnerContact,
        actor: &Actor,
    ) -> Result<Partner>;
    /// `contact: None` leaves the contact person as it is.
    async fn update_partner(
        &self,
        programme: ProgrammeId,
        id: PartnerId,
        draft: &PartnerDraft,
        contact: Option<&PartnerContact>,
        actor: &Actor,
    ) -> Result<Partner>;
    /// A partner of this programme that has not been merged away.
    async fn partner(&self, programme: ProgrammeId, id: PartnerId) -> Result<Option<Partner>>;
    /// Where a merged-away partner went.
    async fn partner_merged_into(
        &self,
        programme: ProgrammeId,
        id: PartnerId,
    ) -> Result<Option<PartnerId>>;
    /// The contact person: personal data, so the read is audited.
    async fn partner_contact(
        &self,
        programme: ProgrammeId,
        id: PartnerId,
        actor: &Actor,
    ) -> Result<PartnerContact>;
    async fn list_partners(
        &self,
        programme: ProgrammeId,
        query: &PartnerQuery,
        today: Date,
        page: PageRequest,
    ) -> Result<Page<Partner>>;
    /// The list as CSV rows; with contacts, the export is audited.
    async fn export_partners(
        &self,
        programme: ProgrammeId,
        query: &PartnerQuery,
        today: Date,
        include_contacts: bool,
        actor: &Actor,
    ) -> Result<Vec<(Partner, Option<PartnerContact>)>>;
    /// Plans the rows against the partners that exist and, unless the report
    /// holds errors or it is a dry run, applies the plan in one transaction.
    async fn import_partners(
        &self,
        programme: ProgrammeId,
        rows: Vec<ParsedRow>,
        report: &mut Report,
        dry_run: bool,
        actor: &Actor,
    ) -> Result<ImportOutcome>;
    /// Merges `other` into `keep`: `keep` takes the merged values, `other`
    /// is hidden and points at `keep`.
    async fn merge_partners(
        &self,
        programme: ProgrammeId,
        keep: PartnerId,
        other: PartnerId,
        actor: &Actor,
    ) -> Result<Partner>;
}

pub(crate) const PARTNER_COLUMNS: &str = "id, programme_id, name, kind, org_id, website, postcode, \
     description, joined_on, left_on, created_at, updated_at";

#[derive(sqlx::FromRow)]
pub(crate) struct ProgrammeRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub created_at: OffsetDateTime,
    pub currency: String,
    pub language: String,
}

impl From<ProgrammeRow> for Programme {
    fn from(r: ProgrammeRow) -> Self {
        Programme {
            id: ProgrammeId(r.id),
            slug: r.slug,
            name: r.name,
            description: r.description,
            created_at: r.created_at,
            // Only these codes are ever written (ProgrammeLocaleInput::validate).
            currency: Currency::parse(&r.currency).unwrap_or_default(),
            language: Language::parse(&r.language).unwrap_or_default(),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PartnerRow {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub name: String,
    pub kind: String,
    pub org_id: Option<String>,
    pub website: Option<String>,
    pub postcode: Option<String>,
    pub description: String,
    pub joined_on: Date,
    pub left_on: Option<Date>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl TryFrom<PartnerRow> for Partner {
    type Error = crate::StoreError;
    fn try_from(r: PartnerRow) -> Result<Self> {
        Ok(Partner {
            id: PartnerId(r.id),
            programme_id: ProgrammeId(r.programme_id),
            name: r.name,
            kind: parse_kind(&r.kind)?,
            org_id: r.org_id,
            website: r.website,
            postcode: r.postcode,
            description: r.description,
            joined_on: r.joined_on,
            left_on: r.left_on,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

pub(crate) fn parse_kind(s: &str) -> Result<PartnerKind> {
    s.parse::<PartnerKind>().map_err(|()| {
        crate::StoreError::Database(sqlx::Error::Decode(format!("partner kind {s}").into()))
    })
}

#[derive(sqlx::FromRow)]
pub(crate) struct ContactRow {
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

impl From<ContactRow> for PartnerContact {
    fn from(r: ContactRow) -> Self {
        PartnerContact {
            name: r.contact_name,
            email: r.contact_email,
            phone: r.contact_phone,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PartnerWithContactRow {
    #[sqlx(flatten)]
    pub partner: PartnerRow,
    #[sqlx(flatten)]
    pub contact: ContactRow,
    pub merged_into: Option<Uuid>,
}
