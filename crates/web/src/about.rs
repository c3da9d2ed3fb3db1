//! The About page: what useit is, and the attribution every open data set
//! it ships requires.

use askama::Template;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;

use crate::http::ctx::{Access, Ctx};
use crate::http::error::PageError;
use crate::http::route::{Route, page};
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    vec![page(Method::GET, "/about", Access::Public, about)]
}

/// A data set and the words its licence asks us to show.
pub struct Attribution {
    pub name: &'static str,
    pub publisher: &'static str,
    pub licence: &'static str,
    pub text: &'static str,
}

/// Every data set and component bundled with useit.
pub const ATTRIBUTIONS: &[Attribution] = &[
    Attribution {
        name: "GOV.UK Frontend 6.6.0",
        publisher: "Government Digital Service",
        licence: "MIT",
        text: "Copyright (C) 2016 Crown Copyright (Government Digital Service). Built with Arial in place of the GOV.UK typeface.",
    },
    Attribution {
        name: "English Indices of Deprivation 2019 and 2025",
        publisher: "Ministry of Housing, Communities and Local Government",
        licence: "Open Government Licence v3.0",
        text: "Ranks, deciles, domain ranks and populations of lower layer super output areas.",
    },
    Attribution {
        name: "Postcode, LSOA, ward and local authority lookups; LSOA boundaries",
        publisher: "Office for National Statistics",
        licence: "Open Government Licence v3.0",
        text: "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. Contains OS data © Crown copyright and database right 2021–2025. Contains GeoPlace data © Local Government Information House Limited copyright and database right 2022.",
    },
    Attribution {
        name: "Code-Point Open",
        publisher: "Ordnance Survey",
        licence: "Open Government Licence v3.0",
        text: "Postcode positions and ward names. Contains OS data © Crown copyright and database right 2025. Contains Royal Mail data © Royal Mail copyright and database right 2025.",
    },
    Attribution {
        name: "Filosofi 2019, income by IRIS (France)",
        publisher: "INSEE",
        licence: "Licence Ouverte / Etalab 2.0",
        text: "© Insee. Source : Insee-DGFIP-Cnaf-Cnav-CCMSA, Fichier localisé social et fiscal (Filosofi) 2019. INSEE publishes no rank: useit ranks every IRIS with a low-income rate (the share of people below 60 % of the median income), the highest rate first, equal rates sharing the lowest rank, and its decile is ceil(10 × rank / 10,756). An IRIS whose rate INSEE withheld has no rank.",
    },
    Attribution {
        name: "Contours…IRIS® (Lille)",
        publisher: "IGN – INSEE",
        licence: "Licence Ouverte / Open Licence 2.0",
        text: "IRIS boundaries of Lille, used to find the IRIS a place with coordinates lies in. © IGN – INSEE.",
    },
];

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage {
    layout: Layout,
    attributions: &'static [Attribution],
    version: &'static str,
}

async fn about(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let layout = Layout::new(&app, &ctx, useit_core::i18n::t("about.title"), "").await?;
    Ok(render(&AboutPage {
        layout,
        attributions: ATTRIBUTIONS,
        version: env!("CARGO_PKG_VERSION"),
    })?)
}
