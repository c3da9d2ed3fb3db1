//! The transfer kit (issue 20 item 4): what a programme's model is read
//! from, and a new programme started from a model in one transaction.

use std::collections::BTreeSet;

use async_trait::async_trait;

use useit_core::anchors::settings::SpendSettings;
use useit_core::audit::Actor;
use useit_core::disclosure::DisclosureSettings;
use useit_core::place::selection::AreaSelection;
use useit_core::programme::indicators::Target;
use useit_core::programme::{NewProgramme, Programme};
use useit_core::talent::settings::TalentSettings;
use useit_core::{ProgrammeId, UserId};

use crate::Result;

/// The first area of benefit of a programme started from a model.
pub struct FirstAreaOfBenefit<'a> {
    pub selection: &'a AreaSelection,
    pub codes: &'a BTreeSet<String>,
    pub note: &'a str,
}

/// Everything a programme started from a model begins with.
pub struct FromModel<'a> {
    pub programme: &'a NewProgramme,
    pub first_administrator: Option<UserId>,
    /// The model's name of the programme it was exported from.
    pub modelled_on: &'a str,
    /// The currency and language it starts with.
    pub locale: useit_core::programme::ProgrammeLocale,
    /// The model as read, kept with the programme.
    pub model_json: &'a str,
    pub spend: &'a SpendSettings,
    pub talent: &'a TalentSettings,
    pub disclosure: DisclosureSettings,
    pub targets: &'a [Target],
    pub area_of_benefit: Option<FirstAreaOfBenefit<'a>>,
}

#[async_trait]
pub trait ModelStore {
    /// The professions the programme's people follow, by code: the only
    /// thing a model takes from the people's records, and no person's.
    async fn professions_relied_on(&self, programme: ProgrammeId) -> Result<Vec<String>>;
    /// Starts the programme with its settings, targets, threshold, first
    /// area of benefit and the model kept, each with its audit entry, in one
    /// transaction: all of it or nothing.
    async fn create_programme_from_model(
        &self,
        m: &FromModel<'_>,
        actor: &Actor,
    ) -> Result<Programme>;
    /// The model a programme was started from, as it was read, and the
    /// name of the programme it was exported from.
    async fn programme_model(&self, programme: ProgrammeId) -> Result<Option<(String, String)>>;
    /// The other programmes started from a model exported from a programme
    /// named `name` (id, name, and when each was started), oldest first:
    /// the lineage shows them below it.
    async fn programmes_modelled_on(
        &self,
        programme: ProgrammeId,
        name: &str,
    ) -> Result<Vec<(uuid::Uuid, String, time::OffsetDateTime)>>;
}
