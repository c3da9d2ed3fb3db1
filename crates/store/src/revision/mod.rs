//! Revisions: a counter per programme, bumped inside every transaction that
//! changes what the spend figures are computed from (lines, suppliers and
//! their decisions, the register, anchors and their sites, the spend
//! settings, the area of benefit), and one for the deployment's reference
//! geography. The application layer keeps a programme's placed ledger while
//! both stand, so a page does not re-read a whole ledger per request, and
//! sees every change at once, whichever process made it (a CLI import while
//! the server runs included).

use async_trait::async_trait;
use useit_core::ProgrammeId;

use crate::Result;

/// Where the data stood: equal revisions mean nothing the figures depend on
/// changed in between.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Revision {
    /// What the spend figures are computed from (bumped by the store).
    pub programme: i64,
    /// The deployment's reference geography.
    pub reference: i64,
    /// The other strands' records the indicators count (talent people,
    /// researchers and their time, enterprises, workforce files), bumped by
    /// triggers in the database on every write to those tables.
    pub records: i64,
}

impl Revision {
    /// The part the placed spend ledger depends on: a talent edit moves
    /// `records` but leaves the ledger standing.
    pub fn spend(&self) -> (i64, i64) {
        (self.programme, self.reference)
    }
}

#[async_trait]
pub trait RevisionStore {
    async fn revision(&self, programme: ProgrammeId) -> Result<Revision>;
}

/// The scope of the deployment-wide reference geography's counter.
pub(crate) const REFERENCE: &str = "reference";
