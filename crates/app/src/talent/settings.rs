//! The programme's talent settings: its targets and how agency savings are
//! costed.

use useit_core::auth::Capability;
use useit_core::talent::settings::{TalentSettings, TalentSettingsInput};

use crate::{Caller, Result, Store};

pub async fn talent_settings(store: &dyn Store, caller: &Caller) -> Result<TalentSettings> {
    caller.require(Capability::ViewTalentResults)?;
    Ok(store.talent_settings(caller.programme).await?)
}

/// Checks and saves the settings; the results follow at once.
pub async fn save_talent_settings(
    store: &dyn Store,
    caller: &Caller,
    input: &TalentSettingsInput,
) -> Result<TalentSettings> {
    caller.require(Capability::ManageTalentSettings)?;
    let settings = input.validate()?;
    store
        .save_talent_settings(caller.programme, &settings, &caller.actor)
        .await?;
    Ok(settings)
}
