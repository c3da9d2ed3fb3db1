//! How place figures read on a page: the map's legend, the profile's
//! decile table and rules in words, shares and domain names; and what the
//! pages and the API both take (the version asked for).

use serde::Deserialize;
use useit_core::i18n::{format_count, t, tf};
use useit_core::place::areas::{NamedAreaCount, name_in};
use useit_core::place::deprivation::DeprivationIndex;
use useit_core::place::selection::{AreaOfBenefit, DecileProfile};
use utoipa::IntoParams;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::http::map::decile_label;

/// Where the context's pages live.
pub fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/place", ctx.programme()?.slug))
}

/// Which saved version of the area of benefit to show.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct VersionQuery {
    /// A saved version; the current one if left out.
    pub version: Option<i64>,
}

/// A deprivation domain in words; a domain named in a loader's column
/// mapping that the catalogue does not know is shown as it was named.
pub fn domain_label(domain: &str) -> String {
    let key = format!("place.domain.{domain}");
    if useit_core::i18n::has(&key) {
        t(&key).to_string()
    } else {
        domain.replace('_', " ")
    }
}

/// One row of the legend.
pub struct LegendItem {
    pub class: String,
    pub label: String,
}

pub fn legend() -> Vec<LegendItem> {
    let mut v: Vec<LegendItem> = (1..=10u8)
        .map(|d| LegendItem {
            class: format!("app-decile-{d}"),
            label: decile_label(Some(d)),
        })
        .collect();
    v.push(LegendItem {
        class: "app-map__area--context".into(),
        label: t("place.outside").into(),
    });
    v
}

/// One decile's row of the profile table.
pub struct DecileRow {
    pub decile: u8,
    pub label: String,
    pub areas: String,
    pub population: String,
    pub share: String,
}

pub fn percent(part: f64, whole: f64) -> String {
    if whole <= 0.0 {
        "–".into()
    } else {
        useit_core::figures::percent_f64(100.0 * part / whole, 1)
    }
}

pub fn decile_rows(p: &DecileProfile) -> Vec<DecileRow> {
    (0..10)
        .map(|i| DecileRow {
            decile: i as u8 + 1,
            label: decile_label(Some(i as u8 + 1)),
            areas: format_count(p.areas[i]),
            population: format_count(p.population[i].max(0) as u64),
            share: percent(p.population[i] as f64, p.total_population as f64),
        })
        .collect()
}

/// The rules of a selection in words, for the profile.
pub struct RuleRow {
    pub label: String,
    pub value: String,
}

/// The rules of `aob`, naming its districts and wards from the scheme's lists.
pub fn rules(
    aob: &AreaOfBenefit,
    index: Option<&DeprivationIndex>,
    las: &[NamedAreaCount],
    wards: &[NamedAreaCount],
) -> Vec<RuleRow> {
    let s = &aob.selection;
    let none = || t("place.rule.none").to_string();
    let join = |v: Vec<String>| if v.is_empty() { none() } else { v.join(", ") };
    vec![
        RuleRow {
            label: t("place.rule.index").into(),
            value: index
                .map(|i| i.name.clone())
                .unwrap_or_else(|| s.index.clone()),
        },
        RuleRow {
            label: t("place.rule.local_authorities").into(),
            value: join(
                s.local_authorities
                    .iter()
                    .map(|c| name_in(las, c))
                    .collect(),
            ),
        },
        RuleRow {
            label: t("place.rule.wards").into(),
            value: join(s.wards.iter().map(|c| name_in(wards, c)).collect()),
        },
        RuleRow {
            label: t("place.rule.radii").into(),
            value: join(
                s.radii
                    .iter()
                    .map(|r| {
                        tf(
                            "place.rule.radius",
                            &[("km", &format!("{}", r.km)), ("centre", &r.label)],
                        )
                    })
                    .collect(),
            ),
        },
        RuleRow {
            label: t("place.rule.areas").into(),
            value: if s.areas.is_empty() {
                none()
            } else {
                format_count(s.areas.len() as u64)
            },
        },
        RuleRow {
            label: t("place.rule.deciles").into(),
            value: if s.deciles.is_empty() {
                t("place.rule.all_deciles").into()
            } else {
                s.deciles
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        },
        RuleRow {
            label: t("place.rule.exclude").into(),
            value: if s.exclude.is_empty() {
                none()
            } else {
                s.exclude.join(", ")
            },
        },
    ]
}
