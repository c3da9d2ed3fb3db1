//! Anchor institutions and where their money lands: spend files as
//! published, suppliers resolved to organisations, and the measures
//! (local share, deciles 1–2, influenceable spend, LM3) over them.

pub mod anchor;
pub mod bulk;
pub mod columns;
pub mod coverage;
pub mod dates;
pub mod directory;
pub mod filter;
pub mod import;
pub mod interactions;
pub mod jobs;
pub mod ledger;
pub mod measures;
pub mod placed;
pub mod placing;
pub mod practice;
pub mod register;
pub mod register_search;
pub mod registers;
pub mod resolution;
pub mod settings;
pub mod spend_file;
pub mod spreadsheet;
pub mod supplier;
pub mod wages;
pub mod workforce;
pub mod workforce_publish;
