//! Research: community researchers (personal data, audited; a researcher
//! reaches only their own record and timesheets), research projects, paid
//! hours the coordinator approves, payment runs at the Real Living Wage in
//! force on each day, and the strand's figures.

pub mod assignments;
pub mod findings;
pub mod income;
pub mod projects;
pub mod researchers;
pub mod respend;
pub mod social_lab;
pub mod summary;
pub mod survey;
pub mod work;

use useit_core::auth::Capability;
use useit_core::research::researcher::Reach;

use crate::Caller;

/// Whose researcher records the caller reaches: a coordinator (and the
/// console) everyone's, anyone else only the record linked to their account.
pub fn reach(caller: &Caller) -> Reach {
    match caller.user {
        Some(u) if !caller.can(Capability::ManageResearch) => Reach::Own(u),
        _ => Reach::All,
    }
}
