//! Anchor institutions: their spend (imports, supplier resolution, the
//! measures), and the register their suppliers resolve to.

pub mod anchor;
pub mod dashboard;
pub mod files;
pub mod import;
pub mod interactions;
pub mod jobs;
pub mod ledger;
mod links;
pub mod register;
pub mod settings;
pub mod suppliers;
pub mod workforce;

pub use import::{SpendUpload, import_spend_file};
pub use ledger::{Ledgers, MeasureInputs, SpendMeasures, measure_inputs};
