//! The programme's spend settings. Saving the form with the re-spend
//! shares a survey set keeps the survey as their source; typing other
//! shares drops it.

use useit_core::anchors::settings::{
    Authority, SpendSettings, SpendSettingsInput, read_city_region,
};
use useit_core::auth::Capability;
use useit_core::i18n::Message;
use useit_core::validation::Invalid;

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
    // The city region may be typed by name: read as codes before the rest.
    let known = authorities(store).await?;
    let city_region = read_city_region(&input.city_region, &known).map_err(|unknown| {
        Invalid::one(
            "city_region",
            Message::new("anchors.spend.settings.city_region_unknown")
                .arg("names", unknown.join(", ")),
        )
    })?;
    let input = SpendSettingsInput {
        city_region: city_region.join(", "),
        ..input.clone()
    };
    let settings = input.validate()?.keep_source(&before);
    store
        .save_spend_settings(caller.programme, &settings, &caller.actor)
        .await?;
    Ok(settings)
}

/// The local authorities the place data names, in every scheme loaded, by
/// name: what a city region is chosen from.
async fn authorities(store: &dyn Store) -> Result<Vec<Authority>> {
    let mut out: Vec<Authority> = Vec::new();
    for s in store.schemes().await? {
        for la in store.local_authorities(&s.scheme.code).await? {
            if la.name != la.code && !out.iter().any(|(c, _)| *c == la.code) {
                out.push((la.code, la.name));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// The local authorities a city region can be named from (see
/// [`authorities`]), for the settings form.
pub async fn city_region_choices(store: &dyn Store, caller: &Caller) -> Result<Vec<Authority>> {
    caller.require(Capability::ViewSpend)?;
    authorities(store).await
}
