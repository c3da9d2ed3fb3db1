//! Anchor institutions and where their money lands: spend files as
//! published, suppliers resolved to organisations, and the measures
//! (local share, deciles 1–2, influenceable spend, LM3) over them.

pub mod amount;
pub mod columns;
pub mod dates;
pub mod measures;
pub mod spend_file;
pub mod spreadsheet;
pub mod supplier;
