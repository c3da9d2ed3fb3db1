//! Social enterprises into anchors' supply chains: the directory and
//! profiles (`profiles`), support and income (`records`), the anchors'
//! lots (`lots`) and, for each lot, who can bid alone and the best
//! consortia (`consortium`).

pub mod consortium;
pub mod directory_csv;
pub mod formed;
pub mod gaps;
pub mod grants;
pub mod lots;
pub mod merge;
pub mod milestones;
pub mod profiles;
pub mod records;
