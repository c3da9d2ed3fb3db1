//! More demo enterprises, so the directory has the seed's ~120: invented
//! names built from real place names of Sandwell and west Birmingham and a
//! trade, each with the legal form its name says, made deterministically
//! through the same app function as the rest of the demo. Demo data: no
//! such organisations exist.

use useit_app::Caller;
use useit_app::enterprise::profiles::{add_enterprise, save_profile};
use useit_core::enterprise::profile::{NewEnterpriseInput, ProfileInput};
use useit_store::Store;

/// How many enterprises the demo's directory holds in all.
pub const TARGET: usize = 120;

/// Real places of Sandwell and west Birmingham.
const PLACES: &[&str] = &[
    "Smethwick",
    "Oldbury",
    "Tipton",
    "Wednesbury",
    "West Bromwich",
    "Rowley Regis",
    "Blackheath",
    "Cradley Heath",
    "Old Hill",
    "Langley",
    "Bearwood",
    "Cape Hill",
    "Handsworth",
    "Winson Green",
    "Ladywood",
    "Soho",
    "Lozells",
    "Hockley",
    "Jewellery Quarter",
    "Edgbaston",
    "Harborne",
    "Quinton",
    "Warley",
    "Great Barr",
    "Hamstead",
    "Friar Park",
    "Charlemont",
    "Princes End",
    "Ocker Hill",
    "Tividale",
    "Hateley Heath",
    "Greets Green",
    "Swan Village",
    "Londonderry",
    "Brandhall",
    "Causeway Green",
    "Titford",
    "Whiteheath",
    "Springfield",
    "Perry Barr",
];

/// A trade: words in the name, the services (taxonomy names) and legal
/// forms that go with it.
const TRADES: &[(&str, &str)] = &[
    ("Cleaning", "cleaning"),
    ("Kitchen", "catering"),
    ("Laundry", "laundry"),
    ("Growers", "grounds"),
    ("Repairs", "building repairs and maintenance"),
    ("Print", "printing and design"),
    ("Community Transport", "community transport"),
    ("Furniture Reuse", "furniture supply and reuse"),
    ("Tech Reuse", "IT equipment reuse and recycling"),
    ("Care at Home", "home care"),
    ("Wellbeing", "community health and wellbeing"),
    ("Skills", "training, employment support"),
    ("Interpreters", "translation and interpreting"),
    ("Events", "events, catering"),
    ("Guardians", "security"),
];

/// (suffix, legal form slug)
const FORMS: &[(&str, &str)] = &[
    ("CIC", "cic"),
    ("Co-operative", "registered_society"),
    ("Trust", "cio"),
    ("Community Company", "guarantee"),
    ("CIC", "cic"),
    ("Project", "charitable_company"),
];

/// The `n`th invented name: places in turn, trades stepping through
/// (coprime steps, so no name repeats within 600).
pub fn name(n: usize) -> (String, &'static str, &'static str) {
    let place = PLACES[n % PLACES.len()];
    let (trade, services) = TRADES[(n * 7) % TRADES.len()];
    let (suffix, form) = FORMS[(n / PLACES.len() + n) % FORMS.len()];
    (format!("{place} {trade} {suffix}"), form, services)
}

/// Adds invented enterprises until the directory holds [`TARGET`], each
/// with a profile from `profile`; `have` is how many it holds already.
pub async fn grow(
    s: &dyn Store,
    caller: &Caller,
    have: &[String],
    postcode: &(dyn Fn(usize) -> String + Sync),
    profile: fn(usize, &str, &str) -> ProfileInput,
) -> anyhow::Result<usize> {
    let mut added = 0;
    let mut n = 0;
    while have.len() + added < TARGET {
        let (name, form, services) = name(n);
        n += 1;
        if have.iter().any(|h| h.eq_ignore_ascii_case(&name)) {
            continue;
        }
        let e = add_enterprise(
            s,
            caller,
            &NewEnterpriseInput {
                name,
                postcode: postcode(n + 40),
            },
        )
        .await?;
        save_profile(s, caller, e.id, &profile(n + 30, form, services)).await?;
        added += 1;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_names_do_not_repeat() {
        let names: std::collections::BTreeSet<String> = (0..200).map(|n| name(n).0).collect();
        assert_eq!(names.len(), 200);
        assert_eq!(name(0).0, "Smethwick Cleaning CIC");
    }
}
