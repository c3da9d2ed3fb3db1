//! Social enterprises into anchors' supply chains: what an enterprise
//! offers, what a tender lot asks, who can bid alone and why the others
//! cannot ([`eligibility`]), and the consortia that can meet a lot together
//! ([`consortium`], solved by [`search`] and cross-checked by [`milp`]).
//! The programme's records: [`profile`], [`lot`], [`support`], [`income`].

pub mod consortium;
pub mod directory_csv;
pub mod duplicates;
pub mod eligibility;
pub mod formed;
pub mod gaps;
pub mod grants;
pub mod income;
pub mod lot;
pub mod milestones;
pub mod milp;
pub mod ocds;
pub mod offer;
pub mod profile;
pub mod search;
pub mod services;
pub mod support;

pub use consortium::{Consortia, Options, Proposal, build};
pub use eligibility::{Eligibility, Unmet, eligibility};
pub use offer::{EnterpriseOffer, LotRequirements};
