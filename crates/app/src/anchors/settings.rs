//! The programme's spend settings. Saving the form with the re-spend
//! shares a survey set keeps the survey as their source; typing other
//! shares drops it.

use useit_core::anchors::settings::{SpendSettings, SpendSettingsInput};
use useit_core::auth::Capability;

use crate::{Caller, Result, Store};

pub async fn spend_settings(store: &dyn Store, caller: &Caller) -> Result<SpendSettings> {
    caller.require(Capability::ViewSpend)?;
    Ok(store.spend_settings(caller.programme).await?)
}

/// Checks and saves the settings; the figures follow at once.
pub async fn save_spend_settings(
    store: &dyn Store,
    caller: &Caller,
    input: &SpendSettingsInput,
) -> Result<SpendSettings> {
    caller.require(Capability::ManageSpend)?;
    let before = store.spend_settings(caller.programme).await?;
    let settings = input.validate()?.keep_source(&before);
    store
        .save_spend_settings(caller.programme, &settings, &caller.actor)
        .await?;
    Ok(settings)
}
