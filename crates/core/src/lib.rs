//! Domain types and pure algorithms of useit.
//!
//! Nothing in this crate knows about HTTP or SQL: the web and store crates
//! translate to and from these types, so the rules live in one place and are
//! tested without a server or a database.

pub mod anchors;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod community;
pub mod csv_import;
pub mod disclosure;
pub mod enterprise;
pub mod figures;
pub mod i18n;
pub mod ids;
pub mod iso_date;
pub mod listing;
pub mod money;
pub mod names;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod parallel;
pub mod pdf;
pub mod place;
pub mod programme;
pub mod research;
pub mod talent;
pub mod validation;
pub mod words;
pub mod workshops;

pub use ids::*;
