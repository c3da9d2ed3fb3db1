//! The programme's disclosure threshold, and the `Viewer` every published
//! count of people is built with: exact figures for roles with the right to
//! personal data, "fewer than k" for everyone else, at the programme's k.

use useit_core::auth::Capability;
use useit_core::disclosure::{DisclosureSettings, DisclosureSettingsInput, Viewer};

use crate::{Caller, Result, Store};

/// The threshold in force (the default until a manager sets one).
pub async fn disclosure_settings(store: &dyn Store, caller: &Caller) -> Result<DisclosureSettings> {
    caller.require(Capability::ViewProgramme)?;
    Ok(store.disclosure_settings(caller.programme).await?)
}

/// Sets the threshold; every page, API answer, CSV and CLI figure follows.
pub async fn save_disclosure_settings(
    store: &dyn Store,
    caller: &Caller,
    input: &DisclosureSettingsInput,
) -> Result<DisclosureSettings> {
    caller.require(Capability::ManageDisclosure)?;
    let settings = input.validate()?;
    store
        .save_disclosure_settings(caller.programme, settings, &caller.actor)
        .await?;
    Ok(settings)
}

/// Who is looking, at the programme's threshold. Exact figures go to
/// roles holding `exact_with` (the capability that lets them see the
/// people behind the counts), and to the console.
pub async fn viewer(store: &dyn Store, caller: &Caller, exact_with: Capability) -> Result<Viewer> {
    let settings = store.disclosure_settings(caller.programme).await?;
    Ok(Viewer::new(settings, caller.can(exact_with)))
}
